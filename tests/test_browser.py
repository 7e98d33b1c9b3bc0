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
import zipfile
from datetime import date
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
    yield from _serve(tmp_path / "workspace.duckdb", tmp_path)


def _serve(db, tmp_path):
    """Run the app on a free port against the workspace file `db` until the test ends."""
    port = _free_port()
    env = {**os.environ, "CANALYSE_DB": str(db)}
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
def page(browser):
    """A fresh tab (its own cookies and storage) at a slide-friendly size."""
    context = browser.new_context(viewport={"width": 1440, "height": 1100}, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


_SETTLED = """() => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    return !!main
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && main.querySelectorAll('[data-testid="stElementContainer"]').length > 0;
}"""


def _settle(page) -> None:
    """Wait until the script run is over and the page drawn: settled twice, a moment apart."""
    for _ in range(2):
        page.wait_for_function(_SETTLED, timeout=60_000)
        page.wait_for_timeout(250)
    page.wait_for_function(_SETTLED, timeout=60_000)


def _open(page, url: str) -> None:
    page.goto(url)
    _settle(page)


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
    _settle(page)


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
    page.get_by_text("Imports précédents").first.wait_for()  # a rerun may draw it twice a moment
    # The earlier import is still there, offered in the delete list of the history.
    page.wait_for_function(
        """() => {
            const choice = document.querySelector('.st-key-delete_choice');
            if (!choice) return false;
            const values = [...choice.querySelectorAll('input')].map(i => i.value).join(' ');
            return (choice.textContent + values).includes('#1 — bilan_cp1252.csv');
        }"""
    )
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


@pytest.fixture(scope="module")
def full_server(tmp_path_factory):
    """A server on a workspace with a year of monthly figures, hours and spend, the Rennes summary,
    an X export and an event: every page has something to show. Shared by the tests that only
    read it."""
    _require_chromium()
    from canalyse import store
    from canalyse.analysis import events
    from canalyse.importing.pipeline import import_file

    tmp_path = tmp_path_factory.mktemp("full")
    db = tmp_path / "workspace.duckdb"
    con = store.connect(db)
    for path in (
        FIXTURES / "roi" / "annee_2025_mensuel.csv",
        FIXTURES / "roi" / "decision_2025.csv",
        ROOT / "data" / "samples" / "rennes_crue_campagne.csv",
    ):
        import_file(con, path.name, path.read_bytes())
    events.add_event(con, date(2025, 6, 15), "Arrêt des publications sur X")
    con.close()
    yield from _serve(db, tmp_path)


PAGES = ["", "roi", "decision", "trends", "campaigns", "present", "import_data", "glossary"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_both_languages(page, full_server, path, lang):
    _open(page, f"{full_server}/{path}?lang={lang}")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    if charts.count():
        charts.first.locator(".main-svg").first.wait_for()
    _assert_no_exception(page)
    _save(page, f"page_{path or 'overview'}_{lang}.png")


def test_a_chart_downloads_as_a_png_and_the_deck_as_a_pptx(page, full_server, tmp_path):
    _open(page, f"{full_server}/")
    with page.expect_download() as png:
        page.get_by_role("button", name="Image PNG").click()
    saved = tmp_path / png.value.suggested_filename
    png.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\x89PNG")
    assert saved.name.startswith("canalyse_part-des-vues")

    _open(page, f"{full_server}/decision")
    with page.expect_download() as deck:
        page.get_by_role("button", name="Télécharger le diaporama").click()
    import pptx

    saved = tmp_path / deck.value.suggested_filename
    deck.value.save_as(saved)
    slides = pptx.Presentation(str(saved)).slides
    assert any(shape.has_chart for slide in slides for shape in slide.shapes)


# ---- State that survives: filters and language in the address ---------------------------------

PERIOD_FR = "du 01/01/2025 au 30/06/2025"
SHOWN_FR = f"Chiffres retenus : {PERIOD_FR} · Facebook et X · campagne « Printemps »"
SHOWN_EN = "Figures shown: 1 Jan 2025 – 30 Jun 2025 · Facebook and X · campaign “Printemps”"
# The pages whose header states the filters, by their sidebar link, in French and English.
LINKS = {
    "roi": ("Rentabilité", "Return on investment"),
    "decision": ("Décider", "Decide"),
    "trends": ("Tendances", "Trends"),
    "campaigns": ("Campagnes", "Campaigns"),
    "import_data": ("Importer", "Import"),
    "glossary": ("Glossaire", "Glossary"),
    "present": ("Présentation", "Presentation"),
    "": ("Vue d'ensemble", "Overview"),
}
WITH_HEADER = {"", "roi", "decision", "trends", "campaigns"}
_LOGS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def state_server(tmp_path_factory):
    """One server for the state and download tests: a year of months, the Rennes summary, an event
    and a campaign saved as a date range (spring 2025)."""
    _require_chromium()
    from canalyse import store
    from canalyse.analysis import campaigns, events
    from canalyse.importing.pipeline import import_file

    folder = tmp_path_factory.mktemp("state")
    con = store.connect(folder / "workspace.duckdb")
    for path in (
        FIXTURES / "roi" / "annee_2025_mensuel.csv",
        FIXTURES / "roi" / "decision_2025.csv",
        ROOT / "data" / "samples" / "rennes_crue_campagne.csv",
    ):
        import_file(con, path.name, path.read_bytes())
    events.add_event(con, date(2025, 6, 15), "Arrêt des publications sur X")
    campaigns.add_campaign_range(con, "Printemps", date(2025, 3, 1), date(2025, 5, 31))
    con.close()
    for url in _serve(folder / "workspace.duckdb", folder):
        _LOGS[url] = folder / "server.log"
        yield url


def _sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def _go(page, link: str) -> None:
    """Follow a sidebar link, opening the sidebar first where it is folded (presentation mode)."""
    opener = page.locator('[data-testid="stExpandSidebarButton"]')
    if opener.count() and opener.is_visible():
        opener.click()
        page.wait_for_timeout(500)
    _sidebar(page).get_by_role("link", name=link, exact=True).click()
    _settle(page)


def _choose_filters(page) -> None:
    """Period, networks and campaign, chosen through the sidebar's widgets as a user does."""
    side = _sidebar(page)
    side.locator('[data-testid="stDateInput"] [data-range-field="start"] [data-type="day"]').click()
    page.keyboard.type("01012025")
    side.locator('[data-testid="stDateInput"] [data-range-field="end"] [data-type="day"]').focus()
    page.keyboard.type("30062025")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _settle(page)
    for network in ("Facebook", "X"):
        side.locator('[data-testid="stMultiSelect"]').first.click()
        page.keyboard.type(network)
        page.keyboard.press("Enter")
        _settle(page)
    page.keyboard.press("Escape")
    side.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Printemps").click()
    _settle(page)


def _assert_filters(page, shown: str, path: str, lang: str) -> None:
    """The address, the sidebar's widgets and the page header all hold the same selection."""
    # The address is written by the run that follows a choice: wait for it rather than a delay.
    english = "true" if lang == "en" else "false"
    page.wait_for_function(
        "() => location.href.includes("
        "'from=2025-01-01&to=2025-06-30&platform=facebook&platform=x&campaign=Printemps')"
        f" && location.href.includes('lang=en') === {english}",
        timeout=30_000,
    )
    _settle(page)
    side = _sidebar(page)
    chips = [
        _text(chip) for chip in side.locator('[data-testid="stMultiSelect"] span[title]').all()
    ]
    assert chips == ["Facebook", "X"], chips
    campaign = side.locator('[data-testid="stSelectbox"]').first
    assert "Printemps" in _text(campaign) + campaign.locator("input").input_value()
    dates = _text(side.locator('[data-testid="stDateInput"] [data-testid="stDateInputField"]'))
    dates = "".join(dates.split())
    assert dates in ("01/01/2025–30/06/2025", "2025-01-01–2025-06-30"), dates
    language = "English" if lang == "en" else "Français"
    selected = side.locator('[data-testid="stButtonGroup"] button[aria-checked="true"]')
    assert _text(selected) == language
    if path in WITH_HEADER:
        header = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
        assert _text(header).strip() == shown
    _assert_no_exception(page)


def test_filters_and_language_survive_every_page_and_a_reload(page, state_server):
    _open(page, state_server)
    _choose_filters(page)
    _assert_filters(page, SHOWN_FR, "", "fr")
    _save(page, "state_overview_fr.png")
    for path, (french, _) in LINKS.items():
        _go(page, french)
        _assert_filters(page, SHOWN_FR, path, "fr")
        page.reload()
        _settle(page)
        _assert_filters(page, SHOWN_FR, path, "fr")
    _go(page, "Tendances")
    _sidebar(page).get_by_text("English", exact=True).click()
    _settle(page)
    _assert_filters(page, SHOWN_EN, "trends", "en")
    for path, (_, english) in LINKS.items():
        _go(page, english)
        _assert_filters(page, SHOWN_EN, path, "en")
        page.reload()
        _settle(page)
        _assert_filters(page, SHOWN_EN, path, "en")
        if path in WITH_HEADER:
            _save(page, f"state_{path or 'overview'}_en.png")


def test_a_link_with_the_address_opens_the_same_view(page, state_server):
    address = (
        "/trends?lang=en&from=2025-01-01&to=2025-06-30&platform=facebook&platform=x"
        "&campaign=Printemps"
    )
    _open(page, state_server + address)
    _assert_filters(page, SHOWN_EN, "trends", "en")
    french = address.replace("lang=en&", "")
    _open(page, state_server + french)
    _assert_filters(page, SHOWN_FR, "trends", "fr")
    _save(page, "state_trends_fr.png")


# ---- Downloads ---------------------------------------------------------------------------------


def test_every_download_of_a_page_works_on_the_first_click_again_and_again(
    page, state_server, tmp_path
):
    import openpyxl

    _open(page, f"{state_server}/roi")
    buttons = page.locator('[data-testid="stDownloadButton"] button')
    count = buttons.count()
    assert count == 7  # two charts × (PNG, SVG), the table × (CSV, Excel), every chart (zip)
    starts = {".png": b"\x89PNG", ".svg": b"<svg", ".csv": b"\xef\xbb\xbf", ".zip": b"PK"}
    for _ in range(3):
        for index in range(count):
            with page.expect_download(timeout=60_000) as download:
                buttons.nth(index).click()
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            data = saved.read_bytes()
            if saved.suffix == ".xlsx":
                sheet = openpyxl.load_workbook(saved).active
                # The exported table holds numbers, not « 720 000 » as text.
                numbers = [c for row in sheet.iter_rows(min_row=2) for c in row[1:]]
                assert any(c.data_type == "n" and c.value for c in numbers)
            else:
                assert data.startswith(starts[saved.suffix]) or b"<svg" in data[:400], saved.name
            assert not page.locator('[data-testid="stDownloadButtonError"]').count()
    log = _LOGS[state_server].read_text()
    assert "Deferred file" not in log and "MediaFileStorageError" not in log


def test_the_presentation_zip_holds_every_slide_offered(page, state_server, tmp_path):
    _open(page, f"{state_server}/present")
    page.locator('[data-testid="stSelectbox"]').last.click()
    offered = [_text(option) for option in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    assert len(offered) == 6, offered
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Tous les graphiques").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    archive = zipfile.ZipFile(saved)
    assert len(archive.namelist()) == len(offered)
    assert all(archive.read(name).startswith(b"\x89PNG") for name in archive.namelist())
    assert not page.locator('[data-testid="stDownloadButtonError"]').count()
