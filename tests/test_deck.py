"""The slide deck: native PowerPoint charts whose titles are the findings and whose numbers are
the app's, every expected value computed by hand in the comments."""

from __future__ import annotations

import html
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from canalyse import queries, store
from canalyse.analysis import roi
from canalyse.analysis.trends import monthly_views
from canalyse.charts.overview import share_of_views_bar
from canalyse.charts.roi import cost_per_1000_views_bar, hours_vs_views_bar
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file
from canalyse.output.deck import build_deck, deck_filename
from canalyse.platforms import colour
from tests.conftest import FIXTURES, ROOT

NBSP = "\u00a0"
YEAR = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
SOURCE_FR = f"Source{NBSP}: annee_2025_mensuel.csv · du 01/01/2025 au 31/12/2025"
SOURCE_EN = "Source: annee_2025_mensuel.csv · 1 Jan 2025 – 31 Dec 2025"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"

# The year fixture, per month: Facebook 60 000 views, 10 h, 100 € spend; LinkedIn 40 000 views,
# 5 h, 0 €; X 10 000 views, 8 h, no spend; Bluesky no views, 2 h. Over twelve months:
#   views: Facebook 720 000, LinkedIn 480 000, X 120 000 → 1 320 000 in all
#   hours: Facebook 120, LinkedIn 60, X 96, Bluesky 24 → 300 in all
#   spend: Facebook 1 200 €, LinkedIn 0 €


def _scorecard(lang: str = "fr") -> pd.DataFrame:
    keep, reduce, leave = (
        ("Garder", "Réduire", "Quitter") if lang == "fr" else ("Keep", "Reduce", "Leave")
    )
    return pd.DataFrame(
        {
            "platform": ["facebook", "linkedin", "x", "bluesky"],
            "recommendation": [keep, keep, reduce, leave],
            "score": [82, 88, 35, 20],
            "reasons": [
                "55 % des vues pour 40 % du temps",
                "Le coût de 1 000 vues le plus bas",
                "32 % du temps pour 9 % des vues",
                "Aucune vue publiée",
            ],
        }
    )


def _import_year(con) -> None:
    path = FIXTURES / "roi" / "annee_2025_mensuel.csv"
    assert import_file(con, path.name, path.read_bytes()).status == "imported"


def _import_rennes(con) -> None:
    path = ROOT / "data" / "samples" / "rennes_crue_campagne.csv"
    assert import_file(con, path.name, path.read_bytes(), campaign="Crue").status == "imported"


@pytest.fixture
def year(prepared):
    return prepared("year", _import_year)


@pytest.fixture
def rennes(prepared):
    return prepared("rennes", _import_rennes)


@pytest.fixture(scope="module")
def french_deck_file(workspaces, tmp_path_factory) -> bytes:
    """The French deck of the year, built once: the tests only read it."""
    path = workspaces.copy(tmp_path_factory.mktemp("deck") / "w.duckdb", "year", _import_year)
    con = store.connect(path)
    try:
        return build_deck(con, YEAR, "fr", 40, _scorecard())
    finally:
        con.close()


@pytest.fixture
def french_deck(french_deck_file):
    return Presentation(io.BytesIO(french_deck_file))


def _titles(deck) -> list[str]:
    return [slide.shapes.title.text for slide in deck.slides]


def _slide(deck, title_start: str):
    (slide,) = [s for s in deck.slides if s.shapes.title.text.startswith(title_start)]
    return slide


def _chart(slide):
    (shape,) = [s for s in slide.shapes if s.has_chart]
    return shape.chart


def _texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def _label_texts(slide) -> list[str]:
    """The text of each bar's own data label, in bar order."""
    (shape,) = [s for s in slide.shapes if s.has_chart]
    root = etree.fromstring(shape.chart_part.blob)
    A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    return ["".join(t.text for t in label.iter(f"{A}t")) for label in root.iter(f"{C}dLbl")]


