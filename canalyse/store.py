"""The workspace: one DuckDB file on disk holding every import and its figures."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from canalyse.errors import CanalyseError
from canalyse.metrics import METRIC_NAMES

SCHEMA_VERSION = 3
DEFAULT_DB = Path("data") / "workspace.duckdb"
_SQL = Path(__file__).with_name("sql")
# Each entry upgrades a workspace from the version before it; index 0 creates version 1.
_MIGRATIONS = ("schema_v1.sql", "schema_v2.sql", "schema_v3.sql")

FACT_COLUMNS = (
    "source_id",
    "table_no",
    "platform",
    "account",
    "grain",
    "period_start",
    "period_end",
    "item_key",
    "title",
    "campaign",
    "fact_key",
    *METRIC_NAMES,
)


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The workspace file: the --db flag, else $CANALYSE_DB, else data/workspace.duckdb."""
    chosen = cli_value or os.environ.get("CANALYSE_DB") or DEFAULT_DB
    return Path(chosen).expanduser()


def connect(path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the workspace file and bring its schema up to date."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise CanalyseError("store.error.locked", path=str(path)) from exc
        raise CanalyseError("store.error.unreadable", path=str(path), detail=str(exc)) from exc
    except duckdb.Error as exc:
        raise CanalyseError("store.error.unreadable", path=str(path), detail=str(exc)) from exc
    _migrate(con)
    con.execute((_SQL / "views.sql").read_text(encoding="utf-8"))
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the workspace, 0 for an empty file."""
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()[0]
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    version = schema_version(con)
    if version > SCHEMA_VERSION:
        raise CanalyseError("store.error.newer", found=version, supported=SCHEMA_VERSION)
    for step in range(version, SCHEMA_VERSION):
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute((_SQL / _MIGRATIONS[step]).read_text(encoding="utf-8"))
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(step + 1)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise


def find_source_by_hash(con: duckdb.DuckDBPyConnection, content_hash: str) -> dict | None:
    """The earlier import of a file with this content, if any."""
    row = con.execute(
        "SELECT source_id, file_name, imported_at FROM sources WHERE content_hash = ?",
        [content_hash],
    ).fetchone()
    if row is None:
        return None
    return {"source_id": row[0], "file_name": row[1], "imported_at": row[2]}


def add_source(
    con: duckdb.DuckDBPyConnection,
    *,
    file_name: str,
    content_hash: str,
    campaign: str | None,
    tables: list[dict],
    facts: list[pd.DataFrame],
) -> int:
    """Store one file's tables and facts in a single transaction; returns the new source id.

    `tables[i]` describes the table whose facts are `facts[i]` (keys: table_name, layout, platform,
    grain, rows, date_min, date_max). If anything fails, nothing of the file is kept.
    """
    platforms = {t["platform"] for t in tables}
    dated = [t for t in tables if t["date_min"] is not None]
    con.execute("BEGIN TRANSACTION")
    try:
        source_id = con.execute("SELECT nextval('source_ids')").fetchone()[0]
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source_id,
                file_name,
                content_hash,
                platforms.pop() if len(platforms) == 1 else None,
                ", ".join(dict.fromkeys(t["layout"] for t in tables)),
                campaign,
                datetime.now().replace(microsecond=0),
                sum(t["rows"] for t in tables),
                min((t["date_min"] for t in dated), default=None),
                max((t["date_max"] for t in dated), default=None),
            ],
        )
        for table_no, (table, frame) in enumerate(zip(tables, facts, strict=True)):
            con.execute(
                "INSERT INTO source_tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    source_id,
                    table_no,
                    table["table_name"],
                    table["layout"],
                    table["platform"],
                    table["grain"],
                    table["rows"],
                    table["date_min"],
                    table["date_max"],
                ],
            )
            incoming = frame.assign(source_id=source_id, table_no=table_no)
            incoming = incoming.reindex(columns=list(FACT_COLUMNS))
            con.register("incoming_facts", incoming)
            try:
                con.execute("INSERT INTO facts BY NAME SELECT * FROM incoming_facts")
            finally:
                con.unregister("incoming_facts")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return source_id


def delete_source(con: duckdb.DuckDBPyConnection, source_id: int) -> bool:
    """Remove one import and its facts; figures it had replaced come back. True if it existed."""
    con.execute("BEGIN TRANSACTION")
    try:
        existed = con.execute(
            "SELECT count(*) FROM sources WHERE source_id = ?", [source_id]
        ).fetchone()[0]
        con.execute("DELETE FROM facts WHERE source_id = ?", [source_id])
        con.execute("DELETE FROM source_tables WHERE source_id = ?", [source_id])
        con.execute("DELETE FROM sources WHERE source_id = ?", [source_id])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return bool(existed)


def list_sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import, most recent first, with the platforms its figures cover."""
    return con.execute(
        "SELECT s.source_id, s.file_name, s.platform, s.layout, s.campaign, s.imported_at, s.rows, "
        "s.date_min, s.date_max, "
        "(SELECT list(DISTINCT f.platform ORDER BY f.platform) FROM facts AS f "
        " WHERE f.source_id = s.source_id) AS platforms "
        "FROM sources AS s ORDER BY s.source_id DESC"
    ).df()


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when nothing has been imported yet."""
    return con.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
