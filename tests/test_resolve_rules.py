"""Rules NC401-NC414 and NC250: one small fixture each, with the resolution it comes with."""

from __future__ import annotations

from notecheck.bibliography import load_bibliography_text
from notecheck.config import Config
from notecheck.fixes import apply_fixes
from notecheck.models import Citation, Diagnostic, Resolution, Severity, Status
from notecheck.readers import read_edition_text
from notecheck.resolver import resolve, unused_entries
from notecheck.rules import all_rules
from notecheck.split import ParsedEdition, parse_edition

BIB = """
@book{wildman1967, author = {Wildman, Allan K.}, title = {The Making of a Workers' Revolution},
  shorttitle = {The Making}, location = {Chicago}, year = {1967}}
@book{conquest1968, author = {Conquest, Robert}, title = {The Great Terror: Stalin's Purge of the Thirties},
  location = {New York}, year = {1968}}
@book{medvedev1972, author = {Medvedev, Roy A.}, title = {Let History Judge}, location = {New York}, year = {1972}}
@book{medvedev1989, author = {Medvedev, Roy A.}, title = {Let History Judge}, location = {New York}, year = {1989}}
@collection{tsiavlovskii1918, editor = {Tsiavlovskii, M. A.}, title = {Bol'sheviki: Dokumenty po istorii bol'shevizma},
  shorttitle = {Bol'sheviki}, location = {Moscow}, year = {1918}}
@unpublished{diary1923, author = {Kanatchikov, S. I.}, title = {Dnevnik}, howpublished = {Manuscript diary},
  year = {1923}}
@book{smithp1980, author = {Smith, Peter}, title = {Workers and Revolution}, location = {Oxford}, year = {1980}}
@book{smitha1983, author = {Smith, Anna}, title = {Red Petrograd}, location = {Cambridge}, year = {1983}}
@misc{f17, author = {Kanatchikov, S. I.}, title = {Personal file}, year = {1921},
  archive = {RTsKhIDNI}, fond = {17}, opis = {100}, delo = {134977}}
@misc{f124, author = {Kanatchikov, S. I.}, title = {OSB file}, year = {1931},
  archive = {RTsKhIDNI}, fond = {124}, opis = {1}, edkhr = {816}}
"""

PREAMBLE = "Introduction\n\nDocument 1\n\nA letter.\n\nNotes\n"


def check(notes: str, bib: str = BIB, config: Config | None = None) -> tuple[ParsedEdition, Resolution]:
    edition = read_edition_text(PREAMBLE + notes, "fixture.txt")
    bibliography = load_bibliography_text(bib, "fixture.bib")
    assert bibliography.diagnostics == []
    parsed = parse_edition(edition)
    return parsed, resolve(edition, bibliography, parsed=parsed, config=config)


def only(resolution: Resolution, code: str) -> Diagnostic:
    found = [d for d in resolution.diagnostics if d.code == code]
    assert len(found) == 1, resolution.diagnostics
    return found[0]


def cited(parsed: ParsedEdition, text: str) -> Citation:
    return next(c for c in parsed.all_citations() if c.text.startswith(text))


def test_every_nc4_rule_is_documented_in_four_parts() -> None:
    mine = [r for r in all_rules() if (r.code.startswith("NC4") and r.code != "NC480") or r.code == "NC250"]
    assert [r.code for r in mine] == ["NC250", *(f"NC4{n:02d}" for n in range(1, 15))]
    for rule in mine:
        assert rule.what and rule.why and rule.example and rule.instead


def test_nc401_unknown_short_form_with_suggestion_and_safe_fix() -> None:
    text = "1. M. A. Tsiavlovskii, comp., Bol'sheviki (Moscow, 1918), 3.\n2. See Bol'shevild, 324.\n"
    parsed, resolution = check(text)
    diagnostic = only(resolution, "NC401")
    assert diagnostic.severity is Severity.ERROR and diagnostic.note == 2
    assert 'did you mean "Bol\'sheviki" (tsiavlovskii1918)' in diagnostic.message
    found = resolution.of(cited(parsed, "See Bol'shevild"))
    assert (found.key, found.status, found.suggestions) == (None, Status.BROKEN, ("tsiavlovskii1918",))
    assert diagnostic.fix is not None and diagnostic.fix.applicability == "safe"
    fixed = apply_fixes(parsed.edition.source.text, [diagnostic.fix])
    assert fixed.endswith("2. See Bol'sheviki, 324.\n")


