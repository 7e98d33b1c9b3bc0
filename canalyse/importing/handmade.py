"""Hand-made tables: one row per platform (a campaign summary) or per platform and date or month.

Headers are matched on meaning, in French or English (`Réseau`, `Plateforme`, `Vues`, `Impressions`,
`Budget`, `Dépenses (€)`, `Temps passé (h)`, `Heures agents`…), wherever the header row sits: on
their words, not their spelling (`ad_spend_eur`, « Budget sponsorisé (€) », `temps (min)`). A column
of figures left unused can be given a metric by the user, remembered for tables with the same
header row (see `canalyse.importing.mapping.remember_columns`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from canalyse.errors import ImportRefused
from canalyse.formatting import fmt_number
from canalyse.importing import values
from canalyse.importing.files import RawTable
from canalyse.importing.layout import ImportContext, ParsedTable, describe_cells
from canalyse.metrics import METRIC_NAMES
from canalyse.platforms import fold, normalise_platform
from canalyse.store.keys import repeated_rows

LAYOUT_ID = "handmade"
SIGNATURE_PREFIX = "handmade:"
HEADER_SCAN_ROWS = 30

# Folded header text (accents, case and punctuation removed, units in brackets dropped) → role.
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "platform": (
        "reseau",
        "reseau social",
        "reseaux",
        "reseaux sociaux",
        "plateforme",
        "plate forme",
        "plateformes",
        "platform",
        "network",
        "social network",
        "social media",
        "channel",
        "canal",
        "media",
        "media social",
        "medias sociaux",
        "support",
    ),
    "account": ("compte", "account", "nom du compte", "account name", "profil", "profile", "page"),
    "campaign": ("campagne", "campaign", "operation", "nom de la campagne", "campaign name"),
    "date": ("date", "jour", "day", "mois", "month", "periode", "period", "semaine", "week"),
    "start": ("debut", "date de debut", "start", "start date", "du", "from", "date debut"),
    "end": ("fin", "date de fin", "end", "end date", "au", "to", "date fin"),
}
_METRIC_WORDS: dict[str, tuple[str, ...]] = {
    "views": (
        "vues",
        "nombre de vues",
        "nb de vues",
        "nb vues",
        "vues totales",
        "total des vues",
        "views",
        "number of views",
        "total views",
        "affichages",
    ),
    "impressions": ("impressions", "nombre d impressions", "nb d impressions", "total impressions"),
    "reach": (
        "couverture",
        "portee",
        "personnes atteintes",
        "comptes atteints",
        "reach",
        "people reached",
        "accounts reached",
        "audience atteinte",
    ),
    "reactions": (
        "reactions",
        "j aime",
        "mentions j aime",
        "likes",
        "favoris",
        "favourites",
        "favorites",
    ),
    "comments": ("commentaires", "comments", "reponses", "replies"),
    "shares": (
        "partages",
        "shares",
        "reposts",
        "retweets",
        "republications",
        "repartages",
        "boosts",
    ),
    "saves": ("enregistrements", "sauvegardes", "saves", "bookmarks", "signets"),
    "clicks": ("clics", "clicks", "total des clics", "total clicks", "nombre de clics"),
    "link_clicks": (
        "clics sur un lien",
        "clics sur le lien",
        "clics lien",
        "link clicks",
        "url clicks",
    ),
    "video_views": (
        "vues de videos",
        "vues video",
        "vues videos",
        "vues des videos",
        "video views",
        "lectures",
    ),
    "watch_time_hours": (
        "duree de visionnage",
        "temps de visionnage",
        "heures de visionnage",
        "watch time",
        "watch time hours",
    ),
    "engagements": (
        "engagements",
        "engagement",
        "interactions",
        "nombre d interactions",
        "total engagements",
    ),
    "followers_gained": (
        "nouveaux abonnes",
        "abonnes gagnes",
        "gain d abonnes",
        "gains d abonnes",
        "new followers",
        "followers gained",
        "new follows",
    ),
    "followers_lost": ("abonnes perdus", "desabonnements", "followers lost", "unfollows"),
    "followers_total": (
        "abonnes",
        "nombre d abonnes",
        "total abonnes",
        "abonnes total",
        "followers",
        "total followers",
        "communaute",
        "fans",
    ),
    "profile_visits": (
        "visites du profil",
        "visites",
        "visites de la page",
        "profile visits",
        "page visits",
    ),
    "spend": (
        "budget",
        "depenses",
        "depense",
        "depenses publicitaires",
        "budget publicitaire",
        "cout",
        "couts",
        "montant",
        "investissement",
        "sponsorisation",
        "spend",
        "ad spend",
        "cost",
        "budget depense",
    ),
    "staff_hours": (
        "temps passe",
        "temps",
        "heures",
        "heures agents",
        "heures agent",
        "heures de travail",
        "temps agents",
        "temps de travail",
        "nombre d heures",
        "staff hours",
        "hours",
        "time spent",
        "hours spent",
        "working hours",
    ),
}
_WORD_ROLE = {word: role for role, words in _ROLE_WORDS.items() for word in words}
_WORD_METRIC = {word: metric for metric, words in _METRIC_WORDS.items() for word in words}
# Ratios and shares someone computed in the sheet: never data, Canalyse recomputes them.
_COMPUTED = re.compile(
    r"%|\b(part|parts|taux|rate|ratio|share of|ctr|cpm|cpc|moyen|moyenne|moyens|moyennes"
    r"|average|par|per|pct|percent|pourcentage)\b"
)
# Units written after the words (`ad_spend_eur`, `temps_min`, `cout_keur`), once folded.
_UNIT_WORDS = frozenset(
    {"eur", "euro", "euros", "k", "ke", "keur", "h", "hr", "hrs", "min", "mn", "minutes"}
)
_TOTAL_LABELS = {
    "total",
    "totaux",
    "total general",
    "totals",
    "grand total",
    "ensemble",
    "somme",
    "sum",
    "tous reseaux",
    "toutes plateformes",
    "all platforms",
    "all networks",
    "cumul",
}
# Units written in the header that scale the figures below it.
_THOUSANDS = re.compile(r"^(k|k€|keur|milliers|en milliers|thousands|000)$")
_MINUTES = re.compile(r"^(min|mn|minutes)$")


@dataclass
class Column:
    position: int
    header: str
    role: str  # platform / account / campaign / date / start / end / metric
    metric: str | None = None
    scale: float = 1.0


@dataclass
class Detection:
    header_row: int
    columns: list[Column]
    # Columns not used: role "computed" (a rate or share, never data) or "unknown".
    ignored: list[Column] = field(default_factory=list)


def _split_header(text: object) -> tuple[str, str]:
    """(folded header without its units, folded unit): "Dépenses (k€)" → ("depenses", "k€"),
    "ad_spend_eur" → ("ad spend", "eur")."""
    raw = str(text).strip()
    units = re.findall(r"[(\[]([^)\]]*)[)\]]", raw)
    words = fold(re.sub(r"[(\[][^)\]]*[)\]]", " ", raw)).split()
    unit = units[-1].strip().lower().replace(" ", "") if units else ""
    while len(words) > 1 and words[-1] in _UNIT_WORDS:
        unit = unit or words[-1]
        words.pop()
    return " ".join(words), unit


def _is_computed(header: str) -> bool:
    """A rate or a share (`Taux d'engagement`, `engagement_rate_pct`, `Part (%)`)."""
    return bool(_COMPUTED.search(header.lower()) or _COMPUTED.search(fold(header)))


def _metric_in_words(base: str) -> str | None:
    """The metric whose longest known phrase stands in the header's words ("budget sponsorise"
    → spend by "budget"); None when none does, or when two metrics tie."""
    words = base.split()
    found: dict[int, set[str]] = {}
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            metric = _WORD_METRIC.get(" ".join(words[start : start + size]))
            if metric is not None:
                found.setdefault(size, set()).add(metric)
        if size in found:
            metrics = found[size]
            return metrics.pop() if len(metrics) == 1 else None
    return None


def _classify(text: object) -> tuple[str, str | None, float] | None:
    """Role, metric and scale of a header cell, or None when it means nothing to this layout."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or str(text).strip() == "":
        return None
    base, unit = _split_header(text)
    if base in _WORD_ROLE:
        return _WORD_ROLE[base], None, 1.0
    metric = _metric_in_words(base)
    if metric is None:
        return None
    return "metric", metric, _scale(metric, base, unit)


