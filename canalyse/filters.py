"""The filters every page and report share: period, platforms, campaign."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Filters:
    """A selection of the workspace; None means "everything". A campaign of "" asks for the
    figures of no campaign."""

    start: date | None = None
    end: date | None = None
    platforms: tuple[str, ...] | None = None
    campaign: str | None = None
    accounts: tuple[str, ...] | None = None

    def params(self) -> dict[str, object]:
        """The named parameters the query files take."""
        return {
            "start": self.start,
            "end": self.end,
            "platforms": list(self.platforms) if self.platforms else None,
            "campaign": self.campaign,
            "accounts": list(self.accounts) if self.accounts else None,
        }


def filters_from_state(state: Mapping[str, object]) -> Filters:
    """Filters from the sidebar widgets' values (a period needs both ends; empty means everything)."""
    period = state.get("filter_period") or ()
    start, end = period if isinstance(period, (tuple, list)) and len(period) == 2 else (None, None)
    platforms = tuple(state.get("filter_platforms") or ()) or None
    accounts = tuple(state.get("filter_accounts") or ()) or None
    return Filters(
        start=start,
        end=end,
        platforms=platforms,
        campaign=state.get("filter_campaign"),
        accounts=accounts,
    )
