"""Counting each figure once: the rules that decide which figures a total adds up, and the tables
they fill after every write.

The rules apply to each network *and account* separately (an account left blank in a file is an
account of its own, never a wildcard), and to each metric separately (a daily export of views does
not set aside the staff hours typed for the same month). The README's « Counting each figure once »
gives the same rules with worked examples.

0. **The same figure twice.** A figure is identified by its key (`fact_key`: network, account,
   grain, post or content, day or period, and for a hand-made row its campaign). For each key and
   each metric, the most recent import that gives it a value wins.
1. **Days.** An account's day series (one figure per day for the whole account) always counts,
   unless a kept period holds that day (rule 3).
2. **Content days.** A per-content day series (YouTube « Chart data ») counts on the days the
   account's own day series does not give that metric. *Example:* YouTube Totals gives 1 000 views
   on 3 March and Chart data 600 + 300 for two videos that day: 1 000 is counted, 900 set aside.
3. **Periods.** A dated period figure (a typed month, a campaign from 1 to 15 March) gives way to
   the account's day series only when those days cover *every* day of the period for that metric.
   Otherwise the period is kept and the days and posts inside it are set aside: they are already in
   it. *Example:* November typed at 9 000 views, a daily export holding 28–30 November (3 800) and
   a post on 5 November (500): the month is kept, 9 000 is counted, 3 800 and 500 are set aside.
   With a daily export of all 30 days instead, the days are counted and the month set aside.
   A period inside a longer kept period is set aside too; two periods over the same days are both
   counted when each is a part (one per campaign, one per video), except that an account-level
   figure wins over per-content figures of the same period.
4. **Posts.** A post counts on its publish day, unless the account's day series (rule 1) or a
   per-content day series (rule 2) gives that metric that day, or a kept period holds that day.
   *Example:* a legacy X daily export and the per-tweet export of the same month: the days count,
   the tweets are set aside. A post without a publish day (Meta writes such rows when it cannot
   compute a post's details) is set aside when its account has a day series of that metric: its
   views are in one of those days, which already count them; otherwise it counts.
5. **Undated summaries** (a campaign table without dates) cannot be compared with anything and
   are counted as they are; importing the same summary twice is caught at import time.

`rebuild` recomputes the counted figures of the (network, account) pairs a write touched, inside
that write's transaction, into three tables the pages read instead of recomputing the rules:
`figures` (counted), `figures_set_aside` (set aside, with the reason) and `figure_sources` (which
imports the counted figures came from). Rule 0 is kept in `facts_current` for the keys that
several imports give; every other raw figure is its own current value, so importing new figures
writes nothing there. The SQL is generated from the metric registry (`canalyse.metrics`):
identifiers only, never text from a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import duckdb
import pandas as pd

from canalyse.metrics import METRICS
from canalyse.store import keys
from canalyse.store.transaction import registered

# Why a figure was set aside (catalog keys `counting.reason.<reason>`).
REASONS = ("days_cover_period", "inside_period", "account_days", "content_days")
# Inside the recount a figure's fate is a small number: 0 counted, else 1 + its reason's index.
_CODE = {reason: number + 1 for number, reason in enumerate(REASONS)}
# What kind of row a figure is (catalog keys `origin.<kind>`).
KINDS = ("day", "content_day", "post", "period", "undated")

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
assert all(_IDENTIFIER.match(name) for name in METRICS), "metric names are SQL identifiers"


def _each(template: str, names: Iterable[str] | None = None, sep: str = ",\n    ") -> str:
    """`template` once per metric ({m} is the metric name), joined: the per-metric SQL blocks."""
    return sep.join(template.format(m=name) for name in (names or METRICS))


# The imports whose values a figure only one import gives brings: that import, if it has any.
_SOURCES_OF_ONE = (
    "CASE WHEN "
    + " OR ".join(f"f.{name} IS NOT NULL" for name in METRICS)
    + " THEN [f.source_id] ELSE [] END AS sources"
)


def _flows() -> list[str]:
    return [name for name, metric in METRICS.items() if metric.aggregation == "sum"]


def _levels() -> list[str]:
    return [name for name, metric in METRICS.items() if metric.aggregation == "last"]


def metric_columns_ddl(indent: str = "    ") -> str:
    """The metric columns of a figures table, in registry order, with their storage types."""
    return f",\n{indent}".join(f"{name} {metric.sql_type}" for name, metric in METRICS.items())


# ---- The macros every query uses (stored in the workspace, refreshed when their text changes) -----

# A NULL parameter means "no filter". A dated figure counts when it lies entirely inside the
# period; an undated summary only when no period is asked for. A campaign is the figures' tag or
# a saved date range; '' asks for the figures of no campaign.
#
# One branch per kind of campaign choice, joined by UNION ALL: the choice is a constant of the
# query, so DuckDB drops the two branches it rules out before running it, and the subqueries over
# the saved ranges cost nothing when no campaign is chosen (a filtered sum at 10M figures: 49 →
# 17 ms). Written as one OR, they were planned and joined to every figure all the same.
# A saved range is matched inside EXISTS: compared with two scalar subqueries' values, DuckDB 2.0
# narrowed a sorted sum from the statistics it guessed and failed past 127 rows (« INT8 »).
_DATES = """(p_start IS NULL OR f.period_start >= p_start)
    AND (p_end IS NULL OR f.period_end <= p_end)"""
# A figure's sources are shown when their dates meet the period (rather than lie inside it).
_DATES_MET = """(p_start IS NULL OR f.period_end >= p_start)
    AND (p_end IS NULL OR f.period_start <= p_end)
    AND (f.period_start IS NOT NULL OR (p_start IS NULL AND p_end IS NULL))"""
_WHO = """(p_platforms IS NULL OR list_contains(p_platforms, f.platform))
    AND (p_accounts IS NULL OR list_contains(p_accounts, f.account))"""
_NO_CAMPAIGN = """f.campaign = '' AND NOT EXISTS (
        SELECT 1 FROM campaign_ranges AS r
        WHERE f.period_start >= r.range_start AND f.period_end <= r.range_end)"""


def _named_campaign(inside: str) -> str:
    """Figures tagged with the campaign, or whose dates meet `inside` against its saved range
    (r.s: the range's first day, r.e: its last)."""
    return f"""(f.campaign = p_campaign OR EXISTS (
        SELECT 1
        FROM (SELECT min(range_start) AS s, max(range_end) AS e
              FROM campaign_ranges WHERE name = p_campaign) AS r
        WHERE {inside}))"""


_NAMED_CAMPAIGN = _named_campaign("f.period_start >= r.s AND f.period_end <= r.e")
# A source is listed for a campaign when its dates meet the range.
_NAMED_CAMPAIGN_MET = _named_campaign("f.period_end >= r.s AND f.period_start <= r.e")


def _filtered(
    table: str, dates: str = _DATES, no_campaign: str = _NO_CAMPAIGN, named: str = _NAMED_CAMPAIGN
) -> str:
    """The rows of `table` (as f) that the macro's filter parameters select."""
    shared = f"{dates}\n    AND {_WHO}"
    return f"""SELECT * FROM {table} AS f
WHERE p_campaign IS NULL AND {shared}
UNION ALL
SELECT * FROM {table} AS f
WHERE p_campaign = '' AND {shared}
    AND {no_campaign}
UNION ALL
SELECT * FROM {table} AS f
WHERE p_campaign <> '' AND {shared}
    AND {named}"""


def macros_sql() -> str:
    """The temporary macros the query files build on, generated from the metric registry."""
    level_totals = _each("sum(l.{m}) AS {m}", _levels())
    platform_columns = ",\n    ".join(
        f"{'lv' if metric.aggregation == 'last' else 'fl'}.{name}"
        for name, metric in METRICS.items()
    )
    return f"""
{keys.FACT_KEY_MACRO}

CREATE OR REPLACE MACRO filtered_figures(p_start, p_end, p_platforms, p_campaign, p_accounts) AS TABLE
{_filtered("figures")};

CREATE OR REPLACE MACRO filtered_set_aside(p_start, p_end, p_platforms, p_campaign, p_accounts) AS TABLE
{_filtered("figures_set_aside")};

CREATE OR REPLACE MACRO filtered_sources(p_start, p_end, p_platforms, p_campaign, p_accounts) AS TABLE
{_filtered("figure_sources", _DATES_MET, "f.campaign = ''", _NAMED_CAMPAIGN_MET)};

-- Per platform, every metric over the selection: flows are summed; a level (followers) is each
-- account's latest known value, added up over the platform's accounts.
CREATE OR REPLACE MACRO platform_figures(p_start, p_end, p_platforms, p_campaign, p_accounts) AS TABLE
WITH f AS (
    SELECT * FROM filtered_figures(p_start, p_end, p_platforms, p_campaign, p_accounts)
),
fl AS (
    SELECT platform,
        sum(rows) AS rows,
        min(period_start) AS date_min,
        max(period_end) AS date_max,
        {_each("sum({m}) AS {m}", _flows())}
    FROM f
    GROUP BY platform
),
latest AS (
    SELECT platform, account,
        {_each("arg_max({m}, coalesce(period_end, DATE '1970-01-01')) FILTER (WHERE {m} IS NOT NULL) AS {m}", _levels())}
    FROM f
    GROUP BY platform, account
),
lv AS (
    SELECT l.platform, {level_totals} FROM latest AS l GROUP BY l.platform
)
SELECT fl.platform, fl.rows, fl.date_min, fl.date_max,
    {platform_columns}
FROM fl LEFT JOIN lv USING (platform);

-- Per platform, what it reached and what it cost: the base of every return-on-investment ratio.
-- engagements: the platform's own total, else reactions + comments + shares + saves.
-- staff_cost: hours × the platform's own loaded hourly cost, else p_hourly_cost.
-- all_in_cost: ad spend + staff cost; has_cost: whether spend or hours are known at all.
CREATE OR REPLACE MACRO platform_effort(p_start, p_end, p_platforms, p_campaign, p_accounts, p_hourly_cost) AS TABLE
WITH fallback AS (
    SELECT platform,
        sum(coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0))
            FILTER (WHERE coalesce(reactions, comments, shares, saves) IS NOT NULL) AS interactions
    FROM filtered_figures(p_start, p_end, p_platforms, p_campaign, p_accounts)
    GROUP BY platform
),
p AS (
    SELECT t.* REPLACE (coalesce(t.engagements, b.interactions) AS engagements,
                        CAST(t.spend AS DOUBLE) AS spend)
    FROM platform_figures(p_start, p_end, p_platforms, p_campaign, p_accounts) AS t
    LEFT JOIN fallback AS b USING (platform)
)
SELECT
    p.*,
    p.staff_hours * coalesce(c.cost, p_hourly_cost) AS staff_cost,
    coalesce(p.spend, 0) + coalesce(p.staff_hours * coalesce(c.cost, p_hourly_cost), 0) AS all_in_cost,
    p.spend IS NOT NULL OR p.staff_hours IS NOT NULL AS has_cost
FROM p
LEFT JOIN hourly_costs AS c USING (platform);
"""


# ---- The tables the rules fill ---------------------------------------------------------------------


def tables_sql(metrics: Iterable[str] | None = None) -> str:
    """CREATE TABLE statements of the counted-figures tables for the given metric names (the
    migration that creates them freezes its list; later metrics are added by later migrations)."""
    names = list(metrics) if metrics is not None else list(METRICS)
    columns = ",\n    ".join(f"{name} {METRICS[name].sql_type}" for name in names)
    shape = """
    platform     VARCHAR NOT NULL,
    account      VARCHAR NOT NULL,
    campaign     VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    period_start DATE,
    period_end   DATE,"""
    return f"""
-- The current value of the figures that several imports give (rule 0): for each such key and
-- metric, the most recent import's, with the imports whose values won (`sources`). A key only one
-- import gives is its own current value and needs no row here. Maintained key by key.
CREATE TABLE facts_current (
    fact_key     VARCHAR NOT NULL,
    platform     VARCHAR NOT NULL,
    account      VARCHAR NOT NULL,
    grain        VARCHAR NOT NULL,
    period_start DATE,
    period_end   DATE,
    item_key     VARCHAR,
    campaign     VARCHAR NOT NULL,
    sources      INTEGER[] NOT NULL,
    {columns}
);
-- Counted figures, rolled up per network, account, campaign, kind of row and day or period.
CREATE TABLE figures ({shape}
    rows         BIGINT NOT NULL,
    {columns}
);
-- Figures set aside by the counting rules, with the reason (`canalyse.store.counting.REASONS`).
CREATE TABLE figures_set_aside ({shape}
    reason       VARCHAR NOT NULL,
    rows         BIGINT NOT NULL,
    {columns}
);
-- Which imports the counted figures came from, over which days.
CREATE TABLE figure_sources ({shape}
    source_id    INTEGER NOT NULL,
    rows         BIGINT NOT NULL
);
"""


@functools.lru_cache(maxsize=256)
def _rebuild_statements(metrics: tuple[str, ...], dated_periods: bool = True) -> tuple[str, ...]:
    """The statements recounting the pairs in `_touched`, written for `metrics` only: the metrics
    some raw figure of those pairs gives (the others are NULL throughout, so are their counted
    and set-aside values). DuckDB plans each statement anew, and planning grows with the metrics
    named: a file giving 5 metrics of the 18 plans a third as much.

    Without `dated_periods` (no figure of those pairs covers dated days as a period: exports of
    days and posts, undated summaries), rule 3 has nothing to look at: the periods, their state
    and the days inside them are neither computed nor joined (a quarter of a small recount)."""
    kept_value = {
        name: ("max" if metric.aggregation == "last" else "sum") for name, metric in METRICS.items()
    }
    counted = ",\n    ".join(
        f"{kept_value[m]}({m}) FILTER (WHERE why_{m} = 0) AS {m}" for m in metrics
    )
    set_aside = ",\n    ".join(
        f"{kept_value[m]}({m}) FILTER (WHERE why_{m} = r.code) AS {m}" for m in metrics
    )
    grouped = ",\n    ".join(f"{kept_value[m]}({m}) AS {m}" for m in metrics)
    reason_names = "[" + ", ".join(f"'{reason}'" for reason in REASONS) + "]"
    code = {reason: str(number) for reason, number in _CODE.items()}
    # An undated period (the only kind without `dated_periods`) is counted as it is (rule 5).
    fate = (
        "CASE WHEN f.{m} IS NULL THEN NULL "
        + (
            "WHEN f.grain = 'period' THEN coalesce(p.why_{m}, 0) "
            f"WHEN coalesce(i.in_{{m}}, false) THEN {code['inside_period']} "
            if dated_periods
            else "WHEN f.grain = 'period' THEN 0 "
        )
        + "WHEN f.grain = 'day' AND NOT f.has_item THEN 0 "
        f"WHEN coalesce(d.a_{{m}}, false) THEN {code['account_days']} "
        f"WHEN f.grain = 'post' AND coalesce(d.c_{{m}}, false) THEN {code['content_days']} "
        f"WHEN f.grain = 'post' AND coalesce(s.a_{{m}}, false) THEN {code['account_days']} "
        "ELSE 0 END::UTINYINT AS why_{m}"
    )
    period_fate = (
        "CASE WHEN NOT any_value(g.has_{m}) THEN NULL "
        f"WHEN any_value(g.covered_{{m}}) THEN {code['days_cover_period']} "
        "WHEN coalesce(bool_or(h.has_{m} AND NOT h.covered_{m}), false) "
        f"THEN {code['inside_period']} ELSE 0 END::UTINYINT AS why_{{m}}"
    )
    before = (
        # The figures of the pairs touched are recomputed from scratch.
        "DELETE FROM figures USING _touched AS t "
        "WHERE figures.platform = t.platform AND figures.account = t.account",
        "DELETE FROM figures_set_aside USING _touched AS t "
        "WHERE figures_set_aside.platform = t.platform AND figures_set_aside.account = t.account",
        "DELETE FROM figure_sources USING _touched AS t "
        "WHERE figure_sources.platform = t.platform AND figure_sources.account = t.account",
        # The current figures of the pairs touched (rule 0): the keys several imports give, from
        # `facts_current`; every other figure as its one import gives it.
        f"""
CREATE OR REPLACE TEMP VIEW _cur AS
WITH shared AS (
    SELECT c.*
    FROM facts_current AS c
    SEMI JOIN _touched AS t ON c.platform = t.platform AND c.account = t.account
)
SELECT * FROM shared
UNION ALL BY NAME
SELECT f.fact_key, f.platform, f.account, f.grain, f.period_start, f.period_end, f.item_key,
    f.campaign, {_SOURCES_OF_ONE},
    {_each("f.{m}", metrics)}
FROM facts AS f
SEMI JOIN _touched AS t ON f.platform = t.platform AND f.account = t.account
ANTI JOIN shared AS c ON c.fact_key = f.fact_key""",
        # Which metrics each day has from the account's day series (a_) and from content days (c_).
        f"""
CREATE OR REPLACE TEMP TABLE _days AS
SELECT platform, account, period_start AS day,
    {_each("coalesce(bool_or({m} IS NOT NULL) FILTER (WHERE item_key IS NULL), false) AS a_{m}", metrics)},
    {_each("coalesce(bool_or({m} IS NOT NULL) FILTER (WHERE item_key IS NOT NULL), false) AS c_{m}", metrics)}
FROM _cur
WHERE grain = 'day'
GROUP BY platform, account, period_start""",
        # Whether the account has a day series of each metric at all (rule 4, posts without a day).
        f"""
CREATE OR REPLACE TEMP TABLE _series AS
SELECT platform, account, {_each("bool_or(a_{m}) AS a_{m}", metrics)}
FROM _days
GROUP BY platform, account""",
    )
    # Rule 3's periods, their state and the days they hold.
    rule_3 = (
        # Rule 3: each dated period (all the rows of one account over the same days, account-level
        # or per content), and whether the account's day series covers every one of its days.
        f"""
CREATE OR REPLACE TEMP TABLE _periods AS
WITH groups AS (
    SELECT platform, account, period_start, period_end, item_key IS NOT NULL AS per_item,
        {_each("bool_or({m} IS NOT NULL) AS has_{m}", metrics)}
    FROM _cur
    WHERE grain = 'period' AND period_start IS NOT NULL
    GROUP BY platform, account, period_start, period_end, per_item
),
coverage AS (
    SELECT g.platform, g.account, g.period_start, g.period_end,
        {_each("count(d.day) FILTER (WHERE d.a_{m}) AS days_{m}", metrics)}
    FROM (SELECT DISTINCT platform, account, period_start, period_end FROM groups) AS g
    LEFT JOIN _days AS d
      ON d.platform = g.platform AND d.account = g.account
     AND d.day BETWEEN g.period_start AND g.period_end
    GROUP BY g.platform, g.account, g.period_start, g.period_end
)
SELECT g.*,
    {_each("c.days_{m} = date_diff('day', g.period_start, g.period_end) + 1 AS covered_{m}", metrics)}
FROM groups AS g
JOIN coverage AS c USING (platform, account, period_start, period_end)""",
        f"""
CREATE OR REPLACE TEMP TABLE _period_state AS
SELECT g.platform, g.account, g.period_start, g.period_end, g.per_item,
    {_each(period_fate, metrics)}
FROM _periods AS g
LEFT JOIN _periods AS h
  ON h.platform = g.platform AND h.account = g.account
 AND h.period_start <= g.period_start AND h.period_end >= g.period_end
 AND (h.period_start <> g.period_start OR h.period_end <> g.period_end
      OR (NOT h.per_item AND g.per_item))
GROUP BY g.platform, g.account, g.period_start, g.period_end, g.per_item""",
        # The days held by a kept period, per metric.
        f"""
CREATE OR REPLACE TEMP TABLE _inside AS
SELECT platform, account, day,
    {_each("bool_or(in_{m}) AS in_{m}", metrics)}
FROM (
    SELECT platform, account,
        CAST(unnest(generate_series(period_start, period_end, INTERVAL 1 DAY)) AS DATE) AS day,
        {_each("has_{m} AND NOT covered_{m} AS in_{m}", metrics)}
    FROM _periods
    WHERE {_each("(has_{m} AND NOT covered_{m})", metrics, sep=" OR ")}
)
GROUP BY platform, account, day""",
    )
    period_joins = (
        """LEFT JOIN _period_state AS p
  ON f.grain = 'period' AND p.platform = f.platform AND p.account = f.account
 AND p.period_start = f.period_start AND p.period_end = f.period_end
 AND p.per_item = f.has_item
LEFT JOIN _inside AS i
  ON f.grain <> 'period' AND i.platform = f.platform AND i.account = f.account
 AND i.day = f.period_start
"""
        if dated_periods
        else ""
    )
    after = (
        # Figures that share everything their fate depends on (pair, campaign, days, grain, per
        # item or not, imports, which metrics they give) share it: they are counted together.
        f"""
CREATE OR REPLACE TEMP TABLE _grouped AS
SELECT platform, account, campaign, sources, period_start, period_end, grain,
    item_key IS NOT NULL AS has_item,
    count(*) AS n,
    {grouped}
FROM _cur
GROUP BY platform, account, campaign, sources, period_start, period_end, grain, has_item,
    {_each("{m} IS NULL", metrics, sep=", ")}""",
        # Rules 1, 2 and 4: each figure's fate, per metric (why_: 0 counted, else the reason's
        # code; NULL where the figure has no value for that metric).
        f"""
CREATE OR REPLACE TEMP TABLE _state AS
SELECT *,
    {_each("why_{m} = 0", metrics, sep=" OR ")} IS TRUE AS any_counted,
    {_each("why_{m} > 0", metrics, sep=" OR ")} IS TRUE AS any_set_aside
FROM (
SELECT
    f.platform, f.account, f.campaign, f.sources, f.period_start, f.period_end, f.n,
    CASE
        WHEN f.grain = 'day' AND f.has_item THEN 'content_day'
        WHEN f.grain = 'period' AND f.period_start IS NULL THEN 'undated'
        ELSE f.grain
    END AS kind,
    {_each("f.{m}", metrics)},
    {_each(fate, metrics)}
FROM _grouped AS f
{period_joins}LEFT JOIN _days AS d
  ON f.grain <> 'period' AND d.platform = f.platform AND d.account = f.account
 AND d.day = f.period_start
LEFT JOIN _series AS s
  ON f.grain = 'post' AND f.period_start IS NULL
 AND s.platform = f.platform AND s.account = f.account
)""",
        f"""
INSERT INTO figures BY NAME
SELECT platform, account, campaign, kind, period_start, period_end,
    sum(n) AS rows,
    {counted}
FROM _state
WHERE any_counted
GROUP BY ALL""",
        f"""
INSERT INTO figures_set_aside BY NAME
SELECT platform, account, campaign, kind, period_start, period_end,
    {reason_names}[r.code] AS reason,
    sum(n) AS rows,
    {set_aside}
FROM (SELECT * FROM _state WHERE any_set_aside) AS f, range(1, {len(REASONS) + 1}) AS r(code)
WHERE {_each("why_{m} = r.code", metrics, sep=" OR ")}
GROUP BY ALL""",
        """
INSERT INTO figure_sources BY NAME
SELECT source_id, platform, account, campaign, kind,
    min(period_start) AS period_start, max(period_end) AS period_end, sum(n) AS rows
FROM (
    SELECT unnest(sources) AS source_id, platform, account, campaign, kind, period_start,
        period_end, n
    FROM _state
    WHERE any_counted
)
GROUP BY ALL""",
    )
    drops = tuple(
        f"DROP {kind} {name}"
        for kind, name in (
            ("VIEW", "_cur"),
            ("TABLE", "_days"),
            ("TABLE", "_series"),
            *(
                (("TABLE", "_periods"), ("TABLE", "_period_state"), ("TABLE", "_inside"))
                if dated_periods
                else ()
            ),
            ("TABLE", "_grouped"),
            ("TABLE", "_state"),
        )
    )
    return before + (rule_3 if dated_periods else ()) + after + drops


# Which metrics the raw figures of the pairs in `_touched` give (the current figures of those
# pairs are made of them), and whether any of them is a dated period.
_GIVEN = f"""
SELECT {_each("bool_or(f.{m} IS NOT NULL)", sep=", ")},
    coalesce(bool_or(f.grain = 'period' AND f.period_start IS NOT NULL), false)
FROM facts AS f
SEMI JOIN _touched AS t ON f.platform = t.platform AND f.account = t.account"""


def _current_select(where: str) -> str:
    """Rule 0 over the raw facts selected by `where`: one row per key that several imports give,
    each metric the most recent import's value, and the imports whose values won."""
    return f"""
SELECT
    f.fact_key,
    any_value(f.platform) AS platform,
    any_value(f.account) AS account,
    any_value(f.grain) AS grain,
    arg_max(f.period_start, f.source_id) AS period_start,
    arg_max(f.period_end, f.source_id) AS period_end,
    arg_max(f.item_key, f.source_id) AS item_key,
    arg_max(f.campaign, f.source_id) AS campaign,
    list_distinct(list_value(
        {_each("max(f.source_id) FILTER (WHERE f.{m} IS NOT NULL)", sep=", ")})) AS sources,
    {_each("arg_max(f.{m}, f.source_id) FILTER (WHERE f.{m} IS NOT NULL) AS {m}")}
FROM facts AS f
WHERE {where}
GROUP BY f.fact_key
HAVING count(*) > 1"""


def recompute_current(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the current value of the keys listed in the temporary table `_keys(fact_key)`
    from the raw facts (a key left with one raw fact, or none, needs no row)."""
    con.execute(
        "DELETE FROM facts_current USING _keys AS k WHERE facts_current.fact_key = k.fact_key"
    )
    con.execute(
        "INSERT INTO facts_current BY NAME "
        + _current_select("f.fact_key IN (SELECT fact_key FROM _keys)")
    )


def keys_of(con: duckdb.DuckDBPyConnection, source_ids: list[int]) -> None:
    """List the keys of these imports' facts in the temporary table `_keys`."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _keys AS "
        "SELECT DISTINCT fact_key FROM facts WHERE list_contains($ids, source_id)",
        {"ids": [int(i) for i in source_ids]},
    )


def add_current(con: duckdb.DuckDBPyConnection, source_id: int) -> None:
    """Bring the current figures up to date after one import: only its keys that other figures
    give too (an earlier import's, or another table of the same file) are recomputed; a key seen
    once is its own current value (the common case, which costs nothing here)."""
    shared = con.execute(
        """
        WITH pairs AS (SELECT DISTINCT platform, account FROM facts WHERE source_id = $source_id)
        SELECT EXISTS (
            SELECT 1 FROM facts AS f SEMI JOIN pairs AS p
              ON f.platform = p.platform AND f.account = p.account
            WHERE f.source_id <> $source_id
        ) OR (SELECT count(DISTINCT table_no) > 1 FROM facts WHERE source_id = $source_id)
        """,
        {"source_id": source_id},
    ).fetchall()[0][0]
    if not shared:
        return
    # A key starts with its network and account: only the pairs this import touches can share one.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _keys AS
        WITH new AS (SELECT fact_key, platform, account FROM facts WHERE source_id = $source_id),
        pairs AS (SELECT DISTINCT platform, account FROM new)
        SELECT f.fact_key
        FROM facts AS f
        SEMI JOIN pairs AS p ON f.platform = p.platform AND f.account = p.account
        SEMI JOIN new AS n ON n.fact_key = f.fact_key
        GROUP BY f.fact_key
        HAVING count(*) > 1
        """,
        {"source_id": source_id},
    )
    recompute_current(con)
    con.execute("DROP TABLE _keys")


def rebuild_current(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every current figure from the raw facts (an upgrade, a full recount)."""
    con.execute("DELETE FROM facts_current")
    con.execute("INSERT INTO facts_current BY NAME " + _current_select("true"))


def partitions_of(con: duckdb.DuckDBPyConnection, source_ids: Iterable[int]) -> pd.DataFrame:
    """The (platform, account) pairs holding figures of these imports."""
    ids = [int(source_id) for source_id in source_ids]
    return con.execute(
        "SELECT DISTINCT platform, account FROM facts WHERE list_contains($ids, source_id)",
        {"ids": ids},
    ).df()


def all_partitions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every (platform, account) pair with raw figures or counted ones (to clear what went away)."""
    return con.execute(
        "SELECT platform, account FROM facts UNION "
        "SELECT platform, account FROM figures UNION "
        "SELECT platform, account FROM figures_set_aside"
    ).df()


def rebuild(con: duckdb.DuckDBPyConnection, partitions: pd.DataFrame) -> None:
    """Recompute the counted and set-aside figures of these (platform, account) pairs.

    Call it inside the transaction of the write that changed them, so that a reader never sees
    raw figures and counted figures that disagree.
    """
    if partitions.empty:
        return
    with registered(con, "_touched_in", partitions[["platform", "account"]]):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _touched AS "
            "SELECT DISTINCT platform, account FROM _touched_in"
        )
    *given, dated_periods = con.execute(_GIVEN).fetchall()[0]
    metrics = tuple(name for name, any_value in zip(METRICS, given, strict=True) if any_value)
    # Pairs left without figures: everything is recounted (to nothing).
    for statement in _rebuild_statements(metrics or tuple(METRICS), dated_periods):
        con.execute(statement)
    con.execute("DROP TABLE _touched")
