"""Stage resolve, matching: titles and names of citations against the bibliography's entries.

Exact look-ups come first and cost a dictionary access: a title is *squashed* (folded, spaces
removed, a leading article dropped) so OCR-glued words (``OtherBolsheviks``,
``Conscience ofthe Revolution``) find their entry exactly. Fuzzy matching (rapidfuzz) runs only
when no exact look-up succeeds, over choices pre-filtered by length (an Indel ratio of at least
``c`` is impossible between strings whose lengths differ by more than ``c`` allows), with a
``score_cutoff``.

The string functions here (:func:`squash`, :func:`translit_normal`, :func:`similarity`,
:func:`person_matches`, :meth:`CitedName.parse`) are pure and memoised, with bounded caches: a
long edition names the same few hundred works and people thousands of times.

OCR tolerance is one generic table of confusions (``1``/``l``/``i``, ``0``/``o``, ``5``/``s``,
``f``/``j``, ``rn``/``m``, ``cl``/``d``, ``vv``/``w``), applied to both sides before the fuzzy score;
no word of any particular edition is listed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from notecheck.bibliography import fold, surname_key
from notecheck.models import Entry, Name

if TYPE_CHECKING:
    from notecheck.bibliography import Bibliography

_ARTICLES = frozenset({"the", "a", "an", "la", "le", "les", "l", "el", "der", "die", "das", "il", "lo"})
_OCR_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"))
_OCR_TABLE = str.maketrans({"1": "l", "i": "l", "0": "o", "5": "s", "j": "f"})
_MAIN_TITLE_END = re.compile(r"[:.?!]\s")
_INITIAL = re.compile(r"^(?:[A-Z][a-z]?\.|[A-Z]\.-[A-Z]\.|[A-Z])$")
_YEAR = re.compile(r"1[4-9]\d\d|20\d\d")

#: Scores (0-100) used throughout the resolver.
SAME_TITLE = 85.0  # an OCR-damaged title is still this title
CLOSE = 80.0  # a damaged short form is close enough for a safe fix
SUGGEST = 70.0  # worth naming as a did-you-mean


@lru_cache(maxsize=1 << 14)
def squash(text: str) -> str:
    """Folded, without a leading article and without spaces: ``The Other  Bolsheviks`` ->
    ``otherbolsheviks``; ``TheBolsheviks`` stays ``thebolsheviks`` (see :func:`title_keys`)."""
    folded = fold(text)
    first, _, rest = folded.partition(" ")
    if rest and first in _ARTICLES:
        folded = rest
    return folded.replace(" ", "")


@lru_cache(maxsize=1 << 14)
def title_keys(text: str) -> tuple[str, ...]:
    """The exact keys of a title: squashed without and with its leading article."""
    plain = fold(text).replace(" ", "")
    without = squash(text)
    return (without,) if without == plain else (without, plain)


@lru_cache(maxsize=1 << 14)
def ocr_normal(squashed: str) -> str:
    """A squashed text with generic OCR confusions mapped to one letter each."""
    for wrong, right in _OCR_PAIRS:
        squashed = squashed.replace(wrong, right)
    return squashed.translate(_OCR_TABLE)


@lru_cache(maxsize=1 << 15)
def translit_normal(text: str) -> str:
    """A text squashed with the usual variants of Russian transliteration made one: ``ya``/``ja``
    -> ``ia`` (and ``yu``, ``ye``, ``yo``), and a word-final ``-ii``/``-iy``/``-ij``/``-y`` -> ``-i``,
    so *Trotsky*, *Trotskii* and *Trotskij*, *Yakovlev* and *Iakovlev* compare equal."""
    words = [_FINAL_I.sub("i", _Y_VOWEL.sub(r"i\1", word)) for word in fold(text).split()]
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "".join(words)


_Y_VOWEL = re.compile(r"[yj]([aeou])")
_FINAL_I = re.compile(r"(?:ii|iy|ij|yi|y)$")


@lru_cache(maxsize=1 << 14)
def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0-100: 100 when their squashed forms are equal (transliteration
    variants aside), otherwise the best rapidfuzz ratio of the squashed forms, plain or
    OCR-normalised."""
    sa, sb = squash(a), squash(b)
    if not sa or not sb:
        return 0.0
    if sa == sb or translit_normal(a) == translit_normal(b):
        return 100.0
    from rapidfuzz import fuzz

    return max(fuzz.ratio(sa, sb), fuzz.ratio(ocr_normal(sa), ocr_normal(sb)))


