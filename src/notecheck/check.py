"""Stage check: run read -> split -> resolve -> rules over input paths and gather one Report.

``check`` never raises for input problems: unreadable paths, bad encodings, broken
bibliographies and even a bug in one stage become diagnostics, and the other files and stages
still run. After the stages, the diagnostics are selected (``select``/``ignore``, longest
prefix wins, ``per-file-ignores``), fingerprinted, marked suppressed when a baseline or an
accepted finding names them, and sorted.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path
from typing import TypeVar

from notecheck.baseline import Baseline, BaselineError, load_baseline
from notecheck.bibliography import Bibliography, load_bibliography
from notecheck.config import Config, load_config
from notecheck.models import ArchivalFile, Diagnostic, Edition, Resolution, Severity, Source, Span
from notecheck.readers import (
    FORMATS_BY_EXTENSION,
    display_path,
    format_for,
    read_edition,
    read_edition_bytes,
)
from notecheck.rules import is_selected
from notecheck.rules.tool import (
    BASELINE_INVALID,
    INTERNAL_ERROR,
    NO_BIBLIOGRAPHY,
    UNMATCHED_ACCEPT,
    UNREADABLE_PATH,
)
from notecheck.split import ParsedEdition

T = TypeVar("T")

SKIPPED_NAMES = ("README", "LICENSE")

#: Called after each document is checked: (documents done, documents in all, path).
Progress = Callable[[int, int, str], None]


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
    baseline: str | None = None  # the baseline file used, if any

    def all_diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic of the report, suppressed ones included, in report order."""
        found = list(self.diagnostics)
        for document in self.documents:
            found.extend(document.diagnostics)
        found.extend(self.bibliography.diagnostics)
        return found

    def active_diagnostics(self) -> list[Diagnostic]:
        """The diagnostics that count: every one not suppressed by a baseline or an accept."""
        return [d for d in self.all_diagnostics() if not d.suppressed]

    @property
    def sources(self) -> dict[str, Source]:
        """The decoded text of every document read, by its path as reported."""
        return {d.path: d.edition.source for d in self.documents if d.edition is not None}

    @property
    def summary(self) -> Summary:
        active = self.active_diagnostics()
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


def expand_paths(paths: Iterable[str | Path], exclude: Sequence[str] = ()) -> list[Path]:
    """Files named, and the checkable files inside folders named.

    In a folder, files are chosen by extension (``.txt .md .xml .tei .docx .tex``), skipping
    ``README*``, ``LICENSE*``, hidden files and folders, and files matching an ``exclude`` glob
    (matched against the path and the file name). Files named explicitly are always kept.
    """
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
            if any(fnmatch(child.as_posix(), p) or fnmatch(child.name, p) for p in exclude):
                continue
            found.append(child)
    return found


def check(
    paths: Sequence[str | Path] | None = None,
    bib: str | Path | Bibliography | None = None,
    config: Config | None = None,
    *,
    stdin: bytes | None = None,
    baseline: Baseline | str | Path | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    contents: Mapping[str, bytes] | None = None,
) -> Report:
    """Check editions against a bibliography and return the full report; never raises for input.

    Args:
        paths: files or folders; ``-`` reads ``stdin``. Defaults to the configuration's paths.
        bib: the bibliography (a path, or one already loaded); defaults to the configuration's.
        config: the configuration; by default found upward from the working folder.
        stdin: the bytes ``-`` stands for.
        baseline: known findings, reported as suppressed: a :class:`Baseline` or the path of a
            baseline file. Defaults to the configuration's ``baseline``; ``Baseline()`` uses none.
        jobs: worker processes across files (1: all in this process). Results are the same.
        progress: called after each document (for a progress bar).
        contents: bytes to check instead of reading the file, by path as given (the fixer's
            later passes check text it has not written yet).
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
    inputs = _inputs(paths, config.exclude)
    if contents:
        documents = [_check_one(p, bibliography, config, stdin, contents.get(str(p))) for p in inputs]
    else:
        documents = _check_all(inputs, bibliography, config, stdin, jobs, progress)
    if bibliography is not None:
        _report_unused(bibliography_report, documents)
    report = Report(documents, bibliography_report, list(config.diagnostics))
    known, problems = _baseline(baseline, config)
    report.diagnostics.extend(problems)
    report.baseline = known.path
    _finish(report, config, known)
    return report


def _inputs(paths: Sequence[str | Path], exclude: Sequence[str] = ()) -> list[str | Path]:
    inputs: list[str | Path] = []
    for path in paths:
        if str(path) == "-":
            inputs.append("-")
        else:
            inputs.extend(expand_paths([path], exclude) or [Path(path)])
    return inputs


def _baseline(given: Baseline | str | Path | None, config: Config) -> tuple[Baseline, list[Diagnostic]]:
    """The baseline to use (given, else configured, else none) and NC907 if it cannot be used."""
    if isinstance(given, Baseline):
        return given, []
    if given is None and config.baseline is None:
        return Baseline(), []
    path = Path(given) if given is not None else config.resolve_path(config.baseline or "")
    shown = display_path(path)
    try:
        return load_baseline(path), []
    except OSError as error:
        reason = error.strerror or str(error)
    except BaselineError as error:
        reason = str(error)
    return Baseline(), [BASELINE_INVALID.at(Span(shown, 1, 1, 1, 1), path=shown, reason=reason)]


def _check_all(
    inputs: list[str | Path],
    bibliography: Bibliography | None,
    config: Config,
    stdin: bytes | None,
    jobs: int,
    progress: Progress | None,
) -> list[DocumentReport]:
    """Check every input, in worker processes when ``jobs > 1``; the order is the inputs' order."""
    files = [p for p in inputs if p != "-"]
    if jobs > 1 and len(files) > 1:
        parallel = _check_parallel(inputs, bibliography, config, stdin, jobs, progress)
        if parallel is not None:
            return parallel
    documents: list[DocumentReport] = []
    for done, path in enumerate(inputs, start=1):
        documents.append(_check_one(path, bibliography, config, stdin))
        if progress is not None:
            progress(done, len(inputs), str(path))
    return documents


