"""Configuration: ``[tool.notecheck]`` in pyproject.toml or a ``notecheck.toml`` (which wins).

Searched upward from the working folder; in one folder a ``notecheck.toml`` wins over a
``pyproject.toml``. The file is data only (TOML, read with :mod:`tomllib`, never evaluated).
Unknown keys (NC901), values of the wrong type (NC902) and selectors that match no rule (NC906)
are diagnostics, never exceptions. Relative paths in the file are relative to the folder that
holds it. Every key is documented in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from notecheck.models import Diagnostic, Span
from notecheck.rules.tool import CONFIG_INVALID, CONFIG_UNKNOWN_KEY, UNKNOWN_SELECTOR

DEFAULT_ARCHIVES = (
    "RTsKhIDNI",
    "RGASPI",
    "GARF",
    "RGALI",
    "RGIA",
    "RGAE",
    "RGVA",
    "TsGAIPD SPb",
    "TsGA SPb",
    "TsGAOR",
    "TsPA",
    "TsGIA",
    "RGADA",
    "AVPRF",
    "RGAKFD",
    "TsGAMO",
    "TsAOPIM",
    "TsKhDMO",
    "TsGIA SPb",
    "RGVIA",
    "GAOO",
    "TsDNI",
)


@dataclass(frozen=True)
class Accepted:
    """A finding the editors accept: reported as suppressed, never as an error."""

    code: str
    fingerprint: str
    reason: str = ""
    line: int = 1  # where the entry is in the configuration file


@dataclass(frozen=True)
class Config:
    """Everything configurable. Defaults are what a bare ``notecheck`` uses with no file."""

    root: Path = field(default_factory=Path.cwd)
    file: Path | None = None
    paths: tuple[str, ...] = ()
    bibliography: str | None = None
    select: tuple[str, ...] = ("NC",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    baseline: str | None = None
    archives: tuple[str, ...] = DEFAULT_ARCHIVES
    archival_style: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    accept: tuple[Accepted, ...] = ()
    input_format: str | None = None
    exclude: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def resolve_path(self, value: str) -> Path:
        """A path from the configuration, relative to the folder of the configuration file.

        Shown relative to the working folder when it lies inside it, else absolute; ``..`` is
        folded away either way (``paths = ["../edition"]`` read from a subfolder gives
        ``/repo/edition``, not ``/repo/sub/../edition``).
        """
        path = Path(value)
        if path.is_absolute():
            return path
        absolute = Path(os.path.normpath(self.root / path))
        try:
            return absolute.relative_to(Path.cwd())
        except ValueError:
            return absolute

    @property
    def shown_file(self) -> str:
        """The configuration file as diagnostics name it (as its own problems do), or ``<config>``."""
        return _shown(self.file) if self.file is not None else "<config>"

    def with_selection(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        extend_select: Sequence[str] = (),
    ) -> Config:
        """This configuration with command-line selectors on top.

        ``select`` replaces the configured selection; ``ignore`` and ``extend_select`` add to it
        (ruff's and flake8's behaviour). The longest matching prefix still wins, but a code or
        prefix named on the command line beats the same one in the configuration: with
        ``ignore = ["NC401"]`` configured, ``--select NC401`` or ``--extend-select NC401`` runs
        NC401 (as in ruff, where the command line is applied over the configuration), while
        ``--select NC4`` leaves it off (the configured ``NC401`` is longer).
        """
        asked = {s.upper() for s in (*(select or ()), *extend_select)}
        kept = tuple(i for i in self.ignore if i.upper() not in asked)
        return replace(
            self,
            select=tuple(select) if select is not None else self.select,
            ignore=(*kept, *ignore),
            extend_select=(*self.extend_select, *extend_select),
        )


#: Every key of ``[tool.notecheck]``, with the type a value must have (for docs and checks).
KNOWN_KEYS = {
    "paths": "list of strings",
    "bibliography": "string",
    "select": "list of strings",
    "ignore": "list of strings",
    "extend-select": "list of strings",
    "per-file-ignores": "table of lists of strings",
    "exclude": "list of strings",
    "baseline": "string",
    "archives": "list of strings",
    "archival-style": "table of strings",
    "aliases": "table of strings",
    "accept": "array of tables",
    "input-format": "string",
}
_ACCEPT_KEYS = ("code", "fingerprint", "reason")
INPUT_FORMATS = ("text", "markdown", "tei", "docx", "latex")


def find_config_file(start: Path | None = None) -> tuple[Path, bool] | None:
    """The nearest ``notecheck.toml`` or ``pyproject.toml`` with ``[tool.notecheck]``, upward.

    Returns the file and whether it is a ``notecheck.toml``. In one folder, ``notecheck.toml``
    wins over ``pyproject.toml``; a ``pyproject.toml`` without ``[tool.notecheck]`` is passed by.
    """
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "notecheck.toml"
        if own.is_file():
            return own, True
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject, False
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "notecheck" in tool


def load_config(start: Path | None = None, file: Path | None = None) -> Config:
    """Load the configuration found from ``start`` (or the given ``file``); never raises.

    Args:
        start: the folder to search upward from (default: the working folder).
        file: a configuration file to use instead of searching (``--config``).
    """
    found = (file, file.name != "pyproject.toml") if file is not None else find_config_file(start)
    if found is None:
        return Config(root=(start or Path.cwd()).resolve())
    path, standalone = found
    return config_from_file(path, standalone=standalone)


def config_from_file(path: Path, *, standalone: bool) -> Config:
    """Read one configuration file; problems become diagnostics on the returned config.

    Args:
        path: the file.
        standalone: True for a ``notecheck.toml`` (keys at top level, or under
            ``[tool.notecheck]``), False for a ``pyproject.toml`` (keys under ``[tool.notecheck]``).
    """
    shown = _shown(path)
    root = path.resolve().parent
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        line = getattr(error, "lineno", None) or 1
        span = Span(shown, line, 1, line, 1)
        problem = CONFIG_INVALID.at(span, path=shown, reason=str(error))
        return Config(root=root, file=path, diagnostics=(problem,))
    tool = data.get("tool")
    nested = tool.get("notecheck") if isinstance(tool, dict) else None
    table: Any = data if standalone and nested is None else nested
    if not isinstance(table, dict):
        span = Span(shown, 1, 1, 1, 1)
        problem = CONFIG_INVALID.at(span, path=shown, reason="[tool.notecheck] must be a table")
        return Config(root=root, file=path, diagnostics=(problem,))
    if standalone and nested is not None:
        table = {k: v for k, v in data.items() if k != "tool"} | nested
    return config_from_mapping(table, root=root, file=path)


def _shown(path: Path) -> str:
    """A configuration path as diagnostics show it: relative to the working folder if inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


