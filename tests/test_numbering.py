"""Numbering checks NC104-NC109: one small synthetic edition per rule code."""

from __future__ import annotations

import pytest

from notecheck.fixes import apply_fixes
from notecheck.models import Diagnostic, Severity
from notecheck.numbering import check_numbering, compact_ranges, increasing_run
from notecheck.readers import read_edition_text
from notecheck.rules import get_rule


def findings(text: str, code: str) -> list[Diagnostic]:
    edition = read_edition_text(text, "edition.txt")
    return sorted((d for d in check_numbering(edition) if d.code == code), key=lambda d: d.sort_key)


def codes(text: str) -> list[str]:
    return sorted(d.code for d in check_numbering(read_edition_text(text, "edition.txt")))


CLEAN = "Notes\n1. Zelnik, A Radical Worker, 384.\n2. Ibid., 387-91.\n3. Medvedev, Let History Judge, 408.\n"


def test_a_clean_bare_notes_file_has_no_numbering_findings() -> None:
    assert codes(CLEAN) == []


def test_nc104_gap() -> None:
    text = "Notes\n1. Zelnik, 384.\n2. Ibid., 387.\n5. Medvedev, 408.\n6. Ibid., 409.\n"
    (gap,) = findings(text, "NC104")
    assert gap.severity is Severity.ERROR
    assert (gap.span.line, gap.span.column, gap.span.end_column, gap.note) == (4, 1, 3, 5)
    assert gap.message == "notes 3-4 are missing: the notes go from note 2 to note 5"
    assert gap.fix is None
    assert codes(text) == ["NC104"]


def test_nc104_notes_that_do_not_start_at_one() -> None:
    (gap,) = findings("Notes\n3. Zelnik, 384.\n4. Ibid., 387.\n", "NC104")
    assert gap.message == "notes 1-2 are missing: the notes go from the start to note 3"


def test_nc105_duplicate() -> None:
    text = "Notes\n1. Zelnik, 384.\n2. Ibid., 387.\n2. Medvedev, 408.\n3. Ibid., 409.\n"
    (duplicate,) = findings(text, "NC105")
    assert duplicate.severity is Severity.ERROR
    assert (duplicate.span.line, duplicate.note, duplicate.note_index) == (4, 2, 3)
    assert duplicate.message == "note 2 is numbered twice (the first is on line 3)"
    assert codes(text) == ["NC105"]  # a duplicate is not also out of order


def test_nc106_out_of_order_with_an_unsafe_fix_when_one_number_is_free() -> None:
    text = "Notes\n1. Zelnik, 384.\n2. Ibid., 387.\n7. Medvedev, 408.\n4. Ibid., 409.\n"
    (misplaced,) = findings(text, "NC106")
    assert misplaced.severity is Severity.ERROR
    assert misplaced.message == "note 7 is out of order: it follows note 2"
    assert misplaced.fix is not None and misplaced.fix.applicability == "unsafe"
    assert misplaced.fix.replacement == "3." and misplaced.fix.span == misplaced.span
    assert codes(text) == ["NC106"]  # the fix fills the gap: no NC104 as well
    fixed = apply_fixes(text, [misplaced.fix], unsafe=True)
    assert fixed == text.replace("7. Medvedev", "3. Medvedev")
    assert codes(fixed) == []


def test_nc106_swapped_notes_without_a_fix() -> None:
    (misplaced,) = findings("Notes\n1. Zelnik.\n3. Ibid.\n2. Medvedev.\n4. Ibid.\n", "NC106")
    assert misplaced.fix is None
    assert misplaced.span.line in (3, 4)


def test_nc107_damaged_number_has_a_safe_fix_replacing_exactly_the_label() -> None:
    text = "Notes\n4. Zelnik, 384.\n\ns.\n\nIn a personal statement, 13.\n\n6. Ibid., 387.\n"
    (damaged,) = findings(text, "NC107")
    assert damaged.severity is Severity.ERROR
    assert (damaged.span.line, damaged.span.column, damaged.span.end_column) == (4, 1, 3)
    assert damaged.message == "note number printed as 's.' is read as 5"
    assert damaged.fix is not None and damaged.fix.applicability == "safe"
    fixed = apply_fixes(text, [damaged.fix])
    assert fixed == text.replace("\ns.\n", "\n5.\n")
    assert "NC107" not in codes(fixed)


