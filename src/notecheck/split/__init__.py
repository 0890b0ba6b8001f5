"""Stage split/parse: a note's text to segments and classified citations, via the grammars.

A note mixes commentary and citations. The splitter

1. carves out archival references with :func:`notecheck.archival.find_archival`;
2. cuts the rest into clauses at semicolons and sentence ends that are not abbreviations
   (``ed.``, ``trans.``, initials ``R. W.``, ``St.``, ``Mass.``) and not inside quotes or
   parentheses; every parenthesis is also read as a text of its own;
3. classifies each clause by structure with :mod:`notecheck.grammar`: a publication group
   ``(Place, Year)`` or a quoted title with a journal or newspaper tail marks a full citation;
   ``ibid`` (also OCR-damaged) an ibid; ``see note 72 below`` a cross-reference; a clause that
   ends in a locator after a name and a title, or after a bare title, a short form;
4. keeps everything else as commentary, so a note's segments always concatenate to its text.

A fast first pass (:mod:`notecheck.split.fast`) reads notes made of common forms with compiled
patterns and the full splitter's own readers, and leaves every other note to the full splitter
(:mod:`notecheck.split.splitter`); where it answers, the answer is the full splitter's.

Modules: ``records`` (what the steps pass on), ``text`` (text helpers and the grammar's compiled
recognisers), ``locators`` (locator reading), ``fields`` (fields from parsed text), ``splitter``
(the full splitter), ``fast`` (the fast pass). Nothing here raises for bad content. The NC3xx form
checks (page ranges, missing comma, damaged ibid) run in :func:`parse_edition`.

This module is imported with :mod:`notecheck.pipeline`: it stays light (no grammar, no pyparsing)
until a note is split.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notecheck.models import Citation, Diagnostic, Edition, Form, Note, Segment
from notecheck.split.records import Declaration, _Result

if TYPE_CHECKING:
    from notecheck.split.text import Known

__all__ = ["Declaration", "ParsedEdition", "parse_edition", "parse_note", "segment_note"]


@dataclass
class ParsedEdition:
    """An edition with every note split: citations per note index, and form diagnostics."""

    edition: Edition
    citations: dict[int, tuple[Citation, ...]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    segments: dict[int, tuple[Segment, ...]] = field(default_factory=dict)
    declarations: list[Declaration] = field(default_factory=list)

    def all_citations(self) -> list[Citation]:
        return [c for note in self.edition.notes for c in self.citations.get(note.index, ())]


def segment_note(
    note: Note, *, known_authors: Iterable[str] | Mapping[str, Iterable[str]] = ()
) -> list[Segment]:
    """The note's segments (citations, commentary, separators), concatenating to its text.

    Args:
        note: a note from a reader.
        known_authors: surnames of authors cited elsewhere in the edition, or each surname with
            the titles of that author's full citations. A short form that starts with one of them
            and lacks the comma after it is read as ``Author Title``; one in running prose
            (``described in Kuromiya, Stalin's Industrial Revolution, 290``) only when it names
            one of that author's titles, so surnames given without titles never read one there.
    """
    return list(_split(note, _known(known_authors)).segments)


def parse_note(
    note: Note, *, known_authors: Iterable[str] | Mapping[str, Iterable[str]] = ()
) -> list[Citation]:
    """The citations of one note, in order (see :func:`segment_note` for ``known_authors``)."""
    return [s.citation for s in segment_note(note, known_authors=known_authors) if s.citation is not None]


def _known(known_authors: Iterable[str] | Mapping[str, Iterable[str]]) -> Known:
    """Surnames, with or without their titles, as the splitter's ``surname -> titles``."""
    if isinstance(known_authors, Mapping):
        return {surname: tuple(titles) for surname, titles in known_authors.items()}
    return dict.fromkeys(known_authors, ())


def parse_edition(edition: Edition) -> ParsedEdition:
    """Split every note of an edition and run the citation-form checks (NC3xx).

    Two passes: the first collects the surnames of every full citation's authors and editors,
    with the titles cited under each, the second uses them to read short forms that lost the
    comma after the author (``Medvedev Let History Judge, 60``) or stand in prose after ``in``
    (``described in Kuromiya, Stalin's Industrial Revolution, 290``).
    """
    from notecheck.rules import citation as rules
    from notecheck.split.splitter import _may_cite_known_in_prose
    from notecheck.split.text import _surname

    parsed = ParsedEdition(edition)
    first = {note.index: _split(note, {}) for note in edition.notes}
    titles: dict[str, dict[str, None]] = {}
    for result in first.values():
        for c in result.citations:
            if c.form is Form.FULL:
                for author in (*c.fields.authors, *c.fields.editors):
                    listed = titles.setdefault(_surname(author), {})
                    if c.fields.title:
                        listed[c.fields.title] = None
    known: Known = {surname: tuple(listed) for surname, listed in titles.items()}
    # Every abbreviation the notes declare, wherever: a mention before its declaration is read
    # too (the resolver reports it as used too early).
    declared = [(index, d.abbreviation) for index, result in first.items() for d in result.declarations]
    for note in edition.notes:
        result = first[note.index]
        if any(_may_lack_comma(c, known) for c in result.citations) or _may_cite_known_in_prose(
            note.text, known
        ):
            result = _split(note, known)
        elsewhere = (a for index, a in declared if index != note.index)
        mentionable = (*((a, 0) for a in elsewhere), *((d.abbreviation, d.end) for d in result.declarations))
        if mentionable and _may_mention(note.text, mentionable):
            result = _split(note, known, declared=mentionable)
        parsed.citations[note.index] = result.citations
        parsed.segments[note.index] = result.segments
        parsed.declarations.extend(result.declarations)
        parsed.diagnostics.extend(rules.form_diagnostics(note, result.citations, result.backward))
    return parsed


def _split(
    note: Note,
    known_authors: Known,
    *,
    fast: bool = True,
    declared: tuple[tuple[str, int], ...] = (),
) -> _Result:
    """Split one note: the fast pass first, the full splitter where it declines (or where
    ``declared`` abbreviations may be mentioned: the fast pass does not look for mentions)."""
    from notecheck.split.fast import _lean_split
    from notecheck.split.splitter import _NoteSplitter

    if declared:
        return _NoteSplitter(note, known_authors, declared).run()
    if fast:
        result = _lean_split(note, known_authors)
        if result is not None:
            return result
    return _NoteSplitter(note, known_authors).run()


def _may_mention(text: str, declared: tuple[tuple[str, int], ...]) -> bool:
    """Whether a note may mention a declared abbreviation: it has a quote, or one's first word."""
    if '"' in text or "“" in text:
        return True
    lowered = text.casefold()
    return any(a.split() and a.split()[0].casefold() in lowered for a, _ in declared)


def _may_lack_comma(citation: Citation, known: Known) -> bool:
    """Whether a bare short form starts with a known author's surname (``Medvedev Let ...``)."""
    if not citation.fields.extra.get("bare") or not citation.fields.title:
        return False
    words = citation.fields.title.split()
    return len(words) >= 2 and words[0] in known
