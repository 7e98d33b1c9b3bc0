"""Bluesky: an account's follower count and own posts from the public AppView, without an account.

Two documented XRPC queries, nothing else: `app.bsky.actor.getProfile` once, then
`app.bsky.feed.getAuthorFeed` page by page (newest first, `limit` at most 100, `cursor`).
"""

from __future__ import annotations

import re
from datetime import date

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

PAGE_SIZE = 100  # getAuthorFeed's documented maximum
# The account's posts and its own threads (self-replies), not its replies to others. Reposts
# still come (a `reasonRepost`): they are someone else's posts and are left out here.
FEED_FILTER = "posts_and_author_threads"
# A self-label by which an account asks not to be shown to people who are not logged in.
NOT_FOR_LOGGED_OUT = "!no-unauthenticated"
_PROFILE_URL = re.compile(r"^https?://(?:www\.)?bsky\.app/profile/([^/?#]+)", re.IGNORECASE)
_HANDLE = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)
_DID = re.compile(r"^did:(?:plc|web):[a-z0-9._:%-]+$")


def normalise_handle(text: str) -> str:
    """`@Ville.bsky.social`, `https://bsky.app/profile/ville.bsky.social` → `ville.bsky.social`;
    a bare name gets `.bsky.social`; a DID stays a DID."""
    value = text.strip()
    found = _PROFILE_URL.match(value)
    if found:
        value = found.group(1)
    value = value.removeprefix("@").strip().lower()
    if _DID.match(value):
        return value
    if value and "." not in value:
        value += ".bsky.social"
    if not _HANDLE.match(value):
        raise BadHandle("bluesky", text.strip())
    return value


def read(
    client: PoliteClient,
    handle: str,
    settings: FetchSettings,
    *,
    since: date | None = None,
    on_progress: OnProgress | None = None,
) -> AccountFeed:
    """The account's own posts from `since` on (all when None), newest first, and its followers."""
    actor = normalise_handle(handle)
    api = settings.bluesky_api
    server = server_of(api)
    profile = _object(
        client.get(with_query(f"{api}/xrpc/app.bsky.actor.getProfile", {"actor": actor})), actor
    )
    did, account = profile.get("did"), profile.get("handle")
    if not isinstance(did, str) or not isinstance(account, str):
        raise Malformed(server, "getProfile: did, handle")
    account = account.lower()
    labels = profile.get("labels") if isinstance(profile.get("labels"), list) else []
    if any(isinstance(x, dict) and x.get("val") == NOT_FOR_LOGGED_OUT for x in labels):
        raise AccountNotPublic(account, server)

    posts: dict[str, PublicPost] = {}
    reposts = pages = 0
    oldest: date | None = None
    truncated_at = None
    cursor = None
    while True:
        params = {"actor": did, "filter": FEED_FILTER, "limit": PAGE_SIZE, "cursor": cursor}
        page = _object(
            client.get(with_query(f"{api}/xrpc/app.bsky.feed.getAuthorFeed", params)), account
        )
        feed = page.get("feed")
        if not isinstance(feed, list):
            raise Malformed(server, "getAuthorFeed: feed")
        pages += 1
        reached_since = False
        for item in feed:
            post = item.get("post") if isinstance(item, dict) else None
            if not isinstance(post, dict) or not isinstance(post.get("uri"), str):
                raise Malformed(server, "getAuthorFeed: post")
            reason = item.get("reason") if isinstance(item.get("reason"), dict) else {}
            kind = str(reason.get("$type", ""))
            if kind.endswith("#reasonRepost") or _did_of(post.get("author")) != did:
                reposts += 1
                continue
            parent = (
                (item.get("reply") or {}).get("parent")
                if isinstance(item.get("reply"), dict)
                else None
            )
            if _did_of(parent) not in (None, did):
                continue  # a reply to someone else: a conversation, not a publication
            record = post.get("record") if isinstance(post.get("record"), dict) else {}
            day = calendar_day(record.get("createdAt") or post.get("indexedAt"), server)
            # A pinned post is listed first however old it is: it says nothing about where the
            # feed has got to.
            pinned = kind.endswith("#reasonPin")
            if not pinned:
                oldest = day if oldest is None else min(oldest, day)
            if since is not None and day < since:
                reached_since = reached_since or not pinned
                continue
            text = record.get("text") if isinstance(record.get("text"), str) else ""
            posts[post["uri"]] = PublicPost(
                key=post["uri"],
                day=day,
                text=" ".join(text.split())[:500],
                likes=count(post.get("likeCount")),
                reposts=count(post.get("repostCount")),
                replies=count(post.get("replyCount")),
                quotes=count(post.get("quoteCount")),
                bookmarks=count(post.get("bookmarkCount")),
            )
        if on_progress is not None:
            on_progress(Progress(account, pages, len(posts), oldest))
        cursor = page.get("cursor")
        if reached_since or not feed or not isinstance(cursor, str) or not cursor:
            break
        if pages >= settings.max_pages:
            truncated_at = oldest
            break
    return AccountFeed(
        platform="bluesky",
        account=account,
        source=server,
        followers=count(profile.get("followersCount")),
        posts=list(posts.values()),
        pages=pages,
        reposts_skipped=reposts,
        truncated_at=truncated_at,
    )


def _did_of(view: object) -> str | None:
    """The DID of a post's author (`author.did`), of a profile view (`did`), or None."""
    if not isinstance(view, dict):
        return None
    author = view.get("author")
    if isinstance(author, dict) and isinstance(author.get("did"), str):
        return author["did"]
    return view["did"] if isinstance(view.get("did"), str) else None


def _object(answer: Answer, handle: str) -> dict:
    """The JSON object of an answer; an XRPC error (`{"error", "message"}`) in plain words."""
    data = answer.json()
    if answer.status >= 400:
        error = data.get("error", "") if isinstance(data, dict) else ""
        message = str(data.get("message", "")) if isinstance(data, dict) else ""
        if error in ("AccountTakedown", "AccountDeactivated"):
            raise AccountSuspended(handle, answer.server)
        if answer.status in (400, 404) and "not found" in message.lower():
            raise AccountNotFound(handle, answer.server)
        if answer.status in (401, 403):
            raise AccountNotPublic(handle, answer.server)
        raise Refused(answer.server, answer.status, answer.error_text() or "—")
    if not isinstance(data, dict):
        raise Malformed(answer.server, f"JSON {type(data).__name__}")
    return data
