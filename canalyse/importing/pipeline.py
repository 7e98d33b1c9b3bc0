"""Import files into a workspace: read, recognise each table, store in one transaction, report."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from canalyse import store
from canalyse.errors import CanalyseError, PlatformQuestion
from canalyse.formatting import fmt_date
from canalyse.i18n import catalog, t
from canalyse.importing import exports, handmade, mapping
from canalyse.importing.files import RawTable, Upload, read_tables
from canalyse.importing.layout import ImportContext, ParsedTable
from canalyse.importing.layouts import all_layouts as exports_layouts
from canalyse.importing.layouts import by_id
from canalyse.importing.streamed import Staging
from canalyse.platforms import label
from canalyse.store.sources import table_figures

logger = logging.getLogger(__name__)

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
class Question:
    """Something only the user can say before an import is stored; nothing is stored meanwhile.

    kind "repeated": the file repeats figures of earlier imports under another key (a summary
    saved as both .xlsx and .csv): replace them, or keep both. kind "account": the file and the
    workspace hold figures of one network over the same days, named on one side only: are they
    the account `choices` names, or another one? kind "platform": the file does not say its
    network (a Meta daily file): which of `choices` is it? `suggested` is the choice its name or
    its siblings point to, to pre-select, never an answer in itself. `sources` and `source_names`
    are the earlier imports concerned (for an account question whose figures without an account
    are already in the workspace: those the answer would attribute).
    """

    kind: str
    message: str
    platform: str | None = None
    choices: list[str] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    suggested: str | None = None
    source_names: list[str] = field(default_factory=list)
    blank_side: str | None = None

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "message": self.message,
            "platform": self.platform,
            "choices": self.choices,
            "sources": self.sources,
            "source_names": self.source_names,
            "suggested": self.suggested,
        }


@dataclass
class ImportAnswers:
    """The user's answers to an import's questions.

    repeated: "replace" the earlier imports the file repeats, or "keep" both.
    accounts: per network, the account that its figures without an account belong to ("" keeps
    them apart, as an account of their own). Answers are remembered and suggested next time.
    platform: the network of tables that do not say theirs (Meta daily files: "facebook" or
    "instagram"); not remembered, since the next such file may be the other network's.
    attribute: per network, which of the earlier imports an account question listed get the
    account named in `accounts` (all of them when not given).
    """

    repeated: str | None = None
    accounts: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    attribute: dict[str, list[int]] = field(default_factory=dict)


# In `ImportAnswers.accounts`, an answer for every network of the file.
ANY_NETWORK = "*"


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
    questions: list[Question] = field(default_factory=list)
    # What this file says about the network of files of its kind that do not say theirs
    # (a Meta daily file titled "Instagram follows", one named "IG_REACH.csv").
    platform_hints: list[str] = field(default_factory=list)

    @property
    def platform(self) -> str | None:
        platforms = {table.platform for table in self.tables}
        return platforms.pop() if len(platforms) == 1 else None

    @property
    def platform_question(self) -> Question | None:
        """The question « which network is this file? », when nothing was stored for want of it."""
        return next((q for q in self.questions if q.kind == "platform"), None)

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "message": self.message,
            "platform": self.platform,
            "tables": [table.to_json() for table in self.tables],
            "skipped": self.skipped,
            "questions": [question.to_json() for question in self.questions],
        }


def content_hash(data: Upload) -> str:
    """SHA-256 of a file's bytes: the same content is the same import, whatever its name."""
    if isinstance(data, Path):
        with data.open("rb") as source:
            return hashlib.file_digest(source, "sha256").hexdigest()
    return hashlib.sha256(data).hexdigest()


def import_file(
    con: duckdb.DuckDBPyConnection,
    file_name: str,
    data: Upload,
    *,
    campaign: str | None = None,
    lang: str = "fr",
    year: int | None = None,
    answers: ImportAnswers | None = None,
    kind: str = "file",
) -> FileReport:
    """Import one file (its bytes, or its path: `files.Upload`); on any refusal the workspace is
    left exactly as it was.

    `year` completes dates written without one (TikTok Studio) when the file name does not give it.
    A file that needs an answer first (`Question`: which network, which account, replace or keep
    repeated figures) is not stored: its report has status "question"; import it again with
    `answers`.
    """
    digest = content_hash(data)
    unchanged = _unchanged(con, file_name, digest, lang)
    if unchanged is not None:
        return unchanged
    context = import_context(file_name, campaign, lang, year, answers)
    with recognised(con, file_name, data, context) as outcome:
        if isinstance(outcome, FileReport):
            return outcome
        parsed, skipped = outcome
        report = import_parsed(
            con,
            file_name,
            digest,
            parsed,
            campaign=context.campaign,
            lang=lang,
            skipped=skipped,
            answers=answers,
            kind=kind,
        )
    report.platform_hints = _hints(parsed)
    return report


