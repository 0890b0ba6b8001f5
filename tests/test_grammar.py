"""The citation grammar: locators, ranges, names, publication data, ibid and cross-references."""

from __future__ import annotations

import pyparsing as pp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notecheck import grammar as g
from notecheck.models import Note, Source, Span, TextMap
from notecheck.split.locators import (
    _expand,
    _locator_by_grammar,
    _scan_locator_pyparsing,
    plain_pages,
    roman_to_int,
    scan_locator,
)

from .chicago import chicago_range


def make_note(text: str, index: int = 1) -> Note:
    """A note whose text is the whole of a one-note source (offsets map one to one)."""
    source = Source("<test>", text)
    return Note(
        index,
        index,
        f"{index}.",
        text,
        source,
        TextMap.identity(0, len(text)),
        1,
        1,
        Span("<test>", 1, 1, 1, 3),
    )


def locate(text: str, *, leaf_context: bool = False):  # type: ignore[no-untyped-def]
    """The locator the splitter reads at the start of ``text``, by the grammar (no fast path)."""
    return _locator_by_grammar(text, leaf_context=leaf_context)


# --- ranges ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("387", "91", (387, 391)),
        ("1102", "3", (1102, 1103)),
        ("140", "41", (140, 141)),
        ("1496", "500", (1496, 1500)),
        ("168", "169", (168, 169)),
        ("345", "36", (345, 336)),  # backwards: NC301 reports it
        ("60", None, (60, 60)),
    ],
)
def test_chicago_expansion_of_abbreviated_ranges(
    first: str, last: str | None, expected: tuple[int, int]
) -> None:
    assert _expand(first, last) == expected


@given(st.integers(1, 20000), st.integers(0, 900))
def test_every_chicago_abbreviation_expands_back(start: int, length: int) -> None:
    printed = chicago_range(start, start + length)
    first, _, last = printed.partition("-")
    assert _expand(first, last) == (start, start + length)


def test_roman_numerals() -> None:
    assert [roman_to_int(n) for n in ("i", "iv", "ix", "xi", "xiv", "xl", "xcix")] == [
        1,
        4,
        9,
        11,
        14,
        40,
        99,
    ]


# --- locators ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "ranges", "label"),
    [
        ("387-91", "page", ((387, 391),), None),
        ("840–44", "page", ((840, 844),), None),
        ("60, 140, 168-169", "page", ((60, 60), (140, 140), (168, 169)), None),
        ("p.192", "page", ((192, 192),), "p."),
        ("pp. 3-5, 9", "page", ((3, 5), (9, 9)), "pp."),
        ("chap. 5", "chapter", ((5, 5),), "chap."),
        ("passim", "passim", (), "passim"),
        ("esp. 41-45, 127-141", "page", ((41, 45), (127, 141)), None),
        ("446-454, and chap. 8", "page", ((446, 454),), None),
        ("xi", "page", (), None),
        ("l. 33", "leaf", ((33, 33),), "l."),
        ("ll. 5-6, 8", "leaf", ((5, 6), (8, 8)), "ll."),
        ("n. 59", "note", ((59, 59),), "n."),
    ],
)
def test_locator_kinds_and_ranges(
    text: str, kind: str, ranges: tuple[tuple[int, int], ...], label: str | None
) -> None:
    found = locate(text)
    assert found is not None
    locator, backward, end = found
    assert (locator.kind, locator.ranges, locator.label) == (kind, ranges, label)
    assert locator.text == text and end == len(text) and backward == ()


def test_page_with_note_number_is_a_note_locator() -> None:
    locator = locate("447 n. 59, he was")[0]  # type: ignore[index]
    assert (locator.text, locator.kind, locator.ranges, locator.notes) == (
        "447 n. 59",
        "note",
        ((447, 447),),
        ((59, 59),),
    )
    locator = locate("45n12")[0]  # type: ignore[index]
    assert (locator.kind, locator.ranges, locator.notes) == ("note", ((45, 45),), ((12, 12),))


