"""AppTest: the Trends page through the router — empty states, charts, events, before/after."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from canalyse import store
from canalyse.analysis import events
from canalyse.importing.pipeline import import_file
from tests.conftest import ROOT, fixture_bytes

PAGE = "pages/trends.py"


@pytest.fixture(autouse=True)
def workspace(monkeypatch, db_path):
    """Every AppTest works on its own workspace file."""
    monkeypatch.setenv("CANALYSE_DB", str(db_path))
    return db_path


def _daily_table() -> tuple[str, bytes]:
    """Ten days of X and Facebook views around 20/01/2025, and a month of YouTube."""
    lines = ["Date;Réseau;Vues"]
    for day in range(15, 26):
        lines.append(f"2025-01-{day:02d};X;{100 if day < 20 else 50}")
        lines.append(f"2025-01-{day:02d};Facebook;200")
    return "quotidien.csv", "\n".join(lines).encode()


def _open(db_path, *files, lang: str | None = None, with_events=()) -> AppTest:
    con = store.connect(db_path)
    for name, data in files:
        import_file(con, name, data)
    for day, label in with_events:
        events.add_event(con, day, label)
    con.close()
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    return at.switch_page(PAGE).run()


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.info, *at.caption, *at.subheader]
    return "\n".join(element.value for element in parts)


def _table(at: AppTest, column: str):
    """The first table on the page with this column (AppTest does not expose dataframe keys)."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def _titles(at: AppTest) -> list[str]:
    """Chart titles as read (a long title is wrapped over lines)."""
    return [
        json.loads(chart.proto.spec)["layout"]["title"]["text"].replace("<br>", " ")
        for chart in at.get("plotly_chart")
    ]


def test_an_empty_workspace_says_what_to_import(db_path):
    at = _open(db_path)
    assert not at.exception
    assert "exports datés" in _texts(at)


def test_undated_summaries_only_explain_that_time_charts_need_dates(db_path):
    at = _open(db_path, fixture_bytes("handmade/bilan_cp1252.csv"))
    assert not at.exception
    assert "Aucune vue datée" in _texts(at)
    assert not at.get("plotly_chart")


def test_monthly_figures_draw_views_share_and_growth_by_month(db_path):
    at = _open(db_path, fixture_bytes("handmade/mensuel_bom.csv"))
    assert not at.exception
    # mensuel_bom: Facebook 120 000 (January) then 100 000 (February): -16,7 %, rounded to 17 %.
    assert (
        _titles(at)[0]
        == "Les vues de Facebook ont baissé de 17\u00a0% entre janvier et février 2025"
    )
    growth = _table(at, "Évolution (vues)")
    assert list(growth.iloc[:, 0]) == ["Facebook", "LinkedIn"]
    assert growth.iloc[0, 3] == "-20\u00a0000"


def test_day_granularity_leaves_months_out_and_says_how_many(db_path):
    at = _open(db_path, fixture_bytes("handmade/mensuel_bom.csv"), _daily_table())
    at.segmented_control(key="trends_granularity").set_value("day").run()
    assert not at.exception
    # Facebook's day series covers only 15–25 January, so its January month is kept (the days
    # are set aside); left out of the day chart: Facebook January 120 000 + February 100 000 +
    # LinkedIn January 80 000 + February 90 000 = 390 000, 4 rows.
    assert "4 lignes couvrant plus d'une période (390\u00a0000 vues" in _texts(at)


def test_adding_an_event_draws_it_on_the_charts_and_deleting_removes_it(db_path):
    at = _open(db_path, _daily_table())
    at.date_input(key="event_day").set_value(date(2025, 1, 20))
    at.text_input(key="event_label").input("Arrêt de <b>X</b>")
    at.button(key="event_add").click().run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert "Arrêt de &lt;b&gt;X&lt;/b&gt; — 20/01/2025" in texts
    assert len(_table(at, "Événement")) == 1

    at.button(key="event_delete").click().run()
    assert not at.exception
    con = store.connect(db_path)
    assert events.list_events(con).empty
    con.close()


def test_before_after_compares_the_days_around_the_event(db_path):
    at = _open(db_path, _daily_table(), with_events=[(date(2025, 1, 20), "Arrêt de X")])
    assert not at.exception
    # 15–19 then 21–25 January: 5 days on each side. X 100 → 50 a day, Facebook 200 → 200:
    # total 300 → 250 a day, -16,7 %, rounded to 17 %.
    assert (
        "Comparaison sur 5 jours avant (du 15/01/2025 au 19/01/2025) et 5 jours après"
        " (du 21/01/2025 au 25/01/2025) l'événement du 20/01/2025" in _texts(at)
    )
    assert _titles(at)[-1] == "Après « Arrêt de X », les vues quotidiennes ont baissé de 17\u00a0%"
    table = at.table[0].value
    assert list(table.index) == ["Facebook", "X", "Total"]
    assert list(table["Évolution (%)"]) == ["0,0\u00a0%", "-50,0\u00a0%", "-16,7\u00a0%"]

    at.toggle(key="before_after_custom").set_value(True).run()
    at.number_input(key="before_after_periods_day").set_value(3).run()
    assert not at.exception
    assert "Comparaison sur 3 jours avant (du 17/01/2025 au 19/01/2025)" in _texts(at)


def test_a_filter_change_reads_each_query_once_the_comparison_included(db_path, monkeypatch):
    from canalyse import queries

    at = _open(db_path, _daily_table(), with_events=[(date(2025, 1, 20), "Arrêt de X")])
    ran: list[str] = []
    run = queries.run

    def counted(con, name, **params):
        ran.append(name)
        return run(con, name, **params)

    monkeypatch.setattr(queries, "run", counted)
    at.multiselect(key="filter_platforms").set_value(["x"]).run()
    assert not at.exception
    # The before/after comparison starts from the views the charts drew.
    assert ran.count("views_by_period") == 1
    assert sorted(ran) == sorted(set(ran))
    assert "Après « Arrêt de X », les vues quotidiennes ont baissé de 50\u00a0%" in _titles(at)


def test_the_page_speaks_english(db_path):
    at = _open(
        db_path,
        fixture_bytes("handmade/mensuel_bom.csv"),
        lang="en",
        with_events=[(date(2025, 2, 1), "Budget cut")],
    )
    assert not at.exception
    assert _titles(at)[0] == "Facebook views fell by 17% between January and February 2025"
    assert "Add an event above" not in _texts(at)
    # Monthly figures only: the comparison is by month, the 1 February opening February.
    assert "Comparison over 1 month before (1 Jan 2025 – 31 Jan 2025)" in _texts(at)
    assert _titles(at)[-1].startswith('After "Budget cut", monthly views fell by')
