"""Import files into a workspace: read, recognise each table, store in one transaction, report."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from canalyse import store
from canalyse.errors import CanalyseError, PlatformQuestion
from canalyse.formatting import fmt_date
from canalyse.i18n import t
from canalyse.importing import exports, handmade, mapping
from canalyse.importing.files import RawTable, read_tables
from canalyse.importing.layout import ImportContext, ParsedTable
from canalyse.importing.layouts import all_layouts as exports_layouts
from canalyse.importing.layouts import by_id
from canalyse.metrics import METRICS

# Layouts whose tables may not say their network, and so ask the user (Meta daily files).
_ASKING_LAYOUTS = frozenset({"meta_page_daily"})


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
    # Columns of figures that fed no metric, and where a metric given to them is remembered.
    unused_numeric: list[str] = field(default_factory=list)
    columns_key: str = ""

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
            "unused_numeric": self.unused_numeric,
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
    # When the file does not say its network (error_key is PlatformQuestion.KEY): the platforms
    # to choose from, and the one its name or its siblings point to, for pre-selection.
    choices: tuple[str, ...] = ()
    suggested_platform: str | None = None
    # What this file says about the network of files of its kind that do not say theirs
    # (a Meta daily file titled "Instagram follows", one named "IG_REACH.csv").
    platform_hints: list[str] = field(default_factory=list)

    @property
    def platform(self) -> str | None:
        platforms = {table.platform for table in self.tables}
        return platforms.pop() if len(platforms) == 1 else None

    @property
    def asks_platform(self) -> bool:
        """True when nothing was imported because the user must say which network the file is."""
        return self.error_key == PlatformQuestion.KEY

    def to_json(self) -> dict:
        found = {
            "file": self.file,
            "status": self.status,
            "message": self.message,
            "platform": self.platform,
            "tables": [table.to_json() for table in self.tables],
            "skipped": self.skipped,
        }
        if self.asks_platform:
            found["question"] = {
                "choices": list(self.choices),
                "suggested": self.suggested_platform,
            }
        return found


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
    platform: str | None = None,
) -> FileReport:
    """Import one file; on any refusal the workspace is left exactly as it was.

    `year` completes dates written without one (TikTok Studio) when the file name does not give it.
    `platform` answers the question a file that does not say its network raises (a Meta daily
    file: "facebook" or "instagram"); without it such a file is refused with `asks_platform`.
    """
    digest = content_hash(data)
    earlier = store.find_source_by_hash(con, digest)
    if earlier is not None:
        message = t(
            "import.unchanged",
            lang,
            file=file_name,
            earlier=earlier["file_name"],
            date=fmt_date(earlier["imported_at"], lang),
        )
        return FileReport(file_name, "unchanged", message, source_id=earlier["source_id"])
    context = ImportContext(
        file_name=file_name, campaign=campaign or None, lang=lang, year=year, platform=platform
    )
    outcome = _read_and_recognise(con, file_name, data, context)
    if isinstance(outcome, FileReport):
        return outcome
    parsed, skipped = outcome
    report = import_parsed(
        con, file_name, digest, parsed, campaign=context.campaign, lang=lang, skipped=skipped
    )
    report.platform_hints = _hints(parsed)
    return report


def reimport_file(
    con: duckdb.DuckDBPyConnection,
    source_id: int,
    file_name: str,
    data: bytes,
    *,
    campaign: str | None = None,
    lang: str = "fr",
    year: int | None = None,
    platform: str | None = None,
) -> FileReport:
    """Import a file again in place of its earlier import `source_id`, with the mappings saved
    since (a metric given to an unused column). If the file is refused, the earlier import stays;
    otherwise it is deleted, then the file is stored afresh."""
    context = ImportContext(
        file_name=file_name, campaign=campaign or None, lang=lang, year=year, platform=platform
    )
    outcome = _read_and_recognise(con, file_name, data, context)
    if isinstance(outcome, FileReport):
        return outcome
    parsed, skipped = outcome
    store.delete_source(con, source_id)
    return import_parsed(
        con,
        file_name,
        content_hash(data),
        parsed,
        campaign=context.campaign,
        lang=lang,
        skipped=skipped,
    )


def _read_and_recognise(
    con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, context: ImportContext
) -> tuple[list[ParsedTable], list[str]] | FileReport:
    """The file's tables turned into facts, and the entries skipped; or the report refusing it."""
    lang = context.lang
    try:
        read = read_tables(file_name, data)
        layouts = mapping.remembered_layouts(con) + exports_layouts()
        remembered = mapping.remembered_columns(con)
        parsed, unrecognised, questions = [], [], []
        for table in read.tables:
            try:
                parsed.append(_recognise(table, context, layouts, remembered))
            except PlatformQuestion as question:
                # The other tables are read all the same: what they say may suggest the answer.
                questions.append(question)
            except CanalyseError as exc:
                # A workbook or zip may hold tables that are not figures (LinkedIn's breakdown
                # sheets, a notes sheet): skip and name them, as long as something was recognised.
                if exc.key != "import.error.unrecognised" or len(read.tables) == 1:
                    raise
                unrecognised.append((table, exc))
        if questions:
            return _question_report(file_name, questions, _hints(parsed), lang)
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
    return parsed, skipped


