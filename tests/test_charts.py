import json
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest

from canalyse.charts.base import (
    LEGEND_ROW,
    TEMPLATE_NAME,
    BarSeries,
    chart_filename,
    figure_config,
    horizontal_bars,
    legend_rows,
    source_line,
    template,
)
from canalyse.charts.overview import share_of_views_bar
from canalyse.platforms import PLATFORMS, colour

NBSP = "\u00a0"
SOURCE = "Source : campagne_crue.xlsx · du 01/01/2025 au 31/03/2025"


def views_frame(views: dict[str, float]) -> pd.DataFrame:
    df = pd.DataFrame({"platform": list(views), "views": [float(v) for v in views.values()]})
    df["share_of_views"] = df["views"] / df["views"].sum()
    return df


@pytest.fixture
def rennes() -> pd.DataFrame:
    # Deliberately not in rank order, so that sorting is the chart's job.
    return views_frame(
        {"linkedin": 496_000, "x": 150_000, "facebook": 740_000, "instagram": 296_000}
    )


def bar_of(fig):
    (trace,) = fig.data
    return trace


def test_title_states_the_top_platform_and_its_share_in_french(rennes):
    fig = share_of_views_bar(rennes, "fr", SOURCE)
    assert fig.layout.title.text == f"Facebook a apporté 44{NBSP}% des vues"


def test_title_states_the_top_platform_and_its_share_in_english(rennes):
    fig = share_of_views_bar(rennes, "en", SOURCE)
    assert fig.layout.title.text == "Facebook brought 44% of views"


def test_bars_are_sorted_with_the_largest_on_top(rennes):
    bar = bar_of(share_of_views_bar(rennes, "fr", SOURCE))
    # Plotly draws the first category at the bottom, so the top bar is the last one.
    assert list(bar.y) == ["X", "Instagram", "LinkedIn", "Facebook"]
    assert list(bar.x) == sorted(bar.x)
    assert bar.orientation == "h"


def test_each_bar_has_its_platform_colour(rennes):
    bar = bar_of(share_of_views_bar(rennes, "fr", SOURCE))
    assert list(bar.marker.color) == [colour(p) for p in ("x", "instagram", "linkedin", "facebook")]


def test_value_labels_are_formatted_in_french(rennes):
    bar = bar_of(share_of_views_bar(rennes, "fr", SOURCE))
    labels = [text.strip() for text in bar.text]
    assert labels[-1] == f"740{NBSP}000 · 44{NBSP}%"
    assert labels[0] == f"150{NBSP}000 · 9{NBSP}%"
    assert bar.textposition == "outside"


def test_value_labels_are_formatted_in_english(rennes):
    bar = bar_of(share_of_views_bar(rennes, "en", SOURCE))
    assert bar.text[-1].strip() == "740,000 · 44%"


def test_hover_text_is_formatted_like_the_labels(rennes):
    bar = bar_of(share_of_views_bar(rennes, "fr", SOURCE))
    assert f"740{NBSP}000 vues · 44,0{NBSP}% des vues" in bar.hovertext[-1]
    assert "<extra></extra>" in bar.hovertemplate


def test_source_line_is_drawn_inside_the_figure(rennes):
    fig = share_of_views_bar(rennes, "fr", SOURCE)
    texts = [annotation.text for annotation in fig.layout.annotations]
    assert SOURCE in texts


def test_text_from_files_is_shown_literally_not_as_markup():
    df = views_frame({"<b>page</b>": 10})
    fig = share_of_views_bar(df, "fr", "Source : <i>a&b</i>.xlsx")
    assert fig.layout.annotations[0].text == "Source : &lt;i&gt;a&amp;b&lt;/i&gt;.xlsx"
    assert "&lt;b&gt;page" in fig.layout.title.text


def test_separators_follow_the_language(rennes):
    assert share_of_views_bar(rennes, "fr", SOURCE).layout.separators == f",{NBSP}"
    assert share_of_views_bar(rennes, "en", SOURCE).layout.separators == ".,"


def test_value_axis_leaves_room_for_the_labels(rennes):
    fig = share_of_views_bar(rennes, "fr", SOURCE)
    assert fig.layout.xaxis.range[1] >= 1.25 * 740_000
    assert fig.layout.xaxis.range[0] == 0


def test_longer_labels_get_more_room():
    short = share_of_views_bar(views_frame({"facebook": 740}), "fr", SOURCE)
    long = share_of_views_bar(views_frame({"facebook": 740_000_000_000}), "fr", SOURCE)
    assert long.layout.xaxis.range[1] / 740_000_000_000 > short.layout.xaxis.range[1] / 740


def test_a_single_platform_makes_a_chart_without_a_giant_bar():
    fig = share_of_views_bar(views_frame({"linkedin": 12_345}), "en", SOURCE)
    assert fig.layout.title.text == "LinkedIn brought 100% of views"
    low, high = fig.layout.yaxis.range
    assert high - low >= 4


def test_ten_platforms_are_all_drawn_in_order():
    ids = list(PLATFORMS)[:10]
    df = views_frame({platform: 1000 * (i + 1) for i, platform in enumerate(ids)})
    fig = share_of_views_bar(df, "fr", SOURCE)
    bar = bar_of(fig)
    assert len(bar.y) == 10
    assert list(bar.x) == sorted(bar.x)
    low, high = fig.layout.yaxis.range
    assert (low, high) == (-0.5, 9.5)


def test_the_figure_uses_the_canalyse_template(rennes):
    fig = share_of_views_bar(rennes, "fr", SOURCE)
    assert fig.layout.template.layout.font.size >= 16
    assert fig.layout.template.layout.title.font.size >= 22
    assert fig.layout.template.layout.plot_bgcolor == "white"


