"""Views and followers over time: series by day, ISO week or month, and the charts that show them.

Rows arrive from `queries/views_by_period.sql` and `queries/followers_by_day.sql`, one per platform
and dated period. A row counts in a bucket (a day, a week starting on Monday, a calendar month) only
when it lies entirely inside it: a day or a post always does, a month row does in month
granularity only. A month cannot honestly be split into days or weeks (spreading it evenly would
draw a flat line nobody measured), so in day and week granularity such rows are left out and the
page says how many. Undated rows never reach these functions.

Every chart uses the one "canalyse" template, states its finding in the title and carries its
source line inside the figure; `add_event_markers` draws the workspace's events on any time chart.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from canalyse import tables
from canalyse.charts import (
    MUTED_COLOUR,
    TEXT_COLOUR,
    source_annotation,
    template,
    wrap_title,
)
from canalyse.events import COMPARED, OTHER_GRAIN, SHORT, BeforeAfter
from canalyse.filters import join_words
from canalyse.formatting import fmt_date, fmt_int, fmt_percent, fmt_period, plotly_separators
from canalyse.i18n import t
from canalyse.platforms import colour, label

GRANULARITIES = ("day", "week", "month")
# The rolling average's window, in periods of each granularity: a week of days, about a month of
# weeks, a quarter of months.
ROLLING_WINDOW = {"day": 7, "week": 4, "month": 3}
_FREQUENCY = {"day": "D", "week": "W-MON", "month": "MS"}
# Plotly draws a point of a week or a month in the middle of the period it stands for, so that an
# event on the 20th sits inside its month's bar, not after it.
_PLOTLY_PERIOD = {"week": 7 * 24 * 3600 * 1000, "month": "M1"}
_A_MONDAY = "2000-01-03"
# Below this change (in absolute value) a title says "stable" rather than "rose by 0 %".
_STABLE = 0.005
# Fixed left margin for time charts, so that the source line can line up with the title.
_LEFT_MARGIN = 100
_EVENT_LABEL_MAX = 40


# ---- Buckets -------------------------------------------------------------------------------------


def bucket_start(days: pd.Series, granularity: str) -> pd.Series:
    """The first day of the day, ISO week (Monday) or calendar month each date falls in."""
    stamps = pd.to_datetime(days).astype("datetime64[ns]").dt.normalize()
    if granularity == "day":
        return stamps
    if granularity == "week":
        return stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")
    if granularity == "month":
        return stamps.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")
    raise ValueError(f"unknown granularity {granularity!r}")


def bucket_end(starts: pd.Series, granularity: str) -> pd.Series:
    """The last day of the buckets starting on `starts`."""
    if granularity == "day":
        return starts
    if granularity == "week":
        return starts + pd.Timedelta(days=6)
    return starts + pd.offsets.MonthEnd(0)


def period_label(start: object, granularity: str, lang: str) -> str:
    """« janvier 2025 », « semaine du 06/01/2025 », « 20/01/2025 » (en: « January 2025 »…)."""
    stamp = pd.Timestamp(start)
    if granularity == "month":
        month = t("trends.months", lang).split(",")[stamp.month - 1]
        return f"{month} {stamp.year}"
    if granularity == "week":
        return t("trends.week_of", lang, day=fmt_date(stamp, lang))
    return fmt_date(stamp, lang)


def title_period(start: object, granularity: str, lang: str) -> str:
    """A period inside a sentence: « janvier 2025 », « la semaine du 06/01/2025 », « le 20/01/2025 »."""
    if granularity == "month":
        return period_label(start, granularity, lang)
    day = fmt_date(pd.Timestamp(start), lang)
    return t(f"trends.in_title.{granularity}", lang, day=day)


def between(first: object, last: object, granularity: str, lang: str) -> str:
    """« entre janvier et décembre 2025 », « entre la semaine du 06/01/2025 et celle du… »."""
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    if granularity == "month" and a.year == b.year:
        names = t("trends.months", lang).split(",")
        return t(
            "trends.between.same_year",
            lang,
            first=names[a.month - 1],
            last=names[b.month - 1],
            year=a.year,
        )
    if granularity == "month":
        return t(
            "trends.between.month",
            lang,
            first=period_label(a, granularity, lang),
            last=period_label(b, granularity, lang),
        )
    # Within one year the first date goes without it: « entre le 06/01 et le 22/12/2025 ».
    first_text = _day_month(a, lang) if a.year == b.year else fmt_date(a, lang)
    return t(f"trends.between.{granularity}", lang, first=first_text, last=fmt_date(b, lang))


def _day_month(day: pd.Timestamp, lang: str) -> str:
    """« 06/01 » or « 6 Jan »."""
    if lang == "en":
        return f"{day.day} {t('trends.months_short', lang).split(',')[day.month - 1]}"
    return day.strftime("%d/%m")


def default_granularity(views: pd.DataFrame) -> str:
    """Months over half a year of data, weeks over six weeks, else days — coarser when some rows
    (months) would not fit, so that the first chart shows every dated view."""
    if views.empty:
        return "month"
    starts = pd.to_datetime(views["period_start"])
    ends = pd.to_datetime(views["period_end"])
    span = (ends.max() - starts.min()).days
    by_span = "month" if span >= 180 else "week" if span >= 42 else "day"
    for granularity in GRANULARITIES[GRANULARITIES.index(by_span) :]:
        if (bucket_start(starts, granularity) == bucket_start(ends, granularity)).all():
            return granularity
    return "month"


# ---- Views series ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewsSeries:
    """Views per platform and period, ready to draw.

    `series`: period (bucket start), platform, views — every period between a platform's first and
    last one is present, NaN (a gap, never 0) when no row gives a figure then; `complete` is False
    for a period the rows cover only in part (the first or last of a stretch of data: a daily
    series starting on the 15th); `rolling` is the rolling average of complete periods (NaN until
    a full window is available). `coverage`: per platform, first_day and last_day of the rows
    counted. `left_out_rows`/`left_out_views`: dated rows longer than a period (months in day or
    week granularity) that no bucket could hold.
    """

    granularity: str
    series: pd.DataFrame
    coverage: pd.DataFrame
    left_out_rows: int
    left_out_views: float

    @property
    def empty(self) -> bool:
        """True when no dated view fits a period of this granularity."""
        return self.series["views"].isna().all() if len(self.series) else True

    @property
    def partial_periods(self) -> int:
        """How many (platform, period) points are left off the views chart as incomplete."""
        return int((~self.series["complete"]).sum())

    @property
    def last_day(self) -> pd.Timestamp | None:
        """The last day any counted row covers."""
        return None if self.coverage.empty else self.coverage["last_day"].max()

    @property
    def first_day(self) -> pd.Timestamp | None:
        """The first day any counted row covers."""
        return None if self.coverage.empty else self.coverage["first_day"].min()

    def recent_stretch(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The first and last period of the most recent continuous stretch of data (all platforms
        together): the periods after the last gap of GAP_PERIODS empty periods or more."""
        present = self.series.loc[self.series["views"].notna(), "period"]
        if present.empty:
            return None
        periods = pd.Series(sorted(present.unique()))
        starts = _stretch_starts(periods, self.granularity)
        return periods[starts].iloc[-1], periods.iloc[-1]

    def since(self, first_period: object) -> ViewsSeries:
        """The same series from `first_period` on (a platform with nothing left is left out)."""
        start = pd.Timestamp(first_period)
        kept = self.series[self.series["period"] >= start]
        totals = kept.groupby("platform")["views"].sum(min_count=1).dropna()
        kept = kept[kept["platform"].isin(totals.index)].reset_index(drop=True)
        coverage = self.coverage[self.coverage["platform"].isin(totals.index)].assign(
            first_day=lambda c: c["first_day"].clip(lower=start),
            total=lambda c: c["platform"].map(totals),
        )
        return replace(self, series=kept, coverage=coverage.reset_index(drop=True))


