"""The splitter's fast first pass agrees with the full splitter wherever it answers.

The fast pass (``notecheck.split._lean_split``) reads notes made of common forms with compiled
patterns and declines (None) everything else. These tests run both on generated Chicago notes,
on random compositions of citation pieces and on the edition, and compare segments, citations
(form, span, fields, locator), declarations and backward ranges.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from notecheck.readers import read_edition
from notecheck.split import _split
from notecheck.split.fast import _FAST_DECLINE, _ODD_IBID, _fast_declines, _lean_split, _odd_ibid

from .chicago import ChicagoSequence, ChicagoWriter
from .conftest import EDITION
from .test_grammar import make_note


def _agree(text: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether the fast pass answered for ``text`` (and, when it did, agreed)."""
    note = make_note(text, index=3)
    fast = _lean_split(note, known)
    if fast is None:
        return False
    full = _split(note, known, fast=False)
    assert fast.segments == full.segments, text
    assert fast.citations == full.citations, text
    assert fast.declarations == full.declarations, text
    assert fast.backward == full.backward, text
    return True


@given(st.integers(0, 100_000), st.booleans())
@settings(max_examples=40)
def test_fast_pass_agrees_on_generated_notes(seed: int, typographic: bool) -> None:
    notes = [n.text for n in ChicagoWriter(seed, typographic=typographic).notes(25)]
    notes += [n.text for n in ChicagoSequence(seed, typographic=typographic).sequence(25).notes]
    answered = sum(_agree(text) for text in notes)
    assert answered >= 0.9 * len(notes)  # the common forms are the fast pass's


def test_fast_pass_reads_short_forms_missing_the_comma_after_a_known_author() -> None:
    known = frozenset({"Medvedev"})
    assert _agree("Medvedev Let History Judge, 60, 140, 168-169.", known)
    assert _agree("Let History Judge, 60.", known)


_PIECES = st.sampled_from(
    [
        "Ibid.",
        "ibid.",
        "Ibid., 45",
        "ibid., 387-91",
        "ibid., 1. 33",
        "ibid., chap. 3",
        "Cf. ibid., 34",
        "Quoted in ibid.",
        "see also ibid., xi",
        "Smith, Moral Communities, 12",
        "Smith and Jones, The Making of a City, 45-50, 60",
        "Smith et al., Roots of Rebellion, vol. 2, p. 185",
        "See Smith, Roots, passim",
        "see also Kotkin, Magnetic Mountain, chap. 3",
        "Kotkin, Magnetic Mountain, VII, 274",
        "Moral Communities, 12",
        "Medvedev Let History Judge, 60",
        "Smith, Part II, 12",
        "Smith, The Hour Is Late, 4",
        'Smith, "Russian Bebels," 447 n. 59',
        'Doe and Roe, "Article Title," 220',
        '"Russian Bebels," 12',
        "“Title,” 4",
        "Jane Smith, The Book (New York: Knopf, 1990), 840–44",
        "R. W. Davies, The Soviet Economy (London, 1989), 12",
        'Mary Smith, "The Title," Journal of Modern History 2, no. 3 (1980): 515',
        'Susan Morrissey, "Student Radicalism" (PhD diss., University of California, Berkeley, 1993), 156',
        'Jane Doe, "A Story," Chicago Tribune, August 15, 1958',
        "Chicago Tribune, August 15, 1958",
        "RGASPI, f. 17, op. 3, d. 1204, ll. 5-7",
        "See GARF, f. 9684, op. 94, d. 33555, l. 2",
        "Ibid., f. 124, op. 1, d. 816, ll. 15-17",
        "The figures are approximate",
        "On this see the next chapter",
        "This is in my view wrong, but see 12",
        "see note 4 above",
        "Medvedev, op. cit., p. 48",
        "Idem, Great Terror, 12",
        "lbid., 7",
        'my "Russian Bebels," 447',
        "(ibid., 1. 14)",
        "(Smith, Roots, 4)",
    ]
)
_JOINTS = st.sampled_from(["; ", "; and ", ". ", ", ", " ", ";", ".\n"])


@given(
    st.lists(st.tuples(_PIECES, _JOINTS), min_size=1, max_size=5), st.sampled_from(["", ".", ". The end."])
)
@settings(max_examples=200)
def test_fast_pass_agrees_on_random_compositions(parts: list[tuple[str, str]], ending: str) -> None:
    text = "".join(piece + joint for piece, joint in parts[:-1]) + parts[-1][0] + ending
    _agree(text)
    _agree(text, frozenset({"Medvedev", "Smith"}))


def test_fast_pass_answers_for_the_commonest_shapes() -> None:
    for text in (
        "Ibid.",
        "Ibid., 449.",
        "Cf. ibid., 34; Quoted in ibid.",
        "Smith, Moral Communities, 12; ibid., 14; and Jones, Roots, 5. The figures are approximate.",
        'Letalin, "Village and the Foreign Market," chap. 10; ibid., 211.',
        "Jane Smith, The Book (New York: Knopf, 1990), 840–44; ibid., 12.",
        "See RGASPI, f. 2107, op. 104, d. 91334, ll. 41-43.",
        "The figures are approximate.",
    ):
        assert _agree(text), text


def test_fast_pass_declines_what_it_does_not_read() -> None:
    for text in (
        "On him, see note 72 below.",
        "Medvedev, op. cit., p. 48.",
        "!bid., 5. A request (!bid., 6).",
        "Jane Smith, The Book (Chicago, 1990), 3 (hereafter cited as Book).",
        "My earlier article (Smith, Roots, 4) says so.",
    ):
        assert _lean_split(make_note(text), frozenset()) is None, text


def test_fast_pass_agrees_on_the_edition() -> None:
    edition = read_edition(EDITION)
    answered = [note for note in edition.notes if _agree(note.text)]
    assert answered  # some plain notes of the edition are the fast pass's


@given(
    st.lists(
        st.sampled_from(
            [
                *("bid", "ibid.", "bidem", "lbid", "Id.", "idem", " id.", "note 4", "n. 5", "nn.3", "Note 7"),
                *("Doc. 3", "Document 2", "Appendix 1", "henceforth", "HereAfter", "op. cit.", "loc.cit"),
                *("tIA", "''", "\t", "[", "}", "«", "’", "‘", "x", " ", ".", "d.", "N.5", "!", "|", "L"),
            ]
        ),
        max_size=8,
    ).map("".join)
)
@settings(max_examples=300)
def test_decline_cues_are_tested_as_the_pattern_says(text: str) -> None:
    assert _fast_declines(text) == bool(_FAST_DECLINE.search(text))
    assert _odd_ibid(text) == bool(_ODD_IBID.search(text))
