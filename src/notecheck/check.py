"""Stage check: run read -> split -> resolve -> rules over input paths and gather one Report.

``check`` never raises for input problems: unreadable paths, bad encodings, broken
bibliographies and even a bug in one stage become diagnostics, and the other files and stages
still run.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from notecheck.bibliography import Bibliography, load_bibliography
from notecheck.config import Config, load_config
from notecheck.models import ArchivalFile, Diagnostic, Edition, Resolution, Severity, Source, Span
from notecheck.readers import FORMATS_BY_EXTENSION, display_path, read_edition, read_edition_bytes
from notecheck.rules import is_selected
from notecheck.rules.tool import INTERNAL_ERROR, NO_BIBLIOGRAPHY, UNREADABLE_PATH
from notecheck.split import ParsedEdition

T = TypeVar("T")

SKIPPED_NAMES = ("README", "LICENSE")


@dataclass
class DocumentReport:
    """Everything found in one input file."""

    path: str
    format: str
    edition: Edition | None
    parsed: ParsedEdition | None = None
    resolution: Resolution = field(default_factory=Resolution)
    archival: list[ArchivalFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class BibliographyReport:
    """The bibliography used, its problems, and the entries no citation resolved to."""

    path: str | None
    format: str | None
    bibliography: Bibliography | None
    unused: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return len(self.bibliography.entries) if self.bibliography is not None else 0


@dataclass
class Summary:
    documents: int
    notes: int
    citations: int
    errors: int
    warnings: int
    info: int
    suppressed: int


@dataclass
class Report:
    """The result of :func:`check`: every document, the bibliography, and tool-level findings."""

    documents: list[DocumentReport]
    bibliography: BibliographyReport
    diagnostics: list[Diagnostic] = field(default_factory=list)  # configuration, the tool

    def all_diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic of the report, suppressed ones included, in report order."""
        found = list(self.diagnostics)
        for document in self.documents:
            found.extend(document.diagnostics)
        found.extend(self.bibliography.diagnostics)
        return found

    @property
    def summary(self) -> Summary:
        active = [d for d in self.all_diagnostics() if not d.suppressed]
        counts = Counter(d.severity for d in active)
        notes = sum(len(d.edition.notes) for d in self.documents if d.edition is not None)
        citations = sum(len(d.parsed.all_citations()) for d in self.documents if d.parsed is not None)
        return Summary(
            documents=len(self.documents),
            notes=notes,
            citations=citations,
            errors=counts[Severity.ERROR],
            warnings=counts[Severity.WARNING],
            info=counts[Severity.INFO],
            suppressed=sum(1 for d in self.all_diagnostics() if d.suppressed),
        )

    @property
    def exit_code(self) -> int:
        """0 without error-level findings, 1 with; the CLI adds 2 for usage errors."""
        return 1 if self.summary.errors else 0


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the checkable files inside folders named (sorted, hidden skipped)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            found.append(path)
            continue
        for child in sorted(path.rglob("*")):
            relative = child.relative_to(path).parts
            if any(part.startswith(".") for part in relative):
                continue
            if not child.is_file() or child.suffix.lower() not in FORMATS_BY_EXTENSION:
                continue
            if child.name.upper().startswith(SKIPPED_NAMES):
                continue
            found.append(child)
    return found


def check(
    paths: Sequence[str | Path] | None = None,
    bib: str | Path | None = None,
    config: Config | None = None,
    *,
    stdin: bytes | None = None,
    baseline: Iterable[str] = (),
) -> Report:
    """Check editions against a bibliography and return the full report; never raises for input.

    Args:
        paths: files or folders; ``-`` reads ``stdin``. Defaults to the configuration's paths.
        bib: the bibliography; defaults to the configuration's.
        config: the configuration; by default found upward from the working folder.
        stdin: the bytes ``-`` stands for.
        baseline: fingerprints of known findings, reported as suppressed.
    """
    config = config or load_config()
    if not paths:
        paths = [str(config.resolve_path(p)) for p in config.paths]
    bib_path = (
        bib
        if bib is not None
        else (config.resolve_path(config.bibliography) if config.bibliography else None)
    )
    bibliography_report = _load_bibliography(bib_path)
    bibliography = bibliography_report.bibliography
    documents = [_check_one(path, bibliography, config, stdin) for path in _inputs(paths)]
    if bibliography is not None:
        _report_unused(bibliography_report, documents)
    report = Report(documents, bibliography_report, list(config.diagnostics))
    _finish(report, config, set(baseline))
    return report


def _inputs(paths: Sequence[str | Path]) -> list[str | Path]:
    inputs: list[str | Path] = []
    for path in paths:
        if str(path) == "-":
            inputs.append("-")
        else:
            inputs.extend(expand_paths([path]) or [Path(path)])
    return inputs


def _load_bibliography(path: str | Path | None) -> BibliographyReport:
    if path is None:
        span = Span("<bibliography>", 1, 1, 1, 1)
        missing = NO_BIBLIOGRAPHY.at(
            span, reason="no bibliography given (--bib or 'bibliography' in the configuration)"
        )
        return BibliographyReport(None, None, None, diagnostics=[missing])
    shown = display_path(path)
    try:
        bibliography = load_bibliography(path)
    except OSError as error:
        span = Span(shown, 1, 1, 1, 1)
        reason = f"cannot read bibliography {shown}: {error.strerror or error}"
        return BibliographyReport(shown, None, None, diagnostics=[NO_BIBLIOGRAPHY.at(span, reason=reason)])
    except Exception as error:  # a bug in the loader must not lose the rest of the run
        span = Span(shown, 1, 1, 1, 1)
        failed = INTERNAL_ERROR.at(span, stage="loading the bibliography", error=repr(error))
        return BibliographyReport(shown, None, None, diagnostics=[failed])
    return BibliographyReport(
        shown, bibliography.format, bibliography, diagnostics=list(bibliography.diagnostics)
    )


