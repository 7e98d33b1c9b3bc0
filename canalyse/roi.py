"""Return on investment: the loaded cost of a staff hour, and reach per euro and per hour."""

from __future__ import annotations

import duckdb
import pandas as pd

from canalyse import queries
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
    """Set the workspace's default loaded hourly cost."""
    if cost < 0:
        raise ValueError("an hourly cost cannot be negative")
    con.execute(
        "INSERT OR REPLACE INTO settings VALUES (?, ?)", [_HOURLY_COST_KEY, str(float(cost))]
    )


def platform_costs(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Hourly costs set for single platforms, overriding the default."""
    return dict(con.execute("SELECT platform, cost FROM hourly_costs ORDER BY platform").fetchall())


def set_platform_costs(con: duckdb.DuckDBPyConnection, costs: dict[str, float | None]) -> None:
    """Replace the per-platform hourly costs; a platform given None falls back to the default."""
    if any(cost is not None and cost < 0 for cost in costs.values()):
        raise ValueError("an hourly cost cannot be negative")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM hourly_costs")
        for platform, cost in costs.items():
            if cost is not None:
                con.execute("INSERT INTO hourly_costs VALUES (?, ?)", [platform, float(cost)])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


# Each ratio is its own query file; roi_table puts them side by side.
RATIO_QUERIES = (
    "share_of_staff_hours",
    "ad_cost_per_view",
    "cost_per_view",
    "views_per_staff_hour",
    "engagement_rate",
    "views_per_follower",
)


def roi_table(
    con: duckdb.DuckDBPyConnection, filters: Filters, cost: float | None = None
) -> pd.DataFrame:
    """Per platform: views, effort, costs, share of views and every ratio (NULL where not computable).

    `cost` is the default hourly cost to apply; None uses the workspace's setting.
    """
    chosen = hourly_cost(con) if cost is None else cost
    params = {**filters.params(), "hourly_cost": chosen}
    table = queries.run(con, "effort_by_platform", **params)
    shares = queries.run(con, "share_of_views", **filters.params())
    table = table.merge(shares[["platform", "share_of_views"]], on="platform", how="left")
    for name in RATIO_QUERIES:
        table = table.merge(queries.run(con, name, **params), on="platform", how="left")
    return table


def costs_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per platform in the workspace: its id, display name and its own hourly cost, if set."""
    platforms = [
        p
        for (p,) in con.execute(
            "SELECT DISTINCT platform FROM facts UNION SELECT platform FROM hourly_costs ORDER BY 1"
        ).fetchall()
    ]
    own = platform_costs(con)
    return pd.DataFrame(
        {
            "id": platforms,
            "platform": [label(p) for p in platforms],
            "cost": [own.get(p) for p in platforms],
        }
    )


def costs_from_frame(edited: pd.DataFrame) -> dict[str, float | None]:
    """The per-platform hourly costs from the edited `costs_frame` (blank: use the default)."""
    return {
        platform: None if pd.isna(cost) else float(cost)
        for platform, cost in zip(edited["id"], edited["cost"], strict=True)
    }