def _hints(parsed: list[ParsedTable]) -> list[str]:
    """The networks that tables of a kind which may not say theirs were given (from their title)."""
    return [p.platform for p in parsed if p.layout in _ASKING_LAYOUTS and p.platform]


def _question_report(
    file_name: str, questions: list[PlatformQuestion], hints: list[str], lang: str
) -> FileReport:
    """The refusal that asks which network the file is, pre-selecting what its names suggest."""
    own = [q.suggested for q in questions if q.suggested]
    suggested = _agreed(own) if own else _agreed(hints)
    choices = questions[0].choices
    question = PlatformQuestion(file_name, choices, suggested)
    return FileReport(
        file_name,
        "error",
        question.message(lang),
        error_key=PlatformQuestion.KEY,
        choices=choices,
        suggested_platform=suggested,
        platform_hints=own,
    )


def _agreed(hints: list[str]) -> str | None:
    """The one network every hint names, else None (no hint, or hints that disagree)."""
    found = set(hints)
    return found.pop() if len(found) == 1 else None


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


def import_files(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[str, bytes]],
    *,
    campaign: str | None = None,
    lang: str = "fr",
    year: int | None = None,
    platform: str | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[FileReport]:
    """Import several files, each on its own: one bad file does not stop the others.

    A file that asks which network it is, and whose own name does not suggest one, gets the
    network its siblings in the upload agree on as the suggestion (« IG_REACH.csv » beside
    « IG VIEWS.csv »). `on_progress(done, total, next_file_name)` is called before each file and
    once at the end.
    """
    reports = []
    for done, (name, data) in enumerate(files):
        if on_progress:
            on_progress(done, len(files), name)
        reports.append(
            import_file(con, name, data, campaign=campaign, lang=lang, year=year, platform=platform)
        )
    if on_progress:
        on_progress(len(files), len(files), "")
    for number, report in enumerate(reports):
        if report.asks_platform and report.suggested_platform is None:
            siblings = [
                h
                for other in reports[:number] + reports[number + 1 :]
                for h in other.platform_hints
            ]
            suggested = _agreed(siblings)
            if suggested is not None:
                question = PlatformQuestion(report.file, report.choices, suggested)
                report.suggested_platform = suggested
                report.message = question.message(lang)
    return reports


def layout_label(layout_id: str, lang: str) -> str:
    """The plain-words name of a layout (« Export X — contenus, par publication »)."""
    if layout_id in (handmade.LAYOUT_ID, mapping.LAYOUT_ID):
        return t(f"layout.{layout_id}", lang)
    return by_id(layout_id).label(lang)


def _recognise(
    table: RawTable, context: ImportContext, layouts: list, remembered: dict[str, dict[str, str]]
) -> ParsedTable:
    """A platform export (or a remembered mapping) if its headers say so, else a hand-made table."""
    found = exports.detect(table, layouts)
    if found is not None:
        return exports.parse(table, found, context)
    detection = handmade.detect(table, remembered)
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
        unused_numeric=parsed.unused_numeric,
        columns_key=parsed.columns_key,
    )
