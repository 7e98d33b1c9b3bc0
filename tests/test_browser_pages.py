"""Real browser, every page drawn in both languages on a workspace where each has something to
show, and the Overview's chart and the deck downloaded. The tests only read: they share one server.
"""

from __future__ import annotations

import pytest

from tests.browsing import (
    assert_no_exception,
    open_page,
    require_chromium,
    save,
    serve,
    year_workspace,
)

pytestmark = pytest.mark.browser

PAGES = ["", "roi", "decision", "trends", "campaigns", "present", "import_data", "glossary"]


@pytest.fixture(scope="module")
def full_server(tmp_path_factory):
    """A server on a workspace with a year of monthly figures, hours and spend, the Rennes summary,
    an X export and an event: every page has something to show."""
    require_chromium()
    folder = tmp_path_factory.mktemp("full")
    db = year_workspace(folder / "workspace.duckdb")
    yield from serve(folder / "server.log", {"CANALYSE_DB": str(db)})


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_both_languages(page, full_server, path, lang):
    open_page(page, f"{full_server}/{path}?lang={lang}")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    if charts.count():
        charts.first.locator(".main-svg").first.wait_for()
    assert_no_exception(page)
    save(page, f"page_{path or 'overview'}_{lang}.png")


def test_a_chart_downloads_as_a_png_and_the_deck_as_a_pptx(page, full_server, tmp_path):
    open_page(page, f"{full_server}/")
    with page.expect_download() as png:
        page.get_by_role("button", name="Image PNG").click()
    saved = tmp_path / png.value.suggested_filename
    png.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\x89PNG")
    assert saved.name.startswith("canalyse_part-des-vues")

    open_page(page, f"{full_server}/decision")
    with page.expect_download() as deck:
        page.get_by_role("button", name="Télécharger le diaporama").click()
    import pptx

    saved = tmp_path / deck.value.suggested_filename
    deck.value.save_as(saved)
    slides = pptx.Presentation(str(saved)).slides
    assert any(shape.has_chart for slide in slides for shape in slide.shapes)
