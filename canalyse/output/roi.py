"""What the Return on investment page shows besides its charts: every figure and ratio as a table."""

from __future__ import annotations

import pandas as pd

from canalyse.i18n import t
from canalyse.output import tables
from canalyse.platforms import label
from canalyse.ratios import RATIOS

_RATIO_KINDS = {
    "eur": tables.MONEY,
    "eur_precise": tables.MONEY_PRECISE,
    "share": tables.PERCENT,
    "count": tables.COUNT,
    "number": tables.NUMBER,
}


def roi_display_table(table: pd.DataFrame, lang: str) -> tables.Table:
    """The ROI table as people read it: views, hours, spend, engagements and every ratio of
    `canalyse.ratios`; « — » where a figure cannot be computed."""
    columns = {
        t("table.platform", lang): (table["platform"].map(label), tables.TEXT),
        t("table.views", lang): (table["views"], tables.COUNT),
        t("roi.table.hours", lang): (table["staff_hours"], tables.NUMBER),
        t("roi.table.spend", lang): (table["spend"], tables.MONEY),
        t("roi.table.engagements", lang): (table["engagements"], tables.COUNT),
    }
    for ratio in RATIOS:
        columns[t(ratio.header_key, lang)] = (table[ratio.name], _RATIO_KINDS[ratio.unit])
    return tables.Table.from_columns(columns, {t("table.views", lang): t("views.none", lang)})
