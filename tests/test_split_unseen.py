"""The splitter on forms the unseen editions (tests/data/unseen/) showed it missed: a short title
with a comma, two citations joined by ``, and``, a short form in prose by a known author, and a
declared abbreviation mentioned with its locator or before its declaration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from notecheck.baseline import Baseline
from notecheck.config import Config
from notecheck.models import Form
from notecheck.pipeline import check
from notecheck.readers import read_edition_text
from notecheck.split import _split, parse_edition, parse_note

from .test_grammar import make_note

if TYPE_CHECKING:
    from notecheck.split.text import Known


def _both_passes(text: str, known: Known | None = None) -> list[tuple[str, str]]:
    """(form, text) of each citation; the fast pass and the full splitter must agree."""
    note = make_note(text)
    known = known or {}
    fast = [(c.form.value, c.text) for c in _split(note, known).citations]
    full = [(c.form.value, c.text) for c in _split(note, known, fast=False).citations]
    assert fast == full
    return full


# --- a short title with a comma -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "authors", "title"),
    [
        (
            "Goldman, Women, the State and Revolution, 121-23.",
            ("Goldman",),
            "Women, the State and Revolution",
        ),
        ("Smith, Jones, and Brown, Title of It, 12.", ("Smith", "Jones", "Brown"), "Title of It"),
        ("Mehlinger and Thompson, Count Witte, 148.", ("Mehlinger", "Thompson"), "Count Witte"),
        ("Garrard, Inside, 51-52.", ("Garrard",), "Inside"),
    ],
)
def test_names_joined_by_commas_alone_are_one_author_and_a_title(
    text: str, authors: tuple[str, ...], title: str
) -> None:
    (citation,) = parse_note(make_note(text))
    assert (citation.form, citation.fields.authors, citation.fields.title) == (Form.SHORT, authors, title)
    _both_passes(text)


@pytest.mark.parametrize(
    ("text", "authors", "title"),
    [
        (
            "Smith, Peasants and Workers, Soviet Russia, 12.",
            ("Smith",),
            "Peasants and Workers, Soviet Russia",
        ),
        ("Smith, Jones and Brown, Old Mills, 12.", ("Smith",), "Jones and Brown, Old Mills"),
        ("Smith, Jones, and Brown, Old Mills, 12.", ("Smith", "Jones", "Brown"), "Old Mills"),
        ("Smith, Jones, et al., Old Mills, 12.", ("Smith", "Jones"), "Old Mills"),
    ],
)
def test_several_authors_of_a_short_form_need_the_serial_comma_as_in_a_full_head(
    text: str, authors: tuple[str, ...], title: str
) -> None:
    (citation,) = parse_note(make_note(text))
    assert (citation.form, citation.fields.authors, citation.fields.title) == (Form.SHORT, authors, title)
    _both_passes(text)


def test_the_whole_notes_clauses_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mention of a declared abbreviation finds its locator in the clauses ``run`` computed."""
    from notecheck.split.splitter import _NoteSplitter

    note = make_note("The speech is printed in Istoriia metro, 45; see also Wood, The Baba, 12.")
    wholes: list[tuple[int, int]] = []
    clauses = _NoteSplitter._clauses

    def counted(self: _NoteSplitter, start: int, end: int) -> list[Any]:
        if (start, end) == (0, len(note.text)):
            wholes.append((start, end))
        return clauses(self, start, end)

    monkeypatch.setattr(_NoteSplitter, "_clauses", counted)
    result = _split(note, {}, declared=(("Istoriia metro", 0),))
    assert [c.text for c in result.citations] == ["Istoriia metro, 45", "see also Wood, The Baba, 12"]
    assert len(wholes) == 1


# --- two citations joined by ", and" --------------------------------------------------------------


