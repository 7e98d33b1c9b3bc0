"""The slide deck: a 16:9 PowerPoint file for elected officials, with native, editable charts.

Every chart slide states its finding as its title (the sentences the app's charts use), draws the
numbers the app shows (`queries.run` and `roi.roi_table`) and carries the source line at its foot.
Charts are PowerPoint charts, not pictures: anyone can restyle them or open their data in Excel.

Numbers in charts are PowerPoint number formats, not text, so that a label follows its value when
someone edits the data. A format such as '#,##0' would take its thousands separator from the
reader's computer (« 740,000 » in a French deck opened on an English PowerPoint): the separator is
written into the code instead, in the deck's language (`count_format`), and percent signs too.
No format code can force a decimal comma, so amounts in euros are written as text labels in the
deck's language (the chart data keep the exact amounts).

Everything fits its slide: titles take the largest size (30 pt down to 20) at which they hold on
two lines of their box, notes and the source line shrink likewise, and tables split across slides
at a fixed number of rows (`TABLE_ROWS`).
"""

from __future__ import annotations

import io
import re
from datetime import date

import duckdb
import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_MARK,
)
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from canalyse import queries, store
from canalyse.analysis import roi
from canalyse.analysis.findings import (
    answers_only,
    answers_only_note,
    best_score_title,
    cost_title,
    hours_title,
    monthly_trend_title,
    share_of_views_title,
    uneven_periods,
)
from canalyse.analysis.trends import monthly_views
from canalyse.charts.base import GRID_COLOUR, MUTED_COLOUR, TEXT_COLOUR, summary_source_line
from canalyse.charts.roi import HOURS_COLOUR, cost_labels
from canalyse.filters import Filters, describe_filters
from canalyse.formatting import NBSP, fmt_date, fmt_int, fmt_money, fmt_percent
from canalyse.i18n import t
from canalyse.metrics import METRICS
from canalyse.output.overview import period_text
from canalyse.platforms import colour, fold, label

# 16:9 at PowerPoint's default widescreen size (13.33 × 7.5 in).
SLIDE_WIDTH = Emu(12_192_000)
SLIDE_HEIGHT = Emu(6_858_000)
MARGIN = Inches(0.6)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP = Inches(0.25)
TITLE_HEIGHT = Inches(1.2)
SUBTITLE_TOP = Inches(1.5)
SUBTITLE_HEIGHT = Inches(0.45)
CHART_TOP = Inches(2.0)
NOTE_TOP = Inches(6.2)
NOTE_HEIGHT = Inches(0.6)
SOURCE_TOP = Inches(6.85)
SOURCE_HEIGHT = Inches(0.4)
# A text box's default inner margins: 0.1 in left and right, 0.05 in top and bottom.
INSET_X, INSET_Y = Inches(0.1), Inches(0.05)

TITLE_SIZES = (30, 28, 26, 24, 22, 20)
SUBTITLE_SIZE = 18
AXIS_SIZE = 18
LABEL_SIZE = 16
NOTE_SIZE = 14
SOURCE_SIZE = 12
# Body rows of a table slide; more rows go on the next slide.
TABLE_ROWS = 5

# The second series beside the grey hours: one colour for every platform, so that the legend is
# true (per-platform colours would leave the legend showing only the first platform's).
VIEWS_COLOUR = "#0072B2"
WHITE = "#FFFFFF"
BAND_COLOUR = "#F3F4F6"
# Layouts of python-pptx's default template.
_COVER_LAYOUT, _BULLETS_LAYOUT, _TITLE_ONLY_LAYOUT = 0, 1, 5


