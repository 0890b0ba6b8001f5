"""Stage split: fields from parsed text — the head of a short form (authors, title)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from notecheck.split.text import (
    _DAMAGED_QUOTE,
    _DOCUMENT_DATE,
    _ENDS_IN_DIGIT,
    _LOWER_L_CONSONANT,
    _NAME_LIST,
    _SHORT_HEAD_MAX_WORDS,
    _clean,
    _has_prose,
    _names,
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
        names = _NAME_LIST.fullmatch(", ".join(parts[:-1]))
        if names is None:
            return None
        authors, et_al = _names(names)
    last = parts[-1]
    title = last[damaged.end() :] if damaged else last
    quote = damaged.group() if damaged else None
    return _ShortHead(authors, et_al, last, quote, title, _title_like(title, _SHORT_HEAD_MAX_WORDS))


def _short_fields(
    text: str,
    body_start: int,
    head_end: int,
    known: frozenset[str],
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
