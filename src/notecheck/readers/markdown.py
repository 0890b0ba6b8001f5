"""Stage read: Markdown with pandoc footnotes to notes whose every character maps into the file.

Read as pandoc reads them:

* definitions ``[^label]: text`` at a line start (up to three spaces in), continued by lines
  indented four spaces or a tab (several paragraphs, blank lines between) and by lazy
  continuation lines of the same paragraph;
* references ``[^label]`` in the body; inline notes ``^[text]`` (brackets may nest);
* notes are numbered in the order of their first reference (inline notes count in place), and
  the label is kept as printed (``[^zelnik]`` has label ``zelnik`` and its ``label_span`` covers
  ``zelnik``; an inline note's label is its number, its span the whole ``^[...]``).

Inline markup in a note is reduced to the text pandoc prints: emphasis markers ``*``/``_`` and
code backticks are left out, ``[text](url)`` reads as ``text``, backslash escapes as the escaped
character, and (pandoc's smart typography) ``--`` as ``–`` and ``---`` as ``—``. Every character
of a note still maps to the file (``Note.text_map``): removed markup is a gap, a replacement is
one piece. Fenced code blocks and code spans are never searched for references.

If a file has no pandoc footnotes at all, it is read with the plain-text reader (notes as a
numbered list), keeping the format ``markdown``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

from notecheck.models import Diagnostic, Edition, Note, NoteCall, Section, Skipped, Source, Span
from notecheck.readers import TextBuilder
from notecheck.rules.reading import FOOTNOTE_DUPLICATE, FOOTNOTE_UNDEFINED, FOOTNOTE_UNUSED

_DEFINITION = re.compile(r" {0,3}\[\^([^\]\s]+)\]:[ \t]?")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_BLOCK_START = re.compile(r" {0,3}(#{1,6}[ \t]|`{3,}|~{3,}|\[\^[^\]\s]+\]:)")
_LINE_END = re.compile(r"\r\n|\r|\n")
_BODY_SPECIAL = re.compile(r"[\\`]|\^\[|\[\^")
_INLINE_SPECIAL = re.compile(r"[\\`*_\[<-]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+|[^\s<>@]+@[^\s<>@]+)>")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_DOCUMENT_HEADING = re.compile(r"document\s+(\d+)\b", re.IGNORECASE)
_NOTES_HEADING = re.compile(r"(end)?notes\.?$", re.IGNORECASE)

#: How deep emphasis and links may nest before their markup is kept as written.
MAX_NESTING = 32


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the first character
    content_end: int  # offset of the line end (or of the end of the text)
    end: int  # offset after the line end

    def text(self, source: str) -> str:
        return source[self.start : self.content_end]


@dataclass(frozen=True)
class _Definition:
    label: str
    label_start: int  # offset of "[^"
    label_end: int  # offset after "]"
    view: str  # the note's characters, indentation removed
    offsets: list[int]  # source offset of each view character


@dataclass(frozen=True)
class _Event:
    """A reference ``[^label]`` or an inline note ``^[...]`` in the body, in file order."""

    start: int
    end: int
    label: str | None  # None for an inline note


def read_source(source: Source) -> Edition:
    """Read the pandoc footnotes of a Markdown file into notes.

    Args:
        source: the decoded Markdown file.

    Returns:
        The edition (format ``markdown``); numbering by first reference, NC150-NC152 for
        undefined, unused and duplicate footnotes.
    """
    text = source.text
    lines = _lines(text)
    definitions, body_ranges, sections = _blocks(source, lines)
    events = [event for start, end in body_ranges for event in _scan_body(text, start, end)]
    if not definitions and not any(event.label is None for event in events):
        from notecheck.readers import text as text_reader

        return replace(text_reader.read_source(source), format="markdown")
    return _assemble(source, definitions, events, sections)


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for match in _LINE_END.finditer(text):
        lines.append(_Line(position, match.start(), match.end()))
        position = match.end()
    if position < len(text) or not lines:
        lines.append(_Line(position, len(text), len(text)))
    return lines


def _indented(line: str) -> bool:
    return line.startswith(("    ", "\t"))


def _blocks(
    source: Source, lines: list[_Line]
) -> tuple[list[_Definition], list[tuple[int, int]], list[Section]]:
    """Footnote definitions, the body's ranges (code fences left out) and the headings."""
    text = source.text
    definitions: list[_Definition] = []
    body: list[tuple[int, int]] = []
    sections: list[Section] = []
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        content = line.text(text)
        if fence is not None:
            if content.strip().startswith(fence) and set(content.strip()) == {fence[0]}:
                fence = None
            index += 1
            continue
        opening = _FENCE.match(content)
        if opening:
            fence = opening.group(1)
            index += 1
            continue
        definition = _DEFINITION.match(content)
        if definition:
            taken = _definition(text, lines, index, definition)
            definitions.append(taken[0])
            index = taken[1]
            continue
        heading = _HEADING.match(content)
        if heading:
            sections.append(_section(heading.group(2), source.position(line.start)[0]))
        if body and body[-1][1] == line.start:
            body[-1] = (body[-1][0], line.end)
        else:
            body.append((line.start, line.end))
        index += 1
    return definitions, body, sections


