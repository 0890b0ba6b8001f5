"""Stage split/parse: a note's text to segments and classified citations, via the grammars.

A note mixes commentary and citations. The splitter

1. carves out archival references with :func:`notecheck.archival.find_archival`;
2. cuts the rest into clauses at semicolons and sentence ends that are not abbreviations
   (``ed.``, ``trans.``, initials ``R. W.``, ``St.``, ``Mass.``) and not inside quotes or
   parentheses; every parenthesis is also read as a text of its own;
3. classifies each clause by structure with :mod:`notecheck.grammar`: a publication group
   ``(Place, Year)`` or a quoted title with a journal or newspaper tail marks a full citation;
   ``ibid`` (also OCR-damaged) an ibid; ``see note 72 below`` a cross-reference; a clause that
   ends in a locator after a name and a title, or after a bare title, a short form;
4. keeps everything else as commentary, so a note's segments always concatenate to its text.

Nothing here raises for bad content. The NC3xx form checks (page ranges, missing comma,
damaged ibid) run in :func:`parse_edition`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal

from notecheck.models import (
    Citation,
    CitationFields,
    Diagnostic,
    Edition,
    Form,
    Locator,
    Note,
    Segment,
    Target,
)

if TYPE_CHECKING:
    import pyparsing as pp

    from notecheck.archival import ArchivalMatch


@dataclass(frozen=True, slots=True)
class Declaration:
    """An abbreviation a note declares: ``(henceforth A Radical Worker)``.

    ``citation`` is the id of the citation it belongs to, or None for a free-standing sentence
    (``Hereafter I cite the typescript as Avtobiograjiia.``), whose ``described`` names the work.
    ``start``/``end`` are offsets of the abbreviation in the note's text.
    """

    note_index: int
    abbreviation: str
    start: int
    end: int
    citation: str | None = None
    described: str | None = None


@dataclass
class ParsedEdition:
    """An edition with every note split: citations per note index, and form diagnostics."""

    edition: Edition
    citations: dict[int, tuple[Citation, ...]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    segments: dict[int, tuple[Segment, ...]] = field(default_factory=dict)
    declarations: list[Declaration] = field(default_factory=list)

    def all_citations(self) -> list[Citation]:
        return [c for note in self.edition.notes for c in self.citations.get(note.index, ())]


def segment_note(note: Note, *, known_authors: Iterable[str] = ()) -> list[Segment]:
    """The note's segments (citations, commentary, separators), concatenating to its text.

    Args:
        note: a note from a reader.
        known_authors: surnames of authors cited elsewhere in the edition; a short form that
            starts with one of them and lacks the comma after it is read as ``Author Title``.
    """
    return list(_split(note, frozenset(known_authors)).segments)


def parse_note(note: Note, *, known_authors: Iterable[str] = ()) -> list[Citation]:
    """The citations of one note, in order (see :func:`segment_note` for ``known_authors``)."""
    return [s.citation for s in segment_note(note, known_authors=known_authors) if s.citation is not None]


def parse_edition(edition: Edition) -> ParsedEdition:
    """Split every note of an edition and run the citation-form checks (NC3xx).

    Two passes: the first collects the surnames of every full citation's authors, the second
    uses them to read short forms that lost the comma after the author
    (``Medvedev Let History Judge, 60``).
    """
    from notecheck.rules import citation as rules

    parsed = ParsedEdition(edition)
    first = {note.index: _split(note, frozenset()) for note in edition.notes}
    known = frozenset(
        _surname(author)
        for result in first.values()
        for c in result.citations
        if c.form is Form.FULL
        for author in (*c.fields.authors, *c.fields.editors)
    )
    for note in edition.notes:
        result = first[note.index]
        if any(_may_lack_comma(c, known) for c in result.citations):
            result = _split(note, known)
        parsed.citations[note.index] = result.citations
        parsed.segments[note.index] = result.segments
        parsed.declarations.extend(result.declarations)
        parsed.diagnostics.extend(rules.form_diagnostics(note, result.citations, result.backward))
    return parsed


# --- the splitter ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    segments: tuple[Segment, ...]
    citations: tuple[Citation, ...]
    declarations: tuple[Declaration, ...]
    backward: tuple[tuple[int, int, int, int], ...]  # (start, end, first, last) of bad ranges


@dataclass
class _Candidate:
    """A citation found but not yet numbered; ``priority`` settles overlaps (lower wins)."""

    start: int
    end: int
    priority: int
    form: Form
    fields: CitationFields
    locator: Locator | None = None
    target: Target | None = None
    backward: tuple[tuple[int, int, int, int], ...] = ()
    declaration: tuple[str, int, int] | None = None


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    end: int
    soft: bool  # begins after a sentence end (not after ';', a parenthesis or the note start)


#: A locator found in a note: the locator, its backward ranges ``(start, end, first, last)`` and
#: the offset where it ends.
_Located = tuple[Locator, tuple[tuple[int, int, int, int], ...], int]

_WS = re.compile(r"\s+")
_PARENS = re.compile(r"[()]")
# Cues: text without them cannot hold a cross-reference / a declaration sentence.
_CROSSREF_CUE = re.compile(r"(?:[Nn]otes?|nn?\.)\s*\d|(?:Document|Doc\.|Appendix)\s+\d")
_DECLARATION_CUE = re.compile(r"(?i:henceforth|hereafter)")
_SEMICOLON = re.compile(";")
# A citation is never longer than this: look-backs stop here, so long prose stays linear.
_MAX_CITATION = 1200
# A locator is never longer than this (the edition's longest is 32 characters): a locator parse
# reads at most this far, so a clause of locator-like text costs time linear in its length.
_MAX_LOCATOR = 400
# A parse that ends this close to that cap might run on past it, so it is not read as a locator.
_LOCATOR_MARGIN = 40
# Parentheses read as texts of their own: at most this long and this deep.
_MAX_PAREN = 2000
_MAX_DEPTH = 4
_QUOTE_CHARS = re.compile(r"“|”|\"|''|(?<!\w)tI(?=[A-Z])")
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "cf",
        "esp",
        "p",
        "pp",
        "l",
        "ll",
        "n",
        "nn",
        "no",
        "nos",
        "vol",
        "vols",
        "ed",
        "eds",
        "trans",
        "tr",
        "comp",
        "comps",
        "repr",
        "rev",
        "enl",
        "chap",
        "chaps",
        "ch",
        "diss",
        "ph.d",
        "m.a",
        "st",
        "mt",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "capt",
        "lt",
        "jr",
        "sr",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
        "mass",
        "conn",
        "calif",
        "ill",
        "n.y",
        "n.j",
        "wis",
        "mich",
        "pa",
        "ind",
        "md",
        "va",
        "wash",
        "eng",
        "fr",
        "ger",
        "russ",
        "univ",
        "co",
        "inc",
        "ltd",
        "a.k.a",
        "tov",
        "f",
        "op",
        "d",
        "khr",
        "ob",
        "g",
        "gg",
        "t",
        "tt",
        "s",
        "izd",
        "vyp",
        "sb",
        "byvsh",
        "red",
        "pod",
        "ul",
        "obl",
        "al",
        "vs",
        "viz",
        "ca",
        "c",
        "fl",
        "b",
        "u.s",
        "u.k",
        "cit",
        "loc",
        "sec",
        "secs",
        "fig",
        "figs",
        "para",
        "art",
        "bk",
        "pt",
        "kn",
        "gos",
        "00",
    ]
)
_SENTENCE_END = re.compile(r"[.?!][\"”’')\]]*(?=\s+(?:[\"“‘'(\[A-ZÀ-ÖØ-ÞА-ЯЁ]|l[bcdfghjkmnpqrstvwxz]))")
_TOKEN_BEFORE = re.compile(r"([\w.'’\-]+)$")
_INITIAL_TOKEN = re.compile(r"[A-ZÀ-ÞА-Я][a-z]?|(?:[A-ZÀ-ÞА-Я]\.-?)+[A-ZÀ-ÞА-Я]")
_DOTTED_TOKEN = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_DAMAGED_QUOTE = re.compile(r"^(?:If|tI|II)(?=[A-Z])")
_LEAF_START = re.compile(r"(?<![\w.])(?:ll?|[1Il|]{1,2}|n)\.\s*\d")
_PUBLISHER_WORDS = re.compile(
    r"\b(?:Press|Books|Publishers?|Publishing|Verlag|Inc\.|Co\.|Sons|Library|Editions?|Izd\w*|Nauka|Knopf|Norton)\b|&"
)
_THESIS = re.compile(
    r"^(?P<thesis>(?i:ph\.?\s?d\.?|doctoral|master['’]s|m\.\s?a\.|kand\w*\.?)\s*(?i:diss(?:ertation)?\.?|thesis))"
    r"\s*,?\s*(?P<institution>.*)$",
    re.S,
)
_UNPUBLISHED = re.compile(
    r"(?i)\b(?:paper\s+(?:presented|read|delivered)|unpublished|typescript|manuscript|lecture)\b"
)
_PUB_INNER_START = re.compile(
    r"^(?:[A-ZÀ-ÞА-Я]|(?i:ph\.?\s?d|phd|paper|lecture|unpublished|master|doctoral|m\.a)|$)"
)
_LEADING_AND = re.compile(r"^(?:and|or)\s+")
_CONVENTION = re.compile(r"(?P<convention>op\.\s*cit\.|loc\.\s*cit\.)", re.I)
_IDEM = re.compile(r"^(?P<idem>[Ii]dem|[Ii]d\.)(?=[\s,])")
_TRAILING_END = re.compile(r"[\s.]*$")
_ENDS_IN_DIGIT = re.compile(r"\d$")
_LOWER_L_CONSONANT = re.compile(r"l[bcdfghjkmnpqrstvwxz]")
_SHORT_HEAD_MAX_WORDS = 14
# Quick filters before the locator grammar runs (the grammar decides; these only skip hopeless text).
_LOCATOR_START = re.compile(
    r"\s*(?:\d|[ivxlc]+(?!\w)|[IVXL]+\s*,|(?:pp?|ll?|nn?|chaps?|ch|esp|vols?|ob|figs?|secs?|paras?|art|doc|nos?|bk|pt|t|S|[1Il|]{1,2})\.|"
    r"passim|pages?\s|notes?\s|chapters?\s|tables?\s|§|especially\s)"
)
_WORD = re.compile(r"[^\W\d_]+")
_COMMA = re.compile(",")
_LOWER_ROMAN = re.compile(r"[ivxlc]+")
_LOCATOR_WORDS = frozenset(
    [
        "p",
        "pp",
        "page",
        "pages",
        "l",
        "ll",
        "n",
        "nn",
        "note",
        "notes",
        "chap",
        "chaps",
        "ch",
        "chapter",
        "chapters",
        "esp",
        "especially",
        "passim",
        "and",
        "vol",
        "vols",
        "ob",
        "fig",
        "figs",
        "table",
        "tables",
        "sec",
        "secs",
        "para",
        "paras",
        "art",
        "doc",
        "no",
        "nos",
        "bk",
        "pt",
        "t",
        "s",
        "i",
        "il",
        "ii",
    ]
)
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "for",
        "to",
        "at",
        "by",
        "with",
        "from",
        "as",
        "de",
        "la",
        "le",
        "du",
        "von",
        "van",
        "i",
        "v",
    ]
)


@cache
def _grammar() -> Any:
    """The grammar module, imported on first use (keeps ``import notecheck`` light)."""
    import notecheck.grammar as grammar

    return grammar


@cache
def _located(expr_name: str) -> pp.ParserElement:
    import pyparsing as pp

    return pp.Located(getattr(_grammar(), expr_name))


def _split(note: Note, known_authors: frozenset[str], *, fast: bool = True) -> _Result:
    """Split one note: the fast paths first, the full splitter where they decline."""
    if fast:
        result = _lean_split(note, known_authors)
        if result is not None:
            return result
    return _NoteSplitter(note, known_authors).run()


class _NoteSplitter:
    """Everything found in one note; one instance per note and per pass."""

    def __init__(self, note: Note, known_authors: frozenset[str]) -> None:
        self.note = note
        self.text = note.text
        self.known = known_authors
        self.candidates: list[_Candidate] = []
        self.protected: list[tuple[int, int]] = []
        self.parens: list[tuple[int, int]] = []
        self.archival: list[ArchivalMatch] = []
        self.free_declarations: list[Declaration] = []
        self.splits: dict[tuple[int, int], tuple[int, int] | None] = {}
        self.locators: dict[tuple[int, int, bool], _Located | None] = {}

    # -- driver --------------------------------------------------------------------------------
    def run(self) -> _Result:
        if not self.text.strip():
            segments = (Segment("commentary", 0, len(self.text)),) if self.text else ()
            return _Result(segments, (), (), ())
        self._find_structure()
        self._find_archival()
        regions = [(0, len(self.text))] + [
            (s + 1, e - 1)
            for s, e in self.parens
            if e - s <= _MAX_PAREN and self._depth(s) <= _MAX_DEPTH and self._is_text_paren(s, e)
        ]
        for start, end in regions:
            clauses = self._clauses(start, end)
            for index, clause in enumerate(clauses):
                previous = clauses[index - 1] if index else None
                self._detect(clause, previous)
        chosen = self._choose()
        return self._build(chosen)

    # -- structure: quotes, parentheses, clauses -----------------------------------------------
    def _find_structure(self) -> None:
        text = self.text
        stack: list[int] = []
        for bracket in _PARENS.finditer(text):
            if bracket.group() == "(":
                stack.append(bracket.start())
            elif stack:
                self.parens.append((stack.pop(), bracket.end()))
        self.parens.sort()
        opened: int | None = None
        for match in _QUOTE_CHARS.finditer(text):
            char = match.group()
            if char in ("“", "tI") or (char in ('"', "''") and opened is None):
                opened = match.start()
            elif opened is not None:
                if match.end() - opened <= 300:
                    self.protected.append((opened, match.end()))
                opened = None
        self.protected.extend(self.parens)

    def _blocked(self, start: int, end: int) -> bytearray:
        """Positions of ``[start, end)`` strictly inside a quote, parenthesis or archival reference
        nested in that region (no clause ends there); linear in the region's length."""
        blocked = bytearray(end - start)
        if not hasattr(self, "_spans"):
            self._spans = sorted(self.protected + [(m.start, m.end) for m in self.archival])
            self._span_starts = [span[0] for span in self._spans]
        first = bisect_left(self._span_starts, start)
        last = bisect_left(self._span_starts, end)
        spans = [span for span in self._spans[first:last] if span[1] <= end + 1]
        covered = start
        for span_start, span_end in spans:
            low, high = max(span_start + 1, covered), min(span_end - 1, end)
            if low < high:
                blocked[low - start : high - start] = b"\x01" * (high - low)
            covered = max(covered, high)
        return blocked

    def _depth(self, start: int) -> int:
        """How many parentheses enclose the one opening at ``start``."""
        if not hasattr(self, "_depths"):
            self._depths: dict[int, int] = {}
            open_ends: list[int] = []
            for s, e in self.parens:  # sorted by start
                while open_ends and open_ends[-1] <= s:
                    open_ends.pop()
                self._depths[s] = len(open_ends)
                open_ends.append(e)
        return self._depths.get(start, 0)

    def _is_text_paren(self, start: int, end: int) -> bool:
        return _is_text_paren(self.text, start, end)

    def _clauses(self, start: int, end: int) -> list[_Clause]:
        text = self.text
        cuts: list[tuple[int, int, bool]] = []  # (clause end, next clause start, soft)
        blocked = self._blocked(start, end)
        for match in _SEMICOLON.finditer(text, start, end):
            if not blocked[match.start() - start]:
                cuts.append((match.start(), match.start() + 1, False))
        for match in _SENTENCE_END.finditer(text, start, end):
            position = match.start()
            if self._is_abbreviation(position):
                continue
            # a sentence may end inside a quote only where the quote closes: "other Bolshevik."
            if blocked[position - start] and blocked[min(match.end(), end) - 1 - start]:
                continue
            cuts.append((match.end(), match.end(), True))
        cuts.sort()
        clauses: list[_Clause] = []
        begin, soft = start, False
        for clause_end, next_start, next_soft in cuts:
            if clause_end > begin:
                clauses.append(_Clause(begin, clause_end, soft))
            begin, soft = next_start, next_soft
        if end > begin:
            clauses.append(_Clause(begin, end, soft))
        return [self._trim(c) for c in clauses if self.text[c.start : c.end].strip()]

    def _trim(self, clause: _Clause) -> _Clause:
        piece = self.text[clause.start : clause.end]
        lead = len(piece) - len(piece.lstrip())
        match = _LEADING_AND.match(piece[lead:])
        if match:
            lead += match.end()
        return _Clause(clause.start + lead, clause.start + len(piece.rstrip()), clause.soft)

    def _is_abbreviation(self, position: int) -> bool:
        return _is_abbreviation(self.text, position)

    # -- archival references -------------------------------------------------------------------
    def _find_archival(self) -> None:
        from notecheck.archival import find_archival

        self.archival = sorted(find_archival(self.text), key=lambda m: m.start)
        for match in self.archival:
            start = match.start
            before = self.text[max(0, start - 40) : start]
            ibid = re.search(r"(?<![\w!|])([IiLl!1|]bid(?:em)?)(\.)?\s*,?\s*$", before)
            if ibid is not None and match.reference.archive is None:
                ibid_start = start - len(before) + ibid.start(1)
                word = ibid.group(1) + (ibid.group(2) or "")
                fields = CitationFields(
                    archival=match.reference,
                    damaged=word if word[0] not in "Ii" else None,
                    signal=self._signal_before(ibid_start),
                )
                locator = self._archival_locator(match)
                self.candidates.append(
                    _Candidate(self._signal_start(ibid_start), match.end, 0, Form.IBID, fields, locator)
                )
                continue
            signal = self._signal_before(start)
            fields = CitationFields(archival=match.reference, signal=signal)
            cand = _Candidate(
                self._signal_start(start), match.end, 0, Form.ARCHIVAL, fields, self._archival_locator(match)
            )
            self.candidates.append(cand)

    def _archival_locator(self, match: ArchivalMatch) -> Locator | None:
        text = self.text[match.start : match.end]
        leaves = list(_LEAF_START.finditer(text))
        if leaves:
            start = match.start + leaves[-1].start()
            found = self._parse_locator(start, match.end, leaf_context=True)
            if found is not None:
                return found[0]
        if match.reference.leaves:
            return Locator("", "leaf", tuple(match.reference.leaves), match.reference.verso)
        return None

    def _document_before(self, match: ArchivalMatch, clause: _Clause) -> None:
        """A document described just before an archival reference: ``Petrov to TsK, 15 March 1924,``.

        Chicago cites a manuscript item by its description and date, then where it is kept; the
        description becomes its own citation (form archival, ``extra["kind"] == "document"``)
        sharing the reference. A quoted document title counts too.
        """
        g = _grammar()
        start = self._signal_start(match.start)
        # A citation is never longer than _MAX_CITATION, so the description is looked for in that
        # window only: reading from the clause start made a clause holding many archival
        # references quadratic (``f. 1, op. 1, `` repeated).
        window = max(clause.start, start - _MAX_CITATION)
        prefix = self.text[window:start]
        stripped = prefix.rstrip()
        if not stripped.endswith((",", ',"', ",”")):
            return
        body_end = window + len(stripped) - (0 if stripped.endswith('"') or stripped.endswith("”") else 1)
        quoted = None
        for q in g.QUOTED_TITLE.re.finditer(self.text, window, body_end + 1):
            quoted = q
        if quoted is not None and not self.text[quoted.end() : start].strip(" ,\n"):
            date = None
            for d in g.DOCUMENT_DATE.re.finditer(self.text, window, quoted.start()):
                date = d.group()
            fields = CitationFields(
                title=_clean(quoted.group("title")).rstrip(" ,"),
                date=_clean(date) if date else None,
                archival=match.reference,
                extra={"kind": "document"},
            )
            end = quoted.start() + len(self.text[quoted.start() : quoted.end()].rstrip())
            self.candidates.append(_Candidate(quoted.start(), end, 1, Form.ARCHIVAL, fields))
            return
        if window > clause.start:
            return  # the description would run from the clause start: longer than a citation
        body = self.text[clause.start : body_end]
        date_match = g.DOCUMENT_DATE.re.search(body)
        if date_match is None or _has_prose(body) or not body.strip():
            return
        title = _clean(body[: date_match.start()].strip(" ,"))
        remark = re.search(r"\(([^()]*)\)\s*$", body[date_match.end() :])
        extra = {"kind": "document", "description": _clean(body)}
        if remark:
            extra["remark"] = _clean(remark.group(1))
        fields = CitationFields(
            title=title or None, date=_clean(date_match.group()), archival=match.reference, extra=extra
        )
        self.candidates.append(_Candidate(clause.start, body_end, 1, Form.ARCHIVAL, fields))

    # -- signals -------------------------------------------------------------------------------
    def _signal_match_before(self, position: int) -> re.Match[str] | None:
        return _signal_match_before(self.text, position)

    def _signal_before(self, position: int) -> str | None:
        match = self._signal_match_before(position)
        return _WS.sub(" ", match.group()).lower() if match else None

    def _signal_start(self, position: int) -> int:
        match = self._signal_match_before(position)
        return match.start() if match else position

    # -- detection in one clause ---------------------------------------------------------------
    def _detect(self, clause: _Clause, previous: _Clause | None) -> None:
        # The clause's archival references by bisection (self.archival is sorted by start):
        # scanning every reference for every clause was quadratic in notes made of many short
        # archival clauses (``f. 1, op. 2, d. 3. f. 1, ...``).
        if not hasattr(self, "_archival_starts"):
            self._archival_starts = [m.start for m in self.archival]
        first = bisect_left(self._archival_starts, clause.start)
        last = bisect_left(self._archival_starts, clause.end)
        for match in self.archival[first:last]:
            self._document_before(match, clause)
        # Each detector runs only where its cue is (a necessary condition of its patterns).
        text, start, end = self.text, clause.start, clause.end
        if _CROSSREF_CUE.search(text, start, end):
            self._detect_crossrefs(clause)
        self._detect_full(clause, previous)
        if "bid" in text[start:end]:
            self._detect_ibid(clause)
        self._detect_possessive(clause)
        self._detect_short(clause)
        self._detect_implicit(clause)
        self._detect_in_prose(clause)
        if _DECLARATION_CUE.search(text, start, end):
            self._detect_declaration(clause)

    def _detect_crossrefs(self, clause: _Clause) -> None:
        g = _grammar()
        text = self.text
        for match in g.NOTED_CROSSREF.re.finditer(text, clause.start, clause.end):
            target = Target("note", int(match.group("number")), _direction(match.group("direction")))
            self.candidates.append(
                _Candidate(match.start(), match.end(), 1, Form.CROSSREF, CitationFields(), target=target)
            )
        for match in g.NOTE_CROSSREF.re.finditer(text, clause.start, clause.end):
            signal, direction = match.group("signal"), match.group("direction")
            label = match.group("label")
            whole_paren = (
                label.lower().startswith("note")
                and clause.start == match.start()
                and clause.end == match.end()
            )
            if not (signal or direction or whole_paren):
                continue
            target = Target("note", int(match.group("number")), _direction(direction))
            fields = CitationFields(signal=_norm_signal(signal))
            self.candidates.append(
                _Candidate(match.start(), match.end(), 1, Form.CROSSREF, fields, target=target)
            )
        for match in g.DOCUMENT_CROSSREF.re.finditer(text, clause.start, clause.end):
            target = Target("document", int(match.group("number")), _direction(match.group("direction")))
            fields = CitationFields(signal=_norm_signal(match.group("signal")))
            self.candidates.append(
                _Candidate(match.start(), match.end(), 1, Form.CROSSREF, fields, target=target)
            )

    # full citations ------------------------------------------------------------------------
    def _detect_full(self, clause: _Clause, previous: _Clause | None) -> None:
        g = _grammar()
        text = self.text
        taken_until = clause.start
        anchors: list[tuple[int, int, str, re.Match[str]]] = []
        for match in g.PUB_GROUP.re.finditer(text, clause.start, clause.end):
            if match.group("inner").strip() and self._valid_pub_inner(match):
                anchors.append((match.start(), match.end(), "pub", match))
        for quoted in g.QUOTED_TITLE.re.finditer(text, clause.start, clause.end):
            rest = quoted.end()
            lead = re.compile(r"\s*,?\s*(?:in\s+)?").match(text, rest, clause.end)
            tail_start = lead.end() if lead else rest
            # The container after a title is read within _MAX_CITATION: matched to the clause end
            # after every quoted title, a clause of many quotes (``''`` repeated) was quadratic.
            tail_end = min(clause.end, tail_start + _MAX_CITATION)
            journal = g.JOURNAL_TAIL.re.match(text, tail_start, tail_end)
            if (
                journal
                and not _has_prose(journal.group("container"))
                and journal.group("container")[:1].isupper()
            ):
                anchors.append((quoted.start(), journal.end(), "journal", journal))
                continue
            paper = g.NEWSPAPER_TAIL.re.match(text, tail_start, tail_end)
            if paper and not _has_prose(paper.group("container")) and paper.group("container")[:1].isupper():
                anchors.append((quoted.start(), paper.end(), "newspaper", paper))
                continue
            year = re.compile(rf"\s*\((?P<year>{g.YEAR.re.pattern})\)").match(text, rest, clause.end)
            if year:
                anchors.append((quoted.start(), year.end(), "unpublished", year))
        anchors.sort(key=lambda a: a[0])
        for anchor_start, anchor_end, kind, match in anchors:
            if anchor_start < taken_until:
                continue
            found = self._full_citation(clause, previous, anchor_start, anchor_end, kind, match, taken_until)
            if found is not None:
                self.candidates.append(found)
                taken_until = found.end
        # A bare newspaper reference: ``Chicago Tribune, August 15, 1958``.
        body_start = self._after_signal(clause.start, clause.end)
        body_end = clause.start + len(text[clause.start : clause.end].rstrip(" .\n"))
        paper = g.NEWSPAPER_TAIL.re.fullmatch(text, body_start, body_end)
        if paper and taken_until == clause.start and _title_like(paper.group("container"), 6):
            fields = CitationFields(
                container=_clean(paper.group("container")),
                date=_clean(paper.group("date")),
                issue=_clean(paper.group("issue")) if paper.group("issue") else None,
                year=_year_of(paper.group("date")),
                signal=self._signal_before(body_start),
                extra={"type": "newspaper"},
            )
            self.candidates.append(_Candidate(self._signal_start(body_start), body_end, 2, Form.FULL, fields))

    def _valid_pub_inner(self, match: re.Match[str]) -> bool:
        return _valid_pub_inner(match)

    def _full_citation(
        self,
        clause: _Clause,
        previous: _Clause | None,
        anchor_start: int,
        anchor_end: int,
        kind: str,
        match: re.Match[str],
        floor: int,
    ) -> _Candidate | None:
        text = self.text
        quoted_anchor = kind in ("journal", "newspaper", "unpublished")
        head_start, signal, head_from = self._head_start(clause, previous, anchor_start, floor, quoted_anchor)
        if head_start is None:
            return None
        head_end = anchor_start
        fields: dict[str, Any] = {"signal": signal}
        extra: dict[str, str] = {}
        possessive = None
        for candidate in _grammar().POSSESSIVE.re.finditer(
            text, max(floor, anchor_start - 60), anchor_start + 4
        ):
            if candidate.end() <= anchor_start:
                possessive = candidate
        if quoted_anchor and possessive and not text[possessive.end() : anchor_start].strip():
            fields["signal"] = "my"
            if possessive.group("described"):
                extra["described"] = _clean(possessive.group("described"))
            head_start = head_from = head_end = possessive.start()
        if kind == "pub":
            self._read_head(head_from, head_end, fields, extra)
            self._read_pub(match, fields, extra)
        else:
            quoted = _grammar().QUOTED_TITLE.re.match(text, anchor_start)
            assert quoted is not None
            self._read_head(head_from, head_end, fields, extra, quoted_follows=True)
            fields["title"] = _clean(quoted.group("title")).rstrip(" ,")
            if kind == "journal":
                fields["container"] = _clean(match.group("container"))
                fields["volume"] = match.group("volume")
                if match.group("issue"):
                    fields["issue"] = _clean(match.group("issue"))
                fields["date"] = _clean(match.group("date"))
                fields["year"] = _year_of(match.group("date"))
                extra["type"] = "article"
            elif kind == "newspaper":
                fields["container"] = _clean(match.group("container"))
                if match.group("issue"):
                    fields["issue"] = _clean(match.group("issue"))
                fields["date"] = _clean(match.group("date"))
                fields["year"] = _year_of(match.group("date"))
                extra["type"] = "newspaper"
            else:
                fields["year"] = match.group("year")
                window = text[max(0, head_start - 40) : anchor_start]
                fields["unpublished"] = bool(_UNPUBLISHED.search(window)) or "paper" in window.lower()
                extra["type"] = "unpublished" if fields["unpublished"] else "article"
        end, locator, backward, declaration = self._read_tail(anchor_end, clause.end, fields, extra)
        if head_from == head_end and not fields.get("title"):
            return None
        if not fields.get("title") and not fields.get("authors"):
            return None
        title = fields.get("title")
        if title and "short_title" not in fields:
            fields["short_title"] = _short_title(title)
        if declaration is not None:
            fields["declares"] = declaration[0]
        citation_fields = _fields(fields, extra)
        return _Candidate(
            head_start, end, 2, Form.FULL, citation_fields, locator, None, backward, declaration
        )

    def _head_start(
        self, clause: _Clause, previous: _Clause | None, anchor: int, floor: int, quoted_anchor: bool
    ) -> tuple[int | None, str | None, int]:
        """Where a full citation whose publication data starts at ``anchor`` begins.

        Returns the citation's start (its signal included), the signal, and where the head
        (authors, title) starts; the start is None when no citation head can be found.
        """
        g = _grammar()
        text = self.text
        start = max(clause.start, floor)
        while start < anchor and text[start] in " \n\t,;":
            start += 1
        signal = None
        for match in g.SIGNAL.re.finditer(text, start, anchor):
            after = text[match.end() : anchor].lstrip()
            if after[:1].isupper() or after[:1] in "\"“'‘" or not after:
                signal = match
        head_from = start
        if signal is not None:
            head_from = signal.end()
            while head_from < anchor and text[head_from].isspace():
                head_from += 1
        cited_from = signal.start() if signal is not None else head_from
        signal_text = _norm_signal(signal.group()) if signal is not None else None
        head = text[head_from:anchor]
        if quoted_anchor:
            authors = g.NAME_LIST.re.match(head)
            if head.strip() and not (authors and head[authors.end() :].strip() == ","):
                return anchor, None, anchor  # commentary before the quoted title
            return cited_from, signal_text, head_from
        if _has_prose(head):
            title_start = self._title_start_in_prose(head_from, anchor)
            return title_start, None, title_start if title_start is not None else anchor
        starts_clause = signal is None and clause.soft and start == clause.start
        if (
            starts_clause
            and previous is not None
            and not re.match(rf"(?:{g.NAME_LIST.re.pattern})\s*,", head)
        ):
            # a title cut by a period (``Politicheskie protsessy, 1901-1917. Chast' 1``): the
            # citation may begin a sentence earlier, with its author or editor
            earlier = text[previous.start : anchor]
            lead = re.match(
                rf"(?:{g.NAME_LIST.re.pattern})\s*,|[^,;:()]{{2,40}},\s*(?:eds?|comps?|trans)\.?,",
                earlier,
            )
            if lead and not _has_prose(earlier) and not self._covered(previous.start, previous.end):
                return previous.start, None, previous.start
        return cited_from, signal_text, head_from

    def _title_start_in_prose(self, start: int, anchor: int) -> int | None:
        """The start of a title that running prose leads into: ``the first edition of Let History Judge``.

        Reads the head element just before the first role or volume backwards while words are
        capitalised or small title words, then drops leading small words.
        """
        elements = _elements(self.text, start, anchor)
        title = None
        for element in elements:
            if not _is_title_element(_clean(element.text)):
                break
            title = element
        if title is None:
            return None
        words = list(re.finditer(r"\S+", self.text[title.start : title.end]))
        first: int | None = None
        for word in reversed(words):
            token = word.group()
            if token[:1].isupper() or token[:1] in '"“' or re.match(r"l[bcdfghjkmnpqrstvwxz]", token):
                first = title.start + word.start()
            elif token.lower() not in _SMALL_WORDS and not token[:1].isdigit():
                break
        return first

    def _covered(self, start: int, end: int) -> bool:
        return any(c.start < end and start < c.end for c in self.candidates if c.priority <= 1)

    def _after_signal(self, start: int, end: int) -> int:
        return _after_signal(self.text, start, end)

    def _read_head(
        self,
        start: int,
        end: int,
        fields: dict[str, Any],
        extra: dict[str, str],
        *,
        quoted_follows: bool = False,
    ) -> None:
        """Authors, title, container, roles, edition and volume from the head of a full citation."""
        g = _grammar()
        elements = _elements(self.text, start, end)
        index = 0
        if quoted_follows:
            if elements:
                authors = g.NAME_LIST.re.fullmatch(", ".join(_clean(e.text) for e in elements))
                if authors:
                    fields["authors"], etal = _names(authors)
                    if etal:
                        extra["et_al"] = "true"
            return
        if (
            len(elements) >= 3
            and g.ROLE_BARE.re.fullmatch(_clean(elements[1].text))
            and _name_like(_clean(elements[0].text))
        ):
            role = _clean(elements[1].text)
            names = _split_names(_clean(elements[0].text))
            _assign_role(role, names, fields, extra)
            index = 2
        else:
            for k in range(len(elements) - 1, 0, -1):
                joined = ", ".join(_clean(e.text) for e in elements[:k])
                authors = g.NAME_LIST.re.fullmatch(joined)
                # several authors are "A, B, and C" (serial comma): "A, B and C" reads as a title
                several = k == 1 or re.match(r"(?:and|&)\s|.*et\s+al", _clean(elements[k - 1].text))
                if authors and several and _is_title_element(_clean(elements[k].text)):
                    fields["authors"], etal = _names(authors)
                    if etal:
                        extra["et_al"] = "true"
                    index = k
                    break
        if index >= len(elements):
            return
        first = elements[index]
        quoted = g.QUOTED_TITLE.re.match(self.text, first.start)
        if quoted and quoted.start() == first.start:
            fields["title"] = _clean(quoted.group("title")).rstrip(" ,")
            while index < len(elements) and elements[index].end <= quoted.end():
                index += 1
            container_parts = []
            if index < len(elements) and elements[index].start < quoted.end():
                remainder = _clean(self.text[quoted.end() : elements[index].end])
                container_parts = [remainder] if remainder else []
                index += 1
            while index < len(elements) and _is_title_element(_clean(elements[index].text)):
                container_parts.append(_clean(elements[index].text))
                index += 1
            if container_parts:
                container = ", ".join(container_parts)
                fields["container"] = re.sub(r"^in\s+", "", container)
                extra["type"] = "chapter"
        else:
            title_end = index + 1
            while title_end < len(elements) and _is_title_element(_clean(elements[title_end].text)):
                if _clean(elements[title_end].text).startswith("in "):
                    break
                title_end += 1
            fields["title"] = _clean(self.text[elements[index].start : elements[title_end - 1].end])
            index = title_end
            if index < len(elements) and _clean(elements[index].text).startswith("in "):
                fields["container"] = _clean(elements[index].text)[3:]
                extra["type"] = "chapter"
                index += 1
        while index < len(elements):
            element = _clean(elements[index].text)
            index += 1
            role = g.ROLE.re.fullmatch(element)
            if role:
                _assign_role(role.group("role"), _split_names(role.group("names")), fields, extra)
                continue
            if g.ROLE_BARE.re.fullmatch(element) and index < len(elements):
                _assign_role(element, _split_names(_clean(elements[index].text)), fields, extra)
                index += 1
                continue
            if g.EDITION.re.fullmatch(element):
                extra["edition"] = element
                continue
            if g.VOLUME.re.fullmatch(element):
                fields["volume"] = element
                continue
            if re.search(r"(?i)\breprint|\brepr\.", element):
                fields["reprint"] = element
                continue
            extra["other"] = f"{extra['other']}; {element}" if "other" in extra else element

    def _read_pub(self, match: re.Match[str], fields: dict[str, Any], extra: dict[str, str]) -> None:
        inner = _clean(match.group("inner")).rstrip(" ,")
        fields["year"] = match.group("year")
        if ";" in inner:
            original, reprint = inner.split(";", 1)
            fields["reprint"] = _clean(reprint)
            inner = original.strip()
            if re.fullmatch(r"\d{4}", inner):
                extra["original_year"] = inner
                inner = ""
        thesis = _THESIS.match(inner)
        if thesis:
            fields["thesis"] = _clean(thesis.group("thesis"))
            fields["institution"] = thesis.group("institution").strip(" ,") or None
            extra["type"] = "thesis"
            return
        if _UNPUBLISHED.search(inner):
            fields["unpublished"] = True
            extra["type"] = "unpublished"
            extra["description"] = inner
            return
        if ":" in inner:
            place, publisher = inner.split(":", 1)
            fields["place"], fields["publisher"] = place.strip(), publisher.strip()
        elif inner and _PUBLISHER_WORDS.search(inner):
            fields["publisher"] = inner
        elif inner:
            fields["place"] = inner
        extra.setdefault("type", "book")

    def _read_tail(
        self, position: int, end: int, fields: dict[str, Any], extra: dict[str, str]
    ) -> tuple[int, Locator | None, tuple[tuple[int, int, int, int], ...], tuple[str, int, int] | None]:
        """What follows a full citation's publication data: reprint, locator, declaration."""
        g = _grammar()
        text = self.text
        locator: Locator | None = None
        backward: tuple[tuple[int, int, int, int], ...] = ()
        declaration: tuple[str, int, int] | None = None
        for _ in range(6):
            reprint = re.compile(r"\s*,\s*(?P<reprint>[^,();]*?(?i:reprint|repr\.)[^,();]*?)\s*(?=\()").match(
                text, position, end
            )
            if reprint:
                group = g.PUB_GROUP.re.match(text, reprint.end(), end)
                if group:
                    fields["reprint"] = _clean(text[reprint.start("reprint") : group.end()])
                    position = group.end()
                    continue
            decl = re.compile(r"\s*").match(text, position, end)
            assert decl is not None
            declared = g.DECLARATION.re.match(text, decl.end(), end)
            if declared:
                abbreviation = _clean(declared.group("abbreviation")).strip('"“”')
                declaration = (abbreviation, declared.start("abbreviation"), declared.end("abbreviation"))
                position = declared.end()
                continue
            comment = re.compile(r"\s*\((?P<comment>[^()]*)\)(?=\s*,\s*\S)").match(text, position, end)
            if comment and locator is None and not g.PUB_GROUP.re.fullmatch(comment.group().strip()):
                extra["comment"] = _clean(comment.group("comment"))
                position = comment.end()
                continue
            if locator is None:
                sep = re.compile(r"\s*[,:]\s*").match(text, position, end)
                if sep:
                    found = self._parse_locator(sep.end(), end, leaf_context=False)
                    if found is not None:
                        locator, backward, position = found
                        continue
            elif locator is not None:
                paren = re.compile(r"\s*\(").match(text, position, end)
                if paren:
                    found = self._parse_locator(paren.end(), end, leaf_context=False)
                    if found is not None and text[found[2] : found[2] + 1] == ")":
                        sub, sub_backward, sub_end = found
                        locator = replace(
                            locator,
                            text=text[locator.start : sub_end + 1],
                            end=sub_end + 1,
                            notes=locator.notes + sub.notes + (sub.ranges if sub.kind == "note" else ()),
                        )
                        backward += sub_backward
                        position = sub_end + 1
                        continue
            break
        return position, locator, backward, declaration

    # locators --------------------------------------------------------------------------------
    def _parse_locator(self, start: int, end: int, *, leaf_context: bool) -> _Located | None:
        """The locator starting at ``start`` (after spaces), its backward ranges and its end.

        Reads at most ``_MAX_LOCATOR`` characters, and remembers each answer: detectors ask at
        the same places again, and a long clause of locator-like text (``no. 3, `` repeated)
        would otherwise be parsed to its end from every comma.
        """
        key = (start, end, leaf_context)
        if key in self.locators:
            return self.locators[key]
        found = read_locator(self.text, start, end, leaf_context=leaf_context)
        self.locators[key] = found
        return found

    # ibid ------------------------------------------------------------------------------------
    def _detect_ibid(self, clause: _Clause) -> None:
        for match in _grammar().IBID_WORD.re.finditer(self.text, clause.start, clause.end):
            self.candidates.append(self._ibid_at(match, clause))

    def _ibid_at(self, match: re.Match[str], clause: _Clause) -> _Candidate:
        """The ibid citation of one ``ibid`` word of a clause: its signal or the title or
        document described before it, and its locator."""
        g = _grammar()
        text = self.text
        word = match.group()
        after = match.end()
        locator: Locator | None = None
        backward: tuple[tuple[int, int, int, int], ...] = ()
        sep = re.compile(r"\s*,?\s*").match(text, after, clause.end)
        end = after
        if sep is not None:
            found = self._parse_locator(sep.end(), clause.end, leaf_context=True)
            if found is not None and found[1] is not None:
                locator, backward, end = found
        start = match.start()
        fields: dict[str, Any] = {}
        extra: dict[str, str] = {}
        if match.group("initial") not in "Ii":
            fields["damaged"] = word
        signal = self._signal_match_before(start)
        if signal is not None and signal.start() >= clause.start:
            fields["signal"] = _norm_signal(signal.group())
            start = signal.start()
        else:
            prefix_end = start
            # Look back at most _MAX_CITATION (a citation is never longer): reading from the
            # clause start for every ibid was quadratic in a clause of many (``Ibid., `` x n).
            window = max(clause.start, prefix_end - _MAX_CITATION)
            prefix = text[window:prefix_end]
            quoted = None
            for q in g.QUOTED_TITLE.re.finditer(text, window, prefix_end):
                quoted = q
            if quoted is not None and not text[quoted.end() : prefix_end].strip(" ,\n"):
                fields["title"] = _clean(quoted.group("title")).rstrip(" ,")
                start = quoted.start()
                sig = self._signal_match_before(start)
                if sig is not None and sig.start() >= clause.start:
                    fields["signal"] = _norm_signal(sig.group())
                    start = sig.start()
            elif (
                window == clause.start
                and prefix.rstrip().endswith(",")
                and prefix.strip(" ,")
                and not _has_prose(prefix)
            ):
                fields["title"] = _clean(prefix.strip().rstrip(","))
                extra["kind"] = "document"
                start = clause.start
        if locator is None and match.group("dot") is None:
            end = after
        return _Candidate(start, end, 3, Form.IBID, _fields(fields, extra), locator, None, backward)

    # short forms -----------------------------------------------------------------------------
    def _detect_possessive(self, clause: _Clause) -> None:
        """``my "Russian Bebels," 447 n. 59`` anywhere in a clause."""
        g = _grammar()
        text = self.text
        for match in g.POSSESSIVE.re.finditer(text, clause.start, clause.end):
            quoted = g.QUOTED_TITLE.re.match(text, re.compile(r"\s*").match(text, match.end()).end())  # type: ignore[union-attr]
            if quoted is None or quoted.end() > clause.end:
                continue
            fields: dict[str, Any] = {"signal": "my", "title": _clean(quoted.group("title")).rstrip(" ,")}
            fields["short_title"] = fields["title"]
            extra = {"described": _clean(match.group("described"))} if match.group("described") else {}
            end = quoted.end()
            found = self._parse_locator(quoted.end(), clause.end, leaf_context=False)
            locator: Locator | None = None
            backward: tuple[tuple[int, int, int, int], ...] = ()
            if found is not None:
                locator, backward, end = found
            else:
                end = quoted.start() + len(text[quoted.start() : quoted.end()].rstrip(", "))
                if text[end - 1] == ",":
                    end -= 1
            self.candidates.append(
                _Candidate(match.start(), end, 3, Form.SHORT, _fields(fields, extra), locator, None, backward)
            )

    def _detect_short(self, clause: _Clause) -> None:
        """A clause that is one short form (after an optional signal or commentary and ``see``)."""
        g = _grammar()
        text = self.text
        # A short form found here runs to the clause end and is never longer than _MAX_CITATION,
        # so starts farther back are not tried: trying every signal of a long clause (``see
        # above, `` x n) was quadratic.
        floor = clause.end - _MAX_CITATION
        starts = [clause.start] if clause.start >= floor else []
        for match in g.SIGNAL.re.finditer(text, max(clause.start, floor), clause.end):
            if match.start() > clause.start:
                starts.append(match.start())
        for start in starts:
            found = self._short_at(start, clause.end)
            if found is not None:
                self.candidates.append(found)
                return

    def _short_at(self, start: int, end: int) -> _Candidate | None:
        g = _grammar()
        text = self.text
        body_start = self._after_signal(start, end)
        signal = _norm_signal(text[start:body_start].strip()) if body_start > start else None
        # the locator runs to the clause end (a final period is punctuation)
        body_end = end
        piece = text[body_start:body_end]
        # op. cit. / loc. cit. / idem
        convention = _CONVENTION.search(piece)
        idem = _IDEM.match(piece)
        fields: dict[str, Any] = {"signal": signal}
        extra: dict[str, str] = {}
        if convention is not None:
            head = piece[: convention.start()].rstrip(" ,")
            authors = g.NAME_LIST.re.fullmatch(_clean(head)) if head else None
            if head and authors is None:
                return None
            if authors:
                fields["authors"], _ = _names(authors)
            fields["convention"] = _WS.sub(" ", convention.group().lower())
            after = body_start + convention.end()
            return self._short_with_locator(start, after, end, fields, extra, required=False)
        if idem is not None:
            fields["convention"] = "idem"
            after = body_start + idem.end()
            rest = text[after:end].lstrip(" ,")
            rest_start = end - len(rest)
            title_end = self._locator_split(rest_start, end)
            if title_end is None:
                return None
            title_text = _clean(text[rest_start : title_end[0]]).rstrip(" ,")
            if title_text:
                fields["title"] = _clean(title_text.strip('"“”'))
                fields["short_title"] = fields["title"]
            return self._finish_short(start, title_end[1], fields, extra)
        # a quoted title, maybe after authors: Doe and Roe, "Article Title," 220
        quoted = None
        for q in g.QUOTED_TITLE.re.finditer(text, body_start, body_end):
            quoted = q
            break
        if quoted is not None:
            head = text[body_start : quoted.start()].strip()
            if head:
                authors = g.NAME_LIST.re.fullmatch(head.rstrip(",").strip())
                if authors is None or not head.endswith(","):
                    return None
                fields["authors"], etal = _names(authors)
                if etal:
                    extra["et_al"] = "true"
            fields["title"] = _clean(quoted.group("title")).rstrip(" ,")
            fields["short_title"] = fields["title"]
            return self._short_with_locator(start, quoted.end(), end, fields, extra, required=True)
        split = self._locator_split(body_start, end)
        if split is None:
            return None
        return self._plain_short(start, body_start, end, split[0], fields, extra)

    def _plain_short(
        self,
        start: int,
        body_start: int,
        end: int,
        head_end: int,
        fields: dict[str, Any],
        extra: dict[str, str],
    ) -> _Candidate | None:
        """``Author, Title, locator`` (or ``Title, locator``) whose head ends at ``head_end``."""
        read = _short_fields(self.text, body_start, head_end, self.known, fields, extra)
        if read is None:
            return None
        return self._short_with_locator(start, head_end, end, fields, extra, required=True)

    def _locator_split(self, start: int, end: int) -> tuple[int, int] | None:
        """The first comma after which a locator runs to the clause end: (head end, locator end)."""
        key = (start, end)
        if key not in self.splits:
            self.splits[key] = self._find_locator_split(start, end)
        return self.splits[key]

    def _find_locator_split(self, start: int, end: int) -> tuple[int, int] | None:
        text = self.text
        # A locator that runs to ``end`` starts after a comma at most _MAX_LOCATOR back.
        window = max(start, end - _MAX_LOCATOR - 1)
        floor = start
        for word in _WORD.finditer(text, window, end):
            lowered = word.group().lower()
            if lowered not in _LOCATOR_WORDS and not _LOWER_ROMAN.fullmatch(lowered):
                floor = word.end()
        for comma in _COMMA.finditer(text, max(floor, window), end):
            position = comma.start()
            found = self._parse_locator(position + 1, end, leaf_context=False)
            if found is None:
                continue
            if _TRAILING_END.fullmatch(text, found[2], end):
                return position, found[2]
        return None

    def _short_with_locator(
        self,
        start: int,
        after: int,
        end: int,
        fields: dict[str, Any],
        extra: dict[str, str],
        *,
        required: bool,
    ) -> _Candidate | None:
        text = self.text
        sep = re.compile(r"\s*,?\s*").match(text, after, end)
        assert sep is not None
        found = self._parse_locator(sep.end(), end, leaf_context=False)
        if found is not None and _TRAILING_END.fullmatch(text, found[2], end):
            locator, backward, loc_end = found
            return _Candidate(start, loc_end, 4, Form.SHORT, _fields(fields, extra), locator, None, backward)
        if required:
            return None
        if not _TRAILING_END.fullmatch(text, after, end):
            return None
        return _Candidate(start, after, 4, Form.SHORT, _fields(fields, extra))

    def _finish_short(
        self, start: int, end: int, fields: dict[str, Any], extra: dict[str, str]
    ) -> _Candidate:
        return _Candidate(start, end, 4, Form.SHORT, _fields(fields, extra))

    def _detect_implicit(self, clause: _Clause) -> None:
        """A signal and a labelled locator alone: ``see also l. 52`` repeats the last source."""
        signal = _grammar().SIGNAL.re.match(self.text, clause.start, clause.end)
        if signal is None:
            return
        body = self._after_signal(clause.start, clause.end)
        found = self._parse_locator(body, clause.end, leaf_context=True)
        if (
            found is None
            or found[0].label is None
            or not _TRAILING_END.fullmatch(self.text, found[2], clause.end)
        ):
            return
        locator, backward, end = found
        fields = CitationFields(signal=_norm_signal(signal.group()), extra={"implicit": "true"})
        self.candidates.append(_Candidate(clause.start, end, 5, Form.IBID, fields, locator, None, backward))

    def _detect_in_prose(self, clause: _Clause) -> None:
        """A title at the end of a sentence, with a labelled locator: ``... in A Radical Worker, chap. 32``."""
        text = self.text
        split = self._locator_split(clause.start, clause.end)
        if split is None:
            return
        head_end, end = split
        found = self._parse_locator(head_end + 1, end, leaf_context=False)
        if found is None or found[0].label is None:
            return
        if not _has_prose(text[clause.start : head_end]):
            return
        start = self._title_start_in_prose(clause.start, head_end)
        if start is None:
            return
        title = _clean(text[start:head_end])
        if not _title_like(title, 8) or not re.search(r"\s(?:in|see|from)\s*$", text[clause.start : start]):
            return
        fields = CitationFields(title=title, short_title=title, extra={"bare": "true", "in_prose": "true"})
        locator, backward, loc_end = found
        self.candidates.append(_Candidate(start, loc_end, 4, Form.SHORT, fields, locator, None, backward))

    # declarations ----------------------------------------------------------------------------
    def _detect_declaration(self, clause: _Clause) -> None:
        g = _grammar()
        for match in g.DECLARATION_SENTENCE.re.finditer(self.text, clause.start, clause.end):
            if any(s <= match.start() < e for s, e in self.parens):
                continue
            self.free_declarations.append(
                Declaration(
                    self.note.index,
                    _clean(match.group("abbreviation")).strip('"“”'),
                    match.start("abbreviation"),
                    match.end("abbreviation"),
                    None,
                    _clean(match.group("what")) if match.group("what") else None,
                )
            )

    # -- choosing and building -----------------------------------------------------------------
    def _choose(self) -> list[_Candidate]:
        """The candidates that win their overlaps: lower priority first, then earlier, longer."""
        chosen: list[_Candidate] = []
        taken: list[tuple[int, int]] = []  # disjoint, sorted
        for candidate in sorted(self.candidates, key=lambda c: (c.priority, c.start, -c.end)):
            if candidate.end <= candidate.start:
                continue
            index = bisect_left(taken, (candidate.start, candidate.start))
            before = taken[index - 1] if index else None
            after = taken[index] if index < len(taken) else None
            if (before and before[1] > candidate.start) or (after and after[0] < candidate.end):
                continue
            insort(taken, (candidate.start, candidate.end))
            chosen.append(candidate)
        return sorted(chosen, key=lambda c: c.start)

    def _build(self, chosen: list[_Candidate]) -> _Result:
        note, text = self.note, self.text
        segments: list[Segment] = []
        citations: list[Citation] = []
        declarations: list[Declaration] = []
        backward: list[tuple[int, int, int, int]] = []
        position = 0
        for number, candidate in enumerate(chosen, start=1):
            if candidate.start > position:
                segments.append(_gap(text, position, candidate.start))
            citation = Citation(
                id=f"n{note.index}c{number}",
                note_index=note.index,
                form=candidate.form,
                text=text[candidate.start : candidate.end],
                start=candidate.start,
                end=candidate.end,
                span=note.span(candidate.start, candidate.end),
                fields=candidate.fields,
                locator=candidate.locator,
                target=candidate.target,
            )
            citations.append(citation)
            segments.append(Segment("citation", candidate.start, candidate.end, citation))
            if candidate.declaration is not None:
                abbreviation, start, end = candidate.declaration
                declarations.append(Declaration(note.index, abbreviation, start, end, citation.id))
            if candidate.form is not Form.ARCHIVAL:
                backward.extend(candidate.backward)
            position = candidate.end
        if position < len(text):
            segments.append(_gap(text, position, len(text)))
        for free in self.free_declarations:
            before = [c for c in citations if c.end <= free.start]
            owner = None if free.described else (before[-1].id if before else None)
            if not any(d.start == free.start for d in declarations):
                declarations.append(replace(free, citation=owner))
        return _Result(tuple(segments), tuple(citations), tuple(declarations), tuple(backward))


