"""YouTube Studio exports (Advanced mode → Export): the three CSVs of a `Content <from>_<to> <channel>.zip`.

`Table data.csv` holds one row per video over the exported period (after a `Total` row),
`Chart data.csv` one row per video per day, `Totals.csv` the channel's figures per day; the French
interface names them `Données du tableau.csv`, `Données du graphique.csv` and `Totaux.csv`.
The three are imported as they are: the store prefers the channel's days, then the videos' days,
then the videos, when it adds figures up, so nothing counts twice.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from canalyse.errors import ImportRefused
from canalyse.importing.exports import Draft, ExportLayout, text
from canalyse.platforms import fold

# Every YouTube Studio metric that has a canonical meaning, English then French spelling. The
# gross "Subscribers gained" comes before the net "Subscribers", so that when both are exported
# gained and lost stay apart; a lone net figure may be negative.
_METRICS: dict[str, tuple[str, ...]] = {
    "views": ("Views", "Vues"),
    "watch_time_hours": ("Watch time (hours)", "Durée de visionnage (heures)"),
    "impressions": ("Impressions", "Thumbnail impressions"),
    "reach": ("Unique viewers", "Spectateurs uniques"),
    "reactions": ("Likes", "J'aime", "Mentions J'aime"),
    "comments": ("Comments added", "Commentaires ajoutés", "Comments", "Commentaires"),
    "shares": ("Shares", "Partages"),
    "followers_gained": (
        "Subscribers gained",
        "Abonnés obtenus",
        "Abonnés gagnés",
        "Subscribers",
        "Abonnés",
    ),
    "followers_lost": ("Subscribers lost", "Abonnés perdus"),
}
_METRIC_HEADERS = frozenset(fold(name) for names in _METRICS.values() for name in names)
# Which metric names tell a bare `Date,<metric>` totals file's interface language.
_FRENCH_NAMES = frozenset(
    {
        "Vues",
        "Durée de visionnage (heures)",
        "Spectateurs uniques",
        "J'aime",
        "Mentions J'aime",
        "Commentaires ajoutés",
        "Commentaires",
        "Partages",
        "Abonnés obtenus",
        "Abonnés gagnés",
        "Abonnés",
        "Abonnés perdus",
    }
)
_ENGLISH_NAMES = frozenset(
    name for names in _METRICS.values() for name in names if name not in _FRENCH_NAMES
)

# A hand-made table names its network: such a table is never a YouTube `Totals.csv`.
_NETWORK_HEADERS = (
    "Réseau",
    "Réseau social",
    "Réseaux sociaux",
    "Plateforme",
    "Platform",
    "Network",
    "Social network",
    "Canal",
    "Channel",
)

# `Content 2025-01-01_2025-01-31 Ville de Rennes.zip`, or `… (1).zip` when downloaded twice; a
# download grouped by country is named after its tab the same way (`Geography …`).
_CONTENT_ZIP = re.compile(
    r"(?:^|› |/)(?:Content|Contenu|Geography|Zone géographique) (\d{4}-\d{2}-\d{2})_"
    r"(\d{4}-\d{2}-\d{2}) (.+?)(?: \(\d+\))?\.zip › ",
    re.IGNORECASE,
)
_YOUTUBE_NAME = re.compile(r"\b(?:totals|totaux|youtube)\b")

_NET_SUBSCRIBERS = frozenset({fold("Subscribers"), fold("Abonnés")})
# The French interface's name for the Geography dimension: UNCONFIRMED (YouTube Studio's French
# wording; no real French file seen yet).
_GEOGRAPHY_FR = "Zone géographique"


def channel_from_zip_name(table_name: str) -> str | None:
    """The channel named by a `Content <from>_<to> <channel>.zip` download, if the table came from one."""
    found = _CONTENT_ZIP.search(table_name)
    return found.group(3).strip() if found else None


def period_from_zip_name(table_name: str) -> tuple[date, date] | None:
    """The exported period named by a `Content <from>_<to> <channel>.zip` download, if any."""
    found = _CONTENT_ZIP.search(table_name)
    if not found:
        return None
    return date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2))


def _videos_over_the_period(draft: Draft) -> None:
    """Each video's figures cover the exported period: when the zip names it, they are dated so.

    They then give way to the channel's days of that period and never count on the publish day.
    Without the zip name the period is unknown and the videos stay dated by their publish day.
    """
    draft.period = period_from_zip_name(draft.table_name)
    if draft.period is None:
        draft.notes.append(("youtube.note.videos_by_publish_day", {}))
    _add_channel(draft)


def _add_channel(draft: Draft) -> None:
    """Name the channel from the zip, so that two channels' days stay two series; flag net subscribers."""
    gained = draft.columns.get("followers_gained")
    if gained is not None and draft.headers[gained] in _NET_SUBSCRIBERS:
        draft.notes.append(("youtube.note.net_subscribers", {}))
    channel = channel_from_zip_name(draft.table_name)
    if channel and "account" not in draft.columns:
        draft.body = draft.body.assign(_account=channel)
        draft.columns["account"] = draft.body.columns.get_loc("_account")


