"""The LaTeX reader: note bodies, markup reduced to text with positions in the .tex, cite keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.bibliography import Bibliography
from notecheck.models import Edition, Entry, Span
from notecheck.readers import maps_verbatim, read_edition_text
from notecheck.resolver.cite_keys import check_cite_keys, cited_keys
from tests.test_formats import LATEX_ONE_FOR_ONE, assert_pieces_cover


def read(text: str) -> Edition:
    return read_edition_text(text, "notes.tex", input_format="latex")


def codes(edition: Edition) -> list[str]:
    return [d.code for d in edition.diagnostics]


def note_text(body: str) -> str:
    edition = read("Text.\\footnote{" + body + "}")
    assert len(edition.notes) == 1, edition.diagnostics
    return edition.notes[0].text


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("\\emph{Radical Worker}, 45.", "Radical Worker, 45."),
        ("\\textit{A} and {\\em B} and {\\itshape C}", "A and B and C"),
        ("pp.~387--91", "pp. 387–91"),
        ("a---b", "a—b"),
        ("``Vanguard Workers,'' in", "“Vanguard Workers,” in"),
        ("`single'", "‘single'"),
        (
            'Sem\\"{e}n, Sem\\"en, {\\"e}, \\v{C}ech, \\\'{E}mile, na\\"{\\i}ve',
            "Semën, Semën, ë, Čech, Émile, naïve",
        ),
        ("Stra\\ss e \\l\\'od\\'z \\AA", "Straße łódź Å"),
        ("Harper \\& Row, 50\\%, \\$5, \\#3, a\\_b", "Harper & Row, 50%, $5, #3, a_b"),
        ("see \\ldots{} and", "see … and"),
        ("ed.\\ and trans.", "ed. and trans."),
        ("\\enquote{Vanguard}", "“Vanguard”"),
        ("\\url{https://x.org/a_b~c}", "https://x.org/a_b~c"),
        ("\\href{https://x.org}{the archive}", "the archive"),
        ("Zelnik\\label{n:z}\\index{Zelnik}, 45.", "Zelnik, 45."),
        ("nested {braces {inside}} here", "nested braces inside here"),
        ("with $x$ math", "with x math"),
        ("line one\n   line two", "line one\nline two"),
        ("before % a comment } with a brace\n   after", "before after"),
        ("RTsKhIDNI, f.~17, op.~100, d.~134977, l.~47.", "RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47."),
    ],
)
def test_markup_reduced_to_plain_text(body: str, text: str) -> None:
    assert note_text(body) == text


def test_positions_point_into_the_tex_file() -> None:
    source = "\\section{Document 2}\nText.\\footnote{Zelnik,\n  \\emph{Radical Worker}, 387--91.}\n"
    edition = read(source)
    (note,) = edition.notes
    assert (note.line, note.end_line) == (2, 3)
    assert (note.label_span.line, note.label_span.column, note.label_span.end_column) == (2, 6, 15)
    title = note.text.index("Radical")
    assert note.span(title, title + len("Radical Worker")) == Span("notes.tex", 3, 9, 3, 23)
    dash = note.text.index("–")
    assert note.span(dash, dash + 1) == Span("notes.tex", 3, 29, 3, 31)  # the "--"
    assert maps_verbatim(note, title, title + 7)
    assert not maps_verbatim(note, dash - 3, dash + 1)
    assert edition.sections[0].number == 2


def test_numbering_optional_numbers_marks_and_texts() -> None:
    edition = read(
        "A.\\footnote{One.} B.\\footnote[7]{Seven.} C.\\footnotemark\\ D.\\footnotetext{Mark's text.}"
        " E.\\endnote{End one.} F.\\footnote{Three.}"
    )
    assert [(n.number, n.label, n.text) for n in edition.notes] == [
        (1, "1", "One."),
        (7, "7", "Seven."),
        (2, "2", "Mark's text."),
        (1, "1", "End one."),
        (3, "3", "Three."),
    ]
    assert [c.number for c in edition.calls] == [1, 7, 2, 1, 3]


def test_preamble_comments_and_verbatim_are_not_read() -> None:
    edition = read(
        "\\newcommand{\\x}{\\footnote{preamble}}\n\\begin{document}\n"
        "% \\footnote{commented}\n\\verb|\\footnote{verb}|\n"
        "\\begin{verbatim}\n\\footnote{verbatim}\n\\end{verbatim}\n"
        "Real.\\footnote{Ibid., 4.}\n\\end{document}\n\\footnote{after the end}\n"
    )
    assert [n.text for n in edition.notes] == ["Ibid., 4."]
    assert edition.notes[0].line == 8


def test_unclosed_note_nc157_reads_to_the_blank_line() -> None:
    edition = read("Text.\\footnote{Zelnik, \\emph{Radical Worker}, 45.\nstill note\n\nNext paragraph.\n")
    assert codes(edition) == ["NC157"]
    assert edition.notes[0].text == "Zelnik, Radical Worker, 45.\nstill note"
    assert "line 3" in edition.diagnostics[0].message


def test_unknown_command_nc158_keeps_its_argument() -> None:
    edition = read("Text.\\footnote{\\archive[RGASPI]{f. 17}, op. 100.}")
    assert codes(edition) == ["NC158"]
    assert edition.notes[0].text == "f. 17, op. 100."
    diagnostic = edition.diagnostics[0]
    assert diagnostic.note == 1 and "\\archive" in diagnostic.message
    assert (diagnostic.span.column, diagnostic.span.end_column) == (16, 24)


def test_no_notes_is_nc103() -> None:
    assert codes(read("\\begin{document}Just text.\\end{document}")) == ["NC103"]


def bibliography(*keys: str) -> Bibliography:
    span = Span("refs.bib", 1, 1, 1, 1)
    return Bibliography("refs.bib", entries={k: Entry(k, "book", {"title": k}, span) for k in keys})


def test_cite_keys_recorded_with_offsets() -> None:
    edition = read("T.\\footnote{See \\autocite[45]{zelnik1986, bonnell1983}; \\cite*{Steinberg1994}.}")
    (note,) = edition.notes
    assert note.text == "See zelnik1986, bonnell1983; Steinberg1994."
    assert [(k, note.text[s:e]) for k, s, e in note.cite_keys] == [
        ("zelnik1986", "zelnik1986"),
        ("bonnell1983", "bonnell1983"),
        ("Steinberg1994", "Steinberg1994"),
    ]
    assert cited_keys(edition) == {"zelnik1986", "bonnell1983", "Steinberg1994"}


def test_unknown_cite_key_nc480_with_did_you_mean() -> None:
    edition = read("T.\\footnote{  See \\cite{zelnik1968}, \\cite{bonnell1983} and \\cite{steinberg1994}.}")
    found = check_cite_keys(edition, bibliography("zelnik1986", "bonnell1983", "Steinberg1994"))
    assert [d.code for d in found] == ["NC480", "NC480"]
    first, second = found
    assert "'zelnik1968'" in first.message and "did you mean 'zelnik1986'" in first.message
    assert (first.span.line, first.span.column, first.span.end_column) == (1, 25, 35)
    assert "case-sensitive" in second.message
    assert first.note == 1


def test_cite_keys_without_bibliography_report_nothing() -> None:
    assert check_cite_keys(read("T.\\footnote{\\cite{x}}"), None) == []


def test_cite_keys_are_resolved_by_check_and_count_as_used(tmp_path: Path) -> None:
    """The resolve stage reports unknown keys (NC480) and counts known ones as used (no NC250)."""
    from notecheck.pipeline import check

    tex = tmp_path / "notes.tex"
    tex.write_text("Body.\\footnote{See \\cite{zelnik1986} and \\cite{zelnik1968}.}\n", encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@book{zelnik1986, author = {Zelnik, Reginald E.}, title = {A Radical Worker}, "
        "location = {Stanford}, year = {1986}}\n",
        encoding="utf-8",
    )
    report = check([tex], bib=bib)
    codes = [d.code for d in report.all_diagnostics()]
    assert codes.count("NC480") == 1
    assert "NC250" not in codes
    assert report.bibliography.unused == []


_PIECES = st.sampled_from(
    [
        "a", "Z", " ", ".", ",", "1", "\n", "\n  ", "~", "--", "---", "``", "''", "`", "'", "{", "}",
        "\\emph{", "\\'", "\\\"", "\\v", "{\\i}", "\\ss ", "\\&", "\\%", "\\\\", "\\ ", "%c\n", "$",
        "\\cite{k}", "\\cite[p]{a,b}", "\\foo", "\\url{", "\\footnote{", "[", "]", "\\enquote{", "é",
    ]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_property_every_identity_character_maps_to_itself(body: str) -> None:
    edition = read("Text.\\footnote{" + body + "} more \\footnote{" + body[::-1] + "}")
    for note in edition.notes:
        assert_pieces_cover(note, LATEX_ONE_FOR_ONE)
        for key, start, end in note.cite_keys:
            assert note.text[start:end] == key
        for index in range(len(note.text)):
            span = note.span(index, index + 1)
            assert 1 <= span.line <= edition.source.line_count


@given(st.text(max_size=300))
def test_property_any_text_never_raises(text: str) -> None:
    for note in read(text).notes:
        assert_pieces_cover(note, LATEX_ONE_FOR_ONE)


def test_pathological_nesting_stays_fast_and_bounded() -> None:
    import time

    started = time.perf_counter()
    edition = read("\\footnote{" + "\\enquote{" * 3000 + "x" + "}" * 3001)
    assert "x" in edition.notes[0].text
    edition = read("\\footnote{a " * 3000)
    assert codes(edition)[0] == "NC157"
    assert time.perf_counter() - started < 3.0
