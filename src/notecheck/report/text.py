"""Stage report: the human-readable text report (``path:line:col: CODE message``).

Each finding is one line in the contract's shape, then the source line with a caret under the
span, then the fix when there is one. A summary line ends the report::

    edition/a.txt:12:4: NC3xx ibid damaged by OCR: 'lbid.' [*]
       |
    12 | 4. lbid., 45.
       |    ^^^^^
       = fix: replace 'lbid.' with 'Ibid.'
    85 notes, 412 citations, 3 errors, 12 warnings (1 fixable with `notecheck fix`)

Colour (ANSI) marks severities when asked for; the caller decides (``--color``, ``NO_COLOR``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from notecheck.models import Diagnostic, Severity, Source

if TYPE_CHECKING:
    from notecheck.pipeline import Report

#: The longest source line shown whole; longer lines are cut around the span.
MAX_SHOWN = 120

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_GREEN = "\x1b[32m"
_CYAN = "\x1b[36m"
_SEVERITY_COLOUR = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;34m"}


@dataclass(frozen=True)
class Style:
    """How to colour the report: every method returns its text unchanged when colour is off."""

    color: bool = False

    def paint(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color and text else text

    def severity(self, text: str, severity: Severity) -> str:
        return self.paint(text, _SEVERITY_COLOUR[severity])

    def bold(self, text: str) -> str:
        return self.paint(text, _BOLD)

    def dim(self, text: str) -> str:
        return self.paint(text, _DIM)

    def fix(self, text: str) -> str:
        return self.paint(text, _GREEN)

    def gutter(self, text: str) -> str:
        return self.paint(text, _CYAN)


def write(
    report: Report,
    stream: TextIO,
    *,
    color: bool = False,
    verbose: bool = False,
    quiet: bool = False,
    show_source: bool = True,
    statistics: bool = False,
) -> None:
    """Write the text report.

    Args:
        report: the report.
        stream: where to write.
        color: colour with ANSI escapes.
        verbose: also list every note with its citations, and the suppressed findings.
        quiet: print only the summary line.
        show_source: print the source line, caret and fix under each finding.
        statistics: print a count per code instead of the findings.
    """
    style = Style(color)
    sources: dict[str, Source | None] = dict(report.sources)
    writable = fixable_paths(report)
    if verbose and not quiet:
        for line in note_lines(report):
            stream.write(line + "\n")
    if statistics and not quiet:
        for line in statistics_lines(report.active_diagnostics(), style, writable):
            stream.write(line + "\n")
    elif not quiet:
        for diagnostic in report.all_diagnostics():
            if diagnostic.suppressed and not verbose:
                continue
            source = _source_of(diagnostic.span.path, sources) if show_source else None
            fixable = is_fixable(diagnostic, writable)
            for line in format_diagnostic(diagnostic, source, style, show_fix=show_source, fixable=fixable):
                stream.write(line + "\n")
    stream.write(summary_line(report, style) + "\n")


def fixable_paths(report: Report) -> frozenset[str] | None:
    """The files whose fixes ``notecheck fix`` writes back: every document read, except TEI and
    .docx ones (their findings are reported only). None for a report that let its documents go
    (a streamed run): then every safe fix counts."""
    if report.counted is not None:
        return None
    paths: set[str] = set()
    for document in report.documents:
        edition = document.edition
        if edition is not None and edition.fixable:
            paths.update((document.path, edition.source.path))
    return frozenset(paths)


def is_fixable(diagnostic: Diagnostic, paths: frozenset[str] | None = None) -> bool:
    """Whether ``notecheck fix`` applies this finding's fix: a safe fix, in a file it writes back
    (``paths``, from :func:`fixable_paths`; None: any file)."""
    fix = diagnostic.fix
    if fix is None or fix.applicability != "safe":
        return False
    return paths is None or fix.span.path in paths


def _source_of(path: str, sources: dict[str, Source | None]) -> Source | None:
    """The text a finding points into: an edition's, or a file such as the bibliography or the
    configuration, read once (and never for pseudo-paths like ``<bibliography>`` or ``-``)."""
    if path not in sources:
        sources[path] = None
        if not path.startswith("<") and path != "-":
            from pathlib import Path

            from notecheck.readers.decode import decode

            try:
                data = Path(path).read_bytes()
            except OSError:
                return None
            decoded = decode(data, path)
            sources[path] = decoded.source if not decoded.binary else None
    return sources[path]


def render(report: Report, **options: bool) -> str:
    """The text report as a string (see :func:`write`)."""
    import io

    buffer = io.StringIO()
    write(report, buffer, **options)
    return buffer.getvalue()


def format_diagnostic(
    diagnostic: Diagnostic,
    source: Source | None = None,
    style: Style | None = None,
    *,
    show_fix: bool = True,
    fixable: bool | None = None,
) -> list[str]:
    """One finding: ``path:line:col: CODE message``, its source line with a caret, its fix.

    Args:
        diagnostic: the finding.
        source: the text it points into (None: no source line is shown).
        style: colours (default: none).
        show_fix: show the fix line.
        fixable: whether ``notecheck fix`` applies its fix (marked ``[*]``); None: whether the
            fix is safe (see :func:`is_fixable`).
    """
    style = style or Style()
    span = diagnostic.span
    code = style.severity(diagnostic.code, diagnostic.severity)
    head = f"{style.bold(f'{span.path}:{span.line}:{span.column}:')} {code} {diagnostic.message}"
    if is_fixable(diagnostic) if fixable is None else fixable:
        head += " " + style.fix("[*]")
    if diagnostic.suppressed:
        reason = diagnostic.suppression or "suppressed"
        if diagnostic.justification:
            reason += f": {diagnostic.justification}"
        head += " " + style.dim(f"(suppressed, {reason})")
    lines = [head]
    if source is not None and source.text and 1 <= span.line <= source.line_count:
        lines.extend(_snippet(diagnostic, source, style))
    if show_fix and diagnostic.fix is not None:
        lines.append(_fix_line(diagnostic, source, style))
    return lines


def _snippet(diagnostic: Diagnostic, source: Source, style: Style) -> list[str]:
    """The source line under a gutter with the line number, and a caret line under the span."""
    span = diagnostic.span
    text = _printable(source.line_text(span.line))
    if not text.strip():
        return []
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    end = max(start + 1, min(end, len(text) + 1))
    shown, start, end = _window(text, start, end)
    number = str(span.line)
    pad = " " * len(number)
    caret = style.severity("^" * (end - start), diagnostic.severity)
    return [
        style.gutter(f"{pad} |"),
        style.gutter(f"{number} |") + f" {shown}",
        style.gutter(f"{pad} |") + " " + " " * start + caret,
    ]


def _printable(text: str) -> str:
    """The line with tabs and other control characters shown as one space each (columns kept)."""
    return "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)


def _window(text: str, start: int, end: int) -> tuple[str, int, int]:
    """At most :data:`MAX_SHOWN` characters around ``[start, end)``, with the span shifted."""
    if len(text) <= MAX_SHOWN:
        return text, start, end
    left = max(0, min(start - 30, len(text) - MAX_SHOWN))
    right = min(len(text), max(left + MAX_SHOWN, 0))
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    shown = prefix + text[left:right] + suffix
    start = start - left + len(prefix)
    end = min(end - left + len(prefix), len(shown) - len(suffix) + 1)
    return shown, start, max(start + 1, end)


def _fix_line(diagnostic: Diagnostic, source: Source | None, style: Style) -> str:
    fix = diagnostic.fix
    assert fix is not None
    pad = " " * len(str(diagnostic.span.line))
    label = "fix" if fix.applicability == "safe" else "unsafe fix (--unsafe-fixes)"
    old = ""
    if source is not None and source.text and fix.span.path == source.path:
        begin = source.offset(fix.span.line, fix.span.column)
        old = source.text[begin : max(begin, source.offset(fix.span.end_line, fix.span.end_column))]
    if not old:
        action = f"insert {fix.replacement!r}"
    elif not fix.replacement:
        action = f"delete {old!r}"
    else:
        action = f"replace {old!r} with {fix.replacement!r}"
    return style.gutter(f"{pad} =") + " " + style.fix(f"{label}: {action}")


def summary_line(report: Report, style: Style | None = None) -> str:
    """``85 notes, N citations, E errors, W warnings`` (then info, suppressed, fixable if any)."""
    style = style or Style()
    s = report.summary
    errors = f"{s.errors} errors"
    warnings = f"{s.warnings} warnings"
    if s.errors:
        errors = style.severity(errors, Severity.ERROR)
    if s.warnings:
        warnings = style.severity(warnings, Severity.WARNING)
    line = f"{s.notes} notes, {s.citations} citations, {errors}, {warnings}"
    if s.info:
        line += f", {s.info} info"
    if s.suppressed:
        line += f", {s.suppressed} suppressed"
    writable = fixable_paths(report)
    fixable = sum(1 for d in report.active_diagnostics() if is_fixable(d, writable))
    if fixable:
        line += f" ({fixable} fixable with `notecheck fix`)"
    return line


def statistics_lines(
    diagnostics: Iterable[Diagnostic], style: Style | None = None, paths: frozenset[str] | None = None
) -> list[str]:
    """One line per code, most frequent first: count, code, slug, ``[*]`` if any is fixable
    (``paths``: the files ``notecheck fix`` writes back, see :func:`fixable_paths`)."""
    from notecheck.rules import get_rule

    style = style or Style()
    found = list(diagnostics)
    counts = Counter(d.code for d in found)
    severities = {d.code: d.severity for d in found}
    fixable = {d.code for d in found if is_fixable(d, paths)}
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = get_rule(code)
        slug = rule.slug if rule is not None else ""
        mark = "[*]" if code in fixable else "   "
        lines.append(
            f"{count:>{width}}  {style.severity(code, severities[code])}  {style.fix(mark)} {slug}".rstrip()
        )
    return lines


def note_lines(report: Report) -> list[str]:
    """For ``-v``: every note (path:line, label, start of its text) and its citations."""
    lines: list[str] = []
    for document in report.documents:
        if document.edition is None:
            continue
        citations = document.parsed.citations if document.parsed is not None else {}
        for note in document.edition.notes:
            preview = " ".join(note.text.split())[:70]
            lines.append(f"{document.path}:{note.line}: note {note.label} {preview}")
            for citation in citations.get(note.index, ()):
                resolved = document.resolution.of(citation)
                key = resolved.key or "-"
                lines.append(
                    f"    {citation.id} {citation.form} {resolved.status} {key}: {' '.join(citation.text.split())[:60]}"
                )
    return lines