def _check_channel_totals(draft: Draft) -> None:
    """Accept `Date,Views` only as YouTube's `Totals.csv`: alone, those two headers could be anything."""
    others = [
        draft.original_headers[position]
        for position, header in enumerate(draft.headers)
        if header and position != draft.columns.get("date") and header not in _METRIC_HEADERS
    ]
    if others:
        raise ImportRefused(
            "youtube.error.other_breakdown",
            file=draft.table_name,
            columns=", ".join(
                f"« {name} »" if draft.context.lang == "fr" else f"“{name}”" for name in others
            ),
        )
    if channel_from_zip_name(draft.table_name) is None and not _YOUTUBE_NAME.search(
        fold(draft.table_name)
    ):
        raise ImportRefused("youtube.error.totals_unattributed", file=draft.table_name)
    _add_channel(draft)


def _check_video_days(draft: Draft) -> None:
    """Keep only days that name their video: a blank id would pass for the channel's own day."""
    if "key0" in draft.columns:
        video = draft.body[draft.body.columns[draft.columns["key0"]]]
        named = video.astype("string").fillna("").str.strip().ne("")
        if not named.all():
            draft.notes.append(("youtube.note.rows_without_video", {"count": int((~named).sum())}))
            draft.body = draft.body[named.to_numpy()]
    _add_channel(draft)


def _by_country(draft: Draft) -> None:
    """Rows per country: keyed "country:<code>", like a video's, so the channel's days win."""
    column = draft.body.columns[draft.columns["key0"]]
    countries = text(draft.body[column])
    named = countries.ne("") & countries.map(fold).ne("total")
    body = draft.body.copy()
    body[column] = ("country:" + countries).where(named, countries).to_numpy(dtype=object)
    draft.body = body


def _countries_per_day(draft: Draft) -> None:
    """`Chart data` grouped by Geography: each country's views per day, a series per country."""
    _by_country(draft)
    _add_channel(draft)


def _countries_over_the_period(draft: Draft) -> None:
    """`Table data` grouped by Geography: each country's views over the exported period.

    Only the zip's name says which period that is: without it the rows could be dated nowhere,
    and would add to every day series of the channel, so the file is refused.
    """
    draft.period = period_from_zip_name(draft.table_name)
    if draft.period is None:
        raise ImportRefused("youtube.error.geography_without_period", file=draft.table_name)
    draft.dates = pd.Series(draft.period[0].isoformat(), index=draft.body.index)
    _by_country(draft)
    _add_channel(draft)


def _layout(
    id: str, french: bool, grain: str, signature: tuple[str, ...], **options: object
) -> ExportLayout:
    """A YouTube Studio layout in one interface language, with the metrics every one shares."""
    options.setdefault("date", ("Date",))
    return ExportLayout(
        id=id,
        platform="youtube",
        grain=grain,
        signature=signature,
        metrics=_METRICS,
        title=("Titre de la vidéo",) if french else ("Video title",),
        **options,
    )


def _video_layouts(french: bool) -> list[ExportLayout]:
    content, title, published, geography = (
        ("Contenu", "Titre de la vidéo", "Heure de publication de la vidéo", _GEOGRAPHY_FR)
        if french
        else ("Content", "Video title", "Video publish time", "Geography")
    )
    suffix = "_fr" if french else ""
    return [
        _layout(
            f"youtube_videos{suffix}",
            french,
            "post",
            (content, title, published),
            date=(published,),
            key=(content,),
            excludes=("Date",),
            note_key="layout_note.youtube_videos",
            adjust=_videos_over_the_period,
            undated_rows=True,
        ),
        _layout(
            f"youtube_video_days{suffix}",
            french,
            "day",
            ("Date", content, title),
            key=(content,),
            note_key="layout_note.youtube_video_days",
            adjust=_check_video_days,
        ),
        _layout(
            f"youtube_country_days{suffix}",
            french,
            "day",
            ("Date", geography),
            key=(geography,),
            note_key="layout_note.youtube_country_days",
            adjust=_countries_per_day,
        ),
        _layout(
            f"youtube_countries{suffix}",
            french,
            "period",
            (geography,),
            signature_any=tuple(sorted(_FRENCH_NAMES if french else _ENGLISH_NAMES)),
            key=(geography,),
            excludes=("Date", content),
            date=(),
            note_key="layout_note.youtube_countries",
            adjust=_countries_over_the_period,
        ),
        _layout(
            f"youtube_channel_days{suffix}",
            french,
            "day",
            ("Date",),
            signature_any=tuple(sorted(_FRENCH_NAMES if french else _ENGLISH_NAMES)),
            excludes=(content, title, published, geography, *_NETWORK_HEADERS),
            adjust=_check_channel_totals,
        ),
    ]


LAYOUTS = _video_layouts(french=False) + _video_layouts(french=True)
