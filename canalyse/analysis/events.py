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
        # Plain arrays, every question about a window asked for all its periods at once: a
        # comparison asks about hundreds of periods, and a pandas filter per question cost
        # seconds on three years of days (one numpy test per period, a tenth of a second).
        starts = rows["period_start"].to_numpy(dtype="datetime64[ns]")
        ends = rows["period_end"].to_numpy(dtype="datetime64[ns]")
        views = rows["views"].to_numpy(dtype="float64")
        single = starts == ends
        # Day rows in date order: the days of a period are then one slice of them.
        order = np.argsort(starts[single], kind="stable")
        self.day_start = starts[single][order]
        # Views with NaN as 0, once: `np.nansum` is that sum, at a cost per call.
        self.day_views = np.nan_to_num(views[single][order])
        self.long_start, self.long_end = starts[~single], ends[~single]
        self.long_views = np.nan_to_num(views[~single])
        stamps = pd.Series(np.unique(self.day_start), dtype="datetime64[ns]")
        gaps = stamps.diff().dt.days.fillna(DAY_GAP) >= DAY_GAP
        # Stretches of the day series: first and last day of each.
        firsts = gaps.to_numpy()
        lasts = np.append(firsts[1:], True) if len(firsts) else firsts
        self.stretch_first = stamps.to_numpy()[firsts]
        self.stretch_last = stamps.to_numpy()[lasts]

    def _long_rows(self, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per period: which longer rows are exactly it, and how many overlap it."""
        exact = (self.long_start == first[:, None]) & (self.long_end == last[:, None])
        overlapping = (self.long_start <= last[:, None]) & (self.long_end >= first[:, None])
        return exact, overlapping.sum(axis=1)

    def covers(self, first: np.ndarray, last: np.ndarray, grain: str) -> np.ndarray:
        """Per period (its first and last days): whether the figures cover it. A longer row that
        is exactly the period covers it (weeks, months); else the period must lie inside a
        stretch of days, with no longer row overlapping it."""
        exact, overlapping = self._long_rows(first, last)
        inside = (
            (self.stretch_first <= first[:, None]) & (last[:, None] <= self.stretch_last)
        ).any(axis=1)
        by_days = inside & (overlapping == 0)
        if grain == "day":
            return by_days
        exactly = exact.sum(axis=1)
        return ((exactly > 0) & (overlapping == exactly)) | by_days

    def views(self, first: np.ndarray, last: np.ndarray) -> float:
        """The views of these periods (first and last days), added up period by period."""
        exact, _ = self._long_rows(first, last)
        low = np.searchsorted(self.day_start, first, side="left")
        high = np.searchsorted(self.day_start, last, side="right")
        total = 0.0
        for n in range(len(first)):
            total += float(self.day_views[low[n] : high[n]].sum()) + float(
                self.long_views[exact[n]].sum()
            )
        return total

    def covered(self, before: tuple, after: tuple, grain: str) -> int:
        """How many periods in a row the figures cover on both sides of an event (capped):
        `before` lists the periods before it from the nearest, `after` those after it."""
        return min(_first_gap(self.covers(*before, grain)), _first_gap(self.covers(*after, grain)))


def _periods(starts: list, grain: str) -> tuple[np.ndarray, np.ndarray]:
    """The first and last day of each period (day, week or month) starting on `starts`:
    `trends.bucket_end` on numpy arrays (its pandas month offset cost a millisecond a call)."""
    first = np.array(starts, dtype="datetime64[ns]")
    if grain == "day":
        return first, first
    if grain == "week":
        return first, first + np.timedelta64(6, "D")
    month_after = (first.astype("datetime64[M]") + 1).astype("datetime64[D]")
    return first, (month_after - np.timedelta64(1, "D")).astype("datetime64[ns]")


def _first_gap(covered: np.ndarray) -> int:
    """How many periods in a row are covered from the first one on."""
    gaps = np.flatnonzero(~covered)
    return int(gaps[0]) if len(gaps) else len(covered)


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
    # Each grain's longest window, nearest periods first.
    sides = {}
    for g in GRAINS:
        before, after = _buckets(event, g, MAX_PERIODS[g])
        sides[g] = (_periods(before[::-1], g), _periods(after, g))
    covered = {g: {p: coverage[p].covered(*sides[g], g) for p in platforms} for g in GRAINS}
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
        counts = table["covered"].to_numpy()
        periods = max(candidates, key=lambda n: (int((counts >= n).sum()) * n, n))
    periods = max(int(periods), 1)
    compared = table["covered"] >= periods
    table["status"] = NOT_COVERED
    table.loc[table["finest"].notna() & (table["covered"] == 0), "status"] = OTHER_GRAIN
    table.loc[~compared & (table["covered"] > 0), "status"] = SHORT
    table.loc[compared, "status"] = COMPARED
    before, after = _buckets(event, grain, periods)
    table["views_before"] = [
        coverage[p].views(*_periods(before, grain)) if c else math.nan
        for p, c in zip(table["platform"], compared, strict=True)
    ]
    table["views_after"] = [
        coverage[p].views(*_periods(after, grain)) if c else math.nan
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