# Empty periods in a row that end a stretch of data: a week of days, two weeks, two months. One
# empty period inside a stretch is drawn as a gap without splitting it.
GAP_PERIODS = {"day": 7, "week": 2, "month": 2}


def _bucket_index(periods: pd.Series, granularity: str) -> pd.Series:
    """A running number per bucket, consecutive buckets one apart."""
    stamps = pd.to_datetime(periods)
    if granularity == "month":
        return stamps.dt.year * 12 + stamps.dt.month
    days = (stamps - pd.Timestamp(_A_MONDAY)).dt.days
    return days // 7 if granularity == "week" else days


def _stretch_starts(periods: pd.Series, granularity: str) -> pd.Series:
    """For sorted, distinct periods with data: True where a stretch of data starts."""
    index = _bucket_index(periods, granularity)
    return (index.diff() - 1).fillna(GAP_PERIODS[granularity]) >= GAP_PERIODS[granularity]


def views_series(views: pd.DataFrame, granularity: str) -> ViewsSeries:
    """Bucket the rows of `views_by_period` by `granularity` (day, week or month)."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"unknown granularity {granularity!r}")
    frame = views.assign(
        period_start=pd.to_datetime(views["period_start"]).astype("datetime64[ns]"),
        period_end=pd.to_datetime(views["period_end"]).astype("datetime64[ns]"),
    )
    first = bucket_start(frame["period_start"], granularity)
    fits = first == bucket_start(frame["period_end"], granularity)
    left_out = frame[~fits]
    kept = frame[fits].assign(period=first[fits])
    per_bucket = kept.groupby(["platform", "period"], as_index=False).agg(
        views=("views", "sum"), first_day=("period_start", "min"), last_day=("period_end", "max")
    )
    per_bucket = _with_stretches(per_bucket, granularity)
    coverage = per_bucket.groupby("platform", as_index=False).agg(
        first_day=("first_day", "min"),
        last_day=("last_day", "max"),
        first_period=("period", "min"),
        last_period=("period", "max"),
        total=("views", "sum"),
    )
    series = _filled(per_bucket, coverage, granularity)
    # The first or last period of a stretch the rows only partly cover (a daily series starting
    # on the 15th) would show as a fall that never happened: flagged, so the views chart leaves
    # it out. A gap is no figure at all: nothing to flag.
    ends = bucket_end(series["period"], granularity)
    series["complete"] = series["views"].isna() | (
        (series["period"] >= series["stretch_first"]) & (ends <= series["stretch_last"])
    )
    window = ROLLING_WINDOW[granularity]
    series["rolling"] = (
        series["views"]
        .where(series["complete"])
        .groupby(series["platform"])
        .transform(lambda v: v.rolling(window, min_periods=window).mean())
    )
    return ViewsSeries(
        granularity=granularity,
        series=series.drop(columns=["stretch_first", "stretch_last"]),
        coverage=coverage.drop(columns=["first_period", "last_period"]),
        left_out_rows=int(left_out["rows"].sum()) if "rows" in left_out else len(left_out),
        left_out_views=float(left_out["views"].sum()),
    )


def _with_stretches(per_bucket: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """Each bucket with the first and last day of its platform's stretch of data."""
    parts = []
    for _, rows in per_bucket.sort_values(["platform", "period"]).groupby("platform", sort=False):
        rows = rows.reset_index(drop=True)
        days = rows.groupby(_stretch_starts(rows["period"], granularity).cumsum())
        parts.append(
            rows.assign(
                stretch_first=days["first_day"].transform("min"),
                stretch_last=days["last_day"].transform("max"),
            )
        )
    if not parts:
        return per_bucket.assign(stretch_first=pd.NaT, stretch_last=pd.NaT)
    return pd.concat(parts, ignore_index=True)


