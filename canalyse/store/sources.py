"""Imports and their figures: add, delete, re-tag, list, and figures repeated under another key.

Every write here is one transaction that also recounts the figures of the (network, account)
pairs it touched (`counting.rebuild`), so the pages never see half of a change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd

from canalyse.errors import CanalyseError
from canalyse.metrics import METRIC_NAMES, METRICS
from canalyse.store import counting
from canalyse.store.activity import current_actor, record
from canalyse.store.transaction import transaction

# What an importer gives for each figure line (its key is computed here, by the `fact_key` macro).
INPUT_COLUMNS = (
    "platform",
    "account",
    "grain",
    "period_start",
    "period_end",
    "item_key",
    "title",
    "campaign",
    "key_campaign",
    "key_extra",
    *METRIC_NAMES,
)
FACT_COLUMNS = (
    "source_id",
    "table_no",
    *INPUT_COLUMNS[:8],
    "fact_key",
    *METRIC_NAMES,
    *INPUT_COLUMNS[8:10],
)
# Where an import came from: a file, hours and spend typed in the app, the bundled example, or
# public posts read from a network's API.
SOURCE_KINDS = ("file", "typed", "example", "fetch")
# Past imports this share of whose rows the new file repeats (and at least this many) are named.
_REPEAT_SHARE = 0.5


def find_source_by_hash(con: duckdb.DuckDBPyConnection, content_hash: str) -> dict | None:
    """The earlier import of a file with this content, if any."""
    row = con.execute(
        "SELECT source_id, file_name, imported_at FROM sources WHERE content_hash = ?",
        [content_hash],
    ).fetchone()
    if row is None:
        return None
    return {"source_id": row[0], "file_name": row[1], "imported_at": row[2]}


@dataclass
class FactsQuery:
    """Figure lines an importer leaves to DuckDB (a big file read where it lies): `sql` is a SELECT
    giving the INPUT_COLUMNS, with named `params`; `relations` are small tables it joins (parsed
    dates, numbers), readable under their names while it runs; `platforms` the networks it gives;
    `memory` the bytes DuckDB may hold while it runs (`IMPORT_MEMORY` when not said)."""

    sql: str
    params: dict = field(default_factory=dict)
    relations: dict[str, object] = field(default_factory=dict)
    platforms: list[str] = field(default_factory=list)
    memory: int | None = None


Facts = pd.DataFrame | FactsQuery


def _incoming(frame: pd.DataFrame) -> pd.DataFrame:
    incoming = frame.reindex(columns=list(INPUT_COLUMNS))
    for column in ("platform", "grain", "item_key", "title"):
        incoming[column] = incoming[column].astype(object).where(incoming[column].notna(), None)
    incoming["account"] = incoming["account"].astype(object).fillna("")
    incoming["campaign"] = incoming["campaign"].astype(object).fillna("")
    incoming["key_campaign"] = incoming["key_campaign"].astype(object).fillna(False).astype(bool)
    incoming["key_extra"] = incoming["key_extra"].astype(object).fillna("").astype(str)
    # DuckDB reads a column of `datetime.date` objects one value at a time; datetime64 at once.
    for column in ("period_start", "period_end"):
        incoming[column] = pd.to_datetime(incoming[column])
    return incoming


def add_source(
    con: duckdb.DuckDBPyConnection,
    *,
    file_name: str,
    content_hash: str,
    campaign: str | None,
    tables: list[dict],
    facts: list[Facts],
    kind: str = "file",
    replace: list[int] | None = None,
    accounts: dict[str, str] | None = None,
    check: Callable[[int], list[int]] | None = None,
) -> int:
    """Store one import's tables and facts in a single transaction; returns the new source id.

    `tables[i]` describes the table whose facts are `facts[i]` (keys: table_name, layout,
    platform, grain; its rows and dates are counted from the facts). `replace` lists earlier
    imports removed in the same transaction (the example, an import read again). `accounts`
    names, per network, the account of the new figures that name none. `check(source_id)` is
    called with the new figures in place and nothing recounted yet: it returns more imports to
    remove (figures the file repeats), or raises to undo everything. If anything fails, nothing
    changes.
    """
    if kind not in SOURCE_KINDS:
        raise ValueError(f"unknown source kind {kind!r}")
    with transaction(con):
        touched = [counting.partitions_of(con, replace or [])]
        _delete(con, replace or [])
        source_id = con.execute("SELECT nextval('source_ids')").fetchall()[0][0]
        for table_no, frame in enumerate(facts):
            _insert_facts(con, source_id, table_no, frame, accounts or {})
        counts = con.execute(
            "SELECT table_no, count(*), min(period_start), max(period_end), "
            "list(DISTINCT platform ORDER BY platform) "
            "FROM facts WHERE source_id = ? GROUP BY table_no",
            [source_id],
        ).fetchall()
        found = {row[0]: row[1:] for row in counts}
        for table_no, table in enumerate(tables):
            rows, date_min, date_max, _ = found.get(table_no, (0, None, None, []))
            con.execute(
                "INSERT INTO source_tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    source_id,
                    table_no,
                    table["table_name"],
                    table["layout"],
                    table["platform"],
                    table["grain"],
                    rows,
                    date_min,
                    date_max,
                ],
            )
        platforms = sorted({p for row in counts for p in row[4]})
        layouts = dict.fromkeys(t["layout"] for t in tables)
        con.execute(
            "INSERT INTO sources BY NAME SELECT ? AS source_id, ? AS file_name, ? AS content_hash, "
            "? AS platform, ? AS layout, ? AS campaign, ? AS imported_at, ? AS rows, "
            "? AS date_min, ? AS date_max, ? AS kind, ? AS platforms, ? AS imported_by",
            [
                source_id,
                file_name,
                content_hash,
                platforms[0] if len(platforms) == 1 else None,
                ", ".join(layouts),
                campaign,
                datetime.now().replace(microsecond=0),
                sum(row[1] for row in counts),
                min((row[2] for row in counts if row[2] is not None), default=None),
                max((row[3] for row in counts if row[3] is not None), default=None),
                kind,
                platforms,
                current_actor(),
            ],
        )
        counting.add_current(con, source_id)
        if check is not None:
            repeated = [i for i in check(source_id) if i != source_id]
            touched.append(counting.partitions_of(con, repeated))
            _delete(con, repeated)
        refresh_campaigns(con, [source_id])
        touched.append(counting.partitions_of(con, [source_id]))
        counting.rebuild(con, pd.concat(touched, ignore_index=True))
    return source_id


def _insert_facts(
    con: duckdb.DuckDBPyConnection,
    source_id: int,
    table_no: int,
    facts: Facts,
    accounts: dict[str, str],
) -> None:
    """Add one table's figure lines, keyed, naming the account of lines that name none."""
    named = [(platform, account) for platform, account in accounts.items() if account]
    params: dict = {"source_id": source_id, "table_no": table_no}
    account = "account"
    if named:
        cases = " ".join(
            f"WHEN account = '' AND platform = $blank_platform_{n} THEN $blank_account_{n}"
            for n in range(len(named))
        )
        account = f"CASE {cases} ELSE account END"
        for n, (platform, name) in enumerate(named):
            params[f"blank_platform_{n}"] = platform
            params[f"blank_account_{n}"] = name
    with incoming(con, facts) as (source, source_params):
        # The query is the importer's, built from identifiers; every value is a named parameter.
        statement = f"""
            INSERT INTO facts BY NAME
            SELECT *, $source_id AS source_id, $table_no AS table_no,
                fact_key(platform, account, grain, item_key, period_start, period_end,
                         key_campaign, campaign, key_extra) AS fact_key
            FROM (SELECT * REPLACE ({account} AS account) FROM {source})
        """  # noqa: S608
        con.execute(statement, used_params(statement, {**params, **source_params}))


