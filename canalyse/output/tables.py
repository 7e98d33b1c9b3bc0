"""Tables as pages show them and as people download them: one typed table, two renderings.

A `Table` holds numbers as numbers under readable headers in the user's language, and says what
each column holds (a count, euros, a share…). The page shows `display()` — every figure written
the French or English way, a word where a figure is missing — and the downloads write the same
rows and columns with real numbers (`canalyse.output.downloads`), so Excel can add them up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from canalyse.formatting import MISSING, fmt_int, fmt_money, fmt_number, fmt_percent, signed

# What a column holds, and how many decimals a spreadsheet keeps of it.
TEXT = "text"
COUNT = "count"  # a whole number: views, engagements
NUMBER = "number"  # one decimal: hours, views per follower
MONEY = "money"  # euros, two decimals
MONEY_PRECISE = "money_precise"  # euros, four decimals (a cost per view)
PERCENT = "percent"  # a fraction (0.44), shown as 44,0 %
WHOLE_PERCENT = "whole_percent"  # a fraction shown without decimals (44 %)
SIGNED_COUNT = "signed_count"  # a change: +2 000, -64
SIGNED_NUMBER = "signed_number"  # a change with one decimal: +5,0 h
SIGNED_PERCENT = "signed_percent"  # a change as a fraction: +20,0 %
SIGNED_WHOLE_PERCENT = "signed_whole_percent"  # the same without decimals: +20 %
SCORE = "score"  # a whole number out of 100
KINDS = (
    TEXT,
    COUNT,
    NUMBER,
    MONEY,
    MONEY_PRECISE,
    PERCENT,
    WHOLE_PERCENT,
    SIGNED_COUNT,
    SIGNED_NUMBER,
    SIGNED_PERCENT,
    SIGNED_WHOLE_PERCENT,
    SCORE,
)
PERCENT_KINDS = (PERCENT, WHOLE_PERCENT, SIGNED_PERCENT, SIGNED_WHOLE_PERCENT)


@dataclass(frozen=True)
class Table:
    """Typed values under their headers; `kinds` says what each column holds, `missing` how a
    missing figure reads in that column (« — » by default, « pas de vues publiées »…). A cell of
    a figure column may hold a word instead of a number (« non mesuré »): it is kept as text."""

    frame: pd.DataFrame
    kinds: dict[str, str]
    missing: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = {c: k for c, k in self.kinds.items() if k not in KINDS}
        if unknown or list(self.kinds) != list(self.frame.columns):
            raise ValueError(f"every column needs a known kind: {unknown or list(self.kinds)}")

    @classmethod
    def from_columns(
        cls, columns: dict[str, tuple[object, str]], missing: dict[str, str] | None = None
    ) -> Table:
        """A table from {header: (values, kind)}, its columns in the order given."""
        frame = pd.DataFrame({header: list(values) for header, (values, _) in columns.items()})
        kinds = {header: kind for header, (_, kind) in columns.items()}
        return cls(frame, kinds, dict(missing or {}))

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def missing_text(self, column: str) -> str:
        """How a missing value of `column` reads: « — » unless the column says otherwise."""
        return self.missing.get(column, MISSING)

    def display(self, lang: str) -> pd.DataFrame:
        """Every cell as text, the way the page shows it (Streamlit would print « None » for a
        missing number whatever the formatting asked for)."""
        shown = pd.DataFrame(index=self.frame.index)
        for column, kind in self.kinds.items():
            write = _writer(kind, lang)
            missing = self.missing_text(column)
            shown[column] = [
                missing if is_missing(value) else value if isinstance(value, str) else write(value)
                for value in self.frame[column]
            ]
        return shown.reset_index(drop=True)


def is_missing(value: object) -> bool:
    """True for None, NaN and NaT: a figure nobody has."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _writer(kind: str, lang: str) -> Callable[[object], str]:
    return {
        TEXT: str,
        COUNT: lambda v: fmt_int(v, lang),
        SCORE: lambda v: fmt_int(v, lang),
        NUMBER: lambda v: fmt_number(v, lang, 1),
        MONEY: lambda v: fmt_money(v, lang),
        MONEY_PRECISE: lambda v: fmt_money(v, lang, decimals=4),
        PERCENT: lambda v: fmt_percent(v, lang),
        WHOLE_PERCENT: lambda v: fmt_percent(v, lang, decimals=0),
        SIGNED_COUNT: lambda v: signed(v, fmt_int(v, lang)),
        SIGNED_NUMBER: lambda v: signed(v, fmt_number(v, lang, 1)),
        SIGNED_PERCENT: lambda v: signed(v, fmt_percent(v, lang)),
        SIGNED_WHOLE_PERCENT: lambda v: signed(v, fmt_percent(v, lang, decimals=0)),
    }[kind]
