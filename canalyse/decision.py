"""Deciding whether to stay on a network: a weighted scorecard and a what-if simulator.

The scorecard combines what was measured (share of views, views per staff hour, cost of 1 000 views,
trend of monthly views) with what only the team can judge (is our audience there, moderation tools,
values, reach without paying, portability, data ownership, transparency, concentration risk), each
turned into a score from 0 to 100 and weighted by the user. Canalyse takes no side: every answer starts
at « ne sait pas / neutre » (2 out of 4, a score of 50) and every weight is equal.

How each criterion becomes a score (all relative to the platforms compared, except the trend):
- share of views, views per staff hour: the platform's value ÷ the best platform's value × 100, so that
  the best scores 100, half as good 50 (a ratio to the best, not min–max: min–max would put a
  platform with 98 % of the best's views at 0 as soon as it is the lowest);
- cost of 1 000 views: the cheapest platform's cost ÷ this platform's cost × 100;
- trend: the change in monthly views between the first and the last months of the period on a fixed
  scale, −50 % or worse → 0, stable → 50, +50 % or better → 100 (a fixed scale, because when every
  network is falling a relative scale would call the least-falling one excellent);
- an answer from 0 to 4: × 25.
A criterion that cannot be measured for a platform (a network that publishes no views has no share of
views, no views per hour, no cost per view, no trend) is not 0: it is left out and the weights are
shared out over what is known. A platform about which nothing is known (nothing measured, every answer
neutral) gets no recommendation at all rather than a verdict drawn from defaults.

The weighted score gives the recommendation: ≥ 60 keep, 40 to 60 reduce, < 40 leave.

The simulator is linear: each hour moved to a platform brings as many views as one of its hours did
over the observed period, within the range its months showed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import pandas as pd
import plotly.graph_objects as go

from canalyse import store, tables
from canalyse.charts import MUTED_COLOUR, TEXT_COLOUR, finish_bar_figure, plain, x_max
from canalyse.filters import Filters
from canalyse.formatting import fmt_int, fmt_money, fmt_percent
from canalyse.i18n import t
from canalyse.platforms import label

# ---- Criteria, answers and thresholds ------------------------------------------------------------

MEASURED = ("share_of_views", "views_per_staff_hour", "cost_per_1000_views", "trend")
QUALITATIVE = (
    "audience",
    "moderation",
    "values",
    "organic_reach",
    "portability",
    "data_ownership",
    "transparency",
    "concentration",
)
CRITERIA = MEASURED + QUALITATIVE

ANSWERS = (0, 1, 2, 3, 4)
NEUTRAL_ANSWER = 2
MAX_WEIGHT = 5
# Every weight equal by default: Canalyse does not decide what matters most.
DEFAULT_WEIGHT = 3

KEEP_FROM = 60
LEAVE_BELOW = 40
RECOMMENDATIONS = ("keep", "reduce", "leave", "undecided")
# Okabe-Ito green, orange and vermillion: distinguishable by colour-blind readers too.
RECOMMENDATION_COLOURS = {
    "keep": "#009E73",
    "reduce": "#E69F00",
    "leave": "#D55E00",
    "undecided": "#B0B0B0",
}

# The trend's fixed scale: a change of ±TREND_SPAN moves the score from 50 to 0 or 100.
TREND_SPAN = 0.5
TREND_WINDOW = 3
# Below this change (in absolute value) the trend is "stable" in words.
_STABLE = 0.01
# With a single month of views per hour, the range is the period's rate ± this share.
SINGLE_MONTH_SPREAD = 0.25
# Where the scorecard chart's labels start, right of the longest possible bar.
LABEL_COLUMN = 103
# How many criteria explain a recommendation.
REASONS = 3

_SETTING_PREFIX = "decision."
_WEIGHT_PREFIX = "decision.weight."

SCORECARD_COLUMNS = [
    "platform",
    "score",
    "recommendation",
    "recommendation_code",
    "answers_only",
    "reasons",
]


def criterion_label(criterion: str, lang: str) -> str:
    """Short name of a criterion (« Modération »), for column headers and reasons."""
    return t(f"decision.criterion.{criterion}", lang)


def criterion_question(criterion: str, lang: str) -> str:
    """The question a criterion answers, as the questionnaire asks it."""
    return t(f"decision.question.{criterion}", lang)


def answer_legend(lang: str) -> str:
    """« 0 = non · 1 = plutôt non · 2 = ne sait pas / neutre · 3 = plutôt oui · 4 = oui »."""
    return " · ".join(f"{answer} = {t(f'decision.answer.{answer}', lang)}" for answer in ANSWERS)


def recommendation_label(code: str, lang: str) -> str:
    """« garder », « réduire », « quitter » or « à évaluer »."""
    return t(f"decision.recommendation.{code}", lang)


# ---- The user's answers and weights, kept in the workspace's settings ----------------------------


def load_answers(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """The answers saved so far: {platform: {criterion: 0–4}}; a missing answer is neutral (2)."""
    rows = con.execute(
        "SELECT key, value FROM settings WHERE starts_with(key, ?) AND NOT starts_with(key, ?)",
        [_SETTING_PREFIX, _WEIGHT_PREFIX],
    ).fetchall()
    answers: dict[str, dict[str, int]] = {}
    for key, value in rows:
        platform, _, criterion = key[len(_SETTING_PREFIX) :].rpartition(".")
        if platform and criterion in QUALITATIVE and value.isdigit() and int(value) in ANSWERS:
            answers.setdefault(platform, {})[criterion] = int(value)
    return answers


def save_answers(con: duckdb.DuckDBPyConnection, answers: dict[str, dict[str, int]]) -> None:
    """Save answers (0–4) for the platforms given; other platforms' answers are kept."""
    rows = [
        (f"{_SETTING_PREFIX}{platform}.{criterion}", _checked_answer(criterion, value))
        for platform, given in answers.items()
        for criterion, value in given.items()
    ]
    _write_settings(con, rows, "answers", ", ".join(sorted(answers)))


