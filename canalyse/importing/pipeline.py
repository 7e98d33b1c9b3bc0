"""Import files into a workspace: read, recognise each table, store in one transaction, report."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from canalyse import store
from canalyse.errors import CanalyseError
from canalyse.formatting import fmt_date
from canalyse.i18n import catalog, t
from canalyse.importing import exports, handmade, mapping
from canalyse.importing.files import RawTable, read_tables
from canalyse.importing.layout import ImportContext, ParsedTable
from canalyse.importing.layouts import all_layouts as exports_layouts
from canalyse.importing.layouts import by_id
from canalyse.metrics import METRICS


@dataclass
class TableReport:
    """What one table inside a file gave."""

    name: str
    layout: str
    layout_label: str
    platform: str | None
    platforms: list[str]
    grain: str
    rows: int
    date_min: object
    date_max: object
    totals: dict[str, float]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "layout": self.layout,
            "layout_label": self.layout_label,
            "platform": self.platform,
            "platforms": self.platforms,
            "grain": self.grain,
            "rows": self.rows,
            "date_min": self.date_min.isoformat() if self.date_min else None,
            "date_max": self.date_max.isoformat() if self.date_max else None,
            "totals": self.totals,
            "notes": self.notes,
        }


@dataclass
class FileReport:
    """The outcome of importing one file: imported, unchanged or error, in plain words."""

    file: str
    status: str
    message: str
    tables: list[TableReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    source_id: int | None = None
    error_key: str | None = None

    @property
    def platform(self) -> str | None:
        platforms = {table.platform for table in self.tables}
        return platforms.pop() if len(platforms) == 1 else None

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "message": self.message,
            "platform": self.platform,
            "tables": [table.to_json() for table in self.tables],
            "skipped": self.skipped,
        }


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes: the same content is the same import, whatever its name."""
    return hashlib.sha256(data).hexdigest()


def import_file(
    con: duckdb.DuckDBPyConnection,
    file_name: str,
    data: bytes,
    *,
    campaign: str | None = None,
    lang: str = "fr",
    year: int | None = None,
) -> FileReport:
    """Import one file; on any refusal the workspace is left exactly as it was.

    `year` completes dates written without one (TikTok Studio) when the file name does not give it.
    """
    digest = content_hash(data)
    unchanged = _unchanged(con, file_name, digest, lang)
    if unchanged is not None:
        return unchanged
    context = ImportContext(file_name=file_name, campaign=campaign or None, lang=lang, year=year)
    try:
        read = read_tables(file_name, data)
        layouts = mapping.remembered_layouts(con) + exports_layouts()
        parsed, unrecognised = [], []
        for table in read.tables:
            try:
                parsed.append(_recognise(table, context, layouts))
            except CanalyseError as exc:
                # A workbook or zip may hold tables that are not figures (LinkedIn's breakdown
                # sheets, a notes sheet): skip and name them, as long as something was recognised.
                if exc.key != "import.error.unrecognised" or len(read.tables) == 1:
                    raise
                unrecognised.append((table, exc))
        if not parsed:
            raise unrecognised[0][1]
        skipped = read.skipped + [
            t("import.unrecognised_table", lang, name=table.name) for table, _ in unrecognised
        ]
    except CanalyseError as exc:
        return FileReport(file_name, "error", exc.message(lang), error_key=exc.key)
    except Exception as exc:  # noqa: BLE001 — a file must never crash the page or the CLI
        message = t("import.error.unexpected", lang, file=file_name, detail=type(exc).__name__)
        return FileReport(file_name, "error", message, error_key="import.error.unexpected")
    return import_parsed(
        con, file_name, digest, parsed, campaign=context.campaign, lang=lang, skipped=skipped
    )


def import_parsed(
    con: duckdb.DuckDBPyConnection,
    file_name: str,
    digest: str,
    parsed: list[ParsedTable],
    *,
    campaign: str | None = None,
    lang: str = "fr",
    skipped: list[str] | None = None,
) -> FileReport:
    """Store tables already turned into facts (a file's, or posts read from an API) as one import.

    `digest` identifies the content (`content_hash`); the same content again is not stored twice.
    On any failure the workspace is left exactly as it was and the report says why.
    """
    unchanged = _unchanged(con, file_name, digest, lang)
    if unchanged is not None:
        return unchanged
    try:
        source_id = store.add_source(
            con,
            file_name=file_name,
            content_hash=digest,
            campaign=campaign or None,
            tables=[_table_row(p) for p in parsed],
            facts=[p.facts for p in parsed],
        )
    except CanalyseError as exc:
        return FileReport(file_name, "error", exc.message(lang), error_key=exc.key)
    except duckdb.Error as exc:
        message = t("import.error.store", lang, detail=str(exc))
        return FileReport(file_name, "error", message, error_key="import.error.store")
    except Exception as exc:  # noqa: BLE001 — a file must never crash the page or the CLI
        message = t("import.error.unexpected", lang, file=file_name, detail=type(exc).__name__)
        return FileReport(file_name, "error", message, error_key="import.error.unexpected")
    skipped = list(skipped or [])
    reports = [_report(p, lang) for p in parsed]
    rows = sum(r.rows for r in reports)
    message = t("import.imported", lang, file=file_name, rows=rows, tables=len(reports))
    return FileReport(file_name, "imported", message, reports, skipped, source_id)


