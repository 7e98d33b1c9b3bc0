"""What the Trends page shows besides its charts: the growth and before-and-after tables, the
comparison's window in words, and the events as a table and as choices."""

from __future__ import annotations

import pandas as pd

from canalyse.analysis.events import COMPARED, OTHER_GRAIN, SHORT, BeforeAfter
from canalyse.analysis.trends import Growth, period_label, span_words
from canalyse.formatting import fmt_date, fmt_period
from canalyse.i18n import t
from canalyse.output import tables
from canalyse.platforms import label


def growth_table(result: Growth, granularity: str, lang: str) -> tables.Table:
    """The growth table: views this period and the previous one, the change and its percentage;
    « — » when unknown."""
    current = period_label(result.current, granularity, lang)
    previous = period_label(result.previous, granularity, lang)
    frame = result.table
    columns = {
        t("trends.growth.platform", lang): (frame["platform"].map(label), tables.TEXT),
        current: (frame["views"], tables.COUNT),
        previous: (frame["previous_views"], tables.COUNT),
        t("trends.growth.change", lang): (frame["change"], tables.SIGNED_COUNT),
        t("trends.growth.change_percent", lang): (frame["change_ratio"], tables.SIGNED_PERCENT),
    }
    return tables.Table.from_columns(columns)


def comparison_text(result: BeforeAfter, lang: str) -> str:
    """« Comparaison sur 3 mois avant (du 01/01/2025 au 31/03/2025) et 3 mois après (du 01/04/2025
    au 30/06/2025) l'événement du 01/04/2025 »."""
    first_before, last_before, first_after, last_after = result.windows
    return t(
        "trends.before_after.window",
        lang,
        span=span_words(result.periods, result.grain, lang),
        before=fmt_period(first_before, last_before, lang),
        after=fmt_period(first_after, last_after, lang),
        day=fmt_date(result.event_day, lang),
    )


def excluded_text(result: BeforeAfter, lang: str) -> str:
    """What the comparison leaves out around the event: its day, week or month."""
    return t(f"trends.before_after.excluded.{result.grain}", lang)


def _why_not(row, result: BeforeAfter, lang: str) -> str:
    """Why a platform is not in the comparison, in words."""
    if row.status == SHORT:
        return t(
            "trends.before_after.short",
            lang,
            span=span_words(int(row.covered), result.grain, lang),
        )
    if row.status == OTHER_GRAIN:
        return t(
            "trends.before_after.other_grain",
            lang,
            per=t(f"trends.before_after.per.{row.finest}", lang),
        )
    return t("trends.before_after.not_covered", lang)


def before_after_table(result: BeforeAfter, lang: str) -> tables.Table:
    """One row per platform then the total; platforms not compared say why."""
    rows = result.per_platform
    compared = rows["status"] == COMPARED
    notes = [
        "" if row.status == COMPARED else _why_not(row, result, lang)
        for row in rows.itertuples(index=False)
    ]
    per = t(f"trends.before_after.per.{result.grain or 'day'}", lang)
    columns = {
        t("trends.growth.platform", lang): (rows["platform"].map(label), tables.TEXT),
        t("trends.before_after.avg_before", lang, per=per): (rows["avg_before"], tables.COUNT),
        t("trends.before_after.avg_after", lang, per=per): (rows["avg_after"], tables.COUNT),
        t("trends.growth.change_percent", lang): (rows["change"], tables.SIGNED_PERCENT),
        t("trends.before_after.share_before", lang): (rows["share_before"], tables.PERCENT),
        t("trends.before_after.share_after", lang): (rows["share_after"], tables.PERCENT),
        t("trends.before_after.note", lang): (notes, tables.TEXT),
    }
    table = tables.Table.from_columns(columns)
    if not compared.any():
        return table
    total = [
        t("trends.before_after.total", lang),
        result.total_before,
        result.total_after,
        result.change,
        1.0,
        1.0,
        "",
    ]
    frame = pd.concat(
        [table.frame, pd.DataFrame([total], columns=table.frame.columns)], ignore_index=True
    )
    return tables.Table(frame, table.kinds)


def event_options(events_df: pd.DataFrame, lang: str) -> dict[int, str]:
    """Event id → « Arrêt de X — 20/01/2025 », oldest first, for a select box (plain text)."""
    texts = [
        f"{text} — {fmt_date(day, lang)}"
        for day, text in zip(events_df["day"], events_df["label"], strict=True)
    ]
    return dict(zip(events_df["event_id"].astype(int), texts, strict=True))


def events_table(events_df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The events as a two-column table: date (« 20/01/2025 ») and label."""
    return pd.DataFrame(
        {
            t("trends.events.day", lang): events_df["day"].map(lambda d: fmt_date(d, lang)),
            t("trends.events.label", lang): events_df["label"],
        }
    )
