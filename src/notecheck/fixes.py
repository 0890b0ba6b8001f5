"""Stage fix: apply fixes to a text, changing nothing outside the spans they name."""

from __future__ import annotations

from collections.abc import Iterable

from notecheck.models import Fix, Source


def apply_fixes(text: str, fixes: Iterable[Fix], *, unsafe: bool = False) -> str:
    """Apply ``fixes`` to ``text``; overlapping fixes after the first are left out.

    Positions are read against ``text`` itself (1-based lines and code-point columns). Only
    ``safe`` fixes are applied unless ``unsafe`` is true.
    """
    source = Source("<text>", text)
    chosen: list[tuple[int, int, str]] = []
    for fix in fixes:
        if fix.applicability != "safe" and not unsafe:
            continue
        start = source.offset(fix.span.line, fix.span.column)
        end = source.offset(fix.span.end_line, fix.span.end_column)
        if end < start:
            continue
        chosen.append((start, end, fix.replacement))
    chosen.sort()
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in chosen:
        if start < cursor:
            continue  # overlaps a fix already applied
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
