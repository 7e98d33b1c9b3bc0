"""What every chart shares: the "canalyse" template and its colours, titles that wrap, the source
line and its place inside the figure, the one horizontal bar layout, the camera button's settings.

Every figure states its finding in the title and carries its source line inside the figure, so
that a PNG never loses it. Builders are pure: they take analysis results and a language and return
a figure; pages only render it, with `theme=None` so that Streamlit does not repaint it, and
`config=figure_config(...)`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from canalyse.formatting import fmt_period, plotly_separators
from canalyse.i18n import t
from canalyse.platforms import fold

TEMPLATE_NAME = "canalyse"

FONT_FAMILY = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
TEXT_COLOUR = "#1F2933"
MUTED_COLOUR = "#6B7280"
GRID_COLOUR = "#E5E7EB"
BASE_FONT_SIZE = 16
TITLE_FONT_SIZE = 24
SOURCE_FONT_SIZE = 13
# Distance from the figure's left edge shared by the title and the source line, so they align.
EDGE = 24
LABEL_GAP = "\u00a0\u00a0"

# The size of the PNG the camera button saves, whatever the size on screen: a 16:9-ish
# picture that fills a slide, drawn at 3x so it stays sharp on a projector.
EXPORT_WIDTH = 1100
EXPORT_HEIGHT = 600

# Modebar buttons that only confuse a non-technical reader of a static comparison chart;
# the camera ("toImage") stays.
_REMOVED_MODEBAR_BUTTONS = [
    "zoom2d",
    "pan2d",
    "select2d",
    "lasso2d",
    "zoomIn2d",
    "zoomOut2d",
    "autoScale2d",
    "resetScale2d",
    "toggleSpikelines",
    "hoverClosestCartesian",
    "hoverCompareCartesian",
]


def template() -> go.layout.Template:
    """The "canalyse" Plotly template (registered in `plotly.io.templates` on first use, and made
    Plotly's default template in this process: see `Sketch.figure`)."""
    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = _build_template()
        pio.templates.default = TEMPLATE_NAME
    return pio.templates[TEMPLATE_NAME]


class Sketch:
    """A chart put together as plain dicts, made a `go.Figure` once, at the end (`figure()`).

    Built step by step (`add_trace`, `update_layout`, `add_annotation`…), a Plotly figure checks
    and copies its properties at every step: 45 ms for a time chart that Plotly makes in 8 ms
    from the same dicts, and a page draws up to five. The methods are the few of `go.Figure` the
    builders use, on nested dicts (no "magic underscores": `marker=dict(color=…)`, never
    `marker_color`); `update_layout` merges nested dicts as Plotly's does."""

    def __init__(self) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}

    def add_trace(self, trace: dict) -> None:
        self.data.append(trace)

    def update_layout(self, **changes: object) -> None:
        _merge(self.layout, changes)

    def update_xaxes(self, **changes: object) -> None:
        _merge(self.layout.setdefault("xaxis", {}), changes)

    def update_yaxes(self, **changes: object) -> None:
        _merge(self.layout.setdefault("yaxis", {}), changes)

    def add_shape(self, **shape: object) -> None:
        self.layout.setdefault("shapes", []).append(shape)

    def add_annotation(self, **annotation: object) -> None:
        self.layout.setdefault("annotations", []).append(annotation)

    def figure(self) -> go.Figure:
        """The figure, in the "canalyse" template: Plotly's default template (`template`), which
        it gives a new figure without checking it again."""
        template()
        return go.Figure(data=self.data, layout=self.layout)


