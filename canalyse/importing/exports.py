"""Platform analytics exports: a declarative layout per export, and one vectorised parser for all.

Each layout says which headers identify it, which column feeds each canonical metric, where the
date, the post key, the title and the account are. The layouts live in `canalyse.importing.layouts`,
one module per platform: together they are the mapping table rendered for users (see `mapping_rows`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from canalyse.errors import ImportRefused
from canalyse.i18n import t
from canalyse.importing import values
from canalyse.importing.files import RawTable
from canalyse.importing.layout import ImportContext, Note, ParsedTable, describe_cells
from canalyse.metrics import METRIC_NAMES
from canalyse.platforms import fold
from canalyse.store.keys import repeated_rows

HEADER_SCAN_ROWS = 15
_TOTAL_LABELS = {"total", "totals", "totaux", "total general", "grand total"}
# Excel turns long numeric ids into `9,60221E+14`: the same text for many posts, useless as a key.
_TIME_OF_DAY = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\.[0-9]+)?(?: ?[AP]M)?(?: ?(?:Z|[+-][0-9]{2}:?[0-9]{2}))?)$"
_DESTROYED_ID = re.compile(r"^-?\d+[.,]\d*e\+?\d+$", re.IGNORECASE)


@dataclass
class Draft:
    """A table being parsed. A layout's `adjust` hook may change any of it before figures are read.

    The body is a grid of cells, or for a big text file the rows DuckDB reads (`streamed.SqlBody`):
    a hook of a `streamable` layout changes it only through `set_constant`, `first_filled` and
    `most_common`, which work on both.
    """

    table_name: str
    headers: list[str]
    original_headers: list[str]
    preamble: pd.DataFrame
    body: pd.DataFrame
    platform: str | None
    columns: dict[str, int]
    context: ImportContext
    notes: list[Note] = field(default_factory=list)
    dayfirst: bool | None = None
    dates: pd.Series | None = None
    # Set by a hook when every row's figures cover one known period (YouTube "Table data": each
    # video's views over the exported period): rows become period figures, not posts on a day.
    period: tuple[date, date] | None = None
    # For a body DuckDB reads: roles given one value for every row, and roles read from the
    # first of several columns that is filled in.
    constants: dict[str, str] = field(default_factory=dict)
    filled_from: dict[str, list[int]] = field(default_factory=dict)

    @property
    def is_grid(self) -> bool:
        return isinstance(self.body, pd.DataFrame)

    def set_constant(self, role: str, value: str) -> None:
        """Give `role` the same value on every row (the account a file name gives)."""
        if self.is_grid:
            self.body = self.body.assign(**{f"_{role}": value})
            self.columns[role] = self.body.columns.get_loc(f"_{role}")
        else:
            self.columns.pop(role, None)
            self.filled_from.pop(role, None)
            self.constants[role] = value

    def first_filled(self, role: str, positions: list[int]) -> None:
        """Read `role`, on each row, from the first of these columns that is not blank."""
        if self.is_grid:
            filled = text(self.body[self.body.columns[positions[0]]])
            for position in positions[1:]:
                filled = filled.where(filled != "", text(self.body[self.body.columns[position]]))
            self.body = self.body.assign(**{f"_{role}": filled})
            self.columns[role] = self.body.columns.get_loc(f"_{role}")
        else:
            self.columns.pop(role, None)
            self.constants.pop(role, None)
            self.filled_from[role] = list(positions)

    def most_common(self, position: int) -> tuple[str, int] | None:
        """The text most rows hold in a column (the first seen among equals) and how many rows
        hold something else, blanks included; None when the column is blank throughout."""
        if not self.is_grid:
            return self.body.most_common(position)
        cells = text(self.body[self.body.columns[position]])
        named = cells[cells != ""]
        if named.empty:
            return None
        main = named.value_counts().index[0]
        return main, int((cells != main).sum())


@dataclass(frozen=True)
class ExportLayout:
    """One export layout: how to recognise it and which column feeds which canonical metric.

    Column names are written as they appear in the files; they are matched folded (case, accents
    and punctuation ignored), and for each role the first name present wins. Its name in words
    is the catalog's `layout.<id>`; `note_key` names the catalog entry of its comparability
    caveat, if any (several layouts of one export may share one).
    """

    id: str
    platform: str | None
    grain: str
    signature: tuple[str, ...]
    metrics: Mapping[str, tuple[str, ...]]
    date: tuple[str, ...]
    # At least one of these must be present too (e.g. "Date" plus any YouTube metric).
    signature_any: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    account: tuple[str, ...] = ()
    dayfirst: bool | None = None
    excludes: tuple[str, ...] = ()
    note_key: str = ""
    adjust: Callable[[Draft], None] | None = None
    # Rows whose date is blank but which hold figures are kept, undated (a private video in a
    # YouTube table, a post Meta could not date): they count in totals and the report says so.
    undated_rows: bool = False
    # A file recognised only to be refused: the catalog key saying what it is and why nothing is
    # imported (« fichier d'audience TikTok : pas de chiffres de portée »); it gets `file`.
    refusal: str = ""
    # Its `adjust` hook changes the draft only through the methods that also work on a body
    # DuckDB reads (`Draft.set_constant`, ...): big files of this layout are then never read
    # into a grid (a layout without a hook always qualifies).
    streamable: bool = False

    def label(self, lang: str) -> str:
        """« Export X — contenus, par publication »."""
        return t(f"layout.{self.id}", lang)

    def note(self, lang: str) -> str:
        """Its comparability caveat, or ""."""
        return t(self.note_key, lang) if self.note_key else ""


@dataclass
class Detection:
    layout: ExportLayout
    header_row: int
    score: int


def folded_row(cells: pd.DataFrame, row: int) -> list[str]:
    """The folded text of every cell of a row ("Impressions (organic)" → "impressions organic")."""
    return [fold(v) if isinstance(v, str) else "" for v in cells.iloc[row].tolist()]


def detect(table: RawTable, layouts: list[ExportLayout]) -> Detection | None:
    """The layout whose signature headers all stand in one of the first rows, the most specific first."""
    best: Detection | None = None
    head = table.head
    for row in range(min(HEADER_SCAN_ROWS, len(head))):
        headers = set(folded_row(head, row))
        if len(headers) < 2:
            continue
        for layout in layouts:
            if not all(fold(name) in headers for name in layout.signature):
                continue
            if any(fold(name) in headers for name in layout.excludes):
                continue
            if layout.signature_any and not any(fold(n) in headers for n in layout.signature_any):
                continue
            known = {fold(n) for names in layout.metrics.values() for n in names}
            score = 100 * (len(layout.signature) + bool(layout.signature_any)) + len(
                known & headers
            )
            if best is None or score > best.score:
                best = Detection(layout, row, score)
        if best is not None:
            return best
    return None


def _find(headers: list[str], names: tuple[str, ...], body) -> int | None:
    """The first listed name present; among duplicate columns of that name, the first with data."""
    for name in names:
        positions = [i for i, header in enumerate(headers) if header == fold(name)]
        if len(positions) == 1:
            return positions[0]
        for position in positions:
            if _has_data(body, position):
                return position
        if positions:
            return positions[0]
    return None


def find_roles(layout: ExportLayout, headers: list[str], body) -> dict[str, int]:
    """The column of each role the layout names (date, title, account, keys, metrics) that the
    headers hold: role → position."""
    columns: dict[str, int] = {}
    for role, names in (
        ("date", layout.date),
        ("title", layout.title),
        ("account", layout.account),
    ):
        position = _find(headers, names, body)
        if position is not None:
            columns[role] = position
    for rank, name in enumerate(layout.key):
        position = _find(headers, (name,), body)
        if position is not None:
            columns[f"key{rank}"] = position
    for metric, names in layout.metrics.items():
        position = _find(headers, names, body)
        if position is not None:
            columns[metric] = position
    return columns


def _has_data(body, position: int) -> bool:
    if isinstance(body, pd.DataFrame):
        return not blank_mask(body[[body.columns[position]]]).all(axis=None)
    return body.has_data(position)


def text(series: pd.Series) -> pd.Series:
    """Cells as stripped text, "" for blanks, as Arrow strings so string work runs in C, not per cell."""
    return series.astype("string[pyarrow]").fillna("").str.strip()


def blank_mask(frame: pd.DataFrame) -> pd.DataFrame:
    """True where a cell is empty: NaN, None or only spaces. The cells are read as one column of
    text (column by column, the string calls cost more than the cells of a small table)."""
    flat = pd.Series(frame.to_numpy(dtype=object).ravel(order="F"), dtype=object)
    blank = text(flat).eq("").to_numpy(dtype=bool).reshape(frame.shape, order="F")
    return pd.DataFrame(blank, index=frame.index, columns=frame.columns)


def parse(table: RawTable, detection: Detection, context: ImportContext) -> ParsedTable:
    """Turn an export table into facts; refuses with the first offending cells named."""
    layout, lang = detection.layout, context.lang
    if layout.refusal:
        raise ImportRefused(layout.refusal, file=table.name)
    if table.streamable and (layout.adjust is None or layout.streamable):
        from canalyse.importing import streamed

        try:
            return streamed.parse(table, detection, context)
        except streamed.Unreadable:
            pass  # DuckDB cannot split this file as the grid reader does: read it as a grid
    cells = table.cells
    body = cells.iloc[detection.header_row + 1 :]
    body = body[~blank_mask(body).all(axis=1)]
    headers = folded_row(cells, detection.header_row)
    original_headers = [str(v).strip() for v in cells.iloc[detection.header_row].tolist()]
    columns = find_roles(layout, headers, body)
    preamble = cells.iloc[: detection.header_row]
    draft = Draft(
        table.name,
        headers,
        original_headers,
        preamble,
        body,
        layout.platform,
        columns,
        context,
        notes=list(table.notes),
        dayfirst=layout.dayfirst,
    )
    if layout.adjust is not None:
        layout.adjust(draft)
    return _facts(layout, draft, lang)


def _facts(layout: ExportLayout, draft: Draft, lang: str) -> ParsedTable:
    body, columns, notes = draft.body, draft.columns, draft.notes
    lines = body.index.to_numpy() + 1
    column = {role: body[body.columns[pos]] for role, pos in columns.items()}
    dates = draft.dates if draft.dates is not None else column.get("date")
    if dates is None:
        raise ImportRefused("import.error.no_date_column", file=draft.table_name)
    first_cell = text(body[body.columns[0]])
    # Only cells mentioning "tot" can be a total label: fold just those, not a million post ids.
    maybe_total = first_cell.str.contains("tot", case=False, regex=False)
    is_total = pd.Series(False, index=body.index)
    is_total[maybe_total] = first_cell[maybe_total].map(fold).isin(_TOTAL_LABELS)
    keys = _post_keys(column, layout) if layout.key else None
    blank_date = text(dates).eq("")
    is_junk = blank_date & (keys.eq("") if keys is not None else True)
    if layout.undated_rows and is_junk.any():
        # Only rows with neither date nor key are looked at: they are junk if no figure either.
        figures = [body.columns[columns[role]] for role in columns if role in METRIC_NAMES]
        is_junk[is_junk] = blank_mask(body.loc[is_junk, figures]).all(axis=1)
    if keys is not None:
        is_junk |= keys.str.endswith("/undefined")
    dropped = is_total | is_junk
    if is_total.any():
        notes.append(("import.note.total_rows_skipped", {"count": int(is_total.sum())}))
    if is_junk.any():
        notes.append(("import.note.junk_rows_skipped", {"count": int(is_junk.sum())}))
    keep = ~dropped
    if not keep.any():
        raise ImportRefused("import.error.no_data_rows", file=draft.table_name)
    body, lines, dates = body[keep], lines[keep.to_numpy()], dates[keep]
    column = {role: series[keep] for role, series in column.items()}
    undated = (blank_date[keep] & layout.undated_rows).to_numpy()
    if undated.any():
        key = "import.note.undated_rows_in_period" if draft.period else "import.note.undated_rows"
        notes.append((key, {"count": int(undated.sum())}))

    # Only the day counts: dropping the time of day first leaves far fewer distinct values to parse.
    day_text = text(dates).str.replace(_TIME_OF_DAY, "", regex=True)
    parsed = values.parse_dates(day_text, dayfirst=draft.dayfirst)
    bad = (parsed.invalid.to_numpy() | parsed.start.isna().to_numpy()) & ~undated
    if bad.any():
        header = _header(draft, columns["date"]) if "date" in columns else "Date"
        offending = [(lines[i], header, dates.iloc[i]) for i in np.flatnonzero(bad)]
        raise ImportRefused(
            "import.error.bad_date", file=draft.table_name, cells=describe_cells(offending, lang)
        )

    metric_names = [m for m in METRIC_NAMES if m in column]
    decimal = values.detect_decimal([column[m] for m in metric_names])
    parsed_columns = values.parse_number_columns(
        {m: column[m] for m in metric_names}, decimal, hours={"staff_hours"}
    )
    numbers: dict[str, pd.Series] = {}
    bad_cells = []
    for metric in metric_names:
        numbers[metric], invalid = parsed_columns[metric]
        header = _header(draft, columns[metric])
        bad_cells += [
            (lines[i], header, column[metric].iloc[i]) for i in np.flatnonzero(invalid.to_numpy())
        ]
    if bad_cells:
        bad_cells.sort(key=lambda cell: cell[0])
        raise ImportRefused(
            "import.error.not_a_number",
            file=draft.table_name,
            cells=describe_cells(bad_cells, lang),
        )

    grain = "period" if draft.period else layout.grain
    start, end = draft.period or (_days(parsed.start), _days(parsed.end))
    no_figure = np.full(len(body), np.nan)
    # Built in one go: a column added at a time costs pandas more than the cells of a small table.
    facts = pd.DataFrame(
        {
            "platform": draft.platform,
            "account": text(column["account"]) if "account" in column else "",
            "grain": grain,
            "period_start": start,
            "period_end": end,
            "title": text(column["title"]).str.slice(0, 500) if "title" in column else None,
            "campaign": draft.context.campaign or "",
            **{m: numbers[m].to_numpy() if m in numbers else no_figure for m in METRIC_NAMES},
        },
        index=body.index,
    )
    if draft.period:
        # Each item's figures over a known period: keyed by item and period, so monthly exports
        # add up and a re-export of the same period replaces the earlier one.
        facts["item_key"] = keys[keep] if keys is not None else None
    elif layout.grain == "post":
        post_keys = keys[keep]
        day = facts["period_start"].astype(str).fillna("")  # "" for an undated row
        fallback = day + "|" + facts["title"].fillna("").astype(str)
        facts["item_key"] = post_keys.where(post_keys != "", fallback)
    elif layout.key:
        # A day series per content (YouTube "Chart data"): one row per content and day.
        facts["item_key"] = keys[keep]
    else:
        facts["item_key"] = None
    repeated = repeated_rows(facts, keep="last")
    if repeated.any():
        notes.append(("import.note.repeated_rows", {"count": int(repeated.sum())}))
        facts = facts[~repeated]
    if layout.note_key:
        notes.append(("layout.note", {"note": layout.note(lang)}))
    return ParsedTable(draft.table_name, layout.id, grain, facts.reset_index(drop=True), notes)


def sum_into(draft: Draft, positions: list[int]) -> int:
    """Add the columns at `positions` cell by cell into the first one; returns the column to read.

    A blank cell counts as nothing while another part has a figure (a day without sponsored
    content). When a part holds a cell that cannot be read, nothing is added and that part is
    returned, so the import refuses it naming its own column and line.
    """
    columns = [draft.body[draft.body.columns[position]] for position in positions]
    decimal = values.detect_decimal(columns)
    parsed = list(values.parse_number_columns(dict(enumerate(columns)), decimal).values())
    for position, (_, invalid) in zip(positions, parsed, strict=True):
        if invalid.any():
            return position
    summed = pd.concat([numbers for numbers, _ in parsed], axis=1).sum(axis=1, min_count=1)
    body = draft.body.copy()
    body[body.columns[positions[0]]] = summed
    draft.body = body
    return positions[0]


def _days(stamps: pd.Series) -> np.ndarray:
    """Dates as `datetime.date` objects, None where unknown (an undated row)."""
    days = stamps.dt.date.to_numpy(dtype=object, copy=True)
    days[stamps.isna().to_numpy()] = None
    return days


def _header(draft: Draft, position: int) -> str:
    """A column's name as the file writes it (or as the hook that added the column named it)."""
    if position < len(draft.original_headers):
        return draft.original_headers[position]
    return str(draft.body.columns[position])


def _post_keys(column: dict[str, pd.Series], layout: ExportLayout) -> pd.Series:
    """A stable key per post: the first usable key column (permalink first, ids Excel destroyed skipped)."""
    keys = None
    for rank in range(len(layout.key)):
        if f"key{rank}" not in column:
            continue
        found = text(column[f"key{rank}"])
        found = found.where(~found.str.match(_DESTROYED_ID.pattern, case=False), "")
        # Tracking parameters go; a script's parameters stay, since they name the post
        # (`permalink.php?story_fbid=…&id=…`, `watch?v=…`).
        found = found.str.replace(r"#.*$", "", regex=True)
        names_post = found.str.contains(r"\.php\?|/watch\?", regex=True).astype(bool)
        found = found.where(names_post, found.str.replace(r"\?.*$", "", regex=True))
        found = found.str.rstrip("/")
        keys = found if keys is None else keys.where(keys != "", found)
    if keys is None:
        return pd.Series("", index=next(iter(column.values())).index)
    return keys
