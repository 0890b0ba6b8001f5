"""Fuzz targets for notecheck: any bytes as an edition (every format) or as a bibliography.

Each target turns the fuzzer's bytes into an input and runs :func:`notecheck.pipeline.check` on it,
then renders the report in every format. A target fails (and the fuzzer saves the input) when
an exception escapes, when a stage crashed (an NC904 finding: caught, but a bug), or when the
JSON report does not validate against the schema. ``fuzz/run.py`` drives the targets with
atheris; the same targets run once per seed in the test suite (``tests/test_fuzz.py``), so the
harness cannot rot.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

FORMATS = ("text", "markdown", "latex", "tei", "docx")
EXTENSIONS = {"text": "txt", "markdown": "md", "latex": "tex", "tei": "xml", "docx": "docx"}
ROOT = Path(__file__).resolve().parent.parent
EDITION = (
    b"Body.1 More.2\n\nNotes\n1. Reginald E. Zelnik, ed., A Radical Worker in Tsarist Russia "
    b"(Stanford: Stanford University Press, 1986), 387-91.\n2. Ibid., 45; RGASPI, f. 17, op. 1, d. 5, l. 4.\n"
)


class Finding(AssertionError):
    """What the fuzzer reports: a crash caught inside notecheck, or an invalid report."""


@cache
def _bibliography() -> Any:
    from notecheck.bibliography import load_bibliography

    return load_bibliography(ROOT / "bibliography.bib")


@cache
def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "src/notecheck/report/report.schema.json").read_text("utf-8"))
    return loaded


def _verify(report: Any) -> None:
    from notecheck import report as formats

    crashed = [d.message for d in report.all_diagnostics() if d.code == "NC904"]
    if crashed:
        raise Finding(f"a stage crashed: {crashed}")
    for fmt in formats.FORMATS:
        stream = io.StringIO()
        formats.write(report, fmt, stream)
        if fmt == "json":
            document = json.loads(stream.getvalue())
            try:
                import jsonschema
            except ImportError:  # the fuzz extra without the test extra: parsing is checked
                continue
            jsonschema.validate(document, _schema())


def fuzz_edition(data: bytes) -> None:
    """The first byte picks the input format; the rest is the edition's bytes."""
    from notecheck.baseline import Baseline
    from notecheck.config import Config
    from notecheck.pipeline import check

    if not data:
        return
    input_format = FORMATS[data[0] % len(FORMATS)]
    path = f"fuzz.{EXTENSIONS[input_format]}"
    config = replace(Config(), input_format=input_format)
    report = check([path], bib=_bibliography(), config=config, baseline=Baseline(), contents={path: data[1:]})
    _verify(report)


def fuzz_bibliography(data: bytes, folder: Path) -> None:
    """The first byte picks BibTeX or CSL-JSON; the rest is the bibliography's bytes."""
    from notecheck.baseline import Baseline
    from notecheck.config import Config
    from notecheck.pipeline import check

    if not data:
        return
    bib = folder / ("fuzz.json" if data[0] % 2 else "fuzz.bib")
    bib.write_bytes(data[1:])
    report = check(
        ["fuzz.txt"], bib=bib, config=Config(), baseline=Baseline(), contents={"fuzz.txt": EDITION}
    )
    _verify(report)


#: Seeds the fuzzer starts from (one per format and a few bibliographies), also run by the tests.
EDITION_SEEDS = [
    bytes([0]) + EDITION,
    bytes([1]) + b"Body.[^1]\n\n[^1]: Zelnik, *Radical Worker*, 45; ibid., 46.\n",
    bytes([2]) + b"Body.\\footnote{Zelnik, \\emph{Radical Worker}, 45--46.}\n",
    bytes([3])
    + b"<TEI><text><body><p>Body.<note n='1'>Ibid., <bibl>45</bibl>.</note></p></body></text></TEI>",
    bytes([4]) + b"PK\x03\x04",
]
BIBLIOGRAPHY_SEEDS = [
    b"\x00@book{zelnik1986, author = {Zelnik, Reginald E.}, title = {A Radical Worker}, year = 1986}",
    b"\x00@string{a = b # a}@string{b = a # b}@book{k, title = a, crossref = k}",
    b'\x01[{"id": "zelnik1986", "type": "book", "title": "A Radical Worker", "author": [{"family": "Zelnik"}]}]',
]
