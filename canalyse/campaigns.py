"""Campaigns: saved date ranges, campaign tags on past imports, and campaigns compared side by side.

A campaign is either the tag its figures carry (given at import, or by a « Campagne » column, or
later with `tag_source`) or a date range saved under its name; `filtered_facts` selects both.
The comparison reuses the return-on-investment query campaign by campaign, so its numbers are
exactly those of the Return on investment page with that campaign chosen.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from canalyse import queries, roi, store, tables
from canalyse.charts import (
    EDGE,
    MUTED_COLOUR,
    TEXT_COLOUR,
    source_annotation,
    source_line,
    template,
    wrap_title,
)
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.formatting import (
    fmt_int,
    fmt_money,
    fmt_number,
    fmt_percent,
    plotly_separators,
)
from canalyse.i18n import t
from canalyse.overview import files_text, source_names
from canalyse.platforms import PLATFORMS, colour, label

# More campaigns than this make grouped bars unreadable on a slide.
MAX_COMPARED = 6
# One colour for the cost chart: its bars are campaigns, not platforms.
COST_COLOUR = "#0072B2"
# A ratio below this reads better as "x % more" than as "1.2 times as many".
_TIMES_THRESHOLD = 2.0
# Closer than this and the title says "as many as".
_SAME_THRESHOLD = 1.05


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


def _plain(text: object) -> str:
    """User text inside a Plotly title or label: shown literally, never read as markup."""
    return html.escape(str(text), quote=False)


def views_phrase(views: object, lang: str) -> str:
    """« 1,7 million de vues », « 2,3 millions de vues », « 450 000 vues » (en: "1.7 million views")."""
    if pd.isna(views):
        return t("views.none", lang)
    if views >= 1_000_000:
        millions = round(float(views) / 1_000_000, 1)
        number = fmt_number(millions, lang, 0 if millions.is_integer() else 1)
        key = "campaigns.views.millions" if millions >= 2 else "campaigns.views.million"
        return t(key, lang, number=number)
    return t("campaigns.views.plain", lang, number=fmt_int(views, lang))


def _times(ratio: float, lang: str) -> str:
    """A ratio written for a title: 3 rather than 3,0; 2,5; 12."""
    decimals = 0 if ratio >= 10 or round(ratio, 1).is_integer() else 1
    return fmt_number(ratio, lang, decimals)


def views_title(totals: pd.DataFrame, lang: str) -> str:
    """The finding of the views chart: the leading campaign, its views, and how it compares with
    the runner-up (« 3 fois plus que « Vœux » », « 20 % de plus que … », « autant que … »).

    Shortened, then cut over two lines, when long campaign names would push it off the chart.
    """
    ranked = totals[totals["views"] > 0]
    leader = ranked.iloc[0]
    params = dict(name=_plain(leader["campaign"]), views=views_phrase(leader["views"], lang))
    leads = [t(f"campaigns.chart.views.{key}", lang, **params) for key in ("lead", "lead_short")]
    if len(ranked) < 2:
        return _fitting([*leads])
    runner_up = ranked.iloc[1]
    ratio = float(leader["views"]) / float(runner_up["views"])
    other = _plain(runner_up["campaign"])
    if ratio >= _TIMES_THRESHOLD:
        comparison = t("campaigns.chart.views.times", lang, ratio=_times(ratio, lang), other=other)
    elif ratio >= _SAME_THRESHOLD:
        percent = fmt_percent(ratio - 1, lang, 0)
        comparison = t("campaigns.chart.views.more", lang, percent=percent, other=other)
    else:
        comparison = t("campaigns.chart.views.same", lang, other=other)
    return _fitting([f"{leads[0]}, {comparison}", f"{leads[1]}, {comparison}"])


def _fitting(candidates: list[str]) -> str:
    """The first title that holds on two lines of the chart, wrapped; else the last (the most
    compact), wrapped on as many lines as it needs: shortened or wrapped, never cut."""
    wrapped = [wrap_title(title) for title in candidates]
    return next((title for title in wrapped if title.count("<br>") <= 1), wrapped[-1])


def _tick(name: str, detail: str) -> str:
    return f"<b>{_plain(name)}</b><br><span style='color:{MUTED_COLOUR}'>{_plain(detail)}</span>"


def views_by_campaign_bar(
    comparison: pd.DataFrame, totals: pd.DataFrame, lang: str, source: str
) -> go.Figure:
    """Grouped horizontal bars: for each campaign (most views on top), its views per platform in
    the platforms' colours, titled with the leading campaign. Platforms that report no views are
    left out (the table lists them). Raises ValueError when no campaign has views."""
    with_views = comparison[comparison["views"] > 0]
    ranked = totals[totals["views"] > 0]
    if with_views.empty or ranked.empty:
        raise ValueError("views_by_campaign_bar needs views")
    order = {platform: rank for rank, platform in enumerate(PLATFORMS)}
    platform_views = with_views.groupby("platform")["views"].sum()
    platforms = sorted(platform_views.index, key=lambda p: (-platform_views[p], order.get(p, 99)))
    # Plotly draws the first category at the bottom: reverse so the leader is on top.
    campaigns = ranked["campaign"].tolist()[::-1]
    details = {
        name: views_phrase(views, lang)
        for name, views in zip(ranked["campaign"], ranked["views"], strict=True)
    }
    ticks = {name: _tick(name, detail) for name, detail in details.items()}
    fig = go.Figure()
    # In a horizontal group the first trace sits at the bottom: add the largest platform last so
    # that it is on top of every group, and reverse the legend to read largest first.
    for platform in reversed(platforms):
        rows = with_views[with_views["platform"] == platform].set_index("campaign")
        views = rows["views"].reindex(campaigns)
        shares = rows["share_of_views"].reindex(campaigns)
        fig.add_bar(
            name=_plain(label(platform)),
            x=views.tolist(),
            y=[ticks[c] for c in campaigns],
            orientation="h",
            marker_color=colour(platform),
            text=[
                "" if pd.isna(v) else f"\u00a0{fmt_int(v, lang)} · {fmt_percent(s, lang, 0)}"
                for v, s in zip(views, shares, strict=True)
            ],
            textposition="outside",
            textfont=dict(size=14, color=TEXT_COLOUR),
            constraintext="none",
            cliponaxis=False,
            hovertemplate=f"<b>{_plain(label(platform))}</b> · %{{text}}<extra></extra>",
        )
    longest = max(max(len(str(name)), len(detail)) for name, detail in details.items())
    left_margin = EDGE + int(9.5 * longest) + 16
    bars = len(campaigns) * len(platforms)
    title = views_title(totals, lang)
    # A title cut over two lines pushes the subtitle and legend down by one line.
    title_extra = 30 * title.count("<br>")
    fig.update_layout(
        template=template(),
        title=dict(
            text=title,
            subtitle=dict(text=t("campaigns.chart.views.subtitle", lang)),
        ),
        separators=plotly_separators(lang),
        barmode="group",
        bargap=0.25,
        bargroupgap=0.08,
        showlegend=True,
        legend=dict(
            orientation="h", traceorder="reversed", x=0, y=1.0, yanchor="bottom", font=dict(size=15)
        ),
        height=170 + 90 + 24 * bars + 30 * len(campaigns) + title_extra,
        margin=dict(l=left_margin, t=150 + title_extra, b=70, r=40),
        xaxis=dict(
            visible=False,
            range=[0, float(with_views["views"].max()) * 1.3],
            fixedrange=True,
        ),
        yaxis=dict(
            showgrid=False,
            categoryorder="array",
            categoryarray=[ticks[c] for c in campaigns],
            ticklabelstandoff=10,
            fixedrange=True,
        ),
        annotations=[source_annotation(source, left_margin)],
    )
    return fig


def cost_title(totals: pd.DataFrame, lang: str) -> str:
    """The finding of the cost chart: the campaign whose 1 000 views cost least."""
    costed = totals.dropna(subset=["cost_per_1000_views"]).sort_values(
        "cost_per_1000_views", kind="stable"
    )
    cheapest = costed.iloc[0]
    params = dict(
        name=_plain(cheapest["campaign"]), cost=fmt_money(cheapest["cost_per_1000_views"], lang)
    )
    key = "campaigns.chart.cost.title_single" if len(costed) < 2 else "campaigns.chart.cost.title"
    return t(key, lang, **params)


def cost_per_1000_bar(totals: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Horizontal bars of each campaign's all-in cost for 1 000 views, cheapest on top.
    Raises ValueError when no campaign has both views and a cost."""
    costed = totals.dropna(subset=["cost_per_1000_views"]).sort_values(
        "cost_per_1000_views", kind="stable"
    )
    if costed.empty:
        raise ValueError("cost_per_1000_bar needs a campaign with views and a cost")
    drawn = costed.iloc[::-1]
    names = [_plain(name) for name in drawn["campaign"]]
    labels = [f"\u00a0\u00a0{fmt_money(v, lang)}" for v in drawn["cost_per_1000_views"]]
    fig = go.Figure(
        go.Bar(
            x=drawn["cost_per_1000_views"].tolist(),
            y=names,
            orientation="h",
            marker_color=COST_COLOUR,
            text=labels,
            textposition="outside",
            textfont=dict(size=17, color=TEXT_COLOUR),
            constraintext="none",
            cliponaxis=False,
            hovertemplate="<b>%{y}</b> · %{text}<extra></extra>",
        )
    )
    bars = len(drawn)
    slots = max(bars, 3)
    padding = (slots - bars) / 2
    left_margin = EDGE + int(10 * max(len(str(n)) for n in drawn["campaign"])) + 16
    title = wrap_title(cost_title(totals, lang))
    title_extra = 30 * title.count("<br>")
    fig.update_layout(
        template=template(),
        title=dict(
            text=title,
            subtitle=dict(text=t("campaigns.chart.cost.subtitle", lang)),
        ),
        separators=plotly_separators(lang),
        height=120 + 70 + 56 * slots + title_extra,
        margin=dict(l=left_margin, t=110 + title_extra, b=70),
        xaxis=dict(
            visible=False,
            range=[0, float(drawn["cost_per_1000_views"].max()) * 1.35],
            fixedrange=True,
        ),
        yaxis=dict(
            showgrid=False,
            tickfont=dict(size=18, color=TEXT_COLOUR),
            ticklabelstandoff=10,
            range=[-0.5 - padding, bars - 0.5 + padding],
            fixedrange=True,
        ),
        annotations=[source_annotation(source, left_margin)],
    )
    return fig


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
    frame = pd.DataFrame({header: values for header, (values, _) in columns.items()})
    return tables.Table(frame, {header: kind for header, (_, kind) in columns.items()})


def comparison_source(
    con: duckdb.DuckDBPyConnection, filters: Filters, campaigns: list[str], lang: str
) -> tuple[str, object, object]:
    """The compared campaigns' source line (files and period) and their first and last day.

    No period is stated when a campaign holds undated summaries: the dates of the others would
    then misdescribe it.
    """
    files: list[str] = []
    summaries = []
    for name in campaigns:
        params = replace(filters, campaign=name).params()
        files += source_names(queries.run(con, "sources_used", **params), lang)
        summaries.append(queries.run(con, "overview", **params))
    summary = pd.concat(summaries, ignore_index=True)
    if summary["undated_rows"].gt(0).any():
        start = end = None
    else:
        start, end = summary["date_min"].min(), summary["date_max"].max()
        start, end = (None, None) if pd.isna(start) else (start, end)
    return source_line(files_text(list(dict.fromkeys(files)), lang), start, end, lang), start, end
