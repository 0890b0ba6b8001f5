"""Stage report, for pytest: ``pytest --notecheck`` makes every note of an edition a test item.

Registered through the ``pytest11`` entry point and off unless asked for. With ``--notecheck``
the editions the configuration names (``[tool.notecheck] paths`` of the rootdir's configuration)
are collected like test files, and each yields

* ``edition/kanatchikov.txt::edition`` -- document-level findings (numbering, note calls,
  anything not inside a note);
* ``edition/kanatchikov.txt::note-30`` -- one item per note (a repeated number gets
  ``note-30#2``, a note without a number ``note-#<index>``);

and the bibliography and the configuration file yield ``bibliography.bib::bibliography`` and
``pyproject.toml::configuration``. An item fails with its findings rendered as in the text
report (source line, caret, fix), never a traceback. Findings below ``--notecheck-fail-on``
(default ``error``, like the command's exit code) that are warnings become pytest warnings.

The whole check runs once per session, in the controller under pytest-xdist (the workers get its
results), and its results are kept in pytest's cache keyed by a hash of the editions, the
bibliography, the configuration, the baseline, the options and the tool, so an unchanged
edition is not checked again. The fixture ``notecheck_report`` gives a test the full
:class:`notecheck.pipeline.Report`.

This module is imported by every pytest run in an environment where notecheck is installed, so
at import it loads pytest and the standard library only; notecheck's stages are imported when
``--notecheck`` is given or the fixture is used.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from notecheck.config import Config as NotecheckConfig
    from notecheck.models import Diagnostic, Source
    from notecheck.pipeline import Report

#: Bumped when the shape of cached results changes.
RESULTS_VERSION = 1
CACHE_KEY = "notecheck/results"
WORKER_INPUT_KEY = "notecheck_results"
FAIL_ON = ("error", "warning", "info")
_RANK = {"info": 0, "warning": 1, "error": 2}
#: Rules about the sequence of notes and their calls, not one note's text: reported on the
#: ``edition`` item even when they name a note (a gap, a repeated or out-of-order number, calls).
SEQUENCE_RULES = frozenset({"NC104", "NC105", "NC106", "NC110", "NC111"})


class NotecheckFailure(Exception):
    """An item's findings: raised by :meth:`NotecheckItem.runtest`, shown without a traceback."""


class NotecheckWarning(UserWarning):
    """A warning-level finding below ``--notecheck-fail-on``, reported as a pytest warning."""


# --- results: what the items need, JSON-ready for pytest's cache and xdist's workers -------------


@dataclass(frozen=True)
class ItemResult:
    """What one item shows: the file it belongs to, its name, and its rendered findings."""

    file: str  # the resolved path of the file the item is collected from
    name: str  # "note-30", "edition", "bibliography", "configuration"
    line: int | None  # 1-based line the item points at (a note's number), if any
    failures: tuple[str, ...] = ()  # rendered findings that fail the item
    warnings: tuple[str, ...] = ()  # rendered findings reported as pytest warnings

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "name": self.name,
            "line": self.line,
            "failures": list(self.failures),
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ItemResult:
        return cls(
            str(data["file"]),
            str(data["name"]),
            int(data["line"]) if data.get("line") is not None else None,
            tuple(str(t) for t in data["failures"]),
            tuple(str(t) for t in data["warnings"]),
        )


@dataclass(frozen=True)
class Results:
    """Every item of a run, in collection order, and the report's one-line summary."""

    items: tuple[ItemResult, ...]
    summary: str

    @property
    def files(self) -> list[str]:
        """The files that hold items, in order of first appearance."""
        return list(dict.fromkeys(item.file for item in self.items))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": RESULTS_VERSION,
            "summary": self.summary,
            "items": [item.to_json() for item in self.items],
        }

    @classmethod
    def from_json(cls, data: Any) -> Results | None:
        """The results stored by :meth:`to_json`, or None for anything else (an old cache)."""
        if not isinstance(data, dict) or data.get("version") != RESULTS_VERSION:
            return None
        try:
            items = tuple(ItemResult.from_json(item) for item in data["items"])
            return cls(items, str(data["summary"]))
        except (KeyError, TypeError, ValueError):
            return None


