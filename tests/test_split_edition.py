"""The splitter on the edition: every note split, and the citations of 30 notes pinned.

Pinning notes of this edition by number is a test's business only; the product has no table
keyed by note numbers or edition strings.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from notecheck.models import Citation, Note
from notecheck.readers import read_edition
from notecheck.split import ParsedEdition, parse_edition

from .conftest import EDITION


@cache
def parsed() -> ParsedEdition:
    return parse_edition(read_edition(EDITION))


def note(number: int) -> Note:
    return next(n for n in parsed().edition.notes if n.number == number)


def citations(number: int) -> tuple[Citation, ...]:
    return parsed().citations[note(number).index]


PINNED: dict[int, list[tuple[str, str]]] = {
    1: [
        (
            "full",
            "A RadicalWorker in Tsarist Russia: The Autobiography o/SemenIvanovich Kanatchikov,\ntrans and ed. "
            "Reginald E. Zelnik (Stanford, 1986), 384 (henceforth A Radical Worker)",
        ),
        ("ibid", 'see "Editor\'s Note," ibid., xi'),
    ],
    2: [
        ("ibid", '"Editor\'s Postscript," ibid., 387-91'),
        ("full", 'my earlier\narticle "Russian Bebels," Russian Review 35, nos. 3 and 4 (1976)'),
        ("full", 'tIS. I. Kanatchikov: A Half-Rehabilitated Old Bolshevik" (1980)'),
    ],
    3: [
        (
            "full",
            "Medvedev, Let History Judge: The Origins and Consequences 0/ Stalinism, ed. and\ntrans. George Shriver "
            "(New York, 1989), 408",
        ),
        ("full", "Let\nHistory Judge, trans. Colleen Taylor (New York, 1972)"),
    ],
    5: [("archival", "RTsKhIDNI, f. 124, Ope 1, ed. khr. 816, I. 13")],
    9: [("short", '"AVlobiograjiia," 3'), ("short", "A Radical Worker, 91")],
    10: [
        ("short", "IfAVlobiograjiia, 4"),
        ("archival", "see RTsKhIDNI, f. 17, Ope 100, d. 134977, 1. 4 (1921)"),
        ("archival", "f. 124, Ope 1, ed. khr.\n816, 11. 3, 4 (1929)"),
    ],
    11: [
        (
            "full",
            "Allan K. Wildman, The Making ofa Workers' Revolution: Russian SocialDemocracy,\n1891-1903 (Chicago, 1967), 110",
        ),
        ("short", "see Wildman, The Making,\nchap. 5"),
    ],
    # two mentions of the abbreviation note 6 declares, the second OCR-damaged (unclosed quote)
    14: [
        ("short", '"Avtobiograjiia"'),
        ("archival", "RTsKhIDNI, f. 124, Ope 1,\ned. khr. 816, 1. 28"),
        ("short", '"Autobiograjiia'),
        ("ibid", "ibid., 1. 33"),
    ],
    16: [
        (
            "full",
            "see also \"Rech' tovarishcha\nKanatchikova,\" in Materialy po istorii professional'nogo dvitheniia v "
            "Rossii, sbomik 3\n(Moscow, 1925), 18-24",
        ),
        (
            "full",
            "cited in Victoria E. Bonnell, Roots of Rebellion: Workers Politics and\nOrganizations in St. Petersburg "
            "and Moscow, 1900-1914 (Berkeley, 1983), 342",
        ),
    ],
    19: [("crossref", "see note 72 below")],
    21: [("ibid", "ibid")],
    25: [
        ("archival", "Petrov to TsK RKP(b), 15 March 1924 (Sekretno)"),
        ("archival", "RTsKhIDNI, f. 17, Ope 100, d.\n134977,1. 36"),
        ("ibid", "Northwestern Bureau to TsKRKP(b), tov. Molotov (TELEFONOGRAMMA),\nibid., I. 37"),
        (
            "full",
            "Loren R. Graham, The Soviet\nAcademy of Sciences and the Communist Party, 1927-1932 (Princeton, 1967), 69",
        ),
    ],
    26: [("short", "see Burgess, passim")],
    27: [
        ("archival", '"Lichnoedelo No. 1906. KANATCHIKOV, Semen Ivanovich,"'),
        ("archival", "RTsKhIDNI, f. 17, Ope 100,\nd. 134977, 1. 50"),
        ("ibid", "see also I. 52"),
    ],
    29: [
        ("crossref", "See Document 3"),
        (
            "full",
            "see Reabilitatsiia: Politicheskie protsessy 3D-SD-kh\ngodov, ed. A. N. Iakovlev (Moscow, 1991), 149-150 "
            "(hereafter cited as Reabilitatsiia)",
        ),
        (
            "full",
            "Robert Vincent Daniels, The Conscience of the Revolution: Communist Opposition in Soviet\nRussia "
            "(Cambridge, Mass., 1960), 317-320",
        ),
    ],
    30: [("ibid", "lbid., 371"), ("short", "Reabilitatsiia, 150")],
    32: [
        ("short", 'my "Russian Bebels," 447 n. 59'),
        ("crossref", "see Document 3"),
        ("archival", "RTsKhIDNI, f. 124, op. 1, ed. khr. 816, 1. 9"),
    ],
    33: [
        ("ibid", "!bid., n. 3, 18-22, 25-28, 30-31, 33-35"),
        ("ibid", "!bid., 1. 14"),
        ("full", "Robert Conquest, The Great Terror: Stalin's Purge\nof the Thirties (New York, 1968), 88"),
    ],
    36: [
        (
            "full",
            'see Arkadii Vaksberg, "Yrazhdebno kritikoval rabotu organov... ,"\nLiteratumaia gazeta, No. 44 (5370), '
            "6 Nov. 1991",
        ),
        ("full", "see R. W. Davies, Soviet History in the Gorbachev Revolution (Bloomington, 1989),\n83-85"),
        ("full", "John and Carol\nGarrard, Inside the Soviet Writers Union (New York, 1990), 87"),
        ("short", "Reabilitatsiia, 295"),
    ],
    39: [("archival", "RTsKhIDNI, f. 17,op. 100, d. 134977"), ("crossref", "As noted above (note 6)")],
    43: [
        ("short", "Medvedev Let History Judge, 60, 140, 168-169"),
        ("short", "Daniels, Conscience ofthe Revolution, 151,\n218, 370-371,386"),
        ("short", "Conquest, The Great Terror, 96-97, 101-102, 107-111, 116-117"),
    ],
    44: [
        ("short", "Bol'sheviki,\n297"),
        ("short", "Williams, Other Bolsheviks, 68, 73, 163"),
        ("short", "Bol'sheviki, 345-36"),
    ],
    53: [
        ("short", "See A Radical Worker, 191,432 n. 6"),
        ("short", "Bol'sheviki, 308-309"),
        ("ibid", "ibid., 314-316"),
        ("ibid", "ibid., 303-304"),
    ],
    57: [("short", "See Bol'shevild, 324"), ("short", "A Radical Worker, chap. 32")],
    60: [
        (
            "full",
            "lstoriia Leningradskogo universiteta, 1819-1969,\ned. V. V. Mavrodin (Leningrad, 1969), 175, 628 n. 255",
        )
    ],
    64: [
        (
            "full",
            "see Alexander\nVucinich, Science in Russian Culture, 1861-1917 (Stanford, 1970), 446-454, and chap. 8",
        ),
        ("short", "Williams, Other Bolsheviks, esp. 41-45, 127-141"),
    ],
    69: [
        ("full", "Henry\nReichman, Railwaymen and Revolution: Russia, 1905 (Berkeley, 1987), 63"),
        (
            "full",
            "L. I. Gol' dman, ed.,\nPoliticheslde protsessy v Rossii, 1901-1917. Chast'l: 1901-1905 (Moscow, 1932), 56-57",
        ),
    ],
    77: [("crossref", "see note 23, above")],
    81: [("ibid", "Ibid., f. 124,op. 1, ed. khr. 816, n. 15-17")],
}


def test_the_reader_gives_85_notes() -> None:
    assert [n.number for n in parsed().edition.notes] == list(range(1, 86))


def test_every_note_is_split_without_losing_text() -> None:
    for each in parsed().edition.notes:
        segments = parsed().segments[each.index]
        assert "".join(each.text[s.start : s.end] for s in segments) == each.text
        assert [s.citation for s in segments if s.citation] == list(parsed().citations[each.index])


@pytest.mark.parametrize("number", sorted(PINNED))
def test_pinned_notes(number: int) -> None:
    assert [(c.form.value, c.text) for c in citations(number)] == PINNED[number]
    for k, citation in enumerate(citations(number), start=1):
        assert citation.id == f"n{note(number).index}c{k}"
        assert note(number).text[citation.start : citation.end] == citation.text
        assert citation.span == note(number).span(citation.start, citation.end)


def test_citation_counts_per_form() -> None:
    counts = Counter(c.form.value for c in parsed().all_citations())
    # short forms: 40 citations and 3 mentions of a declared abbreviation (notes 14 and 18)
    assert counts == {"short": 43, "full": 33, "archival": 20, "ibid": 15, "crossref": 6}


def test_commentary_only_notes() -> None:
    for number in (13, 40, 45, 47, 63, 65, 67, 71, 80, 82, 83, 84, 85):
        assert citations(number) == (), number
    # note 18 is commentary but for its mention of the abbreviation note 6 declares
    assert [(c.text, c.fields.extra.get("mention")) for c in citations(18)] == [('"Avtobiograjiia"', "true")]


# --- fields --------------------------------------------------------------------------------


def test_note_1_full_book_with_declaration() -> None:
    book, ibid = citations(1)
    assert (
        book.fields.title
        == "A RadicalWorker in Tsarist Russia: The Autobiography o/SemenIvanovich Kanatchikov"
    )
    assert (book.fields.editors, book.fields.translators) == (
        ("Reginald E. Zelnik",),
        ("Reginald E. Zelnik",),
    )
    assert (book.fields.place, book.fields.year, book.fields.declares) == (
        "Stanford",
        "1986",
        "A Radical Worker",
    )
    assert book.locator is not None and book.locator.ranges == ((384, 384),)
    assert (book.span.line, book.span.column, book.span.end_line) == (924, 1, 925)
    assert (ibid.fields.title, ibid.fields.signal) == ("Editor's Note", "see")
    assert ibid.locator is not None and (ibid.locator.text, ibid.locator.kind, ibid.locator.ranges) == (
        "xi",
        "page",
        (),
    )


def test_note_2_ibid_range_and_article() -> None:
    ibid, article, paper = citations(2)
    assert ibid.locator is not None and ibid.locator.ranges == ((387, 391),)
    assert (article.fields.title, article.fields.container, article.fields.volume) == (
        "Russian Bebels",
        "Russian Review",
        "35",
    )
    assert (article.fields.issue, article.fields.year, article.fields.signal) == ("3 and 4", "1976", "my")
    assert (paper.fields.unpublished, paper.fields.year) == (True, "1980")


def test_note_3_author_editor_translator_and_the_1972_edition() -> None:
    first, second = citations(3)
    assert (first.fields.authors, first.fields.short_title) == (("Medvedev",), "Let History Judge")
    assert first.fields.editors == first.fields.translators == ("George Shriver",)
    assert (second.fields.title, second.fields.translators, second.fields.year) == (
        "Let History Judge",
        ("Colleen Taylor",),
        "1972",
    )


def test_note_10_short_form_then_archive_and_continuation() -> None:
    short, first, second = citations(10)
    assert (short.fields.title, short.fields.extra.get("damaged_quote")) == ("AVlobiograjiia", "If")
    assert first.fields.signal == "see"
    assert first.fields.archival is not None and first.fields.archival.archive == "RTsKhIDNI"
    assert second.fields.archival is not None
    assert (second.fields.archival.archive, second.fields.archival.fond) == (None, "124")
    assert first.locator is not None and (first.locator.label, first.locator.ranges) == ("1.", ((4, 4),))
    assert second.locator is not None and (second.locator.label, second.locator.ranges) == (
        "11.",
        ((3, 3), (4, 4)),
    )
    assert second.locator.damaged and second.locator.kind == "leaf"


def test_note_25_document_archive_inline_ibid_and_book() -> None:
    document, archival, ibid, book = citations(25)
    assert (document.fields.title, document.fields.date) == ("Petrov to TsK RKP(b)", "15 March 1924")
    assert document.fields.extra["kind"] == "document" and document.fields.extra["remark"] == "Sekretno"
    assert document.fields.archival == archival.fields.archival
    assert archival.locator is not None and archival.locator.ranges == ((36, 36),)
    assert ibid.fields.title == "Northwestern Bureau to TsKRKP(b), tov. Molotov (TELEFONOGRAMMA)"
    assert ibid.locator is not None and (ibid.locator.kind, ibid.locator.label, ibid.locator.ranges) == (
        "leaf",
        "I.",
        ((37, 37),),
    )
    assert (book.fields.authors, book.fields.place, book.fields.year) == (
        ("Loren R. Graham",),
        "Princeton",
        "1967",
    )
    assert (ibid.span.line, ibid.span.column, ibid.span.end_line, ibid.span.end_column) == (
        1053,
        15,
        1054,
        13,
    )


def test_note_26_author_and_passim() -> None:
    (short,) = citations(26)
    assert (short.fields.title, short.fields.extra.get("bare"), short.fields.signal) == (
        "Burgess",
        "true",
        "see",
    )
    assert short.locator is not None and short.locator.kind == "passim"


def test_note_27_implicit_ibid() -> None:
    implicit = citations(27)[2]
    assert implicit.fields.extra.get("implicit") == "true"
    assert implicit.locator is not None and implicit.locator.ranges == ((52, 52),)


def test_note_29_declares_an_abbreviation() -> None:
    assert citations(29)[1].fields.declares == "Reabilitatsiia"
    assert citations(29)[1].fields.editors == ("A. N. Iakovlev",)
    (declared,) = [d for d in parsed().declarations if d.citation == citations(29)[1].id]
    assert declared.abbreviation == "Reabilitatsiia"


def test_note_6_declares_without_a_citation() -> None:
    (declared,) = [d for d in parsed().declarations if d.note_index == note(6).index]
    assert (declared.abbreviation, declared.described, declared.citation) == (
        "Avtobiograjiia",
        "the typescript",
        None,
    )


def test_note_30_and_33_damaged_ibids() -> None:
    assert citations(30)[0].fields.damaged == "lbid."
    first, second, _ = citations(33)
    assert (first.fields.damaged, second.fields.damaged) == ("!bid.", "!bid.")
    assert first.locator is not None
    assert (first.locator.kind, first.locator.label) == ("leaf", "n.")
    assert first.locator.ranges == ((3, 3), (18, 22), (25, 28), (30, 31), (33, 35))


def test_note_32_page_and_note_locator() -> None:
    short = citations(32)[0]
    assert short.locator is not None
    assert (short.locator.kind, short.locator.ranges, short.locator.notes) == (
        "note",
        ((447, 447),),
        ((59, 59),),
    )
    assert citations(32)[1].target is not None and citations(32)[1].target.number == 3


def test_note_36_newspaper_issue() -> None:
    paper = citations(36)[0]
    assert (paper.fields.authors, paper.fields.container) == (("Arkadii Vaksberg",), "Literatumaia gazeta")
    assert (paper.fields.issue, paper.fields.date, paper.fields.year) == (
        "No. 44 (5370)",
        "6 Nov. 1991",
        "1991",
    )


def test_note_39_and_77_cross_references() -> None:
    crossref = citations(39)[1]
    assert crossref.target is not None and (crossref.target.kind, crossref.target.number) == ("note", 6)
    assert crossref.target.direction == "above"
    assert citations(77)[0].target is not None and citations(77)[0].target.number == 23


def test_note_42_compiler_and_reprint() -> None:
    collection = citations(42)[1]
    assert collection.fields.title is not None and collection.fields.title.startswith(
        "Bot'sheviki: Dokumenty"
    )
    assert (
        collection.fields.editors == ("M. A. Tsiavlovskii",)
        and collection.fields.extra.get("compiler") == "true"
    )
    assert collection.fields.reprint == "Telex reprint edition (New York, 1990)"
    assert collection.locator is not None and collection.locator.ranges == ((333, 334),)


def test_note_43_missing_comma() -> None:
    first = citations(43)[0]
    assert (first.fields.authors, first.fields.title, first.fields.missing_comma) == (
        ("Medvedev",),
        "Let History Judge",
        True,
    )
    assert first.locator is not None and first.locator.ranges == ((60, 60), (140, 140), (168, 169))


def test_note_48_thesis_volume_and_chapter() -> None:
    _, thesis, memoirs, chapter = citations(48)
    assert (thesis.fields.thesis, thesis.fields.institution, thesis.fields.year) == (
        "ph.D. diss.",
        "University of California, Berkeley",
        "1993",
    )
    assert thesis.locator is not None and thesis.locator.notes == ((46, 46),)
    assert (memoirs.fields.volume, memoirs.fields.editors) == ("II", ("V. V. Mavrodin", "V. A. Ezhov"))
    assert (chapter.fields.container, chapter.fields.editors) == (
        "1905: La premiere revolution russe",
        ("F.-X. Coquin", "C. Gervais-Francelle"),
    )


def test_note_69_editor_as_author_across_a_period() -> None:
    edited = citations(69)[1]
    assert edited.fields.editors == ("L. I. Gol' dman",)
    assert edited.fields.title == "Politicheslde protsessy v Rossii, 1901-1917. Chast'l: 1901-1905"


def test_note_81_archive_level_ibid() -> None:
    (ibid,) = citations(81)
    assert ibid.fields.archival is not None
    assert (ibid.fields.archival.archive, ibid.fields.archival.fond, ibid.fields.archival.unit) == (
        None,
        "124",
        "816",
    )
    assert ibid.locator is not None and (ibid.locator.kind, ibid.locator.label, ibid.locator.ranges) == (
        "leaf",
        "n.",
        ((15, 17),),
    )


# --- form diagnostics ------------------------------------------------------------------------


def test_form_diagnostics_of_the_edition() -> None:
    found = sorted((d.code, d.note, d.span.line, d.span.column) for d in parsed().diagnostics)
    assert found == [
        ("NC301", 44, 1145, 72),
        ("NC302", 43, 1139, 2),
        ("NC303", 30, 1079, 27),
        ("NC303", 33, 1086, 5),
        ("NC303", 33, 1087, 52),
    ]
    fixes = {d.code: d.fix for d in parsed().diagnostics if d.fix is not None}
    assert fixes["NC302"] is not None and (fixes["NC302"].span.column, fixes["NC302"].replacement) == (
        10,
        ",",
    )
