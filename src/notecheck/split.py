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
from functools import cache
from typing import TYPE_CHECKING, Any

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


def _split(note: Note, known_authors: frozenset[str]) -> _Result:
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
        for index, char in enumerate(text):
            if char == "(":
                stack.append(index)
            elif char == ")" and stack:
                self.parens.append((stack.pop(), index + 1))
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
        """Whether a parenthesis holds text to read on its own (not a publication group)."""
        g = _grammar()
        inner = self.text[start:end]
        if g.PUB_GROUP.re.fullmatch(inner) and self._valid_pub_inner(g.PUB_GROUP.re.fullmatch(inner)):
            return False
        return not g.DECLARATION.re.fullmatch(inner)

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
        """Whether the period at ``position`` ends an abbreviation or an initial, not a sentence."""
        if self.text[position] != ".":
            return False
        match = _TOKEN_BEFORE.search(self.text, max(0, position - 40), position)
        if match is None:
            return False
        token = match.group(1).lstrip("'’-")
        if re.fullmatch(r"[A-ZÀ-ÞА-Я][a-z]?|(?:[A-ZÀ-ÞА-Я]\.-?)+[A-ZÀ-ÞА-Я]", token):
            return True  # an initial: R. W. Davies, Vias Ia. Chubar', F.-X. Coquin
        return token.lower() in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token))

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
        g = _grammar()
        window_start = max(0, position - 30)
        found = None
        for match in g.SIGNAL.re.finditer(self.text, window_start, position):
            if not self.text[match.end() : position].strip():
                found = match
        return found

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
        self._detect_crossrefs(clause)
        self._detect_full(clause, previous)
        self._detect_ibid(clause)
        self._detect_possessive(clause)
        self._detect_short(clause)
        self._detect_implicit(clause)
        self._detect_in_prose(clause)
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
        inner = _clean(match.group("inner"))
        return bool(_PUB_INNER_START.match(inner)) and not _has_prose(inner)

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
        match = _grammar().SIGNAL.re.match(self.text, start, end)
        if match is None:
            return start
        position = int(match.end())
        while position < end and self.text[position].isspace():
            position += 1
        return position

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
        limit = min(end, start + _MAX_LOCATOR)
        found = self._parse_locator_upto(start, limit, leaf_context=leaf_context)
        if found is not None and limit < end and found[2] > limit - _LOCATOR_MARGIN:
            found = None  # it may run on past the cap: longer than any locator, so none
        self.locators[key] = found
        return found

    def _parse_locator_upto(self, start: int, end: int, *, leaf_context: bool) -> _Located | None:
        piece = self.text[start:end]
        if not _LOCATOR_START.match(piece):
            return None
        fast = plain_pages(piece)
        if fast is not None:
            locator, backward = fast
            return (
                replace(locator, start=start + locator.start, end=start + locator.end),
                tuple((start + a, start + b, first, last) for a, b, first, last in backward),
                start + locator.end,
            )
        return self._parse_locator_grammar(start, end, leaf_context=leaf_context)

    def _parse_locator_grammar(
        self, start: int, end: int, *, leaf_context: bool
    ) -> tuple[Locator, tuple[tuple[int, int, int, int], ...], int] | None:
        """:meth:`_parse_locator` without the plain-pages fast path: the locator grammar, walked
        by its compiled terms (:func:`scan_locator`), or by pyparsing where those decline."""
        piece = self.text[start:end]
        scanned = scan_locator(piece, leaf_context=leaf_context)
        if scanned is None:
            return None
        items, locn_start, locn_end = scanned
        loc_start, loc_end = start + locn_start, start + locn_end
        loc_end = loc_start + len(self.text[loc_start:loc_end].rstrip())
        if locn_start != len(piece) - len(piece.lstrip()):
            return None
        locator, backward = _locator_from(items, self.text, start)
        if locator is None:
            return None
        return (
            replace(locator, text=self.text[loc_start:loc_end], start=loc_start, end=loc_end),
            backward,
            loc_end,
        )

    # ibid ------------------------------------------------------------------------------------
    def _detect_ibid(self, clause: _Clause) -> None:
        g = _grammar()
        text = self.text
        for match in g.IBID_WORD.re.finditer(text, clause.start, clause.end):
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
            self.candidates.append(
                _Candidate(start, end, 3, Form.IBID, _fields(fields, extra), locator, None, backward)
            )

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
        head_end, _ = split
        head = _clean(text[body_start:head_end])
        if not head or _has_prose(head) or len(head.split()) > _SHORT_HEAD_MAX_WORDS:
            return None
        if not (
            head[:1].isupper() or _DAMAGED_QUOTE.match(head) or re.match(r"l[bcdfghjkmnpqrstvwxz]", head)
        ):
            return None
        if re.search(r"\d$", head) or g.DOCUMENT_DATE.re.search(head) or head.endswith(("ibid", "Ibid")):
            return None
        parts = [p.strip() for p in _split_top_commas(head)]
        damaged_quote = _DAMAGED_QUOTE.match(parts[-1])
        if len(parts) >= 2:
            authors = g.NAME_LIST.re.fullmatch(", ".join(parts[:-1]))
            if authors is None:
                return None
            fields["authors"], etal = _names(authors)
            if etal:
                extra["et_al"] = "true"
            title = parts[-1]
        else:
            title = parts[0]
            words = title.split()
            if len(words) >= 2 and words[0] in self.known and words[1][:1].isupper():
                fields["authors"] = (words[0],)
                fields["missing_comma"] = True
                title = " ".join(words[1:])
                extra["comma_at"] = str(body_start + len(words[0]))
            else:
                extra["bare"] = "true"
        if damaged_quote:
            extra["damaged_quote"] = damaged_quote.group()
            title = title[damaged_quote.end() :]
        if not _title_like(title, _SHORT_HEAD_MAX_WORDS):
            return None
        fields["title"] = title
        fields["short_title"] = title
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
    piece = text[start:end]
    bare = re.sub(r"\b(?:and|or)\b", "", piece)
    kind = "separator" if not re.search(r"\w", bare) else "commentary"
    return Segment(kind, start, end)


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
