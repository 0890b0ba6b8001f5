"""Bounded work: no input makes notecheck take super-linear time (issue 11, part 2).

Each case is a crafted worst case for one stage (a regular expression that could backtrack, a
look-back that could rescan a long clause, a grammar that could retry at every comma, a reader
that could recurse). It is checked through :func:`notecheck.pipeline.check` at two sizes 16x apart;
the time may grow at most 40x (linear is 16x; quadratic would be 256x).

Robust on a busy two-core machine: the small size is grown until one run takes at least 20 ms
(so timer noise and fixed costs do not dominate), each size is timed several times and the
fastest run counts, and a failing ratio is measured again before the test fails. A hard
timeout (``faulthandler``) ends the run with a traceback if one case hangs. This is the one
timed test of the project.
"""

from __future__ import annotations

import faulthandler
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from notecheck.baseline import Baseline
from notecheck.bibliography import Bibliography, load_bibliography_text
from notecheck.config import Config
from notecheck.pipeline import Report, check

from .conftest import BIBLIOGRAPHY

#: Linear growth is 16x for 16x the input; anything at or past 40x fails.
GROWTH = 16
MAX_RATIO = 40.0
#: The small input is grown until one check of it takes this long.
MIN_SECONDS = 0.02
#: No single check may take longer than this (a hang ends the whole run with a traceback).
HARD_TIMEOUT = 60.0

Build = Callable[[int], bytes]


def text_note(unit: str) -> Build:
    """A text edition whose one note is ``unit`` repeated; a second note follows it."""
    return lambda n: f"Body.1\n\nNotes\n1. {unit * n}\n2. Ibid., 4.\n".encode()


def markdown_note(unit: str) -> Build:
    return lambda n: f"Body.[^1]\n\n[^1]: {unit * n}\n".encode()


def latex_note(opening: str, closing: str = "") -> Build:
    return lambda n: f"Body.\\footnote{{{opening * n}Smith, Title, 3{closing * n}}}\n".encode()


def tei_note(opening: str, closing: str = "") -> Build:
    return lambda n: (
        f"<TEI><text><body><p>Body.<note n='1'>{opening * n}Smith, Title, 3{closing * n}</note></p>"
        "</body></text></TEI>"
    ).encode()


def text_notes(line: str) -> Build:
    """A text edition of ``n`` notes, ``line`` formatted with the note's number."""
    return lambda n: ("Body.1\n\nNotes\n" + "".join(line.format(i=i) for i in range(1, n + 1))).encode()


CASES: dict[str, tuple[str, Build]] = {
    # one long note (split.py, grammar.py, archival*.py)
    "open parentheses": ("text", text_note("(")),
    "close parentheses": ("text", text_note(")")),
    "nested parentheses": ("text", lambda n: f"Notes\n1. {'(' * n}Smith, Title, 3{')' * n}\n".encode()),
    "straight quotes": ("text", text_note('"')),
    "doubled apostrophes": ("text", text_note("'")),
    "quoted titles": ("text", text_note('"Title," ')),
    "periods and commas": ("text", text_note("., ")),
    "digits and commas": ("text", text_note("1, ")),
    "page ranges": ("text", text_note("12-13, ")),
    "fond and opis": ("text", text_note("f. 1, op. 1, ")),
    "archival references": ("text", text_note("RGASPI, f. 1, op. 2, d. 3, l. 4. ")),
    "ibid run": ("text", text_note("Ibid., ")),
    "ibid run with pages": ("text", text_note("Ibid., 3. ")),
    "numbers": ("text", text_note("no. 3, ")),
    "leaves": ("text", text_note("ll. 3-6, ")),
    "signals": ("text", text_note("see above, ")),
    "cross-references": ("text", text_note("see note 3 above, ")),
    "op. cit.": ("text", text_note("op. cit., ")),
    "long name without commas": ("text", text_note("Smith Jones ")),
    "initials": ("text", text_note("A. B. C. ")),
    "short forms": ("text", text_note("See Smith, Title, 3. ")),
    "hereafter": ("text", text_note("hereafter cited as ")),
    "one long word": ("text", text_note("Abcdefghij")),
    "mixed citations": (
        "text",
        text_note("Zelnik, Radical Worker, 45; see Ibid. (1990) f. 1, op. 2, “Title,” "),
    ),
    "ibid after an archival reference": (
        "text",
        lambda n: f"Notes\n1. RGASPI, f. 1, op. 2, d. 3, l. 4. {'Ibid. ' * n}\n".encode(),
    ),
    "spaces after an archival reference": (
        "text",
        lambda n: f"Notes\n1. RGASPI, f. 1, op. 2, d. 3, l. 4{' ' * n}x\n".encode(),
    ),
    "ocr citations": (
        "text",
        text_note("Kanatchikov, A Radical Worker, 45. lbid., 47. RTsKhIDNI, f. 17, l. 4. "),
    ),
    "spaces in an open parenthesis": ("text", lambda n: f"Notes\n1. See ({' ' * n}x\n".encode()),
    "spaces in a parenthesis": ("text", lambda n: f"Notes\n1. Smith, Title ({' ' * n}x 1990).\n".encode()),
    "spaces after a quoted title": (
        "text",
        lambda n: f'Notes\n1. Smith, "Title," Review{" " * n}x\n'.encode(),
    ),
    "spaced publication groups": ("text", text_note("(Stanford ,  ")),
    # many notes (readers/text.py, numbering.py)
    "many notes": ("text", text_notes("{i}. Smith, Title, {i}.\n")),
    "many ibid notes": ("text", text_notes("{i}. Ibid.\n")),
    "notes numbered near 10^9": ("text", text_notes("99999{i:04d}. Smith, Title, 3.\n")),
    "label-like lines": ("text", lambda n: ("Notes\n" + "1.\n" * n).encode()),
    # Markdown (readers/markdown.py)
    "markdown emphasis": ("markdown", markdown_note("*_")),
    "markdown stars": ("markdown", markdown_note("*")),
    "markdown brackets": ("markdown", markdown_note("[")),
    "markdown links": ("markdown", markdown_note("[a](")),
    "markdown backticks": ("markdown", markdown_note("`")),
    "markdown unclosed references": ("markdown", lambda n: ("Body " + "[^" * n + "\n").encode()),
    "markdown unclosed inline notes": ("markdown", lambda n: ("Body " + "^[" * n + "\n").encode()),
    # LaTeX (readers/latex.py)
    "latex nested braces": ("latex", latex_note("{", "}")),
    "latex open braces": ("latex", latex_note("{")),
    "latex nested emphasis": ("latex", latex_note("\\emph{", "}")),
    "latex quotes": ("latex", latex_note("``", "''")),
    # TEI (readers/tei.py)
    "tei nested elements": ("tei", tei_note("<hi>", "</hi>")),
    "tei nested notes": ("tei", tei_note("<note>", "</note>")),
}


