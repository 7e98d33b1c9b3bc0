"""Presentation mode: every chart of the app, one per screen, in larger type for a projector."""

from __future__ import annotations

import duckdb
import plotly.graph_objects as go

from canalyse import queries
from canalyse.analysis import roi
from canalyse.analysis.decision import saved_scorecard
from canalyse.analysis.events import list_events
from canalyse.analysis.trends import default_granularity, views_series
from canalyse.charts.base import source_line, summary_source_line
from canalyse.charts.decision import scorecard_bar
from canalyse.charts.overview import share_of_views_bar
from canalyse.charts.roi import cost_per_1000_views_bar, hours_vs_views_bar
from canalyse.charts.trends import share_over_time_chart, views_over_time_chart
from canalyse.filters import Filters

# The order slides are shown in: reach first, then what it costs, then how it moves.
SLIDES = (
    "share_of_views",
    "hours_vs_views",
    "cost_per_1000_views",
    "views_over_time",
    "share_over_time",
)
SCREEN_HEIGHT = 720


def slide_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, lang: str, hourly_cost: float | None = None
) -> dict[str, go.Figure]:
    """Every chart the selection can draw, keyed by SLIDES names, in slide order.

    A chart without the figures it needs (no hours, no dated views…) is simply not offered.
    """
    params = filters.params()
    summary = queries.run(con, "overview", **params).iloc[0]
    sources = queries.run(con, "sources_used", **params)
    line = summary_source_line(sources, summary, lang)
    figures: dict[str, go.Figure] = {}
    shares = queries.run(con, "share_of_views", **params)
    if not shares.empty:
        figures["share_of_views"] = share_of_views_bar(shares, lang, line)
    table = roi.roi_table(con, filters, hourly_cost)
    if roi.has_staff_hours(table):
        figures["hours_vs_views"] = hours_vs_views_bar(table, lang, line)
    if roi.has_cost_per_view(table):
        figures["cost_per_1000_views"] = cost_per_1000_views_bar(table, lang, line)
    views = queries.run(con, "views_by_period", **params)
    if not views.empty:
        series = views_series(views, default_granularity(views))
        if not series.empty:
            # The Trends page's default view: the most recent continuous stretch of data.
            series = series.since(series.recent_stretch()[0])
            dated = source_line(sources, lang, series.first_day, series.last_day)
            events = list_events(con)
            figures["views_over_time"] = views_over_time_chart(series, lang, dated, events=events)
            figures["share_over_time"] = share_over_time_chart(series, lang, dated, events=events)
    card = saved_scorecard(con, filters, lang, hourly_cost)
    if card["score"].notna().any():
        figures["scorecard"] = scorecard_bar(card, lang, line)
    return figures


def for_screen(figure: go.Figure) -> go.Figure:
    """A copy of the chart in larger type and height, for screen sharing and screenshots."""
    big = go.Figure(figure)
    base = big.layout.font.size or 16
    title = big.layout.title.font.size or 24
    big.update_layout(
        height=max(SCREEN_HEIGHT, big.layout.height or 0),
        font=dict(size=round(base * 1.3)),
        title=dict(font=dict(size=round(title * 1.35))),
    )
    for trace in big.data:
        if getattr(trace, "textfont", None) is not None and trace.textfont.size:
            trace.textfont.size = round(trace.textfont.size * 1.3)
    return big


def pick(figures: dict[str, go.Figure], current: str | None, step: int) -> str:
    """The slide `step` places after `current` (wrapping around), or the first one."""
    keys = list(figures)
    if current not in keys:
        return keys[0]
    return keys[(keys.index(current) + step) % len(keys)]