def _unchanged(
    con: duckdb.DuckDBPyConnection, file_name: str, digest: str, lang: str
) -> FileReport | None:
    """The "nothing changed" report when content with this digest was already imported."""
    earlier = store.find_source_by_hash(con, digest)
    if earlier is None:
        return None
    message = t(
        "import.unchanged",
        lang,
        file=file_name,
        earlier=earlier["file_name"],
        date=fmt_date(earlier["imported_at"], lang),
    )
    return FileReport(file_name, "unchanged", message, source_id=earlier["source_id"])


def import_files(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[str, bytes]],
    *,
    campaign: str | None = None,
    lang: str = "fr",
    year: int | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[FileReport]:
    """Import several files, each on its own: one bad file does not stop the others.

    `on_progress(done, total, next_file_name)` is called before each file and once at the end.
    """
    reports = []
    for done, (name, data) in enumerate(files):
        if on_progress:
            on_progress(done, len(files), name)
        reports.append(import_file(con, name, data, campaign=campaign, lang=lang, year=year))
    if on_progress:
        on_progress(len(files), len(files), "")
    return reports


def layout_label(layout_id: str, lang: str) -> str:
    """The plain-words name of a layout (« Export X — contenus, par publication »).

    Layouts that are not platform exports (hand-made tables, saved mappings, posts read from an
    API) are named in the catalog as `layout.<id>`.
    """
    if f"layout.{layout_id}" in catalog():
        return t(f"layout.{layout_id}", lang)
    return by_id(layout_id).label(lang)


def _recognise(table: RawTable, context: ImportContext, layouts: list) -> ParsedTable:
    """A platform export (or a remembered mapping) if its headers say so, else a hand-made table."""
    found = exports.detect(table, layouts)
    if found is not None:
        return exports.parse(table, found, context)
    detection = handmade.detect(table)
    if detection is not None:
        return handmade.parse(table, detection, context)
    raise CanalyseError("import.error.unrecognised", file=table.name, columns=_seen_columns(table))


def _seen_columns(table: RawTable) -> str:
    """The texts of the first non-empty row, which is most likely the header the user sees."""
    for _, row in table.cells.head(10).iterrows():
        texts = [str(v).strip() for v in row.tolist() if str(v).strip() not in ("", "nan")]
        if len(texts) >= 2:
            return ", ".join(f"« {text[:40]} »" for text in texts[:12])
    return "—"


def _period_bounds(facts: pd.DataFrame) -> tuple[object, object]:
    starts = pd.to_datetime(facts["period_start"]).dropna()
    ends = pd.to_datetime(facts["period_end"]).dropna()
    if starts.empty:
        return None, None
    return starts.min().date(), ends.max().date()


def _table_row(parsed: ParsedTable) -> dict:
    date_min, date_max = _period_bounds(parsed.facts)
    return {
        "table_name": parsed.name,
        "layout": parsed.layout,
        "platform": parsed.platform,
        "grain": parsed.grain,
        "rows": len(parsed.facts),
        "date_min": date_min,
        "date_max": date_max,
    }


def _report(parsed: ParsedTable, lang: str) -> TableReport:
    date_min, date_max = _period_bounds(parsed.facts)
    totals = {}
    by_date = parsed.facts.sort_values("period_end", kind="stable", na_position="first")
    for name, metric in METRICS.items():
        column = by_date[name].dropna()
        if not column.empty:
            totals[name] = float(column.iloc[-1] if metric.aggregation == "last" else column.sum())
    notes = [t(key, lang, **params) for key, params in parsed.notes]
    return TableReport(
        name=parsed.name,
        layout=parsed.layout,
        layout_label=layout_label(parsed.layout, lang),
        platform=parsed.platform,
        platforms=sorted(parsed.facts["platform"].unique().tolist()),
        grain=parsed.grain,
        rows=len(parsed.facts),
        date_min=date_min,
        date_max=date_max,
        totals=totals,
        notes=notes,
    )