def _section(title: str, line: int) -> Section:
    document = _DOCUMENT_HEADING.match(title)
    if document:
        return Section("document", title, int(document.group(1)), line)
    if _NOTES_HEADING.match(title):
        return Section("notes", title, None, line)
    return Section("body", title, None, line)


def _definition(text: str, lines: list[_Line], first: int, match: re.Match[str]) -> tuple[_Definition, int]:
    """The definition starting on line ``first`` and the index of the line after it."""
    line = lines[first]
    view: list[str] = []
    offsets: list[int] = []

    def take(start: int, end: int) -> None:
        view.append(text[start:end])
        offsets.extend(range(start, end))

    take(line.start + match.end(), line.end)
    index = first + 1
    previous_blank = False
    while index < len(lines):
        current = lines[index]
        content = current.text(text)
        if not content.strip():
            following = next((j for j in range(index + 1, len(lines)) if lines[j].text(text).strip()), None)
            if following is None or not _indented(lines[following].text(text)):
                break
            take(current.content_end, current.end)
            previous_blank = True
        elif _indented(content):
            cut = 1 if content.startswith("\t") else 4
            take(current.start + cut, current.end)
            previous_blank = False
        elif not previous_blank and not _BLOCK_START.match(content):
            take(current.start + len(content) - len(content.lstrip(" \t")), current.end)  # lazy
        else:
            break
        index += 1
    label_start = line.start + match.start(0) + (len(match.group(0)) - len(match.group(0).lstrip(" ")))
    definition = _Definition(
        label=match.group(1),
        label_start=label_start,
        label_end=label_start + len(match.group(1)) + 3,
        view="".join(view),
        offsets=offsets,
    )
    return definition, index


def _scan_body(text: str, start: int, end: int) -> list[_Event]:
    """References and inline notes in ``text[start:end]``, code spans and escapes skipped."""
    events: list[_Event] = []
    pairs: dict[int, int] | None = None
    position = start
    while True:
        match = _BODY_SPECIAL.search(text, position, end)
        if match is None:
            return events
        found = match.start()
        token = match.group(0)
        if token == "\\":
            position = found + 2
        elif token == "`":
            position = _skip_code_span(text, found, end)
        elif token == "[^":
            close = _find(text, "]", found + 2, end)
            label = text[found + 2 : close] if close != -1 else ""
            if close != -1 and label and not any(c.isspace() for c in label):
                events.append(_Event(found, close + 1, label))
                position = close + 1
            else:
                position = found + 2
        else:  # "^["
            if pairs is None:  # computed once: scanning from every unclosed ^[ was quadratic
                pairs = _pairs(text, start, end)
            bracket = pairs.get(found + 1)
            if bracket is None:
                position = found + 2
            else:
                events.append(_Event(found, bracket + 1, None))
                position = bracket + 1


def _skip_code_span(text: str, start: int, end: int) -> int:
    """The offset after a code span starting at ``start`` (or after its backticks if unclosed)."""
    run = start
    while run < end and text[run] == "`":
        run += 1
    ticks = text[start:run]
    search = run
    while True:
        close = text.find(ticks, search, end)
        if close == -1:
            return run
        after = close + len(ticks)
        if after < end and text[after] == "`":
            search = after
            while search < end and text[search] == "`":
                search += 1
            continue
        return after


@lru_cache(maxsize=32)
def _bracket_pairs(view: str) -> dict[int, int]:
    """Each ``[`` of a note text -> its matching ``]`` (escapes respected), in one pass."""
    return _pairs(view, 0, len(view))


