"""Stage parse: the citation and locator grammar (pyparsing only; no models, no I/O).

The grammar reads endnotes written in Chicago notes-and-bibliography style, older editions and
OCR text as well as what reference managers (Zotero, pandoc, any CSL processor) write today:
straight or typographic quotes, hyphens or en dashes, ``(Place, Year)``, ``(Place: Publisher,
Year)`` or ``(Publisher, Year)``. Every major element is named with ``set_name`` and every field
with a results name, so :mod:`notecheck.split` turns parse results into dataclasses without
indexing. ``docs/grammar.md`` holds the BNF.

Terms are pyparsing ``Regex`` objects where a token is really a pattern (a page range, a name);
their ``re`` attribute is the compiled pattern, which the splitter also uses for quick tests on a
whole piece of text (``NAME_LIST.re.fullmatch(...)``).

Example::

    >>> LOCATOR.parse_string("387-91").runs[0].items[0].value.last
    '91'
"""

from __future__ import annotations

import re

import pyparsing as pp

__all__ = [
    "ABBREVIATIONS",
    "AT_LOCATOR",
    "AUTHORS_LEAD",
    "AUTHOR_JOIN",
    "CITATION_AND",
    "COLLECTION_REFERENCE",
    "COMMON_WORDS",
    "CONTAINER_LEAD",
    "CONVENTION",
    "CROSSREF_CUE",
    "DAMAGED_OPEN_QUOTE",
    "DECLARATION",
    "DECLARATION_CUE",
    "DECLARATION_SENTENCE",
    "DOCUMENT_CROSSREF",
    "DOCUMENT_DATE",
    "DOTTED_TOKEN",
    "EDITION",
    "EDITOR_WORD",
    "FOLIO",
    "HEAD_LEAD",
    "IBID",
    "IBID_BEFORE",
    "IBID_WORD",
    "IDEM",
    "INITIAL_TOKEN",
    "IN_CONTAINER",
    "JOURNAL_TAIL",
    "LEADING_AND",
    "LEAF_LABEL",
    "LEAF_LOCATOR",
    "LOCATOR",
    "LOCATOR_CUE",
    "LOCATOR_WORDS",
    "NAME",
    "NAME_AFTER_LEAD_IN",
    "NAME_LIST",
    "NEWSPAPER_TAIL",
    "NOTED_CROSSREF",
    "NOTE_CROSSREF",
    "PAREN_COMMENT",
    "POSSESSIVE",
    "PROSE_WORD",
    "PUBLISHER_WORD",
    "PUB_DATA_START",
    "PUB_GROUP",
    "QUOTED_TITLE",
    "QUOTE_MARK",
    "REPOSITORY_WORD",
    "REPRINT",
    "REPRINT_BEFORE_GROUP",
    "ROLE",
    "ROLE_BARE",
    "SENTENCE_END",
    "SIGNAL",
    "THESIS",
    "TITLE_LEAD_IN",
    "TITLE_SMALL_WORDS",
    "UNPUBLISHED",
    "VOLUME",
    "YEAR",
    "YEAR_GROUP",
]

# --- characters -------------------------------------------------------------------------------
DASHES = "-–—‐‑"
_DASH = f"[{DASHES}]"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
_LETTER = r"[^\W\d_]"
_OPEN_QUOTE = r"(?:“|\"|''|‘‘|„|«|\btI(?=[A-Z]))"
_CLOSE_QUOTE = r"(?:”|\"|''|’’|»)"
_YEAR = r"(?:1[4-9]\d\d|20\d\d)"
_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept(?:ember|\.)?|Sep\.|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DATE = (
    rf"(?:\d{{1,2}}\s+{_MONTH}\.?\s+{_YEAR}"  # 6 Nov. 1991
    rf"|{_MONTH}\.?\s+\d{{1,2}},\s+{_YEAR}"  # August 15, 1958
    rf"|{_MONTH}\.?\s+{_YEAR})"  # August 1958
)

_YEAR_TERM = rf"{_YEAR}[a-z]?(?!\d)"
YEAR = pp.Regex(_YEAR_TERM).set_name("year")

