"""Bluesky, Mastodon and Threads: per-post figures from API-based exporters.

None of the three offers an analytics export: communicators use tools that call the public API
and write one row per post. Bluesky and Mastodon publish no view count at all, so their
interactions are the measure and `views` stays empty; Threads does report views.

The three share one rule for the other figures, so that they line up with each other and with X:
shares = reposts (boosts) + quotes, engagements = likes + reposts + replies + quotes.
"""

from __future__ import annotations

import pandas as pd

from canalyse.errors import ImportRefused
from canalyse.importing import values
from canalyse.importing.exports import Draft, ExportLayout, text
from canalyse.importing.layout import describe_cells
from canalyse.platforms import fold

# Column spellings as the exporters write them: snake_case from Python tools, camelCase from the
# JSON of the Bluesky API (`app.bsky.feed.defs#postView`), dotted when a tool flattened nested JSON.
_BLUESKY_LIKES = ("like_count", "likeCount")
_BLUESKY_REPOSTS = ("repost_count", "repostCount")
_BLUESKY_REPLIES = ("reply_count", "replyCount")
_BLUESKY_QUOTES = ("quote_count", "quoteCount")
_MASTODON_QUOTES = ("quotes_count",)
_THREADS_QUOTES = ("quotes",)
_COUNT_NAMES = (
    *_BLUESKY_LIKES,
    *_BLUESKY_REPOSTS,
    *_BLUESKY_REPLIES,
    *_BLUESKY_QUOTES,
    "favourites_count",
    "reblogs_count",
    "replies_count",
    *_MASTODON_QUOTES,
    "likes",
    "reposts",
    "replies",
    *_THREADS_QUOTES,
)
# Error messages name a column as the file writes it; the draft only keeps folded headers.
_SPELLING = {fold(name): name for name in _COUNT_NAMES}

# Mastodon escapes these in `content`; `&amp;` goes last so `&amp;lt;` stays the text `&lt;`.
_HTML_ENTITIES = (
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", '"'),
    ("&#39;", "'"),
    ("&#039;", "'"),
    ("&#x27;", "'"),
    ("&apos;", "'"),
    ("&nbsp;", " "),
    ("&amp;", "&"),
)
_NOT_A_REBLOG = ["", "none", "null", "nan", "false"]
# Arrow strings run regexes in C (RE2) over a whole column; object strings call Python per cell.
# pandas hands a pattern back to Python's `re` when it holds `\s`, `\b` or other escapes, so the
# patterns below spell such classes out.
_FAST_TEXT = pd.StringDtype("pyarrow")
_BLANKS = "[ \t\r\n\f\v]"
_ISO_TIMESTAMP = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]"


def _position(draft: Draft, names: tuple[str, ...]) -> int | None:
    """Where the first of these columns stands in the table, if any."""
    for name in names:
        if fold(name) in draft.headers:
            return draft.headers.index(fold(name))
    return None


def _fast_text(series: pd.Series) -> pd.Series:
    """Cells as stripped Arrow strings, "" for blanks."""
    return text(series).astype(_FAST_TEXT)


def _skip_reposts(draft: Draft, is_repost: pd.Series) -> None:
    """Drop rows that republish someone else's post: they are not the account's publications."""
    if not is_repost.any():
        return
    draft.body = draft.body[~is_repost]
    if draft.dates is not None:
        draft.dates = draft.dates[~is_repost]
    draft.notes.append(("import.note.fediverse.reposts_skipped", {"count": int(is_repost.sum())}))


def _calendar_days(cells: pd.Series) -> pd.Series:
    """ISO timestamps cut to their day as written, other cells left for the engine to read.

    API timestamps are distinct to the second, so the engine would parse one per post; the days
    they fall on repeat, and the engine keeps the calendar date as written anyway.
    """
    stamps = _fast_text(cells)
    iso = stamps.str.match(_ISO_TIMESTAMP).fillna(False).astype(bool)
    return cells.astype(object).where(~iso, stamps.str.slice(0, 10).astype(object))


def _count_interactions(draft: Draft, quote_names: tuple[str, ...]) -> None:
    """Shares = reposts + quotes and engagements = likes + reposts + replies + quotes, per post.

    A blank count stays blank rather than zero; a sum is blank only when all its parts are.
    """
    positions = {
        role: draft.columns[role]
        for role in ("reactions", "shares", "comments")
        if role in draft.columns
    }
    quotes = _position(draft, quote_names)
    if quotes is not None:
        positions["quotes"] = quotes
    if not positions:
        return
    body = draft.body.copy()
    raw = {role: body[body.columns[pos]] for role, pos in positions.items()}
    decimal = values.detect_decimal(list(raw.values()))
    lines = body.index.to_numpy() + 1
    counts: dict[str, pd.Series] = {}
    bad_cells = []
    for role, cells in raw.items():
        counts[role], invalid = values.parse_numbers(cells, decimal)
        header = draft.headers[positions[role]]
        header = _SPELLING.get(header, header)
        bad_cells += [(lines[i], header, cells.iloc[i]) for i in invalid.to_numpy().nonzero()[0]]
    if bad_cells:
        bad_cells.sort(key=lambda cell: cell[0])
        raise ImportRefused(
            "import.error.not_a_number",
            file=draft.table_name,
            cells=describe_cells(bad_cells, draft.context.lang),
        )

    for role in ("reactions", "comments"):
        if role in counts:
            body[body.columns[positions[role]]] = counts[role]
    spread = [counts[role] for role in ("shares", "quotes") if role in counts]
    if spread:
        shares_at = positions.get("shares", positions.get("quotes"))
        body[body.columns[shares_at]] = pd.concat(spread, axis=1).sum(axis=1, min_count=1)
        draft.columns["shares"] = shares_at
    engagements = pd.concat(list(counts.values()), axis=1).sum(axis=1, min_count=1)
    if "date" in draft.columns:
        # The engine names a metric's column in its error messages by the header at its position,
        # so a computed metric cannot be appended as a new column. The dates move to
        # `draft.dates`, which the engine reads instead of the date column, and the computed
        # engagements take the date column's place (already numbers, they never need naming).
        date_at = draft.columns["date"]
        if draft.dates is None:
            draft.dates = _calendar_days(body[body.columns[date_at]])
        body[body.columns[date_at]] = engagements
        draft.columns["engagements"] = date_at
    draft.body = body