def _label_formats(slide) -> list[str]:
    """The number format of each bar's own data label, in bar order."""
    (shape,) = [s for s in slide.shapes if s.has_chart]
    root = etree.fromstring(shape.chart_part.blob)
    return [n.get("formatCode") for n in root.iter(f"{C}dLbl") for n in n.iter(f"{C}numFmt")]


# ---- Slides and titles -------------------------------------------------------------------------


def test_the_french_deck_has_one_slide_per_finding_titled_with_the_finding(french_deck):
    assert _titles(french_deck) == [
        f"Nos réseaux sociaux{NBSP}: portée, coût et temps",
        # 720 000 / 1 320 000 = 54,5 % → 55 %
        f"Facebook a apporté 55{NBSP}% des vues",
        # X: 96 / 300 h = 32 % of the time for 120 000 / 1 320 000 = 9,1 % of views: the widest gap
        # (Facebook 40 − 54,5, LinkedIn 20 − 36,4, Bluesky 8 − 0).
        f"X : 32{NBSP}% de notre temps, 9{NBSP}% des vues",
        # LinkedIn: (0 € + 60 h × 40 €) / 480 000 × 1 000 = 5,00 €
        f"LinkedIn : 5,00{NBSP}€ pour 1 000 vues, le coût le plus bas",
        # 110 000 views in January, 110 000 in December.
        "Des vues mensuelles stables de janvier 2025 à décembre 2025",
        f"LinkedIn obtient le meilleur score{NBSP}: 88 sur 100",
        f"Méthode{NBSP}: comment lire ces chiffres",
    ]


def test_the_deck_is_16_9(french_deck):
    assert french_deck.slide_width * 9 == french_deck.slide_height * 16


def test_the_cover_gives_the_period_and_who_made_it(french_deck):
    cover = " ".join(_texts(french_deck.slides[0]))
    assert "Du 01/01/2025 au 31/12/2025" in cover
    assert "Canalyse · généré le" in cover


def test_every_slide_but_the_cover_carries_the_source_line(french_deck):
    for slide in list(french_deck.slides)[1:]:
        assert SOURCE_FR in _texts(slide), slide.shapes.title.text


def test_the_chart_titles_are_the_app_charts_titles(year):
    deck = Presentation(io.BytesIO(build_deck(year, YEAR, "fr", 40)))
    shares = queries.run(year, "share_of_views", **YEAR.params())
    table = roi.roi_table(year, YEAR, 40)
    app_titles = [
        html.unescape(figure.layout.title.text)
        for figure in (
            share_of_views_bar(shares, "fr", SOURCE_FR),
            hours_vs_views_bar(table, "fr", SOURCE_FR),
            cost_per_1000_views_bar(table, "fr", SOURCE_FR),
        )
    ]
    assert _titles(deck)[1:4] == app_titles


# ---- Charts ------------------------------------------------------------------------------------


def test_share_of_views_is_a_native_bar_chart_of_the_real_views_largest_on_top(french_deck):
    slide = _slide(french_deck, "Facebook a apporté")
    chart = _chart(slide)
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert chart.category_axis.reverse_order  # the first category is drawn on top
    assert list(chart.plots[0].categories) == ["Facebook", "LinkedIn", "X"]
    (series,) = chart.plots[0].series
    assert list(series.values) == [
        720_000,
        480_000,
        120_000,
    ]  # 12 × 60 000, 12 × 40 000, 12 × 10 000
    assert [str(p.format.fill.fore_color.rgb) for p in series.points] == [
        colour(p).lstrip("#") for p in ("facebook", "linkedin", "x")
    ]
    # The value stays a live number; the share (720 / 1 320 = 55 %, 480 / 1 320 = 36 %,
    # 120 / 1 320 = 9 %) follows it as text.
    thousands = f'[>=1000000]#"{NBSP}"###"{NBSP}"##0{{s}};[>=1000]#"{NBSP}"##0{{s}};0{{s}}'
    assert _label_formats(slide) == [
        thousands.format(s=f'" · {share}{NBSP}%"') for share in (55, 36, 9)
    ]


