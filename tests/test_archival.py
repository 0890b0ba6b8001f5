"""The archival checker (NC5xx): one test per rule, house style, ibid locators, summary, properties."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.archival import DAMAGED_FORMS, check_archival, collect_uses, house_style
from notecheck.config import Config
from notecheck.fixes import apply_fixes
from notecheck.models import (
    ArchivalFile,
    Citation,
    CitationResolution,
    Diagnostic,
    Form,
    Locator,
    Resolution,
    Severity,
    Status,
)
from notecheck.rules import get_rule
from notecheck.split import ParsedEdition
from tests.test_archival_strategies import Rendered, references
from tests.test_archival_support import edition_from_notes, parse_archival


def check(
    *notes: str, style: Mapping[str, str] | None = None, resolution: Resolution | None = None
) -> tuple[list[Diagnostic], list[ArchivalFile]]:
    parsed = parse_archival(edition_from_notes(*notes))
    config = Config(root=Path.cwd(), archival_style=dict(style or {}))
    return check_archival(parsed, resolution or Resolution(), config)


def codes(diagnostics: list[Diagnostic]) -> list[tuple[str, str | None]]:
    """(code, fix replacement) per diagnostic, in position order."""
    ordered = sorted(diagnostics, key=lambda d: (d.sort_key, d.fix.span.column if d.fix else 0))
    return [(d.code, d.fix.replacement if d.fix else None) for d in ordered]


def fixed(text: str, diagnostics: list[Diagnostic]) -> str:
    return apply_fixes(text, [d.fix for d in diagnostics if d.fix is not None])


# --- a clean reference produces nothing -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47.",
        "RTsKhIDNI, f. 17 (Tsentral'nyi Komitet), op. 100, d. 134977; and f. 124, op. 1, ed. khr. 816.",
        "See RGASPI, f. 17, op. 100, d. 134977, l. 4 (1921), and f. 124, op. 1, ed. khr.\n816, ll. 3, 4 (1929).",
        "GARF, f. R-5446, op. 1a, d. 12, ll. 3 ob.-4, 7 ob. (12 May 1931)",
        "RGASPI, f. 17, op. 100, d. 5, ll. 125-7; see also l. 52.",
        "RGASPI, f. 17, op. 100, d. 5, l. 3 (ibid., l. 4).",
        "RGASPI, f. 17.",  # a whole fond
        "RGASPI, f. 17, op. 100.",  # a whole opis'
    ],
)
def test_clean_reference_produces_nothing(text: str) -> None:
    assert check(text)[0] == []


# --- one test per rule --------------------------------------------------------------------------------


def test_nc501_damaged_abbreviations_are_errors_with_safe_fixes() -> None:
    text = "RTsKhIDNI, f. 124, Ope 1, 00. khr. 816, I. 21; RGASPI, f. 17, op. 100, d. 5, 11. 4-5; ibid., n. 3, 18-22."
    diagnostics, _ = check(text)
    assert codes(diagnostics) == [
        ("NC501", "op."),
        ("NC501", "ed. khr."),
        ("NC501", "l."),
        ("NC501", "ll."),
        ("NC501", "ll."),
    ]
    assert all(d.severity is Severity.ERROR and d.fix and d.fix.applicability == "safe" for d in diagnostics)
    assert "`Ope` is an OCR-damaged `op.`" in diagnostics[0].message
    assert fixed(text, diagnostics) == (
        "RTsKhIDNI, f. 124, op. 1, ed. khr. 816, l. 21; RGASPI, f. 17, op. 100, d. 5, ll. 4-5; ibid., ll. 3, 18-22."
    )


def test_nc501_damaged_leaf_takes_its_number_from_the_leaves() -> None:
    diagnostics, _ = check(
        "RGASPI, f. 17, op. 100, d. 5, 1. 3, 4 (1929); RGASPI, f. 17, op. 100, d. 5, 11. 7."
    )
    assert codes(diagnostics) == [("NC501", "ll."), ("NC501", "l.")]


def test_nc502_house_style_from_the_majority_of_valid_forms() -> None:
    notes = ["RGASPI, f. 17, Op. 1, d. 5.", "RGASPI, f. 17, Op. 2, d. 5.", "RGASPI, f. 17, op. 3, d. 5."]
    diagnostics, _ = check(*notes)
    assert codes(diagnostics) == [("NC502", "Op.")]
    assert diagnostics[0].severity is Severity.WARNING
    assert diagnostics[0].span.line == 3


def test_nc502_house_style_from_configuration_wins() -> None:
    notes = ["RGASPI, f. 17, op. 1, d. 5.", "RGASPI, f. 17, op. 2, d. 5."]
    assert codes(check(*notes, style={"opis": "Op."})[0]) == [("NC502", "Op."), ("NC502", "Op.")]
    assert check(*notes, style={"opis": "op."})[0] == []


def test_damaged_majority_never_becomes_house_style() -> None:
    notes = [
        "RGASPI, f. 17, Ope 1, d. 5, 1. 3.",
        "RGASPI, f. 17, Ope 2, d. 5, I. 4.",
        "RGASPI, f. 17, op. 3, d. 5.",
    ]
    diagnostics, _ = check(*notes)
    assert codes(diagnostics) == [("NC501", "op."), ("NC501", "l."), ("NC501", "op."), ("NC501", "l.")]


def test_house_style_ties_and_absence_fall_back_to_canonical() -> None:
    parsed = parse_archival(
        edition_from_notes("RGASPI, f. 17, Op. 1, d. 5.", "RGASPI, f. 17, op. 2, d. 5, 11. 3-4.")
    )
    style, problems = house_style(collect_uses(parsed, Resolution()))
    assert problems == []
    assert style["opis"] == "op." and style["leaves"] == "ll." and style["edkhr"] == "ed. khr."


def test_nc503_leaf_abbreviation_must_match_the_number_of_leaves() -> None:
    text = "RGASPI, f. 17, op. 100, d. 5, l. 3, 6; RGASPI, f. 17, op. 100, d. 5, ll. 13; ibid., l. 4-6."
    diagnostics, _ = check(text)
    assert codes(diagnostics) == [("NC503", "ll."), ("NC503", "l."), ("NC503", "ll.")]
    assert diagnostics[0].message == "`l.` stands before several leaves; write `ll.`"


def test_nc503_house_style_may_use_l_for_several() -> None:
    assert check("RGASPI, f. 17, op. 100, d. 5, l. 3-6.", style={"leaves": "l."})[0] == []


def test_nc504_fields_out_of_order_have_no_fix() -> None:
    diagnostics, _ = check("RGASPI, f. 17, d. 5, op. 100, l. 3.")
    assert codes(diagnostics) == [("NC504", None)]
    assert diagnostics[0].message.startswith("`op.` (opis') is out of order")


def test_nc505_missing_level_is_an_error_but_stopping_early_is_not() -> None:
    assert codes(check("RGASPI, f. 17, d. 5, l. 3.")[0]) == [("NC505", None)]
    assert codes(check("RGASPI, f. 17, op. 100, l. 3.")[0]) == [("NC505", None)]
    diagnostics, _ = check("RGASPI, f. 17, l. 3.")
    assert sorted(d.message for d in diagnostics) == [
        "archival reference has no delo or storage unit before its leaves",
        "archival reference has no opis' before its leaves",
    ]
    assert check("RGASPI, f. 17, op. 100.")[0] == []


def test_nc506_lost_spacing_is_restored_exactly() -> None:
    text = "RTsKhIDNI, f. 124,op. 1, ed.khr. 816, l.5; RTsKhIDNI, f. 17, op. 100, d. 134977,1.47. This"
    diagnostics, _ = check(text)
    assert {d.code for d in diagnostics} == {"NC506", "NC501"}
    assert fixed(text, diagnostics) == (
        "RTsKhIDNI, f. 124, op. 1, ed. khr. 816, l. 5; RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47. This"
    )


def test_nc507_fond_cited_with_two_unit_kinds() -> None:
    notes = [
        "RGASPI, f. 124, op. 1, ed. khr. 816.",
        "RGASPI, f. 124, op. 1, ed. khr. 817.",
        "RGASPI, f. 124, op. 1, d. 816, l. 3.",
        "RGASPI, f. 17, op. 100, d. 5.",
    ]
    diagnostics, _ = check(*notes)
    assert codes(diagnostics) == [("NC507", None)]
    assert diagnostics[0].span.line == 3
    assert (
        diagnostics[0].message == "fond 124 is cited with `d.` here but with `ed. khr.` 2 time(s) elsewhere"
    )


def test_nc507_continuation_inherits_the_repository() -> None:
    diagnostics, _ = check("RGASPI, f. 124, op. 1, ed. khr. 816, l. 1; and f. 124, op. 1, d. 9.")
    assert codes(diagnostics) == [("NC507", None)]


def test_nc508_backwards_range_is_an_error_without_fix() -> None:
    diagnostics, _ = check("RGASPI, f. 17, op. 100, d. 5, ll. 22-18, 30.")
    assert codes(diagnostics) == [("NC508", None)]
    assert diagnostics[0].severity is Severity.ERROR
    assert "`22-18`" in diagnostics[0].message
    assert check("RGASPI, f. 17, op. 100, d. 5, ll. 125-7.")[0] == []


def test_nc509_missing_comma_is_inserted() -> None:
    text = "RGASPI f. 17, op. 100 d. 5, l. 3."
    diagnostics, _ = check(text)
    assert codes(diagnostics) == [("NC509", ","), ("NC509", ",")]
    assert fixed(text, diagnostics) == "RGASPI, f. 17, op. 100, d. 5, l. 3."


def test_every_archival_rule_is_registered_with_documentation() -> None:
    for code in ("NC501", "NC502", "NC503", "NC504", "NC505", "NC506", "NC507", "NC508", "NC509"):
        rule = get_rule(code)
        assert rule is not None and rule.what and rule.why and rule.example and rule.instead


def test_unusable_archival_style_is_a_configuration_diagnostic() -> None:
    diagnostics, _ = check("RGASPI, f. 17, op. 100, d. 5.", style={"opis": "o.", "shelf": "sh."})
    assert sorted(d.code for d in diagnostics) == ["NC902", "NC902"]


def test_unit_style_key_follows_its_value() -> None:
    diagnostics, _ = check("RGASPI, f. 17, op. 100, d. 5.", style={"unit": "D."})
    assert codes(diagnostics) == [("NC502", "D.")]


# --- ibid locators and tails after an archival reference ---------------------------------------------


def test_ibid_after_archival_reference_checks_its_leaf_abbreviation() -> None:
    notes = [
        "RTsKhIDNI, f. 124, op. 1, ed. khr. 816, l. 28). Yet (ibid., 1. 33), he",
        "Ibid., I. 53.",
        "!bid., n. 3, 18-22, 25-28. A request (!bid., 1. 14).",
    ]
    diagnostics, files = check(*notes)
    assert codes(diagnostics) == [("NC501", "l."), ("NC501", "l."), ("NC501", "ll."), ("NC501", "l.")]
    assert files[0].citations == 5
    assert files[0].leaves == "3, 14, 18-22, 25-28, 33, 53"


def test_see_also_leaves_after_a_reference_are_checked() -> None:
    diagnostics, files = check("RTsKhIDNI, f. 17, op. 100,\nd. 134977, l. 50; see also I. 52. The")
    assert codes(diagnostics) == [("NC501", "l.")]
    assert files[0].leaves == "50, 52" and files[0].citations == 1


def test_ibid_after_a_book_is_not_read_as_leaves() -> None:
    edition = edition_from_notes("RGASPI, f. 17, op. 1, d. 5.", "A Radical Worker, 34; ibid., 1. 33.")
    parsed = parse_archival(edition)
    note = edition.notes[1]
    book = Citation("n2c0", 2, Form.FULL, "A Radical Worker, 34", 0, 20, note.span(0, 20))
    parsed.citations[2] = (book, *parsed.citations[2])
    diagnostics, _ = check_archival(parsed, Resolution(), Config(root=Path.cwd()))
    assert diagnostics == []


def test_ibid_with_a_leaf_locator_is_checked_even_without_archival_context() -> None:
    edition = edition_from_notes("Letter to Stalin; ibid., I. 37.")
    note = edition.notes[0]
    start = note.text.index("ibid")
    locator = Locator("I. 37", "leaf", ((37, 37),), start=start + 6, end=start + 11)
    ibid = Citation("n1c1", 1, Form.IBID, "ibid., I. 37", start, start + 12, note.span(start, start + 12))
    parsed = ParsedEdition(edition, {1: (replace_locator(ibid, locator),)})
    diagnostics, files = check_archival(parsed, Resolution(), Config(root=Path.cwd()))
    assert codes(diagnostics) == [("NC501", "l.")]
    assert files == []


def replace_locator(citation: Citation, locator: Locator) -> Citation:
    from dataclasses import replace

    return replace(citation, locator=locator)


def test_resolver_antecedent_wins_over_the_last_reference() -> None:
    edition = edition_from_notes("RGASPI, f. 17, op. 1, d. 5.", "ibid., 1. 33.")
    parsed = parse_archival(edition)
    ibid = parsed.citations[2][0]
    resolution = Resolution({ibid.id: CitationResolution("book", Status.RESOLVED, antecedent="n9c9")})
    diagnostics, _ = check_archival(parsed, resolution, Config(root=Path.cwd()))
    assert diagnostics == []


# --- the summary -------------------------------------------------------------------------------------


def test_summary_counts_citations_and_merges_leaves() -> None:
    notes = [
        "RGASPI, f. 17, op. 100, d. 134977, ll. 3-4; and f. 124, op. 1, ed. khr. 816, l. 9.",
        "RGASPI, f. 17, op. 100, d. 134977, ll. 5, 6, 9; ibid., l. 12.",
    ]
    parsed = parse_archival(edition_from_notes(*notes))
    first = parsed.citations[1][0]
    resolution = Resolution({first.id: CitationResolution("kanatchikov-delo", Status.RESOLVED)})
    _, files = check_archival(parsed, resolution, Config(root=Path.cwd()))
    assert files == [
        ArchivalFile("kanatchikov-delo", "RGASPI", "17", "100", "134977", 3, "3-6, 9, 12", "d"),
        ArchivalFile(None, "RGASPI", "124", "1", "816", 1, "9", "ed. khr."),
    ]


# --- properties ----------------------------------------------------------------------------------------


@given(references())
def test_generated_clean_reference_produces_nothing(rendered: Rendered) -> None:
    assert check(f"See {rendered.text}.")[0] == []


@st.composite
def damaged(draw: st.DrawFn) -> tuple[Rendered, str]:
    """A well-formed reference, and the same reference with one token damaged."""
    rendered = draw(references())
    pieces = list(rendered.pieces)
    choices = [i for i, (kind, _) in enumerate(pieces) if kind.startswith("abbr:")]
    spaces = [
        i
        for i, (kind, text) in enumerate(pieces)
        if kind == "sep" and i + 1 < len(pieces) and pieces[i + 1][0].startswith("abbr:") and text == ", "
    ]
    spaces += [
        i for i, (kind, _) in enumerate(pieces) if kind == "sep" and i and pieces[i - 1][0] == "abbr:leaf"
    ]
    index = draw(st.sampled_from(choices + spaces))
    kind, text = pieces[index]
    if kind.startswith("abbr:"):
        name = kind.removeprefix("abbr:")
        forms = (
            DAMAGED_FORMS["leaf"] + DAMAGED_FORMS["leaves"]
            if name in ("leaf", "leaves")
            else DAMAGED_FORMS[name]
        )
        pieces[index] = (kind, draw(st.sampled_from(forms)))
    else:
        pieces[index] = (kind, text.rstrip(" "))  # the space after a comma or after l. is lost
    return rendered, "".join(text for _, text in pieces)


@given(damaged())
def test_one_damaged_token_is_reported_with_the_fix_that_restores_it(case: tuple[Rendered, str]) -> None:
    rendered, text = case
    diagnostics, _ = check(text)
    assert len(diagnostics) == 1, codes(diagnostics)
    assert diagnostics[0].code in ("NC501", "NC506")
    assert fixed(text, diagnostics) == rendered.text


@given(
    st.lists(
        st.sampled_from(
            [
                "RGASPI, ",
                "f. 1",
                ", op. 2",
                ", d. 3",
                ", ed. khr. 4",
                ", ll. 5-2",
                ", 1. 7",
                " (1921)",
                "; ",
                "ibid., ",
                "I. 4",
                "n. 3, 4",
                ", see also l. 9",
                "\n",
                "x",
            ]
        ),
        max_size=25,
    ).map("".join)
)
def test_checker_never_raises_and_fixes_stay_inside_the_note(text: str) -> None:
    diagnostics, _ = check(text)
    for diagnostic in diagnostics:
        if diagnostic.fix is not None:
            span = diagnostic.fix.span
            assert (span.line, span.column) <= (span.end_line, span.end_column)
            assert span.end_line <= text.count("\n") + 1


def test_splitter_shapes_are_counted_once() -> None:
    """The splitter may give one reference to two citations (a document described before it) and
    read ``see also I. 52`` as an ibid with a leaf locator; each place is checked and counted once."""
    from dataclasses import replace

    text = "Petrov to TsK, 15 March 1924, RTsKhIDNI, f. 17, op. 100, d. 134977, l. 50; see also I. 52."
    edition = edition_from_notes(text)
    parsed = parse_archival(edition)
    (reference,) = parsed.citations[1]
    note = edition.notes[0]
    described = replace(
        reference, id="n1c0", start=0, text=text[: reference.end], span=note.span(0, reference.end)
    )
    at = text.index("see also")
    leaf = text.index("I. 52")
    also = Citation(
        "n1c2",
        1,
        Form.IBID,
        "see also I. 52",
        at,
        at + 14,
        note.span(at, at + 14),
        locator=Locator("I. 52", "leaf", ((52, 52),), start=leaf, end=leaf + 5),
    )
    parsed.citations[1] = (described, reference, also)
    diagnostics, files = check_archival(parsed, Resolution(), Config(root=Path.cwd()))
    assert codes(diagnostics) == [("NC501", "l.")]
    assert [(f.citations, f.leaves) for f in files] == [(1, "50, 52")]
