"""Real-browser tests: the app served on a free port, driven in headless Chromium through Playwright.

They check what AppTest cannot: uploads through the page, charts actually drawn, screenshots.
Screenshots go to tests/artifacts/; with CANALYSE_UPDATE_SCREENSHOTS=1 the README's are refreshed too.
Without Chromium these tests skip, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CANALYSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs" / "screenshots"


def _require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """A Streamlit server on a free port, with its own empty workspace file."""
    _require_chromium()
    port = _free_port()
    env = {**os.environ, "CANALYSE_DB": str(tmp_path / "workspace.duckdb")}
    log = (tmp_path / "server.log").open("w")
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
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(
                "the Streamlit server did not start: " + (tmp_path / "server.log").read_text()
            )
        time.sleep(0.3)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def page(server):
    """A Chromium page at a slide-friendly size."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1100}, locale="fr-FR")
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        yield tab
        browser.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stMainBlockContainer"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def _save(page, name: str) -> None:
    # Tables are drawn on a canvas a moment after their data arrives; let them finish for the picture.
    page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if os.environ.get("CANALYSE_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / name, DOCS / name)


def _upload(page, *files: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(f) for f in files]
    )
    # The upload finishes in the background; submitting before it ends would send no file.
    page.locator('[data-testid="stFileChip"]').nth(len(files) - 1).wait_for()
    page.get_by_role("button", name="Importer", exact=True).click()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def _text(locator) -> str:
    """Visible text with French no-break spaces read as plain spaces."""
    return locator.inner_text().replace("\u00a0", " ").replace("\u202f", " ")


def _assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_uploading_a_french_table_draws_the_share_of_views_chart(page, server):
    _open(page, f"{server}/import_data")
    _upload(page, FIXTURES / "handmade" / "bilan_titre_total.xlsx")
    page.get_by_text("« bilan_titre_total.xlsx » importé").wait_for()
    page.get_by_text("Format reconnu : Tableau fait main").first.wait_for()
    _assert_no_exception(page)
    _save(page, "import_fr.png")

    _open(page, server)
    chart = page.locator('[data-testid="stPlotlyChart"]')
    chart.locator(".bars path").nth(3).wait_for()
    assert chart.locator(".bars path").count() == 4
    assert "Facebook a apporté 44 % des vues" in _text(chart)
    assert "740 000 · 44 %" in _text(chart)
    _assert_no_exception(page)
    _save(page, "overview_fr.png")


def test_the_example_loads_from_the_empty_start_in_english(page, server):
    _open(page, f"{server}/?lang=en")
    page.get_by_role("button", name="Load the example").click()
    chart = page.locator('[data-testid="stPlotlyChart"]')
    chart.locator(".bars path").nth(3).wait_for()
    assert "Facebook brought 44% of views" in _text(chart)
    _assert_no_exception(page)
    _save(page, "overview_en.png")


def test_a_bad_file_gets_a_clear_message_and_earlier_imports_stay(page, server, tmp_path):
    bad = tmp_path / "bilan_faux.csv"
    bad.write_text("Réseau;Vues\nFacebook;beaucoup\n", encoding="utf-8")
    _open(page, f"{server}/import_data")
    _upload(page, FIXTURES / "handmade" / "bilan_cp1252.csv")
    page.get_by_text("« bilan_cp1252.csv » importé").wait_for()
    _upload(page, bad)
    error = page.locator('[data-testid="stAlertContentError"]')
    error.wait_for()
    assert "beaucoup" in _text(error) and "Rien n'a été importé" in _text(error)
    page.get_by_text("Imports précédents").wait_for()
    # The earlier import is still there, offered in the delete list of the history.
    choice = page.locator(".st-key-delete_choice")
    shown = (choice.text_content() or "") + " ".join(
        choice.locator("input").evaluate_all("inputs => inputs.map(i => i.value)")
    )
    assert "#1 — bilan_cp1252.csv" in shown, shown
    _assert_no_exception(page)
    _save(page, "import_error_fr.png")


def test_a_zip_and_a_french_export_import_through_the_page(page, server):
    youtube = FIXTURES / "exports" / "youtube" / "Content 2025-01-01_2025-01-31 Ville de Rennes.zip"
    facebook_fr = FIXTURES / "exports" / "meta" / "Apr-01-2025_Apr-30-2025_104526198765432.csv"
    _open(page, f"{server}/import_data")
    _upload(page, youtube, facebook_fr)
    page.get_by_text(f"« {youtube.name} » importé").wait_for()
    page.get_by_text(f"« {facebook_fr.name} » importé").wait_for()
    body = _text(page.locator('[data-testid="stMain"]'))
    assert "Export YouTube Studio — chaîne par jour" in body
    assert "Export Meta Business Suite — publications Facebook (interface française)" in body
    assert "notes.pdf" in body  # the zip entry that is not a table is named
    _assert_no_exception(page)
    _save(page, "import_exports_fr.png")

    _open(page, server)
    chart = page.locator('[data-testid="stPlotlyChart"]')
    chart.locator(".bars path").nth(1).wait_for()
    assert chart.locator(".bars path").count() == 2
    assert "YouTube" in _text(chart) and "Facebook" in _text(chart)
    _assert_no_exception(page)
    _save(page, "overview_exports_fr.png")
