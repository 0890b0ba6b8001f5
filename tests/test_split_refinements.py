"""The splitter's refinements: other archives' collections, ``Id.``/``idem`` with locators, and
mentions of declared abbreviations in commentary."""

from __future__ import annotations

from pathlib import Path

import pytest

from notecheck.config import Config
from notecheck.models import Form
from notecheck.pipeline import check
from notecheck.readers import read_edition_text
from notecheck.split import parse_edition, parse_note

from .test_grammar import make_note

# --- collections of other archives -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "repository", "item", "kind"),
    [
        (
            "MS. Department of State, Continental Congress Papers, No. 59, I, 281",
            "Department of State",
            "I, 281",
            "page",
        ),
        ("National Archives, RG 59, file 102.5/7-953", "National Archives", None, None),
        ("Public Record Office, FO 371/12345, f. 12", "Public Record Office", "f. 12", "leaf"),
        ("Bodleian Library, MS. Eng. misc. c. 123, fol. 4", "Bodleian Library", "fol. 4", "leaf"),
    ],
)
def test_references_to_other_archives_are_segmented(
    text: str, repository: str, item: str | None, kind: str | None
) -> None:
    (citation,) = parse_note(make_note(text + "."))
    assert (citation.form, citation.text, citation.fields.archival) == (Form.ARCHIVAL, text, None)
    assert citation.fields.extra["kind"] == "collection"
    assert citation.fields.extra["repository"] == repository
    locator = citation.locator
    assert (locator.text if locator else None, locator.kind if locator else None) == (item, kind)


def test_a_collection_reference_among_other_citations() -> None:
    citations = parse_note(make_note("See National Archives, RG 59, file 102.5/7-953; Smith, Roots, 4."))
    assert [(c.form, c.text) for c in citations] == [
        (Form.ARCHIVAL, "See National Archives, RG 59, file 102.5/7-953"),
        (Form.SHORT, "Smith, Roots, 4"),
    ]
    assert citations[0].fields.signal == "see"


@pytest.mark.parametrize(
    "text",
    [
        "The Library of Congress holds the papers, 12 boxes of them.",
        "the Library of Congress holds 12 boxes.",
        "In the National Archives, there are 12 boxes of which I used two.",
        "American Historical Society, The Book of Days (Chicago, 1990), 12.",
    ],
)
def test_prose_and_works_of_corporate_authors_are_not_collections(text: str) -> None:
    assert not [c for c in parse_note(make_note(text)) if c.fields.extra.get("kind") == "collection"]


BIBLIOGRAPHY = """
@misc{ccp59, author = {{Continental Congress}}, title = {Papers of the Continental Congress}, year = {1789},
  archive = {Department of State}, collection = {Continental Congress Papers}, series = {No. 59}}
@misc{rg59file, author = {{Department of State}}, title = {Decimal file}, year = {1953},
  archive = {National Archives}, series = {RG 59}, file = {102.5/7-953}}
"""


def test_a_collection_reference_resolves_end_to_end(tmp_path: Path) -> None:
    edition = tmp_path / "notes.txt"
    edition.write_text(
        "Notes\n1. MS. Department of State, Continental Congress Papers, No. 59, I, 281.\n"
        "2. National Archives, RG 59, file 102.5/7-953.\n",
        encoding="utf-8",
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(BIBLIOGRAPHY, encoding="utf-8")
    report = check([edition], bib, Config())
    (document,) = report.documents
    assert document.parsed is not None
    first, second = document.parsed.all_citations()
    assert document.resolution.citations[first.id].key == "ccp59"
    assert document.resolution.citations[first.id].status.value == "resolved"
    assert first.locator is not None and (first.locator.text, first.locator.volume) == ("I, 281", "I")
    assert first.locator.ranges == ((281, 281),)
    assert document.resolution.citations[second.id].key == "rg59file"


# --- Id. and idem ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cited", "ranges"),
    [("Id. at 12.", "Id. at 12", ((12, 12),)), ("Id., 45.", "Id., 45", ((45, 45),))],
)
def test_id_alone_is_an_idem_short_form_with_its_locator(
    text: str, cited: str, ranges: tuple[tuple[int, int], ...]
) -> None:
    (citation,) = parse_note(make_note(text))
    assert (citation.form, citation.text, citation.fields.convention) == (Form.SHORT, cited, "idem")
    assert citation.fields.title is None
    assert citation.locator is not None and citation.locator.ranges == ranges


