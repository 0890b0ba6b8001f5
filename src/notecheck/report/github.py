"""Stage report: GitHub Actions workflow commands, one annotation per finding.

``::error file=edition/a.txt,line=12,col=4,endLine=12,endColumn=9,title=NC401::message`` —
errors as ``error``, warnings as ``warning``, info as ``notice``. Suppressed findings are left
out. Values are escaped the way the Actions runner unescapes them: ``%``, CR and LF in the
message; also ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from notecheck.models import Diagnostic, Severity

if TYPE_CHECKING:
    from notecheck.pipeline import Report

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic, fixable: bool | None = None) -> str:
    """One finding as a workflow command (``fixable``: whether ``notecheck fix`` applies its fix;
    None: whether the fix is safe)."""
    from notecheck.report.text import is_fixable

    span = diagnostic.span
    properties: list[tuple[str, str]] = []
    if not span.path.startswith("<"):
        properties.append(("file", span.path))
        properties += [("line", str(span.line)), ("col", str(span.column))]
        end_line = max(span.line, span.end_line)
        properties.append(("endLine", str(end_line)))
        if end_line == span.line:
            properties.append(("endColumn", str(max(span.column, span.end_column))))
    properties.append(("title", diagnostic.code))
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    message = diagnostic.message
    if is_fixable(diagnostic) if fixable is None else fixable:
        message += " (fixable with notecheck fix)"
    return f"::{_COMMAND[diagnostic.severity]} {joined}::{escape_data(message)}"


def write(report: Report, stream: TextIO) -> None:
    """Write one annotation per active finding, then the summary as a notice-free plain line."""
    from notecheck.report.text import fixable_paths, is_fixable, summary_line

    writable = fixable_paths(report)
    for diagnostic in report.active_diagnostics():
        stream.write(annotation(diagnostic, is_fixable(diagnostic, writable)) + "\n")
    stream.write(summary_line(report) + "\n")
