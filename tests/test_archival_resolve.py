"""Archival references to bibliography entries: ``match_archival_file`` and ``archival_contexts``."""

from __future__ import annotations

from notecheck.archival import archival_contexts, find_archival, match_archival_file
from notecheck.models import ArchivalReference, Entry, Span
from tests.test_archival_support import edition_from_notes, parse_archival

SPAN = Span("bibliography.bib", 1, 1, 1, 1)


def entry(key: str, **fields: str) -> Entry:
    return Entry(key, "unpublished", fields, SPAN)


ENTRIES = [
    entry("kanatchikov-tsk", archive="RTsKhIDNI", fond="17", opis="100", delo="134977", title="Lichnoe delo"),
    entry("kanatchikov-osb", archive="RTsKhIDNI", fond="124", opis="1", edkhr="816", title="Anketa"),
    entry("zelnik1986", title="A Radical Worker in Tsarist Russia", year="1986"),
]


def reference(text: str) -> ArchivalReference:
    (match,) = find_archival(text)
    return match.reference


def test_exact_file_resolves() -> None:
    found = match_archival_file(reference("RTsKhIDNI, f. 17, Ope 100, d. 134977, 1. 47"), ENTRIES)
    assert (found.key, found.candidates, found.suggestions) == ("kanatchikov-tsk", ("kanatchikov-tsk",), ())
    found = match_archival_file(reference("RTsKhIDNI, f. 124, op. 1, 00. khr. 816, I. 21"), ENTRIES)
    assert found.key == "kanatchikov-osb"


def test_continuation_matches_with_inherited_or_unknown_archive() -> None:
    continued = reference("and f. 124, Ope 1, ed. khr.\n816, 11. 3, 4 (1929)")
    assert match_archival_file(continued, ENTRIES).key == "kanatchikov-osb"
    assert match_archival_file(continued, ENTRIES, archive="RTsKhIDNI").key == "kanatchikov-osb"
    assert match_archival_file(continued, ENTRIES, archive="GARF").key is None


def test_one_digit_typo_in_delo_is_broken_with_the_right_suggestion() -> None:
    found = match_archival_file(reference("RTsKhIDNI, f. 17, op. 100, d. 134978, l. 47"), ENTRIES)
    assert found.key is None and found.candidates == ()
    assert found.suggestions == ("kanatchikov-tsk",)


def test_wrong_unit_kind_is_broken_and_suggests_the_file() -> None:
    found = match_archival_file(reference("RTsKhIDNI, f. 124, op. 1, d. 816"), ENTRIES)
    assert found.key is None and found.suggestions == ("kanatchikov-osb",)


def test_renamed_repository_still_matches_but_same_name_wins() -> None:
    renamed = match_archival_file(reference("RGASPI, f. 17, op. 100, d. 134977"), ENTRIES)
    assert renamed.key == "kanatchikov-tsk"
    both = [*ENTRIES, entry("rgaspi-copy", archive="RGASPI", fond="17", opis="100", delo="134977")]
    found = match_archival_file(reference("RGASPI, f. 17, op. 100, d. 134977"), both)
    assert found.key == "rgaspi-copy"
    assert set(found.candidates) == {"rgaspi-copy", "kanatchikov-tsk"}


def test_two_equal_files_are_ambiguous() -> None:
    twice = [*ENTRIES, entry("duplicate", archive="RTsKhIDNI", fond="17", opis="100", delo="134977")]
    found = match_archival_file(reference("RTsKhIDNI, f. 17, op. 100, d. 134977"), twice)
    assert found.key is None and set(found.candidates) == {"kanatchikov-tsk", "duplicate"}


def test_whole_fond_lists_its_files_as_candidates() -> None:
    found = match_archival_file(reference("RTsKhIDNI, f. 17, op. 100"), ENTRIES)
    assert found.key is None and found.candidates == ("kanatchikov-tsk",)


def test_bibliography_fields_with_abbreviations_are_normalised() -> None:
    spelled = [entry("x", archive="RTsKhIDNI", fond="f. 17", opis="op. 100", delo="d. 134977")]
    assert match_archival_file(reference("RTsKhIDNI, f. 17, op. 100, d. 134977"), spelled).key == "x"


def test_unrelated_file_is_not_suggested_far_away() -> None:
    found = match_archival_file(reference("GARF, f. 5446, op. 82, d. 1"), ENTRIES)
    assert found.key is None and found.suggestions == ()


def test_contexts_fill_archive_and_ibid_files() -> None:
    edition = edition_from_notes(
        "RTsKhIDNI, f. 17, op. 100, d. 134977, l. 4 (1921), and f. 124, op. 1, ed. khr. 816, ll. 3, 4.",
        "Ibid., I. 53.",
        "Ibid., f. 17, op. 100, d. 134977, l. 2.",
    )
    parsed = parse_archival(edition)
    contexts = archival_contexts(parsed)
    citations = parsed.all_citations()
    assert [contexts[c.id].archive for c in citations] == ["RTsKhIDNI"] * 4
    ibid = contexts[citations[2].id]
    assert (ibid.fond, ibid.unit, ibid.leaves) == ("124", "816", ((53, 53),))
    assert match_archival_file(ibid, ENTRIES).key == "kanatchikov-osb"
    assert match_archival_file(contexts[citations[3].id], ENTRIES).key == "kanatchikov-tsk"
