"""The resolver's parts: matching, names, suggested entries, collections, declarations, older
conventions, swapping resolvers, running without a bibliography, and properties of any input."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from notecheck.bibliography import load_bibliography_text
from notecheck.models import Citation, CitationFields, CitationResolution, Form, Span, Status
from notecheck.readers import read_edition_text
from notecheck.resolver import DEFAULT_RESOLVERS, Outcome, resolve
from notecheck.resolver.archives import match_collection
from notecheck.resolver.bibtex import suggest_entry
from notecheck.resolver.declarations import declared_work, edition_declarations
from notecheck.resolver.match import (
    Catalogue,
    CitedName,
    catalogue_of,
    ocr_normal,
    similarity,
    squash,
    title_keys,
)
from notecheck.split import parse_edition

from .test_resolve_rules import BIB, check, cited

# --- matching -----------------------------------------------------------------------------------


def test_squash_drops_case_spaces_punctuation_and_a_leading_article() -> None:
    assert squash("The Other  Bolsheviks") == squash("OtherBolsheviks") == "otherbolsheviks"
    assert squash("Conscience ofthe Revolution") == squash("Conscience of the Revolution")
    assert squash("Bol’sheviki") == squash("Bol'sheviki") == "bolsheviki"
    assert title_keys("TheBolsheviks Come") == ("thebolshevikscome",)
    assert title_keys("The Bolsheviks Come") == ("bolshevikscome", "thebolshevikscome")


def test_similarity_tolerates_ocr_damage_but_not_other_words() -> None:
    assert similarity("Great Terror", "The Great Terror") == 100
    assert similarity("AVlobiograjiia", "Avtobiograjiia") > 90
    assert similarity("lstoriia Leningradskogo", "Istoriia Leningradskogo") == 100  # l/I read alike
    assert ocr_normal("rn0l1") == "moll"
    assert similarity("Bol'shevild", "Bol'sheviki") >= 80
    assert similarity("Red Petrograd", "Roots of Rebellion") < 50


def test_cited_names_give_surnames_and_initials() -> None:
    assert CitedName.parse("L. I. Gol' dman").surnames == ("goldman",)
    name = CitedName.parse("Robert Vincent Daniels")
    assert (name.surname, name.initials) == ("daniels", "RV")
    assert CitedName.parse("Leikina-Svirskaia").surname == "leikinasvirskaia"


def test_fuzzy_pre_filter_by_length_loses_no_match() -> None:
    bibliography = load_bibliography_text(BIB, "x.bib")
    catalogue = Catalogue.build(bibliography)
    from rapidfuzz import fuzz

    for query in ("Bol'shevild", "Let Histry Judge", "Dnevnlk", "Workers and Revolutions", "Great Terrors"):
        wanted = ocr_normal(squash(query))
        everything = {
            entry.key
            for entry in bibliography
            for title in (entry.fields.get("shorttitle", ""), entry.title, entry.title.split(":")[0])
            if title and fuzz.ratio(wanted, ocr_normal(squash(title))) >= 70
        }
        assert {key for key, _, _ in catalogue.fuzzy(query, cutoff=70)} == everything, query


def test_the_catalogue_is_built_once_per_bibliography() -> None:
    bibliography = load_bibliography_text(BIB, "x.bib")
    assert catalogue_of(bibliography) is catalogue_of(bibliography)
    assert catalogue_of(None).by_title("anything") == []


# --- suggested entries ------------------------------------------------------------------------------


def citation(text: str, form: Form = Form.FULL, **fields: object) -> Citation:
    return Citation("n1c1", 1, form, text, 0, len(text), Span("x", 1, 1, 1, 1), CitationFields(**fields))  # type: ignore[arg-type]


def test_suggested_entries_escape_and_take_a_free_key() -> None:
    found = citation(
        "x",
        authors=("Arkadii Vaksberg",),
        title="Profits & Losses_{1}",
        container="Literaturnaia gazeta",
        issue="No. 44 (5370)",
        date="6 Nov. 1991",
        extra={"type": "newspaper"},
    )
    line, pretty, key = suggest_entry(found, {"vaksberg1991", "Vaksberg1991a"})
    assert key == "vaksberg1991b"
    assert line == (
        "@article{vaksberg1991b, author = {Vaksberg, Arkadii}, title = {Profits \\& Losses\\_{1}}, "
        "journaltitle = {Literaturnaia gazeta}, entrysubtype = {newspaper}, number = {44 (5370)}, "
        "date = {1991-11-06}}"
    )
    assert load_bibliography_text(pretty, "s.bib").diagnostics == []


def test_suggested_entry_for_an_edited_volume_with_an_ocr_space_in_the_name() -> None:
    found = citation(
        "x", editors=("L. I. Gol' dman",), title="Politicheskie protsessy", place="Moscow", year="1932"
    )
    line, _, key = suggest_entry(found, set())
    assert key == "goldman1932"
    assert line.startswith("@collection{goldman1932, editor = {Gol'dman, L. I.}")


# --- collections of other archives ------------------------------------------------------------------

COLLECTIONS = """
@misc{ccp59, author = {{Continental Congress}}, title = {Papers of the Continental Congress}, year = {1789},
  archive = {Department of State}, collection = {Continental Congress Papers}, series = {No. 59}}