# --- locators ---------------------------------------------------------------------------------
# A locator is a sequence of runs (``esp. 41-45, 127-141, and chap. 8``). Each run is one Regex
# term whose named groups are the label as printed and the numbers after it; the splitter reads
# each number range out of ``numbers`` with :data:`RANGE` (same pattern, so the two agree).
#: One range: a number, maybe a dash and its (possibly abbreviated) end, maybe ``ob.`` (verso).
RANGE = pp.Regex(
    rf"(?P<first>\d+)(?:\s*{_DASH}\s*(?P<last>\d+))?(?!\d)(?:\s*(?P<verso>ob)\.?(?!\w))?"
).set_name("range")
#: A range of lower-case roman numerals (front matter): ``xi``, ``xii-xv``.
ROMAN_RANGE = pp.Regex(
    rf"(?P<rfirst>[ivxlc]+)(?:\s*{_DASH}\s*(?P<rlast>[ivxlc]+))?(?!\w)(?!\.\s*\d)"
).set_name("roman page range")
_R = rf"\d+(?:\s*{_DASH}\s*\d+)?(?!\d)(?:\s*ob\.?(?!\w))?"
_ROMAN = rf"[ivxlc]+(?:\s*{_DASH}\s*[ivxlc]+)?(?!\w)(?!\.\s*\d)"
_LIST = rf"{_R}(?:\s*,\s*{_R})*"
# a page item may carry a note number: 447 n. 59
_PAGE_ITEM = rf"(?:{_R}(?:\s*nn?\.\s*{_R}|nn?{_R})?|{_ROMAN})"
_PAGES = rf"{_PAGE_ITEM}(?:\s*,\s*{_PAGE_ITEM})*"


#: Every run's Regex term by the run element built from it (the compiled fast path walks these).
_RUN_TERM: dict[int, tuple[str, pp.Regex]] = {}


def _run(kind: str, pattern: str) -> pp.ParserElement:
    """One run of a locator, tagged with its kind and located in the text."""
    term = pp.Regex(pattern)
    term.set_name(f"{kind} run")
    element = pp.Group(pp.Tag("kind", kind) + pp.Located(term)("run")).set_name(f"{kind} run")
    _RUN_TERM[id(element)] = (kind, term)
    return element


#: ``l. 33``, ``ll. 3, 6, 9``, ``l. 4 ob.``
LEAF_RUN = _run("leaf", rf"(?P<label>ll?\.)\s*(?P<numbers>{_LIST})")
#: OCR damages the leaf abbreviations: ``1.``/``I.``/``11.``/``Il.`` for ``l.``/``ll.``, and
#: ``n.`` for ``ll.``; read this way only right after an archival reference or an ibid.
DAMAGED_LEAF_RUN = _run("leaf", rf"(?P<label>(?:[1Il|]{{1,2}}|n)\.)\s*(?P<numbers>{_LIST})")
CHAPTER_RUN = _run(
    "chapter", rf"(?P<label>chaps?\.|ch\.|chapters?(?=\s))\s*(?P<numbers>{_LIST}|{_ROMAN}|[IVXL]+\b)"
)
NOTE_RUN = _run("note", rf"(?P<label>nn?\.|notes?(?=\s))\s*(?P<numbers>{_LIST})")
OTHER_RUN = _run(
    "other",
    rf"(?P<label>figs?\.|tables?(?=\s)|secs?\.|§§?|paras?\.|art\.|doc\.|nos?\.|bk\.|pt\.)\s*(?P<numbers>{_LIST})",
)
PASSIM_RUN = _run("passim", r"(?P<label>passim)\b")
#: ``VII, 274``, ``vol. 2, p. 185``, ``2:185``
VOLUME_RUN = _run(
    "page",
    rf"(?:(?P<volume_label>vols?\.|t\.)\s*(?P<volume>\d+)|(?P<roman_volume>[IVXL]+)(?![\w.]))\s*,\s*"
    rf"(?:(?P<label>pp?\.)\s*)?(?P<numbers>{_PAGES})",
)
COLON_VOLUME_RUN = _run("page", rf"(?P<volume>\d+):(?P<numbers>{_PAGES})")
#: ``387-91``, ``p.192``, ``pp. 60, 140, 168-169``, ``447 n. 59``, ``xi``, ``45-50 passim``,
#: ``72 ff.`` (and the following pages)
PAGE_RUN = _run(
    "page",
    rf"(?:(?P<label>pp?\.|pages?(?=\s)|S\.(?=\s*\d))\s*)?(?P<numbers>{_PAGES})"
    rf"(?:\s+(?P<passim>passim)\b|\s*(?P<following>ff?\.?)(?!\w))?",
)
ESP = pp.Regex(r"esp\.|especially(?=\s)")("esp").set_name("esp.")
SEPARATOR_TERM = pp.Regex(r",(?:\s*and(?=\s))?|and(?=\s)").set_name("locator separator")
_SEPARATOR = pp.Suppress(SEPARATOR_TERM).set_name("locator separator")
_PRINT_ORDER = (
    LEAF_RUN,
    CHAPTER_RUN,
    NOTE_RUN,
    OTHER_RUN,
    PASSIM_RUN,
    VOLUME_RUN,
    COLON_VOLUME_RUN,
    PAGE_RUN,
)
_PRINT_RUNS = pp.MatchFirst(_PRINT_ORDER)