def test_two_short_forms_joined_by_and_are_two_citations() -> None:
    text = "The department was abolished in 1930; see Wood, The Baba, 220, and Lapidus, Women in Soviet Society, 66."
    assert _both_passes(text) == [
        ("short", "see Wood, The Baba, 220"),
        ("short", "Lapidus, Women in Soviet Society, 66"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the locator goes on: a chapter, more pages
        ("Vucinich, Science, 446-454, and chap. 8.", [("short", "Vucinich, Science, 446-454, and chap. 8")]),
        ("Wood, The Baba, 12, 14, and 16.", [("short", "Wood, The Baba, 12, 14, and 16")]),
        # a title with a year and "and": no name and comma follow
        (
            "Alan Smith, The Revolution, 1905, and After (London, 1920), 12.",
            [("full", "Alan Smith, The Revolution, 1905, and After (London, 1920), 12")],
        ),
    ],
)
def test_and_inside_one_citation_does_not_cut_it(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.form.value, c.text) for c in parse_note(make_note(text))] == expected


@pytest.mark.parametrize(
    ("text", "authors", "title"),
    [
        # the left side is no complete citation ending in a locator; no title after the comma
        (
            "Lenin, Selected Works 1917-1923, and Other Essays, ed. Smith (Moscow, 1990), 12.",
            ("Lenin",),
            "Selected Works 1917-1923, and Other Essays",
        ),
        # a publication group follows in the clause: the "and" is inside the title
        (
            "John Smith, Labor in 1905, and After, Its Legacy (Chicago, 1990), 12.",
            ("John Smith",),
            "Labor in 1905, and After, Its Legacy",
        ),
        (
            "Smith, Labor, 1905, and After, Its Legacy (Chicago, 1990), 12.",
            ("Smith",),
            "Labor, 1905, and After, Its Legacy",
        ),
    ],
)
def test_and_inside_a_full_citations_title_does_not_cut_it(
    text: str, authors: tuple[str, ...], title: str
) -> None:
    (citation,) = parse_note(make_note(text))
    assert (citation.form, citation.text, citation.fields.authors, citation.fields.title) == (
        Form.FULL,
        text.rstrip("."),
        authors,
        title,
    )
    assert citation.locator is not None and citation.locator.ranges == ((12, 12),)
    _both_passes(text)


def test_and_after_a_full_citation_with_its_locator_cuts_before_a_short_form() -> None:
    text = "Alan Smith, The Revolution (London, 1920), 12, and Wood, The Baba, 220; see also Ibid., 4."
    assert _both_passes(text) == [
        ("full", "Alan Smith, The Revolution (London, 1920), 12"),
        ("short", "Wood, The Baba, 220"),
        ("ibid", "see also Ibid., 4"),
    ]


def test_and_after_a_short_form_with_its_page_cuts_before_a_full_citation() -> None:
    """A publication group after ``, and`` belongs to the next citation when the locator before
    is a page (only a year-like number can be part of a title: ``Labor in 1905, and After``)."""
    text = "See Wood, The Baba, 220, and Lapidus, Women in Soviet Society (Berkeley, 1978), 66."
    assert _both_passes(text) == [
        ("short", "See Wood, The Baba, 220"),
        ("full", "Lapidus, Women in Soviet Society (Berkeley, 1978), 66"),
    ]


# --- a short form in prose by a known author ------------------------------------------------------


def test_a_short_form_after_prose_by_an_author_cited_in_full_is_read() -> None:
    parsed = parse_edition(
        read_edition_text(
            "Notes\n1. Hiroaki Kuromiya, Stalin's Industrial Revolution (Cambridge, 1988), 115.\n"
            "2. The Komsomol mobilization is described in Kuromiya, Stalin's Industrial Revolution, 290.\n"
        )
    )
    (citation,) = parsed.citations[2]
    assert (citation.form, citation.text, citation.fields.authors) == (
        Form.SHORT,
        "Kuromiya, Stalin's Industrial Revolution, 290",
        ("Kuromiya",),
    )
    assert citation.locator is not None and citation.locator.ranges == ((290, 290),)
    known = {"Kuromiya": ("Stalin's Industrial Revolution",)}
    assert _both_passes(parsed.edition.notes[1].text, known) == [
        ("short", "Kuromiya, Stalin's Industrial Revolution, 290")
    ]


