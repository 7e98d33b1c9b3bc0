"""What the Decide page shows besides its chart: the measured figures, the scorecard and the
simulated move as tables, and projected views in words."""

from __future__ import annotations

import math

import pandas as pd

from canalyse.analysis.decision import CRITERIA, criterion_label
from canalyse.analysis.simulator import MoveResult, Range, move_step, rounded_range
from canalyse.formatting import fmt_int
from canalyse.i18n import t
from canalyse.output import tables
from canalyse.platforms import label


def measured_table(roi: pd.DataFrame, trend: pd.DataFrame, lang: str) -> tables.Table:
    """The measured figures per platform; « pas de vues publiées » where a figure needs views."""
    no_views = roi["views"].isna().to_numpy()
    none = t("views.none", lang)
    change = (
        roi["platform"].map(trend.set_index("platform")["change"])
        if len(trend)
        else pd.Series(math.nan, index=roi.index)
    )

    def on_views(values: pd.Series) -> list:
        return [none if missing else value for value, missing in zip(values, no_views, strict=True)]

    columns = {
        t("table.platform", lang): (roi["platform"].map(label).tolist(), tables.TEXT),
        t("decision.measured.share_of_views", lang): (
            on_views(roi["share_of_views"]),
            tables.WHOLE_PERCENT,
        ),
        t("decision.measured.share_of_hours", lang): (
            roi["share_of_staff_hours"].tolist(),
            tables.WHOLE_PERCENT,
        ),
        t("decision.measured.views_per_hour", lang): (
            on_views(roi["views_per_staff_hour"]),
            tables.COUNT,
        ),
        t("decision.measured.cost_per_1000", lang): (
            on_views(roi["cost_per_1000_views"]),
            tables.MONEY,
        ),
        t("decision.measured.trend", lang): (
            on_views(change.astype(float)),
            tables.SIGNED_WHOLE_PERCENT,
        ),
    }
    return tables.Table.from_columns(columns)


def scorecard_display(card: pd.DataFrame, lang: str) -> tables.Table:
    """The scorecard as a table: network, score, recommendation, then each criterion's score /100.

    A criterion that could not be measured reads « non mesuré », never 0.
    """
    missing = t("decision.card.not_measured", lang)
    columns = {
        t("table.platform", lang): (card["platform"].map(label).tolist(), tables.TEXT),
        t("decision.card.score", lang): (card["score"].tolist(), tables.SCORE),
        t("decision.card.recommendation", lang): (card["recommendation"].tolist(), tables.TEXT),
    }
    for criterion in CRITERIA:
        columns[criterion_label(criterion, lang)] = (
            [missing if pd.isna(v) else v for v in card[f"score_{criterion}"]],
            tables.SCORE,
        )
    return tables.Table.from_columns(columns)


def move_table(result: MoveResult, rates: pd.DataFrame, lang: str) -> tables.Table:
    """The move per platform: hours a month, views per hour, views a month and their range."""
    rows = result.rows.merge(
        rates[["platform", "views_per_staff_hour", "basis"]], on="platform", how="left"
    )
    basis = {
        "months": t("decision.move.basis.months", lang),
        "one_month": t("decision.move.basis.one_month", lang),
        "no_months": t("decision.move.basis.no_months", lang),
    }
    none = t("views.none", lang)
    rounded = [
        rounded_range(Range(c, lo, hi), move_step(result))
        for c, lo, hi in rows[["views", "low", "high"]].itertuples(index=False)
    ]
    columns = {
        t("table.platform", lang): (rows["platform"].map(label).tolist(), tables.TEXT),
        t("decision.move.hours", lang): (rows["hours"].tolist(), tables.SIGNED_NUMBER),
        t("decision.move.rate", lang): (
            [none if pd.isna(v) else v for v in rows["views_per_staff_hour"]],
            tables.COUNT,
        ),
        t("decision.move.views", lang): (
            [none if pd.isna(r.central) else r.central for r in rounded],
            tables.SIGNED_COUNT,
        ),
        t("decision.move.views_low", lang): (
            [none if pd.isna(r.central) else r.low for r in rounded],
            tables.SIGNED_COUNT,
        ),
        t("decision.move.views_high", lang): (
            [none if pd.isna(r.central) else r.high for r in rounded],
            tables.SIGNED_COUNT,
        ),
        t("decision.move.basis", lang): (rows["basis"].map(basis).tolist(), tables.TEXT),
    }
    return tables.Table.from_columns(columns)


def approx(views: float, lang: str, signed: bool = False) -> str:
    """A projected number of views already rounded (`rounded_figures`), « +45 000 » when signed."""
    if pd.isna(views):
        return "—"
    text = fmt_int(abs(views), lang)
    if views < 0 and any(c in "123456789" for c in text):
        return "-" + text
    return ("+" + text) if signed and views > 0 else text


def range_text(value: Range, lang: str, signed: bool = False) -> str:
    """« 45 000 (entre 30 000 et 60 000) », or the figure alone when its range is a single value."""
    if pd.isna(value.central):
        return "—"
    if value.low == value.high:
        return approx(value.central, lang, signed)
    return t(
        "decision.range",
        lang,
        central=approx(value.central, lang, signed),
        low=approx(value.low, lang, signed),
        high=approx(value.high, lang, signed),
    )


def range_between(value: Range, lang: str, signed: bool = False) -> str | None:
    """« de 30 000 à 60 000 »: the low–high range alone; None when it is a single value."""
    if pd.isna(value.central) or value.low == value.high:
        return None
    return t(
        "decision.range_between",
        lang,
        low=approx(value.low, lang, signed),
        high=approx(value.high, lang, signed),
    )
