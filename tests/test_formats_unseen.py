"""The unseen editions (tests/data/unseen) in every input format give the plain text's answers.

A generator takes the printed edition (body with its note calls, the notes, the bibliography) and
renders it as an author would have written it in each format:

* Markdown: ``[^n]`` calls and ``[^n]:`` definitions wrapped with lazy continuation lines or
  indented, one note of two paragraphs, one inline note ``^[...]``, titles in ``*...*``/``_..._``,
  article titles in curly or straight quotes, page ranges as ``--``; a variant with word labels
  (``[^wood]``);
* TEI: the notes in ``<back>`` as ``<note n= place="end">`` called by ``<ref target="#n1">``,
  citations in ``<bibl>``, titles as ``<title>`` or ``<hi rend="italic">``, ranges ``&#8211;``;
  variants with the notes inline where they are called, and diplomatic (the print's line ends as
  ``<lb/>``, a hyphenated word as ``<lb break="no"/>``);
* .docx: ``word/document.xml`` with endnote references and ``word/endnotes.xml`` with runs split
  mid-word, italics as separate runs, spelling marks and bookmarks as Word writes them, the
  two-paragraph note as two ``w:p``; a variant with footnotes;
* LaTeX: ``\\endnote{}`` (and a variant with ``\\footnote{}``) with ``\\emph{}``/``\\textit{}``,
  ``--``, ````` ``quotes'' `````, ``~`` ties and ``\\ `` after abbreviations;
* ``-typeset`` variants (.docx, Markdown, TEI): no-break spaces after ``f.``, ``op.``, ``no.``
  and curly apostrophes, as a word processor sets them;
* files as Windows editors save them: Markdown in Windows-1252 with CRLF, LaTeX in UTF-8 with a
  byte-order mark and CRLF.

The titles set in italics are the bibliography's book, collection and journal titles (and their
short titles) found in the notes; the notes' content, damage included, is kept as printed. Only
the OCR's damage to the note *labels* is undone (a born-digital file has no misread or lost
label): those findings are ``TEXT_ONLY``, and a note whose label the OCR lost is compared as the
end of the note before it, as the plain text reads it.

For every format notecheck must find the same notes, the same citations (form, resolved key,
status) and the same findings (code, note) as in the plain text; every citation's span must cover
its text in the file it names, and every finding the text the plain text's finding covers.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

import notecheck
from notecheck.baseline import Baseline
from notecheck.config import Config
from notecheck.models import Span
from notecheck.pipeline import DocumentReport, Report
from tests.test_docx import CONTENT_TYPES, DOCUMENT_RELS, PACKAGE_RELS, document_part, settings_part, zipped

DATA = Path(__file__).parent / "data" / "unseen"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --- the printed edition ---------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """An edition as printed: title lines, body paragraphs (text and calls), numbered notes."""

    title: list[str]
    paragraphs: list[list[str | int]]  # text and note calls (ints), in order
    notes: dict[int, str]  # number -> text, lines joined
    #: number -> text with the printed line breaks: "\n", or SOFT + "\n" where a word was cut
    lines: dict[int, str] | None = None


#: Marks a printed line break inside a hyphenated word (the hyphen left out).
SOFT = "\u00ad"


#: OCR confusions in printed note labels (``3S.`` is 38).
_LABEL_OCR = str.maketrans({"S": "8", "s": "5", "l": "1", "I": "1", "O": "0", "o": "0"})
_NOTE_START = re.compile(r"(\S{1,3})\. ")


def read_printed(text: str, *, lost: tuple[str, ...] = ()) -> Printed:
    """Split a printed edition into title, body and notes.

    ``lost`` holds the first words of notes whose label the OCR lost entirely: each starts the
    next note. A note line ending in a hyphen before a lower-case letter is rejoined.
    """
    lines = text.splitlines()
    split = lines.index("Notes")
    head, body, notes_lines = lines[:2], lines[2:split], lines[split + 1 :]
    notes: dict[int, list[str]] = {}
    expected = 1
    for line in notes_lines:
        match = _NOTE_START.match(line)
        if match and match.group(1).translate(_LABEL_OCR) == str(expected):
            notes[expected] = [line[match.end() :]]
            expected += 1
        elif any(line.startswith(words) for words in lost):
            notes[expected] = [line]
            expected += 1
        elif line.strip():
            notes[expected - 1].append(line)
    joined = {number: _join(parts, dehyphenate=True) for number, parts in notes.items()}
    broken = {number: _join(parts, dehyphenate=True, breaks=True) for number, parts in notes.items()}
    blocks = [b.strip().splitlines() for b in "\n".join(body).split("\n\n") if b.strip()]
    text = " \n".join(_join(block, dehyphenate=False) for block in blocks)
    return Printed(head, _find_calls(text, len(joined)), joined, broken)


def _join(lines: list[str], *, dehyphenate: bool, breaks: bool = False) -> str:
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif out.endswith("-") and (not dehyphenate or (line[:1].islower() and out[-2:-1].isalpha())):
            out = (out[:-1] + (SOFT + "\n" if breaks else "") + line) if dehyphenate else out + line
        else:
            out += ("\n" if breaks else " ") + line
    return out


def _find_calls(body: str, count: int) -> list[list[str | int]]:
    """Find the calls 1..count in order in the body (paragraphs joined by ' \\n')."""
    parts: list[str | int] = []
    at = 0
    for number in range(1, count + 1):
        label = str(number)
        position = at
        while True:
            position = body.index(label, position)
            before = body[position - 1] if position else " "
            after = body[position + len(label) : position + len(label) + 1]
            if not before.isspace() and not after.isdigit():
                break
            position += 1
        parts.append(body[at:position])
        parts.append(number)
        at = position + len(label)
    parts.append(body[at:])
    paragraphs: list[list[str | int]] = [[]]
    for part in parts:
        if isinstance(part, int):
            paragraphs[-1].append(part)
            continue
        pieces = part.split(" \n")
        for index, piece in enumerate(pieces):
            if index:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(piece)
    return [p for p in paragraphs if p]


# --- titles: what is set in italics -------------------------------------------------------------

_ENTRY = re.compile(r"@(\w+)\{([^,]+),(.*?)\n\}", re.S)
_FIELD = re.compile(r"(\w+)\s*=\s*\{(.*?)\},?\s*$", re.M)
_ITALIC_TYPES = {"book", "collection", "mvbook", "proceedings", "thesis"}


def italic_titles(bib: str) -> list[str]:
    """Book, collection and journal titles and short titles, longest first (``--`` read as ``-``)."""
    titles: set[str] = set()
    for kind, _key, body in _ENTRY.findall(bib):
        fields = dict(_FIELD.findall(body))
        names = ["journaltitle", "booktitle"]
        if kind.lower() in _ITALIC_TYPES - {"thesis"}:
            names += ["title", "shorttitle"]
        for name in names:
            if name in fields:
                titles.add(fields[name].replace("{", "").replace("}", "").replace("--", "-"))
    return sorted(titles, key=len, reverse=True)


#: Where a title can start in a note: at its start, after a comma, a closing quote or a word
#: that introduces a work (never "the Moscow party", never a place of publication).
_TITLE_BEFORE = r"(?:^|(?<=, )|(?<=\" )|(?<=\bin )|(?<=\bsee )|(?<=henceforth )|(?<=cited as ))"

Piece = tuple[str, str]  # (kind, text): kind "text" | "italic" | "quote"


def pieces(note: str, titles: list[str]) -> list[Piece]:
    """A note cut into plain text, italic titles and quoted (article) titles."""
    marks: list[tuple[int, int, str]] = []
    for match in re.finditer(r'"([^"]+?)(,?)"', note):
        marks.append((match.start(), match.end(), "quote"))
    for title in titles:
        pattern = r"\s+".join(re.escape(word) for word in title.split())
        for match in re.finditer(_TITLE_BEFORE + pattern + r"(?![\w'])", note):
            start, end = match.span()
            if any(s < end and start < e for s, e, _ in marks):
                continue
            marks.append((start, end, "italic"))
    marks.sort()
    out: list[Piece] = []
    at = 0
    for start, end, kind in marks:
        if start > at:
            out.append(("text", note[at:start]))
        out.append((kind, note[start:end][1:-1] if kind == "quote" else note[start:end]))
        at = end
    if at < len(note):
        out.append(("text", note[at:]))
    return out


_RANGE = re.compile(r"(?<=\d)-(?=\d)")

# --- renderings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """How to render an edition: which note is inline (Markdown) and which has two paragraphs.

    ``paragraph_break`` is the text the two-paragraph note's second paragraph starts with.
    """

    name: str
    inline: int
    two_paragraphs: int
    paragraph_break: str
    lost: tuple[str, ...] = ()


def _second_paragraph(spec: Spec, number: int, text: str) -> tuple[str, str] | None:
    if number != spec.two_paragraphs:
        return None
    at = text.index(spec.paragraph_break)
    return text[:at].rstrip(), text[at:]


def markdown(printed: Printed, spec: Spec, titles: list[str], *, named: bool = False) -> str:
    """Markdown; with ``named``, labels are words (``[^wood]``) and each paragraph's definitions
    follow it, as many authors write them; else numbers, the definitions under ``## Notes``."""
    labels: dict[int, str] = {}
    for number, text in printed.notes.items():
        word = re.sub(r"\W+", "", text.split()[0]).lower() if named else ""
        labels[number] = (
            word if word and word not in labels.values() else f"{word}{number}" if named else str(number)
        )

    def inline(text: str, number: int) -> str:
        out = []
        for kind, chunk in pieces(text, titles):
            chunk = _RANGE.sub("--", chunk.replace("*", r"\*").replace("_", r"\_").replace("[", r"\["))
            if kind == "italic":
                out.append(f"_{chunk}_" if number % 2 else f"*{chunk}*")
            elif kind == "quote":  # pandoc's smart quotes: written straight or curly
                comma = "," if chunk.endswith(",") else ""
                quotes = '""' if number % 3 == 0 else "“”"
                out.append(f"{quotes[0]}{chunk.removesuffix(',')}{comma}{quotes[1]}")
            else:
                out.append(chunk)
        return "".join(out)

    def definition(number: int) -> list[str]:
        text = printed.notes[number]
        lines: list[str] = []
        paragraphs = _second_paragraph(spec, number, text) or (text,)
        first, *rest = (inline(p, number) for p in paragraphs)
        wrapped = textwrap.wrap(
            f"[^{labels[number]}]: {first}", 88, break_on_hyphens=False, break_long_words=False
        )
        # even notes continue lazily, odd ones indented four spaces, as both are written
        indent = "    " if number % 2 else ""
        lines += [wrapped[0], *(indent + line for line in wrapped[1:])]
        for paragraph in rest:
            lines += ["", *textwrap.wrap(paragraph, 88, initial_indent="    ", subsequent_indent="    ")]
        return [*lines, ""]

    lines = [f"# {printed.title[0]}", "", printed.title[1], ""]
    for paragraph in printed.paragraphs:
        text = "".join(
            part
            if isinstance(part, str)
            else (f"^[{inline(printed.notes[part], part)}]" if part == spec.inline else f"[^{labels[part]}]")
            for part in paragraph
        )
        lines += [*textwrap.wrap(text, 88, break_on_hyphens=False, break_long_words=False), ""]
        if named:
            for number in paragraph:
                if isinstance(number, int) and number != spec.inline:
                    lines += definition(number)
    if not named:
        lines += ["## Notes", ""]
        for number in printed.notes:
            if number != spec.inline:
                lines += definition(number)
    return "\n".join(lines)


