"""The command line: every command and option of the contract, exit codes, fix, stdin, -j.

The stages are built by others in parallel, so findings here come from two small fake rules
patched in for the numbering stage (codes NC998/NC999, selected with ``--select NC9 --ignore
NC90``): ``lbid.`` is an error with a safe fix to ``Ibid.``, ``teh`` a warning with an unsafe fix.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from notecheck.cli import _ProgressBar, main, use_color
from notecheck.models import Diagnostic, Edition, Fix, Resolution, Severity

ONLY_FAKE = ["--select", "NC9", "--ignore", "NC90"]
NOTES = "Body text.1\n\nNotes\n1. lbid., 45.\n2. See teh book, 12.\n3. Plain note.\n"


def fake_rules(edition: Edition) -> list[Diagnostic]:
    source = edition.source
    found = []
    for match in re.finditer(r"lbid\.", source.text):
        span = source.span(match.start(), match.end())
        found.append(Diagnostic("NC999", Severity.ERROR, "ibid damaged by OCR", span, fix=Fix("Ibid.", span)))
    for match in re.finditer(r"\bteh\b", source.text):
        span = source.span(match.start(), match.end())
        found.append(Diagnostic("NC998", Severity.WARNING, "typo", span, fix=Fix("the", span, "unsafe")))
    return found


@pytest.fixture(autouse=True)
def fake_stage(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import notecheck.numbering

    monkeypatch.setattr(notecheck.numbering, "check_numbering", fake_rules)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def edition(tmp_path: Path, name: str = "ed.txt", text: str = NOTES) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- check ---------------------------------------------------------------------------------------


def test_check_reports_and_exits_1_on_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edition(tmp_path)
    code, out, _ = run(capsys, "check", "ed.txt", *ONLY_FAKE)
    assert code == 1
    assert "ed.txt:4:4: NC999 ibid damaged by OCR [*]" in out.splitlines()
    assert "  = fix: replace 'lbid.' with 'Ibid.'" in out
    assert out.splitlines()[-1].startswith("3 notes, ") or re.match(r"\d+ notes, ", out.splitlines()[-1])


def test_exit_zero_and_warnings_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edition(tmp_path)
    assert run(capsys, "check", "ed.txt", *ONLY_FAKE, "--exit-zero")[0] == 0
    edition(tmp_path, "warnings.txt", NOTES.replace("lbid.", "Ibid."))
    code, out, _ = run(capsys, "check", "warnings.txt", *ONLY_FAKE)
    assert code == 0
    assert "NC998" in out and ", 0 errors, 1 warnings" in out


def test_bare_notecheck_uses_the_configuration(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edition(tmp_path, "chapters/one.txt".replace("/", "_"))
    (tmp_path / "eds").mkdir()
    edition(tmp_path / "eds", "a.txt")
    edition(tmp_path / "eds", "README.txt")
    (tmp_path / "notecheck.toml").write_text('paths = ["eds"]\nselect = ["NC9"]\nignore = ["NC90"]\n')
    code, out, _ = run(capsys)
    assert code == 1
    assert "eds/a.txt:4:4: NC999" in out
    assert "README" not in out
    code, out, _ = run(capsys, "--format", "github")
    assert out.startswith("::error file=eds/a.txt,line=4,col=4,")


def test_json_report_written_on_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, report_schema: dict[str, Any]
) -> None:
    edition(tmp_path)
    code, out, _ = run(capsys, "check", "ed.txt", *ONLY_FAKE, "--format", "json", "--output", "r.json")
    assert code == 1 and out == ""
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, report_schema)
    assert [d["code"] for d in data["documents"][0]["diagnostics"]] == ["NC999", "NC998"]


def test_json_from_the_command_line_is_streamed_and_equals_the_whole_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The CLI writes JSON document by document (memory stays flat); the bytes are the same as
    rendering the whole report, and an unreadable-only run still exits 2."""
    from notecheck import report as formats
    from notecheck.config import load_config
    from notecheck.pipeline import check

    edition(tmp_path, "a.txt")
    edition(tmp_path, "b.txt", NOTES.replace("teh", "the"))
    code, streamed, _ = run(capsys, "check", "a.txt", "b.txt", *ONLY_FAKE, "--format", "json")
    whole = check(
        ["a.txt", "b.txt"], config=load_config(tmp_path).with_selection(select=["NC9"], ignore=["NC90"])
    )
    assert code == 1
    assert streamed == formats.render(whole, "json")
    code, out, _ = run(capsys, "check", "missing.txt", "--format", "json")
    assert code == 2 and json.loads(out)["summary"]["documents"] == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "html"])
