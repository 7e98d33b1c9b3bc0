"""LinkedIn Page analytics exports: content (daily metrics and posts), followers and visitors.

LinkedIn gives three workbooks (`.xls`, sometimes `.xlsx`), named `<vanity>_content_<epoch-ms>`,
`<vanity>_followers_<epoch-ms>` and `<vanity>_visitors_<epoch-ms>`. Row 1 of a sheet may be a
one-line description with the header on row 2; dates are text written `MM/DD/YYYY`.
Only the daily sheets and the per-post sheet are time series: the follower breakdowns (Location,
Job function, Seniority, Industry, Company size) are deliberately recognised by no layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from canalyse.importing.exports import Draft, ExportLayout, sum_into
from canalyse.metrics import METRICS
from canalyse.platforms import fold

_VIEWS_NOTE_FR = "Sur LinkedIn, les vues sont les impressions (affichages du contenu)."
_VIEWS_NOTE_EN = "On LinkedIn, views are impressions (times the content was displayed)."

# Daily `Metrics` sheet: per metric, the (total, organic, sponsored) spellings. Older exports say
# "Shares" where newer ones say "Reposts".
_DAILY_PARTS_EN: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "views": (("Impressions (total)",), ("Impressions (organic)",), ("Impressions (sponsored)",)),
    "clicks": (("Clicks (total)",), ("Clicks (organic)",), ("Clicks (sponsored)",)),
    "reactions": (("Reactions (total)",), ("Reactions (organic)",), ("Reactions (sponsored)",)),
    "comments": (("Comments (total)",), ("Comments (organic)",), ("Comments (sponsored)",)),
    "shares": (
        ("Reposts (total)", "Shares (total)"),
        ("Reposts (organic)", "Shares (organic)"),
        ("Reposts (sponsored)", "Shares (sponsored)"),
    ),
}
# French UI spellings: UNCONFIRMED (modelled on the English export and on LinkedIn's French
# interface wording; no real French file seen yet). Both genders are listed where LinkedIn may
# agree the adjective with the noun.
_DAILY_PARTS_FR: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "views": (
        ("Impressions (total)",),
        ("Impressions (organiques)", "Impressions (organique)"),
        ("Impressions (sponsorisées)", "Impressions (sponsorisé)"),
    ),
    "clicks": (
        ("Clics (total)",),
        ("Clics (organiques)", "Clics (organique)"),
        ("Clics (sponsorisés)", "Clics (sponsorisé)"),
    ),
    "reactions": (
        ("Réactions (total)",),
        ("Réactions (organiques)", "Réactions (organique)"),
        ("Réactions (sponsorisées)", "Réactions (sponsorisé)"),
    ),
    "comments": (
        ("Commentaires (total)",),
        ("Commentaires (organiques)", "Commentaires (organique)"),
        ("Commentaires (sponsorisés)", "Commentaires (sponsorisé)"),
    ),
    "shares": (
        ("Republications (total)", "Partages (total)"),
        ("Republications (organiques)", "Partages (organiques)", "Republications (organique)"),
        ("Republications (sponsorisées)", "Partages (sponsorisés)", "Republications (sponsorisé)"),
    ),
}

_FOLLOWER_PARTS = ("Sponsored followers", "Organic followers", "Auto-invited followers")
_VANITY = re.compile(r"(?:^|/| › )([a-z0-9-]+)_(?:content|followers|visitors)_[0-9]{13}\.xlsx?\b")


_PAGE_VIEW_FALLBACKS = (
    (
        ("Total page views (desktop)",),
        ("Total page views (mobile)", "Total page views (mobile devices)"),
    ),
    (("Overview page views (total)",),),
)


def _find(draft: Draft, names: tuple[str, ...]) -> tuple[int, str] | None:
    """The column of the first of `names` in the header row, and that name."""
    for name in names:
        if fold(name) in draft.headers:
            return draft.headers.index(fold(name)), name
    return None


def _map_parts(draft: Draft, metric: str, parts: tuple[tuple[str, ...], ...]) -> list[str]:
    """Feed `metric` from the parts present, summed when several; the names of the parts used."""
    found = [hit for names in parts if (hit := _find(draft, names)) is not None]
    if found:
        positions = [position for position, _ in found]
        draft.columns[metric] = sum_into(draft, positions) if len(found) > 1 else positions[0]
    return [name for _, name in found]


def _labels(draft: Draft, metrics: list[str]) -> str:
    return ", ".join(METRICS[metric].label(draft.context.lang).lower() for metric in metrics)


def _complete_daily_totals(parts: dict[str, tuple[tuple[str, ...], ...]]):
    """A hook for the daily sheet: a metric whose "(total)" column is missing is organic + sponsored.

    With organic figures alone (no sponsored column either), organic is used and the note says so.
    """

    def adjust(draft: Draft) -> None:
        summed, organic_only, other = [], [], []
        for metric, (_, organic, sponsored) in parts.items():
            if metric in draft.columns:
                continue
            used = _map_parts(draft, metric, (organic, sponsored))
            if len(used) == 2:
                summed.append(metric)
            elif used and used[0] in organic:
                organic_only.append(metric)
            elif used:
                other.append((metric, used))
        if summed:
            draft.notes.append(
                ("linkedin.note.summed_organic_sponsored", {"metrics": _labels(draft, summed)})
            )
        if organic_only:
            draft.notes.append(
                ("linkedin.note.organic_only", {"metrics": _labels(draft, organic_only)})
            )
        for metric, used in other:
            _note_fallback(draft, metric, used)

    return adjust


def _note_fallback(draft: Draft, metric: str, used: list[str]) -> None:
    columns = " + ".join(f"« {name} »" for name in used)
    label = METRICS[metric].label(draft.context.lang)
    draft.notes.append(("linkedin.note.fallback_columns", {"metric": label, "columns": columns}))


def _complete_followers_gained(draft: Draft) -> None:
    """Without a "Total followers" column, the day's new followers are the sum of their sources."""
    if "followers_gained" in draft.columns:
        return
    used = _map_parts(draft, "followers_gained", tuple((name,) for name in _FOLLOWER_PARTS))
    if used:
        _note_fallback(draft, "followers_gained", used)