class _Reader:
    """Reads typed values out of a TOML table, turning every type mistake into NC902."""

    def __init__(self, table: Mapping[str, Any], shown: str, file: Path | None) -> None:
        self.table = table
        self.shown = shown
        self.lines, self.accept_lines = _key_lines(file)
        self.problems: list[Diagnostic] = []

    def where(self, key: str) -> Span:
        line = self.lines.get(key, 1)
        return Span(self.shown, line, 1, line, 1)

    def invalid(self, key: str, reason: str) -> None:
        self.problems.append(CONFIG_INVALID.at(self.where(key), path=self.shown, reason=reason))

    def strings(self, key: str) -> tuple[str, ...] | None:
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self.invalid(key, f"{key!r} must be a list of strings")
        return None

    def string(self, key: str) -> str | None:
        value = self.table.get(key)
        if value is None or isinstance(value, str):
            return value
        self.invalid(key, f"{key!r} must be a string")
        return None

    def string_table(self, key: str) -> dict[str, str]:
        value = self.table.get(key)
        if value is None:
            return {}
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return dict(value)
        self.invalid(key, f"{key!r} must be a table of strings")
        return {}

    def per_file_ignores(self) -> dict[str, tuple[str, ...]]:
        value = self.table.get("per-file-ignores")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.invalid("per-file-ignores", "'per-file-ignores' must be a table")
            return {}
        found: dict[str, tuple[str, ...]] = {}
        for pattern, codes in value.items():
            if isinstance(codes, list) and all(isinstance(c, str) for c in codes):
                found[pattern] = tuple(codes)
            else:
                self.invalid("per-file-ignores", f"per-file-ignores {pattern!r} must be a list of codes")
        return found

    def accepted(self) -> tuple[Accepted, ...]:
        value = self.table.get("accept", [])
        if not isinstance(value, list):
            self.invalid("accept", "'accept' must be an array of tables ([[tool.notecheck.accept]])")
            return ()
        found: list[Accepted] = []
        headers = iter(self.accept_lines)
        for item in value:
            line = next(headers, self.lines.get("accept", 1))
            if not (
                isinstance(item, dict)
                and isinstance(item.get("code"), str)
                and isinstance(item.get("fingerprint"), str)
                and isinstance(item.get("reason", ""), str)
            ):
                self.problems.append(
                    CONFIG_INVALID.at(
                        Span(self.shown, line, 1, line, 1),
                        path=self.shown,
                        reason="each [[accept]] needs string 'code', 'fingerprint' and 'reason'",
                    )
                )
                continue
            for key in item:
                if key not in _ACCEPT_KEYS:
                    self.problems.append(
                        CONFIG_UNKNOWN_KEY.at(
                            Span(self.shown, line, 1, line, 1), key=f"accept.{key}", path=self.shown
                        )
                    )
            found.append(Accepted(item["code"].upper(), item["fingerprint"], item.get("reason", ""), line))
        return tuple(found)