def test_every_format_from_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    edition(tmp_path)
    code, out, _ = run(capsys, "check", "ed.txt", *ONLY_FAKE, "--format", fmt)
    assert code == 1
    assert "NC999" in out


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(NOTES.encode())))
    code, out, _ = run(capsys, "check", "-", *ONLY_FAKE)
    assert code == 1
    assert "-:4:4: NC999" in out


def test_statistics(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edition(tmp_path, text=NOTES + "4. lbid.\n")
    code, out, _ = run(capsys, "check", "ed.txt", *ONLY_FAKE, "--statistics")
    assert code == 1
    assert re.match(r"2\s+NC999\s+\[\*\]", out.splitlines()[0])
    code, out, _ = run(capsys, "check", "ed.txt", *ONLY_FAKE, "--statistics", "--format", "json")
    assert json.loads(out)[0] == {"code": "NC999", "name": "", "count": 2, "fixable": True}


def test_colour_option_and_no_color(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edition(tmp_path)
    assert "\x1b[" in run(capsys, "check", "ed.txt", *ONLY_FAKE, "--color", "always")[1]
    assert "\x1b[" not in run(capsys, "check", "ed.txt", *ONLY_FAKE)[1]  # not a terminal

    class Terminal:
        def isatty(self) -> bool:
            return True

    terminal: Any = Terminal()
    assert use_color("auto", terminal, {}) is True
    assert use_color("auto", terminal, {"NO_COLOR": "1"}) is False
    assert use_color("auto", terminal, {"NO_COLOR": ""}) is True
    assert use_color("auto", terminal, {"TERM": "dumb"}) is False
    assert use_color("always", terminal, {"NO_COLOR": "1"}) is True
    assert use_color("never", terminal, {}) is False


def test_quiet_and_verbose(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edition(tmp_path)
    code, out, _ = run(capsys, "check", "ed.txt", *ONLY_FAKE, "-q")
    assert code == 1 and len(out.splitlines()) == 1
    code, out, err = run(capsys, "check", "ed.txt", *ONLY_FAKE, "-v")
    assert "ed.txt:4: note 1." in out
    assert "notecheck: checked 1 file(s)" in err


def test_jobs_give_the_same_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for number in range(5):
        edition(tmp_path, f"e{number}.txt", NOTES + f"{4 + number}. lbid. {number}\n")
    _, one, _ = run(capsys, "check", ".", *ONLY_FAKE, "--format", "json", "-j", "1")
    _, two, _ = run(capsys, "check", ".", *ONLY_FAKE, "--format", "json", "-j", "2")
    assert one == two
    assert len(json.loads(two)["documents"]) == 5


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "ed.txt", "--select", "NC4O1"], "--select: 'NC4O1' matches no rule"),
        (["check", "ed.txt", "--ignore", "E501"], "--ignore: 'E501' matches no rule"),
        (["check", "ed.txt", "--format", "pdf"], "invalid choice"),
        (["check", "ed.txt", "-j", "-1"], "-j"),
        (["check", "ed.txt", "--baseline", "missing.json"], "--baseline: cannot read missing.json"),
        (["check", "ed.txt", "--output", "no/such/dir/r.txt"], "cannot write no/such/dir/r.txt"),
        (["check", "ed.txt", "--statistics", "--format", "sarif"], "--statistics works with"),
        (["check", "-", "-"], "only once"),
        (["check", "--config", "nope.toml", "ed.txt"], "--config: cannot read nope.toml"),
        (["explain", "NC000"], "no rule 'NC000'"),
        (["baseline", "ed.txt"], "--output"),
        (["check"], "no paths given"),
    ],
)
def test_usage_errors_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    edition(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err


def test_nothing_readable_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "missing.txt", "--format", "json")
    assert code == 2
    assert json.loads(out)["documents"][0]["diagnostics"][0]["code"] == "NC905"


# --- fix -----------------------------------------------------------------------------------------


