"""The return-on-investment charts: our time beside our reach, and what 1 000 views cost."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from canalyse.analysis.findings import cost_title, hours_title
from canalyse.charts.base import MUTED_COLOUR, BarSeries, horizontal_bars
from canalyse.formatting import fmt_int, fmt_money, fmt_percent
from canalyse.i18n import t
from canalyse.platforms import colour, label

HOURS_COLOUR = "#9CA3AF"


def hours_vs_views_bar(table: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Per platform, its share of staff hours beside its share of views, titled with the widest gap.

    `table` is `roi.roi_table(...)` with staff hours for some platform (`roi.has_staff_hours`).
    Platforms with neither hours nor views are left out; one without views shows « pas de vues
    publiées » instead of a bar, and is named beside the title.
    """
    rows = table[table["share_of_staff_hours"].notna()]
    if rows.empty:
        raise ValueError("no platform has staff hours")
    rows = rows.sort_values(["share_of_staff_hours", "platform"], ascending=[False, True])
    title, note = hours_title(table, lang)
    views = BarSeries(
        values=rows["share_of_views"].fillna(0).tolist(),
        colour=[colour(p) for p in rows["platform"]],
        labels=[_share_or_none(v, lang) for v in rows["share_of_views"]],
        name=t("roi.chart.hours.views", lang),
    )
    hours = BarSeries(
        values=rows["share_of_staff_hours"].tolist(),
        colour=HOURS_COLOUR,
        labels=[fmt_percent(v, lang, decimals=0) for v in rows["share_of_staff_hours"]],
        name=t("roi.chart.hours.hours", lang),
        label_colour=MUTED_COLOUR,
    )
    return horizontal_bars(
        [label(p) for p in rows["platform"]],
        [views, hours],
        lang,
        title=title,
        subtitle=t("roi.chart.hours.subtitle", lang),
        source=source,
        note=note,
    )


def cost_per_1000_views_bar(table: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """All-in cost of 1 000 views per platform, cheapest on top, titled with the cheapest.

    `table` is `roi.roi_table(...)` with a cost per view for some platform
    (`roi.has_cost_per_view`).
    """
    rows = table[table["cost_per_1000_views"].notna()]
    if rows.empty:
        raise ValueError("no platform has both views and a cost")
    rows = rows.sort_values(["cost_per_1000_views", "platform"], kind="stable")
    costs = BarSeries(
        values=rows["cost_per_1000_views"].tolist(),
        colour=[colour(p) for p in rows["platform"]],
        labels=cost_labels(rows, lang),
    )
    return horizontal_bars(
        [label(p) for p in rows["platform"]],
        [costs],
        lang,
        title=cost_title(rows, lang),
        subtitle=t("roi.chart.cost.subtitle", lang),
        source=source,
    )


def cost_labels(rows: pd.DataFrame, lang: str) -> list[str]:
    """« 7,00 € · 5 000 vues/h »: each platform's cost of 1 000 views and, when it has hours, its
    views per staff hour (the chart's labels and the deck's)."""
    return [
        fmt_money(cost, lang)
        + (
            " · " + t("roi.chart.cost.per_hour", lang, views=fmt_int(per_hour, lang))
            if pd.notna(per_hour)
            else ""
        )
        for cost, per_hour in zip(
            rows["cost_per_1000_views"], rows["views_per_staff_hour"], strict=True
        )
    ]


def _share_or_none(share: object, lang: str) -> str:
    if pd.isna(share):
        return t("views.none", lang)
    return fmt_percent(share, lang, decimals=0)