@pytest.mark.parametrize(
    ("label", "fixed"), [("l2.", "12."), ("[l]", "[1]"), ("lO)", "10)")], ids=["l2.", "[l]", "lO)"]
)
def test_nc107_in_every_label_style(label: str, fixed: str) -> None:
    number = int(fixed.strip("[].)"))
    style = fixed[-1] if fixed[-1] in ".)" else "[]"
    lines = ["Notes"]
    for n in range(number - 2, number + 2):
        printed = label if n == number else (f"[{n}]" if style == "[]" else f"{n}{style}")
        lines.append(f"{printed} Zelnik, A Radical Worker, {n}.")
    (damaged,) = findings("\n".join(lines) + "\n", "NC107")
    assert damaged.fix is not None and damaged.fix.replacement == fixed


def test_nc108_empty_note() -> None:
    text = "Notes\n1. Zelnik, 384.\n2.\nIf\n3. Ibid., 387.\n"
    (empty,) = findings(text, "NC108")
    assert empty.severity is Severity.WARNING
    assert (empty.span.line, empty.note, empty.message) == (3, 2, "note 2 has no text")


def test_nc109_one_info_per_skipped_span() -> None:
    text = "Notes\nII\n1. Zelnik, 384.\nIf\n2. Ibid., 387,\ntI\nand 388.\n"
    skipped = findings(text, "NC109")
    assert [(d.span.line, d.span.column, d.span.end_column) for d in skipped] == [
        (2, 1, 3),
        (4, 1, 3),
        (6, 1, 3),
    ]
    assert all(d.severity is Severity.INFO for d in skipped)
    assert [d.note for d in skipped] == [None, 1, 2]
    assert skipped[0].message == "'II' left out of the notes (before the first note): OCR debris"
    assert skipped[2].message == "'tI' left out of note 2: OCR debris"


def test_nc109_text_between_the_heading_and_the_first_note() -> None:
    (skipped,) = findings("Notes\nCompiled by the editor\n1. Zelnik, 384.\n", "NC109")
    assert skipped.message.endswith("text before the first note")


@pytest.mark.parametrize("code", [f"NC1{n:02d}" for n in range(3, 12)])
def test_every_numbering_rule_is_registered_with_four_part_docs(code: str) -> None:
    rule = get_rule(code)
    assert rule is not None
    assert rule.what and rule.why and rule.example and rule.instead


def test_increasing_run_and_ranges() -> None:
    assert [n for n in increasing_run([1, 2, 7, 4, 5])] == [0, 1, 3, 4]
    assert increasing_run([]) == []
    assert compact_ranges([2, 3, 4, 8, 10, 11]) == "2-4, 8, 10-11"
    assert compact_ranges([]) == ""


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.md", "Body.[^Dobbs] More.[^bis]\n\n[^Dobbs]: Ibid., 4.\n[^bis]: Ibid., 5.\n"),
        (
            "a.xml",
            "<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><p>Body."
            "<note n='i' place='end'>Ibid., 4.</note><note n='ii' place='end'>Ibid., 5.</note>"
            "</p></body></text></TEI>",
        ),
    ],
)
def test_labels_a_computer_wrote_are_never_damaged_numbers(name: str, text: str) -> None:
    """NC107 is for printed (OCR'd) labels: a file written on a computer labels its notes itself,
    and 'fixing' [^Dobbs] into [^1] would cut the call from its definition."""
    from notecheck.readers import format_for, read_edition_bytes

    edition = read_edition_bytes(text.encode(), name, input_format=format_for(name, None))
    assert edition.format != "text" and len(edition.notes) == 2
    assert "NC107" not in [d.code for d in check_numbering(edition)]
