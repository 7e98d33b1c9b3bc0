"""Headlines that hold: findings about networks with figures, the others named beside them, titles
wrapped and never cut. The nine-network year: every month the same figures, so a year is 12 ×
a month (tests/fixtures/roi/neuf_reseaux_2025.csv)."""

from __future__ import annotations

import html
from datetime import date

import pytest

from canalyse import queries
from canalyse.analysis import decision, findings, roi
from canalyse.charts import decision as decision_chart
from canalyse.charts.base import TITLE_CHARS, wrap_title
from canalyse.charts.overview import share_of_views_bar
from canalyse.charts.roi import cost_per_1000_views_bar, hours_vs_views_bar
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file
from tests.conftest import FIXTURES

NBSP = "\u00a0"
NINE = FIXTURES / "roi" / "neuf_reseaux_2025.csv"


def _import_nine(con) -> None:
    assert import_file(con, NINE.name, NINE.read_bytes()).status == "imported"


@pytest.fixture
def nine(prepared):
    return prepared("nine", _import_nine)


def _lines(title: str) -> list[str]:
    return [html.unescape(line) for line in title.split("<br>")]


def test_a_network_without_views_is_named_beside_the_finding_never_inside_it(nine):
    table = roi.roi_table(nine, Filters(), 35)
    figure = hours_vs_views_bar(table, "fr", "Source")
    title = " ".join(_lines(figure.layout.title.text))
    # Hours a month: 10 + 8 + 6 + 12 + 9 + 7 + 4 + 2 + 2 = 60. X: 12 / 60 = 20 % of our time for
    # 108 000 / 2 436 000 = 4 % of the views — the widest gap among networks with views. Bluesky
    # (4 / 60 = 7 %) has more hours than views, but publishes none: it is not the finding.
    assert title == f"X : 20{NBSP}% de notre temps, 4{NBSP}% des vues"
    assert "pas de vues" not in title and "Bluesky" not in title
    subtitle = html.unescape(figure.layout.title.subtitle.text).replace("<br>", " ")
    assert (
        f"Sans vues publiées, hors du constat ci-dessus{NBSP}: Bluesky (7{NBSP}% de notre temps),"
        f" Mastodon (3{NBSP}% de notre temps)"
    ) in subtitle


def test_when_only_networks_without_views_have_hours_the_title_says_so(con):
    import_file(
        con, "bluesky.csv", "Mois;Réseau;Vues;Temps passé (h)\njanvier 2025;Bluesky;;5\n".encode()
    )
    import_file(con, "fb.csv", "Mois;Réseau;Vues\njanvier 2025;Facebook;1 000\n".encode())
    figure = hours_vs_views_bar(roi.roi_table(con, Filters(), 35), "en", "Source")
    assert figure.layout.title.text == "None of the networks we spend time on reports views"
    assert "Bluesky (100% of our time)" in figure.layout.title.subtitle.text


def test_networks_at_the_same_lowest_cost_share_the_title(nine):
    # LinkedIn (6 h × 35 €) / 30 000 × 1 000 = 7,00 €; TikTok (7 h × 35 €) / 35 000 × 1 000 = 7,00 €.
    figure = cost_per_1000_views_bar(roi.roi_table(nine, Filters(), 35), "fr", "Source")
    assert " ".join(_lines(figure.layout.title.text)) == (
        f"LinkedIn et TikTok : 7,00{NBSP}€ pour 1 000 vues, le coût le plus bas"
    )


@pytest.mark.parametrize(
    "title",
    [
        "Garder Facebook, réduire Instagram, TikTok, YouTube et Threads, quitter X et LinkedIn",
        "Après « Fin de la campagne de sensibilisation aux risques d'inondation »,"
        f" les vues quotidiennes ont baissé de 12{NBSP}%",
        "Court",
    ],
)
def test_a_long_title_wraps_at_spaces_and_loses_nothing(title):
    wrapped = wrap_title(title)
    lines = wrapped.split("<br>")
    assert all(len(line) <= TITLE_CHARS for line in lines)
    assert " ".join(lines) == title
    if len(title) <= TITLE_CHARS:
        assert lines == [title]


def test_the_decide_chart_title_is_wrapped_not_cut_and_its_labels_clear_the_thresholds(nine):
    card = decision.saved_scorecard(nine, Filters(), "fr", 35)
    figure = decision_chart.scorecard_bar(card, "fr", "Source")
    lines = _lines(figure.layout.title.text)
    assert all(len(line) <= TITLE_CHARS for line in lines)
    assert " ".join(lines) == findings.scorecard_title(card, "fr")
    bars, labels = figure.data
    # The labels stand in their own column right of 100: the dotted lines at 40 and 60 cross bars
    # only.
    assert set(labels.x) == {decision_chart.LABEL_COLUMN} and decision_chart.LABEL_COLUMN > 100
    assert {shape.x0 for shape in figure.layout.shapes} == {40, 60}
    assert bars.text is None