def test_nc401_no_fix_when_the_title_is_far_from_every_entry() -> None:
    _, resolution = check("1. Vospominaniia, 12.\n")
    diagnostic = only(resolution, "NC401")
    assert diagnostic.fix is None and "did you mean" not in diagnostic.message


def test_nc402_full_citation_missing_carries_a_bibtex_entry() -> None:
    parsed, resolution = check("1. Loren R. Graham, The Soviet Academy of Sciences (Princeton, 1967), 69.\n")
    diagnostic = only(resolution, "NC402")
    assert diagnostic.severity is Severity.ERROR
    assert "@book{graham1967, author = {Graham, Loren R.}" in diagnostic.message
    assert resolution.suggested_entries == [
        "@book{graham1967,\n"
        "  author   = {Graham, Loren R.},\n"
        "  title    = {The Soviet Academy of Sciences},\n"
        "  location = {Princeton},\n"
        "  year     = {1967},\n"
        "}"
    ]
    assert resolution.of(parsed.all_citations()[0]).status is Status.BROKEN


def test_nc402_later_short_forms_and_ibids_of_the_missing_work_are_broken_without_a_second_report() -> None:
    text = (
        "1. Loren R. Graham, The Soviet Academy of Sciences (Princeton, 1967), 69.\n"
        "2. Ibid., 70.\n3. Graham, Soviet Academy of Sciences, 71.\n"
    )
    parsed, resolution = check(text)
    assert [d.code for d in resolution.diagnostics] == ["NC402"]
    assert [resolution.of(c).status for c in parsed.all_citations()] == [Status.BROKEN] * 3


def test_nc403_year_place_and_title_disagree_but_damage_does_not() -> None:
    text = "1. Robert Conquest, The Great Terror: A Reassessment (London, 1986), 88.\n"
    parsed, resolution = check(text)
    parts = sorted(d.message.split()[1] for d in resolution.diagnostics if d.code == "NC403")
    assert parts == ["place", "title", "year"]
    assert resolution.of(parsed.all_citations()[0]).key == "conquest1968"
    damaged = "1. Robert Conquest, The Grcat Tcrror: Stalin's Purgc of thc Thirtics (New York, 1968), 88.\n"
    parsed, resolution = check(damaged)
    assert resolution.diagnostics == []
    assert resolution.of(parsed.all_citations()[0]).key == "conquest1968"


def test_nc403_author_that_is_not_the_entrys() -> None:
    _, resolution = check(
        "1. Robert Jones, The Great Terror: Stalin's Purge of the Thirties (New York, 1968), 8.\n"
    )
    assert "the author of this full citation (Robert Jones)" in only(resolution, "NC403").message


def test_nc404_ibid_in_the_first_note_and_after_a_note_without_citation() -> None:
    text = "1. Ibid., 4.\n2. The figures are approximate.\n3. Ibid., 5.\n"
    parsed, resolution = check(text)
    found = sorted((d.note, d.message) for d in resolution.diagnostics if d.code == "NC404")
    assert [note for note, _ in found] == [1, 3]
    assert "first note" in found[0][1] and "after note 2, which cites nothing" in found[1][1]
    assert all(resolution.of(c).status is Status.BROKEN for c in parsed.all_citations())


def test_nc405_ibid_after_several_works_chooses_by_locator_kind() -> None:
    text = (
        "1. Allan K. Wildman, The Making of a Workers' Revolution (Chicago, 1967), 110; "
        "RTsKhIDNI, f. 17, op. 100, d. 134977, l. 4.\n2. Ibid., l. 5.\n3. Wildman, The Making, 12; "
        "Robert Conquest, The Great Terror (New York, 1968), 88.\n4. Ibid., 90.\n"
    )
    parsed, resolution = check(text)
    leaves = resolution.of(cited(parsed, "Ibid., l. 5"))
    assert (leaves.key, leaves.status, set(leaves.candidates)) == (
        "f17",
        Status.AMBIGUOUS,
        {"f17", "wildman1967"},
    )
    assert leaves.antecedent == "n1c2"
    pages = resolution.of(cited(parsed, "Ibid., 90"))
    assert (pages.key, pages.status) == ("conquest1968", Status.AMBIGUOUS)
    messages = [d.message for d in resolution.diagnostics if d.code == "NC405"]
    assert len(messages) == 2 and "leaves point to an archival file" in messages[0]
    assert "the work cited last" in messages[1]


