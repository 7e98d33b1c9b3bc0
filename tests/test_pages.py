"""AppTest: every page runs, the example loads, uploads import, deletions delete, both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from canalyse import store
from tests.conftest import ROOT, fixture_bytes

PAGES = [
    "pages/overview.py",
    "pages/roi.py",
    "pages/decision.py",
    "pages/present.py",
    "pages/trends.py",
    "pages/campaigns.py",
    "pages/import_data.py",
    "pages/glossary.py",
]


@pytest.fixture(autouse=True)
def workspace(monkeypatch, db_path):
    """Every AppTest works on its own workspace file."""
    monkeypatch.setenv("CANALYSE_DB", str(db_path))
    return db_path


def _app(page: str | None = None) -> AppTest:
    """The app through its router, opened on `page` (the pages' links need the router's pages)."""
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=30).run()
    return at.switch_page(page) if page else at


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.info, *at.success, *at.error, *at.warning, *at.caption]
    return "\n".join(element.value for element in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_workspace(page):
    at = _app(page).run()
    assert not at.exception


def _monthly_and_daily(con) -> None:
    from canalyse.importing.pipeline import import_file

    import_file(con, *fixture_bytes("handmade/mensuel_bom.csv"))
    import_file(con, *fixture_bytes("handmade/daily_en.csv"), campaign="Janvier")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_a_full_workspace(page, db_path, workspaces):
    workspaces.copy(db_path, "monthly_and_daily", _monthly_and_daily)
    at = _app(page).run()
    assert not at.exception


def test_empty_overview_offers_the_example_which_shows_the_rennes_figures():
    at = _app().run()
    assert "Bienvenue" in _texts(at)
    at.button(key="load_example").click().run()
    assert not at.exception
    views = at.metric[0]
    assert views.value == "1\u00a0682\u00a0000"
    assert at.get("plotly_chart")


def test_the_language_switch_turns_the_interface_to_english():
    at = _app().run()
    at.segmented_control(key="language").set_value("en").run()
    assert not at.exception
    assert at.button(key="load_example").label.startswith("Load the example")


def test_uploading_files_through_the_import_page_imports_them(db_path):
    at = _app("pages/import_data.py").run()
    name, data = fixture_bytes("handmade/bilan_crue_fr_pointvirgule.csv")
    other, more = fixture_bytes("handmade/summary_en.xlsx")
    at.file_uploader(key="upload").set_value(
        [(name, data, "text/csv"), (other, more, "application/octet-stream")]
    )
    at.button(key="import_submit").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "« bilan\\_crue\\_fr\\_pointvirgule\\.csv » importé \\: 4 lignes\\.",
        "« summary\\_en\\.xlsx » importé \\: 2 lignes\\.",
    ]
    con = store.connect(db_path)
    assert len(store.list_sources(con)) == 2
    con.close()


def test_a_bad_upload_shows_an_error_and_imports_nothing(db_path):
    at = _app("pages/import_data.py").run()
    at.file_uploader(key="upload").set_value(
        ("mauvais.csv", "Réseau;Vues\nFB;trois\n".encode(), "text/csv")
    )
    at.button(key="import_submit").click().run()
    assert not at.exception
    assert "trois" in at.error[0].value
    con = store.connect(db_path)
    assert store.is_empty(con)
    con.close()


def test_deleting_an_import_from_the_history(db_path):
    from canalyse.importing.pipeline import import_file

    con = store.connect(db_path)
    import_file(con, *fixture_bytes("handmade/bilan_cp1252.csv"))
    kept = import_file(con, *fixture_bytes("handmade/daily_en.csv"))
    con.close()
    at = _app("pages/import_data.py").run()
    at.selectbox(key="delete_choice").set_value(kept.source_id - 1)
    at.button(key="delete_submit").click().run()
    assert "Cochez" in at.warning[0].value
    at.checkbox(key="delete_confirm").check()
    at.button(key="delete_submit").click().run()
    assert not at.exception
    con = store.connect(db_path)
    assert store.list_sources(con)["file_name"].tolist() == ["daily_en.csv"]
    con.close()


def test_an_unknown_layout_offers_the_column_mapping_form():
    at = _app("pages/import_data.py").run()
    data = b"Jour;Affichages\n01/03/2025;1 000\n"
    at.file_uploader(key="upload").set_value(("outil.csv", data, "text/csv"))
    at.button(key="import_submit").click().run()
    assert not at.exception
    assert "ne reconnaît pas" in at.error[0].value
    assert at.selectbox(key="map_date_0").options == ["Jour", "Affichages"]
    at.selectbox(key="map_platform_0").set_value("linkedin")
    at.button(key="map_submit_0").click().run()
    assert "au moins une" in at.warning[0].value


def test_a_meta_daily_file_asks_facebook_or_instagram_and_imports_the_answer(db_path):
    from tests.test_platform_question import VIEWS

    at = _app("pages/import_data.py").run()
    at.file_uploader(key="upload").set_value(("IG_VIEWS.csv", VIEWS, "text/csv"))
    at.button(key="import_submit").click().run()
    assert not at.exception
    assert "Facebook ou Instagram" in _texts(at)
    assert at.radio(key="answer_platform_0_0").value == "instagram"
    at.button(key="answer_submit_0").click().run()
    assert not at.exception
    assert "importé" in at.success[0].value
    con = store.connect(db_path)
    assert con.execute("SELECT DISTINCT platform FROM facts").fetchall() == [("instagram",)]
    con.close()


def test_an_unused_column_of_figures_can_be_given_a_metric_from_the_report(db_path):
    from canalyse.importing import mapping

    at = _app("pages/import_data.py").run()
    name, data = fixture_bytes("handmade/monthly_ad_spend_eur.csv")
    at.file_uploader(key="upload").set_value((name, data, "text/csv"))
    at.button(key="import_submit").click().run()
    clicks = next(
        label for label, metric in mapping.metric_choices("fr").items() if metric == "clicks"
    )
    at.selectbox(key="unused_0_0_0").set_value(clicks)
    at.button(key="unused_submit_0").click().run()
    assert not at.exception
    assert "importé" in at.success[0].value
    con = store.connect(db_path)
    assert con.execute("SELECT sum(clicks), count(DISTINCT source_id) FROM facts").fetchone() == (
        40,
        1,
    )
    con.close()


def test_the_roi_page_saves_the_hourly_cost_and_shows_the_charts(db_path):
    from canalyse.analysis import roi
    from canalyse.importing.pipeline import import_file

    con = store.connect(db_path)
    import_file(con, *fixture_bytes("roi/annee_2025_mensuel.csv"))
    con.close()
    at = _app("pages/roi.py").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    at.text_input(key="hourly_cost").input("40,50")
    at.button(key="save_costs").click().run()
    assert not at.exception
    con = store.connect(db_path)
    assert roi.hourly_cost(con) == 40.5  # typed the French way
    con.close()
