"""Hours and spend typed in the app, and the two ROI charts."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from canalyse import store
from canalyse.analysis import efforts, roi
from canalyse.charts.roi import cost_per_1000_views_bar, hours_vs_views_bar
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file

VIEWS = "Mois;Réseau;Vues\n2025-01;Facebook;100 000\n2025-01;X;20 000\n2025-01;Bluesky;\n"


def _typed(rows):
    return pd.DataFrame(rows, columns=list(efforts.COLUMNS))


def _import_views(con) -> None:
    import_file(con, "vues.csv", VIEWS.encode())


@pytest.fixture
def views(prepared):
    return prepared("views", _import_views)


def test_typed_hours_and_spend_join_the_views_of_the_same_month(views):
    report = efforts.save_efforts(
        views,
        _typed([["2025-01", "Facebook", None, "10", "200"], ["2025-01", "X", None, "8,5", None]]),
        "fr",
    )
    assert report.status == "saved", report.message
    table = roi.roi_table(views, Filters(), cost=40).set_index("platform")
    assert table.at["facebook", "cost_per_view"] == pytest.approx((200 + 400) / 100_000)
    assert table.at["x", "staff_hours"] == 8.5


def test_saving_again_replaces_the_typed_table_and_it_reads_back(views):
    efforts.save_efforts(views, _typed([["2025-01", "Facebook", None, "10", "200"]]), "fr")
    efforts.save_efforts(views, _typed([["janvier 2025", "Facebook", "Crue", "12", None]]), "fr")
    typed = efforts.current_efforts(views, "fr")
    assert typed.to_dict("records") == [
        {
            "month": "2025-01",
            "platform": "Facebook",
            "campaign": "Crue",
            "staff_hours": "12",
            "spend": "",
        }
    ]
    assert store.sources_of_kind(views, "typed") == [store.list_sources(views)["source_id"].max()]


def test_typed_hours_and_spend_are_stored_exactly_in_one_transaction(views):
    report = efforts.save_efforts(
        views,
        _typed(
            [["2025-02", "X", None, "12,5", "12 345,67"], ["2025-03", "X", None, None, "1 234 567"]]
        ),
        "fr",
    )
    assert report.status == "saved", report.message
    stored = views.execute(
        "SELECT staff_hours, spend FROM facts WHERE source_id IN "
        "(SELECT source_id FROM sources WHERE kind = 'typed') ORDER BY period_start"
    ).fetchall()
    assert stored == [(12.5, Decimal("12345.67")), (None, Decimal("1234567.00"))]
    assert efforts.current_efforts(views, "fr")["spend"].tolist() == [
        "12\u00a0345,67",
        "1\u00a0234\u00a0567",
    ]
    assert efforts.current_efforts(views, "en")["staff_hours"].tolist() == ["12.5", ""]


def test_english_amounts_read_the_english_way(views):
    efforts.save_efforts(views, _typed([["2025-02", "X", None, "12.5", "12,345.67"]]), "en")
    stored = views.execute(
        "SELECT staff_hours, spend FROM facts WHERE source_id IN "
        "(SELECT source_id FROM sources WHERE kind = 'typed')"
    ).fetchone()
    assert stored == (12.5, Decimal("12345.67"))


@pytest.mark.parametrize(
    ("lang", "typed", "words"),
    [("fr", "1.234", "ambigu"), ("en", "12,5", "ambiguous"), ("fr", "douze", "pas un nombre")],
)
def test_an_ambiguous_or_unreadable_amount_is_refused_and_changes_nothing(
    views, lang, typed, words
):
    efforts.save_efforts(views, _typed([["2025-01", "Facebook", None, "10", None]]), "fr")
    before = views.execute("SELECT count(*), sum(staff_hours) FROM facts").fetchone()
    report = efforts.save_efforts(views, _typed([["2025-01", "Facebook", None, typed, None]]), lang)
    assert report.status == "error" and words in report.message and typed in report.message
    assert views.execute("SELECT count(*), sum(staff_hours) FROM facts").fetchone() == before


def test_a_typed_month_and_the_same_month_in_an_hours_file_are_one_figure(views):
    efforts.save_efforts(views, _typed([["2025-01", "Facebook", None, "10", None]]), "fr")
    import_file(views, "heures.csv", "Mois;Réseau;Heures\n2025-01;Facebook;14\n".encode())
    table = roi.roi_table(views, Filters(), cost=40).set_index("platform")
    assert table.at["facebook", "staff_hours"] == 14


def test_a_bad_month_is_refused_and_the_previous_typed_table_stays(views):
    efforts.save_efforts(views, _typed([["2025-01", "Facebook", None, "10", "200"]]), "fr")
    report = efforts.save_efforts(views, _typed([["Pâques", "Facebook", None, "3", None]]), "fr")
    assert report.status == "error" and "Pâques" in report.message
    assert efforts.current_efforts(views, "fr")["staff_hours"].tolist() == ["10"]


def test_the_hours_chart_names_the_widest_gap_between_time_and_views(views):
    efforts.save_efforts(
        views,
        _typed([["2025-01", "Facebook", None, "10", None], ["2025-01", "X", None, "30", None]]),
        "fr",
    )
    table = roi.roi_table(views, Filters(), cost=40)
    figure = hours_vs_views_bar(table, "fr", "Source : test")
    # X: 30 of 40 hours = 75 % of our time, 20 000 of 120 000 views = 17 %.
    assert figure.layout.title.text == "X : 75\u00a0% de notre temps, 17\u00a0% des vues"


def test_the_cost_chart_names_the_cheapest_network_per_1000_views(views):
    efforts.save_efforts(
        views,
        _typed([["2025-01", "Facebook", None, "10", None], ["2025-01", "X", None, "1", None]]),
        "en",
    )
    figure = cost_per_1000_views_bar(roi.roi_table(views, Filters(), cost=40), "en", "Source: test")
    # X: 40 € / 20 000 views × 1 000 = €2.00; Facebook: 400 € / 100 000 × 1 000 = €4.00.
    assert figure.layout.title.text == "X: €2.00 per 1,000 views, the lowest cost"
    assert [bar for bar in figure.data[0].y] == ["Facebook", "X"]  # cheapest drawn on top


def test_charts_refuse_to_draw_without_hours_or_costs(views):
    table = roi.roi_table(views, Filters(), cost=40)
    with pytest.raises(ValueError):
        hours_vs_views_bar(table, "fr", "")
    with pytest.raises(ValueError):
        cost_per_1000_views_bar(table, "fr", "")
