"""Big text exports read where they lie: DuckDB splits and scans the file once, Python reads only
what needs interpreting.

A text table of at least `files.STREAM_MIN_BYTES`, of a `streamable` layout, never becomes a grid
of Python strings. Its header is recognised on its first lines (`RawTable.head`). DuckDB then reads
the file once, in full, into a temporary table of the workspace's own connection (`Staging`): per
line, the cells the rules look at, the post key already cleaned, and whether the line is blank.
Every check reads that table: its first kept rows (the decimal mark is chosen there, as
`values.detect_decimal` chooses it), then one pass counting the rows to skip (totals, junk),
collecting the distinct date texts and the distinct number cells that are not plain numbers, and
telling whether a figure's key repeats. Python parses those distinct values with the functions
used for a grid (`values.parse_distinct_dates`, `values.parse_numbers`); their answers go back as
small mapping tables, and the figures reach the workspace in one INSERT (a `FactsQuery`) reading
the temporary table. Plain numbers are cast in SQL.

The result is what `exports._facts` gives for the same grid: the same rows, keys, totals, notes,
and refusals naming the same cells (tests/test_streamed.py runs export fixtures and the real
exports through both). One difference: DuckDB counts a line holding only spaces as a row, where
the grid reader skips it, so the line numbers named below such a line are one higher.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from canalyse.errors import ImportRefused
from canalyse.importing import values
from canalyse.importing.exports import (
    _TIME_OF_DAY,
    _TOTAL_LABELS,
    Detection,
    Draft,
    ExportLayout,
    _header,
    find_roles,
    folded_row,
)
from canalyse.importing.files import RawTable, TextFile
from canalyse.importing.layout import ImportContext, ParsedTable, describe_cells
from canalyse.metrics import METRIC_NAMES
from canalyse.platforms import fold
from canalyse.store.sources import FactsQuery, reading_a_file, used_params

# What `str.strip` removes (pandas' Arrow strings strip the same characters), as an RE2 class.
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x1c\x1d\x1e\x1f\x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_SPACES = "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE)
_FILLED = f"[^{_SPACES}]"
_EDGES = f"^[{_SPACES}]+|[{_SPACES}]+$"
_ENDS = f"^[{_SPACES}]|[{_SPACES}]$"
_DESTROYED_ID = r"(?i)-?[0-9]+[.,][0-9]*e\+?[0-9]+"
_PLAIN = {",": "-?[0-9]+(?:,[0-9]+)?", ".": r"-?[0-9]+(?:\.[0-9]+)?"}
# Rows read before choosing the decimal mark: `values.detect_decimal` reads a column's first
# 100,000 cells; `values._by_distinct` decides on its first 10,000 how to read dates.
_HEAD_ROWS = 100_000
_DATE_SAMPLE = 10_000
# Bytes DuckDB may hold while it reads a big file here (more only for a file that needs it):
# enough for both cores to read at once, less the upload the file came from (a file, or the zip
# holding it), which is in memory meanwhile, and never less than `_LEAST_MEMORY`: an import stays
# within 1 GiB (tests/test_upload_limits.py). A zip of 125 MB expanding to 500 MB peaked at
# 883 MiB with the whole 512 MiB, 770 MiB with 384 MiB, in the same time; a 200 MB upload at
# 850 MiB, against 730 MiB with 312 MiB, 5 % slower. A file given by its path is held nowhere.
_MEMORY = 512 * 1024**2
_LEAST_MEMORY = 256 * 1024**2
_NUMBERS = "_streamed_numbers"
_DATES = "_streamed_dates"
_NO_NUMBERS = pd.DataFrame({"metric": [], "text": [], "number": []}).astype(
    {"metric": object, "text": object, "number": "float64"}
)
_EMPTY = "''"


class Unreadable(Exception):  # noqa: N818 — not an error for the user: the grid reader takes over
    """DuckDB cannot split the file as the grid reader does (a row longer than the first ones,
    a quote left open): the table is read as a grid instead."""


def _strip(expression: str) -> str:
    """`str.strip` in SQL (a NULL cell is ""); most cells have nothing to strip, and a look at
    their ends costs less than the replacing."""
    return (
        f"CASE WHEN regexp_matches({expression}, '{_ENDS}') "
        f"THEN regexp_replace({expression}, '{_EDGES}', '', 'g') ELSE coalesce({expression}, '') END"
    )


def _filled(expression: str) -> str:
    """Whether a cell holds more than spaces."""
    return f"coalesce(regexp_matches({expression}, '{_FILLED}'), false)"


# `exports._post_keys` on one key cell, step by step: stripped, an id Excel destroyed dropped,
# tracking parameters dropped unless the query names the post (`permalink.php?story_fbid=…`,
# `watch?v=…`), trailing slashes dropped. Most links need none of it: each step looks first.
_KEY_STEPS = (
    "CASE WHEN regexp_full_match({k}, '" + _DESTROYED_ID + "') THEN '' ELSE {k} END",
    "CASE WHEN contains({k}, '#') THEN regexp_replace({k}, '#.*$', '') ELSE {k} END",
    "CASE WHEN contains({k}, '?') AND NOT (contains({k}, '.php?') OR contains({k}, '/watch?')) "
    "THEN regexp_replace({k}, '\\?.*$', '') ELSE {k} END",
    "CASE WHEN suffix({k}, '/') THEN regexp_replace({k}, '/+$', '') ELSE {k} END",
)


def _clean_key(cell: str) -> str:
    """All of `_KEY_STEPS` as one expression (it repeats its input: for the few rows that need
    a second key column, the first one being blank)."""
    key = _strip(cell)
    for step in _KEY_STEPS:
        key = step.format(k=f"({key})")
    return key


class Staging:
    """Where the big text tables of one import wait between reading and storing: temporary tables
    of the workspace's own connection (in memory, spilling to DuckDB's temporary folder), so that
    the INSERT storing their figures reads them there and the file is parsed only once. The
    tables go when the import ends, stored or not."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.tables: list[str] = []

    def new_table(self) -> str:
        name = f"_streamed_rows_{len(self.tables)}"
        self.tables.append(name)
        self.con.execute(f"DROP TABLE IF EXISTS temp.{name}")
        return name

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_exc) -> None:
        for name in self.tables:
            try:
                self.con.execute(f"DROP TABLE IF EXISTS temp.{name}")
            except duckdb.Error:
                pass  # the connection is closed or its transaction aborted: the table goes with it