def load_weights(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The weight (0–5) of every criterion; equal weights until the user changes them."""
    weights = dict.fromkeys(CRITERIA, float(DEFAULT_WEIGHT))
    rows = con.execute(
        "SELECT key, value FROM settings WHERE starts_with(key, ?)", [_WEIGHT_PREFIX]
    ).fetchall()
    for key, value in rows:
        criterion = key[len(_WEIGHT_PREFIX) :]
        if criterion in weights:
            weights[criterion] = float(value)
    return weights


def save_weights(con: duckdb.DuckDBPyConnection, weights: dict[str, float]) -> None:
    """Save the weights given (each between 0 and 5)."""
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown criteria {sorted(unknown)}")
    if any(not 0 <= float(w) <= MAX_WEIGHT for w in weights.values()):
        raise ValueError(f"a weight lies between 0 and {MAX_WEIGHT}")
    rows = [(f"{_WEIGHT_PREFIX}{c}", float(w)) for c, w in weights.items()]
    _write_settings(
        con, rows, "weights", ", ".join(f"{c}={float(w):g}" for c, w in weights.items())
    )


def _checked_answer(criterion: str, value: object) -> int:
    if criterion not in QUALITATIVE:
        raise ValueError(f"unknown criterion {criterion!r}")
    if value not in ANSWERS:
        raise ValueError(f"an answer is one of {ANSWERS}, not {value!r}")
    return int(value)  # type: ignore[arg-type]


def _write_settings(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, object]], action: str, detail: str
) -> None:
    # All or nothing: a half-saved questionnaire would mix old and new answers.
    with store.transaction(con):
        con.executemany(
            "INSERT OR REPLACE INTO settings VALUES (?, ?)", [(k, str(v)) for k, v in rows]
        )
        store.record_activity(con, action, detail)


# ---- Measured figures: trend and the range of views per staff hour -------------------------------


def trend_table(months: pd.DataFrame) -> pd.DataFrame:
    """Per platform, mean monthly views over the first and the last months of the period, and the change.

    `months` is `queries/decision_trend.sql`. The window is 3 calendar months, fewer when the period
    is shorter than 6 months (so that the two windows never overlap: 2 months over 4 or 5, 1 over 2
    or 3); with a single month there is no trend. The months are those of the whole selection, the
    same for every platform, so that networks are compared over the same time; a month without a
    figure for a platform is left out of its mean. `change` is NULL when a platform has no views in
    one window or none at all in the first (never infinite).
    Returns: platform, first_views, last_views, change (a fraction: -0.41 for -41 %), window.
    """
    columns = ["platform", "first_views", "last_views", "change", "window"]
    dated = months[months["views"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    month = pd.to_datetime(dated["month"]).dt.to_period("M")
    first, last = month.min(), month.max()
    span = (last - first).n + 1
    window = min(TREND_WINDOW, span // 2)
    result = pd.DataFrame({"platform": sorted(dated["platform"].unique())})
    if window == 0:
        return result.assign(first_views=math.nan, last_views=math.nan, change=math.nan, window=0)
    views = dated["views"]
    early = views[month < first + window].groupby(dated["platform"]).mean()
    late = views[month > last - window].groupby(dated["platform"]).mean()
    result["first_views"] = result["platform"].map(early)
    result["last_views"] = result["platform"].map(late)
    base = result["first_views"].where(result["first_views"] > 0)
    result["change"] = result["last_views"] / base - 1
    result["window"] = window
    return result[columns]


def rates_table(roi: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """Per platform: views per staff hour over the period, its low–high range, and hours per month.

    With two months or more that give a rate (`decision_trend`), the range runs from the worst to
    the best month's views per hour and the central rate is those months' (all their views ÷ all
    their hours), inside the range. With one month only, or hours that cannot be placed in a
    month, the central rate is the period's (`roi.roi_table`) and the range ± 25 % of it (`basis`
    says which). A platform without views or without hours has no rate: it
    cannot receive hours in the simulator.
    Returns: platform, views_per_staff_hour, low, high, months, basis ("months", "one_month",
    "no_months"), hours_per_month (mean over the months with hours; NULL when none), views,
    staff_hours.
    """
    with_rate = months[months["views_per_staff_hour"].notna()]
    monthly = with_rate.groupby("platform")
    per_month = months[months["staff_hours"].notna()].groupby("platform")["staff_hours"].mean()
    rates = roi[["platform", "views", "staff_hours", "views_per_staff_hour"]].copy()
    counted = rates["platform"].map(monthly.size()).fillna(0).astype(int)
    spread = counted >= 2
    # Over the months that give a rate, the central rate is theirs (all their views ÷ all their
    # hours): a mean of the monthly rates, so it lies inside their range, never at an end that
    # months without hours pushed it to.
    sums = monthly[["views", "staff_hours"]].sum()
    of_months = rates["platform"].map(sums["views"] / sums["staff_hours"])
    central = rates["views_per_staff_hour"].where(~spread, of_months)
    rates["views_per_staff_hour"] = central
    rates["low"] = rates["platform"].map(monthly["views_per_staff_hour"].min())
    rates["high"] = rates["platform"].map(monthly["views_per_staff_hour"].max())
    rates.loc[~spread, "low"] = central * (1 - SINGLE_MONTH_SPREAD)
    rates.loc[~spread, "high"] = central * (1 + SINGLE_MONTH_SPREAD)
    rates["months"] = counted
    rates["basis"] = "months"
    rates.loc[counted == 1, "basis"] = "one_month"
    rates.loc[counted == 0, "basis"] = "no_months"
    rates.loc[central.isna(), ["low", "high"]] = math.nan
    rates["hours_per_month"] = rates["platform"].map(per_month)
    return rates[
        [
            "platform",
            "views_per_staff_hour",
            "low",
            "high",
            "months",
            "basis",
            "hours_per_month",
            "views",
            "staff_hours",
        ]
    ].reset_index(drop=True)


# ---- The scorecard -----------------------------------------------------------------------------------


def criterion_scores(
    roi: pd.DataFrame, trend: pd.DataFrame, answers: dict[str, dict[str, int]]
) -> pd.DataFrame:
    """Every criterion as a score from 0 to 100, one row per platform of `roi` (NULL: not measured)."""
    platforms = roi["platform"]
    scores = pd.DataFrame(index=pd.Index(platforms, name="platform"))
    share = roi.set_index("platform")["share_of_views"]
    scores["share_of_views"] = 100 * share / share.max()
    per_hour = roi.set_index("platform")["views_per_staff_hour"]
    scores["views_per_staff_hour"] = 100 * per_hour / per_hour.where(per_hour > 0).max()
    scores.loc[per_hour == 0, "views_per_staff_hour"] = 0.0
    cost = roi.set_index("platform")["cost_per_1000_views"]
    # Free views (a cost of 0) are the cheapest possible: 100.
    scores["cost_per_1000_views"] = (100 * cost.min() / cost.where(cost > 0)).where(cost > 0, 100)
    scores.loc[cost.isna(), "cost_per_1000_views"] = math.nan
    change = (
        platforms.map(trend.set_index("platform")["change"]).to_numpy(dtype=float)
        if len(trend)
        else math.nan
    )
    scores["trend"] = (50 + 50 * pd.Series(change, index=scores.index) / TREND_SPAN).clip(0, 100)
    for criterion in QUALITATIVE:
        scores[criterion] = [
            25.0 * answers.get(p, {}).get(criterion, NEUTRAL_ANSWER) for p in platforms
        ]
    return scores.astype(float)


def scorecard(
    roi: pd.DataFrame,
    trend: pd.DataFrame,
    answers: dict[str, dict[str, int]],
    weights: dict[str, float],
    lang: str,
) -> pd.DataFrame:
    """Per platform: the weighted score (0–100), keep / reduce / leave, and the reasons in plain words.

    `roi` is `roi.roi_table(...)`, `trend` is `trend_table(...)`, `answers` {platform: {criterion:
    0–4}} (missing: neutral), `weights` {criterion: 0–5} (missing: the default). The score is the
    weighted mean of the criteria known for the platform. Best score first.
    Returns: platform, score, recommendation (localised), recommendation_code ("keep", "reduce",
    "leave", "undecided"), answers_only (scored without any measured criterion: the chart and
    the deck say so), reasons (text), then `score_<criterion>` for every criterion.
    """
    scores = criterion_scores(roi, trend, answers)
    weight = pd.Series({c: float(weights.get(c, DEFAULT_WEIGHT)) for c in CRITERIA})
    known_weight = scores.notna().mul(weight).sum(axis=1)
    total = scores.fillna(0).mul(weight).sum(axis=1) / known_weight.where(known_weight > 0)
    # Points each criterion moves the score away from the neutral 50, the basis of the reasons.
    pull = (scores - 50).mul(weight).div(known_weight.where(known_weight > 0), axis=0)
    measured = scores[list(MEASURED)].notna().mul(weight[list(MEASURED)] > 0).any(axis=1)
    informative = (pull.abs() > 0).any(axis=1) | measured
    total = total.where(informative)
    code = pd.Series("reduce", index=scores.index)
    code[total >= KEEP_FROM] = "keep"
    code[total < LEAVE_BELOW] = "leave"
    code[total.isna()] = "undecided"
    facts = _reason_facts(roi, trend)
    card = pd.DataFrame(
        {
            "platform": scores.index,
            "score": total.to_numpy(),
            "recommendation": [recommendation_label(c, lang) for c in code],
            "recommendation_code": code.to_numpy(),
            # Ranked on the team's answers alone: nothing measured counts for it.
            "answers_only": (total.notna() & ~measured).to_numpy(),
            "reasons": [
                _reasons(platform, pull.loc[platform], scores.loc[platform], facts, lang)
                for platform in scores.index
            ],
        }
    )
    for criterion in CRITERIA:
        card[f"score_{criterion}"] = scores[criterion].to_numpy()
    return card.sort_values(
        ["score", "platform"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def _reason_facts(roi: pd.DataFrame, trend: pd.DataFrame) -> dict:
    """The figures the reasons quote: each platform's values and the best platform of each ratio."""
    table = roi.set_index("platform")
    per_hour = table["views_per_staff_hour"].dropna()
    cost = table["cost_per_1000_views"].dropna()
    return {
        "table": table,
        "trend": trend.set_index("platform") if len(trend) else None,
        "best_per_hour": (per_hour.idxmax(), per_hour.max()) if len(per_hour) else None,
        "cheapest": (cost.idxmin(), cost.min()) if len(cost) else None,
    }


