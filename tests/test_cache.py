"""The bibliography cache: same result as parsing, keyed by content and code, damage ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

import notecheck
from notecheck import cache
from notecheck.bibliography import Bibliography, load_bibliography, load_bibliography_bytes
from notecheck.config import Config
from notecheck.pipeline import check
from notecheck.report.json import to_dict

ROOT = Path(__file__).resolve().parent.parent

# A file with problems: diagnostics (one with a fix-free span in an entry), @string macros, names.
PROBLEMS = """@string{pub = {Knopf}}
@book{smith1990,
  author = {Smith, Jane and de la Cruz, Ana},
  title = {Workers and Revolution},
  publisher = pub,
  year = {199O},
}
@book{smith1990,
  title = {A Duplicate},
}
@article{kotkin1995, author = {Kotkin, Stephen}, title = {Magnetic Mountain}, journaltitle = {Kritika}, year = 1995}
@misc{rgaspi-f17, archive = {RGASPI}, fond = {17}}
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("NOTECHECK_CACHE_DIR", str(where))
    monkeypatch.delenv("NOTECHECK_NO_CACHE", raising=False)
    return where


def same(a: Bibliography, b: Bibliography) -> None:
    assert a.path == b.path and a.format == b.format
    assert a.entries == b.entries
    assert list(a.entries) == list(b.entries)
    assert a.diagnostics == b.diagnostics
    assert a.strings == b.strings
    assert a.index == b.index


def bib_file(tmp_path: Path, text: str = PROBLEMS, name: str = "refs.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cached_bibliography_equals_the_parsed_one(tmp_path: Path, folder: Path) -> None:
    path = bib_file(tmp_path)
    parsed = load_bibliography(path)
    assert parsed.diagnostics, "the file is meant to have problems"
    first = load_bibliography(path, cache=True)  # parses and writes
    assert len(list(folder.glob("bib-*.cache"))) == 1
    second = load_bibliography(path, cache=True)  # reads back
    same(parsed, first)
    same(parsed, second)


def test_the_project_bibliography_round_trips(folder: Path) -> None:
    path = ROOT / "bibliography.bib"
    parsed = load_bibliography(path)
    load_bibliography(path, cache=True)
    same(parsed, load_bibliography(path, cache=True))


def test_a_hit_does_not_parse(tmp_path: Path, folder: Path) -> None:
    path = bib_file(tmp_path)
    calls: list[str] = []

    def parse(data: bytes, shown: str) -> Bibliography:
        calls.append(shown)
        return load_bibliography_bytes(data, shown)

    data = path.read_bytes()
    cache.load_cached(data, str(path), parse)
    cache.load_cached(data, str(path), parse)
    assert calls == [str(path)]


def test_changed_content_path_or_code_is_a_miss(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = PROBLEMS.encode()
    key = cache.cache_key(data, "refs.bib")
    assert cache.cache_key(data, "refs.bib") == key
    assert cache.cache_key(data.replace(b"1995", b"1996"), "refs.bib") != key
    assert cache.cache_key(data, "other/refs.bib") != key  # spans carry the path
    monkeypatch.setattr(notecheck, "__version__", "999.0")
    cache.code_fingerprint.cache_clear()
    try:
        assert cache.cache_key(data, "refs.bib") != key
    finally:
        monkeypatch.undo()
        cache.code_fingerprint.cache_clear()
    assert cache.cache_key(data, "refs.bib") == key


def test_an_edited_file_is_parsed_again(tmp_path: Path, folder: Path) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path, cache=True)
    path.write_text(PROBLEMS.replace("Magnetic Mountain", "Stalin's Peasants"), encoding="utf-8")
    loaded = load_bibliography(path, cache=True)
    assert loaded.entries["kotkin1995"].title == "Stalin's Peasants"
    same(load_bibliography(path), loaded)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-40] + b"\x00" * 40,  # garbage at the end
        lambda blob: b"X" + blob[1:],  # another magic
        lambda blob: b"",  # empty
        lambda blob: blob.replace(cache.FORMAT.to_bytes(2, "big"), (cache.FORMAT + 1).to_bytes(2, "big"), 1),
    ],
    ids=["truncated", "garbage", "magic", "empty", "format"],
)
def test_a_damaged_cache_file_is_ignored_and_rewritten(tmp_path: Path, folder: Path, damage: object) -> None:
    path = bib_file(tmp_path)
    parsed = load_bibliography(path)
    load_bibliography(path, cache=True)
    (file,) = folder.glob("bib-*.cache")
    good = file.read_bytes()
    assert callable(damage)
    file.write_bytes(damage(good))
    same(parsed, load_bibliography(path, cache=True))
    assert file.read_bytes() == good  # the miss wrote a good file again


def test_a_cache_file_of_another_key_is_not_trusted(tmp_path: Path, folder: Path) -> None:
    first = bib_file(tmp_path, name="a.bib")
    second = bib_file(tmp_path, PROBLEMS.replace("Kotkin", "Fitzpatrick"), name="b.bib")
    load_bibliography(first, cache=True)
    key = cache.cache_key(second.read_bytes(), str(second))
    (written,) = folder.glob("bib-*.cache")
    written.rename(folder / f"bib-{key}.cache")  # a's data under b's name
    assert cache.read(folder / f"bib-{key}.cache", key) is None
    same(load_bibliography(second), load_bibliography(second, cache=True))


def test_no_cache_when_turned_off(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTECHECK_NO_CACHE", "1")
    assert cache.cache_folder() is None
    load_bibliography(bib_file(tmp_path), cache=True)
    assert not folder.exists()


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NOTECHECK_CACHE_DIR", str(blocker / "cache"))
    path = bib_file(tmp_path)
    same(load_bibliography(path), load_bibliography(path, cache=True))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "refs.bib"]


def test_the_cache_keeps_only_the_latest_files(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "KEEP", 3)
    for number in range(6):
        load_bibliography(bib_file(tmp_path, PROBLEMS.replace("1995", str(1900 + number))), cache=True)
    assert len(list(folder.glob("bib-*.cache"))) == 3
    assert not list(folder.glob(".*tmp"))


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NOTECHECK_CACHE_DIR", raising=False)
    monkeypatch.delenv("NOTECHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_folder() == tmp_path / "notecheck"


def test_check_reports_the_same_with_and_without_the_cache(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edition = ROOT / "edition" / "kanatchikov.txt"
    bib = ROOT / "bibliography.bib"
    monkeypatch.setenv("NOTECHECK_NO_CACHE", "1")
    plain = to_dict(check([edition], bib=bib, config=Config()))
    monkeypatch.delenv("NOTECHECK_NO_CACHE")
    cold = to_dict(check([edition], bib=bib, config=Config()))
    assert list(folder.glob("bib-*.cache"))
    warm = to_dict(check([edition], bib=bib, config=Config()))
    assert plain == cold == warm
