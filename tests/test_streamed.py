"""Big text exports, read by DuckDB where they lie, give exactly what the grid reader gives.

Every text fixture, every crafted edge case below and every text file of the real corpus is
read twice: as the small file it is (a grid of cells), and with every text table treated as big
(`files.STREAM_MIN_BYTES` = 0: cleaned into a file, read by DuckDB, parsed by
`canalyse.importing.streamed` when its layout allows). What the importer makes of the file must
agree: the report refusing it, or each table's layout, notes and figure lines (as the facts table
types them), and the entries skipped.

The comparisons stop there, before anything is stored: storing is one code path for both readers
(`store.sources.incoming` gives either's lines to the same INSERT), and a few tests below import
both ways to the end and compare the stored facts and reports. Counted figures are a function of
the stored facts alone, checked by tests/test_counting.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from canalyse.importing import files, streamed
from canalyse.importing.pipeline import (
    FileReport,
    content_hash,
    import_context,
    import_file,
    recognised,
)
from canalyse.metrics import METRIC_NAMES
from canalyse.store import counting, sources
from tests.conftest import FIXTURES, fresh_workspace
from tests.test_real_exports import REAL

TEXT = (".csv", ".txt", ".zip")
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.suffix.lower() in TEXT)
REAL_FILES = sorted(p for p in REAL.rglob("*") if p.suffix.lower() in TEXT) if REAL.is_dir() else []

X_HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Reposts,Replies"
)
META_HEADER = (
    '"Post ID","Page ID","Page name","Title","Description","Publish time","Permalink",'
    '"Post type","Date","Views","Reach","Reactions","Comments","Shares"'
)


def _x(*rows: str) -> str:
    return "\n".join([X_HEADER, *rows]) + "\n"


def _meta(*rows: str) -> str:
    return "\n".join([META_HEADER, *rows]) + "\n"


_POST = "https://x.com/ville/status/"
EDGE_CASES = {
    "plain": _x(
        f'1,"Sun, Mar 2, 2025",Bonjour,{_POST}1,100,5,12,1,2,3',
        f'2,"Mon, Mar 3, 2025",Salut,{_POST}2,200,6,13,0,1,0',
    ),
    "bad date": _x(
        f'1,"Sun, Mar 2, 2025",a,{_POST}1,100,5,12,1,2,3',
        f"2,demain,b,{_POST}2,200,6,13,0,1,0",
        f"3,hier,c,{_POST}3,200,6,13,0,1,0",
    ),
    "bad number": _x(
        f"1,2025-03-02,a,{_POST}1,cent,5,12,1,2,3",
        f"2,2025-03-03,b,{_POST}2,200,six,13,0,1,0",
        *(f"{n},2025-03-04,c,{_POST}{n},x{n},1,1,1,1,1" for n in range(3, 12)),
    ),
    "french numbers": _x(
        f'1,2025-03-02,a,{_POST}1,"1 234","5,5",12 %,-,n/a,\u22123',
        f'2,2025-03-03,b,{_POST}2,"2\u202f000","6,25",13,0,1,0',
    ),
    "point decimals": _x(
        f"1,2025-03-02,a,{_POST}1,1234.5,5.25,12,1,2,3",
        f'2,2025-03-03,b,{_POST}2,"1,234.5",6,13,0,1,0',
    ),
    "comma thousands": _x(
        f'1,2025-03-02,a,{_POST}1,"1,234",5,12,1,2,3',
        f'2,2025-03-03,b,{_POST}2,"12,500",6,13,0,1,0',
        f"3,2025-03-03,c,{_POST}3,87,6,13,0,1,0",
    ),
    "totals and junk": _x(
        f"1,2025-03-02,a,{_POST}1,100,5,12,1,2,3",
        ",,,,,,,,,",
        f"2,2025-03-03,b,{_POST}2/undefined,100,5,12,1,2,3",
        ",,,,1,1,1,1,1,1",
        "Total,,,,200,10,24,2,4,6",
    ),
    "repeated posts": _x(
        f"1,2025-03-02,a,{_POST}1,100,5,12,1,2,3",
        f"1,2025-03-02,a,{_POST}1?s=20,150,5,12,1,2,3",
        f"2,2025-03-03,b,{_POST}2#top,100,5,12,1,2,3",
        f"2,2025-03-04,b,{_POST}2/,120,5,12,1,2,3",
    ),
    "posts without a link": _x(
        "1,2025-03-02,Premier,,100,5,12,1,2,3",
        "9.60221E+14,2025-03-02,Second,9.60221E+14,100,5,12,1,2,3",
        "9.60221E+14,2025-03-02,Second,,140,5,12,1,2,3",
    ),
    "ambiguous days": _x(
        f"1,03/04/2025,a,{_POST}1,1,1,1,1,1,1",
        f"2,13/04/2025,b,{_POST}2,1,1,1,1,1,1",
        f"3,03/05/2025 10:30,c,{_POST}3,1,1,1,1,1,1",
        f"4,2025-04-03T08:00:00Z,d,{_POST}4,1,1,1,1,1,1",
    ),
    "quoted line breaks": _x(
        f'1,2025-03-02,"Une ligne\nune autre, et ""des guillemets""",{_POST}1,100,5,12,1,2,3',
        f"2,2025-03-03,,{_POST}2,200,6,13,0,1,0",
    ),
    "spaces around": _x(
        f" 1 , 2025-03-02 ,  titre  , {_POST}1 , 100 ,5,12,1,2,3",
        f"2,\u00a02025-03-03\u00a0,b,{_POST}2,200,6,13,0,1,0",
    ),
    "declared separator": "sep=;\n"
    + _x(f"1,2025-03-02,a,{_POST}1,100,5,12,1,2,3").replace(",", ";"),
    "windows line ends": _x(
        f"1,2025-03-02,a,{_POST}1,100,5,12,1,2,3", f"2,2025-03-03,b,{_POST}2,200,6,13,0,1,0"
    ).replace("\n", "\r\n"),
    "a longer row below": _x(
        f"1,2025-03-02,a,{_POST}1,100,5,12,1,2,3",
        f"2,2025-03-03,b,{_POST}2,200,6,13,0,1,0,extra,cells",
    ),
    "a quote left open": _x(
        f'1,2025-03-02,"a,{_POST}1,100,5,12,1,2,3', f"2,2025-03-03,b,{_POST}2,200,6,13,0,1,0"
    ),
    "no data": _x(",,,,,,,,,"),
    "meta posts": _meta(
        '"1","9","Ville","","Le texte","03/02/2025 10:00","https://fb.com/p/1","Photo",'
        '"Lifetime","100","80","5","1","2"',
        '"2","9","Ville","Un titre","","03/03/2025 11:00","https://fb.com/p/2","Vidéo",'
        '"Lifetime","200","150","6","","3"',
        '"3","9","Autre page","","Collab","","https://fb.com/p/3","Photo","Lifetime","50","","","",""',
        '"4","9","","","","","","","Lifetime","","","","",""',
        '"5","9","","","Sans date","","https://fb.com/p/5","Photo","Lifetime","10","","","",""',
    ),
}


