"""The ``notecheck`` command line (see the contract for commands, options and exit codes).

Exit codes: 0 no error-level finding, 1 at least one, 2 usage error or no input readable at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

COMMANDS = ("check", "fix", "baseline", "rules", "explain", "suggest-bib")
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with the contract's usage code (2) and never prints a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"notecheck: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _add_check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="files or folders to check; '-' reads standard input")
    parser.add_argument("--bib", help="the bibliography (BibTeX or CSL-JSON)")
    parser.add_argument("--format", default="text", choices=["text", "json"], help="report format")
    parser.add_argument("--output", "-o", help="write the report to this file")
    parser.add_argument("--select", help="comma-separated codes or prefixes to enable")
    parser.add_argument("--ignore", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--extend-select", help="codes or prefixes to enable on top of the selection")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even with errors")
    parser.add_argument("--input-format", choices=["text", "markdown", "tei", "docx", "latex"])
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list the notes")


def build_parser() -> argparse.ArgumentParser:
    from notecheck import __version__

    parser = _Parser(prog="notecheck", description="Check the endnotes of a scholarly edition.")
    parser.add_argument("--version", action="version", version=f"notecheck {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    _add_check_options(commands.add_parser("check", help="check editions (the default command)"))
    commands.add_parser("rules", help="list the rules")
    explain = commands.add_parser("explain", help="print one rule's documentation")
    explain.add_argument("code")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
        if args.command == "rules":
            return _rules()
        if args.command == "explain":
            return _explain(args.code)
        return _check(args)
    except SystemExit as done:
        return int(done.code) if isinstance(done.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        print("notecheck: interrupted", file=sys.stderr)
        return 130


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in value.split(",") if c.strip()) if value else ()


def _check(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from notecheck.check import check
    from notecheck.config import load_config
    from notecheck.report import render

    config = load_config()
    if args.select:
        config = replace(config, select=_codes(args.select))
    if args.ignore:
        config = replace(config, ignore=(*config.ignore, *_codes(args.ignore)))
    if args.extend_select:
        config = replace(config, extend_select=(*config.extend_select, *_codes(args.extend_select)))
    if args.input_format:
        config = replace(config, input_format=args.input_format)
    paths = list(args.paths) or [str(config.resolve_path(p)) for p in config.paths]
    if not paths:
        print(
            "notecheck: error: no paths given and none configured ('paths' in [tool.notecheck])",
            file=sys.stderr,
        )
        return EXIT_USAGE
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    report = check(paths, bib=args.bib, config=config, stdin=stdin)
    options: dict[str, object] = {}
    if args.format == "text":
        options = {"verbose": args.verbose, "quiet": args.quiet}
    output = render(report, args.format, **options)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    if report.documents and all(d.edition is None for d in report.documents):
        return EXIT_USAGE
    return EXIT_OK if args.exit_zero else report.exit_code


def _rules() -> int:
    from notecheck.rules import all_rules

    for rule in all_rules():
        print(f"{rule.code}  {rule.slug:<32} {rule.severity:<8} {rule.what.splitlines()[0]}")
    return EXIT_OK


def _explain(code: str) -> int:
    from notecheck.rules import get_rule

    found = get_rule(code)
    if found is None:
        print(f"notecheck: error: no rule {code!r} (see 'notecheck rules')", file=sys.stderr)
        return EXIT_USAGE
    print(f"# {found.code} {found.slug} ({found.severity})\n\n{found.doc}")
    return EXIT_OK


def entry_point() -> None:
    """The console script."""
    raise SystemExit(main())


if __name__ == "__main__":
    entry_point()
