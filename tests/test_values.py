"""Cell parsing: numbers written the French or English way, durations, and every date layout seen."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from canalyse.importing import values
from canalyse.importing.values import (
    MISSING_MARKERS,
    detect_decimal,
    parse_dates,
    parse_hours,
    parse_numbers,
)


def number(cell: object, decimal: str = ",") -> float:
    values, invalid = parse_numbers(pd.Series([cell], dtype=object), decimal)
    assert not invalid.iloc[0], f"{cell!r} should be readable"
    return values.iloc[0]


def day(cell: object, dayfirst: bool | None = None) -> dt.date:
    parsed = parse_dates(pd.Series([cell], dtype=object), dayfirst)
    assert not parsed.invalid.iloc[0], f"{cell!r} should be a date"
    assert parsed.granularity == "day"
    return parsed.start.iloc[0].date()


# --- Decimal mark --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "decimal"),
    [
        (["12,5", "3"], ","),
        (["1 734,706"], ","),
        (["1\u202f734,706"], ","),
        (["1.234,5"], ","),
        (["1.234.567"], ","),
        (["9,60221E+14"], ","),
        (["44,0 %"], ","),
        (["1,234.5"], "."),
        (["1777.0", "12.0"], "."),
        (["0.0234"], "."),
        (["1,234,567"], "."),
        (["12", "7", "abc"], ","),
        ([], ","),
    ],
)
def test_decimal_mark_follows_the_unambiguous_cells(cells, decimal):
    assert detect_decimal([pd.Series(cells, dtype=object)]) == decimal


def test_comma_with_three_digits_is_thousands_only_when_the_whole_column_agrees():
    assert detect_decimal([pd.Series(["1,234", "12,500", "87"], dtype=object)]) == "."
    # 1500 written without a separator: commas are not thousands here, so 1,234 is 1.234.
    assert detect_decimal([pd.Series(["1,234", "1500"], dtype=object)]) == ","
    # Each column is judged on its own numbers: one column grouped in threes is enough.
    grouped, plain = pd.Series(["1,234", "12,500"], dtype=object), pd.Series(["1500"], dtype=object)
    assert detect_decimal([plain, grouped]) == "."
    assert detect_decimal([pd.Series(["1,234", "12,500", "1500"], dtype=object)]) == ","


def test_decimal_evidence_is_pooled_over_columns_and_ties_go_to_comma():
    columns = [pd.Series(["12,5"], dtype=object), pd.Series(["1.5", "2.25"], dtype=object)]
    assert detect_decimal(columns) == "."
    assert detect_decimal([pd.Series(["12,5", "1.5"], dtype=object)]) == ","


def test_numbers_stored_by_excel_do_not_vote_for_a_decimal_mark():
    assert detect_decimal([pd.Series([1.5, 2.25, "1,5"], dtype=object)]) == ","


# --- Numbers -------------------------------------------------------------------------------------


def test_columns_read_together_give_what_each_gives_alone(monkeypatch):
    columns = [
        pd.Series(["1 234,5", "", None, "12 %", "abc"], index=[3, 5, 8, 9, 12], dtype=object),
        pd.Series(["7", "8", None], index=[3, 5, 8], dtype="string[pyarrow]"),
        pd.Series([1.5, 2.0, float("nan")], index=[1, 2, 4]),
        pd.Series([4, "5,5", True, "−3", "n/a"], dtype=object),
        pd.Series([], dtype=object),
        pd.Series(["2,5"] * 3, index=["a", "b", "c"], dtype=object),
    ]
    alone = [parse_numbers(column, ",") for column in columns]
    for cap in (values._JOINED_CELLS, 0):
        monkeypatch.setattr(values, "_JOINED_CELLS", cap)
        together = list(values.parse_number_columns(dict(enumerate(columns)), ",").values())
        assert len(together) == len(alone)
        for (numbers, invalid), (expected, expected_invalid) in zip(together, alone, strict=True):
            pd.testing.assert_series_equal(numbers, expected, check_names=False)
            pd.testing.assert_series_equal(invalid, expected_invalid, check_names=False)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("740 000", 740000),
        ("740\u00a0000", 740000),
        ("740\u202f000", 740000),
        ("740\u2009000", 740000),
        ("1 734,706", 1734.706),
        ("12,5", 12.5),
        ("-12", -12),
        ("\u221212", -12),
        ("+7", 7),
        ("12,5 %", 12.5),
        ("44,0 %", 44.0),
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("9,60221E+14", 9.60221e14),
        ("'0042", 42),
        ("35 €", 35),
        ("1 200,50 EUR", 1200.5),
        ("$3", 3),
        (" 12 ", 12),
        ("1777.0", 1777.0),
        ("0", 0),
        (12, 12),
        (2.5, 2.5),
        (np.int64(4), 4),
    ],
)
def test_numbers_with_decimal_comma(cell, expected):
    assert number(cell, ",") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234.5", 1234.5),
        ("1,234", 1234),
        ("1,234,567", 1234567),
        ("1777.0", 1777.0),
        ("1.5e3", 1500),
        ("0.0234", 0.0234),
        ("740 000", 740000),
        ("12,5", 12.5),
        ("-3.25", -3.25),
    ],
)
def test_numbers_with_decimal_point(cell, expected):
    assert number(cell, ".") == pytest.approx(expected)


@pytest.mark.parametrize(
    "cell", sorted(MISSING_MARKERS) + ["N/A", "NaN", "NAN", "None", "UNDEFINED", "  ", None]
)
def test_missing_markers_are_missing_not_invalid(cell):
    values, invalid = parse_numbers(pd.Series([cell], dtype=object), ",")
    assert math.isnan(values.iloc[0])
    assert not invalid.iloc[0]


@pytest.mark.parametrize(
    "cell",
    [
        "abc",
        "=SUM(A1)",
        "01/02/2025",
        "12 vues",
        "1,2,3",
        "1.5,3",
        "inf",
        "0x10",
        True,
        "2 3",
        "12 34,5",
    ],
)
def test_unreadable_cells_are_invalid(cell):
    values, invalid = parse_numbers(pd.Series([cell], dtype=object), ",")
    assert math.isnan(values.iloc[0])
    assert invalid.iloc[0]


def test_parse_numbers_keeps_the_index_and_returns_float64_and_bool():
    series = pd.Series(["1", "abc", "", 4.0], index=[10, 11, 12, 13], dtype=object)
    values, invalid = parse_numbers(series, ",")
    assert values.dtype == "float64" and invalid.dtype == bool
    assert list(values.index) == list(invalid.index) == [10, 11, 12, 13]
    assert invalid.tolist() == [False, True, False, False]


def test_repeated_values_are_parsed_the_same_on_every_row():
    series = pd.Series(["1 000", "2", "1 000", "x", "2"] * 3, dtype=object)
    values, invalid = parse_numbers(series, ",")
    assert values.fillna(-1).tolist() == [1000, 2, 1000, -1, 2] * 3
    assert invalid.tolist() == [False, False, False, True, False] * 3


# --- Hours ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "hours"),
    [
        ("12h30", 12.5),
        ("12 h 30", 12.5),
        ("12:30", 12.5),
        ("1:30:36", 1.51),
        ("1h", 1.0),
        ("1h30min", 1.5),
        ("45 min", 0.75),
        ("1,5 h", 1.5),
        ("2,5", 2.5),
        ("3", 3.0),
        (4, 4.0),
    ],
)
def test_durations_are_read_as_hours(cell, hours):
    values, invalid = parse_hours(pd.Series([cell], dtype=object), ",")
    assert values.iloc[0] == pytest.approx(hours)
    assert not invalid.iloc[0]


@pytest.mark.parametrize(
    ("cell", "invalid"), [("", False), ("-", False), ("12h75", True), ("x", True)]
)
def test_missing_and_unreadable_durations(cell, invalid):
    values, flags = parse_hours(pd.Series([cell], dtype=object), ",")
    assert math.isnan(values.iloc[0])
    assert flags.iloc[0] == invalid


# --- Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-03-01", dt.date(2025, 3, 1)),
        ("2025-03-01T01:00:00", dt.date(2025, 3, 1)),
        ("2025-03-01 16:00:00", dt.date(2025, 3, 1)),
        ("2021-11-30 16:00 +0000", dt.date(2021, 11, 30)),
        ("2025-03-01T23:30:00.000Z", dt.date(2025, 3, 1)),
        ("2025/02/01", dt.date(2025, 2, 1)),
        ("20250201", dt.date(2025, 2, 1)),
        ("15/01/2025", dt.date(2025, 1, 15)),
        ("15-01-2025", dt.date(2025, 1, 15)),
        ("15.01.2025", dt.date(2025, 1, 15)),
        ("15/01/25", dt.date(2025, 1, 15)),
        ("01/15/2025", dt.date(2025, 1, 15)),
        ("01/15/2025 14:30", dt.date(2025, 1, 15)),
        ("Tue, Feb 18, 2025", dt.date(2025, 2, 18)),
        ("Mon Feb 17 2025", dt.date(2025, 2, 17)),
        ("Thu, Oct 2, 2025", dt.date(2025, 10, 2)),
        ("Sep 27, 2024", dt.date(2024, 9, 27)),
        ("Sept 27, 2024", dt.date(2024, 9, 27)),
        ("February 1, 2025", dt.date(2025, 2, 1)),
        ("1 February 2025", dt.date(2025, 2, 1)),
        ("01-Feb-2025", dt.date(2025, 2, 1)),
        ("5 févr. 2025", dt.date(2025, 2, 5)),
        ("5 fevr 2025", dt.date(2025, 2, 5)),
        ("5 février 2025", dt.date(2025, 2, 5)),
        ("1er mars 2025", dt.date(2025, 3, 1)),
        ("lundi 3 mars 2025", dt.date(2025, 3, 3)),
        ("14 juil. 2025", dt.date(2025, 7, 14)),
        ("15 août 2025", dt.date(2025, 8, 15)),
        ("15 aout 2025", dt.date(2025, 8, 15)),
        ("2 déc. 2024", dt.date(2024, 12, 2)),
        ("2 dec 2024", dt.date(2024, 12, 2)),
        ("3 avr 2025", dt.date(2025, 4, 3)),
        ("3 sept. 2025", dt.date(2025, 9, 3)),
        (dt.datetime(2025, 1, 2, 23, 59), dt.date(2025, 1, 2)),
        (dt.date(2025, 1, 2), dt.date(2025, 1, 2)),
        (pd.Timestamp("2025-01-02 10:00", tz="Europe/Paris"), dt.date(2025, 1, 2)),
        (45658, dt.date(2025, 1, 1)),
        (45658.75, dt.date(2025, 1, 1)),
        ("45658", dt.date(2025, 1, 1)),
    ],
)
def test_every_day_layout_is_read(cell, expected):
    assert day(cell) == expected


def test_ambiguous_day_and_month_default_to_day_first():
    assert day("03/04/2025") == dt.date(2025, 4, 3)


def test_day_order_can_be_imposed():
    assert day("03/04/2025", dayfirst=False) == dt.date(2025, 3, 4)


def test_one_cell_beyond_12_decides_the_day_order_of_the_whole_column():
    meta = parse_dates(pd.Series(["02/03/2025 10:00", "02/17/2025 09:15"], dtype=object))
    assert [d.date() for d in meta.start] == [dt.date(2025, 2, 3), dt.date(2025, 2, 17)]
    assert meta.format_note == "MM/DD/YYYY"
    french = parse_dates(pd.Series(["02/03/2025", "17/02/2025"], dtype=object))
    assert [d.date() for d in french.start] == [dt.date(2025, 3, 2), dt.date(2025, 2, 17)]
    assert french.format_note == "DD/MM/YYYY"


def test_cells_contradicting_the_chosen_day_order_are_invalid():
    parsed = parse_dates(pd.Series(["13/01/2025", "14/01/2025", "01/15/2025"], dtype=object))
    assert parsed.invalid.tolist() == [False, False, True]


def test_mixed_date_layouts_in_one_column_are_each_read():
    parsed = parse_dates(
        pd.Series(["2025-01-02", "3 janv. 2025", 45661, "Jan 5, 2025"], dtype=object)
    )
    assert [d.day for d in parsed.start] == [2, 3, 4, 5]
    assert not parsed.invalid.any()


@pytest.mark.parametrize(
    "cell",
    [
        "2025-01",
        "01/2025",
        "janvier 2025",
        "Janvier 2025",
        "janv. 2025",
        "January 2025",
        "Jan 2025",
    ],
)
def test_months_span_from_first_to_last_day(cell):
    parsed = parse_dates(pd.Series([cell, "février 2024"], dtype=object))
    assert parsed.granularity == "month"
    assert parsed.start.iloc[0].date() == dt.date(2025, 1, 1)
    assert parsed.end.iloc[0].date() == dt.date(2025, 1, 31)
    assert parsed.end.iloc[1].date() == dt.date(2024, 2, 29)
    assert not parsed.invalid.any()


def test_days_have_the_same_start_and_end():
    parsed = parse_dates(pd.Series(["2025-01-02", "2025-01-03"], dtype=object))
    assert parsed.start.equals(parsed.end)


def test_a_column_mixing_days_and_months_keeps_the_majority_granularity():
    parsed = parse_dates(pd.Series(["2025-01-02", "2025-01-03", "mars 2025"], dtype=object))
    assert parsed.granularity == "day"
    assert parsed.invalid.tolist() == [False, False, True]


@pytest.mark.parametrize("cell", ["", "-", "N/A", "nan", None, float("nan"), pd.NaT])
def test_missing_dates_are_not_invalid(cell):
    parsed = parse_dates(pd.Series(["2025-01-02", cell], dtype=object))
    assert pd.isna(parsed.start.iloc[1])
    assert not parsed.invalid.iloc[1]


@pytest.mark.parametrize(
    "cell",
    ["February 1", "1er mars", "31/02/2025", "2025-13-01", "hello", "12", 3.5, True, "32 jan 2025"],
)
def test_unreadable_or_yearless_dates_are_invalid(cell):
    parsed = parse_dates(pd.Series(["2025-01-02", cell], dtype=object))
    assert pd.isna(parsed.start.iloc[1])
    assert parsed.invalid.iloc[1]


def test_datetime_column_from_excel_is_reduced_to_days():
    series = pd.Series(pd.to_datetime(["2025-01-02 10:00", "2025-01-03 23:59", None]))
    parsed = parse_dates(series)
    assert [d.date() for d in parsed.start[:2]] == [dt.date(2025, 1, 2), dt.date(2025, 1, 3)]
    assert parsed.invalid.tolist() == [False, False, False]


def test_parsed_dates_are_midnight_datetimes_on_the_input_index():
    series = pd.Series(["2025-01-02T13:45:00", "Sep 27, 2024"], index=[5, 9], dtype=object)
    parsed = parse_dates(series)
    assert pd.api.types.is_datetime64_dtype(parsed.start)
    assert list(parsed.start.index) == [5, 9]
    assert (parsed.start == parsed.start.dt.normalize()).all()
    assert parsed.format_note


# --- Column shapes -------------------------------------------------------------------------------


def test_mostly_distinct_columns_with_a_repeated_index_are_parsed_cell_by_cell():
    # Few repeats skips the distinct-values shortcut; a repeated index must not misalign rows.
    index = [7, 7, 8, 8, 8]
    dates = parse_dates(
        pd.Series(["2025-01-02", "3 janv. 2025", 45661, dt.date(2025, 1, 6), "x"], index=index)
    )
    assert [d.day if not pd.isna(d) else None for d in dates.start] == [2, 3, 4, 6, None]
    assert dates.invalid.tolist() == [False, False, False, False, True]
    values, invalid = parse_numbers(pd.Series(["1 000", 2, "x", "4,5", None], index=index), ",")
    assert values.fillna(-1).tolist() == [1000, 2, -1, 4.5, -1]
    assert invalid.tolist() == [False, False, True, False, False]
    hours, invalid = parse_hours(pd.Series(["1h", "2", "x", 3, "45 min"], index=index), ",")
    assert hours.fillna(-1).tolist() == [1, 2, -1, 3, 0.75]
    assert invalid.tolist() == [False, False, True, False, False]


def test_large_columns_give_the_same_result_through_the_distinct_values_shortcut():
    cells = pd.Series(["1 234,5", "7", "x", "12/03/2025"] * 5000, dtype=object)
    values, invalid = parse_numbers(cells, ",")
    assert values.iloc[:4].fillna(-1).tolist() == [1234.5, 7, -1, -1]
    assert invalid.sum() == 10000
    dates = parse_dates(cells)
    assert dates.start.notna().sum() == 5000 and dates.invalid.sum() == 15000


def test_typed_columns_are_accepted():
    values, invalid = parse_numbers(pd.Series([1, None], dtype="Int64"), ",")
    assert values.fillna(-1).tolist() == [1, -1] and not invalid.any()
    values, invalid = parse_numbers(pd.Series(["1,5", None], dtype="str"), ",")
    assert values.fillna(-1).tolist() == [1.5, -1] and not invalid.any()
    serials = parse_dates(pd.Series([45658.0, np.nan]))
    assert serials.start.iloc[0].date() == dt.date(2025, 1, 1) and not serials.invalid.any()
    assert serials.format_note == "Excel serial number"
