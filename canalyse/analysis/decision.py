"""Deciding whether to stay on a network: a weighted scorecard (the what-if simulator is
`canalyse.analysis.simulator`).

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
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from canalyse import queries, store
from canalyse.analysis.findings import is_stable
from canalyse.analysis.roi import roi_table
from canalyse.errors import CanalyseError
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


# The trend's fixed scale: a change of ±TREND_SPAN moves the score from 50 to 0 or 100.
TREND_SPAN = 0.5

TREND_WINDOW = 3

# With a single month of views per hour, the range is the period's rate ± this share.
SINGLE_MONTH_SPREAD = 0.25

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
    """Save answers (0–4) for the platforms given; other platforms' answers are kept. An answer
    out of range, or to no question, is refused (CanalyseError) and nothing is saved."""
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
    """Save the weights given (each between 0 and 5); another weight, or a weight of no criterion,
    is refused (CanalyseError) and nothing is saved."""
    unknown = sorted(set(weights) - set(CRITERIA))
    if unknown:
        raise CanalyseError("decision.error.unknown_criterion", criterion=", ".join(unknown))
    if any(not 0 <= float(w) <= MAX_WEIGHT for w in weights.values()):
        raise CanalyseError("decision.error.weight", max=MAX_WEIGHT)
    rows = [(f"{_WEIGHT_PREFIX}{c}", float(w)) for c, w in weights.items()]
    _write_settings(
        con, rows, "weights", ", ".join(f"{c}={float(w):g}" for c, w in weights.items())
    )


def _checked_answer(criterion: str, value: object) -> int:
    if criterion not in QUALITATIVE:
        raise CanalyseError("decision.error.unknown_criterion", criterion=criterion)
    if value not in ANSWERS:
        raise CanalyseError("decision.error.answer", value=value, max=ANSWERS[-1])
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


def _sum_down(grid: np.ndarray) -> np.ndarray:
    """Each column's sum, adding one row after the other. In floating point the order counts:
    this is the order the scores have always been added in (pandas' sum across a frame's
    columns), where numpy's own sum adds a column of eight rows or more pairwise."""
    total = np.zeros(grid.shape[1:])
    for row in grid:
        total += row
    return total


def _best(values: np.ndarray, pick) -> float:
    """The highest or lowest known value (`pick`: np.nanmax or np.nanmin); NaN when none is known."""
    return float(pick(values)) if (values == values).any() else math.nan


def _score_grid(
    roi: pd.DataFrame, trend: pd.DataFrame, answers: dict[str, dict[str, int]]
) -> np.ndarray:
    """`criterion_scores` as an array: a row per criterion (CRITERIA's order), a column per
    platform of `roi`. Plain arrays: the scorecard's frames are of a few rows, where each pandas
    operation costs far more than its arithmetic."""
    platforms = roi["platform"].tolist()
    share = roi["share_of_views"].to_numpy(dtype=float)
    per_hour = roi["views_per_staff_hour"].to_numpy(dtype=float)
    cost = roi["cost_per_1000_views"].to_numpy(dtype=float)
    grid = np.empty((len(CRITERIA), len(platforms)))
    with np.errstate(divide="ignore", invalid="ignore"):
        grid[0] = 100 * share / _best(share, np.nanmax)
        grid[1] = 100 * per_hour / _best(np.where(per_hour > 0, per_hour, math.nan), np.nanmax)
        grid[1][per_hour == 0] = 0.0
        # Free views (a cost of 0) are the cheapest possible: 100.
        cheapest = 100 * _best(cost, np.nanmin)
        grid[2] = np.where(cost > 0, cheapest / np.where(cost > 0, cost, math.nan), 100.0)
        grid[2][np.isnan(cost)] = math.nan
        changes = dict(zip(trend["platform"], trend["change"].to_numpy(dtype=float), strict=True))
        change = np.array([changes.get(p, math.nan) for p in platforms], dtype=float)
        grid[3] = np.clip(50 + 50 * change / TREND_SPAN, 0, 100)
    for row, criterion in enumerate(QUALITATIVE, start=len(MEASURED)):
        grid[row] = [25.0 * answers.get(p, {}).get(criterion, NEUTRAL_ANSWER) for p in platforms]
    return grid


