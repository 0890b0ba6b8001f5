"""No data loss in fixes: ``notecheck fix`` end to end on generated OCR-like editions (issue 11, part 3).

``tests/test_fixes.py`` proves the fix stage byte for byte on random texts and fix sets. Here the
whole command runs on generated editions holding the damage OCR leaves (``Ope`` for ``op.``,
``I.`` for ``l.``, ``lbid.``, a label ``s.`` for 5) in every line-end style (LF, CRLF, CR),
with and without a BOM, in UTF-8, UTF-16 and cp1252. After ``notecheck fix``:

* the file is in the same encoding, with the same BOM and the same line ends, line for line;
* every changed character lies inside a span that the check before the fix flagged with a safe fix;
* running ``fix`` again changes nothing (idempotent), and ``--diff`` writes nothing;
* no temporary file is left beside the edition (the write is a temporary file and a rename).
"""

from __future__ import annotations

import difflib
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from notecheck.baseline import Baseline
from notecheck.cli import main
from notecheck.config import Config
from notecheck.models import Source
from notecheck.pipeline import check
from notecheck.readers.decode import decode

from .conftest import BIBLIOGRAPHY

FEWER = settings(
    max_examples=max(10, settings().max_examples // 3),
    suppress_health_check=[*settings().suppress_health_check, HealthCheck.function_scoped_fixture],
)

#: Note bodies in the house style, with OCR damage chosen by the generator.
ARCHIVES = ["RGASPI", "GARF", "TsGAIPD", "RGIA"]
PROSE = [
    "The strike began in the spring.",
    "On the workers’ circles, see the discussion above.",
    "He wrote this in 1905 — from memory.",
    "Compare the account of the café meeting.",
]


@st.composite
def archival(draw: st.DrawFn) -> str:
    opis = draw(st.sampled_from(["op.", "op.", "Ope", "op,"]))
    leaf = draw(st.sampled_from(["l.", "ll.", "I.", "1.", "11."]))
    numbers = draw(
        st.tuples(st.integers(1, 600), st.integers(1, 150), st.integers(1, 9999), st.integers(1, 300))
    )
    f, o, d, page = numbers
    return f"{draw(st.sampled_from(ARCHIVES))}, f. {f}, {opis} {o}, d. {d}, {leaf} {page}."


@st.composite
def note_body(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    page = draw(st.integers(1, 500))
    if kind == 0:
        return draw(archival())
    if kind == 1:
        return f"{draw(st.sampled_from(['Ibid.', 'lbid.', 'Ibid.,']))} {page}."
    if kind == 2:
        return f"Zelnik, Radical Worker, {page}."
    if kind == 3:
        return f"{draw(st.sampled_from(PROSE))} {draw(archival())}"
    return draw(st.sampled_from(PROSE))


@st.composite
def ocr_editions(draw: st.DrawFn) -> tuple[str, str, bool]:
    """(text, encoding, bom): a body with calls, a Notes heading, numbered notes with damage."""
    bodies = draw(st.lists(note_body(), min_size=2, max_size=12))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding, bom = draw(
        st.sampled_from([("utf-8", False), ("utf-8", True), ("utf-16-le", True), ("cp1252", False)])
    )
    labels = [("s." if n == 5 and draw(st.booleans()) else f"{n}.") for n in range(1, len(bodies) + 1)]
    calls = " ".join(f"Sentence number {n}.{n}" for n in range(1, len(bodies) + 1))
    lines = [calls, "", "Notes", *(f"{label} {body}" for label, body in zip(labels, bodies, strict=True))]
    return newline.join(lines) + newline, encoding, bom


def encoded(text: str, encoding: str, bom: bool) -> bytes:
    from notecheck.readers.decode import encode

    return encode(Source("e.txt", text, encoding, bom), text)


LINE_END = re.compile(r"\r\n|\r|\n")


def flagged(path: Path) -> list[tuple[int, int]]:
    """The offsets ``[start, end)`` of every safe fix the check before fixing proposes."""
    report = check([str(path)], bib=str(BIBLIOGRAPHY), config=replace(Config()), baseline=Baseline())
    document = report.documents[0]
    assert document.edition is not None
    source = document.edition.source
    spans = []
    for diagnostic in document.diagnostics:
        fix = diagnostic.fix
        if fix is not None and fix.applicability == "safe" and not diagnostic.suppressed:
            start = source.offset(fix.span.line, fix.span.column)
            spans.append((start, max(start, source.offset(fix.span.end_line, fix.span.end_column))))
    return spans


def changed_ranges(old: str, new: str) -> list[tuple[int, int]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]


def inside(change: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    start, end = change
    return any(s <= start and end <= e for s, e in spans)


@FEWER
@given(edition=ocr_editions())
def test_fix_changes_only_flagged_spans_and_keeps_encoding_and_line_ends(
    edition: tuple[str, str, bool], capsys: pytest.CaptureFixture[str]
) -> None:
    text, encoding, bom = edition
    original = encoded(text, encoding, bom)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        config = folder / "notecheck.toml"
        config.write_text("")
        path = folder / "edition.txt"
        path.write_bytes(original)
        spans = flagged(path)
        argv = ["fix", str(path), "--bib", str(BIBLIOGRAPHY), "--config", str(config), "-q"]

        assert main([*argv, "--diff"]) in (0, 1)
        assert path.read_bytes() == original  # --diff writes nothing

        assert main(argv) in (0, 1)
        fixed = path.read_bytes()
        assert sorted(p.name for p in folder.iterdir()) == ["edition.txt", "notecheck.toml"]
        assert main(argv) in (0, 1)
        assert path.read_bytes() == fixed  # idempotent
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "internal error" not in captured.err

    before, after = decode(original, "e").source, decode(fixed, "e").source
    assert (after.encoding, after.bom) == (before.encoding, before.bom)
    if not text.isascii() or bom:  # plain ASCII in cp1252 reads back as UTF-8: the same bytes
        assert (before.encoding, before.bom) == (encoding, bom)
    assert fixed == encoded(after.text, encoding, bom)  # nothing outside the text changed
    assert LINE_END.findall(after.text) == LINE_END.findall(before.text)
    for change in changed_ranges(before.text, after.text):
        assert inside(change, spans), (before.text[change[0] : change[1]], spans)
    if spans:
        assert fixed != original
    event("fixed" if fixed != original else "nothing to fix")


def test_a_generated_edition_is_fixed_somewhere() -> None:
    """The generator's damage does produce safe fixes, so the property above is not vacuous."""
    text = (
        "A sentence.1 Another.2\r\n\r\nNotes\r\n1. RGASPI, f. 17, Ope 100, d. 5, I. 47.\r\n2. lbid., 45.\r\n"
    )
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "edition.txt"
        path.write_bytes(encoded(text, "cp1252", False))
        assert len(flagged(path)) >= 3
