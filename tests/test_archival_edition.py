"""The archival checker on the edition: every reference parsed, every damaged abbreviation fixed."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from notecheck.archival import VALID_FORMS, check_archival, collect_uses
from notecheck.archival_grammar import ABBREVIATIONS
from notecheck.config import Config
from notecheck.fixes import apply_fixes
from notecheck.models import Diagnostic, Edition, Form, Resolution
from notecheck.readers import read_edition, read_edition_text
from tests.conftest import EDITION
from tests.test_archival_support import parse_archival

CONFIG = Config(root=Path.cwd())


@pytest.fixture(scope="module")
def edition() -> Edition:
    return read_edition(EDITION)


def run(edition: Edition) -> tuple[list[Diagnostic], int]:
    parsed = parse_archival(edition)
    diagnostics, _ = check_archival(parsed, Resolution(), CONFIG)
    references = sum(1 for c in parsed.all_citations() if c.fields.archival is not None)
    return diagnostics, references


def test_every_archival_reference_is_parsed(edition: Edition) -> None:
    parsed = parse_archival(edition)
    references = [c for c in parsed.all_citations() if c.fields.archival is not None]
    assert len(references) == 19
    assert Counter(c.form for c in references) == {Form.ARCHIVAL: 18, Form.IBID: 1}
    assert sum(1 for c in references if c.fields.archival and c.fields.archival.archive is None) == 3
    # every "f. <number>" in the notes lies inside a parsed reference
    for note in edition.notes:
        spans = [(c.start, c.end) for c in parsed.citations[note.index] if c.fields.archival is not None]
        for fond in re.finditer(r"(?<![\w.])f\.\s*\d", note.text):
            assert any(start <= fond.start() < end for start, end in spans), (note.number, fond.group())
    for citation in references:
        reference = citation.fields.archival
        assert reference is not None
        assert reference.fond in ("17", "124")
        assert (reference.fond, reference.opis, reference.unit_kind, reference.unit) in {
            ("17", "100", "d", "134977"),
            ("124", "1", "ed. khr.", "816"),
        }


def test_every_damaged_abbreviation_is_reported_with_a_fix(edition: Edition) -> None:
    parsed = parse_archival(edition)
    diagnostics, _ = check_archival(parsed, Resolution(), CONFIG)
    flagged = {(d.span.line, d.span.column) for d in diagnostics if d.code == "NC501" and d.fix is not None}
    damaged = 0
    for use in collect_uses(parsed, Resolution()):
        for lexeme in use.lexemes:
            valid = {form for forms in VALID_FORMS.values() for form in forms}
            if lexeme.role in ABBREVIATIONS and " ".join(lexeme.text.split()) not in valid:
                damaged += 1
                span = use.note.span(lexeme.start, lexeme.end)
                assert (span.line, span.column) in flagged, lexeme
    assert damaged == len(flagged) == 36
    printed = Counter(d.message.split("`")[1] for d in diagnostics if d.code == "NC501")
    assert printed == {"Ope": 11, "1.": 11, "11.": 5, "I.": 5, "n.": 2, "00. khr.": 1, "ed. khr,": 1}


def test_edition_diagnostics_by_code(edition: Edition) -> None:
    diagnostics, _ = run(edition)
    assert Counter(d.code for d in diagnostics) == {"NC501": 36, "NC506": 7}
    assert all(d.fix is not None and d.fix.applicability == "safe" for d in diagnostics)


def test_edition_summary_lists_both_files(edition: Edition) -> None:
    _, files = check_archival(parse_archival(edition), Resolution(), CONFIG)
    assert [(f.archive, f.fond, f.opis, f.unit_kind, f.unit) for f in files] == [
        ("RTsKhIDNI", "17", "100", "d", "134977"),
        ("RTsKhIDNI", "124", "1", "ed. khr.", "816"),
    ]
    assert [f.citations for f in files] == [9, 16]
    assert files[0].leaves == "3-4, 6, 9, 36-37, 47, 50, 52-53"
    assert files[1].leaves == "3-6, 8-9, 13-22, 25-28, 30-31, 33-35"


def test_fixed_edition_passes_cleanly_and_nothing_else_changes(edition: Edition) -> None:
    diagnostics, references = run(edition)
    fixes = sorted(
        (d.fix for d in diagnostics if d.fix is not None), key=lambda f: (f.span.line, f.span.column)
    )
    original = edition.source.text
    text = apply_fixes(original, fixes)
    assert text != original

    again = read_edition_text(text, edition.path)
    assert len(again.notes) == len(edition.notes)
    after, references_after = run(again)
    assert after == []
    assert references_after == references

    # rebuild the fixed text from the original outside the fix spans: nothing else moved
    pieces: list[str] = []
    cursor = 0
    source = edition.source
    for fix in fixes:
        start = source.offset(fix.span.line, fix.span.column)
        end = source.offset(fix.span.end_line, fix.span.end_column)
        assert start >= cursor
        pieces += [original[cursor:start], fix.replacement]
        cursor = end
    pieces.append(original[cursor:])
    assert "".join(pieces) == text
    # and every fix lies inside an archival reference or the leaf locator of an ibid
    assert all(fix.span.line == fix.span.end_line for fix in fixes)


def test_edition_line_ends_and_untouched_lines_are_kept(edition: Edition) -> None:
    diagnostics, _ = run(edition)
    text = apply_fixes(edition.source.text, [d.fix for d in diagnostics if d.fix is not None])
    before, after = edition.source.text.splitlines(keepends=True), text.splitlines(keepends=True)
    assert len(before) == len(after)
    touched = {d.fix.span.line for d in diagnostics if d.fix is not None}
    for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        if number not in touched:
            assert old == new
        else:
            assert old[-1:] == new[-1:]