def _scale(metric: str, base: str, unit: str) -> float:
    """What the unit written in the header multiplies the figures by (k€ → 1 000, min → 1/60)."""
    if _THOUSANDS.match(unit) or base.endswith(" en milliers"):
        return 1000.0
    if metric == "staff_hours" and _MINUTES.match(unit):
        return 1 / 60
    return 1.0


def signature(cells: pd.DataFrame, header_row: int) -> str:
    """The key under which metrics given to a table's unused columns are remembered."""
    return SIGNATURE_PREFIX + "|".join(
        fold(v) if isinstance(v, str) else "" for v in cells.iloc[header_row]
    )


def detect(
    table: RawTable, remembered: dict[str, dict[str, str]] | None = None
) -> Detection | None:
    """Find the header row (a platform column and at least one metric) within the first rows.

    `remembered` maps a header row's `signature` to the metrics the user gave its unused columns
    ({folded header: metric}).
    """
    cells = table.cells
    for row in range(min(HEADER_SCAN_ROWS, len(cells))):
        given = (remembered or {}).get(signature(cells, row), {})
        headers = cells.iloc[row].tolist()
        classified = [
            ("metric", given[fold(h)], 1.0)
            if isinstance(h, str) and fold(h) in given
            else _classify(h)
            for h in headers
        ]
        roles = [c[0] for c in classified if c]
        if "platform" in roles and "metric" in roles:
            return _build_detection(row, headers, classified)
    return None