class SqlBody:
    """The body of a big text table (the rows below its header), as DuckDB reads it, on the
    workspace's connection (`Staging`)."""

    def __init__(self, text: TextFile, header_line: int, staging: Staging) -> None:
        self.text = text
        self.header_line = header_line
        self.parallel = True
        self.staging = staging
        self.con = staging.con
        self.memory: int | None = max(_LEAST_MEMORY, _MEMORY - text.held)

    def reader(self) -> str:
        """Every line of the file below the lines skipped, as DuckDB splits it, in order."""
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(self.text.columns))
        return (
            f"read_csv($csv_path, columns = {{{columns}}}, header = false, delim = $csv_delim, "
            "quote = '\"', escape = '\"', auto_detect = false, null_padding = true, "
            f"strict_mode = true, skip = $csv_skip{'' if self.parallel else ', parallel = false'})"
        )

    def filled(self) -> str:
        """Whether a line holds more than blanks."""
        filled = " ".join(f"WHEN {_filled(f'c{i}')} THEN true" for i in range(self.text.columns))
        return f"CASE {filled} ELSE false END"

    def sql(self) -> str:
        """The numbered rows below the header that are not blank throughout (`line` is the grid's
        row number + 1, as in the messages naming cells)."""
        return (
            f"SELECT * FROM (SELECT row_number() OVER () AS line, * FROM {self.reader()}) "
            f"WHERE line > $header_line AND {self.filled()}"
        )

    def params(self) -> dict:
        return {
            "csv_path": str(self.text.path),
            "csv_delim": self.text.separator,
            "csv_skip": self.text.skip,
            "header_line": self.header_line,
        }

    def query(self, sql: str, params: dict | None = None, *, arrow: bool = False):
        """Run `sql`, where `{body}` stands for the body rows and `{reader}` for every line of the
        file (with `arrow`, its rows as an Arrow table; else all its rows); raises `Unreadable`
        when DuckDB cannot split the file."""
        while True:
            statement = sql.replace("{body}", f"({self.sql()})").replace("{reader}", self.reader())
            used = used_params(statement, {**self.params(), **(params or {})})
            try:
                with reading_a_file(self.con, self.memory):
                    if arrow:
                        return self.con.sql(statement, params=used).to_arrow_table()
                    return self.con.execute(statement, used).fetchall()
            except duckdb.OutOfMemoryException:
                # A file with unusually many distinct dates or keys: more room, then all of it.
                if self.memory is None:
                    raise
                self.memory = self.memory * 4 if self.memory < _MEMORY * 16 else None
                continue
            except duckdb.Error as exc:
                # Quoted line breaks beside short rows need DuckDB's single-threaded reader.
                if self.parallel and "null_padding" in str(exc):
                    self.parallel = False
                    continue
                if isinstance(exc, duckdb.InvalidInputException) or "CSV Error" in str(exc):
                    raise Unreadable(str(exc)) from None
                raise

    def has_data(self, position: int) -> bool:
        """Whether a column holds anything but blanks."""
        sql = f"SELECT 1 FROM {{body}} WHERE {_filled(f'c{position}')} LIMIT 1"
        return bool(self.query(sql))

    def most_common(self, position: int) -> tuple[str, int] | None:
        """`Draft.most_common` over the body."""
        rows = self.query(
            f"""
            WITH cells AS (SELECT line, {_strip(f"c{position}")} AS cell FROM {{body}})
            SELECT cell, count(*), (SELECT count(*) FROM cells)
            FROM cells WHERE cell <> '' GROUP BY cell ORDER BY count(*) DESC, min(line) LIMIT 1
            """
        )
        if not rows:
            return None
        main, count, total = rows[0]
        return main, int(total - count)