def _pairs(view: str, start: int, end: int) -> dict[int, int]:
    """Each ``[`` of ``view[start:end]`` -> its matching ``]`` (escapes respected), in one pass.

    Counting depth from each unclosed ``^[`` to the end instead was quadratic in ``^[^[^[``.
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    position = start
    while position < end:
        char = view[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            stack.append(position)
        elif char == "]" and stack:
            pairs[stack.pop()] = position
        position += 1
    return pairs


def _assemble(
    source: Source, definitions: list[_Definition], events: list[_Event], sections: list[Section]
) -> Edition:
    text = source.text
    diagnostics: list[Diagnostic] = []
    skipped: list[Skipped] = []
    defined: dict[str, _Definition] = {}
    for definition in definitions:
        first = defined.get(definition.label)
        if first is None:
            defined[definition.label] = definition
            continue
        span = source.span(definition.label_start, definition.label_end)
        first_line = source.position(first.label_start)[0]
        diagnostics.append(FOOTNOTE_DUPLICATE.at(span, label=definition.label, first_line=first_line))
        skipped.append(_skipped(source, definition, "duplicate footnote definition"))
    numbers: dict[str, int] = {}
    notes: list[Note] = []
    calls: list[NoteCall] = []
    for event in events:
        span = source.span(event.start, event.end)
        if event.label is None:
            number = len(notes) + 1
            builder = TextBuilder(text[event.start + 2 : event.end - 1], base=event.start + 2)
            reduce_inline(builder, 0, len(builder.view))
            notes.append(_note(source, number, str(number), builder, span))
            calls.append(NoteCall(number, "^[", source.span(event.start, event.start + 2)))
            continue
        found = defined.get(event.label)
        if found is None:
            diagnostics.append(FOOTNOTE_UNDEFINED.at(span, label=event.label))
            continue
        definition = found
        if event.label not in numbers:
            number = numbers[event.label] = len(notes) + 1
            builder = TextBuilder(definition.view, offsets=definition.offsets)
            reduce_inline(builder, 0, len(builder.view))
            # the label itself, inside "[^" and "]", as the other readers' label spans are
            label_span = source.span(definition.label_start + 2, definition.label_end - 1)
            notes.append(_note(source, number, event.label, builder, label_span))
        calls.append(NoteCall(numbers[event.label], event.label, span))
    for label, definition in defined.items():
        if label not in numbers:
            span = source.span(definition.label_start, definition.label_end)
            diagnostics.append(FOOTNOTE_UNUSED.at(span, label=label))
            skipped.append(_skipped(source, definition, "footnote definition never referenced"))
    return Edition(
        source=source,
        format="markdown",
        notes=tuple(notes),
        sections=tuple(sections),
        skipped=tuple(sorted(skipped, key=lambda s: (s.span.line, s.span.column))),
        calls=tuple(calls),
        diagnostics=tuple(diagnostics),
    )


def _note(source: Source, number: int, label: str, builder: TextBuilder, label_span: Span) -> Note:
    note_text, text_map = builder.build()
    end = text_map.to_source(len(note_text), end=True)
    return Note(
        index=number,
        number=number,
        label=label,
        text=note_text,
        source=source,
        text_map=text_map,
        line=label_span.line,
        end_line=source.position(max(end - 1, 0))[0] if note_text else label_span.line,
        label_span=label_span,
    )


def _skipped(source: Source, definition: _Definition, reason: str) -> Skipped:
    end = definition.offsets[-1] + 1 if definition.offsets else definition.label_end
    return Skipped(
        source.span(definition.label_start, end), reason, source.text[definition.label_start : end]
    )


def reduce_inline(builder: TextBuilder, start: int, end: int, depth: int = 0) -> None:
    """Reduce Markdown inline markup in ``builder.view[start:end]`` to the text pandoc prints.

    Emphasis and links nested deeper than ``MAX_NESTING`` are kept as written.
    """
    view = builder.view
    position = start
    while position < end:
        match = _INLINE_SPECIAL.search(view, position, end)
        if match is None:
            builder.keep(position, end)
            return
        found = match.start()
        builder.keep(position, found)
        position = _inline_token(builder, found, end, depth)


def _inline_token(builder: TextBuilder, at: int, end: int, depth: int) -> int:
    """Reduce the markup starting at ``at``; return the offset after it."""
    view = builder.view
    char = view[at]
    if char == "\\":
        if at + 1 < end and view[at + 1] in _ASCII_PUNCTUATION:
            builder.put(view[at + 1], at, at + 2)
            return at + 2
        builder.keep(at, at + 1)
        return at + 1
    if char == "`":
        after = _skip_code_span(view, at, end)
        ticks = len(view[at:after]) - len(view[at:after].lstrip("`"))
        if after - at > 2 * ticks:  # a closed span: keep its content, drop the backticks
            builder.keep(at + ticks, after - ticks)
        else:
            builder.keep(at, after)
        return after
    if char in "*_":
        return _emphasis(builder, at, end, depth)
    if char == "[":
        return _link(builder, at, end, depth)
    if char == "<":
        link = _AUTOLINK.match(view, at, end)
        if link:
            builder.keep(link.start(1), link.end(1))
            return link.end()
        builder.keep(at, at + 1)
        return at + 1
    # "-": pandoc's smart dashes
    if view.startswith("---", at) and at + 3 <= end:
        builder.put("—", at, at + 3)
        return at + 3
    if view.startswith("--", at) and at + 2 <= end:
        builder.put("–", at, at + 2)
        return at + 2
    builder.keep(at, at + 1)
    return at + 1


def _run_end(view: str, at: int, end: int) -> int:
    char = view[at]
    position = at
    while position < end and view[position] == char:
        position += 1
    return position


def _emphasis(builder: TextBuilder, at: int, end: int, depth: int) -> int:
    """``*x*``, ``**x**``, ``_x_`` (not inside a word) read as ``x``; unmatched runs kept."""
    view = builder.view
    char = view[at]
    run_end = _run_end(view, at, end)
    size = run_end - at
    opens = (
        size <= 3
        and depth < MAX_NESTING
        and run_end < end
        and not view[run_end].isspace()
        and not (char == "_" and at > 0 and view[at - 1].isalnum())
    )
    if opens:
        paragraph_end = _find(view, "\n\n", run_end, end)
        limit = end if paragraph_end == -1 else paragraph_end
        closers = _closers(view, char, size)
        index = bisect_left(closers, run_end)
        if index < len(closers) and closers[index] + size <= limit:
            close = closers[index]
            reduce_inline(builder, run_end, close, depth + 1)
            return close + size
    builder.keep(at, run_end)
    return run_end


@lru_cache(maxsize=32)
def _closers(view: str, char: str, size: int) -> list[int]:
    """Starts of the runs of exactly ``size`` ``char`` that can close emphasis, in order.

    Computed once per note text, so matching stays linear however many markers are unmatched.
    """
    found: list[int] = []
    position = view.find(char)
    while position != -1:
        run_end = _run_end(view, position, len(view))
        right_flanking = position > 0 and not view[position - 1].isspace()
        word_after = char == "_" and run_end < len(view) and view[run_end].isalnum()
        if run_end - position == size and right_flanking and not word_after:
            found.append(position)
        position = view.find(char, run_end)
    return found


@lru_cache(maxsize=32)
def _positions(view: str, needle: str) -> list[int]:
    """Every offset where ``needle`` starts in ``view`` (overlaps included), in order."""
    found: list[int] = []
    position = view.find(needle)
    while position != -1:
        found.append(position)
        position = view.find(needle, position + 1)
    return found


def _find(view: str, needle: str, start: int, end: int) -> int:
    """``view.find(needle, start, end)``, answered from :func:`_positions`.

    Searching the rest of the text afresh from every unmatched opener (``*_`` or ``[a](``
    repeated, no paragraph break) made reading a note quadratic; the positions are found once.
    """
    positions = _positions(view, needle)
    index = bisect_left(positions, start)
    if index < len(positions) and positions[index] + len(needle) <= end:
        return positions[index]
    return -1


def _link(builder: TextBuilder, at: int, end: int, depth: int) -> int:
    """``[text](url)`` and ``[text][ref]`` read as ``text``; other brackets kept."""
    view = builder.view
    if at + 1 < end and view[at + 1] == "^":
        builder.keep(at, at + 1)
        return at + 1
    close = _bracket_pairs(view).get(at) if depth < MAX_NESTING else None
    if close is not None and close >= end:
        close = None
    if close is None or close + 1 >= end or view[close + 1] not in "([":
        builder.keep(at, at + 1)
        return at + 1
    opener = view[close + 1]
    closer = ")" if opener == "(" else "]"
    target_end = _find(view, closer, close + 2, end)
    if target_end == -1:
        builder.keep(at, at + 1)
        return at + 1
    reduce_inline(builder, at + 1, close, depth + 1)
    return target_end + 1
