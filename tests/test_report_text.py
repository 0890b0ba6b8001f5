"""The text report: ``path:line:col: CODE message``, source line, caret, fix, colour, summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notecheck.models import Diagnostic, Fix, Severity, Source, Span
from notecheck.report import render
from notecheck.report.text import MAX_SHOWN, Style, format_diagnostic, statistics_lines
from tests.test_report_helpers import make_document, make_edition, make_report

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_finding_line_source_caret_and_fix() -> None:
    out = render(make_report(), "text")
    lines = out.splitlines()
    head = lines.index("ed.txt:5:11: NC301 page range 47-49 should be written 47–49 [*]")
    assert lines[head + 2] == "5 | 2. Ibid., 47-49. See also Smith, Workers, 12."
    assert lines[head + 3] == "  |           ^^^^^"
    assert lines[head + 4] == "  = fix: replace '47-49' with '47–49'"
    assert "ed.txt:5:27: NC401 no bibliography entry matches 'Smith, Workers'" in lines


def test_summary_line_counts() -> None:
    last = render(make_report(), "text").splitlines()[-1]
    assert last.startswith("4 notes, 5 citations, 1 errors, 2 warnings, 1 info")
    assert "(1 fixable with `notecheck fix`)" in last


def test_quiet_prints_only_the_summary_and_never_colour_by_default() -> None:
    out = render(make_report(), "text", quiet=True)
    assert out.count("\n") == 1
    assert not ANSI.search(render(make_report(), "text"))


def test_colour_marks_severity_and_strips_to_the_plain_report() -> None:
    plain = render(make_report(), "text")
    coloured = render(make_report(), "text", color=True)
    assert "\x1b[1;31mNC401\x1b[0m" in coloured
    assert "\x1b[1;33mNC301\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == plain


def test_statistics_count_per_code() -> None:
    edition = make_edition()
    span = Span("ed.txt", 4, 1, 4, 3)
    found = [Diagnostic("NC905", Severity.ERROR, "x", span) for _ in range(3)]
    found.append(Diagnostic("NC301", Severity.WARNING, "y", span, fix=Fix("z", span)))
    report = make_report([make_document(edition, diagnostics=found)])
    out = render(report, "text", statistics=True).splitlines()
    assert re.fullmatch(r"3\s+NC905\s+unreadable-path", out[0])
    assert "[*]" in out[1] and "NC301" in out[1]
    assert out[-1].startswith("4 notes")
    assert statistics_lines([]) == []


def test_long_lines_are_cut_around_the_span() -> None:
    text = "x" * 5000 + "TARGET" + "y" * 5000
    source = Source("long.txt", text)
    start = text.index("TARGET")
    diagnostic = Diagnostic("NC401", Severity.ERROR, "here", source.span(start, start + 6))
    lines = format_diagnostic(diagnostic, source)
    shown = lines[2].split("| ", 1)[1]
    caret = lines[3].split("| ", 1)[1]
    assert len(shown) <= MAX_SHOWN + 2
    assert shown[caret.index("^") : caret.index("^") + 6] == "TARGET"
    assert caret.count("^") == 6


def test_tabs_and_controls_keep_caret_columns() -> None:
    source = Source("t.txt", "a\tb\x0cc TARGET\n")
    start = source.text.index("TARGET")
    lines = format_diagnostic(Diagnostic("NC401", Severity.ERROR, "m", source.span(start, start + 6)), source)
    assert lines[3].index("^") - lines[3].index("|") == lines[2].index("T") - lines[2].index("|")


def test_multiline_span_underlines_to_end_of_first_line() -> None:
    source = Source("m.txt", "one TWO\nthree\n")
    diagnostic = Diagnostic("NC401", Severity.ERROR, "m", Span("m.txt", 1, 5, 2, 3))
    lines = format_diagnostic(diagnostic, source)
    assert lines[3].endswith(" ^^^")


def test_fix_descriptions_insert_delete_unsafe() -> None:
    source = Source("f.txt", "abc def\n")
    insert = Diagnostic(
        "NC401", Severity.ERROR, "m", Span("f.txt", 1, 4, 1, 4), fix=Fix(",", Span("f.txt", 1, 4, 1, 4))
    )
    delete = Diagnostic(
        "NC401",
        Severity.ERROR,
        "m",
        Span("f.txt", 1, 4, 1, 8),
        fix=Fix("", Span("f.txt", 1, 4, 1, 8), "unsafe"),
    )
    assert format_diagnostic(insert, source)[-1].endswith("fix: insert ','")
    assert format_diagnostic(delete, source)[-1].endswith("unsafe fix (--unsafe-fixes): delete ' def'")
    assert "[*]" not in format_diagnostic(delete, source)[0]


def test_verbose_lists_notes_citations_and_suppressed() -> None:
    from notecheck.config import Accepted, Config

    plain = make_report()
    fingerprint = next(d.fingerprint for d in plain.all_diagnostics() if d.code == "NC401")
    report = make_report(config=Config(accept=(Accepted("NC401", fingerprint, "kept"),)))
    quiet = render(report, "text")
    verbose = render(report, "text", verbose=True)
    assert "NC401" not in quiet.split("\n", 100)[0:-2] and "(suppressed" not in quiet
    assert "(suppressed, accepted: kept)" in verbose
    assert "ed.txt:5: note 2." in verbose
    assert "n2c1 ibid resolved zelnik1995" in verbose


def test_style_off_is_identity() -> None:
    style = Style(False)
    assert style.severity("x", Severity.ERROR) == "x"
    assert style.bold("") == ""


def test_findings_in_other_files_show_their_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text("@book{a,\n  title = {X},\n}\n", encoding="utf-8")
    tool = [
        Diagnostic("NC905", Severity.ERROR, "in the bibliography", Span("refs.bib", 2, 3, 2, 8)),
        Diagnostic("NC903", Severity.WARNING, "no file", Span("<bibliography>", 1, 1, 1, 1)),
        Diagnostic("NC905", Severity.ERROR, "gone", Span("missing.bib", 1, 1, 1, 2)),
    ]
    lines = render(make_report(tool=tool), "text").splitlines()
    head = lines.index("refs.bib:2:3: NC905 in the bibliography")
    assert lines[head + 2 : head + 4] == ["2 |   title = {X},", "  |   ^^^^^"]
    after = lines.index("<bibliography>:1:1: NC903 no file")
    assert lines[after + 1 : after + 3] == [
        "missing.bib:1:1: NC905 gone",
        "refs.bib:2:3: NC905 in the bibliography",
    ]
