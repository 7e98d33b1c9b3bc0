"""The workspace file: schema on open, idempotent imports, all-or-nothing imports, deletions."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from canalyse import store
from canalyse.errors import CanalyseError
from canalyse.importing import pipeline
from canalyse.importing.pipeline import import_file
from canalyse.metrics import METRIC_NAMES
from tests.conftest import fixture_bytes


def _snapshot(con) -> tuple:
    return (
        con.execute("SELECT * FROM sources ORDER BY source_id").fetchall(),
        con.execute("SELECT * FROM source_tables ORDER BY ALL").fetchall(),
        con.execute("SELECT * FROM facts ORDER BY ALL").fetchall(),
    )


def test_opening_creates_a_versioned_schema_on_disk(db_path):
    con = store.connect(db_path)
    con.close()
    assert db_path.exists()
    reopened = duckdb.connect(str(db_path))
    assert store.schema_version(reopened) == store.SCHEMA_VERSION


def test_a_reopened_workspace_is_ready_for_any_work(db_path):
    store.connect(db_path).close()
    con = store.connect(db_path)
    # No result is left unfinished by the opening: DuckDB would refuse to register a frame.
    con.register("frame", pd.DataFrame({"n": [1, 2]}))
    assert con.execute("SELECT sum(n) FROM frame").fetchall() == [(3,)]
    con.close()


def test_facts_have_one_column_per_canonical_metric(con):
    columns = [row[0] for row in con.execute("DESCRIBE facts").fetchall()]
    assert columns == list(store.FACT_COLUMNS)
    assert set(METRIC_NAMES) <= set(columns)


def test_a_workspace_from_a_newer_version_is_refused(db_path):
    con = store.connect(db_path)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(CanalyseError) as refused:
        store.connect(db_path)
    assert refused.value.key == "store.error.newer"


def test_db_path_comes_from_the_flag_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CANALYSE_DB", str(tmp_path / "env.duckdb"))
    assert store.resolve_db_path(None) == tmp_path / "env.duckdb"
    assert store.resolve_db_path(tmp_path / "flag.duckdb") == tmp_path / "flag.duckdb"
    monkeypatch.delenv("CANALYSE_DB")
    assert store.resolve_db_path(None) == store.DEFAULT_DB


def test_reimporting_the_same_file_changes_nothing(con):
    name, data = fixture_bytes("handmade/bilan_crue_fr_pointvirgule.csv")
    first = import_file(con, name, data)
    before = _snapshot(con)
    again = import_file(con, "renamed copy.csv", data)
    assert first.status == "imported"
    assert again.status == "unchanged"
    assert "rien n'a changé" in again.message
    assert _snapshot(con) == before


def test_a_failing_import_leaves_the_workspace_exactly_as_before(con, monkeypatch):
    import_file(con, *fixture_bytes("handmade/bilan_cp1252.csv"))
    before = _snapshot(con)

    original = store.add_source

    def fail_midway(connection, **kwargs):
        # Let the source row and the first facts go in, then break: the transaction must undo all.
        kwargs["facts"] = [kwargs["facts"][0].assign(grain="not-a-grain")]
        return original(connection, **kwargs)

    monkeypatch.setattr(pipeline.store, "add_source", fail_midway)
    report = import_file(con, *fixture_bytes("handmade/bilan_crue_fr_pointvirgule.csv"))
    assert report.status == "error"
    assert _snapshot(con) == before


def test_a_refused_file_changes_nothing(con):
    import_file(con, *fixture_bytes("handmade/mensuel_bom.csv"))
    before = _snapshot(con)
    report = import_file(con, "bad.csv", "Réseau;Vues\nFacebook;12\nX;douze\n".encode())
    assert report.status == "error"
    assert _snapshot(con) == before


def test_a_corrected_file_replaces_the_figures_it_repeats(con):
    import_file(con, "bilan.csv", "Réseau;Vues\nFacebook;100\nX;50\n".encode())
    import_file(con, "bilan.csv", "Réseau;Vues\nFacebook;120\nX;50\n".encode())
    rows = con.execute("SELECT platform, views FROM figures ORDER BY platform").fetchall()
    assert rows == [("facebook", 120.0), ("x", 50.0)]


def test_overlapping_monthly_tables_count_each_month_once(con):
    import_file(
        con, "t1.csv", "Mois;Réseau;Vues\n2025-01;Facebook;100\n2025-02;Facebook;200\n".encode()
    )
    import_file(
        con, "t2.csv", "Mois;Réseau;Vues\n2025-02;Facebook;210\n2025-03;Facebook;300\n".encode()
    )
    total = con.execute("SELECT sum(views) FROM figures").fetchone()[0]
    assert total == 100 + 210 + 300


def test_an_hours_file_adds_staff_hours_without_erasing_views(con):
    import_file(con, "vues.csv", "Mois;Réseau;Vues\n2025-01;Facebook;100\n".encode())
    import_file(con, "heures.csv", "Mois;Réseau;Heures\n2025-01;Facebook;7\n".encode())
    row = con.execute("SELECT views, staff_hours FROM figures").fetchone()
    assert row == (100.0, 7.0)


def test_another_campaign_summary_adds_to_the_first(con):
    import_file(con, "crue.csv", "Réseau;Vues\nFacebook;100\n".encode())
    import_file(con, "voeux.csv", "Réseau;Vues\nFacebook;40\n".encode())
    assert con.execute("SELECT sum(views) FROM figures").fetchone()[0] == 140


def test_deleting_an_import_removes_only_its_facts_and_brings_back_what_it_replaced(con):
    first = import_file(con, "bilan.csv", "Réseau;Vues\nFacebook;100\n".encode())
    second = import_file(con, "bilan.csv", "Réseau;Vues\nFacebook;120\n".encode())
    other = import_file(con, *fixture_bytes("handmade/bilan_cp1252.csv"))
    assert store.delete_source(con, second.source_id)
    remaining = {sid for (sid,) in con.execute("SELECT source_id FROM sources").fetchall()}
    assert remaining == {first.source_id, other.source_id}
    views = con.execute("SELECT views FROM figures WHERE platform = 'facebook'").fetchone()
    assert views == (100.0,)
    assert not store.delete_source(con, 9999)


def test_a_deleted_file_can_be_imported_again(con):
    name, data = fixture_bytes("handmade/daily_en.csv")
    report = import_file(con, name, data)
    store.delete_source(con, report.source_id)
    assert import_file(con, name, data).status == "imported"
