"""Meta exports: Business Suite post exports (Facebook, Instagram; English and French UI), page-level
daily metric files, and the old Facebook Insights post workbooks (before 2020)."""

from __future__ import annotations

import re

import pandas as pd

from canalyse.errors import ImportRefused, PlatformQuestion
from canalyse.importing.exports import Draft, ExportLayout, sum_into, text
from canalyse.importing.files import NAME_JOINER
from canalyse.platforms import fold, label

# Views, then Impressions: exports made before the 2024–25 switch only have the latter.
_FACEBOOK_POST_METRICS = {
    "views": ("Views", "Vues", "Impressions"),
    "reach": ("Reach", "Couverture"),
    "engagements": ("Reactions, Comments and Shares", "Réactions, commentaires et partages"),
    "reactions": ("Reactions", "Réactions"),
    "comments": ("Comments", "Commentaires"),
    "shares": ("Shares", "Partages"),
    "clicks": ("Total clicks", "Total des clics"),
    "link_clicks": ("Link Clicks", "Clics sur un lien"),
    "video_views": ("3-second video views",),
}
# Per-video exports (Business Suite › Content › Videos) have no Views column: reach and the
# 3-second video views are their audience figures.
_FACEBOOK_VIDEO_METRICS = {
    "reach": ("Reach", "Couverture"),
    "video_views": ("3-second video views",),
    "engagements": ("Reactions, comments and shares", "Réactions, commentaires et partages"),
    "reactions": ("Reactions", "Réactions"),
    "comments": ("Comments", "Commentaires"),
    "shares": ("Shares", "Partages"),
}
_INSTAGRAM_POST_METRICS = {
    "views": ("Views", "Vues", "Impressions"),
    "reach": ("Reach", "Couverture"),
    "reactions": ("Likes", "Mentions J’aime"),
    "comments": ("Comments", "Commentaires"),
    "shares": ("Shares", "Partages"),
    "saves": ("Saves", "Enregistrements"),
    "followers_gained": ("Follows", "Followers en plus"),
    "profile_visits": ("Profile visits", "Visites du profil"),
}
_POST_KEY = ("Permalink", "Permalien", "Post ID", "Identifiant de la publication")
_PUBLISH_TIME = ("Publish time", "Heure de publication")
_FACEBOOK_ACCOUNT = ("Page name", "Nom de la page")
_INSTAGRAM_ACCOUNT = (
    "Account username",
    "Nom d’utilisateur du compte",
    "Nom de profil du compte",
    "Account name",
    "Nom du compte",
)

# Page-level daily files hold one metric, named on their title line ("Instagram follows").
# Checked in order: "unfollows" before "follows", "profile visits" before "views".
_PAGE_METRIC_WORDS = (
    ("followers_lost", r"\b(?:unfollows?|desabonnements?)\b"),
    ("profile_visits", r"\b(?:visits?|visites?)\b"),
    ("link_clicks", r"\b(?:link clicks?|clics? sur (?:un|les) liens?)\b"),
    ("reach", r"\b(?:reach|couverture)\b"),
    ("views", r"\b(?:views?|vues?|impressions?)\b"),
    ("followers_gained", r"\b(?:follows?|followers?|abonnements?|abonnes?)\b"),
    ("engagements", r"\b(?:interactions?|engagements?)\b"),
)
_PAGE_METRICS = tuple(metric for metric, _ in _PAGE_METRIC_WORDS)
# Words naming a network in a title line or a file name, folded ("IG_REACH" → "ig reach").
_NETWORK_WORDS = {
    "facebook": frozenset({"facebook", "fb"}),
    "instagram": frozenset({"instagram", "insta", "ig"}),
}

# Old Insights workbooks spread breakdowns over sheets named after them (cut to 31 characters).
# Only these two count actions; "Talking About This" and "Consumers" sheets count people.
_LEGACY_VIDEO_VIEW_PARTS = frozenset({"lifetime organic video views", "lifetime paid video views"})
_LEGACY_BREAKDOWN_SHEETS = {
    "lifetime post stories": ("reactions", "comments", "shares"),
    "lifetime post consumptions": ("link_clicks",),
}


