"""The bibliography loader: formats, classic BibTeX, LaTeX, names, indexes, bad input, speed."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from notecheck.bibliography import (
    Bibliography,
    detect_format,
    fold,
    load_bibliography,
    load_bibliography_bytes,
    load_bibliography_text,
    short_title_key,
    surname_key,
    title_words,
)
from notecheck.models import Name


def load(text: str, path: str = "test.bib") -> Bibliography:
    return load_bibliography_text(text, path)


# ------------------------------------------------------------------------------ folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bol'sheviki", "bolsheviki"),
        ("Bolʹsheviki", "bolsheviki"),
        ("Bol’sheviki", "bolsheviki"),
        ("Leikina-Svirskaia, V. R.", "leikina svirskaia v r"),
        ("Vučinić", "vucinic"),
        ("La première révolution russe", "la premiere revolution russe"),
        ("“Russian Bebels,”", "russian bebels"),
        ("1901–1917", "1901 1917"),
        ("Łódź", "lodz"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("  many\t spaces\n", "many spaces"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(folded) == folded


def test_keys_for_surnames_short_titles_and_title_words() -> None:
    assert surname_key("Leikina-Svirskaia") == surname_key("Leikina Svirskaia") == "leikinasvirskaia"
    assert surname_key("Gol'dman") == surname_key("Goldman") == surname_key("Golʹdman")
    assert short_title_key("The Great Terror") == short_title_key("Great Terror") == "great terror"
    assert short_title_key("A Radical Worker") == "radical worker"
    assert short_title_key("The") == "the"
    assert title_words("The Making of a Workers' Revolution: Russian Social Democracy") == [
        "making",
        "workers",
        "revolution",
        "russian",
        "social",
        "democracy",
    ]


# ------------------------------------------------------------------------------ look-ups

INDEXED = """
@book{medvedev1972, author = {Medvedev, Roy A.}, title = {Let History Judge: The Origins},
  shorttitle = {Let History Judge}, year = {1972}}
