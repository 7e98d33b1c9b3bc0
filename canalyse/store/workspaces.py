"""Several workspaces on one server: one DuckDB file each, in one folder ($CANALYSE_WORKSPACES).

A workspace is named by its file name without `.duckdb` (« ville-de-rennes »). Each holds its own
members list (who may read it, who may change it), so moving a file moves its team with it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from canalyse import store
from canalyse.errors import CanalyseError

SUFFIX = ".duckdb"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def folder() -> Path | None:
    """The workspaces folder of this server ($CANALYSE_WORKSPACES), None for one-workspace use."""
    chosen = os.environ.get("CANALYSE_WORKSPACES", "").strip()
    return Path(chosen).expanduser().resolve() if chosen else None


def names(where: Path) -> list[str]:
    """The workspaces in the folder, sorted by name."""
    if not where.is_dir():
        return []
    return sorted(
        path.stem for path in where.glob(f"*{SUFFIX}") if path.is_file() and valid(path.stem)
    )


def valid(name: str) -> bool:
    """Whether `name` can name a workspace: letters, digits, '-', '_', '.', no path, ≤ 64 chars."""
    return bool(_NAME.fullmatch(name)) and not name.endswith(".")


def path_of(where: Path, name: str) -> Path:
    """The file of the workspace `name` in the folder (refusing names that would leave it)."""
    if not valid(name):
        raise CanalyseError("cli.error.bad_workspace_name", name=name)
    return where / f"{name}{SUFFIX}"


def memberships(where: Path, *, wait: float = 5.0) -> dict[str, dict[str, str]]:
    """{workspace: {email: role}} for every workspace of the folder that can be read now.

    A workspace that is damaged, or held by a writer for longer than `wait`, is left out: its
    members see it again once it is readable.
    """
    found: dict[str, dict[str, str]] = {}
    for name in names(where):
        try:
            found[name] = _members_of(path_of(where, name), wait)
        except CanalyseError:
            continue
    return found


def _members_of(path: Path, wait: float) -> dict[str, str]:
    try:
        with store.reading(path, wait=wait) as con:
            return store.members(con)
    except store.NeedsUpgrade:
        store.prepare(path, actor=store.system_actor("app"), program="canalyse app")
    with store.reading(path, wait=wait) as con:
        return store.members(con)


def visible_to(memberships_found: dict[str, dict[str, str]], email: str | None) -> dict[str, str]:
    """{workspace: role} of the workspaces `email` may open; every one, as editor, without sign-in."""
    if email is None:
        return dict.fromkeys(memberships_found, "editor")
    email = store.normalise_email(email)
    return {name: members[email] for name, members in memberships_found.items() if email in members}
