"""The text reader on page furniture that OCR keeps inside the notes (found probing unseen
editions): a page number alone on a line, and the journal's running heads, were read as note
text (a running head such as ``The Russian Review 52 (October 1993)`` even as a full citation)."""

from __future__ import annotations

from notecheck.readers import read_edition_text

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
