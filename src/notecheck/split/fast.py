"""Stage split: the fast first pass over notes made of common forms (see :func:`_lean_split`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache, lru_cache
from typing import Any, Final, Literal

from notecheck.archival import IBID_BELOW_FOND
from notecheck.models import Citation, CitationFields, Form, Note, Segment
from notecheck.split.fields import _short_fields
from notecheck.split.locators import read_locator
from notecheck.split.records import _Candidate, _Clause, _Read, _Result
from notecheck.split.splitter import _COLLECTION_CUE, _may_cite_known_in_prose, _NoteSplitter
from notecheck.split.text import (
    _CITATION_AND,
    _DOCUMENT_DATE,
    _IBID_WORD,
    _LEADING_AND,
    _LOCATOR_WORDS,
    _LOWER_ROMAN,
    _NAME_LIST,
    _OPT_COMMA,
    _PARENS,
    _POSSESSIVE,
    _QUOTED_TITLE,
    _SENTENCE_END,
    _SIGNAL,
    _TRAILING_END,
    _WORD,
    Known,
    _after_signal,
    _clean,
    _fields,
    _gap_kind,
    _is_abbreviation,
    _is_text_paren,
    _names,
    _norm_signal,
    _signal_match_before,
)


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
    if ", and " in text and _CITATION_AND.search(text):
        return True  # two citations in one clause: the full splitter cuts it
    if "bid" in text and IBID_BELOW_FOND.search(text):
        return True  # ``Ibid., d. 5785``: an archive-level ibid the archival grammar reads
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
    return ("my" in text or "My" in text) and _POSSESSIVE.search(text) is not None


_MONTH_CUE = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


def _lean_split(note: Note, known: Known) -> _Result | None:
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
    if not text.strip() or _possessive(text) or _may_cite_known_in_prose(text, known):
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


def _lean_clause(text: str, start: int, end: int, known: Known) -> _Read | Literal["shared"] | None:
    """One clause: a citation, None for commentary, :data:`_SHARED` for a clause with
    parentheses or with a quoted title and a date (publication data, a journal or newspaper
    tail) or an archival reference, or :class:`_Decline`."""
    if end - start > _FAST_CLAUSE:
        raise _Decline
    piece = text[start:end]
    if "(" in piece:
        return _SHARED  # publication data
    quoted = '"' in piece or "“" in piece or "”" in piece
    dated = _MONTH_CUE.search(piece) is not None and _DOCUMENT_DATE.search(piece) is not None
    if "bid" in piece:
        if quoted or dated or piece.count("bid") != 1:
            raise _Decline
        return _lean_ibid(text, start, end)
    if dated:
        return _SHARED  # maybe a newspaper
    if not quoted and not _CITATION_CUE.search(piece):
        if _SIGNAL.match(text, start, end) is None:
            return None  # commentary
        raise _Decline
    if quoted:
        return _lean_quoted_short(text, start, end)
    if _COLLECTION_CUE.search(piece):
        raise _Decline  # maybe a reference to an archive's collection
    return _lean_plain_short(text, start, end, known)


def _lean_ibid(text: str, start: int, end: int) -> _Read:
    """``Ibid.``, ``Cf. ibid., 34``: :meth:`_NoteSplitter._ibid_at` for an ibid at the clause
    start (after its signal)."""
    body = _after_signal(text, start, end)
    match = _IBID_WORD.match(text, body, end)
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


def _lean_plain_short(text: str, start: int, end: int, known: Known) -> _Read:
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
    body = _after_signal(text, start, end)
    quoted = _QUOTED_TITLE.search(text, body, end)
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
    authors = _NAME_LIST.fullmatch(head.rstrip(",").strip())
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
