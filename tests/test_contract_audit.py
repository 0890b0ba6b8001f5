"""The public contract (/work/shared/CONTRACT.md), promise by promise, in the cases users hit.

Each test names the contract sentence it holds notecheck to. The checks run for real on small
editions in a temporary folder (paths with spaces and non-ASCII letters, mixed formats, a
configuration in a parent folder); the other contract tests (``test_cli``, ``test_config``,
``test_sarif``, ``test_plugin`` …) cover the everyday cases.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from notecheck.cli import main

SARIF_SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")
FORMATS_DATA = Path(__file__).parent / "data" / "formats"

#: Four notes: a damaged ibid (NC303, error, safe fix), an unknown short form (NC401, error),
#: a numbering gap (NC104, error), a backward page range (NC301, error).
BROKEN = """\
Notes

1. Victoria E. Bonnell, Roots of Rebellion: Workers' Politics and Organizations in St. Petersburg and Moscow, 1900–1914 (Berkeley: University of California Press, 1983), 112–14.
2. lbid., 45.
3. Smith, Nonexistent Book, 12.
5. Ibid., 91-87.
"""
CLEAN = """\
Notes

1. Victoria E. Bonnell, Roots of Rebellion: Workers' Politics and Organizations in St. Petersburg and Moscow, 1900–1914 (Berkeley: University of California Press, 1983), 112–14.
2. Ibid., 45.
"""


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "refs.bib").write_bytes((FORMATS_DATA / "notes.bib").read_bytes())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.out, captured.err


def write(path: Path, text: str = BROKEN) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes(report: dict[str, Any]) -> list[str]:
    return [d["code"] for doc in report["documents"] for d in doc["diagnostics"]]


# --- Command line: paths, folders, standard input ---------------------------------------------------


def test_paths_with_spaces_and_unicode_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, report_schema: dict[str, Any]
) -> None:
    """A path as given, POSIX separators; SARIF URIs percent-encoded and schema-valid; GitHub
    workflow-command properties escaped (``,`` and ``:`` end a property)."""
    write(tmp_path / "éd ité" / "a,b: ñ.txt")
    shown = "éd ité/a,b: ñ.txt"
    code, out, _ = run(capsys, "check", "éd ité", "--bib", "refs.bib")
    assert code == 1 and f"{shown}:4:4: NC303 " in out
    code, out, _ = run(capsys, "check", "éd ité", "--bib", "refs.bib", "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, report_schema)
    assert code == 1 and [d["path"] for d in data["documents"]] == [shown]
    code, out, _ = run(capsys, "check", "éd ité", "--bib", "refs.bib", "--format", "sarif")
    sarif = json.loads(out)
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for loc in result.get("locations", [])
    }
    assert "%C3%A9d%20it%C3%A9/a%2Cb%3A%20%C3%B1.txt" in uris
    code, out, _ = run(capsys, "check", "éd ité", "--bib", "refs.bib", "--format", "github")
    assert code == 1
    assert out.startswith(
        "::error file=éd ité/a%2Cb%3A ñ.txt,line=4,col=4,endLine=4,endColumn=9,title=NC303::"
    )


def test_a_folder_of_mixed_formats_is_chosen_by_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """In a folder, ``.txt .md .xml .tei .docx .tex`` files are checked, skipping ``README*``,
    ``LICENSE*`` and hidden files (and hidden folders); other files are left alone."""
    folder = tmp_path / "ed"
    for name in ("notes.txt", "notes.md", "notes.xml", "notes.tex"):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes((FORMATS_DATA / name).read_bytes())
    (folder / "more.tei").write_bytes((FORMATS_DATA / "notes.xml").read_bytes())
    (folder / "old.docx").write_bytes(b"not a zip")  # chosen, then reported (NC155)
    for skipped in ("README.md", "README", "LICENSE.txt", ".draft.txt", ".git/x.txt", "notes.pdf", "a.bib"):
        write(folder / skipped)
    write(folder / "deeper" / "n.txt", CLEAN)
    code, out, _ = run(capsys, "check", "ed", "--bib", "refs.bib", "--format", "json")
    paths = [d["path"] for d in json.loads(out)["documents"]]
    assert sorted(paths) == [
        "ed/deeper/n.txt",
        "ed/more.tei",
        "ed/notes.md",
        "ed/notes.tex",
        "ed/notes.txt",
        "ed/notes.xml",
        "ed/old.docx",
    ]
    formats = {d["path"]: d["format"] for d in json.loads(out)["documents"]}
    assert formats["ed/more.tei"] == "tei" and formats["ed/old.docx"] == "docx"
    assert code == 1  # the corrupt .docx is an error, reported, not a crash


def test_standard_input_in_json_and_fix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-`` as a path reads standard input: the report names it ``-``; ``fix -`` prints the
    fixed text on standard output and the report on standard error."""
    crlf = BROKEN.replace("\n", "\r\n").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(crlf)))
    code, out, _ = run(capsys, "check", "-", "--bib", "refs.bib", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["documents"][0]["path"] == "-" and "NC303" in codes(data)

    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(crlf)))
    monkeypatch.setattr(sys, "stdout", stdout)
    code = main(["fix", "-", "--bib", "refs.bib"])
    stdout.flush()
    fixed = stdout.buffer.getvalue()  # type: ignore[attr-defined]
    assert fixed == crlf.replace(b"lbid.", b"Ibid.")  # line ends kept, nothing else changed
    assert code == 1  # NC401, NC104, NC301 remain
    assert "NC401" in capsys.readouterr().err


