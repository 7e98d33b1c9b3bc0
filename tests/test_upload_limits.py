"""Bounded work per upload: what one file may cost a shared server (2 cores, 24 GiB).

The files the issue names, generated here: a 3 MB zip of 20 000 tiny CSVs (refused before any
is read), a zip expanding to 500 MB under the 512 MiB cap and a 200 MB CSV (imported, each in a
process of its own whose peak memory is measured). The budget: an import's peak memory stays
under `MEMORY_BUDGET`, whatever the accepted upload (today's importer took 5.6 GB for the zip and
3 GB for the CSV); for an archive, under twice its expanded size too.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from canalyse import store
from canalyse.importing import files
from canalyse.importing.pipeline import import_file
from tests.conftest import ROOT

MEMORY_BUDGET = 1024 * 1024**2
"""Bytes: the most one import may hold at once, the program itself included."""

# The process's own high-water mark: a child's ru_maxrss would start at its parent's (Linux keeps
# it across exec), here the test runner's.
_RUNNER = """
import sys
from pathlib import Path
from canalyse import store
from canalyse.importing.pipeline import import_file
con = store.connect(sys.argv[1])
report = import_file(con, sys.argv[3], Path(sys.argv[2]).read_bytes())
print(report.status, sum(table.rows for table in report.tables), report.message[:200])
print(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1])
"""


def _snapshot(con) -> list:
    return [
        con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()  # noqa: S608 — fixed names
        for table in ("sources", "source_tables", "facts", "facts_current", "figures")
    ]


def _x_export(path: Path, rows: int) -> int:
    """Write an X content export of `rows` posts (written by DuckDB: fast, little memory)."""
    metrics = ", ".join(
        f'hash(i, {n}) % 5000 AS "{name}"'
        for n, name in enumerate(
            ("Impressions", "Likes", "Engagements", "Bookmarks", "Shares", "New follows",
             "Replies", "Reposts", "Profile visits", "URL Clicks"),
            start=1,
        )
    )  # fmt: skip
    duckdb.connect().execute(
        f"""
        COPY (
            SELECT (1800000000000000000 + i)::VARCHAR AS "Post id",
                strftime(DATE '2025-01-01' + (hash(i) % 365)::INTEGER, '%a, %b %-d, %Y') AS "Date",
                'Message n°' || i AS "Post text",
                'https://x.com/ville/status/' || (1800000000000000000 + i) AS "Post Link",
                {metrics}
            FROM range({rows}) AS t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
        """  # noqa: S608 — a path of the test's own
    )
    return path.stat().st_size


def _import_in_a_process(tmp_path: Path, name: str, path: Path) -> tuple[str, int, int]:
    """Status, rows and peak memory (bytes) of importing `path` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(tmp_path / "w.duckdb"), str(path), name],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    summary, peak_kib = done.stdout.strip().splitlines()[-2:]
    status, rows, _ = summary.split(" ", 2)
    return status, int(rows), int(peak_kib) * 1024


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_archive_of_twenty_thousand_tiny_tables_is_refused_before_any_is_read(
    con, monkeypatch, lang
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(20_000):
            archive.writestr(f"jour_{n}.csv", f"Date;Vues\n2025-01-01;{n}\n")
    data = buffer.getvalue()
    assert len(data) < 4 * 1024**2
    import_file(con, "mois.csv", "Mois;Réseau;Vues\n2025-01;X;5\n".encode())
    before = _snapshot(con)
    read = []
    monkeypatch.setattr(files, "_parse_text", lambda *args, **kwargs: read.append(args))

    report = import_file(con, "exports.zip", data, lang=lang)

    assert report.status == "error"
    assert report.error_key == "import.error.zip_too_many_entries"
    assert "exports.zip" in report.message and "20000" in report.message
    assert str(files.MAX_ARCHIVE_ENTRIES) in report.message
    assert ("fichiers" if lang == "fr" else "files") in report.message
    assert read == []
    assert _snapshot(con) == before


def test_an_archive_at_the_entry_cap_is_read(con, monkeypatch):
    monkeypatch.setattr(files, "MAX_ARCHIVE_ENTRIES", 3)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(3):
            archive.writestr(f"t{n}.csv", f"Mois;Réseau;Vues\n2025-0{n + 1};X;{n}\n")
    assert import_file(con, "trois.zip", buffer.getvalue()).status == "imported"
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("t3.csv", "Mois;Réseau;Vues\n2025-04;X;4\n")
    report = import_file(con, "quatre.zip", buffer.getvalue())
    assert report.error_key == "import.error.zip_too_many_entries"


def test_a_big_table_that_cannot_be_read_as_a_stream_is_refused_past_the_grid_cap(
    con, tmp_path, monkeypatch
):
    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 1024)
    monkeypatch.setattr(files, "MAX_GRID_BYTES", 4096)
    # A hand-made table is read as a grid of Python strings: beyond the cap it is refused.
    data = ("Mois;Réseau;Vues\n" + "2025-01;X;5\n" * 1000).encode()
    before = _snapshot(con)
    report = import_file(con, "bilan.csv", data)
    assert report.error_key == "import.error.too_big_for_grid"
    assert "bilan.csv" in report.message
    assert _snapshot(con) == before


@pytest.mark.heavy
def test_a_200_mb_export_imports_within_the_memory_budget(tmp_path):
    path = tmp_path / "account_analytics_content.csv"
    size = _x_export(path, 1_350_000)
    assert 195 * 1000**2 < size < 215 * 1000**2
    status, rows, peak = _import_in_a_process(tmp_path, path.name, path)
    assert (status, rows) == ("imported", 1_350_000)
    assert peak < MEMORY_BUDGET


@pytest.mark.heavy
def test_an_archive_expanding_to_500_mb_imports_within_the_memory_budget(tmp_path):
    csv = tmp_path / "account_analytics_content.csv"
    size = _x_export(csv, 3_250_000)
    assert 480 * 1000**2 < size < files.MAX_UNCOMPRESSED
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        out.write(csv, csv.name)
    csv.unlink()
    status, rows, peak = _import_in_a_process(tmp_path, archive.name, archive)
    assert (status, rows) == ("imported", 3_250_000)
    assert peak < MEMORY_BUDGET
    assert peak < 2 * size


def test_a_refused_big_export_leaves_the_workspace_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 0)
    con = store.connect(tmp_path / "w.duckdb")
    import_file(con, "mois.csv", "Mois;Réseau;Vues\n2025-01;X;5\n".encode())
    before = _snapshot(con)
    bad = tmp_path / "account_analytics_content.csv"
    _x_export(bad, 1000)
    data = bad.read_bytes().replace(b', 2025"', b', 2025 ou 2026"', 1)
    report = import_file(con, bad.name, data)
    assert report.error_key == "import.error.bad_date"
    assert "ligne 2" in report.message and "2025 ou 2026" in report.message
    assert _snapshot(con) == before
    con.close()