def build_deck(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    lang: str,
    hourly_cost: float | None = None,
    scorecard: pd.DataFrame | None = None,
) -> bytes:
    """The .pptx bytes: cover, share of views, hours vs views, cost of 1 000 views, monthly trend,
    scorecard (when given) and method. A slide whose figures are missing is left out, and the
    method slide says so for hours.

    `hourly_cost` None uses the workspace's setting. `scorecard` has one row per platform:
    `platform`, `recommendation` (localised text), `score` (0–100) and `reasons` (text).
    """
    cost = roi.hourly_cost(con) if hourly_cost is None else hourly_cost
    params = filters.params()
    summary = queries.run(con, "overview", **params).iloc[0]
    source = summary_source_line(queries.run(con, "sources_used", **params), summary, lang)
    shares = queries.run(con, "share_of_views", **params)
    table = roi.roi_table(con, filters, cost)
    months = monthly_views(con, filters)

    deck = _new_presentation(lang)
    _cover_slide(deck, lang, filters, summary, shares)
    if not shares.empty:
        totals = queries.run(con, "platform_totals", **params)
        _share_slide(deck, lang, shares, table, totals, source)
    has_hours = bool(table["share_of_staff_hours"].notna().any())
    if has_hours:
        _hours_slide(deck, lang, table, source)
    if table["cost_per_1000_views"].notna().any():
        _cost_slide(deck, lang, table, source)
    if len(months) >= 2:
        _trend_slide(deck, lang, months, source)
    if scorecard is not None and not scorecard.empty:
        _scorecard_slide(deck, lang, scorecard, source)
    _method_slide(deck, lang, con, table, cost, has_hours, source)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def deck_filename(filters: Filters, lang: str) -> str:
    """« canalyse_presentation_crue_2025-01-01_2025-12-31.pptx »: what, which campaign, when."""
    parts = ["canalyse", _slug(t("deck.filename", lang))]
    if filters.campaign and _slug(filters.campaign):
        parts.append(_slug(filters.campaign))
    days = [d.isoformat() for d in (filters.start, filters.end) if d is not None]
    if len(days) == 2 and days[0] == days[1]:
        days = days[:1]
    return "_".join([*parts, *days]) + ".pptx"


# ---- Slides ------------------------------------------------------------------------------------


def _cover_slide(deck, lang: str, filters: Filters, summary: pd.Series, shares: pd.DataFrame):
    slide = deck.slides.add_slide(deck.slide_layouts[_COVER_LAYOUT])
    title = slide.shapes.title
    _place(title, MARGIN, Inches(2.0), CONTENT_WIDTH, Inches(1.6))
    _write(title.text_frame, [t("deck.cover.title", lang)], size=36, bold=True, lang=lang)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM

    lines = [
        _capitalised(period_text(summary["date_min"], summary["date_max"], lang)),
        describe_filters(filters, lang),
    ]
    lines.append(t("deck.cover.generated", lang, day=fmt_date(date.today(), lang)))
    subtitle = slide.placeholders[1]
    _place(subtitle, MARGIN, Inches(4.1), CONTENT_WIDTH, Inches(2.4))
    size = _fitted_size(
        "\n".join(lines), CONTENT_WIDTH - 2 * INSET_X, Inches(2.4) - 2 * INSET_Y, (22, 20, 18, 16)
    )
    _write(subtitle.text_frame, lines, size=size, colour=MUTED_COLOUR, lang=lang)
    subtitle.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    subtitle.text_frame.vertical_anchor = MSO_ANCHOR.TOP

    # A thin strip under the title in the platforms' colours, as wide as each one's share of views.
    # It starts where the text does, inside the text boxes' default 0.1 in inset.
    left, strip_width = MARGIN + Inches(0.1), CONTENT_WIDTH - Inches(0.2)
    for platform, share in zip(shares["platform"], shares["share_of_views"], strict=True):
        width = Emu(round(strip_width * share)) if pd.notna(share) else Emu(0)
        if width > 0:
            _rectangle(slide, left, Inches(3.8), width, Inches(0.12), colour(platform))
            left += width


def _share_slide(
    deck, lang: str, shares: pd.DataFrame, table: pd.DataFrame, totals: pd.DataFrame, source: str
):
    ranked = shares.sort_values(["views", "platform"], ascending=[False, True], kind="stable")
    title = share_of_views_title(shares, lang)
    notes = [
        _note("deck.note.no_views", table.loc[table["views"].isna(), "platform"], lang),
        uneven_periods(totals, lang) or "",
    ]
    slide = _chart_slide(deck, lang, title, t("chart.share_of_views.subtitle", lang), notes, source)

    counts = count_format(lang)
    data = CategoryChartData(number_format=counts)
    data.categories = [label(p) for p in ranked["platform"]]
    data.add_series(t("table.views", lang), ranked["views"].tolist())
    chart = _bar_chart(slide, data, bars=len(ranked))
    series = chart.plots[0].series[0]
    _colour_points(series, ranked["platform"])
    # The share rides along as literal text after the value, which stays a live number.
    _point_labels(
        series,
        [count_format(lang, f" · {fmt_percent(s, lang, 0)}") for s in ranked["share_of_views"]],
    )
    _value_room(chart, ranked["views"].max(), headroom=0.3)


