"""Events: dated markers the user adds (« Arrêt de X », « Début de la campagne »), and what changed
around one of them — average daily views before and after, per platform.

Only day-grain figures (account day series and posts on their publish date) give a daily average:
a month cannot say which of its days came before the event. The event day itself belongs to
neither window, since the event may have happened at any hour of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from canalyse import queries, store
from canalyse.filters import Filters

# The longest window compared by default on each side of an event: a quarter.
MAX_DEFAULT_DAYS = 90
MAX_LABEL_LENGTH = 120

# Why a platform is or is not in the comparison.
COMPARED = "compared"
MONTHS_ONLY = "months_only"
NOT_COVERED = "not_covered"


# ---- Events: add, list, delete -----------------------------------------------------------------------


def list_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every event, oldest first: event_id, day, label."""
    return con.execute("SELECT event_id, day, label FROM events ORDER BY day, event_id").df()


def add_event(con: duckdb.DuckDBPyConnection, day: date, label: str) -> int:
    """Save an event; returns its id. The label is trimmed and must not be empty."""
    text = " ".join(str(label).split())
    if not text:
        raise ValueError("an event needs a label")
    if len(text) > MAX_LABEL_LENGTH:
        raise ValueError(f"an event label is at most {MAX_LABEL_LENGTH} characters")
    with store.transaction(con):
        return con.execute(
            "INSERT INTO events VALUES (nextval('event_ids'), ?, ?) RETURNING event_id", [day, text]
        ).fetchone()[0]


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
    """Average daily views on `days` days before and `days` days after `event_day` (excluded).

    `per_platform`: platform, status (compared, months_only, not_covered), covered_days (how many
    days the platform's day figures cover on both sides, at most `max_days`), views_before,
    views_after (sums over each window), avg_before, avg_after, change (after ÷ before − 1, None
    when before is 0), share_before, share_after (of the compared platforms' total).
    `total_before`/`total_after` add up the compared platforms only; `change` is theirs.
    `max_days` is the largest equal window the data covers on both sides (capped at 90).
    """

    event_day: date
    days: int
    max_days: int
    total_before: float | None
    total_after: float | None
    change: float | None
    per_platform: pd.DataFrame

    @property
    def compared(self) -> pd.DataFrame:
        """The platforms in the comparison, largest daily average before the event first."""
        return self.per_platform[self.per_platform["status"] == COMPARED]

    @property
    def windows(self) -> tuple[date, date, date, date]:
        """First and last day before, first and last day after."""
        return (
            self.event_day - timedelta(days=self.days),
            self.event_day - timedelta(days=1),
            self.event_day + timedelta(days=1),
            self.event_day + timedelta(days=self.days),
        )


def before_after(
    con: duckdb.DuckDBPyConnection, filters: Filters, event_day: date, days: int | None = None
) -> BeforeAfter:
    """Compare average daily views before and after `event_day` within the shared filters.

    `days` is the window on each side; None takes the largest the data covers, up to 90 days.
    """
    views = queries.run(con, "views_by_period", **filters.params())
    return compare_around(views, event_day, days)


def compare_around(views: pd.DataFrame, event_day: date, days: int | None = None) -> BeforeAfter:
    """`before_after` on rows shaped like `queries/views_by_period.sql` (platform, period_start,
    period_end, views)."""
    event = pd.Timestamp(event_day)
    frame = views.assign(
        period_start=pd.to_datetime(views["period_start"]),
        period_end=pd.to_datetime(views["period_end"]),
    )
    single_day = frame["period_start"] == frame["period_end"]
    day_rows = frame[single_day]
    coverage = day_rows.groupby("platform").agg(
        first_day=("period_start", "min"), last_day=("period_end", "max")
    )
    # Days covered on both sides: the shorter of the two, never negative.
    both_sides = pd.concat(
        [(event - coverage["first_day"]).dt.days, (coverage["last_day"] - event).dt.days], axis=1
    ).min(axis=1)
    both_sides = both_sides.clip(lower=0).clip(upper=MAX_DEFAULT_DAYS)
    max_days = int(both_sides.max()) if not both_sides.empty else 0
    window = max_days if days is None else max(int(days), 1)

    before = day_rows[
        (day_rows["period_start"] >= event - pd.Timedelta(days=window))
        & (day_rows["period_start"] < event)
    ]
    after = day_rows[
        (day_rows["period_start"] > event)
        & (day_rows["period_start"] <= event + pd.Timedelta(days=window))
    ]
    platforms = sorted(frame["platform"].unique())
    table = pd.DataFrame({"platform": platforms})
    table["covered_days"] = table["platform"].map(both_sides).fillna(0).astype(int)
    table["views_before"] = table["platform"].map(before.groupby("platform")["views"].sum())
    table["views_after"] = table["platform"].map(after.groupby("platform")["views"].sum())

    # Longer rows (months) that overlap the compared span: the platform's figures there exist but
    # cannot be split into days.
    longer = frame[
        ~single_day
        & (frame["period_end"] >= event - pd.Timedelta(days=window))
        & (frame["period_start"] <= event + pd.Timedelta(days=window))
    ]
    covered = (window > 0) & (table["covered_days"] >= window)
    table["status"] = NOT_COVERED
    table.loc[table["platform"].isin(longer["platform"]) & ~covered, "status"] = MONTHS_ONLY
    table.loc[covered, "status"] = COMPARED
    compared = table["status"] == COMPARED
    # Within a covered window, a day without any post or row had no views: it counts as 0.
    table.loc[compared, ["views_before", "views_after"]] = table.loc[
        compared, ["views_before", "views_after"]
    ].fillna(0.0)
    table["avg_before"] = (table["views_before"] / window).where(compared)
    table["avg_after"] = (table["views_after"] / window).where(compared)
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
        days=window,
        max_days=max_days,
        total_before=total_before,
        total_after=total_after,
        change=change,
        per_platform=order.drop(columns="rank").reset_index(drop=True),
    )
