"""The glossary: what each figure and each ratio means, how it is computed and where it comes from.

Built from the sources of truth, never restated by hand: the metric dictionary (`canalyse.metrics`)
for definitions, the ratio registry (`canalyse.ratios`) for what each ratio is computed from, and the
export layouts (`canalyse.importing.layouts`) for which column of which platform's export feeds each
metric. The ratios' wording and the comparability warnings no single layout carries are in
`locales/glossary.json`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from canalyse.formatting import MISSING
from canalyse.i18n import t
from canalyse.importing.layouts import all_layouts
from canalyse.metrics import METRICS
from canalyse.platforms import PLATFORMS, fold, label
from canalyse.ratios import BY_NAME, RATIO_NAMES

# Comparability warnings no layout states on its own, per metric: locale keys under "glossary.warning.".
_EXTRA_WARNINGS: dict[str, tuple[str, ...]] = {
    "views": ("youtube_impressions", "linkedin_post_views"),
    "impressions": ("youtube_impressions",),
    "engagements": ("fediverse_engagements", "legacy_engaged_users", "own_totals"),
}

# Figures no platform export gives: the team types them into a hand-made table.
_HANDMADE_ONLY = ("spend", "staff_hours")


@dataclass(frozen=True)
class Feed:
    """The export columns that feed one metric on one platform (or one multi-network layout)."""

    network: str
    platform: str | None
    metric: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One glossary entry: a canonical metric (kind "metric") or a ratio between them ("ratio")."""

    name: str
    kind: str
    label: str
    definition: str
    formula: str
    inputs: tuple[str, ...]
    feeds: tuple[Feed, ...]
    warnings: tuple[str, ...]


def _preferred(spellings: list[str]) -> str:
    """Of several spellings of one header, the capitalised one as exports usually write it."""
    return next((s for s in spellings if s[:1].isupper()), spellings[0])


def metric_feeds(metric: str, lang: str) -> tuple[Feed, ...]:
    """Per platform (in the platform list's order), the column names of every layout mapping `metric`.

    Spellings differing only by case or accents are shown once. A layout that serves several
    networks (a Meta page-level file) is named by its own label rather than by a platform.
    """
    columns: dict[str | None, dict[str, list[str]]] = {}
    networks: dict[str | None, str] = {}
    for layout in all_layouts():
        names = layout.metrics.get(metric)
        if not names:
            continue
        key = layout.platform if layout.platform else f"layout:{layout.id}"
        networks.setdefault(key, label(layout.platform) if layout.platform else layout.label(lang))
        spellings = columns.setdefault(key, {})
        for name in names:
            spellings.setdefault(fold(name), []).append(name)
    order = {platform: rank for rank, platform in enumerate(PLATFORMS)}
    keys = sorted(columns, key=lambda k: (order.get(k, len(order)), str(k)))
    return tuple(
        Feed(
            network=networks[k],
            platform=k if k in PLATFORMS else None,
            metric=metric,
            columns=tuple(_preferred(spellings) for spellings in columns[k].values()),
        )
        for k in keys
    )


def _metric_entry(name: str, lang: str) -> Entry:
    metric = METRICS[name]
    warnings = [metric.note(lang)] if metric.note(lang) else []
    warnings += [t(f"glossary.warning.{key}", lang) for key in _EXTRA_WARNINGS.get(name, ())]
    if name in _HANDMADE_ONLY:
        warnings.append(t(f"glossary.handmade.{name}", lang))
    formula_key = "last" if metric.aggregation == "last" else "sum"
    return Entry(
        name=name,
        kind="metric",
        label=metric.label(lang),
        definition=metric.definition(lang),
        formula=t(f"glossary.formula.{formula_key}", lang, metric=metric.label(lang)),
        inputs=(name,),
        feeds=metric_feeds(name, lang),
        warnings=tuple(warnings),
    )


def _ratio_entry(name: str, lang: str) -> Entry:
    inputs = BY_NAME[name].inputs
    return Entry(
        name=name,
        kind="ratio",
        label=t(f"glossary.ratio.{name}.label", lang),
        definition=t(f"glossary.ratio.{name}.definition", lang),
        formula=t(f"glossary.ratio.{name}.formula", lang),
        inputs=inputs,
        feeds=tuple(feed for metric in inputs for feed in metric_feeds(metric, lang)),
        warnings=(t(f"glossary.ratio.{name}.note", lang),),
    )


def glossary_entries(lang: str) -> list[Entry]:
    """Every canonical metric, then every return-on-investment ratio, described in `lang`."""
    # Like the number formats: anything but English reads French (the metric dictionary would
    # otherwise answer in English to an unexpected value).
    lang = "en" if lang == "en" else "fr"
    return [_metric_entry(name, lang) for name in METRICS] + [
        _ratio_entry(name, lang) for name in RATIO_NAMES
    ]


def matches(entry: Entry, query: str) -> bool:
    """True when every word of `query` appears in the entry (label, text or column names),
    ignoring case and accents; an empty query matches everything."""
    words = fold(query).split()
    if not words:
        return True
    haystack = fold(
        " ".join(
            [
                entry.name,
                entry.label,
                entry.definition,
                entry.formula,
                *entry.warnings,
                *(f"{feed.network} {' '.join(feed.columns)}" for feed in entry.feeds),
            ]
        )
    )
    return all(word in haystack for word in words)


def feeds_table(entry: Entry, lang: str) -> pd.DataFrame:
    """The entry's sources as a small table: one row per network, one column per metric it is
    computed from, each cell the export columns feeding that metric there."""
    quote = "« {} »" if lang == "fr" else "“{}”"
    cells: dict[str, dict[str, str]] = {}
    for feed in entry.feeds:
        row = cells.setdefault(feed.network, {})
        row[feed.metric] = " · ".join(quote.format(column) for column in feed.columns)
    order = {platform: rank for rank, platform in enumerate(PLATFORMS)}
    rank = {feed.network: order.get(feed.platform, len(order)) for feed in entry.feeds}
    networks = sorted(cells, key=lambda network: rank[network])
    by_network = pd.DataFrame.from_dict(cells, orient="index").reindex(
        index=networks, columns=list(entry.inputs)
    )
    # Spend and hours come from no export: say where they come from rather than "—".
    for metric in entry.inputs:
        missing = t("glossary.handmade_short", lang) if metric in _HANDMADE_ONLY else MISSING
        by_network[metric] = by_network[metric].astype(object).fillna(missing)
    if entry.kind == "metric":
        by_network.columns = [t("glossary.table.columns", lang)]
    else:
        by_network.columns = [METRICS[metric].label(lang) for metric in entry.inputs]
    by_network.index.name = t("glossary.table.network", lang)
    return by_network.reset_index()
