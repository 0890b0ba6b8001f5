"""GitHub workflow-command annotations, escaped the way the Actions runner reads them."""

from __future__ import annotations

from notecheck.models import Diagnostic, Severity, Span
from notecheck.report import render
from notecheck.report.github import annotation, escape_data, escape_property
from tests.test_report_helpers import make_report


def test_annotations_one_per_active_finding() -> None:
    lines = render(make_report(), "github").splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 4
    assert (
        "::error file=ed.txt,line=5,col=27,endLine=5,endColumn=41,title=NC401::"
        "no bibliography entry matches 'Smith, Workers'"
    ) in commands
    assert any(c.startswith("::notice file=ed.txt,line=6,") for c in commands)
    assert any(c.startswith("::warning ") and "(fixable with notecheck fix)" in c for c in commands)


def test_escaping_of_message_and_properties() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    diagnostic = Diagnostic(
        "NC401", Severity.ERROR, "line one\nline two: 100%, ok", Span("dir,1/a:b.txt", 2, 3, 4, 1)
    )
    command = annotation(diagnostic)
    assert command == (
        "::error file=dir%2C1/a%3Ab.txt,line=2,col=3,endLine=4,title=NC401::line one%0Aline two: 100%25, ok"
    )
    assert "\n" not in command


def test_tool_findings_have_no_file() -> None:
    diagnostic = Diagnostic("NC903", Severity.WARNING, "no bibliography", Span("<bibliography>", 1, 1, 1, 1))
    assert annotation(diagnostic) == "::warning title=NC903::no bibliography"
