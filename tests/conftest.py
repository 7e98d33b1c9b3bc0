"""Shared fixtures: a workspace on disk, and the paths of the fixture files."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def workspace_template(tmp_path_factory) -> Path:
    """A new, empty workspace made once per test process: creating the schema (every migration
    from version 1) costs three times as much as opening a copy of it."""
    path = tmp_path_factory.mktemp("template") / "workspace.duckdb"
    store.connect(path).close()
    return path


def fresh_workspace(template: Path, path: Path):
    """A connection to a new, empty workspace at `path`: a copy of `template`, brought up to date
    by `store.connect` as any workspace is (here, nothing to do)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return store.connect(path)


@pytest.fixture
def con(db_path: Path, workspace_template: Path):
    """A fresh workspace, a real DuckDB file on disk."""
    connection = fresh_workspace(workspace_template, db_path)
    yield connection
    connection.close()


class Workspaces:
    """Workspaces filled once per test process and copied for every test that asks for one: a
    module's tests that start from the same imports get each a workspace of their own without
    importing the same files again."""

    def __init__(self, folder: Path, template: Path) -> None:
        self.folder = folder
        self.template = template

    def copy(self, path: Path, key: str, fill: Callable[[Any], object]) -> Path:
        """Put at `path` a workspace holding what `fill(con)` writes into an empty one.

        `fill` runs the first time its `key` is asked for (the key is made unique across modules
        with `fill`'s module); the result is copied from then on.
        """
        made = self.folder / f"{fill.__module__}.{key}.duckdb"
        if not made.exists():
            filling = made.with_suffix(".filling")
            con = fresh_workspace(self.template, filling)
            try:
                fill(con)
            finally:
                con.close()
            filling.rename(made)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, path)
        return path


@pytest.fixture(scope="session")
def workspaces(tmp_path_factory, workspace_template: Path) -> Workspaces:
    return Workspaces(tmp_path_factory.mktemp("workspaces"), workspace_template)


@pytest.fixture
def prepared(workspaces: Workspaces, db_path: Path):
    """`prepared(key, fill)`: a connection to a workspace at `db_path` holding what `fill(con)`
    writes into an empty one (see `Workspaces.copy`), closed when the test ends."""
    opened = []

    def open_copy(key: str, fill: Callable[[Any], object]):
        workspaces.copy(db_path, key, fill)
        opened.append(store.connect(db_path))
        return opened[-1]

    yield open_copy
    for connection in opened:
        connection.close()


def fixture_bytes(relative: str) -> tuple[str, bytes]:
    """(file name, bytes) of a file under tests/fixtures."""
    path = FIXTURES / relative
    return path.name, path.read_bytes()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test: starting it is the slow part, a context is not."""
    from tests.browsing import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def module_tab(browser):
    """One browser profile and one tab per module. Its loads share the cache of Streamlit's scripts
    (parsed and compiled once, as in a user's browser) and one renderer process: a new tab costs
    Chromium a process and about 1.5 s of processor time, a load in the same tab does not. The app
    keeps nothing in cookies or storage; tests with users of their own make a profile each."""
    from tests.browsing import new_tab

    tab = new_tab(browser)
    yield tab
    tab.context.close()


@pytest.fixture
def page(module_tab):
    """The module's tab, blank: each load a test makes is a session of the app of its own, and
    the tab counts the app's script runs."""
    module_tab.goto("about:blank")
    yield module_tab


@pytest.fixture(scope="session", autouse=True)
def _components_scanned_once():
    """AppTest looks for Streamlit components in every installed package's metadata on each new
    app (0.2 s each, hundreds of times): the installed packages do not change during a run, so
    the scan is made once per test process."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    found: list = []

    def scanned_once(*args, **kwargs):
        if not found:
            found.append(scan(*args, **kwargs))
        return list(found[0])

    manifest_scanner.scan_component_manifests = scanned_once
    yield
    manifest_scanner.scan_component_manifests = scan


# The modules that take longest (seconds of a worker, measured on two cores), handed out first:
# xdist gives each worker a whole module at a time in collection order (`--dist loadscope
# --no-loadscope-reorder` in pyproject.toml), so a long module left for the end would keep one
# worker busy while the other waits. The others follow in their usual order.
SLOW_FIRST = (
    "test_streamed",
    "test_browser_state",
    "test_browser_pages",
    "test_team_server",
    "test_upload_limits",
    "test_real_exports",
    "test_browser_import",
    "test_access",
    "test_counting",
    "test_fetch",
    "test_pages",
    "test_presentation",
    "test_exports",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: n for n, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(Path(item.nodeid.split("::")[0]).stem, len(rank)))