@misc{ccp60, author = {{Continental Congress}}, title = {Papers}, year = {1789},
  archive = {Department of State}, collection = {Continental Congress Papers}, series = {No. 60}}
@misc{rg59, author = {{Department of State}}, title = {General Records}, year = {1953},
  archive = {National Archives}, collection = {General Records of the Department of State}, series = {RG 59}}
@misc{rg59file, author = {{Department of State}}, title = {Decimal file}, year = {1953},
  archive = {National Archives}, series = {RG 59}, file = {102.5/7-953}}
"""


def test_other_archives_resolve_to_collection_entries_with_the_item() -> None:
    collections = catalogue_of(load_bibliography_text(COLLECTIONS, "c.bib")).collections
    found = match_collection(
        "MS. Department of State, Continental Congress Papers, No. 59, I, 281", collections
    )
    assert (found.key, found.item) == ("ccp59", "I, 281")
    found = match_collection("National Archives, RG 59, file 102.5/7-953", collections)
    assert (found.key, found.item) == ("rg59file", "")
    found = match_collection("National Archives, RG 59, file 102.5/7-954", collections)
    assert (found.key, found.item) == ("rg59", "file 102.5/7-954")
    assert match_collection("National Archives, RG 590, 4", collections).key is None
    assert match_collection("Public Record Office, FO 371/1234", collections).key is None


def test_a_citation_of_a_collection_resolves_through_the_walk() -> None:
    """The splitter does not segment these references yet; a citation of one still resolves."""
    bibliography = load_bibliography_text(COLLECTIONS, "c.bib")
    edition = read_edition_text(
        "Notes\n1. MS. Department of State, Continental Congress Papers, No. 59, I, 281.\n"
    )
    parsed = parse_edition(edition)
    text = edition.notes[0].text.rstrip(".\n")
    parsed.citations[1] = (
        dataclasses.replace(citation(text, Form.ARCHIVAL), span=edition.notes[0].span(0, len(text))),
    )
    resolution = resolve(edition, bibliography, parsed=parsed)
    assert resolution.citations["n1c1"] == CitationResolution("ccp59", Status.RESOLVED, ("ccp59",))
    assert "ccp59" in resolution.used_keys


# --- declarations -------------------------------------------------------------------------------


def test_edition_declarations_are_found_by_their_shape() -> None:
    edition = read_edition_text(
        "Notes\n1. My citations below are to the 1972 edition.\n"
        "2. Further citations of the memoir refer to that version.\n"
        "3. Page references are to the 1990 English translation.\n"
        "4. For references to the Russian version, see the appendix.\n"
        "5. The 1972 edition was much shorter.\n"
    )
    assert [(d.note_index, d.year) for d in edition_declarations(edition)] == [
        (1, "1972"),
        (2, None),
        (3, "1990"),
    ]


def test_a_declaration_in_force_speaks_only_about_the_works_of_its_note() -> None:
    text = (
        "1. Roy A. Medvedev, Let History Judge (New York, 1972), 3; Medvedev, Let History Judge (New York, 1989), 4.\n"
        "2. Robert Conquest, The Great Terror (New York, 1968), 1. My citations below are to the 1989 edition.\n"
        "3. Medvedev, Let History Judge, 5.\n"
    )
    parsed, resolution = check(text)
    assert resolution.of(cited(parsed, "Medvedev, Let History Judge, 5")).status is Status.AMBIGUOUS


def test_a_free_standing_declaration_is_matched_by_abbreviation_and_description() -> None:
    catalogue = catalogue_of(load_bibliography_text(BIB, "x.bib"))
    assert declared_work("Dnevnik", "the manuscript diary", catalogue) == "diary1923"
    assert declared_work("Dnevnlk", "the diary", catalogue) == "diary1923"  # damaged, described
    assert declared_work("Zapiski", "the manuscript diary", catalogue) == "diary1923"
    assert declared_work("Zapiski", "the letters", catalogue) is None


# --- older conventions, two authors of one surname --------------------------------------------------


def test_op_cit_and_idem_with_two_authors_of_one_surname() -> None:
    text = (
        "1. Peter Smith, Workers and Revolution (Oxford, 1980), 4; Anna Smith, Red Petrograd (Cambridge, 1983), 5.\n"
        "2. Smith, op. cit., 44.\n3. A. Smith, op. cit., 12; P. Smith, op. cit., 3.\n"
        "4. Roy A. Medvedev, Let History Judge (New York, 1972), 12; idem, Let History Judge, 12.\n"
        "5. Medvedev, loc. cit.\n6. A. Smith, Red Petrograd, 7.\n"
    )
    parsed, resolution = check(text)
    both = resolution.of(cited(parsed, "Smith, op. cit., 44"))
    assert (both.status, set(both.candidates)) == (Status.AMBIGUOUS, {"smithp1980", "smitha1983"})
    assert resolution.of(cited(parsed, "A. Smith, op. cit.")).key == "smitha1983"
    assert resolution.of(cited(parsed, "P. Smith, op. cit.")).key == "smithp1980"
    assert resolution.of(cited(parsed, "idem, Let History Judge")).key == "medvedev1972"
    assert resolution.of(cited(parsed, "Medvedev, loc. cit.")).key == "medvedev1972"
    assert resolution.of(cited(parsed, "A. Smith, Red Petrograd")).key == "smitha1983"
    assert [d.code for d in resolution.diagnostics] == ["NC409"]


def test_a_bare_name_is_tried_as_a_surname_and_the_work_cited_before_wins() -> None:
    text = "1. Peter Smith, Workers and Revolution (Oxford, 1980), 4.\n2. See Smith, passim.\n3. See Wildman, passim.\n"
    parsed, resolution = check(text)
    assert resolution.of(cited(parsed, "See Smith")).key == "smithp1980"
    assert resolution.of(cited(parsed, "See Wildman")).key == "wildman1967"


# --- the walk -------------------------------------------------------------------------------------


def test_without_a_bibliography_ibids_still_find_their_antecedents() -> None:
    edition = read_edition_text(
        "Notes\n1. Wildman, The Making, 4; ibid., 5.\n2. Ibid.\n3. See note 9 below.\n"
    )
    resolution = resolve(edition, None)
    assert [(r.status, r.antecedent) for r in resolution.citations.values()] == [
        (Status.UNRESOLVED, None),
        (Status.UNRESOLVED, "n1c1"),
        (Status.UNRESOLVED, "n1c2"),
        (Status.BROKEN, None),
    ]
    assert [d.code for d in resolution.diagnostics] == ["NC410"]
    assert resolution.used_keys == set()


def test_an_ibid_never_repeats_a_mention_of_a_work_in_the_prose() -> None:
    """A declared abbreviation named in the prose (a mention, no locator) is not what a later
    ibid. repeats: the ibid. repeats the last real citation before it."""
    text = (
        "1. Allan K. Wildman, The Making of a Workers' Revolution (Chicago, 1967), 110"
        " (henceforth Workers' Revolution).\n"
        '2. RTsKhIDNI, f. 124, op. 1, ed. khr. 816, l. 3. As "Workers\' Revolution" tells it,'
        " he was then in Moscow (ibid., l. 5).\n"
    )
    parsed, resolution = check(text)
    mention = cited(parsed, '"Workers\' Revolution"')
    assert mention.fields.extra.get("mention") == "true"
    assert resolution.of(mention).key == "wildman1967"
    ibid = resolution.of(cited(parsed, "ibid., l. 5"))
    assert (ibid.key, ibid.antecedent) == ("f124", cited(parsed, "RTsKhIDNI, f. 124").id)


def test_a_resolver_can_be_swapped() -> None:
    calls: list[str] = []

    def every_short_is_wildman(found: Citation, context: object) -> Outcome:
        calls.append(found.id)
        return Outcome(CitationResolution("wildman1967", Status.RESOLVED, ("wildman1967",)))

    resolvers = dataclasses.replace(DEFAULT_RESOLVERS, short=every_short_is_wildman)
    edition = read_edition_text("Notes\n1. Anything, Else, 4.\n2. Ibid.\n")
    bibliography = load_bibliography_text(BIB, "x.bib")
    resolution = resolve(edition, bibliography, resolvers=resolvers)
    assert calls == ["n1c1"]
    assert resolution.citations["n2c1"].key == "wildman1967"


NOTE_TEXT = st.lists(
    st.sampled_from(
        [
            "Ibid.",
            "ibid., 4",
            "Ibid., l. 5",
            "Wildman, The Making, 3",
            "Allan K. Wildman, The Making of a Workers' Revolution (Chicago, 1967), 2",
            "Smith, op. cit., 4",
            "idem, Red Petrograd, 3",
            "RTsKhIDNI, f. 17, op. 100, d. 134977, l. 4",
            "Ibid., f. 124, op. 1, ed. khr. 816, l. 2",
            "see note 3 above",
            "see Document 2",
            "Bol'shevild, 5",
            "Roy A. Medvedev, Let History Judge (New York, 1989), 3",
            "Medvedev, Let History Judge, 4",
            "Hereafter I cite the diary as Dnevnik",
            "Dnevnik, 3",
            "Commentary without citations",
        ]
    ),
    min_size=0,
    max_size=4,
)


@given(st.lists(NOTE_TEXT, min_size=1, max_size=8))
def test_any_sequence_resolves_without_raising_and_never_looks_forward(notes: list[list[str]]) -> None:
    text = "Notes\n" + "".join(
        f"{n}. {'; '.join(parts) or 'Text'}.\n" for n, parts in enumerate(notes, start=1)
    )
    edition = read_edition_text(text, "p.txt")
    bibliography = load_bibliography_text(BIB, "x.bib")
    parsed = parse_edition(edition)
    resolution = resolve(edition, bibliography, parsed=parsed)
    order = {c.id: position for position, c in enumerate(parsed.all_citations())}
    assert set(resolution.citations) == set(order)
    for citation_id, found in resolution.citations.items():
        if found.antecedent is not None:
            assert order[found.antecedent] < order[citation_id]
        if found.status is Status.AMBIGUOUS:
            assert found.key is None or found.key in found.candidates
            assert len(found.candidates) >= 1
        if found.status is Status.RESOLVED and found.key is not None:
            assert found.key in bibliography.entries
    assert resolution.used_keys <= set(bibliography.entries)
    for diagnostic in resolution.diagnostics:
        assert diagnostic.code.startswith("NC4") and diagnostic.span.path == "p.txt"


def test_a_damaged_surname_still_names_the_author_and_another_authors_title_is_no_fix() -> None:
    text = (
        "1. Allan K. Wildman, The Making of a Workers' Revolution (Chicago, 1967), 110.\n"
        "2. Wildmam, The Making, 4; Jones, The Making, 5.\n"
    )
    parsed, resolution = check(text)
    assert resolution.of(cited(parsed, "Wildmam")).key == "wildman1967"
    (diagnostic,) = resolution.diagnostics
    assert diagnostic.fix is None
    assert diagnostic.message.endswith(
        "'Jones, The Making, 5' matches no bibliography entry; "
        "the title is that of wildman1967, by someone else"
    )


def test_transliteration_variants_of_names_and_titles() -> None:
    bib = BIB + (
        "@book{trotskii1932, author = {Trotskii, Lev}, title = {Istoriia russkoi revoliutsii}, "
        "location = {Berlin}, year = {1932}}\n"
    )
    text = (
        "1. Leon Trotsky, Istoriya russkoi revolyutsii (Berlin, 1932), 4.\n"
        "2. Trotsky, op. cit., 5; Trotskij, Istoriia russkoi revoliutsii, 6.\n"
    )
    parsed, resolution = check(text, bib)
    assert [resolution.of(c).key for c in parsed.all_citations()] == ["trotskii1932"] * 3
    assert resolution.diagnostics == []


def test_a_chapter_of_a_volume_listed_as_a_whole_cites_the_volume() -> None:
    bib = BIB + (
        "@collection{coquin1986, editor = {Coquin, F.-X. and Gervais-Francelle, C.}, "
        "title = {1905: La premi{\\`e}re r{\\'e}volution russe}, location = {Paris}, year = {1986}}\n"
    )
    text = (
        '1. J. D. Morison, "Political Characteristics of the Student Movement," in 1905: La premiere '
        "revolution russe, ed. F.-X. Coquin and C. Gervais-Francelle (Paris, 1986), 70.\n"
    )
    parsed, resolution = check(text, bib)
    assert resolution.of(parsed.all_citations()[0]).key == "coquin1986"
    assert resolution.diagnostics == []


def test_a_long_run_of_ibids_costs_one_look_up_each() -> None:
    import time

    edition = read_edition_text("Notes\n1. Wildman, The Making, 3" + "; ibid., 4" * 3000 + ".\n2. Ibid.\n")
    parsed = parse_edition(edition)
    bibliography = load_bibliography_text(BIB, "x.bib")
    for bib in (bibliography, None):
        start = time.perf_counter()
        resolution = resolve(edition, bib, parsed=parsed)
        assert time.perf_counter() - start < 3.0
        found = list(resolution.citations.values())
        assert len(found) == 3002
        assert [r.antecedent for r in found[1:3]] == ["n1c1", "n1c2"]
        assert found[-1].antecedent == "n1c3001"
        assert {r.key for r in found} == ({"wildman1967"} if bib is not None else {None})
