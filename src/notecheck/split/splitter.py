"""Stage split: the full splitter — structure, clauses, and every detector, in priority order.

It reads any note: quotes and parentheses first, archival references, clauses, then in each
clause cross-references, full citations, ibid, possessives, short forms, implicit ibid, titles in
prose and declarations; overlaps are settled by priority and the rest is commentary.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from notecheck import grammar as g
from notecheck.models import Citation, CitationFields, Form, Locator, Note, Segment, Target
from notecheck.split.fields import _short_fields, read_head, read_pub
from notecheck.split.locators import read_locator
from notecheck.split.records import Declaration, _Candidate, _Clause, _Located, _Result
from notecheck.split.text import (
    _AT_LOCATOR,
    _AUTHORS_LEAD,
    _CITATION_AND,
    _COLLECTION_REFERENCE,
    _COMMA,
    _CONTAINER_LEAD,
    _CONVENTION,
    _CROSSREF_CUE,
    _DECLARATION,
    _DECLARATION_CUE,
    _DECLARATION_SENTENCE,
    _DOCUMENT_CROSSREF,
    _DOCUMENT_DATE,
    _FOLIO,
    _HEAD_LEAD,
    _IBID_BEFORE,
    _IBID_WORD,
    _IDEM,
    _IN_CONTAINER,
    _JOURNAL_TAIL,
    _LEADING_AND,
    _LEAF_START,
    _LOCATOR_SEPARATOR,
    _LOCATOR_WORDS,
    _LOWER_L_CONSONANT,
    _LOWER_ROMAN,
    _MAX_CITATION,
    _MAX_DEPTH,
    _MAX_LOCATOR,
    _MAX_PAREN,
    _NAME_AFTER_LEAD_IN,
    _NAME_LIST,
    _NEWSPAPER_TAIL,
    _NOTE_CROSSREF,
    _NOTED_CROSSREF,
    _OPEN_PAREN,
    _OPT_COMMA,
    _PAREN_COMMENT,
    _PARENS,
    _POSSESSIVE,
    _PUB_GROUP,
    _QUOTE_CHARS,
    _QUOTED_TITLE,
    _REPOSITORY_WORD,
    _REPRINT_BEFORE_GROUP,
    _SEMICOLON,
    _SENTENCE_END,
    _SIGNAL,
    _SMALL_WORDS,
    _SPACES,
    _TITLE_LEAD_IN,
    _TRAILING_END,
    _UNPUBLISHED,
    _WORD,
    _WS,
    _YEAR_GROUP,
    Known,
    _after_signal,
    _clean,
    _direction,
    _elements,
    _fields,
    _gap,
    _has_prose,
    _is_abbreviation,
    _is_text_paren,
    _is_title_element,
    _names,
    _norm_signal,
    _short_title,
    _signal_match_before,
    _title_like,
    _valid_pub_inner,
    _year_of,
)

if TYPE_CHECKING:
    from notecheck.archival import ArchivalMatch

_DIGIT = re.compile(r"\d")
#: A locator that may be a year of a title instead (``1905``, ``1917-1923``).
_YEAR_LIKE = re.compile(r"[\s,]*(?:1[5-9]|20)\d\d(?:\s*[-–]\s*\d{2,4})?\s*")
#: The most words a container named by its short title may have (``in Russia's Women``).
_MAX_CONTAINER_WORDS = 8
#: Literals one of which a collection reference holds (before its recogniser runs).
_COLLECTION_CUE = re.compile(r"Archiv|Librar|Record|Museum|Societ|Institut|Collection|MSS?\.")
_NOT_IN_COLLECTION = re.compile(r"[()\"“”]")


def _may_cite_known_in_prose(text: str, known: Known) -> bool:
    """Whether ``text`` has a known author's surname and a comma after a lead-in (``described in
    Kuromiya, ...``): where :meth:`_NoteSplitter._detect_known_in_prose` may find a short form."""
    if not known:
        return False
    return any(match.group("surname") in known for match in _NAME_AFTER_LEAD_IN.finditer(text))


def _is_publication_group(text: str, start: int, end: int) -> bool:
    """Whether the parenthesis ``text[start:end]`` is publication data with a place or a
    publisher: ``(Chicago, 1990)``, not a bare ``(1976)``."""
    group = _PUB_GROUP.fullmatch(text, start, end)
    return group is not None and bool(group.group("inner")) and _valid_pub_inner(group)


def _names_a_title(short: str, titles: tuple[str, ...]) -> bool:
    """Whether a short title names one of ``titles``: every distinctive word of it is in one of
    them (``Stalin's Industrial Revolution`` of *Stalin's Industrial Revolution: Politics and
    Workers*), or it is as close to one's main title as an OCR-damaged title is (the resolver's
    :func:`~notecheck.resolver.match.similarity`)."""
    from notecheck.bibliography import title_words
    from notecheck.resolver.match import SAME_TITLE, main_title, similarity

    words = set(title_words(short))
    return any(
        (words and words <= set(title_words(title))) or similarity(short, main_title(title)) >= SAME_TITLE
        for title in titles
    )


class _NoteSplitter:
    """Everything found in one note; one instance per note and per pass."""

    def __init__(self, note: Note, known_authors: Known, declared: tuple[tuple[str, int], ...] = ()) -> None:
        self.note = note
        self.text = note.text
        self.known = known_authors
        #: Abbreviations declared before this note or in it: (abbreviation, offset after which
        #: the note may mention it).
        self.declared = declared
        self.quotes: list[tuple[int, int]] = []
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
            # the whole note's clauses are kept: a mention looks for its locator in them
            clauses = (
                self._note_clauses() if (start, end) == (0, len(self.text)) else self._clauses(start, end)
            )
            for index, clause in enumerate(clauses):
                previous = clauses[index - 1] if index else None
                self._detect(clause, previous)
        if self.declared:
            self._detect_mentions()
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
                    self.quotes.append((opened, match.end()))
                opened = None
        self.protected.extend(self.quotes)
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
        stops = sorted(cut[0] for cut in cuts)
        for match in _CITATION_AND.finditer(text, start, end):
            position = match.start()
            if blocked[position - start]:
                continue
            begin = max((cut[1] for cut in cuts if cut[0] <= position), default=start)
            following = bisect_right(stops, position)
            stop = stops[following] if following < len(stops) else end
            if self._joins_citations(begin, position, match.end(), stop):
                cuts.append((position, position + 1, True))
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

    def _joins_citations(self, begin: int, comma: int, after: int, stop: int) -> bool:
        """Whether the ``, and`` at ``comma`` joins two citations of the clause ``[begin, stop)``:
        the text before it is a complete citation ending in a locator, and, when that "locator"
        reads as a year, no publication group ``(Place, Year)`` follows before ``stop`` (the
        ``and`` is then inside a full citation's title: ``Labor in 1905, and After, Its Legacy
        (Chicago, 1990), 12``; after a page, ``Wood, The Baba, 220, and Lapidus, Women in Soviet
        Society (Berkeley, 1978), 66`` is two citations)."""
        left = self._trim(_Clause(begin, comma, False))
        split = self._locator_split(left.start, left.end)
        if split is None or not self.text[left.start : split[0]].strip():
            return False
        if not _YEAR_LIKE.fullmatch(self.text, split[0], left.end):
            return True
        first = bisect_left(self.parens, (after, after))
        for paren_start, paren_end in self.parens[first:]:
            if paren_start >= stop:
                break
            if paren_end <= stop and _is_publication_group(self.text, paren_start, paren_end):
                return False
        return True

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
            ibid = _IBID_BEFORE.search(before)
            if ibid is not None and match.reference.archive is None:
                ibid_start = start - len(before) + ibid.start("ibid")
                word = ibid.group("ibid") + (ibid.group("dot") or "")
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
        for q in _QUOTED_TITLE.finditer(self.text, window, body_end + 1):
            quoted = q
        if quoted is not None and not self.text[quoted.end() : start].strip(" ,\n"):
            date = None
            for d in _DOCUMENT_DATE.finditer(self.text, window, quoted.start()):
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
        date_match = _DOCUMENT_DATE.search(body)
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
        if _DIGIT.search(text, start, end) and _COLLECTION_CUE.search(text, start, end):
            self._detect_collection(clause)
        self._detect_full(clause, previous)
        if "bid" in text[start:end]:
            self._detect_ibid(clause)
        self._detect_possessive(clause)
        self._detect_short(clause)
        self._detect_implicit(clause)
        self._detect_in_prose(clause)
        if self.known:
            self._detect_known_in_prose(clause)
        if _DECLARATION_CUE.search(text, start, end):
            self._detect_declaration(clause)

    def _detect_crossrefs(self, clause: _Clause) -> None:
        text = self.text
        for match in _NOTED_CROSSREF.finditer(text, clause.start, clause.end):
            target = Target("note", int(match.group("number")), _direction(match.group("direction")))
            self.candidates.append(
                _Candidate(match.start(), match.end(), 1, Form.CROSSREF, CitationFields(), target=target)
            )
        for match in _NOTE_CROSSREF.finditer(text, clause.start, clause.end):
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
        for match in _DOCUMENT_CROSSREF.finditer(text, clause.start, clause.end):
            target = Target("document", int(match.group("number")), _direction(match.group("direction")))
            fields = CitationFields(signal=_norm_signal(match.group("signal")))
            self.candidates.append(
                _Candidate(match.start(), match.end(), 1, Form.CROSSREF, fields, target=target)
            )

    # full citations ------------------------------------------------------------------------
    def _detect_full(self, clause: _Clause, previous: _Clause | None) -> None:
        text = self.text
        taken_until = clause.start
        anchors: list[tuple[int, int, str, re.Match[str]]] = []
        for match in _PUB_GROUP.finditer(text, clause.start, clause.end):
            if match.group("inner").strip() and self._valid_pub_inner(match):
                anchors.append((match.start(), match.end(), "pub", match))
        for quoted in _QUOTED_TITLE.finditer(text, clause.start, clause.end):
            rest = quoted.end()
            lead = _CONTAINER_LEAD.match(text, rest, clause.end)
            tail_start = lead.end() if lead else rest
            # The container after a title is read within _MAX_CITATION: matched to the clause end
            # after every quoted title, a clause of many quotes (``''`` repeated) was quadratic.
            tail_end = min(clause.end, tail_start + _MAX_CITATION)
            journal = _JOURNAL_TAIL.match(text, tail_start, tail_end)
            if (
                journal
                and not _has_prose(journal.group("container"))
                and journal.group("container")[:1].isupper()
            ):
                anchors.append((quoted.start(), journal.end(), "journal", journal))
                continue
            paper = _NEWSPAPER_TAIL.match(text, tail_start, tail_end)
            if paper and not _has_prose(paper.group("container")) and paper.group("container")[:1].isupper():
                anchors.append((quoted.start(), paper.end(), "newspaper", paper))
                continue
            year = _YEAR_GROUP.match(text, rest, clause.end)
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
        paper = _NEWSPAPER_TAIL.fullmatch(text, body_start, body_end)
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
        for candidate in _POSSESSIVE.finditer(text, max(floor, anchor_start - 60), anchor_start + 4):
            if candidate.end() <= anchor_start:
                possessive = candidate
        if quoted_anchor and possessive and not text[possessive.end() : anchor_start].strip():
            fields["signal"] = "my"
            if possessive.group("described"):
                extra["described"] = _clean(possessive.group("described"))
            head_start = head_from = head_end = possessive.start()
        if kind == "pub":
            read_head(self.text, head_from, head_end, fields, extra)
            read_pub(match, fields, extra)
        else:
            quoted = _QUOTED_TITLE.match(text, anchor_start)
            assert quoted is not None
            read_head(self.text, head_from, head_end, fields, extra, quoted_follows=True)
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
        text = self.text
        start = max(clause.start, floor)
        while start < anchor and text[start] in " \n\t,;":
            start += 1
        signal = None
        for match in _SIGNAL.finditer(text, start, anchor):
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
            authors = _NAME_LIST.match(head)
            if head.strip() and not (authors and head[authors.end() :].strip() == ","):
                return anchor, None, anchor  # commentary before the quoted title
            return cited_from, signal_text, head_from
        if _has_prose(head):
            title_start = self._title_start_in_prose(head_from, anchor)
            return title_start, None, title_start if title_start is not None else anchor
        starts_clause = signal is None and clause.soft and start == clause.start
        if starts_clause and previous is not None and not _AUTHORS_LEAD.match(head):
            # a title cut by a period (``Politicheskie protsessy, 1901-1917. Chast' 1``): the
            # citation may begin a sentence earlier, with its author or editor
            earlier = text[previous.start : anchor]
            lead = _HEAD_LEAD.match(earlier)
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
            if token[:1].isupper() or token[:1] in '"“' or _LOWER_L_CONSONANT.match(token):
                first = title.start + word.start()
            elif token.lower() not in _SMALL_WORDS and not token[:1].isdigit():
                break
        return first

    def _covered(self, start: int, end: int) -> bool:
        return any(c.start < end and start < c.end for c in self.candidates if c.priority <= 1)

    def _after_signal(self, start: int, end: int) -> int:
        return _after_signal(self.text, start, end)

    def _read_tail(
        self, position: int, end: int, fields: dict[str, Any], extra: dict[str, str]
    ) -> tuple[int, Locator | None, tuple[tuple[int, int, int, int], ...], tuple[str, int, int] | None]:
        """What follows a full citation's publication data: reprint, locator, declaration."""
        text = self.text
        locator: Locator | None = None
        backward: tuple[tuple[int, int, int, int], ...] = ()
        declaration: tuple[str, int, int] | None = None
        for _ in range(6):
            reprint = _REPRINT_BEFORE_GROUP.match(text, position, end)
            if reprint:
                group = _PUB_GROUP.match(text, reprint.end(), end)
                if group:
                    fields["reprint"] = _clean(text[reprint.start("reprint") : group.end()])
                    position = group.end()
                    continue
            decl = _SPACES.match(text, position, end)
            assert decl is not None
            declared = _DECLARATION.match(text, decl.end(), end)
            if declared:
                abbreviation = _clean(declared.group("abbreviation")).strip('"“”')
                declaration = (abbreviation, declared.start("abbreviation"), declared.end("abbreviation"))
                position = declared.end()
                continue
            comment = _PAREN_COMMENT.match(text, position, end)
            if comment and locator is None and not _PUB_GROUP.fullmatch(comment.group().strip()):
                extra["comment"] = _clean(comment.group("comment"))
                position = comment.end()
                continue
            if locator is None:
                sep = _LOCATOR_SEPARATOR.match(text, position, end)
                if sep:
                    found = self._parse_locator(sep.end(), end, leaf_context=False)
                    if found is not None:
                        locator, backward, position = found
                        continue
            elif locator is not None:
                paren = _OPEN_PAREN.match(text, position, end)
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
        for match in _IBID_WORD.finditer(self.text, clause.start, clause.end):
            self.candidates.append(self._ibid_at(match, clause))

    def _ibid_at(self, match: re.Match[str], clause: _Clause) -> _Candidate:
        """The ibid citation of one ``ibid`` word of a clause: its signal or the title or
        document described before it, and its locator."""
        text = self.text
        word = match.group()
        after = match.end()
        locator: Locator | None = None
        backward: tuple[tuple[int, int, int, int], ...] = ()
        sep = _OPT_COMMA.match(text, after, clause.end)
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
            for q in _QUOTED_TITLE.finditer(text, window, prefix_end):
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
        text = self.text
        for match in _POSSESSIVE.finditer(text, clause.start, clause.end):
            quoted = _QUOTED_TITLE.match(text, _SPACES.match(text, match.end()).end())  # type: ignore[union-attr]
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
        text = self.text
        # A short form found here runs to the clause end and is never longer than _MAX_CITATION,
        # so starts farther back are not tried: trying every signal of a long clause (``see
        # above, `` x n) was quadratic.
        floor = clause.end - _MAX_CITATION
        starts = [clause.start] if clause.start >= floor else []
        for match in _SIGNAL.finditer(text, max(clause.start, floor), clause.end):
            if match.start() > clause.start:
                starts.append(match.start())
        for start in starts:
            found = self._short_at(start, clause.end)
            if found is not None:
                self.candidates.append(found)
                return

    def _short_at(self, start: int, end: int) -> _Candidate | None:
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
            authors = _NAME_LIST.fullmatch(_clean(head)) if head else None
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
            return self._idem(start, rest_start, end, fields, extra)
        # a quoted title, maybe after authors: Doe and Roe, "Article Title," 220
        quoted = None
        for q in _QUOTED_TITLE.finditer(text, body_start, body_end):
            quoted = q
            break
        if quoted is not None:
            head = text[body_start : quoted.start()].strip()
            if head:
                authors = _NAME_LIST.fullmatch(head.rstrip(",").strip())
                if authors is None or not head.endswith(","):
                    return None
                fields["authors"], etal = _names(authors)
                if etal:
                    extra["et_al"] = "true"
            fields["title"] = _clean(quoted.group("title")).rstrip(" ,")
            fields["short_title"] = fields["title"]
            container = _IN_CONTAINER.match(text, quoted.end(), end)
            if container is not None:  # "Chapter," in Short Book Title, 243-66
                return self._in_container(start, container.end(), end, fields, extra)
            return self._short_with_locator(start, quoted.end(), end, fields, extra, required=True)
        split = self._locator_split(body_start, end)
        if split is None:
            return None
        return self._plain_short(start, body_start, end, split[0], fields, extra)

    def _in_container(
        self, start: int, container: int, end: int, fields: dict[str, Any], extra: dict[str, str]
    ) -> _Candidate | None:
        """A quoted title's container by its (short) title and a locator: ``in Russia's Women, 243-66``."""
        split = self._locator_split(container, end)
        if split is None:
            return None
        title = _clean(self.text[container : split[0]])
        if not title[:1].isupper() or not _title_like(title, _MAX_CONTAINER_WORDS):
            return None
        fields["container"] = title
        extra["type"] = "chapter"
        return self._short_with_locator(start, split[0], end, fields, extra, required=True)

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
        sep = _OPT_COMMA.match(text, after, end)
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

    def _idem(
        self, start: int, rest: int, end: int, fields: dict[str, Any], extra: dict[str, str]
    ) -> _Candidate | None:
        """After ``Idem``/``Id.``: a locator alone (``Id. at 12``, ``Id., 45``), or a title and
        its locator (``idem, Title, 12``)."""
        at = _AT_LOCATOR.match(self.text, rest, end)
        alone = self._parse_locator(at.end() if at else rest, end, leaf_context=False)
        if alone is not None and _TRAILING_END.fullmatch(self.text, alone[2], end):
            locator, backward, stop = alone
            return _Candidate(start, stop, 4, Form.SHORT, _fields(fields, extra), locator, None, backward)
        split = self._locator_split(rest, end)
        if split is None:
            return None
        title = _clean(self.text[rest : split[0]]).rstrip(" ,")
        if title:
            fields["title"] = _clean(title.strip('"“”'))
            fields["short_title"] = fields["title"]
        return self._short_with_locator(start, split[0], end, fields, extra, required=True)

    # mentions of declared abbreviations ---------------------------------------------------------
    def _detect_mentions(self) -> None:
        """A declared abbreviation named in commentary: ``The claim in "Avtobiograjiia" is absent``.

        Quoted (``"Avtobiograjiia"``) or, for one of two words or more, as whole words; an
        OCR-damaged spelling after an opening quote (``"Autobiograjiia,``) within a small edit
        distance too, marked ``ocr_variant_of``. Each is a short form without a locator
        (``extra["mention"]``), the weakest candidate: any other citation there wins.
        """
        wanted = {_mention_key(a): (a, after) for a, after in self.declared if _mentionable(a)}
        if not wanted:
            return
        for start, end in self.quotes:
            self._quoted_mention(start, end, wanted)
        quoted = [s for s, _ in self.quotes]
        for opening in _QUOTE_CHARS.finditer(self.text):
            if opening.start() not in quoted and not any(s < opening.start() < e for s, e in self.quotes):
                self._unclosed_mention(opening.end(), wanted)
        for key, (_, after) in wanted.items():
            if len(key.split()) >= 2:
                for match in _whole_words(key).finditer(self.text, after):
                    self._mention(match.start(), match.end(), _clean(match.group()), None)

    def _quoted_mention(self, start: int, end: int, wanted: dict[str, tuple[str, int]]) -> None:
        quoted = _QUOTED_TITLE.match(self.text, start, end)
        inner = (
            _clean(quoted.group("title")).rstrip(" ,") if quoted else self.text[start + 1 : end - 1].strip()
        )
        key = _mention_key(inner)
        if key in wanted and start >= wanted[key][1]:
            self._mention(start, end, inner, None)
            return
        variant = _near_abbreviation(key, wanted, start)
        if variant is not None:
            self._mention(start, end, inner, variant)

    def _unclosed_mention(self, position: int, wanted: dict[str, tuple[str, int]]) -> None:
        """Words after a quote that never closes (``"Autobiograjiia, Landau``)."""
        words = _MENTION_WORDS.match(self.text, position)
        if words is None:
            return
        for count in sorted({len(k.split()) for k in wanted}):
            printed = " ".join(words.group().split()[:count])
            end = self.text.find(printed.split()[-1], position) + len(printed.split()[-1])
            key = _mention_key(printed)
            if key in wanted and position - 1 >= wanted[key][1]:
                self._mention(position - 1, end, printed, None)
                return
            variant = _near_abbreviation(key, wanted, position - 1)
            if variant is not None:
                self._mention(position - 1, end, printed, variant)
                return

    def _mention(self, start: int, end: int, title: str, variant_of: str | None) -> None:
        extra = {"mention": "true"}
        if variant_of is not None:
            extra["ocr_variant_of"] = variant_of
        fields = CitationFields(title=title, short_title=title, extra=extra)
        clauses = self._note_clauses()
        index = bisect_right(self._whole_clause_starts, start) - 1
        clause = clauses[index] if index >= 0 and start < clauses[index].end else None
        if clause is not None and end < clause.end:  # ``in Istoriia metro, 45.``: its locator
            located = self._short_with_locator(
                start, end, clause.end, {"title": title, "short_title": title}, extra, required=True
            )
            if located is not None:
                self.candidates.append(replace(located, priority=6))
                return
        self.candidates.append(_Candidate(start, end, 6, Form.SHORT, fields))

    def _note_clauses(self) -> list[_Clause]:
        """The clauses of the whole note (outside parentheses too), computed once."""
        if not hasattr(self, "_whole_clauses"):
            self._whole_clauses = self._clauses(0, len(self.text))
            self._whole_clause_starts = [c.start for c in self._whole_clauses]
        return self._whole_clauses

    # collections of other archives ------------------------------------------------------------
    def _detect_collection(self, clause: _Clause) -> None:
        """``National Archives, RG 59, file 102.5/7-953``: a clause that is a reference to a
        collection of an archive not cited by fond and opis' (form archival, no ``archival``
        reference: the resolver matches it to a ``@misc`` collection entry by its words)."""
        text = self.text
        body = self._after_signal(clause.start, clause.end)
        end = clause.start + len(text[clause.start : clause.end].rstrip(" .\n"))
        match = _COLLECTION_REFERENCE.match(text, body, end)
        if match is None or match.end() != end:
            return
        repository = _clean(match.group("repository"))
        if (
            not (match.group("manuscript") or _REPOSITORY_WORD.search(repository))
            or not repository.split()[-1][:1].isupper()
        ):
            return
        if _NOT_IN_COLLECTION.search(text, match.start("parts"), end):
            return  # publication data or a quoted title: a citation of a work
        parts = [_clean(e.text) for e in _elements(text, match.start("parts"), end)]
        if any(len(p.split()) > 8 or _has_prose(p) for p in parts) or not any(
            _DIGIT.search(p) for p in parts
        ):
            return
        located = self._collection_item(match.start("parts"), end)
        extra = {"kind": "collection", "repository": repository}
        if match.group("manuscript"):
            extra["manuscript"] = "true"
        named = [p for p in parts if not _DIGIT.search(p)]
        fields = CitationFields(
            container=named[0] if named else None, signal=self._signal_before(body), extra=extra
        )
        locator, backward = located if located is not None else (None, ())
        self.candidates.append(
            _Candidate(clause.start, end, 1, Form.ARCHIVAL, fields, locator, None, backward)
        )

    def _collection_item(
        self, start: int, end: int
    ) -> tuple[Locator, tuple[tuple[int, int, int, int], ...]] | None:
        """The item cited in a collection: the longest run of its last elements that reads as a
        locator to the end (``I, 281``; ``f. 12``; ``fol. 4``)."""
        best: tuple[Locator, tuple[tuple[int, int, int, int], ...]] | None = None
        for element in reversed(_elements(self.text, start, end)):
            folio = _FOLIO.fullmatch(self.text, element.start, end)
            if folio is not None:
                first = int(folio.group("first"))
                last = int(folio.group("last")) if folio.group("last") else first
                piece = self.text[element.start : end]
                best = (
                    Locator(piece, "leaf", ((first, last),), False, element.start, end, folio.group("label")),
                    (),
                )
                continue
            found = self._parse_locator(element.start, end, leaf_context=False)
            if found is None or found[2] != end:
                break
            best = (found[0], found[1])
        return best

    def _detect_implicit(self, clause: _Clause) -> None:
        """A signal and a labelled locator alone: ``see also l. 52`` repeats the last source."""
        signal = _SIGNAL.match(self.text, clause.start, clause.end)
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
        if not _title_like(title, 8) or not _TITLE_LEAD_IN.search(text[clause.start : start]):
            return
        fields = CitationFields(title=title, short_title=title, extra={"bare": "true", "in_prose": "true"})
        locator, backward, loc_end = found
        self.candidates.append(_Candidate(start, loc_end, 4, Form.SHORT, fields, locator, None, backward))

    def _detect_known_in_prose(self, clause: _Clause) -> None:
        """A short form at the end of a sentence of prose, by an author the edition cites in
        full: ``The mobilization is described in Kuromiya, Stalin's Industrial Revolution, 290``.

        Only after a lead-in (``in``, ``see``, ``from``), only for a known surname and only when
        the words after it name one of that author's titles: a place (``born in Moscow, Russia,
        1905``), or one that is also a cited author's surname (``printed in Berlin, Rowohlt
        Verlag, 1923`` with Isaiah Berlin cited in full), is not read as an author. A known
        surname that fails does not hide a later one in the clause.
        """
        text = self.text
        for match in _NAME_AFTER_LEAD_IN.finditer(text, clause.start, clause.end):
            surname = match.group("surname")
            if surname not in self.known:
                continue
            found = self._short_at(match.start("surname"), clause.end)
            if (
                found is not None
                and found.fields.authors
                and found.fields.title
                and _names_a_title(found.fields.title, self.known[surname])
            ):
                self.candidates.append(found)
                return

    # declarations ----------------------------------------------------------------------------
    def _detect_declaration(self, clause: _Clause) -> None:
        for match in _DECLARATION_SENTENCE.finditer(self.text, clause.start, clause.end):
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


