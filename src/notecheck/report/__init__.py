"""Stage report: one module per output format, all rendering the same Report.

``write(report, fmt, stream)`` writes the report to a text stream in one of the contract's
formats; ``render(report, fmt)`` returns it as a string. Each format module has the same two
functions, and is imported only when used (the HTML and SARIF writers are not loaded for a text
report).
"""

from __future__ import annotations

import importlib
import io
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from notecheck.pipeline import Report

#: Every output format, in the order ``--format`` lists them.
FORMATS = ("text", "json", "sarif", "github", "html")


def write(report: Report, fmt: str, stream: TextIO, **options: Any) -> None:
    """Write ``report`` to ``stream`` in format ``fmt`` (see :data:`FORMATS`).

    Args:
        report: the result of :func:`notecheck.pipeline`.
        fmt: one of :data:`FORMATS`.
        stream: a text stream; the JSON writer writes it piece by piece.
        **options: options of the format (``text``: ``color``, ``verbose``, ``quiet``,
            ``show_source``, ``statistics``).

    Raises:
        ValueError: an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    module = importlib.import_module(f"notecheck.report.{fmt}")
    module.write(report, stream, **options)


def render(report: Report, fmt: str = "text", **options: Any) -> str:
    """The report in format ``fmt`` as one string (see :func:`write`)."""
    buffer = io.StringIO()
    write(report, fmt, buffer, **options)
    return buffer.getvalue()
