"""Time series by day, week and month, growth, followers and event markers, with hand-computed numbers."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from canalyse.analysis.findings import views_over_time_title as views_title
from canalyse.analysis.trends import (
    FREQUENCY,
    bucket_start,
    default_granularity,
    followers_series,
    growth,
    period_label,
    period_labels,
    views_series,
)
from canalyse.charts.trends import add_event_markers, share_over_time_chart, views_over_time_chart
from canalyse.output.trends import growth_table

NBSP = "\u00a0"


def views(*rows) -> pd.DataFrame:
    """Rows shaped like queries/views_by_period.sql: (platform, start, end, views)."""
    frame = pd.DataFrame(rows, columns=["platform", "period_start", "period_end", "views"])
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame.assign(rows=1)


def day(platform: str, when: str, count: float):
    return (platform, when, when, count)


def month(platform: str, first: str, last: str, count: float):
    return (platform, first, last, count)


def points(series: pd.DataFrame, platform: str) -> dict[str, float]:
    rows = series[series["platform"] == platform]
    return dict(zip(rows["period"].dt.strftime("%Y-%m-%d"), rows["views"], strict=True))


def test_weeks_start_on_monday_and_months_on_the_first():
    days = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-06", "2025-02-28"]))
    weeks = bucket_start(days, "week").dt.strftime("%Y-%m-%d").tolist()
    # 1 January 2025 is a Wednesday: its ISO week starts on Monday 30 December 2024.
    assert weeks == ["2024-12-30", "2024-12-30", "2025-01-06", "2025-02-24"]
    months = bucket_start(days, "month").dt.strftime("%Y-%m-%d").tolist()
    assert months == ["2025-01-01", "2025-01-01", "2025-01-01", "2025-02-01"]


def test_a_month_counts_in_its_month_but_is_left_out_of_days_and_weeks():
    rows = views(
        day("x", "2025-01-06", 100),
        day("x", "2025-01-08", 50),
        day("x", "2025-01-13", 30),
        month("facebook", "2025-01-01", "2025-01-31", 1000),
    )
    by_month = views_series(rows, "month")
    # X: 100 + 50 + 30 = 180 in January; Facebook's month fits its month.
    assert points(by_month.series, "x") == {"2025-01-01": 180}
    assert points(by_month.series, "facebook") == {"2025-01-01": 1000}
    assert by_month.left_out_rows == 0

    by_week = views_series(rows, "week")
    # Week of Monday 6 January: 100 + 50 = 150; week of 13 January: 30.
    assert points(by_week.series, "x") == {"2025-01-06": 150, "2025-01-13": 30}
    assert "facebook" not in set(by_week.series["platform"])
    assert (by_week.left_out_rows, by_week.left_out_views) == (1, 1000)


def test_days_without_a_figure_between_the_first_and_last_are_gaps_never_zero():
    rows = views(day("x", "2025-01-06", 100), day("x", "2025-01-09", 40))
    series = views_series(rows, "day").series
    drawn = points(series, "x")
    assert drawn["2025-01-06"] == 100 and drawn["2025-01-09"] == 40
    assert pd.isna(drawn["2025-01-07"]) and pd.isna(drawn["2025-01-08"])
    # The chart breaks its line there: no point at 0.
    figure = views_over_time_chart(views_series(rows, "day"), "fr", "Source")
    assert 0 not in list(figure.data[0].y)


def test_the_rolling_average_waits_for_a_full_window():
    rows = views(
        month("x", "2025-01-01", "2025-01-31", 10),
        month("x", "2025-02-01", "2025-02-28", 20),
        month("x", "2025-03-01", "2025-03-31", 60),
    )
    rolling = views_series(rows, "month").series["rolling"].tolist()
    # Three months: (10 + 20 + 60) / 3 = 30 on March, nothing before.
    assert rolling[:2] == [pytest.approx(float("nan"), nan_ok=True)] * 2
    assert rolling[2] == 30


def test_a_partly_covered_edge_period_is_flagged_and_not_drawn():
    # A daily series from Wednesday 15 January to Tuesday 28 January 2025: the week of 13 January
    # is covered only from the 15th, that of 27 January only to the 28th.
    rows = views(*(day("x", f"2025-01-{d:02d}", 10) for d in range(15, 29)))
    result = views_series(rows, "week")
    assert result.series["complete"].tolist() == [False, True, False]
    assert result.partial_periods == 2
    figure = views_over_time_chart(result, "fr", "Source")
    # Only the full week of 20 January (7 × 10 = 70) is drawn.
    assert list(figure.data[0].y) == [70]


def test_growth_compares_the_last_complete_period_with_the_one_before():
    rows = views(
        month("x", "2025-01-01", "2025-01-31", 100),
        month("x", "2025-02-01", "2025-02-28", 150),
        month("facebook", "2025-01-01", "2025-01-31", 0),
        month("facebook", "2025-02-01", "2025-02-28", 40),
        # March is only covered up to the 5th: it is named, not compared.
        day("x", "2025-03-05", 5),
    )
    result = growth(views_series(rows, "month"))
    assert result.current == pd.Timestamp("2025-02-01")
    assert result.previous == pd.Timestamp("2025-01-01")
    assert result.skipped_partial == pd.Timestamp("2025-03-01")
    table = result.table.set_index("platform")
    # X: 150 − 100 = +50, +50 / 100 = +50 %; Facebook: +40 on 0, no percentage.
    assert table.loc["x", "change"] == 50 and table.loc["x", "change_ratio"] == 0.5
    assert table.loc["facebook", "change"] == 40
    assert pd.isna(table.loc["facebook", "change_ratio"])
    shown = growth_table(result, "month", "fr").display("fr").set_index("Réseau")
    assert shown.loc["X", "Évolution (%)"] == f"+50,0{NBSP}%"
    assert shown.loc["Facebook", "Évolution (%)"] == "—"
    assert list(shown.columns[:2]) == ["février 2025", "janvier 2025"]


def test_one_period_gives_no_growth():
    assert growth(views_series(views(month("x", "2025-01-01", "2025-01-31", 1)), "month")) is None


def _year_of_months(platform: str, values: list[float], year: int = 2025):
    ends = pd.date_range(f"{year}-01-01", periods=12, freq="MS") + pd.offsets.MonthEnd(0)
    return [
        month(platform, f"{year}-{m:02d}-01", end.strftime("%Y-%m-%d"), v)
        for m, (end, v) in enumerate(zip(ends, values, strict=False), start=1)
        if v is not None
    ]


def test_the_title_states_the_leaders_change_between_complete_periods():
    rows = views(
        *_year_of_months("linkedin", [200] + [220] * 10 + [270]),
        month("x", "2025-01-01", "2025-01-31", 50),
    )
    result = views_series(rows, "month")
    # LinkedIn leads: 270 / 200 − 1 = +35 % between January and December, nothing missing between.
    assert views_title(result, "fr") == (
        f"Les vues de LinkedIn ont augmenté de 35{NBSP}% entre janvier et décembre 2025"
    )
    assert (
        views_title(result, "en") == "LinkedIn views rose by 35% between January and December 2025"
    )


def test_a_growth_headline_never_compares_across_missing_months():
    # Facebook in September 2015, then from January to June 2025: nothing between.
    rows = views(
        month("facebook", "2015-09-01", "2015-09-30", 100),
        *_year_of_months("facebook", [1000, 1100, 1200, 1300, 1400, 1500]),
    )
    result = views_series(rows, "month")
    # 1 500 / 1 000 − 1 = +50 % from January to June 2025, not +1 400 % since 2015.
    assert views_title(result, "fr") == (
        f"Les vues de Facebook ont augmenté de 50{NBSP}% entre janvier et juin 2025"
    )
    # The months between are gaps, never zeros.
    between = result.series[
        (result.series["period"] > "2015-09-01") & (result.series["period"] < "2025-01-01")
    ]
    assert len(between) == 111 and between["views"].isna().all()


def test_the_default_view_is_the_most_recent_continuous_stretch():
    rows = views(
        month("facebook", "2015-09-01", "2015-09-30", 100),
        *_year_of_months("facebook", [1000, 1100, None, 1300, 1400, 1500]),
    )
    result = views_series(rows, "month")
    # March 2025 alone is missing: a gap inside the stretch, which runs from January 2025.
    assert result.recent_stretch() == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-01"))
    recent = result.since("2025-01-01")
    assert recent.series["period"].min() == pd.Timestamp("2025-01-01")
    assert pd.isna(points(recent.series, "facebook")["2025-03-01"])


def test_a_chart_spanning_two_years_with_a_gap_draws_the_gap_and_puts_the_year_on_every_tick():
    rows = views(
        *_year_of_months("x", [500] * 4 + [None] * 5 + [700] * 3, year=2024),
        *_year_of_months("x", [800] * 6, year=2025),
    )
    figure = views_over_time_chart(views_series(rows, "month"), "fr", "Source")
    y = list(figure.data[0].y)
    # May to September 2024 have no figure: five gaps in the line, no zero.
    assert sum(pd.isna(v) for v in y) == 5 and 0 not in y
    ticks = list(figure.layout.xaxis.ticktext)
    assert all(tick[-4:] in ("2024", "2025") for tick in ticks), ticks
    assert ticks[0] == "janv. 2024" and "janv. 2025" in ticks


def test_share_over_time_stacks_to_100_percent_and_names_the_biggest_move():
    rows = views(
        month("facebook", "2025-01-01", "2025-01-31", 300),
        month("x", "2025-01-01", "2025-01-31", 100),
        month("facebook", "2025-02-01", "2025-02-28", 300),
        month("x", "2025-02-01", "2025-02-28", 300),
    )
    figure = share_over_time_chart(views_series(rows, "month"), "fr", "Source")
    facebook, x = figure.data
    # January 300 / 400 = 75 % and 25 %; February 50 % each.
    assert list(facebook.y) == [75, 50] and list(x.y) == [25, 50]
    # Both moved 25 points; ties go to the first name. A long title is broken in two for slides.
    assert figure.layout.title.text.replace("<br>", " ") == (
        f"La part de Facebook est passée de 75{NBSP}% à 50{NBSP}% des vues "
        "entre janvier et février 2025"
    )


def test_follower_counts_are_levels_never_summed_over_time():
    frame = pd.DataFrame(
        {
            "platform": ["linkedin"] * 3 + ["x", "x"],
            "account": ["a", "a", "b", "x", "x"],
            "period_start": pd.to_datetime(
                ["2025-01-10", "2025-01-20", "2025-01-15", "2025-01-05", "2025-02-05"]
            ),
            "followers_total": [100.0, 110.0, 50.0, None, None],
            "followers_gained": [None, None, None, 10.0, 5.0],
            "followers_lost": [None, None, None, 3.0, 8.0],
        }
    ).assign(period_end=lambda f: f["period_start"], rows=1)
    result = followers_series(frame, "month")
    # LinkedIn in January: account a's latest count (110) + account b's (50) = 160, not 260.
    assert result.levels["followers_total"].tolist() == [160]
    # X gives only flows: January 10 − 3 = +7, February 5 − 8 = −3, cumulated 7 then 4.
    assert result.net_gains["net"].tolist() == [7, -3]
    assert result.net_gains["cumulative"].tolist() == [7, 4]


def _followers_by_hand(rows: list[tuple], granularity: str) -> tuple[dict, dict]:
    """The follower series worked out row by row: {(platform, period): level} (each account's
    latest count in the period, added up) and {(platform, period): (net, cumulative)} for the
    networks without any count, from flows whose own period lies inside the chart's period."""

    def bucket(day: date) -> pd.Timestamp:
        return bucket_start(pd.Series([pd.Timestamp(day)]), granularity).iloc[0]

    latest: dict = {}
    for platform, account, _, end, total, _, _ in rows:
        if total is not None:
            key = (platform, account, bucket(end))
            if key not in latest or end >= latest[key][0]:
                latest[key] = (end, total)
    levels: dict = {}
    for (platform, _, period), (_, total) in latest.items():
        levels[(platform, period)] = levels.get((platform, period), 0) + total
    counted = {platform for platform, *_ in latest}
    net: dict = {}
    for platform, _, start, end, _, gained, lost in rows:
        if platform not in counted and bucket(start) == bucket(end):
            key = (platform, bucket(start))
            net[key] = net.get(key, 0) + (gained or 0) - (lost or 0)
    running: dict = {}
    flows = {}
    for platform, period in sorted(net):
        running[platform] = running.get(platform, 0) + net[(platform, period)]
        flows[(platform, period)] = (net[(platform, period)], running[platform])
    return levels, flows


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
def test_follower_series_match_the_rows_worked_out_one_by_one_in_any_order(granularity):
    import random

    chance = random.Random(f"followers-{granularity}")
    rows, used = [], set()
    for _ in range(400):
        platform = chance.choice(["linkedin", "x", "facebook", "bluesky"])
        account = chance.choice(["ville", "metropole", ""])
        start = date(2025, 1, 1) + pd.Timedelta(days=chance.randrange(100))
        end = (pd.Timestamp(start) + pd.Timedelta(days=chance.choice([0, 0, 6, 30]))).date()
        if (platform, account, end) in used:
            continue  # one count per account and day, as the query gives
        used.add((platform, account, end))
        counts = platform in ("linkedin", "facebook") and chance.random() < 0.7
        total = float(chance.randrange(1000, 5000)) if counts else None
        gained = float(chance.randrange(50)) if chance.random() < 0.8 else None
        lost = float(chance.randrange(20)) if chance.random() < 0.5 else None
        rows.append((platform, account, start, end, total, gained, lost))
    frame = pd.DataFrame(
        rows,
        columns=["platform", "account", "period_start", "period_end", "followers_total",
                 "followers_gained", "followers_lost"],
    ).assign(rows=1)  # fmt: skip
    frame[["period_start", "period_end"]] = frame[["period_start", "period_end"]].apply(
        pd.to_datetime
    )
    levels, flows = _followers_by_hand(rows, granularity)

    result = followers_series(frame, granularity)

    def keyed(table: pd.DataFrame, *columns: str) -> dict:
        found = table.dropna()
        values = zip(*(found[c] for c in columns), strict=True)
        return {
            (platform, period): value[0] if len(columns) == 1 else value
            for platform, period, value in zip(
                found["platform"], found["period"], values, strict=True
            )
        }

    assert keyed(result.levels, "followers_total") == levels
    assert keyed(result.net_gains, "net", "cumulative") == flows
    # Every period between a network's first and last is there, a gap (NaN) where none is known.
    for table in (result.levels, result.net_gains):
        for _, periods in table.groupby("platform")["period"]:
            expected = pd.date_range(periods.min(), periods.max(), freq=FREQUENCY[granularity])
            assert periods.tolist() == expected.tolist()
    shuffled = followers_series(frame.sample(frac=1, random_state=3), granularity)
    pd.testing.assert_frame_equal(shuffled.levels, result.levels)
    pd.testing.assert_frame_equal(shuffled.net_gains, result.net_gains)