def _merge(target: dict, changes: dict) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def _build_template() -> go.layout.Template:
    axis = dict(
        showgrid=True,
        gridcolor=GRID_COLOUR,
        gridwidth=1,
        zeroline=False,
        showline=False,
        ticks="",
        tickfont=dict(size=BASE_FONT_SIZE, color=TEXT_COLOUR),
        title=dict(font=dict(size=BASE_FONT_SIZE, color=MUTED_COLOUR), standoff=12),
        automargin=True,
    )
    return go.layout.Template(
        layout=go.Layout(
            font=dict(family=FONT_FAMILY, size=BASE_FONT_SIZE, color=TEXT_COLOUR),
            title=dict(
                font=dict(size=TITLE_FONT_SIZE, color=TEXT_COLOUR, weight="bold"),
                subtitle=dict(font=dict(size=BASE_FONT_SIZE, color=MUTED_COLOUR)),
                x=0,
                xref="container",
                xanchor="left",
                pad=dict(l=EDGE),
            ),
            paper_bgcolor="white",
            plot_bgcolor="white",
            margin=dict(l=EDGE, r=40, t=110, b=70),
            xaxis=axis,
            yaxis=axis,
            # Colourblind-safe (Okabe-Ito) for series that are not platforms, which have their own.
            colorway=[
                "#0072B2",
                "#E69F00",
                "#009E73",
                "#CC79A7",
                "#56B4E9",
                "#D55E00",
                "#F0E442",
                "#000000",
            ],
            showlegend=False,
            legend=dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom"),
            hoverlabel=dict(bgcolor="white", bordercolor=GRID_COLOUR, font=dict(size=15)),
            bargap=0.35,
            dragmode=False,
        ),
        data=dict(bar=[go.Bar(marker=dict(line=dict(width=0)))]),
    )


# At most this many characters on a line of a title (24 px bold, about 13 px a character): a
# title fits a chart 800 px wide, the app's on a laptop as the 1 100 px picture; a longer one is
# wrapped at spaces, never cut.
TITLE_CHARS = 60
# Extra height a wrapped title or subtitle line takes.
TITLE_LINE = 30
SUBTITLE_LINE = 30


def _shown_length(text: str) -> int:
    return len(html.unescape(re.sub(r"<[^>]+>", "", text)))


def wrap_title(text: str, width: int = TITLE_CHARS) -> str:
    """`text` on as few lines as it needs, each at most `width` characters as read, broken at
    spaces (a no-break space keeps « 44 % » together) and balanced; a word longer than a line
    stays whole. Lines are joined with `<br>` for Plotly."""
    words = text.split(" ")

    def lines_at(limit: int) -> list[str]:
        lines: list[str] = []
        for word in words:
            if lines and _shown_length(lines[-1] + " " + word) <= limit:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines

    needed = len(lines_at(width))
    # The narrowest width that still needs no more lines: the lines come out even.
    shortest = max(_shown_length(word) for word in words)
    balanced = next(w for w in range(shortest, width + 1) if len(lines_at(w)) <= needed)
    return "<br>".join(lines_at(max(balanced, shortest)))


def fitting_title(wordings: Sequence[str]) -> str:
    """The first of `wordings` (plain text, longest first) that holds on two lines of a chart,
    escaped and wrapped; else the last, on as many lines as it needs: shortened or wrapped, never
    cut."""
    wrapped = [wrap_title(plain(wording)) for wording in wordings]
    return next((title for title in wrapped if title.count("<br>") <= 1), wrapped[-1])


def plain(text: object) -> str:
    """Text from files or users (names, sources, labels) shown literally: Plotly would read tags
    in it as markup."""
    return html.escape(str(text), quote=False)


# ---- The source line ------------------------------------------------------------------------------

# More files than this are counted, not named, on a source line.
MAX_FILES_NAMED = 3


def source_names(sources: pd.DataFrame, lang: str) -> list[str]:
    """The names a source line gives the imports of `sources` (file_name, kind): the file's name,
    or what the figures are when they came from no file (typed in the app, the example)."""
    return [
        t(f"source.{kind}", lang) if kind in ("typed", "example") else name
        for name, kind in zip(sources["file_name"], sources["kind"], strict=True)
    ]


def files_text(sources: pd.DataFrame, lang: str) -> str:
    """« a.csv, b.xlsx et 3 autres fichiers »: the imports of `sources` (as
    `queries/sources_used.sql` lists them) named on a source line."""
    names = source_names(sources, lang)
    named = ", ".join(names[:MAX_FILES_NAMED])
    if len(names) > MAX_FILES_NAMED:
        named += t("source.more_files", lang, count=len(names) - MAX_FILES_NAMED)
    return named


