"""The shared filters in a page's address and in plain words."""

from __future__ import annotations

from datetime import date

import pytest

from canalyse.filters import Filters, address_params, describe_filters, filters_from_params

NBSP = "\u00a0"


def test_an_address_becomes_filters_and_back():
    chosen = Filters(date(2025, 1, 1), date(2025, 6, 30), ("facebook", "x"), "Crue", ("rennes",))
    params = address_params("en", chosen)
    assert params == {
        "lang": ["en"],
        "from": ["2025-01-01"],
        "to": ["2025-06-30"],
        "platform": ["facebook", "x"],
        "account": ["rennes"],
        "campaign": ["Crue"],
    }
    assert filters_from_params(params) == chosen


def test_a_plain_address_means_french_and_everything():
    assert address_params("fr", Filters()) == {}
    assert filters_from_params({}) == Filters()


def test_an_empty_campaign_in_the_address_asks_for_the_figures_of_no_campaign():
    assert filters_from_params({"campaign": [""]}).campaign == ""
    assert address_params("fr", Filters(campaign="")) == {"campaign": [""]}


@pytest.mark.parametrize(
    "params",
    [
        {"from": ["2025-01-01"]},  # half a period
        {"from": ["2025-06-30"], "to": ["2025-01-01"]},  # the end before the start
        {"from": ["01/01/2025"], "to": ["2025-06-30"]},  # not an ISO date
    ],
)
def test_a_period_the_address_cannot_give_whole_is_left_out(params):
    assert filters_from_params(params) == Filters()


def test_repeated_networks_count_once():
    assert filters_from_params({"platform": ["x", "x", ""]}).platforms == ("x",)


def test_the_filters_read_in_plain_words_in_french_and_english():
    chosen = Filters(date(2025, 1, 1), date(2025, 6, 30), ("facebook", "instagram", "x"), "Crue")
    assert describe_filters(chosen, "fr") == (
        f"Chiffres retenus{NBSP}: du 01/01/2025 au 30/06/2025 · Facebook, Instagram et X"
        " · campagne « Crue »"
    )
    assert describe_filters(chosen, "en") == (
        "Figures shown: 1 Jan 2025 – 30 Jun 2025 · Facebook, Instagram and X · campaign “Crue”"
    )
    assert describe_filters(Filters(), "fr") == (
        f"Chiffres retenus{NBSP}: toutes les dates · tous les réseaux · toutes les campagnes"
    )
    assert describe_filters(Filters(campaign="", accounts=("rennes",)), "fr") == (
        f"Chiffres retenus{NBSP}: toutes les dates · tous les réseaux · comptes « rennes »"
        " · chiffres sans campagne"
    )