def main_title(title: str) -> str:
    """The title before its subtitle: ``Let History Judge: The Origins`` -> ``Let History Judge``."""
    return _MAIN_TITLE_END.split(title, maxsplit=1)[0].strip()


def year_of(text: str | None) -> str | None:
    """The first four-digit year in ``text``."""
    if not text:
        return None
    found = _YEAR.search(text)
    return found.group() if found else None


# --- names ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CitedName:
    """A name as a citation prints it, split into surname keys and initials.

    ``surnames`` are the candidate surname keys, longest first: ``L. I. Gol' dman`` (an OCR space
    inside the name) gives ``("goldman", "dman")``. ``initials`` are the first letters of the given
    names (``RA`` for ``Roy A. Medvedev``), empty when none are printed.
    """

    text: str
    surnames: tuple[str, ...]
    initials: str

    @classmethod
    def parse(cls, text: str) -> CitedName:
        return _parse_name(text) if cls is CitedName else cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> CitedName:
        tokens: list[str] = []
        for token in re.split(r"\s+", text.strip()):
            if not token or token.casefold() in {"jr.", "jr", "sr."}:
                continue
            if tokens and tokens[-1].endswith(("'", "’")) and len(tokens[-1]) > 2:
                tokens[-1] += token  # an OCR space after a soft sign: "Gol' dman"
            else:
                tokens.append(token)
        words = [t for t in tokens if not _INITIAL.match(t)]
        surnames = tuple(
            dict.fromkeys(
                key for start in range(len(words)) if (key := surname_key("".join(words[start:]))) and key
            )
        )
        given = [t for t in tokens if t not in words[-1:]] if words else tokens
        initials = "".join(t[0].upper() for t in given if t[:1].isalpha())
        return cls(text, surnames or (surname_key(text),), initials)

    @property
    def surname(self) -> str:
        return self.surnames[-1] if self.surnames else ""


@lru_cache(maxsize=1 << 14)
def _parse_name(text: str) -> CitedName:
    return CitedName._parse(text)


@lru_cache(maxsize=1 << 14)
def person_matches(cited: CitedName, person: Name) -> bool:
    """Whether a printed name can be this bibliography person: same surname (an OCR-damaged one
    of five letters or more counts), and, when both give them, the same first initial."""
    keys = person_keys(person)
    same = any(s in keys for s in cited.surnames)
    if not same:  # Trotsky and Trotskii, Yakovlev and Iakovlev
        variants = {translit_normal(k) for k in keys}
        same = any(translit_normal(s) in variants for s in cited.surnames)
    if not same:
        from rapidfuzz import fuzz

        same = any(
            len(s) >= 5 and fuzz.ratio(variant, ocr_normal(k)) >= SAME_TITLE
            for s in cited.surnames[:1] + cited.surnames[-1:]
            for variant in _surname_variants(s)
            for k in keys
        )
    if not same:
        return False
    first = person.first.strip()
    if cited.initials and first[:1].isalpha():
        return cited.initials[0] == first[0].upper()
    return True


#: Letters OCR reads as ``m`` in names (``Kotkm`` for ``Kotkin``), besides ``rn`` (:func:`ocr_normal`).
_M_FOR = ("in", "ni")


def _surname_variants(surname: str) -> tuple[str, ...]:
    """A printed surname OCR-normalised, and so again with each ``m`` read as ``in`` or ``ni``."""
    normal = ocr_normal(surname)
    if "m" not in surname:
        return (normal,)
    return (normal, *(ocr_normal(surname.replace("m", pair)) for pair in _M_FOR))


@lru_cache(maxsize=1 << 14)
def person_keys(person: Name) -> frozenset[str]:
    """The surname keys of a bibliography person: ``Gol'dman`` -> ``goldman``; with a von part,
    also the whole: ``de la Cruz`` -> ``cruz``, ``delacruz``."""
    keys = {surname_key(person.last)}
    if person.von:
        keys.add(surname_key(f"{person.von} {person.last}"))
    return frozenset(keys)


def names_any(cited: CitedName, listed: tuple[Name, ...]) -> bool:
    """``any(person_matches(cited, p) for p in listed)``, with the people of the printed surname
    tried first: the answer is the same, the common case (the surname is there, exactly) costs
    no OCR or transliteration comparison of the entry's other people."""
    later = []
    surnames = cited.surnames
    for person in listed:
        keys = person_keys(person)
        if any(s in keys for s in surnames):
            if person_matches(cited, person):
                return True
        else:
            later.append(person)
    return any(person_matches(cited, person) for person in later)