@pytest.mark.parametrize(
    "prose",
    [
        "He was born in Moscow, Russia, 1905.",  # no known author
        "The plant in Kuromiya, Novosibirsk, 1931 was closed.",  # a known name that is no short form
    ],
)
def test_prose_with_places_and_numbers_is_not_a_short_form(prose: str) -> None:
    parsed = parse_edition(
        read_edition_text(
            f"Notes\n1. Hiroaki Kuromiya, Stalin's Industrial Revolution (Cambridge, 1988), 115.\n2. {prose}\n"
        )
    )
    assert parsed.citations[2] == ()


_BERLIN_AND_LONDON = (
    "Notes\n1. Isaiah Berlin, Russian Thinkers (London, 1978), 12.\n"
    "2. Jack London, The Iron Heel (New York, 1908), 5.\n"
)


@pytest.mark.parametrize(
    "prose",
    [
        "The poems were printed in Berlin, Rowohlt Verlag, 1923.",
        "He lived in London, Ontario, 1921-1925.",
    ],
)
def test_a_cited_surname_that_is_also_a_place_is_no_short_form_without_its_title(prose: str) -> None:
    parsed = parse_edition(read_edition_text(f"{_BERLIN_AND_LONDON}3. {prose}\n4. Ibid., 7.\n"))
    assert parsed.citations[3] == ()
    (ibid,) = parsed.citations[4]
    assert ibid.form is Form.IBID
    assert not [d for d in parsed.diagnostics if d.note == 3]
    # a surname given without titles never reads a short form in prose
    assert parse_note(make_note(prose), known_authors=["Berlin", "London"]) == []


def test_a_known_surname_that_names_no_title_does_not_hide_a_later_one() -> None:
    parsed = parse_edition(
        read_edition_text(
            f"{_BERLIN_AND_LONDON}3. It appeared in Berlin, Rowohlt, in 1923 and is discussed in"
            " London, The Iron Heel, 7.\n4. It is discussed in Berlin, Russian Thinkers, 40.\n"
        )
    )
    assert [(c.form, c.text, c.fields.authors) for c in parsed.citations[3]] == [
        (Form.SHORT, "London, The Iron Heel, 7", ("London",))
    ]
    assert [(c.form, c.text) for c in parsed.citations[4]] == [(Form.SHORT, "Berlin, Russian Thinkers, 40")]


# --- declared abbreviations: a mention's locator, a mention before the declaration ----------------


def test_a_mention_of_a_declared_abbreviation_carries_its_locator() -> None:
    parsed = parse_edition(
        read_edition_text(
            "Notes\n1. Zhenshchiny v revoliutsii, ed. A. V. Artiukhina (Moscow, 1959), 112 "
            "(hereafter cited as Zhenshchiny v revoliutsii).\n"
            "2. Her own account is in Zhenshchiny v revoliutsii, 20-27.\n"
        )
    )
    (mention,) = parsed.citations[2]
    assert mention.text == "Zhenshchiny v revoliutsii, 20-27"
    assert mention.locator is not None and mention.locator.ranges == ((20, 27),)


