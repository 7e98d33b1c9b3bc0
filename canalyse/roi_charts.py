"""The return-on-investment charts: our time beside our reach, and what 1 000 views cost."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from canalyse.charts import LABEL_GAP, MUTED_COLOUR, TEXT_COLOUR, finish_bar_figure, plain, x_max
from canalyse.formatting import fmt_int, fmt_money, fmt_percent
from canalyse.i18n import t
from canalyse.platforms import colour, label

HOURS_COLOUR = "#9CA3AF"


def hours_vs_views_bar(table: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Per platform, its share of staff hours beside its share of views, titled with the widest gap.

    `table` is `roi.roi_table(...)`. Platforms with neither hours nor views are left out; one
    without views shows « pas de vues publiées » instead of a bar. Raises ValueError when no
    platform has staff hours, so the page can ask for them instead.
    """
    rows = table[table["share_of_staff_hours"].notna()].copy()
    if rows.empty:
        raise ValueError("no platform has staff hours")
    rows["gap"] = rows["share_of_staff_hours"] - rows["share_of_views"].fillna(0)
    rows = rows.sort_values(["share_of_staff_hours", "platform"], ascending=[False, True])
    widest = rows.sort_values("gap", ascending=False, kind="stable").iloc[0]
    title = t(
        "roi.chart.hours.title",
        lang,
        platform=plain(label(widest["platform"])),
        hours=fmt_percent(widest["share_of_staff_hours"], lang, decimals=0),
        views=_share_or_none(widest["share_of_views"], lang),
    )
    drawn = rows.iloc[::-1]
    names = [plain(label(p)) for p in drawn["platform"]]
    hours_labels = [
        f"{LABEL_GAP}{fmt_percent(v, lang, decimals=0)}" for v in drawn["share_of_staff_hours"]
    ]
    views_labels = [f"{LABEL_GAP}{_share_or_none(v, lang)}" for v in drawn["share_of_views"]]
    fig = go.Figure(
        [
            go.Bar(
                name=t("roi.chart.hours.hours", lang),
                x=drawn["share_of_staff_hours"].tolist(),
                y=names,
                orientation="h",
                marker_color=HOURS_COLOUR,
                text=hours_labels,
                textposition="outside",
                textfont=dict(size=15, color=MUTED_COLOUR),
                constraintext="none",
                cliponaxis=False,
                hovertemplate="%{y} · %{text}<extra></extra>",
            ),
            go.Bar(
                name=t("roi.chart.hours.views", lang),
                x=drawn["share_of_views"].fillna(0).tolist(),
                y=names,
                orientation="h",
                marker_color=[colour(p) for p in drawn["platform"]],
                text=views_labels,
                textposition="outside",
                textfont=dict(size=15, color=TEXT_COLOUR),
                constraintext="none",
                cliponaxis=False,
                hovertemplate="%{y} · %{text}<extra></extra>",
            ),
        ]
    )
    largest = max(rows["share_of_staff_hours"].max(), rows["share_of_views"].fillna(0).max())
    finish_bar_figure(
        fig,
        lang,
        title=title,
        subtitle=t("roi.chart.hours.subtitle", lang),
        source=source,
        categories=[label(p) for p in rows["platform"]],
        x_range=[0, x_max(pd.Series([largest]), views_labels + hours_labels)],
        bar_slots=2 * len(rows),
    )
    fig.update_layout(
        barmode="group",
        showlegend=True,
        legend=dict(
            orientation="h", x=0, y=1.02, xanchor="left", yanchor="bottom", traceorder="reversed"
        ),
        margin=dict(t=150),
    )
    return fig


def cost_per_1000_views_bar(table: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """All-in cost of 1 000 views per platform, cheapest on top, titled with the cheapest.

    Raises ValueError when no platform has both views and a cost (spend or hours).
    """
    rows = table[table["cost_per_1000_views"].notna()]
    if rows.empty:
        raise ValueError("no platform has both views and a cost")
    rows = rows.sort_values(["cost_per_1000_views", "platform"], kind="stable")
    cheapest = rows.iloc[0]
    title = t(
        "roi.chart.cost.title",
        lang,
        platform=plain(label(cheapest["platform"])),
        cost=fmt_money(cheapest["cost_per_1000_views"], lang),
    )
    drawn = rows.iloc[::-1]
    value_labels = [
        f"{LABEL_GAP}{fmt_money(cost, lang)} · "
        + t("roi.chart.cost.per_hour", lang, views=fmt_int(per_hour, lang))
        if pd.notna(per_hour)
        else f"{LABEL_GAP}{fmt_money(cost, lang)}"
        for cost, per_hour in zip(
            drawn["cost_per_1000_views"], drawn["views_per_staff_hour"], strict=True
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=drawn["cost_per_1000_views"].tolist(),
            y=[plain(label(p)) for p in drawn["platform"]],
            orientation="h",
            marker_color=[colour(p) for p in drawn["platform"]],
            text=value_labels,
            textposition="outside",
            textfont=dict(size=17, color=TEXT_COLOUR),
            constraintext="none",
            cliponaxis=False,
            hovertemplate="%{y} · %{text}<extra></extra>",
        )
    )
    finish_bar_figure(
        fig,
        lang,
        title=title,
        subtitle=t("roi.chart.cost.subtitle", lang),
        source=source,
        categories=[label(p) for p in rows["platform"]],
        x_range=[0, x_max(rows["cost_per_1000_views"], value_labels)],
    )
    return fig


def _share_or_none(share: object, lang: str) -> str:
    if pd.isna(share):
        return t("views.none", lang)
    return fmt_percent(share, lang, decimals=0)