def test_a_platform_without_views_is_named_in_a_note_never_drawn_at_zero(french_deck):
    slide = _slide(french_deck, "Facebook a apporté")
    assert "Bluesky" not in list(_chart(slide).plots[0].categories)
    assert f"Bluesky{NBSP}: pas de vues publiées" in _texts(slide)


def test_shares_over_different_periods_carry_each_network_s_period_on_the_slide(con):
    rows = (
        "Mois;Réseau;Vues\n"
        + "".join(f"2025-{m:02d};Facebook;1000\n" for m in range(1, 13))
        + "2025-11;X;500\n2025-12;X;500\n"
    )
    assert import_file(con, "annee.csv", rows.encode()).status == "imported"
    deck = Presentation(io.BytesIO(build_deck(con, Filters(), "fr", 40)))
    notes = [text for text in _texts(_slide(deck, "Facebook a apporté")) if "même période" in text]
    assert notes == [
        "Les réseaux ne couvrent pas la même période — Facebook du 01/01/2025 au 31/12/2025, "
        "X du 01/11/2025 au 31/12/2025 : leurs parts comparent des durées différentes. "
        "Période commune à tous : du 01/11/2025 au 31/12/2025."
    ]


def test_hours_against_views_is_a_clustered_bar_chart_of_both_shares(french_deck):
    slide = _slide(french_deck, "X : 32")
    chart = _chart(slide)
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(chart.plots[0].categories) == ["Facebook", "X", "LinkedIn", "Bluesky"]
    hours, views = chart.plots[0].series
    assert hours.name == "Part de notre temps" and views.name == "Part des vues"
    # 120, 96, 60 and 24 hours out of 300.
    assert list(hours.values) == pytest.approx([0.40, 0.32, 0.20, 0.08])
    # 720 000, 120 000 and 480 000 views out of 1 320 000; Bluesky has no point, not a 0.
    assert list(views.values)[:3] == pytest.approx([720 / 1320, 120 / 1320, 480 / 1320])
    assert list(views.values)[3] is None
    # Bluesky is named beside the finding, never inside it.
    assert (
        f"Sans vues publiées, hors du constat ci-dessus{NBSP}: Bluesky (8{NBSP}% de notre temps)"
        in (_texts(slide))
    )


def test_cost_per_1000_views_at_40_euros_an_hour_cheapest_on_top(french_deck):
    slide = _slide(french_deck, "LinkedIn : 5,00")
    chart = _chart(slide)
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(chart.plots[0].categories) == ["LinkedIn", "Facebook", "X"]
    (series,) = chart.plots[0].series
    assert list(series.values) == pytest.approx(
        [
            5.00,  # LinkedIn: (0 € + 60 h × 40 €) / 480 000 × 1 000 = 2 400 / 480
            8.33,  # Facebook: (1 200 € + 120 h × 40 €) / 720 000 × 1 000 = 6 000 / 720
            32.00,  # X: (96 h × 40 €) / 120 000 × 1 000 = 3 840 / 120
        ],
        abs=0.005,
    )
    # Amounts are text in the deck's language (a format cannot force a decimal comma), views per
    # staff hour after the euros: 480 000 / 60, 720 000 / 120, 120 000 / 96.
    assert _label_texts(slide) == [
        f"5,00{NBSP}€ · 8{NBSP}000 vues/h",
        f"8,33{NBSP}€ · 6{NBSP}000 vues/h",
        f"32,00{NBSP}€ · 1{NBSP}250 vues/h",
    ]


