"""Views and followers over time: series by day, ISO week or month, growth, and periods in words.

Rows arrive from `queries/views_by_period.sql` and `queries/followers_by_day.sql`, one per platform
and dated period. A row counts in a bucket (a day, a week starting on Monday, a calendar month) only
when it lies entirely inside it: a day or a post always does, a month row does in month
granularity only. A month cannot honestly be split into days or weeks (spreading it evenly would
draw a flat line nobody measured), so in day and week granularity such rows are left out and the
page says how many. Undated rows never reach these functions.

The charts that draw these series are in `canalyse.charts.trends`, their titles in
`canalyse.analysis.findings`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from canalyse import queries
from canalyse.filters import Filters
from canalyse.formatting import fmt_date, fmt_days
from canalyse.i18n import t

GRANULARITIES = ("day", "week", "month")
# The rolling average's window, in periods of each granularity: a week of days, about a month of
# weeks, a quarter of months.
ROLLING_WINDOW = {"day": 7, "week": 4, "month": 3}
FREQUENCY = {"day": "D", "week": "W-MON", "month": "MS"}
# A Monday: weeks are counted from it.
A_MONDAY = "2000-01-03"


# ---- Buckets -------------------------------------------------------------------------------------


def bucket_start(days: pd.Series, granularity: str) -> pd.Series:
    """The first day of the day, ISO week (Monday) or calendar month each date falls in."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"unknown granularity {granularity!r}")
    stamps = pd.to_datetime(days).astype("datetime64[ns]")
    # On numpy's calendar units: pandas' accessors cost a few milliseconds a call, and every
    # series of a page asks for them.
    starts = stamps.to_numpy().astype("datetime64[D]")
    if granularity == "week":
        # 1 January 1970 was a Thursday: day 0 is the fourth of its week.
        starts = starts - (starts.astype(np.int64) + 3) % 7
    elif granularity == "month":
        starts = starts.astype("datetime64[M]").astype("datetime64[D]")
    return pd.Series(starts.astype("datetime64[ns]"), index=stamps.index, name=stamps.name)


def bucket_end(starts, granularity: str):
    """The last day of the buckets (or the one bucket) starting on `starts`."""
    if granularity == "day":
        return starts
    if granularity == "week":
        return starts + pd.Timedelta(days=6)
    return starts + pd.offsets.MonthEnd(0)


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


# ---- Periods in words -----------------------------------------------------------------------------


def period_label(start: object, granularity: str, lang: str) -> str:
    """« janvier 2025 », « semaine du 06/01/2025 », « 20/01/2025 » (en: « January 2025 »…)."""
    stamp = pd.Timestamp(start)
    if granularity == "month":
        month = t("trends.months", lang).split(",")[stamp.month - 1]
        return f"{month} {stamp.year}"
    if granularity == "week":
        return t("trends.week_of", lang, day=fmt_date(stamp, lang))
    return fmt_date(stamp, lang)


def period_labels(periods: object, granularity: str, lang: str) -> list[str]:
    """`period_label` of each period, at once (a chart's hover names thousands of days)."""
    days = pd.to_datetime(pd.Series(periods)).to_numpy(dtype="datetime64[D]")
    if np.isnat(days).any():
        return [period_label(period, granularity, lang) for period in periods]  # type: ignore[union-attr]
    if granularity == "month":
        names = t("trends.months", lang).split(",")
        months = days.astype("datetime64[M]").astype("int64")
        return [f"{names[m % 12]} {m // 12 + 1970}" for m in months.tolist()]
    written = fmt_days(days, lang)
    if granularity == "week":
        return [t("trends.week_of", lang, day=day) for day in written]
    return written


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
    first_text = day_month(a, lang) if a.year == b.year else fmt_date(a, lang)
    return t(f"trends.between.{granularity}", lang, first=first_text, last=fmt_date(b, lang))


def day_month(day: pd.Timestamp, lang: str) -> str:
    """« 06/01 » or « 6 Jan »."""
    if lang == "en":
        return f"{day.day} {t('trends.months_short', lang).split(',')[day.month - 1]}"
    return day.strftime("%d/%m")


def span_words(count: int, grain: str, lang: str) -> str:
    """« 3 mois », « 1 semaine », « 30 jours »."""
    return t(f"trends.span.{grain}", lang, count=count)


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


def bucket_index(periods: pd.Series, granularity: str) -> pd.Series:
    """A running number per bucket, consecutive buckets one apart."""
    stamps = pd.to_datetime(periods)
    if granularity == "month":
        return stamps.dt.year * 12 + stamps.dt.month
    days = (stamps - pd.Timestamp(A_MONDAY)).dt.days
    return days // 7 if granularity == "week" else days


