"""The splitter: generated Chicago notes, hand-written forms, properties, and the NC3xx rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from notecheck.models import Form
from notecheck.readers import read_edition_text
from notecheck.split import parse_edition, parse_note, segment_note

from .chicago import ChicagoWriter, GeneratedNote
from .test_grammar import make_note


def generated(seeds: range, count: int = 12) -> list[GeneratedNote]:
    notes: list[GeneratedNote] = []
    for seed in seeds:
        for typographic in (False, True):
            notes.extend(ChicagoWriter(seed, typographic=typographic).notes(count))
    return notes


GENERATED = generated(range(12))


# --- generated Chicago notes -------------------------------------------------------------------


def test_generated_notes_cover_every_form() -> None:
    forms = {e.form for note in GENERATED for e in note.citations}
    kinds = {e.work.kind for note in GENERATED for e in note.citations if e.work is not None}
    assert forms == {"full", "short", "ibid"}
    assert kinds == {"book", "edited", "translated", "chapter", "article", "thesis", "newspaper"}
    assert any(not e.ranges and e.form == "ibid" for note in GENERATED for e in note.citations)
    assert any(e.ranges and e.form == "ibid" for note in GENERATED for e in note.citations)


def test_generated_notes_are_split_into_their_citations() -> None:
    for generated_note in GENERATED:
        citations = parse_note(make_note(generated_note.text))
        got = [(c.form.value, c.start, c.end) for c in citations]
        expected = [(e.form, e.start, e.end) for e in generated_note.citations]
        assert got == expected, generated_note.text


def test_generated_citations_have_their_fields() -> None:
    for generated_note in GENERATED:
        citations = parse_note(make_note(generated_note.text))
        for citation, expected in zip(citations, generated_note.citations, strict=True):
            locator = citation.locator
            assert (locator.ranges if locator else ()) == expected.ranges, generated_note.text
            assert (locator.kind if locator else None) == expected.locator_kind, generated_note.text
            assert citation.fields.signal == expected.signal, generated_note.text
            work = expected.work
            if work is None:
                continue
            if expected.form == "short":
                assert citation.fields.title == work.short_title
                continue
            assert citation.fields.title == work.title, generated_note.text
            assert citation.fields.year == work.year
            authors = work.authors[:1] if len(work.authors) >= 3 else work.authors
            assert citation.fields.authors == authors
            assert citation.fields.editors[: len(work.editors)] == work.editors
            if work.kind == "translated":
                assert citation.fields.translators == work.translators
            if work.kind in ("book", "edited", "translated", "chapter"):
                assert (citation.fields.place, citation.fields.publisher) == (work.place, work.publisher)
            if work.kind in ("chapter", "article", "newspaper"):
                assert citation.fields.container == work.container
            if work.kind == "article":
                assert (citation.fields.volume, citation.fields.issue) == (work.volume, work.issue)
            if work.kind == "thesis":
                assert (citation.fields.thesis, citation.fields.institution) == (
                    "PhD diss.",
                    work.institution,
                )
            if work.kind == "newspaper":
                assert citation.fields.date == work.date


@given(st.integers(0, 10_000), st.booleans())
@settings(max_examples=25)
def test_generated_segments_concatenate_to_the_note(seed: int, typographic: bool) -> None:
    for generated_note in ChicagoWriter(seed, typographic=typographic).notes(6):
        note = make_note(generated_note.text)
        segments = segment_note(note)
        assert "".join(note.text[s.start : s.end] for s in segments) == note.text
        assert [s.start for s in segments[1:]] == [s.end for s in segments[:-1]]


_NOTE_ALPHABET = st.sampled_from(
    [
        *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:()\"'-–“”’!\n",
        "Ibid.",
        "ibid., ",
        "lbid.",
        "see ",
        "note 4 above",
        "(Moscow, 1986)",
        ", 387-91",
        "op. cit.",
        "RTsKhIDNI, f. 17, op. 1, d. 2, l. 3",
    ]
)


@given(st.lists(_NOTE_ALPHABET, max_size=60).map("".join))
def test_any_text_splits_without_loss_and_never_raises(text: str) -> None:
    note = make_note(text)
    segments = segment_note(note)
    assert "".join(note.text[s.start : s.end] for s in segments) == text
    for segment in segments:
        assert segment.kind in ("citation", "commentary", "separator")
        citation = segment.citation
        if citation is not None:
            assert 0 <= citation.start < citation.end <= len(text)
            assert citation.text == text[citation.start : citation.end]
            if citation.locator is not None and citation.locator.text:
                assert citation.start <= citation.locator.start < citation.locator.end <= citation.end


def test_ids_count_the_citations_of_a_note() -> None:
    citations = parse_note(make_note("Smith, Making, 4; Jones, Roots, 5; ibid., 6.", index=7))
    assert [c.id for c in citations] == ["n7c1", "n7c2", "n7c3"]


# --- hand-written forms -------------------------------------------------------------------------


def one(text: str, index: int = 0):  # type: ignore[no-untyped-def]
    return parse_note(make_note(text))[index]


def test_current_chicago_article_with_colon_locator() -> None:
    citation = one("Mary Smith, “The Title,” Journal of Modern History 2, no. 3 (1980): 515.")
    assert citation.form is Form.FULL
    assert (citation.fields.container, citation.fields.volume, citation.fields.issue) == (
        "Journal of Modern History",
        "2",
        "3",
    )
    assert citation.locator is not None and citation.locator.ranges == ((515, 515),)


def test_publisher_without_place_and_en_dash_range() -> None:
    citation = one("Jane Smith, The Book (Knopf, 1990), 840–44.")
    assert (citation.fields.publisher, citation.fields.place, citation.fields.year) == ("Knopf", None, "1990")
    assert citation.locator is not None and citation.locator.ranges == ((840, 844),)


def test_phd_dissertation_and_ocr_lowercase_ph() -> None:
    citation = one(
        'Susan Morrissey, "Student Radicalism" (ph.D. diss., University of California, Berkeley, 1993), 156.'
    )
    assert (citation.fields.thesis, citation.fields.institution) == (
        "ph.D. diss.",
        "University of California, Berkeley",
    )


def test_bare_newspaper_reference() -> None:
    citation = one("Chicago Tribune, August 15, 1958.")
    assert citation.form is Form.FULL
    assert (citation.fields.container, citation.fields.date, citation.fields.year) == (
        "Chicago Tribune",
        "August 15, 1958",
        "1958",
    )


def test_signals_before_ibid() -> None:
    first, second = parse_note(make_note("Cf. ibid., 34; Quoted in ibid."))
    assert (first.form, first.fields.signal, first.text) == (Form.IBID, "cf.", "Cf. ibid., 34")
    assert (second.form, second.fields.signal, second.text) == (Form.IBID, "quoted in", "Quoted in ibid.")


def test_older_conventions() -> None:
    citation = one("Medvedev, op. cit., p. 48.")
    assert (citation.form, citation.fields.convention, citation.fields.authors) == (
        Form.SHORT,
        "op. cit.",
        ("Medvedev",),
    )
    assert citation.locator is not None and citation.locator.label == "p."
    citation = one("Conquest, loc. cit.")
    assert (citation.fields.convention, citation.locator) == ("loc. cit.", None)
    citation = one("Idem, Great Terror, 12.")
    assert (citation.fields.convention, citation.fields.title) == ("idem", "Great Terror")


def test_et_al_short_form_and_joined_citations() -> None:
    first, second = parse_note(make_note("Smith et al., Moral Communities, 12; and Jones, Roots, 4."))
    assert first.fields.authors == ("Smith",) and first.fields.extra.get("et_al") == "true"
    assert (second.fields.authors, second.fields.title) == (("Jones",), "Roots")


def test_cross_references() -> None:
    citations = parse_note(make_note("On him, see note 72 below; (see note 23, above); see Document 3."))
    assert [(c.target.kind, c.target.number, c.target.direction) for c in citations if c.target] == [
        ("note", 72, "below"),
        ("note", 23, "above"),
        ("document", 3, None),
    ]
    citation = one("As noted above (note 6), there are two copies.")
    assert citation.form is Form.CROSSREF and citation.text == "As noted above (note 6)"


def test_commentary_stays_commentary() -> None:
    text = "The Congress took place from late December 1909 to early January 1910."
    assert parse_note(make_note(text)) == []
    assert [s.kind for s in segment_note(make_note(text))] == ["commentary"]


def test_a_page_number_in_prose_is_not_a_citation() -> None:
    assert parse_note(make_note("The section begins on p. 7 and ends on p. 14, the last page.")) == []


def test_declarations_are_read() -> None:
    citation = one("Jane Smith, The Book (Chicago, 1990), 3 (hereafter cited as Book).")
    assert citation.fields.declares == "Book"


def test_archive_level_ibid() -> None:
    citation = one("Ibid., f. 124, op. 1, d. 816, ll. 15-17. All underlined words were underlined by hand.")
    assert citation.form is Form.IBID
    assert citation.fields.archival is not None and citation.fields.archival.fond == "124"
    assert citation.locator is not None and (citation.locator.kind, citation.locator.ranges) == (
        "leaf",
        ((15, 17),),
    )


# --- rules NC3xx: one fixture each --------------------------------------------------------------


def edition_of(notes: str):  # type: ignore[no-untyped-def]
    return read_edition_text("Notes\n" + notes, "fixture.txt")


def test_nc301_backward_page_range() -> None:
    parsed = parse_edition(
        edition_of("1. Williams, Other Bolsheviks, 68; Bol'sheviki, 345-36.\n2. Jones, Roots, 387-91.\n")
    )
    found = [d for d in parsed.diagnostics if d.code == "NC301"]
    assert len(found) == 1
    (diagnostic,) = found
    assert "345-336" in diagnostic.message and diagnostic.note == 1
    assert (diagnostic.span.line, diagnostic.span.column, diagnostic.span.end_column) == (2, 49, 55)


def test_nc302_missing_comma_with_a_safe_fix() -> None:
    text = (
        "1. Roy Medvedev, Let History Judge (New York, 1972), 3.\n2. Medvedev Let History Judge, 60, 140.\n"
    )
    parsed = parse_edition(edition_of(text))
    (diagnostic,) = [d for d in parsed.diagnostics if d.code == "NC302"]
    assert diagnostic.fix is not None and diagnostic.fix.applicability == "safe"
    assert (diagnostic.fix.span.line, diagnostic.fix.span.column, diagnostic.fix.replacement) == (3, 12, ",")
    short = parsed.citations[2][0]
    assert (short.fields.authors, short.fields.title, short.fields.missing_comma) == (
        ("Medvedev",),
        "Let History Judge",
        True,
    )


def test_nc302_needs_a_known_author() -> None:
    parsed = parse_edition(edition_of("1. Let History Judge, 60.\n"))
    assert not [d for d in parsed.diagnostics if d.code == "NC302"]


def test_nc303_damaged_ibid_with_its_fix_in_the_right_case() -> None:
    parsed = parse_edition(
        edition_of("1. Jones, Roots, 4.\n2. !bid., 5. A request (!bid., 6).\n3. lbid., 7.\n")
    )
    found = sorted((d for d in parsed.diagnostics if d.code == "NC303"), key=lambda d: d.sort_key)
    assert [d.fix.replacement for d in found if d.fix] == ["Ibid.", "ibid.", "Ibid."]
    assert all(d.fix is not None and d.fix.applicability == "safe" for d in found)
    assert [c.fields.damaged for c in parsed.all_citations() if c.form is Form.IBID] == [
        "!bid.",
        "!bid.",
        "lbid.",
    ]


def test_clean_notes_have_no_form_diagnostics() -> None:
    notes = "".join(f"{i}. {n.text}\n" for i, n in enumerate(generated(range(3), 10), start=1))
    assert [d for d in parse_edition(edition_of(notes)).diagnostics if d.code.startswith("NC3")] == []


def test_nc301_says_how_an_abbreviated_range_was_read_and_only_then() -> None:
    parsed = parse_edition(edition_of("1. Jones, Roots, 345-36.\n2. Jones, Roots, 91-87.\n"))
    messages = [d.message for d in parsed.diagnostics if d.code == "NC301"]
    assert messages == [
        "page range 345-36 runs backwards: read by the Chicago rule it is 345-336",
        "page range 91-87 runs backwards",
    ]
