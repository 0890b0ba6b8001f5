"""The text reader on the forms notes come in, and on bad input: a diagnostic, never a traceback."""

from __future__ import annotations

import pytest

from notecheck.models import Edition, Section
from notecheck.numbering import check_numbering
from notecheck.readers import read_edition_bytes, read_edition_text


def summary(edition: Edition) -> list[tuple[int | None, str, int, str]]:
    return [(n.number, n.label, n.line, n.text) for n in edition.notes]


# --- the forms notes come in ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("1. Zelnik, 384.\n2. Ibid., 387.\n3. Medvedev, 408.\n", ["1.", "2.", "3."]),
        ("1) Zelnik, 384.\n2) Ibid., 387.\n3) Medvedev, 408.\n", ["1)", "2)", "3)"]),
        ("[1] Zelnik, 384.\n[2] Ibid., 387.\n[3] Medvedev, 408.\n", ["[1]", "[2]", "[3]"]),
        ("Notes\n\n1. Zelnik, 384.\n2. Ibid., 387.\n3. Medvedev, 408.\n", ["1.", "2.", "3."]),
        ("ENDNOTES\n1. Zelnik, 384.\n2. Ibid., 387.\n3. Medvedev, 408.\n", ["1.", "2.", "3."]),
    ],
    ids=["bare-period", "bare-parenthesis", "bare-brackets", "notes-heading", "endnotes-heading"],
)
def test_bare_notes_files_as_reference_managers_export_them(text: str, labels: list[str]) -> None:
    edition = read_edition_text(text, "notes.txt")
    assert [n.number for n in edition.notes] == [1, 2, 3]
    assert [n.label for n in edition.notes] == labels
    assert [n.text for n in edition.notes] == ["Zelnik, 384.", "Ibid., 387.", "Medvedev, 408."]
    assert edition.diagnostics == ()
    assert check_numbering(edition) == []


def test_notes_are_those_after_the_last_notes_heading() -> None:
    text = (
        "Preface\nSome notes on the text.\nNotes\n1. A numbered list in the body.\n"
        "Document 1\nThe text.1\nNotes\n1. Zelnik, 384.\n"
    )
    edition = read_edition_text(text, "edition.txt")
    assert summary(edition) == [(1, "1.", 8, "Zelnik, 384.")]
    assert [s.kind for s in edition.sections] == ["body", "document", "notes"]
    assert edition.sections[-1].line == 7
    assert [(c.number, c.span.line) for c in edition.calls] == [(1, 6)]


def test_a_notes_heading_without_numbered_notes_after_it_is_passed_over() -> None:
    text = "Notes\n1. Zelnik, 384.\n2. Ibid., 387.\nNotes\nThese are the editor's notes on the text.\n"
    edition = read_edition_text(text, "edition.txt")
    assert [n.line for n in edition.notes] == [2, 3]
    assert edition.notes[1].text.endswith("These are the editor's notes on the text.")


def test_without_a_heading_the_longest_numbered_run_is_the_notes() -> None:
    text = (
        "Introduction\nThe defendants were:\n1) Pankratov, a woodworker;\n2) Tsybyshev.\n\n"
        "The end of the body.1\n\n1. Zelnik, 384.\n2. Ibid., 387.\n3. Medvedev, 408.\n"
    )
    edition = read_edition_text(text, "edition.txt")
    assert [(n.number, n.line) for n in edition.notes] == [(1, 8), (2, 9), (3, 10)]
    assert edition.sections == (Section("body", "Introduction", None, 1),)
    assert [c.number for c in edition.calls] == [1]


def test_a_bibliography_heading_ends_the_notes() -> None:
    text = "Notes\n1. Zelnik, 384.\n2. Ibid., 387.\nBibliography\nZelnik, Reginald. A Radical Worker. 1986.\n"
    edition = read_edition_text(text, "edition.txt")
    assert edition.notes[-1].text == "Ibid., 387."


