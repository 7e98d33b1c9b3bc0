"""The figures a report shows, as plain data for the CLI, the pages and their tests."""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from canalyse import queries
from canalyse.filters import Filters
from canalyse.metrics import METRIC_NAMES


def _plain(value: object) -> object:
    """A JSON-friendly scalar: NaN and NaT become None, numpy numbers Python ones, dates ISO text."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def platform_totals(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every metric totalled per platform, with share of views, largest first."""
    return queries.run(con, "platform_totals", **filters.params())


def build_report(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> dict:
    """The report as plain data: total views, period, and per platform every total and its share."""
    filters = filters or Filters()
    overview = queries.run(con, "overview", **filters.params()).iloc[0]
    totals = platform_totals(con, filters)
    platforms = []
    for row in totals.to_dict("records"):
        entry = {"platform": row["platform"], "views": _plain(row["views"])}
        entry["share_of_views"] = _plain(row["share_of_views"])
        for metric in METRIC_NAMES:
            if metric != "views":
                entry[metric] = _plain(row[metric])
        entry["date_min"] = _plain(row["date_min"])
        entry["date_max"] = _plain(row["date_max"])
        platforms.append(entry)
    return {
        "total_views": _plain(overview["total_views"]),
        "date_min": _plain(overview["date_min"]),
        "date_max": _plain(overview["date_max"]),
        "platforms": platforms,
    }
