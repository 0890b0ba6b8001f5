"""SECURITY.md cannot rot: every guarantee names tests, and every test it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import ROOT

SECURITY = ROOT / "SECURITY.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            found |= {f"{node.name}::{n.name}" for n in node.body if isinstance(n, ast.FunctionDef)}
    return {name for name in found if name.split("::")[-1].startswith("test_")}


def _sections() -> dict[str, str]:
    text = SECURITY.read_text(encoding="utf-8")
    parts = re.split(r"^## (\d+\. .+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_named_test_exists() -> None:
    named = NAMED.findall(SECURITY.read_text(encoding="utf-8"))
    assert len(named) >= 30
    missing = [f"{path}::{name}" for path, name in named if name not in _tests_in(ROOT / path)]
    assert missing == []


def test_every_guarantee_names_a_test() -> None:
    sections = _sections()
    assert len(sections) == 8
    for title, body in sections.items():
        assert NAMED.search(body), f"SECURITY.md: '{title}' names no test"


def test_the_checker_notices_a_missing_test(tmp_path: Path) -> None:
    """The existence check really fails for a name that is not a test."""
    module = tmp_path / "test_x.py"
    module.write_text("def test_here():\n    pass\n\ndef helper():\n    pass\n")
    assert _tests_in(module) == {"test_here"}