def _locator(runs: pp.ParserElement) -> pp.ParserElement:
    run = pp.Opt(ESP) + runs
    return pp.Group(run + pp.ZeroOrMore(_SEPARATOR + run))("runs")


#: A locator in a printed work: ``387-91``, ``p.192``, ``60, 140, 168-169``, ``447 n. 59``,
#: ``VII, 274``, ``vol. 2, p. 185``, ``chap. 5``, ``esp. 41-45``, ``passim``, ``l. 33``.
LOCATOR = _locator(_PRINT_RUNS).set_name("locator")
#: A locator after an archival reference or an ibid: also reads OCR-damaged leaf labels.
LEAF_LOCATOR = _locator(DAMAGED_LEAF_RUN | _PRINT_RUNS).set_name("leaf-context locator")
#: The runs of :data:`LOCATOR` and of :data:`LEAF_LOCATOR` as ``(kind, Regex term)``, in the order
#: the grammar tries them (ordered choice): the compiled fast path walks the same terms.
PRINT_RUN_TERMS = tuple(_RUN_TERM[id(run)] for run in _PRINT_ORDER)
LEAF_RUN_TERMS = (_RUN_TERM[id(DAMAGED_LEAF_RUN)], *PRINT_RUN_TERMS)
#: The Regex term of every run, by name, so the splitter can re-read a run's groups.
RUN_TERMS = {
    name: expr
    for name, expr in {
        "leaf": LEAF_RUN,
        "damaged_leaf": DAMAGED_LEAF_RUN,
        "chapter": CHAPTER_RUN,
        "note": NOTE_RUN,
        "other": OTHER_RUN,
        "passim": PASSIM_RUN,
        "volume": VOLUME_RUN,
        "colon_volume": COLON_VOLUME_RUN,
        "page": PAGE_RUN,
    }.items()
}

# --- names ------------------------------------------------------------------------------------
_INITIAL = rf"[{_UPPER}][a-z]?\.(?:\s?-\s?[{_UPPER}]\.)?"
_WORD = rf"[{_UPPER}]{_LETTER}*(?:['’\-]{_LETTER}+)*"
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|le|la|ibn|bin|al-|el-)"
_NAME = rf"(?:(?:{_INITIAL}|{_WORD}|{_PARTICLE})\s+){{0,4}}{_WORD}"
NAME = pp.Regex(_NAME).set_name("personal name")
#: Authors as printed: ``R. W. Davies``; ``Howard D. Mehlinger and John M. Thompson``;
#: ``John and Carol Garrard``; ``Smith, Jones, and Brown``; ``Smith et al.``
_NAME_LIST = (
    rf"(?P<names>{_NAME}(?:\s*,\s*{_NAME})*(?:\s*,?\s+(?:and|&)\s+{_NAME})?)(?P<etal>\s*,?\s+et\s+al\.?)?"
)
NAME_LIST = pp.Regex(_NAME_LIST).set_name("name list")

# --- roles, editions, volumes (elements of a full citation's head) ----------------------------
_ROLE_WORD = r"(?:eds?|trans|tr|comp|comps|00)"
_ROLE_WORDS = rf"(?:{_ROLE_WORD}\.?(?:\s*(?:and|&)\s*{_ROLE_WORD}\.?)*|edited(?:\s+and\s+translated)?\s+by|translated(?:\s+and\s+edited)?\s+by|compiled\s+by)"
#: ``ed. and trans. George Shriver``, ``trans and ed. Reginald E. Zelnik``, ``00. F.-X. Coquin``
#: (``00.`` is OCR for ``ed.``), ``edited by Jane Smith``.
ROLE = pp.Regex(rf"(?P<role>{_ROLE_WORDS})\s+(?P<names>.+)", flags=0).set_name("role with names")
#: A role standing alone between commas: ``L. I. Gol'dman, ed., Title``; ``Title, comp, Name``.
ROLE_BARE = pp.Regex(rf"(?P<role>{_ROLE_WORDS})").set_name("bare role")
EDITION = pp.Regex(
    r"(?P<edition>(?:(?:rev|enl|abr|abridged|new|expanded|corr|\d+(?:st|nd|rd|th)|second|third|fourth)"
    r"\.?,?\s*(?:and\s+)?)+ed(?:ition)?\.?)"
).set_name("edition statement")
VOLUME = pp.Regex(
    r"(?P<volume>(?:vols?\.|t\.|tom|vyp\.|kn\.|bk\.|pt\.|part|sb\.|sb(?:orn|om)ik)\s*\d+"
    r"|[IVXL]+|\d+\s+vols\.)"
).set_name("volume")

