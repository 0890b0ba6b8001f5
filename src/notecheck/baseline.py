"""Stage report: baselines, today's findings recorded by fingerprint so only new ones fail a build.

A baseline is a JSON file written by ``notecheck baseline … --output FILE``::

    {"version": 1,
     "tool": {"name": "notecheck", "version": "0.1.0"},
     "diagnostics": [{"code": "NC401", "fingerprint": "3f9a…", "path": "edition/a.txt",
                      "message": "…"}]}

A finding is known when its code and fingerprint are in the baseline. Fingerprints do not depend
on line numbers (see :func:`notecheck.pipeline.fingerprint`), so editing elsewhere in a file keeps
them; ``path`` and ``message`` are there for people reading the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notecheck.models import Diagnostic

BASELINE_VERSION = 1


class BaselineError(ValueError):
    """A file that is not a notecheck baseline (bad JSON, wrong shape or version)."""


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One known finding."""

    code: str
    fingerprint: str
    path: str = ""
    message: str = ""


@dataclass(frozen=True)
class Baseline:
    """The known findings; ``Baseline()`` (empty) disables a configured baseline."""

    entries: tuple[BaselineEntry, ...] = ()
    path: str | None = None

    @property
    def keys(self) -> frozenset[tuple[str, str]]:
        """The ``(code, fingerprint)`` pairs a finding is matched by."""
        return frozenset((e.code, e.fingerprint) for e in self.entries)

    def __contains__(self, diagnostic: object) -> bool:
        if not isinstance(diagnostic, Diagnostic):
            return False
        return (diagnostic.code, diagnostic.fingerprint) in self.keys

    def __len__(self) -> int:
        return len(self.entries)


def baseline_from_diagnostics(diagnostics: Iterable[Diagnostic]) -> Baseline:
    """A baseline of every finding that is not already accepted in the configuration.

    Findings suppressed only by an older baseline are recorded again, so re-running
    ``notecheck baseline`` keeps what is still there and drops what was fixed.
    """
    entries = tuple(
        BaselineEntry(d.code, d.fingerprint, d.span.path, d.message)
        for d in diagnostics
        if d.suppression != "accepted" and d.fingerprint
    )
    return Baseline(entries)


def baseline_to_json(baseline: Baseline) -> str:
    """The baseline file's text (JSON, one finding per line, so reviews read it as a diff)."""
    from notecheck import __version__

    head = json.dumps({"name": "notecheck", "version": __version__})
    rows = [
        json.dumps(
            {"code": e.code, "fingerprint": e.fingerprint, "path": e.path, "message": e.message},
            ensure_ascii=False,
        )
        for e in baseline.entries
    ]
    body = ",\n  ".join(rows)
    middle = f"\n  {body}\n " if rows else ""
    return f'{{"version": {BASELINE_VERSION},\n "tool": {head},\n "diagnostics": [{middle}]}}\n'


def write_baseline(baseline: Baseline, path: str | Path) -> None:
    """Write the baseline file atomically (a temporary file in the same folder, then a rename)."""
    from notecheck.fixes import write_atomically

    write_atomically(Path(path), baseline_to_json(baseline).encode("utf-8"))


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file.

    Raises:
        OSError: the file cannot be opened.
        BaselineError: it is not a notecheck baseline.
    """
    text = Path(path).read_bytes().decode("utf-8", errors="replace")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"not JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("diagnostics"), list):
        raise BaselineError("no 'diagnostics' list")
    if data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"unsupported version {data.get('version')!r} (expected {BASELINE_VERSION})")
    entries: list[BaselineEntry] = []
    for number, item in enumerate(data["diagnostics"], start=1):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("code"), str)
            and isinstance(item.get("fingerprint"), str)
        ):
            raise BaselineError(f"diagnostic {number} needs string 'code' and 'fingerprint'")
        entries.append(
            BaselineEntry(
                item["code"], item["fingerprint"], str(item.get("path", "")), str(item.get("message", ""))
            )
        )
    return Baseline(tuple(entries), Path(path).as_posix())