def _reasons(platform: str, pull: pd.Series, scores: pd.Series, facts: dict, lang: str) -> str:
    """The criteria that move the score most, against first, with the figures behind them."""
    strongest = pull[pull.abs() > 0].abs().sort_values(ascending=False, kind="stable")
    chosen = strongest.index[:REASONS]
    if len(chosen) == 0:
        return t("decision.reasons.none", lang)
    against = [_reason(platform, c, scores[c], facts, lang) for c in chosen if pull[c] < 0]
    for_ = [_reason(platform, c, scores[c], facts, lang) for c in chosen if pull[c] > 0]
    separator = t("decision.reasons.separator", lang)
    parts = []
    if against:
        parts.append(t("decision.reasons.against", lang, reasons=separator.join(against)))
    if for_:
        parts.append(t("decision.reasons.for", lang, reasons=separator.join(for_)))
    return " ".join(parts)


def _reason(platform: str, criterion: str, score: float, facts: dict, lang: str) -> str:
    row = facts["table"].loc[platform]
    if criterion == "share_of_views":
        views = fmt_percent(row["share_of_views"], lang, decimals=0)
        if pd.notna(row.get("share_of_staff_hours")):
            hours = fmt_percent(row["share_of_staff_hours"], lang, decimals=0)
            return t("decision.reason.share_with_hours", lang, hours=hours, views=views)
        return t("decision.reason.share", lang, views=views)
    if criterion == "views_per_staff_hour":
        best, value = facts["best_per_hour"]
        views = fmt_int(row["views_per_staff_hour"], lang)
        if best == platform:
            return t("decision.reason.per_hour_best", lang, views=views)
        return t(
            "decision.reason.per_hour",
            lang,
            views=views,
            best=fmt_int(value, lang),
            platform=label(best),
        )
    if criterion == "cost_per_1000_views":
        cheapest, value = facts["cheapest"]
        cost = fmt_money(row["cost_per_1000_views"], lang)
        if cheapest == platform:
            return t("decision.reason.cost_best", lang, cost=cost)
        return t(
            "decision.reason.cost",
            lang,
            cost=cost,
            best=fmt_money(value, lang),
            platform=label(cheapest),
        )
    if criterion == "trend":
        trend = facts["trend"].loc[platform]
        window = int(trend["window"])
        over = (
            t("decision.reason.trend_window_one", lang)
            if window == 1
            else t("decision.reason.trend_window", lang, months=window)
        )
        change = float(trend["change"])
        if abs(change) < _STABLE:
            return t("decision.reason.trend_flat", lang, window=over)
        key = "decision.reason.trend_up" if change > 0 else "decision.reason.trend_down"
        return t(key, lang, change=fmt_percent(abs(change), lang, decimals=0), window=over)
    answer = int(round(score / 25))
    return t(
        "decision.reason.answer",
        lang,
        criterion=criterion_label(criterion, lang),
        answer=t(f"decision.answer.{answer}", lang),
        value=answer,
    )


