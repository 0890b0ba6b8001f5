"""Stage report: the JSON report, version 1 of the contract (validated by report.schema.json).

:func:`write` streams the report: the document's big arrays (notes, diagnostics) are written one
element per line as they are produced, so the whole JSON text is never held in memory.
:func:`to_dict` gives the same data as one Python object for library users.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

from notecheck.models import Citation, Diagnostic, Fix, Note, Resolution

if TYPE_CHECKING:
    from notecheck.pipeline import DocumentReport, Report, Run

VERSION = 1


#: One encoder for the whole report (``json.dumps`` with options builds a new one per call); the
#: report's values are trees of dicts and lists, so no check for circular references.
_dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def write(report: Report, stream: TextIO) -> None:
    """Write the report as one JSON document, streaming the big arrays element by element."""
    _write(report.documents, lambda: report, stream)


def write_run(run: Run, stream: TextIO) -> Report:
    """Check and write at once: each document is written as soon as it is checked, then let go.

    The JSON is the same as ``write(check(...))`` writes; memory holds one document at a time
    (see :class:`notecheck.pipeline.Run`). Returns the report, which carries the totals instead of
    the documents (for the exit code and the summary line).
    """
    finished: list[Report] = []

    def finish() -> Report:
        finished.append(run.report())
        return finished[0]

    _write(run, finish, stream)
    return finished[0]


def _write(documents: Iterable[DocumentReport], finish: Callable[[], Report], stream: TextIO) -> None:
    from notecheck import __version__

    stream.write(f'{{"version": {VERSION},\n "tool": ')
    stream.write(_dumps({"name": "notecheck", "version": __version__}))
    stream.write(',\n "documents": [')
    written = False
    for document in documents:
        stream.write(",\n  " if written else "\n  ")
        _write_document(document, stream)
        written = True
        del document  # not held while the next one is checked
    stream.write("\n ]" if written else "]")
    report = finish()
    stream.write(',\n "bibliography": ')
    stream.write(_dumps(bibliography_dict(report)))
    stream.write(',\n "diagnostics": ')
    _write_array((diagnostic_dict(d) for d in report.diagnostics), stream, "  ")
    stream.write(',\n "summary": ')
    stream.write(_dumps(summary_dict(report)))
    stream.write("}\n")


def _write_array(items: Iterable[object], stream: TextIO, indent: str) -> None:
    stream.write("[")
    empty = True
    for item in items:
        stream.write(("\n" if empty else ",\n") + indent + _dumps(item))
        empty = False
    stream.write("]" if empty else "\n" + indent[:-1] + "]")


def _write_document(document: DocumentReport, stream: TextIO) -> None:
    head = document_dict(document, notes=False)
    stream.write("{")
    for key, value in head.items():
        stream.write(f"{_dumps(key)}: ")
        if key == "notes":
            _write_array(_note_dicts(document), stream, "    ")
        elif key == "diagnostics":
            _write_array((diagnostic_dict(d) for d in document.diagnostics), stream, "    ")
        else:
            stream.write(_dumps(value))
        if key != "diagnostics":
            stream.write(",\n   ")
    stream.write("}")


def render(report: Report) -> str:
    """The report as a JSON string (see :func:`write`)."""
    import io

    buffer = io.StringIO()
    write(report, buffer)
    return buffer.getvalue()


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data, exactly in the contract's shape."""
    from notecheck import __version__

    return {
        "version": VERSION,
        "tool": {"name": "notecheck", "version": __version__},
        "documents": [document_dict(d) for d in report.documents],
        "bibliography": bibliography_dict(report),
        "diagnostics": [diagnostic_dict(d) for d in report.diagnostics],
        "summary": summary_dict(report),
    }


def bibliography_dict(report: Report) -> dict[str, Any]:
    bib = report.bibliography
    return {
        "path": bib.path,
        "format": bib.format,
        "entries": bib.entries,
        "unused": list(bib.unused),
        "diagnostics": [diagnostic_dict(d) for d in bib.diagnostics],
    }


def summary_dict(report: Report) -> dict[str, int]:
    summary = report.summary
    return {
        "documents": summary.documents,
        "notes": summary.notes,
        "citations": summary.citations,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "info": summary.info,
        "suppressed": summary.suppressed,
    }


def _note_dicts(document: DocumentReport) -> Iterable[dict[str, Any]]:
    if document.edition is None:
        return
    parsed = document.parsed
    for note in document.edition.notes:
        citations = parsed.citations.get(note.index, ()) if parsed is not None else ()
        yield note_dict(note, citations, document.resolution)


def document_dict(document: DocumentReport, *, notes: bool = True) -> dict[str, Any]:
    """One document in the contract's shape (``notes=False`` leaves its notes list empty)."""
    edition = document.edition
    return {
        "path": document.path,
        "format": document.format,
        "sections": [
            {"kind": s.kind, "title": s.title, "number": s.number, "line": s.line}
            for s in (edition.sections if edition is not None else ())
        ],
        "skipped": [
            {
                "line": s.span.line,
                "column": s.span.column,
                "end_line": s.span.end_line,
                "end_column": s.span.end_column,
                "reason": s.reason,
            }
            for s in (edition.skipped if edition is not None else ())
        ],
        "notes": list(_note_dicts(document)) if notes else [],
        "archival": [
            {
                "key": a.key,
                "archive": a.archive,
                "fond": a.fond,
                "opis": a.opis,
                "unit": a.unit,
                "citations": a.citations,
                "leaves": a.leaves,
            }
            for a in document.archival
        ],
        "diagnostics": [diagnostic_dict(d) for d in document.diagnostics],
    }


def note_dict(note: Note, citations: tuple[Citation, ...], resolution: Resolution) -> dict[str, Any]:
    return {
        "index": note.index,
        "number": note.number,
        "label": note.label,
        "line": note.line,
        "end_line": note.end_line,
        "citations": [citation_dict(c, resolution) for c in citations],
    }


def citation_dict(citation: Citation, resolution: Resolution) -> dict[str, Any]:
    resolved = resolution.of(citation)
    locator = citation.locator
    target = citation.target
    return {
        "id": citation.id,
        "text": citation.text,
        "line": citation.span.line,
        "column": citation.span.column,
        "end_line": citation.span.end_line,
        "end_column": citation.span.end_column,
        "form": str(citation.form),
        "key": resolved.key,
        "status": str(resolved.status),
        "candidates": list(resolved.candidates),
        "suggestions": list(resolved.suggestions),
        "antecedent": resolved.antecedent,
        "locator": None
        if locator is None
        else {
            "text": locator.text,
            "kind": locator.kind,
            "ranges": [list(r) for r in locator.ranges],
            "verso": locator.verso,
        },
        "target": None
        if target is None
        else {"kind": target.kind, "number": target.number, "direction": target.direction},
    }


def diagnostic_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    span = diagnostic.span
    return {
        "code": diagnostic.code,
        "severity": str(diagnostic.severity),
        "path": span.path,
        "note": diagnostic.note,
        "note_index": diagnostic.note_index,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "message": diagnostic.message,
        "fingerprint": diagnostic.fingerprint,
        "suppressed": diagnostic.suppressed,
        "suppression": None
        if diagnostic.suppression is None
        else {"kind": diagnostic.suppression, "reason": diagnostic.justification},
        "fix": fix_dict(diagnostic.fix),
    }


def fix_dict(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    span = fix.span
    return {
        "replacement": fix.replacement,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "applicability": fix.applicability,
    }
