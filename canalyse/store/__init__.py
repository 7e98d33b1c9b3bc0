"""The workspace: one DuckDB file on disk holding every import, its figures and the counted totals.

Modules: `access` (readers and writers sharing the file, notes beside it, backups and restores),
`schema` (versions and upgrades), `transaction` (one transaction per write, the workspace version),
`activity` (who acts, what they changed, the members list), `sources` (imports and their figures),
`counting` (the rules that count each figure once, and the tables they fill).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from canalyse.errors import CanalyseError
from canalyse.store.access import (
    CONFIG,
    NeedsUpgrade,
    Reader,
    WorkspaceBusy,
    WorkspaceDamaged,
    attach_reader,
    check_header,
    holder,
    latest_backup,
    list_backups,
    make_backup,
    open_reader,
    prepare,
    prune_backups,
    reading,
    refresh_macros,
    restore,
    stamp,
    writing,
)
from canalyse.store.activity import (
    ROLES,
    acting_as,
    current_actor,
    list_activity,
    members,
    normalise_email,
    role_of,
    set_member,
    system_actor,
)
from canalyse.store.activity import record as record_activity
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

__all__ = [
    "CONFIG",
    "DEFAULT_DB",
    "ROLES",
    "NeedsUpgrade",
    "WorkspaceBusy",
    "WorkspaceDamaged",
    "acting_as",
    "check_header",
    "current_actor",
    "holder",
    "latest_backup",
    "list_activity",
    "list_backups",
    "make_backup",
    "members",
    "normalise_email",
    "open_reader",
    "attach_reader",
    "Reader",
    "prepare",
    "prune_backups",
    "reading",
    "record_activity",
    "restore",
    "role_of",
    "set_member",
    "stamp",
    "system_actor",
    "writing",
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
    """Open (creating if needed) the workspace file for writing and bring its schema up to date.

    For tests, in-memory workspaces and one-off tools: it neither waits for nor tells other
    programs; the app and the command line go through `reading` and `writing`.
    """
    path = Path(path)
    on_disk = str(path) != ":memory:"
    if on_disk:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            check_header(path)
    try:
        con = duckdb.connect(str(path), config=CONFIG)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise CanalyseError("store.error.locked", path=str(path)) from exc
        raise CanalyseError("store.error.unreadable", path=str(path), detail=str(exc)) from exc
    except duckdb.Error as exc:
        raise CanalyseError("store.error.unreadable", path=str(path), detail=str(exc)) from exc
    migrate(con, path if on_disk else None)
    refresh_macros(con)
    return con
