"""Cell values to numbers, hours and dates, a whole column at a time.

Every parser takes a column as read (strings from a CSV, or the mix of strings, numbers and dates
that Excel gives) and returns the parsed values plus an `invalid` mask: a cell is invalid when it
holds something that is not missing yet cannot be read, so the caller can show the user which cells
were ignored. Missing markers ("", "-", "N/A", ...) are missing, never invalid.

Columns are parsed through their distinct values (`pd.factorize`): real exports repeat the same
dates and small counts over and over, so the string work runs on far fewer cells than rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

MISSING_MARKERS = frozenset(
    {"", "-", "--", "–", "—", "nan", "n/a", "na", "nd", "n.d.", "null", "none", "undefined"}
)
"""Cells meaning "no value", compared after stripping and lowercasing (TikTok writes "undefined",
"NAN" and "--" where it has no figure)."""

# Patterns run on pandas' pyarrow-backed strings (RE2) when they can: the no-break spaces are
# real characters (RE2 knows no \u escapes) and digits are [0-9], since \d on non-ASCII text
# makes pandas fall back to Python's re, cell by cell.
_SPACES = " \t\u00a0\u202f\u2009\u2007"
_NUMBER_NOISE = f"[{_SPACES}€$£]|EUR|Eur|eur"
_DIGIT_GAP = f"[0-9][{_SPACES}]+[0-9]"
_SPACE_GROUPED = f"[^0-9]*[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+(?:[.,][0-9]+)?[^0-9]*"
_NUMBER = r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_PLAIN = {",": r"-?[0-9]+(?:,[0-9]+)?", ".": r"-?[0-9]+(?:\.[0-9]+)?"}
_GROUPED = {
    ",": r"-?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]*)?",
    ".": r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?",
}
_COMMA_EVIDENCE = (
    r"-?(?:[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})"
    r"|[0-9]{1,3}(?: [0-9]{3})+,[0-9]+"
    r"|[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+"
    r"|[0-9]{1,3}(?:\.[0-9]{3}){2,}"
    r"|[0-9]+,[0-9]+[eE][-+]?[0-9]+)"
)
_POINT_EVIDENCE = (
    r"-?(?:[0-9]+\.(?:[0-9]{1,2}|[0-9]{4,})"
    r"|[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+"
    r"|[0-9]{1,3}(?:,[0-9]{3}){2,}"
    r"|[0-9]{1,3}(?: [0-9]{3})+\.[0-9]+"
    r"|[0-9]+\.[0-9]+[eE][-+]?[0-9]+)"
)
_COMMA_THOUSANDS_ONLY = r"-?[0-9]{1,3}(?:,[0-9]{3})*"
_DETECT_HEAD = 100_000
_DETECT_SAMPLE = 20_000
_DISTINCT_SAMPLE = 10_000

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_SERIAL_RANGE = (20_000, 80_000)
"""Excel serial numbers read as dates (1954 to 2119): wide enough, narrow enough to spare counts."""
YEAR_RANGE = (1900, 2200)
"""Years outside this range are typing errors in an analytics file, not dates."""

_MONTHS = {
    **dict.fromkeys(["jan", "january", "janv", "janvier"], 1),
    **dict.fromkeys(["feb", "february", "fev", "fevr", "févr", "fév", "février", "fevrier"], 2),
    **dict.fromkeys(["mar", "march", "mars"], 3),
    **dict.fromkeys(["apr", "april", "avr", "avril"], 4),
    **dict.fromkeys(["may", "mai"], 5),
    **dict.fromkeys(["jun", "june", "juin"], 6),
    **dict.fromkeys(["jul", "july", "juil", "juillet"], 7),
    **dict.fromkeys(["aug", "august", "aou", "aoû", "aout", "août"], 8),
    **dict.fromkeys(["sep", "sept", "september", "septembre"], 9),
    **dict.fromkeys(["oct", "october", "octobre"], 10),
    **dict.fromkeys(["nov", "november", "novembre"], 11),
    **dict.fromkeys(["dec", "déc", "december", "décembre", "decembre"], 12),
}
_WEEKDAY_PREFIX = (
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?,?\s+"
)
_TIME_SUFFIX = (
    r"(?:t|,?\s+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:z|utc|gmt|[+-][0-9]{2}:?[0-9]{2})?$"
)
_WORD = r"([^\W\d_]+)"


# --- Shared helpers ------------------------------------------------------------------------------


def _string_mask(values: pd.Series) -> pd.Series:
    """Which cells hold text (as opposed to numbers, dates or nothing)."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values.notna()
    if values.dtype != object:
        return pd.Series(False, index=values.index)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return pd.Series(True, index=values.index)
    return values.map(lambda value: isinstance(value, str)).astype(bool)


