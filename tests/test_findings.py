"""The headline sentences: one threshold says « stable » for every page, slide and reason."""

from __future__ import annotations

import pandas as pd
import pytest

from canalyse.analysis import findings
from canalyse.charts.overview import share_of_views_bar

NBSP = "\u00a0"


@pytest.mark.parametrize(("change", "stable"), [(0.004, True), (-0.0049, True), (0.008, False)])
def test_below_half_a_percent_a_change_is_stable(change, stable):
    assert findings.is_stable(change) is stable


def test_a_change_of_0_8_percent_is_a_rise_on_the_trends_page_and_on_the_slide():
    # The Trends page writes small changes with a decimal; the deck's slide in whole percents.
    assert findings.change_words(0.008, "fr") == f"ont augmenté de 0,8{NBSP}%"
    months = pd.DataFrame(
        {"facebook": [1000.0, 1008.0]}, index=pd.to_datetime(["2025-01-01", "2025-02-01"])
    )
    assert findings.monthly_trend_title(months, "fr").startswith(
        f"Les vues mensuelles ont augmenté de 1{NBSP}%"
    )
    stable = months.assign(facebook=[1000.0, 1004.0])
    assert "stables" in findings.monthly_trend_title(stable, "fr")


def _totals(*rows):
    return pd.DataFrame(rows, columns=["platform", "views", "date_min", "date_max"]).assign(
        date_min=lambda f: pd.to_datetime(f["date_min"]),
        date_max=lambda f: pd.to_datetime(f["date_max"]),
    )


def test_shares_over_different_periods_are_flagged_with_each_period_and_the_common_one():
    # A year of TikTok beside two months of Facebook: 64 % of the views says little about reach.
    totals = _totals(
        ("tiktok", 2_946_198, "2025-02-28", "2026-02-27"),
        ("facebook", 761_454, "2025-10-31", "2025-12-31"),
        ("bluesky", None, "2024-01-01", "2024-02-01"),  # no views: not in the shares
    )
    note = findings.uneven_periods(totals, "fr")
    assert note == (
        "Les réseaux ne couvrent pas la même période — TikTok du 28/02/2025 au 27/02/2026, "
        "Facebook du 31/10/2025 au 31/12/2025 : leurs parts comparent des durées différentes. "
        "Période commune à tous : du 31/10/2025 au 31/12/2025."
    )
    # The chart carries it, so that its picture or slide says it too.
    shares = totals[totals["views"].notna()].assign(share_of_views=lambda f: f["views"] / 3_707_652)
    subtitle = share_of_views_bar(shares, "fr", "Source", note=note).layout.title.subtitle.text
    assert "leurs parts comparent des durées" in subtitle.replace("<br>", " ")
    apart = _totals(
        ("x", 10, "2024-01-01", "2024-03-31"), ("linkedin", 5, "2025-01-01", "2025-03-31")
    )
    assert "commune à tous" not in findings.uneven_periods(apart, "fr")
    assert findings.uneven_periods(apart, "en").startswith(
        "The networks do not cover the same period"
    )


def test_shares_over_the_same_period_give_no_warning():
    # Ten days less on one network out of a year is the same period for a comparison.
    same = _totals(
        ("x", 10, "2025-01-01", "2025-12-31"), ("facebook", 20, "2025-01-10", "2025-12-31")
    )
    assert findings.uneven_periods(same, "fr") is None
    one = _totals(("x", 10, "2025-01-01", "2025-01-31"), ("facebook", 20, None, None))
    assert findings.uneven_periods(one, "fr") is None