def source_line(
    sources: pd.DataFrame, lang: str, start: object = None, end: object = None, undated: int = 0
) -> str:
    """The line under a chart, a table or a slide: « Source : campagne_crue.xlsx · du 01/01/2025
    au 31/03/2025 ». `sources` are the imports the figures came from (`sources_used.sql`);
    `undated` the undated summary lines counted beside a dated period, which the line then
    mentions (« …, et des bilans sans dates »)."""
    files = files_text(sources, lang)
    period = fmt_period(start, end, lang)
    if not period:
        return t("chart.source", lang, source=files)
    line = t("chart.source_with_period", lang, source=files, period=period)
    if int(undated or 0) > 0:
        line += t("chart.source.undated", lang)
    return line


def summary_source_line(sources: pd.DataFrame, summary: pd.Series, lang: str) -> str:
    """The source line of figures `queries/overview.sql` sums up (date_min, date_max,
    undated_rows): when undated summaries count too, the period does not cover them all, and the
    line says so."""
    return source_line(
        sources, lang, summary["date_min"], summary["date_max"], summary.get("undated_rows", 0)
    )


def source_annotation(source: str, left_margin: int, yshift: int = -28) -> dict:
    """The source line under the plot, aligned with the title's left edge whatever the label width."""
    return dict(
        text=plain(source),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        xshift=EDGE - left_margin,
        yshift=yshift,
        showarrow=False,
        borderpad=0,
        borderwidth=0,
        align="left",
        font=dict(size=SOURCE_FONT_SIZE, color=MUTED_COLOUR),
    )


# ---- Horizontal bars ------------------------------------------------------------------------------

# The geometry every horizontal bar chart shares. A character is about 0.56 of its font size wide
# (10 px at 18 px): the category labels' width sets the left margin, the value labels' the room
# after the longest bar. A category gets 56 px with one series, and 30 px plus 28 px a bar when
# series are grouped; at least four categories' room, so that one or two bars are not drawn as
# blocks.
CHAR_EM = 0.56
TICK_SIZE = 18
LABEL_SIZE = 17
GROUPED_LABEL_SIZE = 15
CATEGORY_HEIGHT = 56
GROUP_HEIGHT = 30
GROUPED_BAR_HEIGHT = 28
MIN_CATEGORIES = 4
# Room above the plot for the title and subtitle, and for a legend under them (a row more for each
# row the legend wraps to: it grows upwards, into the subtitle, when the room is not there).
TOP = 110
LEGEND_TOP = 40
LEGEND_ROW = 26
BOTTOM = 70
# The width a legend row is counted against: a plot in a Streamlit column (as `x_max` assumes);
# wider screens and the 1100 px export then only get more room.
LEGEND_WIDTH = 600


def legend_rows(names: Sequence[str], size: int = 15) -> int:
    """How many rows a horizontal legend of these entries takes at most."""
    rows, used = 1, 0.0
    for name in names:
        # The entry's symbol and gaps, then its text.
        width = 40 + CHAR_EM * size * _shown_length(name)
        if used and used + width > LEGEND_WIDTH:
            rows, used = rows + 1, 0.0
        used += width
    return rows


@dataclass(frozen=True)
class BarSeries:
    """One series of horizontal bars, its values in the order of the chart's categories.

    `colour` is one colour or one per bar; `labels` (plain text) are written after each bar;
    `hover`, when given, is each bar's hover text, markup allowed (else « category · label »). A
    series whose bars take several colours shows a neutral swatch in the legend, not the colour
    of whichever bar comes first.
    """

    values: Sequence[float]
    colour: str | Sequence[str]
    labels: Sequence[str]
    name: str = ""
    hover: Sequence[str] | None = None
    label_colour: str = TEXT_COLOUR