def _by_distinct(strings: pd.Series, parse: Callable[[pd.Series], pd.DataFrame]) -> pd.DataFrame:
    """`parse` applied to the distinct values of `strings`, spread back onto every row."""
    cells = strings.to_numpy(dtype=object)
    sample = cells[:_DISTINCT_SAMPLE]
    if len(pd.unique(sample)) > len(sample) // 2:
        # Mostly distinct (ids, large counts): factorizing would cost more than it saves.
        parsed = parse(pd.Series(cells, dtype=object))
        return parsed.set_axis(strings.index)
    codes, uniques = pd.factorize(cells)
    parsed = parse(pd.Series(uniques, dtype=object))
    return pd.DataFrame(
        {name: column.to_numpy()[codes] for name, column in parsed.items()}, index=strings.index
    )


def _is_plain_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


# --- Numbers -------------------------------------------------------------------------------------


def detect_decimal(columns: list[pd.Series]) -> str:
    """The decimal mark ("," or ".") the text cells of these columns are written with.

    Unambiguous cells vote, each once per distinct value:
    for ","  `12,5`, `1,2345`, `1 734,706` (space-grouped thousands), `1.234,5`, `1.234.567`,
    `9,60221E+14`; for "."  `12.5`, `1777.0`, `0.0234`, `1,234.5`, `1,234,567`, `1 234.5`.
    The side with more votes wins; a tie goes to ",".
    With no vote at all, a column whose every number is either below 1,000 or grouped by commas
    in threes (`1,234`, `12,500`, `87`) reads the comma as a thousands separator, hence ".".
    Otherwise "," (the product is French first). Numbers Excel stored as numbers do not vote;
    only the first 100,000 cells of each column are looked at.
    """
    samples, owners = [], []
    for number, column in enumerate(columns):
        head = column.iloc[:_DETECT_HEAD]
        strings = head[_string_mask(head)]
        if not strings.empty:
            samples.append(pd.unique(strings.to_numpy(dtype=object))[:_DETECT_SAMPLE])
            owners.append(np.full(len(samples[-1]), number))
    if not samples:
        return ","
    # Every column's distinct cells are looked at in one go (a pass of each test for all the
    # columns, not one per column), then told apart by the column they come from.
    text = _light_clean(pd.Series(np.concatenate(samples), dtype=object).astype("str"))
    kept = ~_flags(text.str.lower().isin(MISSING_MARKERS))
    text, owner = text[kept], np.concatenate(owners)[kept]
    comma_votes = int(_flags(text.str.fullmatch(_COMMA_EVIDENCE)).sum())
    point_votes = int(_flags(text.str.fullmatch(_POINT_EVIDENCE)).sum())
    if comma_votes or point_votes:
        return "." if point_votes > comma_votes else ","
    numeric = _flags(text.str.fullmatch(r"-?[0-9., ]*[0-9]"))
    with_comma = numeric & _flags(text.str.contains(",", regex=False))
    not_grouped = numeric & ~_flags(text.str.fullmatch(_COMMA_THOUSANDS_ONLY))
    # A column reads its commas as thousands separators if one of its numbers has a comma and
    # every one of them is grouped by commas in threes.
    comma_thousands = np.setdiff1d(owner[with_comma], owner[not_grouped])
    return "." if len(comma_thousands) else ","


