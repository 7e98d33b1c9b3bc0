"""The workspace: one DuckDB file on disk holding every import, its figures and the counted totals.

Modules: `schema` (versions and upgrades, backups), `transaction` (one transaction per write, the
workspace version), `sources` (imports and their figures), `counting` (the rules that count each
figure once, and the tables they fill).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb

from canalyse.errors import CanalyseError
from canalyse.store import counting, keys
from canalyse.store.schema import SCHEMA_VERSION, backup, migrate, schema_version
from canalyse.store.sources import (
    FACT_COLUMNS,
    INPUT_COLUMNS,
    SOURCE_KINDS,
    account_overlaps,
    add_source,
    attribute_account,
    delete_source,
    delete_sources,
    find_source_by_hash,
    is_empty,
    list_sources,
    repeated_figures,
    retag_source,
    sources_of_kind,
)
from canalyse.store.transaction import data_version, transaction

DEFAULT_DB = Path("data") / "workspace.duckdb"
# Nothing leaves the machine: DuckDB must never download an extension on its own.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

__all__ = [
    "DEFAULT_DB",
    "FACT_COLUMNS",
    "INPUT_COLUMNS",
    "SCHEMA_VERSION",
    "SOURCE_KINDS",
    "account_overlaps",
    "add_source",
    "attribute_account",
    "backup",
    "connect",
    "data_version",
    "delete_source",
    "delete_sources",
    "find_source_by_hash",
    "is_empty",
    "list_sources",
    "repeated_figures",
    "resolve_db_path",
    "retag_source",
    "schema_version",
    "sources_of_kind",
    "transaction",
]


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The workspace file: the --db flag, else $CANALYSE_DB, else data/workspace.duckdb."""
    chosen = cli_value or os.environ.get("CANALYSE_DB") or DEFAULT_DB
    return Path(chosen).expanduser()


def connect(path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the workspace file and bring its schema up to date."""
    path = Path(path)
    on_disk = str(path) != ":memory:"
    if on_disk:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), config=_CONFIG)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise CanalyseError("store.error.locked", path=str(path)) from exc
        raise CanalyseError("store.error.unreadable", path=str(path), detail=str(exc)) from exc
    except duckdb.Error as exc:
        raise CanalyseError("store.error.unreadable", path=str(path), detail=str(exc)) from exc
    migrate(con, path if on_disk else None)
    _refresh_macros(con)
    return con


def _refresh_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Store the query macros in the workspace when this version of Canalyse writes them
    differently (every connection and cursor then sees them, read-only ones included)."""
    text = keys.FACT_KEY_MACRO + counting.macros_sql()
    digest = hashlib.sha256(text.encode()).hexdigest()
    row = con.execute("SELECT value FROM meta WHERE key = 'macros'").fetchone()
    if row is None or row[0] != digest:
        with transaction(con, bump=False):
            con.execute(text)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('macros', ?)", [digest])