def _stretch_starts(periods: pd.Series, granularity: str) -> pd.Series:
    """For sorted, distinct periods with data: True where a stretch of data starts."""
    index = bucket_index(periods, granularity)
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
    # One reduction per column: pandas' named aggregation costs more than the data here.
    buckets = kept.groupby(["platform", "period"])
    per_bucket = pd.DataFrame(
        {
            "views": buckets["views"].sum(),
            "first_day": buckets["period_start"].min(),
            "last_day": buckets["period_end"].max(),
        }
    ).reset_index()
    per_bucket = _with_stretches(per_bucket, granularity)
    platforms = per_bucket.groupby("platform")
    coverage = pd.DataFrame(
        {
            "first_day": platforms["first_day"].min(),
            "last_day": platforms["last_day"].max(),
            "first_period": platforms["period"].min(),
            "last_period": platforms["period"].max(),
            "total": platforms["views"].sum(),
        }
    ).reset_index()
    columns = ["period", "platform", "views", "stretch_first", "stretch_last"]
    series = _with_gaps(per_bucket, granularity, columns)
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
    if per_bucket.empty:
        return per_bucket.assign(stretch_first=pd.NaT, stretch_last=pd.NaT)
    rows = per_bucket.sort_values(["platform", "period"], ignore_index=True)
    # A stretch starts at each platform's first period and after each gap: numbered at once.
    platform = rows["platform"].to_numpy()
    new_platform = np.append(True, platform[1:] != platform[:-1])
    starts = _stretch_starts(rows["period"], granularity).to_numpy() | new_platform
    days = rows.groupby(np.cumsum(starts))
    return rows.assign(
        stretch_first=days["first_day"].transform("min"),
        stretch_last=days["last_day"].transform("max"),
    )


def leading_platforms(series: pd.DataFrame) -> list[str]:
    """Platforms by total views, largest first (ties by name), so colours and legends stay put."""
    # Called by every chart and headline of a page: counted without a pandas groupby (10x less).
    codes, names = pd.factorize(series["platform"])
    views = np.nan_to_num(series["views"].to_numpy(dtype=float))
    totals = np.bincount(codes, weights=views, minlength=len(names))
    return [platform for _, platform in sorted(zip(-totals, names.tolist(), strict=True))]


def last_run(result: ViewsSeries, platform: str) -> pd.DataFrame:
    """A platform's complete periods with a figure, from its last gap on: periods a headline may
    compare, since nothing is missing between them."""
    rows = result.series[result.series["platform"] == platform].reset_index(drop=True)
    usable = rows["complete"] & rows["views"].notna()
    breaks = (~usable).cumsum()
    last = rows[usable & (breaks == breaks[usable].max())] if usable.any() else rows[usable]
    return last


def shares_by_period(result: ViewsSeries) -> pd.DataFrame:
    """period, platform, views, share: each platform's part of the period's views (0–1)."""
    frame = result.series.copy()
    totals = frame.groupby("period")["views"].transform("sum")
    frame["share"] = frame["views"] / totals.where(totals > 0)
    return frame


