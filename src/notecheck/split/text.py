"""Stage split: text helpers of both passes — cleaning, prose and title tests, names, signals,
sentence ends — and the grammar's recognisers (:mod:`notecheck.grammar`) as compiled patterns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

from notecheck import grammar as g
from notecheck.models import CitationFields, Segment

if TYPE_CHECKING:
    import pyparsing as pp

#: The authors the edition cites in full: surname -> the titles of their full citations. A short
#: form by one of them may lack its comma (``Medvedev Let History Judge``) or stand in prose
#: (``described in Kuromiya, Stalin's Industrial Revolution, 290``) if it names one of the titles.
Known = Mapping[str, tuple[str, ...]]


#: Whitespace runs, collapsed by :func:`_clean`.
_WS = re.compile(r"\s+")
_PARENS = re.compile(r"[()]")
_SEMICOLON = re.compile(";")
_TRAILING_END = re.compile(r"[\s.]*$")
_ENDS_IN_DIGIT = re.compile(r"\d$")
_LOWER_L_CONSONANT = re.compile(r"l[bcdfghjkmnpqrstvwxz]")
_WORD = re.compile(r"[^\W\d_]+")
_COMMA = re.compile(",")
_LOWER_ROMAN = re.compile(r"[ivxlc]+")
_SPACES = re.compile(r"\s*")
_OPT_COMMA = re.compile(r"\s*,?\s*")
_LOCATOR_SEPARATOR = re.compile(r"\s*[,:]\s*")
_OPEN_PAREN = re.compile(r"\s*\(")
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
_SHORT_HEAD_MAX_WORDS = 14


def _re(element: pp.ParserElement) -> re.Pattern[str]:
    """The compiled pattern of one of the grammar's Regex terms."""
    return cast("pp.Regex", element).re


# The grammar's terms and recognisers (notecheck.grammar) as compiled patterns, for the hot paths.
_REPOSITORY_WORD = _re(g.REPOSITORY_WORD)
_COLLECTION_REFERENCE = _re(g.COLLECTION_REFERENCE)
_FOLIO = _re(g.FOLIO)
_AT_LOCATOR = _re(g.AT_LOCATOR)
_IBID_BEFORE = _re(g.IBID_BEFORE)
_CONTAINER_LEAD = _re(g.CONTAINER_LEAD)
_IN_CONTAINER = _re(g.IN_CONTAINER)
_YEAR_GROUP = _re(g.YEAR_GROUP)
_AUTHORS_LEAD = _re(g.AUTHORS_LEAD)
_HEAD_LEAD = _re(g.HEAD_LEAD)
_AUTHOR_JOIN = _re(g.AUTHOR_JOIN)
_REPRINT = _re(g.REPRINT)
_REPRINT_BEFORE_GROUP = _re(g.REPRINT_BEFORE_GROUP)
_PAREN_COMMENT = _re(g.PAREN_COMMENT)
_TITLE_LEAD_IN = _re(g.TITLE_LEAD_IN)
_NAME_AFTER_LEAD_IN = _re(g.NAME_AFTER_LEAD_IN)
_EDITOR_WORD = _re(g.EDITOR_WORD)
_DECLARATION = _re(g.DECLARATION)
_DECLARATION_SENTENCE = _re(g.DECLARATION_SENTENCE)
_DOCUMENT_CROSSREF = _re(g.DOCUMENT_CROSSREF)
_DOCUMENT_DATE = _re(g.DOCUMENT_DATE)
_EDITION = _re(g.EDITION)
_ESP = _re(g.ESP)
_IBID_WORD = _re(g.IBID_WORD)
_JOURNAL_TAIL = _re(g.JOURNAL_TAIL)
_NAME_LIST = _re(g.NAME_LIST)
_NEWSPAPER_TAIL = _re(g.NEWSPAPER_TAIL)
_NOTED_CROSSREF = _re(g.NOTED_CROSSREF)
_NOTE_CROSSREF = _re(g.NOTE_CROSSREF)
_POSSESSIVE = _re(g.POSSESSIVE)
_PROSE_WORD = _re(g.PROSE_WORD)
_PUB_GROUP = _re(g.PUB_GROUP)
_QUOTED_TITLE = _re(g.QUOTED_TITLE)
_RANGE = _re(g.RANGE)
_ROLE = _re(g.ROLE)
_ROLE_BARE = _re(g.ROLE_BARE)
_ROMAN_RANGE = _re(g.ROMAN_RANGE)
_SEPARATOR_TERM = _re(g.SEPARATOR_TERM)
_SIGNAL = _re(g.SIGNAL)
_VOLUME = _re(g.VOLUME)
_YEAR = _re(g.YEAR)
_CROSSREF_CUE = _re(g.CROSSREF_CUE)
_DECLARATION_CUE = _re(g.DECLARATION_CUE)
_QUOTE_CHARS = _re(g.QUOTE_MARK)
_SENTENCE_END = _re(g.SENTENCE_END)
_INITIAL_TOKEN = _re(g.INITIAL_TOKEN)
_DOTTED_TOKEN = _re(g.DOTTED_TOKEN)
_DAMAGED_QUOTE = _re(g.DAMAGED_OPEN_QUOTE)
_LEAF_START = _re(g.LEAF_LABEL)
_PUBLISHER_WORDS = _re(g.PUBLISHER_WORD)
_THESIS = _re(g.THESIS)
_UNPUBLISHED = _re(g.UNPUBLISHED)
_PUB_INNER_START = _re(g.PUB_DATA_START)
_LEADING_AND = _re(g.LEADING_AND)
_CITATION_AND = _re(g.CITATION_AND)
_CONVENTION = _re(g.CONVENTION)
_IDEM = _re(g.IDEM)
_LOCATOR_START = _re(g.LOCATOR_CUE)
_ABBREVIATIONS = g.ABBREVIATIONS
_LOCATOR_WORDS = g.LOCATOR_WORDS
_SMALL_WORDS = g.TITLE_SMALL_WORDS


