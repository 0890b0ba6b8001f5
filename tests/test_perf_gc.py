"""The cyclic garbage collector during a check: off while a document's stages run, restored after."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from notecheck.config import Config
from notecheck.pipeline import check

from .chicago import ChicagoSequence


@pytest.fixture
def edition(tmp_path: Path) -> tuple[Path, Path]:
    sequence = ChicagoSequence(3).sequence(20)
    text = tmp_path / "notes.txt"
    text.write_text(sequence.text, encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text(sequence.bibtex, encoding="utf-8")
    return text, bib


def test_the_collector_is_off_during_the_stages_and_on_after(
    edition: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import notecheck.resolver

    text, bib = edition
    seen: list[bool] = []
    original = notecheck.resolver.resolve

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(notecheck.resolver, "resolve", watched)
    assert gc.isenabled()
    report = check([text], bib=bib, config=Config())
    assert seen == [False]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert report.summary.citations


def test_a_caller_that_switched_the_collector_off_keeps_it_off(edition: tuple[Path, Path]) -> None:
    text, bib = edition
    gc.disable()
    try:
        check([text], bib=bib, config=Config())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failing_stage_switches_the_collector_back_on(
    edition: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import notecheck.split

    text, bib = edition

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a bug in a stage")

    monkeypatch.setattr(notecheck.split, "parse_edition", broken)
    report = check([text], bib=bib, config=Config())
    assert any(d.code == "NC904" for d in report.all_diagnostics())
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_garbage_of_a_document_is_collected_after_it(edition: tuple[Path, Path]) -> None:
    """What a document leaves in cycles is not kept from the collector: a full pass after the
    check finds the process as it would be without the check (nothing frozen, nothing held)."""
    import weakref

    text, bib = edition
    report = check([text], bib=bib, config=Config())
    document = report.documents[0]
    assert document.parsed is not None
    held = weakref.ref(document.parsed)
    del report, document
    gc.collect()
    assert held() is None


#: Run in a fresh interpreter: the cycle forms when pyparsing first runs in a process.
FREED_SCRIPT = """
import sys, weakref
from pathlib import Path
from tests.chicago import ChicagoSequence
from notecheck.config import Config
from notecheck.pipeline import Run
folder = Path(sys.argv[1])
paths = []
for number in range(3):
    path = folder / f"notes-{number}.txt"
    path.write_text(ChicagoSequence(number).sequence(60).text, encoding="utf-8")
    paths.append(path)
bib = folder / "refs.bib"
bib.write_text(ChicagoSequence(0).sequence(60).bibtex, encoding="utf-8")
alive = []
for document in Run(paths, bib=bib, config=Config()):
    print(sum(ref() is not None for ref in alive))
    alive.append(weakref.ref(document.edition))
    del document
"""


def test_a_document_let_go_is_freed_at_once_not_kept_by_a_frozen_cycle(tmp_path: Path) -> None:
    """pyparsing leaves reference cycles (a frame holding the exception whose traceback holds it)
    and a finished frame keeps its callers' frames, and so the document, alive. The young
    collection before each freeze breaks them: the caller's ``del`` frees the document with no
    full pass of the collector (frozen, the first document stayed in memory for the whole run)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    environment = {**os.environ, "NOTECHECK_NO_CACHE": "1", "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", FREED_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=root,
        env=environment,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "0", "0"]  # no earlier document alive when the next comes