_IMPRINT = re.compile(r"\(([A-Z][\w.,\s]+?), (\d{4})\)")
_NOTE_REFERENCE = re.compile(r"\b(note\s+(\d+))\b")


def tei(
    printed: Printed, spec: Spec, titles: list[str], *, inline: bool = False, diplomatic: bool = False
) -> str:
    """TEI; the notes in ``<back>`` called by ``<ref>``, or with ``inline`` where they are called.

    With ``diplomatic``, the notes keep the print's lines: ``<lb/>`` at every line end and
    ``<lb break="no"/>`` inside a hyphenated word.
    """
    note_texts = printed.lines if diplomatic and printed.lines else printed.notes

    def note_xml(text: str, number: int) -> str:
        out = []
        for index, (kind, chunk) in enumerate(pieces(text, titles)):
            chunk = _RANGE.sub("&#8211;", escape(chunk)).replace("\u00a0", "&#160;")
            if kind == "italic":
                out.append(
                    f'<title level="m">{chunk}</title>' if index < 3 else f'<hi rend="italic">{chunk}</hi>'
                )
            elif kind == "quote":
                comma = "," if chunk.endswith(",") else ""
                out.append(f'“<title level="a">{chunk.removesuffix(",")}</title>{comma}”')
            else:
                out.append(chunk)
        xml = _IMPRINT.sub(r"(<pubPlace>\1</pubPlace>, <date>\2</date>)", "".join(out))
        xml = _NOTE_REFERENCE.sub(r'<ref target="#n\2">\1</ref>', xml)
        xml = xml.replace(SOFT + "\n", '<lb break="no"/>\n').replace("\n", "<lb/>\n          ")
        xml = xml.replace('<lb break="no"/><lb/>', '<lb break="no"/>')
        # each citation of the note (cut at '; ') in a <bibl>
        return "; ".join(
            f"<bibl>{part}</bibl>" if "<title" in part or "<hi" in part else part for part in xml.split("; ")
        )

    def note_element(number: int, text: str) -> str:
        paragraphs = _second_paragraph(spec, number, text)
        if paragraphs:
            content = "".join(f"\n          <p>{note_xml(p, number)}</p>" for p in paragraphs) + "\n        "
        elif diplomatic:
            content = f"\n          {note_xml(text, number)}\n        "
        else:
            content = "\n          ".join(textwrap.wrap(note_xml(text, number), 90, break_on_hyphens=False))
            content = f"\n          {content}\n        "
        return f'<note n="{number}" place="end" xml:id="n{number}">{content}</note>'

    body = []
    for paragraph in printed.paragraphs:
        text = "".join(
            escape(part)
            if isinstance(part, str)
            else note_element(part, note_texts[part])
            if inline
            else f'<ref type="noteAnchor" target="#n{part}">{part}</ref>'
            for part in paragraph
        )
        body.append(
            "      <p>" + "\n         ".join(textwrap.wrap(text, 90, break_on_hyphens=False)) + "</p>"
        )
    notes = [] if inline else ["        " + note_element(n, text) for n, text in note_texts.items()]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n'
        "  <teiHeader><fileDesc>\n"
        f"    <titleStmt><title>{escape(printed.title[0])}</title></titleStmt>\n"
        "    <publicationStmt><p>Unpublished test edition.</p></publicationStmt>\n"
        "    <sourceDesc><p>Born digital.</p></sourceDesc>\n"
        "  </fileDesc></teiHeader>\n"
        "  <text>\n"
        "    <body>\n"
        f"      <head>{escape(printed.title[0])}</head>\n"
        f'      <head type="sub">{escape(printed.title[1])}</head>\n' + "\n".join(body) + "\n    </body>\n"
        "    <back>\n"
        '      <div type="notes">\n'
        "        <head>Notes</head>\n" + "\n".join(notes) + "\n      </div>\n"
        "    </back>\n"
        "  </text>\n"
        "</TEI>\n"
    )


