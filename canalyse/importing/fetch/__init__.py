"""Read an account's public posts from the open APIs of Bluesky and Mastodon, and import them.

Neither network offers an analytics export, but both publish each post's public counts and the
account's follower count, without an account or a key. One fetch is one import: the account's own
posts since a date (no reposts or boosts) with their counts, plus the follower count on the day of
the fetch. Fetching again later updates the counts (the most recent import wins) and adds a
follower point for the new day, so a monthly fetch builds the follower trend.

Only the endpoints named in `bluesky` and `mastodon` are called, only when asked; everything is
read before anything is stored, so a failure leaves the workspace exactly as it was.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from canalyse.errors import CanalyseError
from canalyse.formatting import fmt_date
from canalyse.i18n import t
from canalyse.importing.fetch import bluesky, mastodon
from canalyse.importing.fetch.feed import AccountFeed, FetchSettings, OnProgress, Progress
from canalyse.importing.fetch.http import FetchFailed, PoliteClient
from canalyse.importing.layout import ParsedTable
from canalyse.importing.layouts import by_id
from canalyse.importing.pipeline import FileReport, ImportAnswers, content_hash, import_parsed
from canalyse.metrics import METRIC_NAMES
from canalyse.platforms import FETCHABLE, label

__all__ = ["NETWORKS", "FetchSettings", "Progress", "fetch_account", "read_account"]

logger = logging.getLogger(__name__)

NETWORKS = FETCHABLE
_READERS = {"bluesky": bluesky.read, "mastodon": mastodon.read}
# The layout ids of fetched tables (their labels are `layout.<id>` in the catalog).
POSTS_LAYOUT = {"bluesky": "bluesky_api_posts", "mastodon": "mastodon_api_posts"}
FOLLOWERS_LAYOUT = {"bluesky": "bluesky_api_followers", "mastodon": "mastodon_api_followers"}
# The exporters' layouts for the same posts: their note states how the counts are combined.
_EXPORTER_LAYOUT = {"bluesky": "bluesky_posts", "mastodon": "mastodon_statuses"}


def read_account(
    network: str,
    handle: str,
    *,
    since: date | None = None,
    settings: FetchSettings | None = None,
    client: PoliteClient | None = None,
    on_progress: OnProgress | None = None,
) -> AccountFeed:
    """Read an account's own posts since `since` and its follower count; raises `FetchFailed`."""
    if network not in _READERS:
        raise ValueError(f"unknown network {network!r}; expected one of {NETWORKS}")
    settings = settings or FetchSettings.from_env()
    client = client or PoliteClient(timeout=settings.timeout, pause=settings.pause)
    return _READERS[network](client, handle, settings, since=since, on_progress=on_progress)


def fetch_account(
    con: duckdb.DuckDBPyConnection
    | Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]],
    network: str,
    handle: str,
    *,
    since: date | None = None,
    campaign: str | None = None,
    lang: str = "fr",
    today: date | None = None,
    settings: FetchSettings | None = None,
    client: PoliteClient | None = None,
    on_progress: OnProgress | None = None,
    answers: ImportAnswers | None = None,
) -> FileReport:
    """Read an account's public posts and import them as one import; never raises for the user.

    `con` is the workspace, or a function opening it for writing (`store.writing`), called only
    once the network has answered: a slow server never holds the workspace's lock. `today` is
    the day of the follower point (the fetch day by default). `on_progress` is called after each
    page read. On any failure the workspace is unchanged and the report says why. When the import
    needs an answer first (its report's status is "question"), nothing is stored; `answers`
    gives it, as for a file.
    """
    today = today or date.today()
    name = f"{label(network)} {handle.strip()}"
    try:
        feed = read_account(
            network,
            handle,
            since=since,
            settings=settings,
            client=client,
            on_progress=on_progress,
        )
        tables = parsed_tables(feed, today, campaign=campaign, since=since, lang=lang)
    except CanalyseError as exc:
        return FileReport(name, "error", exc.message(lang), error_key=exc.key)
    except Exception as exc:  # noqa: BLE001 — a network answer must never crash the page or the CLI
        logger.exception("reading %s failed", name)
        message = t("fetch.error.unexpected", lang, account=name, detail=type(exc).__name__)
        return FileReport(name, "error", message, error_key="fetch.error.unexpected")
    opened = con() if callable(con) else nullcontext(con)
    with opened as workspace:
        return import_parsed(
            workspace,
            import_name(feed),
            content_hash(canonical_bytes(feed, today)),
            tables,
            campaign=campaign,
            lang=lang,
            answers=answers,
            kind="fetch",
        )


def import_name(feed: AccountFeed) -> str:
    """How the import is named in the history: « Bluesky ville.bsky.social »."""
    return f"{label(feed.platform)} {feed.account}"


