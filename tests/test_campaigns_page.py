"""AppTest: the Campaigns and Glossary pages, driven through the router like a user would."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from canalyse.importing.pipeline import import_file
from tests.conftest import ROOT

BILANS = (
    "Campagne;Réseau;Vues;Dépenses (€);Temps passé (h)\n"
    "Crue;Facebook;600 000;1 000;10\n"
    "Crue;X;150 000;0;5\n"
    "Crue;Bluesky;;;2\n"
    "Vœux;Facebook;200 000;0;4\n"
)
MONTHS = "Mois;Réseau;Vues\njanvier 2025;Facebook;120 000\nfévrier 2025;Facebook;100 000\n"


@pytest.fixture(autouse=True)
def workspace(monkeypatch, db_path):
    monkeypatch.setenv("CANALYSE_DB", str(db_path))
    return db_path


def _import_summaries_and_months(con) -> None:
    import_file(con, "bilans.csv", BILANS.encode())
    import_file(con, "mensuel.csv", MONTHS.encode())


@pytest.fixture
def filled(db_path, workspaces):
    return workspaces.copy(db_path, "summaries_and_months", _import_summaries_and_months)


def _page(path: str, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    return at.switch_page(path).run()


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.info, *at.success, *at.error, *at.warning, *at.caption]
    return "\n".join(element.value for element in parts)


def _charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def test_an_empty_workspace_says_how_to_make_a_campaign():
    at = _page("pages/campaigns.py")
    assert not at.exception
    assert "Aucune campagne pour l'instant" in _texts(at)


def test_two_campaigns_are_compared_with_two_charts_and_a_table(filled):
    at = _page("pages/campaigns.py")
    assert not at.exception
    assert at.multiselect(key="compare_campaigns").value == ["Crue", "Vœux"]
    assert len(_charts(at)) == 2
    table = at.dataframe[0].value
    assert "pas de vues publiées" in table["Vues"].tolist()
    assert "le filtre « Campagne » ne s'applique pas ici" in _texts(at)


def test_choosing_a_single_campaign_asks_for_a_second(filled):
    at = _page("pages/campaigns.py")
    at.multiselect(key="compare_campaigns").set_value(["Crue"]).run()
    assert "au moins deux campagnes" in _texts(at)
    assert not _charts(at)


def test_a_date_range_is_saved_from_the_form_and_joins_the_comparison(filled):
    at = _page("pages/campaigns.py")
    at.text_input(key="range_name").input("Hiver")
    at.date_input(key="range_start").set_value(date(2025, 2, 1))
    at.date_input(key="range_end").set_value(date(2025, 2, 28))
    at.button(key="range_add").click().run()
    assert not at.exception
    assert "Campagne « Hiver » enregistrée" in "\n".join(s.value for s in at.success)
    assert "Hiver" in at.multiselect(key="compare_campaigns").options
    assert at.text_input(key="range_name").value == ""


def test_a_date_range_ending_before_it_starts_is_refused_with_a_clear_message(filled):
    at = _page("pages/campaigns.py")
    at.text_input(key="range_name").input("Été")
    at.date_input(key="range_start").set_value(date(2025, 8, 31))
    at.date_input(key="range_end").set_value(date(2025, 6, 1))
    at.button(key="range_add").click().run()
    assert "précède son début" in "\n".join(e.value for e in at.error)
    assert at.text_input(key="range_name").value == "Été"


def test_a_range_named_like_a_tag_is_refused(filled):
    at = _page("pages/campaigns.py")
    at.text_input(key="range_name").input("crue")
    at.button(key="range_add").click().run()
    assert "déjà celui d'une campagne" in "\n".join(e.value for e in at.error)


def test_tagging_an_import_from_the_page_adds_its_campaign(filled):
    at = _page("pages/campaigns.py")
    source_id = at.selectbox(key="tag_choice").value
    assert source_id == 2  # mensuel.csv, the most recent
    at.text_input(key=f"tag_name_{source_id}").input("Hiver 2025")
    at.button(key="tag_submit").click().run()
    assert not at.exception
    assert "Hiver 2025" in at.multiselect(key="compare_campaigns").options
    assert "2 lignes dans la campagne « Hiver 2025 »" in "\n".join(s.value for s in at.success)


def test_the_campaigns_page_speaks_english(filled):
    at = _page("pages/campaigns.py", lang="en")
    assert not at.exception
    assert "Compare campaigns" in [h.value for h in at.subheader]
    assert "no views reported" in at.dataframe[0].value["Views"].tolist()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_glossary_lists_every_figure_and_ratio(lang):
    at = _page("pages/glossary.py", lang=lang)
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert ("Taux d'interaction" if lang == "fr" else "Engagement rate") in labels
    assert len(labels) >= 25


def test_the_glossary_search_keeps_the_matching_entries():
    at = _page("pages/glossary.py")
    at.text_input(key="glossary_search").input("Primary").run()
    assert "Vues" in [e.label for e in at.expander]
    assert "Dépenses publicitaires (€)" not in [e.label for e in at.expander]
    at.text_input(key="glossary_search").input("licorne").run()
    assert "Aucun indicateur ne correspond" in _texts(at)
