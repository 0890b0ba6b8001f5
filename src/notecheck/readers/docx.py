"""Stage read: Word .docx endnotes and footnotes to notes, from the zip's XML parts, read safely.

python-docx has no notes API, so the parts are read directly: the main document (found through
``_rels/.rels``, normally ``word/document.xml``), its ``endnotes``/``footnotes`` parts and
``settings`` (found through ``word/_rels/document.xml.rels``, normally ``word/endnotes.xml`` and
``word/footnotes.xml``). Every XML part goes through the safe parser of :mod:`notecheck.readers.tei`.

Numbering is Word's: notes are numbered in the order their references appear in the document,
from ``w:numStart`` (default 1), labelled in ``w:numFmt`` (Word's defaults: endnotes ``i, ii,
iii``, footnotes ``1, 2, 3``; a custom reference mark is the label and takes no number).
Separator and continuation notes (``w:type``) are not notes. The paragraph of the main document
that calls each note is recorded as ``Note.document_paragraph`` (1-based, counting the
document's paragraphs in order, table paragraphs included, text boxes left out).

Positions follow the contract: ``Source.text`` is a virtual text with one line per paragraph of
the notes part (all its paragraphs, separators included, so line N is paragraph N), and column
is 1 + the code-point offset in that paragraph. Word's automatic reference mark at the start of
a note is shown in the virtual text as its label (``label_span``). Tabs read as ``\\t``, line and
page breaks as a space, non-breaking hyphens as ``-``; deleted revisions, field codes and text
boxes are left out. When both parts hold notes, the endnotes come first and the footnotes'
lines continue after the endnotes part's last paragraph (NC162). A .docx is reported on only
(``Edition.fixable`` is False).

Zip bombs and damaged files: a part over 64 MiB, a compression ratio over 200 on a part over
1 MiB, or over 256 MiB in all parts read is refused (NC156); a file that is not a zip, a damaged
archive or a missing main document is NC155; malformed or hostile XML is NC154/NC153.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field

from notecheck.models import Diagnostic, Edition, Note, Source
from notecheck.readers import TextBuilder
from notecheck.readers.tei import XmlProblem, parse_xml
from notecheck.rules.reading import (
    DOCX_CORRUPT,
    DOCX_MIXED_NOTES,
    DOCX_NOTE_MISSING,
    DOCX_NOTE_UNCALLED,
    DOCX_TOO_LARGE,
    NO_NOTES,
    XML_MALFORMED,
    XML_UNSAFE,
)

MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024

_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_STRICT_RELATIONSHIP = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Subtrees whose text Word does not show as note text.
_HIDDEN = frozenset({"del", "moveFrom", "txbxContent", "Fallback", "instrText", "delText"})
_TRUE = frozenset({"1", "true", "on"})
_DEFAULT_FORMAT = {"endnote": "lowerRoman", "footnote": "decimal"}
_KINDS = ("endnote", "footnote")


class _Unreadable(Exception):
    """The archive cannot be read; ``rule`` says which diagnostic."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule, self.reason = rule, reason


@dataclass
class _Reference:
    kind: str  # "endnote" | "footnote"
    id: str
    paragraph: int  # 1-based paragraph of the main document
    custom: bool
    mark: list[str] = field(default_factory=list)  # a custom mark's text


@dataclass
class _Numbering:
    """``w:endnotePr``/``w:footnotePr``: where numbers start and how they are written."""

    start: dict[str, int] = field(default_factory=dict)
    format: dict[str, str] = field(default_factory=dict)


@dataclass
class _PartNote:
    kind: str
    id: str
    type: str  # "" for a real note; separator, continuationSeparator, continuationNotice
    first: int  # 0-based paragraph index in the part
    last: int = -1
    mark: tuple[int, int, int] | None = None  # (paragraph, start column, end column) of the mark


def read_bytes(data: bytes, path: str) -> Edition:
    """Read a .docx file's bytes into an edition of its endnotes and footnotes.

    Never raises for the content: a corrupt archive, a zip bomb, a missing part or malformed or
    hostile XML is a diagnostic on an edition without notes (or with the notes read so far).
    """
    try:
        return _read_archive(data, path)
    except _Unreadable as unreadable:
        source = Source(path, "")
        rule = DOCX_TOO_LARGE if unreadable.rule == "too-large" else DOCX_CORRUPT
        diagnostic = rule.at(source.span(0, 0), path=path, reason=unreadable.reason)
        return Edition(source=source, format="docx", notes=(), diagnostics=(diagnostic,), fixable=False)


