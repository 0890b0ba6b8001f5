"""Stage read: plain-text editions, including raw OCR, to notes with exact positions.

The reader works line by line: labels are looked for only in a short prefix of each line, and
the body is scanned for note calls with patterns that cannot backtrack, so reading is linear in
the size of the file (a 10 MB line included). It proceeds in four steps:

1. **Sections.** The body, every ``Document N`` heading line, and the notes: the lines after the
   last ``Notes``/``Endnotes`` heading line that is followed by numbered notes, or, without such a
   heading, the longest run of sequentially numbered paragraphs.
2. **Note starts.** Every line of the notes that begins with a label (``1.``, ``1)``, ``[1]``, or
   an OCR-damaged label such as ``s.`` whose characters are all common digit confusions) is a
   *candidate*. A dynamic programme picks the candidates that are note starts: it rewards
   candidates that begin a paragraph (the line before ends a sentence, is blank or is debris) and
   charges for every break in the sequence 1, 2, 3, ... in proportion to its size. So a year or
   page number wrapped to the start of a line (``1905. Howard``) continues its note, while a real
   gap, duplicate or misordered number is still read as a note and left to the numbering checks.
   A damaged label is read only as the number the sequence expects there.
3. **Note text.** A note runs from its label to the next note's line. Its text keeps the
   source's characters and line ends (``\\n``, ``\\r\\n`` or ``\\r`` as in the file), drops
   leading and trailing white space, and leaves out lines of OCR debris (quote-mark residue such
   as ``If``, ``tI``, ``II``, ``l``); each left-out line is listed in ``Edition.skipped``.
4. **Note calls.** Numbers glued to the end of a word or punctuation in the body (``.14``,
   ``"25``, ``Smirnov. 43``, ``1918.23``, ``193581`` for 1935 + call 81, damaged ``IS``) are
   aligned with the notes by a weighted longest increasing subsequence: calls run 1..N in order,
   so years and page numbers in prose fall out.

Every decision uses generic evidence (the sequence, the shape of lines, a table of OCR digit
confusions); nothing depends on the strings or note numbers of one edition.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from notecheck.models import Diagnostic, Edition, Note, NoteCall, Section, Skipped, Source, TextMap
from notecheck.readers import NO_BREAK_SPACES
from notecheck.rules.reading import NO_NOTES

#: Characters OCR commonly reads instead of a digit, and the digits they may stand for.
OCR_DIGITS: dict[str, tuple[str, ...]] = {
    "O": ("0",),
    "o": ("0",),
    "D": ("0",),
    "Q": ("0",),
    "l": ("1",),
    "I": ("1",),
    "i": ("1",),
    "|": ("1",),
    "!": ("1",),
    "Z": ("2",),
    "z": ("2",),
    "S": ("5", "8"),
    "s": ("5",),
    "b": ("6",),
    "G": ("6",),
    "T": ("7",),
    "B": ("8",),
    "g": ("9",),
    "q": ("9",),
}

#: Characters of the short lines OCR leaves where quote marks and page breaks were (``If``, ``tI``).
DEBRIS_CHARACTERS = frozenset("IlLi|!fFtjJ'\"`‘’“”„«»,.~^*_-·•:;")
_DEBRIS_MAX = 3

#: Abbreviations after which a number is a locator, not a note call (``p. 7``, ``art. 102``).
LOCATOR_ABBREVIATIONS = frozenset(
    "p pp art arts no nos vol vols ch chap chaps ed eds f ff op d l ll fol fols n nn fig figs sec secs "  # noqa: SIM905
    "sect para paras col cols t vyp kn g gg s str ca c cf vs pt pts bk bks ser tom".split()
)

_LEAD = " \t\ufeff\xa0"
#: A no-break space (``readers.NO_BREAK_SPACES``) reads as a space in a note, as in the other readers:
#: a text exported from a word processor ties ``f.\u00a017``. One character for one, so offsets hold.
_AS_SPACE = dict.fromkeys(map(ord, NO_BREAK_SPACES), " ")
_LABEL = re.compile(
    r"[ \t\ufeff\xa0]*(?:\[(?P<bracketed>\d{1,9}|[0-9A-Za-z|!]{1,5})\]|(?P<core>\d{1,9}|[0-9A-Za-z|!]{1,5})(?P<punct>[.)]))"
)
_NOTES_HEADING = re.compile(r"(?:end\s?notes|notes|notes\s+and\s+references)\s*:?", re.IGNORECASE)
_AFTER_NOTES_HEADING = re.compile(
    r"(?:bibliography|select\s+bibliography|references|works\s+cited|index)\s*:?", re.IGNORECASE
)
_DOCUMENT_HEADING = re.compile(r"document\s+(?P<number>\d{1,3}|[IVXLC]{1,7})\s*[.:]?", re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SENTENCE_END = frozenset(".!?)]\"'”’»:;")
_MAX_LABEL_VALUE = 999_999_999  # the contract's largest note number (10^9 - 1)

# Note-start scores: see _choose_starts.
_STRONG = 12
_WEAK = 1
_DAMAGED = 6
_GAP_COST = 3
_BACK_COST = 4

# Note-call shapes and their weights in the alignment (stronger evidence, higher weight).
# Each pattern starts with a character class and checks what precedes by a lookbehind after its
# first character, so a scan over a long line fails fast at almost every position.
_CALL_GLUED = re.compile(r"(?P<digits>\d(?<=[.,;:!?)\]\"'”’»]\d)\d{0,3})(?!\w)")
_CALL_SPACED = re.compile(r"(?P<digits>\d(?<=[.!?] \d)\d{0,2})(?=[ \t]+[A-Z\"“'‘(\[]|[ \t]*$)")
_CALL_COMMA = re.compile(r"(?P<digits>\d(?<=[A-Za-z'’], \d)\d{0,2})(?= [a-z])")
_CALL_WORD = re.compile(r"(?P<digits>\d(?<=[a-z]{3}\d)\d?)(?=[\s.,;:)]|$)")
_CALL_YEAR = re.compile(r"(?P<year>(?:1[5-9]|20)(?<![\w.,]..)\d\d)(?P<digits>[1-9]\d{0,2})(?!\w)")
_CALL_DAMAGED_SPACED = re.compile(
    r"(?P<digits>[IlSsOoBZzg](?:(?<=[.!?] .)|(?<=[.!?][\"'”’] .))[IlSsOoBZzg]{0,2})(?=[ \t]*$|[ \t]+[A-Z\"“])"
)
_CALL_DAMAGED_GLUED = re.compile(
    r"(?P<digits>[0-9IlSsOoBZzg](?<=[a-z][.,;:].)[0-9IlSsOoBZzg]{0,2})(?=[ \t]|$)"
)
_CALL_WORDS = frozenset({"I", "O", "o", "Is", "is", "So", "so", "SO", "lo", "Io", "go", "Go", "Oz", "OZ"})
_CALL_PATTERNS = (
    (_CALL_GLUED, "glued"),
    (_CALL_SPACED, "spaced"),
    (_CALL_COMMA, "comma"),
    (_CALL_WORD, "word"),
    (_CALL_YEAR, "year"),
    (_CALL_DAMAGED_SPACED, "damaged"),
    (_CALL_DAMAGED_GLUED, "damaged"),
)
#: At most this many calls are reported out of sequence (a body full of them is not prose).
MAX_STRAY_CALLS = 100
_STRAY_WINDOW = 2
_STRONG_CALL_KINDS = frozenset({"glued", "spaced"})
_CALL_WEIGHTS = {"glued": 4, "spaced": 3, "year": 3, "word": 2, "comma": 1, "damaged": 1}


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of the source: 1-based number, content offsets, and the offset after its line end."""

    number: int
    start: int
    end: int
    stop: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A line that begins with something that may be a note label."""

    line: int  # index into the line list
    label: str
    start: int  # source offsets of the label as printed
    end: int
    values: tuple[int, ...]
    damaged: bool
    style: str  # "." | ")" | "[]"
    weight: int


def read_source(source: Source) -> Edition:
    """Read a plain-text or OCR edition into sections, notes, skipped debris and note calls.

    Never raises for content: an empty file or a file without notes yields an edition with an
    NC103 diagnostic.

    Args:
        source: the decoded file.

    Returns:
        The edition, with ``format="text"``.
    """
    lines = _split_lines(source)
    region = _notes_region(lines)
    if region is None:
        reason = "the file is empty" if not source.text.strip() else _no_notes_reason(lines)
        return Edition(
            source=source,
            format="text",
            notes=(),
            sections=_sections(lines, len(lines), None),
            diagnostics=(_no_notes(source, reason),),
        )
    heading, first, stop, chosen = region
    notes, skipped = _build_notes(source, lines, first, stop, chosen)
    body_end = heading - 1 if heading is not None else first
    sections = _sections(lines, body_end, heading)
    calls = _find_calls(source, lines[:body_end], max(n.number or 0 for n in notes))
    return Edition(
        source=source,
        format="text",
        notes=tuple(notes),
        sections=sections,
        skipped=tuple(skipped),
        calls=tuple(calls),
    )


# --- lines and sections ---------------------------------------------------------------------------


def _split_lines(source: Source) -> list[_Line]:
    text = source.text
    if not text:
        return []
    starts = source.line_starts
    lines: list[_Line] = []
    for index, start in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else len(text)
        end = stop
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        if start == stop and index == len(starts) - 1:
            break  # the empty "line" after a final line end
        lines.append(_Line(index + 1, start, end, stop, text[start:end]))
    return lines


def _heading_match(pattern: re.Pattern[str], line: _Line) -> re.Match[str] | None:
    if len(line.text) > 80:
        return None
    return pattern.fullmatch(line.text.strip(_LEAD + " "))


def _sections(lines: Sequence[_Line], body_end: int, notes_heading: int | None) -> tuple[Section, ...]:
    """Body (from its first non-blank line), each ``Document N`` heading, and the notes heading.

    ``body_end`` and ``notes_heading`` are 1-based line numbers (the body is lines before).
    """
    sections: list[Section] = []
    first = next((line for line in lines[:body_end] if not line.blank), None)
    if first is not None and _heading_match(_DOCUMENT_HEADING, first) is None:
        title = first.text.strip(_LEAD)
        if len(title) > 60 or title[-1:] in ".,;":
            title = ""
        sections.append(Section("body", title, None, first.number))
    for line in lines[:body_end]:
        match = _heading_match(_DOCUMENT_HEADING, line)
        if match is not None:
            number = _roman_or_int(match["number"])
            sections.append(Section("document", line.text.strip(_LEAD), number, line.number))
    if notes_heading is not None:
        sections.append(Section("notes", lines[notes_heading - 1].text.strip(_LEAD), None, notes_heading))
    return tuple(sections)


def _roman_or_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    total = 0
    values = [_ROMAN[c] for c in text.upper()]
    for value, following in zip(values, [*values[1:], 0], strict=True):
        total += -value if value < following else value
    return total


# --- debris ---------------------------------------------------------------------------------------


def is_debris(text: str) -> bool:
    """Whether a whole line is OCR debris: 1-3 characters of quote-mark residue (``If``, ``tI``)."""
    stripped = text.strip(_LEAD)
    return 0 < len(stripped) <= _DEBRIS_MAX and all(c in DEBRIS_CHARACTERS for c in stripped)


#: A line that is only a page number.
_PAGE_NUMBER = re.compile(r"[ \t\xa0]*(\d{1,4})[ \t\xa0]*")
#: A page number at either end of a running head (``248 Reginald E. Zelnik``).
_FOLIO_ENDS = re.compile(r"^\d{1,4}\s+|\s+\d{1,4}$")
_FOLIO = re.compile(r"^(\d{1,4})\s|\s(\d{1,4})$")
#: A running head is a short line: at most this many characters, at least the minimum.
_HEAD_MAX, _HEAD_MIN = 80, 8
#: Consecutive page numbers of a run differ by at least 1 and at most this (a page OCR lost);
#: a run of page numbers alone on their lines is pagination from this many on.
_PAGE_STEP, _PAGE_RUN = 2, 3


def _head_key(stripped: str) -> str:
    """A short stripped line as a running head: without its page number and spacing, casefolded
    (only ever applied to lines of at most ``_HEAD_MAX`` characters, so it stays cheap)."""
    return " ".join(_FOLIO_ENDS.sub("", stripped).split()).casefold()


def _citation_shaped(stripped: str) -> bool:
    """Whether a short line reads as a citation: comma-separated parts (author, title, locator),
    at least three, or two whose last carries a number (``Kotkin, Magnetic Mountain, 72``)."""
    parts = [part.strip() for part in stripped.split(",")]
    if len(parts) < 2 or not all(parts):
        return False
    return len(parts) >= 3 or any(c.isdigit() for c in parts[-1])


def _page_furniture(lines: Sequence[_Line], first: int, stop: int) -> set[int]:
    """Indices of ``lines[first:stop]`` that are page furniture the OCR kept. When in doubt a line
    stays in its note: nothing is left out on the strength of its shape or of repeating alone.

    * A page number: a line that is only a number, next to a blank line (a page break), or one of
      a run of at least three page numbers of the file that rise one or two pages at a time (the
      numbers alone on a line and those at the ends of repeated lines, in line order), or next to
      a running head that is also a line outside the notes. Two years wrapped in two notes are not
      a run.
    * A running head: a short line that does not end a sentence or a clause, does not read as a
      citation, and, without its page number, is a whole line elsewhere in the file too; it must
      also be a line outside the notes or stand next to a page number. Two notes that wrap the
      same words, or the same short citation at different pages, are not heads.
    """
    counts: dict[str, int] = {}
    outside: set[str] = set()
    keys: dict[int, str] = {}
    for index, line in enumerate(lines):
        stripped = line.text.strip()
        if stripped and len(stripped) <= _HEAD_MAX:
            key = _head_key(stripped)
            counts[key] = counts.get(key, 0) + 1
            if first <= index < stop:
                keys[index] = key
            else:
                outside.add(key)
    # The page numbers of the file in line order: whole lines, and the ends of repeated lines.
    pages: list[tuple[int, int]] = []
    bare: set[int] = set()
    heads: dict[int, bool] = {}
    for index, line in enumerate(lines):
        if line.blank or len(line.text) > _HEAD_MAX:
            continue
        number = _PAGE_NUMBER.fullmatch(line.text)
        if number is not None:
            pages.append((index, int(number.group(1))))
            bare.add(index)
            continue
        stripped = line.text.strip()
        if first <= index < stop:
            key = keys[index]
            if not (
                len(key) >= _HEAD_MIN
                and counts.get(key, 0) >= 2
                and stripped[-1:] not in ".,;:"
                and _LABEL.match(stripped[:24]) is None
                and not _citation_shaped(stripped)
            ):
                continue
            heads[index] = key in outside
        folio = _FOLIO.search(stripped)
        if folio is not None and counts.get(_head_key(stripped), 0) >= 2 and not _citation_shaped(stripped):
            pages.append((index, int(folio.group(1) or folio.group(2))))
    # Runs of page numbers rising one or two pages at a time; a run of three or more is pagination.
    run_of: list[int] = []
    run_sizes: list[int] = []
    for position, (_, value) in enumerate(pages):
        if position and 0 < value - pages[position - 1][1] <= _PAGE_STEP:
            run_sizes[-1] += 1
        else:
            run_sizes.append(1)
        run_of.append(len(run_sizes) - 1)
    found: set[int] = set()
    for position, (index, _) in enumerate(pages):
        if not (first <= index < stop and index in bare):
            continue
        if (
            (index > 0 and lines[index - 1].blank)
            or (index + 1 < len(lines) and lines[index + 1].blank)
            or run_sizes[run_of[position]] >= _PAGE_RUN
            or heads.get(index - 1, False)
            or heads.get(index + 1, False)
        ):
            found.add(index)
    for index, outside_too in heads.items():
        if outside_too or index - 1 in found or index + 1 in found:
            found.add(index)
    return found


# --- candidates and the choice of note starts -----------------------------------------------------


def _label_values(core: str) -> tuple[tuple[int, ...], bool] | None:
    """The numbers a label core may stand for, and whether it is OCR-damaged; None if no label."""
    if core.isdigit():
        value = int(core)
        return ((value,), False) if 0 < value <= _MAX_LABEL_VALUE else None
    if len(core) > 3 or not all(c.isdigit() or c in OCR_DIGITS for c in core):
        return None
    readings = [""]
    for c in core:
        readings = [r + d for r in readings for d in (c if c.isdigit() else OCR_DIGITS[c])]
    values = tuple(sorted({int(r) for r in readings if r[0] != "0"}))
    return (values, True) if values else None


def _candidate(lines: Sequence[_Line], index: int, paragraph: bool) -> _Candidate | None:
    """The label candidate at the start of ``lines[index]``, if any."""
    line = lines[index]
    match = _LABEL.match(line.text[:24])
    if match is None:
        return None
    core = match["bracketed"] or match["core"]
    style = "[]" if match["bracketed"] else match["punct"]
    read = _label_values(core)
    if read is None:
        return None
    values, damaged = read
    rest = line.text[match.end() :]
    standalone = not rest.strip()
    spaced = rest[:1] in (" ", "\t", "\xa0")
    capital = rest.lstrip(" \t\xa0")[:1]
    follows_well = capital.isupper() or capital in "\"“'‘([" or capital.isdigit()
    if damaged:
        # A damaged label must look like a label: a paragraph start, alone or before a capital.
        if not (paragraph and (standalone or (spaced and follows_well))):
            return None
        weight = _DAMAGED
    else:
        if not (standalone or spaced or (follows_well and not capital.isdigit())):
            return None  # "1.5" or "12.b": not a label
        weight = _STRONG if paragraph else _WEAK
    start = match.start("bracketed") - 1 if match["bracketed"] else match.start("core")
    label = line.text[start : match.end()]
    return _Candidate(
        index, label, line.start + start, line.start + match.end(), values, damaged, style, weight
    )


def _scan(lines: Sequence[_Line]) -> list[_Candidate]:
    """Label candidates of every line, with their paragraph evidence (computed once per file)."""
    found: list[_Candidate] = []
    paragraph = True  # the first line of the file begins a paragraph
    for index, line in enumerate(lines):
        if line.blank:
            paragraph = True
            continue
        # A label is tried before debris: "l." alone on a line may be note 1 (the choice of
        # note starts decides; an unchosen one is left out as debris when the notes are built).
        candidate = _candidate(lines, index, paragraph)
        if candidate is not None:
            found.append(candidate)
        elif is_debris(line.text):
            paragraph = True
            continue
        paragraph = line.text.rstrip(_LEAD)[-1:] in _SENTENCE_END
    return found


def _candidates(
    lines: Sequence[_Line], scanned: Sequence[_Candidate], first: int, stop: int
) -> list[_Candidate]:
    """The candidates of ``lines[first:stop]``; the region's first text line begins a paragraph."""
    keys = [c.line for c in scanned]
    found = list(scanned[bisect_left(keys, first) : bisect_left(keys, stop)])
    for opening in range(first, stop):
        if lines[opening].blank:
            continue
        candidate = _candidate(lines, opening, True)
        if found and found[0].line == opening:
            found.pop(0)
        if candidate is not None:
            found.insert(0, candidate)
        if candidate is not None or not is_debris(lines[opening].text):
            break
    return _weigh_styles(found)


