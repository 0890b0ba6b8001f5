"""The Markdown reader: pandoc footnotes, numbering by reference, markup mapped back into the file."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from notecheck.models import Edition
from notecheck.readers import maps_verbatim, read_edition_text
from tests.test_formats import assert_pieces_cover


def read(text: str) -> Edition:
    return read_edition_text(text, "notes.md", input_format="markdown")


def codes(edition: Edition) -> list[str]:
    return [d.code for d in edition.diagnostics]


def test_numbers_follow_first_reference_and_labels_are_kept() -> None:
    edition = read("One.[^b] Two.^[Inline, 3.] Three.[^a] Again.[^b]\n\n[^a]: Alpha, 1.\n[^b]: Beta, 2.\n")
    assert [(n.number, n.label, n.text) for n in edition.notes] == [
        (1, "b", "Beta, 2."),
        (2, "2", "Inline, 3."),
        (3, "a", "Alpha, 1."),
    ]
    assert [(c.number, c.label) for c in edition.calls] == [(1, "b"), (2, "^["), (3, "a"), (1, "b")]
    assert codes(edition) == []


def test_multi_paragraph_definition_with_indented_continuation() -> None:
    text = (
        "Body.[^1]\n\n"
        "[^1]: Reginald E. Zelnik, *A Radical Worker in Tsarist Russia*\n"
        "(Stanford: Stanford University Press, 1986), 45.\n"
        "\n"
        "    On the term *soznatel'nyi*, see Steinberg, “Vanguard Workers,” 72.\n"
        "\n"
        "\tA third paragraph.\n"
        "\n"
        "Back in the body.\n"
    )
    edition = read(text)
    (note,) = edition.notes
    assert note.text == (
        "Reginald E. Zelnik, A Radical Worker in Tsarist Russia\n"
        "(Stanford: Stanford University Press, 1986), 45.\n\n"
        "On the term soznatel'nyi, see Steinberg, “Vanguard Workers,” 72.\n\n"
        "A third paragraph."
    )
    assert (note.line, note.end_line) == (3, 8)
    second = note.text.index("On the term")
    span = note.span(second, second + 2)
    assert (span.line, span.column) == (6, 5)  # the indentation is not part of the note


def test_undefined_reference_nc150() -> None:
    edition = read("Text.[^1] More.[^9]\n\n[^1]: Ibid., 4.\n")
    assert codes(edition) == ["NC150"]
    span = edition.diagnostics[0].span
    assert (span.line, span.column, span.end_column) == (1, 16, 20)
    assert "[^9]" in edition.diagnostics[0].message


def test_unused_definition_nc151_is_skipped_not_read() -> None:
    edition = read("Text.[^1]\n\n[^1]: Ibid., 4.\n[^orphan]: Zelnik, 12.\n")
    assert codes(edition) == ["NC151"]
    assert len(edition.notes) == 1
    (skipped,) = edition.skipped
    assert skipped.text.startswith("[^orphan]: Zelnik, 12.")
    assert edition.diagnostics[0].span.line == 4


def test_duplicate_label_nc152_first_definition_wins() -> None:
    edition = read("Text.[^1]\n\n[^1]: Ibid., 4.\n\n[^1]: Ibid., 5.\n")
    assert codes(edition) == ["NC152"]
    assert [n.text for n in edition.notes] == ["Ibid., 4."]
    assert "line 3" in edition.diagnostics[0].message
    assert edition.diagnostics[0].span.line == 5


def test_code_is_never_searched_for_references() -> None:
    text = (
        "Text.[^1] `[^2]` and \\[^3] escaped.\n\n```\n[^4]: not a definition\n[^5]\n```\n\n[^1]: Ibid., 4.\n"
    )
    edition = read(text)
    assert codes(edition) == []
    assert [n.number for n in edition.notes] == [1]


def test_inline_markup_is_reduced_and_mapped() -> None:
    edition = read(
        "T.[^1]\n\n[^1]: **Bold** and _Title_ and *A* snake_case_word \\*not\\* "
        "[Link text](https://example.org) <https://archive.org> `code` 12--14---no.\n"
    )
    note = edition.notes[0]
    assert note.text == (
        "Bold and Title and A snake_case_word *not* Link text https://archive.org code 12–14—no."
    )
    title = note.text.index("Title")
    assert maps_verbatim(note, title, title + 5)
    assert not maps_verbatim(note, title - 1, title + 5)  # across the dropped "_"
    assert_pieces_cover(note)


def test_lazy_continuation_and_note_end() -> None:
    edition = read("T.[^1]\n\n[^1]: First line\nlazy line.\n# Heading\n")
    assert edition.notes[0].text == "First line\nlazy line."
    assert [s.title for s in edition.sections] == ["Heading"]


def test_headings_become_sections() -> None:
    edition = read("# Document 12\n\nText.[^1]\n\n## Notes\n\n[^1]: Ibid.\n")
    assert [(s.kind, s.title, s.number, s.line) for s in edition.sections] == [
        ("document", "Document 12", 12, 1),
        ("notes", "Notes", None, 5),
    ]


def test_without_pandoc_footnotes_the_text_reader_reads_the_numbered_notes() -> None:
    edition = read("# Notes\n\n1. Zelnik, *Radical Worker*, 45.\n2. Ibid., 46.\n")
    assert edition.format == "markdown"
    assert [n.number for n in edition.notes] == [1, 2]


def test_crlf_line_ends() -> None:
    edition = read("Text.[^1]\r\n\r\n[^1]: Zelnik,\r\n    *Radical Worker*, 45.\r\n")
    note = edition.notes[0]
    assert note.text == "Zelnik,\r\nRadical Worker, 45."
    span = note.span(note.text.index("45"), note.text.index("45") + 2)
    assert (span.line, span.column) == (4, 23)


_CHARS = st.sampled_from([*"ab Z.,;:1-–*_`\\[]()<>^~!\n\t", "    ", "--", "[^x]", "^[", "**", "\r\n"])
_CONTENT = st.lists(_CHARS, max_size=40).map("".join)


@given(st.lists(st.tuples(st.sampled_from(["x", "1", "y"]), _CONTENT), max_size=4), _CONTENT)
def test_property_every_identity_character_maps_to_itself(
    definitions: list[tuple[str, str]], body: str
) -> None:
    text = body + "[^x][^1]^[" + body[:5] + "]\n\n" + "".join(f"[^{k}]: {v}\n" for k, v in definitions)
    edition = read(text)
    for note in edition.notes:
        assert_pieces_cover(note)
        for index in range(len(note.text)):
            span = note.span(index, index + 1)
            assert 1 <= span.line <= edition.source.line_count


@given(st.text(max_size=300))
def test_property_any_text_never_raises(text: str) -> None:
    edition = read(text)
    for note in edition.notes:
        assert_pieces_cover(note)


def test_pathological_markup_stays_fast_and_bounded() -> None:
    import time

    started = time.perf_counter()
    for body in ["*a " * 5000, "[a " * 5000, "*_" * 3000 + "x" + "_*" * 3000]:
        edition = read("T.[^1]\n\n[^1]: " + body + "\n")
        assert len(edition.notes) == 1
    assert time.perf_counter() - started < 3.0


def test_no_break_spaces_read_as_spaces_mapped_to_the_file() -> None:
    text = "A.[^1]\n\n[^1]: RGASPI, f.\u00a017, op.\u202f10, d. 45.\n"
    (note,) = read_edition_text(text, "notes.md", input_format="markdown").notes
    assert note.text == "RGASPI, f. 17, op. 10, d. 45."
    at = note.text.index("17")
    span = note.span(at - 1, at + 2)
    assert text.splitlines()[span.line - 1][span.column - 1 : span.end_column - 1] == "\u00a017"


def test_label_span_covers_the_label_as_printed() -> None:
    text = "A.[^Dobbs] B.[^2]\n\n[^Dobbs]: Ibid., 4.\n\n  [^2]: Ibid., 5.\n"
    notes = read_edition_text(text, "notes.md", input_format="markdown").notes
    lines = text.splitlines()
    covered = [
        lines[n.label_span.line - 1][n.label_span.column - 1 : n.label_span.end_column - 1] for n in notes
    ]
    assert covered == [n.label for n in notes] == ["Dobbs", "2"]