def _flags(mask: pd.Series) -> np.ndarray:
    """A boolean Series as a NumPy array, missing as False."""
    return mask.fillna(False).to_numpy(dtype=bool)


def _light_clean(text: pd.Series) -> pd.Series:
    """Cells with signs, currency and percent removed, every kind of space turned into one space."""
    text = text.str.strip().str.replace(f"[{_SPACES}]+", " ", regex=True)
    text = text.str.replace("[€$£%']|EUR|eur", "", regex=True).str.strip()
    return text.str.replace("\u2212", "-", regex=False).str.replace(r"^\+", "", regex=True)


def parse_numbers(values: pd.Series, decimal: str) -> tuple[pd.Series, pd.Series]:
    """The cells as float64 (NaN when missing or unreadable) and the mask of unreadable cells.

    Text cells may carry spaces of any kind (between digits only as thousands separators),
    a currency (€ $ £ EUR), a trailing %, a leading apostrophe or + sign, a minus sign (- or U+2212), thousands separators (the mark that is not
    `decimal`, only in groups of three) and an exponent. A single mark of the other kind that
    cannot be a thousands separator (`12.5` when `decimal` is ",") is read as the decimal mark.
    """
    if decimal not in _GROUPED:
        raise ValueError(f"decimal must be ',' or '.', not {decimal!r}")
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
        return numbers, pd.Series(False, index=values.index)
    numbers = pd.Series(np.nan, index=values.index, dtype="float64")
    invalid = pd.Series(False, index=values.index)

    is_text = _string_mask(values).to_numpy()
    if is_text.any():
        parsed = _by_distinct(values[is_text], lambda u: _parse_number_text(u, decimal))
        numbers[is_text] = parsed["number"].to_numpy(dtype="float64")
        invalid[is_text] = parsed["invalid"].to_numpy(dtype=bool)

    is_other = ~is_text & values.notna().to_numpy()
    if is_other.any():
        others = values[is_other].to_numpy(dtype=object)
        plain = np.fromiter(map(_is_plain_number, others), dtype=bool, count=len(others))
        positions = np.flatnonzero(is_other)
        numbers.iloc[positions[plain]] = others[plain].astype("float64")
        invalid.iloc[positions[~plain]] = True
    return numbers, invalid


K = TypeVar("K")

_JOINED_CELLS = 100_000
"""Up to this many cells in all, `parse_number_columns` reads the columns as one."""


def parse_number_columns(
    columns: Mapping[K, pd.Series], decimal: str, hours: Collection[K] = ()
) -> dict[K, tuple[pd.Series, pd.Series]]:
    """`parse_numbers` of each column (`parse_hours` of those named in `hours`). A table's text
    columns of figures are read in one go: on a few hundred cells, pandas costs more per call than
    the reading itself (each cell is read on its own, so the answers are the same)."""
    parsed = {key: parse_hours(column, decimal) for key, column in columns.items() if key in hours}
    rest = {key: column for key, column in columns.items() if key not in hours}
    joined = [
        key
        for key, column in rest.items()
        if not pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column)
    ]
    if len(joined) > 1 and sum(len(rest[key]) for key in joined) <= _JOINED_CELLS:
        cells = pd.Series(
            np.concatenate([rest[key].to_numpy(dtype=object) for key in joined]), dtype=object
        )
        numbers, invalid = (part.to_numpy() for part in parse_numbers(cells, decimal))
        start = 0
        for key in joined:
            index = rest[key].index
            end = start + len(index)
            parsed[key] = (
                pd.Series(numbers[start:end], index=index),
                pd.Series(invalid[start:end], index=index),
            )
            start = end
    for key, column in rest.items():
        if key not in parsed:
            parsed[key] = parse_numbers(column, decimal)
    return {key: parsed[key] for key in columns}


