"""Configuration: found upward, notecheck.toml wins, every key read, every mistake a diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest

from notecheck.config import KNOWN_KEYS, Config, find_config_file, load_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


FULL = """
[tool.notecheck]
paths = ["edition/"]
bibliography = "refs.bib"
select = ["NC1", "NC4"]
ignore = ["nc109"]
extend-select = ["NC9"]
exclude = ["drafts/*"]
baseline = "notecheck-baseline.json"
archives = ["RGASPI", "GARF"]
input-format = "markdown"

[tool.notecheck.per-file-ignores]
"appendix*.txt" = ["NC104"]

[tool.notecheck.archival-style]
opis = "op."

[tool.notecheck.aliases]
"Law and Disorder" = "zelnik1995"

[[tool.notecheck.accept]]
code = "NC103"
fingerprint = "0123456789abcdef"
reason = "the editors keep this form"
"""


def test_every_key_is_read(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n" + FULL)
    config = load_config(tmp_path)
    assert config.diagnostics == ()
    assert config.paths == ("edition/",)
    assert config.bibliography == "refs.bib"
    assert config.select == ("NC1", "NC4")
    assert config.ignore == ("NC109",)
    assert config.extend_select == ("NC9",)
    assert config.exclude == ("drafts/*",)
    assert config.baseline == "notecheck-baseline.json"
    assert config.archives == ("RGASPI", "GARF")
    assert config.input_format == "markdown"
    assert config.per_file_ignores == {"appendix*.txt": ("NC104",)}
    assert config.archival_style == {"opis": "op."}
    assert config.aliases == {"Law and Disorder": "zelnik1995"}
    (accepted,) = config.accept
    assert (accepted.code, accepted.fingerprint, accepted.reason) == (
        "NC103",
        "0123456789abcdef",
        "the editors keep this form",
    )
    assert accepted.line == FULL.splitlines().index("[[tool.notecheck.accept]]") + 3
    assert config.root == tmp_path.resolve()


def test_searched_upward_and_notecheck_toml_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.notecheck]\npaths = ["from-pyproject"]\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert load_config(deep).paths == ("from-pyproject",)
    write(tmp_path / "notecheck.toml", 'paths = ["from-notecheck-toml"]\n')
    assert load_config(deep).paths == ("from-notecheck-toml",)
    found = find_config_file(deep)
    assert found is not None and found[0].name == "notecheck.toml" and found[1] is True


def test_nearer_file_wins_and_pyproject_without_table_is_passed_by(tmp_path: Path) -> None:
    write(tmp_path / "notecheck.toml", 'paths = ["outer"]\n')
    write(tmp_path / "inner" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(tmp_path / "inner").paths == ("outer",)
    write(tmp_path / "inner" / "pyproject.toml", '[tool.notecheck]\npaths = ["inner"]\n')
    assert load_config(tmp_path / "inner").paths == ("inner",)


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.file is None
    assert config.select == ("NC",)
    assert config.diagnostics == ()


def test_notecheck_toml_may_use_the_tool_table(tmp_path: Path) -> None:
    write(tmp_path / "notecheck.toml", '[tool.notecheck]\nbibliography = "b.bib"\n')
    assert load_config(tmp_path).bibliography == "b.bib"


def test_unknown_keys_are_nc901_with_their_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "pyproject.toml",
        '[tool.ruff]\nignroe = 1\n\n[tool.notecheck]\npaths = ["x"]\ningore = ["NC301"]\n',
    )
    (problem,) = load_config(tmp_path).diagnostics
    assert problem.code == "NC901"
    assert "'ingore'" in problem.message
    assert problem.span.path == "pyproject.toml"
    assert problem.span.line == 6


def test_unknown_key_in_accept(tmp_path: Path) -> None:
    write(
        tmp_path / "notecheck.toml",
        '[[accept]]\ncode = "NC905"\nfingerprint = "x"\nreasno = "typo"\n',
    )
    codes = [d.code for d in load_config(tmp_path).diagnostics]
    assert codes == ["NC901"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('select = "NC4"\n', "'select' must be a list of strings"),
        ("bibliography = 3\n", "'bibliography' must be a string"),
        ("aliases = [1]\n", "'aliases' must be a table of strings"),
        ('per-file-ignores = {"a" = "NC1"}\n', "per-file-ignores 'a' must be a list of codes"),
        ("accept = 1\n", "'accept' must be an array of tables"),
        ('[[accept]]\ncode = "NC905"\n', "each [[accept]] needs"),
        ('input-format = "pdf"\n', "'input-format' must be one of"),
        ("paths = [\n", "invalid configuration"),
    ],
)
def test_wrong_values_are_nc902(tmp_path: Path, text: str, reason: str) -> None:
    write(tmp_path / "notecheck.toml", text)
    problems = load_config(tmp_path).diagnostics
    assert [d.code for d in problems] == ["NC902"]
    assert reason in problems[0].message


def test_selectors_matching_no_rule_are_nc906(tmp_path: Path) -> None:
    write(tmp_path / "notecheck.toml", 'ignore = ["NC4O1", "NC9"]\n[per-file-ignores]\n"*.md" = ["XY1"]\n')
    problems = load_config(tmp_path).diagnostics
    assert [(d.code, "NC4O1" in d.message or "XY1" in d.message) for d in problems] == [
        ("NC906", True),
        ("NC906", True),
    ]


def test_config_is_data_only(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    write(tmp_path / "notecheck.toml", f"paths = [\"__import__('os').system('touch {marker}')\"]\n")
    config = load_config(tmp_path)
    assert not marker.exists()
    assert config.paths[0].startswith("__import__")


def test_paths_resolve_relative_to_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "notecheck.toml", 'bibliography = "refs/b.bib"\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    config = load_config()
    assert config.resolve_path("refs/b.bib") == tmp_path.resolve() / "refs" / "b.bib"
    monkeypatch.chdir(tmp_path)
    assert load_config().resolve_path("refs/b.bib") == Path("refs/b.bib")


def test_with_selection_replaces_select_and_extends_ignore() -> None:
    config = Config(select=("NC1",), ignore=("NC101",))
    changed = config.with_selection(select=("NC4",), ignore=("NC402",), extend_select=("NC9",))
    assert changed.select == ("NC4",)
    assert changed.ignore == ("NC101", "NC402")
    assert changed.extend_select == ("NC9",)
    assert config.with_selection().select == ("NC1",)


def test_every_known_key_is_documented() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key in KNOWN_KEYS:
        assert f"`{key}`" in docs, key