def people(entry: Entry) -> tuple[Name, ...]:
    """Everyone an entry names: authors, editors, translators."""
    return (*entry.authors, *entry.editors, *entry.translators)


# --- the catalogue: the bibliography indexed for the resolver -----------------------------------------


@dataclass
class Catalogue:
    """The bibliography indexed by squashed titles, with a length-sorted pool for fuzzy matching.

    Built once per bibliography (see :func:`catalogue_of`). An empty catalogue (no bibliography)
    finds nothing.
    """

    bibliography: Bibliography | None
    exact: dict[str, list[str]] = field(default_factory=dict)
    size: int = 0
    _pool: list[tuple[int, str, str, str]] = field(default_factory=list)  # (len, ocr, key, shown)
    _lengths: list[int] = field(default_factory=list)
    _people: dict[str, list[str]] = field(default_factory=dict)  # transliteration-normal surname
    _files: list[Entry] | None = None
    _collections: list[Entry] | None = None
    _by_person: dict[CitedName, tuple[str, ...]] = field(default_factory=dict)
    _archival_keys: dict[str | None, bool] = field(default_factory=dict)
    _surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, bibliography: Bibliography | None) -> Catalogue:
        catalogue = cls(bibliography, size=len(bibliography.entries) if bibliography is not None else 0)
        if bibliography is None:
            return catalogue
        for entry in bibliography:
            shown = [
                entry.fields.get("shorttitle", ""),
                main_title(entry.title),
                entry.title,
                *_work_titles(entry),
            ]
            for text in shown:
                if not text:
                    continue
                for key in title_keys(text):
                    keys = catalogue.exact.setdefault(key, [])
                    if entry.key not in keys:
                        keys.append(entry.key)
                normal = ocr_normal(squash(text))
                catalogue._pool.append((len(normal), normal, entry.key, text))
            for person in people(entry):
                keys = catalogue._people.setdefault(translit_normal(person.last), [])
                if entry.key not in keys:
                    keys.append(entry.key)
        catalogue._pool.sort()
        catalogue._lengths = [item[0] for item in catalogue._pool]
        return catalogue

    @property
    def entries(self) -> dict[str, Entry]:
        return self.bibliography.entries if self.bibliography is not None else {}

    @property
    def archival_files(self) -> list[Entry]:
        """The entries describing a Russian-style archival file (a ``fond`` field)."""
        if self._files is None:
            self._files = [e for e in self.entries.values() if "fond" in e.fields]
        return self._files

    @property
    def collections(self) -> list[Entry]:
        """The entries describing a collection of another archive: ``collection``, ``series`` or
        ``file``, or an ``archive`` without a Russian ``fond`` (see ``resolve.archives``)."""
        if self._collections is None:
            self._collections = [
                e
                for e in self.entries.values()
                if any(f in e.fields for f in ("collection", "series", "file"))
                or ("archive" in e.fields and "fond" not in e.fields)
            ]
        return self._collections

    def get(self, key: str | None) -> Entry | None:
        if key is None or self.bibliography is None:
            return None
        return self.bibliography.get(key)

    def by_title(self, text: str) -> list[str]:
        """Keys of entries whose short title, main title or title is ``text`` (squashed)."""
        found: list[str] = []
        for key in title_keys(text):
            for entry_key in self.exact.get(key, ()):
                if entry_key not in found:
                    found.append(entry_key)
        return found

    def by_title_prefix(self, text: str, keys: list[str]) -> list[str]:
        """Those of ``keys`` whose main title starts with ``text`` (squashed): ``The Making`` is a
        prefix of *The Making of a Workers' Revolution*."""
        wanted = squash(text)
        if len(wanted) < 3:
            return []
        found = []
        for key in keys:
            entry = self.get(key)
            if entry is None:
                continue
            variants = (*title_keys(main_title(entry.title)), *title_keys(entry.title))
            if any(v.startswith(wanted) for v in variants):
                found.append(key)
        return found

    def by_person(self, name: CitedName) -> list[str]:
        """Keys of entries naming this person (author, editor or translator), in file order; a
        surname in another transliteration (``Yakovlev`` for ``Iakovlev``) is looked up too."""
        if self.bibliography is None:
            return []
        known = self._by_person.get(name)
        if known is None:
            if len(self._by_person) >= _PERSON_MEMO:
                self._by_person.clear()
            known = self._by_person[name] = tuple(self._by_person_uncached(name))
        return list(known)

    def _by_person_uncached(self, name: CitedName) -> list[str]:
        assert self.bibliography is not None
        found: dict[str, None] = {}
        for surname in name.surnames:
            entries = self.bibliography.by_surname(surname) or [
                self.entries[k] for k in self._people.get(translit_normal(surname), ())
            ]
            for entry in entries:
                if names_any(name, people(entry)):
                    found[entry.key] = None
            if found:
                break
        return list(found)

    def fuzzy(self, text: str, cutoff: float = SUGGEST, limit: int = 8) -> list[tuple[str, float, str]]:
        """Entries whose titles are like ``text``: ``(key, score, title as listed)``, best first,
        one row per key. Only choices whose length allows the cutoff are scored."""
        from rapidfuzz import fuzz, process

        query = ocr_normal(squash(text))
        if not query or not self._pool:
            return []
        size = len(query)
        low = int(size * cutoff / (200 - cutoff))
        high = int(size * (200 - cutoff) / cutoff) + 1
        start, end = bisect_left(self._lengths, low), bisect_right(self._lengths, high)
        window = self._pool[start:end]
        hits = process.extract(
            query, [item[1] for item in window], scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit * 3
        )
        best: dict[str, tuple[float, str]] = {}
        for _, score, index in hits:
            _, _, key, shown = window[index]
            if key not in best or score > best[key][0]:
                best[key] = (score, shown)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])
        return [(key, score, shown) for key, (score, shown) in ranked[:limit]]

    def title_score(self, key: str, titles: list[str]) -> float:
        """The best similarity between any of ``titles`` and the entry's short, main or full title."""
        entry = self.get(key)
        if entry is None:
            return 0.0
        listed = [
            t
            for t in (
                entry.fields.get("shorttitle", ""),
                main_title(entry.title),
                entry.title,
                *_work_titles(entry),
            )
            if t
        ]
        return max((similarity(a, b) for a in titles if a for b in listed), default=0.0)

    def years(self, key: str) -> set[str]:
        """Every year the entry could be cited under (year, date, original date)."""
        entry = self.get(key)
        if entry is None:
            return set()
        values = (entry.year, entry.fields.get("origdate", ""), entry.fields.get("origyear", ""))
        return {y for v in values if (y := year_of(v))}

    def is_archival(self, key: str | None) -> bool:
        """An archival file or collection: an entry with ``fond`` or ``archive``."""
        known = self._archival_keys.get(key)
        if known is None:
            entry = self.get(key)
            known = entry is not None and ("fond" in entry.fields or "archive" in entry.fields)
            self._archival_keys[key] = known
        return known

    def surnames(self, key: str) -> tuple[str, ...]:
        """The surnames of everyone the entry names, transliteration variants made one
        (:func:`translit_normal`), in the order of :func:`people`; none for an unknown key."""
        known = self._surnames.get(key)
        if known is None:
            entry = self.get(key)
            known = tuple(translit_normal(p.last) for p in people(entry)) if entry is not None else ()
            self._surnames[key] = known
        return known

    def preferred_form(self, key: str) -> str | None:
        """How a short form should print the work: its ``shorttitle``, else its main title."""
        entry = self.get(key)
        if entry is None:
            return None
        return entry.fields.get("shorttitle") or main_title(entry.title) or None


def _work_titles(entry: Entry) -> tuple[str, ...]:
    """The title of the multi-volume work a volume belongs to (biblatex ``maintitle``), whole and
    without its subtitle: notes cite ``The Industrialisation of Soviet Russia, vol. 3, The Soviet
    Economy in Turmoil`` by the work's title first."""
    work = entry.fields.get("maintitle", "")
    return (work, main_title(work)) if work else ()


#: How many printed names :meth:`Catalogue.by_person` remembers (a name is looked up once per
#: bibliography, however often it is printed).
_PERSON_MEMO = 1 << 15

_CACHE: list[Catalogue] = []


def catalogue_of(bibliography: Bibliography | None) -> Catalogue:
    """The catalogue of ``bibliography``, built once and kept while the same one is used."""
    if bibliography is None:
        return Catalogue(None)
    for cached in _CACHE:
        if cached.bibliography is bibliography and cached.size == len(bibliography.entries):
            return cached
    built = Catalogue.build(bibliography)
    _CACHE[:] = [built]
    return built