_WORKER: dict[str, object] = {}


def _start_worker(bibliography: Bibliography | None, config: Config) -> None:
    _WORKER["bibliography"] = bibliography
    _WORKER["config"] = config


def _check_in_worker(path: str | Path) -> DocumentReport:
    bibliography = _WORKER["bibliography"]
    config = _WORKER["config"]
    assert bibliography is None or isinstance(bibliography, Bibliography)
    assert isinstance(config, Config)
    return _check_one(path, bibliography, config, None)


def _check_parallel(
    inputs: list[str | Path],
    bibliography: Bibliography | None,
    config: Config,
    stdin: bytes | None,
    jobs: int,
    progress: Progress | None,
) -> list[DocumentReport] | None:
    """Check the files in ``jobs`` processes (the bibliography is sent once per worker).

    Returns None when worker processes cannot be used here (no ``fork``/``spawn`` support, a
    result that cannot be sent back); the caller then checks in this process.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Import the stages (and build their grammars) once here, so forked workers start warm.
    import notecheck.archival
    import notecheck.numbering
    import notecheck.resolve
    import notecheck.split  # noqa: F401

    results: dict[int, DocumentReport] = {}
    workers = min(jobs, len(inputs), os.cpu_count() or jobs)
    try:
        with ProcessPoolExecutor(
            max_workers=max(1, workers), initializer=_start_worker, initargs=(bibliography, config)
        ) as pool:
            futures = {
                pool.submit(_check_in_worker, path): index for index, path in enumerate(inputs) if path != "-"
            }
            for index, path in enumerate(inputs):
                if path == "-":
                    results[index] = _check_one(path, bibliography, config, stdin)
                    if progress is not None:
                        progress(len(results), len(inputs), "-")
            for future in as_completed(futures):
                index = futures[future]
                results[index] = future.result()
                if progress is not None:
                    progress(len(results), len(inputs), str(inputs[index]))
    except Exception:  # a platform without worker processes, or a result that cannot be pickled
        return None
    return [results[index] for index in range(len(inputs))]


def _load_bibliography(path: str | Path | Bibliography | None) -> BibliographyReport:
    if isinstance(path, Bibliography):
        return BibliographyReport(path.path, path.format, path, diagnostics=list(path.diagnostics))
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
    path: str | Path,
    bibliography: Bibliography | None,
    config: Config,
    stdin: bytes | None,
    data: bytes | None = None,
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
        elif data is not None:
            edition = read_edition_bytes(data, shown, input_format=format_for(path, config.input_format))
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


def _finish(report: Report, config: Config, baseline: Baseline) -> None:
    """Select, fingerprint, suppress and sort the diagnostics of every part of the report."""
    accepted = {(a.code, a.fingerprint): a for a in config.accept}
    known = baseline.keys
    matched: set[tuple[str, str]] = set()
    select = (*config.select, *config.extend_select)
    sources = report.sources

    def suppress(diagnostic: Diagnostic) -> Diagnostic:
        key = (diagnostic.code, diagnostic.fingerprint)
        if key in accepted:
            matched.add(key)
            return replace(
                diagnostic, suppressed=True, suppression="accepted", justification=accepted[key].reason
            )
        if key in known:
            return replace(diagnostic, suppressed=True, suppression="baseline")
        return diagnostic

    def finish(diagnostics: list[Diagnostic], path: str | None) -> list[Diagnostic]:
        ignore = (*config.ignore, *_per_file_ignores(config, path))
        kept = [d for d in diagnostics if is_selected(d.code, select, ignore)]
        kept = [suppress(d) for d in fingerprint(kept, sources, config.root)]
        return sorted(kept, key=lambda d: d.sort_key)

    for document in report.documents:
        document.diagnostics = finish(document.diagnostics, document.path)
    report.bibliography.diagnostics = finish(report.bibliography.diagnostics, report.bibliography.path)
    report.diagnostics = finish(report.diagnostics, None)
    unmatched = finish(_unmatched_accepts(config, matched, select), None)
    report.diagnostics = sorted([*report.diagnostics, *unmatched], key=lambda d: d.sort_key)


def _unmatched_accepts(
    config: Config, matched: set[tuple[str, str]], select: Sequence[str]
) -> list[Diagnostic]:
    """NC908 for accepted findings of selected codes that this run did not find."""
    shown = display_path(config.file) if config.file is not None else "<config>"
    return [
        UNMATCHED_ACCEPT.at(
            Span(shown, a.line, 1, a.line, 1), code=a.code, fingerprint=a.fingerprint, path=shown
        )
        for a in config.accept
        if (a.code, a.fingerprint) not in matched and is_selected(a.code, select, config.ignore)
    ]


def _per_file_ignores(config: Config, path: str | None) -> tuple[str, ...]:
    """The codes ``per-file-ignores`` switches off for ``path`` (globs on the path or its name)."""
    if path is None or not config.per_file_ignores:
        return ()
    codes: list[str] = []
    relative = _stable_path(path, config.root)
    for pattern, ignored in config.per_file_ignores.items():
        if any(fnmatch(candidate, pattern) for candidate in (path, relative, Path(path).name)):
            codes.extend(ignored)
    return tuple(codes)


def _stable_path(path: str, root: Path | None) -> str:
    """``path`` relative to the configuration's folder when it lies inside it, else as given.

    So a fingerprint does not change with the folder notecheck is started from.
    """
    if root is None or path == "-" or path.startswith("<"):
        return path
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path


_SPACE = re.compile(r"\s+")
_LINE_NUMBER = re.compile(r"\b(line|lines|column)\s+\d+", re.IGNORECASE)
_CONTEXT = 24


def fingerprint(
    diagnostics: list[Diagnostic], sources: dict[str, Source], root: Path | None = None
) -> list[Diagnostic]:
    """Give each diagnostic a fingerprint that survives unrelated edits.

    The fingerprint hashes the code, the path (relative to ``root``), the flagged text with up to
    24 characters of context on its own line(s) (spaces normalised), and the occurrence number
    among diagnostics with the same basis. It does not hash line numbers, so inserting or
    deleting lines elsewhere, even just above the finding, leaves it unchanged. Diagnostics with
    no source text (bibliography, configuration) hash their message with line numbers removed.
    """
    seen: Counter[str] = Counter()
    result: list[Diagnostic] = []
    for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key):
        basis = "\0".join(
            (diagnostic.code, _stable_path(diagnostic.span.path, root), _context(diagnostic, sources))
        )
        seen[basis] += 1
        digest = hashlib.sha256(f"{basis}\0{seen[basis]}".encode()).hexdigest()[:16]
        result.append(replace(diagnostic, fingerprint=digest))
    return result


def _context(diagnostic: Diagnostic, sources: dict[str, Source]) -> str:
    span = diagnostic.span
    source = sources.get(span.path)
    if source is None or not source.text:
        return _LINE_NUMBER.sub(r"\1", diagnostic.message)
    start = source.offset(span.line, span.column)
    end = max(start, source.offset(span.end_line, span.end_column))
    line_start = source.offset(span.line, 1)
    line_end = source.offset(span.end_line, 1) + len(source.line_text(span.end_line))
    context = source.text[max(line_start, start - _CONTEXT) : min(line_end, end + _CONTEXT)]
    return f"{start - max(line_start, start - _CONTEXT)}|" + _SPACE.sub(" ", context).strip()
