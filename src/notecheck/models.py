"""Data model shared by every stage: sources, positions, notes, citations, entries, diagnostics.

Nothing here does I/O. Every stage (read -> split -> parse -> resolve -> check -> report) takes and
returns these frozen dataclasses, so a new input format or a new rule touches one module only.

Positions follow the public contract: lines and columns are 1-based, columns count Unicode code
points of the decoded line, end columns are exclusive.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Severity(StrEnum):
    """How bad a diagnostic is; see the contract's severity principle."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Span:
    """A range in a file: 1-based line and column, exclusive end column.

    Example: ``Span("edition/kanatchikov.txt", 953, 1, 953, 3)`` covers ``s.`` at the start of
    line 953.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Source:
    """The decoded text of one input file, with the facts needed to write it back unchanged.

    ``text`` is exactly what was decoded (line ends kept; a BOM is not part of it). For formats
    whose text is not the file's text (a .docx), ``text`` is the virtual text whose lines are
    the positions the contract defines (one paragraph per line).
    """

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False

    @cached_property
    def line_starts(self) -> tuple[int, ...]:
        """Offset of the first character of every line (line 1 starts at 0)."""
        return (0, *(m.end() for m in _LINE_BREAK.finditer(self.text)))

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, column) of a character offset, both 1-based."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column); clamped into the text."""
        if line < 1:
            return 0
        if line > len(self.line_starts):
            return len(self.text)
        start = self.line_starts[line - 1]
        return min(start + max(column, 1) - 1, len(self.text))

    def span(self, start: int, end: int) -> Span:
        """The span of the character offsets ``[start, end)``."""
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return Span(self.path, line, column, end_line, end_column)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line end."""
        if not 1 <= line <= len(self.line_starts):
            return ""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")


@dataclass(frozen=True)
class TextMap:
    """Maps offsets in a derived text (a note's text) back to offsets in its source.

    ``pieces`` are ``(text_start, source_start, text_length, source_length)``, sorted by
    ``text_start`` and covering the derived text without gaps. A piece whose two lengths are equal
    maps character by character; a piece whose lengths differ is a replacement (``--`` in LaTeX
    read as an en dash) and maps only as a whole.
    """

    pieces: tuple[tuple[int, int, int, int], ...]

    @classmethod
    def identity(cls, source_start: int, length: int) -> TextMap:
        return cls(((0, source_start, length, length),))

    @cached_property
    def _starts(self) -> list[int]:
        return [piece[0] for piece in self.pieces]

    def to_source(self, offset: int, *, end: bool = False) -> int:
        """The source offset of a derived-text offset.

        With ``end=True`` the offset is read as an exclusive end, so an end that falls on a piece
        boundary stays at the end of the earlier piece instead of jumping to the next one.
        """
        pieces = self.pieces
        if not pieces:
            return 0
        if len(pieces) == 1:  # most notes: one stretch of the source, nothing to search
            index = 0
        else:
            probe = offset - 1 if end and offset > 0 else offset
            index = max(0, bisect_right(self._starts, probe) - 1)
        text_start, source_start, text_length, source_length = pieces[index]
        inside = offset - text_start
        if text_length == source_length:
            return source_start + max(0, min(inside, text_length))
        if end and inside > 0:
            return source_start + source_length
        return source_start if inside <= 0 else source_start + source_length


@dataclass(frozen=True, slots=True)
class Fix:
    """A replacement of one span of the source, and whether it is safe to apply unasked."""

    replacement: str
    span: Span
    applicability: str = "safe"  # "safe" | "unsafe"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a rule code at a position, with a message and maybe a fix.

    ``fingerprint`` is filled by the check stage (stable across unrelated edits: it depends on the
    code, the path, the flagged text and its occurrence, not on line numbers).
    """

    code: str
    severity: Severity
    message: str
    span: Span
    note: int | None = None
    note_index: int | None = None
    fix: Fix | None = None
    fingerprint: str = ""
    suppressed: bool = False
    suppression: str | None = None  # why it is suppressed: "baseline" | "accepted"
    justification: str = ""  # the reason given with an accepted finding

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.code)


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the document: the body, a "Document N", or the notes."""

    kind: str  # "body" | "document" | "notes"
    title: str
    number: int | None
    line: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """Text left out of notes on purpose (OCR debris, page numbers), so nothing vanishes."""

    span: Span
    reason: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class NoteCall:
    """A note call found in the body text (``intelligentka.14``)."""

    number: int
    label: str
    span: Span
    #: False for a call that does not fit the order of the other calls (reported by NC110).
    in_sequence: bool = True


@dataclass(frozen=True, slots=True)
class Note:
    """One endnote: its number as read and as printed, its text, and where every character is.

    ``line`` is the line where the number is printed, even when the text starts lines later.
    ``text`` holds the note's characters in order (line ends kept, debris left out); ``text_map``
    maps every offset of ``text`` back into ``source``.

    Example: the note printed ``s.`` has ``number=5``, ``label="s."``.
    """

    index: int
    number: int | None
    label: str
    text: str
    source: Source = field(repr=False, compare=False)
    text_map: TextMap = field(repr=False)
    line: int
    end_line: int
    label_span: Span
    #: ``\cite`` keys inside the note (LaTeX): ``(key, start, end)`` offsets in ``text``.
    cite_keys: tuple[tuple[str, int, int], ...] = ()
    #: For .docx: the 1-based index of the paragraph of ``word/document.xml`` that calls the note.
    document_paragraph: int | None = None

    def span(self, start: int, end: int) -> Span:
        """The source span of the note-text offsets ``[start, end)``."""
        source_start = self.text_map.to_source(start)
        source_end = self.text_map.to_source(max(start, end), end=True)
        return self.source.span(source_start, max(source_start, source_end))

    @property
    def name(self) -> str:
        """``note-30``, the way items and messages name a note."""
        return f"note-{self.number if self.number is not None else f'#{self.index}'}"


@dataclass(frozen=True)
class Edition:
    """What a reader returns: the source, its sections and its notes, with reading diagnostics."""

    source: Source
    format: str  # "text" | "markdown" | "tei" | "docx" | "latex"
    notes: tuple[Note, ...]
    sections: tuple[Section, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    calls: tuple[NoteCall, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    #: Whether fixes can be written back to the file (False for TEI and .docx: report only).
    fixable: bool = True

    @property
    def path(self) -> str:
        return self.source.path


class Form(StrEnum):
    """The kind of a citation."""

    FULL = "full"
    SHORT = "short"
    IBID = "ibid"
    ARCHIVAL = "archival"
    CROSSREF = "crossref"


class Status(StrEnum):
    """What resolution made of a citation."""

    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    BROKEN = "broken"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True)
class Locator:
    """Where in the work: ``387-91`` is pages 387 to 391.

    ``kind`` is one of page, leaf, chapter, note, passim, other. ``ranges`` are expanded
    (Chicago rule for abbreviated ranges), inclusive, one pair per item.
    ``start``/``end`` are offsets in the note's text.
    """

    text: str
    kind: str
    ranges: tuple[tuple[int, int], ...] = ()
    verso: bool = False
    start: int = 0
    end: int = 0
    label: str | None = None  # the abbreviation as printed: "pp.", "ll.", "11." (OCR), "chap."
    volume: str | None = None  # "VII" in "VII, 274"; "2" in "vol. 2, p. 185"
    notes: tuple[tuple[int, int], ...] = ()  # note numbers: 59 in "447 n. 59"
    damaged: bool = False  # the label is an OCR-damaged leaf abbreviation ("1.", "I.", "11.", "n.")


@dataclass(frozen=True, slots=True)
class Target:
    """What a cross-reference points at: ``see note 72 below``."""

    kind: str  # "note" | "document"
    number: int
    direction: str | None = None  # "above" | "below" | None


@dataclass(frozen=True, slots=True)
class ArchivalReference:
    """A parsed archival reference: ``RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47``.

    ``archive`` is None when the reference does not name it (a continuation ``and f. 124, ...``
    or an archive-level ibid); resolution fills it from context. ``tokens`` keeps every field's
    abbreviation as printed with its offsets in the note text: ``(field, printed, start, end)``.
    """

    archive: str | None
    fond: str | None
    opis: str | None
    unit_kind: str | None  # "d" (delo) | "ed. khr." (storage unit) | None
    unit: str | None
    leaves: tuple[tuple[int, int], ...] = ()
    verso: bool = False
    date: str | None = None
    tokens: tuple[tuple[str, str, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class CitationFields:
    """The parsed parts of a citation; which are set depends on the form."""

    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    place: str | None = None
    publisher: str | None = None
    year: str | None = None
    date: str | None = None
    thesis: str | None = None
    institution: str | None = None
    unpublished: bool = False
    reprint: str | None = None
    signal: str | None = None  # "see", "see also", "cf.", "my", "quoted in", ...
    convention: str | None = None  # "op. cit." | "loc. cit." | "idem" for older short forms
    damaged: str | None = None  # an OCR-damaged ibid as printed ("lbid.")
    declares: str | None = None  # an abbreviation the citation declares ("henceforth X")
    missing_comma: bool = False
    archival: ArchivalReference | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    short_title: str | None = None  # the title without its subtitle (full) or as printed (short)


@dataclass(frozen=True, slots=True)
class Citation:
    """One citation inside a note, with its exact span and parsed fields.

    ``start``/``end`` are offsets in the note's text; ``span`` is their source position.
    ``id`` is stable within a report: ``n5c1`` is the first citation of the note with index 5.
    """

    id: str
    note_index: int
    form: Form
    text: str
    start: int
    end: int
    span: Span
    fields: CitationFields = field(default_factory=CitationFields)
    locator: Locator | None = None
    target: Target | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a note: a citation or commentary. A note's segments concatenate to its text."""

    kind: str  # "citation" | "commentary" | "separator"
    start: int
    end: int
    citation: Citation | None = None


