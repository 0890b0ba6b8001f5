"""Stage read: input files to an :class:`~notecheck.models.Edition`, chosen by extension or format.

Every reader returns the same model (notes with positions, sections, skipped spans, note calls,
reading diagnostics), so every check and report works unchanged on every format:

========  ==========================  ==============================================================
format    reader                      positions (1-based line, code-point column, exclusive end)
========  ==========================  ==============================================================
text      ``readers.text``            the file's lines
markdown  ``readers.markdown``        the file's lines (pandoc footnotes, markup mapped back)
latex     ``readers.latex``           the file's lines (``\\footnote`` bodies, markup mapped back)
tei       ``readers.tei``             the XML file's lines, where the parser reports the text
docx      ``readers.docx``            line = paragraph of the notes part, column in that paragraph
========  ==========================  ==============================================================

A no-break space (U+00A0, and the figure and narrow no-break spaces U+2007, U+202F) in a note
reads as a space in every reader built on :class:`TextBuilder`, as LaTeX's ``~`` does: it is how
Word, TEI and Markdown files tie ``f.\u00a017`` together, and the citation and archival grammars
read words separated by spaces.

Fixes can be written back for text, Markdown and LaTeX only; TEI and .docx are reported on
(``Edition.fixable`` is False). ``read_edition`` raises ``OSError`` only when the path cannot be
opened; problems in the content are diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from notecheck.models import Diagnostic, Edition, Note, Source, TextMap

#: File extension -> input format name (the contract's ``format`` values).
FORMATS_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xml": "tei",
    ".tei": "tei",
    ".docx": "docx",
    ".tex": "latex",
}

#: The no-break spaces (U+00A0, U+2007, U+202F): every reader reads one as a space (see the
#: module docstring). The one definition; the readers derive what they need from it.
NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_NO_BREAK_SPACE = re.compile(f"[{NO_BREAK_SPACES}]")

#: Every input format a reader exists for (``--input-format`` choices).
INPUT_FORMATS = ("text", "markdown", "tei", "docx", "latex")

#: Formats whose fixes can be written back into the file; the others are reported on only.
FIXABLE_FORMATS = frozenset({"text", "markdown", "latex"})


def format_for(path: str | Path, input_format: str | None = None) -> str:
    """The input format of ``path``: ``input_format`` if given, else by extension, else text."""
    if input_format:
        return input_format
    return FORMATS_BY_EXTENSION.get(Path(path).suffix.lower(), "text")


def display_path(path: str | Path) -> str:
    """The path as reports show it: as given, with POSIX separators."""
    return Path(path).as_posix() if not isinstance(path, str) else path.replace("\\", "/")


def read_edition(path: str | Path, *, input_format: str | None = None) -> Edition:
    """Read an edition file, choosing the reader by ``input_format`` or the file extension.

    Raises:
        OSError: the path cannot be opened. Never raised for the file's content.
        ValueError: ``input_format`` names no reader (a programming error; see ``INPUT_FORMATS``).
    """
    data = Path(path).read_bytes()
    return read_edition_bytes(data, display_path(path), input_format=format_for(path, input_format))


def read_edition_bytes(data: bytes, path: str, *, input_format: str = "text") -> Edition:
    """Read an edition from bytes already in memory (standard input, a test).

    Args:
        data: the file's bytes.
        path: the path reports show.
        input_format: one of ``INPUT_FORMATS``.
    """
    _check_format(input_format)
    if input_format == "docx":
        from notecheck.readers.docx import read_bytes as read_docx

        return read_docx(data, path)
    if input_format == "tei":
        from notecheck.readers.tei import read_bytes as read_tei

        return read_tei(data, path)
    from notecheck.readers.decode import decode

    decoded = decode(data, path)
    if decoded.binary:
        return Edition(
            source=decoded.source,
            format=input_format,
            notes=(),
            diagnostics=decoded.diagnostics,
            fixable=False,
        )
    edition = _read_source(decoded.source, input_format)
    return _with_diagnostics(edition, decoded.diagnostics)


def read_edition_text(text: str, path: str = "<string>", *, input_format: str = "text") -> Edition:
    """Read an edition from a string (no decoding involved).

    A .docx is a zip archive and cannot be given as text: the result has no notes and an NC155
    diagnostic saying so.
    """
    _check_format(input_format)
    source = Source(path, text)
    if input_format == "docx":
        from notecheck.rules.reading import DOCX_CORRUPT

        reason = "a .docx is a zip archive; it cannot be read from a string"
        diagnostic = DOCX_CORRUPT.at(source.span(0, 0), path=path, reason=reason)
        return Edition(source=source, format="docx", notes=(), diagnostics=(diagnostic,), fixable=False)
    return _read_source(source, input_format)


def _check_format(input_format: str) -> None:
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"unknown input format {input_format!r}; choose one of {', '.join(INPUT_FORMATS)}")


def _read_source(source: Source, input_format: str) -> Edition:
    if input_format == "markdown":
        from notecheck.readers.markdown import read_source as read_markdown

        return read_markdown(source)
    if input_format == "latex":
        from notecheck.readers.latex import read_source as read_latex

        return read_latex(source)
    if input_format == "tei":
        from notecheck.readers.tei import read_source as read_tei_source

        return read_tei_source(source)
    from notecheck.readers import text as text_reader

    return text_reader.read_source(source)


def _with_diagnostics(edition: Edition, first: tuple[Diagnostic, ...]) -> Edition:
    return replace(edition, diagnostics=first + edition.diagnostics) if first else edition


def maps_verbatim(note: Note, start: int, end: int) -> bool:
    """Whether the note text ``[start, end)`` is, character for character, the source there.

    True for plain text and for the parts of Markdown/LaTeX notes that carry no markup; False
    where markup was reduced (``\\emph{``, ``--``, ``&amp;``). A fix written over a span that
    does not map verbatim would replace markup with plain text, so the fix stage should treat
    such fixes as unsafe.
    """
    source_start = note.text_map.to_source(start)
    source_end = note.text_map.to_source(max(start, end), end=True)
    return note.source.text[source_start:source_end] == note.text[start:end]


class TextBuilder:
    """Builds a note's text from a view of the source, keeping the map back into the source.

    The view is ``text`` (a stretch of characters the reader has already isolated, such as the
    body of a footnote with its indentation removed) with the source offset of each character:
    ``offsets[i]`` or, when ``offsets`` is None, ``base + i``. Readers call :meth:`keep` for
    characters taken as they are and :meth:`put` for markup replaced by text (``--`` read as
    ``–``; ``\\emph{`` read as nothing is simply not kept).
    """

    def __init__(self, text: str, *, base: int = 0, offsets: list[int] | None = None) -> None:
        self.view = text
        self._base = base
        self._offsets = offsets
        self._parts: list[str] = []
        self._pieces: list[tuple[int, int, int, int]] = []
        self._length = 0
        self._last_identity = False
        #: After :meth:`build`: how many characters stripping cut off the start of the text.
        self.cut = 0

    def source_offset(self, index: int) -> int:
        """The source offset of view index ``index`` (the end of the view for ``len(view)``)."""
        if self._offsets is None:
            return self._base + index
        if index < len(self._offsets):
            return self._offsets[index]
        return self._offsets[-1] + 1 if self._offsets else self._base

    def keep(self, start: int, end: int) -> None:
        """Take the view's characters ``[start, end)`` as they are (a no-break space as a space)."""
        if end <= start:
            return
        tie = _NO_BREAK_SPACE.search(self.view, start, end)
        if tie is not None:
            at = start
            while tie is not None:
                self._keep(at, tie.start())
                self.put(" ", tie.start(), tie.end())
                at = tie.end()
                tie = _NO_BREAK_SPACE.search(self.view, at, end)
            self._keep(at, end)
            return
        self._keep(start, end)

    def _keep(self, start: int, end: int) -> None:
        if end <= start:
            return
        if self._offsets is None:
            self._identity(self.view[start:end], self._base + start)
            return
        run_start = start
        for index in range(start + 1, end + 1):
            if index == end or self._offsets[index] != self._offsets[index - 1] + 1:
                self._identity(self.view[run_start:index], self._offsets[run_start])
                run_start = index

    def put(self, text: str, start: int, end: int) -> None:
        """Read the view's characters ``[start, end)`` as ``text`` (a replacement)."""
        if not text:
            return
        source_start = self.source_offset(start)
        source_end = self.source_offset(end - 1) + 1 if end > start else source_start
        self._parts.append(text)
        self._pieces.append((self._length, source_start, len(text), source_end - source_start))
        self._length += len(text)
        self._last_identity = False

    def _identity(self, text: str, source_start: int) -> None:
        if self._pieces and self._last_identity:
            t, s, tl, sl = self._pieces[-1]
            if s + sl == source_start:
                self._pieces[-1] = (t, s, tl + len(text), sl + len(text))
                self._parts.append(text)
                self._length += len(text)
                return
        self._parts.append(text)
        self._pieces.append((self._length, source_start, len(text), len(text)))
        self._length += len(text)
        self._last_identity = True

    @property
    def length(self) -> int:
        return self._length

    def build(self, *, strip: bool = True) -> tuple[str, TextMap]:
        """The text and its map; with ``strip``, outer whitespace is left out of both."""
        text = "".join(self._parts)
        pieces = self._pieces
        self.cut = 0
        if strip:
            text, pieces, self.cut = _strip(text, pieces)
        return text, TextMap(tuple(pieces))


def _strip(
    text: str, pieces: list[tuple[int, int, int, int]]
) -> tuple[str, list[tuple[int, int, int, int]], int]:
    """Cut outer whitespace off a text and its pieces, keeping replacement pieces whole.

    Returns the text, its pieces and how many characters were cut off the start.
    """
    low, high = len(text) - len(text.lstrip()), len(text.rstrip())
    if low >= high:
        return "", [], len(text)
    kept: list[tuple[int, int, int, int]] = []
    for t, s, tl, sl in pieces:
        end = t + tl
        if end <= low or t >= high:
            continue
        if tl == sl:
            cut_start, cut_end = max(t, low), min(end, high)
            kept.append((cut_start, s + cut_start - t, cut_end - cut_start, cut_end - cut_start))
        else:
            kept.append((t, s, tl, sl))
    first, last = kept[0][0], kept[-1][0] + kept[-1][2]
    return text[first:last], [(t - first, s, tl, sl) for t, s, tl, sl in kept], first