# --- the head of a plain short form -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ShortHead:
    """What the head of a plain short form says, read from its text alone (see :func:`_short_head`).

    ``authors`` is None for a head of one element: a bare title, or a known author's surname
    and a title without the comma between them. ``title`` is the last element with any damaged
    opening quote taken off; ``title_ok`` whether it reads as a title.
    """

    authors: tuple[str, ...] | None
    et_al: bool
    last: str
    damaged_quote: str | None
    title: str
    title_ok: bool


@lru_cache(maxsize=4096)
def _short_head(raw: str) -> _ShortHead | None:
    """The head of a plain short form (``Doe and Roe, Short Title``), or None when it is not one.

    Depends only on the head's text, so it is remembered (short forms repeat their heads).
    """
    g = _grammar()
    head = _clean(raw)
    if not head or _has_prose(head) or len(head.split()) > _SHORT_HEAD_MAX_WORDS:
        return None
    if not (head[:1].isupper() or _DAMAGED_QUOTE.match(head) or _LOWER_L_CONSONANT.match(head)):
        return None
    if _ENDS_IN_DIGIT.search(head) or g.DOCUMENT_DATE.re.search(head) or head.endswith(("ibid", "Ibid")):
        return None
    parts = [p.strip() for p in _split_top_commas(head)]
    damaged = _DAMAGED_QUOTE.match(parts[-1])
    authors: tuple[str, ...] | None = None
    et_al = False
    if len(parts) >= 2:
        names = g.NAME_LIST.re.fullmatch(", ".join(parts[:-1]))
        if names is None:
            return None
        authors, et_al = _names(names)
    last = parts[-1]
    title = last[damaged.end() :] if damaged else last
    quote = damaged.group() if damaged else None
    return _ShortHead(authors, et_al, last, quote, title, _title_like(title, _SHORT_HEAD_MAX_WORDS))


