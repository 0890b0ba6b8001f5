"""Stage load: a BibTeX or CSL-JSON bibliography to indexed entries, with NC2xx diagnostics.

``load_bibliography(path)`` reads a ``.bib`` file (biblatex or classic BibTeX) with bibtexparser
v2, or a CSL-JSON export (Zotero, pandoc), into one model: :class:`~notecheck.models.Entry` objects
with biblatex entry types and field names, split :class:`~notecheck.models.Name` objects, LaTeX
decoded to Unicode, ``crossref`` fields inherited. The :class:`Bibliography` indexes them by key,
by folded author/editor surname, by short title and by title words, for the resolver.

Nothing is dropped without a diagnostic. Blocks bibtexparser cannot parse (its
``failed_blocks``) become NC201; and because bibtexparser loses some data *silently* (a missing
comma merges two fields, a stray ``}`` ends an entry early, a bare word is kept as literal
text), every entry's raw text is compared with its parsed fields: the difference is reported
and, where the intent is clear, recovered.

Speed: bibtexparser (and pylatexenc, which it imports) is imported inside the loader, never at
module import; LaTeX is decoded only in values that contain markup; the indexes are built on the
first look-up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notecheck.models import Diagnostic, Entry, Name, Severity, Source, Span
from notecheck.readers import display_path
from notecheck.readers.decode import decode, looks_binary
from notecheck.rules import Rule
from notecheck.rules.bibliography import (
    BAD_KEY,
    CSL_FIELD_TYPE,
    DUPLICATE_FIELD,
    DUPLICATE_KEY,
    EMPTY_BIBLIOGRAPHY,
    FIELDS_AFTER_BRACE,
    INCOMPLETE_ARCHIVAL,
    INVALID_YEAR,
    MALFORMED_NAME,
    MISSING_COMMA,
    MISSING_CROSSREF,
    MISSING_FIELD,
    NESTED_TOO_DEEPLY,
    NOT_TEXT,
    PARSE_ERROR,
    STRAY_TEXT,
    UNDEFINED_STRING,
    UNKNOWN_TYPE,
    UNQUOTED_VALUE,
)

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text  # type: ignore[import-untyped]

__all__ = [
    "ARCHIVAL_UNIT_FIELDS",
    "BIBLATEX_TYPES",
    "Bibliography",
    "detect_format",
    "fold",
    "load_bibliography",
    "load_bibliography_bytes",
    "load_bibliography_text",
    "short_title_key",
    "split_names",
    "surname_key",
    "title_words",
]

# ------------------------------------------------------------------------------------------------
# Folding: the one normaliser for names and titles (the resolver reuses it)
# ------------------------------------------------------------------------------------------------

_DROPPED = "'’‘‛ʹʺʼʻʽ`´′″\"“”„‟«»‹›"  # apostrophes, primes (soft/hard signs), quotes
_DASHES = "-‐‑‒–—―−⁃"
_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
_FOLD_TABLE: dict[int, str | None] = {ord(c): None for c in _DROPPED}
_FOLD_TABLE.update({ord(c): " " for c in _DASHES})
_FOLD_TABLE.update({ord(c): " " for c in "!#$%&()*+,./:;<=>?@[\\]^_{|}~\u00a0"})
_FOLD_TABLE.update({ord(k): v for k, v in _LETTERS.items()})
_FOLD_TABLE.update({ord(k.upper()): v for k, v in _LETTERS.items()})


@lru_cache(maxsize=1 << 15)
def fold(text: str) -> str:
    """Fold text for matching: case, diacritics, apostrophes and quotes, hyphens, punctuation.

    Diacritics are removed (``Vučinić`` -> ``vucinic``), apostrophes, primes and quotes vanish
    (``Bol'sheviki``, ``Bolʹsheviki`` and ``Bol’sheviki`` -> ``bolsheviki``), hyphens, dashes and
    other punctuation become spaces, runs of spaces become one.

    Example: ``fold("Leikina-Svirskaia, V. R.") == "leikina svirskaia v r"``.

    Memoised (a pure function of a string; the resolver folds the same titles and names again
    and again).
    """
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.translate(_FOLD_TABLE).casefold()
    if not text.isascii():
        text = "".join(c if c.isalnum() or c.isspace() else " " for c in text)
    return " ".join(text.split())


def surname_key(name: str) -> str:
    """A surname folded with its spaces removed: ``Leikina-Svirskaia`` -> ``leikinasvirskaia``."""
    return fold(name).replace(" ", "")


_ARTICLES = frozenset({"the", "a", "an", "la", "le", "les", "l", "el", "der", "die", "das", "il", "lo"})

#: Words too common to tell titles apart (English, French, German, transliterated Russian).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "under",
        "since",
        "into",
        "as",
        "or",
        "its",
        "his",
        "her",
        "their",
        "our",
        "is",
        "are",
        "was",
        "be",
        "this",
        "that",
        "what",
        "about",
        "after",
        "before",
        "between",
        "through",
        "la",
        "le",
        "les",
        "de",
        "du",
        "des",
        "et",
        "en",
        "un",
        "une",
        "au",
        "aux",
        "sur",
        "pour",
        "par",
        "dans",
        "der",
        "die",
        "das",
        "und",
        "von",
        "zu",
        "im",
        "mit",
        "fur",
        "v",
        "i",
        "s",
        "po",
        "za",
        "o",
        "ob",
        "na",
        "k",
        "u",
        "iz",
        "ot",
        "do",
    ]
)


def short_title_key(text: str) -> str:
    """The key a short title is indexed under: folded, a leading article dropped.

    Example: ``short_title_key("The Great Terror") == short_title_key("Great Terror")``.
    """
    return _without_article(fold(text))


def _without_article(folded: str) -> str:
    first, _, rest = folded.partition(" ")
    return rest if rest and first in _ARTICLES else folded


def title_words(text: str) -> list[str]:
    """The distinctive words of a title, folded, in order, without stopwords or repeats."""
    return _distinctive(fold(text))


def _distinctive(folded: str) -> list[str]:
    return list(dict.fromkeys(w for w in folded.split() if len(w) > 1 and w not in STOPWORDS))


# ------------------------------------------------------------------------------------------------
# The bibliography and its indexes
# ------------------------------------------------------------------------------------------------

#: Fields naming the storage unit of an archival file (``d.`` delo, ``ed. khr.``).
ARCHIVAL_UNIT_FIELDS = ("delo", "edkhr")


@dataclass
class _Index:
    """Look-up tables from folded names and titles to entry keys (built on first use)."""

    size: int
    folded_keys: dict[str, str]
    surnames: dict[str, list[str]]
    short_titles: dict[str, list[tuple[int, str]]]
    words: dict[str, list[str]]
    order: dict[str, int]

    @classmethod
    def build(cls, entries: dict[str, Entry]) -> _Index:
        index = cls(len(entries), {}, {}, {}, {}, {})
        for position, (key, entry) in enumerate(entries.items()):
            index.order[key] = position
            index.folded_keys.setdefault(key.casefold(), key)
            for person in (*entry.authors, *entry.editors):
                _add_once(index.surnames, _surname_key(person.last), key)
                if person.von:
                    _add_once(index.surnames, _surname_key(f"{person.von} {person.last}"), key)
            index._add_titles(key, entry)
        return index

    def _add_titles(self, key: str, entry: Entry) -> None:
        fields = entry.fields
        title = fold(fields.get("title", ""))
        short = fold(fields.get("shorttitle", ""))
        main = fold(_MAIN_TITLE_END.split(fields.get("title", ""), maxsplit=1)[0])
        seen: set[str] = set()
        for rank, folded in enumerate((short, main, title)):
            folded = _without_article(folded)
            if folded and folded not in seen:
                seen.add(folded)
                self.short_titles.setdefault(folded, []).append((rank, key))
        extra = fold(fields["subtitle"]) if "subtitle" in fields else ""
        for word in _distinctive(f"{title} {short} {extra}"):
            _add_once(self.words, word, key)


_MAIN_TITLE_END = re.compile(r"[:.?!]\s")


@lru_cache(maxsize=65536)
def _surname_key(name: str) -> str:
    return surname_key(name)


def _add_once(table: dict[str, list[str]], name: str, key: str) -> None:
    if not name:
        return
    keys = table.setdefault(name, [])
    if not keys or keys[-1] != key:
        keys.append(key)


@dataclass
class Bibliography:
    """Entries by key, with the diagnostics found while loading them, and look-ups for resolving.

    ``entries`` keeps the file's order. The look-ups (:meth:`by_surname`, :meth:`by_shorttitle`,
    :meth:`by_title_words`, :meth:`archival_files`) return entries in that order unless said
    otherwise; the indexes behind them are built on the first call (and rebuilt if the number of
    entries changes; call :meth:`reindex` after editing entries in place).
    """

    path: str
    format: str = "bibtex"  # "bibtex" | "csl-json"
    entries: dict[str, Entry] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)  # @string macros, lower-case names
    _index: _Index | None = field(default=None, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    @property
    def index(self) -> _Index:
        if self._index is None or self._index.size != len(self.entries):
            self._index = _Index.build(self.entries)
        return self._index

    def reindex(self) -> None:
        """Rebuild the look-up indexes (after entries were replaced in place)."""
        self._index = _Index.build(self.entries)

    def get(self, key: str) -> Entry | None:
        """The entry with this key; keys differing only in case match, as in BibTeX."""
        found = self.entries.get(key)
        if found is None:
            exact = self.index.folded_keys.get(key.casefold())
            found = self.entries.get(exact) if exact is not None else None
        return found

    def by_surname(self, name: str) -> list[Entry]:
        """Entries with an author or editor of this surname, folded.

        ``Gol'dman``, ``Goldman`` and ``Golʹdman`` find the same entries; so do
        ``Leikina-Svirskaia`` and ``Leikina Svirskaia``. A name of several words that matches
        nothing is tried by its last word (``Roy Medvedev`` -> ``Medvedev``).
        """
        keys = self.index.surnames.get(surname_key(name))
        if keys is None:
            words = fold(name).split()
            keys = self.index.surnames.get(words[-1], []) if len(words) > 1 else []
        return [self.entries[k] for k in keys]

    def by_shorttitle(self, text: str) -> list[Entry]:
        """Entries whose short title, main title (before a colon) or full title is ``text``.

        Matching is on :func:`short_title_key` (folded, leading article dropped), so
        ``Great Terror`` finds ``The Great Terror``. Entries whose ``shorttitle`` matches come
        first, then main titles, then full titles.
        """
        found = sorted(self.index.short_titles.get(short_title_key(text), []))
        keys = dict.fromkeys(key for _, key in found)
        return [self.entries[k] for k in keys]

    def by_title_words(self, words: str | Iterable[str], minimum: int = 1) -> list[Entry]:
        """Candidate entries sharing at least ``minimum`` distinctive title words with ``words``.

        ``words`` is a text or a list of words; both are folded and stopwords dropped. The
        result is ordered by the number of shared words (most first), then by file order.
        """
        wanted = title_words(words if isinstance(words, str) else " ".join(words))
        counts: dict[str, int] = {}
        for word in wanted:
            for key in self.index.words.get(word, ()):
                counts[key] = counts.get(key, 0) + 1
        order = self.index.order
        ranked = sorted((k for k, n in counts.items() if n >= minimum), key=lambda k: (-counts[k], order[k]))
        return [self.entries[k] for k in ranked]

    def archival_files(self) -> list[Entry]:
        """The archival entries: those with a ``fond`` field."""
        return [entry for entry in self.entries.values() if "fond" in entry.fields]

    def by_archival(
        self,
        fond: str,
        opis: str | None = None,
        unit: str | None = None,
        archive: str | None = None,
    ) -> list[Entry]:
        """Archival entries for this fond (and opis, unit, archive when given), compared folded.

        ``unit`` matches ``delo`` or ``edkhr``. Example: ``by_archival("124", "1", "816")``.
        """
        wanted = {"fond": fond, "opis": opis, "archive": archive}
        found = []
        for entry in self.archival_files():
            if any(v is not None and fold(entry.fields.get(k, "")) != fold(v) for k, v in wanted.items()):
                continue
            units = {fold(entry.fields[f]) for f in ARCHIVAL_UNIT_FIELDS if f in entry.fields}
            if unit is not None and fold(unit) not in units:
                continue
            found.append(entry)
        return found


# ------------------------------------------------------------------------------------------------
# The biblatex data model: types, aliases, required fields
# ------------------------------------------------------------------------------------------------

_AUTHOR = ("author",)
_AUTHOR_OR_EDITOR = ("author", "editor")
_EDITOR = ("editor",)
_TITLE = ("title",)
_DATE = ("year", "date")
_BOOKTITLE = ("booktitle",)

#: Required fields by biblatex entry type; each tuple is one requirement met by any of its fields.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (_AUTHOR, _TITLE, ("journaltitle",), _DATE),
    "book": (_AUTHOR, _TITLE, _DATE),
    "mvbook": (_AUTHOR, _TITLE, _DATE),
    "inbook": (_AUTHOR, _TITLE, _BOOKTITLE, _DATE),
    "bookinbook": (_AUTHOR, _TITLE, _BOOKTITLE, _DATE),
    "suppbook": (_AUTHOR, _TITLE, _BOOKTITLE, _DATE),
    "booklet": (_AUTHOR_OR_EDITOR, _TITLE, _DATE),
    "collection": (_EDITOR, _TITLE, _DATE),
    "mvcollection": (_EDITOR, _TITLE, _DATE),
    "incollection": (_AUTHOR, _TITLE, _BOOKTITLE, _DATE),
    "suppcollection": (_AUTHOR, _TITLE, _BOOKTITLE, _DATE),
    "dataset": (_AUTHOR_OR_EDITOR, _TITLE, _DATE),
    "manual": (_AUTHOR_OR_EDITOR, _TITLE, _DATE),
    "misc": (_AUTHOR_OR_EDITOR, _TITLE, _DATE),
    "online": (_AUTHOR_OR_EDITOR, _TITLE, _DATE, ("doi", "eprint", "url")),
    "patent": (_AUTHOR, _TITLE, ("number",), _DATE),
    "periodical": (_EDITOR, _TITLE, _DATE),
    "suppperiodical": (_AUTHOR, _TITLE, ("journaltitle",), _DATE),
    "proceedings": (_TITLE, _DATE),
    "mvproceedings": (_TITLE, _DATE),
    "inproceedings": (_AUTHOR, _TITLE, _BOOKTITLE, _DATE),
    "reference": (_EDITOR, _TITLE, _DATE),
    "mvreference": (_EDITOR, _TITLE, _DATE),
    "inreference": (_AUTHOR, _TITLE, _BOOKTITLE, _DATE),
    "report": (_AUTHOR, _TITLE, ("type",), ("institution",), _DATE),
    "thesis": (_AUTHOR, _TITLE, ("type",), ("institution",), _DATE),
    "unpublished": (_AUTHOR, _TITLE, _DATE),
    "software": (_AUTHOR_OR_EDITOR, _TITLE, _DATE),
    "set": (("entryset",),),
    "xdata": (),
}

#: Types biblatex's standard styles accept without requirements of their own (printed as @misc).
_NONSTANDARD_TYPES = frozenset(
    [
        "artwork",
        "audio",
        "bibnote",
        "commentary",
        "image",
        "jurisdiction",
        "legislation",
        "legal",
        "letter",
        "movie",
        "music",
        "performance",
        "review",
        "standard",
        "video",
        "customa",
        "customb",
        "customc",
        "customd",
        "custome",
        "customf",
    ]
)
BIBLATEX_TYPES = frozenset(REQUIRED) | _NONSTANDARD_TYPES

#: Classic BibTeX types -> (biblatex type, value of its ``type`` field or None).
TYPE_ALIASES: dict[str, tuple[str, str | None]] = {
    "phdthesis": ("thesis", "phdthesis"),
    "mastersthesis": ("thesis", "mathesis"),
    "techreport": ("report", "techreport"),
    "conference": ("inproceedings", None),
    "electronic": ("online", None),
    "www": ("online", None),
}

#: Classic BibTeX field names -> biblatex field names.
FIELD_ALIASES = {
    "journal": "journaltitle",
    "address": "location",
    "school": "institution",
    "annote": "annotation",
    "archiveprefix": "eprinttype",
    "primaryclass": "eprintclass",
    "hyphenation": "langid",
}

_NAME_FIELDS = frozenset(
    [
        "author",
        "editor",
        "translator",
        "bookauthor",
        "editora",
        "editorb",
        "editorc",
        "annotator",
        "commentator",
        "introduction",
        "foreword",
        "afterword",
        "holder",
    ]
)
_VERBATIM_FIELDS = frozenset(
    [
        "url",
        "doi",
        "eprint",
        "file",
        "pdf",
        "urlraw",
        "verba",
        "verbb",
        "verbc",
        "ids",
        "crossref",
        "xref",
        "xdata",
    ]
)
_DATE_FIELDS = ("date", "origdate", "urldate", "eventdate")
_NOT_INHERITED = frozenset(
    [
        "ids",
        "crossref",
        "xref",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
        "shorttitle",
    ]
)
_IN_BOOK_TYPES = frozenset(
    ["inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings", "inreference"]
)
_BOOK_TYPES = frozenset(["book", "collection", "proceedings", "reference"])
_MV_TYPES = frozenset(["mvbook", "mvcollection", "mvproceedings", "mvreference"])

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
#: BibTeX's predefined macros: ``jan`` .. ``dec``.
_PREDEFINED_STRINGS = {name[:3]: name.capitalize() for name in _MONTHS}

_MAX_DEPTH = 200
_BAD_KEY_CHARS = re.compile(r"[\s,{}()\"#%'=\\]")


# ------------------------------------------------------------------------------------------------
# Public loaders
# ------------------------------------------------------------------------------------------------


def load_bibliography(path: str | Path, *, cache: bool = False) -> Bibliography:
    """Load a BibTeX (``.bib``) or CSL-JSON (``.json``) bibliography file.

    Args:
        path: the file; its extension chooses the format, else its content does.
        cache: reuse the result of an earlier parse of the same bytes (see
            :mod:`notecheck.cache`: keyed by content and notecheck's code, never stale); the
            check stage and the command line turn it on.

    Returns:
        The entries and every problem found, as NC2xx diagnostics.

    Raises:
        OSError: the path cannot be opened. Never raised for the file's content.
    """
    data = Path(path).read_bytes()
    if cache:
        from notecheck.cache import load_cached

        return load_cached(data, display_path(path), load_bibliography_bytes)
    return load_bibliography_bytes(data, display_path(path))


def load_bibliography_bytes(data: bytes, path: str = "<bytes>", format: str | None = None) -> Bibliography:
    """Load a bibliography from the bytes of a file: decoded (BOM stripped), then parsed.

    Bytes that are not UTF-8 are reported at their position and the text is read with a
    fallback encoding; a binary file yields no entries and one NC217 diagnostic.
    """
    decoded = decode(data, path)
    if decoded.binary:
        reason = looks_binary(data) or "binary content"
        bibliography = Bibliography(path, format or detect_format(path, ""))
        bibliography.diagnostics.append(NOT_TEXT.at(Span(path, 1, 1, 1, 1), path=path, reason=reason))
        return bibliography
    bibliography = _load_source(decoded.source, format)
    bibliography.diagnostics[:0] = decoded.diagnostics
    return bibliography


def load_bibliography_text(text: str, path: str = "<string>", format: str | None = None) -> Bibliography:
    """Load a bibliography from text (a leading BOM is ignored).

    Args:
        text: BibTeX or CSL-JSON text.
        path: the name diagnostics and spans carry.
        format: ``"bibtex"`` or ``"csl-json"``; by default chosen from ``path`` and the text.
    """
    return _load_source(Source(path, text.removeprefix("\ufeff")), format)


def detect_format(path: str, text: str) -> str:
    """``"csl-json"`` for ``.json`` files or text starting with ``[`` or ``{``, else ``"bibtex"``."""
    suffix = Path(path).suffix.lower()
    if suffix in (".json", ".csljson"):
        return "csl-json"
    if suffix in (".bib", ".bibtex", ".biblatex"):
        return "bibtex"
    return "csl-json" if text.lstrip()[:1] in ("[", "{") else "bibtex"


def _load_source(source: Source, format: str | None) -> Bibliography:
    format = format or detect_format(source.path, source.text)
    bibliography = Bibliography(source.path, format)
    loader = _Loader(source)
    try:
        if format == "csl-json":
            drafts = _CslReader(loader).read()
        else:
            reader = _BibtexReader(loader)
            drafts = reader.read()
            bibliography.strings = reader.defined_strings()
    except RecursionError:
        loader.report(PARSE_ERROR, loader.source.span(0, 0), reason="the file is nested too deeply to read")
        drafts = []
    loader.finish(drafts, bibliography)
    bibliography.diagnostics.sort(key=lambda d: (d.span.line, d.span.column))
    if not bibliography.entries:
        bibliography.diagnostics.append(
            EMPTY_BIBLIOGRAPHY.at(source.span(0, 0), path=source.path),
        )
    return bibliography


# ------------------------------------------------------------------------------------------------
# Drafts: entries being assembled, and the checks shared by both formats
# ------------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """An entry being assembled: fields still mutable, positions in the source for diagnostics."""

    key: str
    entry_type: str
    start: int
    end: int
    header_end: int
    fields: dict[str, str] = field(default_factory=dict)  # decoded text
    latex: dict[str, str] = field(default_factory=dict)  # name fields before decoding
    names: dict[str, tuple[Name, ...]] = field(default_factory=dict)  # CSL: given as structure
    inherited: set[str] = field(default_factory=set)
    known_type: bool = True
    header_start: int | None = None  # where the key is named, if not at ``start``


class _Loader:
    """Collects diagnostics and turns drafts into entries (crossref, required fields, names)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        #: Finds a field's name in an entry's text (set by the reader of the format).
        self.locate: Callable[[str, _Draft, str], tuple[int, int] | None] = lambda text, draft, name: None

    def report(self, rule: Rule, span: Span, severity: Severity | None = None, **values: Any) -> None:
        self.diagnostics.append(rule.at(span, severity=severity, **values))

    def header(self, draft: _Draft) -> Span:
        start = draft.start if draft.header_start is None else draft.header_start
        return self.source.span(start, draft.header_end)

    def field_span(self, draft: _Draft, name: str) -> Span:
        where = self.locate(self.source.text, draft, name) if name not in draft.inherited else None
        return self.source.span(*where) if where is not None else self.header(draft)

    def finish(self, drafts: list[_Draft], bibliography: Bibliography) -> None:
        kept = self._unique(drafts)
        self._inherit(kept)
        for draft in kept.values():
            self._check(draft)
            bibliography.entries[draft.key] = self._entry(draft)
        bibliography.diagnostics.extend(self.diagnostics)

    def _unique(self, drafts: list[_Draft]) -> dict[str, _Draft]:
        kept: dict[str, _Draft] = {}
        folded: dict[str, _Draft] = {}
        for draft in drafts:
            first = kept.get(draft.key) or folded.get(draft.key.casefold())
            if first is not None:
                line = self.source.position(first.start)[0]
                detail = "" if first.key == draft.key else f" (same as {first.key!r} but for case)"
                self.report(DUPLICATE_KEY, self.header(draft), key=draft.key, detail=detail, first_line=line)
                continue
            kept[draft.key] = draft
            folded[draft.key.casefold()] = draft
        return kept

    def _inherit(self, drafts: dict[str, _Draft]) -> None:
        folded = {key.casefold(): draft for key, draft in drafts.items()}
        done: set[str] = set()

        def resolve(draft: _Draft, chain: tuple[str, ...]) -> None:
            if draft.key in done:
                return
            done.add(draft.key)
            for link in ("crossref", "xref"):
                target_key = draft.fields.get(link)
                if not target_key:
                    continue
                parent = drafts.get(target_key) or folded.get(target_key.casefold())
                if parent is None:
                    span = self.field_span(draft, link)
                    self.report(MISSING_CROSSREF, span, key=draft.key, target=target_key, field=link)
                elif link == "crossref" and parent.key not in chain:
                    resolve(parent, (*chain, draft.key))
                    _inherit_fields(draft, parent)

        for draft in drafts.values():
            resolve(draft, (draft.key,))

    def _check(self, draft: _Draft) -> None:
        if "fond" in draft.fields:
            self._check_archival(draft)
        elif _is_collection(draft.fields):
            self._check_collection(draft)
        elif draft.known_type:
            self._check_required(draft)
        for name in ("year", *_DATE_FIELDS, "month"):
            value = draft.fields.get(name)
            if value is not None and name not in draft.inherited:
                reason = _date_problem(name, value)
                if reason:
                    span = self.field_span(draft, name)
                    self.report(INVALID_YEAR, span, field=name, value=value, key=draft.key, reason=reason)

    def _check_required(self, draft: _Draft) -> None:
        missing = [
            need for need in REQUIRED.get(draft.entry_type, ()) if not any(draft.fields.get(f) for f in need)
        ]
        if not missing:
            return
        fields = ", ".join(" or ".join(need) for need in missing)
        severity = None
        if missing == [_AUTHOR] and draft.fields.get("editor"):
            fields += " (an edited volume is a @collection)"
            severity = Severity.WARNING
        plural = "s" if len(missing) > 1 else ""
        self.report(
            MISSING_FIELD,
            self.header(draft),
            severity,
            entry_type=draft.entry_type,
            key=draft.key,
            plural=plural,
            fields=fields,
        )

    def _check_collection(self, draft: _Draft) -> None:
        """An archival collection (``archive`` with ``collection``, ``series`` or ``file``) is
        described by where it is kept, not by an author and a year: it needs its archive and a
        title or collection name."""
        missing = (
            [] if draft.fields.get("title") or draft.fields.get("collection") else ["title or collection"]
        )
        if missing:
            self.report(
                MISSING_FIELD,
                self.header(draft),
                entry_type=f"{draft.entry_type} (archival collection)",
                key=draft.key,
                plural="",
                fields=", ".join(missing),
            )

    def _check_archival(self, draft: _Draft) -> None:
        missing = [name for name in ("archive", "title") if not draft.fields.get(name)]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            self.report(
                MISSING_FIELD,
                self.header(draft),
                entry_type=f"{draft.entry_type} (archival)",
                key=draft.key,
                plural=plural,
                fields=", ".join(missing),
            )
        lacks = []
        if not draft.fields.get("opis"):
            lacks.append("an opis")
        if not any(draft.fields.get(f) for f in ARCHIVAL_UNIT_FIELDS):
            lacks.append("a storage unit (delo or edkhr)")
        if lacks:
            self.report(
                INCOMPLETE_ARCHIVAL,
                self.header(draft),
                key=draft.key,
                fond=draft.fields["fond"],
                missing=" and ".join(lacks),
            )

    def _entry(self, draft: _Draft) -> Entry:
        people = {name: self._names(draft, name) for name in ("author", "editor", "translator")}
        for name in _NAME_FIELDS - people.keys():
            if name in draft.latex and name not in draft.inherited:
                self._names(draft, name)
        return Entry(
            key=draft.key,
            entry_type=draft.entry_type,
            fields=draft.fields,
            span=self.source.span(draft.start, draft.end),
            authors=people["author"],
            editors=people["editor"],
            translators=people["translator"],
        )

    def _names(self, draft: _Draft, name: str) -> tuple[Name, ...]:
        if name in draft.names:
            return draft.names[name]
        value = draft.latex.get(name)
        if not value:
            return ()
        names, problems = split_names(value)
        if name not in draft.inherited:
            for reason in problems:
                span = self.field_span(draft, name)
                self.report(MALFORMED_NAME, span, field=name, key=draft.key, reason=reason)
        return names


def _is_collection(fields: Mapping[str, str]) -> bool:
    """Whether an entry describes an archival collection (non-Russian archives: ``archive`` with
    ``collection``, ``series`` or ``file``), which the resolver matches by its words."""
    return bool(fields.get("archive")) and any(fields.get(name) for name in ("collection", "series", "file"))


def _inherit_fields(child: _Draft, parent: _Draft) -> None:
    """biblatex's default inheritance, simplified: same-name fields, titles into book titles."""
    renames: dict[str, str] = {}
    if parent.entry_type in _MV_TYPES:
        renames = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
    elif parent.entry_type in _BOOK_TYPES and child.entry_type in _IN_BOOK_TYPES:
        renames = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
        if child.entry_type in ("inbook", "bookinbook", "suppbook"):
            renames["author"] = "bookauthor"
    elif parent.entry_type == "periodical" and child.entry_type in ("article", "suppperiodical"):
        renames = {"title": "journaltitle", "subtitle": "journalsubtitle"}
    for name, value in parent.fields.items():
        if name in _NOT_INHERITED:
            continue
        target = renames.get(name, name)
        if target in child.fields:
            continue
        child.fields[target] = value
        child.inherited.add(target)
        if name in parent.latex:
            child.latex[target] = parent.latex[name]
        if name in parent.names:
            child.names[target] = parent.names[name]


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def split_names(value: str) -> tuple[tuple[Name, ...], list[str]]:
    """Split a BibTeX name list into names, and say what is malformed about it.

    Plain lists (``Last, First and Last, First``: no braces, macros, ties or lower-case
    particles) take a fast path that a test shows agrees with bibtexparser's splitting.
    """
    if "{" not in value and "\\" not in value and "~" not in value:
        simple = [_simple_name(person) for person in _AND.split(value.strip())]
        if simple and all(simple):
            return tuple(name for name in simple if name is not None), []
    return _split_names_bibtex(value)


def _simple_name(person: str) -> Name | None:
    """``Last, First`` (capitalised surname words) or ``First Last`` (all words capitalised).

    None for anything else (particles, ``Jr``, odd characters): the BibTeX splitter decides.
    """
    last, comma, first = person.partition(",")
    if comma:
        surname, given = last.split(), first.split()
        if not surname or not given or "," in first:
            return None
    else:
        words = last.split()
        if not words:
            return None
        surname, given = words[-1:], words[:-1]
        if not all(word[0].isupper() for word in given):
            return None
    if not all(word[0].isupper() for word in surname):
        return None
    return Name(first=" ".join(given), last=" ".join(surname))


def _split_names_bibtex(value: str) -> tuple[tuple[Name, ...], list[str]]:
    """Split a name list with bibtexparser's BibTeX name splitting, LaTeX decoded."""
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    problems = []
    if re.search(r"(?:^|\s)and\s+and(?:\s|$)|^\s*and\s|\sand\s*$", value, re.IGNORECASE):
        problems.append("an empty name between 'and's")
    names = []
    for person in split_multiple_persons_names(value):
        try:
            parts = parse_single_name_into_parts(person, strict=True)
        except InvalidNameError as error:
            problems.append(f"{error.reason.lower()} in {person!r}")
            parts = parse_single_name_into_parts(person, strict=False)
        if not parts.last:
            problems.append(f"no surname in {person!r}")
        if person.strip().lower() == "and":
            continue
        names.append(
            Name(
                first=_decode_plain(" ".join(parts.first)),
                last=_decode_plain(" ".join(parts.last)),
                von=_decode_plain(" ".join(parts.von)),
                jr=_decode_plain(" ".join(parts.jr)),
            )
        )
    return tuple(names), problems


_YEAR = re.compile(r"-?\d{1,4}")
_ISO_DATE = re.compile(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[?~%]?")


def _date_problem(name: str, value: str) -> str | None:
    """Why ``value`` is not a valid ``name`` (year, month or an ISO date field), or None."""
    value = value.strip()
    if name == "year":
        return None if _YEAR.fullmatch(value) else "a year is a whole number of at most four digits"
    if name == "month":
        if value.isdigit():
            return None if 1 <= int(value) <= 12 else "a month is a number from 1 to 12"
        return None if value.lower().rstrip(".")[:3] in _PREDEFINED_STRINGS else "not a month"
    sides = value.split("/")
    if len(sides) > 2 or not any(sides):
        return "not an ISO 8601 date or range (YYYY, YYYY-MM, YYYY-MM-DD, start/end)"
    for side in sides:
        if side in ("", ".."):
            continue
        match = _ISO_DATE.fullmatch(side)
        if match is None:
            return "not an ISO 8601 date or range (YYYY, YYYY-MM, YYYY-MM-DD, start/end)"
        year, month, day = match.groups()
        if month is not None and not 1 <= int(month) <= 12:
            return f"month {month} does not exist"
        if day is not None and month is not None:
            import calendar

            last = calendar.monthrange(int(year) if int(year) > 0 else 2000, int(month))[1]
            if not 1 <= int(day) <= last:
                return f"day {day} does not exist in month {month}"
    return None


# ------------------------------------------------------------------------------------------------
# LaTeX to text
# ------------------------------------------------------------------------------------------------

_MARKUP = re.compile(r"[\\{}$~%]|--|``|''")
_BRACES = re.compile(r"(?<!\\)[{}]")
_DECODER: list[LatexNodes2Text] = []


def _latex_decoder() -> LatexNodes2Text:
    if not _DECODER:
        from pylatexenc.latex2text import (
            LatexNodes2Text,
            MacroTextSpec,
            get_default_latex_context_db,
        )

        context = get_default_latex_context_db()
        context.add_context_category(
            "notecheck-bibliography",
            prepend=True,
            macros=[MacroTextSpec("url", simplify_repl="%s")],
        )
        _DECODER.append(LatexNodes2Text(latex_context=context, math_mode="verbatim"))
    return _DECODER[0]


def _max_depth(text: str) -> int:
    depth = deepest = 0
    for match in _BRACES.finditer(text):
        depth += 1 if match.group() == "{" else -1
        deepest = max(deepest, depth)
    return deepest


_QUOTE_MACRO = re.compile(r"\\(?:mkbibquote|enquote)\s*(?=\{)")


def _quotes(text: str) -> str:
    """biblatex's ``\\mkbibquote{...}`` and ``\\enquote{...}`` as TeX quotes (pylatexenc lacks them)."""
    while (match := _QUOTE_MACRO.search(text)) is not None:
        end = _match_delimited(text, match.end())
        if end < 0:
            break
        text = f"{text[: match.start()]}``{text[match.end() : end]}''{text[end:]}"
    return text


def _decode_plain(text: str) -> str:
    """LaTeX to Unicode for a short text known to be shallow (a name part)."""
    decoded, _ = _decode_latex(text)
    return decoded


def _decode_latex(text: str) -> tuple[str, int]:
    """LaTeX to Unicode, whitespace collapsed; also the nesting depth when it was too deep (else 0).

    Values without markup are returned as they are; values with braces, ties and dashes only
    are handled here; only values with macros go to pylatexenc.
    """
    if _MARKUP.search(text) is None:
        return " ".join(text.split()), 0
    if text.count("{") > _MAX_DEPTH and (depth := _max_depth(text)) > _MAX_DEPTH:
        return " ".join(_BRACES.sub("", text).split()), depth
    if "\\" not in text and "$" not in text and "%" not in text:
        plain = _BRACES.sub("", text).replace("---", "—").replace("--", "–")
        plain = plain.replace("``", "“").replace("''", "”").replace("~", " ")
        return " ".join(plain.split()), 0
    try:
        decoded = _latex_decoder().latex_to_text(_quotes(re.sub(r"(?<!\\)%", r"\\%", text)))
    except RecursionError:
        return " ".join(_BRACES.sub("", text).split()), _max_depth(text)
    except Exception:  # pylatexenc is tolerant; this is belt and braces, the text is kept
        decoded = _BRACES.sub("", text)
    return " ".join(decoded.split()), 0


# ------------------------------------------------------------------------------------------------
# BibTeX
# ------------------------------------------------------------------------------------------------

_FIELD_START = re.compile(r"\s*([A-Za-z_][\w:.+-]*)\s*=")
_FIELD_INSIDE = re.compile(r"(?:(?<=\s)|(?<=[}\"]))([A-Za-z_][\w:.+-]*)\s*=")
_BARE = re.compile(r"[^\s#{}\",=]+")
_LOOKS_LIKE_ENTRY = re.compile(
    r"(?m)^[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^\s,{}()=]+)[ \t]*,\s*[A-Za-z_][\w-]*\s*="
)
_DELIMITERS = re.compile(r"(?<!\\)[{}\"]")


@dataclass
class _Value:
    """A field value evaluated the BibTeX way, with what was wrong in it (offsets in the raw text)."""

    text: str
    problems: list[tuple[Rule, int, int, dict[str, Any]]] = field(default_factory=list)
    swallowed: list[tuple[str, str, int]] = field(default_factory=list)  # (name, raw, offset)


def _match_delimited(raw: str, start: int) -> int:
    """The index after the ``{...}`` or ``"..."`` group opening at ``start``; -1 if unclosed."""
    opening = raw[start]
    depth = 0
    for match in _DELIMITERS.finditer(raw, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return match.end() if opening == "{" else -1
            depth -= 1
        elif opening == '"' and depth == 0:
            return match.end()
    return -1


def _evaluate_simple(raw: str) -> str | None:
    """The value of ``{text}``, ``"text"`` or ``1986`` without inner delimiters; else None."""
    first = raw[:1]
    if first == "{" or first == '"':
        inner = raw[1:-1]
        if raw[-1:] == first.replace("{", "}") and len(raw) > 1 and not _DELIMITERS.search(inner):
            return inner
        return None
    return raw if raw.isdigit() else None


def _evaluate(raw: str, strings: dict[str, str]) -> _Value:
    """Evaluate a raw field value: braces, quotes, numbers, macros and ``#``, as BibTeX does.

    Also finds what bibtexparser keeps silently: a following field swallowed for want of a
    comma, bare words, undefined macros, unbalanced delimiters.
    """
    simple = _evaluate_simple(raw)
    if simple is not None:
        return _Value(simple)
    value = _Value("")
    parts: list[str] = []
    position = _skip_space(raw, 0)
    while position < len(raw):
        char = raw[position]
        if char in '{"':
            end = _match_delimited(raw, position)
            if end < 0:
                value.problems.append((UNQUOTED_VALUE, position, len(raw), {"text": raw[position:]}))
                parts.append(_BRACES.sub("", raw[position + 1 :]))
                position = len(raw)
                break
            parts.append(raw[position + 1 : end - 1])
            position = end
        else:
            bare = _BARE.match(raw, position)
            if bare is None or _FIELD_START.match(raw, position):
                break
            word = bare.group()
            if word.isdigit():
                parts.append(word)
            elif word.lower() in strings:
                parts.append(strings[word.lower()])
            else:
                value.problems.append((UNDEFINED_STRING, position, bare.end(), {"macro": word}))
                parts.append(word)
            position = bare.end()
        position = _skip_space(raw, position)
        if position < len(raw) and raw[position] == "#":
            position = _skip_space(raw, position + 1)
            continue
        break
    if position < len(raw):
        _leftover(raw, position, value, parts)
    value.text = "".join(parts)
    return value


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _leftover(raw: str, position: int, value: _Value, parts: list[str]) -> None:
    """Text after a complete value: a swallowed field (missing comma) or bare text."""
    swallowed = _FIELD_INSIDE.search(raw, position - 1 if position else 0)
    while swallowed is not None and _max_depth_at(raw, swallowed.start()) != 0:
        swallowed = _FIELD_INSIDE.search(raw, swallowed.end())
    stop = swallowed.start() if swallowed is not None else len(raw)
    bare = raw[position:stop].strip()
    if bare:
        # Bare words: the whole value is literal text, as bibtexparser keeps it.
        value.problems = [p for p in value.problems if p[0] is not UNDEFINED_STRING]
        text = raw[:stop].strip()
        value.problems.append((UNQUOTED_VALUE, 0, len(raw[:stop].rstrip()), {"text": text}))
        parts[:] = [text]
    if swallowed is not None:
        name = swallowed.group(1)
        value.problems.append((MISSING_COMMA, swallowed.start(1), swallowed.end(1), {"swallowed": name}))
        rest = _skip_space(raw, swallowed.end())
        value.swallowed.append((name, raw[rest:], rest))


def _max_depth_at(text: str, end: int) -> int:
    """The brace depth at offset ``end`` of ``text``."""
    depth = 0
    for match in _BRACES.finditer(text, 0, end):
        depth += 1 if match.group() == "{" else -1
    return depth


def _scan_fields(text: str) -> list[tuple[str, str, int]]:
    """``name = value`` pairs in text the parser skipped (after a stray ``}``): name, raw, offset."""
    found: list[tuple[str, str, int]] = []
    position = _skip_space(text, 0)
    if text[position : position + 1] == ",":
        position += 1
    while True:
        start = _FIELD_START.match(text, position)
        if start is None:
            return found
        value_start = _skip_space(text, start.end())
        depth, in_quotes, end = 0, False, len(text)
        for match in re.finditer(r'(?<!\\)[{}",]', text[value_start:]):
            char = match.group()
            if char == '"' and depth == 0:
                in_quotes = not in_quotes
            elif char == "{" and not in_quotes:
                depth += 1
            elif char == "}" and not in_quotes:
                if depth == 0:
                    end = value_start + match.start()
                    break
                depth -= 1
            elif char == "," and depth == 0 and not in_quotes:
                end = value_start + match.start()
                break
        found.append((start.group(1), text[value_start:end].strip(), value_start))
        if end >= len(text) or text[end] != ",":
            return found
        position = end + 1


class _BibtexReader:
    """Reads BibTeX text with bibtexparser v2 into drafts, reporting everything it skips."""

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.source = loader.source
        self.strings = dict(_PREDEFINED_STRINGS)
        loader.locate = _locate_field
        self.string_lines: dict[str, int] = {}

    def read(self) -> list[_Draft]:
        from bibtexparser import model

        library = self._split()
        if library is None:
            return []
        drafts: list[_Draft] = []
        cursor = 0
        previous: _Draft | None = None
        for block in library.blocks:
            start, end = self._locate(block, cursor)
            cursor = max(cursor, end)
            entry = block.ignore_error_block if isinstance(block, model.DuplicateFieldKeyBlock) else block
            if isinstance(block, model.DuplicateBlockKeyBlock):
                entry = block.ignore_error_block
            if isinstance(entry, model.Entry):
                duplicates = (
                    block.duplicate_keys if isinstance(block, model.DuplicateFieldKeyBlock) else set()
                )
                previous = self._entry(entry, start, end, duplicates)
                drafts.append(previous)
                continue
            if isinstance(entry, model.String):
                self._string(entry, start, end)
            elif isinstance(block, model.ParsingFailedBlock):
                self._failed(block, start, end)
            elif isinstance(block, model.ImplicitComment):
                self._comment(block.raw or "", start, previous)
            previous = None
        return drafts

    def defined_strings(self) -> dict[str, str]:
        """The ``@string`` macros the file defines (lower-case names), values evaluated."""
        return {name: self.strings[name] for name in self.string_lines}

    def _split(self) -> Any:
        import logging

        import bibtexparser

        splitter_log = logging.getLogger("bibtexparser.splitter")
        was_disabled = splitter_log.disabled
        splitter_log.disabled = True  # every failure it logs becomes a diagnostic here
        try:
            # parse_stack=[]: the raw values; macros, enclosing and names are evaluated here.
            return bibtexparser.parse_string(self.source.text, parse_stack=[])  # type: ignore[attr-defined]
        except RecursionError:
            reason = "the file is nested too deeply to parse"
        except Exception as error:  # the parser's own state errors: report, never a traceback
            reason = f"the BibTeX parser failed ({error!r})"
        finally:
            splitter_log.disabled = was_disabled
        self.loader.report(PARSE_ERROR, self.source.span(0, 0), reason=reason)
        return None

    def _locate(self, block: Any, cursor: int) -> tuple[int, int]:
        """The block's offsets: its raw text found at or after ``cursor`` (blocks come in order)."""
        raw = block.raw or ""
        start = self.source.text.find(raw, cursor) if raw else -1
        if start < 0:
            start = self.source.offset((block.start_line or 0) + 1, 1)
        return start, start + len(raw)

    def _failed(self, block: Any, start: int, end: int) -> None:
        error = block.error
        reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
        line_end = self.source.text.find("\n", start)
        span_end = min(end, line_end) if line_end >= 0 else end
        self.loader.report(
            PARSE_ERROR, self.source.span(start, max(span_end, start + 1)), reason=reason.strip()
        )

    def _string(self, block: Any, start: int, end: int) -> None:
        name = str(block.key).lower()
        if name in self.string_lines:
            first_line = self.string_lines[name]
            span = self.source.span(start, min(end, start + 8 + len(name)))
            detail = " (@string)"
            self.loader.report(DUPLICATE_KEY, span, key=block.key, detail=detail, first_line=first_line)
            return
        raw = str(block.value).strip()
        value = _evaluate(raw, self.strings)
        base = self.source.text.find(raw, start, end) if raw else -1
        for rule, first, last, values in value.problems:
            if base < 0:
                base, first, last = start, 0, 1
            span = self.source.span(base + first, base + max(last, first + 1))
            self.loader.report(rule, span, **{"field": "@string", "key": block.key, **values})
        self.strings[name] = value.text
        self.string_lines[name] = self.source.position(start)[0]

    def _comment(self, raw: str, start: int, previous: _Draft | None) -> None:
        """Text outside entries: fields cut off by a stray brace, or an entry missing its ``@``."""
        if previous is not None:
            fields = _scan_fields(raw)
            if fields:
                for name, value, offset in fields:
                    self._field(previous, name.lower(), value, start + offset, set())
                names = ", ".join(repr(name) for name, _, _ in fields)
                plural = "s" if len(fields) > 1 else ""
                span = self.source.span(previous.end - 1, previous.end)
                self.loader.report(FIELDS_AFTER_BRACE, span, key=previous.key, plural=plural, fields=names)
                return
        for match in _LOOKS_LIKE_ENTRY.finditer(raw):
            first_line = match.group().splitlines()[0].strip()
            span = self.source.span(start + match.start(1), start + match.end(2))
            self.loader.report(STRAY_TEXT, span, text=first_line)

    def _entry(self, block: Any, start: int, end: int, duplicates: set[str]) -> _Draft:
        written = str(block.entry_type).lower()
        entry_type, implied_type = TYPE_ALIASES.get(written, (written, None))
        key = str(block.key)
        comma = (block.raw or "").find(",")
        draft = _Draft(key, entry_type, start, end, start + comma if comma > 0 else end)
        if entry_type not in BIBLATEX_TYPES:
            draft.known_type = False
            hint = _closest_type(written)
            self.loader.report(
                UNKNOWN_TYPE, self.loader.header(draft), entry_type=written, key=key, hint=hint
            )
        if not key or _BAD_KEY_CHARS.search(key):
            reason = "empty" if not key else "not a valid key (no spaces or ,{}()\"#%'=\\ in keys)"
            self.loader.report(BAD_KEY, self.loader.header(draft), key=key, reason=reason)
        seen: set[str] = set()
        fields = draft.fields
        for item in block.fields:
            written, raw = str(item.key).lower(), str(item.value).strip()
            name = FIELD_ALIASES.get(written, written)
            text = _evaluate_simple(raw)
            if text is None or name in fields or written in seen:
                self._field(draft, written, raw, None, seen, duplicates)
            else:  # the common case, kept lean: a braced, quoted or numeric value
                seen.add(written)
                self._store(draft, name, text, None)
        if implied_type and "type" not in draft.fields:
            draft.fields["type"] = implied_type
        return draft

    def _field(
        self,
        draft: _Draft,
        written: str,
        raw: str,
        offset: int | None,
        seen: set[str],
        duplicates: Iterable[str] = (),
    ) -> None:
        """Evaluate one field into the draft, with the fields its value swallowed."""
        pending = [(written, raw, offset)]
        while pending:
            written, raw, offset = pending.pop(0)
            value = _evaluate(raw, self.strings)
            name = FIELD_ALIASES.get(written, written)
            base = offset
            if value.problems and base is None:
                located = _locate_field(self.source.text, draft, written, value_start=True)
                base = located[0] if located is not None else None
            self._value_problems(draft, written, value, base)
            for swallowed, swallowed_raw, at in value.swallowed:
                pending.append((swallowed.lower(), swallowed_raw, None if base is None else base + at))
            if name in draft.fields or written in seen:
                self._duplicate(draft, written, name, value.text, duplicates, written in seen)
                continue
            seen.add(written)
            self._store(draft, name, value.text, base)

    def _store(self, draft: _Draft, name: str, text: str, base: int | None) -> None:
        if name in _VERBATIM_FIELDS:
            draft.fields[name] = " ".join(text.split())
            return
        decoded, depth = _decode_latex(text)
        if depth:
            span = self.loader.field_span(draft, name) if base is None else self.source.span(base, base + 1)
            self.loader.report(NESTED_TOO_DEEPLY, span, field=name, key=draft.key, depth=depth)
        draft.fields[name] = decoded
        if name in _NAME_FIELDS:
            draft.latex[name] = text

    def _duplicate(
        self, draft: _Draft, written: str, name: str, text: str, duplicates: Iterable[str], repeated: bool
    ) -> None:
        kept = draft.fields.get(name, "")
        if not repeated and _decode_latex(text)[0] == kept:
            return  # journal next to journaltitle with the same value: harmless
        span = self.loader.field_span(draft, written)
        if written in duplicates:
            occurrences = _field_occurrences(self.source.text, draft, written)
            if len(occurrences) > 1:
                span = self.source.span(*occurrences[1])
        self.loader.report(DUPLICATE_FIELD, span, field=written, key=draft.key, kept=kept)

    def _value_problems(self, draft: _Draft, written: str, value: _Value, base: int | None) -> None:
        for rule, start, end, values in value.problems:
            if base is None:
                span = self.loader.field_span(draft, written)
            else:
                span = self.source.span(base + start, base + max(end, start + 1))
            self.loader.report(rule, span, field=written, key=draft.key, **values)


def _closest_type(written: str) -> str:
    from difflib import get_close_matches

    close = get_close_matches(written, sorted(BIBLATEX_TYPES | TYPE_ALIASES.keys()), n=1)
    return f" (did you mean @{close[0]}?)" if close else ""


def _field_occurrences(text: str, draft: _Draft, name: str) -> list[tuple[int, int]]:
    """Offsets of ``name =`` at brace depth 0 in the draft's entry text (name spans)."""
    pattern = re.compile(r"(?<![\w:.+-])" + re.escape(name) + r"\s*=", re.IGNORECASE)
    found = []
    for match in pattern.finditer(text, draft.start, draft.end):
        if _max_depth_at(text[draft.start : match.start()], match.start() - draft.start) == 1:
            found.append((match.start(), match.start() + len(name)))
    return found


def _locate_field(text: str, draft: _Draft, name: str, value_start: bool = False) -> tuple[int, int] | None:
    """The span of field ``name`` in the entry's text (or where its value starts)."""
    occurrences = _field_occurrences(text, draft, name)
    if not occurrences:
        return None
    start, end = occurrences[0]
    if not value_start:
        return start, end
    equals = text.index("=", end)
    first = _skip_space(text, equals + 1)
    return first, first + 1


# ------------------------------------------------------------------------------------------------
# CSL-JSON
# ------------------------------------------------------------------------------------------------

#: CSL item types -> biblatex entry types.
CSL_TYPES = {
    "article": "article",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "bill": "legislation",
    "book": "book",
    "broadcast": "misc",
    "chapter": "incollection",
    "classic": "book",
    "collection": "misc",
    "dataset": "dataset",
    "document": "misc",
    "entry": "inreference",
    "entry-dictionary": "inreference",
    "entry-encyclopedia": "inreference",
    "event": "misc",
    "figure": "image",
    "graphic": "image",
    "hearing": "misc",
    "interview": "misc",
    "legal_case": "jurisdiction",
    "legislation": "legislation",
    "manuscript": "unpublished",
    "map": "misc",
    "motion_picture": "movie",
    "musical_score": "music",
    "pamphlet": "booklet",
    "paper-conference": "inproceedings",
    "patent": "patent",
    "performance": "performance",
    "periodical": "periodical",
    "personal_communication": "letter",
    "post": "online",
    "post-weblog": "online",
    "regulation": "legislation",
    "report": "report",
    "review": "review",
    "review-book": "review",
    "software": "software",
    "song": "audio",
    "speech": "misc",
    "standard": "standard",
    "thesis": "thesis",
    "treaty": "legislation",
    "webpage": "online",
}
_CSL_SUBTYPES = {"article-magazine": "magazine", "article-newspaper": "newspaper"}
_CSL_FIELDS = {
    "title": "title",
    "title-short": "shorttitle",
    "shortTitle": "shorttitle",
    "container-title-short": "shortjournal",
    "journalAbbreviation": "shortjournal",
    "collection-title": "series",
    "collection-number": "number",
    "volume": "volume",
    "number-of-volumes": "volumes",
    "number-of-pages": "pagetotal",
    "issue": "number",
    "number": "number",
    "page": "pages",
    "edition": "edition",
    "publisher-place": "location",
    "event-place": "venue",
    "event": "eventtitle",
    "event-title": "eventtitle",
    "genre": "type",
    "URL": "url",
    "DOI": "doi",
    "ISBN": "isbn",
    "ISSN": "issn",
    "note": "note",
    "abstract": "abstract",
    "language": "language",
    "keyword": "keywords",
    "archive": "archive",
    "archive_location": "library",
    "original-title": "origtitle",
    "original-publisher": "origpublisher",
    "original-publisher-place": "origlocation",
    "medium": "howpublished",
    "version": "version",
    "status": "pubstate",
}
_CSL_DATES = {"issued": "date", "original-date": "origdate", "accessed": "urldate", "event-date": "eventdate"}
_CSL_NAMES = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "container-author": "bookauthor",
    "compiler": "editor",
}
_CSL_IGNORED = frozenset({"id", "type", "citation-key", "citation-label", "source", "accessed-raw"})
_CSL_MARKUP = re.compile(r"</?(?:i|b|sup|sub|span(?:\s[^>]*)?)>")


class _CslReader:
    """Reads CSL-JSON (a list of items) into drafts, with positions of every item."""

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.source = loader.source
        loader.locate = _locate_json_key

    def read(self) -> list[_Draft]:
        items = self._items()
        return [draft for item, start, end in items if (draft := self._item(item, start, end)) is not None]

    def _items(self) -> list[tuple[Any, int, int]]:
        """The top-level items with their offsets, read one by one so each keeps its position."""
        import json

        text = self.source.text
        decoder = json.JSONDecoder()
        position = _skip_space(text, 0)
        if not text[position:].strip():
            return []
        if text[position] != "[":
            try:
                document, end = decoder.raw_decode(text, position)
            except json.JSONDecodeError as error:
                self._syntax(error.pos, f"invalid JSON: {error.msg}")
                return []
            items = document.get("items", document.get("references")) if isinstance(document, dict) else None
            if not isinstance(items, list):
                reason = "CSL-JSON is a list of items, or an object with an 'items' list"
                self.loader.report(PARSE_ERROR, self.source.span(position, position + 1), reason=reason)
                return []
            return [(item, position, end) for item in items]
        found: list[tuple[Any, int, int]] = []
        position += 1
        while True:
            position = _skip_space(text, position)
            if text[position : position + 1] == "]":
                position += 1
                break
            try:
                item, end = decoder.raw_decode(text, position)
            except json.JSONDecodeError as error:
                self._syntax(error.pos, f"invalid JSON: {error.msg}")
                return found
            found.append((item, position, end))
            position = _skip_space(text, end)
            if text[position : position + 1] == ",":
                position += 1
            elif text[position : position + 1] != "]":
                self._syntax(position, "expected ',' or ']' after an item")
                return found
        if text[_skip_space(text, position) :].strip():
            self._syntax(_skip_space(text, position), "text after the end of the list")
        return found

    def _syntax(self, position: int, reason: str) -> None:
        self.loader.report(PARSE_ERROR, self.source.span(position, position + 1), reason=reason)

    def _item(self, item: Any, start: int, end: int) -> _Draft | None:
        import json

        if not isinstance(item, dict):
            self._syntax(start, f"an item must be an object, not {type(item).__name__}")
            return None
        key = item.get("id")
        if not isinstance(key, str | int) or isinstance(key, bool) or str(key) == "":
            self._syntax(start, "an item has no 'id' (its citation key)")
            return None
        key = str(key)
        text = self.source.text
        header = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(item["id"], ensure_ascii=False)))
        found = header.search(text, start, end)
        draft = _Draft(key, "misc", start, end, found.end() if found else start + 1)
        draft.header_start = found.start() if found else start
        self._type(draft, item)
        self._variables(draft, item)
        return draft

    def _type(self, draft: _Draft, item: dict[str, Any]) -> None:
        csl_type = item.get("type")
        if not isinstance(csl_type, str):
            draft.known_type = False
            self.loader.report(
                UNKNOWN_TYPE, self.loader.header(draft), entry_type=repr(csl_type), key=draft.key, hint=""
            )
            return
        entry_type = CSL_TYPES.get(csl_type)
        if entry_type is None:
            draft.entry_type = csl_type
            draft.known_type = False
            hint = f" (CSL types: {', '.join(sorted(CSL_TYPES)[:6])}, ...)"
            self.loader.report(
                UNKNOWN_TYPE, self.loader.header(draft), entry_type=csl_type, key=draft.key, hint=hint
            )
            return
        if entry_type == "book" and not item.get("author") and item.get("editor"):
            entry_type = "collection"
        draft.entry_type = entry_type
        if csl_type in _CSL_SUBTYPES:
            draft.fields["entrysubtype"] = _CSL_SUBTYPES[csl_type]
        if item.get("compiler") and not item.get("editor"):
            draft.fields["editortype"] = "compiler"

    def _variables(self, draft: _Draft, item: dict[str, Any]) -> None:
        for variable, value in item.items():
            if variable in _CSL_IGNORED or value is None:
                continue
            if variable == "compiler" and item.get("editor"):
                continue  # the editor is the editor; a compiler as well is not kept
            if variable in _CSL_NAMES:
                self._names(draft, variable, value)
            elif variable in _CSL_DATES:
                self._date(draft, variable, value)
            elif variable == "container-title":
                self._text(draft, variable, _container_field(draft.entry_type), value)
            elif variable == "publisher":
                target = "institution" if draft.entry_type in ("thesis", "report") else "publisher"
                self._text(draft, variable, target, value)
            else:
                self._text(draft, variable, _CSL_FIELDS.get(variable, variable), value)

    def _invalid(self, draft: _Draft, variable: str, reason: str) -> None:
        span = self.loader.field_span(draft, variable)
        self.loader.report(CSL_FIELD_TYPE, span, key=draft.key, field=variable, reason=reason)

    def _text(self, draft: _Draft, variable: str, target: str, value: Any) -> None:
        if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
            value = ", ".join(str(v) for v in value)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._invalid(draft, variable, f"is {type(value).__name__}, not text")
            return
        text = " ".join(_CSL_MARKUP.sub("", str(value)).split())
        if target in draft.fields:
            if draft.fields[target] != text:
                span = self.loader.field_span(draft, variable)
                self.loader.report(
                    DUPLICATE_FIELD,
                    span,
                    field=f"{variable} ({target})",
                    key=draft.key,
                    kept=draft.fields[target],
                )
            return
        if text:
            draft.fields[target] = text

    def _names(self, draft: _Draft, variable: str, value: Any) -> None:
        import json

        target = _CSL_NAMES[variable]
        if target in draft.names:
            return
        if not isinstance(value, list):
            self._invalid(draft, variable, f"is {type(value).__name__}, not a list of names")
            return
        names = []
        for person in value:
            name = _csl_name(person)
            if name is None:
                span = self.loader.field_span(draft, variable)
                reason = f"{json.dumps(person, ensure_ascii=False)[:60]} has no 'family' or 'literal'"
                self.loader.report(MALFORMED_NAME, span, field=variable, key=draft.key, reason=reason)
                continue
            names.append(name)
        if names:
            draft.names[target] = tuple(names)
            draft.fields[target] = " and ".join(_name_text(n) for n in names)

    def _date(self, draft: _Draft, variable: str, value: Any) -> None:
        target = _CSL_DATES[variable]
        text = _csl_date(value)
        if text is None:
            self._invalid(draft, variable, "is not a CSL date ({'date-parts': [[year, month, day]]})")
            return
        if target == "date" and re.fullmatch(r"-?\d{1,4}", text):
            draft.fields["year"] = text
            return
        reason = _date_problem("date", text)
        if reason:
            span = self.loader.field_span(draft, variable)
            self.loader.report(INVALID_YEAR, span, field=variable, value=text, key=draft.key, reason=reason)
            return
        draft.fields[target] = text


def _container_field(entry_type: str) -> str:
    """The biblatex field for CSL's ``container-title``: journal, series of volumes, or book."""
    if entry_type in ("article", "periodical", "review"):
        return "journaltitle"
    return "maintitle" if entry_type in ("book", "collection") else "booktitle"


def _csl_name(person: Any) -> Name | None:
    if not isinstance(person, dict):
        return None
    literal = person.get("literal")
    family = person.get("family")
    if isinstance(literal, str) and literal.strip() and not family:
        return Name(first="", last=" ".join(literal.split()))
    if not isinstance(family, str) or not family.strip():
        return None

    def part(name: str) -> str:
        value = person.get(name, "")
        return " ".join(value.split()) if isinstance(value, str) else ""

    von = part("non-dropping-particle") or part("dropping-particle")
    return Name(first=part("given"), last=" ".join(family.split()), von=von, jr=part("suffix"))


def _name_text(name: Name) -> str:
    """A name written the BibTeX way: ``von Last, Jr, First``."""
    last = f"{name.von} {name.last}".strip()
    return ", ".join(part for part in (last, name.jr, name.first) if part)


def _csl_date(value: Any) -> str | None:
    """An ISO 8601 date or range from a CSL date object; None if it is not one."""
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and all(isinstance(p, list) and p for p in parts):
        sides = []
        for date in parts[:2]:
            try:
                numbers = [int(str(n)) for n in date[:3]]
            except ValueError:
                return None
            year = f"{numbers[0]:04d}" if numbers[0] >= 0 else str(numbers[0])
            sides.append("-".join([year, *(f"{n:02d}" for n in numbers[1:])]))
        return "/".join(sides)
    for alternative in ("raw", "literal"):
        if isinstance(value.get(alternative), str):
            return str(value[alternative]).strip() or None
    return None


def _locate_json_key(text: str, draft: _Draft, name: str) -> tuple[int, int] | None:
    """The span of the ``"name"`` key inside one item's JSON text."""
    import json

    found = re.compile(re.escape(json.dumps(name)) + r"\s*:").search(text, draft.start, draft.end)
    return (found.start(), found.start() + len(name) + 2) if found else None
