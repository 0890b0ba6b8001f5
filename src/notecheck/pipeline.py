"""Stage check: run read -> split -> resolve -> rules over input paths and gather one Report.

``check`` never raises for input problems: unreadable paths, bad encodings, broken
bibliographies and even a bug in one stage become diagnostics, and the other files and stages
still run. After the stages, the diagnostics are selected (``select``/``ignore``, longest
prefix wins, ``per-file-ignores``), fingerprinted, marked suppressed when a baseline or an
accepted finding names them, and sorted.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    #: The totals, for a report whose documents were written as they came and let go (see
    #: :class:`Run`); None when ``documents`` holds every document.
    counted: Summary | None = None

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
        if self.counted is not None:
            return self.counted
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


def expand_paths(
    paths: Iterable[str | Path], exclude: Sequence[str] = (), root: Path | None = None
) -> list[Path]:
    """Files named, and the checkable files inside folders named.

    In a folder, files are chosen by extension (``.txt .md .xml .tei .docx .tex``), skipping
    ``README*``, ``LICENSE*``, hidden files and folders, and files matching an ``exclude`` glob
    (matched against the path as given, the file name, and the path relative to ``root``, the
    configuration's folder, so a configured glob works from any working folder). Files named
    explicitly are always kept.
    """
    found: list[Path] = []
    if root is not None and exclude:
        with contextlib.suppress(OSError):
            root = root.resolve()
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
            if exclude and _excluded(child, exclude, root):
                continue
            found.append(child)
    return found


def _excluded(path: Path, exclude: Sequence[str], root: Path | None) -> bool:
    """Whether an ``exclude`` glob matches the path, its name or its path below ``root`` (resolved)."""
    names = [path.as_posix(), path.name]
    if root is not None:
        with contextlib.suppress(ValueError, OSError):
            names.append(path.resolve().relative_to(root).as_posix())
    return any(fnmatch(name, pattern) for name in names for pattern in exclude)


def check(
    paths: Sequence[str | Path] | str | Path | None = None,
    bib: str | Path | Bibliography | None = None,
    config: Config | str | Path | None = None,
    *,
    stdin: bytes | None = None,
    baseline: Baseline | str | Path | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    contents: Mapping[str, bytes] | None = None,
) -> Report:
    """Check editions against a bibliography and return the full report; never raises for input.

    Args:
        paths: files or folders (or one of them); ``-`` reads ``stdin``. Defaults to the
            configuration's paths.
        bib: the bibliography (a path, or one already loaded); defaults to the configuration's.
        config: the configuration, or the path of a ``pyproject.toml``/``notecheck.toml`` to read
            it from; by default found upward from the working folder.
        stdin: the bytes ``-`` stands for.
        baseline: known findings, reported as suppressed: a :class:`Baseline` or the path of a
            baseline file. Defaults to the configuration's ``baseline``; ``Baseline()`` uses none.
        jobs: worker processes across files (1: all in this process). Results are the same.
        progress: called after each document (for a progress bar).
        contents: bytes to check instead of reading the file, by path as given (the fixer's
            later passes check text it has not written yet).
    """
    run = Run(
        paths, bib, config, stdin=stdin, baseline=baseline, jobs=jobs, progress=progress, contents=contents
    )
    return run.report(list(run))


class Run:
    """A check under way: the documents one at a time, each finished as it comes, then the rest.

    :func:`check` iterates a run into a list and closes it with :meth:`report`. A caller that
    writes each document as it comes and lets it go (``notecheck.report.json.write_run``) holds
    one document at a time, so memory stays flat however many files are checked; its report
    then carries the counts (:attr:`Report.counted`) instead of the documents.

    Each document is finished exactly as :func:`check` finishes it (selected, fingerprinted,
    suppressed, sorted); the bibliography's unused entries and the tool's own findings (the
    configuration, the baseline, accepted findings that matched nothing) need every document,
    so they come with :meth:`report`. Arguments are those of :func:`check`.
    """

    def __init__(
        self,
        paths: Sequence[str | Path] | str | Path | None = None,
        bib: str | Path | Bibliography | None = None,
        config: Config | str | Path | None = None,
        *,
        stdin: bytes | None = None,
        baseline: Baseline | str | Path | None = None,
        jobs: int = 1,
        progress: Progress | None = None,
        contents: Mapping[str, bytes] | None = None,
    ) -> None:
        if isinstance(config, str | Path):
            config = load_config(file=Path(config))
        self.config = config = config or load_config()
        if isinstance(paths, str | Path):
            paths = [paths]
        if not paths:
            paths = [str(config.resolve_path(p)) for p in config.paths]
        bib_path = (
            bib
            if bib is not None
            else (config.resolve_path(config.bibliography) if config.bibliography else None)
        )
        self.bibliography_report = _load_bibliography(bib_path)
        self.inputs = _inputs(paths, config.exclude, config.root)
        self.stdin = stdin
        self.jobs = jobs
        self.progress = progress
        self.contents = contents
        self.known, self.baseline_problems = _baseline(baseline, config)
        self.finisher = _Finisher(config, self.known)
        self.used: set[str] = set()
        self.counts: Counter[str] = Counter()
        # Sources of documents that other findings point into (a bibliography also checked as
        # an edition): kept so those findings are fingerprinted exactly as in a whole report.
        self._shared_paths = {d.span.path for d in self.bibliography_report.diagnostics} | {
            d.span.path for d in (*config.diagnostics, *self.baseline_problems)
        }
        self._shared_sources: dict[str, Source] = {}

    def __iter__(self) -> Iterator[DocumentReport]:
        """The documents, in the order of the inputs, each finished."""
        bibliography = self.bibliography_report.bibliography
        if self.contents:
            found: Iterable[DocumentReport] = (
                _check_one(p, bibliography, self.config, self.stdin, self.contents.get(str(p)))
                for p in self.inputs
            )
        else:
            found = _check_all(self.inputs, bibliography, self.config, self.stdin, self.jobs, self.progress)
        for document in found:
            source = document.edition.source if document.edition is not None else None
            sources = {document.path: source} if source is not None else {}
            if source is not None and document.path in self._shared_paths:
                self._shared_sources[document.path] = source
            document.diagnostics = self.finisher.finish(document.diagnostics, document.path, sources)
            self.used |= document.resolution.used_keys
            self._count(document)
            yield document
            del document, source, sources  # let it go before the next one is checked

    def _count(self, document: DocumentReport) -> None:
        counts = self.counts
        counts["documents"] += 1
        if document.edition is not None:
            counts["read"] += 1
            counts["notes"] += len(document.edition.notes)
        if document.parsed is not None:
            counts["citations"] += len(document.parsed.all_citations())
        self._count_diagnostics(document.diagnostics)

    def _count_diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.counts["suppressed" if diagnostic.suppressed else str(diagnostic.severity)] += 1

    def report(self, documents: list[DocumentReport] | None = None) -> Report:
        """The report, once every document has come: ``documents`` as kept by the caller, or
        None when they were let go (the report then carries the counts)."""
        bibliography_report = self.bibliography_report
        if bibliography_report.bibliography is not None and self.counts["read"]:
            # (with no edition read, every entry would look unused: nothing to say about them)
            _report_unused(bibliography_report, self.used)
        report = Report(documents or [], bibliography_report, list(self.config.diagnostics))
        report.diagnostics.extend(self.baseline_problems)
        report.baseline = self.known.path
        sources = dict(self._shared_sources)
        if documents:
            sources.update(report.sources)
        self.finisher.finish_rest(report, sources)
        if documents is None:
            self._count_diagnostics(report.all_diagnostics())
            counts = self.counts
            report.counted = Summary(
                documents=counts["documents"],
                notes=counts["notes"],
                citations=counts["citations"],
                errors=counts[Severity.ERROR.value],
                warnings=counts[Severity.WARNING.value],
                info=counts[Severity.INFO.value],
                suppressed=counts["suppressed"],
            )
        return report


def _inputs(
    paths: Sequence[str | Path], exclude: Sequence[str] = (), root: Path | None = None
) -> list[str | Path]:
    inputs: list[str | Path] = []
    for path in paths:
        if str(path) == "-":
            inputs.append("-")
        else:
            inputs.extend(expand_paths([path], exclude, root) or [Path(path)])
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
) -> Iterator[DocumentReport]:
    """Check every input, in worker processes when ``jobs > 1``, yielding the documents in the
    order of the inputs as they are ready."""
    done = 0
    files = [p for p in inputs if p != "-"]
    if jobs > 1 and len(files) > 1:
        try:
            for document in _check_parallel(inputs, bibliography, config, stdin, jobs):
                done += 1
                if progress is not None:
                    progress(done, len(inputs), str(inputs[done - 1]))
                yield document
                del document
        except _NoWorkers:
            pass  # no worker processes here: the rest in this process
    for path in inputs[done:]:
        yield _check_one(path, bibliography, config, stdin)
        done += 1
        if progress is not None:
            progress(done, len(inputs), str(path))


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


class _NoWorkers(Exception):
    """Worker processes cannot be used here (no ``fork``/``spawn``, a result that cannot be sent
    back); the caller checks the remaining inputs in this process."""


def _check_parallel(
    inputs: list[str | Path],
    bibliography: Bibliography | None,
    config: Config,
    stdin: bytes | None,
    jobs: int,
) -> Iterator[DocumentReport]:
    """Check the files in ``jobs`` processes (the bibliography is sent once per worker), yielding
    the documents in input order; ``-`` is read in this process, in its place.

    Raises:
        _NoWorkers: before the first document it could not deliver.
    """
    from concurrent.futures import Future, ProcessPoolExecutor

    # Import the stages (and build their grammars) once here, so forked workers start warm.
    import notecheck.archival
    import notecheck.numbering
    import notecheck.resolver
    import notecheck.split  # noqa: F401

    workers = min(jobs, len(inputs), os.cpu_count() or jobs)
    try:
        pool = ProcessPoolExecutor(
            max_workers=max(1, workers), initializer=_start_worker, initargs=(bibliography, config)
        )
    except Exception as error:  # a platform without worker processes
        raise _NoWorkers() from error
    try:
        try:
            futures: list[Future[DocumentReport] | None] = [
                None if path == "-" else pool.submit(_check_in_worker, path) for path in inputs
            ]
        except Exception as error:
            raise _NoWorkers() from error
        for index, path in enumerate(inputs):
            future, futures[index] = futures[index], None  # a done future holds its document
            if future is None:
                yield _check_one(path, bibliography, config, stdin)
                continue
            try:
                document = future.result()
            except Exception as error:  # a worker that died, a result that cannot be pickled
                for pending in futures:
                    if pending is not None:
                        pending.cancel()
                raise _NoWorkers() from error
            del future
            yield document
            del document
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
        bibliography = load_bibliography(path, cache=True)
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


class _Settled:
    """Keeps the cyclic garbage collector out of a document's stages.

    The stages build millions of small objects that live as long as the document (the edition,
    its citations, their spans) and almost no cyclic garbage (reference counting frees the
    rest), so every collection during them would only walk the same live objects again: about a
    third of the time of a large document. The collector is switched off while the document is
    checked; :meth:`settle`, after each stage, collects the youngest generation once (what the
    stage built: one walk over it) and moves what is alive into the permanent generation
    (``gc.freeze``); :meth:`release` does the same for the last stages, puts it all in the oldest
    generation (``gc.unfreeze``, which walks nothing) and switches the collector back on, so the
    caller's process is as it was. The young collection matters: pyparsing leaves reference
    cycles (a frame holding the exception whose traceback holds the frame), and a finished frame
    keeps its callers' frames, and so the whole document, alive; frozen, such a cycle would keep
    a document in memory after the caller let it go. Does nothing when the collector is off or
    something else has frozen objects (that is the caller's state, not ours to change).
    """

    def __init__(self) -> None:
        self.active = gc.isenabled() and gc.get_freeze_count() == 0
        if self.active:
            gc.disable()

    def settle(self) -> None:
        if self.active:
            gc.collect(0)
            gc.freeze()

    def release(self) -> None:
        if self.active:
            self.active = False
            gc.collect(0)
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _check_one(
    path: str | Path,
    bibliography: Bibliography | None,
    config: Config,
    stdin: bytes | None,
    data: bytes | None = None,
) -> DocumentReport:
    settled = _Settled()
    try:
        return _check_stages(path, bibliography, config, stdin, data, settled)
    finally:
        settled.release()


def _check_stages(
    path: str | Path,
    bibliography: Bibliography | None,
    config: Config,
    stdin: bytes | None,
    data: bytes | None,
    settled: _Settled,
) -> DocumentReport:
    from notecheck.archival import check_archival
    from notecheck.numbering import check_numbering
    from notecheck.resolver import resolve
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
        reason = error.strerror or str(error)
        if path != "-" and Path(path).is_dir():
            reason = f"a folder with no edition files ({' '.join(FORMATS_BY_EXTENSION)})"
        document.diagnostics.append(UNREADABLE_PATH.at(span, path=shown, reason=reason))
        return document
    except Exception as error:
        document.diagnostics.append(
            INTERNAL_ERROR.at(Span(shown, 1, 1, 1, 1), stage="reading", error=repr(error))
        )
        return document
    settled.settle()
    document.edition = edition
    document.format = edition.format
    document.diagnostics.extend(edition.diagnostics)
    document.diagnostics.extend(
        _guard(document, "checking the numbering", lambda: check_numbering(edition), [])
    )
    parsed = _guard(document, "parsing citations", lambda: parse_edition(edition), ParsedEdition(edition))
    document.parsed = parsed
    settled.settle()
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


def _report_unused(report: BibliographyReport, used: set[str]) -> None:
    from notecheck.resolver import unused_entries

    assert report.bibliography is not None
    unused, diagnostics = unused_entries(report.bibliography, used)
    report.unused = unused
    report.diagnostics.extend(diagnostics)


class _Finisher:
    """Selects, fingerprints, suppresses and sorts diagnostics, remembering accepted findings
    that matched (the ones that did not are reported once every document is finished)."""

    def __init__(self, config: Config, baseline: Baseline) -> None:
        self.config = config
        self.accepted = {(a.code, a.fingerprint): a for a in config.accept}
        self.known = baseline.keys
        self.matched: set[tuple[str, str]] = set()
        self.select = (*config.select, *config.extend_select)

    def suppress(self, diagnostic: Diagnostic) -> Diagnostic:
        key = (diagnostic.code, diagnostic.fingerprint)
        if key in self.accepted:
            self.matched.add(key)
            return replace(
                diagnostic, suppressed=True, suppression="accepted", justification=self.accepted[key].reason
            )
        if key in self.known:
            return replace(diagnostic, suppressed=True, suppression="baseline")
        return diagnostic

    def finish(
        self, diagnostics: list[Diagnostic], path: str | None, sources: dict[str, Source]
    ) -> list[Diagnostic]:
        config = self.config
        ignore = (*config.ignore, *_per_file_ignores(config, path))
        kept = [d for d in diagnostics if is_selected(d.code, self.select, ignore)]
        kept = [self.suppress(d) for d in fingerprint(kept, sources, config.root)]
        return sorted(kept, key=lambda d: d.sort_key)

    def finish_rest(self, report: Report, sources: dict[str, Source]) -> None:
        """The bibliography's and the tool's findings, and NC908 for accepts that matched nothing."""
        report.bibliography.diagnostics = self.finish(
            report.bibliography.diagnostics, report.bibliography.path, sources
        )
        report.diagnostics = self.finish(report.diagnostics, None, sources)
        unmatched = self.finish(_unmatched_accepts(self.config, self.matched, self.select), None, sources)
        report.diagnostics = sorted([*report.diagnostics, *unmatched], key=lambda d: d.sort_key)


def _finish(report: Report, config: Config, baseline: Baseline) -> None:
    """Select, fingerprint, suppress and sort the diagnostics of every part of a whole report."""
    finisher = _Finisher(config, baseline)
    sources = report.sources
    for document in report.documents:
        document.diagnostics = finisher.finish(document.diagnostics, document.path, sources)
    finisher.finish_rest(report, sources)


def _unmatched_accepts(
    config: Config, matched: set[tuple[str, str]], select: Sequence[str]
) -> list[Diagnostic]:
    """NC908 for accepted findings of selected codes that this run did not find."""
    shown = config.shown_file
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
    stable: dict[str, str] = {}  # each path resolved once
    for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key):
        path = diagnostic.span.path
        if path not in stable:
            stable[path] = _stable_path(path, root)
        basis = "\0".join((diagnostic.code, stable[path], _context(diagnostic, sources)))
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
