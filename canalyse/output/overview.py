"""What the Overview page shows besides its chart: the platform table, where the figures come from
and what was set aside; and the period in words."""

from __future__ import annotations

import pandas as pd

from canalyse.formatting import fmt_date, fmt_int, fmt_period
from canalyse.i18n import t
from canalyse.metrics import METRICS
from canalyse.output import tables
from canalyse.platforms import label


def period_text(date_min: object, date_max: object, lang: str, compact: bool = False) -> str:
    """« du 01/01/2025 au 31/03/2025 » (compact: « 01/01/2025 – 31/03/2025 »), or « non précisée »."""
    if pd.isna(date_min) or pd.isna(date_max):
        return t("period.undated_short" if compact else "period.undated", lang)
    if compact:
        return f"{fmt_date(date_min, lang)} – {fmt_date(date_max, lang)}"
    return fmt_period(pd.Timestamp(date_min).date(), pd.Timestamp(date_max).date(), lang)


def _metric_kind(metric: str) -> str:
    """How a table holds a canonical metric: euros, hours (one decimal) or a count."""
    return {"eur": tables.MONEY, "hours": tables.NUMBER}.get(METRICS[metric].unit, tables.COUNT)


def platform_table(totals: pd.DataFrame, lang: str) -> tables.Table:
    """Per platform, largest first: views, share, then every metric that has a figure.

    A network that publishes no views reads « pas de vues publiées », never 0.
    """
    metrics = [m for m in METRICS if m != "views" and totals[m].notna().any()]
    platform = t("table.platform", lang)
    views = METRICS["views"].label(lang)
    share = t("table.share_of_views", lang)
    frame = pd.DataFrame(
        {
            platform: totals["platform"].map(label),
            views: totals["views"],
            share: totals["share_of_views"],
        }
    )
    kinds = {platform: tables.TEXT, views: tables.COUNT, share: tables.PERCENT}
    for metric in metrics:
        frame[METRICS[metric].label(lang)] = totals[metric]
        kinds[METRICS[metric].label(lang)] = _metric_kind(metric)
    return tables.Table(frame, kinds, {views: t("views.none", lang)})


def _who(platform: str, account: str) -> str:
    return f"{label(platform)} ({account})" if account else label(platform)


def _count_and_views(kind: str, rows: object, views: object, lang: str) -> str:
    text = t(f"origin.{kind}", lang, count=rows, number=fmt_int(rows, lang))
    text += " : " if lang == "fr" else ": "
    if pd.isna(views):
        return text + t("counting.no_views", lang)
    return text + t("counting.views", lang, views=fmt_int(views, lang))


def figure_origins(used: pd.DataFrame, lang: str) -> list[str]:
    """Per platform, which kinds of rows its counted figures came from, in plain words:
    « X : comptés — série par jour du compte (3 jours) : 3 800 vues. »"""
    lines = []
    for platform, rows in used.groupby("platform", sort=False):
        kinds = (" ; " if lang == "fr" else "; ").join(
            _count_and_views(kind, count, views, lang)
            for kind, count, views in zip(
                rows["source_kind"], rows["rows"], rows["views"], strict=True
            )
        )
        lines.append(t("counting.kept", lang, platform=label(platform), kinds=kinds))
    return lines


def set_aside_lines(set_aside: pd.DataFrame, lang: str) -> list[str]:
    """Per platform and account, the figures the counting rules set aside and why:
    « X (rennes) : écartés — série par jour du compte (3 jours) : 3 800 vues, déjà comptés dans
    une période gardée qui les contient. »"""
    return [
        t(
            "counting.set_aside",
            lang,
            platform=_who(row.platform, row.account),
            what=_count_and_views(row.kind, row.rows, row.views, lang),
            reason=t(f"counting.reason.{row.reason}", lang),
        )
        for row in set_aside.itertuples(index=False)
    ]


def account_overlap_lines(overlaps: pd.DataFrame, lang: str) -> list[str]:
    """Warnings for networks whose figures without an account meet a named account's."""
    return [
        t(
            "counting.account_overlap",
            lang,
            platform=label(row.platform),
            accounts=", ".join(f"« {name} »" for name in row.accounts),
        )
        for row in overlaps.itertuples(index=False)
    ]