def _note_impressions_read_as_views(draft: Draft) -> None:
    """Exports from before the switch to Views give Impressions: read as views, but say so."""
    position = draft.columns.get("views")
    if position is not None and draft.headers[position] == "impressions":
        draft.notes.append(("import.note.meta.impressions_as_views", {}))


def _title_from_description(draft: Draft) -> None:
    """The post text (Description) is the title; Title (videos, links) fills in where it is blank."""
    description = next((i for i, h in enumerate(draft.headers) if h == "description"), None)
    if description is None:
        return
    titled = [draft.columns["title"]] if "title" in draft.columns else []
    draft.first_filled("title", [description, *titled])


def _one_account(draft: Draft) -> None:
    """A Business Suite export is one account's: a post naming another account is a collaboration
    shown on this one, and a row naming none (Meta's « error computing metadata » rows) is this
    account's too. Every row gets the account most rows name, and the report says so."""
    position = draft.columns.get("account")
    if position is None:
        return
    found = draft.most_common(position)
    if found is None:
        return
    main, others = found
    if others:
        draft.set_constant("account", main)
        draft.notes.append(("import.note.meta.one_account", {"count": others, "account": main}))


def _adjust_post_export(draft: Draft) -> None:
    """Business Suite post exports: one account, title from the post text, the Impressions caveat."""
    _one_account(draft)
    _title_from_description(draft)
    _note_impressions_read_as_views(draft)


def _file_name(draft: Draft) -> str:
    """The name of the file itself, without archive or folder ("x.zip › a/Views.csv" → "Views")."""
    name = draft.table_name.split(NAME_JOINER)[-1].rsplit("/", 1)[-1]
    return re.sub(r"\.[A-Za-z0-9]+$", "", name)


def _adjust_page_daily(draft: Draft) -> None:
    """Pick the one metric the file holds and its platform, from its title line or file name."""
    cells = draft.preamble.to_numpy().ravel()
    written = " ".join(" ".join(v for v in cells if isinstance(v, str)).split())
    title = fold(written)
    file_name = fold(_file_name(draft))
    metric = next(
        (
            m
            for source in (title, file_name)
            for m, words in _PAGE_METRIC_WORDS
            if re.search(words, source)
        ),
        None,
    )
    if metric is None:
        raise ImportRefused(
            "import.error.meta.unknown_daily_metric",
            file=draft.table_name,
            title=written or "—",
            metrics="Views, Reach, Follows, Unfollows, Visits, Interactions, Link clicks",
        )
    primary = draft.columns[metric]
    for name in _PAGE_METRICS:
        draft.columns.pop(name, None)
    draft.columns[metric] = primary
    if re.search(r"\bimpressions?\b", title or file_name):
        draft.notes.append(("import.note.meta.impressions_as_views", {}))
    draft.platform = _daily_file_platform(draft, written)


def network_named(text: str) -> str | None:
    """The one Meta network a text names ("IG_REACH", "Instagram follows", "Page FB"), else None."""
    words = set(fold(text).split())
    named = {network for network, names in _NETWORK_WORDS.items() if words & names}
    return named.pop() if len(named) == 1 else None


def _daily_file_platform(draft: Draft, title: str) -> str:
    """The network of a daily file: its title line, else the user's answer, else ask.

    Facebook and Instagram write the same file ("Views", "Reach"): unless the title names the
    network ("Instagram follows"), only the user knows. The file's name (or its zip's) is a hint
    for the question, never the answer: files are renamed, and "Views.csv" names nothing.
    """
    named = network_named(title)
    if named is not None:
        return named
    if draft.context.platform in _NETWORK_WORDS:
        draft.notes.append(
            ("import.note.meta.platform_answered", {"platform": label(draft.context.platform)})
        )
        return draft.context.platform
    raise PlatformQuestion(draft.table_name, tuple(_NETWORK_WORDS), network_named(draft.table_name))