def _hours_slide(deck, lang: str, table: pd.DataFrame, source: str):
    rows = table[table["share_of_staff_hours"].notna()].sort_values(
        ["share_of_staff_hours", "platform"], ascending=[False, True], kind="stable"
    )
    # The same finding as the app's chart, about networks with views; the others beside it.
    title, no_views = hours_title(table, lang)
    notes = [
        no_views or "",
        _note(
            "deck.note.no_hours",
            table.loc[table["views"].notna() & table["staff_hours"].isna(), "platform"],
            lang,
        ),
    ]
    slide = _chart_slide(deck, lang, title, t("roi.chart.hours.subtitle", lang), notes, source)

    data = CategoryChartData(number_format=_percent_format(lang))
    data.categories = [label(p) for p in rows["platform"]]
    data.add_series(t("roi.chart.hours.hours", lang), _values(rows["share_of_staff_hours"]))
    # A platform without views gets no point at all, never a bar at 0 %.
    data.add_series(t("roi.chart.hours.views", lang), _values(rows["share_of_views"]))
    chart = _bar_chart(slide, data, bars=2 * len(rows))
    hours_series, views_series = chart.plots[0].series
    _fill(hours_series.format, HOURS_COLOUR)
    _fill(views_series.format, VIEWS_COLOUR)
    chart.plots[0].overlap = -10
    labels = chart.plots[0].data_labels
    labels.number_format = _percent_format(lang)
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(LABEL_SIZE)
    labels.font.color.rgb = _rgb(TEXT_COLOUR)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(LABEL_SIZE)
    largest = max(rows["share_of_staff_hours"].max(), rows["share_of_views"].fillna(0).max())
    _value_room(chart, largest, headroom=0.15)


def _cost_slide(deck, lang: str, table: pd.DataFrame, source: str):
    rows = table[table["cost_per_1000_views"].notna()].sort_values(
        ["cost_per_1000_views", "platform"], kind="stable"
    )
    title = cost_title(rows, lang)
    has_cost = table["spend"].notna() | table["staff_hours"].notna()
    notes = [
        _note("deck.note.no_views", table.loc[table["views"].isna() & has_cost, "platform"], lang),
        _note("deck.note.no_cost", table.loc[table["views"].notna() & ~has_cost, "platform"], lang),
    ]
    slide = _chart_slide(deck, lang, title, t("roi.chart.cost.subtitle", lang), notes, source)

    data = CategoryChartData(number_format="0.00")
    data.categories = [label(p) for p in rows["platform"]]
    data.add_series(
        t("glossary.ratio.cost_per_1000_views.short", lang), rows["cost_per_1000_views"].tolist()
    )
    chart = _bar_chart(slide, data, bars=len(rows))
    series = chart.plots[0].series[0]
    _colour_points(series, rows["platform"])
    # Amounts as text: no number format can force the decimal comma on an English computer.
    _text_labels(series, cost_labels(rows, lang))
    _value_room(chart, rows["cost_per_1000_views"].max(), headroom=0.35)


