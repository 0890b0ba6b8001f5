"""Stage resolve, ibid.: the citation an *ibid.* repeats (its ``antecedent``) and what it resolves to.

Chicago 14.34: *ibid.* repeats the source of the citation just before it — in the same note, or
at the start of a note the previous note's source. It never follows a note citing several works;
when it does, the locator's kind and the order pick the best-supported work (leaves ``l.``/``ll.``
point to an archival file, pages to a printed work, else the work cited last), and the ibid. is
reported ambiguous with every work as a candidate, because any choice is a guess.

As in eyecite, an ibid. whose antecedent did not resolve does not resolve either: it takes the
antecedent's status without a second report (the antecedent carries it).

An archive-level ibid. (``Ibid., f. 124, op. 1, ed. khr. 816``) names its own file and repeats only
the repository, from the nearest earlier archival reference.
"""

from __future__ import annotations

from notecheck.models import Citation, CitationResolution, Note, Status
from notecheck.resolver.archives import resolve_archive_ibid
from notecheck.resolver.context import Context, Outcome
from notecheck.rules.resolution import AMBIGUOUS_IBID, IBID_WITHOUT_ANTECEDENT

_PRINTED_KINDS = ("page", "chapter", "note", "passim")


def resolve_ibid(citation: Citation, context: Context) -> Outcome:
    """Resolve an ibid. (see the module docstring)."""
    if citation.fields.archival is not None:
        return resolve_archive_ibid(citation, context)
    note = context.note_of(citation)
    same_note = context.note_sources
    if same_note and same_note[-1].note_index == note.index:
        return repeat(same_note[-1], context)
    previous = context.previous_note(note)
    if previous is None:
        return _without_antecedent(citation, context, "in the first note")
    sources = context.sources(previous)
    if not sources:
        return _without_antecedent(
            citation, context, f"at the start of a note after {_name(previous)}, which cites nothing"
        )
    works: dict[str, Citation] = {}
    for source in sources:  # one per work, ordered by its last citation in the note
        work = context.work_of(source)
        works.pop(work, None)
        works[work] = source
    if len(works) == 1:
        return repeat(sources[-1], context)
    return _choose(citation, context, previous, list(works.values()))


def repeat(antecedent: Citation, context: Context) -> Outcome:
    """The antecedent's resolution, as the ibid.'s own."""
    before = context.of(antecedent) or CitationResolution(None, Status.UNRESOLVED)
    return Outcome(
        CitationResolution(before.key, before.status, before.candidates, before.suggestions, antecedent.id)
    )


def _choose(citation: Citation, context: Context, previous: Note, works: list[Citation]) -> Outcome:
    kind = citation.locator.kind if citation.locator is not None else None
    archival = [w for w in works if context.is_archival(w)]
    printed = [w for w in works if not context.is_archival(w)]
    pool, reason = works, "the work cited last"
    if kind == "leaf" and archival:
        pool, reason = archival, "leaves point to an archival file"
    elif kind in _PRINTED_KINDS and printed and archival:
        pool, reason = printed, "pages point to a printed work"
    if len(pool) > 1 and pool is not works:
        reason += ", the one cited last"
    chosen = pool[-1]
    resolution = repeat(chosen, context).resolution
    candidates = tuple(
        dict.fromkeys(k for w in works if (r := context.of(w)) is not None for k in (r.key,) if k is not None)
    )
    status = Status.AMBIGUOUS if resolution.key is not None else resolution.status
    shown = resolution.key or " ".join(chosen.text.split())
    diagnostic = AMBIGUOUS_IBID.at(
        citation.span,
        note=context.note_of(citation),
        number=previous.number if previous.number is not None else f"#{previous.index}",
        count=len(works),
        chosen=shown,
        reason=reason,
        candidates=", ".join(_shown(w, context) for w in works),
    )
    return Outcome(
        CitationResolution(resolution.key, status, candidates, resolution.suggestions, chosen.id),
        (diagnostic,),
    )


def _shown(citation: Citation, context: Context) -> str:
    """A work in a message: its key, or its text when it has none."""
    resolution = context.of(citation)
    if resolution is not None and resolution.key is not None:
        return resolution.key
    return repr(" ".join(citation.text.split()))


def _without_antecedent(citation: Citation, context: Context, where: str) -> Outcome:
    diagnostic = IBID_WITHOUT_ANTECEDENT.at(citation.span, note=context.note_of(citation), where=where)
    return Outcome(CitationResolution(None, Status.BROKEN), (diagnostic,))


def _name(note: Note) -> str:
    return f"note {note.number}" if note.number is not None else f"the note at line {note.line}"