# --- titles and signals -----------------------------------------------------------------------
#: A quoted title, straight, typographic or OCR-damaged (``tI`` for an opening quote); a comma
#: before the closing quote belongs to the punctuation, not to the title.
QUOTED_TITLE = pp.Regex(
    rf"(?P<open>{_OPEN_QUOTE})(?P<title>[^\"“”«»]+?)(?P<close>\s*,?\s*{_CLOSE_QUOTE})"
).set_name("quoted title")
SIGNAL = pp.Regex(
    r"(?i:(?<![\w.])(?:see\s+also|see,?\s+e\.\s?g\.,?|see,?\s+for\s+example,?|see\s+esp\.|see\s+generally"
    r"|but\s+see|but\s+cf\.|see|cf\.|compare|as\s+quoted\s+in|quoted\s+in|as\s+cited\s+in|cited\s+in"
    r"|reprinted\s+in|e\.\s?g\.,))(?=\s)"
)("signal").set_name("signal")
#: ``my "Russian Bebels"``, ``my earlier article "Russian Bebels"``.
POSSESSIVE = pp.Regex(
    rf"(?<!\w)(?P<possessive>[Mm]y)(?:\s+(?P<described>(?:[a-z]+\s+){{0,2}}[a-z]+))?(?=\s*{_OPEN_QUOTE})"
).set_name("possessive")

# --- publication data ---------------------------------------------------------------------------
#: ``(Stanford, 1986)``, ``(Cambridge, Mass., 1960)``, ``(New York: Knopf, 1990)``,
#: ``(Knopf, 1990)``, ``(Ph.D. diss., University of California, Berkeley, 1993)``,
#: ``(1918; repr., New York: Dover, 1990)``; ``inner`` is empty for ``(1976)``.
#: The spaces around ``inner`` are matched possessively and ``inner`` never ends in a space: with
#: plain ``\s*`` on both sides of a lazy ``inner``, ``(`` and a few hundred spaces took the regex
#: engine minutes (cubic backtracking). The matches are the same (checked on random strings).
PUB_GROUP = pp.Regex(
    r"\(\s*+(?P<inner>|(?:[^()]|\([^()]*\))*?(?<!\s))\s*+,?\s*+"
    rf"(?P<year>{_YEAR}[a-z]?|n\.\s?d\.|forthcoming)\s*\)"
).set_name("publication group")
#: After an article title: ``Russian Review 35, nos. 3 and 4 (1976)``,
#: ``Journal of Modern History 2, no. 3 (1980): 515``.
#: (``container`` ends before the spaces, which are matched possessively: quadratic otherwise.)
JOURNAL_TAIL = pp.Regex(
    rf"(?P<container>[^,()\"“”]+?)(?<!\s)\s++(?P<volume>\d+|[IVXL]+)"
    rf"(?:\s*,\s*(?P<issue_label>nos?\.)\s*(?P<issue>[^()]+?))?"
    rf"\s*\((?P<date>[^()]*?{_YEAR})\)"
).set_name("journal tail")
#: After an article title or alone: ``Literatumaia gazeta, No. 44 (5370), 6 Nov. 1991``,
#: ``Chicago Tribune, August 15, 1958``.
NEWSPAPER_TAIL = pp.Regex(
    rf"(?P<container>[^,()\"“”;]+?),\s*(?:(?P<issue>No\.\s*\d+(?:\s*\(\d+\))?),\s*)?(?P<date>{_DATE})"
).set_name("newspaper tail")
#: A dated document: ``15 March 1924``, ``8 Dec. 1930``, ``March 15, 1924``.
DOCUMENT_DATE = pp.Regex(_DATE).set_name("document date")

