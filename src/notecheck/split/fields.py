"""Stage split: fields from parsed text — a full citation's head (authors, title, container,
roles, edition, volume) and publication data (place, publisher, year, thesis), a short form's
head (authors, title)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from notecheck.split.text import (
    _AUTHOR_JOIN,
    _DAMAGED_QUOTE,
    _DOCUMENT_DATE,
    _EDITION,
    _ENDS_IN_DIGIT,
    _LOWER_L_CONSONANT,
    _NAME_LIST,
    _PUBLISHER_WORDS,
    _QUOTED_TITLE,
    _REPRINT,
    _ROLE,
    _ROLE_BARE,
    _SHORT_HEAD_MAX_WORDS,
    _THESIS,
    _UNPUBLISHED,
    _VOLUME,
    Known,
    _assign_role,
    _clean,
    _Element,
    _elements,
    _has_prose,
    _is_title_element,
    _name_like,
    _names,
    _split_names,
    _split_top_commas,
    _title_like,
)


@dataclass(frozen=True, slots=True)
class _ShortHead:
    """What the head of a plain short form says, read from its text alone (see :func:`_short_head`).

    ``authors`` is None for a head of one element: a bare title, or a known author's surname
    and a title without the comma between them. ``title`` is the last element with any damaged
    opening quote taken off; ``title_ok`` whether it reads as a title.
    """

    authors: tuple[str, ...] | None
    et_al: bool
    last: str
    damaged_quote: str | None
    title: str
    title_ok: bool


@lru_cache(maxsize=4096)
def _short_head(raw: str) -> _ShortHead | None:
    """The head of a plain short form (``Doe and Roe, Short Title``), or None when it is not one.

    Depends only on the head's text, so it is remembered (short forms repeat their heads).
    """
    head = _clean(raw)
    if not head or _has_prose(head) or len(head.split()) > _SHORT_HEAD_MAX_WORDS:
        return None
    if not (head[:1].isupper() or _DAMAGED_QUOTE.match(head) or _LOWER_L_CONSONANT.match(head)):
        return None
    if _ENDS_IN_DIGIT.search(head) or _DOCUMENT_DATE.search(head) or head.endswith(("ibid", "Ibid")):
        return None
    parts = [p.strip() for p in _split_top_commas(head)]
    damaged = _DAMAGED_QUOTE.match(parts[-1])
    authors: tuple[str, ...] | None = None
    et_al = False
    if len(parts) >= 2:
        count = _author_count(parts)
        if count is None:
            return None
        authors, et_al = _names(_NAME_LIST.fullmatch(", ".join(parts[:count])))  # type: ignore[arg-type]
        parts = [*parts[:count], ", ".join(parts[count:])]
    last = parts[-1]
    title = last[damaged.end() :] if damaged else last
    quote = damaged.group() if damaged else None
    return _ShortHead(authors, et_al, last, quote, title, _title_like(title, _SHORT_HEAD_MAX_WORDS))


def _author_count(parts: list[str]) -> int | None:
    """How many of a short form's comma-separated ``parts`` are its authors (the rest is the
    title), or None when they cannot be ``Author(s), Title``.

    Names joined by commas alone are one author and a title that has commas (``Goldman, Women,
    the State and Revolution``), and so is a name before a title with ``and`` in it (``Smith,
    Peasants and Workers, Soviet Russia``): a list of several authors ends in a serial ``, and``
    or ``et al.`` (``Smith, Jones, and Brown, Title``), as a full citation's does
    (:func:`_ends_author_list`). The longest such list of names wins.
    """
    for count in range(len(parts) - 1, 0, -1):
        if _ends_author_list(count, parts[count - 1]) and _NAME_LIST.fullmatch(", ".join(parts[:count])):
            return count
    return None


def _ends_author_list(count: int, last: str) -> bool:
    """Whether ``count`` comma-separated parts, the last of them ``last``, can be a whole list of
    authors: one part (``Doe``, ``Doe and Roe``), or several whose last starts with ``and``/``&``
    (the serial comma: ``Doe, Roe, and Poe``) or ends in ``et al.``. ``A, B and C`` reads as a
    name and a title; short forms and full citations' heads both ask this."""
    return count == 1 or bool(_AUTHOR_JOIN.match(last))


