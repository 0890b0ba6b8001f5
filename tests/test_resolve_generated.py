"""The resolver on generated Chicago note sequences: every citation to the entry the writer meant.

``tests/chicago.py`` writes notes over a designed pool of works (two works by one author, two
authors of one surname whose works share a short title, one work missing from the bibliography)
with the matching BibTeX, first full then short citations, ibid. with and without locators, after
notes with one source, several or none, and inside a note.
"""

from __future__ import annotations

import time
from collections import Counter
from functools import cache

import pytest

from notecheck.bibliography import Bibliography, load_bibliography_text
from notecheck.models import Resolution
from notecheck.readers import read_edition_text
from notecheck.resolver import resolve, unused_entries
from notecheck.split import ParsedEdition, parse_edition

from .chicago import ChicagoSequence, GeneratedSequence

SEEDS = range(16)


@cache
def run(
    seed: int, typographic: bool, count: int = 25
) -> tuple[GeneratedSequence, ParsedEdition, Bibliography, Resolution]:
    sequence = ChicagoSequence(seed, typographic=typographic).sequence(count)
    edition = read_edition_text(sequence.text, "generated.txt")
    bibliography = load_bibliography_text(sequence.bibtex, "generated.bib")
    parsed = parse_edition(edition)
    return sequence, parsed, bibliography, resolve(edition, bibliography, parsed=parsed)


@pytest.mark.parametrize("typographic", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_every_generated_citation_resolves_as_written(seed: int, typographic: bool) -> None:
    sequence, parsed, bibliography, resolution = run(seed, typographic)
    assert bibliography.diagnostics == []
    expected = sequence.expected()
    assert [c.id for c in parsed.all_citations()] == list(expected)
    for citation in parsed.all_citations():
        got = resolution.of(citation)
        want = expected[citation.id]
        context = f"{citation.id}: {citation.text!r}"
        assert (got.key, got.status.value) == (want.key, want.status), context
        if want.antecedent is not None:
            assert got.antecedent == want.antecedent, context
        if want.candidates:
            assert set(got.candidates) == want.candidates, context


def test_the_sequences_cover_every_case() -> None:
    cases: Counter[str] = Counter()
    for seed in SEEDS:
        sequence, parsed, _, resolution = run(seed, False)
        expected = sequence.expected()
        for citation in parsed.all_citations():
            want = expected[citation.id]
            cases[f"{citation.form.value} {want.status}"] += 1
            if citation.form.value == "ibid" and citation.locator is None:
                cases["ibid without locator"] += 1
            if citation.text.startswith(
                ("A. ", "B. ", "D. ", "J. ", "M. ", "O. ", "P. ", "R. ", "S. ", "T. ")
            ):
                cases["short with initials"] += 1
        cases["NC402"] += sum(d.code == "NC402" for d in resolution.diagnostics)
        cases["NC404"] += sum(d.code == "NC404" for d in resolution.diagnostics)
        cases["NC405"] += sum(d.code == "NC405" for d in resolution.diagnostics)
    for case in (
        "full resolved",
        "full broken",
        "short resolved",
        "short broken",
        "ibid resolved",
        "ibid ambiguous",
        "ibid broken",
        "ibid without locator",
        "short with initials",
        "NC402",
        "NC404",
        "NC405",
    ):
        assert cases[case] > 0, case


def test_diagnostics_match_the_statuses() -> None:
    for seed in SEEDS:
        sequence, parsed, _, resolution = run(seed, True)
        codes = Counter(d.code for d in resolution.diagnostics)
        expected = sequence.expected()
        # Reported where a choice was made; an ibid. repeating an ambiguous one only inherits it.
        choices = sum(1 for r in expected.values() if r.chosen)
        full_broken = sum(
            1 for c in parsed.all_citations() if c.form.value == "full" and expected[c.id].status == "broken"
        )
        assert codes["NC405"] == choices
        assert codes["NC402"] == full_broken
        assert not codes.keys() - {"NC402", "NC404", "NC405"}, codes


def test_suggested_entry_of_the_missing_work_loads_and_then_resolves() -> None:
    sequence, parsed, bibliography, resolution = run(1, False)
    assert len(resolution.suggested_entries) == 1
    missing = next(w for w in sequence.works if not w.listed)
    completed = load_bibliography_text(
        sequence.bibtex + "\n" + resolution.suggested_entries[0], "completed.bib"
    )
    assert completed.diagnostics == []
    (added,) = set(completed.entries) - set(bibliography.entries)
    assert completed.entries[added].title == missing.work.title
    again = resolve(parsed.edition, completed, parsed=parsed)
    assert not [d for d in again.diagnostics if d.code == "NC402"]
    full = next(c for c in parsed.all_citations() if c.form.value == "full" and resolution.of(c).key is None)
    assert again.of(full).key == added


def test_unused_entries_are_the_works_never_cited() -> None:
    for seed in SEEDS[:6]:
        sequence, parsed, bibliography, resolution = run(seed, False, 6)
        cited = {resolution.of(c).key for c in parsed.all_citations()}
        unused, diagnostics = unused_entries(bibliography, resolution.used_keys)
        assert unused == [w.key for w in sequence.works if w.listed and w.key not in cited]
        assert [d.code for d in diagnostics] == ["NC250"] * len(unused)


def test_two_thousand_generated_notes_resolve_quickly() -> None:
    sequence = ChicagoSequence(7).sequence(2000)
    edition = read_edition_text(sequence.text, "long.txt")
    bibliography = load_bibliography_text(sequence.bibtex, "long.bib")
    parsed = parse_edition(edition)
    start = time.perf_counter()
    resolution = resolve(edition, bibliography, parsed=parsed)
    elapsed = time.perf_counter() - start
    assert len(resolution.citations) == len(parsed.all_citations()) > 3000
    assert elapsed < 5.0, elapsed
    expected = sequence.expected()
    assert all(resolution.citations[i].key == r.key for i, r in expected.items())
