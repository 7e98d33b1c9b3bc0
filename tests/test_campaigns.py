"""Campaigns: date ranges, tags on past imports, and the side-by-side comparison, checked by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from canalyse import queries
from canalyse.analysis import roi
from canalyse.analysis.campaigns import (
    add_campaign_range,
    campaign_names,
    campaign_ranges,
    campaign_totals,
    compare_campaigns,
    comparison_sources,
    delete_campaign_range,
    tag_source,
    tagged_sources,
)
from canalyse.analysis.findings import views_phrase
from canalyse.charts.campaigns import cost_per_1000_bar, views_by_campaign_bar, views_title
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.formatting import NBSP
from canalyse.i18n import t
from canalyse.importing.pipeline import import_file
from canalyse.output.campaigns import comparison_source, comparison_table
from canalyse.platforms import colour

TWO_CAMPAIGNS = (
    "Campagne;Réseau;Vues;Dépenses (€);Temps passé (h)\n"
    "Crue;Facebook;600 000;1 000;10\n"
    "Crue;X;150 000;0;5\n"
    "Crue;Bluesky;;;2\n"
    "Vœux;Facebook;200 000;0;4\n"
    "Vœux;LinkedIn;50 000;;\n"
)

MONTHS = (
    "Mois;Réseau;Vues;Temps passé (h)\n"
    "janvier 2025;Facebook;120 000;10\n"
    "février 2025;Facebook;100 000;9\n"
    "mars 2025;Facebook;80 000;8\n"
)


def _two(con) -> None:
    assert import_file(con, "bilans.csv", TWO_CAMPAIGNS.encode()).status == "imported"
    roi.set_hourly_cost(con, 40)


def _months(con) -> None:
    assert import_file(con, "mensuel.csv", MONTHS.encode()).status == "imported"


def _two_and_months(con) -> None:
    _two(con)
    _months(con)


@pytest.fixture
def two(prepared):
    """Two campaign summaries and an hourly cost (imported once per test process, copied)."""
    return prepared("two", _two)


@pytest.fixture
def months(prepared):
    """Three months of Facebook figures (imported once per test process, copied)."""
    return prepared("months", _months)


def _null(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _row(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask].iloc[0]


# ---- Date ranges ------------------------------------------------------------------------------------


def test_a_saved_range_is_listed_and_selects_the_figures_inside_it(months):
    add_campaign_range(months, "  Hiver  ", date(2025, 2, 1), date(2025, 3, 31))
    assert campaign_names(months) == ["Hiver"]
    ranges = campaign_ranges(months)
    assert ranges["name"].tolist() == ["Hiver"]
    table = compare_campaigns(months, Filters(), ["Hiver"])
    assert table["views"].sum() == 180_000  # février 100 000 + mars 80 000


@pytest.mark.parametrize(
    ("name", "start", "end", "key"),
    [
        ("   ", date(2025, 1, 1), date(2025, 1, 31), "campaigns.error.empty_name"),
        ("Été", date(2025, 8, 31), date(2025, 6, 1), "campaigns.error.end_before_start"),
        ("hiver", date(2025, 1, 1), date(2025, 1, 31), "campaigns.error.name_used"),
        ("CRUE", date(2025, 1, 1), date(2025, 1, 31), "campaigns.error.name_used"),
    ],
)
def test_a_range_is_refused_without_name_with_dates_reversed_or_with_a_name_in_use(
    two, name, start, end, key
):
    add_campaign_range(two, "Hiver", date(2025, 1, 1), date(2025, 3, 31))
    with pytest.raises(CanalyseError) as refused:
        add_campaign_range(two, name, start, end)
    assert refused.value.key == key
    assert campaign_ranges(two)["name"].tolist() == ["Hiver"]


def test_a_one_day_range_is_allowed_and_deleting_it_keeps_the_figures(months):
    add_campaign_range(months, "Jour J", date(2025, 1, 1), date(2025, 1, 1))
    assert delete_campaign_range(months, "Jour J") is True
    assert delete_campaign_range(months, "Jour J") is False
    assert campaign_names(months) == []
    assert compare_campaigns(months, Filters(), ["Jour J"]).empty


# ---- Tagging a past import ----------------------------------------------------------------------------


def test_tagging_an_import_puts_all_its_figures_in_the_campaign(months):
    source_id = int(tagged_sources(months)["source_id"].iloc[0])
    assert tag_source(months, source_id, " Budget 2025 ") == 3
    assert campaign_names(months) == ["Budget 2025"]
    row = tagged_sources(months).iloc[0]
    assert row["campaign"] == "Budget 2025" and row["current_tag"] == "Budget 2025"
    views = compare_campaigns(months, Filters(), ["Budget 2025"])["views"].sum()
    assert views == 300_000  # 120 000 + 100 000 + 80 000


def test_clearing_a_tag_leaves_the_figures_without_campaign(two):
    source_id = int(tagged_sources(two)["source_id"].iloc[0])
    assert sorted(tagged_sources(two)["campaigns"].iloc[0]) == ["Crue", "Vœux"]
    tag_source(two, source_id, "")
    assert campaign_names(two) == []
    assert two.execute("SELECT DISTINCT campaign FROM facts").fetchall() == [("",)]
    assert _null(two.execute("SELECT campaign FROM sources").fetchone()[0])


def test_a_retagged_summary_is_replaced_by_a_corrected_file_of_that_campaign(con):
    summary = "Réseau;Vues\nFacebook;1 000\n"
    corrected = "Réseau;Vues\nFacebook;1 200\n"
    import_file(con, "bilan.csv", summary.encode())
    tag_source(con, int(tagged_sources(con)["source_id"].iloc[0]), "Crue")
    import_file(con, "bilan.csv", corrected.encode(), campaign="Crue")
    # The same figure, now from the same campaign: the corrected one replaces it (not 2 200).
    assert compare_campaigns(con, Filters(), ["Crue"])["views"].sum() == 1_200


def test_tagging_an_import_that_does_not_exist_is_refused(con):
    with pytest.raises(CanalyseError) as refused:
        tag_source(con, 42, "Crue")
    assert refused.value.key == "campaigns.error.no_source"


# ---- Comparison ----------------------------------------------------------------------------------------


def test_each_campaign_gets_exactly_the_roi_table_of_that_campaign(two):
    table = compare_campaigns(two, Filters(), ["Crue", "Vœux"])
    for name in ("Crue", "Vœux"):
        mine = table[table["campaign"] == name].drop(columns="campaign").reset_index(drop=True)
        theirs = roi.roi_table(two, Filters(campaign=name))
        pd.testing.assert_frame_equal(mine, theirs)
    facebook = _row(table, campaign="Crue", platform="facebook")
    assert facebook["share_of_views"] == pytest.approx(0.8)  # 600 000 / 750 000
    assert facebook["staff_cost"] == 400  # 10 h × 40 €


def test_the_sidebar_campaign_filter_is_replaced_by_each_compared_campaign(two):
    table = compare_campaigns(two, Filters(campaign="Crue"), ["Vœux"])
    assert set(table["campaign"]) == {"Vœux"} and table["views"].sum() == 250_000


def test_campaign_totals_count_the_cost_of_platforms_with_views_and_cost(two):
    table = compare_campaigns(two, Filters(), ["Vœux", "Crue"])
    totals = campaign_totals(table, ["Vœux", "Crue"])
    assert totals["campaign"].tolist() == ["Crue", "Vœux"]  # most views first
    crue = _row(totals, campaign="Crue")
    assert crue["views"] == 750_000  # 600 000 + 150 000; Bluesky has none
    assert crue["spend"] == 1_000
    assert crue["staff_hours"] == 17  # 10 + 5 + 2
    assert crue["staff_cost"] == 680  # 17 h × 40 €, Bluesky's 80 € included
    # Facebook 1 000 + 400, X 0 + 200; Bluesky (no views) left out: 1 600 € / 750 000 views.
    assert crue["cost_per_1000_views"] == pytest.approx(1000 * 1_600 / 750_000)
    voeux = _row(totals, campaign="Vœux")
    # LinkedIn has views but no cost at all: left out. Facebook 0 + 4 h × 40 € over 200 000.
    assert voeux["cost_per_1000_views"] == pytest.approx(0.8)


def test_a_campaign_with_no_figures_under_the_filters_has_empty_totals(two):
    table = compare_campaigns(two, Filters(platforms=("linkedin",)), ["Crue", "Vœux"])
    totals = campaign_totals(table, ["Crue", "Vœux"])
    assert totals["campaign"].tolist() == ["Vœux", "Crue"]
    assert _null(_row(totals, campaign="Crue")["views"])
    assert _null(_row(totals, campaign="Vœux")["cost_per_view"])


def test_views_are_written_in_millions_the_french_or_english_way():
    assert views_phrase(1_682_000, "fr") == "1,7 million de vues"
    assert views_phrase(2_340_000, "fr") == "2,3 millions de vues"
    assert views_phrase(2_000_000, "fr") == "2 millions de vues"
    assert views_phrase(1_682_000, "en") == "1.7 million views"
    assert views_phrase(450_000, "fr") == f"450{NBSP}000 vues"
    assert views_phrase(float("nan"), "fr") == "pas de vues publiées"


def test_the_views_chart_is_titled_with_the_leading_campaign(two):
    table = compare_campaigns(two, Filters(), ["Crue", "Vœux"])
    totals = campaign_totals(table, ["Crue", "Vœux"])
    # 750 000 / 250 000 = 3 times as many.
    expected = f"La campagne « Crue » a réuni 750{NBSP}000 vues, 3 fois plus que « Vœux »"
    # Longer than a line of the chart: wrapped at a space, nothing cut.
    assert views_title(totals, "fr").replace("<br>", " ") == expected
    assert views_title(totals, "en").endswith("3 times as many as “Vœux”")


@pytest.mark.parametrize(
    ("second", "ending"),
    [(400_000, f"25{NBSP}% de plus que « B »"), (490_000, "autant que « B »")],
)
def test_a_close_runner_up_is_compared_in_percent_or_as_equal(second, ending):
    # 500 000 / 400 000 = 1.25: 25 % more; 500 000 / 490 000 ≈ 1.02: as many.
    totals = pd.DataFrame({"campaign": ["A", "B"], "views": [500_000.0, float(second)]})
    assert views_title(totals, "fr").endswith(ending)


def test_a_long_title_wraps_on_two_lines_then_is_shortened_never_cut():
    totals = pd.DataFrame(
        {
            "campaign": ["Opération tranquillité vacances", "Budget participatif"],
            "views": [3e6, 1e6],
        }
    )
    title = views_title(totals, "fr")
    # The full sentence holds on two lines of 60 characters at most.
    assert title.replace("<br>", " ") == (
        "La campagne « Opération tranquillité vacances » a réuni 3 millions de vues,"
        " 3 fois plus que « Budget participatif »"
    )
    assert title.count("<br>") == 1 and all(len(line) <= 60 for line in title.split("<br>"))
    totals["campaign"] = [
        "Opération tranquillité vacances été comme hiver",
        "Budget participatif 2025 deuxième édition",
    ]
    # Too long for two lines: the shorter sentence, wrapped, all of it there.
    shorter = views_title(totals, "fr")
    assert shorter.replace("<br>", " ").startswith(
        "« Opération tranquillité vacances été comme hiver » : 3 millions de vues,"
    )
    assert shorter.replace("<br>", " ").endswith(
        "3 fois plus que « Budget participatif 2025 deuxième édition »"
    )


def test_campaign_names_are_escaped_in_charts(con):
    hostile = "Campagne;Réseau;Vues\n<b>Crue</b>;Facebook;1 000\nVœux;Facebook;500\n"
    import_file(con, "hostile.csv", hostile.encode())
    names = ["<b>Crue</b>", "Vœux"]
    table = compare_campaigns(con, Filters(), names)
    figure = views_by_campaign_bar(table, campaign_totals(table, names), "fr", "Source : x.csv")
    assert "&lt;b&gt;Crue&lt;/b&gt;" in figure.layout.title.text
    assert "<b>Crue</b>" not in figure.layout.title.text
    assert all("<b>&lt;b&gt;" in tick or "Vœux" in tick for tick in figure.data[0].y)


def test_the_views_chart_has_one_series_per_platform_with_views_in_its_colour(two):
    table = compare_campaigns(two, Filters(), ["Crue", "Vœux"])
    figure = views_by_campaign_bar(table, campaign_totals(table, ["Crue", "Vœux"]), "fr", "S")
    # Added smallest first so that the largest sits on top of each group; Bluesky has no views.
    assert [trace.name for trace in figure.data] == ["LinkedIn", "X", "Facebook"]
    assert figure.data[-1].marker.color == colour("facebook")
    assert figure.layout.barmode == "group"
    assert figure.layout.annotations[0].text == "S"


def test_a_compared_campaign_without_views_is_named_under_the_views_chart(two):
    # Under the LinkedIn filter, « Crue » has no figure: its group is not drawn, and said so.
    table = compare_campaigns(two, Filters(platforms=("linkedin",)), ["Crue", "Vœux"])
    totals = campaign_totals(table, ["Crue", "Vœux"])
    figure = views_by_campaign_bar(table, totals, "fr", "S")
    assert [tick.split("<br>")[0] for tick in figure.data[0].y] == ["<b>Vœux</b>"]
    assert "Sans vues avec ces filtres : « Crue »" in figure.layout.title.subtitle.text
    english = views_by_campaign_bar(table, totals, "en", "S")
    assert "No views with these filters: “Crue”" in english.layout.title.subtitle.text
    # Both with views: no such line.
    table = compare_campaigns(two, Filters(), ["Crue", "Vœux"])
    figure = views_by_campaign_bar(table, campaign_totals(table, ["Crue", "Vœux"]), "fr", "S")
    assert "Sans vues" not in figure.layout.title.subtitle.text


def test_the_cost_chart_puts_the_cheapest_campaign_on_top(two):
    table = compare_campaigns(two, Filters(), ["Crue", "Vœux"])
    figure = cost_per_1000_bar(campaign_totals(table, ["Crue", "Vœux"]), "fr", "S")
    assert list(figure.data[0].y) == ["Crue", "Vœux"]  # drawn bottom to top
    assert (
        figure.layout.title.text
        == f"« Vœux » a coûté le moins cher : 0,80{NBSP}€ pour 1{NBSP}000 vues"
    )


def test_a_compared_campaign_without_a_cost_is_named_under_the_cost_chart(two):
    table = compare_campaigns(two, Filters(platforms=("facebook",)), ["Crue", "Vœux"])
    totals = campaign_totals(table, ["Crue", "Vœux"])
    # As if « Vœux » had had neither hours nor spend.
    totals.loc[totals["campaign"] == "Vœux", "cost_per_1000_views"] = float("nan")
    figure = cost_per_1000_bar(totals, "fr", "S")
    assert list(figure.data[0].y) == ["Crue"]
    assert figure.layout.title.subtitle.text.replace("<br>", " ").endswith(
        "Sans coût calculable (il faut des vues, et des heures ou des dépenses) : « Vœux »"
    )
    totals = campaign_totals(table, ["Crue", "Vœux"])
    assert "Sans coût" not in cost_per_1000_bar(totals, "fr", "S").layout.title.subtitle.text


def test_the_cost_chart_needs_a_campaign_with_views_and_cost(months):
    tag_source(months, int(tagged_sources(months)["source_id"].iloc[0]), "Hiver")
    table = compare_campaigns(months, Filters(), ["Hiver"])
    table["staff_cost"] = float("nan")
    table["cost_per_view"] = float("nan")
    with pytest.raises(ValueError):
        cost_per_1000_bar(campaign_totals(table, ["Hiver"]), "fr", "S")


def test_the_table_is_formatted_the_french_way_and_says_when_there_are_no_views(two):
    table = compare_campaigns(two, Filters(), ["Crue", "Vœux"])
    shown = comparison_table(table, campaign_totals(table, ["Crue", "Vœux"]), "fr").display("fr")
    assert shown["Réseau"].tolist() == [
        "Facebook", "X", "Bluesky", "Total", "Facebook", "LinkedIn", "Total"
    ]  # fmt: skip
    bluesky = _row(shown, Réseau="Bluesky")
    assert bluesky["Vues"] == "pas de vues publiées"
    cost_per_1000 = t("campaigns.table.cost_per_1000", "fr")
    assert bluesky[cost_per_1000] == "—"
    total = shown.iloc[3]
    assert total["Vues"] == f"750{NBSP}000"
    assert total["Coût agents"] == f"680,00{NBSP}€"
    assert total[cost_per_1000] == f"2,13{NBSP}€"  # 1 600 € / 750 000 × 1 000
    assert _row(shown, Campagne="Vœux", Réseau="LinkedIn")["Dépenses pub."] == "—"


def test_the_source_line_names_the_files_and_no_period_for_undated_summaries(prepared):
    con = prepared("two_and_months", _two_and_months)
    add_campaign_range(con, "Hiver", date(2025, 1, 1), date(2025, 2, 28))
    line, start, end = comparison_source(con, Filters(), ["Hiver"], "fr")
    assert line == "Source\u00a0: mensuel.csv · du 01/01/2025 au 28/02/2025"
    line, start, end = comparison_source(con, Filters(), ["Hiver", "Crue"], "fr")
    assert "mensuel.csv" in line and "bilans.csv" in line and " du " not in line
    assert start is None and end is None


def test_the_compared_files_are_listed_campaign_by_campaign_each_once(con):
    for name, day, campaign in (
        ("juillet.csv", "2025-07-10", "Été"),
        ("janvier.csv", "2025-01-10", "Hiver"),
    ):
        table = f"Date;Réseau;Vues\n{day};X;100\n".encode()
        assert import_file(con, name, table, campaign=campaign).status == "imported"
    add_campaign_range(con, "Année", date(2025, 1, 1), date(2025, 12, 31))
    used, start, end = comparison_sources(con, Filters(), ["Été", "Année"])
    assert used["file_name"].tolist() == ["juillet.csv", "janvier.csv"]
    assert (start, end) == (pd.Timestamp("2025-01-10"), pd.Timestamp("2025-07-10"))
    used, _, _ = comparison_sources(con, Filters(), ["Année", "Été"])
    assert used["file_name"].tolist() == ["janvier.csv", "juillet.csv"]
    used, start, end = comparison_sources(con, Filters(platforms=("facebook",)), ["Été", "Hiver"])
    assert used.empty and start is None and end is None


def _a_year_of_days(con) -> None:
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    lines = ["Date;Réseau;Vues"]
    lines += [f"{day:%d/%m/%Y};Facebook;100" for day in days]
    lines += [f"{day:%d/%m/%Y};X;10" for day in days]
    assert import_file(con, "jours.csv", "\n".join(lines).encode()).status == "imported"


def test_every_query_reads_a_saved_range_of_hundreds_of_days(prepared):
    # DuckDB 2.0 sizes a sorted sum from the statistics it guesses for a filter comparing dates
    # with a subquery's value (a saved range's first and last day): summed over more than 127
    # rows, the count of rows no longer fitted and the query failed (« Conversion Error … INT8 »)
    # on the pages filtered by the range. The filter now compares them inside EXISTS.
    con = prepared("a_year_of_days", _a_year_of_days)
    add_campaign_range(con, "Année 2025", date(2025, 1, 1), date(2025, 12, 31))
    params = {**Filters(campaign="Année 2025").params(), "hourly_cost": 40.0}
    for name in queries.available():
        wanted = queries.parameters(name)
        if "campaign" in wanted:
            extra = {"granularity": "month"} if "granularity" in wanted else {}
            queries.run(con, name, **{k: v for k, v in params.items() if k in wanted}, **extra)
    totals = queries.run(con, "platform_totals", **Filters(campaign="Année 2025").params())
    assert _row(totals, platform="facebook")[["rows", "views"]].tolist() == [365, 36_500]
    assert _row(totals, platform="x")[["rows", "views"]].tolist() == [365, 3_650]