@cache
def _located(expr_name: str) -> pp.ParserElement:
    import pyparsing as pp

    return pp.Located(getattr(g, expr_name))


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
    return str(_QUOTED_TITLE.sub(" ", text))


def _has_prose(text: str) -> bool:
    return bool(_PROSE_WORD.search(_unquoted(text)))


def _title_like(text: str, max_words: int) -> bool:
    words = text.split()
    return 0 < len(words) <= max_words and not _has_prose(text)


def _is_title_element(element: str) -> bool:
    """Whether a head element continues a title (not a role, edition, volume or reprint note)."""
    return not (
        _ROLE.fullmatch(element)
        or _ROLE_BARE.fullmatch(element)
        or _EDITION.fullmatch(element)
        or _VOLUME.fullmatch(element)
        or _REPRINT.search(element)
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
    if _EDITOR_WORD.search(lowered) or lowered.startswith(("ed", "00")):
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
    inner = text[start:end]
    group = _PUB_GROUP.fullmatch(inner)
    if group and _valid_pub_inner(group):
        return False
    return not _DECLARATION.fullmatch(inner)


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
    for match in _SIGNAL.finditer(text, max(0, position - 30), position):
        if not text[match.end() : position].strip():
            found = match
    return found


def _after_signal(text: str, start: int, end: int) -> int:
    """Where the text after a signal at ``start`` begins (``start`` when none is there)."""
    match = _SIGNAL.match(text, start, end)
    if match is None:
        return start
    position = int(match.end())
    while position < end and text[position].isspace():
        position += 1
    return position


def _name_like(text: str) -> bool:
    """A personal name, or a short OCR-damaged one (``L. I. Gol' dman``): few words, no colon."""
    if _NAME_LIST.fullmatch(text):
        return True
    return len(text.split()) <= 5 and ":" not in text and text[:1].isupper() and not _has_prose(text)