# --- mentions ------------------------------------------------------------------------------------------

#: Words after an opening quote: up to five, as a mention's words.
_MENTION_WORDS = re.compile(r"[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,4}")
_MARKS = re.compile(r"[\"“”'’‘`]")
#: How close an OCR-damaged spelling must be to a declared abbreviation (rapidfuzz ratio).
MENTION_RATIO = 85


def _mention_key(text: str) -> str:
    """An abbreviation or mention folded: case, quotes and apostrophes, spacing, end punctuation."""
    return " ".join(_MARKS.sub("", text).casefold().split()).strip(" ,.;:")


def _mentionable(abbreviation: str) -> bool:
    """Whether notes can mention an abbreviation in commentary: two words or more, or one word of
    eight letters or more that is not a common word."""
    key = _mention_key(abbreviation)
    words = key.split()
    return len(words) >= 2 or (len(words) == 1 and len(key) >= 8 and key not in g.COMMON_WORDS)


@lru_cache(maxsize=256)
def _whole_words(key: str) -> re.Pattern[str]:
    """A folded abbreviation as whole words, any case, spacing, quotes or apostrophes."""
    words = [r"['’]?".join(re.escape(c) for c in word) for word in key.split()]
    return re.compile(r"(?i)(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def _near_abbreviation(key: str, wanted: dict[str, tuple[str, int]], start: int) -> str | None:
    """The declared abbreviation an OCR-damaged spelling stands for, if exactly one is close."""
    if not key:
        return None
    from rapidfuzz import fuzz

    close = [
        abbreviation
        for folded, (abbreviation, after) in wanted.items()
        if start >= after
        and len(folded.split()) == len(key.split())
        and fuzz.ratio(key, folded, score_cutoff=MENTION_RATIO)
    ]
    return close[0] if len(close) == 1 else None