_TIE = re.compile(r"\b(f|op|d|l|ll|no|vol|ed|p|pp)\. (?=\S)")
_INITIAL = re.compile(r"\b([A-Z])\. (?=[A-Z])")


def latex(printed: Printed, spec: Spec, titles: list[str], command: str = "endnote") -> str:
    def tex(chunk: str) -> str:
        chunk = re.sub(r"([&%$#_])", r"\\\1", chunk)
        chunk = _RANGE.sub("--", chunk)
        chunk = _TIE.sub(lambda m: f"{m.group(1)}.~" if m.group(1) != "ed" else "ed.\\ ", chunk)
        chunk = re.sub(r"(?<![\w])'([^']+)'(?!\w)", r"`\1'", chunk)  # single quotes: `x'
        return _INITIAL.sub(r"\1.~", chunk)

    def note_tex(text: str) -> str:
        out = []
        for index, (kind, chunk) in enumerate(pieces(text, titles)):
            if kind == "italic":
                out.append(f"\\emph{{{tex(chunk)}}}" if index % 2 else f"\\textit{{{tex(chunk)}}}")
            elif kind == "quote":
                comma = "," if chunk.endswith(",") else ""
                out.append(f"``{tex(chunk.removesuffix(','))}{comma}''")
            else:
                out.append(tex(chunk))
        return "".join(out)

    lines = [
        "\\documentclass{article}",
        "\\usepackage{endnotes}" if command == "endnote" else "% notes at the foot of the page",
        "\\begin{document}",
        f"\\section*{{{tex(printed.title[0])}}}",
        f"\\emph{{{tex(printed.title[1])}}}",
        "",
    ]
    for paragraph in printed.paragraphs:
        parts = []
        for part in paragraph:
            if isinstance(part, str):
                parts.append(tex(part))
                continue
            paragraphs = _second_paragraph(spec, part, printed.notes[part]) or (printed.notes[part],)
            parts.append(f"\\{command}{{" + "\n\n".join(note_tex(p) for p in paragraphs) + "}")
        text = "".join(parts)
        out = []
        for block in text.split("\n\n"):
            out.append("\n  ".join(textwrap.wrap(block, 90, break_on_hyphens=False, break_long_words=False)))
        lines += ["\n\n".join(out), ""]
    if command == "endnote":
        lines.append("\\theendnotes")
    lines.append("\\end{document}")
    return "\n".join(lines) + "\n"


