"""Hypothesis properties of the text reader on generated note lists with OCR noise.

Each generated file is a list of numbered notes (``1.``, ``1)`` or ``[1]``), optionally after a
body and a ``Notes`` heading, with the noise raw OCR brings: numbers alone on their line with the
text after a blank line, debris lines (``If``, ``tI``, ``II``, ``l``) between and inside notes,
blank-line page breaks, years and page numbers wrapped to the start of a line inside a note, and
any of the three line-end conventions. The reader must give back the same numbers, lines and
texts, list exactly the inserted debris as skipped, and map every character back to the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st

from notecheck.models import Edition, Span
from notecheck.readers import read_edition_text

#: Words that start lines: none looks like a label, a heading or debris.
LINE_WORDS = (
    "Zelnik",
    "Radical",
    "Worker",
    "Moscow",
    "Stanford",
    "Medvedev",
    "Archive",
    "Letter",
    "Typescript",
)
WORDS = (
    *LINE_WORDS,
    "ibid.,",
    "see",
    "the",
    "in",
    "1986),",
    "387-91.",
    "f. 17,",
    "op. 100,",
    "d. 134977,",
    "l. 47",
)
DEBRIS = ("If", "tI", "II", "l", "fI", "'", '"', "Il", "tl")
#: Digits of a label and an OCR misreading of each.
DAMAGE = {"0": "O", "1": "l", "2": "Z", "5": "s", "6": "b", "8": "B", "9": "g"}


@dataclass
class Generated:
    """A generated file with what the reader should find in it."""

    text: str
    numbers: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    debris: list[str] = field(default_factory=list)


@st.composite
def text_lines(draw: st.DrawFn) -> list[str]:
    count = draw(st.integers(1, 3))
    lines = []
    for _ in range(count):
        words = [draw(st.sampled_from(LINE_WORDS)), *draw(st.lists(st.sampled_from(WORDS), max_size=6))]
        lines.append(" ".join(words))
    if draw(st.booleans()):
        lines[-1] += "."
    return lines


@st.composite
def documents(draw: st.DrawFn, damage: bool = False) -> Generated:
    """A file of notes with OCR noise; with ``damage``, one label is printed with OCR letters."""
    style = draw(st.sampled_from((".", ")", "[]")))
    count = draw(st.integers(1, 12))
    newline = draw(st.sampled_from(("\n", "\r\n", "\r")))
    heading = draw(st.booleans())
    damaged = draw(st.integers(1, count)) if damage else None
    out: list[str] = []
    generated = Generated("")

    def emit(line: str) -> int:
        out.append(line)
        return len(out)

    def debris() -> None:
        if draw(st.integers(0, 5)) == 0:
            page_break = draw(st.booleans())
            if page_break:
                emit("")
            piece = draw(st.sampled_from(DEBRIS))
            generated.debris.append(piece)
            emit(piece)
            if page_break:
                emit("")

    if draw(st.booleans()):
        emit("Introduction")
        emit("Zelnik wrote about the Radical Worker in 1986.")
        emit("")
    if heading:
        emit(draw(st.sampled_from(("Notes", "NOTES", "Endnotes", " Notes"))))
    debris()
    for number in range(1, count + 1):
        digits = str(number)
        if number == damaged:
            # Damage one digit that has a common misreading; the label begins a paragraph.
            spots = [i for i, d in enumerate(digits) if d in DAMAGE]
            if spots:
                spot = draw(st.sampled_from(spots))
                digits = digits[:spot] + DAMAGE[digits[spot]] + digits[spot + 1 :]
                emit("")
        label = f"[{digits}]" if style == "[]" else digits + style
        indent = draw(st.sampled_from(("", "", " ")))
        lines = draw(text_lines())
        body: list[str] = []
        if draw(st.integers(0, 3)) == 0:
            line = emit(indent + label)  # the number alone, the text after a blank line
            emit("")
            debris()
        else:
            line = emit(f"{indent}{label} {lines[0]}")
            body.append(lines.pop(0))
        for text in lines:
            if body:
                debris()
                if draw(st.integers(0, 4)) == 0:  # a year or page wrapped to the line start
                    text = f"{draw(st.sampled_from((1905, 1917, 1941, 217, 408, 1998)))}. {text}"
            emit(text)
            body.append(text)
        debris()
        generated.numbers.append(number)
        generated.labels.append(label)
        generated.lines.append(line)
        generated.texts.append(" ".join(" ".join(body).split()))
    generated.text = newline.join(out) + draw(st.sampled_from(("", newline)))
    return generated


def assert_positions_are_exact(edition: Edition) -> None:
    source = edition.source
    text = source.text

    def inside(span: Span) -> None:
        assert 1 <= span.line <= span.end_line <= source.line_count
        assert source.offset(span.line, span.column) <= source.offset(span.end_line, span.end_column)
        assert source.offset(span.end_line, span.end_column) <= len(text)

    for note in edition.notes:
        inside(note.label_span)
        start = source.offset(note.label_span.line, note.label_span.column)
        assert text[start : start + len(note.label)] == note.label
        for i, char in enumerate(note.text):
            assert text[note.text_map.to_source(i)] == char
        if note.text:
            inside(note.span(0, len(note.text)))
    for skipped in edition.skipped:
        inside(skipped.span)
        start = source.offset(skipped.span.line, skipped.span.column)
        assert text[start : start + len(skipped.text)] == skipped.text
    for call in edition.calls:
        inside(call.span)


@given(documents())
def test_generated_notes_read_back(generated: Generated) -> None:
    edition = read_edition_text(generated.text, "generated.txt")
    assert [n.number for n in edition.notes] == generated.numbers
    assert [n.label for n in edition.notes] == generated.labels
    assert [n.line for n in edition.notes] == generated.lines
    assert [" ".join(n.text.split()) for n in edition.notes] == generated.texts
    assert [s.text for s in edition.skipped] == generated.debris
    assert edition.diagnostics == ()
    assert_positions_are_exact(edition)


@given(documents(damage=True))
def test_a_damaged_label_is_read_as_the_number_the_sequence_expects(generated: Generated) -> None:
    edition = read_edition_text(generated.text, "generated.txt")
    assert [n.number for n in edition.notes] == generated.numbers
    assert [n.label for n in edition.notes] == generated.labels
    assert [n.line for n in edition.notes] == generated.lines
    assert_positions_are_exact(edition)


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400))
def test_any_text_reads_without_error_and_with_exact_positions(text: str) -> None:
    edition = read_edition_text(text, "any.txt")
    assert bool(edition.notes) != bool(edition.diagnostics)
    assert_positions_are_exact(edition)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                ("1.", "2.", "3)", "[4]", "s.", "l.", "If", "", "Notes", "1905. Howard", "Document 2")
            ),
            st.text(alphabet="abcXYZ019.,;:'\" lIs()[]", max_size=30),
        ),
        max_size=40,
    ),
    st.sampled_from(("\n", "\r\n", "\r")),
)
def test_label_like_noise_reads_without_error(lines: list[str], newline: str) -> None:
    edition = read_edition_text(newline.join(lines), "noise.txt")
    assert_positions_are_exact(edition)
    numbers = [n.number for n in edition.notes]
    assert all(isinstance(n, int) and n > 0 for n in numbers)
