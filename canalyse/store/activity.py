"""Who acts on the workspace: the current actor, the log of what they changed, the members list."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

import duckdb
import pandas as pd

from canalyse.errors import CanalyseError
from canalyse.store.transaction import transaction

ROLES = ("viewer", "editor")
ACTIONS = ("import", "delete", "answers", "weights", "costs", "members", "restore")
_ACTOR: ContextVar[str | None] = ContextVar("canalyse_actor", default=None)


def system_actor(program: str) -> str:
    """The name recorded when nobody is signed in: the system user and the program (« cli »)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return f"{user} ({program})"


def current_actor() -> str:
    """Who the writes of this thread are made for (set by `acting_as`), else the system user."""
    return _ACTOR.get() or system_actor("canalyse")


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Record the writes made inside the block as `actor`'s."""
    token = _ACTOR.set(actor)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def record(con: duckdb.DuckDBPyConnection, action: str, detail: str) -> None:
    """Add a line to the workspace's log: now, the current actor, `action` and what it concerned."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    con.execute(
        "INSERT INTO activity VALUES (nextval('activity_ids'), ?, ?, ?, ?)",
        [datetime.now().replace(microsecond=0), current_actor(), action, detail],
    )


def list_activity(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """The latest changes other than imports, most recent first: done_at, actor, action, detail."""
    return con.execute(
        "SELECT done_at, actor, action, detail FROM activity ORDER BY activity_id DESC LIMIT ?",
        [limit],
    ).df()


def normalise_email(email: str) -> str:
    """An address as members are stored: trimmed, lower case."""
    return email.strip().lower()


def members(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The workspace's members: {email: 'viewer' | 'editor'}."""
    return dict(con.execute("SELECT email, role FROM members ORDER BY email").fetchall())


def set_member(con: duckdb.DuckDBPyConnection, email: str, role: str | None) -> None:
    """Give `email` the role `role` in this workspace, or remove them (role None)."""
    email = normalise_email(email)
    if "@" not in email:
        raise CanalyseError("members.error.email", email=email)
    if role is not None and role not in ROLES:
        raise CanalyseError("members.error.role", role=role)
    with transaction(con):
        con.execute("DELETE FROM members WHERE email = ?", [email])
        if role is not None:
            con.execute(
                "INSERT INTO members VALUES (?, ?, ?, ?)",
                [email, role, datetime.now().replace(microsecond=0), current_actor()],
            )
        record(con, "members", f"{email}: {role or '-'}")


def role_of(con: duckdb.DuckDBPyConnection, email: str) -> str | None:
    """The role of `email` in this workspace, None when they are not a member."""
    row = con.execute(
        "SELECT role FROM members WHERE email = ?", [normalise_email(email)]
    ).fetchone()
    return row[0] if row else None
