"""Baselines and fingerprints: known findings are suppressed, new ones reported; edits elsewhere
keep a fingerprint, edits of the flagged text change it. Also accepted findings and selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notecheck.baseline import (
    Baseline,
    BaselineEntry,
    BaselineError,
    baseline_from_diagnostics,
    baseline_to_json,
    load_baseline,
    write_baseline,
)
from notecheck.config import Accepted, Config
from notecheck.models import Diagnostic, Edition, Severity, Source, Span
from notecheck.pipeline import check, fingerprint
from tests.test_report_helpers import make_document, make_edition, make_report


def flag(source: Source, needle: str, code: str = "NC905") -> list[Diagnostic]:
    found, start = [], source.text.find(needle)
    while start != -1:
        found.append(Diagnostic(code, Severity.ERROR, "m", source.span(start, start + len(needle))))
        start = source.text.find(needle, start + 1)
    return found


def prints(text: str, needle: str, path: str = "a.txt") -> list[str]:
    source = Source(path, text)
    return [d.fingerprint for d in fingerprint(flag(source, needle), {path: source})]


BASE = "Notes\n1. First note.\n2. Zelnik, Law, 45-12.\n3. Last.\n"


@pytest.mark.parametrize(
    "edited",
    [
        "Inserted line.\n" + BASE,
        BASE.replace("1. First note.\n", "1. First note.\nInserted right above.\nAnd another\n"),
        BASE.replace("\n", "\r\n"),
        BASE.replace("3. Last.", "3. A different last note."),
    ],
)
def test_fingerprint_survives_unrelated_edits(edited: str) -> None:
    assert prints(edited, "45-12") == prints(BASE, "45-12")


@pytest.mark.parametrize(
    "edited",
    [BASE.replace("45-12", "45-13"), BASE.replace("Law, 45-12", "Lawyers, 45-12")],
)
def test_fingerprint_changes_with_the_flagged_text(edited: str) -> None:
    assert prints(edited, "45-1") != prints(BASE, "45-1")


def test_identical_findings_get_distinct_fingerprints() -> None:
    text = "Notes\n1. Ibid.\n2. Ibid.\n"
    first, second = prints(text, "Ibid.")
    assert first != second
    assert prints(text, "Ibid.", "b.txt")[0] != first


def test_fingerprint_does_not_depend_on_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ed").mkdir()
    (tmp_path / "ed" / "a.txt").write_text(BASE, encoding="utf-8")
    absolute = Source(str(tmp_path / "ed" / "a.txt"), BASE)
    from_elsewhere = fingerprint(flag(absolute, "45-12"), {absolute.path: absolute}, tmp_path)
    monkeypatch.chdir(tmp_path)
    relative = Source("ed/a.txt", BASE)
    from_root = fingerprint(flag(relative, "45-12"), {relative.path: relative}, tmp_path)
    assert from_root[0].fingerprint == from_elsewhere[0].fingerprint


def test_sourceless_fingerprints_ignore_line_numbers() -> None:
    one = Diagnostic(
        "NC905", Severity.ERROR, "duplicate of the entry at line 12", Span("refs.bib", 30, 1, 30, 5)
    )
    two = Diagnostic(
        "NC905", Severity.ERROR, "duplicate of the entry at line 15", Span("refs.bib", 33, 1, 33, 5)
    )
    assert fingerprint([one], {})[0].fingerprint == fingerprint([two], {})[0].fingerprint


def test_baseline_file_round_trip(tmp_path: Path) -> None:
    report = make_report()
    baseline = baseline_from_diagnostics(report.all_diagnostics())
    assert len(baseline) == 4
    path = tmp_path / "base.json"
    write_baseline(baseline, path)
    loaded = load_baseline(path)
    assert loaded.entries == baseline.entries
    assert loaded.path == path.as_posix()
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) == 4 + 4  # one finding per line
    assert json.loads(baseline_to_json(Baseline()))["diagnostics"] == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json", "not JSON"),
        ('{"version": 1}', "no 'diagnostics' list"),
        ('{"version": 2, "diagnostics": []}', "unsupported version 2"),
        ('{"version": 1, "diagnostics": [{"code": "NC401"}]}', "diagnostic 1 needs"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=reason):
        load_baseline(path)


def _edition_file(tmp_path: Path) -> Path:
    path = tmp_path / "ed.txt"
    path.write_text(BASE, encoding="utf-8")
    return path


def _fake(monkeypatch: pytest.MonkeyPatch) -> None:
    import notecheck.numbering

    def rules(edition: Edition) -> list[Diagnostic]:
        return flag(edition.source, "45-12", "NC999")

    monkeypatch.setattr(notecheck.numbering, "check_numbering", rules)


def test_check_with_a_baseline_suppresses_known_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake(monkeypatch)
    path = _edition_file(tmp_path)
    config = Config(root=tmp_path, select=("NC999",))
    first = check([path], config=config, baseline=Baseline())
    (known,) = first.all_diagnostics()
    again = check([path], config=config, baseline=baseline_from_diagnostics(first.all_diagnostics()))
    (suppressed,) = again.all_diagnostics()
    assert suppressed.suppressed and suppressed.suppression == "baseline"
    assert suppressed.fingerprint == known.fingerprint
    assert again.exit_code == 0 and again.summary.suppressed == 1


def test_unreadable_or_invalid_baseline_is_nc907(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake(monkeypatch)
    path = _edition_file(tmp_path)
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    for baseline in (tmp_path / "missing.json", tmp_path / "bad.json"):
        report = check([path], config=Config(root=tmp_path, select=("NC9",)), baseline=baseline)
        codes = [d.code for d in report.diagnostics]
        assert "NC907" in codes
        assert report.exit_code == 1


def test_accepted_findings_are_suppressed_with_their_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake(monkeypatch)
    path = _edition_file(tmp_path)
    (known,) = check([path], config=Config(root=tmp_path, select=("NC999",))).all_diagnostics()
    accepted = (Accepted("NC999", known.fingerprint, "the author's own range"),)
    report = check([path], config=Config(root=tmp_path, select=("NC999",), accept=accepted))
    (found,) = report.all_diagnostics()
    assert found.suppressed and found.suppression == "accepted"
    assert found.justification == "the author's own range"
    assert baseline_from_diagnostics(report.all_diagnostics()).entries == ()


def test_unmatched_accept_is_nc908_only_when_its_code_is_selected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake(monkeypatch)
    path = _edition_file(tmp_path)
    stale = (Accepted("NC905", "0000000000000000", "fixed long ago", line=7),)
    report = check([path], config=Config(root=tmp_path, select=("NC9",), accept=stale))
    (nc908,) = [d for d in report.diagnostics if d.code == "NC908"]
    assert nc908.severity == "info" and nc908.span.line == 7
    report = check([path], config=Config(root=tmp_path, select=("NC99",), ignore=("NC905",), accept=stale))
    assert not [d for d in report.diagnostics if d.code == "NC908"]


def test_per_file_ignores_and_longest_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake(monkeypatch)
    path = _edition_file(tmp_path)
    ignored = Config(root=tmp_path, select=("NC9",), per_file_ignores={"ed.txt": ("NC99",)})
    assert not [d for d in check([path], config=ignored).all_diagnostics() if d.code == "NC999"]
    other = Config(root=tmp_path, select=("NC9",), per_file_ignores={"other*.txt": ("NC99",)})
    assert [d for d in check([path], config=other).all_diagnostics() if d.code == "NC999"]
    longest = Config(root=tmp_path, select=("NC999",), ignore=("NC99",))
    assert [d.code for d in check([path], config=longest).all_diagnostics() if d.code == "NC999"] == ["NC999"]


def test_report_helpers_baseline_marks_suppressed() -> None:
    plain = make_report()
    first = plain.all_diagnostics()[0]
    report = make_report(baseline=Baseline((BaselineEntry(first.code, first.fingerprint),)))
    assert [d.suppressed for d in report.all_diagnostics()].count(True) == 1
    edition = make_edition()
    assert make_document(edition).path == "ed.txt"