def _drop_description_row(draft: Draft) -> None:
    """Old Insights files have a second header row of metric descriptions, with no post date."""
    date = draft.columns.get("date")
    if (
        date is not None
        and len(draft.body)
        and text(draft.body[draft.body.columns[date]].iloc[:1]).eq("").all()
    ):
        draft.body = draft.body.iloc[1:]


def _page_from_file_name(draft: Draft) -> None:
    """Old workbooks are named `Facebook Insights Data Export (Post Level) - <Page> - <date>`."""
    found = re.search(r"\(Post Level\) - (.+?) - \d{4}-\d{2}-\d{2}", draft.table_name)
    if found and "account" not in draft.columns:
        draft.body = draft.body.assign(_account=found.group(1).strip())
        draft.columns["account"] = draft.body.columns.get_loc("_account")


def _adjust_legacy_key_metrics(draft: Draft) -> None:
    """Key Metrics sheet (or its one-file CSV twin): drop the descriptions row, name the Page."""
    descriptions = draft.body.iloc[0] if len(draft.body) else None
    _drop_description_row(draft)
    _page_from_file_name(draft)
    if "video_views" not in draft.columns and descriptions is not None:
        _video_views_from_parts(draft, descriptions)


def _video_views_from_parts(draft: Draft, descriptions: pd.Series) -> None:
    """Later Insights files split video views into organic and paid, each twice over: people
    ("(Unique Users)" in the descriptions row) and views ("(Total Count)"). Views are their sum."""
    described = [text(descriptions.iloc[[i]]).iloc[0] for i in range(len(draft.headers))]
    parts = [
        position
        for position, header in enumerate(draft.headers)
        if header in _LEGACY_VIDEO_VIEW_PARTS and described[position].endswith("(Total Count)")
    ]
    if parts:
        draft.columns["video_views"] = sum_into(draft, parts) if len(parts) > 1 else parts[0]


def _adjust_legacy_breakdown(draft: Draft) -> None:
    """Breakdown sheets: keep the figures of the sheets that count actions, drop the rest."""
    _drop_description_row(draft)
    _page_from_file_name(draft)
    sheet = fold(draft.table_name.split(NAME_JOINER)[-1])
    kept = next(
        (m for prefix, m in _LEGACY_BREAKDOWN_SHEETS.items() if sheet.startswith(prefix)), ()
    )
    for metric in ("reactions", "comments", "shares", "link_clicks"):
        if metric not in kept:
            draft.columns.pop(metric, None)
    if not kept:
        draft.notes.append(("import.note.meta.legacy_sheet_without_figures", {}))