def monthly_views(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Views per month (rows: first days of months, none skipped) and platform (columns, most
    viewed first), as the Trends page counts them (for the deck's trend slide); a month a platform has no figure for, or
    only part of one, is NaN, drawn as a gap. Empty if undated.

    The months cover the filtered period when one is chosen, else the most recent continuous
    stretch of data (older figures separated by a gap would spread the slide over years of
    nothing).
    """
    views = queries.run(con, "views_by_period", **filters.params())
    if views.empty:
        return pd.DataFrame()
    series = views_series(views, "month")
    if series.empty:
        return pd.DataFrame()
    if filters.start is not None and filters.end is not None:
        first, last = pd.Timestamp(filters.start).to_period("M").to_timestamp(), filters.end
    else:
        first, last = series.recent_stretch()
        series = series.since(first)
    counted = series.series.assign(views=series.series["views"].where(series.series["complete"]))
    wide = counted.pivot(index="period", columns="platform", values="views").astype("float64")
    wide = wide.reindex(pd.date_range(first, last, freq="MS"))
    totals = wide.sum()
    return wide[sorted(totals.index, key=lambda p: (-totals[p], p))]


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
    previous = current - pd.tseries.frequencies.to_offset(FREQUENCY[result.granularity])
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

    def by_audience(self) -> list[str]:
        """Platforms with a follower count, the largest latest count first."""
        latest = self.levels.sort_values("period").groupby("platform").last()
        return latest.sort_values("followers_total", ascending=False, kind="stable").index.tolist()

    def final_net_gains(self) -> pd.Series:
        """Each platform's cumulative net gain at its last period, the largest first."""
        return self.net_gains.groupby("platform")["cumulative"].last().sort_values(ascending=False)

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
    # On plain arrays: pandas' group-bys on the query's text columns cost a tenth of a second for
    # eight networks, on every run of the Trends page.
    platforms, names = pd.factorize(followers["platform"], sort=True)
    names = np.asarray(names, dtype=object)
    starts = _bucket_days(followers["period_start"], granularity)
    ends = _bucket_days(followers["period_end"], granularity)
    total = followers["followers_total"].to_numpy(dtype="float64", na_value=np.nan)
    counted = ~np.isnan(total) & ~np.isnat(ends)
    # A count is a level on the day its period ends (a month's count is its end-of-month level):
    # each account's latest count in a bucket, added up over the accounts of the network.
    day = pd.to_datetime(followers["period_end"]).to_numpy(dtype="datetime64[ns]")[counted]
    codes, bucket, count = platforms[counted], ends[counted], total[counted]
    accounts = pd.factorize(followers["account"])[0][counted]
    order = np.lexsort((day, bucket, accounts, codes))
    latest = order[_group_ends(codes[order], accounts[order], bucket[order])]
    levels = _sums(names, codes[latest], bucket[latest], {"followers_total": count[latest]})

    # Flows (gained, lost) only for networks without any count, and only those whose period
    # lies inside the bucket: a month's gain is never spread over its weeks.
    fits = ~np.isin(platforms, codes) & (starts == ends)
    net = _numbers(followers["followers_gained"]) - _numbers(followers["followers_lost"])
    gains = _sums(names, platforms[fits], starts[fits], {"net": net[fits]})
    first = _group_starts(gains["platform"].to_numpy(dtype=object))
    gains["cumulative"] = _running_sums(gains["net"].to_numpy(), first)
    return FollowersSeries(
        granularity=granularity,
        levels=_with_gaps(levels, granularity),
        net_gains=_with_gaps(gains, granularity),
    )


def _bucket_days(days: pd.Series, granularity: str) -> np.ndarray:
    return bucket_start(days, granularity).to_numpy(dtype="datetime64[ns]")


def _numbers(values: pd.Series) -> np.ndarray:
    """The values as floats, 0 where there is none."""
    return np.nan_to_num(values.to_numpy(dtype="float64", na_value=np.nan))


def _group_ends(*keys: np.ndarray) -> np.ndarray:
    """For rows sorted by `keys`: True on the last row of each run of equal keys."""
    size = len(keys[0])
    last = np.zeros(size, dtype=bool)
    if size:
        last[-1] = True
        for key in keys:
            last[:-1] |= key[1:] != key[:-1]
    return last


def _group_starts(values: np.ndarray) -> np.ndarray:
    """For sorted values: True on the first row of each run of equal values."""
    return np.append(True, values[1:] != values[:-1]) if len(values) else np.zeros(0, dtype=bool)


def _running_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The cumulative sum of `values`, started again on each row where `starts` is True."""
    parts = np.split(values, np.flatnonzero(starts)[1:])
    return np.concatenate([np.cumsum(part) for part in parts]) if len(values) else values


def _sums(names: np.ndarray, codes: np.ndarray, periods: np.ndarray, columns: dict) -> pd.DataFrame:
    """Each column summed per platform (`names[codes]`) and period, sorted by platform and period."""
    order = np.lexsort((periods, codes))
    codes, periods = codes[order], periods[order]
    firsts = np.flatnonzero(_group_starts(codes) | _group_starts(periods)) if len(codes) else []
    frame = {"period": periods[firsts], "platform": pd.Series(names[codes[firsts]], dtype="str")}
    for name, values in columns.items():
        sums = np.add.reduceat(values[order], firsts) if len(firsts) else values[:0]
        frame[name] = sums.astype("float64")
    return pd.DataFrame(frame)


def _with_gaps(
    frame: pd.DataFrame, granularity: str, columns: list[str] | None = None
) -> pd.DataFrame:
    """Every period between each platform's first and last one, NaN where it has no figure, so
    that a line breaks there instead of joining two distant points (`columns` of `frame`, all
    unless said).

    `frame` is sorted by platform and period, one row per pair: each row's place in the grid is
    computed, not looked up (a reindex per platform cost more than the rest of a series)."""
    columns = list(frame.columns) if columns is None else columns
    if frame.empty:
        return frame[columns].reset_index(drop=True)
    platform = frame["platform"].to_numpy(dtype=object)
    period = frame["period"].to_numpy(dtype="datetime64[ns]")
    opens = _group_starts(platform)
    starts = np.flatnonzero(opens)
    stops = np.append(starts[1:], len(platform)) - 1
    periods = pd.date_range(period.min(), period.max(), freq=FREQUENCY[granularity]).to_numpy()
    firsts = np.searchsorted(periods, period[starts])
    lengths = np.searchsorted(periods, period[stops], side="right") - firsts
    offsets = np.cumsum(lengths) - lengths
    grid = np.arange(lengths.sum()) - np.repeat(offsets - firsts, lengths)
    platform_no = np.cumsum(opens) - 1
    place = offsets[platform_no] + np.searchsorted(periods, period) - firsts[platform_no]
    taken = np.full(len(grid), -1)
    taken[place] = np.arange(len(frame))
    filled = {}
    for column in columns:
        if column == "period":
            filled[column] = periods[grid]
        elif column == "platform":
            filled[column] = frame[column].array.take(np.repeat(starts, lengths))
        else:
            filled[column] = pd.api.extensions.take(frame[column].array, taken, allow_fill=True)
    return pd.DataFrame(filled)
