"""The rule registry: every rule registered once with code, slug, severity, message and docs.

Each family lives in its own module (``reading`` NC1xx, ``bibliography`` NC2xx, ``citation``
NC3xx, ``resolution`` NC4xx, ``archival`` NC5xx, ``tool`` NC9xx) and defines its rules with
:func:`rule`. A stage module imports the rule objects it reports and calls :meth:`Rule.at`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from notecheck.models import Diagnostic, Fix, Note, Severity, Span

FAMILIES = ("reading", "bibliography", "citation", "resolution", "archival", "tool")

_REGISTRY: dict[str, Rule] = {}


@dataclass(frozen=True)
class Rule:
    """A registered rule. ``message`` is a ``str.format`` template filled by :meth:`at`.

    The four doc parts follow ruff's shape: what it does, why it matters, an example, and what
    to write instead.
    """

    code: str
    slug: str
    severity: Severity
    message: str
    what: str
    why: str
    example: str
    instead: str

    def at(
        self,
        span: Span,
        *,
        note: Note | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
        **values: object,
    ) -> Diagnostic:
        """A diagnostic of this rule at ``span``; ``values`` fill the message template."""
        return Diagnostic(
            code=self.code,
            severity=severity or self.severity,
            message=self.message.format(**values) if values else self.message,
            span=span,
            note=note.number if note is not None else None,
            note_index=note.index if note is not None else None,
            fix=fix,
        )

    @property
    def doc(self) -> str:
        """The rule's documentation as Markdown, in the four-part shape."""
        return (
            f"## What it does\n{self.what}\n\n## Why it matters\n{self.why}\n\n"
            f"## Example\n{self.example}\n\n## Use instead\n{self.instead}\n"
        )


def rule(
    code: str,
    slug: str,
    severity: Severity,
    message: str,
    *,
    what: str,
    why: str,
    example: str,
    instead: str,
) -> Rule:
    """Define and register a rule; a code or slug registered twice is a programming error."""
    if not (len(code) == 5 and code.startswith("NC") and code[2:].isdigit()):
        raise ValueError(f"bad rule code {code!r}")
    # A module imported again (pytester, importlib.reload) re-registers the same rule: allowed.
    # Two different rules with one code or one slug are a programming error.
    existing = _REGISTRY.get(code)
    if existing is not None and existing.slug != slug:
        raise ValueError(f"rule {code} registered twice")
    if any(other.slug == slug and other.code != code for other in _REGISTRY.values()):
        raise ValueError(f"rule slug {slug!r} registered twice")
    new = Rule(code, slug, severity, message, what.strip(), why.strip(), example.strip(), instead.strip())
    _REGISTRY[code] = new
    return new


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code (imports every family)."""
    for family in FAMILIES:
        importlib.import_module(f"notecheck.rules.{family}")
    return sorted(_REGISTRY.values(), key=lambda r: r.code)


def get_rule(code_or_slug: str) -> Rule | None:
    """The rule with this code (``NC401``, any case) or slug, or None."""
    all_rules()
    wanted = code_or_slug.strip()
    found = _REGISTRY.get(wanted.upper())
    if found is not None:
        return found
    return next((r for r in _REGISTRY.values() if r.slug == wanted.lower()), None)


_SELECTOR = re.compile(r"^NC\d{0,3}$")


def matches_a_rule(selector: str) -> bool:
    """Whether a selector (a code or prefix such as ``NC4``, any case) names a registered rule."""
    wanted = selector.strip().upper()
    return bool(_SELECTOR.match(wanted)) and any(
        code.startswith(wanted) for code in (r.code for r in all_rules())
    )


def parse_selectors(value: str | None) -> tuple[str, ...]:
    """Comma-separated codes or prefixes from a command line, upper-cased.

    Raises:
        ValueError: naming the first part that matches no rule (the caller turns it into its own
            usage error: exit 2 for the CLI, ``pytest.UsageError`` for the plugin).
    """
    found: list[str] = []
    for part in (value or "").split(","):
        selector = part.strip().upper()
        if not selector:
            continue
        if not matches_a_rule(selector):
            raise ValueError(f"{part.strip()!r} matches no rule (see 'notecheck rules')")
        found.append(selector)
    return tuple(found)


def is_selected(
    code: str,
    select: Iterable[str] = ("NC",),
    ignore: Iterable[str] = (),
) -> bool:
    """Whether ``code`` is enabled: the longest matching prefix among select and ignore wins.

    A tie between an equally long select and ignore prefix goes to ignore (flake8's rule).
    """
    best_select = max((len(p) for p in select if code.startswith(p.upper())), default=-1)
    best_ignore = max((len(p) for p in ignore if code.startswith(p.upper())), default=-1)
    return best_select > best_ignore