def test_volume_and_page() -> None:
    locator = locate("VII, 274")[0]  # type: ignore[index]
    assert (locator.kind, locator.volume, locator.ranges) == ("page", "VII", ((274, 274),))
    locator = locate("vol. 2, p. 185")[0]  # type: ignore[index]
    assert (locator.kind, locator.volume, locator.label, locator.ranges) == ("page", "2", "p.", ((185, 185),))
    locator = locate("2:185")[0]  # type: ignore[index]
    assert (locator.volume, locator.ranges) == ("2", ((185, 185),))


@pytest.mark.parametrize(
    ("text", "label", "ranges"),
    [
        ("1. 47", "1.", ((47, 47),)),
        ("I. 13", "I.", ((13, 13),)),
        ("11. 4-5", "11.", ((4, 5),)),
        ("n. 15-17", "n.", ((15, 17),)),
        ("1.47", "1.", ((47, 47),)),
        ("l. 4 ob.", "l.", ((4, 4),)),
    ],
)
def test_damaged_leaf_labels_are_leaves_after_an_archival_reference(
    text: str, label: str, ranges: tuple[tuple[int, int], ...]
) -> None:
    locator = locate(text, leaf_context=True)[0]  # type: ignore[index]
    assert (locator.kind, locator.label, locator.ranges) == ("leaf", label, ranges)
    assert locator.damaged == (label not in ("l.", "ll."))


def test_damaged_leaf_labels_are_not_leaves_in_print() -> None:
    # "11. 4" in a printed work's locator is page 11 (the sentence then goes on)
    locator = locate("11. 4", leaf_context=False)[0]  # type: ignore[index]
    assert (locator.kind, locator.ranges, locator.text) == ("page", ((11, 11),), "11")


def test_verso_is_read() -> None:
    locator = locate("l. 4 ob.", leaf_context=True)[0]  # type: ignore[index]
    assert locator.verso


def test_backward_ranges_are_reported_with_their_offsets() -> None:
    text = "60, 345-36"
    _, backward, _ = locate(text)  # type: ignore[misc]
    assert backward == ((4, 10, 345, 336),)
    assert text[4:10] == "345-36"


_page = st.integers(1, 3000)
_item = st.tuples(_page, st.one_of(st.none(), st.integers(0, 60)))


@given(st.lists(_item, min_size=1, max_size=6), st.sampled_from(["", ".", ";", ")", ". Then", ", and so"]))
def test_fast_path_agrees_with_the_grammar(items: list[tuple[int, int | None]], after: str) -> None:
    printed = ", ".join(str(a) if b is None else chicago_range(a, a + b) for a, b in items)
    text = printed + after
    fast = plain_pages(text)
    by_grammar = locate(text)
    assert by_grammar is not None
    if fast is not None:
        locator, backward = fast
        assert (locator.kind, locator.ranges, locator.text) == (
            by_grammar[0].kind,
            by_grammar[0].ranges,
            by_grammar[0].text,
        )
        assert backward == by_grammar[1]


_LOCATOR_ATOMS = st.sampled_from(
    [
        *"0123456789 ,.;:()-–\nxivlcIVXLnp",
        "387",
        "91",
        ", ",
        "and ",
        "esp. ",
        "especially ",
        "p.",
        "pp. ",
        "page ",
        "pages ",
        "l. ",
        "ll.",
        "1. ",
        "I. ",
        "11. ",
        "Il. ",
        "|. ",
        "n. ",
        "nn. ",
        "chap. ",
        "chaps. ",
        "ch. ",
        "chapter ",
        "note ",
        "notes ",
        "passim",
        " passim",
        "VII, ",
        "vol. 2, ",
        "t. 3, ",
        "2:",
        "xi",
        "xii-xv",
        "ob.",
        " ob.",
        "fig. ",
        "table ",
        "§ ",
        "§§ ",
        "no. ",
        "S. ",
        "\t",
        "\r\n",
    ]
)


