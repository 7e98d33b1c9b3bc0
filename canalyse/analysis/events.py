"""Events: dated markers the user adds (« Arrêt de X », « Début de la campagne »), and what changed
around one of them — average views before and after, per platform.

The comparison works at the finest grain both windows have: days when the figures are a day
series or posts on both sides, else weeks, else months (a typed month, a month of days), and says
it cannot compare otherwise — a month cannot say which of its days came before the event, and a
side without figures is never a fall to zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from canalyse import queries, store
from canalyse.analysis.trends import GAP_PERIODS, bucket_end
from canalyse.errors import CanalyseError
from canalyse.filters import Filters

# The longest window compared by default on each side of an event: about a quarter.
MAX_PERIODS = {"day": 90, "week": 13, "month": 3}
GRAINS = ("day", "week", "month")
MAX_LABEL_LENGTH = 120
# Where a chart or a title shows an event's label, it is cut after this many characters.
SHOWN_LABEL_LENGTH = 40
# Days without any figure in a row that end a platform's day series: as on the Trends page.
DAY_GAP = GAP_PERIODS["day"]

# Why a platform is or is not in the comparison.
COMPARED = "compared"
OTHER_GRAIN = "other_grain"  # its figures compare only at another grain than the one chosen
SHORT = "short"  # its figures cover both sides, but fewer periods than the window
NOT_COVERED = "not_covered"  # its figures do not cover both sides of the event


# ---- Events: add, list, delete -----------------------------------------------------------------------


def list_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every event, oldest first: event_id, day, label."""
    return con.execute("SELECT event_id, day, label FROM events ORDER BY day, event_id").df()


def add_event(con: duckdb.DuckDBPyConnection, day: date, label: str) -> int:
    """Save an event; returns its id. The label is trimmed; an empty one, or one longer than
    MAX_LABEL_LENGTH, is refused (CanalyseError)."""
    text = " ".join(str(label).split())
    if not text:
        raise CanalyseError("trends.events.error.no_label")
    if len(text) > MAX_LABEL_LENGTH:
        raise CanalyseError("trends.events.error.too_long", max=MAX_LABEL_LENGTH)
    with store.transaction(con):
        return con.execute(
            "INSERT INTO events VALUES (nextval('event_ids'), ?, ?) RETURNING event_id", [day, text]
        ).fetchone()[0]


def short_label(label: object) -> str:
    """An event's label as charts and titles show it: cut with « … » after SHOWN_LABEL_LENGTH."""
    shown = str(label)
    if len(shown) > SHOWN_LABEL_LENGTH:
        shown = shown[: SHOWN_LABEL_LENGTH - 1].rstrip() + "…"
    return shown


def delete_event(con: duckdb.DuckDBPyConnection, event_id: int) -> bool:
    """Remove one event; True if it existed."""
    with store.transaction(con):
        deleted = con.execute(
            "DELETE FROM events WHERE event_id = ? RETURNING event_id", [event_id]
        ).fetchall()
    return bool(deleted)


# ---- Before and after an event ---------------------------------------------------------------------


@dataclass(frozen=True)
class BeforeAfter:
    """Average views per day, week or month (`grain`) over `periods` periods before and after
    `event_day`, per platform, at the finest grain both windows have.

    The event's own day is in neither window; with weeks or months, neither is the week or month
    it falls in, unless the event starts it (a Monday, the 1st): that period then counts after.
    A platform is compared only where its figures cover every period of both windows — a day
    series or posts (a day inside its series counts, a day without a post is 0), or a row for the
    whole week or month — so a missing series never reads as a fall to zero.

    `per_platform`: platform, status (compared, other_grain, short, not_covered), covered (how
    many periods its figures cover on both sides at this grain, at most MAX_PERIODS), finest
    (the finest grain it can be compared at, or None), views_before, views_after (sums over each
    window), avg_before, avg_after, change (after ÷ before − 1, None when before is 0),
    share_before, share_after (of the compared platforms' total). `total_before`/`total_after`
    add up the compared platforms only; `change` is theirs. `grain` is None when no platform can
    be compared at any grain.
    """

    event_day: date
    grain: str | None
    periods: int
    max_periods: int
    total_before: float | None
    total_after: float | None
    change: float | None
    per_platform: pd.DataFrame
    windows: tuple[date, date, date, date] | None

    @property
    def compared(self) -> pd.DataFrame:
        """The platforms in the comparison, largest average before the event first."""
        return self.per_platform[self.per_platform["status"] == COMPARED]


