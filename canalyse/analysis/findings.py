"""The headline sentences: what each chart and each slide says it shows, computed once.

A chart's title and the deck slide drawing the same figures state the same finding in the same
words (« Facebook a apporté 44 % des vues », « X : 26 % de notre temps, 10 % des vues »): both
take it from here. Sentences are plain text; a chart escapes them for Plotly, a slide writes them
as they are. A finding is about networks with the figures it needs; the others are named beside
it (a note), never inside it.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from canalyse.analysis.events import BeforeAfter, short_label
from canalyse.analysis.trends import (
    FollowersSeries,
    ViewsSeries,
    between,
    bucket_index,
    last_run,
    leading_platforms,
    title_period,
)
from canalyse.filters import join_words
from canalyse.formatting import fmt_int, fmt_money, fmt_number, fmt_percent, fmt_period
from canalyse.i18n import t
from canalyse.platforms import label

# Below this change (in absolute value) a change is « stable » in words: it would read « 0 % » in a
# whole-percent title. One value for every page, slide and reason.
STABLE_CHANGE = 0.005
# A leader with at least this many times the runner-up's views reads « 3 fois plus » ; closer than
# SAME_VIEWS, « autant que » ; in between, « 20 % de plus ».
TIMES_FROM = 2.0
SAME_VIEWS = 1.05


def is_stable(change: float) -> bool:
    """Whether a change (a fraction: 0.004 for +0.4 %) is too small to call a rise or a fall."""
    return abs(change) < STABLE_CHANGE


def title_percent(change: float, lang: str) -> str:
    """A change's size in a title: whole percents, except below 10 % where « 4 % » would hide a
    table's « 3,5 % »."""
    return fmt_percent(abs(change), lang, decimals=0 if abs(change) >= 0.1 else 1)


def change_words(change: float, lang: str) -> str:
    """« ont augmenté de 35 % », « ont baissé de 4,5 % », « sont restées stables »."""
    if is_stable(change):
        return t("trends.change.stable", lang)
    key = "trends.change.up" if change > 0 else "trends.change.down"
    return t(key, lang, percent=title_percent(change, lang))


# ---- Overview and return on investment ----------------------------------------------------------


def share_of_views_title(shares: pd.DataFrame, lang: str) -> str:
    """« Facebook a apporté 44 % des vues »: the network with the most views (`share_of_views.sql`)
    — and every network whose share reads the same on the chart, in the chart's order (« Facebook
    et LinkedIn ont apporté chacun 44 % des vues »): naming one of two equal bars would crown it."""
    ranked = shares.sort_values(
        ["views", "platform"], ascending=[False, True], na_position="last", kind="stable"
    )
    tied, share = _read_alike(
        ranked["platform"],
        ranked["share_of_views"],
        lambda share: fmt_percent(share, lang, decimals=0),
    )
    return t(
        "chart.share_of_views.title",
        lang,
        count=len(tied),
        platform=join_words(tied, lang),
        share=share,
    )


def _read_alike(
    platforms: pd.Series, values: pd.Series, shown: Callable[[float], str]
) -> tuple[list[str], str]:
    """The first platform's value as `shown`, and the names of every platform whose value reads
    the same (the first always among them): a headline names all of a tie, never one of it."""
    first = shown(values.iloc[0])
    tied = [
        label(platform)
        for platform, value in zip(platforms, values, strict=True)
        if pd.notna(value) and shown(value) == first
    ]
    return tied or [label(platforms.iloc[0])], first


UNEVEN_COMMON_SHARE = 0.8
"""Networks' shares are called comparable when the period common to all of them covers at least
this much of the span from the first day of any to the last day of any."""


def uneven_periods(totals: pd.DataFrame, lang: str) -> str | None:
    """« Les réseaux ne couvrent pas la même période — TikTok du … au …, Facebook du … au … : … »
    when the dated networks with views cover periods too different for their shares to compare
    like for like (a year of TikTok beside two months of Facebook); None otherwise.

    `totals` is `platform_totals.sql` (platform, views, date_min, date_max). The share-of-views
    chart carries it as its note, so that every copy of the chart (page, slide, picture) says it."""
    dated = totals[(totals["views"] > 0) & totals["date_min"].notna() & totals["date_max"].notna()]
    if len(dated) < 2:
        return None
    starts, ends = pd.to_datetime(dated["date_min"]), pd.to_datetime(dated["date_max"])
    span = (ends.max() - starts.min()).days + 1
    common = (ends.min() - starts.max()).days + 1
    if common >= UNEVEN_COMMON_SHARE * span:
        return None
    ranked = dated.sort_values(["views", "platform"], ascending=[False, True], kind="stable")
    periods = ", ".join(
        t(
            "chart.share_of_views.uneven.item",
            lang,
            platform=label(row.platform),
            period=fmt_period(row.date_min, row.date_max, lang),
        )
        for row in ranked.itertuples(index=False)
    )
    text = t("chart.share_of_views.uneven", lang, periods=periods)
    if common > 0:
        period = fmt_period(starts.max(), ends.min(), lang)
        return text + t("chart.share_of_views.uneven.common_sentence", lang, period=period)
    return text


