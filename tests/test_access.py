"""Several programs on one workspace: readers and writers take turns, damaged files are refused
untouched and restored from a backup, every change says who made it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from canalyse import store
from canalyse.cli import main
from canalyse.errors import CanalyseError
from canalyse.importing.pipeline import import_file
from canalyse.store import workspaces
from tests.conftest import FIXTURES, ROOT

DAILY = FIXTURES / "handmade" / "daily_en.csv"
MONTHLY = FIXTURES / "handmade" / "mensuel_bom.csv"


def _cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "canalyse.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def _write(path: Path, *files: Path, actor: str = "test") -> None:
    with store.writing(path, actor=actor, program="pytest") as con:
        for file in files:
            assert import_file(con, file.name, file.read_bytes()).status == "imported"


def _sources(path: Path) -> list[str]:
    with store.reading(path) as con:
        return store.list_sources(con)["file_name"].tolist()


# ---- Readers and writers ----------------------------------------------------------------------


def test_a_reader_opens_read_only_and_never_changes_the_file(db_path):
    _write(db_path, DAILY)
    before = db_path.read_bytes()
    with store.reading(db_path) as con:
        assert len(store.list_sources(con)) == 1
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM sources")
    assert db_path.read_bytes() == before


def test_report_and_deck_run_beside_another_reader(db_path, tmp_path):
    _write(db_path, DAILY)
    with store.reading(db_path):
        report = _cli("report", "--db", str(db_path), "--json")
        deck = _cli("deck", "--db", str(db_path), "--out", str(tmp_path / "d.pptx"))
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["platforms"]
    assert deck.returncode == 0, deck.stderr


def test_a_command_line_import_waits_for_a_page_writing_then_lands(db_path):
    _write(db_path, DAILY)
    released = threading.Event()

    def page_writing() -> None:
        with store.writing(db_path, actor="agent@ville.fr", program="canalyse app"):
            time.sleep(1.5)
        released.set()

    writer = threading.Thread(target=page_writing)
    writer.start()
    time.sleep(0.3)
    result = _cli("import", str(MONTHLY), "--db", str(db_path), "--json")
    writer.join()
    assert released.is_set()
    assert result.returncode == 0, result.stderr
    assert [r["status"] for r in json.loads(result.stdout)] == ["imported"]
    assert sorted(_sources(db_path)) == ["daily_en.csv", "mensuel_bom.csv"]


def test_a_writer_that_waits_too_long_names_who_holds_the_workspace(db_path):
    _write(db_path, DAILY)
    with store.writing(db_path, actor="cheffe@ville.fr", program="canalyse app"):
        result = _cli(
            "import",
            str(MONTHLY),
            "--db",
            str(db_path),
            "--json",
            env={"CANALYSE_WRITE_WAIT": "0.5"},
        )
        text = _cli(
            "import", str(MONTHLY), "--db", str(db_path), env={"CANALYSE_WRITE_WAIT": "0.5"}
        )
    assert result.returncode == 1
    (report,) = json.loads(result.stdout)
    assert report["status"] == "error" and report["file"] == "mensuel_bom.csv"
    assert "cheffe@ville.fr" in report["message"] and "canalyse app" in report["message"]
    assert "Traceback" not in text.stderr and "cheffe@ville.fr" in text.stderr
    assert _sources(db_path) == ["daily_en.csv"]


def test_the_app_s_readers_share_one_attachment_and_a_writer_of_the_app_waits_for_them(db_path):
    _write(db_path, DAILY)
    first, second = store.attach_reader(db_path), store.attach_reader(db_path)
    reading = first.cursor()
    assert store.list_sources(reading)["file_name"].tolist() == ["daily_en.csv"]
    with pytest.raises(duckdb.Error):
        reading.execute("DELETE FROM sources")
    # A writer of the same process is kept off while a reader holds the file…
    with pytest.raises(store.WorkspaceBusy):
        with store.writing(db_path, actor="agent@ville.fr", program="canalyse app", wait=0.3):
            pass
    first.close()
    with pytest.raises(store.WorkspaceBusy):
        with store.writing(db_path, actor="agent@ville.fr", program="canalyse app", wait=0.3):
            pass
    # …and goes in once the last one is closed; a later reader sees what it wrote.
    second.close()
    _write(db_path, MONTHLY)
    later = store.attach_reader(db_path)
    try:
        assert sorted(store.list_sources(later.cursor())["file_name"]) == [
            "daily_en.csv",
            "mensuel_bom.csv",
        ]
    finally:
        later.close()


def test_a_reader_of_the_app_waits_while_a_writer_of_the_app_works(db_path):
    _write(db_path, DAILY)
    with store.writing(db_path, actor="agent@ville.fr", program="canalyse app") as con:
        with pytest.raises(store.WorkspaceBusy):
            store.attach_reader(db_path, wait=0.3)
        assert import_file(con, MONTHLY.name, MONTHLY.read_bytes()).status == "imported"
    reader = store.attach_reader(db_path, wait=0)
    try:
        assert len(store.list_sources(reader.cursor())) == 2
    finally:
        reader.close()


def test_once_a_writer_of_the_app_waits_new_readers_wait_behind_it(db_path):
    _write(db_path, DAILY)
    first = store.attach_reader(db_path)
    order: list[str] = []

    def write() -> None:
        with store.writing(db_path, actor="agent@ville.fr", program="canalyse app") as con:
            order.append("written")
            assert import_file(con, MONTHLY.name, MONTHLY.read_bytes()).status == "imported"

    def read() -> None:
        later = store.attach_reader(db_path)
        order.append("read")
        try:
            assert len(store.list_sources(later.cursor())) == 2
        finally:
            later.close()

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.5)  # the writer now waits for `first`
    closer = threading.Timer(1.0, first.close)
    closer.start()
    # A page run starting now (another session's thread) does not join `first` (and hold the
    # writer off longer): it reads after the write.
    reader = threading.Thread(target=read)
    reader.start()
    for thread in (reader, writer, closer):
        thread.join()
    assert order == ["written", "read"]


def test_a_run_already_reading_reads_again_at_once_while_a_writer_of_the_app_waits(db_path):
    # A page run holds its reader, then checks the workspace with another one while a second
    # page's import waits for the first reader: the check must not wait behind that import (it
    # would wait for the run's own reader, and both would wait until the import gave up).
    _write(db_path, DAILY)
    first = store.attach_reader(db_path)
    outcome: list[object] = []

    def write() -> None:
        try:
            with store.writing(db_path, actor="agent@ville.fr", program="canalyse app", wait=5):
                outcome.append(time.monotonic())
        except store.WorkspaceBusy as exc:
            outcome.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.5)  # the writer now waits for `first`
    started = time.monotonic()
    again = store.attach_reader(db_path, wait=3)  # waiting behind the writer: refused after 3 s
    assert time.monotonic() - started < 2
    assert store.list_sources(again.cursor())["file_name"].tolist() == ["daily_en.csv"]
    again.close()
    closed = time.monotonic()
    first.close()
    writer.join()
    assert len(outcome) == 1 and isinstance(outcome[0], float), outcome
    assert outcome[0] >= closed


def test_a_page_reading_outside_a_run_gets_a_reader_that_lets_writers_in_once_dropped(db_path):
    # A download asked for after its page finished runs outside a run: nothing would close an
    # attached reader there, so it gets a connection of its own, closed when dropped.
    from pages import ui

    _write(db_path, DAILY)
    cursor = ui._shared_reader(str(db_path)).cursor()
    assert store.list_sources(cursor)["file_name"].tolist() == ["daily_en.csv"]
    del cursor
    _write(db_path, MONTHLY)
    assert sorted(_sources(db_path)) == ["daily_en.csv", "mensuel_bom.csv"]


def test_a_command_line_import_waits_for_the_app_s_reader_then_lands(db_path):
    _write(db_path, DAILY)
    reader = store.attach_reader(db_path)
    closer = threading.Timer(1.5, reader.close)
    started = time.monotonic()
    closer.start()
    result = _cli("import", str(MONTHLY), "--db", str(db_path), "--json")
    closer.join()
    # The attached file is locked against other processes' writers, as an opened one is.
    assert time.monotonic() - started >= 1.5
    assert result.returncode == 0, result.stderr
    assert sorted(_sources(db_path)) == ["daily_en.csv", "mensuel_bom.csv"]


def test_two_imports_at_once_both_land_and_both_print_their_json(db_path):
    _write(db_path, DAILY)
    files = [FIXTURES / "handmade" / "bilan_cp1252.csv", FIXTURES / "handmade" / "summary_en.xlsx"]
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "canalyse.cli",
                "import",
                str(f),
                "--db",
                str(db_path),
                "--json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for f in files
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert [r["status"] for r in json.loads(out)] == ["imported"]
    assert len(_sources(db_path)) == 3


def test_report_json_says_why_it_failed(tmp_path):
    result = _cli("report", "--db", str(tmp_path / "nothing.duckdb"), "--json")
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "store.error.missing" and "nothing.duckdb" in error["message"]


def test_json_is_printed_for_usage_errors_and_bad_arguments_too(tmp_path, capsys):
    assert main(["report", "--db", str(tmp_path / "w.duckdb"), "--from", "hier", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "usage"
    assert (
        main(["report", "--db", str(tmp_path / "w.duckdb"), "--hourly-cost", "-3", "--json"]) == 2
    )
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "cli.error.negative_cost"


def test_a_workspace_needing_an_upgrade_is_not_changed_by_a_reader(db_path):
    _write(db_path, DAILY)
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'macros'")
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(store.NeedsUpgrade) as refused:
        store.open_reader(db_path)
    assert refused.value.key == "store.error.needs_upgrade"
    result = _cli("report", "--db", str(db_path))
    assert result.returncode == 1 and "canalyse upgrade" in result.stderr
    assert db_path.read_bytes() == before
    assert _cli("upgrade", "--db", str(db_path)).returncode == 0
    assert _cli("report", "--db", str(db_path), "--json").returncode == 0


# ---- Who did what, and who may --------------------------------------------------------------------


def test_imports_and_deletions_record_who_made_them(db_path):
    result = _cli("import", str(DAILY), "--db", str(db_path), "--json")
    assert result.returncode == 0, result.stderr
    with store.reading(db_path) as con:
        (by,) = store.list_sources(con)["imported_by"].tolist()
    assert by.endswith("(cli)")
    with store.writing(db_path, actor="agent@ville.fr", program="pytest") as con:
        store.delete_source(con, 1)
    with store.reading(db_path) as con:
        log = store.list_activity(con)
    assert log.iloc[0][["actor", "action", "detail"]].tolist() == [
        "agent@ville.fr",
        "delete",
        "#1 daily_en.csv",
    ]


def test_saved_answers_record_who_saved_them(db_path):
    from canalyse.analysis import decision

    _write(db_path, DAILY)
    with store.writing(db_path, actor="cheffe@ville.fr", program="pytest") as con:
        decision.save_answers(con, {"x": {"audience": 3}})
    with store.reading(db_path) as con:
        row = store.list_activity(con).iloc[0]
    assert (row["actor"], row["action"]) == ("cheffe@ville.fr", "answers")


def test_the_store_refuses_a_viewer_s_write(db_path):
    _write(db_path, DAILY)
    with store.writing(db_path, actor="admin", program="pytest") as con:
        store.set_member(con, "Lecteur@Ville.fr", "viewer")
        store.set_member(con, "agent@ville.fr", "editor")
    with pytest.raises(CanalyseError) as refused:
        with store.writing(db_path, actor="x", program="pytest", editor="lecteur@ville.fr") as con:
            store.delete_source(con, 1)
    assert refused.value.key == "store.error.not_editor"
    with store.writing(db_path, actor="x", program="pytest", editor="agent@ville.fr") as con:
        assert store.delete_source(con, 1)


def test_members_from_the_command_line_and_workspaces_by_name(tmp_path, monkeypatch):
    folder = tmp_path / "srv"
    env = {"CANALYSE_WORKSPACES": str(folder)}
    added = _cli(
        "members",
        "--workspace",
        "rennes",
        "--add",
        "cheffe@rennes.fr",
        "--role",
        "editor",
        "--json",
        env=env,
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"cheffe@rennes.fr": "editor"}
    assert _cli("members", "--workspace", "nantes", "--add", "a@nantes.fr", env=env).returncode == 0
    assert _cli("import", str(DAILY), "--workspace", "rennes", env=env).returncode == 0
    bad = _cli("report", "--workspace", "../etc", "--json", env=env)
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["error"]["code"] == "cli.error.bad_workspace_name"
    monkeypatch.setenv("CANALYSE_WORKSPACES", str(folder))
    found = workspaces.memberships(workspaces.folder())
    assert workspaces.visible_to(found, "CHEFFE@rennes.fr") == {"rennes": "editor"}
    assert set(workspaces.visible_to(found, None)) == {"nantes", "rennes"}


# ---- Backups, damaged files, restores --------------------------------------------------------------


def test_the_first_write_of_the_day_is_preceded_by_a_backup_and_old_ones_are_pruned(
    db_path, monkeypatch
):
    _write(db_path, DAILY)
    assert store.list_backups(db_path) == []  # a new workspace has nothing to save yet
    _write(db_path, MONTHLY)
    _write(db_path, FIXTURES / "handmade" / "bilan_cp1252.csv")
    (daily,) = store.list_backups(db_path)
    assert "quotidien" in daily.name
    with store.reading(daily) as con:
        assert store.list_sources(con)["file_name"].tolist() == ["daily_en.csv"]
    monkeypatch.setenv("CANALYSE_BACKUPS_KEEP", "2")
    for _ in range(3):
        assert main(["backup", "--db", str(db_path)]) == 0
    assert len(store.list_backups(db_path)) == 2


def _damage_by_truncation(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)


def test_a_truncated_workspace_is_refused_untouched_then_restored(db_path, capsys):
    _write(db_path, DAILY)
    assert main(["backup", "--db", str(db_path)]) == 0
    _write(db_path, MONTHLY)
    _damage_by_truncation(db_path)
    damaged = db_path.read_bytes()
    capsys.readouterr()

    assert (
        main(["import", str(FIXTURES / "handmade" / "bilan_cp1252.csv"), "--db", str(db_path)]) == 1
    )
    err = capsys.readouterr().err
    assert "incomplet" in err and "canalyse restore" in err and "Traceback" not in err
    assert main(["report", "--db", str(db_path), "--json"]) == 1
    refusal = json.loads(capsys.readouterr().out)["error"]
    assert refusal["code"] == "store.error.truncated" and refusal["backup"]
    assert db_path.read_bytes() == damaged

    assert main(["restore", "--db", str(db_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "endommage" in result["kept"] and Path(result["kept"]).read_bytes() == damaged
    assert _sources(db_path) == ["daily_en.csv"]
    with store.reading(db_path) as con:
        assert store.list_activity(con).iloc[0]["action"] == "restore"


def test_a_workspace_duckdb_shortened_after_freeing_blocks_stays_writable(db_path):
    # DuckDB cuts free blocks off the end of the file when it checkpoints: the file is then
    # shorter than all its blocks, free ones included, and is sound. (Found by importing five real
    # exports in a row: the fifth was refused as « incomplet ».)
    _write(db_path, DAILY)
    with store.writing(db_path, actor="test", program="pytest") as con:
        con.execute(
            "CREATE TABLE scratch AS SELECT range AS n, md5(range::VARCHAR) AS t FROM range(400000)"
        )
    with store.writing(db_path, actor="test", program="pytest") as con:
        con.execute("DROP TABLE scratch")
        con.execute("CHECKPOINT")
    with duckdb.connect(str(db_path), read_only=True) as con:
        total, free, size = con.execute(
            "SELECT total_blocks, free_blocks, block_size FROM pragma_database_size()"
        ).fetchone()
    assert free > 0 and db_path.stat().st_size < 3 * 4096 + total * size, "not reproduced"
    _write(db_path, MONTHLY)
    assert sorted(_sources(db_path)) == ["daily_en.csv", "mensuel_bom.csv"]


def test_a_sqlite_file_is_refused_without_duckdb_touching_it(tmp_path, capsys):
    path = tmp_path / "workspace.duckdb"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = path.read_bytes()
    assert main(["import", str(DAILY), "--db", str(path), "--json"]) == 1
    (report,) = json.loads(capsys.readouterr().out)
    assert "n'est pas un espace de travail" in report["message"]
    assert main(["report", "--db", str(path)]) == 1
    with pytest.raises(store.WorkspaceDamaged):
        store.connect(path)
    assert path.read_bytes() == before


_CRASHING_WRITER = """
import os, sys
from pathlib import Path
from canalyse import store
from canalyse.importing.pipeline import import_file
path, file = Path(sys.argv[1]), Path(sys.argv[2])
with store.writing(path, actor="agent", program="pytest") as con:
    import_file(con, file.name, file.read_bytes())
    # The import is committed to the write-ahead log; the program dies before closing the file.
    os._exit(0)
