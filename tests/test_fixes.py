"""Fixes: only the fixed spans change; encoding, BOM and line ends are kept byte for byte.

Hypothesis generates documents (mixed line ends, non-ASCII and astral characters) and fix sets,
some overlapping, and checks the result against an independent splice of the text.
"""

from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.fixes import Edit, apply_fixes, fixes_for, plan_fixes, write_atomically
from notecheck.models import Diagnostic, Fix, Severity, Source, Span
from notecheck.readers.decode import decode, encode

LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
CHARS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
) | st.sampled_from(["\t", " ", "\u00e9", "—", "𝔄", "\u0301", "l", "I"])


def strings(alphabet: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(alphabet, max_size=max_size).map("".join)


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = draw(st.lists(strings(CHARS, 12), max_size=8))
    ends = [draw(LINE_ENDS) for _ in lines]
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    if draw(st.booleans()) and text:
        text = text.rstrip("\r\n")  # no line end after the last line
    return text


@st.composite
def fix_sets(draw: st.DrawFn, text: str, *, overlapping: bool) -> list[tuple[int, int, str]]:
    """(start, end, replacement) offsets; disjoint unless ``overlapping``."""
    replacement = strings(CHARS | LINE_ENDS, 4)
    if overlapping:
        found = []
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, len(text)))
            end = draw(st.integers(start, len(text)))
            found.append((start, end, draw(replacement)))
        return found
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=10)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return [(start, end, draw(replacement)) for start, end in pairs if not _splits_crlf(text, start, end)]


def _splits_crlf(text: str, *offsets: int) -> bool:
    """A position between ``\\r`` and ``\\n`` has no (line, column) of its own."""
    return any(0 < o < len(text) and text[o - 1] == "\r" and text[o] == "\n" for o in offsets)


def as_fix(source: Source, start: int, end: int, replacement: str, applicability: str = "safe") -> Fix:
    return Fix(replacement, source.span(start, end), applicability)


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, cursor = [], 0
    for start, end, replacement in sorted(edits, key=lambda edit: edit[:2]):
        out += [text[cursor:start], replacement]
        cursor = end
    return "".join([*out, text[cursor:]])


@given(st.data())
def test_disjoint_fixes_change_exactly_their_spans(data: st.DataObject) -> None:
    text = data.draw(documents())
    raw = data.draw(fix_sets(text, overlapping=False))
    source = Source("d.txt", text)
    fixes = [as_fix(source, s, e, r) for s, e, r in raw]
    data.draw(st.randoms()).shuffle(fixes)
    result = apply_fixes(text, fixes)
    effective = [(s, e, r) for s, e, r in raw if text[s:e] != r]
    assert result == splice(text, effective)
    if effective:
        first, last = min(effective), max(effective)
        assert result.startswith(text[: first[0]])
        assert result.endswith(text[last[1] :])


@given(st.data())
def test_overlapping_fixes_apply_a_disjoint_subset(data: st.DataObject) -> None:
    text = data.draw(documents())
    raw = [
        (s, e, r) for s, e, r in data.draw(fix_sets(text, overlapping=True)) if not _splits_crlf(text, s, e)
    ]
    source = Source("d.txt", text)
    fixes = [as_fix(source, s, e, r) for s, e, r in raw]
    edits = plan_fixes(text, fixes)
    for earlier, later in itertools.pairwise(edits):
        assert earlier.end <= later.start
    chosen = {(e.start, e.end, e.replacement) for e in edits}
    assert chosen <= set(raw)
    for start, stop, replacement in raw:  # every fix left out overlaps a chosen one or changes nothing
        if (start, stop, replacement) in chosen or text[start:stop] == replacement:
            continue
        assert any(e.start <= start < e.end for e in edits)  # it starts inside a chosen fix
    assert apply_fixes(text, fixes) == splice(text, [(e.start, e.end, e.replacement) for e in edits])


