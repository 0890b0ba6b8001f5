"""Stage report: SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.

One run; ``tool.driver.rules`` lists every registered rule with its documentation; each finding
is a result with its region (``columnKind: unicodeCodePoints``, the contract's columns), its
fingerprint as ``partialFingerprints``, its fix as a SARIF ``fix`` (an artifact change with one
replacement), and, when suppressed by a baseline or an accepted finding, an external
``suppression``. With a baseline every result also carries ``baselineState``.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from notecheck.models import Diagnostic, Fix, Severity, Span
from notecheck.report.catalogue import first_sentence

if TYPE_CHECKING:
    from notecheck.pipeline import Report
    from notecheck.rules import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "notecheck/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def write(report: Report, stream: TextIO) -> None:
    """Write the report as a SARIF 2.1.0 log."""
    json.dump(to_sarif(report), stream, ensure_ascii=False, indent=1)
    stream.write("\n")


def to_sarif(report: Report) -> dict[str, Any]:
    """The report as a SARIF log (plain JSON data)."""
    from notecheck import __version__
    from notecheck.rules import all_rules

    rules = all_rules()
    index = {rule.code: number for number, rule in enumerate(rules)}
    results = [result(d, index, baseline=report.baseline is not None) for d in report.all_diagnostics()]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "notecheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The folder notecheck ran in."}}},
        "invocations": [{"executionSuccessful": True}],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A rule as a SARIF ``reportingDescriptor``, its four-part doc as help."""
    family = {
        "1": "reading",
        "2": "bibliography",
        "3": "citation",
        "4": "resolution",
        "5": "archival",
        "9": "tool",
    }.get(rule.code[2], "other")
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": first_sentence(rule.what)},
        "fullDescription": {"text": rule.what},
        "help": {"text": _plain(rule.doc), "markdown": rule.doc},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["notecheck", family]},
    }


def result(diagnostic: Diagnostic, rule_index: dict[str, int], *, baseline: bool = False) -> dict[str, Any]:
    """One finding as a SARIF ``result``."""
    found: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
    }
    if diagnostic.code in rule_index:
        found["ruleIndex"] = rule_index[diagnostic.code]
    location = _location(diagnostic.span)
    if location is not None:
        found["locations"] = [location]
    if diagnostic.fingerprint:
        found["partialFingerprints"] = {FINGERPRINT_KEY: diagnostic.fingerprint}
    if diagnostic.fix is not None and location is not None:
        found["fixes"] = [sarif_fix(diagnostic.fix)]
    if diagnostic.suppressed:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        justification = diagnostic.justification or (
            "known finding recorded in the baseline" if diagnostic.suppression == "baseline" else ""
        )
        if justification:
            suppression["justification"] = justification
        found["suppressions"] = [suppression]
    if baseline:
        found["baselineState"] = "unchanged" if diagnostic.suppression == "baseline" else "new"
    properties: dict[str, Any] = {}
    if diagnostic.note is not None:
        properties["note"] = diagnostic.note
    if diagnostic.note_index is not None:
        properties["noteIndex"] = diagnostic.note_index
    if properties:
        found["properties"] = properties
    return found


def sarif_fix(fix: Fix) -> dict[str, Any]:
    """A fix as a SARIF ``fix``: one artifact change replacing the fix's region."""
    verb = "Replace with" if fix.replacement else "Delete"
    text = f"{verb} {fix.replacement!r}" if fix.replacement else verb
    if fix.applicability != "safe":
        text += " (unsafe: review before applying)"
    return {
        "description": {"text": text},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(fix.span.path),
                "replacements": [
                    {"deletedRegion": _region(fix.span), "insertedContent": {"text": fix.replacement}}
                ],
            }
        ],
        "properties": {"applicability": fix.applicability},
    }


def _location(span: Span) -> dict[str, Any] | None:
    if span.path.startswith("<"):
        return None  # not a file: a tool-level finding
    return {"physicalLocation": {"artifactLocation": _artifact(span.path), "region": _region(span)}}


def _artifact(path: str) -> dict[str, Any]:
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}


def _region(span: Span) -> dict[str, int]:
    end_line = max(span.line, span.end_line)
    end_column = span.end_column if end_line > span.line else max(span.column, span.end_column)
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _plain(markdown: str) -> str:
    return markdown.replace("## ", "").replace("`", "")
