"""Stage resolve, short forms: ``Author, Short Title, page``, bare titles, op. cit., loc. cit., idem.

A short form's title is looked up, in order, among the abbreviations the notes declare, the
configuration's aliases, the entries' ``shorttitle``/main title/title (squashed, so OCR-glued
words still match exactly), and the titles of the named author's works that start with it. A
bare single name (``Burgess, passim``) is tried as a title *and* as a surname.

Several matches are narrowed only by evidence: the printed author (with initials, which tell
two authors of one surname apart), the one work of them already cited, an edition declared by the
notes, or an alias. Whatever is left is reported ambiguous with every candidate; the best guess
is kept as the key but never presented as resolved.

No match is broken; fuzzy matching over declared abbreviations, aliases and titles then names
the closest entries, and when exactly one is close, a safe fix prints the declared or short form.
"""

from __future__ import annotations

import re

from notecheck.bibliography import fold
from notecheck.models import Citation, CitationResolution, Diagnostic, Fix, Status
from notecheck.resolver.context import Context, Outcome, ambiguous
from notecheck.resolver.match import CLOSE, SUGGEST, CitedName, people, person_matches, similarity, squash
from notecheck.rules.resolution import (
    INCONSISTENT_SHORT_FORM,
    OP_CIT_WITHOUT_WORK,
    UNKNOWN_REFERENCE,
)

UNRESOLVED = CitationResolution(None, Status.UNRESOLVED)


def resolve_short(citation: Citation, context: Context) -> Outcome:
    """Resolve a short form (see the module docstring)."""
    convention = citation.fields.convention
    if convention in ("op. cit.", "loc. cit."):
        return resolve_op_cit(citation, context)
    if convention == "idem":
        return resolve_idem(citation, context)
    if context.catalogue.bibliography is None:
        return Outcome(UNRESOLVED)
    fields = citation.fields
    names = [CitedName.parse(a) for a in fields.authors]
    title = fields.title or ""
    if not title and names:  # "Burgess, passim" read as an author alone
        title, names = fields.authors[0], []
    declared = context.declared.get(squash(title)) or context.upcoming.get(squash(title))
    if declared is not None and declared.key is None:
        # The declaration itself is reported (NC413, or NC402 for its full citation).
        return Outcome(CitationResolution(None, Status.BROKEN))
    found, route = lookup(title, names, fields.extra.get("bare") == "true", context)
    if not found:
        if _repeats_missing_work(title, names, context):
            return Outcome(CitationResolution(None, Status.BROKEN))
        return broken(citation, context, title, names)
    return choose(citation, context, found, route, title)


def lookup(title: str, names: list[CitedName], bare: bool, context: Context) -> tuple[list[str], str]:
    """Candidate keys for a short title, and which route found them."""
    catalogue = context.catalogue
    wanted = squash(title)
    declared = context.declared.get(wanted) or context.upcoming.get(wanted)
    if declared is not None and declared.key is not None:
        return [declared.key], "declared"
    alias = catalogue.get(context.aliases.get(wanted))
    if alias is not None:
        return [alias.key], "alias"
    by_title = catalogue.by_title(title)
    works = [k for n in names for k in catalogue.by_person(n)]
    if names:
        named = [k for k in by_title if k in works or _named_in(k, names, context)]
        if named:
            return named, "title"
        prefixed = catalogue.by_title_prefix(title, list(dict.fromkeys(works)))
        if prefixed:
            return prefixed, "prefix"
        return [], "title"
    found = list(by_title)
    if bare:  # one element: a title or an author's surname
        found += [k for k in catalogue.by_person(CitedName.parse(title)) if k not in found]
        if found:
            return found, "title" if by_title else "surname"
    if found:
        return found, "title"
    # A bare prefix of a title is trusted only among the works already cited.
    prefixed = catalogue.by_title_prefix(title, sorted(context.confirmed))
    return (prefixed, "prefix") if len(prefixed) == 1 else ([], "title")