def note_item_names(numbers: Sequence[int | None]) -> list[str]:
    """Item names for notes in document order: ``note-30``, ``note-30#2`` for a repeated number,
    ``note-#7`` (the note's 1-based index) for a note without a number.

    Args:
        numbers: each note's number after repair, None when it has none.
    """
    seen: dict[str, int] = {}
    names: list[str] = []
    for index, number in enumerate(numbers, start=1):
        base = f"note-{number}" if number is not None else f"note-#{index}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return names


@dataclass
class _Slot:
    file: Path
    name: str
    line: int | None
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def freeze(self) -> ItemResult:
        return ItemResult(
            self.file.as_posix(), self.name, self.line, tuple(self.failures), tuple(self.warnings)
        )


def results_from_report(
    report: Report, config_file: Path, fail_on: str = "error", base: Path | None = None
) -> Results:
    """Sort a report's active findings into items and render each as the text report does.

    Args:
        report: the report of :func:`notecheck.pipeline.check`.
        config_file: the configuration file (it holds the ``configuration`` item, and the
            ``bibliography`` item when there is no bibliography file).
        fail_on: the lowest severity that fails an item (``error``, ``warning`` or ``info``).
        base: the folder relative report paths are relative to (default: the working folder).
    """
    base = base or Path.cwd()

    def resolved(path: str | None) -> Path | None:
        if path is None or path == "-" or path.startswith("<"):
            return None
        found = (base / path).resolve()
        return found if found.is_file() else None

    config_file = config_file.resolve()
    configuration = _Slot(config_file, "configuration", None)
    slots: list[_Slot] = []
    placed: list[tuple[_Slot, list[Diagnostic]]] = []
    for document in report.documents:
        file = resolved(document.path)
        if file is None:
            placed.append((configuration, document.diagnostics))
            continue
        edition_slot = _Slot(file, "edition", None)
        slots.append(edition_slot)
        by_index: dict[int, _Slot] = {}
        notes = document.edition.notes if document.edition is not None else ()
        for note, name in zip(notes, note_item_names([n.number for n in notes]), strict=True):
            by_index[note.index] = _Slot(file, name, note.line)
            slots.append(by_index[note.index])
        for diagnostic in document.diagnostics:
            in_note = diagnostic.code not in SEQUENCE_RULES and diagnostic.note_index is not None
            target = by_index.get(diagnostic.note_index or 0, edition_slot) if in_note else edition_slot
            placed.append((target, [diagnostic]))
    bib_file = resolved(report.bibliography.path)
    bibliography = _Slot(bib_file or config_file, "bibliography", None)
    slots.extend([bibliography, configuration])
    placed.append((bibliography, report.bibliography.diagnostics))
    placed.append((configuration, report.diagnostics))

    from notecheck.report.text import fixable_paths

    render = _Renderer(report.sources, base, fixable_paths(report))
    threshold = _RANK[fail_on]
    for slot, diagnostics in placed:
        for diagnostic in diagnostics:
            if diagnostic.suppressed:
                continue
            rank = _RANK[str(diagnostic.severity)]
            if rank >= threshold:
                slot.failures.append(render(diagnostic))
            elif str(diagnostic.severity) == "warning":
                slot.warnings.append(render(diagnostic))
    return Results(tuple(slot.freeze() for slot in slots), _summary(report))