def canonical_bytes(feed: AccountFeed, today: date) -> bytes:
    """What was read, serialised the same way every time: an identical re-fetch is "unchanged"."""
    content = {
        "platform": feed.platform,
        "account": feed.account,
        "day": today.isoformat(),
        "followers": feed.followers,
        "posts": sorted(
            [
                post.key,
                post.day.isoformat(),
                post.text,
                post.likes,
                post.reposts,
                post.replies,
                post.quotes,
                post.bookmarks,
            ]
            for post in feed.posts
        ),
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")


def parsed_tables(
    feed: AccountFeed,
    today: date,
    *,
    campaign: str | None = None,
    since: date | None = None,
    lang: str = "fr",
) -> list[ParsedTable]:
    """The posts (one row per post) and the follower point of `today`, as facts to store.

    The store keys them as it keys every import (`canalyse.store.keys`): a post by its network,
    account and address (`item_key`, the at:// URI or the status URL, as exporters' tables give
    them), so a post fetched here and the same post in an exporter's table are one figure; the
    follower point by its network, account and day.
    """
    platform, account = feed.platform, feed.account
    read_note = (
        "fetch.note.read_since" if since else "fetch.note.read",
        {
            "source": feed.source,
            "date": fmt_date(today, lang),
            "posts": len(feed.posts),
            "pages": feed.pages,
            "since": fmt_date(since, lang),
        },
    )
    tables = []
    if feed.posts:
        notes = [read_note, *feed.notes]
        if feed.reposts_skipped:
            notes.append(("import.note.fediverse.reposts_skipped", {"count": feed.reposts_skipped}))
        if feed.truncated_at is not None:
            notes.append(
                (
                    "fetch.note.truncated",
                    {"pages": feed.pages, "oldest": fmt_date(feed.truncated_at, lang)},
                )
            )
        notes.append(("layout.note", {"note": by_id(_EXPORTER_LAYOUT[platform]).note(lang)}))
        tables.append(
            ParsedTable(
                t("fetch.table.posts", lang, account=account),
                POSTS_LAYOUT[platform],
                "post",
                _post_facts(feed, campaign),
                notes,
            )
        )
    if feed.followers is not None:
        notes = [] if feed.posts else [read_note, *feed.notes]
        tables.append(
            ParsedTable(
                t("fetch.table.followers", lang, account=account),
                FOLLOWERS_LAYOUT[platform],
                "day",
                _follower_facts(feed, today, campaign),
                notes,
            )
        )
    if not tables:
        raise FetchFailed("fetch.error.nothing", account=account)
    return tables


def _empty_metrics(rows: int) -> dict[str, np.ndarray]:
    return {metric: np.full(rows, np.nan) for metric in METRIC_NAMES}


def _post_facts(feed: AccountFeed, campaign: str | None) -> pd.DataFrame:
    """One row per post: likes → reactions, replies → comments, reposts + quotes → shares,
    bookmarks → saves, engagements = likes + reposts + replies + quotes (a count the network did
    not give stays blank; a sum is blank only when all its parts are). No views: none published."""
    posts = feed.posts

    def counts(name: str) -> pd.Series:
        return pd.Series([getattr(p, name) for p in posts], dtype="float64")

    likes, reposts, replies, quotes = (counts(n) for n in ("likes", "reposts", "replies", "quotes"))
    facts = pd.DataFrame(
        {
            "platform": feed.platform,
            "account": feed.account,
            "grain": "post",
            "period_start": [p.day for p in posts],
            "period_end": [p.day for p in posts],
            "item_key": [p.key for p in posts],
            "title": [p.text for p in posts],
            "campaign": campaign or "",
            **_empty_metrics(len(posts)),
        }
    )
    facts["reactions"] = likes
    facts["comments"] = replies
    facts["shares"] = pd.concat([reposts, quotes], axis=1).sum(axis=1, min_count=1)
    facts["saves"] = counts("bookmarks")
    facts["engagements"] = pd.concat([likes, reposts, replies, quotes], axis=1).sum(
        axis=1, min_count=1
    )
    return facts


def _follower_facts(feed: AccountFeed, today: date, campaign: str | None) -> pd.DataFrame:
    """The follower count on the day of the fetch: one point of the account's day series."""
    facts = pd.DataFrame(
        {
            "platform": [feed.platform],
            "account": feed.account,
            "grain": "day",
            "period_start": [today],
            "period_end": [today],
            "item_key": [None],
            "title": [None],
            "campaign": campaign or "",
            **_empty_metrics(1),
        }
    )
    facts["followers_total"] = float(feed.followers)
    return facts