def test_fix_writes_in_place_keeping_encoding_bom_and_line_ends(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    original = ("\ufeff" + NOTES.replace("45.", "45 — é.")).replace("\n", "\r\n").encode("utf-8")
    path = tmp_path / "ed.txt"
    path.write_bytes(original)
    code, out, _ = run(capsys, "fix", "ed.txt", *ONLY_FAKE)
    assert code == 0  # the error was fixed; the remaining warning has only an unsafe fix
    assert path.read_bytes() == original.replace(b"lbid.", b"Ibid.")
    assert "applied 1 fix(es) in 1 file(s)" in out
    assert [p.name for p in tmp_path.iterdir()] == ["ed.txt"]
    assert run(capsys, "fix", "ed.txt", *ONLY_FAKE)[0] == 0  # idempotent
    assert path.read_bytes() == original.replace(b"lbid.", b"Ibid.")


def test_fix_cp1252_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    original = NOTES.replace("Plain", "Caf\xe9").encode("cp1252")
    (tmp_path / "ed.txt").write_bytes(original)
    run(capsys, "fix", "ed.txt", *ONLY_FAKE)
    assert (tmp_path / "ed.txt").read_bytes() == original.replace(b"lbid.", b"Ibid.")


def test_fix_diff_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = edition(tmp_path)
    code, out, err = run(capsys, "fix", "ed.txt", *ONLY_FAKE, "--diff")
    assert path.read_text(encoding="utf-8") == NOTES
    assert "--- a/ed.txt\n+++ b/ed.txt\n" in out
    assert "-1. lbid., 45.\n+1. Ibid., 45.\n" in out
    assert "would apply 1 fix(es)" in err
    assert code == 0


def test_unsafe_fixes_only_when_asked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = edition(tmp_path)
    run(capsys, "fix", "ed.txt", *ONLY_FAKE, "--unsafe-fixes")
    assert path.read_text(encoding="utf-8") == NOTES.replace("lbid.", "Ibid.").replace("teh", "the")


def test_fix_overlapping_in_passes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import notecheck.numbering

    def overlapping(edition: Edition) -> list[Diagnostic]:
        source = edition.source
        found = []
        for match in re.finditer(r"ab", source.text):  # "aab" -> "ab" -> "b": needs passes
            span = source.span(match.start(), match.end())
            found.append(Diagnostic("NC999", Severity.ERROR, "ab", span, fix=Fix("b", span)))
        return found

    monkeypatch.setattr(notecheck.numbering, "check_numbering", overlapping)
    path = edition(tmp_path, text="Notes\n1. aaab aab.\n")
    code, _, _ = run(capsys, "fix", "ed.txt", *ONLY_FAKE)
    assert path.read_text(encoding="utf-8") == "Notes\n1. b b.\n"
    assert code == 0


def test_fix_from_stdin_prints_the_fixed_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    class Stdout(io.TextIOWrapper):
        pass

    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(NOTES.encode())))
    monkeypatch.setattr(sys, "stdout", Stdout(raw, encoding="utf-8"))
    code = main(["fix", "-", *ONLY_FAKE])
    sys.stdout.flush()
    assert raw.getvalue() == NOTES.replace("lbid.", "Ibid.").encode()
    assert code == 0
    assert "NC998" in capsys.readouterr().err


# --- baseline ------------------------------------------------------------------------------------


def test_baseline_then_only_new_findings_fail(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = edition(tmp_path)
    code, out, _ = run(capsys, "baseline", "ed.txt", *ONLY_FAKE, "--output", "base.json")
    assert code == 0 and "recorded 2 finding(s) in base.json" in out
    data = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))
    assert {d["code"] for d in data["diagnostics"]} == {"NC999", "NC998"}
    assert set(data["diagnostics"][0]) == {"code", "fingerprint", "path", "message"}

    code, out, _ = run(capsys, "check", "ed.txt", *ONLY_FAKE, "--baseline", "base.json")
    assert code == 0
    assert out.splitlines()[-1].endswith(", 2 suppressed")

    path.write_text("New first line.\n\n" + NOTES, encoding="utf-8")  # unrelated lines above
    assert run(capsys, "check", "ed.txt", *ONLY_FAKE, "--baseline", "base.json")[0] == 0

    path.write_text(NOTES + "4. lbid. again\n", encoding="utf-8")  # a new finding
    code, out, _ = run(capsys, "check", "ed.txt", *ONLY_FAKE, "--baseline", "base.json")
    assert code == 1
    assert [line for line in out.splitlines() if "NC999" in line] == [
        "ed.txt:7:4: NC999 ibid damaged by OCR [*]"
    ]