def _outcome(db: Path, name: str, data: bytes, template: Path) -> tuple:
    con = fresh_workspace(template, db)
    try:
        report = import_file(con, name, data).to_json()
        facts = con.execute(
            "SELECT * EXCLUDE (source_id) FROM facts ORDER BY table_no, rowid"
        ).fetchall()
    finally:
        con.close()
    return report, facts


_TYPES = {
    "period_start": "DATE",
    "period_end": "DATE",
    "key_campaign": "BOOLEAN",
    **dict.fromkeys(METRIC_NAMES, "DOUBLE"),
}
_LINES = ", ".join(f"{column} {_TYPES.get(column, 'VARCHAR')}" for column in sources.INPUT_COLUMNS)


def _recognised(con, name: str, data: bytes) -> dict | tuple:
    """What the importer makes of a file before storing anything: the report refusing it, or
    each table's description and figure lines, and the entries skipped."""
    with recognised(con, name, data, import_context(name)) as outcome:
        if isinstance(outcome, FileReport):
            return outcome.to_json()
        parsed, skipped = outcome
        tables = []
        for table in parsed:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _lines ({_LINES})")
            with sources.incoming(con, table.facts) as (source, params):
                statement = f"INSERT INTO _lines BY NAME SELECT * FROM {source}"  # noqa: S608
                con.execute(statement, sources.used_params(statement, params))
            lines = con.execute("SELECT * FROM _lines ORDER BY rowid").fetchall()
            description = (table.name, table.layout, table.grain, table.platforms, table.notes)
            tables.append((*description, table.unused_numeric, table.columns_key, lines))
        con.execute("DROP TABLE _lines")
        return tables, skipped


