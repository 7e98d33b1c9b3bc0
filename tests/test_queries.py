"""The query files: each runs, each is documented and used, and the Rennes shares come out right."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from canalyse import queries, store
from canalyse.analysis.trends import followers_series
from canalyse.filters import Filters
from canalyse.importing.pipeline import ImportAnswers, import_file
from canalyse.samples import example_files
from tests.conftest import ROOT, fixture_bytes


@pytest.fixture
def rennes(con):
    for name, data in example_files():
        assert import_file(con, name, data).status == "imported"
    return con


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    """X posts (campaign « Novembre ») and days of the account « rennes » (posts set aside on the
    days the day series covers) and a typed X day without an account kept apart: every query has
    rows. Built once: the tests only read it."""
    con = store.connect(tmp_path_factory.mktemp("varied") / "workspace.duckdb")
    import_file(
        con,
        *fixture_bytes("exports/x/tweet_activity_metrics_rennes_20211101_20211201_en.csv"),
        campaign="Novembre",
    )
    import_file(
        con,
        *fixture_bytes("exports/x/daily_tweet_activity_metrics_rennes_20211101_20211201_en.csv"),
    )
    apart = ImportAnswers(accounts={"x": ""})
    report = import_file(
        con, "jour.csv", "Date;Réseau;Vues\n2021-11-29;X;10\n".encode(), answers=apart
    )
    assert report.status == "imported", report.message
    yield con
    con.close()


@pytest.mark.parametrize("name", queries.available())
def test_every_query_file_runs_on_the_workspace(varied, name):
    params = {p: None for p in queries.parameters(name)}
    frame = queries.run(varied, name, **params)
    assert not frame.empty


@pytest.mark.parametrize("name", queries.available())
def test_every_query_file_has_a_header_and_is_used(name):
    text = queries.load(name)
    assert text.startswith("-- "), "a header comment says what the query returns"
    assert "Returns:" in text
    # A call that runs it (`queries.run(con, "name"`, `ui.query("name"`), not any string equal to
    # its name: "accounts" is also a dictionary key.
    call = re.compile(rf"(?:queries\.run\([^,()]+,|\bquery\()\s*[\"']{name}[\"']")
    users = [
        p
        for p in [
            *ROOT.glob("canalyse/**/*.py"),
            *ROOT.glob("pages/*.py"),
            ROOT / "app.py",
            ROOT / "router.py",
        ]
        if call.search(Path(p).read_text(encoding="utf-8"))
    ]
    assert users, f"queries/{name}.sql is run nowhere"


def test_rennes_figures_give_facebook_44_percent_of_views(rennes):
    shares = queries.run(rennes, "share_of_views", **Filters().params())
    by_platform = dict(zip(shares["platform"], shares["share_of_views"], strict=True))
    assert list(shares["platform"]) == ["facebook", "linkedin", "instagram", "x"]
    assert round(by_platform["facebook"] * 100, 1) == 44.0
    assert round(by_platform["x"] * 100, 1) == 8.9
    assert shares["views"].sum() == 1_682_000


def test_platforms_without_views_have_no_share(con):
    import_file(con, *fixture_bytes("handmade/daily_en.csv"))
    shares = queries.run(con, "share_of_views", **Filters().params())
    assert list(shares["platform"]) == ["x"]
    totals = queries.run(con, "platform_totals", **Filters().params())
    bluesky = totals[totals["platform"] == "bluesky"].iloc[0]
    assert bluesky["engagements"] == 55 and bluesky["views"] != bluesky["views"]


def test_filters_select_period_platforms_and_campaign(con):
    import_file(con, *fixture_bytes("handmade/mensuel_bom.csv"), campaign="Hiver")
    import_file(con, *fixture_bytes("handmade/bilan_cp1252.csv"), campaign="Crue")

    def views(**filters):
        frame = queries.run(con, "overview", **Filters(**filters).params())
        return frame["total_views"].iloc[0]

    assert views() == 390_000 + 446_000
    assert views(start=date(2025, 2, 1), end=date(2025, 2, 28)) == 190_000
    assert views(platforms=("linkedin",)) == 170_000
    assert views(campaign="Crue") == 446_000


def test_a_campaign_date_range_gathers_the_dated_figures_inside_it(con):
    import_file(con, *fixture_bytes("handmade/mensuel_bom.csv"))
    con.execute(
        "INSERT INTO campaign_ranges VALUES ('Hiver', DATE '2025-02-01', DATE '2025-02-28')"
    )
    frame = queries.run(con, "overview", **Filters(campaign="Hiver").params())
    assert frame["total_views"].iloc[0] == 190_000
    assert "Hiver" in queries.run(con, "campaigns")["campaign"].tolist()


def test_the_account_filter_keeps_only_the_chosen_accounts(con):
    import_file(
        con, *fixture_bytes("exports/x/tweet_activity_metrics_rennes_20211101_20211201_en.csv")
    )
    import_file(con, *fixture_bytes("handmade/bilan_cp1252.csv"))
    assert queries.run(con, "accounts")["account"].tolist() == ["rennes"]
    frame = queries.run(con, "overview", **Filters(accounts=("rennes",)).params())
    assert frame["total_views"].iloc[0] == 3000


def test_a_query_refuses_missing_or_unexpected_parameters(con):
    with pytest.raises(TypeError):
        queries.run(con, "share_of_views", start=None)
    with pytest.raises(TypeError):
        queries.run(con, "campaigns", start=None)


def test_the_ratio_registry_and_the_roi_query_name_the_same_ratios(varied):
    from canalyse.i18n import catalog
    from canalyse.ratios import RATIO_NAMES

    columns = queries.run(varied, "roi", **Filters().params(), hourly_cost=35.0).columns.tolist()
    base = ["platform", "views", "reach", "engagements", "spend", "staff_hours", "followers_total"]
    assert columns == base + list(RATIO_NAMES)
    for name in RATIO_NAMES:
        for part in ("label", "short", "definition", "formula", "note"):
            assert f"glossary.ratio.{name}.{part}" in catalog()


_RAW_FOLLOWERS = """
    SELECT platform, account, period_start, period_end, max(followers_total) AS followers_total,
           sum(followers_gained) AS followers_gained, sum(followers_lost) AS followers_lost,
           sum(rows) AS rows
    FROM filtered_figures(NULL, NULL, NULL, NULL, NULL)
    WHERE period_start IS NOT NULL
      AND coalesce(followers_total, followers_gained, followers_lost) IS NOT NULL
    GROUP BY ALL