# ---- Tables and chart for the page -----------------------------------------------------------------


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
    return _table(columns)


def _table(columns: dict[str, tuple[list, str]]) -> tables.Table:
    frame = pd.DataFrame({header: values for header, (values, _) in columns.items()})
    return tables.Table(frame, {header: kind for header, (_, kind) in columns.items()})


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
    return _table(columns)


def _answers_only(card: pd.DataFrame) -> pd.Series:
    """Which platforms were ranked on the team's answers alone."""
    if "answers_only" not in card:
        return pd.Series(False, index=card.index)
    return card["answers_only"].fillna(False).astype(bool)


def scorecard_title(card: pd.DataFrame, lang: str) -> str:
    """The finding: « Garder Facebook et LinkedIn, réduire X, quitter Threads ». A platform ranked
    on answers alone is not in it: the chart names it beside."""
    measured = card[~_answers_only(card)]
    parts = [
        t(f"decision.chart.{code}", lang, platforms=join_names(names, lang))
        for code in ("keep", "reduce", "leave")
        if (
            names := [
                label(p) for p in measured.loc[measured["recommendation_code"] == code, "platform"]
            ]
        )
    ]
    if not parts:
        return t("decision.chart.undecided", lang)
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def join_names(names: list[str], lang: str) -> str:
    """« A, B et C » / "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + t("decision.and", lang) + names[-1]


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
    instead of a bar, one ranked on answers alone says so. Raises ValueError when `card` is empty.
    """
    if card.empty:
        raise ValueError("no platform to score")
    drawn = card.iloc[::-1]
    names = [plain(label(p)) for p in drawn["platform"]]
    value_labels = [plain(score_label(row, lang)) for row in drawn.itertuples(index=False)]
    fig = go.Figure(
        [
            go.Bar(
                x=drawn["score"].fillna(0).tolist(),
                y=names,
                orientation="h",
                marker_color=[RECOMMENDATION_COLOURS[c] for c in drawn["recommendation_code"]],
                hovertext=value_labels,
                hovertemplate="%{y} · %{hovertext}<extra></extra>",
            ),
            go.Scatter(
                x=[LABEL_COLUMN] * len(names),
                y=names,
                mode="text",
                text=value_labels,
                textposition="middle right",
                textfont=dict(size=17, color=TEXT_COLOUR),
                cliponaxis=False,
                hoverinfo="skip",
            ),
        ]
    )
    flagged = _answers_only(card)
    answers_only = [
        f"{label(p)} ({rec})"
        for p, rec in zip(
            card.loc[flagged, "platform"], card.loc[flagged, "recommendation"], strict=True
        )
    ]
    finish_bar_figure(
        fig,
        lang,
        title=plain(scorecard_title(card, lang)),
        subtitle=t("decision.chart.subtitle", lang, keep=KEEP_FROM, leave=LEAVE_BELOW),
        source=source,
        categories=[label(p) for p in card["platform"]],
        # The axis always runs to 100, then the labels' column: scores compare across slides.
        x_range=[0, x_max(pd.Series([LABEL_COLUMN]), value_labels)],
        note=plain(
            t("decision.chart.answers_only_note", lang, platforms=join_names(answers_only, lang))
        )
        if answers_only
        else None,
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


# ---- What if: dropping a platform, moving hours ----------------------------------------------------


class Range(NamedTuple):
    """A projected number of views: the central figure and the low–high range around it."""

    central: float
    low: float
    high: float


@dataclass(frozen=True)
class DropResult:
    """What leaving a platform would change over the period observed."""

    platform: str
    views_lost: float
    share_of_views_lost: float
    hours_freed: float
    share_of_hours_freed: float
    cost_freed: float


@dataclass(frozen=True)
class MoveResult:
    """Moving staff hours every month from one platform to others: views lost, gained and the net."""

    source: str
    hours: float
    rows: pd.DataFrame
    lost: Range
    gained: Range
    net: Range


def simulate_drop(roi: pd.DataFrame, platform: str) -> DropResult:
    """Leaving `platform`: its views over the period are lost, its hours, ad spend and staff cost freed.

    Figures are NULL (never 0) when unknown: a platform that publishes no views has no views to lose
    that anyone measured.
    """
    rows = roi[roi["platform"] == platform]
    if rows.empty:
        raise ValueError(f"no figures for {platform!r}")
    row = rows.iloc[0]
    spend, staff = row["spend"], row["staff_cost"]
    cost = math.nan if pd.isna(spend) and pd.isna(staff) else _zero(spend) + _zero(staff)
    return DropResult(
        platform=platform,
        views_lost=float(row["views"]),
        share_of_views_lost=float(row["share_of_views"]),
        hours_freed=float(row["staff_hours"]),
        share_of_hours_freed=float(row["share_of_staff_hours"]),
        cost_freed=cost,
    )


def receivers(rates: pd.DataFrame, source: str | None = None) -> list[str]:
    """Platforms that can receive hours: those with views per staff hour (other than `source`)."""
    eligible = rates[rates["views_per_staff_hour"].notna() & (rates["platform"] != source)]
    return eligible["platform"].tolist()


def hour_choices(ceiling: float | None, step: float = 0.5, fallback: float = 40.0) -> list[float]:
    """The hours a month the simulator offers to move: half hours up to the source's monthly
    hours (`ceiling`), or up to `fallback` when they are unknown."""
    top = fallback if ceiling is None or ceiling < step else ceiling
    return [step * n for n in range(1, int(top / step + 1e-9) + 1)]


def default_hours(choices: list[float], wanted: float = 5.0) -> float:
    """Five hours a month, or the most the source has when it has fewer."""
    return min(choices, key=lambda hours: abs(hours - wanted))


def simulate_move(
    rates: pd.DataFrame, source: str, hours: float, split: dict[str, float]
) -> MoveResult:
    """Move `hours` a month from `source` to the platforms of `split` ({platform: percent}, summing to 100).

    Linear: each hour brings as many views as one of the platform's hours did over the period
    (`rates_table`), within its low–high range. Views per month. The source's loss is unknown (NULL)
    when it publishes no views. Raises ValueError for a split that does not add up to 100 %, a
    destination without views per hour, or the source among the destinations.
    Returns `rows` (platform, hours, views, low, high: changes per month, negative for the source).
    """
    if hours <= 0:
        raise ValueError("hours to move must be positive")
    if not split or any(share < 0 for share in split.values()):
        raise ValueError("a split gives each destination a share of 0 % or more")
    if abs(sum(split.values()) - 100) > 0.01:
        raise ValueError(f"the split adds up to {sum(split.values())} %, not 100 %")
    if source in split:
        raise ValueError("the source cannot also receive the hours")
    unable = set(split) - set(receivers(rates))
    if unable:
        raise ValueError(f"no views per staff hour for {sorted(unable)}")
    moved = pd.DataFrame(
        {
            "platform": [source, *split],
            "hours": [-float(hours), *(hours * share / 100 for share in split.values())],
        }
    )
    rate = rates.set_index("platform")
    per_hour = moved["platform"].map(rate["views_per_staff_hour"])
    moved["views"] = moved["hours"] * per_hour
    # Fewer hours at a high rate is the low end of a loss: the ends swap for the source.
    at_low = moved["hours"] * moved["platform"].map(rate["low"])
    at_high = moved["hours"] * moved["platform"].map(rate["high"])
    moved["low"] = pd.concat([at_low, at_high], axis=1).min(axis=1, skipna=False)
    moved["high"] = pd.concat([at_low, at_high], axis=1).max(axis=1, skipna=False)
    source_row = moved.iloc[0]
    gains = moved.iloc[1:]
    lost = Range(-float(source_row["views"]), -float(source_row["high"]), -float(source_row["low"]))
    gained = Range(
        float(gains["views"].sum()), float(gains["low"].sum()), float(gains["high"].sum())
    )
    net = Range(gained.central - lost.central, gained.low - lost.high, gained.high - lost.low)
    return MoveResult(
        source=source, hours=float(hours), rows=moved, lost=lost, gained=gained, net=net
    )


def rounded_figures(result: MoveResult) -> tuple[Range, Range, Range]:
    """Views lost, gained and the net, rounded so that what is shown adds up: lost and gained to
    two significant figures of the smaller of the two, every end of their ranges to the same step,
    and the net computed from those rounded figures (never rounded on its own)."""
    step = _move_step(result)
    lost = rounded_range(result.lost, step)
    gained = rounded_range(result.gained, step)
    net = Range(gained.central - lost.central, gained.low - lost.high, gained.high - lost.low)
    return lost, gained, net


def _move_step(result: MoveResult) -> float:
    """Two significant figures of the smaller of the views lost and gained."""
    centrals = [abs(v) for v in (result.lost.central, result.gained.central) if pd.notna(v) and v]
    return _step(min(centrals)) if centrals else 1.0


def rounded_range(value: Range, step: float | None = None) -> Range:
    """A projection rounded to `step` (default: two significant figures of its central figure)."""
    if pd.isna(value.central):
        return value
    step = step or _step(abs(value.central))
    return Range(*(_round_to(v, step) for v in value))


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
        rounded_range(Range(c, lo, hi), _move_step(result))
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
    return _table(columns)


def _step(magnitude: float) -> float:
    """The rounding step that keeps two significant figures of `magnitude` (at least 1)."""
    if magnitude <= 0 or not math.isfinite(magnitude):
        return 1.0
    return max(10.0 ** (int(math.floor(math.log10(magnitude))) - 1), 1.0)


def _round_to(x: float, step: float) -> float:
    if pd.isna(x):
        return x
    # Half away from zero, as people round (Python's round() would give 22 000 for 22 500).
    return math.copysign(math.floor(abs(x) / step + 0.5) * step, x) + 0.0


def _zero(value: object) -> float:
    return 0.0 if pd.isna(value) else float(value)


def saved_scorecard(
    con: duckdb.DuckDBPyConnection, filters: Filters, lang: str, hourly_cost: float | None = None
) -> pd.DataFrame:
    """The scorecard from the answers and weights saved in the workspace (for the deck and CLI)."""
    from canalyse import queries, roi

    months = queries.run(con, "decision_trend", **filters.params())
    return scorecard(
        roi.roi_table(con, filters, hourly_cost),
        trend_table(months),
        load_answers(con),
        load_weights(con),
        lang,
    )
