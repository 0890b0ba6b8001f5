"""The package, the edition copy, the command line's skeleton and the JSON report's schema."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from notecheck.cli import main
from tests.conftest import EDITION, ROOT

EDITION_SHA256 = "367eb8c4b4c87029401f456e0111269d096e5243946a15ac086f93f30a7dc9be"


def test_edition_is_the_raw_source_byte_for_byte() -> None:
    assert hashlib.sha256(EDITION.read_bytes()).hexdigest() == EDITION_SHA256


def test_configuration_names_the_edition_and_bibliography() -> None:
    from notecheck.config import load_config

    config = load_config(ROOT)
    assert config.paths == ("edition/",)
    assert config.bibliography == "bibliography.bib"
    assert config.diagnostics == ()


def test_version_is_cheap_and_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("notecheck ")


def test_json_report_validates_against_schema(
    tmp_path: Path, report_schema: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report.json"
    code = main(
        ["check", "edition/kanatchikov.txt", "--bib", "bibliography.bib", "--format", "json", "-o", str(out)]
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(report, report_schema)
    assert code in (0, 1)
    assert report["documents"][0]["path"] == "edition/kanatchikov.txt"
    assert report["summary"]["notes"] == len(report["documents"][0]["notes"])


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "nonsense", "x.txt"]) == 2
    assert "error" in capsys.readouterr().err


def test_missing_path_is_a_diagnostic_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nope.txt")]) == 2
    out = capsys.readouterr().out
    assert "NC905" in out


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    run = subprocess.run(
        [sys.executable, "-m", "notecheck", "check", str(empty)], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in run.stderr
    assert run.returncode in (0, 1)
    assert "NC103" in run.stdout


def test_rule_registry_rejects_a_second_rule_with_one_code_but_allows_reimport() -> None:
    from notecheck.models import Severity
    from notecheck.rules import get_rule, rule

    existing = get_rule("NC101")
    assert existing is not None
    again = rule(
        existing.code,
        existing.slug,
        existing.severity,
        existing.message,
        what=existing.what,
        why=existing.why,
        example=existing.example,
        instead=existing.instead,
    )
    assert get_rule("NC101") == again
    with pytest.raises(ValueError, match="registered twice"):
        rule("NC101", "a-different-rule", Severity.INFO, "m", what="w", why="y", example="e", instead="i")
    with pytest.raises(ValueError, match="registered twice"):
        rule("NC998", existing.slug, Severity.INFO, "m", what="w", why="y", example="e", instead="i")


def test_selectors_are_checked_against_the_registry_in_one_place() -> None:
    from notecheck.rules import matches_a_rule, parse_selectors

    assert parse_selectors(" nc4, NC501 ,,") == ("NC4", "NC501")
    assert parse_selectors(None) == ()
    assert matches_a_rule("NC") and matches_a_rule("nc40") and not matches_a_rule("NC999")
    assert not matches_a_rule("NC4x") and not matches_a_rule("E501")
    with pytest.raises(ValueError, match="'NC999' matches no rule"):
        parse_selectors("NC4,NC999")


def test_the_library_api_names_are_the_functions_whatever_was_imported_before() -> None:
    """``from notecheck import check`` must give the function even after every module is loaded
    (a submodule named like an exported function would shadow it once imported)."""
    import importlib
    import pkgutil

    import notecheck

    for module in pkgutil.walk_packages(notecheck.__path__, "notecheck."):
        if module.name != "notecheck.__main__":
            importlib.import_module(module.name)
    for name in notecheck.__all__:
        if name != "__version__":
            value = getattr(notecheck, name)
            assert callable(value) and not isinstance(value, type(notecheck)), name