def _short_fields(
    text: str,
    body_start: int,
    head_end: int,
    known: frozenset[str],
    fields: dict[str, Any],
    extra: dict[str, str],
) -> bool | None:
    """Fill ``fields``/``extra`` from the head ``text[body_start:head_end]`` of a plain short
    form; None when it is not one. A one-element head that starts with a known author's surname
    (``Medvedev Let History Judge``) is that author and a title missing its comma."""
    head = _short_head(text[body_start:head_end])
    if head is None:
        return None
    title_ok = head.title_ok
    if head.authors is not None:
        fields["authors"] = head.authors
        if head.et_al:
            extra["et_al"] = "true"
        title = head.title
    else:
        words = head.last.split()
        if len(words) >= 2 and words[0] in known and words[1][:1].isupper():
            fields["authors"] = (words[0],)
            fields["missing_comma"] = True
            title = " ".join(words[1:])
            extra["comma_at"] = str(body_start + len(words[0]))
            if head.damaged_quote:
                title = title[len(head.damaged_quote) :]
            title_ok = _title_like(title, _SHORT_HEAD_MAX_WORDS)
        else:
            extra["bare"] = "true"
            title = head.title
    if head.damaged_quote:
        extra["damaged_quote"] = head.damaged_quote
    if not title_ok:
        return None
    fields["title"] = title
    fields["short_title"] = title
    return True


