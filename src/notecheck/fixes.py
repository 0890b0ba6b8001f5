"""Stage fix: apply fixes to a text, changing nothing outside the spans they name.

``apply_fixes`` works on decoded text; ``fix_source`` applies a document's fixes and
``write_atomically`` puts the bytes back (same encoding, BOM and line ends, via a temporary file
in the same folder and an atomic rename), so an interrupted ``notecheck fix`` never leaves a
half-written edition.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from notecheck.models import Diagnostic, Fix, Source


@dataclass(frozen=True, slots=True)
class Edit:
    """A fix placed in a text: replace the characters ``[start, end)`` by ``replacement``."""

    start: int
    end: int
    replacement: str


def plan_fixes(text: str, fixes: Iterable[Fix], *, unsafe: bool = False) -> list[Edit]:
    """The edits ``apply_fixes`` would make, in order, none overlapping another.

    Fixes are ordered by position; a fix that overlaps one already chosen is left out (the next
    ``notecheck fix`` pass picks it up if it still applies), as is a fix that changes nothing.
    Fixes that only touch (one ends where the next starts) are both kept; so are two insertions
    at one point, in the order given. Only ``safe`` fixes count unless ``unsafe`` is true.
    """
    source = Source("<text>", text)
    placed: list[tuple[int, int, int, str]] = []
    for order, fix in enumerate(fixes):
        if fix.applicability != "safe" and not unsafe:
            continue
        start = source.offset(fix.span.line, fix.span.column)
        end = source.offset(fix.span.end_line, fix.span.end_column)
        if end < start or text[start:end] == fix.replacement:
            continue
        placed.append((start, end, order, fix.replacement))
    placed.sort()
    chosen: list[Edit] = []
    cursor = 0
    for start, end, _, replacement in placed:
        if start < cursor:
            continue  # overlaps a fix already chosen
        chosen.append(Edit(start, end, replacement))
        cursor = end
    return chosen


def apply_fixes(text: str, fixes: Iterable[Fix], *, unsafe: bool = False) -> str:
    """Apply ``fixes`` to ``text``; text outside the chosen fixes' spans is kept exactly.

    Positions are read against ``text`` itself (1-based lines, code-point columns, exclusive
    end, line ends of any kind). Overlapping fixes after the first are left out; only ``safe``
    fixes are applied unless ``unsafe`` is true.

    Args:
        text: the decoded text of a file.
        fixes: the fixes, in any order.
        unsafe: also apply fixes marked ``unsafe``.

    Returns:
        The fixed text.
    """
    pieces: list[str] = []
    cursor = 0
    for edit in plan_fixes(text, fixes, unsafe=unsafe):
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def fixes_for(source: Source, diagnostics: Iterable[Diagnostic]) -> list[Fix]:
    """The fixes of the active (not suppressed) diagnostics that point into ``source``."""
    return [
        d.fix
        for d in diagnostics
        if d.fix is not None and not d.suppressed and d.fix.span.path == source.path
    ]


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    The file's permission bits are kept, and a symbolic link stays a link: the file it points
    to is replaced. On any failure the original file is untouched and the temporary file is
    removed. A target that exists but is not a regular file (``/dev/stdout``, a named pipe, a
    device) is written directly: renaming over it would replace the device, not feed it.
    """
    try:
        special = path.exists() and not path.is_file()  # both follow symbolic links
    except OSError:
        special = False
    if special:
        with open(path, "wb") as stream:
            stream.write(data)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
