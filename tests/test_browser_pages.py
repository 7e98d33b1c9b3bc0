"""Real browser, every page drawn in both languages on a workspace where each has something to
show, and the Overview's chart and the deck downloaded. The tests only read: they share one server.
"""

from __future__ import annotations

import pytest

from tests.browsing import (
    PAGE_LINKS,
    assert_no_exception,
    follow_link,
    open_page,
    require_chromium,
    save,
    serve,
    year_workspace,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def full_server(tmp_path_factory):
    """A server on a workspace with a year of monthly figures, hours and spend, the Rennes summary,
    an X export and an event: every page has something to show."""
    require_chromium()
    folder = tmp_path_factory.mktemp("full")
    db = year_workspace(folder / "workspace.duckdb")
    yield from serve(folder / "server.log", {"CANALYSE_DB": str(db)})


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_renders_in_both_languages(page, full_server, lang):
    """The app loaded once per language, each page reached by its sidebar link, as a user goes
    (loading the whole app again for each page is what costs a browser most; each page is loaded
    on its own in tests/test_browser_state.py)."""
    open_page(page, f"{full_server}/?lang={lang}")
    _drawn(page, "", lang)
    for path, (french, english) in PAGE_LINKS.items():
        if path:
            follow_link(page, french if lang == "fr" else english)
            _drawn(page, path, lang)


def _drawn(page, path: str, lang: str) -> None:
    """The page's first chart is drawn, no exception shows, and a screenshot is kept."""
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