@contextmanager
def incoming(con: duckdb.DuckDBPyConnection, facts: Facts) -> Iterator[tuple[str, dict]]:
    """One table's figure lines as DuckDB can select them until the block ends: the relation to
    select from and the named parameters it uses (the tables it joins registered, and for a big
    file read where it lies, DuckDB's memory set for reading it)."""
    if isinstance(facts, FactsQuery):
        relations, source, params = facts.relations, f"({facts.sql})", facts.params
        reading = reading_a_file(con, facts.memory or IMPORT_MEMORY)
    else:
        relations, source, params = {"incoming_facts": _incoming(facts)}, "incoming_facts", {}
        reading = nullcontext()
    for name, relation in relations.items():
        con.register(name, relation)
    try:
        with reading:
            yield source, params
    finally:
        for name in relations:
            try:
                con.unregister(name)
            except duckdb.TransactionException:
                pass  # a failed statement aborted the transaction; the next register replaces it


IMPORT_MEMORY = 384 * 1024**2
"""Bytes DuckDB may hold while it reads a big file into the workspace (left alone, its buffers
would keep up to 80 % of the machine's memory): what does not fit spills to its temporary folder."""


@contextmanager
def reading_a_file(
    con: duckdb.DuckDBPyConnection, memory: int | None = IMPORT_MEMORY
) -> Iterator[None]:
    """DuckDB set up to read a big file: `memory` bytes at most (None: its default), and the
    small tables a query joins as the side it hashes (misjudging the file's size, it would
    otherwise hash the whole file, in memory and out of order). The settings are put back
    afterwards."""
    previous = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    con.execute("RESET memory_limit")
    default = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    if memory is not None:
        con.execute(f"SET memory_limit = '{int(memory)}B'")
    con.execute("SET disabled_optimizers = 'build_side_probe_side'")
    try:
        yield
    finally:
        try:
            con.execute("RESET disabled_optimizers")
            if previous == default:
                con.execute("RESET memory_limit")
            else:
                con.execute(f"SET memory_limit = '{previous}'")
        except duckdb.TransactionException:
            pass  # the failed statement aborted the transaction; the next import sets them again


