"""Stage check: note numbering and note calls (NC104-NC111) over a read edition.

Works on any reader's :class:`~notecheck.models.Edition`: gaps, duplicates and misordered numbers
are judged against the longest increasing run of note numbers (so one misplaced note is one
finding, not a cascade), OCR-damaged labels get a safe fix, every skipped span is listed, and the
body's note calls are compared with the notes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from notecheck.models import Diagnostic, Edition, Fix, Note, Section
from notecheck.rules.reading import (
    CALL_OUT_OF_SEQUENCE,
    EMPTY_NOTE,
    NOTES_WITHOUT_CALL,
    NUMBER_DAMAGED,
    NUMBER_DUPLICATE,
    NUMBER_GAP,
    NUMBER_OUT_OF_ORDER,
    SKIPPED_DEBRIS,
)

#: Characters OCR reads for digits; a label made of digits and these is a damaged number.
_CONFUSABLE = frozenset("OoDQlIi|!ZzSsbGTBgq")


def check_numbering(edition: Edition) -> list[Diagnostic]:
    """Numbering, skipped-text and note-call diagnostics for one edition.

    Args:
        edition: the edition as a reader returned it.

    Returns:
        The diagnostics, in no particular order (the check stage sorts them).
    """
    numbered = [note for note in edition.notes if note.number is not None]
    found: list[Diagnostic] = []
    found += _sequence(numbered)
    if edition.format == "text":  # only printed (OCR'd) labels can be damaged numbers: a file
        # written on a computer labels its notes itself (Word's i, ii, iii; Markdown's [^Dobbs])
        found += [d for note in numbered if (d := _damaged(note)) is not None]
    found += [
        EMPTY_NOTE.at(note.label_span, note=note, number=note.number if note.number is not None else "?")
        for note in edition.notes
        if not note.text.strip()
    ]
    found += _skipped(edition)
    found += _calls(edition, numbered)
    return found


# --- the sequence of numbers ----------------------------------------------------------------------


def increasing_run(numbers: Sequence[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of ``numbers`` (earliest-ending ties)."""
    tails: list[int] = []  # tails[k]: index of the smallest last number of a run of length k+1
    previous: list[int] = [-1] * len(numbers)
    for index, number in enumerate(numbers):
        k = _bisect(numbers, tails, number)
        if k > 0:
            previous[index] = tails[k - 1]
        if k == len(tails):
            tails.append(index)
        else:
            tails[k] = index
    run: list[int] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(index)
        index = previous[index]
    return run[::-1]


def _bisect(numbers: Sequence[int], tails: list[int], number: int) -> int:
    low, high = 0, len(tails)
    while low < high:
        middle = (low + high) // 2
        if numbers[tails[middle]] < number:
            low = middle + 1
        else:
            high = middle
    return low


def _sequence(notes: Sequence[Note]) -> list[Diagnostic]:
    """NC105 duplicates, NC106 notes out of order and NC104 gaps.

    A repeated number is a duplicate and nothing else. Among the first occurrences, the longest
    increasing run defines the order; the notes outside it are out of order, and the numbers
    missing between the notes of the run (and not carried by a misplaced note) are gaps.
    """
    found: list[Diagnostic] = []
    first_seen: dict[int, Note] = {}
    unique: list[Note] = []
    for note in notes:
        assert note.number is not None
        first = first_seen.get(note.number)
        if first is not None:
            found.append(
                NUMBER_DUPLICATE.at(note.label_span, note=note, number=note.number, first_line=first.line)
            )
            continue
        first_seen[note.number] = note
        unique.append(note)
    numbers = [note.number for note in unique if note.number is not None]
    run = increasing_run(numbers)
    in_run = set(run)
    present = set(numbers)
    filled: set[int] = set()
    for index, note in enumerate(unique):
        if index in in_run:
            continue
        fix = None
        if 0 < index < len(unique) - 1:
            before, after = numbers[index - 1], numbers[index + 1]
            if after == before + 2 and before + 1 not in present:
                fix = Fix(
                    _relabel(note.label, _label_core(note.label), before + 1), note.label_span, "unsafe"
                )
                filled.add(before + 1)
        previous = f"note {numbers[index - 1]}" if index > 0 else "the start of the notes"
        found.append(
            NUMBER_OUT_OF_ORDER.at(
                note.label_span, note=note, fix=fix, number=numbers[index], previous=previous
            )
        )
    expected = 1
    taken = sorted(present | filled)
    for index in run:
        number = numbers[index]
        missing = _missing(expected, number, taken)
        if missing:
            found.append(
                NUMBER_GAP.at(
                    unique[index].label_span,
                    note=unique[index],
                    missing=_describe_missing(missing),
                    before=f"note {expected - 1}" if expected > 1 else "the start",
                    after=f"note {number}",
                )
            )
        expected = number + 1
    return found


