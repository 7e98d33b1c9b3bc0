"""Presentation mode: every chart of the app, one per screen, in larger type for a projector."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd
import plotly.graph_objects as go

from canalyse import queries, store
from canalyse.analysis import roi
from canalyse.analysis.decision import saved_scorecard
from canalyse.analysis.events import list_events
from canalyse.analysis.findings import uneven_periods
from canalyse.analysis.trends import ViewsSeries, default_granularity, views_series
from canalyse.charts.base import chart_filename, source_line, summary_source_line
from canalyse.charts.decision import scorecard_bar
from canalyse.charts.overview import share_of_views_bar
from canalyse.charts.roi import cost_per_1000_views_bar, hours_vs_views_bar
from canalyse.charts.trends import share_over_time_chart, views_over_time_chart
from canalyse.filters import Filters
from canalyse.i18n import t
from canalyse.output import downloads

# The order slides are shown in: reach first, then what it costs, then how it moves, then the verdict.
SLIDES = (
    "share_of_views",
    "hours_vs_views",
    "cost_per_1000_views",
    "views_over_time",
    "share_over_time",
    "scorecard",
)
SCREEN_HEIGHT = 720


def available_slides(
    con: duckdb.DuckDBPyConnection, filters: Filters, lang: str, hourly_cost: float | None = None
) -> list[str]:
    """The SLIDES the selection can draw, in slide order, without drawing any.

    A chart without the figures it needs (no hours, no dated views…) is simply not offered.
    """
    table = roi.roi_table(con, filters, hourly_cost)
    dated = _recent_views(con, filters) is not None
    offered = {
        "share_of_views": not queries.run(con, "share_of_views", **filters.params()).empty,
        "hours_vs_views": roi.has_staff_hours(table),
        "cost_per_1000_views": roi.has_cost_per_view(table),
        "views_over_time": dated,
        "share_over_time": dated,
        "scorecard": _scored(saved_scorecard(con, filters, lang, hourly_cost, table=table)),
    }
    return [name for name in SLIDES if offered[name]]


def slide_figure(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    lang: str,
    hourly_cost: float | None,
    name: str,
) -> go.Figure:
    """The chart of one slide of `available_slides` (only what it needs is read)."""
    params = filters.params()
    if name in ("views_over_time", "share_over_time"):
        series = _recent_views(con, filters)
        sources = queries.run(con, "sources_used", **params)
        dated = source_line(sources, lang, series.first_day, series.last_day)
        chart = views_over_time_chart if name == "views_over_time" else share_over_time_chart
        return chart(series, lang, dated, events=list_events(con))
    summary = queries.run(con, "overview", **params).iloc[0]
    line = summary_source_line(queries.run(con, "sources_used", **params), summary, lang)
    if name == "share_of_views":
        shares = queries.run(con, "share_of_views", **params)
        uneven = uneven_periods(queries.run(con, "platform_totals", **params), lang)
        return share_of_views_bar(shares, lang, line, note=uneven)
    if name == "scorecard":
        return scorecard_bar(saved_scorecard(con, filters, lang, hourly_cost), lang, line)
    table = roi.roi_table(con, filters, hourly_cost)
    if name == "hours_vs_views":
        return hours_vs_views_bar(table, lang, line)
    if name == "cost_per_1000_views":
        return cost_per_1000_views_bar(table, lang, line)
    raise ValueError(f"unknown slide {name!r}")


def slide_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, lang: str, hourly_cost: float | None = None
) -> dict[str, go.Figure]:
    """Every chart the selection can draw, keyed by SLIDES names, in slide order."""
    return {
        name: slide_figure(con, filters, lang, hourly_cost, name)
        for name in available_slides(con, filters, lang, hourly_cost)
    }


def slide_filename(name: str, filters: Filters, lang: str) -> str:
    """The file name of one slide's image: what it shows, and when."""
    return chart_filename(t(f"present.slide.{name}", lang), filters.start, filters.end)


def slides_zip(path: str, filters: Filters, lang: str, hourly_cost: float | None = None) -> bytes:
    """Every slide of the workspace file `path` as a PNG in one zip, read in its own read-only
    turn (a download asks for it after the page has finished its run and closed its connections)."""
    with store.reading(path) as con:
        figures = slide_figures(con, filters, lang, hourly_cost)
    return downloads.charts_zip(
        {slide_filename(name, filters, lang): figure for name, figure in figures.items()}
    )


def _recent_views(con: duckdb.DuckDBPyConnection, filters: Filters) -> ViewsSeries | None:
    """The Trends page's default view: the most recent continuous stretch of dated views (None
    when there is none)."""
    views = queries.run(con, "views_by_period", **filters.params())
    if views.empty:
        return None
    series = views_series(views, default_granularity(views))
    if series.empty:
        return None
    return series.since(series.recent_stretch()[0])


def _scored(card: pd.DataFrame) -> bool:
    return bool(card["score"].notna().any())


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


def pick(names: Sequence[str], current: str | None, step: int) -> str:
    """The slide `step` places after `current` among `names` (wrapping around), or the first one."""
    if current not in names:
        return names[0]
    return names[(list(names).index(current) + step) % len(names)]
