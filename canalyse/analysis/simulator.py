"""What if: leaving a network, or moving staff hours from one network to others.

The simulator is linear: each hour moved to a platform brings as many views as one of its hours did
over the observed period (`decision.rates_table`), within the range its months showed. Figures it
cannot know are NULL, never 0: a platform that publishes no views has no views to lose that
anyone measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from canalyse.errors import CanalyseError
from canalyse.platforms import label


class Range(NamedTuple):
    """A projected number of views: the central figure and the low–high range around it."""

    central: float
    low: float
    high: float


@dataclass(frozen=True)
class DropResult:
    """What leaving a platform would change over the period observed."""

    platform: str
    views_lost: float
    share_of_views_lost: float
    hours_freed: float
    share_of_hours_freed: float
    cost_freed: float


@dataclass(frozen=True)
class MoveResult:
    """Moving staff hours every month from one platform to others: views lost, gained and the net."""

    source: str
    hours: float
    rows: pd.DataFrame
    lost: Range
    gained: Range
    net: Range


def simulate_drop(roi: pd.DataFrame, platform: str) -> DropResult:
    """Leaving `platform`: its views over the period are lost, its hours, ad spend and staff cost freed.

    Figures are NULL (never 0) when unknown: a platform that publishes no views has no views to lose
    that anyone measured.
    """
    rows = roi[roi["platform"] == platform]
    if rows.empty:
        raise CanalyseError("decision.error.no_figures", platform=label(platform))
    row = rows.iloc[0]
    spend, staff = row["spend"], row["staff_cost"]
    cost = math.nan if pd.isna(spend) and pd.isna(staff) else _zero(spend) + _zero(staff)
    return DropResult(
        platform=platform,
        views_lost=float(row["views"]),
        share_of_views_lost=float(row["share_of_views"]),
        hours_freed=float(row["staff_hours"]),
        share_of_hours_freed=float(row["share_of_staff_hours"]),
        cost_freed=cost,
    )


def receivers(rates: pd.DataFrame, source: str | None = None) -> list[str]:
    """Platforms that can receive hours: those with views per staff hour (other than `source`)."""
    eligible = rates[rates["views_per_staff_hour"].notna() & (rates["platform"] != source)]
    return eligible["platform"].tolist()


def hour_choices(ceiling: float | None, step: float = 0.5, fallback: float = 40.0) -> list[float]:
    """The hours a month the simulator offers to move: half hours up to the source's monthly
    hours (`ceiling`), or up to `fallback` when they are unknown."""
    top = fallback if ceiling is None or ceiling < step else ceiling
    return [step * n for n in range(1, int(top / step + 1e-9) + 1)]


def default_hours(choices: list[float], wanted: float = 5.0) -> float:
    """Five hours a month, or the most the source has when it has fewer."""
    return min(choices, key=lambda hours: abs(hours - wanted))


def simulate_move(
    rates: pd.DataFrame, source: str, hours: float, split: dict[str, float]
) -> MoveResult:
    """Move `hours` a month from `source` to the platforms of `split` ({platform: percent}, summing to 100).

    Linear: each hour brings as many views as one of the platform's hours did over the period
    (`rates_table`), within its low–high range. Views per month. The source's loss is unknown (NULL)
    when it publishes no views. Refuses (CanalyseError) no hours, no destination, a split that does
    not add up to 100 %, a destination without views per hour, or the source among the
    destinations.
    Returns `rows` (platform, hours, views, low, high: changes per month, negative for the source).
    """
    if hours <= 0:
        raise CanalyseError("decision.error.no_hours_moved")
    if not split:
        raise CanalyseError("decision.move.choose")
    if any(share < 0 for share in split.values()):
        raise CanalyseError("decision.error.negative_share")
    if abs(sum(split.values()) - 100) > 0.01:
        raise CanalyseError("decision.move.split_total", total=sum(split.values()))
    if source in split:
        raise CanalyseError("decision.error.source_receives", platform=label(source))
    unable = sorted(set(split) - set(receivers(rates)))
    if unable:
        platforms = ", ".join(label(p) for p in unable)
        raise CanalyseError("decision.move.cannot_receive", platforms=platforms)
    moved = pd.DataFrame(
        {
            "platform": [source, *split],
            "hours": [-float(hours), *(hours * share / 100 for share in split.values())],
        }
    )
    rate = rates.set_index("platform")
    per_hour = moved["platform"].map(rate["views_per_staff_hour"])
    moved["views"] = moved["hours"] * per_hour
    # Fewer hours at a high rate is the low end of a loss: the ends swap for the source.
    at_low = moved["hours"] * moved["platform"].map(rate["low"])
    at_high = moved["hours"] * moved["platform"].map(rate["high"])
    moved["low"] = pd.concat([at_low, at_high], axis=1).min(axis=1, skipna=False)
    moved["high"] = pd.concat([at_low, at_high], axis=1).max(axis=1, skipna=False)
    source_row = moved.iloc[0]
    gains = moved.iloc[1:]
    lost = Range(-float(source_row["views"]), -float(source_row["high"]), -float(source_row["low"]))
    gained = Range(
        float(gains["views"].sum()), float(gains["low"].sum()), float(gains["high"].sum())
    )
    net = Range(gained.central - lost.central, gained.low - lost.high, gained.high - lost.low)
    return MoveResult(
        source=source, hours=float(hours), rows=moved, lost=lost, gained=gained, net=net
    )


def rounded_figures(result: MoveResult) -> tuple[Range, Range, Range]:
    """Views lost, gained and the net, rounded so that what is shown adds up: lost and gained to
    two significant figures of the smaller of the two, every end of their ranges to the same step,
    and the net computed from those rounded figures (never rounded on its own)."""
    step = move_step(result)
    lost = rounded_range(result.lost, step)
    gained = rounded_range(result.gained, step)
    net = Range(gained.central - lost.central, gained.low - lost.high, gained.high - lost.low)
    return lost, gained, net


def move_step(result: MoveResult) -> float:
    """Two significant figures of the smaller of the views lost and gained."""
    centrals = [abs(v) for v in (result.lost.central, result.gained.central) if pd.notna(v) and v]
    return _step(min(centrals)) if centrals else 1.0


def rounded_range(value: Range, step: float | None = None) -> Range:
    """A projection rounded to `step` (default: two significant figures of its central figure)."""
    if pd.isna(value.central):
        return value
    step = step or _step(abs(value.central))
    return Range(*(_round_to(v, step) for v in value))


def _step(magnitude: float) -> float:
    """The rounding step that keeps two significant figures of `magnitude` (at least 1)."""
    if magnitude <= 0 or not math.isfinite(magnitude):
        return 1.0
    return max(10.0 ** (int(math.floor(math.log10(magnitude))) - 1), 1.0)


def _round_to(x: float, step: float) -> float:
    if pd.isna(x):
        return x
    # Half away from zero, as people round (Python's round() would give 22 000 for 22 500).
    return math.copysign(math.floor(abs(x) / step + 0.5) * step, x) + 0.0


def _zero(value: object) -> float:
    return 0.0 if pd.isna(value) else float(value)