def _parse_number_text(distinct: pd.Series, decimal: str) -> pd.DataFrame:
    text = distinct.astype("str")
    # Most cells are bare numbers: only the others pay for the cleaning below.
    plain = text.str.fullmatch(_PLAIN[decimal]).astype(bool)
    missing = pd.Series(False, index=text.index)
    badly_spaced = pd.Series(False, index=text.index)
    if not plain.all():
        messy = text[~plain]
        # Spaces are dropped below, so check first that they only separated groups of three:
        # "2 3" is not 23.
        gaps = messy.str.contains(_DIGIT_GAP, regex=True).astype(bool)
        if gaps.any():
            grouped = messy.str.fullmatch(_SPACE_GROUPED).astype(bool)
            badly_spaced[~plain] = (gaps & ~grouped).to_numpy()
        messy = messy.str.replace(_NUMBER_NOISE, "", regex=True)
        missing[~plain] = messy.str.lower().isin(MISSING_MARKERS).astype(bool)
        # Signs and markers are rare: probing first is much cheaper than rewriting every cell.
        if messy.str.contains("\u2212", regex=False).any():
            messy = messy.str.replace("\u2212", "-", regex=False)
        if messy.str.contains("['+%]", regex=True).any():
            messy = messy.str.replace("^'", "", regex=True).str.replace(r"^\+|%$", "", regex=True)
        thousands = "." if decimal == "," else ","
        grouped = messy.str.fullmatch(_GROUPED[decimal]).astype(bool)
        messy = messy.where(~grouped, messy.str.replace(thousands, "", regex=False))
        text = text.where(plain, messy)
    text = text.where(
        text.str.contains(".", regex=False).astype(bool), text.str.replace(",", ".", regex=False)
    )
    valid = plain | (text.str.fullmatch(_NUMBER).astype(bool) & ~missing & ~badly_spaced)
    return pd.DataFrame({"number": _to_float(text.where(valid)), "invalid": ~valid & ~missing})


def _to_float(text: pd.Series) -> pd.Series:
    """Cells already checked to be plain numbers (or missing), as float64."""
    try:
        # With pyarrow (always there with Streamlit) the cast is ten times faster than pandas'
        # own string-to-float path, which remains the fallback.
        floats = text.astype("float64[pyarrow]").to_numpy(dtype="float64", na_value=np.nan)
        return pd.Series(floats, index=text.index)
    except (ImportError, TypeError, ValueError):
        return pd.to_numeric(text, errors="coerce").astype("float64")


def parse_hours(values: pd.Series, decimal: str) -> tuple[pd.Series, pd.Series]:
    """Durations as hours (float64) and the mask of unreadable cells.

    Accepts what parse_numbers accepts (a number of hours) and `12h30`, `12 h 30`, `1h`,
    `1h30min`, `12:30`, `12:30:00`, `45 min`, `1,5 h`.
    """
    hours = pd.Series(np.nan, index=values.index, dtype="float64")
    invalid = pd.Series(False, index=values.index)
    is_text = _string_mask(values).to_numpy()
    if is_text.any():
        parsed = _by_distinct(values[is_text], _parse_duration_text)
        hours[is_text] = parsed["hours"].to_numpy(dtype="float64")
    rest = hours.isna().to_numpy()
    numbers, unreadable = parse_numbers(values[rest], decimal)
    hours[rest] = numbers.to_numpy()
    invalid[rest] = unreadable.to_numpy()
    return hours, invalid


