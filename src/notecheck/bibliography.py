"""Stage load: a BibTeX or CSL-JSON bibliography to indexed entries, with NC2xx diagnostics.

PLACEHOLDER interface for the bibliography issue: ``load_bibliography`` keeps its signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notecheck.models import Diagnostic, Entry


@dataclass
class Bibliography:
    """Entries by key, with the diagnostics found while loading them."""

    path: str
    format: str = "bibtex"  # "bibtex" | "csl-json"
    entries: dict[str, Entry] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_bibliography(path: str | Path) -> Bibliography:
    """Load a bibliography file. Raises ``OSError`` if it cannot be opened; never for content."""
    Path(path).read_bytes()
    return Bibliography(Path(path).as_posix())