@pytest.fixture(scope="module")
def bibliography() -> Bibliography:
    from notecheck.bibliography import load_bibliography

    return load_bibliography(BIBLIOGRAPHY)


def _run(data: bytes, input_format: str, bib: Bibliography) -> tuple[float, Report]:
    config = replace(Config(), input_format=input_format)
    started = time.perf_counter()
    report = check(["case"], bib=bib, config=config, baseline=Baseline(), contents={"case": data})
    return time.perf_counter() - started, report


def _fastest(data: bytes, input_format: str, bib: Bibliography, repeats: int) -> tuple[float, Report]:
    runs = [_run(data, input_format, bib) for _ in range(repeats)]
    return min(seconds for seconds, _ in runs), runs[-1][1]


@dataclass
class Growth:
    ratio: float
    units: int  # the small size; the large one is GROWTH times more
    small: float
    large: float
    report: Report  # of the large input


def growth(build: Build, input_format: str, bib: Bibliography) -> Growth:
    """How the time grows from ``n`` units to ``16 n`` (``n`` grown until a check takes 20 ms)."""
    n = 16
    while True:
        small, _ = _fastest(build(n), input_format, bib, 2)
        if small >= MIN_SECONDS or n >= 1 << 16:
            break
        n *= 2
    small = min(small, _fastest(build(n), input_format, bib, 1)[0])
    large_data = build(n * GROWTH)
    large, report = _fastest(large_data, input_format, bib, 1)
    if large / small >= MAX_RATIO:  # a busy machine: measure both again, keep the fastest
        small = min(small, _fastest(build(n), input_format, bib, 3)[0])
        large = min(large, _fastest(large_data, input_format, bib, 2)[0])
    return Growth(large / small, n, small, large, report)


@pytest.fixture
def hard_timeout() -> object:
    faulthandler.dump_traceback_later(HARD_TIMEOUT * 4, exit=True)
    yield None
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("name", list(CASES))
def test_work_grows_linearly(name: str, bibliography: Bibliography, hard_timeout: object) -> None:
    input_format, build = CASES[name]
    found = growth(build, input_format, bibliography)
    assert found.large < HARD_TIMEOUT, f"{name}: {found.large:.1f} s for {found.units * GROWTH} units"
    assert found.ratio < MAX_RATIO, (
        f"{name}: {GROWTH}x the input ({found.units} -> {found.units * GROWTH} units) took "
        f"{found.ratio:.0f}x the time ({found.small * 1000:.0f} ms -> {found.large * 1000:.0f} ms)"
    )
    # The large check worked rather than failing fast: no stage crashed on it.
    assert [d.message for d in found.report.all_diagnostics() if d.code == "NC904"] == []


def test_bibliography_loader_is_linear() -> None:
    """BibTeX built to make a splitter or a macro expander backtrack loads in linear time."""
    units = {
        "nested braces": lambda n: "@book{k, title = {" + "{" * n + "x" + "}" * n + "}}\n",
        "open braces": lambda n: "@book{k, title = {" + "{" * n + "\n",
        "string concatenation": lambda n: "@string{a = {x}}\n@book{k, title = " + " # a" * n + "}\n",
        "many entries": lambda n: "".join(
            f"@book{{k{i}, title = {{T{i}}}, year = 1990}}\n" for i in range(n)
        ),
        "at signs": lambda n: "@" * n,
    }
    for name, build in units.items():
        n = 64
        while True:
            small = _time_bib(build(n))
            if small >= MIN_SECONDS or n >= 1 << 16:
                break
            n *= 2
        large = _time_bib(build(n * GROWTH))
        if large / small >= MAX_RATIO:
            small = min(small, _time_bib(build(n)), _time_bib(build(n)))
            large = min(large, _time_bib(build(n * GROWTH)))
        assert large / small < MAX_RATIO, f"{name}: {large / small:.0f}x ({small:.3f} s -> {large:.3f} s)"


def _time_bib(text: str) -> float:
    started = time.perf_counter()
    load_bibliography_text(text)
    return time.perf_counter() - started