def _trend_slide(deck, lang: str, months: pd.DataFrame, source: str):
    title = monthly_trend_title(months, lang)
    slide = _chart_slide(deck, lang, title, t("deck.trend.subtitle", lang), [], source)

    data = CategoryChartData(number_format=count_format(lang))
    # Up to two years, the year only where it changes (first month, each January); beyond, every
    # label carries its year and only some are written, so that they never overlap.
    long = len(months) > 24
    data.categories = [
        _month_name(m, lang, "deck.months") if long or i == 0 or m.month == 1 else _month(m, lang)
        for i, m in enumerate(months.index)
    ]
    for platform in months.columns:
        data.add_series(label(platform), _values(months[platform]))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.LINE_MARKERS,
        MARGIN,
        CHART_TOP,
        CONTENT_WIDTH,
        NOTE_TOP - CHART_TOP,
        data,
    )
    chart = frame.chart
    _base_style(chart)
    for platform, series in zip(months.columns, chart.plots[0].series, strict=True):
        series.smooth = False
        series.format.line.color.rgb = _rgb(colour(platform))
        series.format.line.width = Pt(3.5)
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 8
        _fill(series.marker.format, colour(platform))
        series.marker.format.line.color.rgb = _rgb(colour(platform))
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(LABEL_SIZE)
    category = chart.category_axis
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.tick_labels.font.size = Pt(NOTE_SIZE)
    if long:
        skip = OxmlElement("c:tickLblSkip")
        skip.set("val", str(-(-len(months) // 12)))
        category._element.append(skip)
    category.format.line.color.rgb = _rgb(GRID_COLOUR)
    value = chart.value_axis
    value.minimum_scale = 0
    value.major_tick_mark = XL_TICK_MARK.NONE
    value.has_major_gridlines = True
    value.major_gridlines.format.line.color.rgb = _rgb(GRID_COLOUR)
    value.format.line.fill.background()
    value.tick_labels.number_format = count_format(lang)
    value.tick_labels.number_format_is_linked = False
    value.tick_labels.font.size = Pt(NOTE_SIZE)
    value.tick_labels.font.color.rgb = _rgb(MUTED_COLOUR)


def _scorecard_slide(deck, lang: str, scorecard: pd.DataFrame, source: str):
    """The scorecard as an editable table, best score first, TABLE_ROWS networks a slide."""
    ranked = scorecard.assign(answers_only=answers_only(scorecard)).sort_values(
        "score", ascending=False, kind="stable"
    )
    # The finding is about a network with something measured; one ranked on answers alone is
    # flagged in the table and named in the note.
    title = best_score_title(scorecard, lang)
    note = answers_only_note(ranked, lang) or ""
    headers = [
        t("table.platform", lang),
        t("deck.scorecard.recommendation", lang),
        t("deck.scorecard.score", lang),
        t("deck.scorecard.reasons", lang),
    ]
    body = [
        (
            label(row.platform),
            str(row.recommendation)
            + (f"\n({t('decision.chart.answers_only', lang)})" if row.answers_only else ""),
            fmt_int(row.score, lang),
            "" if pd.isna(row.reasons) else str(row.reasons),
        )
        for row in ranked.itertuples(index=False)
    ]
    pages = [body[i : i + TABLE_ROWS] for i in range(0, len(body), TABLE_ROWS)]
    for number, rows in enumerate(pages, start=1):
        shown = title if number == 1 else t("deck.continued", lang, title=title)
        subtitle = t("deck.scorecard.subtitle", lang)
        if len(pages) > 1:
            subtitle += t("deck.page", lang, page=number, pages=len(pages))
        slide = _chart_slide(deck, lang, shown, subtitle, [note], source)
        _table(slide, lang, headers, rows)


def _table(slide, lang: str, headers: list[str], rows: list[tuple[str, ...]]) -> None:
    """A table under the subtitle with fixed row heights: the reasons' size is chosen so that
    they fit their cell (PowerPoint and LibreOffice grow a row whose text overflows)."""
    widths = [Inches(2.0), Inches(2.5), Inches(1.7)]
    widths.append(CONTENT_WIDTH - sum(widths))
    header_height = Inches(0.6)
    row_height = Emu(int((NOTE_TOP - CHART_TOP - header_height) / TABLE_ROWS))
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(headers),
        MARGIN,
        CHART_TOP,
        CONTENT_WIDTH,
        header_height + row_height * len(rows),
    )
    table = shape.table
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for index, row in enumerate(table.rows):
        row.height = header_height if index == 0 else row_height
    reasons_size = min(
        (
            _fitted_size(text, widths[3] - 2 * INSET_X, row_height - 2 * INSET_Y, (12, 11, 10, 9))
            for *_, text in rows
        ),
        default=12,
    )
    for row_index, values in enumerate([headers, *rows]):
        header = row_index == 0
        for column_index, text in enumerate(values):
            cell = table.cell(row_index, column_index)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            _fill(cell, TEXT_COLOUR if header else (BAND_COLOUR if row_index % 2 else WHITE))
            size = NOTE_SIZE if header else LABEL_SIZE if column_index < 3 else reasons_size
            lines = str(text).split("\n")
            _write(
                cell.text_frame,
                lines,
                size=size,
                colour=WHITE if header else TEXT_COLOUR,
                bold=header or column_index == 1,
                lang=lang,
                align=PP_ALIGN.RIGHT if column_index == 2 else PP_ALIGN.LEFT,
                sizes=[size] + [NOTE_SIZE - 2] * (len(lines) - 1),
            )


def _method_slide(
    deck, lang: str, con, table: pd.DataFrame, cost: float, has_hours: bool, source: str
):
    slide = deck.slides.add_slide(deck.slide_layouts[_BULLETS_LAYOUT])
    _slide_title(slide, t("deck.method.title", lang), lang)
    views = METRICS["views"]
    points = [
        t(
            "deck.method.views",
            lang,
            # After « Vues : » the definition goes on in lower case.
            definition=_lower_first(views.definition(lang)),
            note=views.note(lang),
        ),
        METRICS["engagements"].note(lang),
    ]
    has_cost = bool(table["cost_per_1000_views"].notna().any())
    if has_hours or has_cost:
        how = t("roi.cost.how", lang, cost=fmt_money(cost, lang))
        with_hours = set(table.loc[table["staff_hours"].notna(), "platform"])
        own = {p: c for p, c in roi.platform_costs(con).items() if p in with_hours}
        if own:
            colon = ":" if lang == "en" else f"{NBSP}:"
            listed = ", ".join(f"{label(p)}{colon} {fmt_money(c, lang)}" for p, c in own.items())
            how += " " + t("deck.method.own_costs", lang, costs=listed)
        points.append(how)
    if not has_hours:
        points.append(
            t("deck.method.no_hours_spend_only" if has_cost else "deck.method.no_hours", lang)
        )
    points.append(t("deck.method.counting", lang))
    body = slide.placeholders[1]
    top = TITLE_TOP + TITLE_HEIGHT + Inches(0.15)
    _place(body, MARGIN, top, CONTENT_WIDTH, SOURCE_TOP - top - Inches(0.1))
    # Each point's space after it (14 pt) comes off the height the text may take.
    room = SOURCE_TOP - top - Inches(0.1) - 2 * INSET_Y - Pt(14) * len(points)
    size = _fitted_size("\n".join(points), CONTENT_WIDTH - Inches(0.6), room, (18, 16, 14, 12))
    _write(body.text_frame, points, size=size, lang=lang, space_after=14)
    body.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    _source(slide, source, lang)


# ---- Building blocks ---------------------------------------------------------------------------


def _new_presentation(lang: str):
    deck = Presentation()
    # The default template is 4:3: widen its master and layouts too, so that a slide someone adds
    # later in PowerPoint lands where it should.
    ratio = SLIDE_WIDTH / deck.slide_width
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    layout_shapes = [shape for layout in deck.slide_layouts for shape in layout.placeholders]
    for shape in [*deck.slide_master.placeholders, *layout_shapes]:
        shape.left, shape.width = Emu(round(shape.left * ratio)), Emu(round(shape.width * ratio))
    deck.core_properties.title = t("deck.cover.title", lang)
    deck.core_properties.author = "Canalyse"
    deck.core_properties.language = "en-GB" if lang == "en" else "fr-FR"
    return deck


def _chart_slide(deck, lang: str, title: str, subtitle: str, notes: list[str], source: str):
    """A slide with its finding as title, a subtitle saying what is drawn, notes and the source."""
    slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY_LAYOUT])
    _slide_title(slide, title, lang)
    _text_box(
        slide,
        [subtitle],
        SUBTITLE_TOP,
        SUBTITLE_HEIGHT,
        (SUBTITLE_SIZE, 16, 14),
        MUTED_COLOUR,
        lang,
    )
    shown = [n for n in notes if n]
    if shown:
        _text_box(
            slide,
            [" · ".join(shown)],
            NOTE_TOP,
            NOTE_HEIGHT,
            (NOTE_SIZE, 12, 11),
            TEXT_COLOUR,
            lang,
        )
    _source(slide, source, lang)
    return slide