def hours_title(table: pd.DataFrame, lang: str) -> tuple[str, str | None]:
    """The finding of our time beside our reach, and what it leaves aside, as (title, note).

    The finding is about networks with both hours and views: the one whose share of our time
    most exceeds its share of views (« X : 25 % de notre temps, 11 % des vues »). A network with
    hours but no views is named beside it, never inside it (« Sans vues publiées : Bluesky (15 %
    de notre temps) »). `table` is `roi.roi_table(...)`.
    """
    rows = table[table["share_of_staff_hours"].notna()]
    measured = rows[rows["share_of_views"].notna()]
    if measured.empty:
        title = t("roi.chart.hours.title_no_views", lang)
    else:
        gap = measured["share_of_staff_hours"] - measured["share_of_views"]
        widest = measured.loc[gap.sort_values(ascending=False, kind="stable").index[0]]
        title = t(
            "roi.chart.hours.title",
            lang,
            platform=label(widest["platform"]),
            hours=fmt_percent(widest["share_of_staff_hours"], lang, decimals=0),
            views=fmt_percent(widest["share_of_views"], lang, decimals=0),
        )
    no_views = rows[rows["share_of_views"].isna()]
    if no_views.empty:
        return title, None
    names = [
        t(
            "roi.chart.hours.time_of",
            lang,
            platform=label(p),
            hours=fmt_percent(h, lang, decimals=0),
        )
        for p, h in zip(no_views["platform"], no_views["share_of_staff_hours"], strict=True)
    ]
    return title, t("roi.chart.hours.no_views_note", lang, platforms=", ".join(names))


def cost_title(table: pd.DataFrame, lang: str) -> str:
    """« LinkedIn : 7,00 € pour 1 000 vues, le coût le plus bas » — every network at that cost to
    the cent, when several are (« LinkedIn et TikTok : … »)."""
    costs = table["cost_per_1000_views"].dropna()
    cheapest = costs.min()
    tied = table.loc[costs.index[costs.round(2) == round(cheapest, 2)], "platform"]
    return t(
        "roi.chart.cost.title",
        lang,
        platform=join_words([label(p) for p in sorted(tied)], lang),
        cost=fmt_money(cheapest, lang),
    )


# ---- Views and followers over time ----------------------------------------------------------------


def views_over_time_title(result: ViewsSeries, lang: str) -> str:
    """« Les vues de LinkedIn ont augmenté de 35 % entre janvier 2025 et décembre 2025 ».

    Compares the leading platform's first and last complete periods of its last run of figures
    (nothing missing between them; weeks or months: single days are too noisy to sum up a
    trend); otherwise names the platform that leads.
    """
    leader = leading_platforms(result.series)[0]
    name = label(leader)
    run = last_run(result, leader)
    if result.granularity != "day" and len(run) >= 2 and run["views"].iloc[0] > 0:
        first, last = run.iloc[0], run.iloc[-1]
        return t(
            "trends.views.title_change",
            lang,
            platform=name,
            change=change_words(last["views"] / first["views"] - 1, lang),
            between=between(first["period"], last["period"], result.granularity, lang),
        )
    total = result.series.loc[result.series["platform"] == leader, "views"].sum()
    return t("trends.views.title_leader", lang, platform=name, views=fmt_int(total, lang))


def share_over_time_title(result: ViewsSeries, shares: pd.DataFrame, lang: str) -> str:
    """« La part de LinkedIn est passée de 30 % à 45 % des vues entre janvier et décembre 2025 ».

    `shares` is `trends.shares_by_period(result)`. Only periods where every platform shown has
    figures are compared, so that a network imported later does not seem to grow from nothing,
    and never single days (too noisy to sum up a trend); otherwise the leader's share over the
    whole range.
    """
    platforms = shares["platform"].nunique()
    present = shares.groupby("period")["views"].transform("count") == platforms
    common = shares[present & shares["share"].notna()]
    periods = pd.Series(sorted(common["period"].unique()), dtype="datetime64[ns]")
    # Only the last run of periods in a row: never across a gap.
    run = (bucket_index(periods, result.granularity).diff() != 1).cumsum()
    periods = periods[run == run.max()].tolist() if len(periods) else []
    if platforms > 1 and len(periods) >= 2 and result.granularity != "day":
        wide = common.pivot(index="period", columns="platform", values="share")
        moved = (wide.loc[periods[-1]] - wide.loc[periods[0]]).abs()
        moved = moved.sort_index().sort_values(ascending=False, kind="stable")
        platform = moved.index[0]
        return t(
            "trends.share.title_change",
            lang,
            platform=label(platform),
            before=fmt_percent(wide.loc[periods[0], platform], lang, decimals=0),
            after=fmt_percent(wide.loc[periods[-1], platform], lang, decimals=0),
            between=between(periods[0], periods[-1], result.granularity, lang),
        )
    leader = leading_platforms(result.series)[0]
    share = result.series.loc[result.series["platform"] == leader, "views"].sum() / (
        result.series["views"].sum()
    )
    return t(
        "trends.share.title_leader",
        lang,
        platform=label(leader),
        share=fmt_percent(share, lang, decimals=0),
    )