def before_after(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    event_day: date,
    periods: int | None = None,
    grain: str | None = None,
) -> BeforeAfter:
    """Compare average views before and after `event_day` within the shared filters.

    `periods` is the window on each side, in periods of the grain chosen; None takes the longest
    window the most platforms cover, up to MAX_PERIODS. `grain` None takes the finest grain at
    which the most platforms compare.
    """
    views = queries.run(con, "views_by_period", **filters.params())
    return compare_around(views, event_day, periods, grain)


def _buckets(event: pd.Timestamp, grain: str, count: int) -> tuple[list, list]:
    """The `count` periods (first days) right before the event and right after it."""
    if grain == "day":
        before = [event - pd.Timedelta(days=n) for n in range(count, 0, -1)]
        after = [event + pd.Timedelta(days=n) for n in range(1, count + 1)]
        return before, after
    step = pd.DateOffset(weeks=1) if grain == "week" else pd.DateOffset(months=1)
    own = event - pd.Timedelta(days=event.day_of_week) if grain == "week" else event.replace(day=1)
    # An event that starts its week or month (a Monday, the 1st) opens the "after" side.
    first_after = own if own == event else own + step
    before = [own - step * n for n in range(count, 0, -1)]
    after = [first_after + step * n for n in range(count)]
    return before, after


class _Coverage:
    """Which periods one platform's figures cover, and their views.

    Its day rows (an account's day series, posts on their date) form stretches, split where
    DAY_GAP days in a row have no figure: a day inside a stretch is covered (without a post it
    had none of its views), a day outside is not. A longer row (a month) covers the period it
    is exactly, and hides the days it overlaps (the counting rules set those aside).
    """

    def __init__(self, rows: pd.DataFrame) -> None:
        # Plain arrays: a comparison asks about hundreds of periods, and a pandas filter per
        # question cost seconds on three years of days.
        starts = rows["period_start"].to_numpy(dtype="datetime64[ns]")
        ends = rows["period_end"].to_numpy(dtype="datetime64[ns]")
        views = rows["views"].to_numpy(dtype="float64")
        single = starts == ends
        self.day_start, self.day_end, self.day_views = starts[single], ends[single], views[single]
        self.long_start, self.long_end = starts[~single], ends[~single]
        self.long_views = views[~single]
        stamps = pd.Series(np.unique(self.day_start), dtype="datetime64[ns]")
        gaps = stamps.diff().dt.days.fillna(DAY_GAP) >= DAY_GAP
        run = gaps.cumsum()
        # Stretches of the day series: first and last day of each.
        self.stretches = [
            (group.iloc[0], group.iloc[-1]) for _, group in stamps.groupby(run) if len(group)
        ]

    def _by_days(self, first: pd.Timestamp, last: pd.Timestamp) -> bool:
        inside = any(low <= first and last <= high for low, high in self.stretches)
        if not inside:
            return False
        first64, last64 = np.datetime64(first, "ns"), np.datetime64(last, "ns")
        return not ((self.long_start <= last64) & (self.long_end >= first64)).any()

    def covers(self, start: pd.Timestamp, grain: str) -> bool:
        end = bucket_end(start, grain)
        start64, end64 = np.datetime64(start, "ns"), np.datetime64(end, "ns")
        exact = int(((self.long_start == start64) & (self.long_end == end64)).sum())
        others = int(((self.long_start <= end64) & (self.long_end >= start64)).sum())
        if grain != "day" and exact and others == exact:
            return True
        return self._by_days(start, end)

    def views(self, starts: list, grain: str) -> float:
        total = 0.0
        for start in starts:
            start64 = np.datetime64(start, "ns")
            end64 = np.datetime64(bucket_end(start, grain), "ns")
            days = (self.day_start >= start64) & (self.day_end <= end64)
            exact = (self.long_start == start64) & (self.long_end == end64)
            total += float(np.nansum(self.day_views[days])) + float(
                np.nansum(self.long_views[exact])
            )
        return total

    def covered(self, event: pd.Timestamp, grain: str) -> int:
        """How many periods in a row the figures cover on both sides of the event (capped)."""
        cap = MAX_PERIODS[grain]
        before, after = _buckets(event, grain, cap)
        back = next((n for n, b in enumerate(reversed(before)) if not self.covers(b, grain)), cap)
        ahead = next((n for n, a in enumerate(after) if not self.covers(a, grain)), cap)
        return min(back, ahead)


