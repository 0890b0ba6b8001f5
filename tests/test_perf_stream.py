"""Streaming a check: the same report as ``check``, one document in memory at a time, ``-j N``."""

from __future__ import annotations

import gc
import io
import json
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from notecheck.config import Config
from notecheck.pipeline import DocumentReport, Report, Run, check
from notecheck.report.json import render, write_run

from .chicago import ChicagoSequence

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Path], Path]:
    """Three generated editions (one with a problem of its own) and one bibliography."""
    monkeypatch.setenv("NOTECHECK_CACHE_DIR", str(tmp_path / "cache"))
    texts = []
    bibtex = ""
    for seed in range(3):
        sequence = ChicagoSequence(seed).sequence(30)
        path = tmp_path / f"part-{seed}.txt"
        text = sequence.text if seed != 1 else sequence.text.replace("Ibid.", "lbid.", 1)
        path.write_text(text, encoding="utf-8")
        texts.append(path)
        bibtex += sequence.bibtex
    bib = tmp_path / "refs.bib"
    bib.write_text(bibtex, encoding="utf-8")  # duplicate keys across seeds: NC2xx findings too
    return texts, bib


def streamed(run: Run) -> tuple[dict[str, object], Report]:
    buffer = io.StringIO()
    report = write_run(run, buffer)
    return json.loads(buffer.getvalue()), report


def test_a_streamed_report_is_the_report(corpus: tuple[list[Path], Path]) -> None:
    texts, bib = corpus
    whole = check(texts, bib=bib, config=Config())
    data, report = streamed(Run(texts, bib=bib, config=Config()))
    assert data == json.loads(render(whole))
    assert report.summary == whole.summary
    assert report.exit_code == whole.exit_code
    assert whole.summary.errors and whole.summary.warnings  # the comparison covers findings


def test_the_edition_streams_like_it_checks() -> None:
    config = Config(root=ROOT)
    paths = [ROOT / "edition" / "kanatchikov.txt"]
    whole = check(paths, bib=ROOT / "bibliography.bib", config=config)
    data, _ = streamed(Run(paths, bib=ROOT / "bibliography.bib", config=config))
    assert data == json.loads(render(whole))


def test_a_streamed_run_lets_each_document_go(corpus: tuple[list[Path], Path]) -> None:
    texts, bib = corpus
    run = Run(texts, bib=bib, config=Config())
    seen: list[weakref.ref[DocumentReport]] = []

    class Watched:
        def __iter__(self) -> Iterator[DocumentReport]:
            for document in run:
                gc.collect()
                assert all(ref() is None for ref in seen), "an earlier document is still held"
                seen.append(weakref.ref(document))
                yield document
                del document

        def report(self, documents: list[DocumentReport] | None = None) -> Report:
            return run.report(documents)

    write_run(Watched(), io.StringIO())  # type: ignore[arg-type]
    assert len(seen) == len(texts)


def test_jobs_give_the_same_report_in_the_same_order(corpus: tuple[list[Path], Path]) -> None:
    texts, bib = corpus
    one = json.loads(render(check(texts, bib=bib, config=Config())))
    two = json.loads(render(check(texts, bib=bib, config=Config(), jobs=2)))
    assert two == one
    data, _ = streamed(Run(texts, bib=bib, config=Config(), jobs=2))
    assert data == one


def test_progress_is_called_once_per_document_in_order(corpus: tuple[list[Path], Path]) -> None:
    texts, bib = corpus
    for jobs in (1, 2):
        calls: list[tuple[int, int, str]] = []
        check(texts, bib=bib, config=Config(), jobs=jobs, progress=lambda *a, calls=calls: calls.append(a))
        assert calls == [(n, len(texts), str(p)) for n, p in enumerate(texts, start=1)]


def test_without_worker_processes_the_rest_is_checked_here(
    corpus: tuple[list[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    texts, bib = corpus
    expected = json.loads(render(check(texts, bib=bib, config=Config())))

    class NoPool:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no worker processes on this platform")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    assert json.loads(render(check(texts, bib=bib, config=Config(), jobs=2))) == expected


def test_checking_leaves_the_garbage_collector_as_it_found_it(corpus: tuple[list[Path], Path]) -> None:
    texts, bib = corpus
    assert gc.get_freeze_count() == 0
    check(texts, bib=bib, config=Config())
    assert gc.get_freeze_count() == 0  # what a document froze is released with it
    held = [object() for _ in range(10)]
    gc.freeze()  # the caller's own frozen objects are not ours to unfreeze
    try:
        frozen = gc.get_freeze_count()
        check(texts, bib=bib, config=Config())
        assert 0 < gc.get_freeze_count() <= frozen  # neither unfrozen nor frozen more (some died)
    finally:
        gc.unfreeze()
    assert held


def test_a_failing_stage_still_releases_what_was_frozen(
    corpus: tuple[list[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import notecheck.resolver

    texts, bib = corpus

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a bug in a stage")

    monkeypatch.setattr(notecheck.resolver, "resolve", broken)
    report = check(texts[:1], bib=bib, config=Config())
    assert any(d.code == "NC904" for d in report.all_diagnostics())
    assert gc.get_freeze_count() == 0
