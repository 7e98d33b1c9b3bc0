"""What the Campaigns page shows besides its charts: the comparison table and its source line."""

from __future__ import annotations

import duckdb
import pandas as pd

from canalyse.analysis.campaigns import comparison_sources
from canalyse.charts.base import source_line
from canalyse.filters import Filters
from canalyse.i18n import t
from canalyse.output import tables
from canalyse.platforms import label


def comparison_table(comparison: pd.DataFrame, totals: pd.DataFrame, lang: str) -> tables.Table:
    """The comparison as a table: per campaign its platforms (most views first) then a total line.
    « — » when a figure is unknown; a network that reports no views says so instead of a zero."""
    platform_rows = comparison.assign(
        _rank=comparison["campaign"].map(
            {name: rank for rank, name in enumerate(totals["campaign"])}
        ),
        _total=False,
    )
    total_rows = totals.assign(
        platform=None,
        share_of_views=None,
        _rank=range(len(totals)),
        _total=True,
        cost_per_view=totals["cost_per_view"],
    )
    rows = pd.concat(
        [platform_rows, total_rows[[c for c in total_rows.columns if c in platform_rows.columns]]],
        ignore_index=True,
    ).sort_values(["_rank", "_total"], kind="stable")
    no_views = t("views.none", lang)
    columns = {
        t("campaigns.table.campaign", lang): (rows["campaign"].tolist(), tables.TEXT),
        t("campaigns.table.platform", lang): (
            [
                t("campaigns.table.total", lang) if total else label(platform)
                for platform, total in zip(rows["platform"], rows["_total"], strict=True)
            ],
            tables.TEXT,
        ),
        t("campaigns.table.views", lang): (
            [
                no_views if pd.isna(views) and not total else views
                for views, total in zip(rows["views"], rows["_total"], strict=True)
            ],
            tables.COUNT,
        ),
        t("campaigns.table.share", lang): (
            [
                "" if total else share
                for share, total in zip(rows["share_of_views"], rows["_total"], strict=True)
            ],
            tables.PERCENT,
        ),
        t("campaigns.table.spend", lang): (rows["spend"].tolist(), tables.MONEY),
        t("campaigns.table.staff_hours", lang): (rows["staff_hours"].tolist(), tables.NUMBER),
        t("campaigns.table.staff_cost", lang): (rows["staff_cost"].tolist(), tables.MONEY),
        t("campaigns.table.cost_per_1000", lang): (
            (1000 * rows["cost_per_view"]).tolist(),
            tables.MONEY,
        ),
    }
    return tables.Table.from_columns(columns)


def comparison_source(
    con: duckdb.DuckDBPyConnection, filters: Filters, campaigns: list[str], lang: str
) -> tuple[str, object, object]:
    """The compared campaigns' source line (files and period) and their first and last day
    (`campaigns.comparison_sources`)."""
    sources, start, end = comparison_sources(con, filters, campaigns)
    return source_line(sources, lang, start, end), start, end