class _Renderer:
    """Renders findings with their source lines; reads a non-edition file (the bibliography,
    the configuration) once, when a finding points into it."""

    def __init__(
        self, sources: dict[str, Source], base: Path, writable: frozenset[str] | None = None
    ) -> None:
        self.sources: dict[str, Source | None] = dict(sources)
        self.base = base
        self.writable = writable  # the files `notecheck fix` writes back (not TEI, not .docx)

    def source(self, path: str) -> Source | None:
        if path not in self.sources:
            from notecheck.models import Source

            self.sources[path] = None
            if not path.startswith("<") and path != "-":
                try:
                    text = (self.base / path).read_bytes().decode("utf-8", errors="replace")
                except OSError:
                    return None
                self.sources[path] = Source(path, text)
        return self.sources[path]

    def __call__(self, diagnostic: Diagnostic) -> str:
        from notecheck.report.text import format_diagnostic, is_fixable

        source = self.source(diagnostic.span.path)
        fixable = is_fixable(diagnostic, self.writable)
        return "\n".join(format_diagnostic(diagnostic, source, fixable=fixable))


def _summary(report: Report) -> str:
    s = report.summary
    return (
        f"{s.documents} document(s), {s.notes} notes, {s.citations} citations: {s.errors} errors, "
        f"{s.warnings} warnings, {s.info} info, {s.suppressed} suppressed"
    )


# --- options and the run's state -----------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """The command line's ``--notecheck-*`` options, checked."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    baseline: Path | None = None
    no_baseline: bool = False
    fail_on: str = "error"

    @classmethod
    def from_config(cls, config: pytest.Config) -> Options:
        """Read and check the options (an unknown rule code is a usage error)."""
        baseline = config.getoption("notecheck_baseline")
        path = None
        if baseline:
            path = config.invocation_params.dir / baseline
            if not path.is_file():
                raise pytest.UsageError(f"--notecheck-baseline: cannot read {baseline}")
        return cls(
            select=_selectors(config.getoption("notecheck_select"), "--notecheck-select") or None,
            ignore=_selectors(config.getoption("notecheck_ignore"), "--notecheck-ignore"),
            baseline=path,
            no_baseline=bool(config.getoption("notecheck_no_baseline")),
            fail_on=str(config.getoption("notecheck_fail_on")),
        )

    def baseline_argument(self) -> Any:
        """What :func:`notecheck.pipeline.check` takes: ``Baseline()`` (none), a path, or None
        (the configured baseline)."""
        if self.no_baseline:
            from notecheck.baseline import Baseline

            return Baseline()
        return self.baseline


def _selectors(value: str | None, option: str) -> tuple[str, ...]:
    """Comma-separated codes or prefixes; each must name at least one rule."""
    from notecheck.rules import parse_selectors

    try:
        return parse_selectors(value)
    except ValueError as error:
        raise pytest.UsageError(f"{option}: {error}") from None


@dataclass
class _State:
    options: Options
    config: NotecheckConfig
    files: frozenset[Path]  # every file that holds items (resolved)
    results: Results | None = None
    origin: str = ""  # how the results were had: "checked", "cache", "controller"
    seconds: float = 0.0
    report: Report | None = None


_STATE = pytest.StashKey[_State]()


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("notecheck", False))


def _notecheck_config(config: pytest.Config, options: Options) -> NotecheckConfig:
    """The rootdir's notecheck configuration with the command line's selection on top."""
    from notecheck.config import load_config

    found = load_config(start=config.rootpath)
    return found.with_selection(select=options.select, ignore=options.ignore)


def _state(config: pytest.Config) -> _State:
    state = config.stash.get(_STATE, None)
    if state is None:
        options = Options.from_config(config)
        nc_config = _notecheck_config(config, options)
        state = _State(options, nc_config, frozenset(_item_files(nc_config)))
        config.stash[_STATE] = state
    return state


