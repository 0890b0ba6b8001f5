"""Stage resolve: every citation to its bibliography entry, or a broken/ambiguous report.

PLACEHOLDER interface for the resolver issue: ``resolve`` keeps its signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from notecheck.models import Diagnostic, Edition, Resolution

if TYPE_CHECKING:
    from notecheck.bibliography import Bibliography
    from notecheck.config import Config
    from notecheck.split import ParsedEdition


def resolve(
    edition: Edition,
    bibliography: Bibliography | None,
    *,
    parsed: ParsedEdition | None = None,
    config: Config | None = None,
) -> Resolution:
    """Resolve every citation of ``edition`` against ``bibliography`` (None: nothing resolves)."""
    return Resolution()


def unused_entries(bibliography: Bibliography, used: set[str]) -> tuple[list[str], list[Diagnostic]]:
    """Keys of entries no citation resolved to, and a diagnostic for each."""
    return [], []