def used_params(sql: str, params: dict) -> dict:
    """The named parameters `sql` uses (DuckDB refuses any other)."""
    return {name: value for name, value in params.items() if re.search(rf"\${name}\b", sql)}


def table_figures(con: duckdb.DuckDBPyConnection, source_id: int) -> list[dict]:
    """Per table of one import: its figure lines, first and last day, networks, and the total of
    each metric it gives (a level such as followers: its latest value)."""
    totals = []
    for name, metric in METRICS.items():
        if metric.aggregation == "last":
            # The value on the latest day; among lines of that day, the last one in the file.
            order = "row(period_end IS NOT NULL, coalesce(period_end, DATE '0001-01-01'), rowid)"
            totals.append(f"arg_max({name}, {order}) FILTER (WHERE {name} IS NOT NULL)")
        else:
            totals.append(f"fsum({name})")
    rows = con.execute(
        f"""
        SELECT table_no, count(*), min(period_start), max(period_end),
            list(DISTINCT platform ORDER BY platform), {", ".join(totals)}
        FROM facts WHERE source_id = ? GROUP BY table_no ORDER BY table_no
        """,  # noqa: S608 — column names come from the metric registry
        [source_id],
    ).fetchall()
    found = {}
    for table_no, count, first, last, platforms, *values in rows:
        found[table_no] = {
            "rows": count,
            "date_min": first,
            "date_max": last,
            "platforms": platforms,
            "totals": {
                name: float(value)
                for name, value in zip(METRICS, values, strict=True)
                if value is not None and not (isinstance(value, float) and math.isnan(value))
            },
        }
    return [found[table_no] for table_no in sorted(found)]


def _delete(con: duckdb.DuckDBPyConnection, source_ids: list[int]) -> None:
    """Remove these imports and their facts, and recompute the current value of their keys (the
    caller recounts the pairs they touched)."""
    if not source_ids:
        return
    params = {"ids": source_ids}
    counting.keys_of(con, source_ids)
    con.execute("DELETE FROM facts WHERE list_contains($ids, source_id)", params)
    counting.recompute_current(con)
    con.execute("DELETE FROM source_tables WHERE list_contains($ids, source_id)", params)
    con.execute("DELETE FROM sources WHERE list_contains($ids, source_id)", params)
    con.execute("DROP TABLE _keys")


