"""Staff hours and ad spend typed in the app: stored as one hand-made import, replaced on each save.

Going through the importer means typed efforts follow the same rules as files: a month typed here
and a month in an imported hours table are the same figure, and the most recent one wins.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from canalyse import store
from canalyse.importing.pipeline import FileReport, import_file
from canalyse.platforms import label

EFFORTS_FILE = "efforts_saisis_dans_canalyse.csv"
COLUMNS = ("month", "platform", "campaign", "staff_hours", "spend")


def current_efforts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The efforts last saved in the app: month (YYYY-MM), platform label, campaign, hours, spend."""
    frame = con.execute(
        "SELECT strftime(period_start, '%Y-%m') AS month, platform, campaign, staff_hours, spend "
        "FROM facts WHERE source_id = (SELECT max(source_id) FROM sources WHERE file_name = ?) "
        "ORDER BY period_start, platform",
        [EFFORTS_FILE],
    ).df()
    frame["platform"] = frame["platform"].map(label)
    return frame.reindex(columns=list(COLUMNS))


def _number(value: object) -> str:
    """A figure as the French hand-made table writes it (decimal comma), blank when missing."""
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):g}".replace(".", ",")


def _cell(value: object) -> str:
    text = "" if value is None or pd.isna(value) else str(value).strip()
    return '"' + text.replace('"', '""') + '"'


def save_efforts(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, lang: str) -> FileReport:
    """Import the typed table (columns COLUMNS); on success it replaces the previous typed table.

    A refused table (unknown month, word in a number) changes nothing and says why.
    """
    rows = rows.reindex(columns=list(COLUMNS))
    filled = rows[rows["month"].notna() & rows["platform"].notna()]
    lines = ["Mois;Réseau;Campagne;Temps passé (h);Budget (€)"]
    lines += [
        ";".join(
            [
                _cell(row.month),
                _cell(row.platform),
                _cell(row.campaign),
                _number(row.staff_hours),
                _number(row.spend),
            ]
        )
        for row in filled.itertuples(index=False)
    ]
    earlier = con.execute(
        "SELECT source_id FROM sources WHERE file_name = ?", [EFFORTS_FILE]
    ).fetchall()
    report = import_file(con, EFFORTS_FILE, ("\n".join(lines) + "\n").encode(), lang=lang)
    if report.status == "imported":
        for (source_id,) in earlier:
            store.delete_source(con, source_id)
    return report
