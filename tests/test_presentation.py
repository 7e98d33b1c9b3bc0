"""Presentation mode: which slides a selection offers, each slide's chart, drawing only the slide
shown, and the zip of every slide."""

from __future__ import annotations

import functools
import io
import json
import zipfile
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from canalyse import queries, store
from canalyse.analysis import campaigns, events, roi
from canalyse.analysis.decision import saved_scorecard
from canalyse.analysis.findings import uneven_periods
from canalyse.analysis.trends import default_granularity, views_series
from canalyse.charts.base import source_line, summary_source_line
from canalyse.charts.decision import scorecard_bar
from canalyse.charts.overview import share_of_views_bar
from canalyse.charts.roi import cost_per_1000_views_bar, hours_vs_views_bar
from canalyse.charts.trends import share_over_time_chart, views_over_time_chart
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file
from canalyse.output import downloads, presentation
from tests.conftest import FIXTURES, ROOT

RENNES = ROOT / "data" / "samples" / "rennes_crue_campagne.csv"
YEAR = [FIXTURES / "roi" / "annee_2025_mensuel.csv", FIXTURES / "roi" / "decision_2025.csv", RENNES]
ALL = list(presentation.SLIDES)


def _workspace(workspaces, db_path, files) -> str:
    """A workspace at `db_path` holding `files` and an event (imported once per test process)."""

    def fill(con) -> None:
        for path in files:
            import_file(con, path.name, path.read_bytes())
        events.add_event(con, date(2025, 6, 15), "Arrêt des publications sur X")

    return str(workspaces.copy(db_path, "+".join(path.name for path in files), fill))


@pytest.mark.parametrize(
    ("files", "filters", "offered"),
    [
        (YEAR, Filters(), ALL),
        # An undated campaign summary of views only: no cost, no time charts.
        ([RENNES], Filters(), ["share_of_views", "scorecard"]),
        # Daily views without hours or spend: nothing about cost.
        (
            [FIXTURES / "handmade" / "daily_en.csv"],
            Filters(),
            ["share_of_views", "views_over_time", "share_over_time", "scorecard"],
        ),
        # Summaries with hours and spend, but no dates.
        (
            [FIXTURES / "handmade" / "summary_en.xlsx"],
            Filters(),
            ["share_of_views", "hours_vs_views", "cost_per_1000_views", "scorecard"],
        ),
        (YEAR, Filters(platforms=("facebook",)), ALL),
        # A period leaves the undated summary out, and with it nothing is missing.
        (YEAR, Filters(start=date(2025, 1, 1), end=date(2025, 6, 30)), ALL),
    ],
)
def test_only_the_charts_a_selection_can_draw_are_offered_in_slide_order(
    workspaces, db_path, files, filters, offered
):
    path = _workspace(workspaces, db_path, files)
    with store.reading(path) as con:
        assert presentation.available_slides(con, filters, "fr") == offered


def _drawn_as_before(con, filters: Filters, lang: str, cost: float | None) -> dict:
    """Every slide drawn in one go, as presentation mode drew them before it drew one at a time."""
    params = filters.params()
    summary = queries.run(con, "overview", **params).iloc[0]
    sources = queries.run(con, "sources_used", **params)
    line = summary_source_line(sources, summary, lang)
    table = roi.roi_table(con, filters, cost)
    views = queries.run(con, "views_by_period", **params)
    series = views_series(views, default_granularity(views))
    series = series.since(series.recent_stretch()[0])
    dated = source_line(sources, lang, series.first_day, series.last_day)
    shown = events.list_events(con)
    return {
        "share_of_views": share_of_views_bar(
            queries.run(con, "share_of_views", **params),
            lang,
            line,
            note=uneven_periods(queries.run(con, "platform_totals", **params), lang),
        ),
        "hours_vs_views": hours_vs_views_bar(table, lang, line),
        "cost_per_1000_views": cost_per_1000_views_bar(table, lang, line),
        "views_over_time": views_over_time_chart(series, lang, dated, events=shown),
        "share_over_time": share_over_time_chart(series, lang, dated, events=shown),
        "scorecard": scorecard_bar(saved_scorecard(con, filters, lang, cost), lang, line),
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    "filters", [Filters(), Filters(platforms=("facebook", "x"), campaign="Printemps")]
)
def test_each_slide_is_the_same_chart_as_when_every_slide_was_drawn_at_once(
    workspaces, db_path, filters, lang
):
    path = _workspace(workspaces, db_path, YEAR)
    with store.connect(path) as con:
        campaigns.add_campaign_range(con, "Printemps", date(2025, 3, 1), date(2025, 5, 31))
    with store.reading(path) as con:
        expected = _drawn_as_before(con, filters, lang, 42.0)
        assert presentation.available_slides(con, filters, lang, 42.0) == ALL
        for name in ALL:
            figure = presentation.slide_figure(con, filters, lang, 42.0, name)
            assert figure.to_json() == expected[name].to_json(), name


