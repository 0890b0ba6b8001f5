"""The project's bibliography.bib against the 85 notes of edition/kanatchikov.txt.

The oracle below was compiled by reading every note (a test oracle keyed by note number is
allowed in tests; the product never sees it). It lists, per note, every work the note cites:
in full, by short title, by declared abbreviation, by ibid, or as an archival reference.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from rapidfuzz import fuzz

from notecheck.bibliography import Bibliography, fold, load_bibliography
from tests.conftest import BIBLIOGRAPHY, EDITION

F17 = "rtskhidni-f17-op100-d134977"
F124 = "rtskhidni-f124-op1-ekh816"

#: Works cited in each note (notes not listed cite nothing).
NOTE_CITES: dict[int, set[str]] = {
    1: {"zelnik1986"},  # full citation; "henceforth A Radical Worker"; "Editor's Note," ibid., xi
    2: {"zelnik1986", "zelnik1976", "burgess1980"},  # "Editor's Postscript," ibid.
    3: {"medvedev1989", "medvedev1972"},
    4: {F17, F124},
    5: {F124},
    6: {"kanatchikov1923", F17},  # "Hereafter I cite the typescript as Avtobiografiia"; ll. 18-24
    7: {"kanatchikov1923"},
    8: {"zelnik1986"},
    9: {"kanatchikov1923", "zelnik1986"},
    10: {"kanatchikov1923", F17, F124},
    11: {"wildman1967", "zelnik1986"},  # "Wildman, The Making, chap. 5"
    12: {"zelnik1986"},
    14: {"kanatchikov1923", F124},
    15: {F124},
    16: {"kanatchikov1925", "bonnell1983"},
    17: {F124},
    18: {"kanatchikov1923"},
    20: {"kanatchikov1923"},
    21: {"kanatchikov1923"},  # (ibid)
    22: {F124, F17},
    23: {F124},
    24: {"zelnik1986", F124},  # "Postscript": the Editor's Postscript of A Radical Worker
    25: {F17, "graham1967"},
    26: {"burgess1980"},
    27: {F17},
    28: {F17},
    29: {"iakovlev1991", "daniels1960"},  # "hereafter cited as Reabilitatsiia"
    30: {"daniels1960", "iakovlev1991"},  # "lbid., 371" repeats Daniels
    31: {F124},
    32: {"zelnik1976", F124},
    33: {F124, "conquest1968"},
    34: {"iakovlev1991"},
    35: {"medvedev1972", "conquest1968"},
    36: {"vaksberg1991", "davies1989", "garrard1990", "iakovlev1991"},
    37: {"brown1982", "garrard1990", "medvedev1972"},  # "Garrard, Inside"
    39: {F17},
    42: {"williams1986", "tsiavlovskii1918"},
    43: {"medvedev1972", "daniels1960", "conquest1968"},
    44: {"tsiavlovskii1918", "williams1986"},  # "Williams, Other Bolsheviks"
    46: {"medvedev1972", "stites1978"},
    48: {"mehlinger1972", "morrissey1993", "mavrodin1982", "morison1986"},
    53: {"zelnik1986", "tsiavlovskii1918"},
    57: {"tsiavlovskii1918", "zelnik1986"},  # "Bol'shevild" (OCR) = Bol'sheviki
    58: {"tsiavlovskii1918"},
    59: {"bonnell1983"},  # "Bonnell, Roots ofRebellion"
    60: {"mavrodin1969"},
    61: {"zelnik1986"},
    62: {"kucherov1953"},
    64: {"vucinich1970", "williams1986"},
    66: {"williams1986", "tsiavlovskii1918", "rabinowitch1976"},
    68: {"leikinasvirskaia1981", "kucherov1953"},  # "Kucherov, Courts"
    69: {"reichman1987", "goldman1932"},
    70: {"medvedev1972"},
    72: {"stites1989"},
    73: {"keep1976"},
    74: {"tsiavlovskii1918"},
    76: {"medvedev1972", "conquest1968", "smith1983", "iakovlev1991"},
    79: {F17},
    81: {F124},  # "Ibid., f. 124, op. 1, ed. khr. 816"
}

#: Where each work is cited in full, with the place and title as the note prints them (OCR and
#: all) and the year; the entry must agree with the note.
FULL_CITATIONS: dict[str, tuple[int, str | None, str]] = {
    "zelnik1986": (
        1,
        "Stanford",
        "A RadicalWorker in Tsarist Russia: The Autobiography o/SemenIvanovich Kanatchikov",
    ),
    "zelnik1976": (2, None, "Russian Bebels"),
    "burgess1980": (2, None, "S. I. Kanatchikov: A Half-Rehabilitated Old Bolshevik"),
    "medvedev1989": (3, "New York", "Let History Judge: The Origins and Consequences 0/ Stalinism"),
    "medvedev1972": (3, "New York", "Let History Judge"),
    "kanatchikov1923": (6, None, "Avtobiograjiia"),
    "wildman1967": (11, "Chicago", "The Making ofa Workers' Revolution: Russian SocialDemocracy, 1891-1903"),
    "kanatchikov1925": (16, "Moscow", "Rech' tovarishcha Kanatchikova"),
    "bonnell1983": (
        16,
        "Berkeley",
        "Roots of Rebellion: Workers Politics and Organizations in St. Petersburg and Moscow, 1900-1914",
    ),
    "graham1967": (25, "Princeton", "The Soviet Academy of Sciences and the Communist Party, 1927-1932"),
    "iakovlev1991": (29, "Moscow", "Reabilitatsiia: Politicheskie protsessy 3D-SD-kh godov"),
    "daniels1960": (
        29,
        "Cambridge, Mass.",
        "The Conscience of the Revolution: Communist Opposition in Soviet Russia",
    ),
    "conquest1968": (33, "New York", "The Great Terror: Stalin's Purge of the Thirties"),
    "vaksberg1991": (36, None, "Yrazhdebno kritikoval rabotu organov..."),
    "davies1989": (36, "Bloomington", "Soviet History in the Gorbachev Revolution"),
    "garrard1990": (36, "New York", "Inside the Soviet Writers Union"),
    "brown1982": (37, "Cambridge, Mass.", "Russian Literature Since the Revolution"),
    "williams1986": (42, "Bloomington", "The Other Bolsheviks: Lenin and His Critics, 1904-1914"),
    "tsiavlovskii1918": (
        42,
        "Moscow",
        "Bot'sheviki: Dokumenty po istorii bol'shevizma s 1903 po 1916 god byvsh. Okhrannogo Otdeleniia",
    ),
    "stites1978": (
        46,
        "Princeton",
        "The Women's Liberation Movement in Russia: Feminism, Nihilism, and Bolshevism, 1860-1930",
    ),
    "mehlinger1972": (48, "Bloomington", "Count Witte and the Tsarist Government in the 1905Revolution"),
    "morrissey1993": (
        48,
        None,
        "More Stories about the New People': Student Radicalism, Higher Education, and Social "
        "Identity in Russia, 1899-1921",
    ),
    "mavrodin1982": (48, "Leningrad", "Leningradskii universitet v vospominaniiakh sovremennikov"),
    "morison1986": (
        48,
        "Paris",
        "Political Characteristics of the Student Movement in the Russian Revolution of 1905",
    ),
    "mavrodin1969": (60, "Leningrad", "lstoriia Leningradskogo universiteta, 1819-1969"),
    "kucherov1953": (62, "New York", "Courts, Lawyers and Trials under the Last Three Tsars"),
    "vucinich1970": (64, "Stanford", "Science in Russian Culture, 1861-1917"),
    "rabinowitch1976": (
        66,
        "New York",
        "TheBolsheviks Come to Power: The Revolution of 1917 in Petrograd",
    ),
    "leikinasvirskaia1981": (68, "Moscow", "Russkaia intelligentsiia v 1900-1917 godakh"),
    "reichman1987": (69, "Berkeley", "Railwaymen and Revolution: Russia, 1905"),
    "goldman1932": (69, "Moscow", "Politicheslde protsessy v Rossii, 1901-1917. Chast'l: 1901-1905"),
    "stites1989": (
        72,
        "Oxford",
        "Revolutionary Dreams: Utopian Vision and Experimental Lifein theRussian Revolution",
    ),
    "keep1976": (73, "New York", "The Russian Revolution: A Study in Mass Mobilization"),
    "smith1983": (76, "Cambridge", "Red Petrograd: Revolution in theFactories, 1917-1918"),
}

#: Works whose date the notes do not give: the edition's body gives it (Document 1's end).
DATED_IN_BODY = {"kanatchikov1923": "Petrograd, 1 February 1923"}

#: Works whose author the citing note does not name, and the words that say who it is.
AUTHOR_IN_WORDS = {
    "kanatchikov1923": ("a typescript produced by Kanatchikov", "kanatchikov"),
    "zelnik1976": ("Postscript to my earlier article", "zelnik"),  # the editor's, R. E. Zelnik
}

#: Short forms and declared abbreviations as the notes use them -> the entry they name.
SHORT_FORMS = {
    "A Radical Worker": "zelnik1986",
    "Avtobiografiia": "kanatchikov1923",
    "The Making": "wildman1967",
    "Reabilitatsiia": "iakovlev1991",
    "Russian Bebels": "zelnik1976",
    "Inside": "garrard1990",
    "The Great Terror": "conquest1968",
    "Great Terror": "conquest1968",
    "Conscience of the Revolution": "daniels1960",
    "Other Bolsheviks": "williams1986",
    "Bol'sheviki": "tsiavlovskii1918",
    "Roots of Rebellion": "bonnell1983",
    "Courts": "kucherov1953",
}

#: OCR damage that must stay in the edition and never reach the bibliography.
OCR_DAMAGE = [
    "Bol'shevild",
    "0/",
    "ofa ",
    "Lueratumaia",
    "Literatumaia",
    "3D-SD-kh",
    "Avtobiograjiia",
    "Politicheslde",
    "SocialDemocracy",
    "Yrazhdebno",
    "dvitheniia",
    "sbomik",
    "Rossiisldi",
]


@cache
def bibliography() -> Bibliography:
    return load_bibliography(BIBLIOGRAPHY)


@cache
def note_texts() -> dict[int, str]:
    """The text of each note, cut from the raw edition at the printed note numbers."""
    text = EDITION.read_text(encoding="utf-8")
    notes = text[text.index("\nNotes\n") :]
    starts: dict[int, int] = {}
    position = 0
    for number in range(1, 86):
        label = "s" if number == 5 else str(number)  # note 5 is printed "s." in the OCR
        match = re.compile(r"(?m)^\s*" + re.escape(label) + r"\.(?=\s)").search(notes, position)
        assert match is not None, f"note {number} not found"
        starts[number] = match.start()
        position = match.end()
    ends = [*list(starts.values())[1:], len(notes)]
    return {number: notes[start:end] for (number, start), end in zip(starts.items(), ends, strict=True)}


def test_bibliography_loads_without_diagnostics() -> None:
    bib = bibliography()
    assert bib.format == "bibtex"
    assert [d.message for d in bib.diagnostics] == []
    assert len(bib.entries) == 36


def test_every_cited_work_has_an_entry_and_every_entry_is_cited() -> None:
    cited = set().union(*NOTE_CITES.values())
    assert cited == set(bibliography().entries)


def test_the_oracle_covers_the_85_notes() -> None:
    notes = note_texts()
    assert len(notes) == 85
    assert set(NOTE_CITES) <= set(notes)


@pytest.mark.parametrize("key", sorted(FULL_CITATIONS))
def test_entry_agrees_with_its_full_citation(key: str) -> None:
    number, place, printed_title = FULL_CITATIONS[key]
    note = note_texts()[number]
    entry = bibliography().entries[key]
    assert key in NOTE_CITES[number]
    evidence = note if key not in DATED_IN_BODY else EDITION.read_text(encoding="utf-8")
    assert entry.year and entry.year in evidence, (key, entry.year)
    if key in DATED_IN_BODY:
        assert DATED_IN_BODY[key] in evidence
        assert DATED_IN_BODY[key].startswith(entry.fields["location"])
    if place is not None:
        assert entry.fields["location"] == place
        assert place in note
    # The printed title (OCR-damaged) is in the note, and the entry's title is that title,
    # corrected: close, but not necessarily equal.
    assert fold(printed_title.split(":")[0][:12]) in fold(note)
    forms = (entry.title, entry.title.split(":")[0], entry.fields.get("shorttitle", ""))
    score = max(fuzz.ratio(fold(printed_title), fold(form)) for form in forms)
    assert score >= 85, (key, score, entry.title)


@pytest.mark.parametrize("key", sorted(FULL_CITATIONS))
def test_entry_names_its_author_or_editor_as_the_note_does(key: str) -> None:
    number = FULL_CITATIONS[key][0]
    note = fold(note_texts()[number])
    entry = bibliography().entries[key]
    people = entry.authors or entry.editors
    assert people, key
    surnames = [fold(person.last) for person in people]
    if key in AUTHOR_IN_WORDS:  # the note does not name the author: the text says who it is
        phrase, surname = AUTHOR_IN_WORDS[key]
        assert fold(phrase) in fold(EDITION.read_text(encoding="utf-8"))
        assert surnames == [surname]
        return
    # Apostrophes are OCR-spaced in the notes ("Gol' dman"), hence the joined comparison.
    assert any(s.replace(" ", "") in note.replace(" ", "") for s in surnames), (key, surnames)


@pytest.mark.parametrize(("short", "key"), sorted(SHORT_FORMS.items()))
def test_short_forms_find_their_entry(short: str, key: str) -> None:
    found = [entry.key for entry in bibliography().by_shorttitle(short)]
    assert found[:1] == [key]


def test_both_medvedev_editions() -> None:
    bib = bibliography()
    first, second = bib.entries["medvedev1972"], bib.entries["medvedev1989"]
    assert (first.year, second.year) == ("1972", "1989")
    assert [t.last for t in first.translators] == ["Taylor"]
    assert [t.last for t in second.translators] == ["Shriver"]
    assert [e.key for e in bib.by_shorttitle("Let History Judge")] == ["medvedev1972", "medvedev1989"]
    assert [e.key for e in bib.by_surname("Medvedev")] == ["medvedev1972", "medvedev1989"]


def test_entries_the_issue_names() -> None:
    entries = bibliography().entries
    assert entries["zelnik1976"].fields["journaltitle"] == "Russian Review"
    assert entries["zelnik1976"].fields["volume"] == "35"
    assert entries["zelnik1976"].year == "1976"
    assert entries["burgess1980"].entry_type == "unpublished"
    assert entries["kanatchikov1923"].entry_type == "unpublished"
    assert entries["kanatchikov1923"].year == "1923"
    assert entries["kanatchikov1923"].fields["date"] == "1923-02-01"
    assert entries["vaksberg1991"].fields["journaltitle"] == "Literaturnaia gazeta"
    assert entries["vaksberg1991"].fields["date"] == "1991-11-06"
    assert entries["vaksberg1991"].year == "1991"
    thesis = entries["morrissey1993"]
    assert (thesis.entry_type, thesis.fields["type"], thesis.year) == ("thesis", "phdthesis", "1993")
    bolsheviki = entries["tsiavlovskii1918"]
    assert bolsheviki.year == "1918" and "1990" in bolsheviki.fields["addendum"]
    assert bolsheviki.fields["editortype"] == "compiler"
    speech = entries["kanatchikov1925"]
    assert speech.entry_type == "incollection"
    assert speech.fields["booktitle"] == "Materialy po istorii professional'nogo dvizheniia v Rossii"
    assert speech.year == "1925"
    assert entries["morison1986"].fields["booktitle"] == "1905: La première révolution russe"


def test_archival_files() -> None:
    bib = bibliography()
    files = {entry.key: entry.fields for entry in bib.archival_files()}
    assert set(files) == {F17, F124}
    assert {k: files[F17].get(k) for k in ("archive", "fond", "opis", "delo")} == {
        "archive": "RTsKhIDNI",
        "fond": "17",
        "opis": "100",
        "delo": "134977",
    }
    assert {k: files[F124].get(k) for k in ("archive", "fond", "opis", "edkhr")} == {
        "archive": "RTsKhIDNI",
        "fond": "124",
        "opis": "1",
        "edkhr": "816",
    }
    assert all(fields["title"] for fields in files.values())
    assert [e.key for e in bib.by_archival("124", "1", "816")] == [F124]
    assert [e.key for e in bib.by_archival("17", "100", "134977", archive="RTsKhIDNI")] == [F17]


def test_parts_of_a_book_are_not_entries() -> None:
    titles = {fold(entry.title) for entry in bibliography()}
    assert not any("postscript" in title or "editor s note" in title for title in titles)


def test_no_ocr_damage_in_the_bibliography() -> None:
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    for damaged in OCR_DAMAGE:
        assert damaged not in text, damaged


def test_keys_are_readable() -> None:
    for key, entry in bibliography().entries.items():
        if "fond" in entry.fields:
            assert key.startswith("rtskhidni-f" + entry.fields["fond"])
            continue
        assert re.fullmatch(r"[a-z]+\d{4}", key), key
        assert key.endswith(entry.year), key


@pytest.mark.parametrize(
    ("key", "printed"),
    [(F17, "RTsKhIDNI, f. 17 (Tsentral'nyi"), (F124, "f. 124 (Vsesoiuznoe obshchestvo starykh")],
)
def test_archival_entries_agree_with_note_4(key: str, printed: str) -> None:
    note = note_texts()[4]
    assert printed in note
    fields = bibliography().entries[key].fields
    unit = fields.get("delo") or fields["edkhr"]
    # f. <fond> (<fond title>), op. <opis>, d. / ed. khr. <unit>, in this order in the note
    # ("Ope" is the OCR's reading of "op."; the fond title's closing bracket is damaged).
    pattern = rf"f\. {fields['fond']} \(.*?, Ope {fields['opis']}, (?:d\.|ed\. khr\.) {unit}"
    assert re.search(pattern, note, re.DOTALL), pattern
    assert fold(fields["note"].split(": ", 1)[1])[:25] in fold(note)
