"""The canonical metric dictionary: the one place that lists the figures Canalyse knows and how each
adds up. What each one means, in French and English, is in the catalog (`locales/metrics.json`):
`metric.<name>.label`, `.definition` and, when it has a caveat, `.note`."""

from __future__ import annotations

from dataclasses import dataclass

from canalyse.i18n import catalog, t


@dataclass(frozen=True)
class Metric:
    name: str
    # "sum" adds up over days, posts and platforms; "last" is a level (a follower count) that must not.
    aggregation: str = "sum"
    unit: str = "count"
    # How the workspace stores it: money is exact to the cent, everything else a double.
    sql_type: str = "DOUBLE"

    def label(self, lang: str) -> str:
        """« Vues », « Temps agents (h) »."""
        return t(f"metric.{self.name}.label", lang)

    def definition(self, lang: str) -> str:
        """What it counts, in a sentence."""
        return t(f"metric.{self.name}.definition", lang)

    def note(self, lang: str) -> str:
        """Its comparability caveat, or ""."""
        key = f"metric.{self.name}.note"
        return t(key, lang) if key in catalog() else ""


_METRICS = (
    Metric("views"),
    Metric("reach"),
    Metric("impressions"),
    Metric("reactions"),
    Metric("comments"),
    Metric("shares"),
    Metric("saves"),
    Metric("clicks"),
    Metric("link_clicks"),
    Metric("video_views"),
    Metric("watch_time_hours", unit="hours"),
    Metric("engagements"),
    Metric("followers_gained"),
    Metric("followers_lost"),
    Metric("followers_total", aggregation="last"),
    Metric("profile_visits"),
    Metric("spend", unit="eur", sql_type="DECIMAL(18,2)"),
    Metric("staff_hours", unit="hours"),
)

METRICS: dict[str, Metric] = {m.name: m for m in _METRICS}
METRIC_NAMES: tuple[str, ...] = tuple(METRICS)