LAYOUTS = [
    ExportLayout(
        id="meta_facebook_posts",
        platform="facebook",
        grain="post",
        signature=("Post ID", "Page ID", "Permalink", "Publish time"),
        excludes=("Account ID",),
        date=_PUBLISH_TIME,
        dayfirst=False,
        key=_POST_KEY,
        title=("Title", "Titre"),
        account=_FACEBOOK_ACCOUNT,
        metrics=_FACEBOOK_POST_METRICS,
        note_key="layout_note.meta_views",
        adjust=_adjust_post_export,
        undated_rows=True,
        streamable=True,
    ),
    ExportLayout(
        id="meta_facebook_posts_fr",
        platform="facebook",
        grain="post",
        signature=(
            "Identifiant de la publication",
            "ID de la Page",
            "Permalien",
            "Heure de publication",
        ),
        excludes=("ID du compte",),
        date=_PUBLISH_TIME,
        dayfirst=False,
        key=_POST_KEY,
        title=("Titre", "Title"),
        account=_FACEBOOK_ACCOUNT,
        metrics=_FACEBOOK_POST_METRICS,
        note_key="layout_note.meta_views",
        adjust=_adjust_post_export,
        undated_rows=True,
        streamable=True,
    ),
    ExportLayout(
        id="meta_instagram_posts",
        platform="instagram",
        grain="post",
        signature=("Post ID", "Account ID", "Permalink", "Publish time"),
        excludes=("Page ID",),
        date=_PUBLISH_TIME,
        dayfirst=False,
        key=_POST_KEY,
        account=_INSTAGRAM_ACCOUNT,
        metrics=_INSTAGRAM_POST_METRICS,
        note_key="layout_note.meta_views",
        adjust=_adjust_post_export,
        undated_rows=True,
        streamable=True,
    ),
    ExportLayout(
        id="meta_instagram_posts_fr",
        platform="instagram",
        grain="post",
        signature=(
            "Identifiant de la publication",
            "ID du compte",
            "Permalien",
            "Heure de publication",
        ),
        excludes=("ID de la Page",),
        date=_PUBLISH_TIME,
        dayfirst=False,
        key=_POST_KEY,
        account=_INSTAGRAM_ACCOUNT,
        metrics=_INSTAGRAM_POST_METRICS,
        note_key="layout_note.meta_views",
        adjust=_adjust_post_export,
        undated_rows=True,
        streamable=True,
    ),
    ExportLayout(
        id="meta_facebook_videos",
        platform="facebook",
        grain="post",
        signature=("Video asset ID", "Page ID", "Publish time"),
        date=_PUBLISH_TIME,
        dayfirst=False,
        key=("Video asset ID",),
        title=("Title", "Titre"),
        account=_FACEBOOK_ACCOUNT,
        metrics=_FACEBOOK_VIDEO_METRICS,
        note_key="layout_note.meta_videos",
        undated_rows=True,
    ),
    ExportLayout(
        id="meta_page_daily",
        platform=None,
        grain="day",
        signature=("Date", "Primary"),
        date=("Date",),
        # The file holds one of these: its title line ("Views", "Instagram follows") says which.
        metrics={metric: ("Primary",) for metric in _PAGE_METRICS},
        note_key="layout_note.meta_daily",
        adjust=_adjust_page_daily,
    ),
    ExportLayout(
        id="meta_facebook_insights_legacy",
        platform="facebook",
        grain="post",
        signature=("Post ID", "Permalink", "Posted", "Lifetime Post Total Impressions"),
        date=("Posted",),
        dayfirst=False,
        key=("Permalink", "Post ID"),
        title=("Post Message",),
        metrics={
            "views": ("Lifetime Post Total Impressions",),
            "reach": ("Lifetime Post Total Reach",),
            "engagements": ("Lifetime Engaged Users",),
            "clicks": (
                "Lifetime Post Consumptions",
                "Lifetime Matched Audience Targeting Consumptions on Post",
            ),
            "link_clicks": ("Lifetime Post Consumptions by type - link clicks",),
            "reactions": ("Lifetime Post Stories by action type - like",),
            "comments": ("Lifetime Post Stories by action type - comment",),
            "shares": ("Lifetime Post Stories by action type - share",),
            "video_views": ("Lifetime Total Video Views",),
        },
        note_key="layout_note.meta_legacy",
        adjust=_adjust_legacy_key_metrics,
    ),
    ExportLayout(
        id="meta_facebook_insights_legacy_breakdown",
        platform="facebook",
        grain="post",
        signature=("Post ID", "Permalink", "Posted"),
        excludes=("Lifetime Post Total Impressions", "Page ID", "Account ID"),
        date=("Posted",),
        dayfirst=False,
        key=("Permalink", "Post ID"),
        title=("Post Message",),
        # Only the sheets named in _LEGACY_BREAKDOWN_SHEETS keep these (see the adjust hook).
        metrics={
            "reactions": ("like",),
            "comments": ("comment",),
            "shares": ("share",),
            "link_clicks": ("link clicks",),
        },
        adjust=_adjust_legacy_breakdown,
    ),
]