def _slide_title(slide, text: str, lang: str) -> None:
    """The finding, in the largest size at which it holds on its box: never cut, never over the
    subtitle."""
    title = slide.shapes.title
    _place(title, MARGIN, TITLE_TOP, CONTENT_WIDTH, TITLE_HEIGHT)
    size = _fitted_size(
        text, CONTENT_WIDTH - 2 * INSET_X, TITLE_HEIGHT - 2 * INSET_Y, TITLE_SIZES, bold=True
    )
    _write(title.text_frame, [text], size=size, bold=True, lang=lang)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    title.text_frame.auto_size = MSO_AUTO_SIZE.NONE


def _source(slide, source: str, lang: str) -> None:
    _text_box(slide, [source], SOURCE_TOP, SOURCE_HEIGHT, (SOURCE_SIZE, 11, 10), MUTED_COLOUR, lang)


# ---- Fitting text ----------------------------------------------------------------------------------

# Character widths in em of DejaVu Sans, the widest font a viewer may draw the deck with (LibreOffice
# falls back to it without Calibri): text measured so fits in Calibri with room to spare.
_NARROW = set("ijl.,;:!|'’·()[] ")
_SEMI = set("frtI-")
_WIDE = set("mwMW@%—")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of `text` at `size` points, in points (an upper estimate)."""

    def em(char: str) -> float:
        if char in _NARROW or char == NBSP:
            return 0.32
        if char in _SEMI:
            return 0.42
        if char in _WIDE:
            return 0.98
        if char.isupper():
            return 0.74
        return 0.64

    return sum(em(c) for c in text) * size * (1.1 if bold else 1.0)


def wrapped_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines `text` takes in a box `width` points wide (words never broken)."""
    count = 0
    for paragraph in text.split("\n"):
        line = ""
        count += 1
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold) > width:
                count += 1
                line = word
            else:
                line = candidate
    return count


