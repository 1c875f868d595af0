"""Shared fixtures: a copy of the seed store, and the headless browser from tests/browser.py."""

import shutil
from pathlib import Path

import pytest
from browser import chromium  # noqa: F401  (fixture for page tests)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def seed_store(tmp_path):
    """events.csv and actors.csv from the repository root, copied into tmp_path; returns the events path."""
    for name in ("events.csv", "actors.csv"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path / "events.csv"