def _parse_duration_text(distinct: pd.Series) -> pd.DataFrame:
    text = distinct.str.lower().str.replace(f"[{_SPACES}]", "", regex=True)
    hours = pd.Series(np.nan, index=distinct.index, dtype="float64")

    def number(part: pd.Series) -> pd.Series:
        return pd.to_numeric(part.str.replace(",", ".", regex=False), errors="coerce")

    h_m = text.str.extract(r"^([0-9]+)h(?:([0-9]{1,2})(?:min|mn|m)?)?$")
    minutes = number(h_m[1]).fillna(0)
    hours = hours.fillna((number(h_m[0]) + minutes / 60).where(minutes < 60))

    clock = text.str.extract(r"^([0-9]+):([0-9]{2})(?::([0-9]{2}))?$")
    minutes, seconds = number(clock[1]), number(clock[2]).fillna(0)
    in_range = (minutes < 60) & (seconds < 60)
    hours = hours.fillna((number(clock[0]) + minutes / 60 + seconds / 3600).where(in_range))

    hours = hours.fillna(number(text.str.extract(r"^([0-9]+(?:[.,][0-9]+)?)(?:min|mn)$")[0]) / 60)
    hours = hours.fillna(number(text.str.extract(r"^([0-9]+[.,][0-9]+)h$")[0]))
    return pd.DataFrame({"hours": hours})


# --- Dates ---------------------------------------------------------------------------------------


@dataclass
class ParsedDates:
    """A date column read as days or months: first and last day covered by each cell."""

    start: pd.Series
    end: pd.Series
    granularity: str
    invalid: pd.Series
    format_note: str


def parse_dates(values: pd.Series, dayfirst: bool | None = None) -> ParsedDates:
    """The dates in a column, as days or (if most cells name a month) months.

    Reads Excel dates and serial numbers, ISO dates with or without a time or offset (the date
    is kept as written), `DD/MM/YYYY` or `MM/DD/YYYY` with `/ - .` and two- or four-digit years,
    English and French month names with or without weekday, and months (`2025-01`, `01/2025`,
    `janv. 2025`, `January 2025`). Whether `03/04/2025` is day first comes from `dayfirst`, or
    else from the distinct cells where one side exceeds 12 (the majority wins), or else day first.
    Granularity is decided per column by the majority of readable cells: cells of the other
    granularity are invalid, and so are dates without a year.
    """
    index = values.index
    is_datetime = pd.api.types.is_datetime64_any_dtype(values.dtype)
    is_text = None if is_datetime else _string_mask(values)
    if is_text is not None and is_text.all():
        found = _by_distinct(values, lambda distinct: _dates_from_text(distinct, dayfirst))
    else:
        found = pd.DataFrame(
            {
                "start": pd.Series(pd.NaT, index=index, dtype="datetime64[ns]"),
                "grain": pd.Series(None, index=index, dtype=object),
                "label": pd.Series(None, index=index, dtype=object),
                "missing": values.isna().to_numpy(),
            },
            index=index,
        )
    if is_datetime:
        _set(found, values.notna(), _wall_dates(values.dropna()), "day", "Excel date")
    elif not is_text.all():
        if is_text.any():
            parsed = _by_distinct(values[is_text], lambda d: _dates_from_text(d, dayfirst))
            rows = np.flatnonzero(is_text.to_numpy())
            for position, name in enumerate(found.columns):
                found.iloc[rows, position] = parsed[name].to_numpy()
        is_other = ~is_text & values.notna()
        if is_other.any():
            others = values[is_other]
            is_number = is_other.copy()
            is_number[is_other] = others.map(_is_plain_number).astype(bool).to_numpy()
            serials = values[is_number].astype("float64")
            _set(found, is_number, _serial_dates(serials), "day", "Excel serial number")
            is_date = is_other & ~is_number
            is_date[is_date] = values[is_date].map(_is_date_object).astype(bool).to_numpy()
            if is_date.any():
                _set(found, is_date, _wall_dates(values[is_date]), "day", "Excel date")

    grain = found["grain"]
    granularity = "month" if (grain == "month").sum() > (grain == "day").sum() else "day"
    start = found["start"].where(grain == granularity).astype("datetime64[ns]")
    end = _last_days_of_months(start) if granularity == "month" else start.copy()
    invalid = (start.isna() & ~found["missing"].astype(bool)).astype(bool)
    labels = found["label"][start.notna()]
    note = " + ".join(labels.value_counts().index.tolist())
    return ParsedDates(start, end, granularity, invalid, note)


