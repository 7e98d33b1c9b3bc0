"""What the Import page shows about imports, in plain words, computed without Streamlit."""

from __future__ import annotations

import pandas as pd

from canalyse.charts.base import source_names
from canalyse.formatting import fmt_int, fmt_money, fmt_number
from canalyse.i18n import t
from canalyse.importing.layouts import all_layouts
from canalyse.importing.pipeline import TableReport
from canalyse.metrics import METRICS
from canalyse.output.overview import period_text
from canalyse.platforms import label


def _value(metric: str, value: float, lang: str) -> str:
    unit = METRICS[metric].unit
    if unit == "eur":
        return fmt_money(value, lang)
    if unit == "hours":
        return fmt_number(value, lang, 1)
    return fmt_int(value, lang)


def report_lines(table: TableReport, lang: str) -> list[str]:
    """Plain sentences on one imported table: layout, platform, rows, period, then the notes."""
    networks = ", ".join(label(p) for p in table.platforms)
    return [
        t("report.layout", lang, layout=table.layout_label),
        t("report.platform", lang, platform=networks, count=len(table.platforms)),
        t(
            "report.rows",
            lang,
            count=table.rows,
            rows=fmt_int(table.rows, lang),
            grain=t(f"grain.{table.grain}", lang),
        ),
        t("report.period", lang, period=period_text(table.date_min, table.date_max, lang)),
        *table.notes,
    ]


def totals_table(table: TableReport, lang: str) -> pd.DataFrame:
    """The totals of one imported table, a metric per row, formatted for reading."""
    return pd.DataFrame(
        {
            t("table.metric", lang): [METRICS[m].label(lang) for m in table.totals],
            t("table.total", lang): [_value(m, v, lang) for m, v in table.totals.items()],
        }
    )


def history_table(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import history, one row per file, with localised column names."""
    return pd.DataFrame(
        {
            "#": sources["source_id"],
            t("history.file", lang): source_names(sources, lang),
            t("history.platform", lang): sources["platforms"].map(
                lambda platforms: ", ".join(label(p) for p in platforms)
            ),
            t("history.campaign", lang): sources["campaign"].fillna(""),
            t("history.imported_at", lang): sources["imported_at"].dt.strftime(
                "%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M"
            ),
            t("history.imported_by", lang): sources["imported_by"].fillna("—"),
            t("history.rows", lang): sources["rows"],
            t("history.period", lang): [
                period_text(a, b, lang)
                for a, b in zip(sources["date_min"], sources["date_max"], strict=True)
            ],
        }
    )


def activity_table(activity: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The log of changes other than imports (deletions, saved answers…), most recent first."""
    return pd.DataFrame(
        {
            t("activity.when", lang): activity["done_at"].dt.strftime(
                "%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M"
            ),
            t("activity.who", lang): activity["actor"],
            t("activity.what", lang): activity["action"].map(
                lambda action: t(f"activity.action.{action}", lang)
            ),
            t("activity.detail", lang): activity["detail"],
        }
    )


def mapping_table(lang: str) -> pd.DataFrame:
    """One row per recognised export layout: which column feeds each metric, and its caveat."""
    layouts = all_layouts()
    return pd.DataFrame(
        {
            t("mapping.table.platform", lang): [label(x.platform or "") for x in layouts],
            t("mapping.table.layout", lang): [x.label(lang) for x in layouts],
            t("mapping.table.grain", lang): [
                t("docs.not_imported", lang) if x.refusal else t(f"grain.{x.grain}", lang)
                for x in layouts
            ],
            t("mapping.table.columns", lang): [
                " ; ".join(f"{METRICS[m].label(lang)} ← {cols[0]}" for m, cols in x.metrics.items())
                for x in layouts
            ],
            t("mapping.table.note", lang): [x.note(lang) for x in layouts],
        }
    )
