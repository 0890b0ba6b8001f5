"""Stage resolve: every citation to its bibliography entry, or a broken/ambiguous report.

One pure pass over the citations in note order (eyecite's shape). Each citation kind has a small
resolver — :func:`~notecheck.resolver.full.resolve_full`,
:func:`~notecheck.resolver.short.resolve_short`, :func:`~notecheck.resolver.ibid.resolve_ibid`,
:func:`~notecheck.resolver.archives.resolve_archival`,
:func:`~notecheck.resolver.crossref.resolve_crossref` — that reads the walk's
:class:`~notecheck.resolver.context.Context` and returns an outcome; a caller may swap any of them
through :class:`Resolvers`. The walk alone records outcomes, puts declared abbreviations in force
where the notes declare them, and, once every note is read, reports short forms that came before
their work's first full citation.

Nothing is picked silently: a citation that could mean several entries is ``ambiguous`` with all
of them as candidates (the best guess as its key) and a warning, unless the notes or the
configuration say which is meant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notecheck.models import Citation, Diagnostic, Edition, Form, Resolution, Status
from notecheck.resolver.archives import resolve_archival
from notecheck.resolver.cite_keys import check_cite_keys, cited_keys
from notecheck.resolver.context import Context, Declared, Outcome
from notecheck.resolver.crossref import resolve_crossref
from notecheck.resolver.declarations import (
    Pending,
    declarations_in_order,
    declared_work,
    edition_declarations,
)
from notecheck.resolver.full import full_key, resolve_full
from notecheck.resolver.ibid import resolve_ibid
from notecheck.resolver.match import catalogue_of, squash
from notecheck.resolver.short import resolve_short
from notecheck.rules.bibliography import UNUSED_ENTRY
from notecheck.rules.resolution import SHORT_BEFORE_FULL, UNRESOLVED_DECLARATION

if TYPE_CHECKING:
    from notecheck.bibliography import Bibliography
    from notecheck.config import Config
    from notecheck.split import ParsedEdition

__all__ = ["Resolver", "Resolvers", "resolve", "unused_entries"]

#: A resolver for one citation kind.
Resolver = Callable[[Citation, Context], Outcome]


@dataclass(frozen=True)
class Resolvers:
    """The resolver of each citation form; replace one with ``dataclasses.replace``."""

    full: Resolver = resolve_full
    short: Resolver = resolve_short
    ibid: Resolver = resolve_ibid
    archival: Resolver = resolve_archival
    crossref: Resolver = resolve_crossref

    def of(self, form: Form) -> Resolver:
        resolver: Resolver = getattr(self, form.value)
        return resolver


DEFAULT_RESOLVERS = Resolvers()


def resolve(
    edition: Edition,
    bibliography: Bibliography | None,
    *,
    parsed: ParsedEdition | None = None,
    config: Config | None = None,
    resolvers: Resolvers = DEFAULT_RESOLVERS,
) -> Resolution:
    """Resolve every citation of ``edition`` against ``bibliography``.

    Args:
        edition: the edition read.
        bibliography: the entries to resolve to; None resolves nothing but still checks
            cross-references and finds every ibid.'s antecedent.
        parsed: the split edition (split here when not given).
        config: for ``aliases`` (short title -> key).
        resolvers: the resolver of each citation form.

    Returns:
        A resolution for every citation (id -> key, status, candidates, suggestions,
        antecedent), the NC4xx diagnostics, the keys used and the BibTeX entries to suggest.
    """
    from notecheck.split import parse_edition

    if parsed is None:
        parsed = parse_edition(edition)
    aliases = {squash(title): key for title, key in (config.aliases if config is not None else {}).items()}
    context = Context(edition, parsed, catalogue_of(bibliography), aliases)
    context.note_position = {note.index: position for position, note in enumerate(edition.notes)}
    context.editions = edition_declarations(edition)
    return _Walk(context, resolvers).run()


class _Walk:
    """The pass over the notes: resolve, record, declare, and finally the late reports."""

    def __init__(self, context: Context, resolvers: Resolvers) -> None:
        self.context = context
        self.resolvers = resolvers
        self.result = Resolution()
        self.by_form = {form: resolvers.of(form) for form in Form}
        self.declarations = declarations_in_order(context.parsed)
        self.early: list[tuple[Citation, str]] = []  # short forms before their work's introduction

    def run(self) -> Resolution:
        context = self.context
        self._announce()
        for note in context.edition.notes:
            context.note = note
            pending = list(self.declarations.get(note.index, ()))
            for citation in context.parsed.citations.get(note.index, ()):
                pending = self._declare(pending, before=citation.start)
                outcome = self.by_form[citation.form](citation, context)
                self._keep(citation, outcome)
                pending = self._declare(pending, citation=citation.id)
            self._declare(pending)
        self._report_early()
        self._check_cite_keys()
        self.result.used_keys = set(context.all_keys()) | cited_keys(context.edition)
        return self.result

    def _check_cite_keys(self) -> None:
        """NC480 for ``\\cite`` keys (LaTeX notes) the bibliography does not have."""
        self.result.diagnostics.extend(
            check_cite_keys(self.context.edition, self.context.catalogue.bibliography)
        )

    def _keep(self, citation: Citation, outcome: Outcome) -> None:
        context = self.context
        resolution = outcome.resolution
        if (
            citation.form is Form.SHORT
            and resolution.status is Status.RESOLVED
            and resolution.key is not None
            and resolution.key not in context.introduced
            and not citation.fields.convention
        ):
            self.early.append((citation, resolution.key))
        context.record(citation, outcome)
        self.result.citations[citation.id] = resolution
        self.result.diagnostics.extend(outcome.diagnostics)
        if outcome.suggested_entry is not None:
            self.result.suggested_entries.append(outcome.suggested_entry)

    # --- declared abbreviations ------------------------------------------------------------------
    def _announce(self) -> None:
        """Know every declaration before the walk, so a short form used before its declaration
        still finds its work (and is reported as early)."""
        context = self.context
        for note in context.edition.notes:
            for _, abbreviation, citation_id, described in self.declarations.get(note.index, ()):
                key = self._declared_key(abbreviation, citation_id, described, note.index)
                declared = Declared(abbreviation, key, note.index, note.number, citation_id)
                context.upcoming.setdefault(squash(abbreviation), declared)

    def _declared_key(
        self, abbreviation: str, citation_id: str | None, described: str | None, note_index: int
    ) -> str | None:
        context = self.context
        if citation_id is None:
            return declared_work(abbreviation, described, context.catalogue)
        citation = next(
            (c for c in context.parsed.citations.get(note_index, ()) if c.id == citation_id), None
        )
        if citation is None or context.catalogue.bibliography is None:
            return None
        return full_key(citation, context) if citation.form is Form.FULL else None

    def _declare(
        self, pending: list[Pending], *, before: int | None = None, citation: str | None = None
    ) -> list[Pending]:
        """Put in force the free-standing declarations before offset ``before``, or those of
        ``citation``, or (neither given) all; return those still pending."""
        context = self.context
        note = context.note
        assert note is not None
        kept = []
        for item in pending:
            start, abbreviation, citation_id, _ = item
            if before is not None:
                due = citation_id is None and start < before
            elif citation is not None:
                due = citation_id == citation
            else:
                due = True
            if not due:
                kept.append(item)
                continue
            if citation_id is not None:  # the declaring citation's own resolution decides
                resolution = context.resolutions.get(citation_id)
                key = (
                    resolution.key
                    if resolution is not None and resolution.status is Status.RESOLVED
                    else None
                )
            else:
                upcoming = context.upcoming.get(squash(abbreviation))
                key = upcoming.key if upcoming is not None else None
                if key is None and context.catalogue.bibliography is not None:
                    self._unresolved_declaration(start, abbreviation)
            context.upcoming.pop(squash(abbreviation), None)
            context.declare(Declared(abbreviation, key, note.index, note.number, citation_id))
        return kept

    def _unresolved_declaration(self, start: int, abbreviation: str) -> None:
        context = self.context
        note = context.note
        assert note is not None
        near = [key for key, _, _ in context.catalogue.fuzzy(abbreviation)][:3]
        hint = f"; closest entries: {', '.join(near)}" if near else ""
        span = note.span(start, start + len(abbreviation))
        self.result.diagnostics.append(
            UNRESOLVED_DECLARATION.at(span, note=note, abbreviation=abbreviation, hint=hint)
        )

    # --- late reports --------------------------------------------------------------------------------
    def _report_early(self) -> None:
        """NC407 for short forms whose work is cited in full (or declared) only later."""
        context = self.context
        for citation, key in self.early:
            if key not in context.introduced:
                continue  # cited in short form only: a style that relies on the bibliography
            number = context.introduced[key]
            where = f"note {number}" if number is not None else "a later note"
            declared = context.declared_forms.get(key)
            when = (
                f"before {where} declares the abbreviation {declared!r}"
                if declared is not None and _declared_in(context, key, number)
                else f"before the work's first full citation, in {where}"
            )
            self.result.diagnostics.append(
                SHORT_BEFORE_FULL.at(
                    citation.span,
                    note=context.note_of(citation),
                    text=" ".join(citation.text.split()),
                    key=key,
                    when=when,
                )
            )


def _declared_in(context: Context, key: str, number: int | None) -> bool:
    return any(
        d.key == key and d.note_number == number and d.citation is None for d in context.declared.values()
    )


def unused_entries(bibliography: Bibliography, used: set[str]) -> tuple[list[str], list[Diagnostic]]:
    """Keys of entries no citation resolved to, in file order, and an NC250 warning for each.

    An entry named by the ``crossref`` or ``xref`` field of a used entry counts as used (a
    chapter's collection).
    """
    folded = {key.casefold() for key in used}
    for key in list(used):
        entry = bibliography.get(key)
        if entry is None:
            continue
        for name in ("crossref", "xref"):
            for parent in entry.fields.get(name, "").split(","):
                if parent.strip():
                    folded.add(parent.strip().casefold())
    unused = [key for key in bibliography.entries if key.casefold() not in folded]
    diagnostics = [UNUSED_ENTRY.at(bibliography.entries[key].span, key=key) for key in unused]
    return unused, diagnostics
