"""The Decide page's chart: each network's score, coloured by its recommendation."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from canalyse.analysis.decision import KEEP_FROM, LEAVE_BELOW
from canalyse.analysis.findings import answers_only_note, scorecard_title
from canalyse.charts.base import MUTED_COLOUR, BarSeries, horizontal_bars
from canalyse.formatting import fmt_int
from canalyse.i18n import t
from canalyse.platforms import label

# Okabe-Ito green, orange and vermillion: distinguishable by colour-blind readers too.
RECOMMENDATION_COLOURS = {
    "keep": "#009E73",
    "reduce": "#E69F00",
    "leave": "#D55E00",
    "undecided": "#B0B0B0",
}

# Where the scorecard chart's labels start, right of the longest possible bar.
LABEL_COLUMN = 103


def score_label(row, lang: str) -> str:
    """« 62/100 · garder », « 62/100 · garder · sur nos réponses seules », « à évaluer »."""
    if pd.isna(row.score):
        return str(row.recommendation)
    text = f"{fmt_int(row.score, lang)}/100 · {row.recommendation}"
    if getattr(row, "answers_only", False):
        text += " · " + t("decision.chart.answers_only", lang)
    return text


def scorecard_bar(card: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Horizontal bars of each platform's score, best on top, coloured by recommendation.

    The labels stand in a column right of 100, so that the dotted threshold lines (40 and 60)
    cross bars only, never a label; a platform without a recommendation shows « à évaluer »
    instead of a bar, one ranked on answers alone says so. `card` is `decision.scorecard(...)`,
    with at least one platform.
    """
    if card.empty:
        raise ValueError("no platform to score")
    labels = [score_label(row, lang) for row in card.itertuples(index=False)]
    scores = BarSeries(
        values=card["score"].fillna(0).tolist(),
        colour=[RECOMMENDATION_COLOURS[c] for c in card["recommendation_code"]],
        labels=labels,
    )
    fig = horizontal_bars(
        [label(p) for p in card["platform"]],
        [scores],
        lang,
        title=scorecard_title(card, lang),
        subtitle=t("decision.chart.subtitle", lang, keep=KEEP_FROM, leave=LEAVE_BELOW),
        source=source,
        note=answers_only_note(card, lang),
        # The axis always runs to 100, then the labels' column: scores compare across slides.
        labels_at=LABEL_COLUMN,
    )
    for threshold in (LEAVE_BELOW, KEEP_FROM):
        fig.add_shape(
            type="line",
            x0=threshold,
            x1=threshold,
            xref="x",
            y0=0,
            y1=1,
            yref="paper",
            line=dict(color=MUTED_COLOUR, width=1, dash="dot"),
            layer="below",
        )
    return fig