def _fitted_size(text: str, width, height, sizes, bold: bool = False) -> int:
    """The largest of `sizes` (points) at which `text` fits a box of `width` × `height` (EMU),
    at 1.2 line height; the smallest when none does."""
    width_pt, height_pt = Emu(width).pt, Emu(height).pt
    for size in sizes:
        if wrapped_lines(text, width_pt, size, bold) * size * 1.2 <= height_pt:
            return size
    return sizes[-1]


def _bar_chart(slide, data: CategoryChartData, bars: int):
    """A horizontal bar chart, first category on top, its height growing with the bars so that
    three bars are not drawn as three blocks."""
    height = min(NOTE_TOP - CHART_TOP, max(Inches(3.0), Inches(0.55) * bars + Inches(1.0)))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, CHART_TOP, CONTENT_WIDTH, height, data
    )
    chart = frame.chart
    _base_style(chart)
    plot = chart.plots[0]
    plot.gap_width = 45
    plot.vary_by_categories = False
    plot.has_data_labels = True
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.font.size = Pt(LABEL_SIZE)
    category = chart.category_axis
    # PowerPoint draws the first category at the bottom; reversed, the data reads top to bottom.
    category.reverse_order = True
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.format.line.fill.background()
    category.tick_labels.font.size = Pt(AXIS_SIZE)
    value = chart.value_axis
    value.visible = False
    value.has_major_gridlines = False
    value.minimum_scale = 0
    return chart


def _base_style(chart) -> None:
    chart.has_title = False
    chart.has_legend = False
    chart.font.size = Pt(LABEL_SIZE)
    chart.font.color.rgb = _rgb(TEXT_COLOUR)


def _value_room(chart, largest: float, headroom: float) -> None:
    """Leave `headroom` of the value axis free after the longest bar for its label."""
    if pd.notna(largest) and largest > 0:
        chart.value_axis.maximum_scale = float(largest) / (1 - headroom)


def _colour_points(series, platforms: pd.Series) -> None:
    for point, platform in zip(series.points, platforms, strict=False):
        _fill(point.format, colour(platform))


def _point_labels(series, number_formats: list[str]) -> None:
    """Give each bar its own label number format (python-pptx has no API for a single label's)."""
    for index, number_format in enumerate(number_formats):
        data_label = series.points[index].data_label
        data_label.position = XL_LABEL_POSITION.OUTSIDE_END
        data_label.font.size = Pt(LABEL_SIZE)
        data_label.font.color.rgb = _rgb(TEXT_COLOUR)
        element = data_label._dLbl
        num_fmt = OxmlElement("c:numFmt")
        num_fmt.set("formatCode", number_format)
        num_fmt.set("sourceLinked", "0")
        # c:numFmt comes right before c:spPr in a c:dLbl.
        element.find(qn("c:spPr")).addprevious(num_fmt)
        # One line per label: a viewer may otherwise wrap « 720 000 · 55 % » into three.
        element.find(qn("c:txPr")).find(qn("a:bodyPr")).set("wrap", "none")


