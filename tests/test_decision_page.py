"""AppTest of the Decide page through the router: scorecard, questionnaire, weights, simulator."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, fixture_bytes

PAGE = "pages/decision.py"
APP = ROOT / "router.py"


@pytest.fixture(autouse=True)
def workspace(monkeypatch, db_path):
    """Every AppTest works on its own workspace file."""
    monkeypatch.setenv("CANALYSE_DB", str(db_path))
    return db_path


def _import_year(con) -> None:
    from canalyse.importing.pipeline import import_file

    import_file(con, *fixture_bytes("roi/decision_2025.csv"))


@pytest.fixture
def year(db_path, workspaces):
    """A year of monthly views and hours: LinkedIn rising, X falling, Bluesky without views."""
    workspaces.copy(db_path, "year", _import_year)


def _page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    return at.switch_page(PAGE).run()


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.info, *at.warning, *at.caption]
    return "\n".join(element.value for element in parts)


def _chart_title(at: AppTest) -> str:
    return json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]


def test_the_page_runs_on_an_empty_workspace():
    at = _page()
    assert not at.exception
    assert "Importez d'abord" in _texts(at)


def test_the_scorecard_states_its_finding_and_says_canalyse_takes_no_side(year):
    at = _page()
    assert not at.exception
    assert "Garder LinkedIn et Facebook, réduire Instagram, quitter X" == _chart_title(at)
    assert "Canalyse ne prend pas parti" in _texts(at)
    assert "Bluesky** — à évaluer" in _texts(at)


def test_a_saved_answer_changes_the_reasons(year):
    at = _page()
    at.selectbox(key="answer_x_moderation").set_value(0)
    at.button(key="save_answers").click().run()
    assert not at.exception
    # Reasons are shown through ui.plain: Markdown's special characters arrive backslash-escaped.
    assert "Modération \\: non \\(0/4\\)" in _texts(at)
    assert at.selectbox(key="answer_x_moderation").value == 0


def test_weights_set_to_zero_drop_a_criterion_from_the_reasons(year):
    at = _page()
    assert "vues en baisse" in _texts(at)
    at.slider(key="weight_trend").set_value(0)
    at.button(key="save_weights").click().run()
    assert not at.exception
    assert "vues en baisse" not in _texts(at)


def test_the_simulator_moves_hours_and_says_who_cannot_receive_them(year):
    at = _page()
    at.selectbox(key="move_source").set_value("x").run()
    at.multiselect(key="move_destinations").set_value(["linkedin"]).run()
    assert not at.exception
    labels = [metric.label for metric in at.metric]
    assert "Solde par mois" in labels
    net = next(metric for metric in at.metric if metric.label == "Solde par mois")
    assert net.value.startswith("+")
    assert "Bluesky" in _texts(at)
    assert "Hypothèse : chaque heure rapporte autant de vues" in _texts(at)


def test_shares_that_do_not_add_up_to_100_are_refused(year):
    at = _page()
    at.multiselect(key="move_destinations").set_value(["linkedin", "instagram"]).run()
    at.number_input(key="move_split_linkedin").set_value(30).run()
    assert not at.exception
    assert "80" in "\n".join(w.value for w in at.warning)


def test_the_page_speaks_english(year):
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.segmented_control(key="language").set_value("en").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "Keep LinkedIn and Facebook, reduce Instagram, leave X" == _chart_title(at)
    assert "Views gained a month" in [metric.label for metric in at.metric]
