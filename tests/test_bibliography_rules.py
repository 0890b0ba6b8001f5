"""One small broken bibliography per NC2xx rule: the code, its position, and what is kept."""

from __future__ import annotations

import json

import pytest

from notecheck.bibliography import Bibliography, load_bibliography_bytes, load_bibliography_text
from notecheck.models import Diagnostic, Severity
from notecheck.rules import Rule, all_rules, get_rule

GOOD = "@book{good, author = {Wildman, Allan K.}, title = {The Making}, year = {1967}}\n"


def load(text: str, path: str = "test.bib") -> Bibliography:
    return load_bibliography_text(text, path)


def codes(bib: Bibliography) -> list[str]:
    return [d.code for d in bib.diagnostics]


def only(bib: Bibliography, code: str) -> Diagnostic:
    found = [d for d in bib.diagnostics if d.code == code]
    assert len(found) == 1, [(d.code, d.message) for d in bib.diagnostics]
    return found[0]


def where(diagnostic: Diagnostic) -> tuple[int, int, int, int]:
    span = diagnostic.span
    return span.line, span.column, span.end_line, span.end_column


def test_nc201_unparsable_block_reports_the_parsers_reason_and_the_rest_loads() -> None:
    text = "@book{broken,\n  title = {The Making,\n  year = {1967}\n}\n" + GOOD
    bib = load(text)
    found = only(bib, "NC201")
    assert found.severity is Severity.ERROR
    assert where(found)[:2] == (1, 1)  # bibtexparser's 0-based start_line, made 1-based
    assert "Unexpected block start" in found.message
    assert list(bib.entries) == ["good"]


def test_nc201_unterminated_last_entry() -> None:
    bib = load(GOOD + "\n@book{last, title = {x}")
    found = only(bib, "NC201")
    assert where(found)[:2] == (3, 1)
    assert "end of file" in found.message
    assert list(bib.entries) == ["good"]


def test_nc201_invalid_csl_json_at_its_position() -> None:
    bib = load('[\n  {"id": "a", "type": "book",\n   "title": }\n]', "refs.json")
    found = only(bib, "NC201")
    assert where(found)[:2] == (3, 13)
    assert "invalid JSON" in found.message


def test_nc201_csl_item_without_id() -> None:
    bib = load('[{"type": "book", "title": "x"}]', "refs.json")
    assert "no 'id'" in only(bib, "NC201").message


def test_nc202_duplicate_key_keeps_the_first() -> None:
    text = GOOD + "@book{good, author = {Conquest, Robert}, title = {The Great Terror}, year = {1968}}\n"
    bib = load(text)
    found = only(bib, "NC202")
    assert where(found)[:2] == (2, 1)
    assert "line 1" in found.message
    assert bib.entries["good"].year == "1967"


def test_nc202_keys_differing_in_case() -> None:
    text = GOOD + GOOD.replace("{good,", "{Good,")
    bib = load(text)
    assert "but for case" in only(bib, "NC202").message
    assert list(bib.entries) == ["good"]
    assert bib.get("GOOD") is bib.entries["good"]


def test_nc202_duplicate_string_macro() -> None:
    bib = load('@string{rr = "Russian Review"}\n@string{rr = "Other"}\n' + GOOD)
    found = only(bib, "NC202")
    assert where(found)[:2] == (2, 1)
    assert bib.strings["rr"] == "Russian Review"


def test_nc202_duplicate_csl_id() -> None:
    item = {
        "id": "x",
        "type": "book",
        "title": "T",
        "author": [{"family": "A"}],
        "issued": {"date-parts": [[1990]]},
    }
    bib = load(json.dumps([item, item]), "refs.json")
    assert codes(bib) == ["NC202"]