# --- declarations, ibid, cross-references -------------------------------------------------------
#: ``(henceforth A Radical Worker)``, ``(hereafter cited as Reabilitatsiia)``.
DECLARATION = pp.Regex(
    r"\(\s*(?P<declaration>(?i:henceforth|hereafter)(?:,?\s+(?:cited|referred\s+to|abbreviated)\s+as|\s+as)?)"
    r"\s+(?P<abbreviation>[^()]+?)\s*\)"
).set_name("declaration")
#: ``Hereafter I cite the typescript as Avtobiograjiia.``; ``hereafter cited as X``.
DECLARATION_SENTENCE = pp.Regex(
    r"(?P<declaration>(?i:henceforth|hereafter)(?:,?\s+(?:cited|referred\s+to|abbreviated)\s+as"
    r"|,?\s+(?:I|we)\s+(?:cite|refer\s+to|call)\s+(?P<what>[^.;()]+?)\s+as|\s+as))"
    r"\s+(?P<abbreviation>[^;()]+?)\s*(?=[.;)]\s|[.;)]?\s*$)"
).set_name("declaration sentence")
#: ``Ibid.``, ``ibid``, and OCR-damaged ``lbid.``, ``!bid.``, ``1bid.``.
IBID_WORD = pp.Regex(r"(?<![\w!|])(?P<ibid>(?P<initial>[IiLl!1|])bid(?:em)?)(?P<dot>\.)?(?!\w)").set_name(
    "ibid"
)
#: ``ibid., 387-91``, ``Ibid., I. 53`` (a damaged ``l.``), ``ibid. 34``, ``ibid``.
IBID = (IBID_WORD + pp.Opt(pp.Opt(pp.Suppress(",")) + pp.Located(LEAF_LOCATOR)("located_locator"))).set_name(
    "ibid with locator"
)
_DIRECTION = r"(?P<direction>above|below|supra|infra)"
#: ``see note 72 below``, ``(see note 23, above)``, ``note 43 above``.
NOTE_CROSSREF = pp.Regex(
    rf"(?P<signal>(?i:see\s+also|see|cf\.)\s+)?(?P<label>[Nn]otes?|nn?\.)\s*(?P<number>\d+)(?!\d)"
    rf"(?:\s*,?\s*{_DIRECTION})?"
).set_name("note cross-reference")
#: ``As noted above (note 6)``.
NOTED_CROSSREF = pp.Regex(
    rf"(?P<lead>(?i:as)\s+(?:noted|mentioned|discussed|shown|explained|argued|stated|seen)\s+{_DIRECTION})"
    r"\s*\(\s*(?:(?i:see)\s+)?(?:[Nn]otes?|nn?\.)\s*(?P<number>\d+)\s*\)"
).set_name("noted-above cross-reference")
#: ``see Document 3``, ``(see Document 3)``.
DOCUMENT_CROSSREF = pp.Regex(
    rf"(?P<signal>(?i:see\s+also|see|cf\.)\s+)(?P<label>Document|Doc\.|Appendix)\s+(?P<number>\d+)(?!\d)"
    rf"(?:\s*,?\s*{_DIRECTION})?"
).set_name("document cross-reference")

#: Words that mark running prose, not a bibliographic head (lower case only).
PROSE_WORD = pp.Regex(
    r"(?<![\w'’])(?:is|was|were|are|be|been|being|has|have|had|not|which|who|whom|whose|that|this|these"
    r"|those|he|she|it|they|his|her|their|its|we|our|there|would|could|should|may|might|did|does|do"
    r"|can|will|if|when|where|because|although|though|than|so|also|even|only|here|about|one)(?![\w'’])"
).set_name("prose word")


# --- the splitter's recognisers -----------------------------------------------------------------
# Lexical terms the splitter (notecheck.split) classifies text with: a period that ends a
# sentence, quotes, conventions, theses and unpublished work, publishers, reprints, leaf labels,
# ibid before an archival reference, cues that tell a detector its pattern may be there.

