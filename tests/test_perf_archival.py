"""The archival grammar's compiled fast path gives exactly the pyparsing grammar's lexemes.

``archival_grammar.parse_fast`` walks the same token patterns in pyparsing's order; where it
gives an answer (it leaves fond names and dates to pyparsing) it must be the answer
``parse_at`` gives with the pyparsing elements, at every position, for all three elements.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notecheck import archival_grammar
from notecheck.archival import find_archival
from notecheck.archival_grammar import parse_at, parse_fast, reference_grammar
from notecheck.config import DEFAULT_ARCHIVES
from notecheck.readers import read_edition

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = reference_grammar(tuple(DEFAULT_ARCHIVES))
ELEMENTS = ("reference", "leaf_locator", "leaf_tail")

# Pieces of archival references, clean and OCR-damaged, and of the prose around them.
PIECES = [
    "RGASPI",
    "RTsKhIDNI",
    "GARF",
    "TsGAIPD SPb",
    "f.",
    "f",
    "F.",
    "f,",
    "op.",
    "Ope",
    "0p.",
    "op",
    "d.",
    "cl.",
    "ed. khr.",
    "00. khr.",
    "ed.khr.",
    "l.",
    "ll.",
    "11.",
    "1.",
    "I.",
    "n.",
    "ob.",
    "0b",
    "17",
    "100",
    "134977",
    "816",
    "3",
    "4-5",
    "12–14",
    "R-1",
    "9a",
    ",",
    ", ",
    ";",
    " ",
    "  ",
    "\n",
    "\t",
    "-",
    "–",
    "(1921)",
    "(ca. 1930)",
    "(n. d.)",
    "(Tsentral'nyi Komitet)",
    "(VKP(b))",
    "see also",
    "see",
    "cf.",
    "and",
    "Ibid.",
    "letter",
    ".",
]
texts = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)


def agree(text: str) -> int:
    """Compare fast and pyparsing at every position; return how many answers the fast path gave."""
    answered = 0
    for start in range(len(text) + 1):
        for element in ELEMENTS:
            fast = parse_fast(GRAMMAR, element, text, start)
            if fast is None:
                continue
            answered += 1
            slow = parse_at(getattr(GRAMMAR, element), text, start)
            assert fast == slow, (element, start, text)
    return answered


@settings(max_examples=300)
@given(texts)
def test_the_fast_path_agrees_with_pyparsing(text: str) -> None:
    agree(text)


@pytest.mark.parametrize(
    "text",
    [
        "RTsKhIDNI, f. 17, Ope 100, d. 134977, 1. 47.",
        "RTsKhIDNI, f. 124, op. 1, ed. khr. 816, 11. 4-5, 8.",
        "RTsKhIDNI, f. 124,op. 1, ed. khr, 816, 11. 6, 9.",
        "and f. 124, Ope 1, ed. khr.\n816, 11. 3, 4",
        "RGASPI, f. 17, op. 3, d. 1204, ll. 5 ob.-7; see also l. 52",
        "GARF, f. R-5451, op. 9a, d. 12, l. 3 ob., 4",
        "RGASPI f 17 op 3 d. 12",
        "Ibid., f. 124, op. 1, ed. khr. 816, ll. 15-17.",
        "ll. 3, 18-22 (1921)",
        "RTsKhIDNI, f. 17 (Tsentral'nyi Komitet), op. 100, d. 134977",
    ],
)
def test_the_fast_path_agrees_on_written_references(text: str) -> None:
    agree(text)


def test_the_fast_path_answers_the_common_forms() -> None:
    assert parse_fast(GRAMMAR, "reference", "RGASPI, f. 17, op. 3, d. 1204, ll. 5-7.", 0)
    assert parse_fast(GRAMMAR, "leaf_locator", "ll. 3, 18-22.", 0)
    assert parse_fast(GRAMMAR, "leaf_tail", "; see also l. 52", 0)
    # Left to pyparsing: a fond name and a date.
    assert parse_fast(GRAMMAR, "reference", "RGASPI, f. 17 (TsK), op. 3, d. 1204", 0) is None
    assert parse_fast(GRAMMAR, "reference", "RGASPI, f. 17, op. 3, d. 1204 (1921)", 0) is None


def test_the_edition_reads_the_same_without_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    edition = read_edition(ROOT / "edition" / "kanatchikov.txt")
    fast = [find_archival(note.text) for note in edition.notes]
    answered = sum(agree(note.text) > 0 for note in edition.notes if "f." in note.text)
    assert answered, "the fast path should answer some of the edition's references"
    monkeypatch.setattr(archival_grammar, "parse_fast", lambda *args, **kwargs: None)
    slow = [find_archival(note.text) for note in edition.notes]
    assert fast == slow
    assert sum(len(found) for found in slow) >= 15


def test_a_reference_past_the_window_is_read_whole() -> None:
    text = "RGASPI, f. 17, op. 3, d. 12, ll. " + ", ".join(str(n) for n in range(1, 99)) + "."
    long_text = " " * (archival_grammar._WINDOW - 40) + text
    agree_at = long_text.index("RGASPI")
    fast = parse_fast(GRAMMAR, "reference", long_text, agree_at)
    assert fast == parse_at(GRAMMAR.reference, long_text, agree_at)
    assert fast is not None and fast[-1].text == "98"


@given(texts)
def test_the_prefilter_finds_what_the_plain_alternation_finds(text: str) -> None:
    import re

    from notecheck.archival_grammar import FOND_STRICT_PATTERN, archive_pattern

    plain = re.compile(archive_pattern(DEFAULT_ARCHIVES) + "|" + FOND_STRICT_PATTERN)
    assert [m.span() for m in GRAMMAR.prefilter.finditer(text)] == [m.span() for m in plain.finditer(text)]