def _counting_streamed_reads(monkeypatch) -> list[str]:
    """Every text table treated as big from now on; the list fills with the tables DuckDB read
    to the end (parsed, or refused for what they hold)."""
    calls = []
    real_parse = streamed.parse

    def counted(*args, **kwargs):
        try:
            parsed = real_parse(*args, **kwargs)
        except streamed.Unreadable:
            raise
        except Exception:
            calls.append(args[0].name)
            raise
        calls.append(args[0].name)
        return parsed

    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(streamed, "parse", counted)
    return calls


@pytest.fixture
def both(con, monkeypatch):
    """Reads a file as a grid, then treated as big, in one empty workspace: what the importer
    makes of it each time, and how many tables DuckDB read."""

    def read_both(name: str, data: bytes) -> tuple[dict | tuple, dict | tuple, int]:
        grid = _recognised(con, name, data)
        with monkeypatch.context() as patched:
            calls = _counting_streamed_reads(patched)
            read = _recognised(con, name, data)
        return grid, read, len(calls)

    return read_both


@pytest.fixture
def imported_both(tmp_path, monkeypatch, workspace_template):
    """Imports a file to the end as a grid, then treated as big, each into an empty workspace of
    its own (in `folder`, by default the test's): report and stored facts, and how many tables
    DuckDB read."""
    monkeypatch.setattr(counting, "rebuild", lambda con, partitions: None)

    def import_both(name: str, data: bytes, folder: Path | None = None):
        folder = folder or tmp_path
        with monkeypatch.context() as patched:
            grid = _outcome(folder / "grid.duckdb", name, data, workspace_template)
            calls = _counting_streamed_reads(patched)
            read = _outcome(folder / "streamed.duckdb", name, data, workspace_template)
        return grid, read, len(calls)

    return import_both


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_text_fixture_reads_the_same_when_treated_as_big(path, both):
    grid, read, _ = both(path.name, path.read_bytes())
    assert read == grid


ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
# Both readers read the decoded text: a big file is decoded chunk by chunk into UTF-8, checked
# against the grid reader's decoding in every encoding by
# `test_a_big_file_is_cleaned_as_the_grid_reader_cleans_it_whatever_the_chunks`. So every case
# runs in UTF-8, and in every other encoding only the cases whose text is not plain ASCII or
# whose lines are unusual (line ends, line breaks inside a cell, a declared separator).
IN_EVERY_ENCODING = {
    case
    for case, text in EDGE_CASES.items()
    if not text.isascii()
    or case in ("windows line ends", "quoted line breaks", "declared separator")
}
ENCODED = [
    (case, encoding)
    for case in EDGE_CASES
    for encoding in ENCODINGS
    if encoding == "utf-8"
    or (
        case in IN_EVERY_ENCODING
        # cp1252 of plain ASCII is UTF-8 again.
        and EDGE_CASES[case].encode(encoding, errors="replace") != EDGE_CASES[case].encode()
    )
]


