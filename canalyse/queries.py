"""Run the SQL files of `queries/` with named parameters, checked against what each file uses.

The files sit at the top of a checkout; a built wheel carries them inside the package
(`canalyse/_sql`), where an installed Canalyse finds them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

_PACKAGED = Path(__file__).resolve().with_name("_sql")
QUERY_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "queries"
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@cache
def load(name: str) -> str:
    """The text of `queries/<name>.sql`."""
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query file {path.name} in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


def parameters(name: str) -> set[str]:
    """The `$names` a query file uses (comments ignored)."""
    return set(_PARAMETER.findall(_COMMENT.sub("", load(name))))


def available() -> list[str]:
    """Names of every query file."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run `queries/<name>.sql` with exactly the parameters it uses; returns a DataFrame."""
    expected = parameters(name)
    if set(params) != expected:
        missing = sorted(expected - set(params))
        extra = sorted(set(params) - expected)
        raise TypeError(f"query {name}: missing parameters {missing}, unexpected {extra}")
    return con.execute(load(name), params).df()