def test_an_empty_folder_or_only_unreadable_paths_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Exit 2: no input path could be read at all; a report is still written."""
    (tmp_path / "empty").mkdir()
    for argv in (["missing.txt"], ["empty"]):
        code, out, _ = run(capsys, "check", *argv, "--bib", "refs.bib", "--format", "json")
        assert code == 2
        assert json.loads(out)["summary"]["documents"] == 1
    write(tmp_path / "ok.txt", CLEAN)
    assert run(capsys, "check", "missing.txt", "ok.txt", "--bib", "refs.bib", "-q")[0] == 1  # NC905


# --- Command line: selection, exit codes, output ----------------------------------------------------


def test_select_ignore_extend_select_longest_prefix_wins(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--select``, ``--ignore``, ``--extend-select``: codes or prefixes, the longest prefix wins
    (an equally long ignore beats a select), case-insensitive."""
    write(tmp_path / "a.txt")

    def found(*options: str) -> set[str]:
        _, out, _ = run(capsys, "check", "a.txt", "--bib", "refs.bib", "--format", "json", *options)
        return set(codes(json.loads(out)))

    assert found("--select", "NC3") == {"NC301", "NC303"}
    assert found("--select", "nc3", "--ignore", "NC30") == set()
    assert found("--select", "NC3", "--ignore", "NC30", "--extend-select", "NC303") == {"NC303"}
    assert found("--select", "NC301", "--ignore", "NC3") == {"NC301"}  # longer select wins
    assert found("--select", "NC301", "--ignore", "NC301") == set()  # equally long: ignore wins
    assert found("--ignore", "NC1,NC3,NC2") == {"NC401"}


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_selectors_are_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str
) -> None:
    write(tmp_path / "a.txt")
    code, out, err = run(capsys, "check", "a.txt", "--bib", "refs.bib", option, "NC3,NC4O1", "--exit-zero")
    assert code == 2 and out == ""
    assert f"{option}: 'NC4O1' matches no rule" in err


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "html"])
def test_output_to_an_unwritable_place_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    """A report that cannot be written: exit 2 with a message (never a traceback), even with
    ``--exit-zero``; into a folder, or into a folder that does not exist."""
    write(tmp_path / "a.txt")
    for target in ("no/such/dir/report", "."):
        code, out, err = run(
            capsys, "check", "a.txt", "--bib", "refs.bib", "--format", fmt, "-o", target, "--exit-zero"
        )
        assert code == 2 and out == ""
        assert err.startswith(f"notecheck: error: cannot write {target}")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "html"])
