"""Stage resolve, declarations: declared abbreviations and declared editions, to entries.

An abbreviation declared inside a full citation (``(henceforth A Radical Worker)``) stands for
that citation's entry. A free-standing one (``Hereafter I cite the typescript as Avtobiograjiia.``)
is matched by what it says: the abbreviation against the entries' short titles and titles (OCR
damage allowed: the declaration itself may be damaged) and the description (``the typescript``)
against the entries' words (title, ``howpublished``, ``type``, ``note``). Both must agree when
both say something; otherwise the one that names a single entry is taken.

An edition declaration is a sentence saying which edition later citations use: ``My citations
below are to the 1972 edition.`` (a year) or ``Further citations ... refer to that version.`` (the
work cited in the same note). It is found by a generic pattern, never by this edition's words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from notecheck.bibliography import fold, title_words
from notecheck.models import Edition
from notecheck.resolver.context import EditionDeclaration
from notecheck.resolver.match import CLOSE, Catalogue

if TYPE_CHECKING:
    from notecheck.split import ParsedEdition

_EDITION = re.compile(
    r"""(?ix)
    \b(?:citations?|references?|quotations?|page\ numbers|translations?|I\ (?:cite|quote))\b
    [^.;!?]{0,80}?
    \b(?:to|from|follow|use)\s+
    (?:(?P<determiner>the|that|this|its)\s+)?
    (?:(?P<year>1[5-9]\d\d|20\d\d)\s+)?
    (?:\w+\s+)?
    (?P<what>edition|ed\.|translation|version|printing|reprint)\b
    """
)
#: Words describing a work that do not tell entries apart.
_VAGUE = frozenset({"work", "book", "text", "version", "copy", "original", "first", "second", "volume"})
_DESCRIBED_FIELDS = ("title", "shorttitle", "titleaddon", "howpublished", "type", "note", "entrysubtype")


def edition_declarations(edition: Edition) -> list[EditionDeclaration]:
    """Every sentence of the notes declaring the edition later citations refer to."""
    found = []
    for note in edition.notes:
        for match in _EDITION.finditer(note.text):
            year = match.group("year")
            if year is None and (match.group("determiner") or "").lower() not in ("that", "this", "its"):
                continue  # "references to the Russian version" declares nothing
            found.append(EditionDeclaration(note.index, match.start(), year))
    return found


def declared_work(abbreviation: str, described: str | None, catalogue: Catalogue) -> str | None:
    """The entry a free-standing declaration stands for, or None if it cannot be told."""
    exact = catalogue.by_title(abbreviation)
    like = exact or [key for key, _, _ in catalogue.fuzzy(abbreviation, cutoff=CLOSE)]
    matching = _described(described, catalogue)
    if like and matching is not None:
        both = [k for k in like if k in matching]
        if len(both) == 1:
            return both[0]
    if len(like) == 1:
        return like[0]
    if not like and matching is not None and len(matching) == 1:
        return matching[0]
    return None


def _described(described: str | None, catalogue: Catalogue) -> list[str] | None:
    """Entries whose words include every distinctive word of the description (None: it has none)."""
    words = [w for w in title_words(described or "") if w not in _VAGUE]
    if not words:
        return None
    found = []
    for entry in catalogue.entries.values():
        text = set(fold(" ".join(entry.fields.get(f, "") for f in _DESCRIBED_FIELDS)).split())
        text.add(fold(entry.entry_type))
        if all(w in text for w in words):
            found.append(entry.key)
    return found


#: A declaration waiting to be put in force: (offset, abbreviation, citation id, described).
Pending = tuple[int, str, str | None, str | None]


def declarations_in_order(parsed: ParsedEdition) -> dict[int, list[Pending]]:
    """Declarations by note index: ``(start, abbreviation, citation id, described)`` in order."""
    by_note: dict[int, list[Pending]] = {}
    for declaration in parsed.declarations:
        by_note.setdefault(declaration.note_index, []).append(
            (declaration.start, declaration.abbreviation, declaration.citation, declaration.described)
        )
    for items in by_note.values():
        items.sort(key=lambda item: item[0])
    return by_note