def _short_fields(
    text: str,
    body_start: int,
    head_end: int,
    known: Known,
    fields: dict[str, Any],
    extra: dict[str, str],
) -> bool | None:
    """Fill ``fields``/``extra`` from the head ``text[body_start:head_end]`` of a plain short
    form; None when it is not one. A one-element head that starts with a known author's surname
    (``Medvedev Let History Judge``) is that author and a title missing its comma."""
    head = _short_head(text[body_start:head_end])
    if head is None:
        return None
    title_ok = head.title_ok
    if head.authors is not None:
        fields["authors"] = head.authors
        if head.et_al:
            extra["et_al"] = "true"
        title = head.title
    else:
        words = head.last.split()
        if len(words) >= 2 and words[0] in known and words[1][:1].isupper():
            fields["authors"] = (words[0],)
            fields["missing_comma"] = True
            title = " ".join(words[1:])
            extra["comma_at"] = str(body_start + len(words[0]))
            if head.damaged_quote:
                title = title[len(head.damaged_quote) :]
            title_ok = _title_like(title, _SHORT_HEAD_MAX_WORDS)
        else:
            extra["bare"] = "true"
            title = head.title
    if head.damaged_quote:
        extra["damaged_quote"] = head.damaged_quote
    if not title_ok:
        return None
    fields["title"] = title
    fields["short_title"] = title
    return True


# --- a full citation's head and publication data ----------------------------------------------------


def read_head(
    text: str,
    start: int,
    end: int,
    fields: dict[str, Any],
    extra: dict[str, str],
    *,
    quoted_follows: bool = False,
) -> None:
    """Authors, title, container, roles, edition and volume from the head ``text[start:end]`` of
    a full citation (before a quoted title that follows, only its authors)."""
    elements = _elements(text, start, end)
    if quoted_follows:
        _quoted_title_authors(elements, fields, extra)
        return
    index = _head_authors(elements, fields, extra)
    if index >= len(elements):
        return
    quoted = _QUOTED_TITLE.match(text, elements[index].start)
    if quoted and quoted.start() == elements[index].start:
        index = _quoted_head_title(text, elements, index, quoted, fields, extra)
    else:
        index = _plain_head_title(text, elements, index, fields, extra)
    _head_elements(elements, index, fields, extra)


def _quoted_title_authors(elements: list[_Element], fields: dict[str, Any], extra: dict[str, str]) -> None:
    """The authors before a quoted title: the whole head, when it is a name list."""
    if elements:
        authors = _NAME_LIST.fullmatch(", ".join(_clean(e.text) for e in elements))
        if authors:
            fields["authors"], et_al = _names(authors)
            if et_al:
                extra["et_al"] = "true"


def _head_authors(elements: list[_Element], fields: dict[str, Any], extra: dict[str, str]) -> int:
    """The authors (or an editor and a bare role: ``L. I. Gol'dman, ed.,``) opening a head; the
    index of the first element after them."""
    if (
        len(elements) >= 3
        and _ROLE_BARE.fullmatch(_clean(elements[1].text))
        and _name_like(_clean(elements[0].text))
    ):
        _assign_role(_clean(elements[1].text), _split_names(_clean(elements[0].text)), fields, extra)
        return 2
    # several editors and a bare role: ``A, B, and C, eds., Title``
    for k in range(len(elements) - 2, 1, -1):
        if not _ROLE_BARE.fullmatch(_clean(elements[k].text)):
            continue
        editors = _NAME_LIST.fullmatch(", ".join(_clean(e.text) for e in elements[:k]))
        if editors and _ends_author_list(k, _clean(elements[k - 1].text)):
            _assign_role(_clean(elements[k].text), _names(editors)[0], fields, extra)
            return k + 1
    for k in range(len(elements) - 1, 0, -1):
        if not _ends_author_list(k, _clean(elements[k - 1].text)):
            continue
        authors = _NAME_LIST.fullmatch(", ".join(_clean(e.text) for e in elements[:k]))
        if authors and _is_title_element(_clean(elements[k].text)):
            fields["authors"], et_al = _names(authors)
            if et_al:
                extra["et_al"] = "true"
            return k
    return 0


