"""TikTok Studio dates without a year: where the year comes from, and what the import report says."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from canalyse.importing.layouts import tiktok
from canalyse.importing.layouts.tiktok import (
    complete_years,
    file_name_hints,
    first_day_of_series,
    month_and_day,
    upload_days,
)
from canalyse.importing.pipeline import import_file

FEB_10 = dt.date(2025, 2, 10)
OVERVIEW_HEADER = '"Date","Video Views","Profile Views","Likes","Comments","Shares"\n'


def _years(month_days, **sources):
    parts = pd.DataFrame(month_days, columns=["month", "day"], dtype="float64")
    years, source = complete_years(parts["month"], parts["day"], **sources)
    return years.tolist(), source


@pytest.mark.parametrize(
    ("cell", "month", "day"),
    [
        ("February 1", 2, 1),
        ("Feb 1st", 2, 1),
        ("28 August", 8, 28),
        ("1 février", 2, 1),
        ("1er février", 2, 1),
        ("1 févr.", 2, 1),
        ("31 déc.", 12, 31),
        ("2 JANVIER", 1, 2),
        ("1 de febrero", 2, 1),
        ("1. Februar", 2, 1),
        ("13 settembre", 9, 13),
        ("9月13日", 9, 13),
        ("February 1, 10:30", 2, 1),
    ],
)
def test_month_and_day_are_read_in_the_languages_tiktok_studio_writes(cell, month, day):
    parts = month_and_day(pd.Series([cell]))
    assert parts.iloc[0].tolist() == [month, day]


@pytest.mark.parametrize(
    "cell", ["2025/02/01", "February 1, 2025", "", "Total", "18 января", "January 32"]
)
def test_cells_with_a_year_or_unknown_words_are_left_to_the_date_parser(cell):
    assert month_and_day(pd.Series([cell])).isna().all(axis=None)


def test_month_and_day_keep_the_row_index():
    cells = pd.Series(["March 2", "1 mars", "March 2"], index=[7, 8, 9])
    parts = month_and_day(cells)
    assert parts.index.tolist() == [7, 8, 9]
    assert parts["month"].tolist() == [3, 3, 3]


def test_a_file_starting_in_december_puts_january_rows_in_the_next_year():
    years, source = _years(
        [(12, 20), (12, 31), (1, 1), (2, 3)], today=FEB_10, first_day=dt.date(2024, 12, 20)
    )
    assert years == [2024, 2024, 2025, 2025]
    assert source == "first_day"


def test_the_first_day_wins_over_the_export_time_and_the_users_year():
    years, source = _years(
        [(3, 1)],
        today=FEB_10,
        first_day=dt.date(2023, 2, 1),
        export_day=dt.date(2025, 1, 7),
        year=2030,
    )
    assert (years, source) == ([2023], "first_day")


def test_without_a_first_day_each_date_is_the_latest_one_before_the_export():
    years, source = _years([(12, 30), (1, 2), (1, 8)], today=FEB_10, export_day=dt.date(2025, 1, 7))
    assert years == [2024, 2025, 2024]
    assert source == "export_day"


def test_the_users_year_comes_before_inference():
    years, source = _years([(12, 30), (2, 1)], today=FEB_10, year=2023)
    assert (years, source) == ([2023, 2023], "year")


def test_inferred_dates_are_the_most_recent_past_ones():
    years, source = _years([(12, 15), (1, 31), (2, 10), (2, 11)], today=FEB_10)
    assert years == [2024, 2025, 2025, 2024]
    assert source == "inferred"


def test_an_inferred_29_february_falls_in_a_leap_year():
    years, _ = _years([(2, 29)], today=dt.date(2027, 3, 1))
    assert years == [2024]


def test_video_upload_days_choose_the_nearest_year_even_before_the_first_day():
    near = pd.Series(pd.to_datetime(["2024-12-24", "2025-01-02", "2024-12-31", None]))
    years, source = _years(
        [(12, 24), (1, 3), (1, 1), (1, 5)],
        today=FEB_10,
        first_day=dt.date(2024, 12, 30),
        near=near,
    )
    # Published the day after upload across the new year; the last row has no id.
    assert years == [2024, 2025, 2025, 2025]
    assert source == "first_day"


def test_video_ids_alone_need_no_inference_note():
    near = pd.Series(pd.to_datetime(["2023-06-01"]))
    assert _years([(6, 2)], today=FEB_10, near=near) == ([2023], "near")


def _series(month_days, **options):
    parts = pd.DataFrame(month_days, columns=["month", "day"], dtype="float64")
    return first_day_of_series(parts["month"], parts["day"], **options)


def test_a_year_of_days_written_without_years_keeps_its_order_across_the_year_end():
    # February 28 to February 27, oldest first, downloaded in December: the last day is the
    # latest past February 27, so the series starts the February 28 of the year before.
    days = pd.date_range("2025-02-28", "2026-02-27")
    first = _series(list(zip(days.month, days.day, strict=True)), today=dt.date(2026, 12, 1))
    assert first == dt.date(2025, 2, 28)


def test_a_series_written_newest_first_starts_at_its_last_row():
    assert _series([(1, 3), (1, 2), (1, 1), (12, 31)], today=FEB_10) == dt.date(2024, 12, 31)


def test_the_users_year_is_the_year_of_the_first_day_of_the_series():
    assert _series([(12, 30), (1, 2)], today=FEB_10, first_year=2022) == dt.date(2022, 12, 30)


def test_rows_in_no_order_are_not_a_series():
    assert _series([(1, 1), (7, 1), (2, 1), (9, 1)], today=FEB_10) is None


def test_rows_without_month_and_day_get_no_year():
    years, _ = _years([(np.nan, np.nan), (2, 1)], today=FEB_10, year=2025)
    assert np.isnan(years[0]) and years[1] == 2025


def test_the_zip_name_gives_first_day_export_day_and_handle():
    name = "Overview_2025-02-01_1739000000_rennes.zip › Overview.csv"
    assert file_name_hints(name) == (dt.date(2025, 2, 1), dt.date(2025, 2, 8), "rennes")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Overview.csv", (None, None, None)),
        ("Content_rennes.zip › Content.csv", (None, None, None)),
        ("Overview_2025-13-40_x.zip", (None, None, None)),
        ("Followers_1739000000_rennes.zip", (None, dt.date(2025, 2, 8), "rennes")),
        (
            "Overview_2025-02-01_1739000000_ville_de.rennes.zip",
            (dt.date(2025, 2, 1), dt.date(2025, 2, 8), "ville_de.rennes"),
        ),
        (
            "Overview_2025-02-01_1739000000.zip › Overview.csv",
            (dt.date(2025, 2, 1), dt.date(2025, 2, 8), None),
        ),
    ],
)
def test_file_names_give_the_hints_they_hold(name, expected):
    assert file_name_hints(name) == expected


def test_a_video_id_holds_its_upload_day():
    links = pd.Series(
        [
            "https://www.tiktok.com/@rennes/video/7451916006160354654?lang=fr",
            "https://www.tiktok.com/@rennes",
        ]
    )
    days = upload_days(links)
    assert days.iloc[0] == pd.Timestamp("2024-12-24")
    assert pd.isna(days.iloc[1])


# --- Through the import ----------------------------------------------------------------------------


def _overview(rows: str) -> bytes:
    return ("\ufeff" + OVERVIEW_HEADER + rows).encode("utf-8")


def test_an_overview_without_any_year_is_dated_in_the_past_and_says_so(con, monkeypatch):
    monkeypatch.setattr(tiktok, "_today", lambda: FEB_10)
    data = _overview('"December 31","10","1","1","0","0"\n"February 1","20","1","2","0","0"\n')
    report = import_file(con, "Overview.csv", data, lang="en")
    assert report.status == "imported", report.message
    table = report.tables[0]
    assert (table.date_min, table.date_max) == (dt.date(2024, 12, 31), dt.date(2025, 2, 1))
    assert any("series of days" in note and "2024, 2025" in note for note in table.notes)


def test_the_year_given_by_the_user_is_used_without_a_note(con, monkeypatch):
    monkeypatch.setattr(tiktok, "_today", lambda: FEB_10)
    data = _overview('"March 3","10","1","1","undefined","0"\n')
    report = import_file(con, "Overview.csv", data, lang="en", year=2023)
    table = report.tables[0]
    assert table.date_min == dt.date(2023, 3, 3)
    assert not any("latest year" in note for note in table.notes)
    assert "comments" not in table.totals


def test_a_users_year_dates_a_series_crossing_the_year_end_from_its_first_day(con):
    data = _overview('"December 31","10","1","1","0","0"\n"January 1","20","1","2","0","0"\n')
    report = import_file(con, "Overview.csv", data, lang="en", year=2024)
    table = report.tables[0]
    assert (table.date_min, table.date_max) == (dt.date(2024, 12, 31), dt.date(2025, 1, 1))


def test_dates_in_an_unread_language_are_refused_with_the_cells_named(con):
    data = _overview('"18 января","10","1","1","0","0"\n')
    report = import_file(con, "Overview.csv", data, lang="en", year=2025)
    assert report.status == "error"
    assert "18 января" in report.message and "switch TikTok Studio" in report.message