def parse(table: RawTable, detection: Detection, context: ImportContext) -> ParsedTable:
    """Turn a big text export into the query storing its facts; refuses as `exports.parse`."""
    layout, head, header_row = detection.layout, table.head, detection.header_row
    assert table.text is not None
    if context.staging is None:
        raise Unreadable("no workspace connection to stage the table in")
    body = SqlBody(table.text, header_row + 1, context.staging)
    headers = folded_row(head, header_row)
    draft = Draft(
        table.name,
        headers,
        [str(v).strip() for v in head.iloc[header_row].tolist()],
        head.iloc[:header_row],
        body,
        layout.platform,
        find_roles(layout, headers, body),
        context,
        notes=list(table.notes),
        dayfirst=layout.dayfirst,
    )
    if layout.adjust is not None:
        layout.adjust(draft)
    return _Facts(layout, draft, body).parsed()


class _Facts:
    """`exports._facts` for a body DuckDB reads."""

    def __init__(self, layout: ExportLayout, draft: Draft, body: SqlBody) -> None:
        if draft.dates is not None or draft.period is not None:
            raise Unreadable("only a grid can take dates or a period from a hook")
        self.layout, self.draft, self.body = layout, draft, body
        self.lang = draft.context.lang
        self.metrics = [m for m in METRIC_NAMES if m in draft.columns]
        self.keys = [
            draft.columns[f"key{rank}"]
            for rank in range(len(layout.key))
            if f"key{rank}" in draft.columns
        ]
        self.grain = layout.grain
        self.decimal = ","
        self.messy: set[str] = set()
        self.commas: set[str] = set()
        self._table = ""
        self.params = {
            "totals": [],
            "platform": draft.platform,
            "grain": self.grain,
            "campaign": draft.context.campaign or "",
            **{f"{role}_value": value for role, value in draft.constants.items()},
        }

    # ---- The rows, in SQL ------------------------------------------------------------------------
    # The file is read once (`_stage`), its cells interpreted in layers so that each is read
    # once; every count, check and the INSERT storing the figures then read that table.

    def _role(self, role: str) -> str | None:
        """A role's stripped text, or None when the table does not give it."""
        draft = self.draft
        if role in draft.constants:
            return f"${role}_value"
        if role in draft.filled_from:
            found = None
            for position in reversed(draft.filled_from[role]):
                part = _strip(f"c{position}")
                found = part if found is None else f"coalesce(nullif({part}, ''), {found})"
            return found
        if role in draft.columns:
            return _strip(f"c{draft.columns[role]}")
        return None

    def rows_sql(self) -> str:
        """Every body row with what the rules look at: the first cell if it may name a total, the
        date text without its time of day (`day_text`, not yet stripped; `date_raw` is the cell
        where a time of day was cut off), the post key (`exports._post_keys`),
        account, title, the raw metric cells, and whether it is a total, junk, kept, or kept
        without a date. Reads the table `_stage` wrote."""
        layout = self.layout
        metrics = [f"m_{m}" for m in self.metrics]
        junk = "no_date AND key = ''" if layout.key else "no_date"
        if layout.undated_rows and self.metrics:
            # Rows without a date but with figures are kept, undated.
            junk += "".join(f" AND NOT {_filled(m)}" for m in metrics)
        if layout.key:
            junk = f"({junk}) OR suffix(key, '/undefined')"
        total = "list_contains($totals::VARCHAR[], first)" if self.params["totals"] else "false"
        undated = "kept AND no_date" if layout.undated_rows else "false"
        # A table keeps the order its rows were inserted in: row ids number the file's lines.
        return f"""
            SELECT *, {undated} AS undated
            FROM (
                SELECT *, NOT is_total AND NOT is_junk AS kept
                FROM (
                    SELECT *, coalesce({total}, false) AS is_total, {junk} AS is_junk
                    FROM (
                        SELECT rowid + 1 AS line, * EXCLUDE (blank) FROM temp.{self._table}
                        WHERE rowid + 1 > $header_line AND NOT blank
                    )
                )
            )
        """

    def _stage(self) -> None:
        """Read the file once, in full, into a temporary table: per line, the cells the rules
        look at, the key cleaned, and whether the line is blank throughout."""
        draft = self.draft
        date = f"c{draft.columns['date']}"
        title = self._role("title")
        metrics = [f"m_{m}" for m in self.metrics]
        # The time of day goes before the day is read (far fewer distinct texts to parse); the
        # spaces around stay for Python to strip, as `exports.text` would have first.
        day_text = (
            f"CASE WHEN contains({date}, ':') THEN regexp_replace({date}, "
            f"'({_FILLED}){_TIME_OF_DAY.removesuffix('$')}[{_SPACES}]*$', '\\1') "
            f"ELSE coalesce({date}, '') END"
        )
        read = [
            # Only what may name a total row, and the date cell only where it differs from the
            # day's text: the table stays small.
            "CASE WHEN c0 ILIKE '%tot%' THEN c0 END AS first",
            f"CASE WHEN contains({date}, ':') THEN {date} END AS date_raw",
            f"NOT {_filled(date)} AS no_date",
            f"{day_text} AS day_text",
            f"{self._role('account') or _EMPTY} AS account",
            f"left({title}, 500) AS title" if title else "NULL::VARCHAR AS title",
            *(f"c{draft.columns[m]} AS m_{m}" for m in self.metrics),
            *(f"c{p} AS k{n}" for n, p in enumerate(self.keys)),
            f"NOT {self.body.filled()} AS blank",
        ]
        carried = ["first", "date_raw", "no_date", "day_text", "account", "title", "blank"]
        carried += metrics + [f"k{n}" for n in range(1, len(self.keys))]
        # The first key column is cleaned a step per layer; the others only where it is blank.
        layers = f"SELECT {', '.join(read)} FROM {{reader}}"
        if self.keys:
            layers = f"SELECT {', '.join(carried)}, {_strip('k0')} AS k0 FROM ({layers})"
            for step in _KEY_STEPS:
                layers = f"SELECT {', '.join(carried)}, {step.format(k='k0')} AS k0 FROM ({layers})"
        key = _EMPTY
        for n in reversed(range(len(self.keys))):
            cleaned = "k0" if n == 0 else _clean_key(f"k{n}")
            key = (
                cleaned
                if key == _EMPTY
                else f"CASE WHEN {cleaned} <> '' THEN {cleaned} ELSE {key} END"
            )
        self._table = self.body.staging.new_table()
        self.body.query(
            f"CREATE TEMP TABLE {self._table} AS "
            f"SELECT {', '.join(carried)}, {key} AS key FROM ({layers})",
            self.params,
        )

    def _item_key(self, start: str) -> str:
        """`item_key` as `exports._facts` builds it; `start` is the row's first day."""
        if self.grain == "post":
            fallback = (
                f"coalesce(strftime({start}, '%Y-%m-%d'), 'None') || '|' || coalesce(title, '')"
            )
            return f"CASE WHEN key <> '' THEN key ELSE {fallback} END"
        return "key" if self.layout.key else "NULL::VARCHAR"

    def _figure(self) -> str:
        """A hash of what tells two figure lines of the table apart as `fact_key` does (the
        network, the grain and the campaign are the same on every line), dates not yet read.
        Different hashes are different figures: as many hashes as lines, no line repeats."""
        if self.grain == "post":
            return (
                "hash(account, key, CASE WHEN key = '' THEN day_text END, "
                "CASE WHEN key = '' THEN title END)"
            )
        return f"hash(account, {'key' if self.layout.key else _EMPTY}, day_text)"

    def _number(self, metric: str) -> str:
        """A metric's value: a plain number cast, any other cell as Python read it."""
        cell = f"m_{metric}"
        plain = f"replace({cell}, ',', '.')" if metric in self.commas else cell
        if metric not in self.messy:
            # The full pass found only plain numbers (or blanks) in this column.
            return f"CAST({plain} AS DOUBLE)"
        return f"CASE WHEN n_{metric}.text IS NOT NULL THEN n_{metric}.number ELSE CAST({plain} AS DOUBLE) END"

    # ---- Reading --------------------------------------------------------------------------------

    def parsed(self) -> ParsedTable:
        layout, draft, lang = self.layout, self.draft, self.lang
        notes = draft.notes
        if "date" not in draft.columns:
            raise ImportRefused("import.error.no_date_column", file=draft.table_name)
        self._stage()
        head, counts = self._read()
        totals = [text for text in counts["candidates"] or [] if fold(text) in _TOTAL_LABELS]
        if totals:
            self.params["totals"] = totals
            head, counts = self._read()
        if counts["totals"]:
            notes.append(("import.note.total_rows_skipped", {"count": int(counts["totals"])}))
        if counts["junk"]:
            notes.append(("import.note.junk_rows_skipped", {"count": int(counts["junk"])}))
        kept = int(counts["kept"])
        if not kept:
            raise ImportRefused("import.error.no_data_rows", file=draft.table_name)
        if counts["undated"]:
            notes.append(("import.note.undated_rows", {"count": int(counts["undated"])}))

        dates = self._dates(head, counts["days"] or {})
        numbers = self._numbers(counts)
        repeated = kept - int(counts["figures"])
        if repeated or not dates["start"].is_unique:
            repeated = self._repeated(dates, numbers)
        if repeated:
            notes.append(("import.note.repeated_rows", {"count": repeated}))
        if layout.note_key:
            notes.append(("layout.note", {"note": layout.note(lang)}))
        facts = FactsQuery(
            self._facts_sql(repeated > 0).replace("{body}", f"({self.body.sql()})"),
            params={**self.body.params(), **self.params},
            relations={_DATES: dates, _NUMBERS: numbers},
            platforms=[draft.platform] if draft.platform else [],
            memory=self.body.memory,
        )
        return ParsedTable(draft.table_name, layout.id, self.grain, facts, notes)

    def _read(self) -> tuple[pd.DataFrame, dict]:
        """The first kept rows (dates and figures), then the counts over all rows."""
        rows = self.rows_sql()
        cells = ", ".join(["day_text", *(f"m_{m}" for m in self.metrics)])
        head = self.body.query(
            f"SELECT {cells} FROM ({rows}) WHERE kept LIMIT {_HEAD_ROWS}", self.params, arrow=True
        ).to_pandas(types_mapper=pd.ArrowDtype)
        self.decimal = values.detect_decimal([head[f"m_{m}"].fillna("") for m in self.metrics])
        # One look at each row's figures together finds the rows whose cells all are plain
        # numbers or blank (nearly all); the others' cells are looked at one by one, if any.
        plain = _PLAIN[self.decimal]
        cells = ", ".join(f"coalesce(m_{m}, '')" for m in self.metrics) or _EMPTY
        repeat = (
            f"(?:\\x1f(?:{plain})?){{{len(self.metrics) - 1}}}" if len(self.metrics) > 1 else ""
        )
        commas = ", ".join(
            f"coalesce(bool_or(contains(m_{m}, ',')) FILTER (WHERE kept), false)"
            for m in self.metrics
        )
        found = self.body.query(
            f"""
            SELECT count(*) FILTER (WHERE is_total) AS totals,
                count(*) FILTER (WHERE is_junk) AS junk,
                list(DISTINCT first) FILTER (WHERE first ILIKE '%tot%') AS candidates,
                count(*) FILTER (WHERE kept) AS kept,
                count(*) FILTER (WHERE undated) AS undated,
                histogram(day_text) FILTER (WHERE kept AND NOT undated) AS days,
                count(DISTINCT {self._figure()}) FILTER (WHERE kept) AS figures,
                count(*) FILTER (WHERE kept AND NOT regexp_full_match(
                    concat_ws(chr(31), {cells}), '(?:{plain})?{repeat}')) AS messy_rows,
                [{commas}] AS commas
            FROM ({rows})
            """,
            self.params,
        )
        names = ["totals", "junk", "candidates", "kept", "undated", "days", "figures", "messy_rows"]
        counts = dict(zip([*names, "commas"], found[0], strict=True))
        # Columns without a comma anywhere are cast as they are, without replacing one per cell.
        self.commas = {m for m, comma in zip(self.metrics, counts["commas"], strict=True) if comma}
        counts["messy"] = self._messy() if counts["messy_rows"] else {}
        return head, counts

    def _messy(self) -> dict[str, list[str]]:
        """Per metric, the distinct cells of kept rows that are neither blank nor plain numbers."""
        cells = ", ".join(f"m_{m}" for m in self.metrics)
        names = ", ".join(f"'{m}'" for m in self.metrics)
        rows = self.body.query(
            f"""
            SELECT metric, list(DISTINCT cell)
            FROM (
                SELECT unnest([{names}]) AS metric, unnest([{cells}]) AS cell
                FROM ({self.rows_sql()}) WHERE kept
            )
            WHERE cell IS NOT NULL AND NOT regexp_full_match(cell, '{_PLAIN[self.decimal]}')
            GROUP BY metric
            """,
            self.params,
        )
        return dict(rows)

    def _dates(self, head: pd.DataFrame, days: dict) -> pd.DataFrame:
        """The first and last day of each distinct date text; refuses naming unreadable cells."""
        raw = pd.Series(list(days), dtype=object)
        stripped = raw.astype("string[pyarrow]").str.strip().astype(object)
        counts = pd.Series(np.fromiter(days.values(), dtype="int64", count=len(days)))
        distinct = counts.groupby(stripped.to_numpy(), sort=False).sum()
        sample = head["day_text"].iloc[:_DATE_SAMPLE].fillna("")
        sample = sample.astype("string[pyarrow]").str.strip().to_numpy(dtype=object)
        per_cell = len(pd.unique(sample)) > len(sample) // 2
        parsed = values.parse_distinct_dates(
            pd.Series(distinct.index, dtype=object),
            distinct.to_numpy(),
            self.draft.dayfirst,
            per_cell=per_cell,
        )
        read = pd.DataFrame(
            {
                "start": parsed.start.to_numpy(),
                "end": parsed.end.to_numpy(),
                "bad": (parsed.invalid | parsed.start.isna()).to_numpy(),
            },
            index=distinct.index,
        ).reindex(stripped.to_numpy())
        if read["bad"].any():
            header = _header(self.draft, self.draft.columns["date"])
            cells, total = self.body.query(
                f"""
                SELECT list(row(line, coalesce(date_raw, day_text)) ORDER BY line)[1:5], count(*)
                FROM ({self.rows_sql()})
                WHERE kept AND NOT undated AND list_contains($bad, day_text)
                """,
                {**self.params, "bad": raw[read["bad"].to_numpy()].tolist()},
            )[0]
            offending = [(line, header, cell) for line, cell in cells]
            raise ImportRefused(
                "import.error.bad_date",
                file=self.draft.table_name,
                cells=describe_cells(offending, self.lang, count=total),
            )
        return pd.DataFrame(
            {"text": raw, "start": read["start"].to_numpy(), "end": read["end"].to_numpy()}
        )

    def _numbers(self, counts: dict) -> pd.DataFrame:
        """The number each distinct cell that is not a plain number stands for; refuses naming
        the cells that are none."""
        found, invalid = [_NO_NUMBERS], {}
        for metric in self.metrics:
            messy = pd.Series(counts["messy"].get(metric, []), dtype=object)
            if messy.empty:
                continue
            parse = values.parse_hours if metric == "staff_hours" else values.parse_numbers
            numbers, unreadable = parse(messy, self.decimal)
            if unreadable.any():
                invalid[metric] = messy[unreadable.to_numpy()].tolist()
            found.append(pd.DataFrame({"metric": metric, "text": messy, "number": numbers}))
            self.messy.add(metric)
        if invalid:
            self._refuse_numbers(invalid)
        return pd.concat(found, ignore_index=True)

    def _refuse_numbers(self, invalid: dict[str, list[str]]) -> None:
        parts = [
            f"SELECT line, {rank} AS rank, m_{metric} AS cell FROM rows "
            f"WHERE kept AND list_contains($bad_{metric}, m_{metric})"
            for rank, metric in enumerate(self.metrics)
            if metric in invalid
        ]
        cells, total = self.body.query(
            f"""
            WITH rows AS ({self.rows_sql()})
            SELECT list(row(line, rank, cell) ORDER BY line, rank)[1:5], count(*)
            FROM ({" UNION ALL ".join(parts)})
            """,
            {**self.params, **{f"bad_{m}": cells for m, cells in invalid.items()}},
        )[0]
        headers = [_header(self.draft, self.draft.columns[m]) for m in self.metrics]
        offending = [(line, headers[rank], cell) for line, rank, cell in cells]
        raise ImportRefused(
            "import.error.not_a_number",
            file=self.draft.table_name,
            cells=describe_cells(offending, self.lang, count=total),
        )

    def _repeated(self, dates: pd.DataFrame, numbers: pd.DataFrame) -> int:
        """How many figure lines repeat a later line's key, dates read."""
        self.body.con.register(_DATES, dates)
        self.body.con.register(_NUMBERS, numbers)
        try:
            return int(
                self.body.query(
                    f"""
                    SELECT count(*) - count(DISTINCT fact_key(platform, account, grain, item_key,
                        period_start, period_end, key_campaign, campaign, key_extra))
                    FROM ({self._facts_sql(False)})
                    """,
                    self.params,
                )[0][0]
            )
        finally:
            self.body.con.unregister(_DATES)
            self.body.con.unregister(_NUMBERS)

    def _facts_sql(self, repeated: bool) -> str:
        """The SELECT giving the store's INPUT_COLUMNS, keeping the last of repeated lines."""
        joins = "".join(
            f" LEFT JOIN (SELECT text, number FROM {_NUMBERS} WHERE metric = '{m}') AS n_{m} "
            f"ON n_{m}.text = r.m_{m}"
            for m in self.metrics
            if m in self.messy
        )
        figures = ", ".join(f"{self._number(m)} AS {m}" for m in self.metrics)
        sql = f"""
            SELECT line, $platform AS platform, account, $grain AS grain,
                CAST(d.start AS DATE) AS period_start, CAST(d."end" AS DATE) AS period_end,
                {self._item_key("CAST(d.start AS DATE)")} AS item_key, title,
                $campaign AS campaign, false AS key_campaign, '' AS key_extra
                {", " + figures if figures else ""}
            FROM ({self.rows_sql()}) AS r
            LEFT JOIN {_DATES} AS d ON d.text = r.day_text AND NOT r.undated
            {joins}
            WHERE r.kept
        """
        if repeated:
            # The last of the lines giving the same figure stands, as `keys.repeated_rows` keeps.
            dates = "" if self.grain == "post" else ", period_start, period_end"
            sql += (
                " QUALIFY row_number() OVER (PARTITION BY account, coalesce(item_key, '')"
                f"{dates} ORDER BY line DESC) = 1 ORDER BY line"
            )
        return f"SELECT * EXCLUDE (line) FROM ({sql})"