def criterion_scores(
    roi: pd.DataFrame, trend: pd.DataFrame, answers: dict[str, dict[str, int]]
) -> pd.DataFrame:
    """Every criterion as a score from 0 to 100, one row per platform of `roi` (NULL: not measured)."""
    return pd.DataFrame(
        _score_grid(roi, trend, answers).T,
        index=pd.Index(roi["platform"], name="platform"),
        columns=list(CRITERIA),
    )


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
    A platform whose measured and answered criteria weigh too little to take its score out of
    the « reduce » band whatever their values is "undecided": its score still ranks it.
    Returns: platform, score, recommendation (localised), recommendation_code ("keep", "reduce",
    "leave", "undecided"), answers_only (scored without any measured criterion: the chart and
    the deck say so), reasons (text), then `score_<criterion>` for every criterion.
    """
    platforms = roi["platform"].tolist()
    grid = _score_grid(roi, trend, answers)
    known = grid == grid
    weight = np.array([float(weights.get(c, DEFAULT_WEIGHT)) for c in CRITERIA])[:, None]
    measured_rows = slice(0, len(MEASURED))
    known_weight = _sum_down(known * weight)
    divisor = np.where(known_weight > 0, known_weight, math.nan)
    with np.errstate(invalid="ignore"):
        total = _sum_down(np.where(known, grid, 0.0) * weight) / divisor
        # Points each criterion moves the score away from the neutral 50, the basis of the reasons.
        pull = (grid - 50) * weight / divisor
    measured = (known[measured_rows] & (weight[measured_rows] > 0)).any(axis=0)
    informative = (np.abs(pull) > 0).any(axis=0) | measured
    total = np.where(informative, total, math.nan)
    code = np.full(len(platforms), "reduce", dtype=object)
    code[total >= KEEP_FROM] = "keep"
    code[total < LEAVE_BELOW] = "leave"
    code[np.isnan(total)] = "undecided"
    # A verdict only where the evidence could have changed it. Criteria left at « ne sait pas /
    # neutre » count 50; when what is measured or answered weighs too little to move the score
    # out of the « reduce » band whatever its values (a lone share of views beside eight
    # unanswered questions), « reduce » would be the questionnaire's default, not a finding.
    answered = np.array(
        [
            [answers.get(p, {}).get(c, NEUTRAL_ANSWER) != NEUTRAL_ANSWER for p in platforms]
            for c in QUALITATIVE
        ],
        dtype=bool,
    ).reshape(len(QUALITATIVE), len(platforms))
    evidence = _sum_down(known[measured_rows] * weight[measured_rows])
    evidence += _sum_down(answered * weight[len(MEASURED) :])
    reach = 50 * evidence / divisor
    forced = (50 + reach < KEEP_FROM) & (50 - reach >= LEAVE_BELOW)
    code[forced & ~np.isnan(total)] = "undecided"
    facts = _reason_facts(roi, trend)
    card = pd.DataFrame(
        {
            "platform": pd.Index(roi["platform"]),
            "score": total,
            "recommendation": [recommendation_label(c, lang) for c in code],
            "recommendation_code": code,
            # Ranked on the team's answers alone: nothing measured counts for it.
            "answers_only": ~np.isnan(total) & ~measured,
            "reasons": [
                _reasons(platform, pull[:, n], grid[:, n], facts, lang)
                for n, platform in enumerate(platforms)
            ],
            **{f"score_{criterion}": grid[row] for row, criterion in enumerate(CRITERIA)},
        }
    )
    return card.sort_values(
        ["score", "platform"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def _reason_facts(roi: pd.DataFrame, trend: pd.DataFrame) -> dict:
    """The figures the reasons quote: each platform's values and the best platform of each ratio."""
    table = roi.set_index("platform").to_dict("index")
    trends = trend.set_index("platform").to_dict("index") if len(trend) else None
    per_hour = {p: row["views_per_staff_hour"] for p, row in table.items()}
    cost = {p: row["cost_per_1000_views"] for p, row in table.items()}
    return {
        "table": table,
        "trend": trends,
        "best_per_hour": _extreme(per_hour, max),
        "cheapest": _extreme(cost, min),
    }


def _extreme(values: dict[str, float], pick) -> tuple[str, float] | None:
    """The first platform holding the highest or lowest known value (`pick`: max or min)."""
    known = {p: v for p, v in values.items() if v == v}
    if not known:
        return None
    value = pick(known.values())
    return next(p for p, v in known.items() if v == value), value


def _reasons(platform: str, pull: np.ndarray, scores: np.ndarray, facts: dict, lang: str) -> str:
    """The criteria that move the score most, against first, with the figures behind them
    (`pull` and `scores` in CRITERIA's order)."""
    moving = [n for n in range(len(CRITERIA)) if abs(pull[n]) > 0]
    # Strongest first; of equal pulls, the criterion listed first.
    chosen = sorted(moving, key=lambda n: -abs(pull[n]))[:REASONS]
    if not chosen:
        return t("decision.reasons.none", lang)
    against = [
        _reason(platform, CRITERIA[n], scores[n], facts, lang) for n in chosen if pull[n] < 0
    ]
    for_ = [_reason(platform, CRITERIA[n], scores[n], facts, lang) for n in chosen if pull[n] > 0]
    separator = t("decision.reasons.separator", lang)
    parts = []
    if against:
        parts.append(t("decision.reasons.against", lang, reasons=separator.join(against)))
    if for_:
        parts.append(t("decision.reasons.for", lang, reasons=separator.join(for_)))
    return " ".join(parts)


def _reason(platform: str, criterion: str, score: float, facts: dict, lang: str) -> str:
    row = facts["table"][platform]
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
        trend = facts["trend"][platform]
        window = int(trend["window"])
        over = (
            t("decision.reason.trend_window_one", lang)
            if window == 1
            else t("decision.reason.trend_window", lang, months=window)
        )
        change = float(trend["change"])
        if is_stable(change):
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


def saved_scorecard(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    lang: str,
    hourly_cost: float | None = None,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The scorecard from the answers and weights saved in the workspace (for the deck and CLI).

    `table` is the `roi_table` of the same filters and cost when the caller already has it.
    """
    months = queries.run(con, "decision_trend", **filters.params())
    return scorecard(
        roi_table(con, filters, hourly_cost) if table is None else table,
        trend_table(months),
        load_answers(con),
        load_weights(con),
        lang,
    )