def horizontal_bars(
    categories: Sequence[str],
    series: Sequence[BarSeries],
    lang: str,
    *,
    title: str | Sequence[str],
    subtitle: str,
    source: str,
    note: str | None = None,
    ticks: Sequence[str] | None = None,
    labels_at: float | None = None,
) -> go.Figure:
    """Horizontal bars the Canalyse way: the first category on top, the finding as title, the
    source line at the foot, room after the longest bar for its label.

    `categories` are the names as read, top first; `ticks` their markup on the axis when it says
    more than the name (already escaped). The longest line of the labels sets the left margin. `series` are in
    reading order: the first on top of each group and first in the legend (shown when there are
    several). `title`, `subtitle` and `note` (a second line under the subtitle for what the
    finding leaves aside) are plain text, escaped here; a long title wraps and the chart grows,
    nothing is cut (several wordings of the title, longest first: see `fitting_title`). `labels_at` writes the labels in a column at that value instead of after each
    bar (the axis then runs at least that far).
    """
    names = list(categories)
    shown = [plain(name) for name in names] if ticks is None else list(ticks)
    # Plotly draws the first category at the bottom, and the first series of a group at its
    # bottom: both go in reversed.
    y = shown[::-1]
    grouped = len(series) > 1
    label_size = GROUPED_LABEL_SIZE if grouped else LABEL_SIZE
    fig = Sketch()
    all_labels: list[str] = []
    for one in reversed(series):
        colours = one.colour if isinstance(one.colour, str) else list(one.colour)[::-1]
        # The leading no-break spaces keep a label off the end of its bar.
        gap = LABEL_GAP if labels_at is None else ""
        labels = [f"{gap}{plain(text)}" if text else "" for text in list(one.labels)[::-1]]
        all_labels += labels
        hover = None if one.hover is None else list(one.hover)[::-1]
        fig.add_trace(
            dict(
                type="bar",
                x=list(one.values)[::-1],
                y=y,
                orientation="h",
                name=plain(one.name),
                marker=dict(color=colours),
                text=None if labels_at is not None else labels,
                textposition="outside",
                textfont=dict(size=label_size, color=one.label_colour),
                # Keep labels full size and let them overflow the plot rather than shrink or vanish.
                constraintext="none",
                cliponaxis=False,
                hovertext=hover
                if hover is not None
                else (labels if labels_at is not None else None),
                hovertemplate=(
                    "%{hovertext}<extra></extra>"
                    if hover is not None
                    else "%{y} · %{hovertext}<extra></extra>"
                    if labels_at is not None
                    else "%{y} · %{text}<extra></extra>"
                ),
                showlegend=grouped and isinstance(one.colour, str),
            )
        )
        if grouped and not isinstance(one.colour, str):
            fig.add_trace(
                dict(
                    type="scatter",
                    name=plain(one.name),
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker=dict(symbol="square", size=12, color=TEXT_COLOUR),
                    hoverinfo="skip",
                )
            )
    if labels_at is not None:
        fig.add_trace(
            dict(
                type="scatter",
                x=[labels_at] * len(y),
                y=y,
                mode="text",
                text=all_labels,
                textposition="middle right",
                textfont=dict(size=label_size, color=TEXT_COLOUR),
                cliponaxis=False,
                hoverinfo="skip",
                showlegend=False,
            )
        )
    values = pd.Series([v for one in series for v in one.values], dtype=float)
    largest = max(float(values.max()) if values.notna().any() else 0.0, labels_at or 0.0)
    count = len(names)
    band = GROUP_HEIGHT + GROUPED_BAR_HEIGHT * len(series) if grouped else CATEGORY_HEIGHT
    # A plot never shorter than MIN_CATEGORIES single bars: fewer bands are centred in that room.
    # A group of many bars fills it alone, and gets no empty band above and below.
    rows = max(count, MIN_CATEGORIES * CATEGORY_HEIGHT / band)
    padding = (rows - count) / 2
    longest = max(_shown_length(line) for tick in shown for line in tick.split("<br>"))
    left_margin = EDGE + int(CHAR_EM * TICK_SIZE * longest) + 16
    wrapped = fitting_title([title] if isinstance(title, str) else title)
    lines = [subtitle, *([note] if note else [])]
    subtitle_text = "<br>".join(wrap_title(plain(line), TITLE_CHARS + 20) for line in lines)
    extra = TITLE_LINE * wrapped.count("<br>") + SUBTITLE_LINE * subtitle_text.count("<br>")
    legend = 0
    if grouped:
        legend = LEGEND_TOP + LEGEND_ROW * (legend_rows([plain(one.name) for one in series]) - 1)
    top = TOP + legend + extra
    height = top + 10 + round(band * rows) + BOTTOM
    fig.update_layout(
        title=dict(text=wrapped, subtitle=dict(text=subtitle_text)),
        separators=plotly_separators(lang),
        height=height,
        margin=dict(l=left_margin, t=top, b=BOTTOM),
        barmode="group",
        xaxis=dict(
            visible=False, range=[0, x_max(largest, all_labels, label_size)], fixedrange=True
        ),
        yaxis=dict(
            showgrid=False,
            tickfont=dict(size=TICK_SIZE, color=TEXT_COLOUR),
            ticklabelstandoff=10,
            categoryorder="array",
            categoryarray=y,
            range=[-0.5 - padding, count - 0.5 + padding],
            fixedrange=True,
        ),
        showlegend=grouped,
        annotations=[source_annotation(source, left_margin)],
    )
    if grouped:
        fig.update_layout(
            # The title from the top, not centred in the room above the plot (Plotly's default):
            # the room the legend takes below it would push it down into the legend. Plotly
            # anchors a title of several lines by its first line, minus one line per line more.
            title=dict(
                y=1 - (EDGE + TITLE_LINE * wrapped.count("<br>")) / height,
                yref="container",
                yanchor="top",
            ),
            bargap=0.25,
            bargroupgap=0.08,
            legend=dict(traceorder="reversed", font=dict(size=15), y=1.0),
        )
    return fig.figure()


