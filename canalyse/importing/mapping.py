"""Column mappings the user makes for a layout Canalyse does not know, remembered per header row."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

import duckdb
import pandas as pd

from canalyse.importing import handmade
from canalyse.importing.exports import ExportLayout, folded_row
from canalyse.importing.files import RawTable
from canalyse.metrics import METRIC_NAMES
from canalyse.platforms import fold

LAYOUT_ID = "user_mapping"
GRAINS = ("day", "post")


@dataclass
class ColumnMapping:
    """Which column is the date, the post key, the title, and which feeds each canonical metric."""

    platform: str
    grain: str
    date: str
    metrics: dict[str, str]
    key: str | None = None
    title: str | None = None
    account: str | None = None
    headers: list[str] = field(default_factory=list)

    def to_layout(self) -> ExportLayout:
        """The mapping as a layout the export engine runs: recognised by its whole header row."""
        return ExportLayout(
            id=LAYOUT_ID,
            platform=self.platform,
            grain=self.grain,
            signature=tuple(h for h in self.headers if h),
            metrics={metric: (column,) for metric, column in self.metrics.items()},
            date=(self.date,),
            key=(self.key,) if self.key else (),
            title=(self.title,) if self.title else (),
            account=(self.account,) if self.account else (),
        )


def header_row_guess(table: RawTable) -> int:
    """The first row with at least two text cells: most likely the header a person sees."""
    for row in range(min(30, len(table.cells))):
        texts = [v for v in table.cells.iloc[row].tolist() if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            return row
    return 0


def headers_at(table: RawTable, row: int) -> list[str]:
    """The header texts of a row as written (blank cells as "")."""
    return [str(v).strip() if isinstance(v, str) else "" for v in table.cells.iloc[row].tolist()]


def preview(table: RawTable, header_row: int, rows: int = 8) -> pd.DataFrame:
    """The first rows under a header row, with that header as column names, for the mapping form."""
    names = headers_at(table, header_row)
    names = [name or f"({i + 1})" for i, name in enumerate(names)]
    body = table.cells.iloc[header_row + 1 : header_row + 1 + rows].copy()
    body.columns = _unique(names)
    return body.astype("string")


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def signature(table: RawTable, header_row: int) -> str:
    """The folded header row, the key a mapping is remembered under."""
    return "|".join(folded_row(table.cells, header_row))


def save(
    con: duckdb.DuckDBPyConnection, table: RawTable, header_row: int, mapping: ColumnMapping
) -> None:
    """Remember a mapping for every file whose header row is the same."""
    mapping.headers = headers_at(table, header_row)
    con.execute(
        "INSERT OR REPLACE INTO column_mappings VALUES (?, ?, ?)",
        [
            signature(table, header_row),
            json.dumps(asdict(mapping), ensure_ascii=False),
            datetime.now(),
        ],
    )


def remembered_layouts(con: duckdb.DuckDBPyConnection) -> list[ExportLayout]:
    """The layouts made from every mapping the user saved."""
    rows = con.execute(
        "SELECT mapping FROM column_mappings WHERE NOT starts_with(signature, ?) "
        "ORDER BY created_at",
        [handmade.SIGNATURE_PREFIX],
    ).fetchall()
    return [ColumnMapping(**json.loads(text)).to_layout() for (text,) in rows]


def remember_columns(
    con: duckdb.DuckDBPyConnection, columns_key: str, chosen: dict[str, str]
) -> None:
    """Remember the metrics the user gave unused columns of a hand-made table ({header: metric}),
    for every table with the same header row; earlier choices for other columns are kept."""
    if not columns_key.startswith(handmade.SIGNATURE_PREFIX):
        raise ValueError(f"not a hand-made table's columns key: {columns_key!r}")
    unknown = set(chosen.values()) - set(METRIC_NAMES)
    if unknown:
        raise ValueError(f"not canonical metrics: {sorted(unknown)}")
    metrics = remembered_columns(con).get(columns_key, {})
    metrics.update({fold(header): metric for header, metric in chosen.items()})
    con.execute(
        "INSERT OR REPLACE INTO column_mappings VALUES (?, ?, ?)",
        [columns_key, json.dumps({"columns": metrics}, ensure_ascii=False), datetime.now()],
    )


def remembered_columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Per hand-made header row (its columns key), the metrics the user gave its unused columns."""
    rows = con.execute(
        "SELECT signature, mapping FROM column_mappings WHERE starts_with(signature, ?)",
        [handmade.SIGNATURE_PREFIX],
    ).fetchall()
    return {key: json.loads(text)["columns"] for key, text in rows}


def metric_choices(lang: str) -> dict[str, str]:
    """Labels shown in the mapping form (« Vues — views ») → canonical metric names."""
    from canalyse.metrics import METRICS

    return {f"{metric.label(lang)} — {name}": name for name, metric in METRICS.items()}


def from_form(
    platform: str,
    grain: str,
    date: str,
    chosen: dict[str, str | None],
    lang: str,
    key: str | None = None,
    title: str | None = None,
) -> ColumnMapping:
    """A mapping from the form's answers; `chosen` maps each file column to a metric label or None."""
    labels = metric_choices(lang)
    metrics: dict[str, str] = {}
    for column, choice in chosen.items():
        if choice and labels.get(choice) and labels[choice] not in metrics:
            metrics[labels[choice]] = column
    return ColumnMapping(
        platform=platform, grain=grain, date=date, metrics=metrics, key=key, title=title
    )


def forget(con: duckdb.DuckDBPyConnection, table: RawTable, header_row: int) -> None:
    """Drop the mapping saved for this header row (when importing with it failed)."""
    con.execute("DELETE FROM column_mappings WHERE signature = ?", [signature(table, header_row)])
