"""Stage read: LaTeX ``\\footnote``/``\\endnote`` bodies to plain-text notes mapped into the .tex file.

Notes are the arguments of ``\\footnote``, ``\\endnote``, ``\\footnotetext`` and ``\\endnotetext``
(optional ``[n]`` sets the number, as in LaTeX; otherwise each series counts on its own, with
``\\footnotemark`` taking a number too). Braces nest; ``%`` comments, ``\\verb`` and verbatim
environments are never read; only the document body is searched when there is one.

Markup inside a note is reduced to the text LaTeX prints, every character still mapping into the
.tex file: ``\\emph{X}``/``\\textit{X}``/``{\\em X}`` read as ``X``; ``~`` as a space; ``--``/``---``
as ``–``/``—``; ````` `` `````/``''`` as ``“``/``”``; accents (``\\'e``, ``\\v{c}``, ``{\\"o}``) as
the accented letter; ``\\&``, ``\\%``, ``\\ldots``, ``\\ss`` and friends as their characters; line
ends are kept and the next line's indentation is left out. A
``\\cite`` (any biblatex/natbib variant) reads as its keys, which are recorded on the note
(``Note.cite_keys``) and checked against the bibliography by :func:`check_cite_keys`. Commands
notecheck does not know are dropped and their arguments' text kept (NC158).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notecheck.models import Diagnostic, Edition, Note, NoteCall, Section, Source
from notecheck.readers import TextBuilder
from notecheck.rules.reading import LATEX_UNCLOSED_NOTE, LATEX_UNKNOWN_COMMAND, NO_NOTES

if TYPE_CHECKING:
    pass

_TOKEN = re.compile(r"%|\\([A-Za-z@]+)(\*?)|\\.", re.DOTALL)
_SPECIAL = re.compile(r"[\\{}%~$`'\-\n]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")
_END_DOCUMENT = re.compile(r"\\end\s*\{document\}")
_DOCUMENT_HEADING = re.compile(r"document\s+(\d+)\b", re.IGNORECASE)
_NOTES_HEADING = re.compile(r"(end)?notes\.?$", re.IGNORECASE)
_CITE = re.compile(
    r"(?:[Ff]oot|[Pp]aren|[Tt]ext|[Aa]uto|[Ss]mart|[Ss]uper|[Ff]ull|[Ff]ootfull|[Ss]upper)?"
    r"[Cc]ite(?:p|t|alp|alt|author|title|year|date|url|num)?"
)

NOTE_COMMANDS = {"footnote": "foot", "endnote": "end", "footnotetext": "foot", "endnotetext": "end"}
MARK_COMMANDS = {"footnotemark": "foot", "endnotemark": "end"}
SECTION_COMMANDS = frozenset({"part", "chapter", "section", "subsection", "subsubsection"})
VERBATIM_ENVIRONMENTS = frozenset({"verbatim", "Verbatim", "lstlisting", "minted", "comment"})

#: Accent commands -> the combining mark they put on the next letter.
ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "d": "\u0323",
    "b": "\u0331",
    "k": "\u0328",
    "r": "\u030a",
    "t": "\u0361",
}

#: Control words that print a character (or a space).
SYMBOLS = {
    "ss": "ß",
    "SS": "SS",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "S": "§",
    "P": "¶",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "guillemotleft": "«",
    "guillemotright": "»",
    "guillemetleft": "«",
    "guillemetright": "»",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "slash": "/",
    "copyright": "©",
    "pounds": "£",
    "textsection": "§",
    "textdegree": "°",
    "nobreakspace": " ",
    "space": " ",
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
    "thinspace": " ",
    "newline": " ",
    "linebreak": " ",
    "par": "\n\n",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
}

#: Control symbols: ``\&`` prints ``&``; ``\,`` a (thin) space; ``\-`` nothing.
CONTROL_SYMBOLS = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "\n": " ",
    ",": " ",
    ";": " ",
    ":": " ",
    ">": " ",
    "\\": " ",
    "-": "",
    "/": "",
    "@": "",
    "!": "",
}

#: Commands that only format their argument (or declare a style): their name is dropped.
FORMATTING = frozenset(
    {
        "emph", "textit", "textbf", "textsc", "textsl", "textup", "textrm", "textsf", "texttt",
        "textmd", "textnormal", "mbox", "hbox", "underline", "uline", "ul", "textsuperscript",
        "textsubscript", "em", "it", "bf", "sc", "sl", "rm", "sf", "tt", "up", "itshape", "bfseries",
        "scshape", "slshape", "upshape", "mdseries", "normalfont", "rmfamily", "sffamily",
        "ttfamily", "small", "footnotesize", "scriptsize", "large", "Large", "normalsize", "relax",
        "protect", "nobreak", "noindent", "smallskip", "medskip", "bigskip", "centering",
        "raggedright", "foreignquote", "hyphenation", "selectlanguage", "textenglish",
        "textrussian", "textgerman", "textfrench", "textlatin", "textgreek", "lowercase",
        "uppercase", "MakeUppercase", "MakeLowercase", "unskip", "ignorespaces", "xspace",
    }
)  # fmt: skip

#: Commands whose arguments print nothing (``\label{n:1}``): command and arguments dropped.
SILENT = frozenset(
    {
        "label", "index", "hspace", "vspace", "phantom", "hphantom", "vphantom", "pagebreak",
        "nopagebreak", "nocite", "glossary", "marginpar", "todo", "addcontentsline", "hyperlink",
        "hypertarget", "pdfbookmark", "footnotemark", "endnotemark", "zlabel", "cref", "Cref",
    }
)  # fmt: skip
#: How many mandatory arguments a silent command takes.
SILENT_ARGUMENTS = {"addcontentsline": 3, "hyperlink": 1, "hypertarget": 1, "pdfbookmark": 2}

#: Commands whose first argument is printed verbatim (``\url{...}``).
VERBATIM_ARGUMENT = frozenset({"url", "nolinkurl", "path", "doi", "ref", "pageref", "autoref", "nameref"})
#: Commands that take a first argument to drop and print the second (``\href{url}{text}``).
SECOND_ARGUMENT = frozenset({"href", "foreignlanguage", "textcolor", "colorbox"})
#: Commands that print their argument in quotation marks.
QUOTING = frozenset({"enquote", "textquote", "mkbibquote", "qq", "enquote*"})
#: How deep quoting commands may nest before they are read as plain grouping.
MAX_NESTING = 32


@dataclass
class _State:
    """What reducing one note collects besides the text."""

    source: Source
    cite_keys: list[tuple[str, int, int]] = field(default_factory=list)
    unknown: dict[str, int] = field(default_factory=dict)  # command -> source offset of first use
    depth: int = 0  # how deep quoting commands nest


@dataclass(frozen=True)
class _Argument:
    start: int  # offset of the first character inside the braces
    end: int  # offset of the closing brace (or where reading stopped)
    after: int  # offset after the argument
    closed: bool = True


def read_source(source: Source) -> Edition:
    """Read the notes of a LaTeX file.

    Args:
        source: the decoded .tex file.

    Returns:
        The edition (format ``latex``): one note per ``\\footnote``/``\\endnote``, sections from
        ``\\chapter``/``\\section`` headings, calls at the note commands.
    """
    text = source.text
    begin = _BEGIN_DOCUMENT.search(text)
    start = begin.end() if begin else 0
    end_match = _END_DOCUMENT.search(text, start)
    stop = end_match.start() if end_match else len(text)
    notes: list[Note] = []
    calls: list[NoteCall] = []
    sections: list[Section] = []
    diagnostics: list[Diagnostic] = []
    counters = {"foot": 0, "end": 0}
    position = start
    while True:
        token = _TOKEN.search(text, position, stop)
        if token is None:
            break
        position = token.end()
        if token.group(0) == "%":
            position = _line_end(text, token.start())
            continue
        name = token.group(1)
        if name is None:
            continue
        if name == "verb":
            position = _skip_verb(text, position)
        elif name == "begin":
            position = _skip_verbatim_environment(text, position, stop)
        elif name in SECTION_COMMANDS:
            position = _section(source, token, position, sections)
        elif name in MARK_COMMANDS:
            series = MARK_COMMANDS[name]
            optional = _optional(text, position)
            if optional is None:
                counters[series] += 1
                number, label = counters[series], str(counters[series])
            else:
                label = text[optional[0] : optional[1]]
                number = int(label) if label.isdigit() else counters[series]
                position = optional[2]
            calls.append(NoteCall(number, label, source.span(token.start(), token.end())))
        elif name in NOTE_COMMANDS:
            position = _note(source, token, position, counters, notes, calls, diagnostics)
    if not notes:
        diagnostics.append(NO_NOTES.at(source.span(0, 0), path=source.path))
    return Edition(
        source=source,
        format="latex",
        notes=tuple(notes),
        sections=tuple(sections),
        calls=tuple(calls),
        diagnostics=tuple(diagnostics),
    )


def _note(
    source: Source,
    token: re.Match[str],
    position: int,
    counters: dict[str, int],
    notes: list[Note],
    calls: list[NoteCall],
    diagnostics: list[Diagnostic],
) -> int:
    """Read one note command at ``token``; return the offset after it."""
    text = source.text
    name = token.group(1)
    series = NOTE_COMMANDS[name]
    is_text = name.endswith("text")
    optional = _optional(text, position)
    if optional is not None:
        label = text[optional[0] : optional[1]].strip()
        number = int(label) if label.isdigit() else None
        position = optional[2]
    else:
        if not is_text:
            counters[series] += 1
        number = counters[series]
        label = str(number)
    argument = _mandatory(text, position)
    command_span = source.span(token.start(), token.end())
    if not argument.closed:
        until_line = source.position(argument.end)[0]
        until = f"line {until_line}" if argument.end < len(text) else "the end of the file"
        diagnostics.append(LATEX_UNCLOSED_NOTE.at(command_span, command=name, until=until))
    state = _State(source)
    builder = TextBuilder(text)
    reduce(builder, argument.start, argument.end, state)
    note_text, text_map = builder.build()
    index = len(notes) + 1
    keys = tuple(
        (key, start - builder.cut, end - builder.cut)
        for key, start, end in state.cite_keys
        if start - builder.cut >= 0 and end - builder.cut <= len(note_text)
    )
    note = Note(
        index=index,
        number=number,
        label=label,
        text=note_text,
        source=source,
        text_map=text_map,
        line=command_span.line,
        end_line=source.position(argument.end)[0],
        label_span=command_span,
        cite_keys=keys,
    )
    notes.append(note)
    if not is_text and number is not None:
        calls.append(NoteCall(number, label, command_span))
    for command, offset in state.unknown.items():
        span = source.span(offset, offset + len(command) + 1)
        diagnostics.append(LATEX_UNKNOWN_COMMAND.at(span, note=note, command=command))
    return argument.after


def _section(source: Source, token: re.Match[str], position: int, sections: list[Section]) -> int:
    text = source.text
    optional = _optional(text, position)
    if optional is not None:
        position = optional[2]
    argument = _mandatory(text, position)
    if not argument.closed:
        return position
    builder = TextBuilder(text)
    reduce(builder, argument.start, argument.end, _State(source))
    title = " ".join(builder.build()[0].split())
    line = source.position(token.start())[0]
    document = _DOCUMENT_HEADING.match(title)
    if document:
        sections.append(Section("document", title, int(document.group(1)), line))
    elif _NOTES_HEADING.match(title):
        sections.append(Section("notes", title, None, line))
    else:
        sections.append(Section("body", title, None, line))
    return argument.after


def _line_end(text: str, position: int) -> int:
    """The offset after the line end of the line holding ``position`` (a comment's end)."""
    newline = text.find("\n", position)
    return len(text) if newline == -1 else newline + 1


def _skip_verb(text: str, position: int) -> int:
    if position >= len(text):
        return position
    delimiter = text[position]
    close = text.find(delimiter, position + 1)
    return len(text) if close == -1 else close + 1


def _skip_verbatim_environment(text: str, position: int, stop: int) -> int:
    match = re.compile(r"\s*\{([A-Za-z*]+)\}").match(text, position)
    if match is None or match.group(1) not in VERBATIM_ENVIRONMENTS:
        return position
    end = text.find("\\end{" + match.group(1) + "}", match.end(), stop)
    return stop if end == -1 else end


def _skip_space(text: str, position: int) -> int:
    """Skip spaces, single line ends and comments before an argument (as TeX does)."""
    while position < len(text):
        char = text[position]
        if char in " \t\r\n":
            position += 1
        elif char == "%":
            position = _line_end(text, position)
        else:
            break
    return position


def _optional(text: str, position: int) -> tuple[int, int, int] | None:
    """An optional argument ``[...]`` at ``position``: (content start, content end, after)."""
    start = _skip_space(text, position)
    if start >= len(text) or text[start] != "[":
        return None
    depth = 0
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "]" and depth <= 0:
            return start + 1, index, index + 1
        elif char == "\n" and _BLANK_LINE.match(text, index):
            return None
        index += 1
    return None


def _mandatory(text: str, position: int) -> _Argument:
    """The braced argument at ``position``; an unclosed one runs to the next blank line."""
    start = _skip_space(text, position)
    if start >= len(text):
        return _Argument(start, start, start)
    if text[start] != "{":
        # A single-token argument (``\footnote x``): one character or one control sequence.
        token = _TOKEN.match(text, start)
        end = token.end() if token is not None and token.group(0) != "%" else start + 1
        return _Argument(start, end, end)
    close = _closing_brace(text, start)
    if close is not None:
        return _Argument(start + 1, close, close + 1)
    blank = _BLANK_LINE.search(text, start)
    end = blank.start() + 1 if blank else len(text)
    return _Argument(start + 1, end, end, closed=False)


def _closing_brace(text: str, open_at: int) -> int | None:
    """The offset of the ``}`` matching the ``{`` at ``open_at``, or None."""
    depth = 0
    index = open_at
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "%":
            index = _line_end(text, index)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def reduce(builder: TextBuilder, start: int, end: int, state: _State) -> None:
    """Reduce the LaTeX in ``builder.view[start:end]`` to plain text, keeping positions."""
    text = builder.view
    position = start
    while position < end:
        match = _SPECIAL.search(text, position, end)
        if match is None:
            builder.keep(position, end)
            return
        found = match.start()
        builder.keep(position, found)
        position = _special(builder, found, end, state)


def _special(builder: TextBuilder, at: int, end: int, state: _State) -> int:
    """Reduce the markup character at ``at``; return the offset after what it consumed."""
    text = builder.view
    char = text[at]
    if char in "{}$":
        return at + 1  # grouping braces and math shifts print nothing
    if char == "\n":  # a line end is kept; the next line's indentation is not
        builder.keep(at, at + 1)
        after = at + 1
        while after < end and text[after] in " \t":
            after += 1
        return after
    if char == "%":
        after = min(_line_end(text, at), end)
        while after < end and text[after] in " \t":
            after += 1  # TeX skips the next line's indentation too
        return after
    if char == "~":
        builder.put(" ", at, at + 1)
        return at + 1
    if char == "`":
        if text.startswith("``", at) and at + 2 <= end:
            builder.put("“", at, at + 2)
            return at + 2
        builder.put("‘", at, at + 1)
        return at + 1
    if char == "'":
        if text.startswith("''", at) and at + 2 <= end:
            builder.put("”", at, at + 2)
            return at + 2
        builder.keep(at, at + 1)
        return at + 1
    if char == "-":
        if text.startswith("---", at) and at + 3 <= end:
            builder.put("—", at, at + 3)
            return at + 3
        if text.startswith("--", at) and at + 2 <= end:
            builder.put("–", at, at + 2)
            return at + 2
        builder.keep(at, at + 1)
        return at + 1
    return _command(builder, at, end, state)


def _command(builder: TextBuilder, at: int, end: int, state: _State) -> int:
    """Reduce the control sequence starting with the backslash at ``at``."""
    text = builder.view
    if at + 1 >= end:
        builder.keep(at, at + 1)
        return at + 1
    token = _TOKEN.match(text, at, end)
    assert token is not None  # a backslash followed by anything matches
    name = token.group(1)
    if name is None:
        symbol = text[at + 1]
        if symbol in ACCENTS:
            return _accent(builder, at, at + 2, ACCENTS[symbol], end)
        builder.put(CONTROL_SYMBOLS.get(symbol, symbol), at, at + 2)
        return at + 2
    after = _after_control_word(text, token.end(), end)
    if name in ACCENTS and (after < end and (text[after] == "{" or text[after].isalpha())):
        return _accent(builder, at, after, ACCENTS[name], end)
    if name in SYMBOLS:
        builder.put(SYMBOLS[name], at, after)
        return after
    if _CITE.fullmatch(name):
        return _cite(builder, after, end, state)
    if name in SILENT:
        return _skip_arguments(text, after, end, SILENT_ARGUMENTS.get(name, 1))
    if name in VERBATIM_ARGUMENT:
        argument = _mandatory(text, after)
        if argument.after > end:
            return after
        builder.keep(argument.start, argument.end)
        return argument.after
    if name in SECOND_ARGUMENT:
        return _skip_arguments(text, after, end, 1)
    if name in QUOTING and state.depth < MAX_NESTING:
        argument = _mandatory(text, after)
        if argument.after > end or not argument.closed:
            return after
        builder.put("“", at, argument.start)
        state.depth += 1
        reduce(builder, argument.start, argument.end, state)
        state.depth -= 1
        builder.put("”", argument.end, argument.after)
        return argument.after
    if name not in FORMATTING and name not in NOTE_COMMANDS and name not in QUOTING:
        state.unknown.setdefault(name, at)
        optional = _optional(text, after)
        if optional is not None and optional[2] <= end:
            return optional[2]
    return after


def _after_control_word(text: str, position: int, end: int) -> int:
    """TeX skips the spaces after a control word (and one line end among them)."""
    seen_newline = False
    while position < end:
        char = text[position]
        if char in " \t":
            position += 1
        elif char == "\n" and not seen_newline:
            seen_newline = True
            position += 1
        elif char == "\r" and not seen_newline:
            seen_newline = True
            position += 2 if text.startswith("\r\n", position) else 1
        else:
            break
    return min(position, end)


def _accent(builder: TextBuilder, at: int, after: int, mark: str, end: int) -> int:
    """An accent command and its argument (``\\'e``, ``\\'{e}``, ``\\v{\\i}``) as one letter."""
    text = builder.view
    position = after
    while position < end and text[position] in " \t":
        position += 1
    if position >= end:
        builder.put(mark, at, after)
        return after
    base: str
    if text[position] == "{":
        close = _closing_brace(text, position)
        if close is None or close >= end:
            builder.put(mark, at, after)
            return after
        inner = text[position + 1 : close].strip()
        base = SYMBOLS.get(inner.lstrip("\\"), inner) if inner.startswith("\\") else inner
        stop = close + 1
    elif text[position] == "\\":
        token = _TOKEN.match(text, position, end)
        assert token is not None
        word = token.group(1) or ""
        base = SYMBOLS.get(word, word)
        stop = _after_control_word(text, token.end(), end)
    else:
        base = text[position]
        stop = position + 1
    if base == "ı":
        base = "i"
    elif base == "ȷ":
        base = "j"
    letter = unicodedata.normalize("NFC", base[:1] + mark + base[1:]) if base else mark
    builder.put(letter, at, stop)
    return stop


def _skip_arguments(text: str, position: int, end: int, count: int) -> int:
    """Skip optional arguments and ``count`` mandatory ones; never past ``end``."""
    for _ in range(count):
        optional = _optional(text, position)
        while optional is not None and optional[2] <= end:
            position = optional[2]
            optional = _optional(text, position)
        argument = _mandatory(text, position)
        if argument.after > end or not argument.closed:
            return position
        position = argument.after
    return position


def _cite(builder: TextBuilder, position: int, end: int, state: _State) -> int:
    """A citation command reads as its keys; each key's offsets in the note text are recorded."""
    text = builder.view
    optional = _optional(text, position)
    while optional is not None and optional[2] <= end:
        position = optional[2]
        optional = _optional(text, position)
    argument = _mandatory(text, position)
    if argument.after > end or not argument.closed or text[argument.start - 1] != "{":
        return position
    cursor = argument.start
    emitted = False
    for part in text[argument.start : argument.end].split(","):
        key = part.strip()
        if key:
            key_start = cursor + part.index(key)
            if emitted:
                builder.put(", ", cursor - 1, cursor)
            emitted = True
            text_start = builder.length
            builder.keep(key_start, key_start + len(key))
            state.cite_keys.append((key, text_start, text_start + len(key)))
        cursor += len(part) + 1
    return argument.after
