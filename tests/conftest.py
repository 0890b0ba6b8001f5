"""Shared test set-up: hypothesis profiles and paths to the project's own data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "edition" / "kanatchikov.txt"
BIBLIOGRAPHY = ROOT / "bibliography.bib"
SCHEMA = ROOT / "src" / "notecheck" / "report" / "report.schema.json"

# CI: deterministic and bounded. Locally: the same unless HYPOTHESIS_PROFILE says otherwise.
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def edition_path() -> Path:
    return EDITION


@pytest.fixture(scope="session")
def report_schema() -> dict[str, object]:
    import json

    loaded: dict[str, object] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return loaded