def test_nc203_duplicate_field_keeps_the_entry_and_the_first_value() -> None:
    text = "@book{graham1967,\n  author = {Graham, Loren R.},\n  title = {T},\n  year = {1967},\n  year = {1976}\n}\n"
    bib = load(text)
    found = only(bib, "NC203")
    assert where(found) == (5, 3, 5, 7)  # the second `year`
    assert bib.entries["graham1967"].year == "1967"  # bibtexparser alone drops the entry


def test_nc203_classic_and_biblatex_names_of_one_field() -> None:
    text = "@article{a, author = {A, B}, title = {T}, journal = {X}, journaltitle = {Y}, year = 1990}"
    bib = load(text)
    assert codes(bib) == ["NC203"]
    assert bib.entries["a"].fields["journaltitle"] == "X"
    same = load(text.replace("{Y}", "{X}"))
    assert codes(same) == []


def test_nc204_missing_required_fields() -> None:
    bib = load("@article{zelnik1976,\n  author = {Zelnik, Reginald E.},\n  title = {Russian Bebels}\n}")
    found = only(bib, "NC204")
    assert found.severity is Severity.ERROR
    assert where(found) == (1, 1, 1, 20)  # the entry's head: `@article{zelnik1976`
    assert "journaltitle" in found.message and "year or date" in found.message


def test_nc204_edited_book_is_a_warning_pointing_at_collection() -> None:
    bib = load("@book{e, editor = {Mavrodin, V. V.}, title = {T}, year = {1969}}")
    found = only(bib, "NC204")
    assert found.severity is Severity.WARNING
    assert "@collection" in found.message


def test_nc204_archival_entry_needs_archive_and_title_not_an_author() -> None:
    ok = load("@misc{f, archive = {GARF}, fond = {102}, opis = {1}, delo = {5}, title = {Police file}}")
    assert codes(ok) == []
    bad = load("@misc{f, fond = {102}, opis = {1}, delo = {5}}")
    assert codes(bad) == ["NC204"]
    assert "archive, title" in bad.diagnostics[0].message


def test_nc204_archival_collection_needs_no_author_or_year() -> None:
    ok = load(
        "@misc{ccp, archive = {National Archives}, collection = {Papers of the Continental Congress},"
        " series = {M247}, title = {Papers of the Continental Congress}}"
    )
    assert codes(ok) == []
    bad = load("@misc{rg59, archive = {National Archives}, series = {RG 59}}")
    assert codes(bad) == ["NC204"]
    assert "title or collection" in bad.diagnostics[0].message
    plain = load("@misc{m, archive = {National Archives}}")  # not a collection: an ordinary @misc
    assert codes(plain) == ["NC204"]


def test_nc205_unknown_entry_type_with_suggestion() -> None:
    bib = load("@boook{w, author = {A, B}, title = {T}, year = {1990}}")
    found = only(bib, "NC205")
    assert found.severity is Severity.WARNING
    assert "@book?" in found.message
    assert bib.entries["w"].entry_type == "boook"


def test_nc205_unknown_csl_type() -> None:
    bib = load('[{"id": "x", "type": "tweet", "title": "T"}]', "refs.json")
    assert codes(bib) == ["NC205"]


def test_nc206_malformed_names() -> None:
    text = (
        "@book{m,\n  author = {Mehlinger, Howard D., Thompson, John M.},\n  title = {T},\n  year = {1972}\n}"
    )
    found = only(load(text), "NC206")
    assert where(found) == (2, 3, 2, 9)
    assert "too many commas" in found.message
    empty = load("@book{m, author = {Smith and and Jones}, title = {T}, year = {1972}}")
    assert "empty name" in only(empty, "NC206").message
    csl = load(
        '[{"id": "x", "type": "book", "title": "T", "author": [{"given": "A"}], "issued": {"date-parts": [[1]]}}]',
        "r.json",
    )
    assert "NC206" in codes(csl)


