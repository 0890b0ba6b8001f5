"""Note calls in the body: the shapes recognised, the alignment with the notes, NC110 and NC111."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.models import Edition, Severity
from notecheck.numbering import check_numbering
from notecheck.readers import read_edition_text


def notes(count: int) -> str:
    return "Notes\n" + "".join(f"{n}. Zelnik, A Radical Worker, {n}.\n" for n in range(1, count + 1))


def read(body: str, count: int = 3) -> Edition:
    return read_edition_text(body + "\n" + notes(count), "edition.txt")


def called(edition: Edition) -> list[tuple[int, str]]:
    return [(c.number, c.label) for c in edition.calls if c.in_sequence]


@pytest.mark.parametrize(
    ("body", "label"),
    [
        ("and most probably an intelligentka.1 Then", "1"),  # glued to a period
        ('he wrote, "the revolutionary storm. "1 When', "1"),  # after a quote mark
        ("the organization in 1918.1 After", "1"),  # glued to a year's period
        ("with Ivan Nikitich Smirnov. 1 Vladimir", "1"),  # after a sentence end and a space
        ("in Cheliabinsk,1 where", "1"),  # glued to a comma
        ("Letter to Iakov Genrikhovich, 22 January 19281", "1"),  # glued to a year
        ("the judge was Krasheninnikov, 1 who", "1"),  # after a comma, weakest
        ("the author's intelligentka1 Then", "1"),  # glued to a word
    ],
)
def test_call_shapes(body: str, label: str) -> None:
    edition = read(body, 1)
    assert called(edition) == [(1, label)]
    call = edition.calls[0]
    assert edition.source.line_text(call.span.line)[call.span.column - 1 : call.span.end_column - 1] == label


@pytest.mark.parametrize(
    "body",
    [
        "In 1905 there were 2 strikes and 3 meetings.",  # numbers in prose
        "See p. 2 and art. 3 of the code.",  # locators after abbreviations
        "Some 2,000 members and 3.5 million rubles.",  # thousands and decimals
        "He met S. 2 times.",  # an initial
        "In the year 1905. Then 1917.",  # years
    ],
)
def test_numbers_in_prose_are_not_calls(body: str) -> None:
    assert called(read(body)) == []


def test_damaged_calls_are_read_by_the_sequence() -> None:
    # "S" may be 5 or 8, "IS" 15 or 18, "8S" 85: each takes the reading that fits between its
    # neighbours.
    body = "one.4 two. S Then three.6 four.7 five. S\nsix.9"
    edition = read(body, 9)
    assert called(edition) == [(4, "4"), (5, "S"), (6, "6"), (7, "7"), (8, "S"), (9, "9")]


def test_words_after_a_sentence_are_not_damaged_calls() -> None:
    edition = read("one.1 Is it so? I think. So it is.2", 2)
    assert called(edition) == [(1, "1"), (2, "2")]


def test_calls_align_as_an_increasing_sequence_and_skip_years() -> None:
    body = "a start.1 then in 1918.2 more.3 in May 1927.27 and later.4"
    edition = read(body, 4)
    assert called(edition) == [(1, "1"), (2, "2"), (3, "3"), (4, "4")]  # 27 > 4 notes: a date


def test_nc110_call_out_of_sequence() -> None:
    edition = read("first.1 second.2 again.1 third.3", 3)
    (stray,) = [d for d in check_numbering(edition) if d.code == "NC110"]
    assert stray.severity is Severity.WARNING
    assert stray.message == "note call 1 is out of sequence: it follows call 2"
    assert (stray.span.line, stray.span.column) == (1, 24)


def test_a_number_far_from_its_neighbours_is_not_reported_as_a_stray_call() -> None:
    edition = read("first.1 pi is 3.14 second.2 third.3", 20)
    assert [d for d in check_numbering(edition) if d.code == "NC110"] == []


def test_nc111_lists_notes_without_a_call_in_one_summary() -> None:
    edition = read("Only the first.1 and the fourth.4 are called.", 6)
    (summary,) = [d for d in check_numbering(edition) if d.code == "NC111"]
    assert summary.severity is Severity.INFO
    assert summary.message == "no recognisable call in the body for 4 of 6 notes: 2-3, 5-6"
    assert (summary.span.line, summary.span.column, summary.span.end_column) == (2, 1, 6)  # "Notes"


def test_a_bare_notes_file_has_no_body_and_no_call_findings() -> None:
    edition = read_edition_text(notes(5), "notes.txt")
    assert edition.calls == ()
    assert not [d for d in check_numbering(edition) if d.code in ("NC110", "NC111")]


@given(st.lists(st.integers(1, 30), max_size=30), st.integers(1, 30))
def test_aligned_calls_strictly_increase_and_point_at_notes(numbers: list[int], count: int) -> None:
    body = " ".join(f"text.{n}" for n in numbers)
    edition = read(body, count)
    aligned = [c.number for c in edition.calls if c.in_sequence]
    assert aligned == sorted(set(aligned))
    assert all(1 <= n <= count for n in aligned)
    expected = [n for n in numbers if n <= count]
    assert len(aligned) == _longest_increasing(expected)


def _longest_increasing(values: list[int]) -> int:
    best: list[int] = []
    for value in values:
        lengths = [best[i] for i in range(len(best)) if values[i] < value]
        best.append(1 + max(lengths, default=0))
    return max(best, default=0)
