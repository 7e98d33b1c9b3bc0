"""The return-on-investment charts: our time beside our reach, and what 1 000 views cost."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from canalyse.charts import LABEL_GAP, MUTED_COLOUR, TEXT_COLOUR, finish_bar_figure, plain, x_max
from canalyse.filters import join_words
from canalyse.formatting import fmt_int, fmt_money, fmt_percent
from canalyse.i18n import t
from canalyse.platforms import colour, label

HOURS_COLOUR = "#9CA3AF"


def hours_title(table: pd.DataFrame, lang: str, escape=plain) -> tuple[str, str | None]:
    """The finding of the hours chart and what it leaves aside, as (title, note).

    The finding is about networks with both hours and views: the one whose share of our time
    most exceeds its share of views (« X : 25 % de notre temps, 11 % des vues »). A network with
    hours but no views is named beside it, never inside it (« Sans vues publiées : Bluesky (15 %
    de notre temps) »). `escape` makes names safe for where the text goes (Plotly reads tags).
    """
    rows = table[table["share_of_staff_hours"].notna()]
    measured = rows[rows["share_of_views"].notna()]
    if measured.empty:
        title = t("roi.chart.hours.title_no_views", lang)
    else:
        gap = measured["share_of_staff_hours"] - measured["share_of_views"]
        widest = measured.loc[gap.sort_values(ascending=False, kind="stable").index[0]]
        title = t(
            "roi.chart.hours.title",
            lang,
            platform=escape(label(widest["platform"])),
            hours=fmt_percent(widest["share_of_staff_hours"], lang, decimals=0),
            views=fmt_percent(widest["share_of_views"], lang, decimals=0),
        )
    no_views = rows[rows["share_of_views"].isna()]
    if no_views.empty:
        return title, None
    names = [
        t(
            "roi.chart.hours.time_of",
            lang,
            platform=escape(label(p)),
            hours=fmt_percent(h, lang, decimals=0),
        )
        for p, h in zip(no_views["platform"], no_views["share_of_staff_hours"], strict=True)
    ]
    return title, t("roi.chart.hours.no_views_note", lang, platforms=", ".join(names))


def hours_vs_views_bar(table: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Per platform, its share of staff hours beside its share of views, titled with the widest gap.

    `table` is `roi.roi_table(...)`. Platforms with neither hours nor views are left out; one
    without views shows « pas de vues publiées » instead of a bar, and is named beside the title.
    Raises ValueError when no platform has staff hours, so the page can ask for them instead.
    """
    rows = table[table["share_of_staff_hours"].notna()].copy()
    if rows.empty:
        raise ValueError("no platform has staff hours")
    rows = rows.sort_values(["share_of_staff_hours", "platform"], ascending=[False, True])
    title, note = hours_title(table, lang)
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
                showlegend=False,
            ),
            # The views bars take each network's colour: the legend shows a neutral swatch, not
            # the colour of whichever network comes first.
            go.Scatter(
                name=t("roi.chart.hours.views", lang),
                x=[None],
                y=[None],
                mode="markers",
                marker=dict(symbol="square", size=12, color=TEXT_COLOUR),
                hoverinfo="skip",
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
        note=note,
        top=150,
    )
    fig.update_layout(
        barmode="group",
        showlegend=True,
        legend=dict(
            orientation="h", x=0, y=1.02, xanchor="left", yanchor="bottom", traceorder="reversed"
        ),
    )
    return fig


def cost_title(table: pd.DataFrame, lang: str, escape=plain) -> str:
    """« LinkedIn : 7,00 € pour 1 000 vues, le coût le plus bas » — every network at that cost to
    the cent, when several are (« LinkedIn et TikTok : … »)."""
    costs = table["cost_per_1000_views"].dropna()
    cheapest = costs.min()
    tied = table.loc[costs.index[costs.round(2) == round(cheapest, 2)], "platform"]
    return t(
        "roi.chart.cost.title",
        lang,
        platform=join_words([escape(label(p)) for p in sorted(tied)], lang),
        cost=fmt_money(cheapest, lang),
    )


def cost_per_1000_views_bar(table: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """All-in cost of 1 000 views per platform, cheapest on top, titled with the cheapest.

    Raises ValueError when no platform has both views and a cost (spend or hours).
    """
    rows = table[table["cost_per_1000_views"].notna()]
    if rows.empty:
        raise ValueError("no platform has both views and a cost")
    rows = rows.sort_values(["cost_per_1000_views", "platform"], kind="stable")
    title = cost_title(rows, lang)
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
