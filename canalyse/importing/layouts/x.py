"""X (Twitter) analytics exports: legacy per-post and daily files, the 2024–25 account overview and content."""

from __future__ import annotations

import re

from canalyse.importing.exports import Draft, ExportLayout

# The legacy per-tweet and daily files share their metric columns.
_LEGACY_METRICS = {
    "views": ("impressions",),
    "engagements": ("engagements",),
    "shares": ("retweets",),
    "comments": ("replies",),
    "reactions": ("likes",),
    "profile_visits": ("user profile clicks",),
    "link_clicks": ("url clicks",),
    "followers_gained": ("follows",),
    "video_views": ("media views",),
}
# A handle (1 to 15 letters, digits or "_", not only digits) before X's own file name.
_HANDLE_PREFIX = re.compile(
    r"(?!\d+_account_)([A-Za-z0-9_]{1,15})_account_(?:overview_analytics|analytics_content)"
)


def _handle_from_file_name(draft: Draft) -> None:
    """Legacy files are named `[daily_]tweet_activity_metrics_<handle>_<from>_<to>_en.csv`: the account."""
    found = re.search(r"tweet_activity_metrics_(.+?)_\d{8}_\d{8}", draft.table_name)
    if found:
        _set_account(draft, found.group(1))


def _handle_before_file_name(draft: Draft) -> None:
    """The 2024–25 files name no account, but people file them as `<handle>_account_…csv`."""
    file_name = re.split(r" › |/", draft.table_name)[-1]
    found = _HANDLE_PREFIX.match(file_name)
    if found:
        _set_account(draft, found.group(1))


def _set_account(draft: Draft, handle: str) -> None:
    if "account" not in draft.columns:
        draft.set_constant("account", handle)


LAYOUTS = [
    ExportLayout(
        id="x_post_legacy",
        platform="x",
        grain="post",
        signature=("Tweet id", "Tweet permalink", "impressions"),
        date=("time",),
        key=("Tweet permalink", "Tweet id"),
        title=("Tweet text",),
        metrics=_LEGACY_METRICS,
        note_key="layout_note.x_views",
        adjust=_handle_from_file_name,
        streamable=True,
    ),
    ExportLayout(
        id="x_daily_legacy",
        platform="x",
        grain="day",
        signature=("Date", "Tweets published", "impressions"),
        date=("Date",),
        metrics=_LEGACY_METRICS,
        note_key="layout_note.x_views",
        adjust=_handle_from_file_name,
        streamable=True,
    ),
    ExportLayout(
        id="x_account_overview",
        platform="x",
        grain="day",
        signature=("Date", "Impressions", "New follows", "Unfollows"),
        date=("Date",),
        metrics={
            "views": ("Impressions",),
            "reactions": ("Likes",),
            "engagements": ("Engagements",),
            "saves": ("Bookmarks",),
            "shares": ("Reposts",),
            "followers_gained": ("New follows",),
            "followers_lost": ("Unfollows",),
            "comments": ("Replies",),
            "profile_visits": ("Profile visits",),
            "video_views": ("Video views",),
        },
        note_key="layout_note.x_overview",
        adjust=_handle_before_file_name,
        streamable=True,
    ),
    ExportLayout(
        id="x_post_content",
        platform="x",
        grain="post",
        signature=("Post id", "Date", "Impressions"),
        date=("Date",),
        key=("Post Link", "Link", "Post id"),
        title=("Post text",),
        metrics={
            "views": ("Impressions",),
            "reactions": ("Likes",),
            "engagements": ("Engagements",),
            "saves": ("Bookmarks",),
            "shares": ("Reposts",),
            "followers_gained": ("New follows",),
            "comments": ("Replies",),
            "profile_visits": ("Profile visits",),
            "link_clicks": ("URL Clicks", "Url clicks"),
        },
        note_key="layout_note.x_content",
        adjust=_handle_before_file_name,
        streamable=True,
    ),
]