def _named_in(key: str, names: list[CitedName], context: Context) -> bool:
    """Whether a printed name (maybe OCR-damaged: ``Smimov``) is one of the entry's people."""
    entry = context.catalogue.get(key)
    return entry is not None and any(person_matches(n, p) for n in names for p in people(entry))


def choose(citation: Citation, context: Context, found: list[str], route: str, title: str) -> Outcome:
    """One key from the candidates, or an ambiguous report listing them all."""
    note = context.note_of(citation)
    keys = list(dict.fromkeys(found))
    if len(keys) > 1:
        cited = context.cited_before(keys)
        if len(cited) == 1:  # a short form refers back to a work already cited
            keys = cited
    if len(keys) > 1:
        declared = context.declared_edition(keys, citation)
        if declared is not None:
            keys = [declared[0]]
    if len(keys) > 1:
        guess = context.latest(keys) or keys[0]
        choice = f"neither the notes nor the configuration say which; taken as {guess!r}"
        return ambiguous(citation, note, tuple(keys), guess, choice)
    key = keys[0]
    diagnostics: list[Diagnostic] = []
    if route != "surname":
        diagnostics.extend(_consistency(citation, context, key, title))
    return Outcome(CitationResolution(key, Status.RESOLVED, (key,)), tuple(diagnostics))


def _consistency(citation: Citation, context: Context, key: str, title: str) -> list[Diagnostic]:
    """NC408 when this short form differs from the work's declared or first short form."""
    printed = " ".join(title.split())
    compared = fold(printed).replace(" ", "")  # articles count, spaces lost by OCR do not
    note = context.note_of(citation)
    declared = context.declared_forms.get(key)
    if declared is not None:
        first = (fold(declared).replace(" ", ""), declared, context.introduced.get(key))
        context.short_forms.setdefault(key, first)
    first = context.short_forms.setdefault(key, (compared, printed, note.number))
    if first[0] == compared:
        return []
    return [
        INCONSISTENT_SHORT_FORM.at(
            citation.span, note=note, text=printed, key=key, first=first[1], number=first[2] or "?"
        )
    ]


def broken(citation: Citation, context: Context, title: str, names: list[CitedName]) -> Outcome:
    """NC401 for a short form that matches nothing, with the closest entries as suggestions and
    a safe fix when exactly one is close."""
    note = context.note_of(citation)
    scored = suggestions_for(title, names, context)
    keys = tuple(dict.fromkeys(key for key, _, _ in scored))[:3]
    close = list(dict.fromkeys(key for key, score, _ in scored if score >= CLOSE))
    fix = None
    hint = ""
    shown = title or citation.text
    if keys:
        best = keys[0]
        form = context.declared_forms.get(best) or context.catalogue.preferred_form(best) or best
        hint = (
            f"; did you mean {form!r} ({best})?" if len(keys) == 1 else f"; did you mean {', '.join(keys)}?"
        )
        if squash(form) == squash(title):  # the title is right: the name printed with it is not
            hint = f"; the title is that of {', '.join(keys)}, by someone else"
            shown = " ".join(citation.text.split())
        elif len(close) == 1 and len(squash(title)) >= 5:
            fix = _title_fix(citation, context, title, form)
    diagnostic = UNKNOWN_REFERENCE.at(
        citation.span, note=note, fix=fix, form="short form", text=shown, hint=hint
    )
    return Outcome(CitationResolution(None, Status.BROKEN, (), keys), (diagnostic,))


def suggestions_for(title: str, names: list[CitedName], context: Context) -> list[tuple[str, float, str]]:
    """``(key, score, form)`` of the declared abbreviations, aliases and titles like ``title``,
    best first; the works of a named author are scored even when their titles are far."""
    catalogue = context.catalogue
    scored: dict[str, tuple[float, str]] = {}

    def offer(key: str | None, score: float, form: str) -> None:
        if key is not None and score >= SUGGEST and score > scored.get(key, (0.0, ""))[0]:
            scored[key] = (score, form)

    for declared in context.declared.values():
        offer(declared.key, similarity(title, declared.abbreviation), declared.abbreviation)
    for alias, key in context.aliases.items():
        offer(key, similarity(title, alias), alias)
    for key, score, form in catalogue.fuzzy(title, cutoff=SUGGEST):
        offer(key, score, form)
    for name in names:
        for key in catalogue.by_person(name):
            offer(key, catalogue.title_score(key, [title]), catalogue.preferred_form(key) or key)
    return sorted(((k, s, f) for k, (s, f) in scored.items()), key=lambda item: -item[1])


