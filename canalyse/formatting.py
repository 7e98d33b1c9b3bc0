"""Numbers, money, percentages and dates written the way French and English readers expect.

French groups thousands with U+00A0 (no-break space) rather than the typographically finer U+202F:
U+202F is missing from many fonts used in charts and PowerPoint and shows up as a box there.
Any language other than English is written the French way, like the message catalog does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral

import numpy as np
import pandas as pd

from canalyse.i18n import t

NBSP = "\u00a0"
MISSING = "—"

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class _Conventions:
    thousands: str
    decimal: str


_CONVENTIONS = {"fr": _Conventions(NBSP, ","), "en": _Conventions(",", ".")}


def _conventions(lang: str) -> _Conventions:
    return _CONVENTIONS["en" if lang == "en" else "fr"]


# Made once: a chart's hover texts write thousands of numbers on every run of a page.
_SEPARATORS = {
    lang: str.maketrans({",": c.thousands, ".": c.decimal}) for lang, c in _CONVENTIONS.items()
}
_QUANTA = {decimals: Decimal(1).scaleb(-decimals) for decimals in range(7)}


def _decimal(x: object) -> Decimal | None:
    """`x` as an exact Decimal, or None when it is missing or not finite."""
    if x is None:
        return None
    if isinstance(x, Decimal):
        value = x
    elif isinstance(x, Integral):
        value = Decimal(int(x))
    elif isinstance(x, float):  # numpy's float64 too
        # str() gives the shortest decimal that round-trips (see below).
        return Decimal(str(float(x))) if math.isfinite(x) else None
    else:
        try:
            if pd.isna(x):
                return None
        except (TypeError, ValueError):
            pass
        number = float(x)  # type: ignore[arg-type]
        if not math.isfinite(number):
            return None
        # str() gives the shortest decimal that round-trips, so 0.445 rounds half up to 0.45,
        # not down because its binary value is 0.44499999…
        value = Decimal(str(number))
    return value if value.is_finite() else None


def _grouped(value: Decimal, lang: str, decimals: int) -> str:
    """`value` rounded half up (as spreadsheets do) and written with the language's separators."""
    quantum = _QUANTA.get(decimals) or Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0,0"
    english = format(rounded, f",.{decimals}f")
    return english.translate(_SEPARATORS["en" if lang == "en" else "fr"])


def fmt_int(x: object, lang: str) -> str:
    """A whole number with grouped thousands: fr "740 000", en "740,000"; missing → "—"."""
    return fmt_number(x, lang, decimals=0)


def fmt_ints(values: object, lang: str) -> list[str]:
    """`fmt_int` of each value, at once (a chart's hover texts write thousands of numbers)."""
    try:
        numbers = np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        return [fmt_int(value, lang) for value in values]  # type: ignore[union-attr]
    thousands = _conventions(lang).thousands
    written = []
    for number in numbers.tolist():
        whole = _rounded(number)
        if whole is None:
            written.append(fmt_int(number, lang))
        else:
            written.append(f"{whole:,}".replace(",", thousands))
    return written


def _rounded(number: float) -> int | None:
    """`number` rounded half up as `fmt_int` rounds it, from the same shortest decimal text, or
    None when that text has an exponent (or is no number): `fmt_int` then does it."""
    text = repr(abs(number))
    if "e" in text or "n" in text:  # 1e+16, 5e-05, inf, nan
        return None
    whole, _, fraction = text.partition(".")
    rounded = int(whole) + (fraction[:1] >= "5")
    return -rounded if number < 0 else rounded


def fmt_number(x: object, lang: str, decimals: int = 1) -> str:
    """A number with `decimals` decimals: fr "1 734,7", en "1,734.7"; missing → "—"."""
    value = _decimal(x)
    return MISSING if value is None else _grouped(value, lang, decimals)


def fmt_percent(fraction: object, lang: str, decimals: int = 1) -> str:
    """A fraction (0.44) as a percentage: fr "44,0 %", en "44.0%"; missing → "—"."""
    value = _decimal(fraction)
    if value is None:
        return MISSING
    number = _grouped(value * 100, lang, decimals)
    return f"{number}%" if lang == "en" else f"{number}{NBSP}%"


def fmt_money(x: object, lang: str, decimals: int = 2) -> str:
    """An amount in euros: fr "1 234,50 €", en "€1,234.50"; missing → "—"."""
    value = _decimal(x)
    if value is None:
        return MISSING
    number = _grouped(value, lang, decimals)
    sign, number = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{sign}€{number}" if lang == "en" else f"{sign}{number}{NBSP}€"


def signed(value: object, text: str) -> str:
    """`text`, the written `value`, with a plus sign for a rise: « +2 000 », « -64 »; « 0 » and
    « — » unsigned (a plus sign only when the rounded figure shows something above zero)."""
    shows_digits = any(c in "123456789" for c in text)
    positive = text != MISSING and not text.startswith("-") and float(value) > 0
    return f"+{text}" if positive and shows_digits else text


def _as_date(d: object) -> date | None:
    if d is None:
        return None
    try:
        if pd.isna(d):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(d, datetime):  # also pandas.Timestamp
        return d.date()
    if isinstance(d, date):
        return d
    raise TypeError(f"expected a date, datetime or Timestamp, got {type(d).__name__}")


def fmt_date(d: object, lang: str) -> str:
    """A day: fr "20/01/2025", en "20 Jan 2025"; None → "—"."""
    day = _as_date(d)
    if day is None:
        return MISSING
    if lang == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d/%m/%Y")


def fmt_days(days: np.ndarray, lang: str) -> list[str]:
    """`fmt_date` of each day of a datetime64 array without NaT, at once."""
    day, month, year = _calendar(days)
    if lang == "en":
        return [
            f"{d} {_EN_MONTHS[m - 1]} {y}"
            for d, m, y in zip(day.tolist(), month.tolist(), year.tolist(), strict=True)
        ]
    return [
        f"{d:02d}/{m:02d}/{y}"
        for d, m, y in zip(day.tolist(), month.tolist(), year.tolist(), strict=True)
    ]


def _calendar(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day of the month, month (1–12) and year of each day of a datetime64 array."""
    days = days.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    day = (days - months).astype("int64") + 1
    month = months.astype("int64") % 12 + 1
    year = days.astype("datetime64[Y]").astype("int64") + 1970
    return day, month, year


def fmt_period(start: object, end: object, lang: str) -> str:
    """A date range: fr "du 01/01/2025 au 31/03/2025" (one day: "le 20/01/2025"),
    en "1 Jan 2025 – 31 Mar 2025"; no dates at all → ""."""
    first, last = _as_date(start), _as_date(end)
    if first is None and last is None:
        return ""
    if first is None:
        return t("period.until", lang, last=fmt_date(last, lang))
    if last is None:
        return t("period.since", lang, first=fmt_date(first, lang))
    if first == last:
        return t("period.day", lang, day=fmt_date(first, lang))
    return t("period.range", lang, first=fmt_date(first, lang), last=fmt_date(last, lang))


def plotly_separators(lang: str) -> str:
    """Plotly's `layout.separators`: the decimal mark then the thousands separator."""
    conventions = _conventions(lang)
    return conventions.decimal + conventions.thousands
