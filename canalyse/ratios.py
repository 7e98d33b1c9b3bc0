"""The return-on-investment ratios: one registry for the ROI table, `canalyse report --json`, the
glossary and the downloads. `queries/roi.sql` computes every one of them in one pass.

Adding a ratio touches three files: a column in `queries/roi.sql`, an entry here, and its label,
short table header, definition, formula and note in `locales/glossary.json`
(`glossary.ratio.<name>.label|short|definition|formula|note`). CONTRIBUTING.md walks through it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ratio:
    """A figure computed from canonical metrics; NULL whenever it cannot be computed, never 0."""

    name: str
    inputs: tuple[str, ...]  # the canonical metrics it is computed from, in reading order
    unit: str  # eur, eur_precise (4 decimals), share (a fraction), count, number (1 decimal)

    @property
    def label_key(self) -> str:
        """The catalog key of its full name (glossary, spreadsheet headers)."""
        return f"glossary.ratio.{self.name}.label"

    @property
    def header_key(self) -> str:
        """The catalog key of its short name (the ROI table's column header)."""
        return f"glossary.ratio.{self.name}.short"


RATIOS: tuple[Ratio, ...] = (
    Ratio("staff_cost", ("staff_hours",), "eur"),
    Ratio("share_of_views", ("views",), "share"),
    Ratio("share_of_staff_hours", ("staff_hours",), "share"),
    Ratio("ad_cost_per_view", ("spend", "views"), "eur_precise"),
    Ratio("cost_per_view", ("spend", "staff_hours", "views"), "eur_precise"),
    Ratio("cost_per_1000_views", ("spend", "staff_hours", "views"), "eur"),
    Ratio("views_per_staff_hour", ("views", "staff_hours"), "count"),
    Ratio("engagement_rate", ("engagements", "views"), "share"),
    Ratio("views_per_follower", ("views", "followers_total"), "number"),
)
BY_NAME: dict[str, Ratio] = {ratio.name: ratio for ratio in RATIOS}
RATIO_NAMES: tuple[str, ...] = tuple(BY_NAME)
