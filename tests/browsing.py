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


# The app's script runs, counted from what the server sends over the page's websocket: each run
# starts with a `new_session` message and ends with `script_finished`. (Watching the page's
# `data-test-script-state` attribute instead misses runs: when a run's start and end reach the
# browser together, the page is drawn once and the attribute never leaves « notRunning ».)
# A run ended by `st.rerun` is not counted (its status says so): the wait goes on to the run that
# follows. `QUIET` guards against a run the page itself would ask for once a counted run is over:
# across the browser tests on 4 December, none did (the one run that followed another inside a wait
# was an `st.rerun`'s, 18 ms later). Cutting it to 0.05 s saved 5–9 s over the four browser modules.
QUIET = 0.15  # seconds without a new run after the last one ends


class _Runs:
    """The script runs of a tab's current document (a load or reload starts again from 0)."""

    def __init__(self) -> None:
        self.socket: object | None = None
        self.finished = 0
        self.running = False
        self.changed = time.monotonic()

    def restart(self, socket: object | None = None) -> None:
        self.socket, self.finished, self.running = socket, 0, False
        self.changed = time.monotonic()

    def received(self, socket: object, payload: bytes | str) -> None:
        if socket is not self.socket or isinstance(payload, str):
            return
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.running, self.changed = True, time.monotonic()
        elif kind == "script_finished":
            self.running, self.changed = False, time.monotonic()
            if message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.finished += 1

    def closed(self, socket: object) -> None:
        if socket is self.socket:
            self.socket = None


_WATCHED: dict[object, _Runs] = {}


def watch(page) -> _Runs:
    """Count `page`'s script runs from now on (once per tab)."""
    if page in _WATCHED:
        return _WATCHED[page]
    found = _WATCHED[page] = _Runs()

    def opened(socket) -> None:
        if "/_stcore/stream" not in socket.url:
            return
        found.restart(socket)
        socket.on("framereceived", lambda payload: found.received(socket, payload))
        socket.on("close", lambda _: found.closed(socket))

    page.on("websocket", opened)
    page.on("close", lambda _: _WATCHED.pop(page, None))
    return found


# The page is drawn: no running indicator, no placeholder, nothing left over from the run before,
# something in the main area.
_DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    return !!app && !!main
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && !main.querySelector('[data-stale="true"]')
        && main.querySelectorAll('[data-testid="stElementContainer"]').length > 0;
}"""


def new_tab(browser, height: int = 1100):
    """A new browser profile (its own cookies, storage and session) with one tab, at a
    slide-friendly size. Every tab opened in it counts the app's runs."""
    context = browser.new_context(viewport={"width": 1440, "height": height}, locale="fr-FR")
    context.on("page", watch)
    tab = context.new_page()
    watch(tab)
    tab.set_default_timeout(30_000)
    return tab


def runs(page) -> int:
    """How many script runs of this document have finished."""
    return watch(page).finished


def settle(page, after: int = -1, quiet: float = QUIET) -> None:
    """Wait until a script run finished after the `after`-th one (any, by default: the page's
    current run, if one is going), no other began for `quiet` seconds, and the page is drawn."""
    counted = watch(page)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (
            counted.socket is not None
            and counted.finished > after
            and not counted.running
            and time.monotonic() - counted.changed >= quiet
            and page.evaluate(_DRAWN)
        ):
            return
        page.wait_for_timeout(25)  # lets Playwright deliver the websocket's messages
    # Say which part of the wait never came true, with a picture of the page as it stood.
    state = page.evaluate(_STATE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "unsettled.png"))
    raise AssertionError(
        f"page never settled after run {after}: {counted.finished} finished, "
        f"running: {counted.running}, connected: {counted.socket is not None}, "
        f"last change {time.monotonic() - counted.changed:.1f} s ago; page: {state}"
    )


_STATE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    const found = testid => document.querySelector(`[data-testid="${testid}"]`);
    return {
        url: location.href,
        script_state: app ? app.getAttribute('data-test-script-state') : null,
        status_widget: (found('stStatusWidget') || {}).innerText,
        skeleton: !!found('stSkeleton'),
        stale: main ? main.querySelectorAll('[data-stale="true"]').length : null,
        elements: main ? main.querySelectorAll('[data-testid="stElementContainer"]').length : null,
        exception: (found('stException') || {}).innerText,
        connection: (found('stConnectionStatus') || {}).innerText,
    };
}"""


@contextmanager
def rerun(page) -> Iterator[None]:
    """Do what the block does (a click, a choice: anything that runs the script again), then wait
    for the run it started to finish."""
    before = runs(page)
    yield
    settle(page, before)


def open_page(page, url: str) -> None:
    """Load `url` and wait for its first run to finish."""
    watch(page).restart()  # messages still arriving for the document left are not counted
    page.goto(url)
    settle(page, 0)


def reload(page) -> None:
    watch(page).restart()
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
