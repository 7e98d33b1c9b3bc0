"""Return on investment: the loaded cost of a staff hour, and reach per euro and per hour."""

from __future__ import annotations

import duckdb
import pandas as pd

from canalyse import queries, store
from canalyse.analysis.efforts import format_amount, parse_amount
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.platforms import label

# A loaded hourly cost (salary, employer contributions, overheads) for a communication officer in a
# French public body: a sensible starting point that each workspace sets to its own figure.
DEFAULT_HOURLY_COST = 35.0
_HOURLY_COST_KEY = "hourly_cost"


def hourly_cost(con: duckdb.DuckDBPyConnection) -> float:
    """The workspace's default loaded cost of one staff hour, in euros."""
    row = con.execute("SELECT value FROM settings WHERE key = ?", [_HOURLY_COST_KEY]).fetchone()
    return float(row[0]) if row else DEFAULT_HOURLY_COST


def set_hourly_cost(con: duckdb.DuckDBPyConnection, cost: float) -> None:
    """Set the workspace's default loaded hourly cost; a negative one is refused (CanalyseError)."""
    if cost < 0:
        raise CanalyseError("roi.costs.error", value=cost)
    with store.transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO settings VALUES (?, ?)", [_HOURLY_COST_KEY, str(float(cost))]
        )


def platform_costs(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Hourly costs set for single platforms, overriding the default."""
    return dict(con.execute("SELECT platform, cost FROM hourly_costs ORDER BY platform").fetchall())


def set_platform_costs(con: duckdb.DuckDBPyConnection, costs: dict[str, float | None]) -> None:
    """Replace the per-platform hourly costs; a platform given None falls back to the default. A
    negative cost is refused (CanalyseError) and nothing changes."""
    negative = [cost for cost in costs.values() if cost is not None and cost < 0]
    if negative:
        raise CanalyseError("roi.costs.error", value=negative[0])
    with store.transaction(con):
        con.execute("DELETE FROM hourly_costs")
        for platform, cost in costs.items():
            if cost is not None:
                con.execute("INSERT INTO hourly_costs VALUES (?, ?)", [platform, float(cost)])


def roi_table(
    con: duckdb.DuckDBPyConnection, filters: Filters, cost: float | None = None
) -> pd.DataFrame:
    """Per platform: views, effort, costs and every ratio of `canalyse.ratios` (NULL where not
    computable), from one query. `cost` is the default hourly cost; None uses the workspace's."""
    chosen = hourly_cost(con) if cost is None else cost
    return queries.run(con, "roi", **filters.params(), hourly_cost=chosen)


def has_staff_hours(table: pd.DataFrame) -> bool:
    """Whether some platform of a `roi_table` has staff hours: our time can be set beside our reach."""
    return bool(table["share_of_staff_hours"].notna().any())


def has_cost_per_view(table: pd.DataFrame) -> bool:
    """Whether some platform of a `roi_table` has both views and a cost (spend or hours)."""
    return bool(table["cost_per_1000_views"].notna().any())


def costs_frame(con: duckdb.DuckDBPyConnection, lang: str) -> pd.DataFrame:
    """One row per platform in the workspace: its id, display name and its own hourly cost, if
    set, written in the page's language (« 42,5 »: an editor's number column would show 42.50)."""
    platforms = [
        p
        for (p,) in con.execute(
            "SELECT DISTINCT platform FROM figures UNION SELECT platform FROM hourly_costs ORDER BY 1"
        ).fetchall()
    ]
    own = platform_costs(con)
    return pd.DataFrame(
        {
            "id": platforms,
            "platform": [label(p) for p in platforms],
            "cost": [format_amount(own.get(p), lang, 2) for p in platforms],
        }
    )


def parse_cost(text: object, lang: str) -> float | None:
    """An hourly cost typed in the page's language (« 35,50 », « 35,50 € »); blank → None.
    Anything else, or a negative amount, is refused (CanalyseError naming what was typed)."""
    try:
        amount = parse_amount(text, lang)
    except ValueError as exc:
        raise CanalyseError("roi.costs.error", value=text) from exc
    if amount is not None and amount < 0:
        raise CanalyseError("roi.costs.error", value=text)
    return None if amount is None else float(amount)


def costs_from_frame(edited: pd.DataFrame, lang: str) -> dict[str, float | None]:
    """The per-platform hourly costs from the edited `costs_frame` (blank: use the default).
    A cost that cannot be read is refused (CanalyseError naming what was typed)."""
    return {
        platform: parse_cost(None if pd.isna(cost) else cost, lang)
        for platform, cost in zip(edited["id"], edited["cost"], strict=True)
    }
