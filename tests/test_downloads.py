"""Downloads: spreadsheets that never run a cell as a formula, and chart images."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from canalyse.charts.overview import share_of_views_bar
from canalyse.errors import CanalyseError
from canalyse.output import downloads, tables

HOSTILE = pd.DataFrame(
    {
        "Titre": ['=HYPERLINK("http://x")', "+33 6", "-2+3", "@SUM(A1)", "Crue", None],
        "Vues": [1000, -5, 0, 12, 3, 4],
        "=cmd": ["a", "b", "c", "d", "e", "f"],
    }
)


def _table(frame: pd.DataFrame, kinds: dict[str, str], missing=None) -> tables.Table:
    return tables.Table(frame, kinds, missing or {})


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


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("Crue\r@SUM(1+1)", "Crue\r'@SUM(1+1)"),
        ("Crue\n=1+1", "Crue\n'=1+1"),
        ("Crue\r\n-2+3", "Crue\r\n'-2+3"),
        ("a\n\t=1", "a\n'\t=1"),
        ("a\n\r=1", "a\n'\r'=1"),
        ("Vœux 2025 - bilan", "Vœux 2025 - bilan"),
    ],
)
def test_a_formula_after_a_line_break_inside_a_cell_is_neutralised_too(text, safe):
    assert downloads.neutral_text(text) == safe


def test_every_text_cell_of_a_csv_is_quoted_and_numbers_are_not():
    table = _table(
        pd.DataFrame({"Campagne": ["Crue\r@SUM(1+1)", 'Dit "oui"'], "Vues": [740000.0, None]}),
        {"Campagne": tables.TEXT, "Vues": tables.COUNT},
    )
    text = downloads.table_csv(table, "fr").decode("utf-8-sig")
    assert text.split("\r\n") == [
        '"Campagne";"Vues"',
        '"Crue\r\'@SUM(1+1)";740000',
        '"Dit ""oui""";',
        "",
    ]
    # A spreadsheet (here Python's CSV reader) gets one row per campaign, the formula as text.
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[1] == ["Crue\r'@SUM(1+1)", "740000"]


def test_a_french_csv_writes_numbers_with_a_decimal_comma_and_percentages_in_points():
    table = _table(
        pd.DataFrame(
            {
                "Réseau": ["Facebook", "Bluesky"],
                "Vues": [740000.0, None],
                "Part des vues": [0.44, None],
                "Coût": [1234.5, None],
                "Évolution": [-0.05, 0.2],
            }
        ),
        {
            "Réseau": tables.TEXT,
            "Vues": tables.COUNT,
            "Part des vues": tables.PERCENT,
            "Coût": tables.MONEY,
            "Évolution": tables.SIGNED_PERCENT,
        },
        {"Vues": "pas de vues publiées"},
    )
    data = downloads.table_csv(table, "fr")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        '"Réseau";"Vues";"Part des vues (%)";"Coût";"Évolution (%)"',
        '"Facebook";740000;44;1234,50;-5',
        '"Bluesky";"pas de vues publiées";;;20',
    ]
    english = downloads.table_csv(table, "en").decode("utf-8-sig").splitlines()
    assert english[1] == '"Facebook",740000,44,1234.50,-5'


def test_xlsx_numbers_are_numeric_cells_with_a_number_format_and_text_never_a_formula():
    table = _table(
        pd.DataFrame(
            {
                "Titre": HOSTILE["Titre"],
                "Vues": HOSTILE["Vues"].astype(float),
                "Part": [0.44, 0.2, None, 0.1, 0.05, 0.01],
                "Coût": [5.0, 1234.5, None, 1.0, 2.0, 3.0],
            }
        ),
        {"Titre": tables.TEXT, "Vues": tables.COUNT, "Part": tables.PERCENT, "Coût": tables.MONEY},
    )
    book = openpyxl.load_workbook(io.BytesIO(downloads.table_xlsx(table, "fr")))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == ["Titre", "Vues", "Part", "Coût"]
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["B3"].value == -5 and sheet["B3"].data_type == "n"
    assert sheet["B2"].number_format == "#,##0"
    # A percentage is the fraction, shown as a percentage by its format.
    assert sheet["C2"].value == 0.44 and sheet["C2"].number_format == "0.0%"
    assert sheet["D3"].value == 1234.5 and "€" in sheet["D3"].number_format
    assert sheet["C4"].value is None


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