def _guard(document: DocumentReport, stage: str, run: Callable[[], T], default: T) -> T:
    """Run one stage; a bug in it becomes an NC904 diagnostic and the stage's default result."""
    try:
        return run()
    except RecursionError:
        error: Exception = RecursionError("input nested too deeply")
    except Exception as caught:
        error = caught
    span = Span(document.path, 1, 1, 1, 1)
    document.diagnostics.append(INTERNAL_ERROR.at(span, stage=stage, error=repr(error)))
    return default


def _check_one(
    path: str | Path, bibliography: Bibliography | None, config: Config, stdin: bytes | None
) -> DocumentReport:
    from notecheck.archival import check_archival
    from notecheck.numbering import check_numbering
    from notecheck.resolve import resolve
    from notecheck.split import parse_edition

    shown = "-" if path == "-" else display_path(path)
    document = DocumentReport(shown, "text", None)
    try:
        if path == "-":
            edition = read_edition_bytes(stdin or b"", "-", input_format=config.input_format or "text")
        else:
            edition = read_edition(path, input_format=config.input_format)
    except OSError as error:
        span = Span(shown, 1, 1, 1, 1)
        document.diagnostics.append(UNREADABLE_PATH.at(span, path=shown, reason=error.strerror or str(error)))
        return document
    except Exception as error:
        document.diagnostics.append(
            INTERNAL_ERROR.at(Span(shown, 1, 1, 1, 1), stage="reading", error=repr(error))
        )
        return document
    document.edition = edition
    document.format = edition.format
    document.diagnostics.extend(edition.diagnostics)
    document.diagnostics.extend(
        _guard(document, "checking the numbering", lambda: check_numbering(edition), [])
    )
    parsed = _guard(document, "parsing citations", lambda: parse_edition(edition), ParsedEdition(edition))
    document.parsed = parsed
    document.diagnostics.extend(parsed.diagnostics)
    document.resolution = _guard(
        document,
        "resolving citations",
        lambda: resolve(edition, bibliography, parsed=parsed, config=config),
        Resolution(),
    )
    document.diagnostics.extend(document.resolution.diagnostics)
    no_archival: tuple[list[Diagnostic], list[ArchivalFile]] = ([], [])
    archival_diagnostics, document.archival = _guard(
        document,
        "checking archival references",
        lambda: check_archival(parsed, document.resolution, config),
        no_archival,
    )
    document.diagnostics.extend(archival_diagnostics)
    return document


def _report_unused(report: BibliographyReport, documents: list[DocumentReport]) -> None:
    from notecheck.resolve import unused_entries

    assert report.bibliography is not None
    used: set[str] = set()
    for document in documents:
        used |= document.resolution.used_keys
    unused, diagnostics = unused_entries(report.bibliography, used)
    report.unused = unused
    report.diagnostics.extend(diagnostics)


def _finish(report: Report, config: Config, baseline: set[str]) -> None:
    """Select, fingerprint, suppress and sort the diagnostics of every part of the report."""
    accepted = {(a.code, a.fingerprint) for a in config.accept}
    select = (*config.select, *config.extend_select)
    sources = {d.path: d.edition.source for d in report.documents if d.edition is not None}

    def finish(diagnostics: list[Diagnostic], path: str | None) -> list[Diagnostic]:
        ignore = (*config.ignore, *_per_file_ignores(config, path))
        kept = [d for d in diagnostics if is_selected(d.code, select, ignore)]
        kept = fingerprint(kept, sources)
        kept = [
            replace(d, suppressed=True)
            if d.fingerprint in baseline or (d.code, d.fingerprint) in accepted
            else d
            for d in kept
        ]
        return sorted(kept, key=lambda d: d.sort_key)

    report.diagnostics = finish(report.diagnostics, None)
    for document in report.documents:
        document.diagnostics = finish(document.diagnostics, document.path)
    report.bibliography.diagnostics = finish(report.bibliography.diagnostics, report.bibliography.path)


def _per_file_ignores(config: Config, path: str | None) -> tuple[str, ...]:
    if path is None or not config.per_file_ignores:
        return ()
    from fnmatch import fnmatch

    codes: list[str] = []
    for pattern, ignored in config.per_file_ignores.items():
        if fnmatch(path, pattern) or fnmatch(Path(path).name, pattern):
            codes.extend(ignored)
    return tuple(codes)


_SPACE = re.compile(r"\s+")


def fingerprint(diagnostics: list[Diagnostic], sources: dict[str, Source]) -> list[Diagnostic]:
    """Give each diagnostic a fingerprint that survives unrelated edits.

    The fingerprint hashes the code, the path, the flagged text with a little context (spaces
    normalised) and the occurrence number among identical keys — not the line number, so an edit
    elsewhere in the file does not change it.
    """
    seen: Counter[str] = Counter()
    result: list[Diagnostic] = []
    for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key):
        span = diagnostic.span
        source = sources.get(span.path)
        if source is not None and source.text:
            start = source.offset(span.line, span.column)
            end = source.offset(span.end_line, span.end_column)
            context = source.text[max(0, start - 24) : end + 24]
        else:
            context = diagnostic.message
        basis = "\0".join((diagnostic.code, span.path, _SPACE.sub(" ", context).strip()))
        seen[basis] += 1
        digest = hashlib.sha256(f"{basis}\0{seen[basis]}".encode()).hexdigest()[:16]
        result.append(replace(diagnostic, fingerprint=digest))
    return result