@contextmanager
def recognised(
    con: duckdb.DuckDBPyConnection, file_name: str, data: Upload, context: ImportContext
) -> Iterator[tuple[list[ParsedTable], list[str]] | FileReport]:
    """The file's tables turned into facts and the entries skipped, or the report refusing it;
    until the block ends, the big tables wait in `con` (`Staging`) to be stored, and their
    cleaned text in a folder of their own."""
    with tempfile.TemporaryDirectory(prefix="canalyse-import-") as folder, Staging(con) as staging:
        context.staging = staging
        yield _read_and_recognise(con, file_name, data, context, Path(folder))


def reimport_file(
    con: duckdb.DuckDBPyConnection,
    source_id: int,
    file_name: str,
    data: Upload,
    *,
    campaign: str | None = None,
    lang: str = "fr",
    year: int | None = None,
    answers: ImportAnswers | None = None,
) -> FileReport:
    """Import a file again in place of its earlier import `source_id`, with the mappings saved
    since (a metric given to an unused column), in one transaction: if the file is refused or
    asks a question, the earlier import stays as it was."""
    context = import_context(file_name, campaign, lang, year, answers)
    with recognised(con, file_name, data, context) as outcome:
        if isinstance(outcome, FileReport):
            return outcome
        parsed, skipped = outcome
        return import_parsed(
            con,
            file_name,
            content_hash(data),
            parsed,
            campaign=context.campaign,
            lang=lang,
            skipped=skipped,
            answers=answers,
            replace=[source_id],
        )


def import_context(
    file_name: str,
    campaign: str | None = None,
    lang: str = "fr",
    year: int | None = None,
    answers: ImportAnswers | None = None,
) -> ImportContext:
    """What an import of `file_name` goes by besides the file: the campaign, the language, the
    year of dates written without one, and the answers given to its questions."""
    platform = answers.platform if answers else None
    return ImportContext(
        file_name=file_name, campaign=campaign or None, lang=lang, year=year, platform=platform
    )


def _read_and_recognise(
    con: duckdb.DuckDBPyConnection,
    file_name: str,
    data: Upload,
    context: ImportContext,
    workdir: Path,
) -> tuple[list[ParsedTable], list[str]] | FileReport:
    """The file's tables turned into facts, and the entries skipped; or the report refusing it."""
    lang = context.lang
    try:
        read = read_tables(file_name, data, workdir)
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
        logger.exception("reading %s failed", file_name)
        message = t("import.error.unexpected", lang, file=file_name, detail=type(exc).__name__)
        return FileReport(file_name, "error", message, error_key="import.error.unexpected")
    return parsed, skipped


def _hints(parsed: list[ParsedTable]) -> list[str]:
    """The networks that tables of a kind which may not say theirs were given (from their title)."""
    return [p.platform for p in parsed if p.layout in _ASKING_LAYOUTS and p.platform]


def _question_report(
    file_name: str, questions: list[PlatformQuestion], hints: list[str], lang: str
) -> FileReport:
    """The report asking which network the file is, pre-selecting what its names suggest."""
    own = [q.suggested for q in questions if q.suggested]
    suggested = _agreed(own) if own else _agreed(hints)
    question = _platform_question(file_name, questions[0].choices, suggested, lang)
    message = t("import.question", lang, file=file_name)
    return FileReport(file_name, "question", message, questions=[question], platform_hints=own)


