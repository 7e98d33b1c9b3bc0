"""What users take away: tables as CSV/XLSX safe to open in Excel, charts as PNG/SVG images."""

from __future__ import annotations

import io
import logging
import re
import shutil
import threading
import warnings
import zipfile

import pandas as pd
import plotly.graph_objects as go

from canalyse.charts.base import EXPORT_WIDTH, export_height
from canalyse.errors import CanalyseError
from canalyse.formatting import MISSING
from canalyse.output import tables

# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection):
# such text gets a leading apostrophe, which Excel and LibreOffice show as plain text. The same
# goes for each line of a cell: a reader that splits a row at a line break inside quotes would
# otherwise start a new row with a formula.
_RISKY_LINE = re.compile(r"(^|[\r\n])(?=[=+\-@\t\r])")
PNG_SCALE = 3
logger = logging.getLogger(__name__)
_KALEIDO_LOCK = threading.Lock()
_kaleido_started = False

# Decimals a download keeps of each kind of figure (percentages as percentage points in a CSV).
_CSV_DECIMALS = {
    tables.COUNT: 0,
    tables.SCORE: 0,
    tables.SIGNED_COUNT: 0,
    tables.NUMBER: 2,
    tables.SIGNED_NUMBER: 2,
    tables.MONEY: 2,
    tables.MONEY_PRECISE: 4,
    tables.PERCENT: 2,
    tables.WHOLE_PERCENT: 2,
    tables.SIGNED_PERCENT: 2,
    tables.SIGNED_WHOLE_PERCENT: 2,
}
# Excel number formats (en-US syntax: Excel shows them with the reader's own separators).
_XLSX_FORMATS = {
    tables.COUNT: "#,##0",
    tables.SCORE: "0",
    tables.SIGNED_COUNT: "+#,##0;-#,##0;0",
    tables.NUMBER: "#,##0.0",
    tables.SIGNED_NUMBER: "+#,##0.0;-#,##0.0;0.0",
    tables.MONEY: '#,##0.00 "€"',
    tables.MONEY_PRECISE: '#,##0.0000 "€"',
    tables.PERCENT: "0.0%",
    tables.WHOLE_PERCENT: "0%",
    tables.SIGNED_PERCENT: "+0.0%;-0.0%;0.0%",
    tables.SIGNED_WHOLE_PERCENT: "+0%;-0%;0%",
}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutral_text(text: str) -> str:
    """`text` with an apostrophe before a formula character at its start or after a line break."""
    return _RISKY_LINE.sub(r"\1'", text)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell a spreadsheet would run as a formula is made plain text.

    Numbers stay numbers (a negative figure is not text); column names are neutralised too.
    """
    safe = frame.copy()
    safe.columns = [neutral_text(c) if isinstance(c, str) else c for c in safe.columns]
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            safe[column] = [neutral_text(v) if isinstance(v, str) else v for v in values]
    return safe


def _export_value(value: object, kind: str, missing: str) -> object:
    """A cell as a download holds it: a number, text, the column's word for a missing figure
    (« pas de vues publiées ») or nothing (« — » is for the screen only)."""
    if tables.is_missing(value) or value == "":
        return None if missing == MISSING or value == "" else missing
    if kind == tables.TEXT or isinstance(value, str):
        return str(value)
    return float(value)


def _csv_number(value: float, kind: str, lang: str) -> str:
    if kind in tables.PERCENT_KINDS:
        value = 100 * value
    decimals = _CSV_DECIMALS[kind]
    text = f"{round(value, decimals):.{decimals}f}"
    if kind not in (tables.MONEY, tables.MONEY_PRECISE) and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.00"):
        text = text[1:]
    return text.replace(".", ",") if lang == "fr" else text


def _csv_cell(value: object, kind: str, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # Every text cell is quoted, and each of its lines neutralised.
        return '"' + neutral_text(value).replace('"', '""') + '"'
    return _csv_number(float(value), kind, lang)


def _csv_header(column: str, kind: str) -> str:
    # A CSV cannot carry a format: percentages are written in points, and the header says so.
    return f"{column} (%)" if kind in tables.PERCENT_KINDS else column


def table_csv(table: tables.Table, lang: str) -> bytes:
    """The table as CSV as Excel opens it in that language (French: `;`, decimal comma, BOM):
    numbers as numbers, percentages in points, every text cell quoted and neutralised."""
    separator = ";" if lang == "fr" else ","
    lines = [
        separator.join(
            _csv_cell(_csv_header(c, k), tables.TEXT, lang) for c, k in table.kinds.items()
        )
    ]
    for row in table.frame.itertuples(index=False, name=None):
        cells = [
            _csv_cell(_export_value(value, kind, table.missing_text(column)), kind, lang)
            for value, (column, kind) in zip(row, table.kinds.items(), strict=True)
        ]
        lines.append(separator.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def table_xlsx(table: tables.Table, lang: str, sheet: str = "Canalyse") -> bytes:
    """An Excel workbook with the table on one sheet: numbers as numbers in a number format
    (percentages as fractions with a percent format), text never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    worksheet = book.active
    worksheet.title = _SHEET_FORBIDDEN.sub(" ", sheet)[:31] or "Canalyse"
    shown = table.display(lang)
    for index, (column, kind) in enumerate(table.kinds.items(), start=1):
        header = worksheet.cell(row=1, column=index, value=neutral_text(column))
        header.data_type = "s"
        header.font = Font(bold=True)
        for row, value in enumerate(table.frame[column], start=2):
            exported = _export_value(value, kind, table.missing_text(column))
            cell = worksheet.cell(row=row, column=index)
            if isinstance(exported, str):
                cell.value = neutral_text(exported)
                # openpyxl would still read a leading "=" as a formula: mark it as text.
                cell.data_type = "s"
            elif exported is not None:
                cell.value = exported
                cell.number_format = _XLSX_FORMATS[kind]
        widest = max([len(column), *(len(text) for text in shown[column])])
        worksheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, 60)
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def browser_available() -> bool:
    """Whether a Chromium Kaleido can drive is installed."""
    return any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))


def _start_kaleido() -> None:
    global _kaleido_started
    with _KALEIDO_LOCK:
        if not _kaleido_started:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True)
            _kaleido_started = True


def chart_image(figure: go.Figure, fmt: str) -> bytes:
    """The chart as a slide-sized PNG (3×) or SVG, taller when the chart needs it; a clear error
    when no browser can draw it."""
    if not browser_available():
        raise CanalyseError("downloads.error.no_browser")
    _start_kaleido()
    scale = PNG_SCALE if fmt == "png" else 1
    try:
        with warnings.catch_warnings():
            # Plotly warns that its per-call Kaleido options are ignored when a server runs: they are
            # the defaults we want anyway.
            warnings.simplefilter("ignore", UserWarning)
            return figure.to_image(
                format=fmt, width=EXPORT_WIDTH, height=export_height(figure), scale=scale
            )
    except Exception as exc:  # noqa: BLE001 — Kaleido fails in many ways; the user gets one message
        logger.exception("drawing a chart as %s failed", fmt)
        raise CanalyseError("downloads.error.image_failed", detail=type(exc).__name__) from exc


def charts_zip(figures: dict[str, go.Figure]) -> bytes:
    """Every chart as a PNG in one zip, named by its file name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, figure in figures.items():
            archive.writestr(f"{name}.png", chart_image(figure, "png"))
    return buffer.getvalue()