def test_a_network_ranked_on_answers_alone_is_flagged_on_the_chart_and_out_of_the_finding(nine):
    # Bluesky publishes no views: nothing measured. Answering "yes" to every question ranks it
    # first on answers alone.
    decision.save_answers(nine, {"bluesky": dict.fromkeys(decision.QUALITATIVE, 4)})
    card = decision.saved_scorecard(nine, Filters(), "fr", 35)
    assert card.iloc[0]["platform"] == "bluesky" and card.iloc[0]["score"] == 100
    assert bool(card.iloc[0]["answers_only"])
    figure = decision_chart.scorecard_bar(card, "fr", "Source")
    labels = list(figure.data[1].text)
    assert labels[-1].strip() == "100/100 · garder · sur nos réponses seules"  # on top
    assert "Bluesky" not in findings.scorecard_title(card, "fr")
    subtitle = html.unescape(figure.layout.title.subtitle.text).replace("<br>", " ")
    assert f"Classés sur nos réponses seules, rien de mesuré{NBSP}: Bluesky (garder)" in subtitle


def test_the_deck_flags_a_network_ranked_on_answers_alone_and_titles_a_measured_one(nine):
    import io

    from pptx import Presentation

    from canalyse.output.deck import build_deck

    decision.save_answers(nine, {"bluesky": dict.fromkeys(decision.QUALITATIVE, 4)})
    card = decision.saved_scorecard(nine, Filters(), "fr", 35)
    deck = Presentation(io.BytesIO(build_deck(nine, Filters(), "fr", 35, scorecard=card)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    # The best score among networks with something measured: Facebook.
    assert f"Facebook obtient le meilleur score{NBSP}: 62 sur 100" in titles
    slide = deck.slides[titles.index(f"Facebook obtient le meilleur score{NBSP}: 62 sur 100")]
    (table,) = [shape.table for shape in slide.shapes if shape.has_table]
    first = [cell.text for cell in table.rows[1].cells]
    assert first[:3] == ["Bluesky", "garder\n(sur nos réponses seules)", "100"]
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert any("Classés sur nos réponses seules" in text for text in texts)


def test_the_share_of_views_title_never_names_a_network_without_views(nine):
    shares = queries.run(nine, "share_of_views", **Filters().params())
    assert "bluesky" not in set(shares["platform"])
    figure = share_of_views_bar(shares, "fr", "Source")
    # 732 000 of 2 436 000 views (Bluesky and Mastodon publish none): 30 %.
    assert figure.layout.title.text == f"Facebook a apporté 30{NBSP}% des vues"


def test_networks_whose_shares_read_the_same_are_named_together_in_the_chart_order():
    import pandas as pd

    # 40.4 %, 39.6 % and 20 %: the first two read « 40 % » on their bars.
    shares = pd.DataFrame(
        {
            "platform": ["x", "facebook", "linkedin"],
            "views": [396.0, 404.0, 200.0],
            "share_of_views": [0.396, 0.404, 0.2],
        }
    )
    assert findings.share_of_views_title(shares, "fr") == (
        f"Facebook et X ont apporté chacun 40{NBSP}% des vues"
    )
    assert findings.share_of_views_title(shares, "en") == "Facebook and X each brought 40% of views"
    # 40.6 % against 39.4 %: 41 % and 39 % on the bars, one leader.
    shares["views"] = [394.0, 406.0, 200.0]
    shares["share_of_views"] = [0.394, 0.406, 0.2]
    assert findings.share_of_views_title(shares, "en") == "Facebook brought 41% of views"


def test_networks_whose_scores_read_the_same_share_the_best_score_title():
    import pandas as pd

    card = pd.DataFrame(
        {
            "platform": ["bluesky", "x", "facebook", "linkedin"],
            "score": [90.0, 62.4, 61.6, 50.0],
            "answers_only": [True, False, False, False],
        }
    )
    # Bluesky, ranked on answers alone, is not titled; 62.4 and 61.6 both read 62.
    assert findings.best_score_title(card, "fr") == (
        f"X et Facebook obtiennent le meilleur score{NBSP}: 62 sur 100"
    )
    assert findings.best_score_title(card, "en") == "X and Facebook score highest: 62 out of 100"
    card["score"] = [90.0, 62.6, 61.6, 50.0]
    assert findings.best_score_title(card, "en") == "X scores highest: 63 out of 100"


def test_a_source_line_says_when_undated_summaries_count_beyond_its_period():
    import pandas as pd

    from canalyse.charts.base import summary_source_line

    sources = pd.DataFrame({"file_name": ["a.csv"], "kind": ["file"]})
    dated = pd.Series({"date_min": date(2025, 1, 1), "date_max": date(2025, 12, 31)})
    without_summary = pd.concat([dated, pd.Series({"undated_rows": 0})])
    assert summary_source_line(sources, without_summary, "fr") == (
        f"Source{NBSP}: a.csv · du 01/01/2025 au 31/12/2025"
    )
    with_summary = pd.concat([dated, pd.Series({"undated_rows": 4})])
    assert summary_source_line(sources, with_summary, "fr") == (
        f"Source{NBSP}: a.csv · du 01/01/2025 au 31/12/2025, et des bilans sans dates"
    )
    assert summary_source_line(sources, with_summary, "en").endswith(", plus undated summaries")