"""


def test_a_damaged_write_ahead_log_is_noticed_not_silently_dropped(db_path):
    _write(db_path, DAILY)
    crash = subprocess.run(
        [sys.executable, "-c", _CRASHING_WRITER, str(db_path), str(MONTHLY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crash.returncode == 0, crash.stderr
    wal = db_path.with_name(db_path.name + ".wal")
    assert wal.exists() and wal.stat().st_size > 0
    with wal.open("r+b") as handle:
        handle.truncate(wal.stat().st_size // 2)
    before = db_path.read_bytes(), wal.read_bytes()
    with pytest.raises(store.WorkspaceDamaged) as refused:
        with store.writing(db_path, actor="x", program="pytest"):
            pass
    assert refused.value.key == "store.error.lost_writes"
    assert (db_path.read_bytes(), wal.read_bytes()) == before


# ---- What a page says ------------------------------------------------------------------------------


def _page(monkeypatch, db_path: Path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CANALYSE_DB", str(db_path))
    return AppTest.from_file(str(ROOT / "router.py"), default_timeout=30).run()


def test_a_page_on_a_sqlite_file_says_so_without_a_traceback(monkeypatch, tmp_path):
    path = tmp_path / "workspace.duckdb"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    at = _page(monkeypatch, path)
    assert not at.exception
    assert "n'est pas un espace de travail" in at.error[0].value
    assert str(tmp_path) not in at.error[0].value  # the page names the workspace, not its path


def test_a_page_waiting_too_long_for_a_writer_names_it(monkeypatch, db_path):
    _write(db_path, DAILY)
    monkeypatch.setenv("CANALYSE_READ_WAIT", "0.5")
    with store.writing(db_path, actor="agent@ville.fr", program="canalyse import"):
        at = _page(monkeypatch, db_path)
    assert not at.exception
    shown = at.error[0].value.replace("\\", "")  # Markdown escapes
    assert "agent@ville.fr" in shown and "canalyse import" in shown