def delete_source(con: duckdb.DuckDBPyConnection, source_id: int) -> bool:
    """Remove one import and its facts; figures it had replaced come back. True if it existed."""
    return delete_sources(con, [source_id]) == 1


def delete_sources(con: duckdb.DuckDBPyConnection, source_ids: list[int]) -> int:
    """Remove several imports in one transaction; returns how many existed."""
    ids = [int(source_id) for source_id in source_ids]
    with transaction(con):
        names = con.execute(
            "SELECT source_id, file_name FROM sources WHERE list_contains(?, source_id) "
            "ORDER BY source_id",
            [ids],
        ).fetchall()
        touched = counting.partitions_of(con, ids)
        _delete(con, ids)
        counting.rebuild(con, touched)
        for source_id, file_name in names:
            record(con, "delete", f"#{source_id} {file_name}")
    return len(names)


def retag_source(con: duckdb.DuckDBPyConnection, source_id: int, campaign: str | None) -> int:
    """Put every figure of one import in `campaign` (None or blank clears the tag), in one
    transaction; returns the number of figure lines retagged.

    A hand-made row is identified by its campaign too (so that another campaign's summary adds
    rather than replaces): its key follows the new name, as if it had been imported with it.
    """
    name = (campaign or "").strip()
    with transaction(con):
        found = con.execute(
            "SELECT count(*) FROM sources WHERE source_id = ?", [source_id]
        ).fetchone()[0]
        if not found:
            raise CanalyseError("campaigns.error.no_source", source_id=source_id)
        retagged = con.execute(
            "SELECT count(*) FROM facts WHERE source_id = ?", [source_id]
        ).fetchone()[0]
        touched = counting.partitions_of(con, [source_id])
        counting.keys_of(con, [source_id])
        con.execute(
            "UPDATE facts SET campaign = $name, fact_key = fact_key(platform, account, grain, "
            "item_key, period_start, period_end, key_campaign, $name, key_extra) "
            "WHERE source_id = $source_id",
            {"name": name, "source_id": source_id},
        )
        # The old keys lose this import's rows, its new keys gain them.
        con.execute(
            "INSERT INTO _keys SELECT DISTINCT fact_key FROM facts WHERE source_id = ?",
            [source_id],
        )
        counting.recompute_current(con)
        con.execute("DROP TABLE _keys")
        con.execute(
            "UPDATE sources SET campaign = ? WHERE source_id = ?", [name or None, source_id]
        )
        refresh_campaigns(con, [source_id])
        counting.rebuild(con, touched)
    return int(retagged)


def refresh_campaigns(con: duckdb.DuckDBPyConnection, source_ids: list[int] | None) -> None:
    """Note on each import (all of them when `source_ids` is None) the campaigns its figures carry,
    so that listing imports never reads every figure."""
    con.execute(
        "UPDATE sources AS s SET campaigns = coalesce(("
        "SELECT list(DISTINCT f.campaign ORDER BY f.campaign) FROM facts AS f "
        "WHERE f.source_id = s.source_id AND f.campaign <> ''), []) "
        "WHERE $ids IS NULL OR list_contains($ids, s.source_id)",
        {"ids": None if source_ids is None else [int(i) for i in source_ids]},
    )


def list_sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import, most recent first, with the platforms its figures cover."""
    return con.execute(
        "SELECT source_id, file_name, kind, platform, layout, campaign, imported_at, imported_by, "
        "rows, date_min, date_max, platforms FROM sources ORDER BY source_id DESC"
    ).df()


def sources_of_kind(con: duckdb.DuckDBPyConnection, kind: str) -> list[int]:
    """The ids of the imports of one kind (`SOURCE_KINDS`), oldest first."""
    return [
        row[0]
        for row in con.execute(
            "SELECT source_id FROM sources WHERE kind = ? ORDER BY source_id", [kind]
        ).fetchall()
    ]


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when nothing has been imported yet."""
    return con.execute("SELECT count(*) FROM sources").fetchone()[0] == 0


