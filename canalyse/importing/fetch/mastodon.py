"""Mastodon: an account's follower count and own posts from its server's public API, without an account.

Two documented REST methods, nothing else: `GET /api/v1/accounts/lookup?acct=` once, then
`GET /api/v1/accounts/:id/statuses` page by page (newest first, `limit` at most 40, boosts and
replies to others excluded), following the `Link: <…>; rel="next"` header.
"""

from __future__ import annotations

import re
import urllib.parse
from datetime import date
from html.parser import HTMLParser

from canalyse.importing.fetch.feed import (
    AccountFeed,
    FetchSettings,
    OnProgress,
    Progress,
    PublicPost,
    calendar_day,
    count,
)
from canalyse.importing.fetch.http import (
    AccountNotFound,
    AccountNotPublic,
    AccountSuspended,
    Answer,
    BadHandle,
    Malformed,
    PoliteClient,
    Refused,
    server_of,
    with_query,
)

PAGE_SIZE = 40  # the documented maximum of /api/v1/accounts/:id/statuses
_USER = re.compile(r"^[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*$")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")
_PROFILE_PATH = re.compile(r"^/(?:@|users/)([^/]+)")


def parse_handle(text: str) -> tuple[str, str]:
    """`@ville@mastodon.social`, `ville@Mastodon.Social` or `https://mastodon.social/@ville`
    → ("ville", "mastodon.social")."""
    value = text.strip()
    if value.lower().startswith(("https://", "http://")):
        parts = urllib.parse.urlsplit(value)
        found = _PROFILE_PATH.match(parts.path)
        user, domain = (found.group(1), parts.hostname or "") if found else ("", "")
    else:
        user, _, domain = value.removeprefix("@").partition("@")
    domain = domain.strip().lower()
    if not _USER.match(user) or not _DOMAIN.match(domain):
        raise BadHandle("mastodon", value)
    return user, domain


def read(
    client: PoliteClient,
    handle: str,
    settings: FetchSettings,
    *,
    since: date | None = None,
    on_progress: OnProgress | None = None,
) -> AccountFeed:
    """The account's own posts from `since` on (all when None), newest first, and its followers."""
    user, domain = parse_handle(handle)
    base = settings.mastodon_base or f"https://{domain}"
    server = server_of(base)
    shown = f"@{user}@{domain}"
    lookup = client.get(with_query(f"{base}/api/v1/accounts/lookup", {"acct": user}))
    profile = _json(lookup, shown)
    if not isinstance(profile, dict) or not isinstance(profile.get("id"), str):
        raise Malformed(server, "accounts/lookup: id")
    if profile.get("suspended") is True:
        raise AccountSuspended(shown, server)
    # The status URLs spell the account `@user@server` too: one account, one spelling, whether
    # its posts come from here or from an exporter's table.
    username = profile.get("username") if isinstance(profile.get("username"), str) else user
    account = f"@{username}@{domain}"
    notes = [("fetch.note.locked", {"account": account})] if profile.get("locked") is True else []

    account_id = urllib.parse.quote(profile["id"], safe="")
    url = with_query(
        f"{base}/api/v1/accounts/{account_id}/statuses",
        {"limit": PAGE_SIZE, "exclude_reblogs": True, "exclude_replies": True},
    )
    posts: dict[str, PublicPost] = {}
    boosts = pages = 0
    oldest: date | None = None
    truncated_at = None
    while True:
        answer = client.get(url)
        statuses = _json(answer, account)
        if not isinstance(statuses, list):
            raise Malformed(server, "accounts/:id/statuses: []")
        pages += 1
        reached_since = False
        for status in statuses:
            if not isinstance(status, dict):
                raise Malformed(server, "accounts/:id/statuses: status")
            if status.get("reblog"):
                boosts += 1  # a server older than 2.7 ignores exclude_reblogs
                continue
            day = calendar_day(status.get("created_at"), server)
            # Pinned statuses are not listed first by this method; if a server did, they would
            # say nothing about how far back the reading has gone.
            pinned = status.get("pinned") is True
            if not pinned:
                oldest = day if oldest is None else min(oldest, day)
            if since is not None and day < since:
                reached_since = reached_since or not pinned
                continue
            key = _post_key(status)
            if key is None:
                raise Malformed(server, "status: url, uri")
            posts[key] = PublicPost(
                key=key,
                day=day,
                text=plain_text(status.get("content") or "")[:500],
                likes=count(status.get("favourites_count")),
                reposts=count(status.get("reblogs_count")),
                replies=count(status.get("replies_count")),
                quotes=count(status.get("quotes_count")),
            )
        if on_progress is not None:
            on_progress(Progress(account, pages, len(posts), oldest))
        next_url = answer.next_link()
        if reached_since or not statuses or next_url is None:
            break
        if pages >= settings.max_pages:
            truncated_at = oldest
            break
        url = next_url
    return AccountFeed(
        platform="mastodon",
        account=account,
        source=server,
        followers=count(profile.get("followers_count")),
        posts=list(posts.values()),
        pages=pages,
        reposts_skipped=boosts,
        truncated_at=truncated_at,
        notes=notes,
    )


def _post_key(status: dict) -> str | None:
    """The status's web address (its `uri` when it has none), as exporters' tables key it."""
    for name in ("url", "uri"):
        value = status.get(name)
        if isinstance(value, str) and value.strip():
            return re.sub(r"[?#].*$", "", value.strip()).rstrip("/")
    return None


def _json(answer: Answer, handle: str) -> object:
    """The JSON of an answer; a Mastodon error (`{"error": …}`) in plain words."""
    data = answer.json()
    if answer.status == 404:
        raise AccountNotFound(handle, answer.server)
    if answer.status in (401, 403):
        raise AccountNotPublic(handle, answer.server)
    if answer.status == 410:
        raise AccountSuspended(handle, answer.server)
    if answer.status >= 400:
        raise Refused(answer.server, answer.status, answer.error_text() or "—")
    return data


class _PlainText(HTMLParser):
    """Collects the text of Mastodon's HTML `content`; a paragraph or line break becomes a space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag == "p":
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """Mastodon's HTML `content` as one line of plain text, entities decoded."""
    parser = _PlainText()
    parser.feed(str(html))
    parser.close()
    return " ".join("".join(parser.parts).split())