@pytest.mark.parametrize(("case", "encoding"), ENCODED)
def test_edge_cases_read_the_same_when_treated_as_big(case, encoding, both):
    name = (
        "Jan-01-2025_Dec-31-2025_9.csv"
        if case.startswith("meta")
        else "rennes_account_analytics_content_2025.csv"
    )
    data = EDGE_CASES[case].encode(encoding, errors="replace")
    grid, read, calls = both(name, data)
    assert read == grid
    # A quote left open in the first lines keeps the table from DuckDB: it is read as a grid.
    assert calls == (0 if case == "a quote left open" else 1)


# Cases whose figure lines go through every part of the INSERT a big file's query feeds: plain
# and messy numbers, repeated lines, total and junk rows, keys from text, a page per line.
STORED_BOTH_WAYS = (
    "plain",
    "french numbers",
    "totals and junk",
    "repeated posts",
    "posts without a link",
    "meta posts",
)


def test_x_and_meta_post_exports_are_read_by_duckdb_and_stored_as_the_grid_reader_stores_them(
    tmp_path, imported_both
):
    for case in STORED_BOTH_WAYS:
        name = "Jan-01-2025_Dec-31-2025_9.csv" if case == "meta posts" else "x_content.csv"
        grid, read, calls = imported_both(name, EDGE_CASES[case].encode(), tmp_path / case)
        assert grid[0]["status"] == "imported", case
        assert read == grid, case
        assert calls == 1, case


@pytest.mark.skipif(not REAL_FILES, reason=f"the real export corpus is not at {REAL}")
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: str(p.relative_to(REAL)))
def test_every_real_text_export_reads_the_same_when_treated_as_big(path, both):
    grid, read, _ = both(path.name, path.read_bytes())
    assert read == grid


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_a_big_file_is_cleaned_as_the_grid_reader_cleans_it_whatever_the_chunks(
    chunk, encoding, tmp_path, monkeypatch
):
    text = "Date;Vues\r\n2025-01-01;1\x00 234\r\nÉté ’25;« 12 »\r\rfin\r" + "x;1\n" * 20
    data = text.encode(encoding)
    monkeypatch.setattr(files, "_CHUNK", chunk)
    path = tmp_path / "clean.csv"
    files._write_clean_text("t.csv", io.BytesIO(data), path)
    expected = files._decode("t.csv", data).removeprefix("\ufeff")
    expected = expected.replace("\r\n", "\n").replace("\r", "\n")
    assert path.read_text(encoding="utf-8") == expected


def test_a_file_needing_more_memory_than_the_reading_budget_is_read_all_the_same(
    monkeypatch, imported_both
):
    rows = [f"{n},2025-03-{n % 28 + 1:02d},t{n},{_POST}{n},{n},1,1,1,1,1" for n in range(20_000)]
    data = _x(*rows).encode()
    monkeypatch.setattr(streamed, "_MEMORY", 256 * 1024)
    grid, read, calls = imported_both("x_content.csv", data)
    assert read == grid
    assert calls == 1


@pytest.mark.parametrize(
    "case", ["plain", "bad number", "bad date", "totals and junk", "repeated posts"]
)
def test_a_big_export_is_read_from_its_file_once_and_leaves_no_staging_table(
    case, tmp_path, monkeypatch, workspace_template
):
    reads = []
    real_query = streamed.SqlBody.query

    def counted(self, sql, params=None, **kwargs):
        if "{reader}" in sql or "{body}" in sql:
            reads.append(sql)
        return real_query(self, sql, params, **kwargs)

    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(streamed.SqlBody, "query", counted)
    con = fresh_workspace(workspace_template, tmp_path / "w.duckdb")
    try:
        report = import_file(con, "x_content.csv", EDGE_CASES[case].encode())
        staged = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()
    finally:
        con.close()
    assert report.status == ("error" if case.startswith("bad") else "imported")
    assert len(reads) == 1, reads
    assert staged == (0,)


