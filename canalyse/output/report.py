"""The figures a report shows, as plain data for the CLI, the pages and their tests."""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from canalyse import queries
from canalyse.analysis import roi
from canalyse.filters import Filters
from canalyse.metrics import METRIC_NAMES
from canalyse.ratios import RATIO_NAMES

# Every ratio but the share of views, which the report gives beside the views themselves.
ROI_FIELDS = tuple(name for name in RATIO_NAMES if name != "share_of_views")


def _json_value(value: object) -> object:
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


def build_report(
    con: duckdb.DuckDBPyConnection, filters: Filters | None = None, hourly_cost: float | None = None
) -> dict:
    """The report as plain data: total views, period, and per platform every total, its share and
    its return on investment (`hourly_cost` None: the workspace's setting). Unknown figures are None.
    """
    filters = filters or Filters()
    cost = roi.hourly_cost(con) if hourly_cost is None else hourly_cost
    overview = queries.run(con, "overview", **filters.params()).iloc[0]
    totals = platform_totals(con, filters)
    ratios = roi.roi_table(con, filters, cost).set_index("platform")
    platforms = []
    for row in totals.to_dict("records"):
        entry = {"platform": row["platform"], "views": _json_value(row["views"])}
        entry["share_of_views"] = _json_value(row["share_of_views"])
        for metric in METRIC_NAMES:
            if metric != "views":
                entry[metric] = _json_value(row[metric])
        # The platform's own engagement total, else reactions + comments + shares + saves.
        entry["engagements"] = _json_value(ratios.at[row["platform"], "engagements"])
        for field in ROI_FIELDS:
            entry[field] = _json_value(ratios.at[row["platform"], field])
        entry["date_min"] = _json_value(row["date_min"])
        entry["date_max"] = _json_value(row["date_max"])
        platforms.append(entry)
    return {
        "total_views": _json_value(overview["total_views"]),
        "date_min": _json_value(overview["date_min"]),
        "date_max": _json_value(overview["date_max"]),
        "hourly_cost": cost,
        "filters": {
            "from": _json_value(filters.start),
            "to": _json_value(filters.end),
            "campaign": filters.campaign,
            "platforms": list(filters.platforms) if filters.platforms else None,
        },
        "platforms": platforms,
    }