"""


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
def test_followers_reduced_in_sql_draw_the_series_the_raw_periods_draw(con, granularity):
    # LinkedIn gives counts (levels), X gives daily gains and a typed month of gains that no
    # week holds: the query reduces each account to one row per period of the chart, and the
    # chart's series are those the raw periods give.
    name = "exports/x/daily_tweet_activity_metrics_rennes_20211101_20211201_en.csv"
    assert import_file(con, *fixture_bytes(name)).status == "imported"
    typed = "Mois;Réseau;Compte;Nouveaux abonnés\n2021-12;X;rennes;40\n".encode()
    assert import_file(con, "mois.csv", typed).status == "imported"
    counts = "Date;Réseau;Compte;Abonnés\n" + "".join(
        f"2021-11-{d:02d};LinkedIn;{a};{100 + d * (2 if a == 'lyon' else 1)}\n"
        for d in range(3, 30, 4)
        for a in ("lyon", "nantes")
    )
    assert import_file(con, "abonnes.csv", counts.encode()).status == "imported"
    raw = con.execute(_RAW_FOLLOWERS).df()
    reduced = queries.run(con, "followers_by_day", granularity=granularity, **Filters().params())
    assert len(reduced) <= len(raw) and set(reduced["platform"]) == {"linkedin", "x"}
    expected, found = followers_series(raw, granularity), followers_series(reduced, granularity)
    pd.testing.assert_frame_equal(found.levels, expected.levels, check_dtype=False)
    pd.testing.assert_frame_equal(found.net_gains, expected.net_gains, check_dtype=False)
    assert not found.levels.empty and not found.net_gains.empty