def test_a_big_file_on_disk_is_cleaned_from_the_disk_and_imports_as_its_bytes_do(
    tmp_path, monkeypatch, workspace_template
):
    """The command line passes paths: a big text file is never read into memory whole."""
    data = EDGE_CASES["french numbers"].encode("utf-16")
    path = tmp_path / "rennes_account_analytics_content_2025.csv"
    path.write_bytes(data)
    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 0)
    from_bytes = _outcome(tmp_path / "bytes.duckdb", path.name, data, workspace_template)
    read_bytes = Path.read_bytes

    def nothing_read_whole(self):
        assert self != path, "the big file was read into memory"
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", nothing_read_whole)
    from_path = _outcome(tmp_path / "path.duckdb", path.name, path, workspace_template)
    assert from_path == from_bytes
    assert from_path[0]["status"] == "imported"
    assert content_hash(path) == content_hash(data)


def _as_bytes_then_as_path(tmp_path, monkeypatch, template, path, data, watched):
    """What importing `data` gives as an upload's bytes, then from `path` (written with them)
    as the command line gives it, every text table treated as big; and the arguments of each
    call of `files.<watched>` made by the second import."""
    path.write_bytes(data)
    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 0)
    from_bytes = _outcome(tmp_path / "bytes.duckdb", path.name, data, template)
    calls = []
    function = getattr(files, watched)

    def counted(*args):
        calls.append(args)
        return function(*args)

    monkeypatch.setattr(files, watched, counted)
    from_path = _outcome(tmp_path / "path.duckdb", path.name, path, template)
    return from_bytes, from_path, calls


@pytest.mark.parametrize(
    ("shape", "copied"),
    [
        ("utf-8", False),
        ("utf-8, lines ending in \\r\\n", True),
        ("utf-8 with a byte order mark", True),
        ("utf-8 with a stray NUL", True),
        ("cp1252", True),
    ],
)
def test_a_clean_big_file_on_disk_is_read_where_it_lies_any_other_through_a_clean_copy(
    tmp_path, monkeypatch, workspace_template, shape, copied
):
    text = EDGE_CASES["french numbers"]
    data = {
        "utf-8": text.encode(),
        "utf-8, lines ending in \\r\\n": text.replace("\n", "\r\n").encode(),
        "utf-8 with a byte order mark": text.encode("utf-8-sig"),
        "utf-8 with a stray NUL": text.replace(",a,", ",a\x00,").encode(),
        "cp1252": text.replace("\u202f", " ")
        .replace("\u2212", "-")
        .replace(",b,", ",été,")
        .encode("cp1252"),
    }[shape]
    path = tmp_path / "rennes_account_analytics_content_2025.csv"
    from_bytes, from_path, copies = _as_bytes_then_as_path(
        tmp_path, monkeypatch, workspace_template, path, data, "_write_clean_text"
    )
    assert from_path == from_bytes
    assert from_path[0]["status"] == "imported"
    assert len(copies) == int(copied)
    assert path.read_bytes() == data


def test_a_big_markup_file_on_disk_is_refused_as_its_bytes_are_and_cleaned_once(
    tmp_path, monkeypatch, workspace_template
):
    data = b"<html><body><table><tr><td>Vues</td></tr></table></body></html>\n"
    path = tmp_path / "Posts.csv"
    from_bytes, from_path, cleaned = _as_bytes_then_as_path(
        tmp_path, monkeypatch, workspace_template, path, data, "_stream_text"
    )
    assert from_path == from_bytes
    assert from_path[0]["status"] == "error"
    assert [call[0] for call in cleaned] == [path.name]
    assert path.read_bytes() == data  # read where it lay, and left there