#: Abbreviations (lower case, without their final period) after which a period ends no sentence:
#: ``ed.``, ``trans.``, ``St.``, ``Mass.``, month names, archival ``f.``/``op.``/``d.`` (generic).
ABBREVIATIONS = frozenset(
    [
        "00",
        "a.k.a",
        "al",
        "apr",
        "art",
        "aug",
        "b",
        "bk",
        "byvsh",
        "c",
        "ca",
        "calif",
        "capt",
        "cf",
        "ch",
        "chap",
        "chaps",
        "cit",
        "co",
        "col",
        "comp",
        "comps",
        "conn",
        "d",
        "dec",
        "diss",
        "dr",
        "e.g",
        "ed",
        "eds",
        "eng",
        "enl",
        "esp",
        "f",
        "feb",
        "fig",
        "figs",
        "fl",
        "fr",
        "g",
        "gen",
        "ger",
        "gg",
        "gos",
        "i.e",
        "ill",
        "inc",
        "ind",
        "izd",
        "jan",
        "jr",
        "khr",
        "kn",
        "l",
        "ll",
        "loc",
        "lt",
        "ltd",
        "m.a",
        "mar",
        "mass",
        "md",
        "mich",
        "mr",
        "mrs",
        "ms",
        "mt",
        "n",
        "n.j",
        "n.y",
        "nn",
        "no",
        "nos",
        "nov",
        "ob",
        "obl",
        "oct",
        "op",
        "p",
        "pa",
        "para",
        "ph.d",
        "pod",
        "pp",
        "prof",
        "pt",
        "red",
        "repr",
        "rev",
        "russ",
        "s",
        "sb",
        "sec",
        "secs",
        "sep",
        "sept",
        "sr",
        "st",
        "t",
        "tov",
        "tr",
        "trans",
        "tt",
        "u.k",
        "u.s",
        "ul",
        "univ",
        "va",
        "viz",
        "vol",
        "vols",
        "vs",
        "vyp",
        "wash",
        "wis",
    ]
)


#: The words locators are made of (lower case): labels, ``passim``, ``and``, damaged leaf labels.
LOCATOR_WORDS = frozenset(
    [
        "and",
        "art",
        "bk",
        "ch",
        "chap",
        "chaps",
        "chapter",
        "chapters",
        "doc",
        "esp",
        "especially",
        "f",
        "ff",
        "fig",
        "figs",
        "i",
        "ii",
        "il",
        "l",
        "ll",
        "n",
        "nn",
        "no",
        "nos",
        "note",
        "notes",
        "ob",
        "p",
        "page",
        "pages",
        "para",
        "paras",
        "passim",
        "pp",
        "pt",
        "s",
        "sec",
        "secs",
        "t",
        "table",
        "tables",
        "vol",
        "vols",
    ]
)


#: Small words a title may hold uncapitalised (read backwards from a title's end in prose).
TITLE_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "de",
        "du",
        "for",
        "from",
        "i",
        "in",
        "la",
        "le",
        "of",
        "on",
        "or",
        "the",
        "to",
        "v",
        "van",
        "von",
        "with",
    ]
)