def _missing(first: int, stop: int, taken: Sequence[int]) -> list[tuple[int, int]]:
    """The numbers in ``[first, stop)`` not in ``taken`` (sorted), as inclusive ranges.

    Works on ranges, never on every number, so a jump from note 1 to note 10^9 costs nothing,
    and looks only at the taken numbers inside the range.
    """
    ranges: list[tuple[int, int]] = []
    start = first
    for number in taken[bisect_left(taken, first) : bisect_left(taken, stop)]:
        if number > start:
            ranges.append((start, number - 1))
        start = number + 1
    if start < stop:
        ranges.append((start, stop - 1))
    return ranges


def _describe_missing(missing: Sequence[tuple[int, int]]) -> str:
    ranges = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in missing)
    single = len(missing) == 1 and missing[0][0] == missing[0][1]
    return f"note {ranges}" if single else f"notes {ranges} are"


def compact_ranges(numbers: Sequence[int]) -> str:
    """``[2, 3, 4, 8, 10, 11]`` as ``2-4, 8, 10-11``."""
    parts: list[str] = []
    start = previous = None
    for number in sorted(numbers):
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ", ".join(parts)


def _relabel(label: str, core: str, number: int) -> str:
    """The label with its number part replaced: ``s.`` -> ``5.``, ``[l]`` -> ``[1]``."""
    position = label.find(core)
    if position < 0:
        return label
    return label[:position] + str(number) + label[position + len(core) :]


def _label_core(label: str) -> str:
    return label.strip().strip("[]().").strip()


def _damaged(note: Note) -> Diagnostic | None:
    """NC107 for a label made of digits and OCR digit confusions that was read as a number."""
    core = _label_core(note.label)
    if note.number is None or not core or core.isdigit():
        return None
    if not all(c.isdigit() or c in _CONFUSABLE for c in core):
        return None
    fix = Fix(_relabel(note.label, core, note.number), note.label_span, "safe")
    return NUMBER_DAMAGED.at(note.label_span, note=note, fix=fix, label=note.label, number=note.number)


# --- skipped text ---------------------------------------------------------------------------------


def _skipped(edition: Edition) -> list[Diagnostic]:
    """NC109: one info per skipped span, naming the note it was left out of."""
    found: list[Diagnostic] = []
    notes = sorted(edition.notes, key=lambda n: (n.line, n.index))
    lines = [note.line for note in notes]
    for skipped in edition.skipped:
        line = skipped.span.line
        position = bisect_right(lines, line) - 1
        note: Note | None = None
        if position >= 0:
            following = (
                notes[position + 1].line if position + 1 < len(notes) else notes[position].end_line + 1
            )
            note = notes[position] if line < following else None
        if note is not None:
            where = note.name.replace("-", " ")
        elif position < 0:
            where = "the notes (before the first note)"
        else:
            where = "the notes"
        found.append(
            SKIPPED_DEBRIS.at(
                skipped.span, note=note, text=_short(skipped.text), where=where, reason=skipped.reason
            )
        )
    return found


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- note calls -----------------------------------------------------------------------------------


def _calls(edition: Edition, notes: Sequence[Note]) -> list[Diagnostic]:
    """NC110 for calls out of sequence; NC111 once for the notes without a recognisable call.

    Only for editions with a body: a bare notes file has no calls to look for.
    """
    if not notes or not any(s.kind in ("body", "document") for s in edition.sections):
        return []
    found: list[Diagnostic] = []
    in_sequence = sorted(
        (c for c in edition.calls if c.in_sequence), key=lambda c: (c.span.line, c.span.column)
    )
    keys = [(c.span.line, c.span.column) for c in in_sequence]
    for call in edition.calls:
        if call.in_sequence:
            continue
        position = bisect_left(keys, (call.span.line, call.span.column))
        if position > 0:
            context = f"it follows call {in_sequence[position - 1].number}"
        elif in_sequence:
            context = f"it comes before call {in_sequence[0].number}"
        else:
            context = "no other call was found"
        found.append(CALL_OUT_OF_SEQUENCE.at(call.span, number=call.number, context=context))
    called = {c.number for c in in_sequence}
    missing = [n.number for n in notes if n.number is not None and n.number not in called]
    if missing:
        anchor = _notes_heading(edition.sections)
        span = notes[0].label_span
        if anchor is not None:
            text = edition.source.line_text(anchor.line)
            start = edition.source.offset(anchor.line, 1) + len(text) - len(text.lstrip())
            span = edition.source.span(start, start + len(text.strip()))
        found.append(
            NOTES_WITHOUT_CALL.at(
                span,
                count=len(missing),
                total=len(notes),
                numbers=compact_ranges(sorted(set(missing))),
            )
        )
    return found


def _notes_heading(sections: Sequence[Section]) -> Section | None:
    return next((s for s in reversed(sections) if s.kind == "notes"), None)
