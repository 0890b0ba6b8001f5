"""Fast paths agree with the plain algorithms they replace.

- Archival files are read once per bibliography and looked up by fond: the same answers as
  reading every entry for every reference (a property over generated files and references),
  and never an answer from another bibliography's files.
- The memoised string functions of the resolver answer as the plain functions do.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from notecheck import archival
from notecheck.archival import (
    ArchivalFileId,
    ArchivalMatchResult,
    _archive_tier,
    _closest_files,
    _code,
    archival_file_of,
    match_archival_file,
)
from notecheck.bibliography import fold
from notecheck.models import ArchivalReference, Entry, Name, Span
from notecheck.resolver import match

SPAN = Span("refs.bib", 1, 1, 1, 1)
ARCHIVES = ("RGASPI", "RTsKhIDNI", "GARF", "RGALI")


def plain_match(
    reference: ArchivalReference, entries: list[Entry], archive: str | None = None
) -> ArchivalMatchResult:
    """``match_archival_file`` as written before the index: every entry read for every reference."""
    cited = ArchivalFileId(
        reference.archive or archive,
        _code(reference.fond),
        _code(reference.opis),
        reference.unit_kind,
        _code(reference.unit),
    )
    files = [(entry.key, found) for entry in entries if (found := archival_file_of(entry)) is not None]
    same_place = [
        (key, tier, found)
        for key, found in files
        if (tier := _archive_tier(cited.archive, found.archive)) is not None and found.fond == cited.fond
    ]
    if cited.unit is None:
        keys = tuple(k for k, _, f in same_place if cited.opis is None or f.opis == cited.opis)
        return ArchivalMatchResult(None, keys)
    exact = [
        (tier, key)
        for key, tier, found in same_place
        if (found.opis, found.unit_kind, found.unit) == (cited.opis, cited.unit_kind, cited.unit)
    ]
    if exact:
        best = min(tier for tier, _ in exact)
        preferred = [key for tier, key in exact if tier == best]
        key = preferred[0] if len(preferred) == 1 else None
        return ArchivalMatchResult(key, tuple(key for _, key in sorted(exact)))
    return ArchivalMatchResult(None, (), _closest_files(cited, files))


numbers = st.sampled_from(["1", "2", "17", "124", "100"])
files = st.builds(
    lambda archive, fond, opis, unit, kind: {
        "archive": archive,
        "fond": fond,
        "opis": opis,
        ("delo" if kind == "d" else "edkhr"): unit,
    },
    st.sampled_from(ARCHIVES),
    numbers,
    numbers,
    numbers,
    st.sampled_from(["d", "ed. khr."]),
)
references = st.builds(
    ArchivalReference,
    archive=st.one_of(st.none(), st.sampled_from(ARCHIVES)),
    fond=numbers,
    opis=st.one_of(st.none(), numbers),
    unit_kind=st.sampled_from(["d", "ed. khr."]),
    unit=st.one_of(st.none(), numbers),
)


@given(st.lists(files, max_size=12), st.lists(references, min_size=1, max_size=6))
def test_indexed_archival_matching_agrees_with_reading_every_entry(
    listed: list[dict[str, str]], cited: list[ArchivalReference]
) -> None:
    entries = [Entry(f"file{n}", "misc", fields, SPAN) for n, fields in enumerate(listed)]
    entries.append(Entry("book", "book", {"title": "A Book"}, SPAN))
    for reference in cited:
        for archive in (None, "RGASPI"):
            assert match_archival_file(reference, entries, archive=archive) == plain_match(
                reference, entries, archive
            )


def test_another_bibliography_of_the_same_size_is_read_afresh() -> None:
    first = [Entry("a", "misc", {"archive": "GARF", "fond": "1", "opis": "1", "delo": "5"}, SPAN)]
    second = [Entry("b", "misc", {"archive": "GARF", "fond": "1", "opis": "1", "delo": "5"}, SPAN)]
    reference = ArchivalReference("GARF", "1", "1", "d", "5")
    assert match_archival_file(reference, first).key == "a"
    assert match_archival_file(reference, second).key == "b"
    assert match_archival_file(reference, first).key == "a"
    assert match_archival_file(reference, iter(second)).key == "b"  # any iterable
    assert archival._FILES  # the index is kept for the next reference


words = st.text(alphabet="aAbBeéyYiIjJ '’-.,:10rnmcld", max_size=24)


@given(words, words)
def test_memoised_string_functions_answer_as_the_plain_ones(a: str, b: str) -> None:
    for function in (fold, match.squash, match.translit_normal, match.title_keys, match.ocr_normal):
        assert function(a) == function.__wrapped__(a)  # type: ignore[attr-defined]
    assert match.similarity(a, b) == match.similarity.__wrapped__(a, b)
    cited = match.CitedName.parse(a)
    assert cited == match.CitedName._parse(a)
    person = Name("Jane", b)
    assert match.person_matches(cited, person) == match.person_matches.__wrapped__(cited, person)


surnames = st.sampled_from(["Smith", "Smyth", "Trotsky", "Trotskii", "Gol'dman", "Goldman", "Cruz", "Kotkin"])
persons = st.builds(
    Name, st.sampled_from(["Jane", "John", "", "A."]), surnames, st.sampled_from(["", "de la"])
)
printed = st.builds(
    lambda first, last: f"{first} {last}".strip(), st.sampled_from(["", "J.", "A.", "Jane"]), surnames
)


@given(printed, st.lists(persons, max_size=5))
def test_names_any_is_any_person_matches(text: str, listed: list[Name]) -> None:
    cited = match.CitedName.parse(text)
    assert match.names_any(cited, tuple(listed)) == any(match.person_matches(cited, p) for p in listed)


@given(st.lists(st.tuples(st.lists(persons, min_size=1, max_size=3), st.booleans()), max_size=8), printed)
def test_remembered_person_look_ups_are_the_look_ups(
    listed: list[tuple[list[Name], bool]], text: str
) -> None:
    from notecheck.bibliography import Bibliography

    entries = {
        f"k{n}": Entry(
            f"k{n}", "book", {"title": f"Title {n}"}, SPAN, *((tuple(p), ()) if author else ((), tuple(p)))
        )
        for n, (p, author) in enumerate(listed)
    }
    catalogue = match.Catalogue.build(Bibliography("refs.bib", entries=entries))
    cited = match.CitedName.parse(text)
    first = catalogue.by_person(cited)
    assert first == catalogue._by_person_uncached(cited)
    assert catalogue.by_person(cited) == first  # from memory, and a fresh list
    assert catalogue.by_person(cited) is not catalogue.by_person(cited)


def test_full_citations_weighed_near_titles_first_accept_what_weighing_all_accepts() -> None:
    """``match_full`` weighs names and years only for entries whose title could be accepted; the
    accepted entries are those of weighing every entry of the pool."""
    from notecheck.bibliography import load_bibliography_text
    from notecheck.models import Form
    from notecheck.readers import read_edition_text
    from notecheck.resolver import resolve
    from notecheck.resolver.context import Context
    from notecheck.resolver.full import _accept, _evidence, match_full
    from notecheck.split import parse_edition

    from .chicago import ChicagoSequence

    checked = 0
    for seed in range(6):
        sequence = ChicagoSequence(seed).sequence(40)
        edition = read_edition_text(sequence.text, "generated.txt")
        bibliography = load_bibliography_text(sequence.bibtex, "generated.bib")
        parsed = parse_edition(edition)
        resolve(edition, bibliography, parsed=parsed)
        context = Context(edition, parsed, match.catalogue_of(bibliography))
        context.note_position = {note.index: n for n, note in enumerate(edition.notes)}
        for citation in parsed.all_citations():
            if citation.form is not Form.FULL:
                continue
            accepted, _ = match_full(citation, context)
            fields = citation.fields
            names = [
                match.CitedName.parse(n) for n in (*fields.authors, *fields.editors, *fields.translators)
            ]
            titles = [t for t in dict.fromkeys((fields.title or "", fields.short_title or "")) if t]
            pool = dict.fromkeys(
                [k for t in titles for k in context.catalogue.by_title(t)]
                + [k for n in names for k in context.catalogue.by_person(n)]
            )
            everything = [_evidence(key, citation, context, names, titles) for key in pool]
            long_title = any(len(match.squash(t)) >= 16 for t in titles)
            plain = _accept(everything, long_title)
            if plain:
                assert accepted == plain
                checked += 1
    assert checked > 20


@given(
    st.integers(0, 50),
    st.integers(0, 20),
    st.integers(-2, 2),
    st.integers(-3, 25),
    st.booleans(),
)
def test_a_one_piece_text_map_maps_as_the_general_search_does(
    source_start: int, length: int, change: int, offset: int, end: bool
) -> None:
    from notecheck.models import TextMap

    one = TextMap(((0, source_start, length, max(0, length + change)),))
    searched = TextMap((*one.pieces, (10**6, 10**7, 1, 1)))  # a far second piece: the bisect path
    assert one.to_source(offset, end=end) == searched.to_source(offset, end=end)