def docx(
    printed: Printed,
    spec: Spec,
    titles: list[str],
    *,
    kind: str = "endnote",
    number_format: str | None = "decimal",
) -> bytes:
    """A .docx whose notes are Word endnotes (or, with ``kind="footnote"``, footnotes).

    ``number_format`` is the endnotes' ``w:numFmt``; None leaves Word's default (``i, ii, iii``).
    """

    def runs(text: str) -> str:
        """Runs as Word writes them: split mid-word (revision ids), italics apart, spelling marks
        around the italic (often transliterated) titles, ``xml:space`` only where needed."""
        xml = []
        for style, chunk in pieces(text, titles):
            if style == "quote":
                comma = "," if chunk.endswith(",") else ""
                chunk = f"“{chunk.removesuffix(',')}{comma}”"
            chunk = _RANGE.sub("–", chunk)
            italic = style == "italic"
            properties = '<w:rPr><w:i/><w:iCs/><w:lang w:val="en-GB"/></w:rPr>' if italic else ""
            halves = [chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]] if len(chunk) > 12 else [chunk]
            if italic:
                xml.append('<w:proofErr w:type="spellStart"/>')
            for index, half in enumerate(halves):
                space = ' xml:space="preserve"' if half != half.strip() else ""
                xml.append(
                    f'<w:r w:rsidR="00A1{index}F3C">{properties}<w:t{space}>{escape(half)}</w:t></w:r>'
                )
            if italic:
                xml.append('<w:proofErr w:type="spellEnd"/>')
        return _NOTE_REFERENCE.sub(noteref, "".join(xml))

    def noteref(match: re.Match[str]) -> str:
        """A cross-reference to a note as Word inserts it: a NOTEREF field showing the number."""
        number = match.group(2)
        instruction = f" NOTEREF _Ref{int(number):04} \\h "
        result = f"<w:r><w:t>{number}</w:t></w:r>"
        if int(number) % 2:
            field = f'<w:fldSimple w:instr="{instruction}">{result}</w:fldSimple>'
        else:
            field = (
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
                f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{result}'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            )
        return f'note </w:t></w:r>{field}<w:r><w:t xml:space="preserve">'

    def plain_runs(text: str) -> str:
        return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'

    reference = (
        '<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteReference w:id="{}"/></w:r>'
    )
    paragraphs = [f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{plain_runs(printed.title[0])}</w:p>']
    paragraphs.append(f"<w:p>{plain_runs(printed.title[1])}</w:p>")
    for paragraph in printed.paragraphs:
        xml = "".join(plain_runs(p) if isinstance(p, str) else reference.format(p + 1) for p in paragraph)
        paragraphs.append(f"<w:p>{xml}</w:p>")
    notes = []
    for number, text in printed.notes.items():
        first, *rest = _second_paragraph(spec, number, text) or (text,)
        mark = '<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteRef/></w:r>'
        gap = "<w:tab/>" if number % 2 else '<w:t xml:space="preserve"> </w:t>'  # after the mark
        xml = (
            f'<w:endnote w:id="{number + 1}"><w:p w:rsidR="00C2E41B"><w:pPr><w:pStyle w:val="EndnoteText"/>'
            f'</w:pPr><w:bookmarkStart w:id="{number}" w:name="_Ref{number:04}"/>{mark}'
            f"<w:r>{gap}</w:r>"
            f'<w:bookmarkEnd w:id="{number}"/>{runs(first)}</w:p>'
        )
        xml += "".join(f"<w:p>{runs(p)}</w:p>" for p in rest)
        notes.append(xml + "</w:endnote>")
    separators = (
        '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
        '<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:endnote>"
    )
    endnotes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:endnotes xmlns:w="{W}">{separators}{"".join(notes)}</w:endnotes>'
    )
    document = document_part(paragraphs)
    if kind == "footnote":
        endnotes = endnotes.replace("endnote", "footnote").replace("Endnote", "Footnote")
        document = document.replace("endnote", "footnote").replace("Endnote", "Footnote")
    return zipped(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": PACKAGE_RELS,
            "word/_rels/document.xml.rels": DOCUMENT_RELS,
            "word/document.xml": document,
            f"word/{kind}s.xml": endnotes,
            "word/settings.xml": settings_part(number_format),
        }
    )