def _text_box(slide, lines: list[str], top, height, sizes, text_colour: str, lang: str):
    """A text box across the slide, in the largest of `sizes` at which its text fits."""
    box = slide.shapes.add_textbox(MARGIN, top, CONTENT_WIDTH, height)
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    size = _fitted_size("\n".join(lines), CONTENT_WIDTH - 2 * INSET_X, height - 2 * INSET_Y, sizes)
    _write(box.text_frame, lines, size=size, colour=text_colour, lang=lang)
    return box


def _write(
    frame,
    lines: list[str],
    *,
    size: int,
    lang: str,
    colour: str = TEXT_COLOUR,
    bold: bool = False,
    align=PP_ALIGN.LEFT,
    space_after: int = 0,
    sizes: list[int] | None = None,
) -> None:
    """Replace `frame`'s text with one paragraph per line, in the deck's style and language
    (`sizes`: one size per line instead of `size`)."""
    frame.clear()
    frame.word_wrap = True
    language = MSO_LANGUAGE_ID.ENGLISH_UK if lang == "en" else MSO_LANGUAGE_ID.FRENCH
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        if space_after:
            paragraph.space_after = Pt(space_after)
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(sizes[index] if sizes else size)
        run.font.bold = bold if index == 0 or not sizes else False
        run.font.color.rgb = _rgb(colour)
        # Spell-checking in the deck's language, not the template's US English.
        run.font.language_id = language


def _rectangle(slide, left, top, width, height, fill: str) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    _fill(shape, fill)
    shape.line.fill.background()


def _place(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _fill(target, hex_colour: str) -> None:
    target.fill.solid()
    target.fill.fore_color.rgb = _rgb(hex_colour)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _note(key: str, platforms: pd.Series, lang: str) -> str:
    """« Bluesky, Mastodon : pas de vues publiées », or "" when no platform is concerned."""
    names = [label(p) for p in platforms]
    return t(key, lang, platforms=", ".join(names)) if names else ""


def _values(column: pd.Series) -> list[float | None]:
    """Chart values with None (no point drawn) where the figure is unknown."""
    return [None if pd.isna(v) else float(v) for v in column]


def _literal(text: str) -> str:
    """`text` quoted for a number format code (where a quote cannot appear)."""
    return '"' + text.replace('"', "") + '"'


def _percent_format(lang: str) -> str:
    return "0%" if lang == "en" else "0" + _literal(NBSP) + "%"


def count_format(lang: str, suffix: str = "") -> str:
    """A whole number's format code with the deck language's thousands separator written in it
    (« 740 000 » in French, "740,000" in English, on any computer), then `suffix` as text.

    Three sections: millions, thousands, units (a code holds two conditions at most).
    """
    group = _literal(NBSP if lang == "fr" else ",")
    tail = _literal(suffix) if suffix else ""
    return f"[>=1000000]#{group}###{group}##0{tail};[>=1000]#{group}##0{tail};0{tail}"


def _text_labels(series, texts: list[str]) -> None:
    """Give each bar a label written as text (python-pptx turns the label into rich text)."""
    for index, text in enumerate(texts):
        data_label = series.points[index].data_label
        data_label.position = XL_LABEL_POSITION.OUTSIDE_END
        frame = data_label.text_frame
        frame.text = text
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(LABEL_SIZE)
                run.font.color.rgb = _rgb(TEXT_COLOUR)
        # One line per label: a viewer may otherwise wrap « 5,00 € · 8 000 vues/h » into three.
        body = data_label._dLbl.find(qn("c:tx")).find(qn("c:rich")).find(qn("a:bodyPr"))
        body.set("wrap", "none")


def _month(month: pd.Timestamp, lang: str, key: str = "deck.months") -> str:
    return t(key, lang).split(",")[month.month - 1]


def _month_name(month: pd.Timestamp, lang: str, key: str) -> str:
    return f"{_month(month, lang, key)} {month.year}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slug(text: str) -> str:
    return re.sub(r"\s+", "-", fold(text))


def deck_bytes(path: str, filters: Filters, lang: str, cost: float | None, scorecard) -> bytes:
    """The deck of the workspace file `path`, read in its own read-only turn (a download asks for
    it after the page has finished its run and closed its connections)."""
    with store.reading(path) as con:
        return build_deck(con, filters, lang, cost, scorecard=scorecard)
