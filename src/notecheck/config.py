"""Configuration: ``[tool.notecheck]`` in pyproject.toml or a ``notecheck.toml`` (which wins).

Searched upward from the working folder. The file is data only (TOML, never evaluated). Unknown
keys and values of the wrong type are diagnostics, never exceptions. Relative paths in the file
are relative to the folder that holds it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notecheck.models import Diagnostic, Span
from notecheck.rules.tool import CONFIG_INVALID, CONFIG_UNKNOWN_KEY

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
    diagnostics: tuple[Diagnostic, ...] = ()

    def resolve_path(self, value: str) -> Path:
        """A path from the configuration, relative to the folder of the configuration file."""
        path = Path(value)
        if path.is_absolute():
            return path
        absolute = self.root / path
        try:
            return absolute.relative_to(Path.cwd())
        except ValueError:
            return absolute


_KNOWN_KEYS = {
    "paths",
    "bibliography",
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "baseline",
    "archives",
    "archival-style",
    "aliases",
    "accept",
    "input-format",
}


def find_config_file(start: Path | None = None) -> tuple[Path, bool] | None:
    """The nearest ``notecheck.toml`` or ``pyproject.toml`` with ``[tool.notecheck]``, upward.

    Returns the file and whether it is a ``notecheck.toml``. In one folder, ``notecheck.toml``
    wins over ``pyproject.toml``.
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
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "notecheck" in tool


def load_config(start: Path | None = None, file: Path | None = None) -> Config:
    """Load the configuration found from ``start`` (or the given ``file``); never raises."""
    found = (file, file.name == "notecheck.toml") if file is not None else find_config_file(start)
    if found is None:
        return Config(root=(start or Path.cwd()).resolve())
    path, standalone = found
    return config_from_file(path, standalone=standalone)


def config_from_file(path: Path, *, standalone: bool) -> Config:
    """Read one configuration file; problems become diagnostics on the returned config."""
    shown = path.as_posix()
    root = path.resolve().parent
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        span = Span(shown, 1, 1, 1, 1)
        return Config(
            root=root, file=path, diagnostics=(CONFIG_INVALID.at(span, path=shown, reason=str(error)),)
        )
    table: Any = data if standalone else data.get("tool", {}).get("notecheck", {})
    if standalone and isinstance(data.get("tool"), dict) and "notecheck" in data["tool"]:
        table = data["tool"]["notecheck"]
    return config_from_mapping(table, root=root, file=path)


def config_from_mapping(table: Mapping[str, Any], *, root: Path, file: Path | None = None) -> Config:
    """Build a :class:`Config` from a TOML table, reporting unknown keys and bad values."""
    shown = file.as_posix() if file is not None else "<config>"
    lines = _key_lines(file)
    problems: list[Diagnostic] = []

    def where(key: str) -> Span:
        line = lines.get(key, 1)
        return Span(shown, line, 1, line, 1)

    def strings(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        problems.append(
            CONFIG_INVALID.at(where(key), path=shown, reason=f"{key!r} must be a list of strings")
        )
        return None

    def string(key: str) -> str | None:
        value = table.get(key)
        if value is None or isinstance(value, str):
            return value
        problems.append(CONFIG_INVALID.at(where(key), path=shown, reason=f"{key!r} must be a string"))
        return None

    def string_table(key: str) -> dict[str, str]:
        value = table.get(key)
        if value is None:
            return {}
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return dict(value)
        problems.append(
            CONFIG_INVALID.at(where(key), path=shown, reason=f"{key!r} must be a table of strings")
        )
        return {}

    for key in table:
        if key not in _KNOWN_KEYS:
            problems.append(CONFIG_UNKNOWN_KEY.at(where(key), key=key, path=shown))

    per_file: dict[str, tuple[str, ...]] = {}
    raw_per_file = table.get("per-file-ignores")
    if isinstance(raw_per_file, dict):
        for pattern, codes in raw_per_file.items():
            if isinstance(codes, list) and all(isinstance(c, str) for c in codes):
                per_file[pattern] = tuple(codes)
            else:
                problems.append(
                    CONFIG_INVALID.at(
                        where("per-file-ignores"),
                        path=shown,
                        reason=f"per-file-ignores {pattern!r} must be a list of codes",
                    )
                )
    elif raw_per_file is not None:
        problems.append(
            CONFIG_INVALID.at(
                where("per-file-ignores"), path=shown, reason="'per-file-ignores' must be a table"
            )
        )

    accepted: list[Accepted] = []
    raw_accept = table.get("accept", [])
    if isinstance(raw_accept, list):
        for item in raw_accept:
            if (
                isinstance(item, dict)
                and isinstance(item.get("code"), str)
                and isinstance(item.get("fingerprint"), str)
            ):
                accepted.append(Accepted(item["code"], item["fingerprint"], str(item.get("reason", ""))))
            else:
                problems.append(
                    CONFIG_INVALID.at(
                        where("accept"),
                        path=shown,
                        reason="each [[accept]] needs string 'code' and 'fingerprint'",
                    )
                )
    else:
        problems.append(
            CONFIG_INVALID.at(where("accept"), path=shown, reason="'accept' must be an array of tables")
        )

    defaults = Config(root=root)
    return Config(
        root=root,
        file=file,
        paths=strings("paths") or (),
        bibliography=string("bibliography"),
        select=strings("select") or defaults.select,
        ignore=strings("ignore") or (),
        extend_select=strings("extend-select") or (),
        per_file_ignores=per_file,
        baseline=string("baseline"),
        archives=strings("archives") or defaults.archives,
        archival_style=string_table("archival-style"),
        aliases=string_table("aliases"),
        accept=tuple(accepted),
        input_format=string("input-format"),
        diagnostics=tuple(problems),
    )


def _key_lines(file: Path | None) -> dict[str, int]:
    """The line of each key's first appearance, for diagnostics that point into the file."""
    if file is None:
        return {}
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().lstrip("[").rstrip("]")
        key = stripped.split("=", 1)[0].strip().strip('"')
        key = key.removeprefix("tool.notecheck.").removeprefix("tool.notecheck")
        if key and key not in lines:
            lines[key] = number
    return lines