_TIED = re.compile(r"\b(f|op|d|l|ll|no|vol)\. (?=\d)")


def typeset(printed: Printed) -> Printed:
    """The notes as a word processor sets them: no-break spaces after ``f.``, ``op.``, ``no.``
    and the like, curly apostrophes (Word's autocorrect)."""
    notes = {
        n: _TIED.sub(lambda m: f"{m.group(1)}.\u00a0", t).replace("'", "’") for n, t in printed.notes.items()
    }
    return Printed(printed.title, printed.paragraphs, notes)


Renderer = Callable[[Printed, Spec, list[str]], "str | bytes"]
RENDERERS: dict[str, tuple[str, Renderer]] = {
    "markdown": (".md", markdown),
    "tei": (".xml", tei),
    "docx": (".docx", docx),
    "latex": (".tex", latex),
    "latex-footnote": (".tex", lambda p, s, t: latex(p, s, t, "footnote")),
    "docx-typeset": (".docx", lambda p, s, t: docx(typeset(p), s, t)),
    "docx-footnotes": (".docx", lambda p, s, t: docx(p, s, t, kind="footnote")),
    "docx-roman": (".docx", lambda p, s, t: docx(p, s, t, number_format=None)),
    # saved by Windows editors: Windows-1252 with CRLF; UTF-8 with a byte-order mark and CRLF
    "markdown-windows": (".md", lambda p, s, t: markdown(p, s, t).replace("\n", "\r\n").encode("cp1252")),
    "latex-bom-crlf": (".tex", lambda p, s, t: latex(p, s, t).replace("\n", "\r\n").encode("utf-8-sig")),
    "markdown-named": (".md", lambda p, s, t: markdown(p, s, t, named=True)),
    "tei-inline": (".xml", lambda p, s, t: tei(p, s, t, inline=True)),
    "tei-diplomatic": (".xml", lambda p, s, t: tei(p, s, t, diplomatic=True)),
    "markdown-typeset": (".md", lambda p, s, t: markdown(typeset(p), s, t)),
    "tei-typeset": (".xml", lambda p, s, t: tei(typeset(p), s, t)),
}