@pytest.mark.parametrize("word", ["idem", "Idem"])
def test_idem_with_a_title_carries_its_locator(word: str) -> None:
    (citation,) = parse_note(make_note(f"{word}, Great Terror, 12-14."))
    assert (citation.fields.convention, citation.fields.title) == ("idem", "Great Terror")
    assert citation.locator is not None and citation.locator.ranges == ((12, 14),)
    assert citation.text == f"{word}, Great Terror, 12-14"


def test_idem_in_an_edition() -> None:
    parsed = parse_edition(read_edition_text("Notes\n1. Jones, Roots, 4.\n2. Id. at 7.\n"))
    (citation,) = parsed.citations[2]
    assert citation.fields.convention == "idem" and citation.locator is not None


# --- mentions of declared abbreviations ------------------------------------------------------------


def _mentions(notes: str) -> list[tuple[int, str, str | None, str | None]]:
    parsed = parse_edition(read_edition_text("Notes\n" + notes))
    return [
        (c.note_index, c.text, c.fields.title, c.fields.extra.get("ocr_variant_of"))
        for c in parsed.all_citations()
        if c.fields.extra.get("mention") == "true"
    ]


def test_a_quoted_declared_abbreviation_in_commentary_is_a_mention() -> None:
    notes = (
        "1. I read the typescript. Hereafter I cite the typescript as Avtobiograjiia.\n"
        '2. The "solitary confinement" claim in "Avtobiograjiia" is absent in the anketa.\n'
    )
    assert _mentions(notes) == [(2, '"Avtobiograjiia"', "Avtobiograjiia", None)]
    parsed = parse_edition(read_edition_text("Notes\n" + notes))
    (mention,) = parsed.citations[2]
    assert (mention.form, mention.locator) == (Form.SHORT, None)


def test_an_ocr_damaged_spelling_after_an_unclosed_quote_is_marked() -> None:
    notes = (
        "1. Hereafter I cite the typescript as Avtobiograjiia.\n"
        '2. If, as stated in "Autobiograjiia, Landau helped save him, she was born by 1891.\n'
    )
    assert _mentions(notes) == [(2, '"Autobiograjiia', "Autobiograjiia", "Avtobiograjiia")]


def test_a_declared_title_of_several_words_is_mentioned_as_whole_words() -> None:
    notes = (
        "1. Semen Kanatchikov, A Radical Worker in Tsarist Russia (Stanford, 1986), 3 "
        "(henceforth A Radical Worker).\n"
        "2. The story is told again in a radical worker, without the dates.\n"
        "3. This radical worker was not the only one.\n"
    )
    assert _mentions(notes) == [(2, "a radical worker", "a radical worker", None)]


@pytest.mark.parametrize(
    "notes",
    [
        # mentioned before it is declared
        '1. As "Avtobiograjiia" says. Hereafter I cite the typescript as Avtobiograjiia.\n',
        # a common word, and a word too short
        '1. Hereafter I cite the volume as Memoirs.\n2. The "Memoirs" say so.\n',
        '1. Hereafter I cite the volume as Ivanov.\n2. The "Ivanov" says so.\n',
        # too far from any declared abbreviation
        '1. Hereafter I cite the typescript as Avtobiograjiia.\n2. The "Autobiography" says so.\n',
    ],
)
def test_no_mention_of_what_is_not_declared_or_is_a_common_word(notes: str) -> None:
    assert _mentions(notes) == []


def test_mentions_resolve_and_the_damaged_one_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    edition = tmp_path / "notes.txt"
    edition.write_text(
        "Notes\n1. Hereafter I cite the typescript as Avtobiograjiia.\n"
        '2. The claim in "Avtobiograjiia" is absent.\n'
        '3. If, as stated in "Autobiograjiia, Landau helped him, she was born by 1891.\n',
        encoding="utf-8",
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@unpublished{kanatchikov1923, author = {Kanatchikov, Semen}, title = {Avtobiografiia},"
        " shorttitle = {Avtobiograjiia}, note = {typescript}, year = {1923}}\n",
        encoding="utf-8",
    )
    report = check([edition], bib, Config())
    (document,) = report.documents
    assert document.parsed is not None
    exact, damaged = (c for c in document.parsed.all_citations() if c.fields.extra.get("mention"))
    assert document.resolution.citations[exact.id].key == "kanatchikov1923"
    assert document.resolution.citations[damaged.id].status.value == "broken"
    (reported,) = [d for d in document.diagnostics if d.code == "NC401"]
    assert reported.note == 3 and "Avtobiograjiia" in reported.message
    assert reported.fix is not None and reported.fix.replacement == "Avtobiograjiia"