def _comparable(scanned):  # type: ignore[no-untyped-def]
    """A scan with each run's unmatched groups left out (pyparsing keeps them as None)."""
    if scanned is None:
        return None
    items, start, end = scanned
    runs = [
        item
        if isinstance(item, str)
        else (item.kind, item.start, item.end, {k: v for k, v in item.groups.items() if v})
        for item in items
    ]
    return runs, start, end


@given(st.lists(_LOCATOR_ATOMS, min_size=1, max_size=14).map("".join), st.booleans())
@settings(max_examples=400)
def test_compiled_locator_walk_agrees_with_pyparsing(text: str, leaf_context: bool) -> None:
    by_terms = scan_locator(text, leaf_context=leaf_context)
    by_pyparsing = _scan_locator_pyparsing(text, leaf_context=leaf_context)
    assert _comparable(by_terms) == _comparable(by_pyparsing)


@pytest.mark.parametrize(
    "text",
    [
        "387-91",
        "387 ",
        "60, 140, and chap. 3 x",
        "esp. 41-45, 127",
        "esp. x",
        "l. 4 ob., 5",
        "VII, 274, 280",
        "1. 47",
    ],
)
def test_compiled_locator_walk_agrees_on_hand_written_locators(text: str) -> None:
    for leaf_context in (False, True):
        assert _comparable(scan_locator(text, leaf_context=leaf_context)) == _comparable(
            _scan_locator_pyparsing(text, leaf_context=leaf_context)
        )


@pytest.mark.parametrize("text", ["447 n. 59", "60, chap. 3", "12, esp. 14", "VII, 274", "2:185", "45n12"])
def test_fast_path_leaves_richer_locators_to_the_grammar(text: str) -> None:
    assert plain_pages(text) is None


# --- names, publication data, titles -----------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        "Allan K. Wildman",
        "R. W. Davies",
        "Howard D. Mehlinger and John M. Thompson",
        "John and Carol Garrard",
        "F.-X. Coquin",
        "V. R. Leikina-Svirskaia",
        "Smith, Jones, and Brown",
        "Jane Smith et al.",
        "Ludwig van Beethoven",
    ],
)
def test_name_lists(names: str) -> None:
    assert g.NAME_LIST.re.fullmatch(names)


@pytest.mark.parametrize(
    "text", ["Let History Judge: The Origins", "lstoriia Leningradskogo", "Bot'sheviki: Dokumenty"]
)
def test_titles_are_not_names(text: str) -> None:
    assert not g.NAME_LIST.re.fullmatch(text)


@pytest.mark.parametrize(
    ("group", "inner", "year"),
    [
        ("(Stanford, 1986)", "Stanford", "1986"),
        ("(Cambridge, Mass., 1960)", "Cambridge, Mass.", "1960"),
        ("(New York: Knopf, 1990)", "New York: Knopf", "1990"),
        (
            "(Ph.D. diss., University of California, Berkeley, 1993)",
            "Ph.D. diss., University of California, Berkeley",
            "1993",
        ),
        ("(Leningrad,\n1982)", "Leningrad", "1982"),
        ("(1976)", "", "1976"),
    ],
)
def test_publication_groups(group: str, inner: str, year: str) -> None:
    match = g.PUB_GROUP.re.fullmatch(group)
    assert match is not None
    assert (match.group("inner").rstrip(", "), match.group("year")) == (inner, year)


def test_publication_group_scans_with_offsets() -> None:
    text = "Wildman, The Making (Chicago, 1967), 110"
    ((tokens, start, end),) = list(g.PUB_GROUP.scan_string(text))
    assert text[start:end] == "(Chicago, 1967)" and tokens["year"] == "1967"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ('"Russian Bebels,"', "Russian Bebels"),
        ("“Russian Bebels,”", "Russian Bebels"),
        (
            "'''More Stories about the New People': Student Radicalism\"",
            "'More Stories about the New People': Student Radicalism",
        ),
        (
            'tIS. I. Kanatchikov: A Half-Rehabilitated Old Bolshevik"',
            "S. I. Kanatchikov: A Half-Rehabilitated Old Bolshevik",
        ),
    ],
)
def test_quoted_titles(text: str, title: str) -> None:
    match = g.QUOTED_TITLE.re.match(text)
    assert match is not None and match.group("title") == title