def _build_detection(row: int, headers: list, classified: list) -> Detection:
    columns: list[Column] = []
    ignored: list[Column] = []
    taken: set[str] = set()
    has_views_column = any(c and c[1] == "views" for c in classified)
    for position, (header, found) in enumerate(zip(headers, classified, strict=True)):
        text = str(header).strip()
        if not text:
            continue
        if found is None or _is_computed(text):
            ignored.append(Column(position, text, "computed" if _is_computed(text) else "unknown"))
            continue
        role, metric, scale = found
        # "Impressions" are the views of X and LinkedIn; they are a separate metric only when the
        # table also has a views column (YouTube thumbnail impressions, for example).
        if metric == "impressions" and not has_views_column:
            metric = "views"
        slot = metric or role
        if slot in taken:
            ignored.append(Column(position, text, "unknown"))
            continue
        taken.add(slot)
        columns.append(Column(position, text, role, metric, scale))
    return Detection(row, columns, ignored)


def parse(table: RawTable, detection: Detection, context: ImportContext) -> ParsedTable:
    """Turn a hand-made table into facts; refuses with the first offending cells named."""
    lang = context.lang
    body = table.cells.iloc[detection.header_row + 1 :]
    body = body[~body.map(_is_blank).all(axis=1)]
    lines = body.index.to_numpy() + 1
    by_role = {c.metric or c.role: c for c in detection.columns}
    metric_columns = [c for c in detection.columns if c.role == "metric"]
    platform_column = by_role["platform"]

    platform_text = body[platform_column.position].map(_text)
    folded = platform_text.map(fold)
    platform_ids = platform_text.map(normalise_platform)

    decimal = values.detect_decimal([body[c.position] for c in metric_columns])
    read = values.parse_number_columns(
        {c.position: body[c.position] for c in metric_columns},
        decimal,
        hours={c.position for c in metric_columns if c.metric == "staff_hours"},
    )
    numbers: dict[str, pd.Series] = {}
    invalid: dict[str, pd.Series] = {}
    for column in metric_columns:
        parsed, invalid[column.metric] = read[column.position]
        numbers[column.metric] = parsed * column.scale
    has_numbers = pd.concat(numbers, axis=1).notna().any(axis=1)

    # A row labelled Total (or unlabelled, with figures) is a total; text without figures is a note.
    is_total = folded.isin(_TOTAL_LABELS) | ((folded == "") & has_numbers)
    is_note = platform_ids.isna() & ~is_total & ~has_numbers
    unknown = platform_ids.isna() & ~is_total & ~is_note
    if unknown.any():
        cells = [(lines[i], platform_column.header, platform_text.iloc[i]) for i in _where(unknown)]
        raise ImportRefused(
            "import.error.unknown_platform", file=table.name, cells=describe_cells(cells, lang)
        )
    data_rows = ~is_total & ~is_note
    bad_cells = [
        (lines[i], column.header, body[column.position].iloc[i])
        for column in metric_columns
        for i in _where(invalid[column.metric] & data_rows)
    ]
    if bad_cells:
        bad_cells.sort(key=lambda cell: cell[0])
        raise ImportRefused(
            "import.error.not_a_number", file=table.name, cells=describe_cells(bad_cells, lang)
        )
    if not data_rows.any():
        raise ImportRefused("import.error.no_data_rows", file=table.name)

    rows = body[data_rows]
    facts = pd.DataFrame(index=rows.index)
    facts["platform"] = platform_ids[data_rows].astype(str)
    facts["account"] = _text_column(rows, by_role.get("account"))
    facts["campaign"] = _text_column(rows, by_role.get("campaign"))
    if context.campaign:
        facts["campaign"] = facts["campaign"].where(facts["campaign"] != "", context.campaign)
    grain, facts["period_start"], facts["period_end"] = _periods(
        rows, by_role, table.name, lines[data_rows.to_numpy()], lang
    )
    facts["grain"] = grain
    facts["item_key"] = None
    facts["title"] = None
    for metric in METRIC_NAMES:
        facts[metric] = numbers[metric][data_rows] if metric in numbers else np.nan
    _identify(facts, context.file_name)
    _refuse_duplicates(facts, lines[data_rows.to_numpy()], table.name)

    notes = list(table.notes)
    if detection.ignored:
        ignored = ", ".join(f"« {c.header} »" for c in detection.ignored)
        notes.append(("import.note.ignored_columns", {"columns": ignored}))
    notes += _check_totals(numbers, is_total, data_rows, metric_columns, lang)
    parsed = ParsedTable(table.name, LAYOUT_ID, grain, facts.reset_index(drop=True), notes)
    parsed.unused_numeric = _numeric_columns(body[data_rows], detection.ignored, decimal)
    parsed.columns_key = signature(table.cells, detection.header_row)
    return parsed