def test_configured_baseline_and_no_baseline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edition(tmp_path)
    run(capsys, "baseline", "ed.txt", *ONLY_FAKE, "-o", "base.json")
    (tmp_path / "notecheck.toml").write_text('baseline = "base.json"\n')
    assert run(capsys, "check", "ed.txt", *ONLY_FAKE)[0] == 0
    assert run(capsys, "check", "ed.txt", *ONLY_FAKE, "--no-baseline")[0] == 1


# --- rules, explain, suggest-bib, progress -------------------------------------------------------


def test_rules_in_three_formats(capsys: pytest.CaptureFixture[str]) -> None:
    from notecheck.rules import all_rules

    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert len(out.splitlines()) == len(all_rules()) + 1
    assert re.search(r"^NC905\s+unreadable-path\s+error\s+Reports an input path", out, re.MULTILINE)
    data = json.loads(run(capsys, "rules", "--format", "json")[1])
    assert {r["code"] for r in data} == {r.code for r in all_rules()}
    assert set(data[0]) >= {"code", "slug", "severity", "message", "what", "why", "example", "instead"}
    markdown = run(capsys, "rules", "--format", "markdown")[1]
    assert "### NC905 unreadable-path" in markdown


def test_explain_prints_the_four_parts(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("NC905", "nc905", "unreadable-path"):
        code, out, _ = run(capsys, "explain", name)
        assert code == 0
        assert out.startswith("# NC905 unreadable-path\n")
        for part in ("## What it does", "## Why it matters", "## Example", "## Use instead"):
            assert part in out


def test_docs_rules_page_is_up_to_date() -> None:
    from notecheck.report.catalogue import rules_markdown
    from notecheck.rules import all_rules

    page = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(all_rules()), (
        "docs/rules.md is out of date: run `notecheck rules --format markdown --output docs/rules.md`"
    )


def test_suggest_bib_prints_the_resolvers_entries(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import notecheck.resolver

    entry = "@book{smith1990,\n  author = {Smith, John},\n  title = {Workers},\n  year = {1990},\n}"

    def resolver(*args: object, **kwargs: object) -> Resolution:
        return Resolution(suggested_entries=[entry])

    edition(tmp_path, "a.txt")
    edition(tmp_path, "b.txt")
    monkeypatch.setattr(notecheck.resolver, "resolve", resolver)
    code, out, _ = run(capsys, "suggest-bib", "a.txt", "b.txt")
    assert code == 0
    assert out == entry + "\n"  # the same entry from two documents is printed once
    monkeypatch.setattr(notecheck.resolver, "resolve", lambda *a, **k: Resolution())
    code, out, err = run(capsys, "suggest-bib", "a.txt")
    assert (code, out) == (0, "")
    assert "no entries to suggest" in err


def test_progress_bar_only_for_many_files() -> None:
    few = _ProgressBar(enabled=True)
    few(1, 3, "a.txt")
    assert few.bar is None
    many = _ProgressBar(enabled=True)
    many(1, 25, "a.txt")
    assert many.bar is not None
    many(25, 25, "z.txt")
    many.close()
    assert many.bar is None
    off = _ProgressBar(enabled=False)
    off(1, 100, "a.txt")
    assert off.bar is None


def test_console_script_usage_error_has_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    run_ = subprocess.run(
        [sys.executable, "-m", "notecheck", "check", "--select", "BAD", "x.txt"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert run_.returncode == 2
    assert "Traceback" not in run_.stderr
    assert "matches no rule" in run_.stderr


def test_a_bug_is_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import notecheck.report.text

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    edition(tmp_path)
    monkeypatch.setattr(notecheck.report.text, "write", broken)
    code, _, err = run(capsys, "check", "ed.txt")
    assert code == 2
    assert "internal error: RuntimeError('boom')" in err
    monkeypatch.setenv("NOTECHECK_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        main(["check", "ed.txt"])