def _quoted_head_title(
    text: str,
    elements: list[_Element],
    index: int,
    quoted: re.Match[str],
    fields: dict[str, Any],
    extra: dict[str, str],
) -> int:
    """A quoted title (a chapter, an article) and the container after it (``in Book``)."""
    fields["title"] = _clean(quoted.group("title")).rstrip(" ,")
    while index < len(elements) and elements[index].end <= quoted.end():
        index += 1
    container_parts = []
    if index < len(elements) and elements[index].start < quoted.end():
        remainder = _clean(text[quoted.end() : elements[index].end])
        container_parts = [remainder] if remainder else []
        index += 1
    while index < len(elements) and _is_title_element(_clean(elements[index].text)):
        container_parts.append(_clean(elements[index].text))
        index += 1
    if container_parts:
        fields["container"] = _IN_PREFIX.sub("", ", ".join(container_parts))
        extra["type"] = "chapter"
    return index


def _plain_head_title(
    text: str, elements: list[_Element], index: int, fields: dict[str, Any], extra: dict[str, str]
) -> int:
    """A title of one or more elements (``Title, 1900-1914``), and an ``in Book`` after it."""
    title_end = index + 1
    while title_end < len(elements) and _is_title_element(_clean(elements[title_end].text)):
        if _clean(elements[title_end].text).startswith("in "):
            break
        title_end += 1
    fields["title"] = _clean(text[elements[index].start : elements[title_end - 1].end])
    index = title_end
    if index < len(elements) and _clean(elements[index].text).startswith("in "):
        fields["container"] = _clean(elements[index].text)[3:]
        extra["type"] = "chapter"
        index += 1
    return index


def _head_elements(
    elements: list[_Element], index: int, fields: dict[str, Any], extra: dict[str, str]
) -> None:
    """The elements after the title: roles with names, edition, volume, reprint, the rest."""
    while index < len(elements):
        element = _clean(elements[index].text)
        index += 1
        with_names = _ROLE.fullmatch(element)
        if with_names:
            _assign_role(with_names.group("role"), _split_names(with_names.group("names")), fields, extra)
            continue
        if _ROLE_BARE.fullmatch(element) and index < len(elements):
            _assign_role(element, _split_names(_clean(elements[index].text)), fields, extra)
            index += 1
            continue
        if _EDITION.fullmatch(element):
            extra["edition"] = element
        elif _VOLUME.fullmatch(element):
            fields["volume"] = element
        elif _REPRINT.search(element):
            fields["reprint"] = element
        else:
            extra["other"] = f"{extra['other']}; {element}" if "other" in extra else element


def read_pub(match: re.Match[str], fields: dict[str, Any], extra: dict[str, str]) -> None:
    """Place, publisher, year, thesis, unpublished work or reprint from a publication group."""
    inner = _clean(match.group("inner")).rstrip(" ,")
    fields["year"] = match.group("year")
    if ";" in inner:
        original, reprint = inner.split(";", 1)
        fields["reprint"] = _clean(reprint)
        inner = original.strip()
        if _FOUR_DIGITS.fullmatch(inner):
            extra["original_year"] = inner
            inner = ""
    thesis = _THESIS.match(inner)
    if thesis:
        fields["thesis"] = _clean(thesis.group("thesis"))
        fields["institution"] = thesis.group("institution").strip(" ,") or None
        extra["type"] = "thesis"
        return
    if _UNPUBLISHED.search(inner):
        fields["unpublished"] = True
        extra["type"] = "unpublished"
        extra["description"] = inner
        return
    if ":" in inner:
        place, publisher = inner.split(":", 1)
        fields["place"], fields["publisher"] = place.strip(), publisher.strip()
    elif inner and _PUBLISHER_WORDS.search(inner):
        fields["publisher"] = inner
    elif inner:
        fields["place"] = inner
    extra.setdefault("type", "book")


_IN_PREFIX = re.compile(r"^in\s+")
_FOUR_DIGITS = re.compile(r"\d{4}")
