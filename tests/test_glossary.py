"""The glossary: built from the metric dictionary and the layouts, so it cannot drift from them."""

from __future__ import annotations

import pytest

from canalyse.analysis.glossary import feeds_table, glossary_entries, matches, metric_feeds
from canalyse.metrics import METRICS
from canalyse.ratios import RATIO_NAMES


def _entry(name: str, lang: str = "fr"):
    return next(entry for entry in glossary_entries(lang) if entry.name == name)


def _feeds(name: str) -> dict[str | None, tuple[str, ...]]:
    return {feed.platform: feed.columns for feed in metric_feeds(name, "fr")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_metric_then_every_ratio_has_an_entry_with_a_definition_and_formula(lang):
    entries = glossary_entries(lang)
    assert [e.name for e in entries] == [*METRICS, *RATIO_NAMES]
    assert all(e.label and e.definition and e.formula for e in entries)
    assert {e.kind for e in entries[: len(METRICS)]} == {"metric"}


def test_views_come_from_x_impressions_meta_views_and_linkedin_total_impressions():
    views = _feeds("views")
    # X's legacy exports write "impressions", the new ones "Impressions": shown once, capitalised.
    assert views["x"] == ("Impressions",)
    assert {"Views", "Vues"} <= set(views["facebook"])
    assert views["linkedin"][0] == "Impressions (total)"
    assert views["youtube"] == ("Views", "Vues")


def test_bluesky_and_mastodon_feed_no_views_but_feed_reactions():
    assert "bluesky" not in _feeds("views") and "mastodon" not in _feeds("views")
    assert _feeds("reactions")["bluesky"] == ("like_count", "likeCount")


def test_linkedin_post_views_feed_video_views_not_views():
    assert "Views" in _feeds("video_views")["linkedin"]
    assert "Views" not in _feeds("views")["linkedin"]


def test_a_layout_serving_several_networks_is_named_by_its_own_label():
    meta_daily = [feed for feed in metric_feeds("views", "fr") if feed.platform is None]
    assert [feed.columns for feed in meta_daily] == [("Primary",)]
    assert "Meta" in meta_daily[0].network


def test_the_comparability_warnings_are_stated_where_they_matter():
    assert any("vues répétées" in w for w in _entry("views").warnings)
    assert any("Bluesky et Mastodon" in w for w in _entry("views").warnings)
    assert any("YouTube" in w and "pas des vues" in w for w in _entry("impressions").warnings)
    assert any("vues de vidéos" in w for w in _entry("video_views").warnings)
    assert any("ne s'additionnent pas" in w for w in _entry("reach").warnings)
    assert any("Bluesky" in w for w in _entry("engagements").warnings)


def test_the_engagement_rate_states_its_denominator_in_both_languages():
    assert _entry("engagement_rate").formula.startswith("Interactions ÷ vues")
    assert _entry("engagement_rate", "en").formula.startswith("Engagements ÷ views")
    assert _entry("engagement_rate").inputs == ("engagements", "views")


def test_staff_cost_is_hours_times_the_loaded_hourly_cost():
    assert "Temps agents (h) × coût horaire chargé" in _entry("staff_cost").formula


def test_a_followers_total_is_described_as_a_level_not_a_sum():
    assert _entry("followers_total").formula.startswith("Dernière valeur connue")
    assert _entry("views").formula.startswith("Somme")


def test_spend_comes_from_hand_made_tables_only():
    spend = _entry("spend")
    assert spend.feeds == ()
    assert any("Budget" in w for w in spend.warnings)
    assert feeds_table(spend, "fr").empty


def test_a_ratio_table_has_one_column_per_input_and_one_row_per_network():
    table = feeds_table(_entry("cost_per_view"), "fr")
    assert list(table.columns) == [
        "Réseau", "Dépenses publicitaires (€)", "Temps agents (h)", "Vues"
    ]  # fmt: skip
    x = table.set_index("Réseau").loc["X"]
    assert x["Vues"] == "« Impressions »"
    assert x["Temps agents (h)"] == "tableau fait main"
    assert table["Réseau"].iloc[0] == "Facebook"  # the platform list's order


def test_a_metric_table_lists_each_network_and_its_columns():
    table = feeds_table(_entry("views", "en"), "en")
    assert list(table.columns) == ["Network", "Export columns"]
    assert table.set_index("Network").loc["X", "Export columns"] == "“Impressions”"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", True),
        ("IMPRESSIONS", True),  # a column name, any case
        ("repetees", True),  # a warning, without accents
        ("vues repetees", True),
        ("licorne", False),
    ],
)
def test_the_search_looks_in_labels_texts_and_column_names(query, found):
    assert matches(_entry("views"), query) is found


def test_an_unexpected_language_reads_french_like_the_number_formats():
    assert _entry("views", None).label == "Vues"