def test_exit_codes_in_every_format(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    """0: no error-level finding (warnings allowed); 1: an error, and the report is still written
    in full; ``--exit-zero`` turns 1 into 0."""
    write(tmp_path / "a.txt")
    write(tmp_path / "clean.txt", CLEAN)
    code, _, _ = run(capsys, "check", "a.txt", "--bib", "refs.bib", "--format", fmt, "-o", "r.out")
    assert code == 1
    written = (tmp_path / "r.out").read_text(encoding="utf-8")
    assert "NC303" in written and "NC401" in written
    assert run(capsys, "check", "a.txt", "--bib", "refs.bib", "--format", fmt, "--exit-zero")[0] == 0
    # Only warnings: the three entries of refs.bib that clean.txt does not cite (NC250).
    code, out, _ = run(capsys, "check", "clean.txt", "--bib", "refs.bib", "--format", fmt)
    assert code == 0 and "NC250" in out


def test_no_color_and_color_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--color auto|always|never`` (and ``NO_COLOR``): never colour when not a terminal or with
    ``never``; ``always`` colours even with ``NO_COLOR``; machine formats are never coloured."""
    write(Path("a.txt"))
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, "check", "a.txt", "--bib", "refs.bib")[1]
    assert "\x1b[" in run(capsys, "check", "a.txt", "--bib", "refs.bib", "--color", "always")[1]
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run(capsys, "check", "a.txt", "--bib", "refs.bib", "--color", "never")[1]
    for fmt in ("json", "sarif", "github", "html"):
        out = run(capsys, "check", "a.txt", "--bib", "refs.bib", "--color", "always", "--format", fmt)[1]
        assert "\x1b[" not in out, fmt


def test_jobs_zero_means_one_per_cpu(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "a.txt")
    write(tmp_path / "b.txt", CLEAN)
    one = run(capsys, "check", "a.txt", "b.txt", "--bib", "refs.bib", "--format", "json", "-j", "1")
    every = run(capsys, "check", "a.txt", "b.txt", "--bib", "refs.bib", "--format", "json", "-j", "0")
    assert one == every and one[0] == 1


def test_without_a_bibliography_one_diagnostic_and_the_rest_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--bib`` falls back to the configuration; with neither, checks that need a bibliography
    report one diagnostic and the rest still run."""
    write(tmp_path / "a.txt")
    code, out, _ = run(capsys, "check", "a.txt", "--format", "json")
    data = json.loads(out)
    everything = codes(data) + [d["code"] for d in data["bibliography"]["diagnostics"] + data["diagnostics"]]
    assert everything.count("NC903") == 1
    assert {"NC303", "NC104", "NC301"} <= set(everything)
    assert "NC401" not in everything  # needs the bibliography
    assert code == 1


# --- Configuration -----------------------------------------------------------------------------------


def test_configuration_read_from_a_parent_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Searched upward from the working folder; relative paths are the configuration folder's.
    From a subfolder the paths are shown without ``..`` and fingerprints do not change."""
    write(tmp_path / "édition" / "a.txt")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.notecheck]\npaths = ["édition"]\nbibliography = "refs.bib"\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "--format", "json")
    at_root = json.loads(out)
    assert code == 1 and at_root["documents"][0]["path"] == "édition/a.txt"

    deeper = tmp_path / "sub" / "deeper"
    deeper.mkdir(parents=True)
    os.chdir(deeper)
    code, out, _ = run(capsys, "--format", "json")
    below = json.loads(out)
    assert code == 1
    assert below["documents"][0]["path"] == (tmp_path / "édition" / "a.txt").as_posix()
    prints = [[d["fingerprint"] for d in doc["diagnostics"]] for doc in at_root["documents"]]
    assert prints == [[d["fingerprint"] for d in doc["diagnostics"]] for doc in below["documents"]]

    # A nearer notecheck.toml wins; its paths reach up with '..', which the report folds away.
    (tmp_path / "sub" / "notecheck.toml").write_text(
        'paths = ["../édition"]\nbibliography = "../refs.bib"\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "--format", "json")
    nearer = json.loads(out)
    assert code == 1
    assert nearer["documents"][0]["path"] == (tmp_path / "édition" / "a.txt").as_posix()
    assert nearer["bibliography"]["path"] == (tmp_path / "refs.bib").as_posix()


def test_an_unreadable_configuration_is_named_when_no_paths_are_left(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bare ``notecheck`` whose configuration is not valid TOML says so (exit 2), instead of only
    'no paths configured'."""
    (tmp_path / "notecheck.toml").write_text('paths = ["edition"\n', encoding="utf-8")
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    assert "configuration could not be used" in err and "notecheck.toml:1" in err


def test_unknown_keys_and_accepted_findings_from_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Unknown keys are a diagnostic; ``[[tool.notecheck.accept]]`` findings are reported as
    suppressed, with their reason, and do not fail the run."""
    write(tmp_path / "a.txt", CLEAN.replace("2. Ibid.", "2. lbid."))
    code, out, _ = run(capsys, "check", "a.txt", "--bib", "refs.bib", "--format", "json")
    assert code == 1
    damaged = next(d for d in json.loads(out)["documents"][0]["diagnostics"] if d["code"] == "NC303")
    (tmp_path / "notecheck.toml").write_text(
        'bibliograhpy = "refs.bib"\n\n[[accept]]\ncode = "NC303"\n'
        f'fingerprint = "{damaged["fingerprint"]}"\nreason = "kept as printed"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "a.txt", "--bib", "refs.bib", "--format", "json")
    data = json.loads(out)
    (accepted,) = [d for d in data["documents"][0]["diagnostics"] if d["code"] == "NC303"]
    assert accepted["suppressed"] is True
    assert accepted["suppression"] == {"kind": "accepted", "reason": "kept as printed"}
    assert [d["code"] for d in data["diagnostics"]] == ["NC901"]  # the misspelt key
    assert code == 0 and data["summary"]["suppressed"] == 1 and data["summary"]["errors"] == 0


# --- Fix and baseline ----------------------------------------------------------------------------------


def test_fix_through_a_symbolic_link_keeps_the_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Atomic write: the file a link points to is fixed, the link stays a link, mode kept."""
    target = write(tmp_path / "real notes.txt")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    code, _, _ = run(capsys, "fix", "link.txt", "--bib", "refs.bib")
    assert code == 1  # NC401, NC104, NC301 remain
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert "2. Ibid., 45." in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real notes.txt", "refs.bib"]


def test_fix_diff_writes_nothing_in_a_mixed_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--diff`` prints a unified diff and writes nothing; TEI files are never rewritten."""
    write(tmp_path / "ed" / "a b.txt")
    tei = tmp_path / "ed" / "n.xml"
    tei.write_bytes((FORMATS_DATA / "notes.xml").read_bytes())
    before = {p: p.read_bytes() for p in (tmp_path / "ed").iterdir()}
    code, out, _ = run(capsys, "fix", "ed", "--bib", "refs.bib", "--diff")
    assert "--- a/ed/a b.txt\n+++ b/ed/a b.txt\n" in out and "+2. Ibid., 45.\n" in out
    assert code == 1  # the findings that would remain
    assert {p: p.read_bytes() for p in (tmp_path / "ed").iterdir()} == before
    run(capsys, "fix", "ed", "--bib", "refs.bib")
    assert tei.read_bytes() == before[tei]
    assert (tmp_path / "ed" / "a b.txt").read_bytes() == before[tmp_path / "ed" / "a b.txt"].replace(
        b"lbid.", b"Ibid."
    )


def test_baseline_then_check_exits_0_and_sarif_marks_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``baseline --output FILE`` records today's findings; ``check --baseline FILE`` exits 0 when
    nothing is new, and a new finding (even after lines were inserted above) is the only one
    that fails; SARIF carries ``baselineState``."""
    path = write(tmp_path / "ed ité.txt")
    assert run(capsys, "baseline", "ed ité.txt", "--bib", "refs.bib", "--output", "known.json")[0] == 0
    code, out, _ = run(capsys, "check", "ed ité.txt", "--bib", "refs.bib", "--baseline", "known.json", "-q")
    assert code == 0
    path.write_text("\n\n\n\n" + BROKEN + "6. Smith, Another Lost Book, 3.\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "check", "ed ité.txt", "--bib", "refs.bib", "--baseline", "known.json", "--format", "sarif"
    )
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    new = [r for r in results if r["baselineState"] == "new"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in new] == [
        ("NC401", 11)
    ]
    assert all("suppressions" in r for r in results if r["baselineState"] == "unchanged")


# --- JSON report --------------------------------------------------------------------------------------


def test_diagnostics_are_sorted_by_path_line_column_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "z.txt")
    write(tmp_path / "a.txt", BROKEN.replace("3. Smith", "3. lbid., 4; Smith"))
    _, out, _ = run(capsys, "check", "z.txt", "a.txt", "--bib", "refs.bib", "--format", "json")
    data = json.loads(out)
    lists = [doc["diagnostics"] for doc in data["documents"]]
    lists += [data["bibliography"]["diagnostics"], data["diagnostics"]]
    for found in lists:
        keys = [(d["path"], d["line"], d["column"], d["code"]) for d in found]
        assert keys == sorted(keys)
    assert sum(len(found) for found in lists) >= 9


