"""Return on investment, with every expected value computed by hand in the comments."""

from __future__ import annotations

import math

import pytest

from canalyse.analysis import roi
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file

JANUARY = (
    "Mois;Réseau;Vues;Heures;Budget;Interactions;Abonnés\n"
    "janvier 2025;Facebook;100 000;10;200;2 000;5 000\n"
    "janvier 2025;X;20 000;8;0;400;2 000\n"
    "janvier 2025;Bluesky;;4;;300;500\n"
    "janvier 2025;LinkedIn;50 000;;;1 000;\n"
)


def _import_january(con) -> None:
    assert import_file(con, "janvier.csv", JANUARY.encode()).status == "imported"


@pytest.fixture
def january(prepared):
    return prepared("january", _import_january)


def _row(table, platform):
    return table.set_index("platform").loc[platform]


def _null(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_costs_and_ratios_per_platform_at_40_euros_an_hour(january):
    table = roi.roi_table(january, Filters(), cost=40)
    facebook = _row(table, "facebook")
    assert facebook["staff_cost"] == 400  # 10 h × 40 €
    assert facebook["ad_cost_per_view"] == pytest.approx(0.002)  # 200 € / 100 000
    assert facebook["cost_per_view"] == pytest.approx(0.006)  # (200 + 400) / 100 000
    assert facebook["cost_per_1000_views"] == pytest.approx(6.0)
    assert facebook["views_per_staff_hour"] == 10_000  # 100 000 / 10
    assert facebook["engagement_rate"] == pytest.approx(0.02)  # 2 000 / 100 000
    assert facebook["views_per_follower"] == 20  # 100 000 / 5 000
    x = _row(table, "x")
    assert x["cost_per_view"] == pytest.approx(0.016)  # (0 + 8 × 40) / 20 000
    assert x["ad_cost_per_view"] == 0
    assert x["views_per_staff_hour"] == 2_500


def test_shares_of_views_and_of_staff_hours(january):
    table = roi.roi_table(january, Filters(), cost=40)
    assert _row(table, "facebook")["share_of_views"] == pytest.approx(100_000 / 170_000)
    assert _row(table, "x")["share_of_staff_hours"] == pytest.approx(8 / 22)
    assert _row(table, "bluesky")["share_of_staff_hours"] == pytest.approx(4 / 22)
    assert _null(_row(table, "linkedin")["share_of_staff_hours"])


def test_a_platform_without_views_gets_no_ratio_on_views_but_keeps_its_engagements(january):
    bluesky = _row(roi.roi_table(january, Filters(), cost=40), "bluesky")
    assert bluesky["engagements"] == 300 and bluesky["staff_cost"] == 160
    for ratio in ("share_of_views", "cost_per_view", "views_per_staff_hour", "engagement_rate"):
        assert _null(bluesky[ratio]), ratio


def test_a_period_without_hours_or_spend_has_no_cost_per_view(january):
    linkedin = _row(roi.roi_table(january, Filters(), cost=40), "linkedin")
    assert _null(linkedin["cost_per_view"]) and _null(linkedin["views_per_staff_hour"])
    assert linkedin["engagement_rate"] == pytest.approx(0.02)
    assert _null(linkedin["views_per_follower"])


def test_the_hourly_cost_is_a_workspace_setting_with_per_platform_overrides(january):
    assert roi.hourly_cost(january) == roi.DEFAULT_HOURLY_COST
    roi.set_hourly_cost(january, 40)
    roi.set_platform_costs(january, {"x": 50, "facebook": None})
    table = roi.roi_table(january, Filters())
    assert _row(table, "facebook")["staff_cost"] == 400  # default 40 €
    assert _row(table, "x")["staff_cost"] == 400  # 8 h × 50 €
    assert roi.platform_costs(january) == {"x": 50}
    with pytest.raises(CanalyseError) as refused:
        roi.set_hourly_cost(january, -1)
    assert refused.value.key == "roi.costs.error"
    assert roi.hourly_cost(january) == 40


def test_engagements_fall_back_on_reactions_comments_shares_and_saves(con):
    data = "Réseau;Vues;Mentions J'aime;Commentaires;Partages;Enregistrements\nInstagram;1 000;40;5;3;2\n"
    import_file(con, "insta.csv", data.encode())
    instagram = _row(roi.roi_table(con, Filters(), cost=40), "instagram")
    assert instagram["engagements"] == 50  # 40 + 5 + 3 + 2
    assert instagram["engagement_rate"] == pytest.approx(0.05)