def parse_distinct_dates(
    texts: pd.Series, counts: np.ndarray, dayfirst: bool | None = None, *, per_cell: bool = False
) -> ParsedDates:
    """`parse_dates` over a text column given as its distinct cells and how many times each
    occurs; the results are per distinct cell.

    Which side of `03/04/2025` is the day is decided, as `parse_dates` does, by each distinct
    cell, or by every cell when `per_cell` (what `parse_dates` does when most cells differ).
    """
    texts = texts.reset_index(drop=True)
    weights = np.asarray(counts, dtype="int64")
    found = _dates_from_text(texts, dayfirst, weights if per_cell else None)
    grain = found["grain"].to_numpy(dtype=object)
    months, days = weights[grain == "month"].sum(), weights[grain == "day"].sum()
    granularity = "month" if months > days else "day"
    start = found["start"].where(grain == granularity).astype("datetime64[ns]")
    end = _last_days_of_months(start) if granularity == "month" else start.copy()
    invalid = (start.isna() & ~found["missing"].astype(bool)).astype(bool)
    readable = start.notna().to_numpy()
    labels = pd.Series(weights[readable], index=found["label"][readable].to_numpy())
    note = " + ".join(labels.groupby(level=0, sort=False).sum().sort_values(ascending=False).index)
    return ParsedDates(start, end, granularity, invalid, note)


def _set(found: pd.DataFrame, rows: pd.Series, dates: pd.Series, grain: str, label: str) -> None:
    """Store `dates` (one per True in `rows`) with their granularity and format label."""
    positions = np.flatnonzero(rows.to_numpy(dtype=bool))
    stamps = dates.to_numpy(dtype="datetime64[ns]")
    found.iloc[positions, found.columns.get_loc("start")] = stamps
    readable = positions[~np.isnat(stamps)]
    found.iloc[readable, found.columns.get_loc("grain")] = grain
    found.iloc[readable, found.columns.get_loc("label")] = label


def _is_date_object(value: object) -> bool:
    return isinstance(value, dt.date | np.datetime64)


def _wall_dates(values: pd.Series) -> pd.Series:
    """Dates as written on the calendar, whatever time and time zone came with them."""
    try:
        stamps = pd.to_datetime(values, errors="coerce")
        if stamps.dt.tz is not None:
            stamps = stamps.dt.tz_localize(None)
    except (TypeError, ValueError):
        # Mixed time zones cannot share one column: fall back to each cell's own calendar date.
        stamps = pd.to_datetime(
            values.map(lambda v: pd.Timestamp(v).replace(tzinfo=None)), errors="coerce"
        )
    return stamps.dt.normalize().astype("datetime64[ns]")


def _serial_dates(numbers: pd.Series) -> pd.Series:
    """Excel serial numbers (days since 1899-12-30, time as a fraction) as dates."""
    low, high = EXCEL_SERIAL_RANGE
    days = np.floor(numbers.where(numbers.between(low, high)))
    return (EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]")


