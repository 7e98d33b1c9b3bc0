"""Events in the workspace, and average daily views before and after one, computed by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from canalyse.analysis import events
from canalyse.analysis.events import COMPARED, NOT_COVERED, SHORT, before_after, compare_around
from canalyse.analysis.findings import before_after_title
from canalyse.charts.trends import before_after_chart
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file
from canalyse.output.trends import before_after_table, comparison_text, excluded_text

NBSP = "\u00a0"
EVENT = date(2025, 1, 20)


def daily_csv(rows: list[tuple[str, str, int]]) -> tuple[str, bytes]:
    lines = ["Date;Réseau;Vues", *(f"{d};{p};{v}" for d, p, v in rows)]
    return "quotidien.csv", "\n".join(lines).encode()


def around_the_event() -> list[tuple[str, str, int]]:
    """X: 100 a day from 15 to 19 January, 50 a day from 21 to 25; Facebook 200 every day.
    The event day itself (20 January) carries a spike that must count on neither side."""
    rows = []
    for d in range(15, 26):
        x_views = 1000 if d == 20 else (100 if d < 20 else 50)
        rows += [(f"2025-01-{d:02d}", "X", x_views), (f"2025-01-{d:02d}", "Facebook", 200)]
    return rows


def frame(*rows) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["platform", "period_start", "period_end", "views"])
    return out.assign(
        period_start=pd.to_datetime(out["period_start"]),
        period_end=pd.to_datetime(out["period_end"]),
    )


def test_events_are_added_listed_oldest_first_and_deleted(con):
    later = events.add_event(con, date(2025, 6, 15), "  Arrêt   de X ")
    earlier = events.add_event(con, date(2025, 1, 20), "Lancement")
    listed = events.list_events(con)
    assert listed["label"].tolist() == ["Lancement", "Arrêt de X"]
    assert listed["event_id"].tolist() == [earlier, later]
    assert events.delete_event(con, later) is True
    assert events.delete_event(con, later) is False
    assert events.list_events(con)["label"].tolist() == ["Lancement"]


def test_an_event_needs_a_label_of_at_most_120_characters(con):
    with pytest.raises(CanalyseError) as refused:
        events.add_event(con, EVENT, "   ")
    assert refused.value.message("en") == "An event needs a label: nothing was saved."
    with pytest.raises(CanalyseError) as refused:
        events.add_event(con, EVENT, "x" * 121)
    assert refused.value.key == "trends.events.error.too_long"
    assert events.list_events(con).empty


def test_before_after_averages_each_side_and_leaves_the_event_day_out(con):
    import_file(con, *daily_csv(around_the_event()))
    result = before_after(con, Filters(), EVENT)
    # Data from 15 to 25 January: 5 days on each side of the 20th.
    assert (result.grain, result.periods, result.max_periods) == ("day", 5, 5)
    rows = result.per_platform.set_index("platform")
    # X: 5 × 100 / 5 = 100 before, 5 × 50 / 5 = 50 after (the 1 000 of the 20th counts nowhere).
    assert rows.loc["x", ["avg_before", "avg_after"]].tolist() == [100, 50]
    assert rows.loc["x", "change"] == -0.5
    assert rows.loc["facebook", ["avg_before", "avg_after", "change"]].tolist() == [200, 200, 0]
    # Total 300 → 250 a day: 250 / 300 − 1 = −16,7 %.
    assert (result.total_before, result.total_after) == (300, 250)
    assert result.change == pytest.approx(-1 / 6)
    # Shares: X 100 / 300 = 1/3 before, 50 / 250 = 20 % after.
    assert rows.loc["x", "share_before"] == pytest.approx(1 / 3)
    assert rows.loc["x", "share_after"] == pytest.approx(0.2)
    assert result.windows == (
        date(2025, 1, 15),
        date(2025, 1, 19),
        date(2025, 1, 21),
        date(2025, 1, 25),
    )
    assert comparison_text(result, "fr") == (
        "Comparaison sur 5 jours avant (du 15/01/2025 au 19/01/2025) et 5 jours après"
        " (du 21/01/2025 au 25/01/2025) l'événement du 20/01/2025"
    )
    assert before_after_title(result, "Arrêt de <X>", "fr") == (
        f"Après « Arrêt de <X> », les vues quotidiennes ont baissé de 17{NBSP}%"
    )
    # The chart shows the event's label literally, never as markup.
    figure = before_after_chart(result, "Arrêt de <X>", "fr", "Source")
    assert "« Arrêt de &lt;X&gt; »" in figure.layout.title.text


def test_a_chosen_window_longer_than_the_data_compares_nothing_and_says_why():
    rows = [(platform.lower(), when, when, count) for when, platform, count in around_the_event()]
    result = compare_around(frame(*rows), EVENT, periods=10)
    assert result.periods == 10
    assert result.compared.empty and result.total_before is None
    assert set(result.per_platform["status"]) == {SHORT}
    table = before_after_table(result, "fr").display("fr")
    assert table["Remarque"].str.contains("ne couvrent que 5 jours de chaque côté").all()


def test_posts_count_zero_on_days_without_a_post_inside_their_series():
    # Posts on 12 and 18 January before, on 25 January after; data covers 10 to 30 January with no
    # week without a post.
    result = compare_around(
        frame(
            ("x", "2025-01-10", "2025-01-10", 0),
            ("x", "2025-01-12", "2025-01-12", 300),
            ("x", "2025-01-18", "2025-01-18", 300),
            ("x", "2025-01-23", "2025-01-23", 0),
            ("x", "2025-01-25", "2025-01-25", 300),
            ("x", "2025-01-30", "2025-01-30", 0),
        ),
        EVENT,
        periods=7,
    )
    x = result.per_platform.set_index("platform").loc["x"]
    # 13–19 January holds the 18th only: 300 / 7; 21–27 January holds the 25th: 300 / 7.
    assert x["avg_before"] == pytest.approx(300 / 7)
    assert x["avg_after"] == pytest.approx(300 / 7)


def test_a_platform_with_only_months_there_is_compared_only_by_month():
    result = compare_around(
        frame(
            *(("x", f"2025-01-{d}", f"2025-01-{d}", 10) for d in (10, 14, 18, 22, 26, 30)),
            ("youtube", "2025-01-01", "2025-01-31", 9000),
        ),
        EVENT,
    )
    rows = result.per_platform.set_index("platform")
    assert result.grain == "day"
    assert rows["status"].to_dict() == {"x": COMPARED, "youtube": NOT_COVERED}
    # X covers 10 days before (10–19) and 10 after (21–30): the default window.
    assert result.periods == 10
    assert pd.isna(rows.loc["youtube", "avg_before"])
    # YouTube is left out of the total: the title names the network it is about.
    assert before_after_title(result, "Lancement", "fr") == (
        "Après « Lancement », les vues quotidiennes de X sont restées stables"
    )


def test_before_after_with_monthly_figures_only_compares_months_never_a_fall_to_zero(con):
    # X: a daily export up to 31 March, then typed months for April to June; the event is on
    # 1 April. There are no daily X figures after it: by day there is nothing to compare, by
    # month there is.
    days = pd.date_range("2025-01-01", "2025-03-31")
    daily = "\n".join(f"{d:%Y-%m-%d};X;1000" for d in days)
    import_file(con, "x_quotidien.csv", f"Date;Réseau;Vues\n{daily}\n".encode())
    months = "Mois;Réseau;Vues\navril 2025;X;15 000\nmai 2025;X;15 000\njuin 2025;X;15 000\n"
    import_file(con, "x_mensuel.csv", months.encode())
    result = before_after(con, Filters(), date(2025, 4, 1))
    assert result.grain == "month" and result.periods == 3
    x = result.per_platform.set_index("platform").loc["x"]
    # January 31 000, February 28 000, March 31 000: 90 000 / 3 = 30 000 a month before;
    # 15 000 a month after: −50 %, never −100 %.
    assert x["avg_before"] == 30_000 and x["avg_after"] == 15_000
    assert x["change"] == -0.5
    assert result.windows == (
        date(2025, 1, 1),
        date(2025, 3, 31),
        date(2025, 4, 1),
        date(2025, 6, 30),
    )
    assert before_after_title(result, "Arrêt de X", "fr") == (
        f"Après « Arrêt de X », les vues mensuelles ont baissé de 50{NBSP}%"
    )
    assert "par mois" in excluded_text(result, "fr")


def test_a_side_without_any_figure_means_the_comparison_is_impossible():
    # Daily X figures before the event only: by day, week or month, the after side is missing.
    rows = [("x", f"2025-01-{d:02d}", f"2025-01-{d:02d}", 100) for d in range(1, 20)]
    result = compare_around(frame(*rows), EVENT)
    assert result.grain is None and result.change is None
    assert result.compared.empty
    assert result.per_platform.set_index("platform").loc["x", "status"] == NOT_COVERED


def test_the_default_window_stops_at_90_days():
    every_day = pd.date_range("2024-01-01", "2026-01-01")
    result = compare_around(frame(*(("x", d, d, 1) for d in every_day)), EVENT)
    assert (result.grain, result.periods) == ("day", 90)


def test_with_more_than_five_networks_the_grey_bars_keep_their_values_for_the_hover():
    networks = ["facebook", "x", "instagram", "linkedin", "youtube", "tiktok"]
    days = [EVENT + timedelta(days=n) for n in range(-5, 6) if n]
    rows = [(p, day, day, 100 + n) for n, p in enumerate(networks) for day in days]
    figure = before_after_chart(compare_around(frame(*rows), EVENT), "Crue", "fr", "Source")
    before, after = figure.data
    assert before.textposition == "none" and len(before.text) == 6
    assert after.textposition == "outside"
    five = [row for row in rows if row[0] != "tiktok"]
    before, _ = before_after_chart(compare_around(frame(*five), EVENT), "Crue", "fr", "S").data
    assert before.textposition == "outside"