def _filled(values: pd.DataFrame, coverage: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """Every period between each platform's first and last one, NaN (a gap) where it had no row."""
    columns = ["period", "platform", "views", "stretch_first", "stretch_last"]
    if values.empty:
        return pd.DataFrame({c: pd.Series(dtype=values[c].dtype) for c in columns})
    periods = pd.date_range(
        coverage["first_period"].min(),
        coverage["last_period"].max(),
        freq=_FREQUENCY[granularity],
    )
    grid = pd.MultiIndex.from_product(
        [coverage["platform"], periods], names=["platform", "period"]
    ).to_frame(index=False)
    grid = grid.merge(coverage[["platform", "first_period", "last_period"]], on="platform")
    grid = grid[(grid["period"] >= grid["first_period"]) & (grid["period"] <= grid["last_period"])]
    filled = grid[["platform", "period"]].merge(
        values[columns], on=["platform", "period"], how="left"
    )
    return filled[columns].sort_values(["platform", "period"], ignore_index=True)


def leading_platforms(series: pd.DataFrame) -> list[str]:
    """Platforms by total views, largest first (ties by name), so colours and legends stay put."""
    totals = series.groupby("platform")["views"].sum().reset_index()
    ranked = totals.sort_values(["views", "platform"], ascending=[False, True], kind="stable")
    return ranked["platform"].tolist()


def _last_run(result: ViewsSeries, platform: str) -> pd.DataFrame:
    """A platform's complete periods with a figure, from its last gap on: periods a headline may
    compare, since nothing is missing between them."""
    rows = result.series[result.series["platform"] == platform].reset_index(drop=True)
    usable = rows["complete"] & rows["views"].notna()
    breaks = (~usable).cumsum()
    last = rows[usable & (breaks == breaks[usable].max())] if usable.any() else rows[usable]
    return last


# ---- Period-over-period growth -----------------------------------------------------------------------


@dataclass(frozen=True)
class Growth:
    """The last complete period against the one before it, per platform.

    `table`: platform, views (this period), previous_views, change (absolute), change_ratio
    (None when the previous period had no views or no figure). `current`/`previous`: the two
    periods' first days. `skipped_partial`: the first day of a later period the data only partly
    covers (left out of the comparison), else None.
    """

    current: pd.Timestamp
    previous: pd.Timestamp
    table: pd.DataFrame
    skipped_partial: pd.Timestamp | None


def growth(result: ViewsSeries) -> Growth | None:
    """This period against the previous one of the same length; None unless both have figures.

    "This period" is the latest period with a figure that the data covers to its last day: a
    month imported up to the 18th is not compared with a full month, it is named as left out
    instead. A platform's figure counts only for a period its rows cover whole.
    """
    if result.empty:
        return None
    usable = result.series.assign(views=result.series["views"].where(result.series["complete"]))
    with_figures = usable.loc[usable["views"].notna(), "period"]
    periods = pd.Series(sorted(result.series["period"].unique()))
    candidates = pd.Series(sorted(with_figures.unique()))
    candidates = candidates[bucket_end(candidates, result.granularity) <= result.last_day]
    if candidates.empty:
        return None
    current = candidates.iloc[-1]
    previous = current - pd.tseries.frequencies.to_offset(_FREQUENCY[result.granularity])
    if previous not in set(with_figures):
        return None
    later = periods[periods > current]
    wide = usable.pivot(index="platform", columns="period", values="views")
    table = pd.DataFrame({"platform": leading_platforms(result.series)})
    table["views"] = table["platform"].map(wide.get(current, pd.Series(dtype=float)))
    table["previous_views"] = table["platform"].map(wide.get(previous, pd.Series(dtype=float)))
    table["change"] = table["views"] - table["previous_views"]
    table["change_ratio"] = table["change"] / table["previous_views"].where(
        table["previous_views"] > 0
    )
    return Growth(
        current=current,
        previous=previous,
        table=table,
        skipped_partial=later.iloc[0] if not later.empty else None,
    )


def growth_table(result: Growth, granularity: str, lang: str) -> tables.Table:
    """The growth table: views this period and the previous one, the change and its percentage;
    « — » when unknown."""
    current = period_label(result.current, granularity, lang)
    previous = period_label(result.previous, granularity, lang)
    frame = result.table
    columns = {
        t("trends.growth.platform", lang): (frame["platform"].map(label), tables.TEXT),
        current: (frame["views"], tables.COUNT),
        previous: (frame["previous_views"], tables.COUNT),
        t("trends.growth.change", lang): (frame["change"], tables.SIGNED_COUNT),
        t("trends.growth.change_percent", lang): (frame["change_ratio"], tables.SIGNED_PERCENT),
    }
    return _table(columns)


def _table(columns: dict[str, tuple[object, str]]) -> tables.Table:
    frame = pd.DataFrame({header: list(values) for header, (values, _) in columns.items()})
    return tables.Table(frame, {header: kind for header, (_, kind) in columns.items()})


def _signed_int(value: object, lang: str) -> str:
    """« +2 000 » for a rise, « -64 » for a fall, « 0 » and « — » unsigned."""
    return tables.signed(value, fmt_int(value, lang))


def _signed_percent(value: object, lang: str) -> str:
    """« +20,0 % » for a rise, « -2,7 % » for a fall, « 0,0 % » and « — » unsigned."""
    return tables.signed(value, fmt_percent(value, lang))


# ---- Followers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowersSeries:
    """Follower evolution per platform.

    `levels`: period, platform, followers_total — the latest count of each account in the period,
    added up over accounts (a level is never summed over time). `net_gains`: period, platform, net
    (gained − lost in the period), cumulative — only for platforms without any follower count.
    """

    granularity: str
    levels: pd.DataFrame
    net_gains: pd.DataFrame

    def since(self, first_period: object) -> FollowersSeries:
        """The same series from `first_period` on (the views charts' stretch)."""
        start = pd.Timestamp(first_period)
        return replace(
            self,
            levels=self.levels[self.levels["period"] >= start].reset_index(drop=True),
            net_gains=self.net_gains[self.net_gains["period"] >= start].reset_index(drop=True),
        )


def followers_series(followers: pd.DataFrame, granularity: str) -> FollowersSeries:
    """Bucket the rows of `followers_by_day` by `granularity`."""
    frame = followers.assign(
        period_start=pd.to_datetime(followers["period_start"]).astype("datetime64[ns]"),
        period_end=pd.to_datetime(followers["period_end"]).astype("datetime64[ns]"),
    )
    # A count is a level on the day its period ends (a month's count is its end-of-month level).
    counted = frame[frame["followers_total"].notna()].assign(
        period=lambda f: bucket_start(f["period_end"], granularity)
    )
    latest = (
        counted.sort_values("period_end")
        .groupby(["platform", "account", "period"], as_index=False)["followers_total"]
        .last()
    )
    levels = latest.groupby(["period", "platform"], as_index=False)["followers_total"].sum()

    flows = frame[~frame["platform"].isin(counted["platform"].unique())]
    first = bucket_start(flows["period_start"], granularity)
    fits = first == bucket_start(flows["period_end"], granularity)
    flows = flows[fits].assign(
        period=first[fits],
        net=lambda f: f["followers_gained"].fillna(0.0) - f["followers_lost"].fillna(0.0),
    )
    net = flows.groupby(["platform", "period"], as_index=False)["net"].sum()
    net["cumulative"] = net.groupby("platform")["net"].cumsum()
    return FollowersSeries(
        granularity=granularity,
        levels=_with_gaps(levels, granularity),
        net_gains=_with_gaps(net[["period", "platform", "net", "cumulative"]], granularity),
    )


def _with_gaps(frame: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """Every period between each platform's first and last one, NaN where it has no figure, so
    that a line breaks there instead of joining two distant points."""
    if frame.empty:
        return frame.reset_index(drop=True)
    parts = []
    for platform, rows in frame.groupby("platform", sort=True):
        periods = pd.date_range(
            rows["period"].min(), rows["period"].max(), freq=_FREQUENCY[granularity]
        )
        full = rows.set_index("period").reindex(periods).rename_axis("period").reset_index()
        parts.append(full.assign(platform=platform))
    return pd.concat(parts, ignore_index=True)[list(frame.columns)]


# ---- Chart helpers -------------------------------------------------------------------------------------


def _plain(text: object) -> str:
    """User or file text shown literally: Plotly would read tags in it as markup."""
    return html.escape(str(text), quote=False)


def _period_axis(trace: dict, granularity: str) -> dict:
    """Draw a week's or a month's value across its period, not on its first day."""
    if granularity in _PLOTLY_PERIOD:
        trace.update(xperiod=_PLOTLY_PERIOD[granularity], xperiodalignment="middle")
        if granularity == "week":
            trace["xperiod0"] = _A_MONDAY
    return trace


def _finish(
    fig: go.Figure, title: str, subtitle: str, source: str, lang: str, height: int = 560
) -> go.Figure:
    """Template, title, French or English separators and the source line inside the figure."""
    wrapped = wrap_title(title)
    extra = 30 * wrapped.count("<br>")
    fig.update_layout(
        template=template(),
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
        return list(days), [_day_month(d, lang) for d in days]
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
    fig: go.Figure,
    periods: pd.Series,
    granularity: str,
    lang: str,
    events: pd.DataFrame | None,
    *,
    from_zero: bool = True,
) -> go.Figure:
    """Date ticks in the reader's language, whole numbers on the value axis, and the events,
    with room left above the data for their labels."""
    first, last = _span(periods, granularity)
    ticks, texts = _date_ticks(first, last, granularity, lang)
    fig.update_xaxes(tickvals=ticks, ticktext=texts, showgrid=False, fixedrange=True, range=None)
    values = pd.concat([pd.Series(trace.y, dtype=float) for trace in fig.data]).dropna()
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


def _change_words(change: float, lang: str) -> str:
    if abs(change) < _STABLE:
        return t("trends.change.stable", lang)
    key = "trends.change.up" if change > 0 else "trends.change.down"
    return t(key, lang, percent=_title_percent(change, lang))


def _title_percent(change: float, lang: str) -> str:
    # Whole percents in a title, except below 10 % where « 4 % » would hide a table's « 3,5 % ».
    return fmt_percent(abs(change), lang, decimals=0 if abs(change) >= 0.1 else 1)


# ---- Views over time --------------------------------------------------------------------------------


def views_title(result: ViewsSeries, lang: str) -> str:
    """« Les vues de LinkedIn ont augmenté de 35 % entre janvier 2025 et décembre 2025 ».

    Compares the leading platform's first and last complete periods of its last run of figures
    (nothing missing between them; weeks or months: single days are too noisy to sum up a
    trend); otherwise names the platform that leads.
    """
    leader = leading_platforms(result.series)[0]
    name = _plain(label(leader))
    run = _last_run(result, leader)
    if result.granularity != "day" and len(run) >= 2 and run["views"].iloc[0] > 0:
        first, last = run.iloc[0], run.iloc[-1]
        return t(
            "trends.views.title_change",
            lang,
            platform=name,
            change=_change_words(last["views"] / first["views"] - 1, lang),
            between=between(first["period"], last["period"], result.granularity, lang),
        )
    total = result.series.loc[result.series["platform"] == leader, "views"].sum()
    return t("trends.views.title_leader", lang, platform=name, views=fmt_int(total, lang))


def views_over_time_chart(
    result: ViewsSeries,
    lang: str,
    source: str,
    *,
    rolling: bool = False,
    events: pd.DataFrame | None = None,
) -> go.Figure:
    """One line per platform (its colour), titled with the finding; the rolling average on demand.

    Raises ValueError when there is nothing to draw, so callers show an empty state instead.
    """
    if result.empty:
        raise ValueError("views_over_time_chart needs at least one dated view")
    granularity = result.granularity
    fig = go.Figure()
    drawn = result.series[result.series["complete"]]
    for platform in leading_platforms(result.series):
        rows = drawn[drawn["platform"] == platform]
        if rows.empty:
            rows = result.series[result.series["platform"] == platform]
        name = _plain(label(platform))
        hover = [
            f"<b>{name}</b> · {period_label(p, granularity, lang)}<br>"
            + t("trends.hover.views", lang, views=fmt_int(v, lang))
            for p, v in zip(rows["period"], rows["views"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                _period_axis(
                    dict(
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
        )
        if rolling:
            fig.add_trace(
                go.Scatter(
                    _period_axis(
                        dict(
                            x=rows["period"],
                            y=rows["rolling"],
                            name=name,
                            mode="lines",
                            line=dict(color=colour(platform), width=3.5, shape="spline"),
                            hovertext=[
                                f"<b>{name}</b> · {period_label(p, granularity, lang)}<br>"
                                + t("trends.hover.rolling", lang, views=fmt_int(v, lang))
                                for p, v in zip(rows["period"], rows["rolling"], strict=True)
                            ],
                            hovertemplate="%{hovertext}<extra></extra>",
                            legendgroup=platform,
                        ),
                        granularity,
                    )
                )
            )
    subtitle = t(f"trends.views.subtitle.{granularity}", lang)
    if rolling:
        subtitle += t(f"trends.views.rolling_note.{granularity}", lang)
    fig.update_layout(showlegend=True)
    _finish(fig, views_title(result, lang), subtitle, source, lang)
    return _time_axes(fig, result.series["period"], granularity, lang, events)


# ---- Share of views over time --------------------------------------------------------------------------


def shares_by_period(result: ViewsSeries) -> pd.DataFrame:
    """period, platform, views, share: each platform's part of the period's views (0–1)."""
    frame = result.series.copy()
    totals = frame.groupby("period")["views"].transform("sum")
    frame["share"] = frame["views"] / totals.where(totals > 0)
    return frame


def share_title(result: ViewsSeries, shares: pd.DataFrame, lang: str) -> str:
    """« La part de LinkedIn est passée de 30 % à 45 % des vues entre janvier et décembre 2025 ».

    Only periods where every platform shown has figures are compared, so that a network imported
    later does not seem to grow from nothing, and never single days (too noisy to sum up a trend);
    otherwise the leader's share over the whole range.
    """
    platforms = shares["platform"].nunique()
    present = shares.groupby("period")["views"].transform("count") == platforms
    common = shares[present & shares["share"].notna()]
    periods = pd.Series(sorted(common["period"].unique()), dtype="datetime64[ns]")
    # Only the last run of periods in a row: never across a gap.
    run = (_bucket_index(periods, result.granularity).diff() != 1).cumsum()
    periods = periods[run == run.max()].tolist() if len(periods) else []
    if platforms > 1 and len(periods) >= 2 and result.granularity != "day":
        wide = common.pivot(index="period", columns="platform", values="share")
        moved = (wide.loc[periods[-1]] - wide.loc[periods[0]]).abs()
        moved = moved.sort_index().sort_values(ascending=False, kind="stable")
        platform = moved.index[0]
        return t(
            "trends.share.title_change",
            lang,
            platform=_plain(label(platform)),
            before=fmt_percent(wide.loc[periods[0], platform], lang, decimals=0),
            after=fmt_percent(wide.loc[periods[-1], platform], lang, decimals=0),
            between=between(periods[0], periods[-1], result.granularity, lang),
        )
    leader = leading_platforms(result.series)[0]
    share = result.series.loc[result.series["platform"] == leader, "views"].sum() / (
        result.series["views"].sum()
    )
    return t(
        "trends.share.title_leader",
        lang,
        platform=_plain(label(leader)),
        share=fmt_percent(share, lang, decimals=0),
    )


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
    fig = go.Figure()
    for platform in leading_platforms(result.series):
        rows = shares[shares["platform"] == platform]
        name = _plain(label(platform))
        hover = [
            f"<b>{name}</b> · {period_label(p, granularity, lang)}<br>"
            + t(
                "trends.hover.share",
                lang,
                share=fmt_percent(s, lang, decimals=1),
                views=fmt_int(v, lang),
            )
            for p, s, v in zip(rows["period"], rows["share"], rows["views"], strict=True)
        ]
        common = dict(
            x=rows["period"],
            y=rows["share"] * 100,
            name=name,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
        # Bars, days included: a stacked area would draw a day without figures as 0 %.
        fig.add_trace(go.Bar(**_period_axis(common, granularity), marker_color=colour(platform)))
    fig.update_layout(
        showlegend=True,
        barmode="stack",
        bargap=0 if granularity == "day" else 0.15,
        legend_traceorder="normal",
    )
    _finish(
        fig,
        share_title(result, shares, lang),
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
    return fig


# ---- Followers charts ------------------------------------------------------------------------------------


def _platform_line(
    platform: str,
    periods: pd.Series,
    values: pd.Series,
    hover: list[str],
    granularity: str,
    lang: str,
) -> go.Scatter:
    """One platform's line in its colour, each point's hover headed by the platform and period."""
    name = _plain(label(platform))
    return go.Scatter(
        _period_axis(
            dict(
                x=periods,
                y=values,
                name=name,
                mode="lines+markers" if len(periods) <= 24 else "lines",
                line=dict(color=colour(platform), width=3),
                hovertext=[
                    f"<b>{name}</b> · {period_label(p, granularity, lang)}<br>{text}"
                    for p, text in zip(periods, hover, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            ),
            granularity,
        )
    )


def followers_chart(
    followers: FollowersSeries, lang: str, source: str, *, events: pd.DataFrame | None = None
) -> go.Figure:
    """Follower counts per platform (a level per period, never a sum), titled with the largest audience."""
    levels = followers.levels
    if levels.empty:
        raise ValueError("followers_chart needs at least one follower count")
    granularity = followers.granularity
    latest = levels.sort_values("period").groupby("platform").last()
    order = latest.sort_values("followers_total", ascending=False, kind="stable").index.tolist()
    fig = go.Figure()
    for platform in order:
        rows = levels[levels["platform"] == platform]
        hover = [
            t("trends.hover.followers", lang, count=fmt_int(v, lang))
            for v in rows["followers_total"]
        ]
        fig.add_trace(
            _platform_line(
                platform, rows["period"], rows["followers_total"], hover, granularity, lang
            )
        )
    top = order[0]
    rows = levels[levels["platform"] == top]
    first, last = rows.iloc[0], rows.iloc[-1]
    if len(rows) >= 2:
        title = t(
            "trends.followers.title_change",
            lang,
            platform=_plain(label(top)),
            before=fmt_int(first["followers_total"], lang),
            after=fmt_int(last["followers_total"], lang),
            between=between(first["period"], last["period"], granularity, lang),
        )
    else:
        title = t(
            "trends.followers.title_level",
            lang,
            platform=_plain(label(top)),
            count=fmt_int(last["followers_total"], lang),
        )
    fig.update_layout(showlegend=True)
    _finish(fig, title, t(f"trends.followers.subtitle.{granularity}", lang), source, lang)
    # A level is read against its own range: from zero the three lines would look flat.
    return _time_axes(fig, levels["period"], granularity, lang, events, from_zero=False)


def net_gains_chart(
    followers: FollowersSeries, lang: str, source: str, *, events: pd.DataFrame | None = None
) -> go.Figure:
    """Cumulative net follower gains (gained − lost) for platforms that give no follower count."""
    net = followers.net_gains
    if net.empty:
        raise ValueError("net_gains_chart needs follower gains or losses")
    granularity = followers.granularity
    final = net.groupby("platform")["cumulative"].last().sort_values(ascending=False)
    fig = go.Figure()
    for platform in final.index:
        rows = net[net["platform"] == platform]
        hover = [
            t("trends.hover.net", lang, net=_signed_int(n, lang), cumulative=_signed_int(c, lang))
            for n, c in zip(rows["net"], rows["cumulative"], strict=True)
        ]
        fig.add_trace(
            _platform_line(platform, rows["period"], rows["cumulative"], hover, granularity, lang)
        )
    top = final.index[0]
    gained = final.iloc[0]
    since = title_period(net.loc[net["platform"] == top, "period"].min(), granularity, lang)
    key = "trends.net.title_gain" if gained >= 0 else "trends.net.title_loss"
    title = t(key, lang, platform=_plain(label(top)), count=fmt_int(abs(gained), lang), since=since)
    fig.update_layout(showlegend=True, yaxis=dict(zeroline=True, zerolinecolor=MUTED_COLOUR))
    _finish(fig, title, t("trends.net.subtitle", lang), source, lang)
    return _time_axes(fig, net["period"], granularity, lang, events)


# ---- Events on time charts ------------------------------------------------------------------------------


def event_text(day: object, text: object, lang: str) -> str:
    """« Arrêt de X — 20/01/2025 », the user's label escaped so Plotly shows it literally."""
    shown = str(text)
    if len(shown) > _EVENT_LABEL_MAX:
        shown = shown[: _EVENT_LABEL_MAX - 1].rstrip() + "…"
    return f"{_plain(shown)} — {fmt_date(pd.Timestamp(day), lang)}"


def add_event_markers(
    fig: go.Figure,
    events_df: pd.DataFrame,
    lang: str,
    *,
    span: tuple[object, object] | None = None,
) -> go.Figure:
    """Draw each event as a vertical dashed line labelled « Arrêt de X — 20/01/2025 » at the top.

    Works on any figure whose x axis holds dates. `events_df` has columns `day` and `label` (as
    returned by `canalyse.events.list_events`); labels are user text and are escaped. Only events
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
            hovertext=_plain(text),
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


def _x_range(fig: go.Figure) -> tuple[object, object]:
    """The first and last x value of a figure's traces (None, None when it has none)."""
    xs = [pd.Series(trace.x) for trace in fig.data if trace.x is not None]
    stamps = pd.to_datetime(pd.concat(xs), errors="coerce").dropna() if xs else pd.Series()
    return (stamps.min(), stamps.max()) if not stamps.empty else (None, None)


# ---- Before and after an event ------------------------------------------------------------------------


def _units(count: int, grain: str, lang: str) -> str:
    """« 3 mois », « 1 semaine », « 30 jours »."""
    key = "one" if count == 1 else "many"
    return t(f"trends.before_after.unit.{grain}.{key}", lang, count=fmt_int(count, lang))


def comparison_text(result: BeforeAfter, lang: str) -> str:
    """« Comparaison sur 3 mois avant (du 01/01/2025 au 31/03/2025) et 3 mois après (du 01/04/2025
    au 30/06/2025) l'événement du 01/04/2025 »."""
    first_before, last_before, first_after, last_after = result.windows
    return t(
        "trends.before_after.window",
        lang,
        span=_units(result.periods, result.grain, lang),
        before=fmt_period(first_before, last_before, lang),
        after=fmt_period(first_after, last_after, lang),
        day=fmt_date(result.event_day, lang),
    )


def excluded_text(result: BeforeAfter, lang: str) -> str:
    """What the comparison leaves out around the event: its day, week or month."""
    return t(f"trends.before_after.excluded.{result.grain}", lang)


def before_after_title(result: BeforeAfter, event_label: str, lang: str) -> str:
    """« Après « Arrêt de X », les vues mensuelles ont baissé de 12 % »; when some networks with
    figures are not compared, the title names those that are (« les vues mensuelles de Facebook
    ont augmenté de 7 % »), so a total is never read as everyone's."""
    shown = str(event_label)
    if len(shown) > _EVENT_LABEL_MAX:
        shown = shown[: _EVENT_LABEL_MAX - 1].rstrip() + "…"
    per = t(f"trends.before_after.views_per.{result.grain}", lang)
    compared = result.compared["platform"].tolist()
    if compared and len(compared) < len(result.per_platform):
        platforms = join_words([_plain(label(p)) for p in compared], lang)
        views = t("trends.before_after.views_of", lang, per=per, platforms=platforms)
    else:
        views = t("trends.before_after.views", lang, per=per)
    event = _plain(shown)
    if result.change is None:
        title = t("trends.before_after.title_plain", lang, event=event, views=views)
    elif abs(result.change) < _STABLE:
        title = t("trends.before_after.title_stable", lang, event=event, views=views)
    else:
        key = "up" if result.change > 0 else "down"
        title = t(
            f"trends.before_after.title_{key}",
            lang,
            event=event,
            views=views,
            percent=_title_percent(result.change, lang),
        )
    return title[:1].upper() + title[1:]


def _why_not(row, result: BeforeAfter, lang: str) -> str:
    """Why a platform is not in the comparison, in words."""
    if row.status == SHORT:
        return t(
            "trends.before_after.short",
            lang,
            span=_units(int(row.covered), result.grain, lang),
        )
    if row.status == OTHER_GRAIN:
        return t(
            "trends.before_after.other_grain",
            lang,
            per=t(f"trends.before_after.per.{row.finest}", lang),
        )
    return t("trends.before_after.not_covered", lang)


def before_after_table(result: BeforeAfter, lang: str) -> tables.Table:
    """One row per platform then the total; platforms not compared say why."""
    rows = result.per_platform
    compared = rows["status"] == COMPARED
    notes = [
        "" if row.status == COMPARED else _why_not(row, result, lang)
        for row in rows.itertuples(index=False)
    ]
    per = t(f"trends.before_after.per.{result.grain or 'day'}", lang)
    columns = {
        t("trends.growth.platform", lang): (rows["platform"].map(label), tables.TEXT),
        t("trends.before_after.avg_before", lang, per=per): (rows["avg_before"], tables.COUNT),
        t("trends.before_after.avg_after", lang, per=per): (rows["avg_after"], tables.COUNT),
        t("trends.growth.change_percent", lang): (rows["change"], tables.SIGNED_PERCENT),
        t("trends.before_after.share_before", lang): (rows["share_before"], tables.PERCENT),
        t("trends.before_after.share_after", lang): (rows["share_after"], tables.PERCENT),
        t("trends.before_after.note", lang): (notes, tables.TEXT),
    }
    table = _table(columns)
    if not compared.any():
        return table
    total = [
        t("trends.before_after.total", lang),
        result.total_before,
        result.total_after,
        result.change,
        1.0,
        1.0,
        "",
    ]
    frame = pd.concat(
        [table.frame, pd.DataFrame([total], columns=table.frame.columns)], ignore_index=True
    )
    return tables.Table(frame, table.kinds)


def before_after_chart(result: BeforeAfter, event_label: str, lang: str, source: str) -> go.Figure:
    """Grouped bars per platform: average views per day, week or month before (grey) and after
    (its colour)."""
    rows = result.compared
    if rows.empty:
        raise ValueError("before_after_chart needs at least one platform compared")
    names = [_plain(label(p)) for p in rows["platform"]]
    span = _units(result.periods, result.grain, lang)
    before_name = t("trends.before_after.legend_before", lang, span=span)
    after_name = t("trends.before_after.legend_after", lang, span=span)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=names,
            y=rows["avg_before"],
            name=before_name,
            marker_color="#B8BEC6",
            text=[fmt_int(v, lang) for v in rows["avg_before"]],
            textposition="outside",
            textfont=dict(size=15, color=MUTED_COLOUR),
            constraintext="none",
            cliponaxis=False,
            hovertemplate=f"%{{x}} · {before_name}<br>%{{text}}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=names,
            y=rows["avg_after"],
            name=after_name,
            marker_color=[colour(p) for p in rows["platform"]],
            text=[
                f"<b>{fmt_int(v, lang)}</b><br>{_signed_percent(c, lang)}"
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
    )


# ---- Events as text ----------------------------------------------------------------------------------


def event_options(events_df: pd.DataFrame, lang: str) -> dict[int, str]:
    """Event id → « Arrêt de X — 20/01/2025 », oldest first, for a select box (plain text)."""
    texts = [
        f"{text} — {fmt_date(day, lang)}"
        for day, text in zip(events_df["day"], events_df["label"], strict=True)
    ]
    return dict(zip(events_df["event_id"].astype(int), texts, strict=True))


def events_table(events_df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The events as a two-column table: date (« 20/01/2025 ») and label."""
    return pd.DataFrame(
        {
            t("trends.events.day", lang): events_df["day"].map(lambda d: fmt_date(d, lang)),
            t("trends.events.label", lang): events_df["label"],
        }
    )