def followers_title(followers: FollowersSeries, lang: str) -> str:
    """« Facebook est passé de 10 000 à 12 000 abonnés entre janvier et juin 2025 »: the largest
    audience, its first and last count; a single count when there is only one."""
    top = followers.by_audience()[0]
    rows = followers.levels[followers.levels["platform"] == top]
    first, last = rows.iloc[0], rows.iloc[-1]
    if len(rows) >= 2:
        return t(
            "trends.followers.title_change",
            lang,
            platform=label(top),
            before=fmt_int(first["followers_total"], lang),
            after=fmt_int(last["followers_total"], lang),
            between=between(first["period"], last["period"], followers.granularity, lang),
        )
    return t(
        "trends.followers.title_level",
        lang,
        platform=label(top),
        count=fmt_int(last["followers_total"], lang),
    )


def net_gains_title(followers: FollowersSeries, lang: str) -> str:
    """« Mastodon a gagné 120 abonnés nets depuis janvier 2025 »: the largest cumulative net gain
    (or loss) among networks that give no follower count."""
    final = followers.final_net_gains()
    top, gained = final.index[0], final.iloc[0]
    net = followers.net_gains
    since = title_period(
        net.loc[net["platform"] == top, "period"].min(), followers.granularity, lang
    )
    key = "trends.net.title_gain" if gained >= 0 else "trends.net.title_loss"
    return t(key, lang, platform=label(top), count=fmt_int(abs(gained), lang), since=since)


def monthly_trend_title(months: pd.DataFrame, lang: str) -> str:
    """« Les vues mensuelles ont augmenté de 25 % entre janvier 2025 et février 2025 » (the deck's
    trend slide; `months` is `trends.monthly_views`): the total of the first and last months of
    the last run of months where every network has a figure (a network missing one month would
    look like a fall), else what the slide shows."""
    totals = months.sum(axis=1).where(months.notna().all(axis=1))
    present = totals.notna()
    run = (~present).cumsum()
    last = totals[present & (run == run[present].max())] if present.any() else totals[present]
    if len(last) < 2 or last.iloc[0] <= 0:
        return t("deck.trend.subtitle", lang)
    change = last.iloc[-1] / last.iloc[0] - 1
    direction = "stable" if is_stable(change) else ("up" if change > 0 else "down")
    return t(
        f"deck.trend.title.{direction}",
        lang,
        change=fmt_percent(abs(change), lang, decimals=0),
        first=_month_year(last.index[0], lang),
        last=_month_year(last.index[-1], lang),
    )


def _month_year(month: pd.Timestamp, lang: str) -> str:
    return f"{t('deck.months_long', lang).split(',')[month.month - 1]} {month.year}"


def before_after_title(result: BeforeAfter, event_label: str, lang: str) -> str:
    """« Après « Arrêt de X », les vues mensuelles ont baissé de 12 % »; when some networks with
    figures are not compared, the title names those that are (« les vues mensuelles de Facebook
    ont augmenté de 7 % »), so a total is never read as everyone's."""
    per = t(f"trends.before_after.views_per.{result.grain}", lang)
    compared = result.compared["platform"].tolist()
    if compared and len(compared) < len(result.per_platform):
        platforms = join_words([label(p) for p in compared], lang)
        views = t("trends.before_after.views_of", lang, per=per, platforms=platforms)
    else:
        views = t("trends.before_after.views", lang, per=per)
    event = short_label(event_label)
    if result.change is None:
        title = t("trends.before_after.title_plain", lang, event=event, views=views)
    elif is_stable(result.change):
        title = t("trends.before_after.title_stable", lang, event=event, views=views)
    else:
        key = "up" if result.change > 0 else "down"
        title = t(
            f"trends.before_after.title_{key}",
            lang,
            event=event,
            views=views,
            percent=title_percent(result.change, lang),
        )
    return title[:1].upper() + title[1:]


# ---- Campaigns --------------------------------------------------------------------------------------


