"""Stage report: the human-readable text report (``path:line:col: CODE message``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notecheck.models import Diagnostic, Source

if TYPE_CHECKING:
    from notecheck.check import Report


def render(report: Report, *, verbose: bool = False, quiet: bool = False, show_source: bool = True) -> str:
    """The text report: diagnostics (with source line and caret), then a summary line."""
    lines: list[str] = []
    sources = {d.path: d.edition.source for d in report.documents if d.edition is not None}
    if verbose:
        for document in report.documents:
            if document.edition is None:
                continue
            for note in document.edition.notes:
                preview = " ".join(note.text.split())[:70]
                lines.append(f"{document.path}:{note.line}: note {note.label} {preview}")
    if not quiet:
        for diagnostic in report.all_diagnostics():
            if diagnostic.suppressed:
                continue
            lines.extend(
                format_diagnostic(diagnostic, sources.get(diagnostic.span.path) if show_source else None)
            )
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def format_diagnostic(diagnostic: Diagnostic, source: Source | None = None) -> list[str]:
    """One diagnostic as ``path:line:col: CODE message``, then its source line and caret."""
    span = diagnostic.span
    lines = [f"{span.path}:{span.line}:{span.column}: {diagnostic.code} {diagnostic.message}"]
    if source is not None and source.text:
        text = source.line_text(span.line).expandtabs(1)
        if text.strip():
            width = (
                (span.end_column - span.column) if span.end_line == span.line else len(text) - span.column + 1
            )
            lines.append(f"    {text}")
            lines.append("    " + " " * (span.column - 1) + "^" * max(1, width))
    if diagnostic.fix is not None:
        fix = diagnostic.fix
        label = "fix" if fix.applicability == "safe" else "unsafe fix"
        lines.append(f"    {label}: replace with {fix.replacement!r}")
    return lines


def summary_line(report: Report) -> str:
    """``85 notes, N citations, E errors, W warnings`` (and suppressed findings, if any)."""
    s = report.summary
    line = f"{s.notes} notes, {s.citations} citations, {s.errors} errors, {s.warnings} warnings"
    if s.info:
        line += f", {s.info} info"
    if s.suppressed:
        line += f", {s.suppressed} suppressed"
    return line
