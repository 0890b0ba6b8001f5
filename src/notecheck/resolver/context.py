"""Stage resolve, context: what the walk over the notes remembers, and what a resolver returns.

The walk is one pass over the citations in note order. Each resolver reads the context (the
previous notes' citations and their resolutions, the works cited by each author, the declared
abbreviations and editions) and returns an :class:`Outcome`; only the walk writes the context,
so resolvers stay small, pure functions that can be swapped one by one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notecheck.models import (
    ArchivalReference,
    Citation,
    CitationResolution,
    Diagnostic,
    Edition,
    Form,
    Note,
    Status,
)
from notecheck.resolver.match import Catalogue, CitedName, names_any, people, squash, translit_normal
from notecheck.rules.resolution import AMBIGUOUS_REFERENCE

if TYPE_CHECKING:
    from notecheck.split import ParsedEdition


@dataclass(frozen=True, slots=True)
class Outcome:
    """A resolver's answer for one citation: the resolution, its diagnostics, and for a full
    citation missing from the bibliography the BibTeX entry to suggest."""

    resolution: CitationResolution
    diagnostics: tuple[Diagnostic, ...] = ()
    suggested_entry: str | None = None


def ambiguous(
    citation: Citation, note: Note | None, keys: tuple[str, ...], guess: str, choice: str, *, limit: int = 0
) -> Outcome:
    """The outcome of a citation that fits several entries: ``guess`` taken, every key a
    candidate, NC409 saying why (``choice``). ``limit`` shortens the shown citation (0: whole)."""
    text = " ".join(citation.text.split())
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    diagnostic = AMBIGUOUS_REFERENCE.at(
        citation.span, note=note, text=text, candidates=", ".join(keys), choice=choice
    )
    return Outcome(CitationResolution(guess, Status.AMBIGUOUS, keys), (diagnostic,))


@dataclass(frozen=True, slots=True)
class Declared:
    """An abbreviation in force: ``(henceforth A Radical Worker)`` and the entry it stands for."""

    abbreviation: str
    key: str | None
    note_index: int
    note_number: int | None
    citation: str | None = None


@dataclass(frozen=True, slots=True)
class EditionDeclaration:
    """A sentence of the notes saying which edition later citations use.

    ``My citations below are to the 1972 edition.`` gives ``year="1972"``; ``Further citations
    ... refer to that version.`` gives ``year=None`` (the work cited in the same note).
    """

    note_index: int
    start: int
    year: str | None


@dataclass(frozen=True, slots=True)
class ArchivalContext:
    """The last archival reference seen: its repository, citation and note, and the reference
    with what it inherited filled in (the fond and opis' of a continuation below the fond)."""

    archive: str | None
    citation: Citation
    note: Note
    reference: ArchivalReference | None = None


def is_source(citation: Citation) -> bool:
    """Whether an ibid. or idem can repeat ``citation``.

    Cross-references cite no source. A mention of a work in the prose (its declared abbreviation
    in quotes, without a locator: ``the claim in "Avtobiografiia" is absent``) names the work
    but is not a citation of a place in it, so an ``ibid., l. 33`` after it still repeats the
    citation before the mention: taking the mention would silently change what the ibid. means.
    """
    return citation.form is not Form.CROSSREF and citation.fields.extra.get("mention") != "true"


@dataclass
class Context:
    """The state of the walk; resolvers read it, :meth:`record` writes it."""

    edition: Edition
    parsed: ParsedEdition
    catalogue: Catalogue
    aliases: Mapping[str, str] = field(default_factory=dict)  # squashed short title -> key
    note: Note | None = None
    resolutions: dict[str, CitationResolution] = field(default_factory=dict)
    citations: dict[str, Citation] = field(default_factory=dict)
    #: Entry key -> the sequence number of its latest citation (resolved or best guess).
    last_cited: dict[str, int] = field(default_factory=dict)
    #: Entry keys some citation resolved to for certain (best guesses excluded).
    confirmed: set[str] = field(default_factory=set)
    #: Surname (folded, transliteration variants made one) -> the entry keys cited with a person
    #: of that surname, least recently cited first.
    by_author: dict[str, dict[str, None]] = field(default_factory=dict)
    #: Entry key -> number of the note of its first full citation or declaration.
    introduced: dict[str, int | None] = field(default_factory=dict)
    #: Entry key -> (title as compared, title as printed, note number) of its first short form.
    short_forms: dict[str, tuple[str, str, int | None]] = field(default_factory=dict)
    declared: dict[str, Declared] = field(default_factory=dict)  # squashed abbreviation -> it
    upcoming: dict[str, Declared] = field(default_factory=dict)  # declared later in the notes
    declared_forms: dict[str, str] = field(default_factory=dict)  # entry key -> abbreviation
    editions: list[EditionDeclaration] = field(default_factory=list)
    #: Works cited in full that the bibliography lacks: (surname keys, squashed titles, citation).
    missing: list[tuple[frozenset[str], frozenset[str], str]] = field(default_factory=list)
    archival: ArchivalContext | None = None
    archives: dict[str, str | None] = field(default_factory=dict)  # citation id -> repository
    previous: Citation | None = None  # the last source cited (for idem)
    suggested_keys: set[str] = field(default_factory=set)  # keys of suggested BibTeX entries
    sequence: int = 0
    note_position: dict[int, int] = field(default_factory=dict)  # note index -> position
    #: The sources recorded so far in the note being walked (an ibid. repeats the last one).
    note_sources: list[Citation] = field(default_factory=list)
    _works: dict[str, str] = field(default_factory=dict)  # citation id -> work_of
    _archival: dict[str, bool] = field(default_factory=dict)  # citation id -> is_archival

    # --- notes ----------------------------------------------------------------------------------
    def note_of(self, citation: Citation) -> Note:
        notes = self.edition.notes
        return notes[self.note_position[citation.note_index]]

    def previous_note(self, note: Note) -> Note | None:
        position = self.note_position.get(note.index, 0)
        return self.edition.notes[position - 1] if position > 0 else None

    def notes_between(self, first: Note, last: Note) -> list[Note]:
        """The notes strictly between two notes."""
        start = self.note_position[first.index] + 1
        end = self.note_position[last.index]
        return list(self.edition.notes[start:end])

    def sources(self, note: Note, before: Citation | None = None) -> list[Citation]:
        """The citations of ``note`` that cite a source (not cross-references), those before
        ``before`` only when it is given."""
        found = []
        for citation in self.parsed.citations.get(note.index, ()):
            if before is not None and citation.start >= before.start:
                break
            if is_source(citation):
                found.append(citation)
        return found

    # --- what a citation stands for ------------------------------------------------------------
    def of(self, citation: Citation) -> CitationResolution | None:
        return self.resolutions.get(citation.id)

    def work_of(self, citation: Citation) -> str:
        """A name for the work a citation stands for, so two citations of one work compare equal
        even when nothing resolved (no bibliography, a broken short form). Kept when the citation
        is recorded, so a run of ibid. costs one look-up each."""
        known = self._works.get(citation.id)
        if known is not None:
            return known
        resolution = self.of(citation)
        if resolution is not None and resolution.key is not None:
            return f"key:{resolution.key}"
        if resolution is not None and resolution.antecedent in self._works:
            return self._works[resolution.antecedent]
        reference = citation.fields.archival
        if reference is not None:
            archive = self.archives.get(citation.id, reference.archive) or ""
            return f"file:{archive}|{reference.fond}|{reference.opis}|{reference.unit}".casefold()
        title = citation.fields.short_title or citation.fields.title
        if title:
            return f"title:{squash(title)}"
        return f"id:{citation.id}"

    def is_archival(self, citation: Citation) -> bool:
        """Whether a citation stands for an archival file (for an ibid. with leaves); an ibid.
        stands for what its antecedent stands for (kept when recorded)."""
        known = self._archival.get(citation.id)
        if known is not None:
            return known
        if citation.form is Form.ARCHIVAL or citation.fields.archival is not None:
            return True
        resolution = self.of(citation)
        if resolution is not None and resolution.antecedent in self._archival:
            return self._archival[resolution.antecedent]
        return resolution is not None and self.catalogue.is_archival(resolution.key)

    # --- authors ---------------------------------------------------------------------------------
    def works_by(self, name: CitedName) -> list[str]:
        """Entry keys cited so far by this author (given names told apart), latest last."""
        found: dict[str, None] = {}
        for surname in name.surnames:
            for key in self.by_author.get(translit_normal(surname), {}):
                entry = self.catalogue.get(key)
                if entry is None:
                    continue
                if names_any(name, people(entry)):
                    found.pop(key, None)
                    found[key] = None
        return list(found)

    def cited_before(self, keys: list[str]) -> list[str]:
        """Those of ``keys`` an earlier citation resolved to for certain (not as a guess)."""
        return [k for k in keys if k in self.confirmed]

    def latest(self, keys: list[str]) -> str | None:
        """Of ``keys``, the one cited most recently (or None if none was cited)."""
        cited = [k for k in keys if k in self.last_cited]
        return max(cited, key=lambda k: self.last_cited[k]) if cited else None

    # --- editions declared -------------------------------------------------------------------------
    def declared_edition(self, keys: list[str], citation: Citation) -> tuple[str, EditionDeclaration] | None:
        """The one of ``keys`` a declaration of the notes says later citations mean, if any.

        A declaration counts only when its note cites one of ``keys`` (so ``My citations below are
        to the 1972 edition`` speaks about the work of its own note), and it must pick exactly one.
        """
        here = (self.note_position.get(citation.note_index, 0), citation.start)
        for declaration in reversed(self.editions):
            if (self.note_position.get(declaration.note_index, 0), declaration.start) >= here:
                continue
            cited_there = {
                r.key
                for c in self.parsed.citations.get(declaration.note_index, ())
                if (r := self.of(c)) is not None and r.key is not None
            }
            if not cited_there.intersection(keys):
                continue
            if declaration.year is not None:
                chosen = [k for k in keys if declaration.year in self.catalogue.years(k)]
            else:
                chosen = [k for k in keys if k in cited_there]
            if len(chosen) == 1:
                return chosen[0], declaration
        return None

    # --- recording ----------------------------------------------------------------------------------
    def record(self, citation: Citation, outcome: Outcome) -> None:
        """Remember what was decided about ``citation`` for the citations after it."""
        resolution = outcome.resolution
        self.resolutions[citation.id] = resolution
        self.citations[citation.id] = citation
        if citation.form is Form.CROSSREF:
            return
        self._works[citation.id] = self.work_of(citation)
        self._archival[citation.id] = self.is_archival(citation)
        if self.note_sources and self.note_sources[-1].note_index != citation.note_index:
            self.note_sources = []
        if is_source(citation):
            self.note_sources.append(citation)
            self.previous = citation
        self.sequence += 1
        key = resolution.key
        if key is None or resolution.status not in (Status.RESOLVED, Status.AMBIGUOUS):
            return
        self.last_cited[key] = self.sequence
        if resolution.status is Status.RESOLVED:
            self.confirmed.add(key)
        for surname in self.catalogue.surnames(key):
            authors = self.by_author.setdefault(surname, {})
            authors.pop(key, None)  # latest last
            authors[key] = None
        if citation.form is Form.FULL and resolution.status is Status.RESOLVED:
            note = self.note_of(citation)
            self.introduced.setdefault(key, note.number)

    def declare(self, declared: Declared) -> None:
        """Put an abbreviation in force from here on."""
        self.declared[squash(declared.abbreviation)] = declared
        if declared.key is not None:
            self.declared_forms.setdefault(declared.key, declared.abbreviation)
            self.introduced.setdefault(declared.key, declared.note_number)

    def all_keys(self) -> Iterator[str]:
        for resolution in self.resolutions.values():
            if resolution.key is not None:
                yield resolution.key
        for declared in self.declared.values():
            if declared.key is not None:
                yield declared.key