# --- the lean first pass: notes of plain forms --------------------------------------------------------


def _fast_declines(text: str) -> bool:
    """Whether ``text`` holds a cue of :data:`_FAST_DECLINE`: each part is tested only where a
    literal it needs is present (the whole pattern costs more than the rest of the lean pass)."""
    if "\t" in text or "''" in text or "[" in text or "]" in text or "{" in text or "}" in text:
        return True
    if not text.isascii() and _RARE_CHARACTERS.search(text):
        return True
    if ("tI" in text and _DAMAGED_OPEN_QUOTE.search(text)) or ("bid" in text and _odd_ibid(text)):
        return True
    lowered = text.lower()
    cued = "hence" in lowered or "hereafter" in lowered or "cit" in lowered
    if cued and _DECLARATION_OR_CONVENTION.search(text):
        return True
    if ("d." in text or "dem" in text) and any(
        not m.start() or not _is_word_character(text[m.start() - 1]) for m in _IDEM_CUE.finditer(text)
    ):
        return True
    if ("ote" in text or "n." in text or "N." in text) and _NOTE_CUE.search(text):
        return True
    return ("Doc" in text or "Appendix" in text) and _DOCUMENT_CUE.search(text) is not None


def _odd_ibid(text: str) -> bool:
    """Whether ``text`` holds ``ibid`` damaged, without its period, or as ``ibidem``
    (:data:`_ODD_IBID`, tested at each ``bid``)."""
    at = text.find("bid")
    while at >= 0:
        if text[at + 3 : at + 4] != "." or text.startswith("bidem", at):
            return True
        before = at - 1
        if (before >= 0 and text[before] in "Ll!1|") and (
            before == 0 or not (_is_word_character(text[before - 1]) or text[before - 1] in "!|")
        ):
            return True
        at = text.find("bid", at + 3)
    return False