# --- Library API -----------------------------------------------------------------------------------------


def test_library_reading_raises_oserror_only_for_unopenable_paths(tmp_path: Path) -> None:
    from notecheck import check, load_bibliography, read_edition, read_edition_text

    (tmp_path / "folder").mkdir()
    for unopenable in ("missing.txt", "folder"):
        with pytest.raises(OSError):
            read_edition(tmp_path / unopenable)
        with pytest.raises(OSError):
            load_bibliography(tmp_path / unopenable)
    garbage = tmp_path / "garbage.bib"
    garbage.write_bytes(b"\x00\xff@book{x,\n title = {unclosed\n")
    assert load_bibliography(garbage).diagnostics  # bad content: diagnostics, no exception
    assert read_edition_text(BROKEN).source.path == "<string>"
    # check() never raises for input problems: missing files, a folder as the bibliography,
    # a binary bibliography.
    for bib in (tmp_path / "missing.bib", tmp_path / "folder", garbage):
        report = check([tmp_path / "missing.txt", tmp_path / "folder"], bib=bib)
        assert report.exit_code == 1


# --- pytest plugin ------------------------------------------------------------------------------------

pytest_plugins = ["pytester"]


def test_plugin_warning_on_the_bibliography_item_is_a_pytest_warning(pytester: pytest.Pytester) -> None:
    """Issue 8: warnings below ``--notecheck-fail-on`` are pytest warnings, on every item. An
    unused entry (NC250, a warning) sits on the bibliography item, which has no line: it once
    failed that item with pytest's internal AssertionError."""
    from notecheck.pipeline import check

    check([FORMATS_DATA / "notes.txt"], bib=FORMATS_DATA / "notes.bib")  # stages imported once, here
    pytester.makepyprojecttoml('[tool.notecheck]\npaths = ["edition/"]\nbibliography = "refs.bib"\n')
    (pytester.path / "edition").mkdir()
    (pytester.path / "edition" / "a.txt").write_text(CLEAN, encoding="utf-8")
    (pytester.path / "refs.bib").write_bytes((FORMATS_DATA / "notes.bib").read_bytes())
    result = pytester.runpytest("--notecheck", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, warnings=3)
    result.stdout.fnmatch_lines(["*NotecheckWarning: refs.bib:*: NC250 entry 'steinberg1994'*"])
    assert "AssertionError" not in result.stdout.str()