def compare_around(
    views: pd.DataFrame, event_day: date, periods: int | None = None, grain: str | None = None
) -> BeforeAfter:
    """`before_after` on rows shaped like `queries/views_by_period.sql` (platform, period_start,
    period_end, views). `grain` None takes the finest grain at which the most platforms compare."""
    event = pd.Timestamp(event_day)
    frame = views.assign(
        period_start=pd.to_datetime(views["period_start"]),
        period_end=pd.to_datetime(views["period_end"]),
    )
    platforms = sorted(frame["platform"].unique())
    coverage = {p: _Coverage(frame[frame["platform"] == p]) for p in platforms}
    covered = {g: {p: coverage[p].covered(event, g) for p in platforms} for g in GRAINS}
    finest = {p: next((g for g in GRAINS if covered[g][p] > 0), None) for p in platforms}
    if grain is None:
        counts = {g: sum(n > 0 for n in covered[g].values()) for g in GRAINS}
        grain = max(GRAINS, key=lambda g: (counts[g], -GRAINS.index(g)))
        if counts[grain] == 0:
            grain = None
    table = pd.DataFrame({"platform": platforms})
    table["finest"] = table["platform"].map(finest)
    if grain is None:
        return _nothing(event, table.assign(covered=0, status=NOT_COVERED))
    table["covered"] = table["platform"].map(covered[grain]).astype(int)
    max_periods = int(table["covered"].max())
    if periods is None:
        # The window that compares the most: platforms compared × periods, the longer on a tie.
        candidates = range(1, max_periods + 1)
        periods = max(candidates, key=lambda n: ((table["covered"] >= n).sum() * n, n))
    periods = max(int(periods), 1)
    compared = table["covered"] >= periods
    table["status"] = NOT_COVERED
    table.loc[table["finest"].notna() & (table["covered"] == 0), "status"] = OTHER_GRAIN
    table.loc[~compared & (table["covered"] > 0), "status"] = SHORT
    table.loc[compared, "status"] = COMPARED
    before, after = _buckets(event, grain, periods)
    table["views_before"] = [
        coverage[p].views(before, grain) if c else math.nan
        for p, c in zip(table["platform"], compared, strict=True)
    ]
    table["views_after"] = [
        coverage[p].views(after, grain) if c else math.nan
        for p, c in zip(table["platform"], compared, strict=True)
    ]
    table["avg_before"] = table["views_before"] / periods
    table["avg_after"] = table["views_after"] / periods
    table["change"] = table["avg_after"] / table["avg_before"].where(table["avg_before"] > 0) - 1
    total_before = float(table.loc[compared, "avg_before"].sum()) if compared.any() else None
    total_after = float(table.loc[compared, "avg_after"].sum()) if compared.any() else None
    table["share_before"] = table["avg_before"] / total_before if total_before else None
    table["share_after"] = table["avg_after"] / total_after if total_after else None
    change = total_after / total_before - 1 if total_before else None
    order = table.assign(rank=compared.map({True: 0, False: 1}))
    order = order.sort_values(
        ["rank", "avg_before", "platform"], ascending=[True, False, True], kind="stable"
    )
    return BeforeAfter(
        event_day=event.date(),
        grain=grain,
        periods=periods,
        max_periods=max_periods,
        total_before=total_before,
        total_after=total_after,
        change=change,
        per_platform=order.drop(columns="rank").reset_index(drop=True),
        windows=(
            before[0].date(),
            bucket_end(before[-1], grain).date(),
            after[0].date(),
            bucket_end(after[-1], grain).date(),
        ),
    )


def _nothing(event: pd.Timestamp, table: pd.DataFrame) -> BeforeAfter:
    """No platform compares at any grain: say so, never a figure."""
    empty = table.assign(
        views_before=math.nan,
        views_after=math.nan,
        avg_before=math.nan,
        avg_after=math.nan,
        change=math.nan,
        share_before=math.nan,
        share_after=math.nan,
    )
    return BeforeAfter(
        event_day=event.date(),
        grain=None,
        periods=0,
        max_periods=0,
        total_before=None,
        total_after=None,
        change=None,
        per_platform=empty,
        windows=None,
    )