def x_max(largest: float, labels: Sequence[str], size: int = LABEL_SIZE) -> float:
    """Right end of the value axis, leaving room for the longest label (at `size` px) after the
    longest bar."""
    if not largest or largest <= 0:
        return 1.0
    # Measured against a ~600 px plot (a Streamlit column): wider screens and the 1100 px export
    # then only get more room. At least the 20 % a short label needs, at most a bit over half so
    # that the bars stay the main thing.
    longest = max((len(text) for text in labels), default=0)
    label_share = (24 + CHAR_EM * size * longest) / 600
    headroom = min(max(label_share, 0.2), 0.55)
    return largest / (1 - headroom)


# ---- Saving a chart -----------------------------------------------------------------------------------


def export_height(figure: go.Figure | None = None) -> int:
    """The height of a saved picture: the slide-sized 600 px, or the chart's own height when it
    needs more (many bars, a wrapped title), so that nothing is squeezed or cut."""
    own = figure.layout.height if figure is not None and figure.layout.height else 0
    return max(EXPORT_HEIGHT, int(own))


def figure_config(filename: str, figure: go.Figure | None = None) -> dict:
    """The `config` for `st.plotly_chart`/`fig.show`: camera saves a sharp slide-sized PNG."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": list(_REMOVED_MODEBAR_BUTTONS),
        "toImageButtonOptions": {
            "format": "png",
            "scale": 3,
            "filename": filename,
            "height": export_height(figure),
            "width": EXPORT_WIDTH,
        },
    }


def _iso_day(d: object) -> str | None:
    if d is None:
        return None
    try:
        if pd.isna(d):
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(d).date().isoformat()


def chart_filename(kind: str, start: object, end: object) -> str:
    """A file name saying what and when: "canalyse_part-des-vues_2025-01-01_2025-03-31"."""
    slug = re.sub(r"\s+", "-", fold(kind)) or "graphique"
    days = [day for day in (_iso_day(start), _iso_day(end)) if day]
    if len(days) == 2 and days[0] == days[1]:
        days = days[:1]
    return "_".join(["canalyse", slug, *days])