def _read_archive(data: bytes, path: str) -> Edition:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        if data.startswith(_OLE_MAGIC):
            reason = "it is an old binary Word file (.doc), not a zip archive"
        elif not data:
            reason = "the file is empty"
        else:
            reason = f"it is not a zip archive ({error})"
        raise _Unreadable("corrupt", reason) from None
    with archive:
        return _read_parts(_Parts(archive), path)


class _Parts:
    """The archive's parts, read under the zip-bomb limits."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {info.filename.lstrip("/"): info for info in archive.infolist()}
        self.read_total = 0

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        info = self.names[name]
        if info.file_size > MAX_PART_BYTES:
            raise _Unreadable("too-large", f"{name} would expand to {info.file_size:,} bytes")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise _Unreadable("too-large", f"{name} is compressed {ratio:,.0f} to 1")
        if self.read_total + info.file_size > MAX_TOTAL_BYTES:
            raise _Unreadable(
                "too-large", f"the parts read would expand to more than {MAX_TOTAL_BYTES:,} bytes"
            )
        try:
            with self.archive.open(info) as stream:
                data = stream.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise _Unreadable("corrupt", f"{name} is damaged ({error})") from None
        except NotImplementedError as error:
            raise _Unreadable("corrupt", f"{name} uses an unsupported compression ({error})") from None
        except RuntimeError as error:  # encrypted
            raise _Unreadable("corrupt", f"{name} cannot be read ({error})") from None
        if len(data) > MAX_PART_BYTES:
            raise _Unreadable("too-large", f"{name} expands beyond {MAX_PART_BYTES:,} bytes")
        self.read_total += len(data)
        return data


@dataclass
class _PartProblem:
    part: str
    problem: XmlProblem


def _read_parts(parts: _Parts, path: str) -> Edition:
    problems: list[_PartProblem] = []
    main = _main_document(parts, problems)
    if not parts.has(main):
        raise _Unreadable("corrupt", f"it has no main document part ({main})")
    related = _related_parts(parts, main, problems)
    numbering = _Numbering()
    settings = related.get("settings")
    if settings and parts.has(settings):
        problem = parse_xml(parts.read(settings), _NumberingScan(numbering))
        if problem is not None:
            problems.append(_PartProblem(settings, problem))
    document = _DocumentScan(numbering)
    document_problem = parse_xml(parts.read(main), document)
    if document_problem is not None:
        problems.append(_PartProblem(main, document_problem))
    if any(p.problem.kind == "unsafe" for p in problems):
        return _refused(path, problems)
    labels = _number(document.references, numbering)
    scans: list[tuple[str, str, _NotesScan]] = []
    for kind in _KINDS:
        name = related.get(kind + "s") or f"word/{kind}s.xml"
        if not parts.has(name):
            continue
        scan = _NotesScan(kind, {ref_id: label for (k, ref_id), (_, label) in labels.items() if k == kind})
        problem = parse_xml(parts.read(name), scan)
        if problem is not None:
            problems.append(_PartProblem(name, problem))
            if problem.kind == "unsafe":
                return _refused(path, problems)
        scans.append((kind, name, scan))
    return _assemble(path, main, document, labels, scans, problems, document_problem is None)


def _main_document(parts: _Parts, problems: list[_PartProblem]) -> str:
    """The main document part named by ``_rels/.rels`` (``word/document.xml`` by default)."""
    if parts.has("_rels/.rels"):
        found = _Relationships()
        problem = parse_xml(parts.read("_rels/.rels"), found)
        if problem is not None:
            problems.append(_PartProblem("_rels/.rels", problem))
        target = found.targets.get("officeDocument")
        if target:
            return posixpath.normpath(target.lstrip("/"))
    return "word/document.xml"


def _related_parts(parts: _Parts, main: str, problems: list[_PartProblem]) -> dict[str, str]:
    """Relationship type -> part name for the main document (endnotes, footnotes, settings)."""
    folder, name = posixpath.split(main)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if not parts.has(rels):
        return {}
    found = _Relationships()
    problem = parse_xml(parts.read(rels), found)
    if problem is not None:
        problems.append(_PartProblem(rels, problem))
    resolved: dict[str, str] = {}
    for kind, target in found.targets.items():
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        resolved[kind] = posixpath.normpath(joined)
    return resolved


class _Handler:
    """Defaults for the XML handler protocol."""

    def start(self, name: str, attributes: dict[str, str], offset: int) -> None:
        pass

    def end(self, name: str, offset: int) -> None:
        pass

    def text(self, data: str, offset: int) -> None:
        pass

    def skipped_entity(self, name: str, offset: int) -> None:
        pass


class _Relationships(_Handler):
    def __init__(self) -> None:
        self.targets: dict[str, str] = {}

    def start(self, name: str, attributes: dict[str, str], offset: int) -> None:
        if name != "Relationship" or attributes.get("TargetMode") == "External":
            return
        kind = attributes.get("Type", "")
        for prefix in (_RELATIONSHIP, _STRICT_RELATIONSHIP):
            if kind.startswith(prefix):
                self.targets.setdefault(kind[len(prefix) :], attributes.get("Target", ""))


class _NumberingScan(_Handler):
    """Reads ``w:endnotePr``/``w:footnotePr`` (in settings or a section's properties)."""

    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.kind: str | None = None

    def start(self, name: str, attributes: dict[str, str], offset: int) -> None:
        if name in ("endnotePr", "footnotePr"):
            self.kind = name[: -len("Pr")]
        elif self.kind is not None and name == "numFmt" and attributes.get("val"):
            self.numbering.format[self.kind] = attributes["val"]
        elif self.kind is not None and name == "numStart" and attributes.get("val", "").isdigit():
            self.numbering.start[self.kind] = int(attributes["val"])

    def end(self, name: str, offset: int) -> None:
        if name in ("endnotePr", "footnotePr"):
            self.kind = None


class _DocumentScan(_NumberingScan):
    """Counts the main document's paragraphs and collects note references in order."""

    def __init__(self, numbering: _Numbering) -> None:
        super().__init__(numbering)
        self.paragraph = 0
        self.references: list[_Reference] = []
        self.hidden_depth: int | None = None
        self.depth = 0
        self.custom: _Reference | None = None
        self.in_text = False

    def start(self, name: str, attributes: dict[str, str], offset: int) -> None:
        self.depth += 1
        if self.hidden_depth is not None:
            return
        if name in _HIDDEN:
            self.hidden_depth = self.depth
            return
        super().start(name, attributes, offset)
        if name == "p":
            self.paragraph += 1
        elif name in ("endnoteReference", "footnoteReference"):
            custom = attributes.get("customMarkFollows", "").lower() in _TRUE
            reference = _Reference(
                name[: -len("Reference")], attributes.get("id", ""), self.paragraph, custom
            )
            self.references.append(reference)
            self.custom = reference if custom else None
        elif name == "t":
            self.in_text = True

    def end(self, name: str, offset: int) -> None:
        if self.hidden_depth == self.depth:
            self.hidden_depth = None
        self.depth -= 1
        super().end(name, offset)
        if name == "t":
            self.in_text = False
        elif name == "r":
            self.custom = None

    def text(self, data: str, offset: int) -> None:
        if self.custom is not None and self.in_text and self.hidden_depth is None:
            self.custom.mark.append(data)


class _NotesScan(_Handler):
    """Collects a notes part's paragraphs (one virtual line each) and its notes."""

    def __init__(self, kind: str, labels: dict[str, str]) -> None:
        self.kind = kind
        self.labels = labels
        self.paragraphs: list[list[str]] = []
        self.notes: list[_PartNote] = []
        self.note: _PartNote | None = None
        self.stack: list[str] = []
        self.hidden_depth: int | None = None
        self.in_paragraph = False
        self.in_text = False

    def _put(self, text: str) -> None:
        if self.in_paragraph:
            self.paragraphs[-1].append(text)

    def _column(self) -> int:
        return sum(len(part) for part in self.paragraphs[-1]) if self.paragraphs else 0

    def start(self, name: str, attributes: dict[str, str], offset: int) -> None:
        self.stack.append(name)
        if self.hidden_depth is not None:
            return
        if name in _HIDDEN:
            self.hidden_depth = len(self.stack)
            return
        parent = self.stack[-2] if len(self.stack) > 1 else ""
        if name == self.kind and parent == self.kind + "s":
            note_type = attributes.get("type", "")
            self.note = _PartNote(self.kind, attributes.get("id", ""), note_type, len(self.paragraphs))
        elif name == "p":
            self.paragraphs.append([])
            self.in_paragraph = True
        elif name == "t":
            self.in_text = True
        elif parent != "r":
            return
        elif name == "tab":
            self._put("\t")
        elif name in ("br", "cr"):
            self._put(" ")
        elif name == "noBreakHyphen":
            self._put("-")
        elif name == "sym":
            self._put(_symbol(attributes.get("char", "")))
        elif name == self.kind + "Ref" and self.note is not None and self.in_paragraph:
            label = self.labels.get(self.note.id, "")
            column = self._column()
            self._put(label)
            if self.note.mark is None:
                self.note.mark = (len(self.paragraphs) - 1, column, column + len(label))

    def end(self, name: str, offset: int) -> None:
        if self.hidden_depth == len(self.stack):
            self.hidden_depth = None
        self.stack.pop()
        if name == "t":
            self.in_text = False
        elif name == "p" and self.hidden_depth is None:
            self.in_paragraph = False
        elif name == self.kind and self.note is not None and self.hidden_depth is None:
            self.note.last = len(self.paragraphs) - 1
            self.notes.append(self.note)
            self.note = None

    def text(self, data: str, offset: int) -> None:
        if self.in_text and self.hidden_depth is None:
            self._put(data.replace("\r\n", " ").replace("\r", " ").replace("\n", " "))


def _symbol(code: str) -> str:
    """The character of a ``w:sym`` (symbol fonts use the private area F000-F0FF)."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:
        value -= 0xF000
    return chr(value) if 0 < value < 0x110000 else ""


def _number(
    references: list[_Reference], numbering: _Numbering
) -> dict[tuple[str, str], tuple[int | None, str]]:
    """(kind, id) -> (number, label) the way Word numbers notes: by reference order."""
    counters = {kind: numbering.start.get(kind, 1) for kind in _KINDS}
    numbered: dict[tuple[str, str], tuple[int | None, str]] = {}
    for reference in references:
        key = (reference.kind, reference.id)
        if key in numbered:
            continue
        if reference.custom:
            numbered[key] = (None, "".join(reference.mark).strip())
            continue
        number = counters[reference.kind]
        counters[reference.kind] += 1
        style = numbering.format.get(reference.kind, _DEFAULT_FORMAT[reference.kind])
        numbered[key] = (number, format_number(number, style))
    return numbered


def format_number(number: int, style: str) -> str:
    """A note number as Word prints it in ``w:numFmt`` ``style`` (decimal for unknown styles)."""
    if style in ("lowerRoman", "upperRoman"):
        roman = _roman(number)
        return roman if style == "upperRoman" else roman.lower()
    if style in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1) if number > 0 else str(number)
        return letter.upper() if style == "upperLetter" else letter
    if style == "chicago":
        symbols = "*†‡§"
        return symbols[(number - 1) % 4] * ((number - 1) // 4 + 1) if number > 0 else str(number)
    if style == "numberInDash":
        return f"- {number} -"
    return str(number)


def _roman(number: int) -> str:
    if not 0 < number < 4000:
        return str(number)
    values = (
        *((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")),
        *((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")),
    )
    digits: list[str] = []
    for value, letters in values:
        while number >= value:
            digits.append(letters)
            number -= value
    return "".join(digits)


def _refused(path: str, problems: list[_PartProblem]) -> Edition:
    source = Source(path, "")
    diagnostics = tuple(_problem_diagnostic(source, p, "no notes were read") for p in problems)
    return Edition(source=source, format="docx", notes=(), diagnostics=diagnostics, fixable=False)


def _problem_diagnostic(source: Source, found: _PartProblem, consequence: str) -> Diagnostic:
    span = source.span(0, 0)
    problem = found.problem
    where = f"{source.path}:{found.part}"
    if problem.kind == "unsafe":
        return XML_UNSAFE.at(span, part=where, what=problem.reason)
    reason = f"{problem.reason} at line {problem.line}, column {problem.column}"
    return XML_MALFORMED.at(span, part=where, reason=reason, consequence=consequence)


def _assemble(
    path: str,
    main: str,
    document: _DocumentScan,
    labels: dict[tuple[str, str], tuple[int | None, str]],
    scans: list[tuple[str, str, _NotesScan]],
    problems: list[_PartProblem],
    document_complete: bool,
) -> Edition:
    # Only a part that holds real notes (not just Word's separators) is a notes part.
    real_parts = [(kind, name, scan) for kind, name, scan in scans if any(not n.type for n in scan.notes)]
    lines: list[str] = []
    offsets: dict[str, int] = {}  # part kind -> line index where its paragraphs start
    for kind, _, scan in real_parts:
        offsets[kind] = len(lines)
        lines.extend("".join(parts) for parts in scan.paragraphs)
    source = Source(path, "\n".join(lines))
    starts = source.line_starts
    diagnostics: list[Diagnostic] = [_problem_diagnostic(source, p, "notes may be missing") for p in problems]
    called: list[tuple[int, Note]] = []
    uncalled: list[Note] = []
    if len(real_parts) > 1:
        first_line = offsets[real_parts[1][0]] + 1
        diagnostics.append(DOCX_MIXED_NOTES.at(source.span(0, 0), path=path, first_line=first_line))
    paragraphs = {(r.kind, r.id): r.paragraph for r in document.references}
    order = {
        key: position
        for position, key in enumerate(dict.fromkeys((r.kind, r.id) for r in document.references))
    }
    for kind, name, scan in real_parts:
        base = offsets[kind]
        present: set[str] = set()
        for part_note in scan.notes:
            if part_note.type:
                continue
            present.add(part_note.id)
            key = (kind, part_note.id)
            number, label = labels.get(key, (None, ""))
            note = _note(source, starts, base, part_note, number, label, paragraphs.get(key))
            if key in order:
                called.append((order[key], note))
            elif document_complete:
                uncalled.append(note)
                span = note.label_span
                diagnostics.append(DOCX_NOTE_UNCALLED.at(span, kind=kind, id=part_note.id, part=name))
            else:
                uncalled.append(note)
        for reference in document.references:
            if reference.kind == kind and reference.id not in present:
                diagnostics.append(
                    DOCX_NOTE_MISSING.at(
                        source.span(0, 0),
                        paragraph=reference.paragraph,
                        kind=kind,
                        id=reference.id,
                        part=name,
                    )
                )
    missing_parts = set(_KINDS) - {kind for kind, _, _ in real_parts}
    part_names = {kind: name for kind, name, _ in scans}
    for reference in document.references:
        if reference.kind in missing_parts:
            diagnostics.append(
                DOCX_NOTE_MISSING.at(
                    source.span(0, 0),
                    paragraph=reference.paragraph,
                    kind=reference.kind,
                    id=reference.id,
                    part=part_names.get(
                        reference.kind, f"{posixpath.dirname(main)}/{reference.kind}s.xml (absent)"
                    ),
                )
            )
    ordered = [note for _, note in sorted(called, key=lambda pair: pair[0])] + uncalled
    notes = tuple(_reindex(note, index) for index, note in enumerate(ordered, start=1))
    if not notes and not problems:
        diagnostics.append(NO_NOTES.at(source.span(0, 0), path=path))
    return Edition(source=source, format="docx", notes=notes, diagnostics=tuple(diagnostics), fixable=False)


def _note(
    source: Source,
    starts: tuple[int, ...],
    base: int,
    part_note: _PartNote,
    number: int | None,
    label: str,
    paragraph: int | None,
) -> Note:
    first = min(base + part_note.first, len(starts) - 1)
    last = max(first, min(base + part_note.last, len(starts) - 1))
    start = starts[first]
    end = starts[last + 1] - 1 if last + 1 < len(starts) else len(source.text)
    if part_note.mark is not None:
        mark_line, mark_start, mark_end = part_note.mark
        mark_offset = starts[min(base + mark_line, len(starts) - 1)]
        label_span = source.span(mark_offset + mark_start, mark_offset + mark_end)
        start = max(start, mark_offset + mark_end)
    else:
        label_span = source.span(start, start)
    builder = TextBuilder(source.text)
    builder.keep(start, end)
    text, text_map = builder.build()
    return Note(
        index=0,
        number=number,
        label=label,
        text=text,
        source=source,
        text_map=text_map,
        line=first + 1,
        end_line=last + 1,
        label_span=label_span,
        document_paragraph=paragraph,
    )


def _reindex(note: Note, index: int) -> Note:
    from dataclasses import replace

    return replace(note, index=index)