def config_from_mapping(table: Mapping[str, Any], *, root: Path, file: Path | None = None) -> Config:
    """Build a :class:`Config` from a TOML table, reporting unknown keys and bad values.

    Args:
        table: the keys of ``[tool.notecheck]``.
        root: the folder relative paths are resolved against.
        file: the file the table came from (for positions in diagnostics).
    """
    shown = _shown(file) if file is not None else "<config>"
    read = _Reader(table, shown, file)
    for key in table:
        if key not in KNOWN_KEYS:
            read.problems.append(CONFIG_UNKNOWN_KEY.at(read.where(key), key=key, path=shown))
    input_format = read.string("input-format")
    if input_format is not None and input_format not in INPUT_FORMATS:
        read.invalid("input-format", f"'input-format' must be one of {', '.join(INPUT_FORMATS)}")
        input_format = None
    select = read.strings("select")
    config = Config(
        root=root,
        file=file,
        paths=read.strings("paths") or (),
        bibliography=read.string("bibliography"),
        select=tuple(s.upper() for s in select) if select is not None else Config.select,
        ignore=tuple(s.upper() for s in read.strings("ignore") or ()),
        extend_select=tuple(s.upper() for s in read.strings("extend-select") or ()),
        per_file_ignores={
            pattern: tuple(c.upper() for c in codes) for pattern, codes in read.per_file_ignores().items()
        },
        exclude=read.strings("exclude") or (),
        baseline=read.string("baseline"),
        archives=read.strings("archives") or DEFAULT_ARCHIVES,
        archival_style=read.string_table("archival-style"),
        aliases=read.string_table("aliases"),
        accept=read.accepted(),
        input_format=input_format,
    )
    problems = read.problems + _unknown_selectors(config, read)
    return replace(config, diagnostics=tuple(problems))


def _unknown_selectors(config: Config, read: _Reader) -> list[Diagnostic]:
    """NC906 for every selector that matches no registered rule."""
    from notecheck.rules import matches_a_rule

    named: list[tuple[str, str]] = [
        *(("select", s) for s in config.select),
        *(("ignore", s) for s in config.ignore),
        *(("extend-select", s) for s in config.extend_select),
        *(("per-file-ignores", s) for group in config.per_file_ignores.values() for s in group),
        *(("accept", a.code) for a in config.accept),
    ]
    return [
        UNKNOWN_SELECTOR.at(read.where(key), key=key, path=read.shown, selector=selector)
        for key, selector in named
        if not matches_a_rule(selector)
    ]


def _key_lines(file: Path | None) -> tuple[dict[str, int], list[int]]:
    """The line of each notecheck key's first appearance, and of every ``[[accept]]`` header.

    Only keys of ``[tool.notecheck]`` (or the top level of a ``notecheck.toml``) count; a
    sub-table header such as ``[[tool.notecheck.accept]]`` gives the line of its key.
    """
    if file is None:
        return {}, []
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}, []
    lines: dict[str, int] = {}
    accepts: list[int] = []
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("["):
            table = line.strip("[]").strip().replace('"', "")
            if table.startswith("tool.notecheck."):
                lines.setdefault(table.removeprefix("tool.notecheck.").split(".")[0], number)
            if table in ("accept", "tool.notecheck.accept") and line.startswith("[["):
                accepts.append(number)
                lines.setdefault("accept", number)
            continue
        if "=" not in line or line.startswith("#") or table not in ("", "tool.notecheck"):
            continue
        key = line.split("=", 1)[0].strip().strip("\"'")
        lines.setdefault(key, number)
    return lines, accepts
