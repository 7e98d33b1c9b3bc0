"""What reading an account gives, whatever the network: its posts, its followers, how it went."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from canalyse.formatting import fmt_date
from canalyse.i18n import t
from canalyse.importing.fetch.http import FetchFailed, Malformed

DEFAULT_BLUESKY_API = "https://public.api.bsky.app"
DEFAULT_PAUSE = 1.0
DEFAULT_MAX_PAGES = 50
DEFAULT_TIMEOUT = 20.0


@dataclass(frozen=True)
class FetchSettings:
    """Where the public APIs are and how politely to read them.

    `mastodon_base` None means the server named in the handle (`@user@server` → https://server).
    """

    bluesky_api: str = DEFAULT_BLUESKY_API
    mastodon_base: str | None = None
    pause: float = DEFAULT_PAUSE
    max_pages: int = DEFAULT_MAX_PAGES
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> FetchSettings:
        """Defaults, overridden by CANALYSE_BLUESKY_API, CANALYSE_MASTODON_BASE, CANALYSE_FETCH_PAUSE
        (seconds between requests), CANALYSE_FETCH_MAX_PAGES and CANALYSE_FETCH_TIMEOUT (seconds)."""
        return cls(
            bluesky_api=_base_url(environ, "CANALYSE_BLUESKY_API") or DEFAULT_BLUESKY_API,
            mastodon_base=_base_url(environ, "CANALYSE_MASTODON_BASE"),
            pause=_number(environ, "CANALYSE_FETCH_PAUSE", DEFAULT_PAUSE, float),
            max_pages=_number(environ, "CANALYSE_FETCH_MAX_PAGES", DEFAULT_MAX_PAGES, int),
            timeout=_number(environ, "CANALYSE_FETCH_TIMEOUT", DEFAULT_TIMEOUT, float),
        )


def _base_url(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    if not value:
        return None
    if not value.startswith(("http://", "https://")):
        raise FetchFailed("fetch.error.setting", name=name, value=value)
    return value.rstrip("/")


def _number(environ: Mapping[str, str], name: str, default, kind):
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        number = -1
    if number < 0 or (kind is int and number == 0):
        raise FetchFailed("fetch.error.setting", name=name, value=value)
    return number


@dataclass(frozen=True)
class PublicPost:
    """One of the account's own posts with its public counts (None: the network did not say)."""

    key: str
    day: date
    text: str
    likes: int | None
    reposts: int | None
    replies: int | None
    quotes: int | None
    bookmarks: int | None = None


@dataclass
class AccountFeed:
    """An account read from a public API: who, its follower count today, its posts since a date."""

    platform: str
    account: str
    source: str
    followers: int | None
    posts: list[PublicPost]
    pages: int
    reposts_skipped: int = 0
    # The oldest day read when the page limit stopped the reading before the date asked for.
    truncated_at: date | None = None
    notes: list[tuple[str, dict]] = field(default_factory=list)


@dataclass(frozen=True)
class Progress:
    """Where a reading stands after one more page, for a progress line."""

    account: str
    page: int
    posts: int
    oldest: date | None

    def message(self, lang: str) -> str:
        """« Page 2 : 140 publications lues (jusqu'au 03/05/2025) »."""
        if self.oldest is None:
            return t(
                "fetch.progress.none", lang, page=self.page, count=self.posts, account=self.account
            )
        return t(
            "fetch.progress",
            lang,
            page=self.page,
            count=self.posts,
            account=self.account,
            oldest=fmt_date(self.oldest, lang),
        )


OnProgress = Callable[[Progress], None]


def calendar_day(stamp: object, server: str) -> date:
    """The calendar day of an API timestamp as written (`2025-06-03T16:45:12.345Z` → 2025-06-03),
    as the exporters' tables are read, so that a post falls on the same day either way."""
    try:
        return date.fromisoformat(str(stamp)[:10])
    except ValueError as exc:
        raise Malformed(server, f"date {str(stamp)[:40]!r}") from exc


def count(value: object) -> int | None:
    """A public count; anything but a non-negative whole number is "not said"."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value