SPECS = {
    "zhenotdel": Spec("zhenotdel", inline=3, two_paragraphs=20, paragraph_break="For the reaction"),
    "metrostroi": Spec(
        "metrostroi", inline=22, two_paragraphs=4, paragraph_break="The file holds", lost=("The Komsomol",)
    ),
}


# --- the answers ------------------------------------------------------------------------------

Answer = tuple[str, str, str]  # form, resolved key (or "note N"), status


def check_file(path: Path, bib: Path) -> Report:
    return notecheck.check([path], bib=bib, config=Config(root=path.parent), baseline=Baseline())


def citations(document: DocumentReport) -> dict[int, list[Answer]]:
    """Every citation's form, key and status, by note number."""
    assert document.edition is not None and document.parsed is not None
    found: dict[int, list[Answer]] = {}
    for note in document.edition.notes:
        assert note.number is not None, note.label
        answers = found.setdefault(note.number, [])
        for citation in document.parsed.citations.get(note.index, ()):
            resolution = document.resolution.of(citation)
            if citation.target is not None:
                key = f"{citation.target.kind} {citation.target.number}"
            else:
                key = resolution.key or ""
            answers.append((citation.form.value, key, resolution.status.value))
    return found


def findings(report: Report) -> Counter[tuple[str, int | None]]:
    return Counter((d.code, d.note) for d in report.active_diagnostics())


