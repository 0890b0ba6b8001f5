"""The ``notecheck`` command line (see the contract for commands, options and exit codes).

Commands: ``check`` (the default: bare ``notecheck`` checks the configured paths), ``fix``,
``baseline``, ``rules``, ``explain``, ``suggest-bib``. Exit codes: 0 no error-level finding,
1 at least one (the report is still written), 2 usage error or no input readable at all. A
usage error prints a message, never a traceback. Heavy modules (the stages, rich) are imported
only when a command needs them, so ``notecheck --version`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from notecheck.config import Config
    from notecheck.models import Fix
    from notecheck.pipeline import DocumentReport, Report

COMMANDS = ("check", "fix", "baseline", "rules", "explain", "suggest-bib")
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "html")
#: A progress bar is shown on a terminal when at least this many files are checked.
PROGRESS_MIN_FILES = 20
#: ``fix`` re-checks and applies fixes again at most this many times per file.
MAX_FIX_PASSES = 10


class UsageError(Exception):
    """A mistake on the command line: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that exits with the contract's usage code (2) and never prints a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"notecheck: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders to check; '-' reads standard input"
    )
    parser.add_argument("--bib", metavar="FILE", help="the bibliography (BibTeX or CSL-JSON)")
    parser.add_argument("--config", metavar="FILE", help="use this configuration file instead of searching")
    parser.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated codes or prefixes to enable (replaces the configured)",
    )
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to disable")
    parser.add_argument(
        "--extend-select", metavar="CODES", help="codes or prefixes to enable on top of the selection"
    )
    parser.add_argument(
        "--input-format", choices=["text", "markdown", "tei", "docx", "latex"], help="read every input as"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list the notes and suppressed findings"
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=1, metavar="N", help="check files in N processes (0: one per CPU)"
    )


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", default="text", choices=FORMATS, help="report format (default: text)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to this file")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not in this baseline")
    parser.add_argument("--no-baseline", action="store_true", help="ignore the configured baseline")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even with error-level findings")
    parser.add_argument("--statistics", action="store_true", help="count the findings per code")
    parser.add_argument(
        "--color", choices=["auto", "always", "never"], default="auto", help="colour the text report"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    from notecheck import __version__

    parser = _Parser(
        prog="notecheck",
        description="Check the endnotes of a scholarly edition against its bibliography.",
        epilog="Without a command, 'check' runs. 'notecheck explain CODE' documents a rule.",
    )
    parser.add_argument("--version", action="version", version=f"notecheck {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    check = commands.add_parser("check", help="check editions and print the report (the default)")
    _add_input_options(check)
    _add_report_options(check)

    fix = commands.add_parser("fix", help="apply the safe fixes in place")
    _add_input_options(fix)
    fix.add_argument("--diff", action="store_true", help="print a unified diff and write nothing")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes marked unsafe")
    fix.add_argument("--baseline", metavar="FILE", help="a baseline (its findings are fixed as well)")
    fix.add_argument("--exit-zero", action="store_true", help="exit 0 even if errors remain")
    fix.add_argument("--color", choices=["auto", "always", "never"], default="auto")

    baseline = commands.add_parser("baseline", help="record today's findings in a baseline file")
    _add_input_options(baseline)
    baseline.add_argument("--output", "-o", metavar="FILE", required=True, help="the baseline file to write")

    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--format", default="text", choices=["text", "json", "markdown"])
    rules.add_argument("--output", "-o", metavar="FILE", help="write to this file")

    explain = commands.add_parser("explain", help="print one rule's documentation")
    explain.add_argument("code", metavar="CODE", help="a rule code (NC401) or name")

    suggest = commands.add_parser("suggest-bib", help="BibTeX for works cited in full but missing")
    _add_input_options(suggest)
    suggest.add_argument("--output", "-o", metavar="FILE", help="write the entries to this file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    _tolerate_unencodable_output()
    if len(args_list) > 1:
        _hint_misspelt_command(args_list[1])
    try:
        args = build_parser().parse_args(args_list)
        if args.command == "rules":
            return _rules(args)
        if args.command == "explain":
            return _explain(args.code)
        if args.command == "fix":
            return _fix(args)
        if args.command == "baseline":
            return _baseline(args)
        if args.command == "suggest-bib":
            return _suggest_bib(args)
        return _check(args)
    except UsageError as error:
        print(f"notecheck: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as done:
        return int(done.code) if isinstance(done.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        print("notecheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise  # the console script handles a closed pipe (`notecheck | head`)
    except Exception as error:  # a bug in notecheck: a message, not a traceback (exit 2)
        if os.environ.get("NOTECHECK_TRACEBACK"):
            raise
        print(
            f"notecheck: internal error: {error!r}; please report it "
            "(set NOTECHECK_TRACEBACK=1 to see where it happened)",
            file=sys.stderr,
        )
        return EXIT_USAGE


def _hint_misspelt_command(first: str) -> None:
    """``notecheck chekc``: the word is read as a path (``check`` is the default command); when
    no such file exists and it is close to a command name, say so on standard error."""
    import difflib

    if first.startswith("-") or first in COMMANDS or os.path.exists(first):
        return
    close = difflib.get_close_matches(first, COMMANDS, n=1, cutoff=0.7)
    if close:
        print(f"notecheck: no file {first!r}; did you mean the command '{close[0]}'?", file=sys.stderr)


def _tolerate_unencodable_output() -> None:
    """On a terminal that cannot show every character, escape it instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


# --- shared pieces ------------------------------------------------------------------------------


def _selectors(value: str | None, option: str) -> tuple[str, ...]:
    """Comma-separated codes or prefixes; each must name at least one rule (else exit 2)."""
    from notecheck.rules import parse_selectors

    try:
        return parse_selectors(value)
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None


def _config(args: argparse.Namespace) -> Config:
    """The configuration (found upward, or ``--config``) with the command line's selection on top."""
    from dataclasses import replace

    from notecheck.config import load_config

    if args.config:
        file = Path(args.config)
        if not file.is_file():
            raise UsageError(f"--config: cannot read {args.config}")
        config = load_config(file=file)
    else:
        config = load_config()
    select = _selectors(args.select, "--select")
    config = config.with_selection(
        select=select or None,
        ignore=_selectors(args.ignore, "--ignore"),
        extend_select=_selectors(args.extend_select, "--extend-select"),
    )
    if args.input_format:
        config = replace(config, input_format=args.input_format)
    if args.verbose:
        where = config.file.as_posix() if config.file is not None else "none found (defaults)"
        print(f"notecheck: configuration: {where}", file=sys.stderr)
    return config


def _jobs(args: argparse.Namespace) -> int:
    if args.jobs < 0:
        raise UsageError("-j: the number of processes must be 0 (one per CPU) or more")
    return args.jobs or os.cpu_count() or 1


def _paths(args: argparse.Namespace, config: Config) -> list[str]:
    paths = list(args.paths) or [str(config.resolve_path(p)) for p in config.paths]
    if not paths:
        problems = [d for d in config.diagnostics if d.code == "NC902"]
        if problems:  # the configuration could not be read: say why, not only that paths are missing
            where = problems[0].span
            raise UsageError(
                f"no paths given, and the configuration could not be used: "
                f"{where.path}:{where.line}: {problems[0].message}"
            )
        raise UsageError("no paths given and none configured ('paths' in [tool.notecheck])")
    if paths.count("-") > 1:
        raise UsageError("'-' (standard input) can be given only once")
    return paths


def _stdin(paths: Sequence[str]) -> bytes | None:
    return sys.stdin.buffer.read() if "-" in paths else None


def _run_check(
    args: argparse.Namespace,
    config: Config,
    paths: list[str],
    *,
    baseline: Any = None,
    stdin: bytes | None = None,
    bib: Any = None,
) -> Report:
    """Run :func:`notecheck.pipeline` with the command line's options and a progress bar
    (``bib``: a bibliography to use instead of ``--bib``)."""
    from notecheck.pipeline import check

    progress = _ProgressBar(enabled=not args.quiet and _is_terminal(sys.stderr))
    started = time.perf_counter()
    try:
        report = check(
            paths,
            bib=bib if bib is not None else args.bib,
            config=config,
            stdin=stdin if stdin is not None else _stdin(paths),
            baseline=baseline,
            jobs=_jobs(args),
            progress=progress,
        )
    finally:
        progress.close()
    if args.verbose:
        elapsed = time.perf_counter() - started
        print(f"notecheck: checked {len(report.documents)} file(s) in {elapsed:.2f} s", file=sys.stderr)
    return report


def _nothing_read(report: Report) -> bool:
    return bool(report.documents) and all(d.edition is None for d in report.documents)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(choice: str, stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Whether to colour: ``always``/``never``, or on ``auto`` a terminal without ``NO_COLOR``.

    ``--color always`` wins over ``NO_COLOR`` (the NO_COLOR convention lets an explicit option
    override it); ``TERM=dumb`` turns ``auto`` off.
    """
    environ = dict(os.environ) if environ is None else environ
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR", ""):
        return False
    if environ.get("TERM") == "dumb":
        return False
    return _is_terminal(stream)


class _ProgressBar:
    """A rich progress bar on standard error, started only once many files are under way."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int, path: str) -> None:
        if not self.enabled or total < PROGRESS_MIN_FILES:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("checking", total=total)
        self.bar.update(self.task, completed=done, description=f"checking {path[-40:]}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _output_target(output: str | None, args: argparse.Namespace, config: Config, paths: list[str]) -> None:
    """Check ``--output`` before the check, not after it.

    A folder, or a file in a folder that does not exist, is a usage error; so is a file being
    checked (named, or found in a folder being checked), the bibliography or the baseline
    ``check`` compares with: writing there would destroy it. Other write errors are found when
    writing.
    """
    if output is None:
        return
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"cannot write {output}: Is a directory")
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {output}: No such file or directory")
    if not target.is_file():
        return
    from notecheck.pipeline import expand_paths

    def same(given: Path) -> bool:
        try:
            return given.is_file() and os.path.samefile(given, target)
        except OSError:
            return False

    read: list[Path] = expand_paths([p for p in paths if p != "-"], config.exclude)
    bib = args.bib or (str(config.resolve_path(config.bibliography)) if config.bibliography else None)
    read += [Path(bib)] if bib else []
    if args.command == "check" and not args.no_baseline:  # `baseline` rewrites its baseline on purpose
        known = args.baseline or (str(config.resolve_path(config.baseline)) if config.baseline else None)
        read += [Path(known)] if known else []
    if any(same(given) for given in read):
        raise UsageError(
            f"--output {output} is one of the files this command reads; writing it would destroy it"
        )


def _write_output(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


# --- check --------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from notecheck.baseline import Baseline

    if args.statistics and args.format not in ("text", "json"):
        raise UsageError("--statistics works with --format text or json")
    config = _config(args)
    paths = _paths(args, config)
    _output_target(args.output, args, config, paths)
    baseline: Any = Baseline() if args.no_baseline else args.baseline
    if args.baseline and not Path(args.baseline).is_file():
        raise UsageError(f"--baseline: cannot read {args.baseline}")
    if args.format == "json" and not args.statistics:
        report, read_any = _stream_json(args, config, paths, baseline=baseline)
        if not read_any and report.summary.documents:
            return EXIT_USAGE
        return EXIT_OK if args.exit_zero else report.exit_code
    report = _run_check(args, config, paths, baseline=baseline)
    _write_report(report, args)
    if _nothing_read(report):
        return EXIT_USAGE
    return EXIT_OK if args.exit_zero else report.exit_code


def _stream_json(
    args: argparse.Namespace, config: Config, paths: list[str], *, baseline: Any
) -> tuple[Report, bool]:
    """Check and write the JSON report document by document, so memory holds one at a time.

    Returns the report (its totals, not its documents) and whether any input could be read.
    """
    from notecheck.pipeline import Run
    from notecheck.report.json import write_run

    progress = _ProgressBar(enabled=not args.quiet and _is_terminal(sys.stderr))
    run = Run(
        paths,
        bib=args.bib,
        config=config,
        stdin=_stdin(paths),
        baseline=baseline,
        jobs=_jobs(args),
        progress=progress,
    )
    try:
        if args.output is None:
            report = write_run(run, sys.stdout)
            sys.stdout.flush()
        else:
            try:
                with open(args.output, "w", encoding="utf-8", newline="\n") as stream_out:
                    report = write_run(run, stream_out)
            except OSError as error:
                raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
    finally:
        progress.close()
    return report, run.counts["read"] > 0


def _write_report(report: Report, args: argparse.Namespace) -> None:
    from notecheck import report as formats

    if args.statistics:
        _write_output(_statistics(report, args), args.output)
        return
    options: dict[str, Any] = {}
    if args.format == "text":
        stream = sys.stdout if args.output is None else None
        options = {
            "verbose": args.verbose,
            "quiet": args.quiet,
            "color": use_color(args.color, stream) if stream is not None else args.color == "always",
        }
    if args.output is None:
        formats.write(report, args.format, sys.stdout, **options)
        sys.stdout.flush()
        return
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as stream_out:
            formats.write(report, args.format, stream_out, **options)
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None


def _statistics(report: Report, args: argparse.Namespace) -> str:
    from collections import Counter

    from notecheck.report.text import Style, fixable_paths, is_fixable, statistics_lines, summary_line

    active = report.active_diagnostics()
    writable = fixable_paths(report)
    if args.format == "json":
        import json

        from notecheck.rules import get_rule

        counts = Counter(d.code for d in active)
        fixable = {d.code for d in active if is_fixable(d, writable)}
        rows = []
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            found = get_rule(code)
            rows.append(
                {
                    "code": code,
                    "name": found.slug if found else "",
                    "count": count,
                    "fixable": code in fixable,
                }
            )
        return json.dumps(rows, indent=1) + "\n"
    style = Style(use_color(args.color, sys.stdout) if args.output is None else args.color == "always")
    lines = statistics_lines(active, style, writable)
    return "\n".join([*lines, summary_line(report, style)]) + "\n"


# --- fix ----------------------------------------------------------------------------------------


def _fix(args: argparse.Namespace) -> int:
    """Apply fixes, re-checking after each pass, then write atomically (or print a diff).

    With ``-`` the fixed text goes to standard output and the report to standard error.
    """
    from notecheck.pipeline import check
    from notecheck.readers.decode import encode

    config = _config(args)
    paths = _paths(args, config)
    if args.baseline and not Path(args.baseline).is_file():
        raise UsageError(f"--baseline: cannot read {args.baseline}")
    stdin = _stdin(paths)
    report = _run_check(args, config, paths, baseline=args.baseline, stdin=stdin)
    if _nothing_read(report):
        _print_report(report, args, sys.stdout)
        return EXIT_USAGE
    loaded = report.bibliography.bibliography
    bibliography: Any = loaded if loaded is not None else args.bib
    fixed: dict[str, tuple[DocumentReport, str, bytes, int]] = {}
    for document in report.documents:
        result = _fix_document(document, args, config, bibliography)
        if result is None:
            continue
        assert document.edition is not None
        text, applied = result
        try:
            fixed[document.path] = (document, text, encode(document.edition.source, text), applied)
        except UnicodeEncodeError as error:
            print(
                f"notecheck: {document.path}: not fixed, a fix does not fit its encoding "
                f"{document.edition.source.encoding} ({error.reason})",
                file=sys.stderr,
            )
    final = report
    if fixed:
        final = check(
            paths,
            bib=bibliography,
            config=config,
            stdin=fixed["-"][2] if "-" in fixed else stdin,
            baseline=args.baseline,
            contents={p: f[2] for p, f in fixed.items() if p != "-"},
        )
    if args.diff:
        _print_diffs(fixed)
    elif not _write_fixed(fixed, stdin):
        return EXIT_USAGE
    stream = sys.stderr if args.diff or stdin is not None else sys.stdout
    if not args.diff:
        _print_report(final, args, stream)
    if not args.quiet:
        applied = sum(f[3] for f in fixed.values())
        verb = "would apply" if args.diff else "applied"
        print(
            f"notecheck: {verb} {applied} fix(es) in {len(fixed)} file(s)",
            file=sys.stderr if args.diff else stream,
        )
    return EXIT_OK if args.exit_zero else final.exit_code


def _print_diffs(fixed: dict[str, tuple[DocumentReport, str, bytes, int]]) -> None:
    import difflib

    for path, (document, text, _, _) in fixed.items():
        assert document.edition is not None
        old = document.edition.source.text.splitlines(keepends=True)
        new = text.splitlines(keepends=True)
        sys.stdout.writelines(difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}"))
    sys.stdout.flush()


def _write_fixed(fixed: dict[str, tuple[DocumentReport, str, bytes, int]], stdin: bytes | None) -> bool:
    """Write every fixed file atomically; the fixed standard input goes to standard output."""
    from notecheck.fixes import write_atomically

    for path, (_, _, data, _) in fixed.items():
        if path == "-":
            continue
        try:
            write_atomically(Path(path), data)
        except OSError as error:
            print(f"notecheck: cannot write {path}: {error.strerror or error}", file=sys.stderr)
            return False
    if stdin is not None:
        out = fixed["-"][2] if "-" in fixed else stdin
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(out)
            buffer.flush()
        else:
            sys.stdout.write(out.decode("utf-8", errors="replace"))
    return True


def _fix_document(
    document: DocumentReport, args: argparse.Namespace, config: Config, bibliography: Any
) -> tuple[str, int] | None:
    """The document's text after every applicable fix, and how many were applied (None: none).

    Fixes that overlap are applied over several passes: after each pass the new text is checked
    again (in memory) and the fixes still found are applied, until none is left.
    """
    from notecheck.fixes import apply_fixes, plan_fixes
    from notecheck.pipeline import check
    from notecheck.readers.decode import encode

    edition = document.edition
    if edition is None or not edition.source.text:
        return None
    source = edition.source
    fixes = _fixes(document, source.path, args.unsafe_fixes)
    if fixes and not edition.fixable:
        print(
            f"notecheck: {document.path}: fixes are not written back to {edition.format} files",
            file=sys.stderr,
        )
        return None
    text, applied = source.text, 0
    for _ in range(MAX_FIX_PASSES):
        edits = plan_fixes(text, fixes, unsafe=args.unsafe_fixes)
        if not edits:
            break
        text = apply_fixes(text, fixes, unsafe=args.unsafe_fixes)
        applied += len(edits)
        try:
            data = encode(source, text)
        except UnicodeEncodeError:
            break  # reported by the caller, which encodes again
        path = document.path
        again = check(
            [path],
            bib=bibliography,
            config=config,
            stdin=data if path == "-" else None,
            baseline=args.baseline,
            contents={path: data} if path != "-" else None,
        )
        fixes = _fixes(again.documents[0], source.path, args.unsafe_fixes) if again.documents else []
    return (text, applied) if applied else None


def _fixes(document: DocumentReport, path: str, unsafe: bool) -> list[Fix]:
    """The fixes to apply: of every finding not accepted in the configuration."""
    return [
        d.fix
        for d in document.diagnostics
        if d.fix is not None
        and d.suppression != "accepted"
        and d.fix.span.path == path
        and (unsafe or d.fix.applicability == "safe")
    ]


def _print_report(report: Report, args: argparse.Namespace, stream: TextIO) -> None:
    from notecheck.report import text

    text.write(
        report,
        stream,
        color=use_color(args.color, stream),
        quiet=args.quiet,
        verbose=args.verbose,
    )


# --- baseline, suggest-bib, rules, explain ------------------------------------------------------


def _baseline(args: argparse.Namespace) -> int:
    from notecheck.baseline import Baseline, baseline_from_diagnostics, write_baseline

    config = _config(args)
    paths = _paths(args, config)
    _output_target(args.output, args, config, paths)
    report = _run_check(args, config, paths, baseline=Baseline())
    if _nothing_read(report):
        _print_report(report, args, sys.stderr)
        return EXIT_USAGE
    baseline = baseline_from_diagnostics(report.all_diagnostics())
    try:
        write_baseline(baseline, args.output)
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
    if not args.quiet:
        print(f"notecheck: recorded {len(baseline)} finding(s) in {args.output}")
    return EXIT_OK


def _suggest_bib(args: argparse.Namespace) -> int:
    """BibTeX for the works cited in full but missing from the bibliography; with no
    bibliography at all (neither ``--bib`` nor the configuration), every work cited in full."""
    config = _config(args)
    paths = _paths(args, config)
    _output_target(args.output, args, config, paths)
    bib: Any = None
    if args.bib is None and config.bibliography is None:
        from notecheck.bibliography import Bibliography

        bib = Bibliography("<no bibliography>")
    report = _run_check(args, config, paths, bib=bib)
    if _nothing_read(report):
        _print_report(report, args, sys.stderr)
        return EXIT_USAGE
    suggested: dict[str, None] = {}
    for document in report.documents:
        for entry in document.resolution.suggested_entries:
            suggested.setdefault(entry.strip(), None)
    if not suggested:
        if not args.quiet:
            print("notecheck: no entries to suggest", file=sys.stderr)
        return EXIT_OK
    _write_output("\n\n".join(suggested) + "\n", args.output)
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from notecheck.report.catalogue import rules_json, rules_markdown, rules_table
    from notecheck.rules import all_rules

    rules = all_rules()
    render = {"text": rules_table, "json": rules_json, "markdown": rules_markdown}[args.format]
    _write_output(render(rules), args.output)
    return EXIT_OK


def _explain(code: str) -> int:
    from notecheck.report.catalogue import explain
    from notecheck.rules import get_rule

    found = get_rule(code)
    if found is None:
        raise UsageError(f"no rule {code!r} (see 'notecheck rules')")
    sys.stdout.write(explain(found))
    return EXIT_OK


def entry_point() -> None:
    """The console script."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `notecheck | head`: the reader went away; that is not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FINDINGS
    raise SystemExit(code)


if __name__ == "__main__":
    entry_point()