def test_event_markers_are_dashed_lines_with_escaped_labels_inside_the_range():
    rows = views(day("x", "2025-01-10", 1), day("x", "2025-01-30", 2))
    figure = views_over_time_chart(views_series(rows, "day"), "fr", "Source")
    events = pd.DataFrame(
        {
            "day": pd.to_datetime(["2025-01-20", "2025-06-01"]),
            "label": ["Arrêt de <i>X</i> & co", "Hors période"],
        }
    )
    before = len(figure.layout.shapes)
    add_event_markers(figure, events, "fr")
    (line,) = figure.layout.shapes[before:]
    assert line.line.dash == "dash" and line.x0 == pd.Timestamp("2025-01-20")
    texts = [a.text for a in figure.layout.annotations]
    assert "Arrêt de &lt;i&gt;X&lt;/i&gt; &amp; co — 20/01/2025" in texts
    assert not any("Hors période" in text for text in texts)
    spec = json.loads(figure.to_json())
    assert "<i>" not in json.dumps(spec["layout"]["annotations"])


def test_event_markers_accept_an_explicit_span_and_english_dates():
    figure = views_over_time_chart(
        views_series(views(day("x", "2025-01-10", 1)), "day"), "en", "Source"
    )
    events = pd.DataFrame({"day": [date(2025, 1, 20)], "label": ["Launch"]})
    add_event_markers(figure, events, "en", span=(date(2025, 1, 1), date(2025, 1, 31)))
    assert "Launch — 20 Jan 2025" in [a.text for a in figure.layout.annotations]


def test_the_default_grouping_follows_the_span_and_never_hides_months():
    short = views(day("x", "2025-01-01", 1), day("x", "2025-01-20", 1))
    assert default_granularity(short) == "day"
    half_year = views(day("x", "2025-01-01", 1), day("x", "2025-03-01", 1))
    assert default_granularity(half_year) == "week"
    with_months = views(month("x", "2025-01-01", "2025-01-31", 1), day("x", "2025-02-01", 1))
    assert default_granularity(with_months) == "month"


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_periods_named_at_once_read_as_each_named_alone(granularity, lang):
    days = pd.Timestamp("1900-01-01") + pd.to_timedelta(
        np.random.default_rng(5).integers(0, 60_000, 2000), "D"
    )
    periods = bucket_start(pd.Series(days), granularity)
    expected = [period_label(period, granularity, lang) for period in periods]
    assert period_labels(periods, granularity, lang) == expected
    assert period_labels(periods.astype("datetime64[us]"), granularity, lang) == expected
