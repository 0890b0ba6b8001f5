"""Stage report: one module per output format, all rendering the same Report.

``render(report, fmt)`` returns the report as text in one of the contract's formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notecheck.check import Report

FORMATS = ("text", "json")


def render(report: Report, fmt: str = "text", **options: object) -> str:
    """Render ``report`` in format ``fmt`` (see :data:`FORMATS`)."""
    if fmt == "json":
        from notecheck.report import json as json_format

        return json_format.render(report)
    if fmt == "text":
        from notecheck.report import text as text_format

        return text_format.render(report, **options)  # type: ignore[arg-type]
    raise ValueError(f"unknown format {fmt!r}")
