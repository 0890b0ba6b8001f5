"""The archival grammar: references found, every field parsed with its span, OCR damage read."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.archival import DAMAGED_FORMS, VALID_FORMS, find_archival, leaf_range
from notecheck.archival_grammar import reference_grammar
from notecheck.config import DEFAULT_ARCHIVES
from tests.test_archival_strategies import Rendered, references


def only(text: str) -> tuple[int, int, dict[str, object]]:
    """The single reference in ``text``: its span and its fields."""
    matches = find_archival(text)
    assert len(matches) == 1, matches
    m = matches[0]
    r = m.reference
    return (
        m.start,
        m.end,
        {
            "archive": r.archive,
            "fond": r.fond,
            "opis": r.opis,
            "unit_kind": r.unit_kind,
            "unit": r.unit,
            "leaves": r.leaves,
            "verso": r.verso,
            "date": r.date,
        },
    )


def test_full_reference_with_name_and_damaged_opis() -> None:
    text = (
        "two files: RTsKhIDNI, f. 17 (Tsentral'nyi Komitet Kommunisticheskoi partii Sovetskogo\n"
        "Soiuza), Ope 100, d. 134977; and"
    )
    start, end, fields = only(text)
    assert text[start:end].startswith("RTsKhIDNI, f. 17 (") and text[start:end].endswith("d. 134977")
    assert fields == {
        "archive": "RTsKhIDNI",
        "fond": "17",
        "opis": "100",
        "unit_kind": "d",
        "unit": "134977",
        "leaves": (),
        "verso": False,
        "date": None,
    }


def test_continuation_from_the_fond_has_no_archive_and_keeps_its_date() -> None:
    text = "RTsKhIDNI, f. 17, Ope 100, d. 134977, 1. 4 (1921), and f. 124, Ope 1, ed. khr.\n816, 11. 3, 4 (1929), where"
    first, second = find_archival(text)
    assert first.reference.leaves == ((4, 4),) and first.reference.date == "1921"
    assert text[second.start : second.end] == "f. 124, Ope 1, ed. khr.\n816, 11. 3, 4 (1929)"
    assert second.reference.archive is None
    assert second.reference.unit_kind == "ed. khr."
    assert second.reference.leaves == ((3, 3), (4, 4))
    assert second.reference.date == "1929"


def test_archive_level_ibid_text_starts_at_the_fond() -> None:
    text = "Ibid., f. 124,op. 1, ed. khr. 816, n. 15-17. All underlined words"
    start, end, fields = only(text)
    assert text[start:end] == "f. 124,op. 1, ed. khr. 816, n. 15-17"
    assert fields["archive"] is None and fields["leaves"] == ((15, 17),)


def test_search_window_and_offsets_relative_to_the_text() -> None:
    text = "Ibid., f. 124, op. 1, ed. khr. 816, l. 9. Later f. 17, op. 100, d. 5."
    matches = find_archival(text, start=6, end=40)
    assert [text[m.start : m.end] for m in matches] == ["f. 124, op. 1, ed. khr. 816, l. 9"]
    assert find_archival(text, start=6, end=20)[0].reference.unit is None  # cut at end


@pytest.mark.parametrize(
    ("text", "leaves"),
    [
        ("RGASPI, f. 17, op. 100, d. 134977,1.47. This", ((47, 47),)),
        ("RGASPI, f. 17, op. 100, d. 134977, I. 13.", ((13, 13),)),
        ("RGASPI, f. 17, op. 100, d. 134977, 11. 5-6, 8.", ((5, 6), (8, 8))),
        ("RGASPI, f. 17, op. 100, d. 134977, n. 3, 18-22, 25-28.", ((3, 3), (18, 22), (25, 28))),
        ("RGASPI, f. 17, op. 100, d. 134977, ll. 125-7.", ((125, 127),)),
        ("RGASPI, f. 17, op. 100, d. 134977, l. 5 ob.", ((5, 5),)),
    ],
)
def test_leaves_with_damaged_abbreviations_lists_and_ranges(
    text: str, leaves: tuple[tuple[int, int], ...]
) -> None:
    assert only(text)[2]["leaves"] == leaves


def test_verso_and_spanned_tokens() -> None:
    text = "GARF, f. R-5446, op. 1a, d. 12, ll. 3 ob.-4, 7ob. (12 May 1931)"
    matches = find_archival(text)
    r = matches[0].reference
    assert (r.fond, r.opis, r.unit, r.verso, r.date) == ("R-5446", "1a", "12", True, "12 May 1931")
    for _, printed, start, end in r.tokens:
        assert text[start:end] == printed


def test_damaged_storage_unit_and_punctuation() -> None:
    for text in (
        "RGASPI, f. 124, Ope 1, 00. khr. 816, I. 21)",
        "RGASPI, f. 124, op. 1, ed. khr, 816, 11. 6, 9.",
    ):
        fields = only(text)[2]
        assert (fields["unit_kind"], fields["unit"]) == ("ed. khr.", "816")


def test_multiword_repository_from_configuration() -> None:
    text = "TsGAIPD SPb, f. 601, op. 1, d. 5, l. 2; see also My Archive, f. 3, op. 2, d. 1."
    assert [m.reference.archive for m in find_archival(text)] == ["TsGAIPD SPb", None]
    assert [m.reference.archive for m in find_archival(text, ("My Archive",))] == [None, "My Archive"]


@pytest.mark.parametrize(
    "text",
    [
        "F. A. Bulkin and RTsKhIDNI (the party archive).",
        "see pp. 7 f. and op. cit., 12; d. 1917",
        "working copy (11. 18-24). The",
        "Rossiisldi tsentr (RTsKhIDNI). The material",
    ],
)
def test_prose_is_not_a_reference(text: str) -> None:
    assert find_archival(text) == []


def test_every_lexicon_form_is_read_in_its_place() -> None:
    templates = {
        "fond": "RGASPI, {} 17, op. 1, d. 5",
        "opis": "RGASPI, f. 17, {} 1, d. 5",
        "delo": "RGASPI, f. 17, op. 1, {} 5",
        "edkhr": "RGASPI, f. 17, op. 1, {} 5",
        "leaf": "RGASPI, f. 17, op. 1, d. 5, {} 4",
        "leaves": "RGASPI, f. 17, op. 1, d. 5, {} 4-6",
        "verso": "RGASPI, f. 17, op. 1, d. 5, l. 4 {}",
    }
    for name, template in templates.items():
        for form in (*VALID_FORMS[name], *DAMAGED_FORMS[name]):
            text = template.format(form)
            matches = find_archival(text)
            assert len(matches) == 1 and matches[0].end == len(text), (name, form)
            roles = {role for role, printed, _, _ in matches[0].reference.tokens if printed == form}
            assert roles, (name, form)


def test_leaf_range_expansion() -> None:
    assert leaf_range("18-22") == (18, 22)
    assert leaf_range("125-7") == (125, 127)
    assert leaf_range("22-18") == (22, 18)
    assert leaf_range("9") == (9, 9)


def test_grammar_elements_are_named() -> None:
    grammar = reference_grammar(DEFAULT_ARCHIVES)
    assert str(grammar.reference) == "archival reference"
    assert str(grammar.leaf_locator) == "leaf locator"


def test_tabs_do_not_move_offsets() -> None:
    text = "\tRGASPI,\tf. 17, op. 1, d. 5"
    (m,) = find_archival(text)
    assert text[m.start : m.end] == "RGASPI,\tf. 17, op. 1, d. 5"


@given(
    references(), st.sampled_from(["See ", "", "(cf. "]), st.sampled_from([". Next.", ")", "; and more", ""])
)
def test_generated_reference_parses_back_to_its_fields(rendered: Rendered, before: str, after: str) -> None:
    text = before + rendered.text + after
    (m,) = find_archival(text)
    assert (m.start, m.end) == (len(before), len(before) + len(rendered.text))
    r = m.reference
    assert (r.archive, r.fond, r.opis, r.unit_kind, r.unit) == (
        rendered.archive,
        rendered.fond,
        rendered.opis,
        rendered.unit_kind,
        rendered.unit,
    )
    assert (r.leaves, r.verso, r.date) == (rendered.leaves, rendered.verso, rendered.date)
    for _, printed, start, end in r.tokens:
        assert text[start:end] == printed


ARCHIVAL_BITS = st.sampled_from(
    [
        "RGASPI",
        "RTsKhIDNI",
        ", ",
        ",",
        " ",
        "\n",
        "f. ",
        "f.",
        "op. ",
        "Ope ",
        "d. ",
        "ed. khr. ",
        "00. khr. ",
        "l. ",
        "ll. ",
        "11. ",
        "1. ",
        "I. ",
        "n. ",
        "17",
        "3-5",
        "9-2",
        "ob.",
        "(",
        ")",
        "(1921)",
        ";",
        "ibid., ",
        "x",
        "\t",
    ]
)


@given(st.lists(ARCHIVAL_BITS, max_size=40).map("".join))
def test_find_archival_never_raises_and_spans_lie_inside(text: str) -> None:
    matches = find_archival(text)
    cursor = 0
    for m in matches:
        assert cursor <= m.start < m.end <= len(text)
        cursor = m.end
        for _, printed, start, end in m.reference.tokens:
            assert m.start <= start <= end <= m.end
            assert text[start:end] == printed


@given(st.text(max_size=300))
def test_find_archival_never_raises_on_any_text(text: str) -> None:
    for m in find_archival(text):
        assert 0 <= m.start < m.end <= len(text)


def test_scanning_is_linear() -> None:
    unit = "Prose about f. 17 and RGASPI (and more), RGASPI, f. 17, op. 100, d. 5, ll. 3, 4-9; see (x. "
    find_archival(unit)
    timings = []
    for repeat in (50, 200):
        text = unit * repeat
        started = time.perf_counter()
        found = find_archival(text)
        timings.append(time.perf_counter() - started)
        assert len(found) == repeat
    assert timings[1] < 8 * timings[0] + 0.05
    for pathological in (
        "RGASPI, f. 1 (" + "x" * 50_000 + " ll. " + "1, " * 20_000,
        "RGASPI, f. 1, op. 1, d. 1, ll. " + "1, " * 20_000,
        "f. 1, op. 1, " * 1_000,
    ):
        started = time.perf_counter()
        find_archival(pathological)
        assert time.perf_counter() - started < 2.0