def test_nc207_invalid_years_and_dates() -> None:
    bib = load(
        "@book{a, author = {A, B}, title = {T}, year = {19867}}\n"
        "@book{b, author = {A, B}, title = {T}, date = {1991-02-30}}\n"
        "@book{c, author = {A, B}, title = {T}, date = {1991-11-06/1992}, month = {13}}\n"
        "@book{d, author = {A, B}, title = {T}, date = {1990/..}}\n"
    )
    found = [d for d in bib.diagnostics if d.code == "NC207"]
    assert [(d.span.line, d.span.column) for d in found] == [(1, 40), (2, 40), (3, 66)]
    assert "day 30" in found[1].message


def test_nc208_crossref_to_a_missing_key_and_inheritance() -> None:
    text = (
        "@incollection{morison1986, author = {Morison, J. D.}, title = {Political Characteristics},\n"
        "  crossref = {coquin1986}}\n"
        "@collection{coquin1986, editor = {Coquin, F.-X.}, title = {1905}, location = {Paris}, year = {1986}}\n"
        "@incollection{lost, author = {A, B}, title = {T}, crossref = {nowhere}, booktitle = {B}, year = {1}}\n"
    )
    bib = load(text)
    found = only(bib, "NC208")
    assert where(found)[:2] == (4, 51)
    child = bib.entries["morison1986"]
    assert child.fields["booktitle"] == "1905"
    assert child.fields["location"] == "Paris" and child.year == "1986"
    assert [e.last for e in child.editors] == ["Coquin"]
    assert "title" not in bib.entries["coquin1986"].fields or bib.entries["coquin1986"].title == "1905"


def test_nc209_undefined_string_macro() -> None:
    bib = load("@article{z, author = {Z, R}, title = {T}, journal = rusrev, year = 1976}")
    found = only(bib, "NC209")
    assert where(found) == (1, 53, 1, 59)
    assert bib.entries["z"].fields["journaltitle"] == "rusrev"
    defined = load(
        '@string{rusrev = "Russian Review"}\n'
        + "@article{z, author = {Z, R}, title = {T}, journal = rusrev # { 35}, year = 1976}"
    )
    assert codes(defined) == []
    assert defined.entries["z"].fields["journaltitle"] == "Russian Review 35"
    in_string = load("@string{rr = russian # { Review}}\n" + GOOD)
    assert where(only(in_string, "NC209")) == (1, 14, 1, 21)


def test_nc210_missing_comma_is_reported_and_both_fields_recovered() -> None:
    text = "@book{wildman1967,\n  author = {Wildman, Allan K.}\n  title = {The Making},\n  year = {1967}\n}"
    bib = load(text)
    found = only(bib, "NC210")
    assert where(found) == (3, 3, 3, 8)
    entry = bib.entries["wildman1967"]
    assert entry.fields["author"] == "Wildman, Allan K."
    assert entry.title == "The Making"
    assert [a.last for a in entry.authors] == ["Wildman"]


def test_nc210_several_fields_swallowed_in_a_row() -> None:
    text = "@book{w, author = {A, B} title = {T} year = 1967 location = {Chicago}}"
    bib = load(text)
    assert codes(bib) == ["NC210", "NC210", "NC210"]
    assert dict(bib.entries["w"].fields) == {
        "author": "A, B",
        "title": "T",
        "year": "1967",
        "location": "Chicago",
    }


def test_nc211_stray_brace_drops_fields_which_are_recovered() -> None:
    text = "@book{conquest1968,\n  author = {Conquest, Robert},\n  title = {The Great Terror}},\n  location = {New York},\n  year = {1968}\n}\n"
    bib = load(text)
    found = only(bib, "NC211")
    assert where(found) == (3, 29, 3, 30)
    assert "'location', 'year'" in found.message
    entry = bib.entries["conquest1968"]
    assert (entry.fields["location"], entry.year) == ("New York", "1968")


def test_nc212_unquoted_value() -> None:
    bib = load("@article{z, author = {Z, R}, title = Russian Bebels, journal = {RR}, year = 1976}")
    found = only(bib, "NC212")
    assert where(found) == (1, 38, 1, 52)
    assert bib.entries["z"].title == "Russian Bebels"
    brace = load("@book{k, author = {A, B}, title = {The } Making, year = {1}}")
    assert "NC212" in codes(brace)