def test_suggest_bib_with_and_without_a_bibliography(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``suggest-bib``: BibTeX entries for works cited in full but missing from the bibliography;
    with no bibliography, every work cited in full (it used to suggest nothing)."""
    (tmp_path / "notes.txt").write_bytes((FORMATS_DATA / "notes.txt").read_bytes())
    whole = (tmp_path / "refs.bib").read_text(encoding="utf-8")
    (tmp_path / "small.bib").write_text(whole.split("@book{bonnell1983")[0], encoding="utf-8")
    code, out, _ = run(capsys, "suggest-bib", "notes.txt", "--bib", "small.bib")
    assert code == 0 and "@book{bonnell1983," in out and "zelnik1986" not in out
    code, out, err = run(capsys, "suggest-bib", "notes.txt", "--bib", "refs.bib")
    assert code == 0 and out == "" and "no entries to suggest" in err
    code, out, _ = run(capsys, "suggest-bib", "notes.txt", "-o", "new.bib")
    heads = [
        line for line in (tmp_path / "new.bib").read_text(encoding="utf-8").splitlines() if line[:1] == "@"
    ]
    assert code == 0 and len(heads) == 4 and "@collection{zelnik1986," in heads


def test_baseline_output_to_a_pipe_or_standard_output_feeds_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--output FILE`` may be a named pipe (or ``/dev/stdout``): the atomic write must feed it,
    not rename a regular file over it (as root that once replaced a device node)."""
    import stat
    import threading

    write(tmp_path / "a.txt")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, out, _ = run(capsys, "baseline", "a.txt", "--bib", "refs.bib", "--output", "pipe")
    reader.join(timeout=10)
    assert code == 0 and "recorded 7 finding(s) in pipe" in out
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and json.loads(received[0])["version"] == 1


# --- Rule codes -------------------------------------------------------------------------------------------

#: The contract's examples of each default severity, by rule slug.
CONTRACT_SEVERITIES = {
    "error": [
        "unknown-reference",  # broken reference
        "full-citation-not-in-bibliography",
        "archival-file-not-in-bibliography",
        "ibid-without-antecedent",  # ibid with no antecedent
        "backward-page-range",  # impossible page range
        "archival-backwards-range",
        "note-number-gap",  # numbering gap
        "bib-parse-error",  # unparsable bibliography entry
        "damaged-ibid",  # a damaged abbreviation whose reading is certain
        "archival-damaged-abbreviation",
    ],
    "warning": [
        "ambiguous-reference",  # ambiguous reference
        "ambiguous-ibid",
        "inconsistent-short-form",  # inconsistent short forms or style
        "archival-house-style",
        "unused-entry",  # unused bibliography entry
        "short-form-before-full-citation",  # short form before the full citation
    ],
    "info": [
        "notes-without-call",  # note calls not recognisable in OCR text
        "skipped-debris",  # skipped debris
    ],
}
FAMILIES = {
    "1": "reading",
    "2": "bibliography",
    "3": "citation",
    "4": "resolution",
    "5": "archival",
    "9": "tool",
}


def test_every_rule_is_registered_once_in_its_family_with_a_four_part_doc() -> None:
    """``NC`` + three digits by family, each rule once with code, slug, default severity, message
    template and a four-part doc; ``explain`` prints the four parts."""
    import importlib
    import re

    from notecheck.report.catalogue import explain
    from notecheck.rules import Rule, all_rules

    defined: dict[str, list[str]] = {}
    for family in FAMILIES.values():
        module = importlib.import_module(f"notecheck.rules.{family}")
        for value in vars(module).values():
            if isinstance(value, Rule):
                defined.setdefault(value.code, []).append(family)
    rules = all_rules()
    assert sorted(defined) == [r.code for r in rules]
    for found in rules:
        assert re.fullmatch(r"NC[1-59]\d\d", found.code), found.code
        assert defined[found.code] == [FAMILIES[found.code[2]]], found.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", found.slug), found.slug
        assert all(
            part.strip() for part in (found.message, found.what, found.why, found.example, found.instead)
        )
        page = explain(found)
        assert all(part.strip().splitlines()[0] in page for part in (found.what, found.why, found.instead))
    assert len({r.slug for r in rules}) == len(rules)


@pytest.mark.parametrize("severity", sorted(CONTRACT_SEVERITIES))
def test_default_severities_follow_the_contracts_principle(severity: str) -> None:
    from notecheck.rules import all_rules

    by_slug = {r.slug: str(r.severity) for r in all_rules()}
    assert {slug: by_slug.get(slug) for slug in CONTRACT_SEVERITIES[severity]} == dict.fromkeys(
        CONTRACT_SEVERITIES[severity], severity
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "a.txt", "-o", "no/such/dir/r.txt"],
        ["check", "a.txt", "--format", "json", "-o", "."],
        ["baseline", "a.txt", "-o", "no/such/dir/known.json"],
        ["suggest-bib", "a.txt", "-o", "."],
    ],
)
def test_an_impossible_output_fails_before_the_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str]
) -> None:
    """A long check should not run only to find that its report cannot be written."""
    import notecheck.pipeline

    def no_check(*args: object, **kwargs: object) -> None:
        raise AssertionError("checked although the output cannot be written")

    monkeypatch.setattr(notecheck.pipeline, "check", no_check)
    monkeypatch.setattr(notecheck.pipeline, "Run", no_check)
    write(tmp_path / "a.txt")
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("notecheck: error: cannot write ")