def _item_files(nc_config: NotecheckConfig) -> list[Path]:
    """The files that will hold items: the editions, the bibliography and the configuration."""
    from notecheck.pipeline import expand_paths

    files: list[Path] = []
    for given in nc_config.paths:
        if given == "-":
            continue
        files.extend(p.resolve() for p in expand_paths([nc_config.resolve_path(given)], nc_config.exclude))
    if nc_config.bibliography:
        files.append(nc_config.resolve_path(nc_config.bibliography).resolve())
    if nc_config.file is not None:
        files.append(nc_config.file.resolve())
    return [f for f in dict.fromkeys(files) if f.is_file()]


def _results(config: pytest.Config) -> Results:
    """The run's results: from the xdist controller, from pytest's cache, or checked now."""
    state = _state(config)
    if state.results is not None:
        return state.results
    workerinput = getattr(config, "workerinput", None)
    if isinstance(workerinput, dict) and WORKER_INPUT_KEY in workerinput:
        given = Results.from_json(workerinput[WORKER_INPUT_KEY])
        if given is not None:
            state.results, state.origin = given, "controller"
            return given
    cache = getattr(config, "cache", None)
    key = _cache_key(config, state)
    if cache is not None:
        stored = cache.get(CACHE_KEY, None)
        if isinstance(stored, dict) and stored.get("key") == key:
            cached = Results.from_json(stored.get("results"))
            if cached is not None:
                state.results, state.origin = cached, "cache"
                return cached
    started = time.perf_counter()
    report = _check(state)
    config_file = state.config.file or (config.rootpath / "pyproject.toml")
    state.results = results_from_report(report, config_file, state.options.fail_on)
    state.origin, state.seconds, state.report = "checked", time.perf_counter() - started, report
    if cache is not None:
        cache.set(CACHE_KEY, {"key": key, "results": state.results.to_json()})
    return state.results


def _check(state: _State) -> Report:
    from notecheck.pipeline import check

    return check(None, config=state.config, baseline=state.options.baseline_argument())


def _cache_key(config: pytest.Config, state: _State) -> str:
    """A hash of everything the results depend on.

    The editions, bibliography, configuration and baseline by content; the options; the
    folders paths are shown relative to; and the tool: its version and the size and time of
    every module of the installed package (so a changed rule is never served from the cache).
    """
    import notecheck

    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8", "surrogatepass") + b"\0")

    add(RESULTS_VERSION, notecheck.__version__, Path.cwd(), config.rootpath)
    add(json.dumps(state.options.__dict__, default=str, sort_keys=True))
    package = Path(notecheck.__file__).parent
    for module in sorted(package.rglob("*.py")):
        info = module.stat()
        add(module.relative_to(package).as_posix(), info.st_size, info.st_mtime_ns)
    inputs = list(state.files)
    baseline = state.options.baseline
    if baseline is None and not state.options.no_baseline and state.config.baseline:
        baseline = state.config.resolve_path(state.config.baseline)
    if baseline is not None:
        inputs.append(Path(baseline))
    for path in sorted(inputs):
        add(path)
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError as error:
            add(f"unreadable: {error}")
    return digest.hexdigest()