def _adjust_bluesky(draft: Draft) -> None:
    """Bluesky: shares and engagements computed from the four public counts."""
    _count_interactions(draft, _BLUESKY_QUOTES)


def _plain_text(html: pd.Series) -> pd.Series:
    """Mastodon's HTML `content` as plain text: tags and scripts removed, common entities decoded."""
    plain = (
        _fast_text(html)
        .str.replace(
            f"(?is)<(?:script|style)[ \t\r\n>/].*?</(?:script|style){_BLANKS}*>", " ", regex=True
        )
        .str.replace(f"(?i)<br{_BLANKS}*/?>|</p{_BLANKS}*>", " ", regex=True)
        .str.replace("<[^>]+>", "", regex=True)
    )
    for entity, character in _HTML_ENTITIES:
        plain = plain.str.replace(entity, character, regex=False)
    return plain.str.replace(f"{_BLANKS}+", " ", regex=True).str.strip()


def _adjust_mastodon(draft: Draft) -> None:
    """Mastodon: boosts of other posts dropped, HTML titles made plain, account read from the URL."""
    reblog = _position(draft, ("reblog", "reblog.id", "reblog_id"))
    if reblog is not None:
        cells = text(draft.body[draft.body.columns[reblog]]).str.lower()
        _skip_reposts(draft, ~cells.isin(_NOT_A_REBLOG))
    body = draft.body.copy()
    if "title" in draft.columns:
        title = body.columns[draft.columns["title"]]
        body[title] = _plain_text(body[title])
    # The status URL `https://mastodon.social/@rennes/1139…` (or its ActivityPub uri
    # `…/users/rennes/statuses/1139…`) gives the full handle `@rennes@mastodon.social`, where
    # `account.acct` lacks the server for local accounts: one account, one spelling.
    handle = pd.Series("", index=body.index, dtype=_FAST_TEXT)
    for name, pattern in (
        ("url", "^https?://([^/]+)/@([^/@?#]+)"),
        ("uri", "^https?://([^/]+)/users/([^/]+)/statuses/"),
    ):
        position = _position(draft, (name,))
        if position is not None:
            cells = _fast_text(body[body.columns[position]])
            found = cells.str.replace(pattern + ".*$", r"@\2@\1", regex=True)
            matched = cells.str.match(pattern).fillna(False).astype(bool)
            handle = handle.where((handle != "") | ~matched, found)
    if "account" in draft.columns:
        handle = handle.where(handle != "", text(body[body.columns[draft.columns["account"]]]))
    body["_account"] = handle
    draft.columns["account"] = body.columns.get_loc("_account")
    draft.body = body
    _count_interactions(draft, _MASTODON_QUOTES)


def _adjust_threads(draft: Draft) -> None:
    """Threads: reposts of other accounts' posts dropped, shares and engagements computed."""
    media_type = _position(draft, ("media_type",))
    if media_type is not None:
        cells = text(draft.body[draft.body.columns[media_type]]).str.upper()
        _skip_reposts(draft, cells.eq("REPOST_FACADE"))
    _count_interactions(draft, _THREADS_QUOTES)


LAYOUTS = [
    ExportLayout(
        id="bluesky_posts",
        platform="bluesky",
        grain="post",
        signature=("uri", "cid"),
        date=("created_at", "createdAt", "record.createdAt", "indexed_at", "indexedAt"),
        key=("uri",),
        title=("text", "record.text"),
        account=("author_handle", "author.handle", "handle"),
        metrics={
            "reactions": _BLUESKY_LIKES,
            "shares": _BLUESKY_REPOSTS,
            "comments": _BLUESKY_REPLIES,
            "saves": ("bookmark_count", "bookmarkCount"),
        },
        note_key="layout_note.bluesky",
        adjust=_adjust_bluesky,
    ),
    ExportLayout(
        id="mastodon_statuses",
        platform="mastodon",
        grain="post",
        signature=("reblogs_count", "replies_count"),
        date=("created_at",),
        key=("url", "uri", "id"),
        title=("content",),
        account=("account.acct", "account_acct", "acct", "account.username", "username"),
        metrics={
            "reactions": ("favourites_count",),
            "shares": ("reblogs_count",),
            "comments": ("replies_count",),
        },
        note_key="layout_note.mastodon",
        adjust=_adjust_mastodon,
    ),
    ExportLayout(
        id="threads_posts",
        platform="threads",
        grain="post",
        signature=("permalink", "views", "quotes"),
        date=("timestamp",),
        key=("permalink", "id"),
        title=("text",),
        account=("username",),
        metrics={
            "views": ("views",),
            "reactions": ("likes",),
            "comments": ("replies",),
            "shares": ("reposts",),
        },
        note_key="layout_note.threads",
        adjust=_adjust_threads,
    ),
]
