"""The Trends page's charts: views, shares and followers over time, the events on them, and
views before and after an event.

Every chart uses the one "canalyse" template, states its finding (`canalyse.analysis.findings`)
in the title and carries its source line inside the figure; `add_event_markers` draws the
workspace's events on any time chart.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from canalyse.analysis.events import BeforeAfter, short_label
from canalyse.analysis.findings import (
    before_after_title,
    followers_title,
    net_gains_title,
    share_over_time_title,
    views_over_time_title,
)
from canalyse.analysis.trends import (
    A_MONDAY,
    FollowersSeries,
    ViewsSeries,
    bucket_end,
    day_month,
    leading_platforms,
    period_labels,
    shares_by_period,
    span_words,
)
from canalyse.charts.base import (
    LEGEND_ROW,
    MUTED_COLOUR,
    TEXT_COLOUR,
    Sketch,
    legend_rows,
    plain,
    source_annotation,
    wrap_title,
)
from canalyse.formatting import (
    fmt_date,
    fmt_int,
    fmt_ints,
    fmt_percent,
    plotly_separators,
    signed,
)
from canalyse.i18n import t
from canalyse.platforms import colour, label

# Plotly draws a point of a week or a month in the middle of the period it stands for, so that an
# event on the 20th sits inside its month's bar, not after it.
_PLOTLY_PERIOD = {"week": 7 * 24 * 3600 * 1000, "month": "M1"}
# Fixed left margin for time charts, so that the source line can line up with the title.
_LEFT_MARGIN = 100


# ---- Chart helpers -------------------------------------------------------------------------------------


def _period_axis(trace: dict, granularity: str) -> dict:
    """Draw a week's or a month's value across its period, not on its first day."""
    if granularity in _PLOTLY_PERIOD:
        trace.update(xperiod=_PLOTLY_PERIOD[granularity], xperiodalignment="middle")
        if granularity == "week":
            trace["xperiod0"] = A_MONDAY
    return trace


def _finish(
    fig: Sketch, title: str, subtitle: str, source: str, lang: str, height: int = 560
) -> Sketch:
    """Title (plain text), French or English separators, room for the legend and the source
    line inside the figure (the template comes with the figure: `Sketch.figure`)."""
    wrapped = wrap_title(plain(title))
    # A legend that wraps grows upwards, and Plotly centres the title in the room above the plot:
    # each extra row of the legend takes twice its height of room (half of it lowers the title).
    shown = [trace["name"] for trace in fig.data if trace.get("showlegend", True) is not False]
    extra = 30 * wrapped.count("<br>") + 2 * LEGEND_ROW * (legend_rows(shown) - 1)
    fig.update_layout(
        title=dict(text=wrapped, subtitle=dict(text=subtitle)),
        separators=plotly_separators(lang),
        height=height + extra,
        margin=dict(l=_LEFT_MARGIN, t=150 + extra, b=110),
        legend=dict(y=1.0, yanchor="bottom", font=dict(size=15)),
    )
    # Below the date ticks, back from the plot's left edge to the title's.
    fig.add_annotation(**source_annotation(source, _LEFT_MARGIN, yshift=-52))
    return fig


def _date_ticks(
    first: pd.Timestamp, last: pd.Timestamp, granularity: str, lang: str
) -> tuple[list, list[str]]:
    """Tick positions and labels in the reader's language (Plotly's own month names are English).

    Up to two months: one tick a week (every day for ten days or less), « 20/01 » or « 20 Jan ».
    Beyond: one tick every 1, 2, 3 or 6 months from January, « janv. 2025 » then « févr. »…, or
    one a year (« 2024 ») or every few years for long spans. When the chart spans more than one
    year every tick carries its year, so that two Septembers are never confused; for monthly
    values the tick sits mid-month, under its point.
    """
    span = (last - first).days
    several_years = first.year != last.year
    if span <= 62:
        step = "D" if span <= 10 else "W-MON"
        days = pd.date_range(first, last, freq=step)
        if several_years:
            return list(days), [fmt_date(d, lang) for d in days]
        return list(days), [day_month(d, lang) for d in days]
    months = pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS")
    every = next((n for n in (1, 2, 3, 6, 12, 24, 60, 120) if len(months) / n <= 13), 120)
    if every >= 12:
        months = months[(months.month == 1) & (months.year % (every // 12) == 0)]
        texts = [str(m.year) for m in months]
    else:
        months = months[(months.month - 1) % every == 0]
        names = t("trends.months_short", lang).split(",")
        texts = [
            f"{names[m.month - 1]} {m.year}" if several_years or i == 0 else names[m.month - 1]
            for i, m in enumerate(months)
        ]
    shift = pd.Timedelta(days=14) if granularity == "month" and every < 12 else pd.Timedelta(0)
    return list(months + shift), texts


def _time_axes(
    fig: Sketch,
    periods: pd.Series,
    granularity: str,
    lang: str,
    events: pd.DataFrame | None,
    *,
    from_zero: bool = True,
) -> Sketch:
    """Date ticks in the reader's language, whole numbers on the value axis, and the events,
    with room left above the data for their labels."""
    first, last = _span(periods, granularity)
    ticks, texts = _date_ticks(first, last, granularity, lang)
    fig.update_xaxes(tickvals=ticks, ticktext=texts, showgrid=False, fixedrange=True, range=None)
    values = pd.concat([pd.Series(trace.get("y"), dtype=float) for trace in fig.data]).dropna()
    low, high = (float(values.min()), float(values.max())) if not values.empty else (0.0, 1.0)
    if from_zero:
        low = min(low, 0.0)
    shown = _events_inside(events, first, last)
    room = 0.3 if not shown.empty else 0.06
    high = high + (high - low) * room if high > low else high + 1
    if not from_zero:
        low = low - (high - low) * 0.05
    fig.update_yaxes(range=[low, high], tickformat=",d", fixedrange=True)
    if not shown.empty:
        add_event_markers(fig, shown, lang, span=(first, last))
    return fig


def _events_inside(events: pd.DataFrame | None, first: object, last: object) -> pd.DataFrame:
    if events is None or events.empty:
        return pd.DataFrame(columns=["day", "label"])
    days = pd.to_datetime(events["day"])
    return events[(days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))]


def _span(result_periods: pd.Series, granularity: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    first = result_periods.min()
    return first, bucket_end(pd.Series([result_periods.max()]), granularity).iloc[0]


# ---- Views over time --------------------------------------------------------------------------------


def views_over_time_chart(
    result: ViewsSeries,
    lang: str,
    source: str,
    *,
    rolling: bool = False,
    events: pd.DataFrame | None = None,
) -> go.Figure:
    """One line per platform (its colour), titled with the finding; the rolling average on demand.

    `result` must hold a dated view (`not result.empty`): the page says so otherwise.
    """
    if result.empty:
        raise ValueError("views_over_time_chart needs at least one dated view")
    granularity = result.granularity
    fig = Sketch()
    drawn = result.series[result.series["complete"]]
    for platform in leading_platforms(result.series):
        rows = drawn[drawn["platform"] == platform]
        if rows.empty:
            rows = result.series[result.series["platform"] == platform]
        name = plain(label(platform))
        # Each point's texts are written at once (thousands of days, on every run of the page).
        periods = period_labels(rows["period"], granularity, lang)
        hover = [
            f"<b>{name}</b> · {p}<br>" + t("trends.hover.views", lang, views=v)
            for p, v in zip(periods, fmt_ints(rows["views"], lang), strict=True)
        ]
        fig.add_trace(
            _period_axis(
                dict(
                    type="scatter",
                    x=rows["period"],
                    y=rows["views"],
                    name=name,
                    mode="lines+markers" if len(rows) <= 24 else "lines",
                    line=dict(color=colour(platform), width=1.5 if rolling else 3),
                    marker=dict(size=7),
                    opacity=0.35 if rolling else 1.0,
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                    showlegend=not rolling,
                    legendgroup=platform,
                ),
                granularity,
            )
        )
        if rolling:
            fig.add_trace(
                _period_axis(
                    dict(
                        type="scatter",
                        x=rows["period"],
                        y=rows["rolling"],
                        name=name,
                        mode="lines",
                        line=dict(color=colour(platform), width=3.5, shape="spline"),
                        hovertext=[
                            f"<b>{name}</b> · {p}<br>" + t("trends.hover.rolling", lang, views=v)
                            for p, v in zip(periods, fmt_ints(rows["rolling"], lang), strict=True)
                        ],
                        hovertemplate="%{hovertext}<extra></extra>",
                        legendgroup=platform,
                    ),
                    granularity,
                )
            )
    subtitle = t(f"trends.views.subtitle.{granularity}", lang)
    if rolling:
        subtitle += t(f"trends.views.rolling_note.{granularity}", lang)
    fig.update_layout(showlegend=True)
    _finish(fig, views_over_time_title(result, lang), subtitle, source, lang)
    return _time_axes(fig, result.series["period"], granularity, lang, events).figure()


# ---- Share of views over time --------------------------------------------------------------------------


def share_over_time_chart(
    result: ViewsSeries, lang: str, source: str, *, events: pd.DataFrame | None = None
) -> go.Figure:
    """Each platform's share of the period's views, stacked to 100 %; a period without figures
    stays empty."""
    if result.empty:
        raise ValueError("share_over_time_chart needs at least one dated view")
    granularity = result.granularity
    shares = shares_by_period(result)
    percent_suffix = "%" if lang == "en" else "\u00a0%"
    fig = Sketch()
    for platform in leading_platforms(result.series):
        rows = shares[shares["platform"] == platform]
        name = plain(label(platform))
        periods = period_labels(rows["period"], granularity, lang)
        views = fmt_ints(rows["views"], lang)
        hover = [
            f"<b>{name}</b> · {p}<br>"
            + t("trends.hover.share", lang, share=fmt_percent(s, lang, decimals=1), views=v)
            for p, s, v in zip(periods, rows["share"], views, strict=True)
        ]
        common = dict(
            x=rows["period"],
            y=rows["share"] * 100,
            name=name,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
        # Bars, days included: a stacked area would draw a day without figures as 0 %.
        trace = dict(type="bar", **common, marker=dict(color=colour(platform)))
        fig.add_trace(_period_axis(trace, granularity))
    fig.update_layout(
        showlegend=True,
        barmode="stack",
        bargap=0 if granularity == "day" else 0.15,
        legend=dict(traceorder="normal"),
    )
    _finish(
        fig,
        share_over_time_title(result, shares, lang),
        t(f"trends.share.subtitle.{granularity}", lang),
        source,
        lang,
    )
    _time_axes(fig, result.series["period"], granularity, lang, events)
    # A band above 100 % holds the events' labels; the ticks stop at 100 %.
    top = (
        130
        if not _events_inside(events, *_span(result.series["period"], granularity)).empty
        else 100
    )
    fig.update_yaxes(
        range=[0, top],
        tickvals=[0, 25, 50, 75, 100],
        ticktext=[f"{tick}{percent_suffix}" for tick in (0, 25, 50, 75, 100)],
    )
    return fig.figure()


# ---- Followers charts ------------------------------------------------------------------------------------


def _platform_line(
    platform: str,
    periods: pd.Series,
    values: pd.Series,
    hover: list[str],
    granularity: str,
    lang: str,
) -> dict:
    """One platform's line in its colour, each point's hover headed by the platform and period."""
    name = plain(label(platform))
    return _period_axis(
        dict(
            type="scatter",
            x=periods,
            y=values,
            name=name,
            mode="lines+markers" if len(periods) <= 24 else "lines",
            line=dict(color=colour(platform), width=3),
            hovertext=[
                f"<b>{name}</b> · {p}<br>{text}"
                for p, text in zip(period_labels(periods, granularity, lang), hover, strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        ),
        granularity,
    )


def followers_chart(
    followers: FollowersSeries, lang: str, source: str, *, events: pd.DataFrame | None = None
) -> go.Figure:
    """Follower counts per platform (a level per period, never a sum), titled with the largest audience."""
    levels = followers.levels
    if levels.empty:
        raise ValueError("followers_chart needs at least one follower count")
    granularity = followers.granularity
    fig = Sketch()
    for platform in followers.by_audience():
        rows = levels[levels["platform"] == platform]
        hover = [
            t("trends.hover.followers", lang, count=v)
            for v in fmt_ints(rows["followers_total"], lang)
        ]
        fig.add_trace(
            _platform_line(
                platform, rows["period"], rows["followers_total"], hover, granularity, lang
            )
        )
    fig.update_layout(showlegend=True)
    title = followers_title(followers, lang)
    _finish(fig, title, t(f"trends.followers.subtitle.{granularity}", lang), source, lang)
    # A level is read against its own range: from zero the three lines would look flat.
    return _time_axes(fig, levels["period"], granularity, lang, events, from_zero=False).figure()


def net_gains_chart(
    followers: FollowersSeries, lang: str, source: str, *, events: pd.DataFrame | None = None
) -> go.Figure:
    """Cumulative net follower gains (gained − lost) for platforms that give no follower count."""
    net = followers.net_gains
    if net.empty:
        raise ValueError("net_gains_chart needs follower gains or losses")
    granularity = followers.granularity
    fig = Sketch()
    for platform in followers.final_net_gains().index:
        rows = net[net["platform"] == platform]
        texts = zip(fmt_ints(rows["net"], lang), fmt_ints(rows["cumulative"], lang), strict=True)
        hover = [
            t("trends.hover.net", lang, net=signed(n, net_text), cumulative=signed(c, total_text))
            for n, c, (net_text, total_text) in zip(
                rows["net"], rows["cumulative"], texts, strict=True
            )
        ]
        fig.add_trace(
            _platform_line(platform, rows["period"], rows["cumulative"], hover, granularity, lang)
        )
    fig.update_layout(showlegend=True, yaxis=dict(zeroline=True, zerolinecolor=MUTED_COLOUR))
    _finish(fig, net_gains_title(followers, lang), t("trends.net.subtitle", lang), source, lang)
    return _time_axes(fig, net["period"], granularity, lang, events).figure()


# ---- Events on time charts ------------------------------------------------------------------------------


def event_text(day: object, text: object, lang: str) -> str:
    """« Arrêt de X — 20/01/2025 », the user's label escaped so Plotly shows it literally."""
    return f"{plain(short_label(text))} — {fmt_date(pd.Timestamp(day), lang)}"


