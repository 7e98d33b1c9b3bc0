"""Real browser, imports through the page: each test starts from an empty workspace.

The app is served on a free port and driven in headless Chromium through Playwright (see
`tests/browsing.py`). They check what AppTest cannot: uploads through the page, charts actually
drawn, screenshots. Screenshots go to tests/artifacts/; with CANALYSE_UPDATE_SCREENSHOTS=1 the
README's are refreshed too.
"""

from __future__ import annotations

import shutil

import pytest

from tests.browsing import (
    assert_no_exception,
    open_page,
    require_chromium,
    rerun,
    save,
    serve,
    text,
    upload,
)
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser


def _share_chart(page, bars: int):
    """The Overview's share-of-views chart, once its `bars` bars are drawn (and no more)."""
    chart = page.locator('[data-testid="stPlotlyChart"]')
    chart.locator(".bars path").nth(bars - 1).wait_for()
    assert chart.locator(".bars path").count() == bars
    return chart


@pytest.fixture(scope="module")
def module_server(tmp_path_factory):
    """One Streamlit server for the module, and the folder of its workspace file."""
    require_chromium()
    folder = tmp_path_factory.mktemp("import")
    workspace = folder / "workspace"
    workspace.mkdir()
    for url in serve(folder / "server.log", {"CANALYSE_DB": str(workspace / "workspace.duckdb")}):
        yield url, workspace


@pytest.fixture
def server(module_server):
    """The module's server over an empty workspace: the file, its journal and its backups are
    removed before each test, as a user starting over would (the app holds no connection between
    two runs of a page, and its caches are keyed by the file's stamp)."""
    url, workspace = module_server
    shutil.rmtree(workspace)
    workspace.mkdir()
    return url


def test_uploading_a_french_table_draws_the_share_of_views_chart(page, server):
    open_page(page, f"{server}/import_data")
    upload(page, FIXTURES / "handmade" / "bilan_titre_total.xlsx")
    page.get_by_text("« bilan_titre_total.xlsx » importé").wait_for()
    page.get_by_text("Format reconnu : Tableau fait main").first.wait_for()
    assert_no_exception(page)
    save(page, "import_fr.png")

    open_page(page, server)
    chart = _share_chart(page, 4)
    assert "Facebook a apporté 44 % des vues" in text(chart)
    assert "740 000 · 44 %" in text(chart)
    assert_no_exception(page)
    save(page, "overview_fr.png")


def test_the_example_loads_from_the_empty_start_in_english(page, server):
    open_page(page, f"{server}/?lang=en")
    with rerun(page):
        page.get_by_role("button", name="Load the example").click()
    chart = _share_chart(page, 4)
    assert "Facebook brought 44% of views" in text(chart)
    assert_no_exception(page)
    save(page, "overview_en.png")


def test_a_bad_file_gets_a_clear_message_and_earlier_imports_stay(page, server, tmp_path):
    bad = tmp_path / "bilan_faux.csv"
    bad.write_text("Réseau;Vues\nFacebook;beaucoup\n", encoding="utf-8")
    open_page(page, f"{server}/import_data")
    upload(page, FIXTURES / "handmade" / "bilan_cp1252.csv")
    page.get_by_text("« bilan_cp1252.csv » importé").wait_for()
    upload(page, bad)
    error = page.locator('[data-testid="stAlertContentError"]')
    error.wait_for()
    assert "beaucoup" in text(error) and "Rien n'a été importé" in text(error)
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
    assert_no_exception(page)
    save(page, "import_error_fr.png")


def test_a_zip_and_a_french_export_import_through_the_page(page, server):
    youtube = FIXTURES / "exports" / "youtube" / "Content 2025-01-01_2025-01-31 Ville de Rennes.zip"
    facebook_fr = FIXTURES / "exports" / "meta" / "Apr-01-2025_Apr-30-2025_104526198765432.csv"
    open_page(page, f"{server}/import_data")
    upload(page, youtube, facebook_fr)
    page.get_by_text(f"« {youtube.name} » importé").wait_for()
    page.get_by_text(f"« {facebook_fr.name} » importé").wait_for()
    body = text(page.locator('[data-testid="stMain"]'))
    assert "Export YouTube Studio — chaîne par jour" in body
    assert "Export Meta Business Suite — publications Facebook (interface française)" in body
    assert "notes.pdf" in body  # the zip entry that is not a table is named
    assert_no_exception(page)
    save(page, "import_exports_fr.png")

    open_page(page, server)
    chart = _share_chart(page, 2)
    assert "YouTube" in text(chart) and "Facebook" in text(chart)
    assert_no_exception(page)
    save(page, "overview_exports_fr.png")
