from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from canalyse.formatting import (
    fmt_date,
    fmt_days,
    fmt_int,
    fmt_ints,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_period,
    plotly_separators,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("x", "fr", "en"),
    [
        (740000, f"740{NBSP}000", "740,000"),
        (740000.4, f"740{NBSP}000", "740,000"),
        (1234567, f"1{NBSP}234{NBSP}567", "1,234,567"),
        (999, "999", "999"),
        (0, "0", "0"),
        (-1500, f"-1{NBSP}500", "-1,500"),
        (np.int64(296000), f"296{NBSP}000", "296,000"),
        (np.float64(2.5), "3", "3"),
    ],
)
def test_fmt_int_groups_thousands_per_language(x, fr, en):
    assert fmt_int(x, "fr") == fr
    assert fmt_int(x, "en") == en


def test_french_thousands_separator_is_the_no_break_space_fonts_have():
    assert "\u202f" not in fmt_int(740000, "fr")
    assert fmt_int(740000, "fr")[3] == "\u00a0"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, float("inf")])
def test_missing_values_are_a_dash(missing):
    for lang in ("fr", "en"):
        assert fmt_int(missing, lang) == "—"
        assert fmt_number(missing, lang) == "—"
        assert fmt_percent(missing, lang) == "—"
        assert fmt_money(missing, lang) == "—"


def test_fmt_number_uses_the_language_decimal_mark():
    assert fmt_number(1734.66, "fr") == f"1{NBSP}734,7"
    assert fmt_number(1734.66, "en") == "1,734.7"
    assert fmt_number(2, "fr", decimals=2) == "2,00"
    assert fmt_number(Decimal("0.125"), "en", decimals=2) == "0.13"


def test_rounding_is_half_up_like_a_spreadsheet():
    assert fmt_number(0.445, "en", decimals=2) == "0.45"
    assert fmt_number(2.5, "en", decimals=0) == "3"
    assert fmt_percent(0.445, "en", decimals=0) == "45%"


def test_tiny_negative_numbers_do_not_print_minus_zero():
    assert fmt_number(-0.01, "fr") == "0,0"
    assert fmt_money(-0.001, "en") == "€0.00"


def test_fmt_percent_writes_a_no_break_space_before_the_sign_in_french():
    assert fmt_percent(0.44, "fr") == f"44,0{NBSP}%"
    assert fmt_percent(0.44, "en") == "44.0%"
    assert fmt_percent(0.4399, "fr", decimals=0) == f"44{NBSP}%"
    assert fmt_percent(1, "en", decimals=0) == "100%"


def test_fmt_money_puts_the_euro_where_each_language_does():
    assert fmt_money(1234.5, "fr") == f"1{NBSP}234,50{NBSP}€"
    assert fmt_money(1234.5, "en") == "€1,234.50"
    assert fmt_money(-20, "fr") == f"-20,00{NBSP}€"
    assert fmt_money(-20, "en") == "-€20.00"
    assert fmt_money(1234.5, "fr", decimals=0) == f"1{NBSP}235{NBSP}€"


@pytest.mark.parametrize(
    "d", [date(2025, 1, 20), datetime(2025, 1, 20, 15, 30), pd.Timestamp("2025-01-20 08:00")]
)
def test_fmt_date_accepts_dates_datetimes_and_timestamps(d):
    assert fmt_date(d, "fr") == "20/01/2025"
    assert fmt_date(d, "en") == "20 Jan 2025"


def test_fmt_date_does_not_depend_on_the_system_locale_and_drops_leading_zero_in_english():
    assert fmt_date(date(2025, 3, 1), "en") == "1 Mar 2025"
    assert fmt_date(date(2025, 3, 1), "fr") == "01/03/2025"


@pytest.mark.parametrize("missing", [None, pd.NaT])
def test_fmt_date_of_nothing_is_a_dash(missing):
    assert fmt_date(missing, "fr") == "—"


def test_fmt_period_reads_as_a_phrase():
    start, end = date(2025, 1, 1), date(2025, 3, 31)
    assert fmt_period(start, end, "fr") == "du 01/01/2025 au 31/03/2025"
    assert fmt_period(start, end, "en") == "1 Jan 2025 – 31 Mar 2025"


def test_fmt_period_of_one_day_names_the_day():
    day = date(2025, 1, 20)
    assert fmt_period(day, pd.Timestamp(day), "fr") == "le 20/01/2025"
    assert fmt_period(day, day, "en") == "20 Jan 2025"


def test_fmt_period_with_missing_bounds():
    assert fmt_period(None, None, "fr") == ""
    assert fmt_period(None, None, "en") == ""
    assert fmt_period(date(2025, 1, 1), None, "fr") == "à partir du 01/01/2025"
    assert fmt_period(None, date(2025, 3, 31), "en") == "until 31 Mar 2025"


def test_plotly_separators_are_decimal_mark_then_thousands():
    assert plotly_separators("fr") == ",\u00a0"
    assert plotly_separators("en") == ".,"


def test_unknown_languages_fall_back_to_french_like_the_catalog():
    assert fmt_int(740000, "de") == fmt_int(740000, "fr")


def _numbers_of_every_kind(count: int) -> list:
    """Whole numbers, fractions, halves (rounded up), huge ones, missing and odd values."""
    chance = np.random.default_rng(11)
    wholes = chance.integers(-(10**9), 10**9, count).astype(float)
    fractions = chance.uniform(-1e6, 1e6, count)
    halves = chance.integers(-(10**4), 10**4, count) + 0.5
    # From millionths (written with an exponent) to 10^17 (beyond a float's whole numbers).
    scales = chance.uniform(-1, 1, count) * 10.0 ** chance.integers(-6, 18, count)
    odd = [np.nan, np.inf, -np.inf, -0.0, 0.49999999999999994, -0.5, 2.0**53, 2.0**53 + 2, 1e20]
    return [*wholes, *fractions, *halves, *scales, *odd]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_numbers_written_at_once_read_as_each_written_alone(lang):
    values = _numbers_of_every_kind(3000)
    expected = [fmt_int(value, lang) for value in values]
    assert fmt_ints(values, lang) == expected
    assert fmt_ints(pd.Series(values), lang) == expected
    mixed = [None, 3, np.int64(4), Decimal("2.5"), "7"]
    assert fmt_ints(mixed, lang) == [fmt_int(value, lang) for value in mixed]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_days_written_at_once_read_as_each_written_alone(lang):
    days = pd.Timestamp("1700-01-01") + pd.to_timedelta(
        np.random.default_rng(3).integers(0, 200_000, 3000), "D"
    )
    assert fmt_days(days.to_numpy(), lang) == [fmt_date(day, lang) for day in days]