@given(st.data())
def test_fixing_again_changes_nothing(data: st.DataObject) -> None:
    text = data.draw(documents())
    raw = data.draw(fix_sets(text, overlapping=False))
    source = Source("d.txt", text)
    edits = plan_fixes(text, [as_fix(source, s, e, r) for s, e, r in raw])
    fixed = apply_fixes(text, [as_fix(source, s, e, r) for s, e, r in raw])
    # The same fixes, placed where their replacements now stand, are already applied.
    shift, again = 0, []
    fixed_source = Source("d.txt", fixed)
    for edit in edits:
        start = edit.start + shift
        end = start + len(edit.replacement)
        shift += len(edit.replacement) - (edit.end - edit.start)
        if not _splits_crlf(fixed, start, end):
            again.append(as_fix(fixed_source, start, end, edit.replacement))
    assert plan_fixes(fixed, again) == []
    assert apply_fixes(fixed, again) == fixed


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", False),
        ("utf-8", True),
        ("utf-16-le", True),
        ("utf-16-be", True),
        ("cp1252", False),
        ("latin-1", False),
    ],
)
@given(data=st.data())
def test_bytes_outside_the_fixes_are_kept(encoding: str, bom: bool, data: st.DataObject) -> None:
    alphabet = CHARS.filter(lambda c: _encodable(c, encoding))
    lines = data.draw(st.lists(strings(alphabet, 10), max_size=6))
    text = "".join(line + data.draw(LINE_ENDS) for line in lines)
    original = encode(Source("f", text, encoding, bom), text)
    decoded = decode(original, "f").source
    assert encode(decoded, decoded.text) == original  # reading and writing back is the identity
    text = decoded.text
    raw = [
        (s, e, r)
        for s, e, r in data.draw(fix_sets(text, overlapping=False))
        if _encodable(r, decoded.encoding) and text[s:e] != r
    ]
    fixed = encode(decoded, apply_fixes(text, [as_fix(decoded, s, e, r) for s, e, r in raw]))
    head = len(original) - len(encode(Source("f", "", decoded.encoding, False), text))

    def at(offset: int) -> int:
        return head + len(text[:offset].encode(decoded.encoding))

    if raw:
        assert fixed[: at(raw[0][0])] == original[: at(raw[0][0])]
        tail = original[at(raw[-1][1]) :]
        assert fixed.endswith(tail)
    else:
        assert fixed == original


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_unsafe_fixes_only_when_asked() -> None:
    source = Source("d.txt", "teh cat\n")
    fixes = [as_fix(source, 0, 3, "the", "unsafe"), as_fix(source, 4, 7, "dog")]
    assert apply_fixes(source.text, fixes) == "teh dog\n"
    assert apply_fixes(source.text, fixes, unsafe=True) == "the dog\n"


def test_touching_fixes_and_insertions() -> None:
    source = Source("d.txt", "abcdef")
    fixes = [as_fix(source, 0, 3, "X"), as_fix(source, 3, 6, "Y"), as_fix(source, 3, 3, "+")]
    assert plan_fixes(source.text, fixes) == [Edit(0, 3, "X"), Edit(3, 3, "+"), Edit(3, 6, "Y")]
    assert apply_fixes(source.text, fixes) == "X+Y"


def test_first_of_two_overlapping_fixes_wins() -> None:
    source = Source("d.txt", "lbid., 45")
    fixes = [as_fix(source, 0, 5, "Ibid."), as_fix(source, 0, 6, "Ibid.,")]
    assert apply_fixes(source.text, fixes) == "Ibid., 45"


def test_fixes_for_skips_suppressed_and_other_files() -> None:
    source = Source("a.txt", "x")
    fix = Fix("y", Span("a.txt", 1, 1, 1, 2))
    other = Fix("y", Span("b.txt", 1, 1, 1, 2))
    span = Span("a.txt", 1, 1, 1, 2)
    found = [
        Diagnostic("NC905", Severity.ERROR, "m", span, fix=fix),
        Diagnostic("NC905", Severity.ERROR, "m", span, fix=fix, suppressed=True),
        Diagnostic("NC905", Severity.ERROR, "m", span, fix=other),
    ]
    assert fixes_for(source, found) == [fix]


def test_atomic_write_keeps_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "edition.txt"
    path.write_bytes(b"old")
    path.chmod(0o640)
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["edition.txt"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "edition.txt"
    path.write_bytes(b"old")

    def broken(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["edition.txt"]
