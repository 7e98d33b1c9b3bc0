"""TikTok Studio exports (Overview, follower history, content) and the older Business Suite layout.

TikTok Studio writes dates without a year ("February 1", "1 févr."): the year comes from the zip
name (`Overview_<first day>_<export time>_<handle>.zip`), else from the year the user gave, else
it is inferred (the most recent past date) and the import report says so. Content rows take their
year from the video id, whose top 32 bits are the upload time in Unix seconds.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from canalyse.errors import ImportRefused
from canalyse.importing import values
from canalyse.importing.exports import Draft, ExportLayout, text
from canalyse.importing.layout import describe_cells

_MONTHS = {
    # English
    **dict.fromkeys(["january", "jan"], 1),
    **dict.fromkeys(["february", "feb"], 2),
    **dict.fromkeys(["march", "mar"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["may"], 5),
    **dict.fromkeys(["june", "jun"], 6),
    **dict.fromkeys(["july", "jul"], 7),
    **dict.fromkeys(["august", "aug"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["october", "oct"], 10),
    **dict.fromkeys(["november", "nov"], 11),
    **dict.fromkeys(["december", "dec"], 12),
    # French (accents are folded away before lookup)
    **dict.fromkeys(["janvier", "janv"], 1),
    **dict.fromkeys(["fevrier", "fevr", "fev"], 2),
    **dict.fromkeys(["mars"], 3),
    **dict.fromkeys(["avril", "avr"], 4),
    **dict.fromkeys(["mai"], 5),
    **dict.fromkeys(["juin"], 6),
    **dict.fromkeys(["juillet", "juil"], 7),
    **dict.fromkeys(["aout"], 8),
    **dict.fromkeys(["septembre"], 9),
    **dict.fromkeys(["octobre"], 10),
    **dict.fromkeys(["novembre"], 11),
    **dict.fromkeys(["decembre"], 12),
    # Spanish, Italian, German and Portuguese: colleagues' TikTok Studio may be set to them
    **dict.fromkeys(["enero", "ene", "gennaio", "gen", "januar", "janeiro"], 1),
    **dict.fromkeys(["febrero", "febbraio", "februar", "fevereiro"], 2),
    **dict.fromkeys(["marzo", "marz", "marco"], 3),
    **dict.fromkeys(["abril", "abr", "aprile"], 4),
    **dict.fromkeys(["mayo", "maggio", "mag", "maio"], 5),
    **dict.fromkeys(["junio", "giugno", "giu", "juni", "junho"], 6),
    **dict.fromkeys(["julio", "luglio", "lug", "juli", "julho"], 7),
    **dict.fromkeys(["agosto", "ago"], 8),
    **dict.fromkeys(["septiembre", "setiembre", "settembre", "set", "setembro"], 9),
    **dict.fromkeys(["octubre", "ottobre", "ott", "oktober", "okt", "outubro"], 10),
    **dict.fromkeys(["noviembre", "novembro"], 11),
    **dict.fromkeys(["diciembre", "dic", "dicembre", "dezember", "dez", "dezembro"], 12),
}
_COMBINING_MARKS = "[\u0300-\u036f]"
_TIME_SUFFIX = r",?\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?\s*(?:am|pm)?$"
_WORD = r"([^\W\d_]+)"
_DAY = r"([0-9]{1,2})(?:er|st|nd|rd|th)?"
_FIRST_DAY = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")
# The export time (Unix seconds, ten digits until 2286), then the handle, which may hold "_" and ".".
_EXPORT_TIME = re.compile(r"_([0-9]{10})(?:_(.+?))?(?=\.(?:zip|csv|xlsx?)\b| › |$)", re.IGNORECASE)
_TIKTOK_LAUNCH = 1_451_606_400  # 2016-01-01: an earlier "export time" is some other number
# Two anchored replacements rather than one capture: RE2 runs them in C over a million links.
_BEFORE_ID = r"^.*?/(?:video|photo)/"
_BEFORE_HANDLE = r"^.*?tiktok\.com/@"


# --- The year of dates written without one -------------------------------------------------------


def month_and_day(cells: pd.Series) -> pd.DataFrame:
    """Month and day (floats, NaN elsewhere) of cells written without a year.

    Reads "February 1", "1 February", "1 févr.", "1er février", "1 de febrero", "1. Februar",
    "9月13日" and "9월 13일", with or without a time after them; cells holding a year, or in
    another language, get NaN and are left to the generic date parser.
    """
    # A year of days has at most 366 distinct cells: parse those, then spread them back.
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object), use_na_sentinel=False)
    distinct = pd.Series(uniques, dtype=object)
    folded = (
        distinct.astype("str").str.normalize("NFKD").str.replace(_COMBINING_MARKS, "", regex=True)
    )
    folded = folded.str.lower().str.strip().str.replace(_TIME_SUFFIX, "", regex=True)
    words = folded.str.replace(r"[.,]", " ", regex=True).str.replace(r"\s+", " ", regex=True)
    words = words.str.strip()
    month = pd.Series(np.nan, index=distinct.index)
    day = pd.Series(np.nan, index=distinct.index)
    for pattern, month_group, by_name in (
        (f"^{_WORD} {_DAY}$", 0, True),
        (f"^{_DAY} (?:de )?{_WORD}$", 1, True),
        (r"^([0-9]{1,2})(?:月|월) ?([0-9]{1,2})(?:日|일)$", 0, False),
    ):
        found = words.str.extract(pattern)
        months = found[month_group].map(_MONTHS) if by_name else pd.to_numeric(found[month_group])
        days = pd.to_numeric(found[1 - month_group])
        fresh = month.isna() & months.notna() & days.between(1, 31)
        month[fresh], day[fresh] = months[fresh], days[fresh]
    return pd.DataFrame(
        {"month": month.to_numpy()[codes], "day": day.to_numpy()[codes]}, index=cells.index
    )


def complete_years(
    month: pd.Series,
    day: pd.Series,
    *,
    today: dt.date,
    first_day: dt.date | None = None,
    export_day: dt.date | None = None,
    year: int | None = None,
    near: pd.Series | None = None,
) -> tuple[pd.Series, str]:
    """The year of each (month, day), and its source: "first_day", "export_day", "year", "inferred", "near".

    Sources, most reliable first: `first_day` (the file covers at most a year from it, so a
    January row after a December first day is in the next year); `export_day` (each date is the
    latest one not after the export); `year` as given by the user; else the latest date not after
    `today`. Rows where `near` (a date) is known take instead the year that puts them closest to
    it: the upload time of a video, read from its id (the source is then "near" when every row
    has one and nothing but `today` was known). Cells without a month and day get NaN.
    """
    m, d = month.to_numpy(dtype="float64"), day.to_numpy(dtype="float64")
    if first_day is not None:
        before = (m < first_day.month) | ((m == first_day.month) & (d < first_day.day))
        years, source = first_day.year + before.astype("float64"), "first_day"
    elif export_day is not None:
        years, source = _latest_not_after(m, d, export_day), "export_day"
    elif year is not None:
        years, source = np.full(len(m), float(year)), "year"
    else:
        years, source = _latest_not_after(m, d, today), "inferred"
    if near is not None:
        near_dates = pd.to_datetime(near).reset_index(drop=True)
        known = near_dates.notna().to_numpy()
        near_year = near_dates.dt.year.to_numpy(dtype="float64")
        # Half a year apart on a 31-day-month calendar: near enough to choose the year.
        offset = (
            (m - 1) * 31
            + d
            - ((near_dates.dt.month.to_numpy() - 1) * 31 + near_dates.dt.day.to_numpy())
        )
        shift = np.where(offset > 186, -1.0, np.where(offset < -186, 1.0, 0.0))
        years = np.where(known, near_year + shift, years)
        if source == "inferred" and known.all():
            source = "near"
    years = np.where(np.isnan(m) | np.isnan(d), np.nan, years)
    return pd.Series(years, index=month.index), source


def first_day_of_series(
    month: pd.Series, day: pd.Series, today: dt.date, first_year: int | None = None
) -> dt.date | None:
    """The first day of a daily series written without years: in `first_year` when the user gave
    it, else with its last day put at the latest date not after `today`; None when the rows are
    not one series of at most a year.

    The rows run oldest first (as TikTok Studio writes them) or newest first, whichever covers
    fewer days: a year of days from February 28 to February 27 then gets the years that keep it
    in order, instead of each date being put in its own most recent year.
    """
    known = month.notna() & day.notna()
    keys = (month[known] * 31 + day[known]).to_numpy(dtype="float64")
    if len(keys) < 2:
        return None
    # On a calendar of 12 months of 31 days, walking the rows forward or backward: the series
    # runs the way that covers the fewer days, and must cover less than a year.
    steps = np.diff(keys)
    forward, backward = float((steps % 372).sum()), float((-steps % 372).sum())
    if min(forward, backward) >= 372:
        return None
    first, last = (0, -1) if forward <= backward else (-1, 0)
    months, days = month[known].to_numpy(), day[known].to_numpy()
    if first_year is None:
        last_year = int(_latest_not_after(months[[last]], days[[last]], today)[0])
        first_year = last_year - int(keys[first] > keys[last])
    try:
        return dt.date(first_year, int(months[first]), int(days[first]))
    except ValueError:
        return None


def _latest_not_after(month: np.ndarray, day: np.ndarray, limit: dt.date) -> np.ndarray:
    """Each (month, day) in the latest year that does not put it after `limit`."""
    after = (month > limit.month) | ((month == limit.month) & (day > limit.day))
    years = limit.year - after.astype("float64")
    leap_day = (month == 2) & (day == 29)
    # 29 February exists only in leap years; at most eight years apart (1896 → 1904).
    for _ in range(8):
        not_leap = (years % 4 != 0) | ((years % 100 == 0) & (years % 400 != 0))
        wrong = leap_day & not_leap
        if not wrong.any():
            break
        years = np.where(wrong, years - 1, years)
    return years


def file_name_hints(table_name: str) -> tuple[dt.date | None, dt.date | None, str | None]:
    """First day, export day (UTC) and account handle from `Overview_2025-02-01_1739000000_rennes.zip`."""
    first_day = None
    found = _FIRST_DAY.search(table_name)
    if found:
        try:
            first_day = dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            first_day = None
    export_day, handle = None, None
    stamp = _EXPORT_TIME.search(table_name)
    if stamp and int(stamp.group(1)) >= _TIKTOK_LAUNCH:
        export_day = dt.datetime.fromtimestamp(int(stamp.group(1)), dt.UTC).date()
        handle = stamp.group(2)
    return first_day, export_day, handle


def _arrow_text(cells: pd.Series) -> pd.Series:
    """Cells as stripped Arrow-backed text: string kernels then run in C, not per cell in Python."""
    return cells.astype("str").fillna("").str.strip()


def upload_days(links: pd.Series) -> pd.Series:
    """The upload day of each video, from the id in its link (NaT when the link has no id)."""
    links = _arrow_text(links)
    has_id = links.str.contains(_BEFORE_ID + "[0-9]", regex=True).astype(bool)
    digits = links.str.replace(_BEFORE_ID, "", regex=True).str.replace(r"[^0-9].*$", "", regex=True)
    ids = pd.to_numeric(digits.where(has_id, ""), errors="coerce")
    seconds = np.floor(ids.to_numpy(dtype="float64") / 2**32)
    seconds = np.where(seconds >= _TIKTOK_LAUNCH, seconds, np.nan)
    return pd.Series(pd.to_datetime(seconds, unit="s"), index=links.index).dt.normalize()


def _handles(links: pd.Series) -> pd.Series:
    """The account handle in each link (`tiktok.com/@rennes/video/…` → "rennes"), else ""."""
    has_handle = links.str.contains(_BEFORE_HANDLE, regex=True).astype(bool)
    handles = links.str.replace(_BEFORE_HANDLE, "", regex=True).str.replace(
        r"[/?#\s].*$", "", regex=True
    )
    return handles.where(has_handle, "").astype(object)


def _today() -> dt.date:
    return dt.date.today()


# --- The adjust hooks ----------------------------------------------------------------------------


def _complete_dates(
    draft: Draft, *, date_header: str = "Date", from_video_ids: bool = False
) -> None:
    """Give dates without a year their year, and posts their account."""
    first_day, export_day, handle = file_name_hints(draft.table_name)
    _set_account(draft, handle)
    if "date" not in draft.columns:
        return
    cells = text(draft.body[draft.body.columns[draft.columns["date"]]])
    parts = month_and_day(cells)
    near = None
    if from_video_ids and "key0" in draft.columns:
        near = upload_days(draft.body[draft.body.columns[draft.columns["key0"]]])
    in_order = None
    if not from_video_ids and first_day is None and export_day is None:
        in_order = first_day_of_series(
            parts["month"], parts["day"], _today(), first_year=draft.context.year
        )
    years, source = complete_years(
        parts["month"],
        parts["day"],
        today=_today(),
        first_day=first_day or in_order,
        export_day=export_day,
        year=draft.context.year,
        near=near,
    )
    if in_order is not None:
        source = "year" if draft.context.year else "series"
    yearless = years.notna()
    full = _iso_dates(years, parts["month"], parts["day"])
    dates = cells.where(~yearless, full)
    _refuse_unreadable(draft, dates[~yearless], date_header)
    draft.dates = dates
    if source in ("inferred", "series") and yearless.any():
        found = sorted(years[yearless].astype("int64").unique().tolist())
        key = "tiktok.note.year_inferred" if source == "inferred" else "tiktok.note.series_year"
        draft.notes.append((key, {"years": ", ".join(str(y) for y in found)}))


def _iso_dates(years: pd.Series, months: pd.Series, days: pd.Series) -> pd.Series:
    """`YYYY-MM-DD` text per row ("" where the year is unknown), formatted once per distinct date."""
    key = (years * 10_000 + months * 100 + days).where(years.notna(), 0)
    codes, uniques = pd.factorize(key.to_numpy(dtype="int64"))
    formatted = np.array(
        [f"{k // 10_000:04d}-{k // 100 % 100:02d}-{k % 100:02d}" if k else "" for k in uniques],
        dtype=object,
    )
    return pd.Series(formatted[codes], index=years.index)


def _set_account(draft: Draft, handle: str | None) -> None:
    """Posts name their account: the handle in the video link, else the one in the zip name.

    Day series get none, as on other platforms: the same days imported once from the zip and
    once from its extracted Overview.csv must share a key to count once.
    """
    if "account" in draft.columns or "key0" not in draft.columns:
        return
    links = _arrow_text(draft.body[draft.body.columns[draft.columns["key0"]]])
    account = _handles(links)
    account = account.where(account != "", handle or "")
    if not account.eq("").all():
        draft.body = draft.body.assign(_account=account.to_numpy())
        draft.columns["account"] = draft.body.columns.get_loc("_account")


def _refuse_unreadable(draft: Draft, dates: pd.Series, header: str) -> None:
    """Dates in a language Canalyse does not read: ask for an export in a language it reads.

    `dates` are the cells not read as a month and day; an impossible day ("February 30") is
    left to the engine's own message.
    """
    parsed = values.parse_dates(dates, dayfirst=draft.dayfirst)
    # Blank and "Total" rows are the engine's to drop, not unreadable dates.
    ignored = dates.eq("") | dates.str.lower().str.startswith("total")
    bad = (parsed.invalid | parsed.start.isna()) & ~ignored
    if not bad.any():
        return
    lines = dates.index.to_numpy() + 1
    offending = [(lines[i], header, dates.iloc[i]) for i in np.flatnonzero(bad.to_numpy())]
    raise ImportRefused(
        "tiktok.error.unreadable_dates",
        file=draft.table_name,
        cells=describe_cells(offending, draft.context.lang),
    )


def _complete_post_dates(draft: Draft) -> None:
    """Content rows: the year from each video's id first, the month and day from "Post time"."""
    _complete_dates(draft, date_header="Post time", from_video_ids=True)


