"""The pre-commit manifest (.pre-commit-hooks.yaml), validated by pre-commit's own schema."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pre_commit.clientlib import MANIFEST_HOOK_DICT, InvalidManifestError, load_manifest

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def hook() -> dict[str, object]:
    hooks = load_manifest(MANIFEST)  # raises InvalidManifestError for anything pre-commit rejects
    assert [h["id"] for h in hooks] == ["notecheck"]
    found: dict[str, object] = hooks[0]
    return found


def test_manifest_has_the_required_keys_and_only_known_ones(hook: dict[str, object]) -> None:
    written = MANIFEST.read_text(encoding="utf-8")
    known = {item.key for item in MANIFEST_HOOK_DICT.items}
    keys = set(re.findall(r"^\s*-?\s*([a-z_]+):", written, flags=re.MULTILINE))
    assert {"id", "name", "entry", "language"} <= keys
    assert keys <= known, f"keys pre-commit does not know: {keys - known}"
    assert hook["name"] == "notecheck"
    assert hook["language"] == "python"  # pre-commit installs this package, with its console script
    assert hook["types"] == ["file"]


def test_entry_is_the_packages_console_script(hook: dict[str, object]) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    command, *arguments = shlex.split(str(hook["entry"]))
    assert command in scripts
    assert arguments == ["check"]
    assert hook["pass_filenames"] is False  # the configuration names the editions; see the manifest


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("edition/kanatchikov.txt", True),
        ("edition/chapter.md", True),
        ("edition/notes.docx", True),
        ("edition/notes.xml", True),
        ("edition/notes.tex", True),
        ("bibliography.bib", True),
        ("notecheck-baseline.json", True),
        ("pyproject.toml", True),
        ("sub/notecheck.toml", True),
        ("src/notecheck/cli.py", False),
        ("Makefile", False),
        ("other.toml", False),
    ],
)
def test_files_pattern_decides_when_the_hook_runs(hook: dict[str, object], path: str, runs: bool) -> None:
    assert bool(re.search(str(hook["files"]), path)) is runs
    assert not re.search(str(hook["exclude"]), path)


def test_an_invalid_manifest_is_rejected(tmp_path: Path) -> None:
    broken = tmp_path / ".pre-commit-hooks.yaml"
    broken.write_text("- id: notecheck\n  name: notecheck\n  language: python\n", encoding="utf-8")
    with pytest.raises(InvalidManifestError, match="entry"):
        load_manifest(broken)
    broken.write_text(
        "- id: notecheck\n  name: notecheck\n  entry: notecheck check\n  language: python\n  files: '(['\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidManifestError):
        load_manifest(broken)


def test_the_entry_exits_as_pre_commit_expects(hook: dict[str, object], tmp_path: Path) -> None:
    """Run the hook's command the way pre-commit does (no file names) in a small edition."""
    (tmp_path / "edition").mkdir()
    (tmp_path / "notecheck.toml").write_text('paths = ["edition/"]\n', encoding="utf-8")
    note = "Notes\n\n1. RGASPI, f. 17, op. 100, d. 134977, l. 47.\n"
    (tmp_path / "edition" / "a.txt").write_text(note, encoding="utf-8")
    _, *arguments = shlex.split(str(hook["entry"]))
    command = [sys.executable, "-m", "notecheck", *arguments, "--ignore", "NC903"]  # no bibliography here

    clean = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (tmp_path / "edition" / "a.txt").write_text(note.replace("op. 100", "Ope 100"), encoding="utf-8")
    broken = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert broken.returncode == 1
    assert "NC501" in broken.stdout