def add_event_markers(
    fig: go.Figure | Sketch,
    events_df: pd.DataFrame,
    lang: str,
    *,
    span: tuple[object, object] | None = None,
) -> go.Figure | Sketch:
    """Draw each event as a vertical dashed line labelled « Arrêt de X — 20/01/2025 » at the top.

    Works on any figure (or sketch of one) whose x axis holds dates. `events_df` has columns `day` and `label` (as
    returned by `canalyse.analysis.events.list_events`); labels are user text and are escaped. Only events
    inside `span` (first, last day) are drawn, by default the range of the traces' x values, so
    that a marker never stretches the axis. Labels of successive events are staggered on two
    rows so that close dates stay readable; labels in the last third of the axis read leftwards.
    Returns the same figure, modified in place.
    """
    if events_df is None or events_df.empty:
        return fig
    low, high = span if span is not None else _x_range(fig)
    if low is None:
        return fig
    days = pd.to_datetime(events_df["day"])
    shown = events_df.assign(day=days)[
        (days >= pd.Timestamp(low)) & (days <= pd.Timestamp(high))
    ].sort_values("day", kind="stable")
    low, high = pd.Timestamp(low), pd.Timestamp(high)
    # Labels of events in the last third of the axis read leftwards, so they stay inside the plot.
    late = low + (high - low) * 2 / 3
    for row_no, (day, text) in enumerate(zip(shown["day"], shown["label"], strict=True)):
        fig.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=day,
            x1=day,
            y0=0,
            y1=1,
            line=dict(color=TEXT_COLOUR, width=1.5, dash="dash"),
            layer="above",
        )
        fig.add_annotation(
            x=day,
            xref="x",
            y=1,
            yref="paper",
            text=event_text(day, text, lang),
            hovertext=plain(text),
            showarrow=False,
            xanchor="right" if day > late else "left",
            yanchor="top",
            xshift=-4 if day > late else 4,
            yshift=-4 - 24 * (row_no % 2),
            align="left",
            bgcolor="rgba(255,255,255,0.85)",
            font=dict(size=13, color=TEXT_COLOUR),
        )
    return fig