# --- Layouts -------------------------------------------------------------------------------------

LAYOUTS = [
    ExportLayout(
        id="tiktok_overview",
        platform="tiktok",
        grain="day",
        signature=("Date", "Video Views", "Profile Views"),
        excludes=("Reached audience",),
        date=("Date",),
        metrics={
            "views": ("Video Views",),
            "profile_visits": ("Profile Views",),
            "reactions": ("Likes",),
            "comments": ("Comments",),
            "shares": ("Shares",),
        },
        note_key="layout_note.tiktok_overview",
        adjust=_complete_dates,
    ),
    ExportLayout(
        id="tiktok_follower_history",
        platform="tiktok",
        grain="day",
        signature=("Date", "Followers", "Difference in followers from previous day"),
        date=("Date",),
        metrics={"followers_total": ("Followers",)},
        note_key="layout_note.tiktok_followers",
        adjust=_complete_dates,
    ),
    ExportLayout(
        id="tiktok_content",
        platform="tiktok",
        grain="post",
        signature=("Video link", "Post time", "Total views"),
        date=("Post time",),
        key=("Video link",),
        title=("Video title",),
        metrics={
            "views": ("Total views",),
            "reactions": ("Total likes",),
            "comments": ("Total comments",),
            "shares": ("Total shares",),
        },
        note_key="layout_note.tiktok_videos",
        adjust=_complete_post_dates,
    ),
    ExportLayout(
        id="tiktok_business_suite_overview",
        platform="tiktok",
        grain="day",
        signature=("Date", "Video views", "Reached audience", "Profile views"),
        date=("Date",),
        metrics={
            "views": ("Video views",),
            "reach": ("Reached audience",),
            "profile_visits": ("Profile views",),
            "reactions": ("Likes",),
            "shares": ("Shares",),
            "comments": ("Comments",),
            "followers_gained": ("New followers",),
            "followers_lost": ("Lost followers",),
        },
        note_key="layout_note.tiktok_business_overview",
    ),
    ExportLayout(
        id="tiktok_viewers",
        platform="tiktok",
        grain="day",
        signature=("Date", "Total Viewers"),
        date=("Date",),
        metrics={"reach": ("Total Viewers",)},
        note_key="layout_note.tiktok_viewers",
        adjust=_complete_dates,
    ),
    ExportLayout(
        id="tiktok_business_suite_audience",
        platform="tiktok",
        grain="day",
        signature=("Date", "Reached audience", "Engaged audience"),
        excludes=("Video views",),
        date=("Date",),
        metrics={
            "reach": ("Reached audience",),
            "engagements": ("Engaged audience",),
            "followers_gained": ("New followers",),
            "followers_total": ("Total followers",),
        },
        note_key="layout_note.tiktok_business_audience",
    ),
    ExportLayout(
        id="tiktok_business_suite_videos",
        platform="tiktok",
        grain="post",
        signature=("Video link", "Post time", "Video views"),
        date=("Post time",),
        key=("Video link",),
        title=("Video title",),
        metrics={
            "views": ("Video views",),
            "reactions": ("Likes",),
            "comments": ("Comments",),
            "shares": ("Shares",),
            "saves": ("Add to Favorites",),
        },
        note_key="layout_note.tiktok_videos",
        adjust=_complete_post_dates,
    ),
    *(
        ExportLayout(
            id=f"tiktok_audience_{kind}",
            platform="tiktok",
            grain="day",
            signature=signature,
            date=(),
            metrics={},
            note_key="layout_note.tiktok_audience",
            refusal=f"tiktok.refused.{kind}",
        )
        for kind, signature in (
            ("activity", ("Date", "Hour", "Active followers")),
            ("gender", ("Gender", "Distribution")),
            ("territories", ("Top territories", "Distribution")),
        )
    ),
]