def test_nc406_archive_level_ibid_across_a_note_without_citation() -> None:
    text = "1. RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47.\n2. Commentary only.\n3. Ibid., f. 124, op. 1, ed. khr. 816, ll. 15-17.\n"
    parsed, resolution = check(text)
    diagnostic = only(resolution, "NC406")
    assert diagnostic.severity is Severity.WARNING
    assert "(RTsKhIDNI) from note 1, across note 2, which cites nothing" in diagnostic.message
    found = resolution.of(cited(parsed, "Ibid., f. 124"))
    assert (found.key, found.status, found.antecedent) == ("f124", Status.RESOLVED, "n1c1")
    near = "1. RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47.\n2. Ibid., f. 124, op. 1, ed. khr. 816, l. 3.\n"
    assert check(near)[1].diagnostics == []


def test_nc407_short_form_before_the_full_citation() -> None:
    text = "1. Wildman, The Making, 110.\n2. Allan K. Wildman, The Making of a Workers' Revolution (Chicago, 1967), 1.\n"
    parsed, resolution = check(text)
    diagnostic = only(resolution, "NC407")
    assert "before the work's first full citation, in note 2" in diagnostic.message
    assert resolution.of(parsed.all_citations()[0]).key == "wildman1967"
    # A work cited only in short form (a bibliography-based style) is not reported.
    assert check("1. Wildman, The Making, 110.\n")[1].diagnostics == []


def test_nc407_short_form_before_its_declaration() -> None:
    text = "1. Dnevnik, 4.\n2. Hereafter I cite the manuscript diary as Dnevnik.\n3. Dnevnik, 5.\n"
    parsed, resolution = check(text)
    assert "before note 2 declares the abbreviation 'Dnevnik'" in only(resolution, "NC407").message
    assert [resolution.of(c).key for c in parsed.all_citations()] == ["diary1923", "diary1923"]


def test_nc408_two_short_forms_for_one_work() -> None:
    text = (
        "1. Robert Conquest, The Great Terror (New York, 1968), 88.\n2. Conquest, The Great Terror, 82.\n"
        "3. Conquest, Great Terror, 137.\n4. Conquest, The GreatTerror, 9.\n"
    )
    _, resolution = check(text)
    diagnostic = only(resolution, "NC408")
    assert diagnostic.note == 3 and "differs from 'The Great Terror' used in note 2" in diagnostic.message


def test_nc408_against_the_declared_abbreviation() -> None:
    text = "1. Roy A. Medvedev, Let History Judge (New York, 1972), 3 (hereafter cited as Judge).\n2. Let History Judge, 4.\n"
    _, resolution = check(
        text,
        BIB.replace("medvedev1989", "other1989").replace(
            "{Let History Judge}, location = {New York}, year = {1989}", "{Other}, year = {1989}"
        ),
    )
    assert "differs from 'Judge' used in note 1" in only(resolution, "NC408").message


def test_nc409_two_editions_unless_the_notes_or_the_configuration_say_which() -> None:
    text = "1. Roy A. Medvedev, Let History Judge (New York, 1972), 3; Medvedev, Let History Judge (New York, 1989), 4.\n2. Medvedev, Let History Judge, 5.\n"
    parsed, resolution = check(text)
    diagnostic = only(resolution, "NC409")
    short = resolution.of(cited(parsed, "Medvedev, Let History Judge, 5"))
    assert (short.status, set(short.candidates)) == (Status.AMBIGUOUS, {"medvedev1972", "medvedev1989"})
    assert "could be any of medvedev1972, medvedev1989" in diagnostic.message
    declared = text.replace(", 4.\n", ", 4. My citations below are to the 1989 edition.\n")
    parsed, resolution = check(declared)
    assert resolution.diagnostics == []
    assert resolution.of(cited(parsed, "Medvedev, Let History Judge, 5")).key == "medvedev1989"
    parsed, resolution = check(text, config=Config(aliases={"Let History Judge": "medvedev1972"}))
    assert resolution.diagnostics == []
    assert resolution.of(cited(parsed, "Medvedev, Let History Judge, 5")).key == "medvedev1972"


