"""Stage parse (grammar): the pyparsing grammar of archival references; imports only pyparsing.

The grammar reads references in the convention for Russian and Soviet archives::

    RTsKhIDNI, f. 17 (Tsentral'nyi Komitet), op. 100, d. 134977, ll. 3-6, 9 ob. (1921)
    and f. 124, op. 1, ed. khr. 816, l. 13

It is deliberately lenient: it accepts the OCR damage the checker later reports (``Ope`` for
``op.``, ``11.``/``n.`` for ``ll.``, ``1.``/``I.`` for ``l.``, ``00. khr.`` for ``ed. khr.``,
lost spaces as in ``134977,1.47``), and fields in any order, so that every problem becomes a
diagnostic instead of a missed reference. Every printed piece comes out as a :class:`Lexeme`
with its offsets; ``notecheck.archival`` builds the dataclasses from them. The BNF is in
``docs/archival.md``.

Nothing is built at import: :func:`reference_grammar` builds (and caches) the grammar for one
tuple of repository acronyms on first use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyparsing as pp

# Roles of the printed pieces, in the canonical order of a reference.
ARCHIVE = "archive"
FOND = "fond"
FOND_VALUE = "fond.value"
NAME = "name"
OPIS = "opis"
OPIS_VALUE = "opis.value"
DELO = "delo"
EDKHR = "edkhr"
UNIT_VALUE = "unit.value"
LEAF = "leaf"
LEAF_VALUE = "leaf.value"
LEAF_TO = "leaf.to"  # the end of a range whose start has a verso: the ``-4`` of ``3 ob.-4``
VERSO = "verso"
DATE = "date"

#: Roles that are abbreviations (as opposed to values).
ABBREVIATIONS = frozenset({FOND, OPIS, DELO, EDKHR, LEAF, VERSO})

# Token patterns. Each abbreviation pattern includes its OCR-damaged family and looks ahead for
# its value, so a lone ``Op`` or ``I.`` in prose is never taken for a field.
_VALUE_AHEAD = r"(?=\s*(?:[A-Z]{1,2}-?)?\d)"
_DIGIT_AHEAD = r"(?=\s*\d)"
FOND_PATTERN = r"(?<![\w.])[fF][.,]?" + _VALUE_AHEAD
FOND_STRICT_PATTERN = r"(?<![\w.])[fF]\." + _VALUE_AHEAD
OPIS_PATTERN = r"(?<![\w.])[oO0]p(?:e\.?|[.,])?" + _DIGIT_AHEAD
EDKHR_PATTERN = (
    r"(?<![\w.])(?:[eE]d|[eE]\.d|cd|ccl|ecl|00|0d|o0|od|eo|e0)[.,]?\s{0,3}k(?:h|b|li)r[.,]?" + _VALUE_AHEAD
)
DELO_PATTERN = r"(?<![\w.])(?:[dD]|cl)[.,]?" + _VALUE_AHEAD
LEAF_PATTERN = r"(?<![\w.])(?:[lI1|L][lI1|]?|n)\." + _DIGIT_AHEAD
VERSO_PATTERN = r"(?<![A-Za-z])(?:ob|0b)\.?(?![A-Za-z])"
FOND_VALUE_PATTERN = r"(?:[A-Z]{1,2}-?)?\d{1,6}[a-zA-Z]?(?![\w])"
OPIS_VALUE_PATTERN = r"\d{1,5}[a-zA-Z]?(?![\w])"
UNIT_VALUE_PATTERN = r"(?:[A-Z]{1,2}-?)?\d{1,7}[a-zA-Z]?(?![\w])"
LEAF_VALUE_PATTERN = r"\d{1,6}(?:\s{0,2}[-\u2013\u2014]\s{0,2}\d{1,6})?(?![\d])"
LEAF_TO_PATTERN = r"[-\u2013\u2014]\s{0,2}\d{1,6}(?![\d])"
DATE_PATTERN = (
    r"\(\s*(?:(?:ca?\.\s*)?(?:\d{1,2}\s+)?(?:[A-Z][a-z]{2,8}\.?\s+)?\d{4}"
    r"(?:\s*[-\u2013]\s*\d{2,4})?\??|n\.\s?d\.)\s*\)"
)
# A name in parentheses after the fond: nested parentheses allowed one deep; an OCR-lost closing
# parenthesis is tolerated when the next field follows (``... VKP[b», Ope 1``). Bounded, so the
# scan stays linear.
_NEXT_FIELD = "(?:" + "|".join((OPIS_PATTERN, EDKHR_PATTERN, DELO_PATTERN)) + ")"
NAME_PATTERN = r"\((?:[^()]|\([^()]{0,80}\)){1,400}?(?:\)|(?=,?\s*" + _NEXT_FIELD + "))"


MAX_LEAF_ITEMS = 100
MAX_FIELDS = 8


@dataclass(frozen=True, slots=True)
class Lexeme:
    """One printed piece of a reference: its role, its text as printed, its offsets.

    Example: ``Lexeme("opis", "Ope", 31, 34)``.
    """

    role: str
    text: str
    start: int
    end: int


def _lexeme(role: str, pattern: str, name: str) -> pp.ParserElement:
    """A token of ``role``: a regex whose match becomes a :class:`Lexeme` with its offsets."""
    element = pp.Regex(pattern).set_name(name)

    def to_lexeme(_text: str, loc: int, tokens: pp.ParseResults) -> Lexeme:
        printed = str(tokens[0])
        return Lexeme(role, printed, loc, loc + len(printed))

    element.add_parse_action(to_lexeme)
    return element


def archive_pattern(archives: Sequence[str]) -> str:
    """A regex matching any repository acronym of ``archives`` as a whole word (longest first)."""
    names = sorted({a.strip() for a in archives if a.strip()}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in name.split()) for name in names)
    return r"(?<![\w])(?:" + (alternatives or r"(?!x)x") + r")(?![\w])"


@dataclass(frozen=True)
class Grammar:
    """The compiled grammar for one list of repositories.

    ``reference`` matches a whole reference (named or a continuation from the fond);
    ``partial`` a continuation below the fond (``d. 45, l. 3``: the fond is the one before);
    ``leaf_locator`` matches ``l. 37`` / ``ll. 3, 18-22`` (an ibid locator); ``leaf_tail``
    matches ``; see also l. 52`` right after a reference; ``prefilter`` is a compiled regex that
    finds every place a reference could start, so texts without any are skipped cheaply.
    """

    reference: pp.ParserElement
    partial: pp.ParserElement
    leaf_locator: pp.ParserElement
    leaf_tail: pp.ParserElement
    prefilter: re.Pattern[str]
    fast: FastGrammar


@lru_cache(maxsize=16)
def reference_grammar(archives: tuple[str, ...]) -> Grammar:
    """Build the grammar for the repository acronyms ``archives`` (cached per tuple)."""
    comma = pp.Suppress(",")
    archive = _lexeme(ARCHIVE, archive_pattern(archives), "repository")
    fond = _lexeme(FOND, FOND_PATTERN, "f.")
    fond_strict = _lexeme(FOND, FOND_STRICT_PATTERN, "f.")
    fond_value = _lexeme(FOND_VALUE, FOND_VALUE_PATTERN, "fond number")
    name = _lexeme(NAME, NAME_PATTERN, "fond name")
    opis = _lexeme(OPIS, OPIS_PATTERN, "op.")
    opis_value = _lexeme(OPIS_VALUE, OPIS_VALUE_PATTERN, "opis number")
    delo = _lexeme(DELO, DELO_PATTERN, "d.")
    edkhr = _lexeme(EDKHR, EDKHR_PATTERN, "ed. khr.")
    unit_value = _lexeme(UNIT_VALUE, UNIT_VALUE_PATTERN, "unit number")
    leaf = _lexeme(LEAF, LEAF_PATTERN, "l.")
    leaf_value = _lexeme(LEAF_VALUE, LEAF_VALUE_PATTERN, "leaf or leaf range")
    verso = _lexeme(VERSO, VERSO_PATTERN, "ob.")
    leaf_to = _lexeme(LEAF_TO, LEAF_TO_PATTERN, "end of a leaf range")
    date = _lexeme(DATE, DATE_PATTERN, "date")

    leaf_item = (
        leaf_value("leaf")
        + pp.Optional(verso("verso"))
        + pp.Optional(leaf_to("to") + pp.Optional(verso("verso")))
    ).set_name("leaf item")
    # Bounded repetitions keep every match short, so scanning stays linear in the text.
    leaf_list = (leaf_item + (comma + leaf_item)[0, MAX_LEAF_ITEMS - 1]).set_name("leaf list")
    leaves = (leaf("abbreviation") + leaf_list).set_name("leaves")
    unit_abbreviation = (edkhr | delo).set_name("unit abbreviation")
    field_head = (opis | unit_abbreviation).set_name("field abbreviation")
    field = pp.Group(
        pp.Optional(comma)
        + (
            (opis("abbreviation") + opis_value("value")).set_name("opis")
            | (unit_abbreviation("abbreviation") + unit_value("value")).set_name("unit")
            | leaves
        )
    ).set_name("field")
    fields = pp.Group(field[0, MAX_FIELDS])("fields")
    ending = fields + pp.Optional(date("date"))

    named = (
        archive("archive")
        + pp.Optional(comma)
        + fond("fond")
        + fond_value("fond_value")
        + pp.Optional(name("name"))
        + ending
    ).set_name("reference naming its repository")
    continued = (
        fond_strict("fond")
        + fond_value("fond_value")
        + pp.Optional(name("name"))
        + pp.FollowedBy(pp.Optional(comma) + field_head)
        + ending
    ).set_name("continuation from the fond")
    reference = (named | continued).set_name("archival reference").parse_with_tabs()
    # A continuation below the fond (``; d. 45, l. 3``, ``Ibid., d. 5785, l. 4``): read only
    # where the text says the fond is the one before (after a reference or an archive-level ibid).
    partial = (pp.FollowedBy(field_head) + ending).set_name("continuation below the fond").parse_with_tabs()

    leaf_locator = (leaves + pp.Optional(date("date"))).set_name("leaf locator").parse_with_tabs()
    signal = pp.Regex(r"(?:see\s+also|see|cf\.|also)(?![\w])", re.IGNORECASE).set_name("signal")
    leaf_tail = pp.Suppress(pp.one_of("; ,")) + pp.Suppress(signal) + leaves
    leaf_tail = leaf_tail.set_name("leaf tail").parse_with_tabs()

    # The first characters in a lookahead first: most positions are rejected by one class test.
    firsts = "".join(sorted({a.strip()[0] for a in archives if a.strip()} | {"f", "F"}))
    prefilter = re.compile(
        f"(?=[{re.escape(firsts)}])(?:" + archive_pattern(archives) + "|" + FOND_STRICT_PATTERN + ")"
    )
    return Grammar(reference, partial, leaf_locator, leaf_tail, prefilter, FastGrammar(archives))


_WINDOW = 2048


def parse_at(element: pp.ParserElement, text: str, start: int, end: int | None = None) -> list[Lexeme]:
    """The lexemes of ``element`` matched at ``start`` of ``text`` (absolute offsets), or ``[]``.

    pyparsing parses from the beginning of a string, so the text is parsed in a window that
    starts at ``start``; a match reaching the window's edge is parsed again in a larger window,
    so the result never depends on the window. Never raises for any text.
    """
    stop = len(text) if end is None else min(end, len(text))
    window = _WINDOW
    while True:
        piece = text[start : min(stop, start + window)]
        try:
            results = element.parse_string(piece)
        except pp.ParseBaseException:
            return []
        found = lexemes(results, offset=start)
        if not found or found[-1].end < start + len(piece) or start + len(piece) >= stop:
            return found
        window *= 4


def lexemes(results: pp.ParseResults, offset: int = 0) -> list[Lexeme]:
    """Every :class:`Lexeme` of a parse in text order, its offsets moved by ``offset``."""
    found: list[Lexeme] = []

    def walk(item: object) -> None:
        if isinstance(item, Lexeme):
            found.append(item)
        elif isinstance(item, pp.ParseResults | list):
            for child in item:
                walk(child)

    walk(results)
    found.sort(key=lambda lexeme: lexeme.start)
    if offset:
        found = [Lexeme(x.role, x.text, x.start + offset, x.end + offset) for x in found]
    return found


# --- The compiled fast path -----------------------------------------------------------------------
#
# The same grammar walked by hand over the same compiled token patterns, in pyparsing's order
# (ordered choice, no backtracking into a repetition, whitespace " \n\t\r" skipped before every
# token), without building ParseResults. It covers every reference without a fond name in
# parentheses or a date; where the grammar could read either, it gives up and :func:`parse`
# asks pyparsing. ``tests/test_perf_archival.py`` checks that both give the same lexemes.

_WHITE = " \n\t\r"  # pyparsing's default whitespace
_SIGNAL_PATTERN = r"(?:see\s+also|see|cf\.|also)(?![\w])"


class _Bail(Exception):
    """The text has a construct the fast path leaves to pyparsing (a fond name, a date)."""


class FastGrammar:
    """The archival grammar's ``reference``, ``leaf_locator`` and ``leaf_tail`` as compiled
    regular expressions walked in pyparsing's order (see :func:`parse`)."""

    def __init__(self, archives: Sequence[str]) -> None:
        self.archive = re.compile(archive_pattern(archives))
        self.fond = re.compile(FOND_PATTERN)
        self.fond_strict = re.compile(FOND_STRICT_PATTERN)
        self.fond_value = re.compile(FOND_VALUE_PATTERN)
        self.name = re.compile(NAME_PATTERN)
        self.opis = re.compile(OPIS_PATTERN)
        self.opis_value = re.compile(OPIS_VALUE_PATTERN)
        self.delo = re.compile(DELO_PATTERN)
        self.edkhr = re.compile(EDKHR_PATTERN)
        self.unit_value = re.compile(UNIT_VALUE_PATTERN)
        self.leaf = re.compile(LEAF_PATTERN)
        self.leaf_value = re.compile(LEAF_VALUE_PATTERN)
        self.verso = re.compile(VERSO_PATTERN)
        self.leaf_to = re.compile(LEAF_TO_PATTERN)
        self.date = re.compile(DATE_PATTERN)
        self.separator = re.compile(r"[;,]")
        self.signal = re.compile(_SIGNAL_PATTERN, re.IGNORECASE)

    # Each rule takes the text and a position and returns the position after it, appending its
    # lexemes to ``out``, or -1 (``out`` as it was) when it does not match.

    @staticmethod
    def _skip(text: str, at: int) -> int:
        end = len(text)
        while at < end and text[at] in _WHITE:
            at += 1
        return at

    def _token(self, pattern: re.Pattern[str], role: str, text: str, at: int, out: list[Lexeme]) -> int:
        at = self._skip(text, at)
        found = pattern.match(text, at)
        if found is None:
            return -1
        out.append(Lexeme(role, found.group(), at, found.end()))
        return found.end()

    def _matches(self, pattern: re.Pattern[str], text: str, at: int) -> bool:
        return pattern.match(text, self._skip(text, at)) is not None

    def _comma(self, text: str, at: int) -> int:
        at = self._skip(text, at)
        return at + 1 if text.startswith(",", at) else -1

    def _leaf_item(self, text: str, at: int, out: list[Lexeme]) -> int:
        at = self._token(self.leaf_value, LEAF_VALUE, text, at, out)
        if at < 0:
            return -1
        after = self._token(self.verso, VERSO, text, at, out)
        at = after if after >= 0 else at
        after = self._token(self.leaf_to, LEAF_TO, text, at, out)
        if after >= 0:
            at = after
            after = self._token(self.verso, VERSO, text, at, out)
            at = after if after >= 0 else at
        return at

    def _leaves(self, text: str, at: int, out: list[Lexeme]) -> int:
        kept = len(out)
        at = self._token(self.leaf, LEAF, text, at, out)
        if at >= 0:
            at = self._leaf_item(text, at, out)
        if at < 0:
            del out[kept:]
            return -1
        for _ in range(MAX_LEAF_ITEMS - 1):
            comma = self._comma(text, at)
            if comma < 0:
                break
            size = len(out)
            after = self._leaf_item(text, comma, out)
            if after < 0:
                del out[size:]
                break
            at = after
        return at

    def _field(self, text: str, at: int, out: list[Lexeme]) -> int:
        comma = self._comma(text, at)
        at = comma if comma >= 0 else at
        kept = len(out)
        after = self._token(self.opis, OPIS, text, at, out)
        if after >= 0:
            after = self._token(self.opis_value, OPIS_VALUE, text, after, out)
            if after >= 0:
                return after
            del out[kept:]
        after = self._token(self.edkhr, EDKHR, text, at, out)
        if after < 0:
            after = self._token(self.delo, DELO, text, at, out)
        if after >= 0:
            after = self._token(self.unit_value, UNIT_VALUE, text, after, out)
            if after >= 0:
                return after
            del out[kept:]
        return self._leaves(text, at, out)

    def _ending(self, text: str, at: int, out: list[Lexeme]) -> int:
        for _ in range(MAX_FIELDS):
            after = self._field(text, at, out)
            if after < 0:
                break
            at = after
        if self._matches(self.date, text, at):
            raise _Bail()
        return at

    def _fond(self, strict: bool, text: str, at: int, out: list[Lexeme]) -> int:
        at = self._token(self.fond_strict if strict else self.fond, FOND, text, at, out)
        if at >= 0:
            at = self._token(self.fond_value, FOND_VALUE, text, at, out)
        if at >= 0 and self._matches(self.name, text, at):
            raise _Bail()
        return at

    def _named(self, text: str, out: list[Lexeme]) -> int:
        at = self._token(self.archive, ARCHIVE, text, 0, out)
        if at < 0:
            return -1
        comma = self._comma(text, at)
        at = self._fond(False, text, comma if comma >= 0 else at, out)
        return -1 if at < 0 else self._ending(text, at, out)

    def _continued(self, text: str, out: list[Lexeme]) -> int:
        at = self._fond(True, text, 0, out)
        if at < 0:
            return -1
        comma = self._comma(text, at)
        head = comma if comma >= 0 else at
        if not any(self._matches(p, text, head) for p in (self.opis, self.edkhr, self.delo)):
            return -1
        return self._ending(text, at, out)

    def reference(self, text: str) -> list[Lexeme]:
        out: list[Lexeme] = []
        if self._named(text, out) >= 0:
            return out
        out.clear()
        return out if self._continued(text, out) >= 0 else []

    def partial(self, text: str) -> list[Lexeme]:
        if not any(self._matches(p, text, 0) for p in (self.opis, self.edkhr, self.delo)):
            return []
        out: list[Lexeme] = []
        self._ending(text, 0, out)
        return out

    def leaf_locator(self, text: str) -> list[Lexeme]:
        out: list[Lexeme] = []
        at = self._leaves(text, 0, out)
        if at >= 0 and self._matches(self.date, text, at):
            raise _Bail()
        return out if at >= 0 else []

    def leaf_tail(self, text: str) -> list[Lexeme]:
        at = self._skip(text, 0)
        if self.separator.match(text, at) is None:
            return []
        at = self._skip(text, at + 1)
        signal = self.signal.match(text, at)
        if signal is None:
            return []
        out: list[Lexeme] = []
        return out if self._leaves(text, signal.end(), out) >= 0 else []


def parse(grammar: Grammar, element: str, text: str, start: int, end: int | None = None) -> list[Lexeme]:
    """``parse_at(getattr(grammar, element), text, start, end)``, computed by the fast path when
    it can (``element`` is ``reference``, ``partial``, ``leaf_locator`` or ``leaf_tail``)."""
    found = parse_fast(grammar, element, text, start, end)
    return found if found is not None else parse_at(getattr(grammar, element), text, start, end)


def parse_fast(
    grammar: Grammar, element: str, text: str, start: int, end: int | None = None
) -> list[Lexeme] | None:
    """What :func:`parse_at` gives for ``element``, by the fast path alone; None where it leaves
    the text to pyparsing. Windows grow as :func:`parse_at`'s do, so the two agree exactly."""
    rule = getattr(grammar.fast, element)
    stop = len(text) if end is None else min(end, len(text))
    window = _WINDOW
    while True:
        piece = text[start : min(stop, start + window)]
        try:
            found: list[Lexeme] = rule(piece)
        except _Bail:
            return None
        if not found or found[-1].end < len(piece) or start + len(piece) >= stop:
            return [Lexeme(x.role, x.text, x.start + start, x.end + start) for x in found] if start else found
        window *= 4
