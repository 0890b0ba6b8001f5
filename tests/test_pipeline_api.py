"""``check()`` as a library call: what it accepts, where configured globs apply, and what it says
when there is nothing to read (findings of the contract audit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from notecheck import check
from notecheck.baseline import Baseline

NOTES = "Body text.1\n\nNotes\n1. E. H. Carr, The Bolshevik Revolution (London, 1950), 12.\n2. Ibid., 14.\n"
BIB = "@book{carr1950, author = {Carr, E. H.}, title = {The Bolshevik Revolution}, year = {1950},\n  location = {London}}\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "edition").mkdir()
    (tmp_path / "edition" / "a.txt").write_text(NOTES, encoding="utf-8")
    (tmp_path / "edition" / "drafts").mkdir()
    (tmp_path / "edition" / "drafts" / "b.txt").write_text(NOTES, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "notecheck.toml").write_text(
        'paths = ["edition"]\nbibliography = "refs.bib"\nexclude = ["edition/drafts/*"]\n', encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_one_path_as_a_string_is_one_path_not_its_characters(project: Path) -> None:
    one = check("edition/a.txt", bib="refs.bib", baseline=Baseline())
    listed = check(["edition/a.txt"], bib="refs.bib", baseline=Baseline())
    assert [d.path for d in one.documents] == ["edition/a.txt"]
    assert [d.code for d in one.all_diagnostics()] == [d.code for d in listed.all_diagnostics()]
    assert check(Path("edition/a.txt"), bib="refs.bib").documents[0].path == "edition/a.txt"


def test_a_configuration_file_can_be_named_by_its_path(project: Path) -> None:
    report = check(config="notecheck.toml", baseline=Baseline())
    assert [Path(d.path).name for d in report.documents] == ["a.txt"]  # paths, bibliography, exclude read
    assert report.bibliography.bibliography is not None and report.bibliography.unused == []


def test_a_configured_exclude_applies_from_any_working_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert [Path(d.path).name for d in check(baseline=Baseline()).documents] == ["a.txt"]
    monkeypatch.chdir(project / "sub")
    documents = check(baseline=Baseline()).documents
    assert [Path(d.path).name for d in documents] == ["a.txt"]  # drafts/b.txt still excluded


def test_a_folder_without_edition_files_says_so(project: Path) -> None:
    report = check(["sub"], bib="refs.bib", baseline=Baseline())
    [problem] = [d for d in report.all_diagnostics() if d.code == "NC905"]
    assert "a folder with no edition files" in problem.message and ".txt" in problem.message


def test_nothing_read_means_no_entry_is_called_unused(project: Path) -> None:
    nothing = check(["missing.txt"], bib="refs.bib", baseline=Baseline())
    assert [d.code for d in nothing.all_diagnostics()] == ["NC905"]
    read = check(["edition/a.txt"], bib="refs.bib", baseline=Baseline())
    assert read.bibliography.unused == []  # carr1950 is cited
    (project / "edition" / "c.txt").write_text("Body.\n\nNotes\n1. A plain remark.\n", encoding="utf-8")
    uncited = check(["edition/c.txt"], bib="refs.bib", baseline=Baseline())
    assert uncited.bibliography.unused == ["carr1950"]  # read, and not cited: reported


def test_an_unmatched_accept_names_the_configuration_as_its_own_problems_do(project: Path) -> None:
    with (project / "notecheck.toml").open("a", encoding="utf-8") as file:
        file.write('\n[[accept]]\ncode = "NC401"\nfingerprint = "0123456789abcdef"\nreason = "kept"\n')
    report = check(config=project / "notecheck.toml", baseline=Baseline())
    [unmatched] = [d for d in report.all_diagnostics() if d.code == "NC908"]
    assert unmatched.span.path == "notecheck.toml"
