"""notecheck: check the endnotes of a scholarly edition before it goes to press.

The library API (see the contract)::

    from notecheck import check
    report = check(["edition/"], bib="bibliography.bib")
    for diagnostic in report.all_diagnostics():
        print(diagnostic.code, diagnostic.span.line, diagnostic.message)

Names are imported lazily so that ``import notecheck`` stays cheap (it runs in commit hooks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "apply_fixes",
    "check",
    "load_bibliography",
    "parse_note",
    "read_edition",
    "read_edition_text",
    "resolve",
]

_EXPORTS = {
    "apply_fixes": "notecheck.fixes",
    "check": "notecheck.pipeline",
    "load_bibliography": "notecheck.bibliography",
    "parse_note": "notecheck.split",
    "read_edition": "notecheck.readers",
    "read_edition_text": "notecheck.readers",
    "resolve": "notecheck.resolver",
}

if TYPE_CHECKING:
    from notecheck.bibliography import load_bibliography
    from notecheck.fixes import apply_fixes
    from notecheck.pipeline import check
    from notecheck.readers import read_edition, read_edition_text
    from notecheck.resolver import resolve
    from notecheck.split import parse_note


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'notecheck' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
