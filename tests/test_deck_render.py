"""The slide deck as a viewer draws it: nine networks, French and English, rendered by LibreOffice.

LibreOffice lays the deck out (growing a table row whose text overflows, wrapping titles) and
saves it again: the shapes of that copy say where everything really is. It also prints the deck
to PDF, whose words say where the text really is, and the PDF becomes one PNG per slide in
tests/artifacts/deck_<lang>/ to look at. Without LibreOffice these tests skip, except under
CI=true, where a missing LibreOffice is a failure.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from html import unescape

import pytest
from pptx import Presentation
from pptx.util import Emu, Inches

from canalyse import store
from canalyse.analysis import decision
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file
from canalyse.output.deck import (
    CONTENT_WIDTH,
    SOURCE_TOP,
    SUBTITLE_TOP,
    TITLE_HEIGHT,
    TITLE_SIZES,
    _fitted_size,
    build_deck,
)
from tests.conftest import FIXTURES, ROOT

NBSP = "\u00a0"
ARTIFACTS = ROOT / "tests" / "artifacts"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NINE = FIXTURES / "roi" / "neuf_reseaux_2025.csv"
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def _require_libreoffice() -> None:
    if SOFFICE and shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    message = (
        "LibreOffice and poppler are needed (apt-get install libreoffice-impress poppler-utils)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Both decks of a nine-network year, as built, as LibreOffice saves them, and as PDF."""
    _require_libreoffice()
    folder = tmp_path_factory.mktemp("decks")
    con = store.connect(folder / "workspace.duckdb")
    assert import_file(con, NINE.name, NINE.read_bytes()).status == "imported"
    for lang in ("fr", "en"):
        card = decision.saved_scorecard(con, Filters(), lang)
        deck = build_deck(con, Filters(), lang, 35, scorecard=card)
        (folder / f"deck_{lang}.pptx").write_bytes(deck)
    con.close()
    decks = [str(folder / f"deck_{lang}.pptx") for lang in ("fr", "en")]
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"
    for fmt, out in (("pdf", folder), ("pptx", folder / "laid_out")):
        subprocess.run(
            [SOFFICE, profile, "--headless", "--convert-to", fmt, "--outdir", str(out), *decks],
            check=True,
            capture_output=True,
            timeout=300,
        )
    for lang in ("fr", "en"):
        pictures = ARTIFACTS / f"deck_{lang}"
        shutil.rmtree(pictures, ignore_errors=True)
        pictures.mkdir(parents=True)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                str(folder / f"deck_{lang}.pdf"),
                str(pictures / "slide"),
            ],
            check=True,
            timeout=120,
        )
        subprocess.run(
            ["pdftotext", "-bbox", str(folder / f"deck_{lang}.pdf"), str(folder / f"{lang}.html")],
            check=True,
            timeout=120,
        )
    return folder


def _pages(html: str) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    pages = []
    for width, height, body in PAGE.findall(html):
        words = [
            (float(x0), float(y0), float(x1), float(y1), unescape(text))
            for x0, y0, x1, y1, text in WORD.findall(body)
        ]
        pages.append((float(width), float(height), words))
    return pages


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_shape_of_a_nine_network_deck_stays_inside_its_slide(rendered, lang):
    original = Presentation(io.BytesIO((rendered / f"deck_{lang}.pptx").read_bytes()))
    laid_out = Presentation(str(rendered / "laid_out" / f"deck_{lang}.pptx"))
    assert len(laid_out.slides) == len(original.slides) == 8  # the table takes two slides
    width, height = laid_out.slide_width, laid_out.slide_height
    for number, slide in enumerate(laid_out.slides, start=1):
        for shape in slide.shapes:
            where = f"slide {number}, {shape.name}"
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= width, where
            assert shape.top + shape.height <= height, where
            # A chart or a table, once laid out, ends above the source line.
            if shape.has_chart or shape.has_table:
                assert shape.top + shape.height <= SOURCE_TOP, where


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_word_of_the_rendered_deck_is_on_its_slide_and_titles_clear_their_subtitle(
    rendered, lang
):
    pages = _pages((rendered / f"{lang}.html").read_text(encoding="utf-8"))
    assert len(pages) == 8
    for number, (width, height, words) in enumerate(pages, start=1):
        assert words, f"slide {number} shows no text"
        points_per_emu = height / Emu(Inches(7.5))
        subtitle_top = SUBTITLE_TOP * points_per_emu
        source_top = SOURCE_TOP * points_per_emu
        for x0, y0, x1, y1, text in words:
            where = f"slide {number}: {text!r}"
            assert 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height, where
            # Nothing straddles the line between the title and the subtitle, or the source line.
            if number > 1:
                assert not (y0 < subtitle_top < y1 - 1), where
                assert not (y0 < source_top < y1 - 1), where


def test_the_french_deck_writes_thousands_with_a_space_on_any_computer(rendered):
    # LibreOffice here runs in whatever locale the machine has: the space is in the format code.
    pages = _pages((rendered / "fr.html").read_text(encoding="utf-8"))
    share_slide = " ".join(text for *_, text in pages[1][2])
    assert "732 000" in share_slide.replace(NBSP, " ")
    english = " ".join(text for *_, text in _pages((rendered / "en.html").read_text("utf-8"))[1][2])
    assert "732,000" in english


def test_the_rendered_slides_are_saved_as_pictures_to_look_at(rendered):
    for lang in ("fr", "en"):
        pictures = sorted((ARTIFACTS / f"deck_{lang}").glob("slide-*.png"))
        assert len(pictures) == 8
        assert all(p.read_bytes().startswith(b"\x89PNG") for p in pictures)


def test_a_long_title_takes_a_smaller_size_instead_of_running_over():
    short = "Facebook a apporté 30 % des vues"
    long = (
        "Après « Fin de la campagne de sensibilisation aux risques d'inondation du printemps », "
        * 2
    )
    assert _fitted_size(short, CONTENT_WIDTH, TITLE_HEIGHT, TITLE_SIZES, bold=True) == 30
    assert _fitted_size(long, CONTENT_WIDTH, TITLE_HEIGHT, TITLE_SIZES, bold=True) < 30
