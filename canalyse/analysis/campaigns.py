"""Campaigns: saved date ranges, campaign tags on past imports, and campaigns compared side by side.

A campaign is either the tag its figures carry (given at import, or by a « Campagne » column, or
later with `tag_source`) or a date range saved under its name; `filtered_facts` selects both.
The comparison reuses the return-on-investment query campaign by campaign, so its numbers are
exactly those of the Return on investment page with that campaign chosen.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pandas as pd

from canalyse import queries, store
from canalyse.analysis import roi
from canalyse.errors import CanalyseError
from canalyse.filters import Filters

# More campaigns than this make grouped bars unreadable on a slide.
MAX_COMPARED = 6


# ---- Campaigns in the workspace ---------------------------------------------------------------------


def campaign_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every campaign name: the tags figures carry and the saved date ranges, sorted."""
    return queries.run(con, "campaigns")["campaign"].tolist()


def campaign_ranges(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The saved date ranges (name, range_start, range_end), earliest first."""
    return con.execute(
        "SELECT name, range_start, range_end FROM campaign_ranges ORDER BY range_start, name"
    ).df()


def workspace_days(con: duckdb.DuckDBPyConnection) -> tuple[date, date]:
    """The first and last day with figures, to start a new date range from; today when undated."""
    summary = queries.run(con, "overview", **Filters().params()).iloc[0]
    today = date.today()
    first, last = summary["date_min"], summary["date_max"]
    return (
        pd.Timestamp(first).date() if pd.notna(first) else today,
        pd.Timestamp(last).date() if pd.notna(last) else today,
    )


def add_campaign_range(con: duckdb.DuckDBPyConnection, name: str, start: date, end: date) -> str:
    """Save a campaign as a date range; returns the name as stored (trimmed).

    Refuses (CanalyseError) an empty name, an end before the start, and a name already used by a
    range or a tag, whatever its case: two campaigns told apart only by a capital would be mixed up.
    """
    name = (name or "").strip()
    if not name:
        raise CanalyseError("campaigns.error.empty_name")
    if start is None or end is None:
        raise CanalyseError("campaigns.error.no_dates")
    if end < start:
        raise CanalyseError("campaigns.error.end_before_start")
    if name.casefold() in {existing.casefold() for existing in campaign_names(con)}:
        raise CanalyseError("campaigns.error.name_used", name=name)
    with store.transaction(con):
        con.execute("INSERT INTO campaign_ranges VALUES (?, ?, ?)", [name, start, end])
    return name


def delete_campaign_range(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Forget a saved date range (the figures stay); True if it existed."""
    existed = con.execute("SELECT count(*) FROM campaign_ranges WHERE name = ?", [name]).fetchone()
    with store.transaction(con):
        con.execute("DELETE FROM campaign_ranges WHERE name = ?", [name])
    return bool(existed[0])


def tagged_sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Past imports, most recent first, with the campaign names their figures carry."""
    return queries.run(con, "campaign_sources")


def tag_source(con: duckdb.DuckDBPyConnection, source_id: int, campaign: str | None) -> int:
    """Put every figure of one import in `campaign` (None or blank clears the tag); returns the
    number of figure lines retagged. The whole import is retagged, « Campagne » column included:
    the user chose this import."""
    return store.retag_source(con, source_id, campaign)


# ---- Comparison -------------------------------------------------------------------------------------


def compare_campaigns(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    campaigns: list[str],
    cost: float | None = None,
) -> pd.DataFrame:
    """Per campaign and platform, the return-on-investment table (`roi.roi_table`) of that campaign.

    The other filters (period, platforms, accounts) apply; their campaign is replaced by each
    compared one. `cost` is the default hourly cost, None for the workspace's setting.
    """
    frames = [
        roi.roi_table(con, replace(filters, campaign=name), cost).assign(campaign=name)
        for name in campaigns
    ]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=["campaign", "platform", "views", "spend", "staff_hours"])
    return pd.concat(frames, ignore_index=True)


def campaign_totals(comparison: pd.DataFrame, campaigns: list[str]) -> pd.DataFrame:
    """One row per campaign, most views first: views, spend, staff_hours, staff_cost, and the
    all-in cost per view and per 1 000 views.

    The campaign's cost per view counts only the platforms whose views and cost are both known
    (those with a cost per view of their own): a network without views (Bluesky, Mastodon) or
    without any cost would otherwise skew it. NULL when no platform qualifies.
    """
    columns = ["views", "spend", "staff_hours", "staff_cost", "costed_cost", "costed_views"]
    if comparison.empty:
        totals = pd.DataFrame(index=pd.Index(campaigns, name="campaign"), columns=columns)
    else:
        costed = comparison["cost_per_view"].notna()
        all_in = comparison["spend"].fillna(0) + comparison["staff_cost"].fillna(0)
        prepared = comparison.assign(
            costed_cost=all_in.where(costed), costed_views=comparison["views"].where(costed)
        )
        totals = (
            prepared.groupby("campaign", sort=False)[columns]
            .sum(min_count=1)
            .reindex(pd.Index(campaigns, name="campaign"))
        )
    totals = totals.astype(float)
    totals["cost_per_view"] = totals["costed_cost"] / totals["costed_views"].where(
        totals["costed_views"] > 0
    )
    totals["cost_per_1000_views"] = 1000 * totals["cost_per_view"]
    totals = totals.reset_index()
    return totals.sort_values("views", ascending=False, na_position="last", kind="stable")


def comparison_sources(
    con: duckdb.DuckDBPyConnection, filters: Filters, campaigns: list[str]
) -> tuple[pd.DataFrame, object, object]:
    """The imports the compared campaigns' figures came from (file_name, kind, each once) and
    their first and last day.

    No period is given when a campaign holds undated summaries: the dates of the others would
    then misdescribe it.
    """
    params = {**filters.params(), "campaigns": list(campaigns)}
    del params["campaign"]
    used = queries.run(con, "compared_sources", **params)
    span = queries.run(con, "compared_span", **params).iloc[0]
    if span["undated_rows"] > 0 or pd.isna(span["date_min"]):
        return used, None, None
    return used, span["date_min"], span["date_max"]
