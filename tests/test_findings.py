"""The headline sentences: one threshold says « stable » for every page, slide and reason."""

from __future__ import annotations

import pandas as pd
import pytest

from canalyse.analysis import findings

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
