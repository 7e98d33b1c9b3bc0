"""Staff hours and ad spend typed in the app, per network and month, stored straight as figures.

Typed rows are figures like those of an imported hours table (same key: network, account,
campaign, month), so a month typed here and the same month in a hand-made table are one figure
and the most recent wins. Each save replaces the previous typed rows in one transaction.
Amounts are read in the page's language and kept exact: money to the cent.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import duckdb
import pandas as pd

from canalyse import store
from canalyse.formatting import fmt_number
from canalyse.i18n import t
from canalyse.importing.values import parse_dates
from canalyse.platforms import label, normalise_platform
from canalyse.store.keys import repeated_rows

TYPED_NAME = "canalyse:saisie"
COLUMNS = ("month", "platform", "campaign", "staff_hours", "spend")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_UNIT = re.compile(r"\s*(€|eur|euros?|h|heures?|hours?)\s*$", re.IGNORECASE)
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class SaveResult:
    """What saving the typed table did: status "saved" or "error", and a message when refused."""

    status: str
    message: str = ""
    rows: int = 0


def parse_amount(text: object, lang: str) -> Decimal | None:
    """A number typed in the page's language: `12,5` in French, `12.5` in English; blank → None.

    Spaces group thousands in both languages. French: the comma is the decimal mark; a dot is one
    too, unless three digits follow it (`1.234`: a thousand or one and a bit?), which is refused as
    ambiguous; `1.234,5` reads dots as groups. English: the dot is the decimal mark and commas group
    thousands (`1,234.5`); a comma followed by other than three digits (`12,5`) is refused as
    ambiguous. Raises ValueError("ambiguous") or ValueError("not a number").
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    if isinstance(text, int | float | Decimal):
        return Decimal(str(text))
    cleaned = _SPACES.sub("", _UNIT.sub("", str(text).strip()))
    if not cleaned:
        return None
    if lang == "fr":
        if "," in cleaned:
            whole, _, decimals = cleaned.rpartition(",")
            if "," in whole or not re.fullmatch(r"-?\d{1,3}(\.\d{3})*|-?\d+", whole):
                raise ValueError("not a number")
            cleaned = whole.replace(".", "") + "." + decimals
        elif re.fullmatch(r"-?\d+\.\d{3}", cleaned):
            raise ValueError("ambiguous")
    else:
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
            cleaned = cleaned.replace(",", "")
        elif "," in cleaned:
            raise ValueError("ambiguous")
    if not _PLAIN.match(cleaned):
        raise ValueError("not a number")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc


def format_amount(value: object, lang: str, decimals: int) -> str:
    """A stored amount as the editor shows it, in the page's language, without trailing zeros."""
    if value is None or pd.isna(value):
        return ""
    text = fmt_number(value, lang, decimals)
    if decimals:
        text = text.rstrip("0").rstrip(",.")
    return text


def current_efforts(con: duckdb.DuckDBPyConnection, lang: str) -> pd.DataFrame:
    """The efforts last saved in the app, as the editor shows them (text in the page's language):
    month (YYYY-MM), platform label, campaign, staff_hours, spend."""
    frame = con.execute(
        "SELECT strftime(period_start, '%Y-%m') AS month, platform, campaign, staff_hours, spend "
        "FROM facts WHERE source_id IN (SELECT source_id FROM sources WHERE kind = 'typed') "
        "ORDER BY period_start, platform, campaign"
    ).df()
    frame["platform"] = frame["platform"].map(label)
    # An empty cell reads empty, not « None ».
    frame["campaign"] = frame["campaign"].fillna("")
    frame["staff_hours"] = frame["staff_hours"].map(lambda v: format_amount(v, lang, 2))
    frame["spend"] = frame["spend"].map(lambda v: format_amount(v, lang, 2))
    return frame.reindex(columns=list(COLUMNS)).astype(object)


def _refuse(key: str, row: int, value: object, lang: str) -> SaveResult:
    return SaveResult("error", t(key, lang, row=row, value=str(value)[:40]))


def save_efforts(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, lang: str) -> SaveResult:
    """Replace the typed efforts with `rows` (columns COLUMNS), in one transaction.

    A row without a month or a network is ignored (an empty line of the editor). A month, a
    network or an amount that cannot be read refuses the whole table, names the row, and changes
    nothing.
    """
    rows = rows.reindex(columns=list(COLUMNS)).reset_index(drop=True)
    blank = rows["month"].astype(object).map(lambda v: str(v or "").strip() == "" or pd.isna(v))
    filled = rows[~blank & rows["platform"].notna()]
    facts = []
    for number, row in zip(filled.index + 1, filled.itertuples(index=False), strict=True):
        platform = normalise_platform(str(row.platform))
        if platform is None:
            return _refuse("efforts.error.platform", number, row.platform, lang)
        months = parse_dates(pd.Series([str(row.month).strip()]))
        if months.invalid.iloc[0] or months.granularity != "month":
            return _refuse("efforts.error.month", number, row.month, lang)
        amounts = {}
        for column in ("staff_hours", "spend"):
            value = getattr(row, column)
            try:
                amounts[column] = parse_amount(value, lang)
            except ValueError as exc:
                return _refuse(
                    f"efforts.error.{exc.args[0].replace(' ', '_')}", number, value, lang
                )
            if amounts[column] is not None and amounts[column] < 0:
                return _refuse("efforts.error.negative", number, value, lang)
        if amounts["staff_hours"] is None and amounts["spend"] is None:
            continue
        spend = amounts["spend"]
        facts.append(
            {
                "platform": platform,
                "account": "",
                "grain": "period",
                "period_start": months.start.iloc[0].date(),
                "period_end": months.end.iloc[0].date(),
                "campaign": "" if pd.isna(row.campaign) else str(row.campaign or "").strip(),
                "key_campaign": True,
                "key_extra": "",
                "staff_hours": None
                if amounts["staff_hours"] is None
                else float(amounts["staff_hours"]),
                "spend": None if spend is None else float(spend.quantize(Decimal("0.01"))),
            }
        )
    frame = pd.DataFrame(facts, columns=list(store.INPUT_COLUMNS))
    duplicated = repeated_rows(frame, keep=False) if len(frame) else pd.Series([], dtype=bool)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        value = f"{first['period_start']:%Y-%m} {label(first['platform'])}"
        return _refuse("efforts.error.repeated", int(duplicated.idxmax()) + 1, value, lang)
    earlier = store.sources_of_kind(con, "typed")
    with store.transaction(con):
        store.delete_sources(con, earlier)
        if len(frame):
            dates = frame["period_start"]
            store.add_source(
                con,
                file_name=TYPED_NAME,
                content_hash=f"typed:{uuid.uuid4()}",
                campaign=None,
                tables=[
                    {
                        "table_name": TYPED_NAME,
                        "layout": "typed",
                        "platform": None,
                        "grain": "period",
                        "rows": len(frame),
                        "date_min": dates.min(),
                        "date_max": frame["period_end"].max(),
                    }
                ],
                facts=[frame],
                kind="typed",
            )
    return SaveResult("saved", rows=len(frame))