@dataclass(frozen=True)
class Rendered:
    name: str
    printed: Printed
    text: Report
    formats: dict[str, tuple[Path, Report]]


@pytest.fixture(scope="module", params=sorted(SPECS))
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    spec = SPECS[request.param]
    folder = tmp_path_factory.mktemp(spec.name)
    bib = DATA / f"{spec.name}.bib"
    printed = read_printed((DATA / f"{spec.name}.txt").read_text(encoding="utf-8"), lost=spec.lost)
    titles = italic_titles(bib.read_text(encoding="utf-8"))
    formats = {}
    for name, (extension, render) in RENDERERS.items():
        path = folder / f"{spec.name}-{name}{extension}"
        content = render(printed, spec, titles)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        formats[name] = (path, check_file(path, bib))
    return Rendered(spec.name, printed, check_file(DATA / f"{spec.name}.txt", bib), formats)


#: Findings that only the printed (OCR) text can have: a misread note label (NC107) and the gap
#: in the numbering a lost label leaves (NC104). A born-digital file numbers its notes itself, so
#: neither can occur there; nor can Markdown's undefined or unused labels (NC150-NC152), LaTeX's
#: unclosed notes (NC157) or XML problems (NC153-NC154) occur in the text, and none is expected in
#: these well-formed renderings. Any other code must be found in every format, in the same note.
TEXT_ONLY = frozenset({"NC104", "NC107"})
#: Findings only a rendering can have: the Windows-1252 file is not UTF-8 (NC102, at its first
#: byte that is not; checked below).
FORMAT_ONLY: dict[str, frozenset[str]] = {name: frozenset() for name in RENDERERS} | {
    "markdown-windows": frozenset({"NC102"})
}


def merged(
    answers: dict[int, list[Answer]], printed: Printed, spec: Spec, text: str
) -> dict[int, list[Answer]]:
    """A format's answers as the OCR text numbers its notes: a note whose label was lost reads as
    the end of the note before it."""
    lost = sorted(n for n, note in printed.notes.items() if note.startswith(spec.lost or ("\0",)))
    out = {n: list(a) for n, a in answers.items()}
    for number in reversed(lost):
        out[number - 1] = out.get(number - 1, []) + out.pop(number, [])
    return out


FORMAT_NAMES = sorted(RENDERERS)

FINDINGS_CASES = FORMAT_NAMES  # every rendering: the same findings as the text (bar TEXT_ONLY)


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_same_notes_as_the_text(rendered: Rendered, name: str) -> None:
    _, report = rendered.formats[name]
    (document,) = report.documents
    assert document.edition is not None
    assert [n.number for n in document.edition.notes] == sorted(rendered.printed.notes)
    assert [n.index for n in document.edition.notes] == list(range(1, len(rendered.printed.notes) + 1))


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_same_citations_as_the_text(rendered: Rendered, name: str) -> None:
    spec = SPECS[rendered.name]
    _, report = rendered.formats[name]
    expected = citations(rendered.text.documents[0])
    got = merged(citations(report.documents[0]), rendered.printed, spec, name)
    assert got == expected
    assert sum(map(len, got.values())) >= 40  # the comparison is not empty


@pytest.mark.parametrize("name", FINDINGS_CASES)
def test_same_findings_as_the_text(rendered: Rendered, name: str) -> None:
    _, report = rendered.formats[name]
    expected = Counter({k: v for k, v in findings(rendered.text).items() if k[0] not in TEXT_ONLY})
    got = Counter({k: v for k, v in findings(report).items() if k[0] not in FORMAT_ONLY[name]})
    assert got == expected


# --- positions --------------------------------------------------------------------------------

