"""The project's own gate: ``pytest --notecheck`` on the real edition against the committed baseline.

The raw edition stays uncorrected; ``notecheck-baseline.json`` records its known findings, so the
suite stays green while any new problem fails it. When a checker changes what it finds, regenerate
the baseline (from the repository's top folder) with::

    notecheck baseline --output notecheck-baseline.json

The runs happen in a copy of the repository's edition, bibliography, configuration and baseline in
a temporary folder, so breaking a reference there never touches the real edition.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notecheck.config import load_config

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "notecheck-baseline.json"
REGENERATE = f"notecheck baseline --output {BASELINE}"
GATE = (
    "--notecheck",
    "--notecheck-baseline",
    BASELINE,
    "--notecheck-fail-on",
    "warning",
    "-p",
    "no:cacheprovider",
)


@pytest.fixture(autouse=True, scope="module")
def stages_imported() -> None:
    """Check the real edition once in this process before the pytester runs (which put
    ``sys.modules`` back as they found it: a stage first imported inside a run would be imported,
    and its rules registered, again by the next run)."""
    from notecheck.pipeline import check
    from notecheck.report.text import format_diagnostic
    from notecheck.rules import all_rules

    all_rules()
    report = check(config=load_config(start=ROOT))
    assert [format_diagnostic(d) for d in report.all_diagnostics()]


def notecheck_table(pyproject: str) -> str:
    """The ``[tool.notecheck]`` part of a pyproject.toml (its sub-tables included), as written."""
    kept: list[str] = []
    inside = False
    for line in pyproject.splitlines():
        header = line.strip()
        if header.startswith("["):
            name = header.strip("[]").strip()
            inside = name == "tool.notecheck" or name.startswith("tool.notecheck.")
        if inside:
            kept.append(line)
    return "\n".join(kept) + "\n"


def copy_repository(pytester: pytest.Pytester) -> Path:
    """Copy the configured editions, the bibliography, the baseline and the configuration."""
    config = load_config(start=ROOT)
    assert config.file == ROOT / "pyproject.toml" and config.paths, "the repository configures its edition"
    pytester.makepyprojecttoml(notecheck_table(config.file.read_text(encoding="utf-8")))
    wanted = [*config.paths, *([config.bibliography] if config.bibliography else []), BASELINE]
    for name in wanted:
        source, target = ROOT / name, pytester.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
    return pytester.path


def failed_ids(result: pytest.RunResult) -> list[str]:
    return sorted(line.split()[1] for line in result.outlines if line.startswith("FAILED "))


def test_the_raw_edition_passes_against_the_committed_baseline(pytester: pytest.Pytester) -> None:
    copy_repository(pytester)
    result = pytester.runpytest(*GATE)
    assert result.ret == pytest.ExitCode.OK, (
        f"new notecheck findings in the edition: {failed_ids(result)}; if a checker changed on "
        f"purpose, regenerate the baseline with `{REGENERATE}`\n" + result.stdout.str()[-3000:]
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes.get("errors", 0) == 0
    notes = outcomes["passed"] - 3  # the edition, bibliography and configuration items
    assert notes >= 80
    result.stdout.fnmatch_lines([f"notecheck: 1 document(s), {notes} notes, *, * suppressed (checked in *)"])


def test_breaking_one_reference_fails_exactly_that_note(pytester: pytest.Pytester) -> None:
    root = copy_repository(pytester)
    edition = root / "edition" / "kanatchikov.txt"
    text = edition.read_text(encoding="utf-8")
    # Note 46 cites "ibid., 140-41" correctly; OCR damage turns it into "lbid." (NC303).
    assert text.count("(ibid., 140-41)") == 1
    edition.write_text(text.replace("(ibid., 140-41)", "(lbid., 140-41)"), encoding="utf-8")

    result = pytester.runpytest(*GATE)
    result.assert_outcomes(passed=result.parseoutcomes()["passed"], failed=1)
    assert failed_ids(result) == ["edition/kanatchikov.txt::note-46"]
    result.stdout.fnmatch_lines(
        [
            "*_ note-46 _*",
            "edition/kanatchikov.txt:*:14: NC303 OCR-damaged ibid 'lbid.'; read as 'ibid.' [[]*[]]",
            "*| nationalism (lbid., 140-41). Stasova*",
            "*|              ^^^^^",
            "*= fix: replace 'lbid.' with 'ibid.'",
            "",
            "1 finding(s) in note-46 (NC303)*",
        ]
    )
