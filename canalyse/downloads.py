"""What users take away: tables as CSV/XLSX safe to open in Excel, charts as PNG/SVG images."""

from __future__ import annotations

import io
import shutil
import threading
import warnings
import zipfile

import pandas as pd
import plotly.graph_objects as go

from canalyse.charts import EXPORT_HEIGHT, EXPORT_WIDTH
from canalyse.errors import CanalyseError

# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection):
# such text gets a leading apostrophe, which Excel and LibreOffice show as plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PNG_SCALE = 3
_KALEIDO_LOCK = threading.Lock()
_kaleido_started = False


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell a spreadsheet would run as a formula is made plain text.

    Numbers stay numbers (a negative figure is not text); column names are neutralised too.
    """
    safe = frame.copy()
    safe.columns = [_neutral_text(c) if isinstance(c, str) else c for c in safe.columns]
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            text = values.astype("string")
            risky = text.str.startswith(_FORMULA_STARTS).fillna(False)
            if risky.any():
                safe[column] = values.astype(object).where(~risky, "'" + text[risky].astype(object))
    return safe


def _neutral_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def table_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """CSV as Excel opens it in that language: `;` and decimal comma with a BOM in French."""
    safe = neutralise(frame)
    if lang == "fr":
        return safe.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return safe.to_csv(index=False).encode("utf-8-sig")


def table_xlsx(frame: pd.DataFrame, sheet: str = "Canalyse") -> bytes:
    """An Excel workbook with the table on one sheet; text never becomes a formula."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        # openpyxl would still read a leading "=" as a formula: mark every text cell as text.
        for row in writer.sheets[sheet[:31]].iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
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
    """The chart as a slide-sized PNG (3×) or SVG; a clear error when no browser can draw it."""
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
                format=fmt, width=EXPORT_WIDTH, height=EXPORT_HEIGHT, scale=scale
            )
    except Exception as exc:  # noqa: BLE001 — Kaleido fails in many ways; the user gets one message
        raise CanalyseError("downloads.error.image_failed", detail=type(exc).__name__) from exc


def charts_zip(figures: dict[str, go.Figure]) -> bytes:
    """Every chart as a PNG in one zip, named by its file name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, figure in figures.items():
            archive.writestr(f"{name}.png", chart_image(figure, "png"))
    return buffer.getvalue()
