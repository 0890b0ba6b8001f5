"""Stage check: note numbering and note calls (NC1xx) over a read edition.

PLACEHOLDER for the foundation issue: gaps, duplicates, order, damaged numbers, note calls.
"""

from __future__ import annotations

from notecheck.models import Diagnostic, Edition


def check_numbering(edition: Edition) -> list[Diagnostic]:
    """Numbering and note-call diagnostics for one edition."""
    return []