def _dates_from_text(
    distinct: pd.Series, dayfirst: bool | None, weights: np.ndarray | None = None
) -> pd.DataFrame:
    """Start date, granularity and format label of each distinct text cell of a column
    (`weights`: how many cells each stands for when the day order is decided)."""
    parts = _date_parts_from_text(distinct)
    _resolve_day_order(parts, dayfirst, weights)
    day = pd.Series(_dates_from_parts(parts["year"], parts["month"], parts["day"]), parts.index)
    month = pd.Series(
        _dates_from_parts(parts["year"], parts["month"], pd.Series(1.0, parts.index)), parts.index
    ).where(parts["day"].isna())
    serial = parts["label"] == "Excel serial number"
    if serial.any():
        day[serial] = _serial_dates(parts.loc[serial, "first"])
    grain = pd.Series(np.where(day.notna(), "day", np.where(month.notna(), "month", None)))
    return pd.DataFrame(
        {
            "start": day.fillna(month).astype("datetime64[ns]"),
            "grain": grain.to_numpy(dtype=object),
            "label": parts["label"].where(grain.notna().to_numpy()),
            "missing": parts["missing"].astype(bool),
        }
    )


def _date_parts_from_text(distinct: pd.Series) -> pd.DataFrame:
    """Year, month, day (or the two ambiguous leading numbers) of each distinct text cell."""
    text = distinct.str.strip().str.lower()
    missing = text.isin(MISSING_MARKERS)
    text = text.str.replace(_TIME_SUFFIX, "", regex=True)
    text = text.str.replace(_WEEKDAY_PREFIX, "", regex=True)
    text = text.str.replace(r"\b([0-9]{1,2})(?:er|re|st|nd|rd|th)\b", r"\1", regex=True)
    text = text.str.strip()
    # Plain arrays while the formats are tried in turn: on a column's few distinct cells, pandas'
    # indexing would cost far more than the work itself.
    numbers = {
        name: np.full(len(text), np.nan) for name in ("year", "month", "day", "first", "second")
    }
    labels = np.full(len(text), None, dtype=object)

    def fill(
        found: pd.DataFrame,
        columns: dict[str, int],
        label: str | pd.Series,
        rows: pd.Series | None = None,
    ) -> None:
        """Read the cells not yet read (among `rows`) whose every group of `found` matched: the
        parts `columns` names, and `label` as their format."""
        cells = found.to_numpy(dtype=object)
        matched = pd.notna(cells).all(axis=1) & pd.isna(labels)
        if rows is not None:
            matched &= rows.to_numpy(dtype=bool)
        if not matched.any():
            return
        for name, group in columns.items():
            numbers[name][matched] = pd.to_numeric(cells[matched, group])
        labels[matched] = label if isinstance(label, str) else label.to_numpy(dtype=object)[matched]

    numeric = text.str.extract(r"^([0-9]{1,4})([-/.])([0-9]{1,2})[-/.]([0-9]{1,4})$")
    sep = numeric[1].fillna("")
    year_label = numeric[3].str.len().map({2: "YY"}).fillna("YYYY")
    lengths = numeric[0].str.len()
    fill(
        numeric,
        {"year": 0, "month": 2, "day": 3},
        "YYYY" + sep + "MM" + sep + "DD",
        rows=(lengths == 4).fillna(False),
    )
    fill(
        numeric,
        {"first": 0, "second": 2, "year": 3},
        "..." + sep + "..." + sep + year_label,
        rows=(lengths <= 2).fillna(False),
    )

    # The other formats are tried only while some cell is still unread (a column is nearly always
    # written in one format: most exports stop here).
    readable = (text.fillna("") != "").to_numpy(dtype=bool) & ~missing.to_numpy(dtype=bool)

    def unread() -> bool:
        return bool((pd.isna(labels) & readable).any())

    if unread():
        compact = text.str.extract(r"^([0-9]{4})([0-9]{2})([0-9]{2})$")
        fill(compact, {"year": 0, "month": 1, "day": 2}, "YYYYMMDD")
        fill(text.str.extract(r"^([0-9]{4})[-/.]([0-9]{1,2})$"), {"year": 0, "month": 1}, "YYYY-MM")
        fill(text.str.extract(r"^([0-9]{1,2})[-/.]([0-9]{4})$"), {"month": 0, "year": 1}, "MM/YYYY")

    if unread():
        words = text.str.replace(r"[.,/-]", " ", regex=True).str.replace(r"\s+", " ", regex=True)
        words = words.str.strip()
        day, year = "([0-9]{1,2})", "([0-9]{4})"
        for pattern, groups, label in (
            (f"^{_WORD} {day} {year}$", {"month": 0, "day": 1, "year": 2}, "month DD YYYY"),
            (f"^{day} {_WORD} {year}$", {"day": 0, "month": 1, "year": 2}, "DD month YYYY"),
            (f"^{_WORD} {year}$", {"month": 0, "year": 1}, "month YYYY"),
        ):
            found = words.str.extract(pattern)
            month_column = groups["month"]
            found[month_column] = found[month_column].map(_MONTHS)
            fill(found, groups, label)

    if unread():
        serial = text.str.fullmatch(r"[0-9]{5}(?:\.[0-9]+)?").fillna(False).to_numpy(dtype=bool)
        serial = serial & pd.isna(labels)
        numbers["first"][serial] = pd.to_numeric(text.to_numpy(dtype=object)[serial])
        labels[serial] = "Excel serial number"
    return pd.DataFrame(
        {**numbers, "label": labels, "missing": missing.to_numpy(dtype=bool)}, index=distinct.index
    )


