"""Every input format carries the same notes as the plain-text fixture and reads them alike.

The fixtures in tests/data/formats hold the same eight Chicago-style notes (full citations, short
forms, ibid, archival references) as plain text, Markdown, LaTeX and TEI; the .docx is assembled
from its XML parts by tests/test_docx.py. Each reader must give the same note numbers and texts
(modulo markup and line breaks) and the splitter must find the same citations in them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from notecheck.models import Edition, Note, TextMap
from notecheck.readers import (
    FIXABLE_FORMATS,
    INPUT_FORMATS,
    TextBuilder,
    format_for,
    maps_verbatim,
    read_edition,
    read_edition_bytes,
    read_edition_text,
)
from notecheck.split import parse_note
from tests.test_docx import fixture_docx

DATA = Path(__file__).parent / "data" / "formats"
FILES = {"markdown": "notes.md", "latex": "notes.tex", "tei": "notes.xml"}


def words(text: str) -> str:
    return " ".join(text.split())


def read_format(name: str) -> Edition:
    if name == "docx":
        return read_edition_bytes(fixture_docx(), "notes.docx", input_format="docx")
    return read_edition(DATA / FILES[name])


@pytest.fixture(scope="module")
def text_edition() -> Edition:
    return read_edition(DATA / "notes.txt")


FORMATS = ["markdown", "latex", "tei", "docx"]


def test_text_fixture_reads_eight_notes(text_edition: Edition) -> None:
    assert text_edition.format == "text"
    assert [n.number for n in text_edition.notes] == list(range(1, 9))


@pytest.mark.parametrize("name", FORMATS)
def test_same_numbers_and_texts_as_the_text_fixture(name: str, text_edition: Edition) -> None:
    edition = read_format(name)
    assert edition.format == name
    assert [d.code for d in edition.diagnostics] == []
    assert [n.number for n in edition.notes] == [n.number for n in text_edition.notes]
    assert [n.index for n in edition.notes] == list(range(1, 9))
    assert [words(n.text) for n in edition.notes] == [words(n.text) for n in text_edition.notes]


def citations(note: Note) -> list[tuple[str, str]]:
    return [(c.form.value, words(c.text)) for c in parse_note(note)]


@pytest.mark.parametrize("name", FORMATS)
def test_same_citations_as_the_text_fixture(name: str, text_edition: Edition) -> None:
    edition = read_format(name)
    assert [citations(n) for n in edition.notes] == [citations(n) for n in text_edition.notes]


@pytest.mark.parametrize("name", FORMATS)
def test_citation_spans_point_at_the_citation_in_the_file(name: str) -> None:
    edition = read_format(name)
    for note in edition.notes:
        for citation in parse_note(note):
            first = note.text_map.to_source(citation.start)
            if maps_verbatim(note, citation.start, citation.start + 1):
                assert edition.source.text[first] == citation.text[0]
            assert (citation.span.line, citation.span.column) == edition.source.position(first)


@pytest.mark.parametrize("name", ["text", *FORMATS])
def test_every_identity_piece_holds_the_note_characters(name: str, text_edition: Edition) -> None:
    edition = text_edition if name == "text" else read_format(name)
    for note in edition.notes:
        assert_pieces_cover(note, LATEX_ONE_FOR_ONE if name == "latex" else None)


#: LaTeX markup replaced by one character of its own length: ``~`` is a space, `` ` `` is ``‘``,
#: the closing brace of ``\enquote{...}`` is ``”``.
LATEX_ONE_FOR_ONE = {"~": " ", "`": "‘", "}": "”"}


def assert_pieces_cover(note: Note, equal_length_replacements: dict[str, str] | None = None) -> None:
    """Pieces are in order, cover the text, stay in the file; identity pieces hold the text."""
    replacements = equal_length_replacements or {}
    source = note.source.text
    expected_start = 0
    previous_source_end = 0
    for text_start, source_start, text_length, source_length in note.text_map.pieces:
        assert text_start == expected_start
        assert source_start >= 0 and source_start + source_length <= len(source)
        assert source_start >= previous_source_end
        piece_text = note.text[text_start : text_start + text_length]
        piece_source = source[source_start : source_start + source_length]
        if text_length == source_length and piece_text != piece_source:
            assert all(replacements.get(s) == t for s, t in zip(piece_source, piece_text, strict=True))
        expected_start += text_length
        previous_source_end = source_start + source_length
    assert expected_start == len(note.text)


@pytest.mark.parametrize(("name", "fixable"), [("text", True), *((f, f in FIXABLE_FORMATS) for f in FORMATS)])
def test_fixes_apply_to_text_markdown_latex_only(name: str, fixable: bool, text_edition: Edition) -> None:
    edition = text_edition if name == "text" else read_format(name)
    assert edition.fixable is fixable
    assert fixable == (name in ("text", "markdown", "latex"))


# --- dispatch ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "given", "expected"),
    [
        ("a.md", None, "markdown"),
        ("a.MARKDOWN", None, "markdown"),
        ("a.tex", None, "latex"),
        ("a.xml", None, "tei"),
        ("a.tei", None, "tei"),
        ("a.docx", None, "docx"),
        ("a.txt", None, "text"),
        ("a", None, "text"),
        ("a.txt", "latex", "latex"),
    ],
)
def test_format_for(path: str, given: str | None, expected: str) -> None:
    assert format_for(path, given) == expected


def test_input_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text((DATA / "notes.tex").read_text(encoding="utf-8"), encoding="utf-8")
    assert read_edition(path, input_format="latex").format == "latex"
    assert len(read_edition(path, input_format="latex").notes) == 8


@pytest.mark.parametrize("name", ["markdown", "latex", "tei"])
def test_read_edition_text_matches_the_file(name: str) -> None:
    text = (DATA / FILES[name]).read_text(encoding="utf-8")
    from_text = read_edition_text(text, "x", input_format=name)
    from_file = read_format(name)
    assert [n.text for n in from_text.notes] == [n.text for n in from_file.notes]


def test_unknown_input_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown input format"):
        read_edition_text("", input_format="html")
    assert set(INPUT_FORMATS) == {"text", "markdown", "tei", "docx", "latex"}


@pytest.mark.parametrize("name", ["markdown", "latex"])
def test_binary_input_is_nc101_without_notes(name: str) -> None:
    edition = read_edition_bytes(b"\x00\x01\x02binary", "x", input_format=name)
    assert [d.code for d in edition.diagnostics] == ["NC101"]
    assert edition.notes == ()


def test_latin1_markdown_is_decoded_with_a_warning() -> None:
    data = "Text.[^1]\n\n[^1]: Sem\u00ebn, 45.\n".encode("latin-1")
    edition = read_edition_bytes(data, "x.md", input_format="markdown")
    assert [d.code for d in edition.diagnostics] == ["NC102"]
    assert edition.notes[0].text == "Sem\u00ebn, 45."


def test_unreadable_path_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        read_edition(tmp_path / "missing.md")


# --- the text builder and verbatim check ------------------------------------------------------


def test_text_builder_keeps_replaces_and_strips() -> None:
    source = "  a--b\\emph{c}  "
    builder = TextBuilder(source)
    builder.keep(0, 3)  # "  a"
    builder.put("–", 3, 5)
    builder.keep(5, 6)
    builder.keep(12, 13)  # "c" after the dropped "\emph{"
    builder.keep(14, 16)
    text, text_map = builder.build()
    assert text == "a–bc"
    assert builder.cut == 2
    assert text_map == TextMap(((0, 2, 1, 1), (1, 3, 1, 2), (2, 5, 1, 1), (3, 12, 1, 1)))


def test_text_builder_with_offsets_splits_identity_runs() -> None:
    builder = TextBuilder("abcd", offsets=[10, 11, 20, 21])
    builder.keep(0, 4)
    assert builder.build()[1].pieces == ((0, 10, 2, 2), (2, 20, 2, 2))


def test_maps_verbatim_is_false_over_markup() -> None:
    edition = read_format("latex")
    note = edition.notes[0]
    assert maps_verbatim(note, 0, len("Reginald"))
    dash = note.text.index("–")
    assert not maps_verbatim(note, dash - 3, dash + 2)


# --- the whole pipeline -----------------------------------------------------------------------


def pipeline(path: Path) -> tuple[list[tuple[str, int | None, str]], list[tuple[str, str | None, str]]]:
    """Diagnostics (code, note, severity) and resolutions (citation id, key, status) of a check."""
    from notecheck.config import Config
    from notecheck.pipeline import check

    report = check([path], bib=DATA / "notes.bib", config=Config())
    (document,) = report.documents
    assert document.parsed is not None
    # NC109 lists skipped text: only the TEI fixture has some (a margin note, on purpose).
    diagnostics = sorted(
        (d.code, d.note, d.severity.value) for d in document.diagnostics if d.code != "NC109"
    )
    resolutions = [
        (c.id, document.resolution.of(c).key, document.resolution.of(c).status.value)
        for c in document.parsed.all_citations()
    ]
    return diagnostics, resolutions


@pytest.mark.parametrize("name", FORMATS)
def test_same_diagnostics_and_resolutions_as_the_text_fixture(name: str, tmp_path: Path) -> None:
    if name == "docx":
        path = tmp_path / "notes.docx"
        path.write_bytes(fixture_docx())
    else:
        path = DATA / FILES[name]
    assert pipeline(path) == pipeline(DATA / "notes.txt")