def test_nc410_note_reference_missing_or_on_the_wrong_side() -> None:
    text = "1. See note 2 above.\n2. See note 9 below; see note 1 above; see note 3 below.\n3. Text.\n"
    _, resolution = check(text)
    found = sorted(d.message for d in resolution.diagnostics if d.code == "NC410")
    assert found == [
        "cross-reference to note 2 above: note 2 comes after note 1",
        "cross-reference to note 9 below: the edition has no note 9",
    ]


def test_nc411_document_that_is_not_a_section() -> None:
    parsed, resolution = check("1. See Document 1; see Document 4.\n")
    assert (
        "Document 4: the edition has no such section (it has Documents 1)"
        in only(resolution, "NC411").message
    )
    assert [resolution.of(c).status for c in parsed.all_citations()] == [Status.RESOLVED, Status.BROKEN]


def test_nc412_archival_file_not_in_the_bibliography() -> None:
    parsed, resolution = check(
        "1. RTsKhIDNI, f. 17, op. 100, d. 134978, l. 47; GARF, f. 5446, op. 1, d. 3.\n"
    )
    typo, elsewhere = sorted(
        (d for d in resolution.diagnostics if d.code == "NC412"), key=lambda d: d.sort_key
    )
    assert typo.severity is Severity.ERROR and "did you mean f17?" in typo.message
    assert elsewhere.severity is Severity.WARNING
    assert resolution.of(parsed.all_citations()[0]).suggestions == ("f17",)
    # A bibliography listing no archival file at all: files are not expected in it.
    bare = BIB.split("@misc{f17")[0]
    parsed, resolution = check("1. GARF, f. 5446, op. 1, d. 3.\n", bare)
    assert (
        resolution.diagnostics == [] and resolution.of(parsed.all_citations()[0]).status is Status.UNRESOLVED
    )


def test_nc413_declared_abbreviation_for_a_work_not_in_the_bibliography() -> None:
    text = "1. Hereafter I cite the memoir as Vospominaniia.\n2. Vospominaniia, 5.\n"
    parsed, resolution = check(text)
    diagnostic = only(resolution, "NC413")
    line = parsed.edition.source.line_text(diagnostic.span.line)
    assert line[diagnostic.span.column - 1 : diagnostic.span.end_column - 1] == "Vospominaniia"
    assert [d.code for d in resolution.diagnostics] == ["NC413"]
    assert resolution.of(parsed.all_citations()[0]).status is Status.BROKEN


def test_nc414_op_cit_without_an_earlier_work() -> None:
    parsed, resolution = check("1. Jones, op. cit., 4.\n")
    assert "op. cit. after Jones" in only(resolution, "NC414").message
    assert resolution.of(parsed.all_citations()[0]).status is Status.BROKEN


def test_nc250_unused_entries_in_file_order() -> None:
    bibliography = load_bibliography_text(BIB, "fixture.bib")
    unused, diagnostics = unused_entries(bibliography, {"wildman1967", "f17", "smitha1983"})
    assert unused == [k for k in bibliography.entries if k not in {"wildman1967", "f17", "smitha1983"}]
    assert {d.code for d in diagnostics} == {"NC250"} and diagnostics[0].severity is Severity.WARNING
    assert diagnostics[0].span == bibliography.entries[unused[0]].span
    assert "'conquest1968' is not cited in any note" in diagnostics[0].message


def test_nc250_a_crossref_parent_of_a_cited_entry_counts_as_cited() -> None:
    bib = (
        "@collection{coll, editor = {Ed, A.}, title = {Essays}, year = {1990}, location = {Paris}}\n"
        "@incollection{chap, author = {Au, B.}, title = {A Chapter}, crossref = {coll}}\n"
    )
    bibliography = load_bibliography_text(bib, "x.bib")
    assert unused_entries(bibliography, {"chap"}) == ([], [])
