"""Stage check: archival references (NC5xx): grammar, house style, OCR damage, file summary.

PLACEHOLDER interface for the archival issue: ``check_archival`` keeps its signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from notecheck.models import ArchivalFile, Diagnostic, Resolution

if TYPE_CHECKING:
    from notecheck.config import Config
    from notecheck.split import ParsedEdition


def check_archival(
    parsed: ParsedEdition, resolution: Resolution, config: Config
) -> tuple[list[Diagnostic], list[ArchivalFile]]:
    """Consistency diagnostics for the archival references of one edition, and a summary."""
    return [], []