def _is_word_character(char: str) -> bool:
    """``\\w`` of a str pattern."""
    return char.isalnum() or char == "_"


def _possessive(text: str) -> bool:
    """Whether ``text`` holds ``my "Title"`` (the possessive detector's pattern)."""
    return ("my" in text or "My" in text) and _grammar().POSSESSIVE.re.search(text) is not None


_OPT_COMMA = re.compile(r"\s*,?\s*")
_MONTH_CUE = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
#: A citation read by the lean pass: start, end, form, fields, locator, backward ranges.
_Read = tuple[int, int, Form, CitationFields, Locator | None, tuple[tuple[int, int, int, int], ...]]


def _lean_split(note: Note, known: frozenset[str]) -> _Result | None:
    """The fast first pass over a note made of common forms, or None to leave it to the full
    splitter.

    Reads ``Ibid.`` (with or without a locator), plain and quoted short forms (``Doe, Short
    Title, 12``; ``Doe, "Title," 12``) and signals before them with compiled patterns; full
    citations (a clause with publication data or a journal or newspaper tail) and archival
    references with the full splitter's own detectors, one per clause; commentary without any
    citation cue. Clauses are cut exactly as the full splitter cuts them, each is read the way
    the full splitter reads it, and the pass declines wherever the full splitter could also find
    something else: where it answers, its answer is the full splitter's
    (``tests/test_fastpath.py`` checks this on generated notes).
    """
    text = note.text
    if not text or len(text) > _FAST_MAX or _fast_declines(text):
        return None
    if not text.strip() or _possessive(text):
        return None
    splitter: _NoteSplitter | None = None
    spans = _quote_spans(text)
    if "(" in text or ")" in text:
        parens = _flat_parens(text)
        if parens is None:
            return None
        spans.extend(parens)
    if _may_hold_archival(text):
        splitter = _NoteSplitter(note, known)
        splitter._find_archival()
        spans.extend((m.start, m.end) for m in splitter.archival)
    if len(spans) > 1:
        spans.sort()
    found: list[_Read] = []
    try:
        starts = [m.start for m in splitter.archival] if splitter is not None else []
        previous: tuple[int, int, bool] | None = None
        for clause in _lean_clauses(text, spans):
            read: _Read | Literal["shared"] | None = _SHARED  # an archival reference
            if not starts or bisect_left(starts, clause[0]) == bisect_left(starts, clause[1]):
                read = _lean_clause(text, clause[0], clause[1], known)
            if read == _SHARED:
                if splitter is None:
                    splitter = _NoteSplitter(note, known)
                before = _Clause(*previous) if previous is not None else None
                read = _shared_clause(splitter, _Clause(*clause), before)
            if read is not None:
                found.append(read)
            previous = clause
    except _Decline:
        return None
    return _lean_build(note, found)


