"""The pytest plugin, run by pytest itself (``pytester``) in small synthetic edition repositories."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

pytest_plugins = ["pytester"]

EDITION = """\
A SHORT EDITION

Document 1

The first winter.1 The letters.2 The strike.3 The file.4 The book.5

Notes

1. Reginald E. Zelnik, ed. and trans., A Radical Worker in Tsarist Russia: The Autobiography of Semën Ivanovich Kanatchikov (Stanford: Stanford University Press, 1986), 387–91.
2. Ibid., 45.
3. Victoria E. Bonnell, Roots of Rebellion: Workers' Politics and Organizations in St. Petersburg and Moscow, 1900–1914 (Berkeley: University of California Press, 1983), 112–14.
4. RGASPI, f. 17, op. 100, d. 134977, l. 47.
5. Zelnik, Radical Worker, 12–14.
"""

BIBLIOGRAPHY = """\
@collection{zelnik1986,
  editor = {Zelnik, Reginald E.},
  title = {A Radical Worker in Tsarist Russia: The Autobiography of Semën Ivanovich Kanatchikov},
  address = {Stanford},
  publisher = {Stanford University Press},
  year = {1986},
}

@book{bonnell1983,
  author = {Bonnell, Victoria E.},
  title = {Roots of Rebellion: Workers' Politics and Organizations in St. Petersburg and Moscow, 1900--1914},
  address = {Berkeley},
  publisher = {University of California Press},
  year = {1983},
}
"""

CONFIG = """\
[tool.notecheck]
paths = ["edition/"]
bibliography = "bibliography.bib"
"""

#: Two broken references: a damaged ibid in note 2 (NC303), a damaged `op.` in note 4 (NC501).
BROKEN = EDITION.replace("2. Ibid.", "2. lbid.").replace("op. 100", "Ope 100")

NOTE_IDS = [f"edition/short.txt::note-{n}" for n in range(1, 6)]
ALL_IDS = [  # in pytest's order: the files of a folder by name
    "bibliography.bib::bibliography",
    "edition/short.txt::edition",
    *NOTE_IDS,
    "pyproject.toml::configuration",
]


@pytest.fixture(autouse=True, scope="module")
def stages_imported(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Check once in this process before the pytester runs.

    pytester's in-process runs put ``sys.modules`` back as they found it, so a stage first
    imported inside a run would be imported again by the next (its grammars built again, its
    rules registered twice). Checking here imports every stage a check needs, once.
    """
    from notecheck.config import Config
    from notecheck.pipeline import check
    from notecheck.report.text import format_diagnostic
    from notecheck.rules import all_rules

    all_rules()
    folder = tmp_path_factory.mktemp("warm")
    (folder / "a.txt").write_text(BROKEN, encoding="utf-8")
    (folder / "a.bib").write_text(BIBLIOGRAPHY, encoding="utf-8")
    report = check([folder / "a.txt"], bib=folder / "a.bib", config=Config(root=folder))
    assert [format_diagnostic(d) for d in report.all_diagnostics()]


def make_repo(
    pytester: pytest.Pytester, edition: str = EDITION, config: str = CONFIG, bibliography: str = BIBLIOGRAPHY
) -> None:
    pytester.makepyprojecttoml(config)
    (pytester.path / "edition").mkdir(exist_ok=True)
    (pytester.path / "edition" / "short.txt").write_text(edition, encoding="utf-8")
    (pytester.path / "bibliography.bib").write_text(bibliography, encoding="utf-8")


def failed_ids(result: pytest.RunResult) -> list[str]:
    return sorted(line.split()[1] for line in result.outlines if line.startswith("FAILED ") and "::" in line)


def collected_ids(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if "::" in line and not line.startswith(("FAILED", "ERROR"))]


def test_off_unless_asked(pytester: pytest.Pytester) -> None:
    make_repo(pytester, BROKEN)
    pytester.makepyfile(test_other="def test_other():\n    assert True\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "notecheck:" not in result.stdout.str()
    assert "::" not in result.stdout.str()


def test_collects_one_item_per_note_plus_edition_bibliography_configuration(
    pytester: pytest.Pytester,
) -> None:
    make_repo(pytester)
    result = pytester.runpytest("--notecheck", "--collect-only", "-q")
    assert collected_ids(result) == ALL_IDS


def test_clean_edition_passes(pytester: pytest.Pytester) -> None:
    make_repo(pytester)
    result = pytester.runpytest("--notecheck", "-v")
    result.assert_outcomes(passed=8)
    result.stdout.fnmatch_lines(
        ["*edition/short.txt::note-4 PASSED*", "*pyproject.toml::configuration PASSED*"]
    )
    result.stdout.fnmatch_lines(["notecheck: 1 document(s), 5 notes, 5 citations: 0 errors*(checked in *)"])
    assert result.ret == pytest.ExitCode.OK


def test_broken_edition_fails_item_by_item_without_traceback(pytester: pytest.Pytester) -> None:
    make_repo(pytester, BROKEN)
    result = pytester.runpytest("--notecheck")
    result.assert_outcomes(passed=6, failed=2)
    assert failed_ids(result) == ["edition/short.txt::note-2", "edition/short.txt::note-4"]
    # Rendered as the text report does: position, code, message, source line, caret, fix.
    result.stdout.fnmatch_lines(
        [
            "*_ note-4 _*",
            "edition/short.txt:12:19: NC501 `Ope` is an OCR-damaged `op.` (opis') [[]*[]]",
            "   |",
            "12 | 4. RGASPI, f. 17, Ope 100, d. 134977, l. 47.",
            "   |                   ^^^",
            "   = fix: replace 'Ope' with 'op.'",
            "",
            "1 finding(s) in note-4 (NC501); `notecheck explain CODE` documents a rule*",
        ]
    )
    result.stdout.fnmatch_lines(["edition/short.txt:10:4: NC303 OCR-damaged ibid 'lbid.'*"])
    output = result.stdout.str()
    for traceback_sign in ("Traceback", "NotecheckFailure", "def runtest", "raise "):
        assert traceback_sign not in output
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_select_and_ignore(pytester: pytest.Pytester) -> None:
    make_repo(pytester, BROKEN)
    selected = pytester.runpytest("--notecheck", "--notecheck-select", "NC5")
    selected.assert_outcomes(passed=7, failed=1)
    assert failed_ids(selected) == ["edition/short.txt::note-4"]

    ignored = pytester.runpytest("--notecheck", "--notecheck-ignore", "nc501")
    ignored.assert_outcomes(passed=7, failed=1)
    assert failed_ids(ignored) == ["edition/short.txt::note-2"]

    both = pytester.runpytest("--notecheck", "--notecheck-select", "NC3, NC5")
    both.assert_outcomes(passed=6, failed=2)

    everything_ignored = pytester.runpytest("--notecheck", "--notecheck-ignore", "NC303,NC501")
    everything_ignored.assert_outcomes(passed=8)


def test_select_and_ignore_in_the_configuration_apply(pytester: pytest.Pytester) -> None:
    make_repo(pytester, BROKEN, CONFIG + 'ignore = ["NC3"]\n')
    result = pytester.runpytest("--notecheck")
    assert failed_ids(result) == ["edition/short.txt::note-4"]


def test_baseline_option_and_configured_baseline(pytester: pytest.Pytester) -> None:
    # Record the baseline while only note 2 is broken ...
    make_repo(pytester, EDITION.replace("2. Ibid.", "2. lbid."))
    recorded = pytester.run(sys.executable, "-m", "notecheck", "baseline", "--output", "known.json")
    assert recorded.ret == 0, recorded.stderr.str()
    # ... then break note 4 too: only the new problem fails.
    make_repo(pytester, BROKEN)
    with_option = pytester.runpytest("--notecheck", "--notecheck-baseline", "known.json")
    with_option.assert_outcomes(passed=7, failed=1)
    assert failed_ids(with_option) == ["edition/short.txt::note-4"]
    with_option.stdout.fnmatch_lines(["notecheck: *: 1 errors, 0 warnings, 0 info, 1 suppressed*"])

    make_repo(pytester, BROKEN, CONFIG + 'baseline = "known.json"\n')
    configured = pytester.runpytest("--notecheck")
    assert failed_ids(configured) == ["edition/short.txt::note-4"]

    disabled = pytester.runpytest("--notecheck", "--notecheck-no-baseline")
    assert failed_ids(disabled) == ["edition/short.txt::note-2", "edition/short.txt::note-4"]


def test_broken_configured_baseline_fails_the_configuration_item(pytester: pytest.Pytester) -> None:
    make_repo(pytester, EDITION, CONFIG + 'baseline = "known.json"\n')
    pytester.makefile(".json", known="{not json")
    result = pytester.runpytest("--notecheck")
    assert failed_ids(result) == ["pyproject.toml::configuration"]
    result.stdout.fnmatch_lines(["*NC907*"])


def test_warnings_are_pytest_warnings_unless_fail_on_warning(pytester: pytest.Pytester) -> None:
    make_repo(pytester, EDITION.replace("f. 17, op.", "f. 17,op."))  # NC506, a warning
    result = pytester.runpytest("--notecheck")
    result.assert_outcomes(passed=8, warnings=1)
    result.stdout.fnmatch_lines(["*NotecheckWarning: edition/short.txt:12:15: NC506 lost space*"])

    strict = pytester.runpytest("--notecheck", "--notecheck-fail-on", "warning")
    strict.assert_outcomes(passed=7, failed=1)
    assert failed_ids(strict) == ["edition/short.txt::note-4"]

    as_errors = pytester.runpytest("--notecheck", "-W", "error::notecheck.pytest_plugin.NotecheckWarning")
    assert failed_ids(as_errors) == ["edition/short.txt::note-4"]
    assert "Traceback" not in as_errors.stdout.str()


def test_numbering_findings_fail_the_edition_item_and_repeated_numbers_get_a_suffix(
    pytester: pytest.Pytester,
) -> None:
    make_repo(pytester, EDITION.replace("\n3. Victoria", "\n2. Victoria"))  # notes 1, 2, 2, 4, 5
    collected = pytester.runpytest("--notecheck", "--collect-only", "-q")
    assert "edition/short.txt::note-2#2" in collected_ids(collected)
    assert "edition/short.txt::note-3" not in collected_ids(collected)

    result = pytester.runpytest("--notecheck")
    assert failed_ids(result) == ["edition/short.txt::edition"]
    result.stdout.fnmatch_lines(["*NC105 note 2 is numbered twice*", "*NC104 note 3 missing*"])


def test_bibliography_item(pytester: pytest.Pytester) -> None:
    duplicate = BIBLIOGRAPHY + "\n@book{bonnell1983,\n  author = {X},\n  title = {Y},\n  year = {1990},\n}\n"
    make_repo(pytester, EDITION, CONFIG, duplicate)
    result = pytester.runpytest("--notecheck")
    assert failed_ids(result) == ["bibliography.bib::bibliography"]
    result.stdout.fnmatch_lines(
        ["bibliography.bib:*: NC202 duplicate key 'bonnell1983'*", "*| @book{bonnell1983,"]
    )


def test_configuration_problems_fail_the_configuration_item(pytester: pytest.Pytester) -> None:
    make_repo(pytester, EDITION, CONFIG + 'exclude = "drafts"\n')  # must be a list: NC902
    result = pytester.runpytest("--notecheck")
    assert failed_ids(result) == ["pyproject.toml::configuration"]
    result.stdout.fnmatch_lines(["pyproject.toml:4:1: NC902 *"])


def test_marker_selects_only_notecheck_items(pytester: pytest.Pytester) -> None:
    make_repo(pytester, BROKEN)
    pytester.makepyfile(test_other="def test_other():\n    assert True\n")
    only = pytester.runpytest("--notecheck", "-m", "notecheck", "--strict-markers")
    only.assert_outcomes(passed=6, failed=2, deselected=1)
    others = pytester.runpytest("--notecheck", "-m", "not notecheck", "--strict-markers")
    others.assert_outcomes(passed=1, deselected=8)


def test_testpaths_still_collect_the_configured_editions(pytester: pytest.Pytester) -> None:
    make_repo(pytester, BROKEN, CONFIG + '\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_other.py").write_text("def test_other():\n    pass\n")
    result = pytester.runpytest("--notecheck")
    result.assert_outcomes(passed=7, failed=2)
    result.stdout.fnmatch_lines(["collected 9 items"])


def test_explicit_paths_and_node_ids(pytester: pytest.Pytester) -> None:
    make_repo(pytester, BROKEN)
    pytester.makepyfile(test_other="def test_other():\n    assert True\n")
    one = pytester.runpytest("--notecheck", "edition/short.txt::note-4")
    one.assert_outcomes(failed=1)
    folder = pytester.runpytest("--notecheck", "edition")
    folder.assert_outcomes(passed=4, failed=2)
    tests_only = pytester.runpytest("--notecheck", "test_other.py")
    tests_only.assert_outcomes(passed=1)


def test_results_come_from_the_cache_until_an_input_changes(pytester: pytest.Pytester) -> None:
    make_repo(pytester)
    first = pytester.runpytest("--notecheck")
    first.stdout.fnmatch_lines(["notecheck: *(checked in *)"])
    second = pytester.runpytest("--notecheck")
    second.assert_outcomes(passed=8)
    second.stdout.fnmatch_lines(["notecheck: *(from pytest's cache)"])

    make_repo(pytester, BROKEN)  # the edition changed
    third = pytester.runpytest("--notecheck")
    third.assert_outcomes(passed=6, failed=2)
    third.stdout.fnmatch_lines(["notecheck: *(checked in *)"])

    other_options = pytester.runpytest("--notecheck", "--notecheck-select", "NC5")
    other_options.stdout.fnmatch_lines(["notecheck: *(checked in *)"])
    other_options.assert_outcomes(passed=7, failed=1)

    (pytester.path / "bibliography.bib").write_text(BIBLIOGRAPHY + "\n", encoding="utf-8")
    changed_bibliography = pytester.runpytest("--notecheck", "--notecheck-select", "NC5")
    changed_bibliography.stdout.fnmatch_lines(["notecheck: *(checked in *)"])

    cleared = pytester.runpytest("--notecheck", "--notecheck-select", "NC5", "--cache-clear")
    cleared.stdout.fnmatch_lines(["notecheck: *(checked in *)"])
    no_cache = pytester.runpytest("--notecheck", "-p", "no:cacheprovider")
    no_cache.assert_outcomes(passed=6, failed=2)


FIXTURE_TEST = """
from notecheck.models import Form, Status


def test_no_ibid_is_ambiguous(notecheck_report):
    ibids = []
    for document in notecheck_report.documents:
        for citation in document.parsed.all_citations():
            if citation.form == Form.IBID:
                ibids.append(citation)
                assert document.resolution.of(citation).status != Status.AMBIGUOUS
    assert len(ibids) == 1


def test_the_report_is_the_configured_edition(notecheck_report):
    assert [d.path.endswith("short.txt") for d in notecheck_report.documents] == [True]
    assert notecheck_report.summary.notes == 5
    assert {d.code for d in notecheck_report.active_diagnostics()} == @CODES@
"""


@pytest.mark.parametrize("flag", [(), ("--notecheck",)], ids=["plain", "with-notecheck"])
def test_notecheck_report_fixture(pytester: pytest.Pytester, flag: tuple[str, ...]) -> None:
    make_repo(pytester, BROKEN)
    pytester.makepyfile(test_report=FIXTURE_TEST.replace("@CODES@", '{"NC303", "NC501"}'))
    result = pytester.runpytest(*flag, "test_report.py")
    result.assert_outcomes(passed=2)
    selected = pytester.runpytest(*flag, "--notecheck-select", "NC5", "test_report.py", "-k", "configured")
    selected.assert_outcomes(failed=1)  # the fixture sees the selection: NC303 is gone


def test_usage_errors(pytester: pytest.Pytester) -> None:
    make_repo(pytester, EDITION, "[tool.notecheck]\nbibliography = 'bibliography.bib'\n")
    no_paths = pytester.runpytest("--notecheck")
    assert no_paths.ret == pytest.ExitCode.USAGE_ERROR
    no_paths.stderr.fnmatch_lines(["*--notecheck: no editions configured*"])

    make_repo(pytester)
    bad_code = pytester.runpytest("--notecheck", "--notecheck-select", "XY1")
    assert bad_code.ret == pytest.ExitCode.USAGE_ERROR
    bad_code.stderr.fnmatch_lines(["*--notecheck-select: 'XY1' matches no rule*"])

    missing = pytester.runpytest("--notecheck", "--notecheck-baseline", "nowhere.json")
    assert missing.ret == pytest.ExitCode.USAGE_ERROR
    missing.stderr.fnmatch_lines(["*--notecheck-baseline: cannot read nowhere.json*"])

    bad_choice = pytester.runpytest("--notecheck", "--notecheck-fail-on", "fatal")
    assert bad_choice.ret == pytest.ExitCode.USAGE_ERROR


def test_xdist_checks_once_in_the_controller_and_runs_the_items_in_workers(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")  # a test dependency: pip install -e '.[test]'
    make_repo(pytester, BROKEN)
    # Each worker tells the controller where its results came from.
    pytester.makeconftest(
        textwrap.dedent(
            """
            import notecheck.pytest_plugin as plugin

            def pytest_sessionfinish(session):
                if hasattr(session.config, "workerinput"):
                    state = session.config.stash[plugin._STATE]
                    session.config.workeroutput["notecheck_origin"] = state.origin

            def pytest_testnodedown(node, error):
                print("results of", node.gateway.id, "from", node.workeroutput.get("notecheck_origin"))
            """
        )
    )
    result = pytester.runpytest_subprocess(
        "--notecheck", "-p", "xdist", "-n", "2", "-s", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=6, failed=2)
    assert failed_ids(result) == ["edition/short.txt::note-2", "edition/short.txt::note-4"]
    result.stdout.fnmatch_lines(["created: 2/2 workers", "notecheck: *(checked in *)"])
    assert result.stdout.str().count("notecheck: 1 document(s)") == 1
    origins = re.findall(r"results of (gw\d) from (\w+)", result.stdout.str())
    assert sorted(origins) == [("gw0", "controller"), ("gw1", "controller")]


def test_plugin_import_is_light() -> None:
    """The plugin is imported by every pytest run: it must not load notecheck's stages."""
    heavy = (
        "notecheck.pipeline",
        "notecheck.models",
        "notecheck.readers",
        "bibtexparser",
        "pyparsing",
        "rapidfuzz",
    )
    code = f"import sys, notecheck.pytest_plugin\nprint(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_run_without_notecheck_loads_no_stage(pytester: pytest.Pytester) -> None:
    make_repo(pytester)
    pytester.makepyfile(
        test_light="""
        import sys

        def test_light():
            assert "notecheck.pytest_plugin" in sys.modules  # loaded by the entry point
            assert "notecheck.pipeline" not in sys.modules
            assert "notecheck.models" not in sys.modules
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