def test_fixes_in_files_fix_never_rewrites_are_not_marked_fixable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``[*]`` and 'fixable with `notecheck fix`' promise what ``fix`` does: a TEI file's fix is
    shown, but it is not marked, counted or announced as fixable (in text, statistics, GitHub
    and the pytest plugin's items)."""
    tei = (FORMATS_DATA / "notes.xml").read_text(encoding="utf-8")
    assert tei.count(">Ibid.,") >= 1
    (tmp_path / "n.xml").write_text(tei.replace(">Ibid.,", ">lbid.,", 1), encoding="utf-8")
    write(tmp_path / "a.txt")
    code, out, _ = run(capsys, "check", "n.xml", "a.txt", "--bib", "refs.bib", "--select", "NC303")
    heads = [line for line in out.splitlines() if " NC303 " in line]
    assert code == 1 and len(heads) == 2
    assert {h.split(":")[0]: h.endswith("[*]") for h in heads} == {"a.txt": True, "n.xml": False}
    assert "= fix: replace 'lbid.' with 'Ibid.'" in out.split("\na.txt:")[0]  # the TEI fix is shown
    assert out.splitlines()[-1].endswith("2 errors, 0 warnings (1 fixable with `notecheck fix`)")
    _, out, _ = run(capsys, "check", "n.xml", "--bib", "refs.bib", "--select", "NC303", "--statistics")
    assert "[*]" not in out and "fixable" not in out
    _, out, _ = run(capsys, "check", "n.xml", "--bib", "refs.bib", "--select", "NC303", "--format", "github")
    assert "NC303" in out and "fixable" not in out

    from notecheck.pipeline import check
    from notecheck.pytest_plugin import results_from_report

    report = check([tmp_path / "n.xml"], bib=tmp_path / "refs.bib")
    results = results_from_report(report, tmp_path / "refs.bib", base=tmp_path)
    failures = [text for item in results.items for text in item.failures if " NC303 " in text]
    assert failures and not any("[*]" in text.splitlines()[0] for text in failures)


def test_the_command_line_beats_the_same_selector_in_the_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With ``ignore = ["NC401"]`` configured, ``--select NC401`` used to run nothing at all (a
    tie, and ignore won); now the command line is applied over the configuration, as in ruff.
    The longest prefix still wins, and an ignore on the same command line still beats a select."""
    write(tmp_path / "a.txt")
    (tmp_path / "notecheck.toml").write_text(
        'bibliography = "refs.bib"\nignore = ["NC401"]\n', encoding="utf-8"
    )

    def found(*options: str) -> set[str]:
        _, out, _ = run(capsys, "check", "a.txt", "--format", "json", *options)
        return set(codes(json.loads(out)))

    assert "NC401" not in found()
    assert found("--select", "nc401") == {"NC401"}
    assert "NC401" in found("--extend-select", "NC401")
    assert found("--select", "NC4") == set()  # the configured NC401 is longer than NC4
    assert found("--select", "NC401", "--ignore", "NC401") == set()


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "ed/a.txt", "-o", "ed/a.txt"],
        ["check", "ed", "--format", "json", "-o", "ed/a.txt"],  # found in a folder being checked
        ["check", "./ed/../ed/a.txt", "-o", "ed/a.txt"],
        ["suggest-bib", "ed", "-o", "refs.bib"],  # the bibliography
        ["check", "ed", "--baseline", "known.json", "-o", "known.json"],
        ["baseline", "ed", "-o", "ed/a.txt"],
    ],
)
def test_output_onto_a_file_being_read_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    """Never lose text: ``--output`` naming an edition being checked, the bibliography or the
    baseline compared with used to overwrite it with the report."""
    edition = write(tmp_path / "ed" / "a.txt")
    (tmp_path / "known.json").write_text('{"version": 1, "diagnostics": []}\n', encoding="utf-8")
    before = {p: p.read_bytes() for p in (edition, tmp_path / "refs.bib", tmp_path / "known.json")}
    code, out, err = run(capsys, *argv, "--bib", "refs.bib")
    assert code == 2 and out == ""
    assert "is one of the files this command reads" in err
    assert {p: p.read_bytes() for p in before} == before
    # `baseline` rewrites the configured baseline on purpose.
    (tmp_path / "notecheck.toml").write_text('baseline = "known.json"\n', encoding="utf-8")
    assert run(capsys, "baseline", "ed", "--bib", "refs.bib", "-o", "known.json")[0] == 0


@pytest.mark.parametrize("name", ["pyproject.toml", "notecheck.toml"])
def test_a_configuration_saved_with_a_byte_order_mark_and_crlf_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    """A Windows editor's UTF-8 BOM used to make the file invalid TOML: a pyproject.toml was then
    passed by without a word, a notecheck.toml lost every key."""
    write(tmp_path / "a.txt")
    table = "[tool.notecheck]\r\n" if name == "pyproject.toml" else ""
    body = f'{table}paths = ["a.txt"]\r\nbibliography = "refs.bib"\r\nselect = ["NC303"]\r\n'
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    code, out, _ = run(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 1 and codes(data) == ["NC303"] and data["diagnostics"] == []


def test_a_faulty_accept_entry_is_reported_at_its_own_header(tmp_path: Path) -> None:
    """Findings point at the ``[[accept]]`` entry at fault, not at the first one."""
    from notecheck.config import load_config

    (tmp_path / "notecheck.toml").write_text(
        '[[accept]]\ncode = "NC303"\nfingerprint = "a"\nreason = "fine"\n\n'  # lines 1-4
        '[[accept]]\ncode = "NC303"\n\n'  # line 6: no fingerprint
        '[[accept]]\ncode = "NC401"\nfingerprint = "b"\nreasn = "typo"\n',  # line 9: unknown key
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert sorted((d.code, d.span.line) for d in config.diagnostics) == [("NC901", 9), ("NC902", 6)]
    assert [(a.code, a.line) for a in config.accept] == [("NC303", 1), ("NC401", 9)]


@pytest.mark.parametrize(("typed", "meant"), [("chekc", "check"), ("rule", "rules"), ("expain", "explain")])
def test_a_misspelt_command_gets_a_hint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, typed: str, meant: str
) -> None:
    """Bare ``notecheck PATH`` checks, so a misspelt command is read as a missing path (exit 2,
    NC905); standard error also names the command that was probably meant."""
    code, _, err = run(capsys, typed, "--bib", "refs.bib", "-q")
    assert code == 2
    assert f"notecheck: no file '{typed}'; did you mean the command '{meant}'?" in err
    write(tmp_path / typed, CLEAN)  # a real file of that name is simply checked
    code, _, err = run(capsys, typed, "--bib", "refs.bib", "-q")
    assert code == 0 and "did you mean" not in err
