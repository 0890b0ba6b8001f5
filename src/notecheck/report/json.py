"""Stage report: the JSON report, version 1 of the contract (validated by report.schema.json)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from notecheck.models import Citation, Diagnostic, Fix, Note, Resolution

if TYPE_CHECKING:
    from notecheck.check import DocumentReport, Report

VERSION = 1


def render(report: Report) -> str:
    """The report as a JSON document (one line per top-level value is not promised)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=1) + "\n"


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data, exactly in the contract's shape."""
    from notecheck import __version__

    summary = report.summary
    bib = report.bibliography
    return {
        "version": VERSION,
        "tool": {"name": "notecheck", "version": __version__},
        "documents": [document_dict(d) for d in report.documents],
        "bibliography": {
            "path": bib.path,
            "format": bib.format,
            "entries": bib.entries,
            "unused": list(bib.unused),
            "diagnostics": [diagnostic_dict(d) for d in bib.diagnostics],
        },
        "diagnostics": [diagnostic_dict(d) for d in report.diagnostics],
        "summary": {
            "documents": summary.documents,
            "notes": summary.notes,
            "citations": summary.citations,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "info": summary.info,
            "suppressed": summary.suppressed,
        },
    }


def document_dict(document: DocumentReport) -> dict[str, Any]:
    edition = document.edition
    parsed = document.parsed
    notes: list[dict[str, Any]] = []
    if edition is not None:
        for note in edition.notes:
            citations = parsed.citations.get(note.index, ()) if parsed is not None else ()
            notes.append(note_dict(note, citations, document.resolution))
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
        "notes": notes,
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
