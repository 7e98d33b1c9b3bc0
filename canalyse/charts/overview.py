"""The Overview page's chart: each network's views and share of views."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from canalyse.analysis.findings import share_of_views_title
from canalyse.charts.base import BarSeries, horizontal_bars, plain
from canalyse.formatting import fmt_int, fmt_percent
from canalyse.i18n import t
from canalyse.platforms import colour, label

_REQUIRED_COLUMNS = ("platform", "views", "share_of_views")


def share_of_views_bar(
    df: pd.DataFrame, lang: str, source: str, note: str | None = None
) -> go.Figure:
    """Horizontal bars of views per platform, largest on top, titled with the leading platform.

    `df` has one row per platform: `platform` (id), `views` and `share_of_views` (0–1), as
    `queries/share_of_views.sql` gives them; the page shows an empty state when it has no row.
    `note` goes under the subtitle (`findings.uneven_periods`: networks over different periods).
    """
    missing = [c for c in _REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"share_of_views_bar needs columns {missing}")
    if df.empty:
        raise ValueError("share_of_views_bar needs at least one platform")
    if df["platform"].duplicated().any():
        raise ValueError("share_of_views_bar needs one row per platform")

    ranked = df.sort_values(
        ["views", "platform"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
    names = [label(p) for p in ranked["platform"]]
    hover = [
        f"<b>{plain(name)}</b><br>"
        + t(
            "chart.share_of_views.hover",
            lang,
            views=fmt_int(views, lang),
            share=fmt_percent(share, lang, decimals=1),
        )
        for name, views, share in zip(names, ranked["views"], ranked["share_of_views"], strict=True)
    ]
    views = BarSeries(
        values=ranked["views"].fillna(0).tolist(),
        colour=[colour(p) for p in ranked["platform"]],
        labels=[
            f"{fmt_int(views, lang)} · {fmt_percent(share, lang, decimals=0)}"
            for views, share in zip(ranked["views"], ranked["share_of_views"], strict=True)
        ],
        hover=hover,
    )
    return horizontal_bars(
        names,
        [views],
        lang,
        title=share_of_views_title(ranked, lang),
        subtitle=t("chart.share_of_views.subtitle", lang),
        source=source,
        note=note,
    )