def test_document_headings_with_roman_numerals() -> None:
    text = "Introduction\nText.\nDocument IV\nMore text.\nDOCUMENT 12\nNotes\n1. Zelnik.\n"
    sections = read_edition_text(text).sections
    assert [(s.kind, s.title, s.number, s.line) for s in sections] == [
        ("body", "Introduction", None, 1),
        ("document", "Document IV", 4, 3),
        ("document", "DOCUMENT 12", 12, 5),
        ("notes", "Notes", None, 6),
    ]


def test_a_label_glued_to_its_text_and_an_indented_label() -> None:
    edition = read_edition_text("Notes\n1.Zelnik, 384.\n  2. Ibid., 387.\n3.5 million rubles.\n")
    assert summary(edition) == [
        (1, "1.", 2, "Zelnik, 384."),
        (2, "2.", 3, "Ibid., 387.\n3.5 million rubles."),
    ]
    assert edition.notes[1].label_span.column == 3


def test_note_text_keeps_the_files_line_ends() -> None:
    edition = read_edition_text("Notes\r\n1. Zelnik,\r\n384.\r\n2. Ibid.\r\n")
    assert edition.notes[0].text == "Zelnik,\r\n384."


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\n\t\n", "the file is empty"),
        (b"Just some body text.\nNo notes here.\n", "no line begins with a note number"),
        (b"Notes\n\nThe notes were lost.\n", "no numbered note follows the notes heading at line 1"),
    ],
    ids=["empty", "blank", "no-notes", "heading-only"],
)
def test_files_without_notes_give_nc103_with_the_reason(data: bytes, reason: str) -> None:
    edition = read_edition_bytes(data, "empty.txt")
    assert edition.notes == ()
    (diagnostic,) = edition.diagnostics
    assert diagnostic.code == "NC103"
    assert "empty.txt" in diagnostic.message and reason in diagnostic.message
    assert check_numbering(edition) == []


def test_a_binary_file_is_a_diagnostic() -> None:
    edition = read_edition_bytes(b"%PDF-1.4\x00\x00\x01\x02" * 100, "scan.txt")
    assert edition.notes == ()
    assert "NC101" in [d.code for d in edition.diagnostics]


def test_a_non_utf8_file_is_read_with_a_fallback_and_a_warning() -> None:
    edition = read_edition_bytes("Notes\n1. Gol\u00e9denberg, 384.\n".encode("cp1252"), "old.txt")
    assert [n.text for n in edition.notes] == ["Gol\u00e9denberg, 384."]
    assert [d.code for d in edition.diagnostics] == ["NC102"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "lone-cr"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_line_ends_and_bom(newline: str, bom: bytes) -> None:
    text = newline.join(["Notes", "1.", "", "Zelnik,", "384.", "If", "2. Ibid."]) + newline
    edition = read_edition_bytes(bom + text.encode("utf-8"), "notes.txt")
    assert [(n.number, n.line, n.end_line) for n in edition.notes] == [(1, 2, 5), (2, 7, 7)]
    assert edition.notes[0].text == f"Zelnik,{newline}384."
    assert [(s.span.line, s.text) for s in edition.skipped] == [(6, "If")]
    assert edition.diagnostics == ()


def test_a_10_mb_single_line_reads() -> None:
    # Linear time: no regular expression runs over more than a line prefix or backtracks.
    # (A plain test; the timing target belongs to the benchmark suite.)
    line = "Kanatchikov, 1905. ibid., f. 17, op. 100, d. 134977, l. 47. " * 170_000
    edition = read_edition_text(line + "\nNotes\n1. " + line, "huge.txt")
    assert len(line) > 10_000_000
    assert [n.number for n in edition.notes] == [1]
    assert len(edition.notes[0].text) == len(line.strip())
    body_only = read_edition_text(line, "huge.txt")
    assert [d.code for d in body_only.diagnostics] == ["NC103"]


def test_a_line_full_of_call_like_numbers_reads() -> None:
    line = "a word.1 another.2 " * 50_000
    edition = read_edition_text(line + "\nNotes\n1. Zelnik.\n2. Ibid.\n", "calls.txt")
    assert [c.number for c in edition.calls if c.in_sequence] == [1, 2]
    strays = [c for c in edition.calls if not c.in_sequence]
    assert 0 < len(strays) <= 100  # reported up to a cap, not one per number in the line
