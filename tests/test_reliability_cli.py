"""The command line never prints a traceback (issue 11, part 1).

Whatever the edition and the bibliography, ``notecheck`` exits 0, 1 or 2 with a report or a
one-line message; an internal error (a bug caught by the CLI's last guard) counts as a failure
here too. ``--format json`` always prints JSON that validates against the report schema. Most
runs call :func:`notecheck.cli.main` in this process; a few run the console script.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notecheck.cli import main

from .conftest import BIBLIOGRAPHY, SCHEMA
from .test_reliability import EXTENSIONS, bibtex_texts, csl_json_texts, edition_bytes

SCHEMA_DATA: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
#: A third of the profile's examples (each runs the whole command); capsys is drained by every
#: run, so sharing it across examples is safe.
FEWER = settings(
    max_examples=max(10, settings().max_examples // 3),
    suppress_health_check=[*settings().suppress_health_check, HealthCheck.function_scoped_fixture],
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``notecheck argv`` in this process: its exit code, standard output and standard error."""
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code in (0, 1, 2), captured.err
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    assert "internal error" not in captured.err, captured.err
    return code, captured.out, captured.err


def validate(out: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(out)
    jsonschema.validate(report, SCHEMA_DATA)
    return report


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with an empty configuration, so no configuration found upward is used."""
    found = tmp_path_factory.mktemp("cli")
    (found / "notecheck.toml").write_text("")
    return found


@pytest.mark.parametrize("input_format", list(EXTENSIONS))
@FEWER
@given(data=st.data())
def test_any_edition_json_report_validates(
    input_format: str, data: st.DataObject, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder / f"edition.{EXTENSIONS[input_format]}"
    path.write_bytes(data.draw(edition_bytes(input_format), label="edition"))
    config = str(folder / "notecheck.toml")
    code, out, _ = run(
        capsys, "check", str(path), "--bib", str(BIBLIOGRAPHY), "--config", config, "--format", "json"
    )
    report = validate(out)
    assert code == (1 if report["summary"]["errors"] else 0)
    # the same file read as another format by --input-format: still a report
    other = "tei" if input_format != "tei" else "markdown"
    run(capsys, "check", str(path), "--input-format", other, "--config", config, "--format", "json")


@FEWER
@given(text=st.one_of(bibtex_texts(), csl_json_texts()), json_name=st.booleans())
def test_any_bibliography_json_report_validates(
    text: str, json_name: bool, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edition = folder / "notes.txt"
    edition.write_text("Body.1\n\nNotes\n1. Zelnik, Radical Worker, 3.\n2. Ibid., 4.\n", encoding="utf-8")
    bib = folder / ("any.json" if json_name else "any.bib")
    bib.write_bytes(text.encode("utf-8", "surrogatepass"))
    config = str(folder / "notecheck.toml")
    _, out, _ = run(capsys, "check", str(edition), "--bib", str(bib), "--config", config, "--format", "json")
    validate(out)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "html"])
def test_every_format_on_damaged_input(fmt: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = folder / "damaged.txt"
    path.write_bytes(
        b"Body.1\r\n\r\nNotes\r\n1. \xff\x01 lbid., 4\xe9.\r\ns. RGASPI, f. 1, Ope 2, d. \xd8\x02, I. 4.\r\n"
    )
    config = str(folder / "notecheck.toml")
    code, out, _ = run(
        capsys, "check", str(path), "--bib", str(BIBLIOGRAPHY), "--config", config, "--format", fmt
    )
    assert code == 1  # read with a fallback encoding; the damage is reported
    assert out


def test_usage_problems_are_messages(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(folder / "notecheck.toml")
    for argv in (
        ["check", str(folder / "missing.txt"), "--config", config],
        ["check", str(folder), "--bib", str(folder / "missing.bib"), "--config", config],
        ["check", "--select", "NC", "--config", str(folder / "missing.toml")],
        ["check", "--format", "pdf"],
        ["explain", "NC000"],
        ["fix", str(folder / "missing.txt"), "--config", config],
    ):
        code, out, err = run(capsys, *argv)
        assert code in (1, 2) and (out + err).strip(), argv


def _console(args: list[str], cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "notecheck", *args], input=stdin, capture_output=True, timeout=120, cwd=cwd
    )


def test_console_script_never_prints_a_traceback() -> None:
    """A few runs of the real command: binary standard input, junk files, a bad bibliography."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "notecheck.toml").write_text("")
        (folder / "a.txt").write_bytes(b"Notes\n1. " + b"(" * 5000 + b"\xff\n")
        (folder / "b.md").write_bytes(b"x[^1]\n\n[^1]: " + b"*_" * 5000 + b"\n")
        (folder / "c.xml").write_bytes(
            b"<!DOCTYPE x [<!ENTITY a SYSTEM 'http://example.invalid/x'>]><x>&a;</x>"
        )
        (folder / "d.docx").write_bytes(b"PK\x03\x04 not a zip")
        (folder / "e.tex").write_bytes(b"\\footnote{" * 3000)
        (folder / "bad.bib").write_bytes(b"@string{a = b # a}@string{b = a # b}@book{k, title = a}\x00")
        runs = [
            _console(["check", ".", "--bib", "bad.bib", "--format", "json"], folder),
            _console(["check", "-", "--format", "json"], folder, stdin=bytes(range(256)) * 10),
            _console(["fix", ".", "--bib", "bad.bib", "--diff"], folder),
        ]
        for done in runs:
            err = done.stderr.decode("utf-8", "replace")
            assert done.returncode in (0, 1, 2), err
            assert "Traceback" not in err and "internal error" not in err, err
        jsonschema.validate(json.loads(runs[0].stdout), SCHEMA_DATA)
        jsonschema.validate(json.loads(runs[1].stdout), SCHEMA_DATA)
