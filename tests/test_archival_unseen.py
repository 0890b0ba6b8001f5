"""Archival references below the fond, which the unseen editions' probes showed were lost or
resolved to the wrong file: ``; d. 45, l. 3`` after a reference, and ``Ibid., d. 5785, l. 4``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.archival import _PARTIAL_LEAD, find_archival
from notecheck.archival_grammar import parse, parse_at, reference_grammar
from notecheck.baseline import Baseline
from notecheck.config import DEFAULT_ARCHIVES, Config
from notecheck.pipeline import check

from .test_split_unseen import _both_passes


@pytest.mark.parametrize(
    "text",
    ["d. 45, l. 3.", "op. 5, d. 5785, l. 4 (1931).", "ed. khr. 12, ll. 3-4", "died 1912", "l. 4"],
)
def test_the_fast_path_reads_a_continuation_below_the_fond_as_pyparsing_does(text: str) -> None:
    grammar = reference_grammar(tuple(DEFAULT_ARCHIVES))
    assert parse(grammar, "partial", text, 0) == parse_at(grammar.partial, text, 0)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "RGASPI, f. 17, op. 3, d. 46, ll. 1-2; d. 45, l. 3.",
            [("17", "3", "46", ((1, 2),)), (None, None, "45", ((3, 3),))],
        ),
        (
            "RGASPI, f. 17, op. 3, d. 46, l. 1, and d. 47, l. 2; see also op. 4, d. 48.",
            [("17", "3", "46", ((1, 1),)), (None, None, "47", ((2, 2),)), (None, "4", "48", ())],
        ),
        ("Ibid., d. 5785, l. 4.", [(None, None, "5785", ((4, 4),))]),
        # no reference or ibid before: prose, not a continuation
        ("He d. 1912 in Paris; d. 5 was lost.", []),
        ("See the file; d. 45 is lost.", []),
    ],
)
def test_continuations_below_the_fond_are_found_only_after_a_reference_or_an_ibid(
    text: str, found: list[tuple[str | None, str | None, str | None, tuple[tuple[int, int], ...]]]
) -> None:
    references = [m.reference for m in find_archival(text)]
    assert [(r.fond, r.opis, r.unit, r.leaves) for r in references] == found


def test_the_splitter_makes_them_citations_in_both_passes() -> None:
    assert _both_passes("RGASPI, f. 17, op. 3, d. 46, ll. 1-2; d. 45, l. 3.") == [
        ("archival", "RGASPI, f. 17, op. 3, d. 46, ll. 1-2"),
        ("archival", "d. 45, l. 3"),
    ]
    assert _both_passes("Ibid., d. 5785, l. 4.") == [("ibid", "Ibid., d. 5785, l. 4")]


BIB = (
    "@misc{f16-d5784, title = {Obkom 1}, archive = {TsGAIPD SPb}, fond = {16}, opis = {5}, delo = {5784}}\n"
    "@misc{f16-d5785, title = {Obkom 2}, archive = {TsGAIPD SPb}, fond = {16}, opis = {5}, delo = {5785}}\n"
    "@misc{f16-op6-d9, title = {Obkom 3}, archive = {TsGAIPD SPb}, fond = {16}, opis = {6}, delo = {9}}\n"
)


def test_they_inherit_the_fond_and_opis_and_resolve_to_their_own_file(tmp_path: Path) -> None:
    edition = tmp_path / "notes.txt"
    edition.write_text(
        "Notes\n1. TsGAIPD SPb, f. 16, op. 5, d. 5784, ll. 1-3.\n"
        "2. Ibid., d. 5785, l. 4.\n"
        "3. TsGAIPD SPb, f. 16, op. 5, d. 5784, l. 7; op. 6, d. 9, l. 2.\n",
        encoding="utf-8",
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    report = check([edition], bib, Config(root=tmp_path), baseline=Baseline())
    (document,) = report.documents
    assert document.parsed is not None
    keys = [document.resolution.of(c).key for c in document.parsed.all_citations()]
    assert keys == ["f16-d5784", "f16-d5785", "f16-d5784", "f16-op6-d9"]
    assert [(d.code, d.note) for d in report.active_diagnostics()] == []
    assert [(f.fond, f.opis, f.unit) for f in document.archival] == [
        ("16", "5", "5784"),
        ("16", "5", "5785"),
        ("16", "6", "9"),
    ]


#: The lead before a continuation as it was before it was made linear (kept to compare with).
_QUADRATIC_LEAD = re.compile(r"\s*(?:;\s*(?:and\s+|see\s+also\s+|see\s+|cf\.\s+)?|,?\s+and\s+)")


@given(st.text(alphabet=" \t\n;,.andseolcfx", max_size=30), st.integers(min_value=0, max_value=3))
def test_the_lead_before_a_continuation_matches_what_it_matched_before(text: str, at: int) -> None:
    old = _QUADRATIC_LEAD.match(text, min(at, len(text)))
    new = _PARTIAL_LEAD.match(text, min(at, len(text)))
    assert (old and old.span()) == (new and new.span())


@pytest.mark.parametrize(
    "text", ["  ; and ", " , and ", "\tand\n", "; see also ", ";see ", "; cf. ", ";", "and ", " x"]
)
def test_the_lead_before_a_continuation_on_its_forms(text: str) -> None:
    old = _QUADRATIC_LEAD.match(text)
    new = _PARTIAL_LEAD.match(text)
    assert (old and old.span()) == (new and new.span())
