"""What identifies a figure across imports: one key builder, in SQL, and its twin for one table."""

from __future__ import annotations

import pandas as pd

# One key per figure. Posts are identified without their date (a re-export may move it a day);
# a hand-made row also by its campaign (another campaign's summary adds, it does not replace);
# `key_extra` tells undated summaries apart (their file name).
FACT_KEY_MACRO = """
CREATE OR REPLACE MACRO fact_key(platform, account, grain, item_key, period_start, period_end,
                                      key_campaign, campaign, key_extra) AS
    concat_ws('|', platform, account, grain, coalesce(item_key, ''),
        CASE
            WHEN grain = 'post' OR period_start IS NULL THEN ''
            WHEN grain = 'day' THEN strftime(period_start, '%Y-%m-%d')
            ELSE strftime(period_start, '%Y-%m-%d') || '/' || strftime(period_end, '%Y-%m-%d')
        END,
        CASE WHEN key_campaign THEN lower(campaign) ELSE '' END,
        coalesce(key_extra, ''));
"""


def repeated_rows(facts: pd.DataFrame, keep: str | bool = "last") -> pd.Series:
    """Rows of one table that are the same figure as another of its rows (same `fact_key`).

    Mirrors the parts of `fact_key` without building the text: a post is its item, a day or a
    period its dates, a hand-made row also its campaign, an undated summary its `key_extra`.
    """

    def column(name: str, default: object = "") -> pd.Series:
        if name in facts:
            return facts[name]
        return pd.Series(default, index=facts.index)

    parts = {
        name: column(name).astype(object).fillna("").astype(str)
        for name in ("platform", "account", "grain", "item_key", "key_extra")
    }
    is_post = parts["grain"].eq("post")
    for name in ("period_start", "period_end"):
        parts[name] = column(name, None).astype(str).where(~is_post, "")
    in_key = column("key_campaign", False).astype(object).fillna(False).astype(bool)
    campaign = column("campaign").astype(object).fillna("").astype(str)
    parts["campaign"] = campaign.str.lower().where(in_key, "")
    return pd.DataFrame(parts, index=facts.index).duplicated(keep=keep)
