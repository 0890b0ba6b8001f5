"""Stage split: locators — the locator grammar walked by its compiled terms (pyparsing where
those decline), the plain-pages fast path, Chicago range expansion, roman numerals."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from notecheck import grammar as g
from notecheck.models import Locator
from notecheck.split.records import _Located
from notecheck.split.text import (
    _ESP,
    _LOCATOR_MARGIN,
    _LOCATOR_START,
    _MAX_LOCATOR,
    _RANGE,
    _ROMAN_RANGE,
    _SEPARATOR_TERM,
    _located,
)


def _expand(first: str, last: str | None) -> tuple[int, int]:
    """An inclusive range with its end expanded by the Chicago rule: 387-91 -> (387, 391)."""
    low = int(first)
    if last is None:
        return low, low
    if len(last) < len(first):
        return low, int(first[: len(first) - len(last)] + last)
    return low, int(last)


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_to_int(numeral: str) -> int:
    """The value of a lower-case roman numeral (``xi`` -> 11)."""
    total = 0
    values = [_ROMAN[c] for c in numeral.lower()]
    for index, value in enumerate(values):
        total += -value if index + 1 < len(values) and values[index + 1] > value else value
    return total


@dataclass
class _Reading:
    """What the runs of one locator have said so far (see :func:`_locator_from`)."""

    kind: str | None = None
    label: str | None = None
    volume: str | None = None
    damaged: bool = False
    verso: bool = False
    items: int = 0
    ranges: list[tuple[int, int]] = field(default_factory=list)
    notes: list[tuple[int, int]] = field(default_factory=list)
    backward: list[tuple[int, int, int, int]] = field(default_factory=list)

    def first_run(self, run: _Run) -> None:
        """The first run gives the kind, the label as printed and the volume."""
        self.kind = run.kind
        self.label = run.groups.get("label") or None
        self.damaged = run.kind == "leaf" and self.label not in ("l.", "ll.")
        self.volume = run.groups.get("volume") or run.groups.get("roman_volume") or None

    def item(self, item: str, lead: int, start: int, run_kind: str) -> None:
        """One item of a run (``387-91``, ``447 n. 59``, ``xi``) printed at note offset ``start``."""
        self.items += 1
        number = _RANGE.match(item, lead)
        if number is None:
            roman = _ROMAN_RANGE.match(item, lead)
            if roman is not None:
                first = roman_to_int(roman.group("rfirst"))
                last = roman_to_int(roman.group("rlast")) if roman.group("rlast") else first
                if last < first:
                    self.backward.append((start, start + roman.end() - lead, first, last))
            return
        pair = _expand(number.group("first"), number.group("last"))
        if pair[1] < pair[0]:
            self.backward.append((start, start + len(number.group().rstrip()), pair[0], pair[1]))
        if number.group("verso"):
            self.verso = True
        note = _NOTE_AFTER_PAGE.match(item[number.end() :])
        if note is not None:
            self.notes.append(_expand(note.group("first"), note.group("last")))
        if run_kind == self.kind:
            self.ranges.append(pair)
        elif run_kind == "note":
            self.notes.append(pair)


def _locator_from(
    runs: Sequence[_Run | str], text: str, offset: int
) -> tuple[Locator | None, tuple[tuple[int, int, int, int], ...]]:
    """A :class:`Locator` from the grammar's runs; ``offset`` is the note offset of the parsed piece.

    The first run gives the kind, label and volume; ranges are those of the runs of that kind
    (a page item with a note number, ``447 n. 59``, alone makes the kind ``note``).
    """
    reading = _Reading()
    for run in runs:
        if isinstance(run, str):
            continue  # esp.
        if reading.kind is None:
            reading.first_run(run)
        numbers = run.groups.get("numbers") or ""
        if not numbers:
            continue
        run_start = offset + run.start
        base = run_start + text[run_start : offset + run.end].rfind(numbers)
        for piece in _ITEM.finditer(numbers):
            item = piece.group()
            lead = len(item) - len(item.lstrip())
            reading.item(item, lead, base + piece.start() + lead, run.kind)
    if reading.kind is None:
        return None, ()
    kind = "note" if reading.kind == "page" and reading.notes and reading.items == 1 else reading.kind
    locator = Locator(
        text=text[offset:offset],
        kind=kind,
        ranges=tuple(reading.ranges),
        verso=reading.verso,
        label=reading.label if isinstance(reading.label, str) else None,
        volume=reading.volume if isinstance(reading.volume, str) else None,
        notes=tuple(reading.notes),
        damaged=reading.damaged,
    )
    return locator, tuple(reading.backward)


_ITEM = re.compile(r"[^,]+")
_NOTE_AFTER_PAGE = re.compile(rf"\s*nn?\.?\s*({_RANGE.pattern})")


def read_locator(text: str, start: int, end: int, *, leaf_context: bool) -> _Located | None:
    """The locator of ``text`` starting at ``start`` (after spaces) and read no further than
    ``end``: the locator (offsets in ``text``), its backward ranges and where it ends.

    Reads at most ``_MAX_LOCATOR`` characters; a parse that ends within ``_LOCATOR_MARGIN`` of
    that cap might run on past it, so it is not a locator. The answer depends only on the text
    read, so it is remembered by that text (notes repeat their locators: ``12.``, ``chap. 3.``).
    """
    limit = start + _MAX_LOCATOR
    if end < limit:
        limit = end
    found = _locator_in(text[start:limit], leaf_context, limit < end)
    if found is None or not start:
        return found
    locator, backward, stop = found
    if backward:
        backward = tuple((start + a, start + b, first, last) for a, b, first, last in backward)
    return _shifted(locator, start), backward, start + stop


@lru_cache(maxsize=4096)
def _locator_in(piece: str, leaf_context: bool, capped: bool) -> _Located | None:
    """:func:`read_locator` at the start of ``piece`` (offsets in ``piece``)."""
    if not _LOCATOR_START.match(piece):
        return None
    found = plain_pages(piece)
    if found is not None:
        locator, backward = found
        return locator, backward, locator.end
    located = _locator_by_grammar(piece, leaf_context=leaf_context)
    if located is not None and capped and located[2] > len(piece) - _LOCATOR_MARGIN:
        return None  # it may run on past the cap: longer than any locator, so none
    return located


def _locator_by_grammar(piece: str, *, leaf_context: bool) -> _Located | None:
    """The locator at the start of ``piece`` by the locator grammar (no plain-pages fast path),
    walked by its compiled terms (:func:`scan_locator`), or by pyparsing where those decline."""
    scanned = scan_locator(piece, leaf_context=leaf_context)
    if scanned is None:
        return None
    items, locn_start, locn_end = scanned
    loc_end = locn_start + len(piece[locn_start:locn_end].rstrip())
    if locn_start != len(piece) - len(piece.lstrip()):
        return None
    locator, backward = _locator_from(items, piece, 0)
    if locator is None:
        return None
    return (
        replace(locator, text=piece[locn_start:loc_end], start=locn_start, end=loc_end),
        backward,
        loc_end,
    )


def _shifted(locator: Locator, offset: int) -> Locator:
    """The same locator with its offsets moved by ``offset``."""
    # positional, in the order of Locator's fields (fields are only ever appended, with defaults)
    return Locator(
        locator.text,
        locator.kind,
        locator.ranges,
        locator.verso,
        locator.start + offset,
        locator.end + offset,
        locator.label,
        locator.volume,
        locator.notes,
        locator.damaged,
    )


@dataclass(frozen=True, slots=True)
class _Run:
    """One run of a locator: its kind, its offsets in the parsed piece and its named groups."""

    kind: str
    start: int
    end: int
    groups: Mapping[str, str | None]


_Scanned = tuple[list[_Run | str], int, int]  # the runs (and "esp." strings), locator start, end


_PP_WHITE = re.compile(r"[ \n\r\t]*")  # pyparsing's default whitespace


_RUN_GROUPS = ("label", "numbers", "volume", "roman_volume", "volume_label", "passim")


@cache
def _locator_terms(
    leaf_context: bool,
) -> tuple[tuple[tuple[str, re.Pattern[str]], ...], re.Pattern[str], re.Pattern[str]]:
    runs = g.LEAF_RUN_TERMS if leaf_context else g.PRINT_RUN_TERMS
    return tuple((kind, term.re) for kind, term in runs), _ESP, _SEPARATOR_TERM


def scan_locator(piece: str, *, leaf_context: bool) -> _Scanned | None:
    """The locator at the start of ``piece``: its runs, where it starts and where it ends.

    Walks :data:`notecheck.grammar.LOCATOR` (or ``LEAF_LOCATOR``) the way pyparsing does —
    whitespace skipped before every term, ordered choice among the runs, ``esp.`` optional,
    the repetition ending at the first separator not followed by a run — over the grammar's own
    compiled terms, without building parse results. A piece holding a tab goes to pyparsing,
    which expands tabs before parsing. ``tests/test_grammar.py`` checks that the two agree.
    """
    if "\t" in piece:
        return _scan_locator_pyparsing(piece, leaf_context=leaf_context)
    runs, esp, separator = _locator_terms(leaf_context)
    white = _PP_WHITE
    items: list[_Run | str] = []
    start = white.match(piece).end()  # type: ignore[union-attr]
    at = _run_at(piece, start, runs, esp, items)
    if at < 0:
        return None
    # The repetition skips the spaces before it; with no separator and run after them, the
    # locator ends after those spaces (pyparsing's ZeroOrMore keeps its pre-parsed position).
    end = white.match(piece, at).end()  # type: ignore[union-attr]
    while True:
        sep = separator.match(piece, white.match(piece, at).end())  # type: ignore[union-attr]
        if sep is None:
            break
        kept = len(items)
        after = _run_at(piece, sep.end(), runs, esp, items)
        if after < 0:
            del items[kept:]
            break
        at = end = after
    return items, start, end


def _run_at(
    piece: str,
    at: int,
    runs: tuple[tuple[str, re.Pattern[str]], ...],
    esp: re.Pattern[str],
    items: list[_Run | str],
) -> int:
    """One ``[esp.] run`` at ``at``; its end, or -1 (``items`` may then hold an ``esp.``)."""
    at = _PP_WHITE.match(piece, at).end()  # type: ignore[union-attr]
    found = esp.match(piece, at)
    if found is not None:
        items.append(found.group())
        at = _PP_WHITE.match(piece, found.end()).end()  # type: ignore[union-attr]
    for kind, pattern in runs:
        match = pattern.match(piece, at)
        if match is not None:
            items.append(_Run(kind, at, match.end(), match.groupdict()))
            return match.end()
    return -1


def _scan_locator_pyparsing(piece: str, *, leaf_context: bool) -> _Scanned | None:
    """:func:`scan_locator` by pyparsing itself (the reference the compiled walk must agree with)."""
    import pyparsing as pp

    expr = _located("LEAF_LOCATOR" if leaf_context else "LOCATOR")
    try:
        located = expr.parse_string(piece)
    except pp.ParseException:
        return None
    items: list[_Run | str] = []
    for run in located.value.runs:
        if isinstance(run, str):
            items.append(run)
            continue
        values = run.run.value
        groups = {name: values.get(name) for name in _RUN_GROUPS}
        items.append(_Run(run.kind, run.run.locn_start, run.run.locn_end, groups))
    return items, located.locn_start, located.locn_end


_PLAIN_RANGE = r"(?P<first>\d+)(?:\s*[-–—‐‑]\s*(?P<last>\d+))?"


_PLAIN_PAGES = re.compile(r"\s*(?:\d+(?:\s*[-–—‐‑]\s*\d+)?\s*,\s*)*\d+(?:\s*[-–—‐‑]\s*\d+)?(?!\d)")


_PLAIN_ITEM = re.compile(_PLAIN_RANGE)


_PLAIN_END = re.compile(
    r"\s*(?:$|[;)]|\.(?!\s*\d)|,(?!\s*(?:[\divxlcIVXL(]|and\s|esp|p|n|l|ch|vol|passim|ob|fig|table|sec)))"
)


def plain_pages(piece: str) -> tuple[Locator, tuple[tuple[int, int, int, int], ...]] | None:
    """The fast path for the commonest locator, plain pages and ranges (``60, 140, 168-169``).

    Returns None unless the grammar would read exactly these numbers and stop where they stop
    (nothing locator-like follows); ``tests/test_grammar.py`` checks that the two agree.
    Offsets are relative to ``piece``.
    """
    match = _PLAIN_PAGES.match(piece)
    if match is None or not _PLAIN_END.match(piece, match.end()):
        return None
    ranges: list[tuple[int, int]] = []
    backward: list[tuple[int, int, int, int]] = []
    for item in _PLAIN_ITEM.finditer(piece, 0, match.end()):
        pair = _expand(item.group("first"), item.group("last"))
        if pair[1] < pair[0]:
            backward.append((item.start(), item.end(), pair[0], pair[1]))
        ranges.append(pair)
    start = len(piece) - len(piece.lstrip())
    locator = Locator(piece[start : match.end()], "page", tuple(ranges), start=start, end=match.end())
    return locator, tuple(backward)
