"""The return-on-investment ratios: one registry for the ROI table, `canalyse report --json`, the
glossary and the downloads. `queries/roi.sql` computes every one of them in one pass.

Adding a ratio: a column in `queries/roi.sql`, an entry here, its label, definition, formula and
note in `locales/glossary.json` (and its short table header in `locales/ui.json`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ratio:
    """A figure computed from canonical metrics; NULL whenever it cannot be computed, never 0."""

    name: str
    inputs: tuple[str, ...]  # the canonical metrics it is computed from, in reading order
    unit: str  # eur, eur_precise (4 decimals), share (a fraction), count, number (1 decimal)
    header_key: str  # the short column header of the ROI table

    @property
    def label_key(self) -> str:
        return f"glossary.ratio.{self.name}.label"


RATIOS: tuple[Ratio, ...] = (
    Ratio("staff_cost", ("staff_hours",), "eur", "roi.table.staff_cost"),
    Ratio("share_of_views", ("views",), "share", "table.share_of_views"),
    Ratio("share_of_staff_hours", ("staff_hours",), "share", "roi.table.share_of_hours"),
    Ratio("ad_cost_per_view", ("spend", "views"), "eur_precise", "roi.table.ad_cost_per_view"),
    Ratio(
        "cost_per_view", ("spend", "staff_hours", "views"), "eur_precise", "roi.table.cost_per_view"
    ),
    Ratio(
        "cost_per_1000_views",
        ("spend", "staff_hours", "views"),
        "eur",
        "roi.table.cost_per_1000",
    ),
    Ratio("views_per_staff_hour", ("views", "staff_hours"), "count", "roi.table.views_per_hour"),
    Ratio("engagement_rate", ("engagements", "views"), "share", "roi.table.engagement_rate"),
    Ratio(
        "views_per_follower", ("views", "followers_total"), "number", "roi.table.views_per_follower"
    ),
)
BY_NAME: dict[str, Ratio] = {ratio.name: ratio for ratio in RATIOS}
RATIO_NAMES: tuple[str, ...] = tuple(BY_NAME)
