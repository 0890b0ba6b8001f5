"""Never crash: any edition, any bibliography -> a report, never an exception (issue 11, part 1).

Hypothesis feeds :func:`notecheck.pipeline.check` text and bytes in every input format (damaged
text, NUL bytes, lone surrogates, mixed encodings, unbalanced parentheses and quotes, notes
numbered up to 10^9, random zip archives and XML) and bibliographies in BibTeX and CSL-JSON
(``@string`` loops, duplicate keys, deep braces, any JSON). Each report must hold no NC904: a
stage that crashed is a bug even though ``check`` caught it. Every report renders in every
format, and its JSON validates against the project's schema.

Large inputs are fixed examples, not hypothesis cases: 10 MB on one line, 100,000 notes, 5,000
nested braces in a BibTeX field, and deep nesting in every format (which must not escape as
``RecursionError`` from pyparsing or anywhere else).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notecheck import report as formats
from notecheck.baseline import Baseline
from notecheck.bibliography import Bibliography, load_bibliography
from notecheck.config import Config
from notecheck.pipeline import Report, check
from notecheck.readers import INPUT_FORMATS

from .conftest import BIBLIOGRAPHY, SCHEMA

#: The heavier properties run half the profile's examples each, so the suite stays short.
HALF = settings(max_examples=max(10, settings().max_examples // 2))

EXTENSIONS = {"text": "txt", "markdown": "md", "latex": "tex", "tei": "xml", "docx": "docx"}

#: Pieces of damaged scholarly text: OCR confusions, citation forms, markup of every format,
#: control characters, unbalanced brackets and quotes.
FRAGMENTS = [
    "(",
    ")",
    "((",
    "))",
    '"',
    "“",
    "”",
    "''",
    "‘",
    "’",
    "«",
    "»",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "&lol;",
    "*",
    "_",
    "**",
    "`",
    "~",
    "^[",
    "[^1]",
    "[^1]: ",
    "\\",
    "\\footnote{",
    "\\emph{",
    "\\textit{",
    "``",
    "%",
    "$",
    "#",
    "<note>",
    "</note>",
    "<hi>",
    "</hi>",
    "<note n='3'>",
    "<lb/>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE x [",
    "<!ENTITY e 'x'>",
    "Ibid.",
    "ibid.,",
    "lbid.",
    "Ibid., 45.",
    "Id.",
    "op. cit.",
    "loc. cit.",
    "passim",
    "n. 4",
    "see note 3 above",
    "Document 4",
    "Notes",
    "NOTES",
    "Notes\n",
    "Endnotes\n",
    "Zelnik, Radical Worker, 45.",
    "Reginald E. Zelnik, ed., A Radical Worker (Stanford, 1986), 387–91.",
    "RGASPI, f. 17, op. 100, d. 134977, l. 47.",
    "f. 1, op. 1, ",
    "ll. 3–6 ob.",
    "d. 5,",
    "TsGAIPD",
    "hereafter RW",
    "(hereafter cited as RW)",
    "RW, 34.",
    "vol. 2,",
    "pp. 12–9",
    "45-",
    "–",
    "—",
    "1.",
    "2.",
    "s.",
    "l.",
    "I.",
    "0.",
    "999999999.",
    "1000000000.",
    "10",
    "12, 14, 16",
    "1, ",
    ".,",
    "A. B. C.",
    "Smith Jones Smith",
    "Workers",
    ",",
    ";",
    ":",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\x00",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u202e",
    "\u0301",
    "é",
    "ё",
    "Ж",
    "𝔄",
    "🙂",
    "\ud800",
    "\udfff",
    "\uffff",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join),
)


@st.composite
def numbered_notes(draw: st.DrawFn) -> str:
    """A body, a notes heading and notes whose labels run anywhere up to 10^9."""
    labels = st.one_of(st.integers(0, 40), st.integers(0, 10**9), st.sampled_from(["s.", "l.", "I.", "I0."]))
    notes = draw(st.lists(st.tuples(labels, texts), max_size=12))
    heading = draw(st.sampled_from(["Notes\n", "NOTES\n", "Endnotes\n", ""]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    body = draw(texts)
    lines = [f"{label}{'' if isinstance(label, str) else '.'} {text}" for label, text in notes]
    return body + end + heading + end.join(lines) + end


def encodings(text: str, how: str) -> bytes:
    """``text`` as bytes in one of several (deliberately mixed or broken) encodings."""
    if how == "utf-8":
        return text.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8
    if how == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "cp1252":
        return text.encode("cp1252", "replace")
    half = len(text) // 2  # mixed: a UTF-8 half and a cp1252 half
    return text[:half].encode("utf-8", "surrogatepass") + text[half:].encode("cp1252", "replace")


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "mixed"])


@st.composite
def edition_bytes(draw: st.DrawFn, input_format: str) -> bytes:
    """Bytes of an edition in ``input_format``: well-formed-looking or plain noise."""
    if input_format == "docx":
        return draw(docx_bytes())
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    text = draw(st.one_of(texts, numbered_notes()))
    if input_format == "markdown" and draw(st.booleans()):
        text = f"Body.[^1] More.[^2]\n\n[^1]: {text}\n[^2]: {draw(texts)}\n"
    elif input_format == "latex" and draw(st.booleans()):
        text = (
            f"\\begin{{document}}Body.\\footnote{{{text}}} More.\\endnote{{{draw(texts)}}}\\end{{document}}"
        )
    elif input_format == "tei" and draw(st.booleans()):
        inner = escape(text) if draw(st.booleans()) else text
        text = f"<TEI><text><body><p>Body.<note n='1' place='end'>{inner}</note></p></body></text></TEI>"
    return encodings(text, draw(ENCODINGS))


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@st.composite
def docx_bytes(draw: st.DrawFn) -> bytes:
    """A zip with a main document and an endnotes part holding generated (maybe broken) XML."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=400))
    notes = draw(st.lists(texts, max_size=5))
    escaped = draw(st.booleans())
    body = "".join(
        f'<w:endnote w:id="{i}"><w:p><w:r><w:t>{escape(t) if escaped else t}</w:t></w:r></w:p></w:endnote>'
        for i, t in enumerate(notes, start=1)
    )
    references = "".join(f'<w:r><w:endnoteReference w:id="{i}"/></w:r>' for i in range(1, len(notes) + 1))
    parts = {
        "word/document.xml": f'<w:document xmlns:w="{W}"><w:body><w:p>{references}</w:p></w:body></w:document>',
        "word/endnotes.xml": f'<w:endnotes xmlns:w="{W}">{body}</w:endnotes>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content.encode("utf-8", "surrogatepass"))
    data = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:  # damage a byte of the archive
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    return data


@pytest.fixture(scope="module")
def bibliography() -> Bibliography:
    return load_bibliography(BIBLIOGRAPHY)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return loaded


def internal_errors(report: Report) -> list[str]:
    """The NC904 findings: a stage that crashed (caught, but a bug all the same)."""
    return [d.message for d in report.all_diagnostics() if d.code == "NC904"]


def check_bytes(data: bytes, input_format: str, bib: Bibliography | str | Path | None) -> Report:
    path = f"edition.{EXTENSIONS[input_format]}"
    config = replace(Config(), input_format=input_format)
    return check([path], bib=bib, config=config, baseline=Baseline(), contents={path: data})


def assert_renders(report: Report, schema: dict[str, Any], fmts: tuple[str, ...] = formats.FORMATS) -> None:
    """Every format renders; the JSON parses and validates against the report schema."""
    for fmt in fmts:
        stream = io.StringIO()
        formats.write(report, fmt, stream)
        if fmt == "json":
            jsonschema.validate(json.loads(stream.getvalue()), schema)


# --- any edition ---------------------------------------------------------------------------------


@pytest.mark.parametrize("input_format", INPUT_FORMATS)
@HALF
@given(data=st.data())
def test_any_edition_gives_a_report_without_internal_errors(
    input_format: str, data: st.DataObject, bibliography: Bibliography, schema: dict[str, Any]
) -> None:
    edition = data.draw(edition_bytes(input_format), label="edition")
    report = check_bytes(edition, input_format, bibliography)
    assert internal_errors(report) == []
    assert len(report.documents) == 1
    assert_renders(report, schema, ("json", "text"))


@HALF
@given(text=numbered_notes(), how=ENCODINGS)
def test_any_numbered_notes_render_in_every_format(
    text: str, how: str, bibliography: Bibliography, schema: dict[str, Any]
) -> None:
    report = check_bytes(encodings(text, how), "text", bibliography)
    assert internal_errors(report) == []
    assert_renders(report, schema)


@HALF
@given(text=texts)
def test_any_edition_without_a_bibliography_still_checks(text: str, schema: dict[str, Any]) -> None:
    report = check_bytes(encodings(text, "utf-8"), "text", None)
    assert internal_errors(report) == []
    assert [d.code for d in report.bibliography.diagnostics] == ["NC903"]
    assert_renders(report, schema, ("json",))


# --- any bibliography ----------------------------------------------------------------------------

BIB_FRAGMENTS = [
    "@book{",
    "@article{",
    "@string{",
    "@preamble{",
    "@comment{",
    "@incollection{",
    "@misc(",
    "@",
    "{",
    "}",
    "(",
    ")",
    '"',
    ",",
    "=",
    "#",
    " # ",
    "\n",
    "\\",
    "\\'e",
    '{\\"u}',
    "$",
    "%",
    "\x00",
    "\ud800",
    "zelnik1986",
    "author = ",
    "title = ",
    "year = ",
    "crossref = ",
    "shorttitle = ",
    "month = jan",
    "Zelnik, Reginald E.",
    " and ",
    "others",
    "{A Radical Worker}",
    "1986",
    "-",
    "–",
    "pp",
    "é",
    "@string{a = b # a}",
    "@string{b = a # b}",
    "@string{c = c}",
    "@book{dup, title={A}}",
    "@book{dup, title={B}}",
    "@book{x, crossref={y}}",
    "@book{y, crossref={x}}",
    "@book{k, title = a # b # c}",
]


@st.composite
def bibtex_texts(draw: st.DrawFn) -> str:
    pieces = st.one_of(st.sampled_from(BIB_FRAGMENTS), st.text(max_size=6))
    text = "".join(draw(st.lists(pieces, max_size=50)))
    depth = draw(st.integers(0, 3)) * 50  # sometimes deep braces
    return text + "@book{deep, title = " + "{" * depth + "x" + "}" * depth + "}\n" if depth else text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
csl_item = st.fixed_dictionaries(
    {"id": st.one_of(st.text(max_size=8), st.integers(), st.none())},
    optional={
        "type": st.sampled_from(["book", "article-journal", "chapter", "x", ""]),
        "title": st.one_of(st.text(max_size=30), json_values),
        "author": st.one_of(
            st.lists(
                st.fixed_dictionaries({}, optional={"family": json_values, "given": json_values}), max_size=3
            ),
            json_values,
        ),
        "issued": st.one_of(
            st.fixed_dictionaries({"date-parts": st.lists(st.lists(json_values, max_size=3), max_size=2)}),
            json_values,
        ),
        "short-title": json_values,
        "container-title": json_values,
    },
)


@st.composite
def csl_json_texts(draw: st.DrawFn) -> str:
    document = draw(
        st.one_of(
            st.lists(csl_item, max_size=5),
            json_values,
            st.dictionaries(st.just("items"), st.lists(csl_item, max_size=3)),
        )
    )
    text = json.dumps(document)
    if draw(st.integers(0, 4)) == 0:  # broken JSON
        text = text[: draw(st.integers(0, len(text)))]
    return text


EDITION_TEXT = (
    "Body.1 More.2 Again.3\n\nNotes\n1. Reginald E. Zelnik, ed., A Radical Worker in Tsarist Russia "
    "(Stanford: Stanford University Press, 1986), 387–91.\n2. Ibid., 45.\n3. Zelnik, Radical Worker, 12; "
    "RGASPI, f. 17, op. 100, d. 134977, l. 47.\n"
).encode()


@pytest.fixture(scope="module")
def bib_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bibliographies")


@HALF
@given(text=bibtex_texts())
def test_any_bibtex_gives_a_report_without_internal_errors(
    text: str, bib_folder: Path, schema: dict[str, Any]
) -> None:
    path = bib_folder / "any.bib"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    report = check_bytes(EDITION_TEXT, "text", path)
    assert internal_errors(report) == []
    assert_renders(report, schema, ("json", "text"))


@HALF
@given(text=csl_json_texts())
def test_any_csl_json_gives_a_report_without_internal_errors(
    text: str, bib_folder: Path, schema: dict[str, Any]
) -> None:
    path = bib_folder / "any.json"
    path.write_text(text, encoding="utf-8")
    report = check_bytes(EDITION_TEXT, "text", path)
    assert internal_errors(report) == []
    assert_renders(report, schema, ("json", "text"))


# --- large and deep inputs, as fixed examples ----------------------------------------------------


def test_ten_megabytes_on_one_line(bibliography: Bibliography, schema: dict[str, Any]) -> None:
    """A body of 10 MB without a line end (note calls, citations, parentheses in it), then notes."""
    words = "the workers of the factory went on strike in the spring and the police came "
    unit = words * 12 + "(see Zelnik, Radical Worker, 45); ibid. “Title,” 12 "
    line = (unit * (10_000_000 // len(unit) + 1))[:10_000_000]
    notes = "Notes\n1. Zelnik, Radical Worker, 3.\n2. Ibid., 4.\n"
    report = check_bytes(f"{line}\n\n{notes}".encode(), "text", bibliography)
    assert internal_errors(report) == []
    document = report.documents[0]
    assert document.edition is not None and len(document.edition.notes) == 2
    assert document.edition.source.line_text(1) == line
    assert_renders(report, schema, ("json",))


def test_a_one_megabyte_note_on_one_line(bibliography: Bibliography, schema: dict[str, Any]) -> None:
    """One note of 1 MB on one line: split into its citations, resolved and reported."""
    words = "the workers of the factory went on strike in the spring and the police came "
    unit = words * 12 + "(see Zelnik, Radical Worker, 45); ibid. “Title,” "
    line = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    report = check_bytes(f"Body.1\n\nNotes\n1. {line}\n".encode(), "text", bibliography)
    assert internal_errors(report) == []
    document = report.documents[0]
    assert document.edition is not None and len(document.edition.notes) == 1
    assert document.edition.notes[0].text == line.strip()
    assert report.summary.citations > 1000
    assert_renders(report, schema, ("json",))


def test_a_hundred_thousand_notes(bibliography: Bibliography) -> None:
    """100,000 notes, every hundredth citing a work: all read, in order, none merged."""
    lines = [
        f"{i}. Zelnik, Radical Worker, {i % 400 + 1}.\n" if i % 100 == 1 else f"{i}. Text of note {i}.\n"
        for i in range(1, 100_001)
    ]
    report = check_bytes(("Body.1\n\nNotes\n" + "".join(lines)).encode(), "text", bibliography)
    assert internal_errors(report) == []
    assert report.summary.notes == 100_000
    assert report.summary.citations == 1000
    edition = report.documents[0].edition
    assert edition is not None
    assert edition.notes[-1].text == "Text of note 100000."
    assert [n.number for n in edition.notes] == list(range(1, 100_001))


def test_notes_numbered_near_a_billion_are_read(bibliography: Bibliography) -> None:
    """Large labels cost no memory: the sequence is scored over the labels' ranks."""
    start = 999_999_990
    lines = [f"{n}. Text of note {n}.\n" for n in range(start, start + 9)]
    report = check_bytes(("Notes\n" + "".join(lines)).encode(), "text", bibliography)
    assert internal_errors(report) == []
    edition = report.documents[0].edition
    assert edition is not None
    assert [n.number for n in edition.notes] == list(range(start, start + 9))


def test_five_thousand_nested_braces_in_a_bibtex_field(tmp_path: Path, schema: dict[str, Any]) -> None:
    path = tmp_path / "deep.bib"
    path.write_text(
        "@book{deep, author = {Zelnik, R.}, title = " + "{" * 5000 + "Worker" + "}" * 5000 + "}\n"
    )
    report = check_bytes(EDITION_TEXT, "text", path)
    assert internal_errors(report) == []
    assert report.bibliography.diagnostics  # reported, not swallowed
    assert_renders(report, schema, ("json",))


def _deep_inputs() -> Iterator[tuple[str, str, bytes]]:
    depth = 5000
    yield (
        "text parentheses",
        "text",
        f"Notes\n1. {'(' * depth}Zelnik, Radical Worker, 3{')' * depth}\n".encode(),
    )
    yield "text quotes", "text", f"Notes\n1. {'“' * depth}Title{'”' * depth}, 3\n".encode()
    yield "markdown brackets", "markdown", f"Body.[^1]\n\n[^1]: {'[' * depth}x{']' * depth}\n".encode()
    yield "markdown links", "markdown", f"Body.[^1]\n\n[^1]: {'[a](' * depth}x{')' * depth}\n".encode()
    yield "markdown emphasis", "markdown", f"Body.[^1]\n\n[^1]: {'*_' * depth}x{'_*' * depth}\n".encode()
    yield "markdown inline notes", "markdown", f"Body.{'^[' * depth}x{']' * depth}\n".encode()
    yield "latex braces", "latex", f"Body.\\footnote{{{'{' * depth}x{'}' * depth}}}\n".encode()
    footnotes, emphasis = "\\footnote{" * depth, "\\emph{" * depth
    yield "latex footnotes", "latex", f"Body.{footnotes}x{'}' * depth}\n".encode()
    yield "latex emphasis", "latex", f"Body.\\footnote{{{emphasis}x{'}' * depth}}}\n".encode()
    yield (
        "tei elements",
        "tei",
        (
            f"<TEI><text><body><p>x<note n='1'>{'<hi>' * depth}Smith{'</hi>' * depth}</note></p></body></text></TEI>"
        ).encode(),
    )
    yield (
        "tei notes",
        "tei",
        (f"<TEI><text><body><p>x{'<note>' * depth}Smith{'</note>' * depth}</p></body></text></TEI>").encode(),
    )
    yield "docx elements", "docx", _docx_with(f"{'<w:r>' * depth}<w:t>x</w:t>{'</w:r>' * depth}")


def _docx_with(inner: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:endnoteReference w:id="1"/></w:r></w:p></w:body></w:document>',
        )
        archive.writestr(
            "word/endnotes.xml",
            f'<w:endnotes xmlns:w="{W}"><w:endnote w:id="1"><w:p>{inner}</w:p></w:endnote></w:endnotes>',
        )
    return buffer.getvalue()


DEEP = list(_deep_inputs())


@pytest.mark.parametrize(("input_format", "data"), [(f, d) for _, f, d in DEEP], ids=[n for n, _, _ in DEEP])
def test_deep_nesting_is_no_recursion_error(
    input_format: str, data: bytes, bibliography: Bibliography, schema: dict[str, Any]
) -> None:
    report = check_bytes(data, input_format, bibliography)
    assert internal_errors(report) == []
    assert_renders(report, schema, ("json", "html"))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        '{"items": ' + "[" * 5000 + "]" * 5000 + "}",
        "[{" + '"a": {' * 3000 + "}" * 3000 + "}]",
    ],
    ids=["lists", "items", "objects"],
)
def test_deep_csl_json_is_no_recursion_error(text: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(text)
    report = check_bytes(EDITION_TEXT, "text", path)
    assert internal_errors(report) == []
    assert report.bibliography.diagnostics