def views_phrase(views: object, lang: str) -> str:
    """« 1,7 million de vues », « 2,3 millions de vues », « 450 000 vues » (en: "1.7 million views")."""
    if pd.isna(views):
        return t("views.none", lang)
    if views >= 1_000_000:
        millions = round(float(views) / 1_000_000, 1)
        number = fmt_number(millions, lang, 0 if millions.is_integer() else 1)
        return t("campaigns.views.millions", lang, count=millions, number=number)
    return t("campaigns.views.plain", lang, number=fmt_int(views, lang))


def _times(ratio: float, lang: str) -> str:
    """A ratio written for a title: 3 rather than 3,0; 2,5; 12."""
    decimals = 0 if ratio >= 10 or round(ratio, 1).is_integer() else 1
    return fmt_number(ratio, lang, decimals)


def campaign_views_titles(totals: pd.DataFrame, lang: str) -> list[str]:
    """The finding of the campaigns' views, longest wording first: the leading campaign, its views,
    and how it compares with the runner-up (« 3 fois plus que « Vœux » », « 20 % de plus que … »,
    « autant que … »). `totals` is `campaigns.campaign_totals(...)`, most views first."""
    ranked = totals[totals["views"] > 0]
    leader = ranked.iloc[0]
    params = dict(name=leader["campaign"], views=views_phrase(leader["views"], lang))
    leads = [t(f"campaigns.chart.views.{key}", lang, **params) for key in ("lead", "lead_short")]
    if len(ranked) < 2:
        return leads
    runner_up = ranked.iloc[1]
    ratio = float(leader["views"]) / float(runner_up["views"])
    other = runner_up["campaign"]
    if ratio >= TIMES_FROM:
        comparison = t("campaigns.chart.views.times", lang, ratio=_times(ratio, lang), other=other)
    elif ratio >= SAME_VIEWS:
        percent = fmt_percent(ratio - 1, lang, 0)
        comparison = t("campaigns.chart.views.more", lang, percent=percent, other=other)
    else:
        comparison = t("campaigns.chart.views.same", lang, other=other)
    return [f"{lead}, {comparison}" for lead in leads]


def campaign_cost_title(totals: pd.DataFrame, lang: str) -> str:
    """« « Vœux » a coûté le moins cher : 0,80 € pour 1 000 vues »: the campaign whose 1 000 views
    cost least."""
    costed = totals.dropna(subset=["cost_per_1000_views"]).sort_values(
        "cost_per_1000_views", kind="stable"
    )
    cheapest = costed.iloc[0]
    params = dict(name=cheapest["campaign"], cost=fmt_money(cheapest["cost_per_1000_views"], lang))
    key = "campaigns.chart.cost.title_single" if len(costed) < 2 else "campaigns.chart.cost.title"
    return t(key, lang, **params)


# ---- The scorecard -------------------------------------------------------------------------------


def answers_only(card: pd.DataFrame) -> pd.Series:
    """Which platforms of a scorecard were ranked on the team's answers alone."""
    if "answers_only" not in card:
        return pd.Series(False, index=card.index)
    return card["answers_only"].fillna(False).astype(bool)


def scorecard_title(card: pd.DataFrame, lang: str) -> str:
    """« Garder Facebook et LinkedIn, réduire X, quitter Threads ». A platform ranked on answers
    alone is not in it: the chart names it beside."""
    measured = card[~answers_only(card)]
    parts = [
        t(f"decision.chart.{code}", lang, platforms=join_words(names, lang))
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


def answers_only_note(card: pd.DataFrame, lang: str) -> str | None:
    """« Classés sur nos réponses seules, rien de mesuré : Bluesky (garder) », or None."""
    flagged = card[answers_only(card)]
    if flagged.empty:
        return None
    names = [
        f"{label(p)} ({rec})"
        for p, rec in zip(flagged["platform"], flagged["recommendation"], strict=True)
    ]
    return t("decision.chart.answers_only_note", lang, platforms=join_words(names, lang))


def best_score_title(card: pd.DataFrame, lang: str) -> str:
    """« Facebook obtient le meilleur score : 62 sur 100 »: the best score among networks with
    something measured (one ranked on answers alone is flagged beside, not titled); networks
    whose scores read the same are named together (« Facebook et X obtiennent … »)."""
    ranked = card.assign(answers_only=answers_only(card)).sort_values(
        "score", ascending=False, kind="stable"
    )
    measured = ranked[~ranked["answers_only"] & ranked["score"].notna()]
    candidates = measured if len(measured) else ranked.iloc[:1]
    tied, score = _read_alike(
        candidates["platform"], candidates["score"], lambda score: fmt_int(score, lang)
    )
    return t(
        "deck.scorecard.title",
        lang,
        count=len(tied),
        platform=join_words(tied, lang),
        score=score,
    )