def test_journal_and_newspaper_tails() -> None:
    journal = g.JOURNAL_TAIL.re.match("Journal of Modern History 2, no. 3 (1980): 515")
    assert journal is not None
    assert (
        journal.group("container"),
        journal.group("volume"),
        journal.group("issue"),
        journal.group("date"),
    ) == (
        "Journal of Modern History",
        "2",
        "3",
        "1980",
    )
    paper = g.NEWSPAPER_TAIL.re.match("Literatumaia gazeta, No. 44 (5370), 6 Nov. 1991")
    assert paper is not None and (paper.group("issue"), paper.group("date")) == (
        "No. 44 (5370)",
        "6 Nov. 1991",
    )
    assert g.NEWSPAPER_TAIL.re.fullmatch("Chicago Tribune, August 15, 1958")


# --- ibid, signals, cross-references -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "initial", "locator"),
    [
        ("Ibid.", "I", None),
        ("ibid., 387-91", "i", "387-91"),
        ("lbid., 371", "l", "371"),
        ("!bid., 1. 14", "!", "1. 14"),
        ("Ibid., I. 53", "I", "I. 53"),
        ("ibid", "i", None),
    ],
)
def test_ibid_grammar(text: str, initial: str, locator: str | None) -> None:
    parsed = g.IBID.parse_string(text)
    assert parsed["initial"] == initial
    if locator is None:
        assert "located_locator" not in parsed
    else:
        located = parsed["located_locator"]
        assert text[located.locn_start : located.locn_end].strip() == locator


def test_ibid_is_a_word() -> None:
    assert not g.IBID_WORD.re.search("Forbidden")
    assert not list(g.IBID_WORD.scan_string("morbid"))


@pytest.mark.parametrize(
    ("text", "number", "direction"),
    [
        ("see note 72 below", "72", "below"),
        ("see note 23, above", "23", "above"),
        ("note 43 above", "43", "above"),
    ],
)
def test_note_cross_references(text: str, number: str, direction: str) -> None:
    match = g.NOTE_CROSSREF.re.fullmatch(text)
    assert match is not None and (match.group("number"), match.group("direction")) == (number, direction)


def test_noted_above_and_document_cross_references() -> None:
    noted = g.NOTED_CROSSREF.re.fullmatch("As noted above (note 6)")
    assert noted is not None and noted.group("number") == "6"
    document = g.DOCUMENT_CROSSREF.re.fullmatch("see Document 3")
    assert document is not None and document.group("number") == "3"


@pytest.mark.parametrize(
    "signal", ["see", "See also", "cf.", "Cf.", "quoted in", "Quoted in", "see, e.g.,", "cited in"]
)
def test_signals(signal: str) -> None:
    assert g.SIGNAL.re.match(signal + " Smith")


def test_declarations() -> None:
    declared = g.DECLARATION.re.fullmatch("(henceforth A Radical Worker)")
    assert declared is not None and declared.group("abbreviation") == "A Radical Worker"
    declared = g.DECLARATION.re.fullmatch("(hereafter cited as Reabilitatsiia)")
    assert declared is not None and declared.group("abbreviation") == "Reabilitatsiia"
    sentence = g.DECLARATION_SENTENCE.re.search("Hereafter I cite the typescript as Avtobiograjiia.")
    assert sentence is not None
    assert (sentence.group("what"), sentence.group("abbreviation")) == ("the typescript", "Avtobiograjiia")


def test_every_major_element_is_named() -> None:
    for name in g.__all__:
        element = getattr(g, name)
        if isinstance(element, frozenset):
            continue  # a lexicon
        assert isinstance(element, pp.ParserElement)
        assert element.customName, name
