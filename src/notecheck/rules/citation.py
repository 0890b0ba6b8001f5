"""Rules NC3xx: citation form (page ranges, punctuation, OCR-damaged ibid)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from notecheck.models import Citation, Diagnostic, Fix, Form, Note, Severity
from notecheck.rules import rule

BACKWARD_RANGE = rule(
    "NC301",
    "backward-page-range",
    Severity.ERROR,
    "page range {printed} runs backwards{reading}",
    what="Reports a page, note or chapter range whose end is below its start once an abbreviated "
    "end is expanded by the Chicago rule (Chicago Manual of Style 9.64: `387-91` is 387-391, "
    "`1102-3` is 1102-1103). Leaf ranges inside archival references are the archival rules' "
    "business (NC5xx).",
    why="A range that runs backwards cannot be found by a reader: a digit was lost, mistyped or "
    "misread by the OCR, and the citation points nowhere.",
    example="`Bol'sheviki, 345-36.` (345 to 336)",
    instead="`Bol'sheviki, 345-46.` (or whatever the source says) — check the page numbers.",
)

MISSING_COMMA = rule(
    "NC302",
    "short-form-missing-comma",
    Severity.WARNING,
    "short form lacks the comma between the author {author!r} and the title",
    what="Reports a short-form citation in which the comma between the author's surname and the "
    "short title is missing. The author is recognised as a surname cited elsewhere in the "
    "edition's full citations.",
    why="Chicago short forms are `Author, Short Title, page`; without the comma the author's name "
    "reads as part of the title and tools (and readers) cannot match the short title.",
    example="`Medvedev Let History Judge, 60, 140, 168-169`",
    instead="`Medvedev, Let History Judge, 60, 140, 168-169` (the safe fix inserts the comma).",
)

DAMAGED_IBID = rule(
    "NC303",
    "damaged-ibid",
    Severity.ERROR,
    "OCR-damaged ibid {printed!r}; read as {fixed!r}",
    what="Reports an `ibid` whose first letter the OCR damaged: `lbid.`, `!bid.`, `1bid.`. The "
    "fix writes `Ibid.` at the start of a sentence or note and `ibid.` elsewhere (Chicago 14.34).",
    why="The reading is certain, but the damaged word is not an abbreviation any reader, search "
    "or tool recognises, and it hides the repeated reference.",
    example="`!bid., n. 3, 18-22.` / `(!bid., 1. 14)`",
    instead="`Ibid., n. 3, 18-22.` / `(ibid., 1. 14)`",
)

_IBID_WORD = re.compile(r"(?<![\w!|])[IiLl!1|]bid(?:em)?\.?")


def form_diagnostics(
    note: Note,
    citations: Iterable[Citation],
    backward: Iterable[tuple[int, int, int, int]] = (),
) -> list[Diagnostic]:
    """The NC3xx diagnostics of one note's citations.

    Args:
        note: the note the citations belong to.
        citations: the note's citations, as the splitter built them.
        backward: ``(start, end, first, last)`` of every locator range whose expanded end is
            below its start (offsets in the note's text).
    """
    found: list[Diagnostic] = []
    for start, end, first, last in backward:
        printed = note.text[start:end]
        expanded = f"{first}-{last}"
        # ``345-36`` says how the Chicago rule reads it; ``91-87`` needs no reading
        reading = (
            ""
            if re.sub(r"\D+", "-", printed.strip()) == expanded
            else f": read by the Chicago rule it is {expanded}"
        )
        found.append(BACKWARD_RANGE.at(note.span(start, end), note=note, printed=printed, reading=reading))
    for citation in citations:
        fields = citation.fields
        if fields.missing_comma and "comma_at" in fields.extra:
            at = int(fields.extra["comma_at"])
            span = note.span(citation.start, citation.end)
            fix = Fix(",", note.span(at, at), "safe")
            author = fields.authors[0] if fields.authors else ""
            found.append(MISSING_COMMA.at(span, note=note, fix=fix, author=author))
        if citation.form is Form.IBID and fields.damaged:
            found.append(_damaged_ibid(note, citation))
    return found


def _damaged_ibid(note: Note, citation: Citation) -> Diagnostic:
    match = _IBID_WORD.search(note.text, citation.start, citation.end)
    if match is None:  # the damaged word is always inside the citation; stay safe anyway
        return DAMAGED_IBID.at(citation.span, note=note, printed=citation.fields.damaged, fixed="ibid.")
    printed = match.group()
    word = ("Ibid" if _starts_sentence(note.text, match.start()) else "ibid") + printed[4:]
    span = note.span(match.start(), match.end())
    return DAMAGED_IBID.at(span, note=note, fix=Fix(word, span, "safe"), printed=printed, fixed=word)


def _starts_sentence(text: str, position: int) -> bool:
    """Whether ``position`` opens the note or a sentence (Chicago capitalises ibid there)."""
    before = text[:position].rstrip()
    return not before or (before.endswith((".", "?", "!")) and not before.endswith(("(", ",")))
