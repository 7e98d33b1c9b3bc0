"""Big text exports read where they lie: DuckDB splits and scans the body, Python reads only what
needs interpreting.

A text table of at least `files.STREAM_MIN_BYTES`, of a `streamable` layout, never becomes a grid
of Python strings. Its header is recognised on its first lines (`RawTable.head`); DuckDB then
reads the body from the cleaned file: once up to `_HEAD_ROWS` rows (the decimal mark is chosen
there, as `values.detect_decimal` chooses it), once in full, counting the rows to skip (totals,
junk), collecting the distinct date texts and the distinct number cells that are not plain
numbers, and telling whether a figure's key repeats. Python parses those distinct values with
the functions used for a grid (`values.parse_distinct_dates`, `values.parse_numbers`); their
answers go back as small mapping tables, and the figures reach the workspace in one INSERT (a
`FactsQuery`) that reads the file a last time. Plain numbers are cast in SQL.

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
from canalyse.store.keys import FACT_KEY_MACRO
from canalyse.store.sources import FactsQuery, used_params

# What `str.strip` removes (pandas' Arrow strings strip the same characters), as an RE2 class.
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x1c\x1d\x1e\x1f\x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_SPACES = "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE)
_EDGES = f"^[{_SPACES}]+|[{_SPACES}]+$"
_FILLED = f"[^{_SPACES}]"
_DESTROYED_ID = r"(?i)-?[0-9]+[.,][0-9]*e\+?[0-9]+"
_PLAIN = {",": "-?[0-9]+(?:,[0-9]+)?", ".": r"-?[0-9]+(?:\.[0-9]+)?"}
# Rows read before choosing the decimal mark: `values.detect_decimal` reads a column's first
# 100,000 cells; `values._by_distinct` decides on its first 10,000 how to read dates.
_HEAD_ROWS = 100_000
_DATE_SAMPLE = 10_000
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
    return f"regexp_replace(coalesce({expression}, ''), '{_EDGES}', '', 'g')"


def _filled(expression: str) -> str:
    return f"coalesce(regexp_matches({expression}, '{_FILLED}'), false)"


class SqlBody:
    """The body of a big text table (the rows below its header), as DuckDB reads it."""

    def __init__(self, text: TextFile, header_line: int) -> None:
        self.text = text
        self.header_line = header_line
        self.parallel = True
        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false")
        # The file must stay the probed side of joins (see `store.sources._insert_facts`).
        self.con.execute("SET disabled_optimizers = 'build_side_probe_side'")

    def sql(self) -> str:
        """The numbered rows below the header that are not blank throughout (`line` is the grid's
        row number + 1, as in the messages naming cells)."""
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(self.text.columns))
        reader = (
            f"read_csv($csv_path, columns = {{{columns}}}, header = false, delim = $csv_delim, "
            "quote = '\"', escape = '\"', auto_detect = false, null_padding = true, "
            f"strict_mode = true, skip = $csv_skip{'' if self.parallel else ', parallel = false'})"
        )
        filled = " ".join(f"WHEN {_filled(f'c{i}')} THEN true" for i in range(self.text.columns))
        return (
            f"SELECT * FROM (SELECT row_number() OVER () AS line, * FROM {reader}) "
            f"WHERE line > $header_line AND CASE {filled} ELSE false END"
        )

    def params(self) -> dict:
        return {
            "csv_path": str(self.text.path),
            "csv_delim": self.text.separator,
            "csv_skip": self.text.skip,
            "header_line": self.header_line,
        }

    def query(self, sql: str, params: dict | None = None) -> duckdb.DuckDBPyConnection:
        """Run `sql`, where `{body}` stands for the body rows; raises `Unreadable` when DuckDB
        cannot split the file."""
        while True:
            statement = sql.replace("{body}", f"({self.sql()})")
            try:
                return self.con.execute(
                    statement, used_params(statement, {**self.params(), **(params or {})})
                )
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
        return bool(self.query(sql).fetchall())

    def most_common(self, position: int) -> tuple[str, int] | None:
        """`Draft.most_common` over the body."""
        rows = self.query(
            f"""
            WITH cells AS (SELECT line, {_strip(f"c{position}")} AS cell FROM {{body}})
            SELECT cell, count(*), (SELECT count(*) FROM cells)
            FROM cells WHERE cell <> '' GROUP BY cell ORDER BY count(*) DESC, min(line) LIMIT 1
            """
        ).fetchall()
        if not rows:
            return None
        main, count, total = rows[0]
        return main, int(total - count)

    def close(self) -> None:
        self.con.close()


def parse(table: RawTable, detection: Detection, context: ImportContext) -> ParsedTable:
    """Turn a big text export into the query storing its facts; refuses as `exports.parse`."""
    layout, head, header_row = detection.layout, table.head, detection.header_row
    assert table.text is not None
    body = SqlBody(table.text, header_row + 1)
    try:
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
    finally:
        body.close()


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
        self._rows: str | None = None
        self.params = {
            "totals": [],
            "platform": draft.platform,
            "grain": self.grain,
            "campaign": draft.context.campaign or "",
            **{f"{role}_value": value for role, value in draft.constants.items()},
        }

    # ---- The rows, in SQL ------------------------------------------------------------------------

    def _role(self, role: str) -> str | None:
        """A role's stripped text, or None when the table does not give it."""
        draft = self.draft
        if role in draft.constants:
            return f"${role}_value"
        if role in draft.filled_from:
            found = None
            for position in draft.filled_from[role]:
                part = _strip(f"c{position}")
                found = (
                    part
                    if found is None
                    else f"CASE WHEN {found} <> '' THEN {found} ELSE {part} END"
                )
            return found
        if role in draft.columns:
            return _strip(f"c{draft.columns[role]}")
        return None

    def rows_sql(self) -> str:
        """Every body row with what the rules look at: the first cell, the date text, the post key
        (`exports._post_keys`), account, title, the raw metric cells, and whether it is a total,
        junk, kept, or kept without a date."""
        if self._rows is None:
            self._rows = self._rows_sql()
        return self._rows

    def _rows_sql(self) -> str:
        layout, draft = self.layout, self.draft
        date = f"c{draft.columns['date']}"
        title = self._role("title")
        carried = ["line", "first", "date_text", "date_raw", "account", "title"]
        carried += [f"m_{m}" for m in self.metrics]
        read = [
            "line",
            f"{_strip('c0')} AS first",
            f"{_strip(date)} AS date_text",
            f"coalesce({date}, '') AS date_raw",
            f"{self._role('account') or _EMPTY} AS account",
            f"left({title}, 500) AS title" if title else "NULL::VARCHAR AS title",
            *(f"c{draft.columns[m]} AS m_{m}" for m in self.metrics),
            *(f"{_strip(f'c{p}')} AS k{n}" for n, p in enumerate(self.keys)),
        ]
        # Ids Excel destroyed go; tracking parameters go, unless the query names the post
        # (`permalink.php?story_fbid=…`, `watch?v=…`); then trailing slashes.
        steps = [
            "CASE WHEN regexp_full_match({k}, '" + _DESTROYED_ID + "') THEN '' ELSE {k} END",
            "CASE WHEN contains({k}, '#') THEN regexp_replace({k}, '#.*$', '') ELSE {k} END",
            "CASE WHEN contains({k}, '?') AND NOT (contains({k}, '.php?') OR contains({k}, "
            "'/watch?')) THEN regexp_replace({k}, '\\?.*$', '') ELSE {k} END",
            "CASE WHEN suffix({k}, '/') THEN regexp_replace({k}, '/+$', '') ELSE {k} END",
        ]
        sql = f"SELECT {', '.join(read)} FROM {{body}}"
        for step in steps:
            keys = [f"{step.format(k=f'k{n}')} AS k{n}" for n in range(len(self.keys))]
            sql = f"SELECT {', '.join(carried + keys)} FROM ({sql})"
        key = "''"
        for n in range(len(self.keys)):
            key = f"k{n}" if n == 0 else f"CASE WHEN {key} <> '' THEN {key} ELSE k{n} END"
        day_text = (
            "CASE WHEN contains(date_text, ':') "
            f"THEN regexp_replace(date_text, '{_TIME_OF_DAY}', '') ELSE date_text END"
        )
        junk = "date_text = '' AND key = ''" if layout.key else "date_text = ''"
        if layout.undated_rows and self.metrics:
            # Rows without a date but with figures are kept, undated.
            junk += "".join(f" AND NOT {_filled(f'm_{m}')}" for m in self.metrics)
        if layout.key:
            junk = f"({junk}) OR suffix(key, '/undefined')"
        undated = "date_text = ''" if layout.undated_rows else "false"
        return f"""
            SELECT *, kept AND {undated} AS undated
            FROM (
                SELECT *, NOT is_total AND NOT is_junk AS kept
                FROM (
                    SELECT {", ".join(carried)}, key, {day_text} AS day_text,
                        list_contains($totals::VARCHAR[], first) AS is_total, {junk} AS is_junk
                    FROM (SELECT *, {key} AS key FROM ({sql}))
                )
            )
        """

    def _item_key(self, start: str) -> str:
        """`item_key` as `exports._facts` builds it; `start` is the row's first day."""
        if self.grain == "post":
            fallback = (
                f"coalesce(strftime({start}, '%Y-%m-%d'), 'None') || '|' || coalesce(title, '')"
            )
            return f"CASE WHEN key <> '' THEN key ELSE {fallback} END"
        return "key" if self.layout.key else "NULL::VARCHAR"

    def _figure(self) -> str:
        """What tells two figure lines of the table apart, as `fact_key` does (the network, the
        grain and the campaign are the same on every line), before dates are read."""
        if self.grain == "post":
            return (
                "account || chr(31) || CASE WHEN key <> '' THEN 'k' || key "
                "ELSE 'd' || day_text || chr(30) || coalesce(title, '') END"
            )
        key = "key" if self.layout.key else _EMPTY
        return f"account || chr(31) || {key} || chr(30) || day_text"

    def _number(self, metric: str, messy: bool) -> str:
        cell = f"m_{metric}"
        plain = (
            f"CAST(replace({cell}, ',', '.') AS DOUBLE)"
            if self.decimal == ","
            else f"CAST({cell} AS DOUBLE)"
        )
        other = f"n_{metric}.number" if messy else "NULL::DOUBLE"
        return f"CASE WHEN regexp_full_match({cell}, '{_PLAIN[self.decimal]}') THEN {plain} ELSE {other} END"

    # ---- Reading --------------------------------------------------------------------------------

    def parsed(self) -> ParsedTable:
        layout, draft, lang = self.layout, self.draft, self.lang
        notes = draft.notes
        if "date" not in draft.columns:
            raise ImportRefused("import.error.no_date_column", file=draft.table_name)
        head, counts = self._read()
        candidates = [text for text in counts["candidates"] or [] if fold(text) in _TOTAL_LABELS]
        if candidates:
            self.params["totals"] = candidates
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
        if layout.note_fr:
            notes.append(("layout.note", {"note": layout.note(lang)}))
        facts = FactsQuery(
            self._facts_sql(repeated > 0).replace("{body}", f"({self.body.sql()})"),
            params={**self.body.params(), **self.params},
            relations={_DATES: dates, _NUMBERS: numbers},
            platforms=[draft.platform] if draft.platform else [],
        )
        return ParsedTable(draft.table_name, layout.id, self.grain, facts, notes)

    def _read(self) -> tuple[pd.DataFrame, dict]:
        """The first kept rows (dates and figures), then the counts over all rows."""
        rows = self.rows_sql()
        cells = ", ".join(["day_text", *(f"m_{m}" for m in self.metrics)])
        head = self.body.query(
            f"SELECT {cells} FROM ({rows}) WHERE kept LIMIT {_HEAD_ROWS}", self.params
        ).df()
        self.decimal = values.detect_decimal([head[f"m_{m}"].fillna("") for m in self.metrics])
        messy = ", ".join(
            f"list(DISTINCT m_{m}) FILTER (WHERE kept AND m_{m} IS NOT NULL AND NOT "
            f"regexp_full_match(m_{m}, '{_PLAIN[self.decimal]}')) AS messy_{m}"
            for m in self.metrics
        )
        found = self.body.query(
            f"""
            SELECT count(*) FILTER (WHERE is_total) AS totals,
                count(*) FILTER (WHERE is_junk) AS junk,
                list(DISTINCT first) FILTER (WHERE contains(lower(first), 'tot')) AS candidates,
                count(*) FILTER (WHERE kept) AS kept,
                count(*) FILTER (WHERE undated) AS undated,
                histogram(day_text) FILTER (WHERE kept AND NOT undated) AS days,
                count(DISTINCT {self._figure()}) FILTER (WHERE kept) AS figures
                {", " + messy if messy else ""}
            FROM ({rows})
            """,
            self.params,
        )
        names = [column[0] for column in found.description]
        return head, dict(zip(names, found.fetchall()[0], strict=True))

    def _dates(self, head: pd.DataFrame, days: dict) -> pd.DataFrame:
        """The first and last day of each distinct date text; refuses naming unreadable cells."""
        texts = pd.Series(list(days), dtype=object)
        counts = np.fromiter(days.values(), dtype="int64", count=len(days))
        sample = head["day_text"].iloc[:_DATE_SAMPLE].fillna("").to_numpy(dtype=object)
        per_cell = len(pd.unique(sample)) > len(sample) // 2
        parsed = values.parse_distinct_dates(texts, counts, self.draft.dayfirst, per_cell=per_cell)
        bad = (parsed.invalid | parsed.start.isna()).to_numpy()
        if bad.any():
            header = _header(self.draft, self.draft.columns["date"])
            cells, total = self.body.query(
                f"""
                SELECT list(row(line, date_raw) ORDER BY line)[1:5], count(*)
                FROM ({self.rows_sql()})
                WHERE kept AND NOT undated AND list_contains($bad, day_text)
                """,
                {**self.params, "bad": texts[bad].tolist()},
            ).fetchall()[0]
            offending = [(line, header, raw) for line, raw in cells]
            raise ImportRefused(
                "import.error.bad_date",
                file=self.draft.table_name,
                cells=describe_cells(offending, self.lang, count=total),
            )
        return pd.DataFrame({"text": texts, "start": parsed.start, "end": parsed.end})

    def _numbers(self, counts: dict) -> pd.DataFrame:
        """The number each distinct cell that is not a plain number stands for; refuses naming
        the cells that are none."""
        found, invalid = [_NO_NUMBERS], {}
        for metric in self.metrics:
            messy = pd.Series(counts[f"messy_{metric}"] or [], dtype=object)
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
        ).fetchall()[0]
        headers = [_header(self.draft, self.draft.columns[m]) for m in self.metrics]
        offending = [(line, headers[rank], cell) for line, rank, cell in cells]
        raise ImportRefused(
            "import.error.not_a_number",
            file=self.draft.table_name,
            cells=describe_cells(offending, self.lang, count=total),
        )

    def _repeated(self, dates: pd.DataFrame, numbers: pd.DataFrame) -> int:
        """How many figure lines repeat a later line's key, dates read."""
        self.body.con.execute(FACT_KEY_MACRO)
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
                ).fetchall()[0][0]
            )
        finally:
            self.body.con.unregister(_DATES)
            self.body.con.unregister(_NUMBERS)

    def _facts_sql(self, repeated: bool) -> str:
        """The SELECT giving the store's INPUT_COLUMNS, keeping the last of repeated lines."""
        joins = "".join(
            f" LEFT JOIN {_NUMBERS} AS n_{m} ON n_{m}.metric = '{m}' AND n_{m}.text = r.m_{m}"
            for m in self.metrics
            if m in self.messy
        )
        figures = ", ".join(f"{self._number(m, m in self.messy)} AS {m}" for m in self.metrics)
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
