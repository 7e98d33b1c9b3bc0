"""Real browser, downloads: every download button of a page works on the first click, again and
again, and the presentation's zip holds every slide it offers. The tests only read: they share one
server.
"""

from __future__ import annotations

import zipfile

import pytest

from tests.browsing import open_page, require_chromium, serve, text, year_workspace

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A year of months, the Rennes summary, an event and a campaign saved as a date range; yields
    the address and the server's log."""
    require_chromium()
    folder = tmp_path_factory.mktemp("downloads")
    db = year_workspace(folder / "workspace.duckdb", spring_campaign=True)
    log = folder / "server.log"
    for url in serve(log, {"CANALYSE_DB": str(db)}):
        yield url, log


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
