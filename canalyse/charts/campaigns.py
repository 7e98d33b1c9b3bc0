"""The Campaigns page's charts: each campaign's views per network, and what 1 000 views cost."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from canalyse.analysis.findings import campaign_cost_title, campaign_views_titles, views_phrase
from canalyse.charts.base import MUTED_COLOUR, BarSeries, fitting_title, horizontal_bars, plain
from canalyse.filters import join_words
from canalyse.formatting import fmt_int, fmt_money, fmt_percent
from canalyse.i18n import t
from canalyse.platforms import PLATFORMS, colour, label

# One colour for the cost chart: its bars are campaigns, not platforms.
COST_COLOUR = "#0072B2"


def views_title(totals: pd.DataFrame, lang: str) -> str:
    """The views chart's title as drawn: the finding (`findings.campaign_views_titles`) in full
    when it holds on two lines, else its shorter wording."""
    return fitting_title(campaign_views_titles(totals, lang))


def _tick(name: str, detail: str) -> str:
    return f"<b>{plain(name)}</b><br><span style='color:{MUTED_COLOUR}'>{plain(detail)}</span>"


def views_by_campaign_bar(
    comparison: pd.DataFrame, totals: pd.DataFrame, lang: str, source: str
) -> go.Figure:
    """Grouped horizontal bars: for each campaign (most views on top), its views per platform in
    the platforms' colours, titled with the leading campaign. Platforms that report no views are
    left out (the table lists them); a campaign compared without views under the filters is
    named under the subtitle, so that no copy of the chart shows fewer campaigns than were
    compared without saying so. A campaign must have views: the page says so otherwise."""
    with_views = comparison[comparison["views"] > 0]
    ranked = totals[totals["views"] > 0]
    if with_views.empty or ranked.empty:
        raise ValueError("views_by_campaign_bar needs views")
    order = {platform: rank for rank, platform in enumerate(PLATFORMS)}
    platform_views = with_views.groupby("platform")["views"].sum()
    platforms = sorted(platform_views.index, key=lambda p: (-platform_views[p], order.get(p, 99)))
    campaigns = ranked["campaign"].tolist()
    series = []
    for platform in platforms:
        rows = with_views[with_views["platform"] == platform].set_index("campaign")
        views = rows["views"].reindex(campaigns)
        shares = rows["share_of_views"].reindex(campaigns)
        labels = [
            "" if pd.isna(v) else f"{fmt_int(v, lang)} · {fmt_percent(s, lang, 0)}"
            for v, s in zip(views, shares, strict=True)
        ]
        series.append(
            BarSeries(
                values=views.tolist(),
                colour=colour(platform),
                labels=labels,
                name=label(platform),
                hover=[f"<b>{plain(label(platform))}</b> · {text}" for text in labels],
            )
        )
    # Each campaign's total under its name: the title compares them.
    ticks = [
        _tick(name, views_phrase(views, lang))
        for name, views in zip(ranked["campaign"], ranked["views"], strict=True)
    ]
    return horizontal_bars(
        campaigns,
        series,
        lang,
        title=campaign_views_titles(totals, lang),
        subtitle=t("campaigns.chart.views.subtitle", lang),
        source=source,
        ticks=ticks,
        note=_left_out(totals[~(totals["views"] > 0)], "views", lang),
    )


def cost_per_1000_bar(totals: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Horizontal bars of each campaign's all-in cost for 1 000 views, cheapest on top; the
    compared campaigns without a cost are named under the subtitle. A campaign must have both
    views and a cost: the page says so otherwise."""
    costed = totals.dropna(subset=["cost_per_1000_views"]).sort_values(
        "cost_per_1000_views", kind="stable"
    )
    if costed.empty:
        raise ValueError("cost_per_1000_bar needs a campaign with views and a cost")
    costs = BarSeries(
        values=costed["cost_per_1000_views"].tolist(),
        colour=COST_COLOUR,
        labels=[fmt_money(v, lang) for v in costed["cost_per_1000_views"]],
    )
    return horizontal_bars(
        costed["campaign"].tolist(),
        [costs],
        lang,
        title=campaign_cost_title(totals, lang),
        subtitle=t("campaigns.chart.cost.subtitle", lang),
        source=source,
        note=_left_out(totals[totals["cost_per_1000_views"].isna()], "cost", lang),
    )


def _left_out(rows: pd.DataFrame, chart: str, lang: str) -> str | None:
    """« Sans vues avec ces filtres : « Crue » et « Vœux » »: the compared campaigns a chart
    draws no bar for, or None."""
    if rows.empty:
        return None
    names = [t("campaigns.chart.quoted", lang, name=name) for name in rows["campaign"]]
    return t(f"campaigns.chart.{chart}.left_out", lang, names=join_words(names, lang))