# --- pytest hooks, collectors and items ----------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("notecheck", "notecheck: check an edition's endnotes")
    group.addoption(
        "--notecheck",
        action="store_true",
        default=False,
        help="check the editions [tool.notecheck] names: one test item per note",
    )
    group.addoption(
        "--notecheck-select",
        metavar="CODES",
        default=None,
        help="comma-separated rule codes or prefixes to check (replaces the configured select)",
    )
    group.addoption(
        "--notecheck-ignore",
        metavar="CODES",
        default=None,
        help="comma-separated rule codes or prefixes to leave out (added to the configured ignore)",
    )
    group.addoption(
        "--notecheck-baseline",
        metavar="FILE",
        default=None,
        help="findings recorded in this baseline do not fail (default: the configured baseline)",
    )
    group.addoption(
        "--notecheck-no-baseline",
        action="store_true",
        default=False,
        help="ignore the configured baseline",
    )
    group.addoption(
        "--notecheck-fail-on",
        choices=FAIL_ON,
        default="error",
        help="lowest severity that fails an item (default: error, like notecheck's exit code)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "notecheck: an item of notecheck's check of an edition (--notecheck)")
    if not _enabled(config):
        return
    state = _state(config)
    if not state.config.paths:
        where = state.config.file.as_posix() if state.config.file is not None else "no configuration found"
        raise pytest.UsageError(f"--notecheck: no editions configured ('paths' in [tool.notecheck]; {where})")
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        _add_collection_arguments(config, state.files)


def _add_collection_arguments(config: pytest.Config, files: frozenset[Path]) -> None:
    """Collect the item files too when pytest was given no paths (testpaths or the working
    folder), unless a folder it collects already holds them."""
    here = config.invocation_params.dir
    given = [(here / arg.split("::")[0]).resolve() for arg in config.args]
    for file in sorted(files):
        if any(file == folder or folder in file.parents for folder in given):
            continue
        try:
            config.args.append(file.relative_to(here).as_posix())
        except ValueError:
            config.args.append(str(file))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> NotecheckFile | None:
    if not _enabled(parent.config):
        return None
    if file_path.resolve() in _state(parent.config).files:
        file: NotecheckFile = NotecheckFile.from_parent(parent, path=file_path)
        return file
    return None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist's controller: check once here and hand the results to every worker."""
    if _enabled(node.config):
        node.workerinput[WORKER_INPUT_KEY] = _results(node.config).to_json()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None or state.results is None:
        return
    how = {
        "checked": f"checked in {state.seconds:.2f} s",
        "cache": "from pytest's cache",
        "controller": "from the xdist controller",
    }[state.origin]
    terminalreporter.write_line(f"notecheck: {state.results.summary} ({how})")


class NotecheckFile(pytest.File):
    """An edition, the bibliography or the configuration file: it yields the items it holds."""

    def collect(self) -> Iterator[NotecheckItem]:
        results = _results(self.config)
        mine = self.path.resolve().as_posix()
        for result in results.items:
            if result.file == mine:
                yield NotecheckItem.from_parent(self, name=result.name, result=result)


class NotecheckItem(pytest.Item):
    """One note (or the edition, bibliography or configuration): fails with its findings."""

    def __init__(self, *, result: ItemResult, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result
        self.add_marker("notecheck")

    def runtest(self) -> None:
        for text in self.result.warnings:
            # Not ``self.warn``: pytest asserts an item's line there, and the edition, the
            # bibliography and the configuration items have none (the warning points at line 1).
            line = self.result.line if self.result.line is not None else 1
            warnings.warn_explicit(NotecheckWarning(text), None, str(self.path), line)
        if self.result.failures:
            codes = ", ".join(sorted({_code(text) for text in self.result.failures}))
            footer = (
                f"{len(self.result.failures)} finding(s) in {self.name} ({codes}); "
                "`notecheck explain CODE` documents a rule, `notecheck fix` applies the safe fixes"
            )
            raise NotecheckFailure("\n\n".join([*self.result.failures, footer]))

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> Any:
        if excinfo.errisinstance((NotecheckFailure, NotecheckWarning)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.result.line - 1 if self.result.line is not None else None
        return self.path, line, self.name


def _code(rendered: str) -> str:
    """The rule code of a rendered finding (``path:line:col: NC501 message``)."""
    found = re.search(r":\d+:\d+: (NC\d{3}) ", rendered.split("\n", 1)[0])
    return found.group(1) if found else "NC"


@pytest.fixture(scope="session")
def notecheck_report(pytestconfig: pytest.Config) -> Report:
    """The full :class:`notecheck.pipeline.Report` of the configured editions (with the
    ``--notecheck-*`` options), checked once per session."""
    state = _state(pytestconfig)
    if state.report is None:
        if not state.config.paths:
            pytest.fail(
                "notecheck_report: no editions configured ('paths' in [tool.notecheck])", pytrace=False
            )
        state.report = _check(state)
    return state.report
