"""Stage resolve, full citations: author, title and year to one entry, or a suggested entry.

Exact look-ups first (squashed title, surname index); fuzzy matching only when they find no
entry with a matching title. An entry is accepted when its title matches (OCR damage allowed)
and no printed name contradicts it, or — for a badly damaged title — when surname *and* year
agree too. Between several accepted entries (two editions of one book), the year decides;
when nothing decides, the citation is ambiguous, never silently one of them.

Disagreements are reported only when they are clear: a year that is not the entry's, a place
whose city differs beyond OCR damage, a main title or subtitle that really differs (not an
OCR-damaged or glued word), or no printed name that is the entry's person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notecheck.bibliography import fold
from notecheck.models import Citation, CitationResolution, Diagnostic, Status
from notecheck.resolver.archives import resolve_collection
from notecheck.resolver.bibtex import suggest_entry
from notecheck.resolver.context import Context, Outcome, ambiguous
from notecheck.resolver.match import (
    SAME_TITLE,
    SUGGEST,
    CitedName,
    main_title,
    names_any,
    people,
    similarity,
    squash,
    year_of,
)
from notecheck.rules.resolution import ENTRY_DISAGREES, MISSING_ENTRY

#: A title this unlike the entry's still matches when surname and year agree — and is reported.
DAMAGED_TITLE = 70.0
DIFFERENT_TITLE = 45.0


@dataclass(frozen=True, slots=True)
class Evidence:
    """How one entry fits a full citation."""

    key: str
    title: float  # 0-100
    names: bool | None  # None: the citation prints no name
    year: bool | None  # None: no year on one side

    @property
    def rank(self) -> tuple[int, int, float]:
        return (self.year is True, self.names is True, self.title)


def resolve_full(citation: Citation, context: Context) -> Outcome:
    """Resolve a full citation (see the module docstring)."""
    if context.catalogue.bibliography is None:
        return Outcome(CitationResolution(None, Status.UNRESOLVED))
    accepted, evidence = match_full(citation, context)
    whole = False
    if not accepted and citation.fields.container:
        # A chapter of a volume the bibliography lists as a whole cites that volume.
        accepted, whole = _volume(citation, context), True
    if not accepted:
        return _missing(citation, context, evidence)
    note = context.note_of(citation)
    best = max(e.rank for e in accepted)
    top = [e for e in accepted if e.rank == best]
    if len(top) > 1:
        keys = tuple(e.key for e in top)
        chosen = context.declared_edition(list(keys), citation)
        if chosen is None:
            guess = context.latest(list(keys)) or keys[0]
            choice = f"nothing in the notes or the configuration says which; taken as {guess!r}"
            return ambiguous(citation, note, keys, guess, choice, limit=80)
        top = [e for e in top if e.key == chosen[0]]
    match = top[0]
    diagnostics = () if whole else tuple(_disagreements(citation, context, match))
    return Outcome(CitationResolution(match.key, Status.RESOLVED, (match.key,)), diagnostics)


def full_key(citation: Citation, context: Context) -> str | None:
    """The entry a full citation resolves to when one entry fits best, without recording anything
    (to know, before the walk reaches it, what a declaring citation stands for)."""
    accepted, _ = match_full(citation, context)
    if not accepted:
        return None
    best = max(e.rank for e in accepted)
    top = [e for e in accepted if e.rank == best]
    return top[0].key if len(top) == 1 else None


def match_full(citation: Citation, context: Context) -> tuple[list[Evidence], list[Evidence]]:
    """The entries a full citation can be (accepted), and the evidence: for every entry
    considered when none is accepted (the suggestions come from it), else for those whose title
    is near enough to be accepted at all.

    Names and years are weighed only for entries whose title could be accepted (a title under
    :data:`DIFFERENT_TITLE` never is), so a common surname (every work of every Smith in the
    pool) costs one title comparison per work; the result is the same as weighing them all.
    """
    catalogue = context.catalogue
    fields = citation.fields
    names = [CitedName.parse(n) for n in (*fields.authors, *fields.editors, *fields.translators)]
    titles = [t for t in dict.fromkeys((fields.title or "", fields.short_title or "")) if t]
    pool: dict[str, None] = {}
    for title in titles:
        pool.update(dict.fromkeys(catalogue.by_title(title)))
    for name in names:
        pool.update(dict.fromkeys(catalogue.by_person(name)))
    scores = {key: catalogue.title_score(key, titles) for key in pool}

    def weigh(near_only: bool) -> list[Evidence]:
        return [
            _evidence(key, citation, context, names, titles, score)
            for key, score in scores.items()
            if score >= DIFFERENT_TITLE or not near_only
        ]

    evidence = weigh(near_only=True)
    long_title = any(len(squash(t)) >= DISTINCT_TITLE for t in titles)
    accepted = _accept(evidence, long_title)
    if not accepted and titles:  # fuzzy only on a miss
        more: dict[str, None] = {}
        for title in titles:
            more.update(dict.fromkeys(key for key, _, _ in catalogue.fuzzy(title, cutoff=SUGGEST)))
        if catalogue.bibliography is not None:
            more.update(dict.fromkeys(e.key for e in catalogue.bibliography.by_title_words(titles[0], 2)[:8]))
        for key in more:
            if key not in scores:
                scores[key] = catalogue.title_score(key, titles)
        evidence = weigh(near_only=True)
        accepted = _accept(evidence, long_title)
    if not accepted:
        evidence = weigh(near_only=False)
    return accepted, evidence


def _volume(citation: Citation, context: Context) -> list[Evidence]:
    """The entry of the volume a chapter or contribution is in (its container and editors)."""
    fields = citation.fields
    container = fields.container or ""
    if fields.extra.get("type") not in (None, "chapter", "book"):
        return []
    names = [CitedName.parse(n) for n in fields.editors]
    titles = [t for t in dict.fromkeys((container, main_title(container))) if t]
    pool = dict.fromkeys(k for t in titles for k in context.catalogue.by_title(t))
    evidence = [_evidence(key, citation, context, names, titles) for key in pool]
    return [e for e in evidence if e.title >= SAME_TITLE and e.names is not False and e.year is not False]


def _evidence(
    key: str,
    citation: Citation,
    context: Context,
    names: list[CitedName],
    titles: list[str],
    title_score: float | None = None,
) -> Evidence:
    catalogue = context.catalogue
    entry = catalogue.get(key)
    listed = people(entry) if entry is not None else ()
    name_match = any(names_any(n, listed) for n in names) if names and listed else None
    cited_year = year_of(citation.fields.year) or year_of(citation.fields.date)
    years = catalogue.years(key)
    year_match = (cited_year in years) if cited_year and years else None
    score = catalogue.title_score(key, titles) if title_score is None else title_score
    return Evidence(key, score, name_match, year_match)


#: Squashed length from which a title is too specific to be another work's by chance.
DISTINCT_TITLE = 16


def _accept(evidence: list[Evidence], long_title: bool) -> list[Evidence]:
    """Entries whose title matches and whose people do not contradict the citation; failing
    those, entries whose people and year agree with a damaged title."""
    strong = [e for e in evidence if e.title >= SAME_TITLE and e.names is not False]
    if strong:
        return strong
    weak = [e for e in evidence if e.title >= DIFFERENT_TITLE and e.names is True and e.year is True]
    if weak:
        return weak
    # The title and year are the entry's but the printed author is not: one entry only, and a
    # title long enough not to be shared by chance ("Memoirs", 1990).
    named = [e for e in evidence if e.title >= SAME_TITLE and e.year is True and long_title]
    return named if len(named) == 1 else []


def _disagreements(citation: Citation, context: Context, match: Evidence) -> list[Diagnostic]:
    entry = context.catalogue.get(match.key)
    if entry is None:
        return []
    note = context.note_of(citation)
    fields = citation.fields
    found: list[tuple[str, str, str]] = []
    cited_year = year_of(fields.year) or year_of(fields.date)
    if match.year is False and cited_year:
        found.append(("year", cited_year, entry.year))
    place = fields.place
    listed_place = entry.fields.get("location") or entry.fields.get("address") or ""
    if place and listed_place and not _same_place(place, listed_place):
        found.append(("place", place, listed_place))
    title = fields.title or ""
    if title and _titles_differ(title, entry.title, match.title):
        found.append(("title", _short(title), _short(entry.title)))
    if match.names is False:
        printed = "; ".join((*fields.authors, *fields.editors)) or "?"
        listed = "; ".join(f"{p.first} {p.last}".strip() for p in people(entry)) or "?"
        found.append(("author", printed, listed))
    return [
        ENTRY_DISAGREES.at(citation.span, note=note, part=part, cited=cited, listed=listed, key=match.key)
        for part, cited, listed in found
    ]


def _titles_differ(cited: str, listed: str, score: float) -> bool:
    """A clear difference: the best title score is low (the match came from surname and year),
    or both print a subtitle and the subtitles have little in common."""
    if score < DAMAGED_TITLE:
        return True
    cited_main, listed_main = main_title(cited), main_title(listed)
    cited_sub = cited[len(cited_main) :].strip(" :.?!")
    listed_sub = listed[len(listed_main) :].strip(" :.?!")
    if not cited_sub or not listed_sub or len(fold(cited_sub)) < 8:
        return False
    return similarity(cited_sub, listed_sub) < DIFFERENT_TITLE and similarity(cited, listed) < SAME_TITLE


_PLACE_SPLIT = re.compile(r"\s*(?:[,;:/]|\band\b|&)\s*")


def _same_place(cited: str, listed: str) -> bool:
    """Whether two places agree: the same city (first part), folded, OCR damage allowed; a
    listed place of several cities agrees with any of them."""
    first = fold(_PLACE_SPLIT.split(cited.strip())[0])
    cities = [fold(part) for part in _PLACE_SPLIT.split(listed) if part.strip()]
    if not first or not cities:
        return True
    return any(first == c or first in c or c in first or similarity(first, c) >= 80 for c in cities)


def _missing(citation: Citation, context: Context, evidence: list[Evidence]) -> Outcome:
    """A full citation of a work the bibliography lacks: NC402 with a BibTeX entry."""
    collection = resolve_collection(citation, context)
    if collection is not None:
        return collection
    taken = set(context.catalogue.entries) | context.suggested_keys
    bibtex_line, bibtex, key = suggest_entry(citation, taken)
    context.suggested_keys.add(key)
    near = sorted(
        (e for e in evidence if e.title >= SUGGEST or e.names),
        key=lambda e: (-(e.names is True), -e.title),
    )
    suggestions = tuple(e.key for e in near[:3])
    fields = citation.fields
    names = frozenset(s for n in (*fields.authors, *fields.editors) for s in CitedName.parse(n).surnames)
    titles = frozenset(squash(t) for t in (fields.title, fields.short_title) if t)
    context.missing.append((names, titles, citation.id))
    diagnostic = MISSING_ENTRY.at(
        citation.span, note=context.note_of(citation), text=_short(citation.text), entry=bibtex_line
    )
    resolution = CitationResolution(None, Status.BROKEN, (), suggestions)
    return Outcome(resolution, (diagnostic,), bibtex)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
