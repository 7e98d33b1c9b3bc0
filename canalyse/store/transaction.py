"""One transaction per write, and the workspace version every write bumps (the pages' cache key)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

VERSION_KEY = "data_version"
# Connections (by id) inside a transaction opened here, so that a write made of smaller writes
# (saving typed efforts: delete the old rows, add the new ones) is still one transaction.
_OPEN: dict[int, int] = {}
# What to do after a connection commits a write (the writer records the new version beside the file).
_AFTER_COMMIT: dict[int, Callable[[], None]] = {}


@contextmanager
def after_each_commit(con: duckdb.DuckDBPyConnection, action: Callable[[], None]) -> Iterator[None]:
    """Call `action` after every write this connection commits, during the block."""
    _AFTER_COMMIT[id(con)] = action
    try:
        yield
    finally:
        _AFTER_COMMIT.pop(id(con), None)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, *, bump: bool = True) -> Iterator[None]:
    """Run the block as one transaction: all of it is kept, or none of it.

    A transaction opened inside another one joins it. On success the workspace version is bumped
    (unless `bump` is False), so cached query results are recomputed once, and only then.
    """
    key = id(con)
    if key in _OPEN:
        _OPEN[key] += 1
        try:
            yield
        finally:
            _OPEN[key] -= 1
        return
    con.execute("BEGIN TRANSACTION")
    _OPEN[key] = 1
    try:
        yield
        if bump:
            con.execute(
                "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = ?",
                [VERSION_KEY],
            )
        con.execute("COMMIT")
        if bump and key in _AFTER_COMMIT:
            _AFTER_COMMIT[key]()
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the transaction is already gone (the connection failed): nothing to undo here
        raise
    finally:
        del _OPEN[key]


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame) -> Iterator[None]:
    """`frame` readable as the view `name` for the block (a DataFrame handed to SQL)."""
    con.register(name, frame)
    try:
        yield
    finally:
        try:
            con.unregister(name)
        except duckdb.TransactionException:
            pass  # a failed statement aborted the transaction; the next register replaces it


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes on every write to the workspace (imports, settings, answers…)."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [VERSION_KEY]).fetchone()
    return int(row[0]) if row else 0
