"""What every layout recogniser gives the import pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from canalyse.i18n import t
from canalyse.store.sources import FactsQuery

Note = tuple[str, dict]


@dataclass
class ImportContext:
    """What the user said about the import: file name, campaign tag, year for dates without one,
    language, and the network of a file that does not say it (their answer to a PlatformQuestion);
    and `staging`, where big text tables wait to be stored (`streamed.Staging`, on the workspace's
    connection; without it they are read as grids)."""

    file_name: str
    campaign: str | None = None
    lang: str = "fr"
    year: int | None = None
    platform: str | None = None
    staging: Any = None


@dataclass
class ParsedTable:
    """One table turned into facts: a frame of the store's INPUT_COLUMNS, or for a big file read
    by DuckDB the query that gives them."""

    name: str
    layout: str
    grain: str
    facts: pd.DataFrame | FactsQuery
    notes: list[Note] = field(default_factory=list)
    # Headers of columns of figures that fed no metric, which the user may map to one, and the
    # key under which such a choice is remembered (hand-made tables).
    unused_numeric: list[str] = field(default_factory=list)
    columns_key: str = ""

    @property
    def platforms(self) -> list[str]:
        """The networks of its figures."""
        if isinstance(self.facts, FactsQuery):
            return sorted(self.facts.platforms)
        return sorted(str(p) for p in self.facts["platform"].dropna().unique())

    @property
    def platform(self) -> str | None:
        platforms = self.platforms
        return platforms[0] if len(platforms) == 1 else None


def describe_cells(
    cells: list[tuple[int, object, object]], lang: str, limit: int = 5, count: int | None = None
) -> str:
    """The first offending cells as « ligne 5, colonne « Vues » : « abc » », for error messages
    (`count`: how many there are in all, when `cells` holds only the first ones)."""
    shown = [
        t("import.cell", lang, row=row, column=column, value=str(value)[:60])
        for row, column, value in cells[:limit]
    ]
    more = (len(cells) if count is None else count) - limit
    return "; ".join(shown) + (t("import.cells_more", lang, count=more) if more > 0 else "")