def test_a_mention_before_the_declaration_is_read_and_reported(tmp_path: Path) -> None:
    edition = tmp_path / "notes.txt"
    edition.write_text(
        "Notes\n1. The speech is printed in Istoriia metro, 45.\n"
        "2. Istoriia metro Moskvy, ed. A. Kosarev (Moscow, 1935), 12 (henceforth Istoriia metro).\n",
        encoding="utf-8",
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@collection{kosarev1935, editor = {Kosarev, A.}, title = {Istoriia metro Moskvy},"
        " shorttitle = {Istoriia metro}, location = {Moscow}, year = {1935}}\n",
        encoding="utf-8",
    )
    report = check([edition], bib, Config(root=tmp_path), baseline=Baseline())
    (document,) = report.documents
    assert document.parsed is not None
    (early,) = document.parsed.citations[1]
    assert early.text == "Istoriia metro, 45"
    assert document.resolution.of(early).key == "kosarev1935"
    (reported,) = [d for d in document.diagnostics if d.code == "NC407"]
    assert (reported.note, reported.span.line, reported.span.column) == (1, 2, 29)


# --- several editors before the title; a chapter in a book named by its short title ----------------


@pytest.mark.parametrize(
    ("text", "editors", "title"),
    [
        (
            "Barbara Evans Clements, Barbara Alpern Engel, and Christine D. Worobec, eds., Russia's Women:"
            " Accommodation, Resistance, Transformation (Berkeley, 1991), 260-62.",
            ("Barbara Evans Clements", "Barbara Alpern Engel", "Christine D. Worobec"),
            "Russia's Women: Accommodation, Resistance, Transformation",
        ),
        (
            "Jane Smith and John Jones, eds., A Title (London, 1990), 4.",
            ("Jane Smith", "John Jones"),
            "A Title",
        ),
        ("L. I. Gol'dman, ed., Politicheskie protsessy (Moscow, 1932), 56.", ("L. I. Gol'dman",), None),
    ],
)
def test_editors_named_before_the_title_with_a_bare_role(
    text: str, editors: tuple[str, ...], title: str | None
) -> None:
    (citation,) = parse_note(make_note(text))
    assert (citation.form, citation.fields.authors, citation.fields.editors) == (Form.FULL, (), editors)
    assert title is None or citation.fields.title == title


def test_a_chapter_in_a_book_named_by_its_short_title() -> None:
    text = 'Wendy Goldman, "Women, Abortion, and the State, 1917-36," in Russia\'s Women, 243-66.'
    (citation,) = parse_note(make_note(text))
    assert (citation.form, citation.fields.title, citation.fields.container) == (
        Form.SHORT,
        "Women, Abortion, and the State, 1917-36",
        "Russia's Women",
    )
    assert citation.locator is not None and citation.locator.ranges == ((243, 266),)
    _both_passes(text)


@pytest.mark.parametrize(
    "text",
    [
        'Smith, "A Chapter," in which he argues the point, 12.',  # prose, not a book
        'Smith, "A Chapter," in 1905, 12.',
    ],
)
def test_in_after_a_quoted_title_needs_a_title_and_a_locator(text: str) -> None:
    assert all(c.fields.container is None for c in parse_note(make_note(text)))


def test_a_chapter_by_short_book_title_resolves(tmp_path: Path) -> None:
    edition = tmp_path / "notes.txt"
    edition.write_text(
        "Notes\n1. Barbara Evans Clements, Barbara Alpern Engel, and Christine D. Worobec, eds., Russia's"
        " Women: Accommodation, Resistance, Transformation (Berkeley, 1991), 260.\n"
        '2. Wendy Goldman, "Women, Abortion, and the State, 1917-36," in Russia\'s Women, 243-66.\n',
        encoding="utf-8",
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@collection{clements1991, editor = {Clements, Barbara Evans and Engel, Barbara Alpern and Worobec,"
        " Christine D.}, title = {Russia's Women: Accommodation, Resistance, Transformation},"
        " location = {Berkeley}, year = {1991}}\n"
        "@incollection{goldman1991, author = {Goldman, Wendy}, title = {Women, Abortion, and the State,"
        " 1917--36}, booktitle = {Russia's Women}, crossref = {clements1991}, year = {1991}}\n",
        encoding="utf-8",
    )
    report = check([edition], bib, Config(root=tmp_path), baseline=Baseline())
    (document,) = report.documents
    assert document.parsed is not None
    keys = [document.resolution.of(c).key for c in document.parsed.all_citations()]
    assert keys == ["clements1991", "goldman1991"]
    assert [d.code for d in report.active_diagnostics()] == []


# --- "and the following pages" --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locator"),
    [
        ("Kotkin, Magnetic Mountain, 72 ff.", "72 ff."),
        ("Kotkin, Magnetic Mountain, 72f.", "72f."),
        ("Kotkin, Magnetic Mountain, 72 ff., 90.", "72 ff., 90"),
        ("See Kotkin, Magnetic Mountain, pp. 72 ff. On the workers, see below.", "pp. 72 ff."),
    ],
)
def test_pages_and_the_following_are_a_locator(text: str, locator: str) -> None:
    citation = parse_note(make_note(text))[0]
    assert (citation.form, citation.fields.title) == (Form.SHORT, "Magnetic Mountain")
    assert citation.locator is not None and citation.locator.text == locator
    assert citation.locator.ranges[0] == (72, 72)
    _both_passes(text)