def _title_fix(citation: Citation, context: Context, title: str, form: str) -> Fix | None:
    """Replace the damaged title inside the citation (only there) by ``form``."""
    pattern = r"\s+".join(re.escape(word) for word in title.split())
    found = list(re.finditer(pattern, citation.text)) if pattern else []
    if len(found) != 1:
        return None
    note = context.note_of(citation)
    start = citation.start + found[0].start()
    end = citation.start + found[0].end()
    return Fix(form, note.span(start, end), "safe")


def _repeats_missing_work(title: str, names: list[CitedName], context: Context) -> bool:
    """Whether the short form is of a work cited in full earlier but missing from the
    bibliography: that citation is reported (NC402), this one only marked broken."""
    wanted = squash(title)
    surnames = {s for n in names for s in n.surnames}
    for missing_names, titles, _ in context.missing:
        if surnames and not surnames & missing_names:
            continue
        if any(t == wanted or t.startswith(wanted) for t in titles if wanted):
            return True
    return False


# --- older conventions ------------------------------------------------------------------------------


def resolve_op_cit(citation: Citation, context: Context) -> Outcome:
    """``Author, op. cit.``: the last work cited by that author (given names tell two authors of
    one surname apart); ambiguous when several of the author's works were cited and no title
    follows."""
    note = context.note_of(citation)
    fields = citation.fields
    convention = fields.convention or "op. cit."
    if not fields.authors:
        diagnostic = OP_CIT_WITHOUT_WORK.at(
            citation.span, note=note, convention=convention, where="without an author"
        )
        return Outcome(CitationResolution(None, Status.BROKEN), (diagnostic,))
    name = CitedName.parse(fields.authors[0])
    works = context.works_by(name)
    if fields.title and works:
        titled = [k for k in works if context.catalogue.title_score(k, [fields.title]) >= CLOSE]
        works = titled or works
    if not works:
        if context.catalogue.bibliography is None:
            return Outcome(UNRESOLVED)
        diagnostic = OP_CIT_WITHOUT_WORK.at(
            citation.span, note=note, convention=convention, where=f"after {fields.authors[0]}"
        )
        return Outcome(CitationResolution(None, Status.BROKEN), (diagnostic,))
    if len(works) == 1:
        return Outcome(CitationResolution(works[0], Status.RESOLVED, (works[0],)))
    guess = works[-1]
    choice = f"{len(works)} works by {fields.authors[0]} are cited before; taken as the last, {guess!r}"
    return ambiguous(citation, note, tuple(works), guess, choice)


def resolve_idem(citation: Citation, context: Context) -> Outcome:
    """``Idem, Title, page``: a work by the author of the citation just before; without a
    title, that same work."""
    note = context.note_of(citation)
    previous = context.previous
    if previous is None:
        diagnostic = OP_CIT_WITHOUT_WORK.at(
            citation.span, note=note, convention="idem", where="with no citation before it"
        )
        return Outcome(CitationResolution(None, Status.BROKEN), (diagnostic,))
    before = context.of(previous)
    if before is None or before.key is None:
        status = before.status if before is not None else Status.UNRESOLVED
        return Outcome(CitationResolution(None, status, antecedent=previous.id))
    title = citation.fields.title
    if not title:
        return Outcome(
            CitationResolution(before.key, before.status, before.candidates, antecedent=previous.id)
        )
    entry = context.catalogue.get(before.key)
    names = (
        [CitedName.parse(f"{p.first} {p.last}".strip()) for p in (entry.authors or entry.editors)]
        if entry
        else []
    )
    found, route = lookup(title, names, False, context)
    if not found:
        return broken(citation, context, title, names)
    return choose(citation, context, found, route, title)
