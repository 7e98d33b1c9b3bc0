"""Real browser, on a workspace the tests only read (they share one server):

- state that survives: filters and language live in the address, so following the sidebar's
  links, reloading a page or opening a shared link shows the same view;
- downloads: every download button of a page works on the first click, again and again, and the
  presentation's zip holds every slide it offers.
"""

from __future__ import annotations

import zipfile

import pytest

from tests.browsing import (
    PAGE_LINKS,
    assert_no_exception,
    follow_link,
    open_page,
    reload,
    require_chromium,
    rerun,
    save,
    serve,
    settle,
    text,
    year_workspace,
)

pytestmark = pytest.mark.browser

PERIOD_FR = "du 01/01/2025 au 30/06/2025"
SHOWN_FR = f"Chiffres retenus : {PERIOD_FR} · Facebook et X · campagne « Printemps »"
SHOWN_EN = "Figures shown: 1 Jan 2025 – 30 Jun 2025 · Facebook and X · campaign “Printemps”"
WITH_HEADER = {"", "roi", "decision", "trends", "campaigns"}
# Each page is reloaded in one of the two tests below (a reload loads the whole app again: the
# slow part of a page in the browser); both follow every link.
RELOADED_IN_FRENCH = {"", "decision", "campaigns", "present"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A year of months, the Rennes summary, an event and a campaign saved as a date range (spring
    2025); yields the address and the server's log."""
    require_chromium()
    folder = tmp_path_factory.mktemp("state")
    db = year_workspace(folder / "workspace.duckdb", spring_campaign=True)
    log = folder / "server.log"
    for url in serve(log, {"CANALYSE_DB": str(db)}):
        yield url, log


@pytest.fixture
def state_server(server) -> str:
    return server[0]


def _sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def _choose_filters(page) -> None:
    """Period, networks and campaign, chosen through the sidebar's widgets as a user does."""
    side = _sidebar(page)
    with rerun(page):
        side.locator(
            '[data-testid="stDateInput"] [data-range-field="start"] [data-type="day"]'
        ).click()
        page.keyboard.type("01012025")
        side.locator(
            '[data-testid="stDateInput"] [data-range-field="end"] [data-type="day"]'
        ).focus()
        page.keyboard.type("30062025")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
    for network in ("Facebook", "X"):
        with rerun(page):
            side.locator('[data-testid="stMultiSelect"]').first.click()
            page.keyboard.type(network)
            page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    with rerun(page):
        side.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="Printemps").click()


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
    settle(page)
    side = _sidebar(page)
    chips = [text(chip) for chip in side.locator('[data-testid="stMultiSelect"] span[title]').all()]
    assert chips == ["Facebook", "X"], chips
    campaign = side.locator('[data-testid="stSelectbox"]').first
    assert "Printemps" in text(campaign) + campaign.locator("input").input_value()
    dates = text(side.locator('[data-testid="stDateInput"] [data-testid="stDateInputField"]'))
    dates = "".join(dates.split())
    assert dates in ("01/01/2025–30/06/2025", "2025-01-01–2025-06-30"), dates
    language = "English" if lang == "en" else "Français"
    selected = side.locator('[data-testid="stButtonGroup"] button[aria-checked="true"]')
    assert text(selected) == language
    if path in WITH_HEADER:
        header = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
        assert text(header).strip() == shown
    assert_no_exception(page)


def test_filters_chosen_in_french_survive_every_page_and_a_reload(page, state_server):
    open_page(page, state_server)
    _choose_filters(page)
    _assert_filters(page, SHOWN_FR, "", "fr")
    save(page, "state_overview_fr.png")
    for path, (french, _) in PAGE_LINKS.items():
        follow_link(page, french)
        _assert_filters(page, SHOWN_FR, path, "fr")
        if path in RELOADED_IN_FRENCH:
            reload(page)
            _assert_filters(page, SHOWN_FR, path, "fr")


def test_filters_kept_when_switching_to_english_survive_every_page_and_a_reload(page, state_server):
    open_page(page, state_server)
    _choose_filters(page)
    follow_link(page, "Tendances")
    _assert_filters(page, SHOWN_FR, "trends", "fr")
    with rerun(page):
        _sidebar(page).get_by_text("English", exact=True).click()
    _assert_filters(page, SHOWN_EN, "trends", "en")
    for path, (_, english) in PAGE_LINKS.items():
        follow_link(page, english)
        _assert_filters(page, SHOWN_EN, path, "en")
        if path not in RELOADED_IN_FRENCH:
            reload(page)
            _assert_filters(page, SHOWN_EN, path, "en")
        if path in WITH_HEADER:
            save(page, f"state_{path or 'overview'}_en.png")


def test_a_link_with_the_address_opens_the_same_view(page, state_server):
    address = (
        "/trends?lang=en&from=2025-01-01&to=2025-06-30&platform=facebook&platform=x"
        "&campaign=Printemps"
    )
    open_page(page, state_server + address)
    _assert_filters(page, SHOWN_EN, "trends", "en")
    french = address.replace("lang=en&", "")
    open_page(page, state_server + french)
    _assert_filters(page, SHOWN_FR, "trends", "fr")
    save(page, "state_trends_fr.png")


# ---- Downloads -----------------------------------------------------------------------------------


def test_every_download_of_a_page_works_on_the_first_click_again_and_again(page, server, tmp_path):
    import openpyxl

    url, log = server
    open_page(page, f"{url}/roi")
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
    written = log.read_text()
    assert "Deferred file" not in written and "MediaFileStorageError" not in written


def test_the_presentation_zip_holds_every_slide_offered(page, server, tmp_path):
    url, _ = server
    open_page(page, f"{url}/present")
    page.locator('[data-testid="stSelectbox"]').last.click()
    offered = [text(option) for option in page.get_by_role("option").all()]
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
