"""Stage parse/check: archival references (NC5xx): grammar, house style, OCR damage, summary.

PLACEHOLDER interface for the archival issue. ``find_archival`` is what the citation splitter
calls to carve archival references out of a note; ``check_archival`` runs in the check stage.
Both keep their signatures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notecheck.models import ArchivalFile, ArchivalReference, Diagnostic, Resolution

if TYPE_CHECKING:
    from notecheck.config import Config
    from notecheck.split import ParsedEdition

DEFAULT_ARCHIVES = ("RTsKhIDNI", "RGASPI", "GARF", "RGALI", "RGIA")


@dataclass(frozen=True, slots=True)
class ArchivalMatch:
    """An archival reference found in a text: offsets ``[start, end)`` and its parse."""

    start: int
    end: int
    reference: ArchivalReference


_NAIVE = re.compile(r"\b(RTsKhIDNI|RGASPI|GARF|RGALI|RGIA),\s*f\.\s*(\d+)[^;]*?(?=;|\.\s|$)")


def find_archival(text: str, archives: Sequence[str] = DEFAULT_ARCHIVES) -> list[ArchivalMatch]:
    """Every archival reference in ``text`` (a note's text), in order, with offsets.

    Finds references that name a repository (``RTsKhIDNI, f. 17, ...``) and continuations that
    start at the fond (``and f. 124, op. 1, ...``; ``archive`` None). Never raises.
    """
    return [
        ArchivalMatch(m.start(), m.end(), ArchivalReference(m.group(1), m.group(2), None, None, None))
        for m in _NAIVE.finditer(text)
    ]


def check_archival(
    parsed: ParsedEdition, resolution: Resolution, config: Config
) -> tuple[list[Diagnostic], list[ArchivalFile]]:
    """Consistency diagnostics for the archival references of one edition, and a summary."""
    return [], []
