"""Stage split/parse: a note's text to segments and classified citations, via the grammars.

PLACEHOLDER interface for the citation-grammar issue: ``parse_note`` and ``parse_edition`` keep
their signatures; the implementation finds no citations yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notecheck.models import Citation, Diagnostic, Edition, Note, Segment


@dataclass
class ParsedEdition:
    """An edition with every note split: citations per note index, and form diagnostics."""

    edition: Edition
    citations: dict[int, tuple[Citation, ...]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def all_citations(self) -> list[Citation]:
        return [c for note in self.edition.notes for c in self.citations.get(note.index, ())]


def segment_note(note: Note) -> list[Segment]:
    """The note's segments (citations, commentary, separators), concatenating to its text."""
    return [Segment("commentary", 0, len(note.text))] if note.text else []


def parse_note(note: Note) -> list[Citation]:
    """The citations of one note, in order."""
    return [s.citation for s in segment_note(note) if s.citation is not None]


def parse_edition(edition: Edition) -> ParsedEdition:
    """Split every note of an edition and run the citation-form checks (NC3xx)."""
    parsed = ParsedEdition(edition)
    for note in edition.notes:
        parsed.citations[note.index] = tuple(parse_note(note))
    return parsed