def _x_range(fig: go.Figure | Sketch) -> tuple[object, object]:
    """The first and last x value of a figure's traces (None, None when it has none)."""
    found = [trace.get("x") if isinstance(trace, dict) else trace.x for trace in fig.data]
    xs = [pd.Series(x) for x in found if x is not None]
    stamps = pd.to_datetime(pd.concat(xs), errors="coerce").dropna() if xs else pd.Series()
    return (stamps.min(), stamps.max()) if not stamps.empty else (None, None)


# ---- Before and after an event ------------------------------------------------------------------------

# Networks whose before and after bars all carry their values.
_UNCROWDED = 5


def before_after_chart(result: BeforeAfter, event_label: str, lang: str, source: str) -> go.Figure:
    """Grouped bars per platform: average views per day, week or month before (grey) and after
    (its colour)."""
    rows = result.compared
    if rows.empty:
        raise ValueError("before_after_chart needs at least one platform compared")
    names = [plain(label(p)) for p in rows["platform"]]
    span = span_words(result.periods, result.grain, lang)
    before_name = t("trends.before_after.legend_before", lang, span=span)
    after_name = t("trends.before_after.legend_after", lang, span=span)
    # Beyond five networks a pair of bars is narrower than its labels: the grey bars' values
    # would run into the next bar's (« 95 007+0,1 % »). They stay in the hover and the table.
    crowded = len(rows) > _UNCROWDED
    fig = Sketch()
    fig.add_trace(
        dict(
            type="bar",
            x=names,
            y=rows["avg_before"],
            name=before_name,
            marker=dict(color="#B8BEC6"),
            text=[fmt_int(v, lang) for v in rows["avg_before"]],
            textposition="none" if crowded else "outside",
            textfont=dict(size=15, color=MUTED_COLOUR),
            constraintext="none",
            cliponaxis=False,
            hovertemplate=f"%{{x}} · {before_name}<br>%{{text}}<extra></extra>",
        )
    )
    fig.add_trace(
        dict(
            type="bar",
            x=names,
            y=rows["avg_after"],
            name=after_name,
            marker=dict(color=[colour(p) for p in rows["platform"]]),
            text=[
                f"<b>{fmt_int(v, lang)}</b><br>{signed(c, fmt_percent(c, lang))}"
                for v, c in zip(rows["avg_after"], rows["change"], strict=True)
            ],
            textposition="outside",
            textfont=dict(size=15, color=TEXT_COLOUR),
            constraintext="none",
            cliponaxis=False,
            hovertemplate=f"%{{x}} · {after_name}<br>%{{text}}<extra></extra>",
        )
    )
    largest = float(pd.concat([rows["avg_before"], rows["avg_after"]]).max())
    fig.update_layout(
        showlegend=True,
        barmode="group",
        bargap=0.3,
        bargroupgap=0.08,
        yaxis=dict(
            fixedrange=True, range=[0, largest * 1.22 if largest > 0 else 1], tickformat=",d"
        ),
        xaxis=dict(showgrid=False, fixedrange=True, tickfont=dict(size=17)),
    )
    return _finish(
        fig,
        before_after_title(result, event_label, lang),
        t(
            "trends.before_after.subtitle",
            lang,
            per=t(f"trends.before_after.per.{result.grain}", lang),
            span=span,
            day=fmt_date(result.event_day, lang),
        ),
        source,
        lang,
        height=520,
    ).figure()
