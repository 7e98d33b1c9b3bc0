"""Downloads: spreadsheets that never run a cell as a formula, and chart images."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from canalyse import downloads
from canalyse.charts import share_of_views_bar
from canalyse.errors import CanalyseError

HOSTILE = pd.DataFrame(
    {
        "Titre": ['=HYPERLINK("http://x")', "+33 6", "-2+3", "@SUM(A1)", "Crue", None],
        "Vues": [1000, -5, 0, 12, 3, 4],
        "=cmd": ["a", "b", "c", "d", "e", "f"],
    }
)


def test_text_cells_that_look_like_formulas_are_made_plain_text_and_numbers_stay():
    safe = downloads.neutralise(HOSTILE)
    assert safe["Titre"].tolist()[:5] == [
        '\'=HYPERLINK("http://x")',
        "'+33 6",
        "'-2+3",
        "'@SUM(A1)",
        "Crue",
    ]
    assert pd.isna(safe["Titre"].iloc[5])
    assert safe["Vues"].tolist() == [1000, -5, 0, 12, 3, 4]
    assert "'=cmd" in safe.columns


def test_french_csv_uses_semicolons_decimal_commas_and_a_bom():
    data = downloads.table_csv(pd.DataFrame({"Part": [0.44], "Titre": ["=1+1"]}), "fr")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["Part;Titre", "0,44;'=1+1"]


def test_xlsx_cells_never_hold_formulas():
    book = openpyxl.load_workbook(io.BytesIO(downloads.table_xlsx(HOSTILE)))
    sheet = book.active
    values = [cell.value for cell in sheet["A"]]
    assert values[1] == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["B3"].value == -5


def test_without_a_browser_chart_images_fail_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(downloads, "browser_available", lambda: False)
    figure = share_of_views_bar(
        pd.DataFrame({"platform": ["x"], "views": [1.0], "share_of_views": [1.0]}), "fr", "s"
    )
    with pytest.raises(CanalyseError) as refused:
        downloads.chart_image(figure, "png")
    assert "navigateur" in refused.value.message("fr")


@pytest.mark.skipif(not downloads.browser_available(), reason="Chromium not installed")
def test_charts_become_a_png_at_3x_an_svg_and_a_zip():
    figure = share_of_views_bar(
        pd.DataFrame(
            {
                "platform": ["facebook", "x"],
                "views": [740_000.0, 150_000.0],
                "share_of_views": [0.83, 0.17],
            }
        ),
        "fr",
        "Source : test",
    )
    png = downloads.chart_image(figure, "png")
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    assert width == 3 * 1100
    assert b"<svg" in downloads.chart_image(figure, "svg")[:500]
    archive = zipfile.ZipFile(io.BytesIO(downloads.charts_zip({"part-des-vues": figure})))
    assert archive.namelist() == ["part-des-vues.png"]