_MARKUP = [
    (re.compile(r"<[^>]*>"), ""),  # XML tags
    (re.compile(r"&#8211;|--|–"), "-"),
    (re.compile(r"&#160;"), " "),
    (re.compile(r"[‘’`]"), "'"),
    (re.compile(r"``|''|[“”]"), '"'),
    (re.compile(r"\\(?:emph|textit|footnote|endnote)\{"), ""),
    (re.compile(r"\\ |~"), " "),
    (re.compile(r"[*_{}]|\\(?=\S)"), ""),
    (re.compile(r"\s+"), " "),
]


def normalized(text: str) -> str:
    """Text with the renderings' markup taken out, so a position can be compared across formats."""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text


def docx_paragraphs(data: bytes) -> list[str]:
    """The text of every paragraph of the notes part, read independently of notecheck."""
    import io
    import zipfile
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        kind = "endnote" if "word/endnotes.xml" in archive.namelist() else "footnote"
        root = ElementTree.fromstring(archive.read(f"word/{kind}s.xml"))
        settings = archive.read("word/settings.xml").decode()
    # Word's reference mark shows the number in the endnotes' format (default lower roman)
    roman = kind == "endnote" and 'w:numFmt w:val="decimal"' not in settings
    out = []
    for endnote in root.iter(f"{{{W}}}{kind}"):
        number = int(endnote.get(f"{{{W}}}id", "0")) - 1
        for paragraph in endnote.iter(f"{{{W}}}p"):
            parts = []
            for element in paragraph.iter():
                if element.tag == f"{{{W}}}{kind}Ref":
                    parts.append(_roman(number) if roman else str(number))
                elif element.tag == f"{{{W}}}t":
                    parts.append(element.text or "")
                elif element.tag == f"{{{W}}}tab":
                    parts.append("\t")
            out.append("".join(parts))
    return out


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def file_text(path: Path, span: Span) -> str:
    """The file's text a span covers (for a .docx: paragraphs of the notes part and offsets)."""
    if path.suffix == ".docx":
        lines = docx_paragraphs(path.read_bytes())
    else:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        lines = text.replace("\r\n", "\n").split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    middle = lines[span.line : span.end_line - 1]
    return "\n".join(
        [lines[span.line - 1][span.column - 1 :], *middle, lines[span.end_line - 1][: span.end_column - 1]]
    )


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_citations_cover_their_text_in_the_file(rendered: Rendered, name: str) -> None:
    """From its first character to its last, a citation's span is its text in the file."""
    path, report = rendered.formats[name]
    (document,) = report.documents
    assert document.parsed is not None
    checked = 0
    for found in document.parsed.citations.values():
        for citation in found:
            assert citation.span.path == document.path
            covered = normalized(file_text(path, citation.span))
            assert covered == normalized(citation.text), (citation.id, citation.text, covered)
            checked += 1
    assert checked >= 40


@pytest.mark.parametrize("name", FINDINGS_CASES)
def test_findings_cover_the_texts_finding_in_the_file(rendered: Rendered, name: str) -> None:
    """Every finding covers the text the plain text's same finding covers, in the file it names."""
    path, report = rendered.formats[name]
    text_path = DATA / f"{rendered.name}.txt"
    wanted: dict[tuple[str, int | None], list[str]] = {}
    for diagnostic in rendered.text.active_diagnostics():
        if diagnostic.code not in TEXT_ONLY:
            flagged = normalized(file_text(text_path, diagnostic.span))
            wanted.setdefault((diagnostic.code, diagnostic.note), []).append(flagged)
    for diagnostic in report.active_diagnostics():
        assert diagnostic.span.path == report.documents[0].path
        if diagnostic.code == "NC102" and diagnostic.code in FORMAT_ONLY[name]:
            data = path.read_bytes()
            first_bad = next(i for i, byte in enumerate(data) if byte > 0x7F)
            assert file_text(path, diagnostic.span)[:1] == data[first_bad : first_bad + 1].decode("cp1252")
            continue
        covered = normalized(file_text(path, diagnostic.span))
        flagged_in_text = wanted.get((diagnostic.code, diagnostic.note), [])
        assert covered in flagged_in_text, (diagnostic.code, diagnostic.note, covered, flagged_in_text)