#: A period, ``?`` or ``!`` (and closing quotes or brackets) before a space and a capital, a quote,
#: a bracket or an OCR-damaged ``lbid``: a sentence may end here (unless an abbreviation ends).
SENTENCE_END = pp.Regex(
    r"[.?!][\"”’')\]]*(?=\s+(?:[\"“‘'(\[A-ZÀ-ÖØ-ÞА-ЯЁ]|l[bcdfghjkmnpqrstvwxz]))"
).set_name("sentence end")
#: A token that is an initial (``R.``, ``Ia.``, ``F.-X``): its period ends no sentence.
INITIAL_TOKEN = pp.Regex(r"[A-ZÀ-ÞА-Я][a-z]?|(?:[A-ZÀ-ÞА-Я]\.-?)+[A-ZÀ-ÞА-Я]").set_name("initial")
#: A dotted abbreviation such as ``U.S`` or ``e.g`` (before its final period).
DOTTED_TOKEN = pp.Regex(r"(?:[A-Za-z]\.)+[A-Za-z]").set_name("dotted abbreviation")
#: A quotation mark, straight, typographic, doubled apostrophes or OCR-damaged (``tI``).
QUOTE_MARK = pp.Regex(r"“|”|\"|''|(?<!\w)tI(?=[A-Z])").set_name("quotation mark")
#: A lost opening quote glued to a capitalised title word: ``IfRussian``, ``tIS.``, ``IIThe``.
DAMAGED_OPEN_QUOTE = pp.Regex(r"(?:If|tI|II)(?=[A-Z])")("damaged_quote").set_name("damaged opening quote")
#: ``and``/``or`` opening a clause (not part of the citation after it).
LEADING_AND = pp.Regex(r"(?:and|or)\s+").set_name("leading and")
#: ``, and`` between a locator's number and what starts like a citation -- a name, a comma and a
#: title (capitalised or quoted) or ``op. cit.``: two citations joined in one clause
#: (``see Wood, The Baba, 220, and Lapidus, Women in Soviet Society, 66``). Only a candidate cut:
#: the splitter also wants a complete citation on the left and no publication group on the right
#: (``Lenin, Selected Works 1917-1923, and Other Essays, ed. Smith (Moscow, 1990)`` is one title).
CITATION_AND = pp.Regex(
    r"(?<=\d),\s+and\s+(?=(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*\s+){0,3}[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+,"
    r"\s*(?:[\"“‘'A-ZÀ-ÖØ-ÞА-ЯЁ]|(?i:op|loc)\.\s*cit\.))"
).set_name("and between citations")
#: ``op. cit.``, ``loc. cit.`` (any case).
CONVENTION = pp.Regex(r"(?P<convention>op\.\s*cit\.|loc\.\s*cit\.)", flags=re.I).set_name("op. cit.")
#: ``Idem``/``idem``/``Id.`` opening a short form.
IDEM = pp.Regex(r"(?P<idem>[Ii]dem|[Ii]d\.)(?=[\s,])").set_name("idem")
#: A thesis inside publication data: ``Ph.D. diss., University of California, Berkeley``.
THESIS = pp.Regex(
    r"(?P<thesis>(?i:ph\.?\s?d\.?|doctoral|master['’]s|m\.\s?a\.|kand\w*\.?)\s*(?i:diss(?:ertation)?\.?|thesis))"
    r"\s*,?\s*(?P<institution>.*)$",
    flags=re.S,
).set_name("thesis")
#: Words that mark unpublished work: ``paper presented``, ``typescript``, ``lecture``.
UNPUBLISHED = pp.Regex(
    r"(?i)\b(?:paper\s+(?:presented|read|delivered)|unpublished|typescript|manuscript|lecture)\b"
).set_name("unpublished work")
#: A word that makes publication data a publisher rather than a place: ``Press``, ``Knopf``, ``&``.
PUBLISHER_WORD = pp.Regex(
    r"\b(?:Press|Books|Publishers?|Publishing|Verlag|Inc\.|Co\.|Sons|Library|Editions?|Izd\w*|Nauka|Knopf|Norton)\b|&"
).set_name("publisher word")
#: How publication data starts: a capital (a place or publisher), a thesis or paper, or nothing.
PUB_DATA_START = pp.Regex(
    r"(?:[A-ZÀ-ÞА-Я]|(?i:ph\.?\s?d|phd|paper|lecture|unpublished|master|doctoral|m\.a)|$)"
).set_name("publication data start")
#: A reprint note: ``repr.``, ``reprint``, ``reprinted``.
REPRINT = pp.Regex(r"(?i)\breprint|\brepr\.").set_name("reprint")
#: A reprint note between two publication groups: ``, reprint, (Moscow, 1990)``.
REPRINT_BEFORE_GROUP = pp.Regex(
    r"\s*,\s*(?P<reprint>[^,();]*?(?i:reprint|repr\.)[^,();]*?)\s*(?=\()"
).set_name("reprint before a publication group")
#: A parenthesised remark after publication data, before a locator: ``(Sekretno), 12``.
PAREN_COMMENT = pp.Regex(r"\s*\((?P<comment>[^()]*)\)(?=\s*,\s*\S)").set_name("parenthesised remark")
#: A leaf label followed by a number, OCR-damaged ones included: ``l. 4``, ``11. 3``, ``n. 15``.
LEAF_LABEL = pp.Regex(r"(?<![\w.])(?:ll?|[1Il|]{1,2}|n)\.\s*\d").set_name("leaf label")
#: ``Ibid.,`` just before an archival reference (an archive-level ibid).
IBID_BEFORE = pp.Regex(r"(?<![\w!|])(?P<ibid>[IiLl!1|]bid(?:em)?)(?P<dot>\.)?\s*,?\s*$").set_name(
    "ibid before an archival reference"
)
#: What a locator can start with (a quick filter; the locator grammar decides).
LOCATOR_CUE = pp.Regex(
    r"\s*(?:\d|[ivxlc]+(?!\w)|[IVXL]+\s*,|(?:pp?|ll?|nn?|chaps?|ch|esp|vols?|ob|figs?|secs?|paras?|art|doc|nos?|bk|pt|t|S|[1Il|]{1,2})\.|"
    r"passim|pages?\s|notes?\s|chapters?\s|tables?\s|§|especially\s)"
).set_name("locator cue")
#: Text without this holds no cross-reference.
CROSSREF_CUE = pp.Regex(r"(?:[Nn]otes?|nn?\.)\s*\d|(?:Document|Doc\.|Appendix)\s+\d").set_name(
    "cross-reference cue"
)
#: Text without this holds no declaration sentence.
DECLARATION_CUE = pp.Regex(r"(?i:henceforth|hereafter)").set_name("declaration cue")
#: Authors and a comma opening a full citation's head (``R. W. Davies,``), or an editor's name and
#: role (``L. I. Gol'dman, ed.,``): a title cut by a period may start a sentence earlier.
HEAD_LEAD = pp.Regex(rf"(?:{_NAME_LIST})\s*,|[^,;:()]{{2,40}},\s*(?:eds?|comps?|trans)\.?,").set_name(
    "citation head lead"
)
#: Authors and a comma: ``Doe and Roe,``.
AUTHORS_LEAD = pp.Regex(rf"(?:{_NAME_LIST})\s*,").set_name("authors and comma")
#: ``, in`` / `` in`` between a quoted title and its container.
CONTAINER_LEAD = pp.Regex(r"\s*,?\s*(?:in\s+)?").set_name("container lead")
#: ``in`` after a quoted title: the book that holds it follows (``"Chapter," in Short Title, 12``).
IN_CONTAINER = pp.Regex(r",?\s+in\s+(?=\S)").set_name("in container")
#: ``in``/``see``/``from`` before a title that ends a sentence of prose: ``characterized in``.
TITLE_LEAD_IN = pp.Regex(r"\s(?:in|see|from)\s*$").set_name("title lead-in")
#: A lead-in and a capitalised word with a comma: where a short form may start in running prose
#: (``is described in Kuromiya, Stalin's Industrial Revolution, 290``).
NAME_AFTER_LEAD_IN = pp.Regex(r"(?<=\s)(?:in|see|from)\s+(?P<surname>[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+),").set_name(
    "name after a lead-in"
)
#: The last of several authors' names (``and Roe``, ``Doe et al.``): the list ends here.
AUTHOR_JOIN = pp.Regex(r"(?:and|&)\s|.*et\s+al").set_name("author join")
#: An editor's role word: ``ed.``, ``eds.``, ``edited``, ``00.`` (OCR for ``ed.``).
EDITOR_WORD = pp.Regex(r"\b(?:eds?|edited|00)\b").set_name("editor word")
#: ``(1980)`` after a quoted title: an unpublished paper or an article of that year.
YEAR_GROUP = pp.Regex(rf"\s*\((?P<year>{_YEAR_TERM})\)").set_name("year in parentheses")


