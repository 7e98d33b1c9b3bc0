"""No double counting between grains: a day series, per-content days, posts and months of one platform."""

from __future__ import annotations

from canalyse import queries
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file
from tests.conftest import fixture_bytes

X_DAILY = "exports/x/daily_tweet_activity_metrics_rennes_20211101_20211201_en.csv"
X_POSTS = "exports/x/tweet_activity_metrics_rennes_20211101_20211201_en.csv"


def _views(con, **filters) -> float:
    return queries.run(con, "overview", **Filters(**filters).params())["total_views"].iloc[0]


def test_a_day_series_replaces_posts_on_the_days_it_covers(con):
    import_file(con, *fixture_bytes(X_POSTS))
    assert _views(con) == 3000
    import_file(con, *fixture_bytes(X_DAILY))
    # The daily file covers 28–30 Nov, both posts' publish days: only the day series counts.
    assert _views(con) == 3800


def test_posts_count_on_days_the_series_does_not_cover(con):
    import_file(con, *fixture_bytes(X_DAILY))
    extra = (
        '"Tweet id","Tweet permalink","Tweet text","time","impressions"\n'
        '"1","https://twitter.com/rennes/status/1","Hors série","2021-12-05 10:00 +0000","500.0"\n'
    )
    import_file(con, "tweet_activity_metrics_rennes_20211201_20211231_en.csv", extra.encode())
    assert _views(con) == 3800 + 500


def test_metrics_the_day_series_lacks_still_come_from_posts(con):
    import_file(con, *fixture_bytes(X_DAILY))
    import_file(con, *fixture_bytes(X_POSTS))
    totals = queries.run(con, "platform_totals", **Filters().params()).iloc[0]
    assert totals["views"] == 3800
    assert totals["video_views"] == 100  # only the post export has media views


def test_a_month_partly_covered_by_days_is_kept_and_the_days_and_posts_inside_are_set_aside(con):
    import_file(con, "mois.csv", "Mois;Réseau;Compte;Vues\nnovembre 2021;X;rennes;9000\n".encode())
    import_file(con, *fixture_bytes(X_POSTS))
    assert _views(con) == 9000
    # The daily file holds only 28–30 November: it cannot stand for the month.
    import_file(con, *fixture_bytes(X_DAILY))
    assert _views(con) == 9000


def test_the_user_sees_which_grain_fed_the_figures(con):
    import_file(con, *fixture_bytes(X_DAILY))
    import_file(con, *fixture_bytes(X_POSTS))
    used = queries.run(con, "figures_by_grain", **Filters().params())
    by_kind = dict(zip(used["source_kind"], used["views"], strict=True))
    assert by_kind["day"] == 3800
    assert by_kind["post"] != by_kind["post"]  # NaN: posts gave no views, only media views