def _platform_question(
    file_name: str, choices: tuple[str, ...], suggested: str | None, lang: str
) -> Question:
    return Question(
        kind="platform",
        message=PlatformQuestion(file_name, choices, suggested).message(lang),
        choices=list(choices),
        suggested=suggested,
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
    answers: ImportAnswers | None = None,
    kind: str = "file",
    replace: list[int] | None = None,
) -> FileReport:
    """Store tables already turned into facts (a file's, or posts read from an API) as one import.

    `digest` identifies the content (`content_hash`); the same content again is not stored twice.
    Before storing, figures repeated from earlier imports and accounts named on one side only are
    asked about (status "question", nothing stored) unless `answers` or a remembered answer says
    what to do. `replace` lists earlier imports this one takes the place of, in the same
    transaction (a file imported again with new mappings). The bundled example leaves the
    workspace with the first real import. On any failure the workspace is left exactly as it was
    and the report says why.
    """
    replace = list(replace or [])
    unchanged = _unchanged(con, file_name, digest, lang)
    if unchanged is not None and unchanged.source_id not in replace:
        return unchanged
    answers = answers or ImportAnswers()
    notes: list[str] = []
    given = dict(answers.accounts)
    if ANY_NETWORK in given:
        # One answer for every network of the file (the command line's --account).
        everywhere = given.pop(ANY_NETWORK)
        for table in parsed:
            for platform in table.platforms:
                given.setdefault(platform, everywhere)
    answers = ImportAnswers(
        repeated=answers.repeated,
        accounts=given,
        platform=answers.platform,
        attribute=answers.attribute,
    )
    found: dict = {}

    def check(source_id: int) -> list[int]:
        """The questions only the user can answer, asked with the new figures in place (raises
        `_Asked` to store nothing); else the answers applied: earlier imports to replace."""
        # A remembered answer is only suggested: another owner's file may name no account either.
        questions, attributions = _account_questions(
            con, source_id, answers.accounts, answers.attribute, _remembered_accounts(con), lang
        )
        repeated = store.repeated_figures(con, source_id)
        replaced: list[int] = []
        if not repeated.empty:
            if answers.repeated is None:
                questions.append(_repeated_question(repeated, lang))
            elif answers.repeated == "replace":
                replaced = [int(source_id) for source_id in repeated["source_id"]]
        if questions:
            raise _Asked(questions)
        for platform, account, source_ids in attributions:
            store.attribute_account(con, platform, account, source_ids)
        _remember_accounts(con, answers.accounts)
        found.update(repeated=repeated, replaced=replaced, attributions=attributions)
        return replaced

    try:
        examples = [] if kind == "example" else store.sources_of_kind(con, "example")
        source_id = store.add_source(
            con,
            file_name=file_name,
            content_hash=digest,
            campaign=campaign or None,
            tables=[_table_row(p) for p in parsed],
            facts=[p.facts for p in parsed],
            kind=kind,
            replace=examples + replace,
            accounts=answers.accounts,
            check=check,
        )
        figures = table_figures(con, source_id)
    except _Asked as asked:
        message = t("import.question", lang, file=file_name)
        return FileReport(file_name, "question", message, questions=asked.questions)
    except CanalyseError as exc:
        return FileReport(file_name, "error", exc.message(lang), error_key=exc.key)
    except duckdb.Error as exc:
        logger.exception("storing %s failed", file_name)
        message = t("import.error.store", lang, detail=str(exc))
        return FileReport(file_name, "error", message, error_key="import.error.store")
    except Exception as exc:  # noqa: BLE001 — a file must never crash the page or the CLI
        logger.exception("storing %s failed", file_name)
        message = t("import.error.unexpected", lang, file=file_name, detail=type(exc).__name__)
        return FileReport(file_name, "error", message, error_key="import.error.unexpected")
    repeated, replaced = found["repeated"], found["replaced"]
    if examples:
        notes.append(t("import.note.example_removed", lang))
    if replaced:
        names = ", ".join(f"« {name} »" for name in repeated["file_name"])
        notes.append(t("import.note.repeated_replaced", lang, files=names))
    elif answers.repeated == "keep" and not repeated.empty:
        notes.append(t("import.note.repeated_kept", lang))
    for platform, account, _ in found["attributions"]:
        notes.append(
            t("import.note.account_attributed", lang, platform=label(platform), account=account)
        )
    skipped = list(skipped or [])
    reports = [_report(p, f, lang) for p, f in zip(parsed, figures, strict=True)]
    if reports and notes:
        reports[0].notes = notes + reports[0].notes
    rows = sum(r.rows for r in reports)
    message = t("import.imported", lang, file=file_name, count=rows, tables=len(reports))
    return FileReport(file_name, "imported", message, reports, skipped, source_id)


class _Asked(Exception):  # noqa: N818 — not an error: the import waits for answers
    """Raised inside the storing transaction to undo it: the import asks these questions first."""

    def __init__(self, questions: list[Question]) -> None:
        super().__init__("questions")
        self.questions = questions


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


# ---- Questions an import asks before it is stored ---------------------------------------------------


def attribute_blank_accounts(con: duckdb.DuckDBPyConnection, accounts: dict[str, str]) -> int:
    """Per network, give every figure without an account the named account the user chose ("":
    they stay apart); the answer is remembered for later imports. Returns the lines changed."""
    changed = 0
    with store.transaction(con):
        for platform, account in accounts.items():
            if account:
                sources = con.execute(
                    "SELECT DISTINCT source_id FROM facts WHERE platform = ? AND account = ''",
                    [platform],
                ).fetchall()
                changed += store.attribute_account(con, platform, account, [s for (s,) in sources])
        _remember_accounts(con, accounts)
    return changed


_ACCOUNT_SETTING = "blank_account."


