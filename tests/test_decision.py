"""The Decide page's core: trend, scorecard, saved answers and weights, and the what-if simulator.

Every expected value is computed by hand in the comments, from TWO_MONTHS at 10 € an hour:
  Facebook  janvier 40 000 views, 10 h; février 60 000, 10 h → 100 000 views, 20 h, 200 €
  X         janvier 20 000 views, 10 h; février 10 000, 10 h →  30 000 views, 20 h, 200 €
  Bluesky   no views, 5 h a month                          →      no views, 10 h, 100 €
  share of views: Facebook 100/130, X 30/130; share of hours: Facebook 20/50, X 20/50, Bluesky 10/50
  views per hour: Facebook 5 000 (months 4 000 and 6 000), X 1 500 (months 2 000 and 1 000)
  cost of 1 000 views: Facebook 200/100 = 2 €, X 200/30 = 6,67 €
  trend (two months, so a one-month window): Facebook 60 000/40 000 - 1 = +50 %, X -50 %.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from canalyse import queries
from canalyse.analysis import decision, findings, roi, simulator
from canalyse.charts import decision as decision_chart
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file
from canalyse.output import decision as decision_tables
from tests.conftest import fixture_bytes

TWO_MONTHS = (
    "Mois;Réseau;Vues;Heures;Budget\n"
    "janvier 2025;Facebook;40 000;10;\n"
    "février 2025;Facebook;60 000;10;\n"
    "janvier 2025;X;20 000;10;\n"
    "février 2025;X;10 000;10;\n"
    "janvier 2025;Bluesky;;5;\n"
    "février 2025;Bluesky;;5;\n"
)
EQUAL = dict.fromkeys(decision.CRITERIA, 3.0)


def _import_two_months(con) -> None:
    assert import_file(con, "deux_mois.csv", TWO_MONTHS.encode()).status == "imported"


@pytest.fixture
def workspace(prepared):
    return prepared("two_months", _import_two_months)


@pytest.fixture
def figures(workspace):
    table = roi.roi_table(workspace, Filters(), cost=10)
    months = queries.run(workspace, "decision_trend", **Filters().params())
    return table, months, decision.trend_table(months)


def _row(frame, platform):
    return frame.set_index("platform").loc[platform]


def _null(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# ---- Trend -----------------------------------------------------------------------------------------


def test_trend_compares_the_last_month_with_the_first_over_two_months(figures):
    _, _, trend = figures
    assert _row(trend, "facebook")["change"] == pytest.approx(0.5)  # 60 000 / 40 000 - 1
    assert _row(trend, "x")["change"] == pytest.approx(-0.5)  # 10 000 / 20 000 - 1
    assert set(trend["window"]) == {1}
    assert "bluesky" not in set(trend["platform"])


def test_trend_over_a_year_compares_the_last_three_months_with_the_first_three(con):
    import_file(con, *fixture_bytes("roi/decision_2025.csv"))
    months = queries.run(con, "decision_trend", **Filters().params())
    trend = decision.trend_table(months)
    x = _row(trend, "x")
    # (9 500 + 9 000 + 8 000) / 3 against (18 000 + 17 000 + 16 500) / 3
    assert x["change"] == pytest.approx(26_500 / 51_500 - 1)
    assert x["window"] == 3


def test_five_months_use_two_month_windows_and_one_month_gives_no_trend():
    months = pd.DataFrame(
        {
            "platform": ["x"] * 5,
            "month": pd.date_range("2025-01-01", periods=5, freq="MS"),
            "views": [10.0, 20.0, 99.0, 30.0, 60.0],
        }
    )
    trend = decision.trend_table(months)
    # first two months mean 15, last two 45: +200 %; March sits in neither window
    assert trend.iloc[0]["window"] == 2 and trend.iloc[0]["change"] == pytest.approx(2.0)
    single = decision.trend_table(months.head(1))
    assert single.iloc[0]["window"] == 0 and _null(single.iloc[0]["change"])


def test_a_first_window_without_views_gives_no_change_not_infinity():
    months = pd.DataFrame(
        {
            "platform": ["x", "x", "y"],
            "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-02-01"]),
            "views": [0.0, 50.0, 10.0],
        }
    )
    trend = decision.trend_table(months)
    assert _null(_row(trend, "x")["change"])  # 50 / 0 is no figure
    assert _null(_row(trend, "y")["change"])  # no views in January


# ---- Scorecard ---------------------------------------------------------------------------------------


def test_neutral_answers_and_equal_weights_let_the_measured_figures_decide(figures):
    table, _, trend = figures
    card = decision.scorecard(table, trend, {}, EQUAL, "fr")
    assert list(card.columns[:6]) == decision.SCORECARD_COLUMNS
    facebook, x = _row(card, "facebook"), _row(card, "x")
    # Facebook: best on all four measured criteria (100) and +50 % (100), eight answers at 50:
    # (4 × 100 + 8 × 50) / 12 = 66,67 → keep
    assert facebook["score"] == pytest.approx(800 / 12)
    assert facebook["recommendation_code"] == "keep" and facebook["recommendation"] == "garder"
    # X: share 30 (30/130 ÷ 100/130), per hour 30 (1 500 ÷ 5 000), cost 30 (2 ÷ 6,67), trend 0:
    # (30 + 30 + 30 + 0 + 8 × 50) / 12 = 40,83 → reduce
    assert x["score"] == pytest.approx(490 / 12)
    assert x["recommendation_code"] == "reduce"
    assert list(card["platform"]) == ["facebook", "x", "bluesky"]


def test_a_platform_without_views_is_not_scored_zero_but_left_to_assess(figures):
    table, _, trend = figures
    card = decision.scorecard(table, trend, {}, EQUAL, "fr")
    bluesky = _row(card, "bluesky")
    for criterion in decision.MEASURED:
        assert _null(bluesky[f"score_{criterion}"]), criterion
    assert _null(bluesky["score"]) and bluesky["recommendation_code"] == "undecided"
    assert bluesky["recommendation"] == "à évaluer"


def test_answers_about_a_platform_without_views_are_weighed_over_what_is_known(figures):
    table, _, trend = figures
    card = decision.scorecard(
        table, trend, {"bluesky": {"audience": 4, "moderation": 4}}, EQUAL, "fr"
    )
    # Only the eight answers are known: (2 × 100 + 6 × 50) / 8 = 62,5 → keep
    assert _row(card, "bluesky")["score"] == pytest.approx(62.5)
    assert _row(card, "bluesky")["recommendation_code"] == "keep"


def test_no_verdict_where_the_unanswered_questions_alone_would_decide_it(figures):
    table, _, trend = figures
    # One answer beside seven left neutral: (100 + 7 × 50) / 8 = 56,25, and no answer could have
    # taken it out of « reduce » (between 43,75 and 56,25 whatever it was): no verdict, a rank.
    card = decision.scorecard(table, trend, {"bluesky": {"audience": 4}}, EQUAL, "fr")
    assert _row(card, "bluesky")["score"] == pytest.approx(56.25)
    assert _row(card, "bluesky")["recommendation_code"] == "undecided"
    # Only the share of views measured, nothing answered: every network would be « reduce »
    # (TikTok 64 % of the views included), so none is; the chart's title says why.
    shares_only = table[["platform", "views", "share_of_views"]].assign(
        views_per_staff_hour=math.nan, cost_per_1000_views=math.nan
    )
    card = decision.scorecard(shares_only, trend.iloc[0:0], {}, EQUAL, "fr")
    scored = card[card["score"].notna()]
    assert len(scored) >= 2 and set(scored["recommendation_code"]) == {"undecided"}
    assert (
        findings.scorecard_title(card, "fr") == "Aucune recommandation : répondez au questionnaire"
    )
    # The same figures with the questions weighing nothing: the share of views decides alone.
    weights = {**EQUAL, **dict.fromkeys(decision.QUALITATIVE, 0.0)}
    card = decision.scorecard(shares_only, trend.iloc[0:0], {}, weights, "fr")
    assert "undecided" not in set(card.loc[card["score"].notna(), "recommendation_code"])


def test_a_poor_answer_pushes_a_platform_to_leave_and_is_named_among_the_reasons(figures):
    table, _, trend = figures
    card = decision.scorecard(table, trend, {"x": {"moderation": 0}}, EQUAL, "fr")
    x = _row(card, "x")
    # (30 + 30 + 30 + 0 + 0 + 7 × 50) / 12 = 36,67 → leave
    assert x["score"] == pytest.approx(440 / 12) and x["recommendation_code"] == "leave"
    # The three strongest pulls: trend and moderation (-50 × 3 / 36 each), then share (-20 × 3 / 36).
    assert x["reasons"] == (
        "Contre : vues en baisse de 50\u00a0% (le dernier mois contre le premier) ; "
        "Modération : non (0/4) ; 40\u00a0% de notre temps pour 23\u00a0% des vues."
    )


def test_reasons_for_the_best_platform_quote_its_figures_in_english(figures):
    table, _, trend = figures
    card = decision.scorecard(table, trend, {}, EQUAL, "en")
    # Share, views per hour, cost and trend all pull by +50: the first three in the criteria's order.
    assert _row(card, "facebook")["reasons"] == (
        "For: 40% of our time for 77% of the views; 5,000 views per staff hour, the best return; "
        "1,000 views for €2.00, the cheapest."
    )
    assert _row(card, "facebook")["recommendation"] == "keep"


def test_weights_change_the_score_and_zero_weights_leave_nothing_to_decide(figures):
    table, _, trend = figures
    only_trend = dict.fromkeys(decision.CRITERIA, 0.0) | {"trend": 5.0}
    card = decision.scorecard(table, trend, {}, only_trend, "fr")
    assert _row(card, "x")["score"] == 0  # trend -50 % → 0, the only criterion that counts
    assert _row(card, "facebook")["score"] == 100
    judged_only = dict.fromkeys(decision.QUALITATIVE, 3.0) | dict.fromkeys(decision.MEASURED, 0.0)
    card = decision.scorecard(table, trend, {}, judged_only, "fr")
    assert set(card["recommendation_code"]) == {"undecided"}


def test_the_weighted_score_adds_the_criteria_one_after_the_other():
    # In floating point the order of the additions counts: these weights give 65,65217391304347
    # added one criterion after the other (as the score always was) and …348 added pairwise, as
    # numpy adds twelve numbers. The score must not move when nothing the user gave did.
    weights = dict(
        zip(
            decision.CRITERIA,
            (3.1, 3.7, 4.0, 4.7, 3.7, 4.6, 0.1, 2.3, 4.7, 3.2, 4.5, 0.6),
            strict=True,
        )
    )
    table = pd.DataFrame(
        {
            "platform": ["x"],
            "share_of_views": [1.0],
            "views_per_staff_hour": [500.0],
            "cost_per_1000_views": [2.0],
        }
    )
    card = decision.scorecard(table, table.iloc[0:0].assign(change=[]), {}, weights, "fr")
    terms = [100.0 * weights[c] for c in decision.MEASURED[:3]]
    terms += [50.0 * weights[c] for c in decision.QUALITATIVE]  # the trend is not measured
    known = [weights[c] for c in decision.CRITERIA if c != "trend"]
    one_by_one, weight = 0.0, 0.0
    for term, part in zip(terms, known, strict=True):
        one_by_one, weight = one_by_one + term, weight + part
    assert sum(terms) / sum(known) == one_by_one / weight != math.fsum(terms) / math.fsum(known)
    assert card.loc[0, "score"] == one_by_one / weight


def test_the_chart_title_states_the_recommendations():
    card = pd.DataFrame(
        {
            "platform": ["linkedin", "facebook", "x", "bluesky"],
            "score": [70.0, 65.0, 30.0, math.nan],
            "recommendation": ["garder", "garder", "quitter", "à évaluer"],
            "recommendation_code": ["keep", "keep", "leave", "undecided"],
        }
    )
    assert findings.scorecard_title(card, "fr") == "Garder LinkedIn et Facebook, quitter X"
    assert findings.scorecard_title(card, "en") == "Keep LinkedIn and Facebook, leave X"
    fig = decision_chart.scorecard_bar(card.assign(reasons=""), "fr", "Source : test")
    bar, labels = fig.data
    assert list(bar.y) == ["Bluesky", "X", "Facebook", "LinkedIn"]  # best on top
    assert bar.marker.color[0] == decision_chart.RECOMMENDATION_COLOURS["undecided"]
    assert labels.text[0] == "à évaluer" and labels.text[3] == "70/100 · garder"


def test_the_measured_table_says_no_views_reported_rather_than_zero(figures):
    table, _, trend = figures
    shown = decision_tables.measured_table(table, trend, "fr").display("fr").set_index("Réseau")
    assert shown.loc["Bluesky", "Vues par heure de travail"] == "pas de vues publiées"
    assert shown.loc["Bluesky", "Part de notre temps"] == "20\u00a0%"  # 10 h of 50
    assert shown.loc["X", "Évolution des vues"] == "-50\u00a0%"
    assert shown.loc["Facebook", "Coût de 1 000 vues"] == "2,00\u00a0€"


# ---- Saved answers and weights ----------------------------------------------------------------------


def test_answers_and_weights_are_saved_in_the_workspace_settings(workspace):
    assert decision.load_answers(workspace) == {}
    assert decision.load_weights(workspace) == dict.fromkeys(decision.CRITERIA, 3.0)
    decision.save_answers(workspace, {"x": {"moderation": 1, "audience": 4}})
    decision.save_answers(workspace, {"facebook": {"values": 0}})
    decision.save_weights(workspace, {"trend": 5, "values": 0})
    assert decision.load_answers(workspace) == {
        "x": {"moderation": 1, "audience": 4},
        "facebook": {"values": 0},
    }
    weights = decision.load_weights(workspace)
    assert weights["trend"] == 5 and weights["values"] == 0 and weights["audience"] == 3
    stored = workspace.execute(
        "SELECT value FROM settings WHERE key = 'decision.x.moderation'"
    ).fetchone()
    assert stored == ("1",)


def test_out_of_range_answers_and_weights_are_refused_and_nothing_is_saved(workspace):
    with pytest.raises(CanalyseError) as refused:
        decision.save_answers(workspace, {"x": {"moderation": 5}})
    assert refused.value.key == "decision.error.answer"
    with pytest.raises(CanalyseError) as refused:
        decision.save_answers(workspace, {"x": {"views": 2}})
    assert refused.value.key == "decision.error.unknown_criterion"
    with pytest.raises(CanalyseError) as refused:
        decision.save_weights(workspace, {"trend": 6})
    assert refused.value.message("en") == "A weight lies between 0 and 5. Nothing was saved."
    assert decision.load_answers(workspace) == {}


# ---- What if --------------------------------------------------------------------------------------------


def test_rates_range_from_the_worst_to_the_best_month(figures):
    table, months, _ = figures
    rates = decision.rates_table(table, months)
    facebook = _row(rates, "facebook")
    assert (facebook["views_per_staff_hour"], facebook["low"], facebook["high"]) == (
        5_000,  # 100 000 / 20
        4_000,  # janvier 40 000 / 10
        6_000,  # février 60 000 / 10
    )
    assert facebook["basis"] == "months" and facebook["hours_per_month"] == 10
    assert _null(_row(rates, "bluesky")["low"])
    assert simulator.receivers(rates) == ["facebook", "x"]


def test_a_single_month_gives_a_range_of_25_percent_either_way(con):
    import_file(con, "janvier.csv", TWO_MONTHS.encode().split(b"\nf\xc3\xa9vrier")[0] + b"\n")
    table = roi.roi_table(con, Filters(), cost=10)
    months = queries.run(con, "decision_trend", **Filters().params())
    facebook = _row(decision.rates_table(table, months), "facebook")
    # 40 000 / 10 = 4 000, ± 25 %
    assert (facebook["low"], facebook["high"]) == (3_000, 5_000)
    assert facebook["basis"] == "one_month"


def test_moving_ten_hours_from_x_to_facebook(figures):
    table, months, _ = figures
    rates = decision.rates_table(table, months)
    result = simulator.simulate_move(rates, "x", 10, {"facebook": 100})
    # lost: 10 h × 1 500 = 15 000 (10 h × 1 000 to 10 h × 2 000)
    assert result.lost == (15_000, 10_000, 20_000)
    # gained: 10 h × 5 000 = 50 000 (10 h × 4 000 to 10 h × 6 000)
    assert result.gained == (50_000, 40_000, 60_000)
    # net: 50 000 - 15 000 = 35 000, from 40 000 - 20 000 to 60 000 - 10 000
    assert result.net == (35_000, 20_000, 50_000)
    assert list(result.rows["hours"]) == [-10, 10]


def test_moving_hours_split_between_destinations(workspace):
    import_file(
        workspace,
        "linkedin.csv",
        "Mois;Réseau;Vues;Heures\njanvier 2025;LinkedIn;8 000;4\n".encode(),
    )
    table = roi.roi_table(workspace, Filters(), cost=10)
    months = queries.run(workspace, "decision_trend", **Filters().params())
    rates = decision.rates_table(table, months)
    result = simulator.simulate_move(rates, "facebook", 4, {"x": 25, "linkedin": 75})
    # X gets 1 h × 1 500, LinkedIn 3 h × 2 000 (8 000 / 4): 1 500 + 6 000 = 7 500
    assert result.gained.central == pytest.approx(7_500)
    # Facebook loses 4 h × 5 000 = 20 000: net -12 500
    assert result.net.central == pytest.approx(-12_500)
    # LinkedIn has a single month: 2 000 ± 25 %; gained low 1 × 1 000 + 3 × 1 500 = 5 500
    assert result.gained.low == pytest.approx(5_500)


def test_a_platform_without_views_cannot_receive_hours_and_its_loss_is_unknown(figures):
    table, months, _ = figures
    rates = decision.rates_table(table, months)
    with pytest.raises(CanalyseError) as refused:
        simulator.simulate_move(rates, "x", 5, {"bluesky": 100})
    assert refused.value.key == "decision.move.cannot_receive"
    assert "Bluesky" in refused.value.message("en")
    with pytest.raises(CanalyseError) as refused:
        simulator.simulate_move(rates, "x", 5, {"facebook": 60})
    assert refused.value.message("en") == "The shares add up to 60%, not 100%: adjust them."
    result = simulator.simulate_move(rates, "bluesky", 5, {"facebook": 100})
    assert _null(result.lost.central) and _null(result.net.central)
    assert result.gained.central == 25_000  # 5 h × 5 000


def test_dropping_a_platform_loses_its_views_and_frees_its_hours(figures):
    table, _, _ = figures
    x = simulator.simulate_drop(table, "x")
    assert x.views_lost == 30_000 and x.share_of_views_lost == pytest.approx(30 / 130)
    assert x.hours_freed == 20 and x.cost_freed == 200  # 20 h × 10 €, no ad spend
    bluesky = simulator.simulate_drop(table, "bluesky")
    assert _null(bluesky.views_lost) and bluesky.hours_freed == 10


def test_projected_views_are_rounded_to_two_significant_figures():
    # Every end to the step of the central figure; half up, not to even.
    assert simulator.rounded_range(simulator.Range(22_500, 7_129.6, 40_000)) == (
        23_000,
        7_000,
        40_000,
    )
    assert simulator.rounded_range(simulator.Range(-7_129.6, -7_150, -7_000)) == (
        -7_100,
        -7_200,  # half away from zero
        -7_000,
    )
    assert decision_tables.approx(-7_100, "en") == "-7,100"
    assert decision_tables.approx(250, "fr", signed=True) == "+250"
    range_ = simulator.Range(35_000, 20_000, 50_000)
    assert decision_tables.range_text(range_, "fr", signed=True) == (
        "+35\u00a0000 (de +20\u00a0000 à +50\u00a0000)"
    )
    # A range that is a single value is shown as that value.
    assert decision_tables.range_text(simulator.Range(5_000, 5_000, 5_000), "fr") == "5\u00a0000"
    assert decision_tables.range_between(simulator.Range(5_000, 5_000, 5_000), "fr") is None


def test_views_lost_gained_and_the_net_add_up_once_rounded():
    # Lost 98 400 and gained 85 350 would read 98 000, 85 000 and a net of -13 000 each rounded on
    # its own to two figures only by luck: the net is computed from the rounded figures.
    result = simulator.MoveResult(
        source="x",
        hours=5,
        rows=pd.DataFrame(),
        lost=simulator.Range(98_400, 90_000, 104_600),
        gained=simulator.Range(85_350, 80_000, 91_000),
        net=simulator.Range(-13_050, -24_600, 1_000),
    )
    lost, gained, net = simulator.rounded_figures(result)
    assert (lost.central, gained.central) == (98_000, 85_000)  # two figures of the smaller
    assert net.central == gained.central - lost.central == -13_000
    assert net.low == gained.low - lost.high and net.high == gained.high - lost.low


def test_every_criterion_has_a_name_and_a_question_in_both_languages():
    for criterion in decision.CRITERIA:
        for lang in ("fr", "en"):
            assert decision.criterion_label(criterion, lang)
            assert decision.criterion_question(criterion, lang).endswith("?")


def test_the_simulator_offers_half_hours_up_to_the_sources_monthly_hours():
    assert simulator.hour_choices(2.2) == [0.5, 1.0, 1.5, 2.0]
    assert simulator.hour_choices(None)[-1] == 40.0
    assert simulator.default_hours(simulator.hour_choices(2.2)) == 2.0
    assert simulator.default_hours(simulator.hour_choices(12)) == 5.0