def _resolve_day_order(
    parts: pd.DataFrame, dayfirst: bool | None, weights: np.ndarray | None = None
) -> None:
    """Turn the two leading numbers of `..-..-YYYY` cells into day and month."""
    ambiguous = parts["second"].notna()
    if not ambiguous.any():
        return
    first, second = parts["first"], parts["second"]
    if dayfirst is None:
        cells = 1 if weights is None else weights
        day_evidence = int((((first > 12) & (second <= 12) & ambiguous) * cells).sum())
        month_evidence = int((((second > 12) & (first <= 12) & ambiguous) * cells).sum())
        dayfirst = day_evidence >= month_evidence
    day, month = (first, second) if dayfirst else (second, first)
    parts.loc[ambiguous, "day"] = day[ambiguous]
    parts.loc[ambiguous, "month"] = month[ambiguous]
    labels = parts.loc[ambiguous, "label"].astype(str)
    order = r"DD\1MM\2" if dayfirst else r"MM\1DD\2"
    parts.loc[ambiguous, "label"] = labels.str.replace(r"^\.\.\.(.)\.\.\.(.)", order, regex=True)
    year = parts.loc[ambiguous, "year"]
    # Two-digit years pivot like strptime's %y: 69-99 are the 1900s, the rest the 2000s.
    parts.loc[ambiguous, "year"] = year.where(year >= 100, year + np.where(year < 69, 2000, 1900))


def _dates_from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> np.ndarray:
    """datetime64[ns] dates from float parts, NaT where a part is missing or out of range."""
    y, m, d = (s.to_numpy(dtype="float64") for s in (year, month, day))
    low, high = YEAR_RANGE
    with np.errstate(invalid="ignore"):
        ok = (y >= low) & (y <= high) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
        ok &= (m == np.floor(m)) & (d == np.floor(d))
    months = np.where(ok, (y - 1970) * 12 + m - 1, 0).astype("int64").astype("datetime64[M]")
    first_days = months.astype("datetime64[D]")
    lengths = ((months + 1).astype("datetime64[D]") - first_days).astype("int64")
    ok &= np.where(ok, d, 0) <= lengths
    dates = first_days + (np.where(ok, d, 1) - 1).astype("int64").astype("timedelta64[D]")
    dates = dates.astype("datetime64[ns]")
    dates[~ok] = np.datetime64("NaT")
    return dates


def _last_days_of_months(start: pd.Series) -> pd.Series:
    months = start.to_numpy(dtype="datetime64[M]")
    last = ((months + 1).astype("datetime64[D]") - np.timedelta64(1, "D")).astype("datetime64[ns]")
    return pd.Series(last, index=start.index).where(start.notna())