def _complete_page_views(draft: Draft) -> None:
    """Without "Total page views (total)": desktop + mobile, else the overview section alone."""
    if "profile_visits" in draft.columns:
        return
    for parts in _PAGE_VIEW_FALLBACKS:
        if used := _map_parts(draft, "profile_visits", parts):
            _note_fallback(draft, "profile_visits", used)
            return


def _page_from_file_name(draft: Draft) -> None:
    """LinkedIn names its workbooks `<vanity>_content_<epoch-ms>`: the vanity names the Page."""
    found = _VANITY.search(draft.table_name)
    if found and "account" not in draft.columns:
        draft.body = draft.body.assign(_account=found.group(1))
        draft.columns["account"] = draft.body.columns.get_loc("_account")


def _named_page(adjust: Callable[[Draft], None] | None = None) -> Callable[[Draft], None]:
    """`adjust`, after naming the Page from the file name."""

    def named(draft: Draft) -> None:
        _page_from_file_name(draft)
        if adjust is not None:
            adjust(draft)

    return named


def _daily_metrics(
    parts: dict[str, tuple[tuple[str, ...], ...]], reach: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    """A daily sheet's mapping: each metric from its "(total)" column, reach from organic uniques."""
    return {**{metric: names[0] for metric, names in parts.items()}, "reach": reach}


LAYOUTS = [
    ExportLayout(
        id="linkedin_content_daily",
        platform="linkedin",
        grain="day",
        signature=("Date", "Impressions (organic)", "Clicks (organic)"),
        date=("Date",),
        metrics=_daily_metrics(_DAILY_PARTS_EN, ("Unique impressions (organic)",)),
        dayfirst=False,
        note_key="layout_note.linkedin_daily",
        adjust=_named_page(_complete_daily_totals(_DAILY_PARTS_EN)),
    ),
    ExportLayout(
        id="linkedin_content_daily_fr",
        platform="linkedin",
        grain="day",
        # "(total)" reads the same in both languages: the safest French headers to require.
        signature=("Date", "Impressions (total)", "Clics (total)"),
        date=("Date",),
        metrics=_daily_metrics(
            _DAILY_PARTS_FR, ("Impressions uniques (organiques)", "Impressions uniques (organique)")
        ),
        # Whether the French export keeps MM/DD/YYYY is unconfirmed: the cells decide.
        dayfirst=None,
        note_key="layout_note.linkedin_daily",
        adjust=_named_page(_complete_daily_totals(_DAILY_PARTS_FR)),
    ),
    ExportLayout(
        id="linkedin_content_posts",
        platform="linkedin",
        grain="post",
        signature=("Post link", "Created date", "Impressions"),
        date=("Created date",),
        key=("Post link",),
        title=("Post title",),
        metrics={
            "views": ("Impressions",),
            "video_views": ("Views", "Video views"),
            "clicks": ("Clicks",),
            "reactions": ("Likes",),
            "comments": ("Comments",),
            "shares": ("Reposts", "Shares"),
            "followers_gained": ("Follows",),
        },
        dayfirst=False,
        note_key="layout_note.linkedin_posts",
        adjust=_named_page(),
    ),
    ExportLayout(
        id="linkedin_content_posts_fr",
        platform="linkedin",
        grain="post",
        # French headers UNCONFIRMED: modelled on the English export and LinkedIn's French UI.
        signature=("Lien de la publication", "Date de création", "Impressions"),
        date=("Date de création",),
        key=("Lien de la publication",),
        title=("Titre de la publication",),
        metrics={
            "views": ("Impressions",),
            "video_views": ("Vues", "Vues de vidéos", "Vues de la vidéo"),
            "clicks": ("Clics",),
            "reactions": ("J’aime", "Mentions J’aime", "Réactions"),
            "comments": ("Commentaires",),
            "shares": ("Republications", "Partages"),
            "followers_gained": ("Abonnements", "Nouveaux abonnés", "Abonnés"),
        },
        dayfirst=None,
        note_key="layout_note.linkedin_posts",
        adjust=_named_page(),
    ),
    ExportLayout(
        id="linkedin_followers_daily",
        platform="linkedin",
        grain="day",
        signature=("Date", "Sponsored followers", "Organic followers"),
        date=("Date",),
        # In the "New followers" sheet, "Total followers" is the day's new followers from every
        # source (sponsored + organic + auto-invited), not the size of the audience.
        metrics={"followers_gained": ("Total followers",)},
        dayfirst=False,
        note_key="layout_note.linkedin_followers",
        adjust=_named_page(_complete_followers_gained),
    ),
    ExportLayout(
        id="linkedin_visitors_daily",
        platform="linkedin",
        grain="day",
        signature=("Date", "Overview page views (desktop)", "Overview unique visitors (desktop)"),
        date=("Date",),
        metrics={"profile_visits": ("Total page views (total)",)},
        dayfirst=False,
        note_key="layout_note.linkedin_visitors",
        adjust=_named_page(_complete_page_views),
    ),
]
