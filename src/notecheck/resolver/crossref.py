"""Stage resolve, cross-references: ``see note 72 below`` and ``see Document 3`` must point somewhere.

A note reference must name a note of the edition on the side its direction says (``above``
before the citing note, ``below`` after it); a document reference must name one of the edition's
document sections. Cross-references resolve to no bibliography entry: ``key`` stays None and the
status says whether the target exists.
"""

from __future__ import annotations

import re

from notecheck.models import Citation, CitationResolution, Status
from notecheck.resolver.context import Context, Outcome
from notecheck.rules.resolution import CROSSREF_DOCUMENT, CROSSREF_NOTE

_KIND_WORD = re.compile(r"(?i)\b(Document|Doc\.|Appendix|Annex|Table)\b")


def resolve_crossref(citation: Citation, context: Context) -> Outcome:
    """Check the target of a cross-reference (see the module docstring)."""
    target = citation.target
    if target is None:
        return Outcome(CitationResolution(None, Status.UNRESOLVED))
    note = context.note_of(citation)
    if target.kind == "note":
        problem = _note_problem(target.number, target.direction, note.number, context)
        if problem is None:
            return Outcome(CitationResolution(None, Status.RESOLVED))
        direction = f" {target.direction}" if target.direction else ""
        diagnostic = CROSSREF_NOTE.at(
            citation.span, note=note, number=target.number, direction=direction, problem=problem
        )
        return Outcome(CitationResolution(None, Status.BROKEN), (diagnostic,))
    documents = sorted(
        {s.number for s in context.edition.sections if s.kind == "document" and s.number is not None}
    )
    if target.number in documents:
        return Outcome(CitationResolution(None, Status.RESOLVED))
    word = _KIND_WORD.search(citation.text)
    kind = word.group(1) if word else "Document"
    known = f" (it has {kind.rstrip('.')}s {', '.join(map(str, documents))})" if documents else ""
    diagnostic = CROSSREF_DOCUMENT.at(citation.span, note=note, kind=kind, number=target.number, known=known)
    return Outcome(CitationResolution(None, Status.BROKEN), (diagnostic,))


def _note_problem(number: int, direction: str | None, current: int | None, context: Context) -> str | None:
    numbers = {n.number for n in context.edition.notes if n.number is not None}
    if number not in numbers:
        return f"the edition has no note {number}"
    if current is None or direction is None:
        return None
    if number == current:
        return "that is this note"
    if direction == "below" and number < current:
        return f"note {number} comes before note {current}"
    if direction == "above" and number > current:
        return f"note {number} comes after note {current}"
    return None