def repeated_figures(con: duckdb.DuckDBPyConnection, source_id: int) -> pd.DataFrame:
    """Earlier imports whose figures the import `source_id` (its facts stored, not yet recounted)
    repeats under another key.

    A campaign summary saved both as `.xlsx` and `.csv`, or a re-export keyed differently, brings
    the same network, account, grain, dates and values again: adding it would count them twice.
    Returns one row per earlier import repeated by at least half of the new rows: source_id,
    file_name, imported_at, repeated (new rows found there), rows (new rows in all). Rows whose
    figures are all zero or missing prove nothing and are not compared.
    """
    columns = ["source_id", "file_name", "imported_at", "repeated", "rows"]
    rows, others = con.execute(
        """
        WITH kinds AS (
            SELECT DISTINCT platform, account, grain FROM facts WHERE source_id = $source_id
        )
        SELECT (SELECT count(*) FROM facts WHERE source_id = $source_id),
            EXISTS (SELECT 1 FROM facts AS f SEMI JOIN kinds AS k
                      ON f.platform = k.platform AND f.account = k.account AND f.grain = k.grain
                    WHERE f.source_id <> $source_id)
        """,
        {"source_id": source_id},
    ).fetchall()[0]
    if not rows or not others:
        return pd.DataFrame(columns=columns)
    same_values = " AND ".join(
        f"CAST(f.{m} AS DOUBLE) IS NOT DISTINCT FROM CAST(n.{m} AS DOUBLE)" for m in METRIC_NAMES
    )
    meaningful = " OR ".join(f"coalesce(n.{m}, 0) <> 0" for m in METRIC_NAMES)
    found = con.execute(
        f"""
        WITH n AS (
            SELECT * FROM facts AS n WHERE source_id = $source_id AND ({meaningful})
        ),
        matches AS (
            SELECT f.source_id, count(DISTINCT n.fact_key) AS repeated
            FROM n
            JOIN facts AS f
              ON f.platform = n.platform AND f.account = n.account AND f.grain = n.grain
             AND f.period_start IS NOT DISTINCT FROM n.period_start
             AND f.period_end IS NOT DISTINCT FROM n.period_end
             AND {same_values}
             AND f.fact_key <> n.fact_key
            WHERE f.source_id <> $source_id
            GROUP BY f.source_id
        )
        SELECT s.source_id, s.file_name, s.imported_at, m.repeated, $rows AS rows
        FROM matches AS m JOIN sources AS s USING (source_id)
        WHERE s.kind <> 'example' AND m.repeated >= $least
        ORDER BY m.repeated DESC, s.source_id DESC
        """,  # noqa: S608 — column names come from the metric registry
        {"source_id": source_id, "rows": rows, "least": max(1, int(rows * _REPEAT_SHARE + 0.5))},
    ).df()
    return found.reindex(columns=columns)


def attribute_account(
    con: duckdb.DuckDBPyConnection, platform: str, account: str, source_ids: list[int]
) -> int:
    """Give the figures without an account of one network, in these imports, the account
    `account` (the user said they are that account's); returns how many figure lines changed."""
    ids = [int(source_id) for source_id in source_ids]
    with transaction(con):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _keys AS SELECT DISTINCT fact_key FROM facts "
            "WHERE platform = $platform AND account = '' AND list_contains($ids, source_id)",
            {"platform": platform, "ids": ids},
        )
        changed = con.execute(
            "UPDATE facts SET account = $account, fact_key = fact_key(platform, $account, grain, "
            "item_key, period_start, period_end, key_campaign, campaign, key_extra) "
            "WHERE platform = $platform AND account = '' AND list_contains($ids, source_id) "
            "RETURNING source_id",
            {"account": account, "platform": platform, "ids": ids},
        ).fetchall()
        con.execute(
            "INSERT INTO _keys SELECT DISTINCT fact_key FROM facts "
            "WHERE platform = $platform AND account = $account AND list_contains($ids, source_id)",
            {"platform": platform, "account": account, "ids": ids},
        )
        counting.recompute_current(con)
        con.execute("DROP TABLE _keys")
        touched = pd.DataFrame({"platform": [platform, platform], "account": ["", account]})
        counting.rebuild(con, touched)
    return len(changed)


