"""The fuzz harness (``fuzz/harness.py``) runs in the test suite on its seeds and on hypothesis bytes.

The long coverage-guided run is ``python fuzz/run.py --minutes 30`` (atheris, the ``fuzz`` extra);
it is not part of the suite, but the targets it drives are, so they stay in working order.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "fuzz"))
import harness  # fuzz/ is not a package: found through sys.path


@pytest.mark.parametrize("seed", harness.EDITION_SEEDS, ids=harness.FORMATS)
def test_edition_seeds_pass_the_harness(seed: bytes) -> None:
    harness.fuzz_edition(seed)


@pytest.mark.parametrize("seed", harness.BIBLIOGRAPHY_SEEDS, ids=["bibtex", "string-loop", "csl-json"])
def test_bibliography_seeds_pass_the_harness(seed: bytes, tmp_path: Path) -> None:
    harness.fuzz_bibliography(seed, tmp_path)


@settings(max_examples=max(10, settings().max_examples // 3))
@given(data=st.binary(max_size=600))
def test_the_edition_target_on_any_bytes(data: bytes) -> None:
    harness.fuzz_edition(data)


@settings(max_examples=max(10, settings().max_examples // 3))
@given(data=st.binary(max_size=600))
def test_the_bibliography_target_on_any_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        harness.fuzz_bibliography(data, Path(name))


def test_the_harness_reports_a_crashed_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stage failure caught by check() as NC904 still fails the fuzz target."""
    import notecheck.numbering

    def broken(edition: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(notecheck.numbering, "check_numbering", broken)
    with pytest.raises(harness.Finding, match="boom"):
        harness.fuzz_edition(harness.EDITION_SEEDS[0])


def test_the_long_run_needs_atheris_only_when_run() -> None:
    """fuzz/run.py imports atheris lazily: its help works without the fuzz extra."""
    import subprocess

    done = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "run.py"), "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "--minutes" in done.stdout
