"""Stage split: the records the splitter's steps pass on (offsets, forms, fields; no parsing)."""

from __future__ import annotations

from dataclasses import dataclass

from notecheck.models import Citation, CitationFields, Form, Locator, Segment, Target


@dataclass(frozen=True, slots=True)
class Declaration:
    """An abbreviation a note declares: ``(henceforth A Radical Worker)``.

    ``citation`` is the id of the citation it belongs to, or None for a free-standing sentence
    (``Hereafter I cite the typescript as Avtobiograjiia.``), whose ``described`` names the work.
    ``start``/``end`` are offsets of the abbreviation in the note's text.
    """

    note_index: int
    abbreviation: str
    start: int
    end: int
    citation: str | None = None
    described: str | None = None


@dataclass(frozen=True)
class _Result:
    segments: tuple[Segment, ...]
    citations: tuple[Citation, ...]
    declarations: tuple[Declaration, ...]
    backward: tuple[tuple[int, int, int, int], ...]  # (start, end, first, last) of bad ranges


@dataclass
class _Candidate:
    """A citation found but not yet numbered; ``priority`` settles overlaps (lower wins)."""

    start: int
    end: int
    priority: int
    form: Form
    fields: CitationFields
    locator: Locator | None = None
    target: Target | None = None
    backward: tuple[tuple[int, int, int, int], ...] = ()
    declaration: tuple[str, int, int] | None = None


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    end: int
    soft: bool  # begins after a sentence end (not after ';', a parenthesis or the note start)


#: A locator found in a note: the locator, its backward ranges ``(start, end, first, last)`` and
#: the offset where it ends.
_Located = tuple[Locator, tuple[tuple[int, int, int, int], ...], int]


#: A citation read by the lean pass: start, end, form, fields, locator, backward ranges.
_Read = tuple[int, int, Form, CitationFields, Locator | None, tuple[tuple[int, int, int, int], ...]]