def test_the_trend_is_a_line_per_platform_over_every_month(french_deck):
    chart = _chart(_slide(french_deck, "Des vues mensuelles"))
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    categories = list(chart.plots[0].categories)
    assert len(categories) == 12
    assert categories[:2] == ["janv. 2025", "févr."]  # the year only where it changes
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert series == {"Facebook": [60_000] * 12, "LinkedIn": [40_000] * 12, "X": [10_000] * 12}
    first = chart.plots[0].series[0]
    assert str(first.format.line.color.rgb) == colour("facebook").lstrip("#")


def test_a_rise_between_the_first_and_last_month_is_the_trend_title(con):
    rows = "Mois;Réseau;Vues\njanvier 2025;Facebook;100 000\nfévrier 2025;Facebook;125 000\n"
    import_file(con, "deux_mois.csv", rows.encode())
    deck = Presentation(io.BytesIO(build_deck(con, Filters(), "fr", 40)))
    # 125 000 / 100 000 − 1 = +25 %
    assert f"Les vues mensuelles ont augmenté de 25{NBSP}% entre janvier 2025 et février 2025" in (
        _titles(deck)
    )


def test_monthly_views_count_a_month_row_in_its_month_and_leave_no_month_out(con):
    rows = "Mois;Réseau;Vues\njanvier 2025;X;1 000\nmars 2025;X;3 000\nmars 2025;LinkedIn;5 000\n"
    import_file(con, "trois_mois.csv", rows.encode())
    months = monthly_views(con, Filters())
    assert list(months.index.strftime("%Y-%m")) == ["2025-01", "2025-02", "2025-03"]
    assert list(months.columns) == ["linkedin", "x"]  # 5 000 views before 4 000
    assert months["x"].tolist()[::2] == [1_000, 3_000]
    assert months["x"].isna().tolist() == [False, True, False]  # February: a gap, not a 0


def test_the_scorecard_is_an_editable_table_best_score_first(french_deck):
    slide = _slide(french_deck, "LinkedIn obtient")
    (shape,) = [s for s in slide.shapes if s.has_table]
    rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
    assert rows[0] == ["Réseau", "Recommandation", "Score sur 100", "Pourquoi"]
    assert [row[:3] for row in rows[1:]] == [
        ["LinkedIn", "Garder", "88"],
        ["Facebook", "Garder", "82"],
        ["X", "Réduire", "35"],
        ["Bluesky", "Quitter", "20"],
    ]


def test_no_scorecard_means_no_scorecard_slide(year):
    deck = Presentation(io.BytesIO(build_deck(year, YEAR, "fr", 40)))
    assert len(deck.slides) == 6
    assert not any(s.has_table for slide in deck.slides for s in slide.shapes)


def test_the_method_slide_gives_the_hourly_cost_and_the_counting_rule(french_deck):
    method = " ".join(_texts(_slide(french_deck, "Méthode")))
    assert f"40,00{NBSP}€ de l'heure" in method
    assert "impressions sur X et LinkedIn" in method
    assert "n'est compté qu'une fois" in method


def test_the_workspace_hourly_cost_is_used_when_none_is_given(year):
    roi.set_hourly_cost(year, 40)
    deck = Presentation(io.BytesIO(build_deck(year, YEAR, "fr")))
    assert f"LinkedIn : 5,00{NBSP}€ pour 1 000 vues, le coût le plus bas" in _titles(deck)


def test_a_network_s_own_hourly_cost_is_named_on_the_method_slide(year):
    roi.set_platform_costs(year, {"linkedin": 50})
    deck = Presentation(io.BytesIO(build_deck(year, YEAR, "fr", 40)))
    method = " ".join(_texts(_slide(deck, "Méthode")))
    assert f"LinkedIn{NBSP}: 50,00{NBSP}€" in method
    # LinkedIn: 60 h × 50 € / 480 000 × 1 000 = 6,25 €, still below Facebook's 8,33 €.
    assert f"LinkedIn : 6,25{NBSP}€ pour 1 000 vues, le coût le plus bas" in _titles(deck)


