"""The filters every page and report share: period, platforms, accounts, campaign."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from canalyse.formatting import fmt_period
from canalyse.i18n import DEFAULT_LANGUAGE, t
from canalyse.platforms import label

# The page address's parameters: `?lang=en&from=2025-01-01&to=2025-06-30&platform=facebook
# &platform=x&campaign=Crue` (`campaign=` with no name: the figures of no campaign). The same
# names as the command line's options.
LANG_PARAM = "lang"
FROM_PARAM, TO_PARAM = "from", "to"
PLATFORM_PARAM, ACCOUNT_PARAM, CAMPAIGN_PARAM = "platform", "account", "campaign"
# The campaign filter's choice for the figures of no campaign.
NO_CAMPAIGN = ""


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


def filters_from_params(params: Mapping[str, list[str]]) -> Filters:
    """Filters from a page address's parameters (each a list of values); what cannot be read —
    a period without both ends, an end before its start, a date that is not one — is left out."""

    def one(name: str) -> str | None:
        values = params.get(name) or []
        return values[-1] if values else None

    try:
        start = date.fromisoformat(one(FROM_PARAM) or "")
        end = date.fromisoformat(one(TO_PARAM) or "")
    except ValueError:
        start = end = None
    if start is not None and end is not None and end < start:
        start = end = None
    platforms = tuple(dict.fromkeys(p for p in params.get(PLATFORM_PARAM) or [] if p)) or None
    accounts = tuple(dict.fromkeys(a for a in params.get(ACCOUNT_PARAM) or [] if a)) or None
    return Filters(
        start=start,
        end=end,
        platforms=platforms,
        campaign=one(CAMPAIGN_PARAM),
        accounts=accounts,
    )


def address_params(lang: str, filters: Filters) -> dict[str, list[str]]:
    """The page address's parameters for a language and a selection (French and "everything"
    are left out, so a plain address means both)."""
    params: dict[str, list[str]] = {}
    if lang != DEFAULT_LANGUAGE:
        params[LANG_PARAM] = [lang]
    if filters.start is not None and filters.end is not None:
        params[FROM_PARAM] = [filters.start.isoformat()]
        params[TO_PARAM] = [filters.end.isoformat()]
    if filters.platforms:
        params[PLATFORM_PARAM] = list(filters.platforms)
    if filters.accounts:
        params[ACCOUNT_PARAM] = list(filters.accounts)
    if filters.campaign is not None:
        params[CAMPAIGN_PARAM] = [filters.campaign]
    return params


def join_words(words: list[str], lang: str) -> str:
    """« A, B et C » / "A, B and C"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + t("filters.and", lang) + words[-1]


def describe_filters(filters: Filters, lang: str) -> str:
    """The selection in plain words, for a page header or a title slide: « Chiffres retenus : du
    01/01/2025 au 30/06/2025 · Facebook et Instagram · campagne « Crue » »."""
    parts = [
        fmt_period(filters.start, filters.end, lang) or t("filters.any_period", lang),
        join_words([label(p) for p in filters.platforms], lang)
        if filters.platforms
        else t("filters.all_platforms_words", lang),
    ]
    if filters.accounts:
        accounts = join_words(
            [f"« {a} »" if lang == "fr" else f"“{a}”" for a in filters.accounts], lang
        )
        parts.append(t("filters.accounts_words", lang, accounts=accounts))
    if filters.campaign is None:
        parts.append(t("filters.all_campaigns_words", lang))
    elif filters.campaign == NO_CAMPAIGN:
        parts.append(t("filters.no_campaign_words", lang))
    else:
        parts.append(t("filters.campaign_words", lang, campaign=filters.campaign))
    return t("filters.shown", lang, selection=" · ".join(parts))