def _numeric_columns(rows: pd.DataFrame, ignored: list[Column], decimal: str) -> list[str]:
    """The headers of unused columns that hold figures only (rates and shares left aside)."""
    found = []
    for column in ignored:
        if column.role == "computed":
            continue
        numbers, invalid = values.parse_numbers(rows[column.position], decimal)
        if numbers.notna().any() and not invalid.any():
            found.append(column.header)
    return found


def _where(mask: pd.Series) -> np.ndarray:
    return np.flatnonzero(mask.to_numpy())


def _text(value: object) -> str:
    return "" if _is_blank(value) else str(value).strip()


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _text_column(rows: pd.DataFrame, column: Column | None) -> pd.Series:
    if column is None:
        return pd.Series("", index=rows.index, dtype=object)
    return rows[column.position].map(_text)


def _periods(rows: pd.DataFrame, by_role: dict, name: str, lines: np.ndarray, lang: str):
    """Grain and period of each row: a day, a month or an explicit start–end, else undated."""
    if "date" in by_role:
        parsed = _dates(rows, by_role["date"], name, lines, lang)
        grain = "day" if parsed.granularity == "day" else "period"
        return grain, parsed.start.dt.date.to_numpy(), parsed.end.dt.date.to_numpy()
    if "start" in by_role and "end" in by_role:
        starts = _dates(rows, by_role["start"], name, lines, lang)
        ends = _dates(rows, by_role["end"], name, lines, lang)
        return "period", starts.start.dt.date.to_numpy(), ends.end.dt.date.to_numpy()
    undated = np.full(len(rows), None, dtype=object)
    return "period", undated, undated


def _dates(rows: pd.DataFrame, column: Column, name: str, lines: np.ndarray, lang: str):
    cells = rows[column.position]
    parsed = values.parse_dates(cells)
    bad = parsed.invalid.to_numpy() | parsed.start.isna().to_numpy()
    if bad.any():
        offending = [(lines[i], column.header, cells.iloc[i]) for i in np.flatnonzero(bad)]
        raise ImportRefused(
            "import.error.bad_date", file=name, cells=describe_cells(offending, lang)
        )
    return parsed


def _identify(facts: pd.DataFrame, file_name: str) -> None:
    """Same platform, account, campaign and period → same figure, whichever file brings it.

    The campaign is part of a hand-made row's identity (`key_campaign`). An undated summary has
    no period to match on, so its file name stands in: a corrected file of the same name replaces
    it, another campaign's summary adds to it.
    """
    facts["key_campaign"] = True
    undated = facts["period_start"].isna()
    facts["key_extra"] = ""
    if undated.any():
        facts.loc[undated, "key_extra"] = "file:" + fold(re.sub(r"\.[A-Za-z0-9]+$", "", file_name))


def _refuse_duplicates(facts: pd.DataFrame, lines: np.ndarray, name: str) -> None:
    repeated = repeated_rows(facts, keep=False).to_numpy()
    if repeated.any():
        lines_text = ", ".join(str(line) for line in lines[repeated][:10])
        raise ImportRefused("import.error.duplicate_rows", file=name, lines=lines_text)


def _check_totals(numbers, is_total, data_rows, metric_columns, lang):
    """Compare a Total row with the sum of the rows above it; a mismatch is reported, not fatal."""
    if not is_total.any():
        return []
    total_row = np.flatnonzero(is_total.to_numpy())[-1]
    mismatches = []
    for column in metric_columns:
        stated = numbers[column.metric].iloc[total_row]
        if pd.isna(stated):
            continue
        summed = numbers[column.metric][data_rows].sum()
        if abs(stated - summed) > max(1.0, 0.005 * abs(summed)):
            mismatches.append(
                f"« {column.header} » : {fmt_number(stated, lang, 0)} ≠ {fmt_number(summed, lang, 0)}"
            )
    if mismatches:
        return [("import.note.total_mismatch", {"details": "; ".join(mismatches)})]
    return [("import.note.total_checked", {})]
