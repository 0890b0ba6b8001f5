"""The plugin's results: item names, where each finding goes, what fails, and the cache's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notecheck.baseline import baseline_from_diagnostics
from notecheck.config import Config, config_from_mapping
from notecheck.pipeline import check
from notecheck.pytest_plugin import ItemResult, Results, note_item_names, results_from_report

NOTES = """\
Notes

1. Reginald E. Zelnik, ed., A Radical Worker in Tsarist Russia (Stanford, 1986), 387–91.
2. lbid., 45.
2. RGASPI, f. 17,op. 100, d. 134977, l. 47.
3. RGASPI, f. 17, Ope 100, d. 134977, l. 48.
"""


def test_note_item_names() -> None:
    assert note_item_names([1, 2, 2, None, 3, 2, None]) == [
        "note-1",
        "note-2",
        "note-2#2",
        "note-#4",
        "note-3",
        "note-2#3",
        "note-#7",
    ]
    assert note_item_names([]) == []


def run(tmp_path: Path, text: str = NOTES, **settings: object) -> tuple[Path, Config]:
    (tmp_path / "edition").mkdir(exist_ok=True)
    (tmp_path / "edition" / "a.txt").write_text(text, encoding="utf-8")
    config_file = tmp_path / "notecheck.toml"
    config_file.write_text("", encoding="utf-8")
    table = {"paths": ["edition/"], **settings}
    config = config_from_mapping(table, root=tmp_path, file=config_file)
    return config_file, config


def by_name(results: Results) -> dict[str, ItemResult]:
    return {item.name: item for item in results.items}


def test_findings_go_to_their_note_and_sequence_findings_to_the_edition(tmp_path: Path) -> None:
    config_file, config = run(tmp_path)
    report = check([tmp_path / "edition"], config=config)
    results = results_from_report(report, config_file, base=tmp_path)
    items = by_name(results)
    edition = (tmp_path / "edition" / "a.txt").resolve().as_posix()
    assert [(i.file, i.name) for i in results.items] == [
        (edition, "edition"),
        (edition, "note-1"),
        (edition, "note-2"),
        (edition, "note-2#2"),
        (edition, "note-3"),
        (config_file.resolve().as_posix(), "bibliography"),
        (config_file.resolve().as_posix(), "configuration"),
    ]
    assert items["note-1"].failures == () and items["note-1"].line == 3
    assert [f.split(": ")[1].split()[0] for f in items["note-2"].failures] == ["NC303"]
    assert [f.split(": ")[1].split()[0] for f in items["note-3"].failures] == ["NC501"]
    assert any(" NC105 " in f for f in items["edition"].failures)  # "note 2 is numbered twice"
    assert not any(" NC105 " in f for item in results.items if item.name != "edition" for f in item.failures)
    # The warning (a lost space) is not a failure by default; it becomes a pytest warning.
    assert items["note-2#2"].failures == ()
    assert [w.split(": ")[1].split()[0] for w in items["note-2#2"].warnings] == ["NC506"]
    # Rendered as the text report renders it: the source line and a caret under the span.
    assert items["note-3"].failures[0].splitlines()[1:4] == [
        "  |",
        "6 | 3. RGASPI, f. 17, Ope 100, d. 134977, l. 48.",
        "  |                   ^^^",
    ]
    # No bibliography configured: NC903 (a warning) sits on the bibliography item.
    assert any(" NC903 " in w for w in items["bibliography"].warnings)


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [
        ("error", {"edition", "note-2", "note-3"}),
        ("warning", {"edition", "note-2", "note-2#2", "note-3", "bibliography"}),
        ("info", {"edition", "note-2", "note-2#2", "note-3", "bibliography"}),
    ],
)
def test_fail_on_sets_the_lowest_failing_severity(tmp_path: Path, fail_on: str, failing: set[str]) -> None:
    config_file, config = run(tmp_path)
    report = check([tmp_path / "edition"], config=config)
    results = results_from_report(report, config_file, fail_on, base=tmp_path)
    assert {i.name for i in results.items if i.failures} == failing
    if fail_on != "error":
        assert all(not i.warnings for i in results.items)


def test_suppressed_findings_fail_nothing(tmp_path: Path) -> None:
    config_file, config = run(tmp_path)
    first = check([tmp_path / "edition"], config=config)
    known = baseline_from_diagnostics(first.all_diagnostics())
    report = check([tmp_path / "edition"], config=config, baseline=known)
    results = results_from_report(report, config_file, "info", base=tmp_path)
    assert all(not i.failures and not i.warnings for i in results.items)
    assert results.summary.endswith(f"0 info, {len(known)} suppressed")


def test_an_unreadable_edition_and_a_missing_bibliography_fail_on_the_configuration_file(
    tmp_path: Path,
) -> None:
    config_file, config = run(tmp_path, bibliography="missing.bib")
    report = check([tmp_path / "edition", tmp_path / "gone.txt"], config=config)
    results = results_from_report(report, config_file, "warning", base=tmp_path)
    items = by_name(results)
    assert items["bibliography"].file == config_file.resolve().as_posix()
    assert any(" NC903 " in f for f in items["bibliography"].failures)
    assert any(" NC905 " in f for f in items["configuration"].failures)  # gone.txt cannot be read
    assert "gone.txt" not in {Path(i.file).name for i in results.items}


def test_results_survive_json_and_reject_anything_else(tmp_path: Path) -> None:
    config_file, config = run(tmp_path)
    report = check([tmp_path / "edition"], config=config)
    results = results_from_report(report, config_file, base=tmp_path)
    assert Results.from_json(json.loads(json.dumps(results.to_json()))) == results
    assert results.files == [
        (tmp_path / "edition" / "a.txt").resolve().as_posix(),
        config_file.resolve().as_posix(),
    ]
    assert Results.from_json({**results.to_json(), "version": 0}) is None
    assert Results.from_json({"version": 1, "items": [{"name": "x"}], "summary": ""}) is None
    assert Results.from_json(None) is None
    assert Results.from_json([1, 2]) is None