def _flat_parens(text: str) -> list[tuple[int, int]] | None:
    """The parentheses of ``text``, or None unless every one is a publication group (not read
    as a text of its own) and none is nested or left open."""
    spans: list[tuple[int, int]] = []
    opened = -1
    for bracket in _PARENS.finditer(text):
        if bracket.group() == "(":
            if opened >= 0:
                return None
            opened = bracket.start()
        else:
            if opened < 0:
                return None
            spans.append((opened, bracket.end()))
            opened = -1
    if opened >= 0 or any(_is_text_paren(text, start, end) for start, end in spans):
        return None
    return spans


def _shared_clause(splitter: _NoteSplitter, clause: _Clause, previous: _Clause | None) -> _Read | None:
    """A clause holding publication data or an archival reference, read by the full splitter's
    detectors: it must give one citation, the whole clause, and nothing else can."""
    text = splitter.text
    inside = [m for m in splitter.archival if clause.start <= m.start < clause.end]
    if inside:
        if len(inside) > 1:
            raise _Decline
        (match,) = inside
        (candidate,) = [c for c in splitter.candidates if c.end == match.end]
        count = len(splitter.candidates)
        splitter._document_before(match, clause)
        if len(splitter.candidates) != count or not _covers(text, candidate, clause):
            raise _Decline
        return _read_of(candidate)
    if "bid" in text[clause.start : clause.end]:
        raise _Decline
    count = len(splitter.candidates)
    splitter._detect_full(clause, previous)
    found = splitter.candidates[count:]
    if len(found) != 1 or not _covers(text, found[0], clause):
        raise _Decline
    return _read_of(found[0])


def _covers(text: str, candidate: _Candidate, clause: _Clause) -> bool:
    """Whether a candidate is the whole clause (but for a final period and spaces)."""
    return (
        candidate.start == clause.start
        and _TRAILING_END.fullmatch(text, candidate.end, clause.end) is not None
    )


def _read_of(candidate: _Candidate) -> _Read:
    backward = candidate.backward if candidate.form is not Form.ARCHIVAL else ()
    return candidate.start, candidate.end, candidate.form, candidate.fields, candidate.locator, backward


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """The quoted stretches of ``text`` (as :meth:`_NoteSplitter._find_structure` pairs them),
    for a text without ``''`` or ``tI`` (the lean pass declines those)."""
    spans: list[tuple[int, int]] = []
    if '"' not in text and "“" not in text and "”" not in text:
        return spans
    opened: int | None = None
    for match in _QUOTE_CUE.finditer(text):
        char = match.group()
        if char in ("“", "tI") or (char in ('"', "''") and opened is None):
            opened = match.start()
        elif opened is not None:
            if match.end() - opened <= 300:
                spans.append((opened, match.end()))
            opened = None
    return spans


