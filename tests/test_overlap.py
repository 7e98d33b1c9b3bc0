"""Overlapping exports count once: each post or day once, the most recent import wins."""

from __future__ import annotations

from canalyse import queries
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file

HEADER = "Post id,Date,Post text,Post Link,Impressions,Likes\n"


def _post(post_id: str, day: str, views: int, link_id: str | None = None) -> str:
    return f'"{post_id}","{day}",Texte,https://x.com/rennes/status/{link_id or post_id},{views},1\n'


def _views(con) -> float:
    return queries.run(con, "overview", **Filters().params())["total_views"].iloc[0]


def test_a_post_in_two_overlapping_monthly_exports_counts_once_with_the_latest_figures(con):
    october = HEADER + _post("1", "Thu, Oct 2, 2025", 100) + _post("2", "Fri, Oct 31, 2025", 50)
    # Exported later: post 2's figures have grown since; post 3 is new.
    november = HEADER + _post("2", "Fri, Oct 31, 2025", 80) + _post("3", "Mon, Nov 3, 2025", 30)
    import_file(con, "account_analytics_content_2025-10-01_2025-10-31.csv", october.encode())
    import_file(con, "account_analytics_content_2025-10-15_2025-11-15.csv", november.encode())
    assert _views(con) == 100 + 80 + 30


def test_excel_destroyed_ids_fall_back_on_the_permalink(con):
    first = (
        HEADER
        + _post("1,89150E+18", "Thu, Oct 2, 2025", 100, "111")
        + _post("1,89150E+18", "Wed, Oct 1, 2025", 60, "222")
    )
    again = HEADER + _post("1,89150E+18", "Thu, Oct 2, 2025", 120, "111")
    import_file(con, "content_excel.csv", first.encode())
    import_file(con, "content_excel_2.csv", again.encode())
    # Two distinct posts despite identical destroyed ids; the re-exported one counts once.
    assert _views(con) == 120 + 60


def test_the_same_day_in_two_daily_exports_counts_once(con):
    header = "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,Profile visits,Create Post,Video views,Media views\n"
    row = '"{day}",{views},0,0,0,0,0,0,0,0,0,0,0,0\n'
    a = (
        header
        + row.format(day="Mon, Feb 17, 2025", views=10)
        + row.format(day="Tue, Feb 18, 2025", views=20)
    )
    b = (
        header
        + row.format(day="Tue, Feb 18, 2025", views=25)
        + row.format(day="Wed, Feb 19, 2025", views=5)
    )
    import_file(con, "account_overview_analytics.csv", a.encode())
    import_file(con, "account_overview_analytics (1).csv", b.encode())
    assert _views(con) == 10 + 25 + 5


def test_reimporting_an_export_changes_nothing(con):
    data = (HEADER + _post("1", "Thu, Oct 2, 2025", 100)).encode()
    import_file(con, "content.csv", data)
    again = import_file(con, "content copy.csv", data)
    assert again.status == "unchanged"
    assert _views(con) == 100
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 1
