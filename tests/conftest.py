"""Shared fixtures: a workspace on disk, and the paths of the fixture files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from canalyse import store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# AppTest runs page scripts whose imports (`from pages import ui`) expect the project root on the path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a fresh workspace file will live."""
    return tmp_path / "workspace.duckdb"


@pytest.fixture
def con(db_path: Path):
    """A fresh workspace, a real DuckDB file on disk."""
    connection = store.connect(db_path)
    yield connection
    connection.close()


def fixture_bytes(relative: str) -> tuple[str, bytes]:
    """(file name, bytes) of a file under tests/fixtures."""
    path = FIXTURES / relative
    return path.name, path.read_bytes()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test: starting it is the slow part, a context is not."""
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium

    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