# Whether `account_overlaps` can find anything: a network where the import's dated figures and
# the workspace's counted or set-aside ones differ in leaving the account blank.
_MAY_OVERLAP = """
SELECT EXISTS (
    SELECT 1
    FROM (SELECT DISTINCT platform, account = '' AS blank FROM facts
          WHERE source_id = $source_id AND period_start IS NOT NULL) AS n
    JOIN (SELECT DISTINCT platform, account = '' AS blank FROM figures
          WHERE period_start IS NOT NULL
          UNION
          SELECT DISTINCT platform, account = '' AS blank FROM figures_set_aside
          WHERE period_start IS NOT NULL) AS w
      ON n.platform = w.platform AND n.blank <> w.blank
)"""


def account_overlaps(con: duckdb.DuckDBPyConnection, source_id: int) -> pd.DataFrame:
    """Where the figures of the import `source_id` (stored, not yet recounted) and the workspace's
    counted ones meet on one network with an account on one side only.

    A file without account names (an X overview, a typed month) and a file naming the account
    (« rennes », « Ville de Rennes ») over the same days and metrics may well be the same account,
    or two: nobody can tell but the user. Returns one row per network and named account: platform,
    named_account, blank_side ('new': the new figures have no account; 'workspace': earlier ones
    have none), sources (the earlier imports concerned).
    """
    columns = ["platform", "named_account", "blank_side", "sources"]
    if not con.execute(_MAY_OVERLAP, {"source_id": source_id}).fetchall()[0][0]:
        # No network where one side names accounts and the other leaves them blank (a first
        # import, most imports): nothing to ask, without planning the full comparison.
        return pd.DataFrame(columns=columns)
    has = ", ".join(f"bool_or({m} IS NOT NULL) AS has_{m}" for m in METRIC_NAMES)
    shared = " OR ".join(f"(n.has_{m} AND w.has_{m})" for m in METRIC_NAMES)
    found = con.execute(
        f"""
        WITH n AS (
            SELECT platform, account, min(period_start) AS first, max(period_end) AS last, {has}
            FROM facts WHERE source_id = $source_id AND period_start IS NOT NULL
            GROUP BY platform, account
        ),
        w AS (
            SELECT platform, account, min(period_start) AS first, max(period_end) AS last, {has}
            FROM (SELECT * EXCLUDE (reason) FROM figures_set_aside
                  UNION ALL BY NAME SELECT * FROM figures)
            WHERE period_start IS NOT NULL
            GROUP BY platform, account
        ),
        pairs AS (
            SELECT n.platform,
                CASE WHEN n.account = '' THEN w.account ELSE n.account END AS named_account,
                CASE WHEN n.account = '' THEN 'new' ELSE 'workspace' END AS blank_side
            FROM n JOIN w
              ON n.platform = w.platform AND (n.account = '') <> (w.account = '')
             AND n.first <= w.last AND w.first <= n.last
             AND ({shared})
        )
        SELECT p.platform, p.named_account, p.blank_side,
            coalesce((SELECT list(DISTINCT s.source_id ORDER BY s.source_id)
                      FROM figure_sources AS s
                      WHERE s.platform = p.platform
                        AND s.account = CASE WHEN p.blank_side = 'new'
                                             THEN p.named_account ELSE '' END), [])
                AS sources
        FROM pairs AS p
        ORDER BY p.platform, p.named_account
        """,  # noqa: S608 — column names come from the metric registry
        {"source_id": source_id},
    ).df()
    return found.reindex(columns=columns)