# --- collections of other archives, idem, mentions ------------------------------------------------
_REPOSITORY_WORDS = (
    r"(?:Archives?|Archiv(?:es|io|o)?|Library|Libraries|Records?\s+Office|Museum|Historical\s+Society"
    r"|Society|Institution|Institute|Collections?)"
)
#: A word naming a repository: ``Archives``, ``Library``, ``Record Office``, ``Museum``.
REPOSITORY_WORD = pp.Regex(rf"\b{_REPOSITORY_WORDS}\b").set_name("repository word")
#: A reference to a collection of an archive that is not cited by fond and opis': a repository
#: (with a repository word, or after ``MS.``), a comma, then parts of which one holds a number:
#: ``National Archives, RG 59, file 102.5/7-953``; ``MS. Department of State, Continental
#: Congress Papers, No. 59, I, 281``; ``Public Record Office, FO 371/12345, f. 12``; ``Bodleian
#: Library, MS. Eng. misc. c. 123, fol. 4``. The splitter checks the parts (short, no prose).
COLLECTION_REFERENCE = pp.Regex(
    r"(?P<manuscript>MSS?\.\s+)?"
    r"(?P<repository>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|the|for|and|&|de|du|des|la|le)){0,7})"
    r"\s*,\s*(?P<parts>[^;]*?\d[^;]*)"
).set_name("collection reference")
#: A folio locator: ``f. 12``, ``ff. 3-5``, ``fol. 4``, ``fols. 12v-13r``.
FOLIO = pp.Regex(
    r"(?P<label>ff?\.|fols?\.)\s*(?P<numbers>(?P<first>\d+)[rv]?(?:\s*[-–]\s*(?P<last>\d+)[rv]?)?)"
).set_name("folio")
#: ``at`` before the locator of an ``Id.``: ``Id. at 12``.
AT_LOCATOR = pp.Regex(r"at\s+").set_name("at")
#: Common English words a one-word abbreviation never is mentioned as (a generic lexicon).
COMMON_WORDS = frozenset(
    [
        "appendix",
        "autobiography",
        "biography",
        "bulletin",
        "chronicle",
        "collection",
        "correspondence",
        "dictionary",
        "document",
        "documents",
        "encyclopedia",
        "introduction",
        "materials",
        "memoirs",
        "memorandum",
        "minutes",
        "postscript",
        "preface",
        "proceedings",
        "protocol",
        "protocols",
        "resolution",
        "resolutions",
        "selected",
        "statement",
        "writings",
    ]
)
