"""Stage read: TEI XML ``<note>`` elements to notes, parsed safely, positions in the XML file.

Every ``<note>`` of the ``<text>`` whose ``@place`` is a foot- or endnote (``end``, ``foot``,
``bottom``, or none) is a note; margin and other notes are kept as skipped spans. ``@n`` is the
label as printed (``number`` is ``@n`` read as an integer, else the note's position). The note's
text is its character data with tags removed (``<bibl>``, ``<title>``, ``<ref target>`` read as
their text); ``<sic>``/``<orig>``/``<abbr>`` inside ``<choice>``, ``<del>``, ``<rdg>`` and
``<fw>`` are left out; a whitespace run that contains a line end (XML indentation) reads as one
space, as does an ``<lb/>`` or a paragraph boundary.

Note calls: a note inside the body is called where it stands. A note kept apart (in ``<back>``, as
a print edition's endnotes are encoded) is called by the body's ``<ref>``/``<ptr>`` whose
``@target`` names its ``xml:id`` (``<ref target="#n3">3</ref>``), or at the ``<anchor>`` its own
``@target`` names (``<note target="#a3">``).

Positions: every note character maps to the XML file where the parser reports its text
(``&amp;``, ``&#8211;`` and CDATA map to the reference or section in the file). The TEI is read
for reporting only (``Edition.fixable`` is False).

Safe parsing (:func:`parse_xml`, shared with the .docx reader): expat with entity declarations
refused (internal ones are how 'billion laughs' expansion bombs work; external ones read files
or URLs), external entity references refused, parameter entities and external DTDs never loaded,
and no network access at all. A hostile or malformed file gets a diagnostic (NC153, NC154).
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise
from typing import Protocol
from xml.parsers import expat

from notecheck.models import Diagnostic, Edition, Note, NoteCall, Section, Skipped, Source
from notecheck.readers import TextBuilder
from notecheck.readers.decode import decode
from notecheck.rules.reading import NO_NOTES, XML_ENTITY_UNEXPANDED, XML_MALFORMED, XML_UNSAFE

NOTE_PLACES = frozenset({"", "end", "foot", "bottom", "endnote", "footnote"})
_EXCLUDED = frozenset({"del", "rdg", "fw", "teiHeader"})
_EXCLUDED_IN_CHOICE = frozenset({"sic", "orig", "abbr"})
_MILESTONES = frozenset({"lb", "cb", "pb"})  # a break where they stand, unless break="no"
_BLOCKS = frozenset({"p", "ab", "lg", "l", "item", "list"})  # a break where they start and end
_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_START_TAG = re.compile(r"""<[^\s>/]+(?:\s+[^\s=>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")
_RUNS = re.compile(r"\s+|\S+")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[^\s&;<>]+);")
_N_ATTRIBUTE = re.compile(r"""\sn\s*=\s*(["'])(.*?)\1""")
_DOCUMENT_HEADING = re.compile(r"document\s+(\d+)\b", re.IGNORECASE)
_NOTES_HEADING = re.compile(r"(end)?notes\.?$", re.IGNORECASE)


class XmlHandler(Protocol):
    """What :func:`parse_xml` calls; names are local (namespace removed), offsets are bytes."""

    def start(self, name: str, attributes: dict[str, str], offset: int) -> None: ...

    def end(self, name: str, offset: int) -> None: ...

    def text(self, data: str, offset: int) -> None: ...

    def skipped_entity(self, name: str, offset: int) -> None: ...


@dataclass(frozen=True)
class XmlProblem:
    """Why an XML document was not read: ``unsafe`` (NC153) or ``malformed`` (NC154)."""

    kind: str
    reason: str
    offset: int  # byte offset in the parsed data
    line: int  # 1-based, as expat counts
    column: int  # 1-based, as expat counts (characters)


class _Refused(Exception):
    def __init__(self, reason: str, offset: int, line: int, column: int) -> None:
        super().__init__(reason)
        self.reason, self.offset, self.line, self.column = reason, offset, line, column


def parse_xml(data: bytes, handler: XmlHandler, *, encoding: str | None = None) -> XmlProblem | None:
    """Parse ``data`` with expat, safely, calling ``handler``; the problem, or None if read.

    Entity declarations (internal or external, general or parameter) and external entity
    references are refused before anything is expanded or fetched; parameter entities and
    external DTD subsets are never parsed; a reference to an entity the parser cannot know (it
    would be declared in an external DTD) goes to ``handler.skipped_entity`` unexpanded.

    Args:
        data: the XML bytes.
        handler: receives start/end tags, character data and skipped entities, with byte offsets.
        encoding: overrides the document's declared encoding (None: as declared, else UTF-8).
    """
    parser = expat.ParserCreate(encoding, namespace_separator="\x1f")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(reason: str) -> None:
        raise _Refused(
            reason, parser.CurrentByteIndex, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        )

    def entity_declared(
        name: str,
        is_parameter: int,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        kind = "a parameter entity" if is_parameter else "an entity"
        if system_id is not None or public_id is not None:
            where = system_id or public_id
            refuse(f"{kind.replace('an e', 'an external e').replace('a p', 'an external p')} "
                   f"{name!r} ({where!r}), which would read a file or the network")  # fmt: skip
        refuse(f"{kind} {name!r}; entity declarations are how 'billion laughs' expansion bombs work")

    def unparsed_entity(
        name: str, base: str | None, system_id: str, public_id: str | None, notation: str
    ) -> None:
        refuse(f"an unparsed external entity {name!r} ({system_id!r})")

    def external_reference(
        context: str, base: str | None, system_id: str | None, public_id: str | None
    ) -> int:
        refuse(f"a reference to the external entity {system_id!r}")
        return 0

    def local(name: str) -> str:
        return name.rsplit("\x1f", 1)[-1]

    parser.EntityDeclHandler = entity_declared
    parser.UnparsedEntityDeclHandler = unparsed_entity
    parser.ExternalEntityRefHandler = external_reference
    parser.StartElementHandler = lambda name, attributes: handler.start(
        local(name), {local(k): v for k, v in attributes.items()}, parser.CurrentByteIndex
    )
    parser.EndElementHandler = lambda name: handler.end(local(name), parser.CurrentByteIndex)
    parser.CharacterDataHandler = lambda data: handler.text(data, parser.CurrentByteIndex)
    parser.SkippedEntityHandler = lambda name, is_parameter: handler.skipped_entity(
        name, parser.CurrentByteIndex
    )
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return XmlProblem("unsafe", refused.reason, refused.offset, refused.line, refused.column)
    except expat.ExpatError as error:
        reason = expat.errors.messages.get(error.code, str(error)) if error.code else str(error)
        return XmlProblem("malformed", reason, parser.ErrorByteIndex, error.lineno, error.offset + 1)
    except RecursionError:
        return XmlProblem("malformed", "elements nested too deeply", parser.CurrentByteIndex, 1, 1)
    return None


def decode_xml(data: bytes, path: str) -> tuple[Source, tuple[Diagnostic, ...], bool]:
    """Decode an XML file: a BOM or the declared encoding first, else notecheck's decoder.

    Returns the source, the decoding diagnostics and whether the file looked binary.
    """
    declared = _DECLARATION.match(data[:512])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = declared.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = ""
        if codec and codec not in ("utf-8", "utf-16", "utf-32"):
            try:
                return Source(path, data.decode(codec), codec), (), False
            except UnicodeDecodeError:
                pass
    decoded = decode(data, path)
    return decoded.source, decoded.diagnostics, decoded.binary


def read_bytes(data: bytes, path: str) -> Edition:
    """Read a TEI file's bytes (see :func:`read_source`)."""
    source, diagnostics, binary = decode_xml(data, path)
    if binary:
        return Edition(source=source, format="tei", notes=(), diagnostics=diagnostics, fixable=False)
    edition = read_source(source)
    return replace(edition, diagnostics=diagnostics + edition.diagnostics) if diagnostics else edition


def read_source(source: Source) -> Edition:
    """Read the notes of a decoded TEI file.

    Args:
        source: the TEI file's text.

    Returns:
        The edition (format ``tei``, not fixable); a hostile or malformed file yields the notes
        read before the problem (none for a refused file) and NC153/NC154.
    """
    text = source.text
    data = text.encode("utf-8")
    reader = _TeiReader(source, _ByteMap(text, data))
    problem = parse_xml(data, reader, encoding="UTF-8")
    diagnostics = list(reader.diagnostics)
    notes = reader.notes
    if problem is not None:
        at = reader.offsets.char(problem.offset)
        span = source.span(at, min(at + 1, len(text)))
        if problem.kind == "unsafe":
            notes = []
            diagnostics.append(XML_UNSAFE.at(span, part=source.path, what=problem.reason))
        else:
            consequence = f"{len(notes)} notes were read before it" if notes else "no notes were read"
            reason = f"{problem.reason} at line {problem.line}, column {problem.column}"
            diagnostics.append(
                XML_MALFORMED.at(span, part=source.path, reason=reason, consequence=consequence)
            )
    elif not notes:
        diagnostics.append(NO_NOTES.at(source.span(0, 0), path=source.path))
    reader.call_detached_notes()
    return Edition(
        source=source,
        format="tei",
        notes=tuple(notes),
        sections=tuple(reader.sections),
        skipped=tuple(reader.skipped),
        calls=tuple(reader.calls) if problem is None or problem.kind != "unsafe" else (),
        diagnostics=tuple(diagnostics),
        fixable=False,
    )


class _ByteMap:
    """Byte offsets of the UTF-8 encoding of ``text`` back to character offsets."""

    def __init__(self, text: str, data: bytes) -> None:
        self._ascii = len(text) == len(data)
        self._starts: list[int] = []
        if not self._ascii:
            widths = (1 if c < "\x80" else 2 if c < "\u0800" else 3 if c < "\U00010000" else 4 for c in text)
            self._starts = list(accumulate(widths, initial=0))

    def char(self, byte_offset: int) -> int:
        if self._ascii:
            return byte_offset
        return max(0, bisect_right(self._starts, byte_offset) - 1)


@dataclass
class _OpenNote:
    start: int  # char offset of "<note"
    attributes: dict[str, str]
    depth: int  # element depth of the note
    in_body: bool
    builder: TextBuilder
    pending: list[tuple[int, int]] = field(default_factory=list)  # whitespace pieces not yet put


@dataclass
class _TeiReader:
    """The expat handler that collects notes, headings and skipped notes."""

    source: Source
    offsets: _ByteMap
    notes: list[Note] = field(default_factory=list)
    calls: list[NoteCall] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    note: _OpenNote | None = None
    excluded_depth: int | None = None
    head: tuple[int, int, list[str]] | None = None  # (depth, line, text parts)
    in_back: bool = False
    pointers: list[tuple[str, int]] = field(default_factory=list)  # body <ref>/<ptr>: (id, offset)
    anchors: dict[str, int] = field(default_factory=dict)  # body <anchor xml:id>: offset
    detached: list[tuple[Note, str, str]] = field(default_factory=list)  # (note, xml:id, @target)

    def start(self, name: str, attributes: dict[str, str], offset: int) -> None:
        at = self.offsets.char(offset)
        self.stack.append(name)
        depth = len(self.stack)
        if name == "back":
            self.in_back = True
        if self.excluded_depth is None and (
            name in _EXCLUDED
            or (name in _EXCLUDED_IN_CHOICE and len(self.stack) > 1 and self.stack[-2] == "choice")
        ):
            self.excluded_depth = depth
        if self.note is not None:
            if name in _BLOCKS or (name in _MILESTONES and attributes.get("break") != "no"):
                self._whitespace(at, at)
            return
        if name == "note" and self.excluded_depth is None:
            self.note = _OpenNote(at, attributes, depth, not self.in_back, TextBuilder(self.source.text))
        elif name in ("ref", "ptr") and not self.in_back and self.excluded_depth is None:
            for target in attributes.get("target", "").split():
                if target.startswith("#"):
                    self.pointers.append((target[1:], at))
        elif name == "anchor" and not self.in_back and "id" in attributes:
            self.anchors.setdefault(attributes["id"].strip(), at)
        elif name == "head" and self.head is None and self.excluded_depth is None:
            self.head = (depth, self.source.position(at)[0], [])

    def end(self, name: str, offset: int) -> None:
        at = self.offsets.char(offset)
        depth = len(self.stack)
        if self.excluded_depth == depth:
            self.excluded_depth = None
        note = self.note
        if note is not None and depth == note.depth:
            self.note = None
            self._finish_note(note, at)
        elif note is not None and name in _BLOCKS:
            self._whitespace(at, at)
        if self.head is not None and depth == self.head[0]:
            self._finish_head()
        if name == "back":
            self.in_back = False
        self.stack.pop()

    def text(self, data: str, offset: int) -> None:
        if self.excluded_depth is not None:
            return
        at = self.offsets.char(offset)
        if self.head is not None and self.note is None:
            self.head[2].append(data)
        note = self.note
        if note is None:
            return
        text = self.source.text
        for piece_text, start, end in self._align(data, at):
            if text[start:end] != piece_text:  # a reference or a normalised line end
                if piece_text.isspace() and not text.startswith("&", start):
                    self._whitespace(start, end)
                elif piece_text.isspace():  # "&#160;", "&#32;": a space, never the reference's text
                    self._flush()
                    note.builder.put(" ", start, end)
                else:
                    self._flush()
                    note.builder.put(piece_text, start, end)
                continue
            for run in _RUNS.finditer(piece_text):
                run_start, run_end = start + run.start(), start + run.end()
                if run.group(0).isspace():
                    self._whitespace(run_start, run_end)
                else:
                    self._flush()
                    note.builder.keep(run_start, run_end)

    def skipped_entity(self, name: str, offset: int) -> None:
        at = self.offsets.char(offset)
        end = at + len(name) + 2
        note = self.note
        self.diagnostics.append(XML_ENTITY_UNEXPANDED.at(self.source.span(at, end), name=name))
        if note is not None and self.excluded_depth is None:
            self._flush()
            note.builder.keep(at, end)

    def _align(self, data: str, at: int) -> list[tuple[str, int, int]]:
        """Split a chunk of character data into runs with the file offsets they came from."""
        text = self.source.text
        reference = _REFERENCE.match(text, at)
        if reference is not None and reference.group(0) != data:  # "&amp;", "&#8211;"
            return [(data, at, reference.end())]
        if text.startswith(data, at):
            return [(data, at, at + len(data))]
        if data == "\n" and text.startswith("\r", at):  # a normalised line end
            return [(data, at, at + (2 if text.startswith("\r\n", at) else 1))]
        runs: list[tuple[str, int, int]] = []
        position = at
        for char in data:
            if text.startswith(char, position):
                runs.append((char, position, position + 1))
                position += 1
            elif char == "\n" and text.startswith("\r", position):
                width = 2 if text.startswith("\r\n", position) else 1
                runs.append((char, position, position + width))
                position += width
            else:
                runs.append((char, position, position))
        return runs

    def _whitespace(self, start: int, end: int) -> None:
        assert self.note is not None
        self.note.pending.append((start, end))

    def _flush(self) -> None:
        """Put pending whitespace: kept as it is unless it spans a line end, a tag or a break."""
        assert self.note is not None
        pending = self.note.pending
        if not pending:
            return
        text = self.source.text
        start, end = pending[0][0], pending[-1][1]
        contiguous = all(a[1] == b[0] for a, b in pairwise(pending))
        run = text[start:end]
        if contiguous and run and not any(c in run for c in "\r\n") and all(e > s for s, e in pending):
            self.note.builder.keep(start, end)
        else:
            self.note.builder.put(" ", start, end)
        pending.clear()

    def _finish_note(self, note: _OpenNote, end_tag_at: int) -> None:
        source = self.source
        text = source.text
        close = text.find(">", end_tag_at)
        element_end = close + 1 if close != -1 else end_tag_at
        note.pending.clear()  # trailing whitespace is not part of the note
        place = note.attributes.get("place", "").strip().lower()
        if place not in NOTE_PLACES:
            reason = f'note with place="{place}" is not a foot- or endnote'
            self.skipped.append(
                Skipped(source.span(note.start, element_end), reason, text[note.start : element_end])
            )
            return
        label = note.attributes.get("n", "").strip()
        number = int(label) if label.isdigit() else len(self.notes) + 1
        tag = _START_TAG.match(text, note.start)
        attribute = _N_ATTRIBUTE.search(text, note.start, tag.end()) if tag else None
        if attribute is not None:
            label_span = source.span(attribute.start(2), attribute.end(2))
        else:
            label_span = source.span(note.start, note.start + len("<note"))
        note_text, text_map = note.builder.build()
        built = Note(
            index=len(self.notes) + 1,
            number=number,
            label=label,
            text=note_text,
            source=source,
            text_map=text_map,
            line=source.position(note.start)[0],
            end_line=source.position(end_tag_at)[0],
            label_span=label_span,
        )
        self.notes.append(built)
        if note.in_body:
            self.calls.append(NoteCall(number, label, source.span(note.start, note.start + len("<note"))))
        else:
            target = note.attributes.get("target", "").split()
            self.detached.append((built, note.attributes.get("id", "").strip(), target[0] if target else ""))

    def call_detached_notes(self) -> None:
        """Calls for the notes kept apart: the body's pointer to the note, or the note's anchor."""
        if not self.detached:
            return
        first_pointer: dict[str, int] = {}
        for pointed, offset in self.pointers:
            first_pointer.setdefault(pointed, offset)
        text = self.source.text
        for note, note_id, target in self.detached:
            at = first_pointer.get(note_id) if note_id else None
            if at is None and target.startswith("#"):
                at = self.anchors.get(target[1:])
            if at is None or note.number is None:
                continue
            tag = _START_TAG.match(text, at)
            end = tag.end() if tag else at + 1
            self.calls.append(NoteCall(note.number, note.label, self.source.span(at, end)))
        self.calls.sort(key=lambda call: (call.span.line, call.span.column))

    def _finish_head(self) -> None:
        assert self.head is not None
        _, line, parts = self.head
        self.head = None
        title = " ".join("".join(parts).split())
        if not title:
            return
        document = _DOCUMENT_HEADING.match(title)
        if document:
            self.sections.append(Section("document", title, int(document.group(1)), line))
        elif _NOTES_HEADING.match(title):
            self.sections.append(Section("notes", title, None, line))
        else:
            self.sections.append(Section("body", title, None, line))