def _weigh_styles(found: list[_Candidate]) -> list[_Candidate]:
    """Candidates in a label style other than the prevailing one count for a quarter."""
    counts: dict[str, int] = {}
    for c in found:
        if c.weight == _STRONG:
            counts[c.style] = counts.get(c.style, 0) + 1
    if len(counts) < 2:
        return found
    main = max(counts, key=lambda style: counts[style])
    return [c if c.style == main else replace(c, weight=max(1, c.weight // 4)) for c in found]


class _MaxTree:
    """A Fenwick tree of (score, state) maxima over positions 1..size; values only ever grow."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.tree: list[tuple[float, int]] = [(float("-inf"), -1)] * (size + 1)

    def update(self, position: int, item: tuple[float, int]) -> None:
        while position <= self.size:
            if item[0] > self.tree[position][0]:
                self.tree[position] = item
            position += position & -position

    def query(self, position: int) -> tuple[float, int]:
        """The maximum over positions 1..position."""
        best: tuple[float, int] = (float("-inf"), -1)
        position = min(position, self.size)
        while position > 0:
            if self.tree[position][0] > best[0]:
                best = self.tree[position]
            position -= position & -position
        return best


def _choose_starts(candidates: Sequence[_Candidate]) -> list[tuple[_Candidate, int]]:
    """The candidates that start notes, with the number each is read as.

    A path through the candidates scores the sum of their weights minus the cost of each break in
    the sequence: nothing for ``n -> n+1``, ``3 + g`` for a gap of ``g`` missing numbers (also
    before the first note, counted from 0), ``4 + k`` for going back ``k`` (a duplicate is
    ``k = 0``). Costs grow with the size of the break, so a wrapped year (``1905.``) or page
    (``217.``) costs far more than it brings, while a real gap or duplicate near the expected
    number is cheaper than dropping a paragraph-initial label. The best path is found in
    ``O(n log V)`` with Fenwick trees over the values.
    """
    if not candidates:
        return []
    # The trees are indexed by rank among the candidates' values (coordinate compression), so a
    # label of 10^9 costs no more memory than a label of 9.
    ranked = sorted({value for c in candidates for value in c.values})
    rank = {value: position for position, value in enumerate(ranked, start=1)}
    size = len(ranked)
    # best[u]: the best path ending in number u; prefix tree of best+u (gaps); suffix of best-u (back).
    best: dict[int, tuple[float, int]] = {}
    gap_tree = _MaxTree(size)
    back_tree = _MaxTree(size)  # position size+1-rank(u)
    states: list[tuple[int, int, int]] = []  # (candidate index, value, previous state)
    scores: list[float] = []
    for index, candidate in enumerate(candidates):
        found: list[tuple[int, float, int]] = []
        for value in candidate.values:
            options: list[tuple[float, int]] = [(-(_GAP_COST + value - 1) if value > 1 else 0.0, -1)]
            if value - 1 in best:
                options.append(best[value - 1])
            # Values <= value - 2 (a gap): ranks up to the last value below value - 1.
            score, state = gap_tree.query(bisect_right(ranked, value - 2))
            if state >= 0:
                options.append((score - value - (_GAP_COST - 1), state))
            # Values >= value (going back, or a duplicate): the suffix from value's rank.
            score, state = back_tree.query(size + 1 - rank[value])
            if state >= 0:
                options.append((score + value - _BACK_COST, state))
            score, previous = max(options, key=lambda option: option[0])
            found.append((value, score + candidate.weight, previous))
        for value, score, previous in found:
            states.append((index, value, previous))
            scores.append(score)
            state = len(states) - 1
            if score > best.get(value, (float("-inf"), -1))[0]:
                best[value] = (score, state)
                gap_tree.update(rank[value], (score + value, state))
                back_tree.update(size + 1 - rank[value], (score - value, state))
    state = max(range(len(states)), key=lambda s: (scores[s], -s))
    path: list[tuple[_Candidate, int]] = []
    while state >= 0:
        index, value, previous = states[state]
        path.append((candidates[index], value))
        state = previous
    path.reverse()
    return path


# --- the notes region -----------------------------------------------------------------------------


def _notes_region(
    lines: Sequence[_Line],
) -> tuple[int | None, int, int, list[tuple[_Candidate, int]]] | None:
    """(heading line number or None, first index, stop index, chosen starts), or None if no notes."""
    scanned = _scan(lines)
    headings = [i for i, line in enumerate(lines) if _heading_match(_NOTES_HEADING, line)]
    for heading in reversed(headings):
        stop = _region_stop(lines, heading + 1)
        chosen = _choose_starts(_candidates(lines, scanned, heading + 1, stop))
        if chosen:
            return lines[heading].number, heading + 1, stop, chosen
    first = _longest_run_start(scanned)
    if first is None:
        return None
    while first > 0 and (lines[first - 1].blank or is_debris(lines[first - 1].text)):
        first -= 1  # debris just before the first note belongs to the notes (and is skipped)
    stop = _region_stop(lines, first)
    chosen = _choose_starts(_candidates(lines, scanned, first, stop))
    return (None, first, stop, chosen) if chosen else None


def _region_stop(lines: Sequence[_Line], first: int) -> int:
    """The index where the notes end: a Bibliography/References/Index heading line, or the end."""
    for index in range(first, len(lines)):
        if _heading_match(_AFTER_NOTES_HEADING, lines[index]):
            return index
    return len(lines)


def _longest_run_start(scanned: Sequence[_Candidate]) -> int | None:
    """Without a notes heading: the first line of the longest run of sequentially numbered lines.

    A run starts at a plain label 1, 2 or 3 that begins a paragraph (labels just before it that
    read as the numbers below it are taken in) and is continued by a label within a few
    numbers of the one it expects (gaps and duplicates allowed). Ties go to the later run (notes
    follow the body).
    """
    runs: list[list[int]] = []  # [first line index, length, expected]
    waiting: dict[int, int] = {}  # expected number -> run
    for candidate in scanned:
        if candidate.damaged:
            continue
        value = candidate.values[0]
        run = next(
            (waiting[e] for e in (value, value - 1, value + 1, value - 2, value - 3) if e in waiting), None
        )
        if run is not None:
            del waiting[runs[run][2]]
            runs[run][1] += 1
            runs[run][2] = value + 1
            waiting[value + 1] = run
        elif value <= 3 and candidate.weight == _STRONG:
            runs.append([candidate.line, 1, value + 1])
            waiting[value + 1] = len(runs) - 1
    if not runs:
        # A lone damaged first label ("l. Zelnik, ...") is still a run of one.
        return next((c.line for c in scanned if c.damaged and 1 in c.values and c.weight), None)
    best = max(range(len(runs)), key=lambda r: (runs[r][1], r))
    first = runs[best][0]
    # Labels shortly before the run that count down to 1 (a damaged "l.", a "2." after an
    # unfinished line; a wrapped year may stand between) belong to it.
    position = bisect_left([c.line for c in scanned], first)
    value = scanned[position].values[0]
    while value > 1:
        below = next(
            (p for p in range(position - 1, max(-1, position - 9), -1) if value - 1 in scanned[p].values),
            None,
        )
        if below is None:
            break
        position, value = below, value - 1
    return scanned[position].line


# --- notes ----------------------------------------------------------------------------------------


def _build_notes(
    source: Source,
    lines: Sequence[_Line],
    first: int,
    stop: int,
    chosen: Sequence[tuple[_Candidate, int]],
) -> tuple[list[Note], list[Skipped]]:
    notes: list[Note] = []
    skipped: list[Skipped] = []
    furniture = _page_furniture(lines, first, stop)
    for index in range(first, chosen[0][0].line):
        line = lines[index]
        if not line.blank:
            reason = "OCR debris" if is_debris(line.text) else "text before the first note"
            skipped.append(_skip(source, line, reason))
    for position, (candidate, value) in enumerate(chosen):
        end_index = chosen[position + 1][0].line if position + 1 < len(chosen) else stop
        pieces: list[tuple[int, int]] = [(candidate.end, lines[candidate.line].stop)]
        for index in range(candidate.line + 1, end_index):
            line = lines[index]
            if is_debris(line.text):
                skipped.append(_skip(source, line, "OCR debris"))
            elif index in furniture:
                skipped.append(_skip(source, line, "page number or running head"))
            else:
                pieces.append((line.start, line.stop))
        text, text_map = _assemble(source.text, pieces)
        label_line = lines[candidate.line].number
        last = text_map.to_source(len(text), end=True) - 1 if text else candidate.end - 1
        notes.append(
            Note(
                index=position + 1,
                number=value,
                label=candidate.label,
                text=text,
                source=source,
                text_map=text_map,
                line=label_line,
                end_line=max(label_line, source.position(max(0, last))[0]),
                label_span=source.span(candidate.start, candidate.end),
            )
        )
    return notes, skipped


def _skip(source: Source, line: _Line, reason: str) -> Skipped:
    text = line.text.strip(_LEAD)
    start = line.start + (len(line.text) - len(line.text.lstrip(_LEAD)))
    return Skipped(source.span(start, start + len(text)), reason, text)


def _assemble(text: str, pieces: Iterable[tuple[int, int]]) -> tuple[str, TextMap]:
    """Concatenate source ranges (merging adjacent ones), trimmed of white space at both ends."""
    merged: list[list[int]] = []
    for start, end in pieces:
        if merged and merged[-1][1] == start:
            merged[-1][1] = end
        elif end > start:
            merged.append([start, end])
    while merged and not text[merged[0][0] : merged[0][1]].strip():
        merged.pop(0)
    while merged and not text[merged[-1][0] : merged[-1][1]].strip():
        merged.pop()
    if not merged:
        return "", TextMap(())
    head = merged[0]
    while text[head[0]].isspace():
        head[0] += 1
    tail = merged[-1]
    while text[tail[1] - 1].isspace():
        tail[1] -= 1
    parts: list[str] = []
    map_pieces: list[tuple[int, int, int, int]] = []
    offset = 0
    for start, end in merged:
        parts.append(text[start:end])
        map_pieces.append((offset, start, end - start, end - start))
        offset += end - start
    return "".join(parts).translate(_AS_SPACE), TextMap(tuple(map_pieces))


def _no_notes(source: Source, reason: str) -> Diagnostic:
    """NC103 with the reason the reader found nothing (the rule's template has no reason field)."""
    diagnostic = NO_NOTES.at(source.span(0, 0), path=source.path)
    return replace(diagnostic, message=f"{diagnostic.message}: {reason}")


def _no_notes_reason(lines: Sequence[_Line]) -> str:
    headings = [line.number for line in lines if _heading_match(_NOTES_HEADING, line)]
    if headings:
        return f"no numbered note follows the notes heading at line {headings[-1]}"
    return "no line begins with a note number such as 1., 1) or [1]"


# --- note calls -----------------------------------------------------------------------------------


def _call_candidates(line: _Line, limit: int) -> list[tuple[int, int, str, tuple[int, ...], str]]:
    """(start, end, label, values, kind) of the possible note calls on one body line."""
    found: list[tuple[int, int, str, tuple[int, ...], str]] = []
    text = line.text
    offset = line.start
    width = len(str(limit))
    for pattern, kind in _CALL_PATTERNS:
        for match in pattern.finditer(text):
            digits = match["digits"]
            start = match.start("digits")
            if kind == "damaged":
                read = _label_values(digits)
                if read is None or not read[1] or (text[start - 1 : start] == " " and digits in _CALL_WORDS):
                    continue
                values = tuple(v for v in read[0] if v <= limit)
            else:
                if len(digits) > width or digits[0] == "0":
                    continue
                if (
                    kind == "glued"
                    and len(digits) == 3
                    and text[start - 1] in ",.:"
                    and text[start - 2 : start - 1].isdigit()
                ):
                    continue  # 12,000 or 1.500: a number, not a call
                if kind == "spaced" and _abbreviation_before(text, start - 2):
                    continue
                values = (int(digits),) if int(digits) <= limit else ()
            if values:
                found.append((offset + start, offset + start + len(digits), digits, values, kind))
    found.sort()
    return found


def _following_values(count: int, chosen: dict[int, int], end: int) -> list[int]:
    """For each candidate index, the value of the next aligned call after it (``end`` if none)."""
    following = [end] * count
    upcoming = end
    for index in range(count - 1, -1, -1):
        following[index] = upcoming
        if index in chosen:
            upcoming = chosen[index]
    return following


def _abbreviation_before(text: str, dot: int) -> bool:
    """Whether the word ending at ``text[dot]`` (a period) is a locator abbreviation or an initial."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].rstrip(".").lower()
    return len(word) <= 1 or word in LOCATOR_ABBREVIATIONS


def _find_calls(source: Source, lines: Sequence[_Line], notes: int) -> list[NoteCall]:
    """Note calls in the body ``lines``, aligned with notes numbered 1..``notes``.

    The alignment is a weighted longest strictly increasing subsequence over the possible calls
    (a damaged ``IS`` may be 15 or 18: it takes whichever fits). Calls of a strong shape (digits
    glued to punctuation, or after a sentence end) that do not fit but lie within two numbers of
    the aligned calls around them are returned with ``in_sequence=False`` (at most
    ``MAX_STRAY_CALLS``); other numbers that do not fit are ordinary numbers (decimals, dates).
    """
    if notes <= 0:
        return []
    candidates = [c for line in lines for c in _call_candidates(line, notes)]
    if not candidates:
        return []
    # The tree is indexed by rank among the candidates' values, so its size does not depend on
    # how large the note numbers are.
    ranked = sorted({value for *_, values, _ in candidates for value in values})
    rank = {value: position for position, value in enumerate(ranked, start=1)}
    tree = _MaxTree(len(ranked))
    states: list[tuple[int, int, int]] = []  # (candidate, value, previous state)
    scores: list[int] = []
    for index, (_, _, _, values, kind) in enumerate(candidates):
        weight = _CALL_WEIGHTS[kind]
        found = []
        for value in values:
            score, previous = tree.query(bisect_left(ranked, value))  # values below this one
            found.append((value, (score if previous >= 0 else 0) + weight, previous))
        for value, score, previous in found:
            states.append((index, value, previous))
            scores.append(int(score))
            tree.update(rank[value], (score, len(states) - 1))
    state = max(range(len(states)), key=lambda s: (scores[s], -s))
    chosen: dict[int, int] = {}
    while state >= 0:
        index, value, previous = states[state]
        chosen[index] = value
        state = previous
    calls: list[NoteCall] = []
    previous_value, strays = 0, 0
    following = _following_values(len(candidates), chosen, notes + 1)
    for index, (start, end, label, values, kind) in enumerate(candidates):
        if index in chosen:
            previous_value = chosen[index]
            calls.append(NoteCall(previous_value, label, source.span(start, end)))
        elif (
            kind in _STRONG_CALL_KINDS
            and strays < MAX_STRAY_CALLS
            and previous_value - _STRAY_WINDOW <= values[0] <= following[index] + _STRAY_WINDOW
        ):
            strays += 1
            calls.append(NoteCall(values[0], label, source.span(start, end), in_sequence=False))
    return calls
