"""The text reader on page furniture that OCR keeps inside the notes (found probing unseen
editions): a page number alone on a line, and the journal's running heads, were read as note
text (a running head such as ``The Russian Review 52 (October 1993)`` even as a full citation)."""

from __future__ import annotations

import pytest

from notecheck.readers import NO_BREAK_SPACES, read_edition_text

PAGES = (
    "Body text.1 More.2 And.3\n"
    "The Russian Review 52 (October 1993)\n"
    "248\n"
    "Then.4 Last.5\n"
    "Building the Moscow Metro 249\n"
    "\n"
    "NOTES\n"
    "1. Stephen Kotkin, Magnetic Mountain (Berkeley, 1995), 72.\n"
    "2. Ibid., 73.\n"
    "The Russian Review 52 (October 1993)\n"
    "250\n"
    "3. Kotkin, Magnetic Mountain, 74; Sheila Fitzpatrick, Stalin's Peasants: Resistance\n"
    "Building the Moscow Metro 251\n"
    "and Survival in the Russian Village (New York, 1994), 10.\n"
)


def test_page_numbers_and_running_heads_are_left_out_of_the_notes() -> None:
    edition = read_edition_text(PAGES)
    assert [n.text for n in edition.notes] == [
        "Stephen Kotkin, Magnetic Mountain (Berkeley, 1995), 72.",
        "Ibid., 73.",
        "Kotkin, Magnetic Mountain, 74; Sheila Fitzpatrick, Stalin's Peasants: Resistance\n"
        "and Survival in the Russian Village (New York, 1994), 10.",
    ]
    skipped = [(s.span.line, s.reason) for s in edition.skipped]
    assert skipped == [
        (10, "page number or running head"),
        (11, "page number or running head"),
        (13, "page number or running head"),
    ]


def test_a_line_seen_once_or_ending_a_sentence_stays_in_its_note() -> None:
    text = (
        "Notes\n"
        "1. Kotkin, Magnetic Mountain, 72, on the city\n"
        "of Magnitogorsk and its people.\n"
        "2. Ibid., 73, on the city\n"
        "of Magnitogorsk and its people.\n"
        "3. Ibid., 74, on the city\n"
        "of Magnitogorsk\n"
        "4. Ibid., 75, on the city\n"
        "of Magnitogorsk\n"
    )
    edition = read_edition_text(text)
    assert [n.text.count("Magnitogorsk") for n in edition.notes] == [1, 1, 1, 1]
    assert edition.skipped == ()


def test_a_wrapped_year_or_a_repeated_short_citation_is_note_text_not_furniture() -> None:
    # a year alone on its line with no page break around it, and a short-form citation that two
    # notes wrap onto a line of its own (different pages): both are text of their notes
    text = (
        "Notes\n"
        "1. On the city see\n"
        "Kotkin, Magnetic Mountain, 72\n"
        "and the plan.\n"
        "2. Ibid.; also\n"
        "Kotkin, Magnetic Mountain, 74\n"
        "3. On the strikes of\n"
        "1905\n"
        "see Ibid., 80.\n"
    )
    edition = read_edition_text(text)
    assert [n.text for n in edition.notes] == [
        "On the city see\nKotkin, Magnetic Mountain, 72\nand the plan.",
        "Ibid.; also\nKotkin, Magnetic Mountain, 74",
        "On the strikes of\n1905\nsee Ibid., 80.",
    ]
    assert edition.skipped == ()


def test_a_line_repeated_only_inside_the_notes_is_not_a_head_for_its_trailing_number() -> None:
    text = (
        "Notes\n"
        "1. On the first wave of\n"
        "strikes at the Putilov works in 1905\n"
        "2. On the second wave of\n"
        "strikes at the Putilov works in 1917\n"
    )
    edition = read_edition_text(text)
    assert [n.text.count("Putilov") for n in edition.notes] == [1, 1]
    assert edition.skipped == ()


def test_a_page_number_needs_a_blank_line_or_a_rising_run_of_page_numbers() -> None:
    text = (
        "Notes\n"
        "1. Kotkin, Magnetic Mountain (Berkeley, 1995), 72, on the\n"
        "\n"
        "312\n"
        "city of Magnitogorsk.\n"
        "2. Ibid., 73, on the plant and\n"
        "313\n"
        "its workers.\n"
        "3. Ibid., 75, on the plant and\n"
        "314\n"
        "its workers.\n"
    )
    edition = read_edition_text(text)
    assert [n.text for n in edition.notes] == [
        "Kotkin, Magnetic Mountain (Berkeley, 1995), 72, on the\n\ncity of Magnitogorsk.",
        "Ibid., 73, on the plant and\nits workers.",
        "Ibid., 75, on the plant and\nits workers.",
    ]
    assert [(s.span.line, s.reason) for s in edition.skipped] == [
        (4, "page number or running head"),
        (7, "page number or running head"),
        (10, "page number or running head"),
    ]


def test_years_wrapped_in_two_notes_are_not_a_run_of_page_numbers() -> None:
    text = (
        "Notes\n"
        "1. On the strikes of\n"
        "1905\n"
        "see Kotkin, Magnetic Mountain, 80.\n"
        "2. On the strikes of\n"
        "1906\n"
        "see Ibid., 81.\n"
    )
    edition = read_edition_text(text)
    assert ["1905" in edition.notes[0].text, "1906" in edition.notes[1].text] == [True, True]
    assert edition.skipped == ()


@pytest.mark.parametrize("input_format", ["text", "markdown"])
def test_every_reader_reads_each_shared_no_break_space_as_a_space(input_format: str) -> None:
    # one set of no-break spaces for all readers: the text reader and the shared view agree
    assert NO_BREAK_SPACES
    for tie in NO_BREAK_SPACES:
        note = f"RGASPI,{tie}f.{tie}17,{tie}op.{tie}1"
        text = f"Body.1\n\nNotes\n1. {note}\n" if input_format == "text" else f"Body.[^1]\n\n[^1]: {note}\n"
        edition = read_edition_text(text, input_format=input_format)
        assert [n.text for n in edition.notes] == ["RGASPI, f. 17, op. 1"]
