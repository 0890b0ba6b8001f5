"""The README stays true: its set-up commands, and the output it shows is today's output."""

from __future__ import annotations

import re

import pytest

from notecheck.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_set_up_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["pip install -e . && notecheck", "pip install -e '.[test]' && pytest"]
    assert "exits 1 on this raw edition" in first_block


def test_the_output_shown_is_what_notecheck_prints_on_the_edition(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main([]) == 1  # the README says: exits 1 on this raw edition
    printed = capsys.readouterr().out
    summary = printed.strip().splitlines()[-1]
    assert summary in README
    shown = re.search(r"can repair\):\n\n```text\n(.*?)\n```", README, re.S)
    assert shown is not None
    for block in shown.group(1).split("\nedition/"):
        block = block.removeprefix("edition/").removesuffix("\n...\n" + summary)
        assert block in printed, block[:80]
    assert main(["--statistics"]) == 1
    statistics = capsys.readouterr().out.rstrip("\n")
    assert f"```text\n{statistics}\n```" in README


def test_the_library_example_runs_as_shown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    example = re.search(r"## Library API\n\n```python\n(.*?)\n```", README, re.S)
    assert example is not None
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(example.group(1), "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed and all(re.match(r"edition/kanatchikov\.txt:\d+:\d+ NC\d{3} ", line) for line in printed)
    report = namespace["report"]
    assert len(printed) == len(report.all_diagnostics())  # type: ignore[attr-defined]