@book{medvedev1989, author = {Medvedev, Roy A.}, title = {Let History Judge: The Origins}, year = {1989}}
@collection{goldman1932, editor = {Gol'dman, L. I.}, title = {Politicheskie protsessy v Rossii}, year = {1932}}
@book{laue, author = {von Laue, Max}, title = {Geschichte der Physik}, year = {1946}}
@book{conquest1968, author = {Conquest, Robert}, title = {The Great Terror: Stalin's Purge}, year = {1968}}
@misc{f124, archive = {RTsKhIDNI}, fond = {124}, opis = {1}, edkhr = {816}, title = {OSB file}}
@misc{f17, archive = {RTsKhIDNI}, fond = {17}, opis = {100}, delo = {134977}, title = {TsK file}}
"""


def keys(entries: list[object]) -> list[str]:
    return [entry.key for entry in entries]  # type: ignore[attr-defined]


def test_lookups() -> None:
    bib = load(INDEXED)
    assert bib.diagnostics == []
    assert keys(bib.by_surname("Medvedev")) == ["medvedev1972", "medvedev1989"]
    assert keys(bib.by_surname("MEDVEDEV")) == ["medvedev1972", "medvedev1989"]
    assert keys(bib.by_surname("Roy Medvedev")) == ["medvedev1972", "medvedev1989"]
    assert keys(bib.by_surname("Goldman")) == keys(bib.by_surname("Gol' dman")) == ["goldman1932"]
    assert keys(bib.by_surname("Laue")) == keys(bib.by_surname("von Laue")) == ["laue"]
    assert bib.by_surname("Nobody") == []
    # shorttitle first, then the main title of the other edition
    assert keys(bib.by_shorttitle("Let History Judge")) == ["medvedev1972", "medvedev1989"]
    assert keys(bib.by_shorttitle("Great Terror")) == ["conquest1968"]
    assert keys(bib.by_shorttitle("the great terror: stalin's purge")) == ["conquest1968"]
    assert keys(bib.by_title_words("Politicheskie protsessy 1901")) == ["goldman1932"]
    ranked = keys(bib.by_title_words(["History", "Judge", "Terror"]))
    assert ranked == ["medvedev1972", "medvedev1989", "conquest1968"]
    assert keys(bib.by_title_words("History Judge Terror", minimum=2)) == ["medvedev1972", "medvedev1989"]
    assert keys(bib.archival_files()) == ["f124", "f17"]
    assert keys(bib.by_archival("124", "1", "816")) == ["f124"]
    assert keys(bib.by_archival("17", unit="134977", archive="rtskhidni")) == ["f17"]
    assert bib.by_archival("17", "1") == []
    assert bib.get("MEDVEDEV1972") is bib.entries["medvedev1972"]
    assert "medvedev1989" in bib and "nothing" not in bib
    assert len(bib) == 7 and [e.key for e in bib][:1] == ["medvedev1972"]


def test_index_follows_added_entries() -> None:
    bib = load(INDEXED)
    assert bib.by_surname("Wildman") == []
    extra = load("@book{w, author = {Wildman, Allan K.}, title = {The Making}, year = {1967}}")
    bib.entries.update(extra.entries)
    assert keys(bib.by_surname("Wildman")) == ["w"]


# ------------------------------------------------------------------------------ BibTeX


def test_classic_bibtex_is_mapped_to_biblatex() -> None:
    bib = load(
        "@phdthesis{m, author = {Morrissey, Susan K.}, title = {More Stories}, school = {Berkeley}, year = 1993}\n"
        "@mastersthesis{n, author = {A, B}, title = {T}, school = {S}, year = 1990}\n"
        "@techreport{r, author = {A, B}, title = {T}, institution = {I}, year = 1990}\n"
        "@article{z, author = {Z, R}, title = {T}, journal = {Russian Review}, address = {X}, year = 1976}\n"
        "@conference{c, author = {A, B}, title = {T}, booktitle = {Proc}, year = 1990}\n"
    )
    assert bib.diagnostics == []
    e = bib.entries
    assert (e["m"].entry_type, e["m"].fields["type"], e["m"].fields["institution"]) == (
        "thesis",
        "phdthesis",
        "Berkeley",
    )
    assert e["n"].fields["type"] == "mathesis"
    assert (e["r"].entry_type, e["r"].fields["type"]) == ("report", "techreport")
    assert e["z"].fields["journaltitle"] == "Russian Review" and "journal" not in e["z"].fields
    assert e["z"].fields["location"] == "X"
    assert e["c"].entry_type == "inproceedings"


def test_latex_is_decoded_and_names_split() -> None:
    bib = load(
        "@book{v, author = {Vu{\\v{c}}ini{\\'c}, Alexander and {\\v{S}}ostakovi{\\v{c}}, D. and "
        "de la Fontaine, Jean and {Politizdat}}, title = {La premi{\\`e}re r{\\'e}volution {USSR} 1901--1917 \\& so on},"
        " year = {1970}, url = {http://x.org/a_b~c}}"
    )
    assert bib.diagnostics == []
    entry = bib.entries["v"]
    assert entry.title == "La première révolution USSR 1901–1917 & so on"
    assert entry.authors == (
        Name(first="Alexander", last="Vučinić"),
        Name(first="D.", last="Šostakovič"),
        Name(first="Jean", last="Fontaine", von="de la"),
        Name(first="", last="Politizdat"),
    )
    assert entry.fields["url"] == "http://x.org/a_b~c"
    assert keys(bib.by_surname("Vucinic")) == ["v"]
    assert keys(bib.by_surname("Fontaine")) == keys(bib.by_surname("de la Fontaine")) == ["v"]


def test_strings_concatenation_and_months() -> None:
    bib = load(
        '@string{rr = "Russian"}\n@string{rev = rr # " Review"}\n'
        "@article{z, author = {Z, R}, title = {T}, journal = rev, year = 1976, month = jul, volume = 35}"
    )
    assert bib.diagnostics == []
    fields = bib.entries["z"].fields
    assert (fields["journaltitle"], fields["month"], fields["volume"]) == ("Russian Review", "July", "35")
    assert bib.strings["rev"] == "Russian Review"


def test_whitespace_in_values_is_collapsed() -> None:
    bib = load("@book{w, author = {Wildman,\n    Allan K.}, title = {The\n  Making}, year = {1967}}")
    assert bib.entries["w"].title == "The Making"


def test_entry_spans_cover_the_entry() -> None:
    bib = load("% comment\n\n@book{w,\n  author = {A, B},\n  title = {T},\n  year = {1967}\n}\n")
    span = bib.entries["w"].span
    assert (span.path, span.line, span.column, span.end_line, span.end_column) == ("test.bib", 3, 1, 7, 2)


def test_crossref_chain_and_cycle() -> None:
    bib = load(
        "@inbook{c, author = {A, B}, title = {Chapter}, crossref = {b}}\n"
        "@book{b, author = {C, D}, title = {Book}, crossref = {mv}}\n"
        "@mvbook{mv, author = {C, D}, title = {Works}, year = {1900}, location = {Paris}}\n"
        "@book{x, author = {A, B}, title = {X}, year = {1}, crossref = {y}}\n"
        "@book{y, author = {A, B}, title = {Y}, year = {2}, crossref = {x}}\n"
    )
    assert bib.diagnostics == []
    chapter = bib.entries["c"].fields
    assert (chapter["booktitle"], chapter["maintitle"], chapter["year"]) == ("Book", "Works", "1900")
    assert chapter["bookauthor"] == "C, D"
    assert bib.entries["x"].title == "X"


# ------------------------------------------------------------------------------ CSL-JSON

ZOTERO_EXPORT = [
    {
        "id": "zelnik1976",
        "type": "article-journal",
        "title": "Russian Bebels: An Introduction",
        "title-short": "Russian Bebels",
        "container-title": "Russian Review",
        "volume": 35,
        "issue": "3",
        "page": "249-289",
        "author": [{"family": "Zelnik", "given": "Reginald E."}],
        "issued": {"date-parts": [["1976"]]},
    },
    {
        "id": "morison1986",
        "type": "chapter",
        "title": "Political Characteristics of the Student Movement",
        "container-title": "1905: La première révolution russe",
        "publisher-place": "Paris",
        "author": [{"family": "Morison", "given": "J. D."}],
        "editor": [{"family": "Coquin", "given": "F.-X."}, {"family": "Gervais-Francelle", "given": "C."}],
        "issued": {"date-parts": [[1986]]},
    },
    {
        "id": "morrissey1993",
        "type": "thesis",
        "genre": "phdthesis",
        "publisher": "University of California, Berkeley",
        "title": "More Stories about the <i>New People</i>",
        "author": [{"family": "Morrissey", "given": "Susan K."}],
        "issued": {"date-parts": [[1993]]},
    },
    {
        "id": "vaksberg1991",
        "type": "article-newspaper",
        "title": "Vrazhdebno kritikoval rabotu organov...",
        "container-title": "Literaturnaia gazeta",
        "author": [{"family": "Vaksberg", "given": "Arkadii"}],
        "issued": {"date-parts": [[1991, 11, 6]]},
    },
    {
        "id": "iakovlev1991",
        "type": "book",
        "title": "Reabilitatsiia",
        "editor": [{"family": "Iakovlev", "given": "A. N."}],
        "publisher-place": "Moscow",
        "issued": {"date-parts": [[1991]]},
    },
    {
        "id": "laue",
        "type": "book",
        "title": "Geschichte",
        "author": [
            {"family": "Laue", "given": "Max", "non-dropping-particle": "von"},
            {"literal": "Politizdat"},
        ],
        "issued": {"raw": "1946"},
    },
]


def test_csl_json_is_read_into_the_same_model() -> None:
    bib = load(json.dumps(ZOTERO_EXPORT, ensure_ascii=False, indent=2), "library.json")
    assert bib.format == "csl-json"
    assert bib.diagnostics == []
    e = bib.entries
    assert e["zelnik1976"].entry_type == "article"
    assert dict(e["zelnik1976"].fields) == {
        "title": "Russian Bebels: An Introduction",
        "shorttitle": "Russian Bebels",
        "journaltitle": "Russian Review",
        "volume": "35",
        "number": "3",
        "pages": "249-289",
        "author": "Zelnik, Reginald E.",
        "year": "1976",
    }
    assert (e["morison1986"].entry_type, e["morison1986"].fields["booktitle"]) == (
        "incollection",
        "1905: La première révolution russe",
    )
    assert [n.last for n in e["morison1986"].editors] == ["Coquin", "Gervais-Francelle"]
    thesis = e["morrissey1993"]
    assert (thesis.entry_type, thesis.fields["type"], thesis.fields["institution"]) == (
        "thesis",
        "phdthesis",
        "University of California, Berkeley",
    )
    assert thesis.title == "More Stories about the New People"
    assert e["vaksberg1991"].fields["date"] == "1991-11-06" and e["vaksberg1991"].year == "1991"
    assert e["vaksberg1991"].fields["entrysubtype"] == "newspaper"
    assert e["iakovlev1991"].entry_type == "collection"
    assert e["laue"].authors == (Name(first="Max", last="Laue", von="von"), Name(first="", last="Politizdat"))
    assert e["laue"].year == "1946"
    assert keys(bib.by_shorttitle("Russian Bebels")) == ["zelnik1976"]
    span = e["morison1986"].span
    assert span.line > e["zelnik1976"].span.end_line


def test_csl_json_object_with_items_and_format_sniffing() -> None:
    text = json.dumps({"items": ZOTERO_EXPORT[:1]})
    assert detect_format("refs", text) == "csl-json"
    assert detect_format("refs.json", "@book{") == "csl-json"
    assert detect_format("refs.bib", "[") == "bibtex"
    assert detect_format("refs", "@book{a, title={x}}") == "bibtex"
    bib = load(text, "refs")
    assert list(bib.entries) == ["zelnik1976"]


def test_csl_json_that_is_not_a_list() -> None:
    bib = load('{"id": 1}', "refs.json")
    assert [d.code for d in bib.diagnostics] == ["NC201", "NC216"]
    trailing = load('[{"id": "a", "type": "book"}] x', "refs.json").diagnostics
    assert [(d.code, d.span.column) for d in trailing if d.code == "NC201"] == [("NC201", 31)]


# ------------------------------------------------------------------------------ bad input


def test_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        load_bibliography(tmp_path / "missing.bib")
    with pytest.raises(OSError):
        load_bibliography(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.bib"
    path.write_bytes(b"")
    bib = load_bibliography(path)
    assert bib.entries == {} and [d.code for d in bib.diagnostics] == ["NC216"]
    assert bib.path == path.as_posix()


def test_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.bib"
    path.write_bytes(b"\xef\xbb\xbf@book{w, author = {A, B}, title = {T}, year = {1967}}\n")
    bib = load_bibliography(path)
    assert bib.diagnostics == [] and list(bib.entries) == ["w"]
    assert bib.entries["w"].span.column == 1
    assert list(load("\ufeff@book{w, author = {A, B}, title = {T}, year = {1}}").entries) == ["w"]


def test_non_utf8_file_is_read_with_a_fallback_and_the_byte_reported() -> None:
    data = "@book{w,\n  author = {Gol\u00e9denberg, Iosif},\n  title = {T}, year = {1904}}\n".encode("cp1252")
    bib = load_bibliography_bytes(data, "latin.bib")
    (diagnostic,) = bib.diagnostics
    assert diagnostic.code == "NC102"
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 16)
    assert bib.entries["w"].authors[0].last == "Golédenberg"


def test_random_bytes_never_raise() -> None:
    generator = random.Random(1)
    for size in (1, 10, 1000, 20000):
        data = bytes(generator.randrange(256) for _ in range(size))
        bib = load_bibliography_bytes(data, "random.bib")
        assert bib.diagnostics  # binary, fallback encoding, or no entries: always said
    text = "".join(generator.choice('@{}(),="#%\\ \nabc') for _ in range(20000))
    load(text)
    load(text, "random.json")


def test_deeply_nested_json_is_a_diagnostic() -> None:
    bib = load("[" * 100000 + "]" * 100000, "deep.json")
    assert "NC201" in [d.code for d in bib.diagnostics]


def make_entries(count: int) -> str:
    return "".join(
        f"@book{{key{i},\n  author = {{Smith{i}, John and Doe, Jane}},\n"
        f"  title = {{A Title Number {i}: With Subtitle}},\n  location = {{New York}},\n"
        f"  year = {{{1900 + i % 100}}},\n}}\n\n"
        for i in range(count)
    )


@pytest.mark.parametrize(("count", "budget"), [(5000, 15.0), (50000, 90.0)])
def test_large_bibliographies_load(count: int, budget: float) -> None:
    """Budgets are loose (shared CI machines); the report states the measured times."""
    text = make_entries(count)
    started = time.perf_counter()
    bib = load(text, "big.bib")
    elapsed = time.perf_counter() - started
    assert len(bib.entries) == count and bib.diagnostics == []
    assert keys(bib.by_surname(f"Smith{count - 1}")) == [f"key{count - 1}"]
    assert elapsed < budget, elapsed


def test_import_does_not_load_bibtexparser() -> None:
    code = "import sys, notecheck.bibliography; print('bibtexparser' in sys.modules, 'pylatexenc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
