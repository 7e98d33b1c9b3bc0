"""What the browser tests share: the app served on a free port, a tab that counts the app's script
runs, and waits on those runs (never on a fixed delay).

Used by every module marked `browser` (`tests/test_browser_*.py`, `tests/test_team_server.py`)
and by the session's Chromium in `tests/conftest.py`. Without Chromium those tests skip, except
under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("CANALYSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    # Headless Chromium preloads the address bar's pop-up (two WebUI pages) in every new context:
    # about a second of processor time each, for a window nobody sees.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
    # A second tab of the same profile on the app shares the first one's renderer, where
    # Streamlit's scripts are already compiled: its first load costs about 1.4 s of processor
    # time instead of 3.5 s.
    "--process-per-site",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs" / "screenshots"
UPDATE_DOCS = os.environ.get("CANALYSE_UPDATE_SCREENSHOTS") == "1"


def require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    """Wait until `url` answers 200 (a server `process` starting, logging to `log`)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{url} did not answer: " + log.read_text())
        time.sleep(0.05)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def serve(
    log_path: Path, env: dict[str, str], arguments: tuple[str, ...] = (), port: int | None = None
) -> Iterator[str]:
    """Run the app on `port` (a free one by default) with `env` added to the environment and
    Streamlit's `arguments`, until the generator is closed; yields its address."""
    port = port or free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            *arguments,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/_stcore/health", process, log_path)
        yield url
    finally:
        stop(process)
        log.close()


# Counts the app's finished script runs in the page: `data-test-script-state` on `stApp` goes
# initial → running → notRunning on each run (and through notRunning between a run and the one
# it asks for with st.rerun). Set up again on every document, so a load or reload starts at 0.
_RUN_COUNTER = """(() => {
    const runs = window.__canalyse_runs = {finished: 0, changed: performance.now()};
    new MutationObserver(records => {
        for (const record of records) {
            const state = record.target.getAttribute('data-test-script-state');
            if (state === record.oldValue) continue;
            runs.changed = performance.now();
            if (state === 'notRunning') runs.finished += 1;
        }
    }).observe(document, {
        subtree: true, attributes: true, attributeOldValue: true,
        attributeFilter: ['data-test-script-state'],
    });
})()"""

# The last run is over (none since for QUIET ms: a rerun it asked for would have begun) and the
# page is drawn: no running indicator, no placeholder, something in the main area.
QUIET_MS = 150
_SETTLED = """([after, quiet]) => {
    const runs = window.__canalyse_runs;
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    return !!runs && !!app && !!main
        && runs.finished > after
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && performance.now() - runs.changed >= quiet
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && main.querySelectorAll('[data-testid="stElementContainer"]').length > 0;
}"""


def new_tab(browser, height: int = 1100):
    """A new browser profile (its own cookies, storage and session) with one tab that counts the
    app's runs, at a slide-friendly size."""
    context = browser.new_context(viewport={"width": 1440, "height": height}, locale="fr-FR")
    context.add_init_script(_RUN_COUNTER)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return tab


def runs(page) -> int:
    """How many script runs of this document have finished."""
    return page.evaluate("() => window.__canalyse_runs ? window.__canalyse_runs.finished : 0")


def settle(page, after: int = -1) -> None:
    """Wait until a script run finished after the `after`-th one (any, by default: the page's
    current run, if one is going) and the page is drawn."""
    page.wait_for_function(_SETTLED, arg=[after, QUIET_MS], timeout=60_000, polling=50)


@contextmanager
def rerun(page) -> Iterator[None]:
    """Do what the block does (a click, a choice: anything that runs the script again), then wait
    for the run it started to finish."""
    before = runs(page)
    yield
    settle(page, before)


def open_page(page, url: str) -> None:
    """Load `url` and wait for its first run to finish."""
    page.goto(url)
    settle(page, 0)


def reload(page) -> None:
    page.reload()
    settle(page, 0)


def save(page, name: str) -> None:
    """A screenshot in tests/artifacts/ (and docs/screenshots/ with CANALYSE_UPDATE_SCREENSHOTS=1)."""
    # Tables are drawn on a canvas in the frames after their data arrives: let two frames pass.
    # The pictures of the README get a whole second.
    page.evaluate(
        "() => document.fonts.ready.then(() => new Promise(done =>"
        " requestAnimationFrame(() => requestAnimationFrame(done))))"
    )
    if UPDATE_DOCS:
        page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if UPDATE_DOCS:
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / name, DOCS / name)


# Every page by its path, with its sidebar link in French and in English.
PAGE_LINKS = {
    "roi": ("Rentabilité", "Return on investment"),
    "decision": ("Décider", "Decide"),
    "trends": ("Tendances", "Trends"),
    "campaigns": ("Campagnes", "Campaigns"),
    "import_data": ("Importer", "Import"),
    "glossary": ("Glossaire", "Glossary"),
    "present": ("Présentation", "Presentation"),
    "": ("Vue d'ensemble", "Overview"),
}


def follow_link(page, link: str) -> None:
    """Follow a sidebar link as a user does (opening the sidebar first where it is folded, in
    presentation mode) and wait for the page's run. The app stays loaded: only the page changes."""
    opener = page.locator('[data-testid="stExpandSidebarButton"]')
    if opener.count() and opener.is_visible():
        opener.click()
    with rerun(page):
        # The click waits for the link to be visible and still (the sidebar slides in).
        page.locator('[data-testid="stSidebar"]').get_by_role("link", name=link, exact=True).click()


def upload(page, *files: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(f) for f in files]
    )
    # The upload finishes in the background; submitting before it ends would send no file.
    page.locator('[data-testid="stFileChip"]').nth(len(files) - 1).wait_for()
    with rerun(page):
        page.get_by_role("button", name="Importer", exact=True).click()


def text(locator) -> str:
    """Visible text with French no-break spaces read as plain spaces."""
    return locator.inner_text().replace("\u00a0", " ").replace("\u202f", " ")


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def year_workspace(db: Path, *, spring_campaign: bool = False) -> Path:
    """A workspace where every page has something to show: a year of monthly figures, hours and
    spend, the Rennes summary, an X export and an event (and, if asked, a campaign saved as a date
    range: spring 2025)."""
    from datetime import date

    from canalyse import store
    from canalyse.analysis import campaigns, events
    from canalyse.importing.pipeline import import_file
    from tests.conftest import FIXTURES

    con = store.connect(db)
    for path in (
        FIXTURES / "roi" / "annee_2025_mensuel.csv",
        FIXTURES / "roi" / "decision_2025.csv",
        ROOT / "data" / "samples" / "rennes_crue_campagne.csv",
    ):
        import_file(con, path.name, path.read_bytes())
    events.add_event(con, date(2025, 6, 15), "Arrêt des publications sur X")
    if spring_campaign:
        campaigns.add_campaign_range(con, "Printemps", date(2025, 3, 1), date(2025, 5, 31))
    con.close()
    return db