def test_template_is_registered_under_its_name():
    assert template() is pio.templates[TEMPLATE_NAME]


def test_an_empty_frame_is_refused():
    empty = pd.DataFrame(columns=["platform", "views", "share_of_views"])
    with pytest.raises(ValueError):
        share_of_views_bar(empty, "fr", SOURCE)


def test_missing_columns_are_refused():
    with pytest.raises(ValueError, match="share_of_views"):
        share_of_views_bar(pd.DataFrame({"platform": ["x"], "views": [1.0]}), "fr", SOURCE)


def test_one_row_per_platform_is_required():
    df = pd.DataFrame({"platform": ["x", "x"], "views": [1.0, 2.0], "share_of_views": [0.3, 0.7]})
    with pytest.raises(ValueError):
        share_of_views_bar(df, "fr", SOURCE)


def test_config_exports_a_sharp_png_with_a_meaningful_name():
    config = figure_config("canalyse_part-des-vues_2025-01-01_2025-03-31")
    options = config["toImageButtonOptions"]
    assert options["format"] == "png"
    assert options["scale"] >= 2
    assert options["filename"] == "canalyse_part-des-vues_2025-01-01_2025-03-31"
    assert config["displaylogo"] is False
    assert "lasso2d" in config["modeBarButtonsToRemove"]
    assert "toImage" not in config["modeBarButtonsToRemove"]


def test_chart_filename_is_an_ascii_slug_with_the_period():
    name = chart_filename("Part des vues", date(2025, 1, 1), pd.Timestamp("2025-03-31 23:59"))
    assert name == "canalyse_part-des-vues_2025-01-01_2025-03-31"


def test_chart_filename_without_dates_or_for_one_day():
    assert chart_filename("Coût par vue (€)", None, None) == "canalyse_cout-par-vue"
    one_day = date(2025, 1, 20)
    assert chart_filename("part des vues", one_day, one_day) == "canalyse_part-des-vues_2025-01-20"


def files(*names: str) -> pd.DataFrame:
    """Imports as `queries/sources_used.sql` lists them."""
    return pd.DataFrame({"file_name": list(names), "kind": ["file"] * len(names)})


def test_source_line_names_the_file_and_the_period():
    line = source_line(files("campagne_crue.xlsx"), "fr", date(2025, 1, 1), date(2025, 3, 31))
    assert line == f"Source{NBSP}: campagne_crue.xlsx · du 01/01/2025 au 31/03/2025"
    assert source_line(files("a.csv"), "en") == "Source: a.csv"


def test_source_line_counts_the_files_it_does_not_name_and_names_typed_figures():
    many = files("a.csv", "b.csv", "c.csv", "d.csv", "e.csv")
    assert source_line(many, "en") == "Source: a.csv, b.csv, c.csv and 2 more files"
    one_more = pd.DataFrame(
        {"file_name": ["a.csv", "b", "c.csv", "d.csv"], "kind": ["file", "typed", "file", "file"]}
    )
    assert source_line(one_more, "fr") == (
        f"Source{NBSP}: a.csv, heures et dépenses saisies dans Canalyse, c.csv et 1 autre fichier"
    )


def test_every_chart_message_exists_in_french_and_english():
    path = Path(__file__).parents[1] / "canalyse" / "locales" / "charts.json"
    for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
        assert texts.get("fr") and texts.get("en"), key


def test_a_legend_that_wraps_gets_its_rows_of_room_above_the_plot():
    networks = [
        "Instagram",
        "TikTok",
        "Bluesky",
        "Facebook",
        "X",
        "LinkedIn",
        "Mastodon",
        "YouTube",
    ]
    assert legend_rows(networks[:3]) == 1 and legend_rows(networks) == 2

    def chart(names):
        series = [
            BarSeries(values=[1, 2], colour="#123456", labels=["1", "2"], name=n) for n in names
        ]
        figure = horizontal_bars(["A", "B"], series, "fr", title="T", subtitle="S", source="src")
        return figure.layout.margin.t, figure.layout.height

    (three_top, three_height), (eight_top, eight_height) = chart(networks[:3]), chart(networks)
    assert eight_top == three_top + LEGEND_ROW
    # The bars keep their room: the figure grows by the legend's row and its bars' bands.
    assert eight_height > three_height + LEGEND_ROW


def test_groups_of_many_bars_get_no_empty_band_above_and_below():
    from canalyse.charts.base import (
        CATEGORY_HEIGHT,
        GROUP_HEIGHT,
        GROUPED_BAR_HEIGHT,
        MIN_CATEGORIES,
        BarSeries,
        horizontal_bars,
    )

    def chart(categories, networks):
        series = [
            BarSeries(
                values=[1] * len(categories),
                colour="#123456",
                labels=["1"] * len(categories),
                name=f"R{n}",
            )
            for n in range(networks)
        ]
        return horizontal_bars(categories, series, "fr", title="T", subtitle="S", source="src")

    # Three campaigns of eight networks: the plot holds the three groups and nothing more.
    figure = chart(["A", "B", "C"], 8)
    assert list(figure.layout.yaxis.range) == [-0.5, 2.5]
    plot = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b - 10
    assert plot == 3 * (GROUP_HEIGHT + 8 * GROUPED_BAR_HEIGHT)
    # Few short bands are centred in the room of MIN_CATEGORIES single bars, as single bars are.
    figure = chart(["A"], 2)
    plot = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b - 10
    assert plot == MIN_CATEGORIES * CATEGORY_HEIGHT
    low, high = figure.layout.yaxis.range
    assert low == -high and high > 0.5
