"""Workspaces written by earlier versions open with their data, counted by today's rules, after a
backup of the file has been made beside it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from canalyse import queries, store
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file
from canalyse.store.schema import _SQL

# Rows as versions 1 to 3 stored them (keys without the account for posts; a hand-made summary
# keyed by its file name): the Rennes summary, two X posts and two X days of « rennes ».
_SOURCES = [
    (1, "bilan.csv", "h1", None, "handmade", "Crue", 4),
    (
        2,
        "tweet_activity_metrics_rennes_20211101_20211201_en.csv",
        "h2",
        "x",
        "x_post_legacy",
        None,
        2,
    ),
    (
        3,
        "daily_tweet_activity_metrics_rennes_20211101_20211201_en.csv",
        "h3",
        "x",
        "x_daily_legacy",
        None,
        2,
    ),
]
_FACTS = [
    # source, platform, account, grain, start, end, item, campaign, key, views, spend
    (
        1,
        "facebook",
        "",
        "period",
        None,
        None,
        None,
        "Crue",
        "hand|period|facebook||crue|file:bilan",
        740000,
        1000.5,
    ),
    (
        1,
        "linkedin",
        "",
        "period",
        None,
        None,
        None,
        "Crue",
        "hand|period|linkedin||crue|file:bilan",
        496000,
        None,
    ),
    (
        1,
        "instagram",
        "",
        "period",
        None,
        None,
        None,
        "Crue",
        "hand|period|instagram||crue|file:bilan",
        296000,
        None,
    ),
    (
        1,
        "x",
        "",
        "period",
        None,
        None,
        None,
        "Crue",
        "hand|period|x||crue|file:bilan",
        150000,
        None,
    ),
    (
        2,
        "x",
        "rennes",
        "post",
        "2021-11-28",
        "2021-11-28",
        "https://twitter.com/rennes/status/1",
        "",
        "x|post|https://twitter.com/rennes/status/1",
        1000,
        None,
    ),
    (
        2,
        "x",
        "rennes",
        "post",
        "2021-12-05",
        "2021-12-05",
        "https://twitter.com/rennes/status/2",
        "",
        "x|post|https://twitter.com/rennes/status/2",
        500,
        None,
    ),
    (
        3,
        "x",
        "rennes",
        "day",
        "2021-11-28",
        "2021-11-28",
        None,
        "",
        "x|day|rennes|2021-11-28",
        1500,
        None,
    ),
    (
        3,
        "x",
        "rennes",
        "day",
        "2021-11-29",
        "2021-11-29",
        None,
        "",
        "x|day|rennes|2021-11-29",
        300,
        None,
    ),
]


def _old_workspace(path: Path, version: int) -> None:
    con = duckdb.connect(str(path))
    for step in range(1, version + 1):
        con.execute((_SQL / f"schema_v{step}.sql").read_text(encoding="utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(version)])
    for source_id, name, digest, platform, layout, campaign, rows in _SOURCES:
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?, NULL, NULL)",
            [source_id, name, digest, platform, layout, campaign, rows],
        )
    for (
        source_id,
        platform,
        account,
        grain,
        start,
        end,
        item,
        campaign,
        key,
        views,
        spend,
    ) in _FACTS:
        con.execute(
            "INSERT INTO facts (source_id, table_no, platform, account, grain, period_start, "
            "period_end, item_key, campaign, fact_key, views, spend) "
            "VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [source_id, platform, account, grain, start, end, item, campaign, key, views, spend],
        )
    for _ in range(3):
        con.execute("SELECT nextval('source_ids')")
    if version == 3:
        # Version 3 kept its counting rules as views and macros inside the file.
        con.execute("CREATE VIEW facts_current AS SELECT * FROM facts")
        con.execute("CREATE VIEW facts_effective AS SELECT * FROM facts_current")
        con.execute("CREATE MACRO filtered_facts(a, b, c, d, e) AS TABLE SELECT * FROM facts")
        con.execute("CREATE MACRO platform_effort(a, b, c, d, e, f) AS TABLE SELECT 1 AS x")
    con.close()


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_older_workspace_is_backed_up_then_upgraded_with_its_data(tmp_path, version):
    path = tmp_path / "equipe.duckdb"
    _old_workspace(path, version)
    con = store.connect(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION

    backups = list((tmp_path / "backups").glob(f"equipe-*-avant-v{store.SCHEMA_VERSION}.duckdb"))
    assert len(backups) == 1
    old = duckdb.connect(str(backups[0]), read_only=True)
    assert old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(version),
    )
    assert old.execute("SELECT count(*) FROM facts").fetchone() == (len(_FACTS),)
    old.close()

    totals = queries.run(con, "platform_totals", **Filters().params()).set_index("platform")
    # X: the day series (1 500 + 300) replaces the post of 28 November (1 000); the post of
    # 5 December (500) counts, and the summary's undated 150 000. Spend kept, to the cent.
    assert totals.at["x", "views"] == 1500 + 300 + 500 + 150000
    assert totals.at["facebook", "views"] == 740000
    assert totals.at["facebook", "spend"] == 1000.5
    assert set(totals.index) == {"facebook", "linkedin", "instagram", "x"}

    # The upgraded keys still match what the importer builds today: the same summary, corrected,
    # replaces the old one instead of adding to it.
    corrected = "Réseau;Campagne;Vues\nFacebook;Crue;750000\n".encode()
    assert import_file(con, "bilan.csv", corrected).status == "imported"
    totals = queries.run(con, "platform_totals", **Filters().params()).set_index("platform")
    assert totals.at["facebook", "views"] == 750000
    con.close()


def test_a_workspace_of_this_version_is_not_backed_up_again(tmp_path):
    path = tmp_path / "w.duckdb"
    store.connect(path).close()
    store.connect(path).close()
    assert not (tmp_path / "backups").exists()


def test_a_workspace_from_a_newer_canalyse_is_refused_untouched(tmp_path):
    path = tmp_path / "w.duckdb"
    con = store.connect(path)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    before = path.read_bytes()
    with pytest.raises(CanalyseError) as refused:
        store.connect(path)
    assert refused.value.key == "store.error.newer"
    assert path.read_bytes() == before
