"""SARIF 2.1.0: validated against the official schema; rules, fixes, fingerprints, suppressions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from notecheck.baseline import Baseline, BaselineEntry
from notecheck.models import Diagnostic, Severity, Span
from notecheck.report import render
from notecheck.rules import all_rules
from tests.test_report_helpers import make_report

SARIF_SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")
if not SARIF_SCHEMA.is_file():  # a copy next to the project, for machines without /work/shared
    SARIF_SCHEMA = (
        Path(__file__).resolve().parent.parent.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    )


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    if not SARIF_SCHEMA.is_file():
        pytest.fail(f"the official SARIF schema is missing: {SARIF_SCHEMA}")
    loaded: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return loaded


def _validate(log: dict[str, Any], schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_validates_against_the_official_schema(sarif_schema: dict[str, Any]) -> None:
    log = json.loads(render(make_report(), "sarif"))
    _validate(log, sarif_schema)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"


def test_every_rule_is_in_the_driver_with_its_docs() -> None:
    run = json.loads(render(make_report(), "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    for descriptor, rule in zip(rules, all_rules(), strict=True):
        assert descriptor["name"] == rule.slug
        assert descriptor["shortDescription"]["text"]
        assert descriptor["fullDescription"]["text"] == rule.what
        assert "## Why it matters" in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for result in run["results"]:
        if "ruleIndex" in result:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_have_regions_fingerprints_and_fixes() -> None:
    report = make_report()
    run = json.loads(render(report, "sarif"))["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}
    fixed = results["NC301"]
    region = fixed["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "startColumn": 11, "endLine": 5, "endColumn": 16}
    assert fixed["level"] == "warning"
    assert results["NC501"]["level"] == "note"
    change = fixed["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "ed.txt"
    assert change["replacements"][0]["insertedContent"]["text"] == "47–49"
    assert change["replacements"][0]["deletedRegion"] == region
    diagnostic = next(d for d in report.all_diagnostics() if d.code == "NC301")
    assert fixed["partialFingerprints"] == {"notecheck/v1": diagnostic.fingerprint}
    assert "fixes" not in results["NC401"]


def test_suppressed_results_and_baseline_state(sarif_schema: dict[str, Any]) -> None:
    plain = make_report()
    known = next(d for d in plain.all_diagnostics() if d.code == "NC401")
    baseline = Baseline((BaselineEntry("NC401", known.fingerprint),), path="baseline.json")
    report = make_report(baseline=baseline)
    report.baseline = "baseline.json"
    log = json.loads(render(report, "sarif"))
    _validate(log, sarif_schema)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert results["NC401"]["suppressions"][0]["kind"] == "external"
    assert results["NC401"]["baselineState"] == "unchanged"
    assert results["NC301"]["baselineState"] == "new"
    assert "suppressions" not in results["NC301"]


def test_tool_findings_without_a_file_and_odd_paths(sarif_schema: dict[str, Any]) -> None:
    tool = [
        Diagnostic("NC903", Severity.WARNING, "no bibliography", Span("<bibliography>", 1, 1, 1, 1)),
        Diagnostic("NC905", Severity.ERROR, "cannot read", Span("my notes/ä b#1.txt", 1, 1, 1, 1)),
    ]
    log = json.loads(render(make_report(tool=tool), "sarif"))
    _validate(log, sarif_schema)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert "locations" not in results["NC903"]
    uri = results["NC905"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20notes/%C3%A4%20b%231.txt"


def test_the_schema_check_can_fail(sarif_schema: dict[str, Any]) -> None:
    log = json.loads(render(make_report(), "sarif"))
    log["runs"][0]["columnKind"] = "characters"
    with pytest.raises(AssertionError):
        _validate(log, sarif_schema)


def test_sarif_of_the_edition_validates(
    sarif_schema: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from notecheck.pipeline import check
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    report = check(["edition/kanatchikov.txt"], bib="bibliography.bib")
    log = json.loads(render(report, "sarif"))
    _validate(log, sarif_schema)
    assert len(log["runs"][0]["results"]) == len(report.all_diagnostics())