# ---- English, and a workspace without hours or dates -------------------------------------------


def test_the_english_deck_speaks_english(year):
    deck = Presentation(io.BytesIO(build_deck(year, YEAR, "en", 40, _scorecard("en"))))
    assert _titles(deck) == [
        "Our social networks: reach, cost and time",
        "Facebook brought 55% of views",
        "X: 32% of our time, 9% of views",
        "LinkedIn: €5.00 per 1,000 views, the lowest cost",
        "Monthly views held steady from January 2025 to December 2025",
        "LinkedIn scores highest: 88 out of 100",
        "Method: how to read these figures",
    ]
    assert SOURCE_EN in _texts(deck.slides[1])
    assert "Bluesky: no views reported" in _texts(deck.slides[1])
    hours, views = _chart(deck.slides[2]).plots[0].series
    assert (hours.name, views.name) == ("Share of our time", "Share of views")


def test_a_deck_without_staff_hours_leaves_out_time_and_cost_and_says_why(rennes):
    deck = Presentation(io.BytesIO(build_deck(rennes, Filters(campaign="Crue"), "fr", 40)))
    # No hours, no spend: no time or cost slide; undated campaign figures: no trend either.
    assert _titles(deck) == [
        f"Nos réseaux sociaux{NBSP}: portée, coût et temps",
        f"Facebook a apporté 44{NBSP}% des vues",  # 740 000 / 1 682 000 = 44,0 %
        f"Méthode{NBSP}: comment lire ces chiffres",
    ]
    assert list(_chart(deck.slides[1]).plots[0].series[0].values) == [
        740_000,
        496_000,
        296_000,
        150_000,
    ]
    cover = " ".join(_texts(deck.slides[0]))
    assert "campagne « Crue »" in cover and "Période non précisée" in cover
    assert f"Chiffres retenus{NBSP}: toutes les dates · tous les réseaux" in cover
    method = " ".join(_texts(deck.slides[2]))
    assert "Aucune heure d'agent n'est saisie" in method
    assert f"Source{NBSP}: rennes_crue_campagne.csv" in _texts(deck.slides[2])


def test_ad_spend_without_hours_gives_a_cost_slide_but_no_time_slide(con):
    import_file(
        con, "pub.csv", "Mois;Réseau;Vues;Budget\njanvier 2025;Facebook;100 000;50\n".encode()
    )
    deck = Presentation(io.BytesIO(build_deck(con, Filters(), "fr", 40)))
    assert _titles(deck) == [
        f"Nos réseaux sociaux{NBSP}: portée, coût et temps",
        f"Facebook a apporté 100{NBSP}% des vues",
        # 50 € / 100 000 × 1 000 = 0,50 €; a single month: no trend.
        f"Facebook : 0,50{NBSP}€ pour 1 000 vues, le coût le plus bas",
        f"Méthode{NBSP}: comment lire ces chiffres",
    ]
    assert "ne compte que les dépenses publicitaires" in " ".join(_texts(deck.slides[3]))


def test_an_empty_workspace_still_gives_a_cover_and_the_method(con):
    deck = Presentation(io.BytesIO(build_deck(con, Filters(), "en")))
    assert _titles(deck) == [
        "Our social networks: reach, cost and time",
        "Method: how to read these figures",
    ]


# ---- File name -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (YEAR, "canalyse_presentation_2025-01-01_2025-12-31.pptx"),
        (
            Filters(start=date(2025, 1, 1), end=date(2025, 3, 31), campaign="Crue d'hiver"),
            "canalyse_presentation_crue-d-hiver_2025-01-01_2025-03-31.pptx",
        ),
        (Filters(), "canalyse_presentation.pptx"),
    ],
)
def test_the_file_name_says_what_which_campaign_and_when(filters, expected):
    assert deck_filename(filters, "fr") == expected
    assert Path(deck_filename(filters, "en")).suffix == ".pptx"
