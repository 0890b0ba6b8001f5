"""Stage resolve, suggested entries: a BibTeX entry built from a full citation's parsed fields.

Used for full citations missing from the bibliography (NC402) and printed by
``notecheck suggest-bib``. The entry uses biblatex names (``location``, ``journaltitle``,
``@thesis`` with ``type``), like the rest of notecheck. Values are printed as the notes give
them — OCR damage included: the resolver cannot know the right spelling — with BibTeX's special
characters escaped and braces balanced.
"""

from __future__ import annotations

import re

from notecheck.bibliography import surname_key
from notecheck.models import Citation
from notecheck.resolver.match import CitedName, year_of

_TYPES = {
    "book": "book",
    "article": "article",
    "chapter": "incollection",
    "thesis": "thesis",
    "newspaper": "article",
    "unpublished": "unpublished",
}
_SPECIAL = re.compile(r"([&%$#_])")
_MONTHS = {
    m[:3].casefold(): n
    for n, m in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}
_DAY_MONTH_YEAR = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,})\.?,?\s+(?P<year>\d{4})")
_MONTH_DAY_YEAR = re.compile(r"(?P<month>[A-Za-z]{3,})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})")


def suggest_entry(citation: Citation, taken: set[str]) -> tuple[str, str, str]:
    """A BibTeX entry for ``citation``: ``(one line, pretty, key)``; the key avoids ``taken``."""
    fields = citation.fields
    kind = fields.extra.get("type", "book")
    entry_type = _TYPES.get(kind, "misc")
    if entry_type == "book" and not fields.authors and fields.editors:
        entry_type = "collection"
    values: list[tuple[str, str]] = []
    if fields.authors:
        values.append(("author", _names(fields.authors)))
    if fields.editors:
        values.append(("editor", _names(fields.editors)))
        if fields.extra.get("compiler") == "true":
            values.append(("editortype", "compiler"))
    if fields.translators:
        values.append(("translator", _names(fields.translators)))
    if fields.title:
        values.append(("title", fields.title))
    if fields.container:
        container = {"article": "journaltitle", "newspaper": "journaltitle"}.get(kind, "booktitle")
        values.append((container, fields.container))
    if kind == "newspaper":
        values.append(("entrysubtype", "newspaper"))
    if fields.volume:
        values.append(("volume", fields.volume))
    if fields.issue:
        values.append(("number", re.sub(r"(?i)^no\.?\s*", "", fields.issue)))
    if fields.thesis:
        values.append(("type", "phdthesis" if "ph" in fields.thesis.lower() else "mathesis"))
    if fields.institution:
        values.append(("institution", fields.institution))
    if fields.place:
        values.append(("location", fields.place))
    if fields.publisher:
        values.append(("publisher", fields.publisher))
    year = year_of(fields.year) or year_of(fields.date)
    date = _iso_date(fields.date) if fields.date else None
    if date is not None:
        values.append(("date", date))
    elif year:
        values.append(("year", year))
    if fields.reprint:
        values.append(("addendum", fields.reprint))
    if fields.unpublished:
        values.append(("note", "Unpublished"))
    key = _key(citation, year, taken)
    body = [(name, _value(value)) for name, value in values]
    line = f"@{entry_type}{{{key}, " + ", ".join(f"{n} = {{{v}}}" for n, v in body) + "}"
    width = max((len(n) for n, _ in body), default=0)
    pretty = f"@{entry_type}{{{key},\n" + "".join(f"  {n:<{width}} = {{{v}}},\n" for n, v in body) + "}"
    return line, pretty, key


def _names(printed: tuple[str, ...]) -> str:
    """``("Loren R. Graham",)`` -> ``Graham, Loren R.``; several joined by ``and``."""
    return " and ".join(_name(name) for name in printed)


def _name(printed: str) -> str:
    tokens: list[str] = []
    for token in printed.split():
        if tokens and tokens[-1].endswith(("'", "’")) and len(tokens[-1]) > 2:
            tokens[-1] += token  # an OCR space after a soft sign: "Gol' dman"
        else:
            tokens.append(token)
    if len(tokens) < 2 or "," in printed:
        return " ".join(tokens)
    return f"{tokens[-1]}, {' '.join(tokens[:-1])}"


def _iso_date(printed: str) -> str | None:
    """``6 Nov. 1991`` or ``November 6, 1991`` -> ``1991-11-06``; None for anything else."""
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        found = pattern.search(printed)
        if found is None:
            continue
        month = _MONTHS.get(found.group("month")[:3].casefold())
        day = int(found.group("day"))
        if month is not None and 1 <= day <= 31:
            return f"{found.group('year')}-{month:02d}-{day:02d}"
    return None


def _key(citation: Citation, year: str | None, taken: set[str]) -> str:
    people = (*citation.fields.authors, *citation.fields.editors)
    if people:
        base = CitedName.parse(people[0]).surname
    else:
        words = re.findall(r"[A-Za-z]+", citation.fields.title or "")
        base = surname_key(words[0]) if words else "anon"
    base = re.sub(r"[^a-z0-9]", "", base) or "anon"
    base += year or ""
    key, suffix = base, 0
    lowered = {k.casefold() for k in taken}
    while key.casefold() in lowered:
        key = base + chr(ord("a") + suffix % 26) * (suffix // 26 + 1)
        suffix += 1
    return key


def _value(text: str) -> str:
    text = " ".join(text.split())
    text = _SPECIAL.sub(r"\\\1", text)
    depth, kept = 0, []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                continue
            depth -= 1
        kept.append(char)
    return "".join(kept) + "}" * depth