def test_nc213_five_thousand_nested_braces() -> None:
    deep = "{" * 5000 + "Deep" + "}" * 5000
    bib = load(f"@book{{k, author = {{A, B}}, title = {deep}, year = {{1990}}}}")
    found = only(bib, "NC213")
    assert "nested 4999 deep" in found.message
    assert bib.entries["k"].title == "Deep"
    names = load(f"@book{{k, author = {deep}, title = {{T}}, year = {{1990}}}}")
    assert "k" in names.entries


def test_nc214_bad_keys() -> None:
    bib = load(
        "@book{wildman 1967, author = {A, B}, title = {T}, year = {1967}}\n@book{, author = {A, B}, title = {T}, year = {1967}}"
    )
    found = [d for d in bib.diagnostics if d.code == "NC214"]
    assert [d.span.line for d in found] == [1, 2]
    assert "empty" in found[1].message


def test_nc215_entry_without_at() -> None:
    bib = load(GOOD + "book{davies1989,\n  title = {Soviet History}, year = {1989}}\n")
    found = only(bib, "NC215")
    assert where(found) == (2, 1, 2, 16)
    comments = load("% a comment: see {this}, the = sign\n" + GOOD)
    assert codes(comments) == []


def test_nc216_empty_bibliography() -> None:
    assert codes(load("")) == ["NC216"]
    assert codes(load("% only a comment\n")) == ["NC216"]
    assert codes(load("[]", "refs.json")) == ["NC216"]


def test_nc217_binary_file() -> None:
    bib = load_bibliography_bytes(b"\x00\x01\x02PK\x03\x04" * 50, "library.bib")
    assert codes(bib) == ["NC217"]
    assert bib.entries == {}


def test_nc218_archival_entry_without_opis_or_unit() -> None:
    bib = load("@misc{f17, archive = {RTsKhIDNI}, fond = {17}, title = {File}}")
    found = only(bib, "NC218")
    assert "an opis and a storage unit" in found.message
    assert where(found)[:2] == (1, 1)


def test_nc219_csl_value_of_the_wrong_type() -> None:
    bib = load(
        '[{"id": "g", "type": "book", "title": ["x", {"y": 1}], "author": [{"family": "G"}], "issued": 1967}]',
        "r.json",
    )
    assert sorted(codes(bib)) == ["NC204", "NC219", "NC219"]
    title, issued = (d for d in bib.diagnostics if d.code == "NC219")
    assert (title.span.line, title.span.column) == (1, 30)
    assert "issued" in issued.message


def test_every_nc2_rule_is_documented_and_the_loader_keeps_out_of_the_resolvers_range() -> None:
    import notecheck.bibliography as loader

    family = [rule for rule in all_rules() if rule.code.startswith("NC2")]
    for rule in family:
        assert rule.what and rule.why and rule.example and rule.instead
        assert get_rule(rule.slug) is rule
    reported = {value.code for value in vars(loader).values() if isinstance(value, Rule)}
    assert len(reported) == 19
    assert not any("NC250" <= code <= "NC259" for code in reported)  # reserved: unused entries


@pytest.mark.parametrize(
    "text",
    [
        "@book{a, title = {T}, year = {1990}, author = {A, B}}",
        "@BOOK{A, TITLE = {T}, YEAR = 1990, AUTHOR = {A, B}}",
        "@book(a, title = {T}, year = {1990}, author = {A, B})",
        '@book{a, title = "T", year = "1990", author = "A, B"}',
    ],
)
def test_valid_variants_load_cleanly(text: str) -> None:
    bib = load(text)
    assert codes(bib) == []
    (entry,) = bib.entries.values()
    assert (entry.title, entry.year, entry.authors[0].last) == ("T", "1990", "A")