def _lean_clauses(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """The clauses of a whole note with ``spans`` protected: :meth:`_NoteSplitter._clauses` for
    a note without parentheses or archival references."""
    size = len(text)

    def blocked(position: int) -> bool:
        return any(s + 1 <= position < min(e - 1, size) for s, e in spans)

    cuts: list[tuple[int, int, bool]] = []
    position = text.find(";")
    while position >= 0:
        if not spans or not blocked(position):
            cuts.append((position, position + 1, False))
        position = text.find(";", position + 1)
    for match in _SENTENCE_END.finditer(text):
        position = match.start()
        if _is_abbreviation(text, position):
            continue
        if spans and blocked(position) and blocked(min(match.end(), size) - 1):
            continue
        cuts.append((match.end(), match.end(), True))
    cuts.sort()
    clauses: list[tuple[int, int, bool]] = []
    begin, soft = 0, False
    for clause_end, next_start, next_soft in cuts:
        if clause_end > begin:
            clauses.append((begin, clause_end, soft))
        begin, soft = next_start, next_soft
    if size > begin:
        clauses.append((begin, size, soft))
    trimmed = []
    for start, end, soft in clauses:
        piece = text[start:end]
        stripped = piece.lstrip()
        if not stripped:
            continue
        lead = len(piece) - len(stripped)
        if stripped[0] in "ao":
            leading = _LEADING_AND.match(stripped)
            if leading:
                lead += leading.end()
        trimmed.append((start + lead, start + len(piece.rstrip()), soft))
    return trimmed


#: :func:`_lean_clause`'s answer for a clause the full splitter's detectors must read.
_SHARED: Final = "shared"


def _lean_clause(text: str, start: int, end: int, known: frozenset[str]) -> _Read | Literal["shared"] | None:
    """One clause: a citation, None for commentary, :data:`_SHARED` for a clause with
    parentheses or with a quoted title and a date (publication data, a journal or newspaper
    tail) or an archival reference, or :class:`_Decline`."""
    if end - start > _FAST_CLAUSE:
        raise _Decline
    piece = text[start:end]
    if "(" in piece:
        return _SHARED  # publication data
    quoted = '"' in piece or "“" in piece or "”" in piece
    dated = _MONTH_CUE.search(piece) is not None and _grammar().DOCUMENT_DATE.re.search(piece) is not None
    if "bid" in piece:
        if quoted or dated or piece.count("bid") != 1:
            raise _Decline
        return _lean_ibid(text, start, end)
    if dated:
        return _SHARED  # maybe a newspaper
    if not quoted and not _CITATION_CUE.search(piece):
        if _grammar().SIGNAL.re.match(text, start, end) is None:
            return None  # commentary
        raise _Decline
    if quoted:
        return _lean_quoted_short(text, start, end)
    return _lean_plain_short(text, start, end, known)


def _lean_ibid(text: str, start: int, end: int) -> _Read:
    """``Ibid.``, ``Cf. ibid., 34``: :meth:`_NoteSplitter._ibid_at` for an ibid at the clause
    start (after its signal)."""
    body = _after_signal(text, start, end)
    match = _grammar().IBID_WORD.re.match(text, body, end)
    if match is None or match.group("initial") not in "Ii":
        raise _Decline
    after = match.end()
    sep = _OPT_COMMA.match(text, after, end)
    assert sep is not None
    found = read_locator(text, sep.end(), end, leaf_context=True)
    locator, backward, stop = found if found is not None else (None, (), after)
    signal = (
        _signal_match_before(text, match.start()) if body > start or _may_follow_signal(text, start) else None
    )
    if signal is not None and signal.start() >= start:
        cited_from, said = signal.start(), _norm_signal(signal.group())
    else:
        cited_from, said = match.start(), None
    if cited_from != start or not _TRAILING_END.fullmatch(text, stop, end):
        raise _Decline
    return start, stop, Form.IBID, _ibid_fields(said), locator, backward


def _may_follow_signal(text: str, position: int) -> bool:
    """Whether a signal could end just before ``position`` (but for spaces): a signal ends in a
    letter, a period or a comma, so not after a semicolon or at the start of the text."""
    before = text[max(0, position - 30) : position].rstrip()
    return bool(before) and (before[-1].isalpha() or before[-1] in ".,")


@lru_cache(maxsize=64)
def _ibid_fields(signal: str | None) -> CitationFields:
    return _fields({"signal": signal}, {})


def _lean_plain_short(text: str, start: int, end: int, known: frozenset[str]) -> _Read:
    """``Doe and Roe, Short Title, 12``: :meth:`_NoteSplitter._short_at` for a clause whose
    locator starts at the first comma after the last word that is not a locator word."""
    body = _after_signal(text, start, end)
    comma = _split_comma(text, body, end)
    found = read_locator(text, comma + 1, end, leaf_context=False)
    if found is None or not _TRAILING_END.fullmatch(text, found[2], end):
        raise _Decline
    signal = _norm_signal(text[start:body].strip()) if body > start else None
    fields: dict[str, Any] = {"signal": signal}
    extra: dict[str, str] = {}
    if _short_fields(text, body, comma, known, fields, extra) is None:
        raise _Decline
    if text[comma + 1 : comma + 2] == " " and not text[comma + 2 : comma + 3].isspace():
        # _short_with_locator reads the locator after ", ": the same locator, already read
        locator, backward, stop = found
        return start, stop, Form.SHORT, _short_citation_fields(fields, extra), locator, backward
    return _lean_short_locator(text, start, comma, end, fields, extra)


def _split_comma(text: str, body: int, end: int) -> int:
    """The comma where :meth:`_NoteSplitter._find_locator_split` tries a locator first: the
    first comma after the last word that is not a locator word.

    That is the first comma after which every word is a locator word: no comma before it has
    only locator words after it, so none lies between the last other word and it.
    """
    comma = text.find(",", body, end)
    while comma >= 0:
        for word in _WORD.finditer(text, comma, end):
            lowered = word.group().lower()
            if lowered not in _LOCATOR_WORDS and not _LOWER_ROMAN.fullmatch(lowered):
                break
        else:
            return comma
        comma = text.find(",", comma + 1, end)
    raise _Decline


def _short_citation_fields(fields: dict[str, Any], extra: dict[str, str]) -> CitationFields:
    """:func:`_fields` of a short form, shared between equal ones (short forms repeat)."""
    if "comma_at" in extra:
        return _fields(fields, extra)
    return _cached_fields(tuple(fields.items()), tuple(extra.items()))


@lru_cache(maxsize=4096)
def _cached_fields(values: tuple[tuple[str, Any], ...], extra: tuple[tuple[str, str], ...]) -> CitationFields:
    return _fields(dict(values), dict(extra))


def _lean_quoted_short(text: str, start: int, end: int) -> _Read:
    """``Doe, "Article Title," 220``: the quoted branch of :meth:`_NoteSplitter._short_at`."""
    g = _grammar()
    body = _after_signal(text, start, end)
    quoted = g.QUOTED_TITLE.re.search(text, body, end)
    if quoted is None:
        raise _Decline
    fields: dict[str, Any] = {"signal": _norm_signal(text[start:body].strip()) if body > start else None}
    extra: dict[str, str] = {}
    head = _quoted_head(text[body : quoted.start()].strip())
    if head is None:
        raise _Decline
    authors, et_al = head
    if authors:
        fields["authors"] = authors
        if et_al:
            extra["et_al"] = "true"
    fields["title"] = _clean(quoted.group("title")).rstrip(" ,")
    fields["short_title"] = fields["title"]
    return _lean_short_locator(text, start, quoted.end(), end, fields, extra)


@lru_cache(maxsize=4096)
def _quoted_head(head: str) -> tuple[tuple[str, ...], bool] | None:
    """The authors before a quoted title in a short form (``Doe and Roe,``), or None when the
    head is not authors and a comma."""
    if not head:
        return (), False
    authors = _grammar().NAME_LIST.re.fullmatch(head.rstrip(",").strip())
    if authors is None or not head.endswith(","):
        return None
    return _names(authors)


def _lean_short_locator(
    text: str, start: int, after: int, end: int, fields: dict[str, Any], extra: dict[str, str]
) -> _Read:
    """:meth:`_NoteSplitter._short_with_locator` with a locator required."""
    sep = _OPT_COMMA.match(text, after, end)
    assert sep is not None
    found = read_locator(text, sep.end(), end, leaf_context=False)
    if found is None or not _TRAILING_END.fullmatch(text, found[2], end):
        raise _Decline
    locator, backward, stop = found
    return start, stop, Form.SHORT, _short_citation_fields(fields, extra), locator, backward


def _lean_build(note: Note, found: list[_Read]) -> _Result:
    """:meth:`_NoteSplitter._build` for citations that do not overlap, in order."""
    text, index, span = note.text, note.index, note.span
    segments: list[Segment] = []
    citations: list[Citation] = []
    backward: list[tuple[int, int, int, int]] = []
    position = 0
    prefix = f"n{index}c"
    for number, (start, end, form, fields, locator, back) in enumerate(found, start=1):
        if start > position:
            segments.append(Segment(_gap_kind(text[position:start]), position, start))
        # positional, in the order of Citation's fields: id, note index, form, text, offsets, span
        citation = Citation(
            prefix + str(number), index, form, text[start:end], start, end, span(start, end), fields, locator
        )
        citations.append(citation)
        segments.append(Segment("citation", start, end, citation))
        if back:
            backward.extend(back)
        position = end
    if position < len(text):
        segments.append(Segment(_gap_kind(text[position:]), position, len(text)))
    return _Result(tuple(segments), tuple(citations), (), tuple(backward))


# --- the fast path ----------------------------------------------------------------------------------


class _Decline(Exception):
    """The fast path leaves the note to the full splitter."""


#: Notes longer than this go to the full splitter.
_FAST_MAX = 1200
#: A clause longer than this is not read by the fast path (the full splitter's look-backs and
#: locator windows are then all within the clause, so the two read it alike).
_FAST_CLAUSE = 350
#: Cues of forms the fast path leaves to the full splitter: tabs, brackets, rare or OCR-damaged
#: quotes, ibid in any spelling but ``Ibid.``/``ibid.``, declarations, op. cit./loc. cit./idem,
#: cross-references.
_FAST_DECLINE = re.compile(
    r"[\t\[\]{}«»„]|''|‘‘|’’|(?<!\w)tI(?=[A-Z])"
    r"|(?<![\w!|])[Ll!1|]bid|bid(?!\.)|bidem"
    r"|(?i:henceforth|hereafter|op\.\s*cit|loc\.\s*cit)"
    r"|(?<!\w)(?:[Ii]dem|[Ii]d\.)"
    r"|(?:[Nn]otes?|nn?\.)\s*\d|(?:Document|Doc\.|Appendix)\s+\d"
)
_QUOTE_CUE = re.compile(r"[\"“”]")
# The parts of _FAST_DECLINE, tested one by one.
_RARE_CHARACTERS = re.compile(r"[«»„]|‘‘|’’")
_DAMAGED_OPEN_QUOTE = re.compile(r"(?<!\w)tI(?=[A-Z])")
_ODD_IBID = re.compile(r"(?<![\w!|])[Ll!1|]bid|bid(?!\.)|bidem")
_DECLARATION_OR_CONVENTION = re.compile(r"(?i:henceforth|hereafter|op\.\s*cit|loc\.\s*cit)")
_IDEM_CUE = re.compile(r"[Ii]d(?:em|\.)")  # a cue where no word character comes before it
_NOTE_CUE = re.compile(r"[Nn]otes?\s*\d|nn?\.\s*\d")
_DOCUMENT_CUE = re.compile(r"(?:Document|Doc\.|Appendix)\s+\d")
#: A clause holding none of these, and not opening with a signal, gives no citation.
_CITATION_CUE = re.compile(r"[\d,(\"“”]")


@cache
def _archive_prefilter() -> re.Pattern[str]:
    from notecheck.archival_grammar import reference_grammar
    from notecheck.config import DEFAULT_ARCHIVES

    return reference_grammar(tuple(DEFAULT_ARCHIVES)).prefilter


@cache
def _archive_words() -> re.Pattern[str]:
    """Literals one of which every archival reference's start holds: ``f.``/``F.`` or an
    archive's first word (a cheap test before the archival prefilter)."""
    from notecheck.config import DEFAULT_ARCHIVES

    words = sorted({name.split()[0] for name in DEFAULT_ARCHIVES if name.split()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ("f.", "F.", *words)))


def _may_hold_archival(text: str) -> bool:
    """Whether an archival reference could start in ``text`` (the archival prefilter)."""
    return _archive_words().search(text) is not None and _archive_prefilter().search(text) is not None


# --- helpers ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Element:
    start: int
    end: int
    text: str = ""


def _elements(text: str, start: int, end: int) -> list[_Element]:
    """The comma-separated elements of ``text[start:end]``, outside quotes and parentheses."""
    elements: list[_Element] = []
    depth, quoted, begin = 0, False, start
    for index in range(start, end):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif char in '“”"':
            quoted = (char == "“") or (char == '"' and not quoted)
        elif char == "," and depth == 0 and not quoted:
            elements.append(_Element(begin, index))
            begin = index + 1
    elements.append(_Element(begin, end))
    result = []
    for element in elements:
        piece = text[element.start : element.end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            result.append(_Element(element.start + lead, element.start + len(piece.rstrip()), piece.strip()))
    return result


def _split_top_commas(text: str) -> list[str]:
    return [text[e.start : e.end] for e in _elements(text, 0, len(text))] or [text]


def _clean(text: str | None) -> str:
    """Whitespace (line ends included) collapsed to single spaces."""
    return _WS.sub(" ", text or "").strip()


def _unquoted(text: str) -> str:
    return str(_grammar().QUOTED_TITLE.re.sub(" ", text))


def _has_prose(text: str) -> bool:
    return bool(_grammar().PROSE_WORD.re.search(_unquoted(text)))


def _title_like(text: str, max_words: int) -> bool:
    words = text.split()
    return 0 < len(words) <= max_words and not _has_prose(text)


def _is_title_element(element: str) -> bool:
    """Whether a head element continues a title (not a role, edition, volume or reprint note)."""
    g = _grammar()
    return not (
        g.ROLE.re.fullmatch(element)
        or g.ROLE_BARE.re.fullmatch(element)
        or g.EDITION.re.fullmatch(element)
        or g.VOLUME.re.fullmatch(element)
        or re.search(r"(?i)\breprint|\brepr\.", element)
    )


def _names(match: re.Match[str]) -> tuple[tuple[str, ...], bool]:
    return _split_names(match.group("names")), bool(match.group("etal"))


def _split_names(text: str) -> tuple[str, ...]:
    text = re.sub(r"\s*,?\s+et\s+al\.?$", "", _clean(text))
    parts = re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", text)
    return tuple(p for p in (part.strip() for part in parts) if p)


def _assign_role(role: str, names: tuple[str, ...], fields: dict[str, Any], extra: dict[str, str]) -> None:
    lowered = role.lower()
    if "tr" in lowered:
        fields["translators"] = fields.get("translators", ()) + names
    if re.search(r"\b(?:eds?|edited|00)\b", lowered) or lowered.startswith(("ed", "00")):
        fields["editors"] = fields.get("editors", ()) + names
    if "comp" in lowered:
        fields["editors"] = fields.get("editors", ()) + names
        extra["compiler"] = "true"
    if lowered.startswith("00"):
        extra["damaged_role"] = role


def _surname(name: str) -> str:
    return name.split()[-1] if name.split() else name


def _short_title(title: str) -> str:
    main = re.split(r"[:?!]\s", title, maxsplit=1)[0]
    return main.strip()


def _year_of(text: str) -> str | None:
    match = re.search(r"(?:1[4-9]\d\d|20\d\d)", text)
    return match.group() if match else None


def _direction(word: str | None) -> str | None:
    if word is None:
        return None
    return {"supra": "above", "infra": "below"}.get(word.lower(), word.lower())


def _norm_signal(signal: str | None) -> str | None:
    if not signal:
        return None
    return _WS.sub(" ", signal).strip().lower()


def _fields(values: Mapping[str, Any], extra: Mapping[str, str]) -> CitationFields:
    return CitationFields(**{k: v for k, v in values.items() if v is not None}, extra=dict(extra))


def _gap(text: str, start: int, end: int) -> Segment:
    return Segment(_gap_kind(text[start:end]), start, end)


@lru_cache(maxsize=1024)
def _gap_kind(piece: str) -> str:
    """``separator`` for punctuation, spaces and ``and``/``or`` between citations, else
    ``commentary``."""
    bare = re.sub(r"\b(?:and|or)\b", "", piece)
    return "separator" if not re.search(r"\w", bare) else "commentary"


def _is_text_paren(text: str, start: int, end: int) -> bool:
    """Whether the parenthesis ``text[start:end]`` holds text to read on its own (not a
    publication group or a declaration)."""
    g = _grammar()
    inner = text[start:end]
    group = g.PUB_GROUP.re.fullmatch(inner)
    if group and _valid_pub_inner(group):
        return False
    return not g.DECLARATION.re.fullmatch(inner)


def _valid_pub_inner(match: re.Match[str]) -> bool:
    """Whether a publication group's inside reads as place, publisher or thesis data."""
    inner = _clean(match.group("inner"))
    return bool(_PUB_INNER_START.match(inner)) and not _has_prose(inner)


def _is_abbreviation(text: str, position: int) -> bool:
    """Whether the period at ``position`` ends an abbreviation or an initial, not a sentence."""
    if text[position] != ".":
        return False
    # the token before the period: _TOKEN_BEFORE searched in the 40 characters before it
    low, begin = max(0, position - 40), position
    while begin > low and (text[begin - 1].isalnum() or text[begin - 1] in "_.'’-"):
        begin -= 1
    if begin == position:
        return False
    token = text[begin:position].lstrip("'’-")
    if _INITIAL_TOKEN.fullmatch(token):
        return True  # an initial: R. W. Davies, Vias Ia. Chubar', F.-X. Coquin
    return token.lower() in _ABBREVIATIONS or bool(_DOTTED_TOKEN.fullmatch(token))


def _signal_match_before(text: str, position: int) -> re.Match[str] | None:
    """The signal that ends, but for spaces, at ``position`` (looked for 30 characters back)."""
    found = None
    for match in _grammar().SIGNAL.re.finditer(text, max(0, position - 30), position):
        if not text[match.end() : position].strip():
            found = match
    return found


def _after_signal(text: str, start: int, end: int) -> int:
    """Where the text after a signal at ``start`` begins (``start`` when none is there)."""
    match = _grammar().SIGNAL.re.match(text, start, end)
    if match is None:
        return start
    position = int(match.end())
    while position < end and text[position].isspace():
        position += 1
    return position


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


def _locator_from(
    runs: Sequence[_Run | str], text: str, offset: int
) -> tuple[Locator | None, tuple[tuple[int, int, int, int], ...]]:
    """A :class:`Locator` from the grammar's runs; ``offset`` is the note offset of the parsed piece.

    The first run gives the kind, label and volume; ranges are those of the runs of that kind
    (a page item with a note number, ``447 n. 59``, alone makes the kind ``note``).
    """
    g = _grammar()
    kind: str | None = None
    label: str | None = None
    volume: str | None = None
    ranges: list[tuple[int, int]] = []
    notes: list[tuple[int, int]] = []
    verso = damaged = False
    backward: list[tuple[int, int, int, int]] = []
    item_count = 0
    for run in runs:
        if isinstance(run, str):
            continue  # esp.
        values = run.groups
        run_start = offset + run.start
        run_text = text[run_start : offset + run.end]
        if kind is None:
            kind = run.kind
            label = values.get("label") or None
            if kind == "leaf" and label not in ("l.", "ll."):
                damaged = True
            volume = values.get("volume") or values.get("roman_volume") or None
        numbers = values.get("numbers") or ""
        if not numbers:
            continue
        base = run_start + run_text.rfind(numbers)
        for piece in re.finditer(r"[^,]+", numbers):
            item = piece.group()
            lead = len(item) - len(item.lstrip())
            item_start = base + piece.start() + lead
            item_count += 1
            roman = g.ROMAN_RANGE.re.match(item, lead)
            number = g.RANGE.re.match(item, lead)
            if number is None:
                if roman is not None:
                    first = roman_to_int(roman.group("rfirst"))
                    last = roman_to_int(roman.group("rlast")) if roman.group("rlast") else first
                    if last < first:
                        backward.append((item_start, item_start + roman.end() - lead, first, last))
                continue
            pair = _expand(number.group("first"), number.group("last"))
            if pair[1] < pair[0]:
                backward.append((item_start, item_start + len(number.group().rstrip()), pair[0], pair[1]))
            if number.group("verso"):
                verso = True
            note = re.match(rf"\s*nn?\.?\s*({g.RANGE.re.pattern})", item[number.end() :])
            if note is not None:
                notes.append(_expand(note.group("first"), note.group("last")))
            if run.kind == kind:
                ranges.append(pair)
            elif run.kind == "note":
                notes.append(pair)
    if kind is None:
        return None, ()
    if kind == "page" and notes and item_count == 1:
        kind = "note"
    locator = Locator(
        text=text[offset:offset],
        kind=kind,
        ranges=tuple(ranges),
        verso=verso,
        label=label if isinstance(label, str) else None,
        volume=volume if isinstance(volume, str) else None,
        notes=tuple(notes),
        damaged=damaged,
    )
    return locator, tuple(backward)


def _name_like(text: str) -> bool:
    """A personal name, or a short OCR-damaged one (``L. I. Gol' dman``): few words, no colon."""
    if _grammar().NAME_LIST.re.fullmatch(text):
        return True
    return len(text.split()) <= 5 and ":" not in text and text[:1].isupper() and not _has_prose(text)


# --- reading a locator ------------------------------------------------------------------------------


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


# --- the locator grammar, walked by its compiled terms -------------------------------------------


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
    g = _grammar()
    runs = g.LEAF_RUN_TERMS if leaf_context else g.PRINT_RUN_TERMS
    return tuple((kind, term.re) for kind, term in runs), g.ESP.re, g.SEPARATOR_TERM.re


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


def _may_lack_comma(citation: Citation, known: frozenset[str]) -> bool:
    """Whether a bare short form starts with a known author's surname (``Medvedev Let ...``)."""
    if not citation.fields.extra.get("bare") or not citation.fields.title:
        return False
    words = citation.fields.title.split()
    return len(words) >= 2 and words[0] in known