@dataclass(frozen=True, slots=True)
class Name:
    """A personal name from a bibliography, split the BibTeX way."""

    first: str
    last: str
    von: str = ""
    jr: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """One bibliography entry; ``entry_type`` uses the biblatex names (thesis, not phdthesis).

    ``fields`` maps lower-case field names to their values with the outer braces removed.
    """

    key: str
    entry_type: str
    fields: Mapping[str, str]
    span: Span
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    translators: tuple[Name, ...] = ()

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @property
    def year(self) -> str:
        return self.fields.get("year", "") or self.fields.get("date", "")[:4]


@dataclass(frozen=True, slots=True)
class CitationResolution:
    """What the resolver decided about one citation (the contract's key/status/... fields)."""

    key: str | None
    status: Status
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    antecedent: str | None = None


UNRESOLVED = CitationResolution(key=None, status=Status.UNRESOLVED)


@dataclass
class Resolution:
    """The resolver's output for one edition."""

    citations: dict[str, CitationResolution] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    used_keys: set[str] = field(default_factory=set)
    suggested_entries: list[str] = field(default_factory=list)  # BibTeX for `suggest-bib`

    def of(self, citation: Citation) -> CitationResolution:
        return self.citations.get(citation.id, UNRESOLVED)


@dataclass(frozen=True, slots=True)
class ArchivalFile:
    """A summary line: one archival file and how it is cited."""

    key: str | None
    archive: str | None
    fond: str | None
    opis: str | None
    unit: str | None
    citations: int
    leaves: str
    unit_kind: str | None = None  # "d" | "ed. khr." (the kind of ``unit``)