def test_an_unknown_slide_is_refused(workspaces, db_path):
    path = _workspace(workspaces, db_path, YEAR)
    with store.reading(path) as con, pytest.raises(ValueError, match="followers"):
        presentation.slide_figure(con, Filters(), "fr", None, "followers")


def test_the_zip_holds_every_offered_slide_read_in_a_turn_of_its_own(
    workspaces, db_path, monkeypatch
):
    path = _workspace(workspaces, db_path, [RENNES, FIXTURES / "handmade" / "daily_en.csv"])
    # The image of a chart is its title: what matters here is which charts go in the zip.
    monkeypatch.setattr(
        downloads, "chart_image", lambda figure, kind: figure.layout.title.text.encode()
    )
    filters = Filters()
    with store.reading(path) as con:
        offered = presentation.available_slides(con, filters, "en")
        titles = {
            presentation.slide_filename(name, filters, "en") + ".png": presentation.slide_figure(
                con, filters, "en", None, name
            ).layout.title.text
            for name in offered
        }
    # Asked for after the page's run, when no connection of the page is open any more.
    archive = zipfile.ZipFile(io.BytesIO(presentation.slides_zip(path, filters, "en")))
    assert len(offered) >= 4
    assert {name: archive.read(name).decode() for name in archive.namelist()} == titles


# ---- The page -----------------------------------------------------------------------------------


def test_the_page_draws_only_the_slide_shown_and_steps_through_the_offered_ones(
    workspaces, db_path, monkeypatch
):
    monkeypatch.setenv("CANALYSE_DB", _workspace(workspaces, db_path, [RENNES]))
    with store.reading(db_path) as con:
        figure = presentation.slide_figure(con, Filters(), "fr", None, "scorecard")
    scorecard_title = figure.layout.title.text
    drawn = []
    original = presentation.slide_figure

    @functools.wraps(original)
    def counting(con, filters, lang, cost, name):
        drawn.append(name)
        return original(con, filters, lang, cost, name)

    monkeypatch.setattr(presentation, "slide_figure", counting)
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=30).run()
    at.switch_page("pages/present.py").run()
    assert not at.exception
    choice = at.selectbox(key="present_slide")
    assert choice.options == ["Part des vues par réseau", "Garder, réduire ou quitter"]
    assert drawn == ["share_of_views"]
    assert len(at.get("plotly_chart")) == 1
    at.button(key="present_next").click().run()
    assert at.selectbox(key="present_slide").value == "scorecard"
    assert drawn == ["share_of_views", "scorecard"]
    title = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert title == scorecard_title
    # Back to the first slide: drawn already for this workspace and selection.
    at.button(key="present_next").click().run()
    assert at.selectbox(key="present_slide").value == "share_of_views"
    assert drawn == ["share_of_views", "scorecard"]


def _no_slides(*args) -> list[str]:
    return []


def test_a_selection_without_any_chart_says_so_instead_of_failing(workspaces, db_path, monkeypatch):
    monkeypatch.setenv(
        "CANALYSE_DB", _workspace(workspaces, db_path, [FIXTURES / "handmade" / "daily_en.csv"])
    )
    with store.reading(db_path) as con:
        empty = Filters(start=date(2010, 1, 1), end=date(2010, 12, 31))
        assert presentation.available_slides(con, empty, "fr", None) == []
    # The period picker keeps to the workspace's days: the page is given the empty selection.
    monkeypatch.setattr(presentation, "available_slides", _no_slides)
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=30).run()
    at.switch_page("pages/present.py").run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "Aucun graphique pour cette sélection : élargissez la période, les réseaux ou la campagne "
        "dans la barre latérale (flèche en haut à gauche)."
    ]
    assert not at.get("plotly_chart")