def _remembered_accounts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per network, the account the user said its figures without an account belong to."""
    rows = con.execute(
        "SELECT key, value FROM settings WHERE starts_with(key, ?)", [_ACCOUNT_SETTING]
    ).fetchall()
    return {key.removeprefix(_ACCOUNT_SETTING): value for key, value in rows}


def _remember_accounts(con: duckdb.DuckDBPyConnection, accounts: dict[str, str]) -> None:
    for platform, account in accounts.items():
        con.execute(
            "INSERT OR REPLACE INTO settings VALUES (?, ?)", [_ACCOUNT_SETTING + platform, account]
        )


def _account_questions(
    con: duckdb.DuckDBPyConnection,
    source_id: int,
    accounts: dict[str, str],
    attribute: dict[str, list[int]],
    remembered: dict[str, str],
    lang: str,
) -> tuple[list[Question], list[tuple[str, str, list[int]]]]:
    """Questions about accounts named on one side only (suggesting the answer last given for the
    network), and the earlier figures without an account to attribute (platform, account, source
    ids) where the answer is given."""
    overlaps = store.account_overlaps(con, source_id)
    questions: list[Question] = []
    attributions: list[tuple[str, str, list[int]]] = []
    if overlaps.empty:
        return questions, attributions
    names = dict(con.execute("SELECT source_id, file_name FROM sources").fetchall())
    for platform, rows in overlaps.groupby("platform", sort=True):
        answer = accounts.get(platform)
        named = sorted(rows["named_account"].unique().tolist())
        blank_earlier = rows[rows["blank_side"] == "workspace"]
        earlier = sorted({int(i) for ids in blank_earlier["sources"] for i in ids})
        if answer == "":
            continue
        if answer is not None and answer in named:
            chosen = attribute.get(platform)
            ids = earlier if chosen is None else [i for i in earlier if i in set(chosen)]
            if ids:
                attributions.append((platform, answer, ids))
            continue
        side = "workspace" if earlier else "new"
        files = ", ".join(f"« {names[i]} »" for i in earlier if i in names)
        questions.append(
            Question(
                kind="account",
                platform=platform,
                message=t(
                    f"import.question.account.{side}",
                    lang,
                    platform=label(platform),
                    accounts=", ".join(f"« {name} »" for name in named),
                    files=files,
                ),
                choices=named,
                sources=earlier,
                source_names=[names.get(i, f"#{i}") for i in earlier],
                suggested=remembered.get(platform) if remembered.get(platform) in named else None,
                blank_side=side,
            )
        )
    return questions, attributions


def _repeated_question(repeated: pd.DataFrame, lang: str) -> Question:
    names = ", ".join(
        t("import.question.repeated.file", lang, file=name, date=fmt_date(when, lang))
        for name, when in zip(repeated["file_name"], repeated["imported_at"], strict=True)
    )
    first = repeated.iloc[0]
    return Question(
        kind="repeated",
        message=t(
            "import.question.repeated",
            lang,
            rows=int(first["repeated"]),
            total=int(first["rows"]),
            files=names,
        ),
        sources=[int(source_id) for source_id in repeated["source_id"]],
    )


def import_files(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[str, Upload]],
    *,
    campaign: str | None = None,
    lang: str = "fr",
    year: int | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    answers: ImportAnswers | None = None,
    kind: str = "file",
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
            import_file(
                con,
                name,
                data,
                campaign=campaign,
                lang=lang,
                year=year,
                answers=answers,
                kind=kind,
            )
        )
    if on_progress:
        on_progress(len(files), len(files), "")
    for number, report in enumerate(reports):
        question = report.platform_question
        if question is not None and question.suggested is None:
            others = reports[:number] + reports[number + 1 :]
            suggested = _agreed([hint for other in others for hint in other.platform_hints])
            if suggested is not None:
                asked = _platform_question(report.file, tuple(question.choices), suggested, lang)
                report.questions[report.questions.index(question)] = asked
    return reports


def layout_label(layout_id: str, lang: str) -> str:
    """The plain-words name of a layout (« Export X — contenus, par publication »).

    Layouts that are not platform exports (hand-made tables, saved mappings, posts read from an
    API) are named in the catalog as `layout.<id>`.
    """
    if f"layout.{layout_id}" in catalog():
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


def _table_row(parsed: ParsedTable) -> dict:
    return {
        "table_name": parsed.name,
        "layout": parsed.layout,
        "platform": parsed.platform,
        "grain": parsed.grain,
    }


def _report(parsed: ParsedTable, figures: dict, lang: str) -> TableReport:
    """What one stored table gave, `figures` being what the store counted of it (`table_figures`)."""
    notes = [t(key, lang, **params) for key, params in parsed.notes]
    return TableReport(
        name=parsed.name,
        layout=parsed.layout,
        layout_label=layout_label(parsed.layout, lang),
        platform=parsed.platform,
        platforms=figures["platforms"],
        grain=parsed.grain,
        rows=figures["rows"],
        date_min=figures["date_min"],
        date_max=figures["date_max"],
        totals=figures["totals"],
        notes=notes,
        unused_numeric=parsed.unused_numeric,
        columns_key=parsed.columns_key,
    )
