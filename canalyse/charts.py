"""Chart builders: Plotly figures meant to go straight into a slide for elected officials.

Every figure uses the one "canalyse" template, states its finding in the title, and carries its
source line inside the figure so that a PNG never loses it. Builders are pure: they take a
DataFrame and a language and return a figure; pages only render it, with `theme=None` so that
Streamlit does not repaint it, and `config=figure_config(...)`.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from canalyse.formatting import fmt_int, fmt_percent, fmt_period, plotly_separators
from canalyse.i18n import t
from canalyse.platforms import colour, fold, label

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

_REQUIRED_SHARE_COLUMNS = ("platform", "views", "share_of_views")


def template() -> go.layout.Template:
    """The "canalyse" Plotly template (registered in `plotly.io.templates` on first use)."""
    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = _build_template()
    return pio.templates[TEMPLATE_NAME]


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


def plain(text: object) -> str:
    """Text from files (names, sources) shown literally: Plotly would read tags in it as markup."""
    return html.escape(str(text), quote=False)


def source_line(source: str, start: object, end: object, lang: str) -> str:
    """The line under a chart: « Source : campagne_crue.xlsx · du 01/01/2025 au 31/03/2025 »."""
    period = fmt_period(start, end, lang)
    if period:
        return t("chart.source_with_period", lang, source=source, period=period)
    return t("chart.source", lang, source=source)


def summary_source_line(source: str, summary: pd.Series, lang: str) -> str:
    """The source line of figures `queries/overview.sql` sums up (date_min, date_max,
    undated_rows): when undated summaries count too, the period does not cover them all, and the
    line says so (« Source : … · du 01/01/2025 au 31/12/2025, et des bilans sans dates »)."""
    line = source_line(source, summary["date_min"], summary["date_max"], lang)
    dated = fmt_period(summary["date_min"], summary["date_max"], lang)
    if dated and int(summary.get("undated_rows", 0) or 0) > 0:
        line += t("chart.source.undated", lang)
    return line


def share_of_views_bar(df: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Horizontal bars of views per platform, largest on top, titled with the leading platform.

    `df` has one row per platform: `platform` (id), `views` and `share_of_views` (0–1).
    Raises ValueError when there is nothing to draw, so callers show an empty state instead.
    """
    missing = [c for c in _REQUIRED_SHARE_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"share_of_views_bar needs columns {missing}")
    if df.empty:
        raise ValueError("share_of_views_bar needs at least one platform")
    if df["platform"].duplicated().any():
        raise ValueError("share_of_views_bar needs one row per platform")

    ranked = df.sort_values(
        ["views", "platform"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
    top = ranked.iloc[0]
    title = t(
        "chart.share_of_views.title",
        lang,
        platform=plain(label(top["platform"])),
        share=fmt_percent(top["share_of_views"], lang, decimals=0),
    )

    # Plotly draws the first category at the bottom: reverse so the largest bar is on top.
    drawn = ranked.iloc[::-1]
    names = [plain(label(p)) for p in drawn["platform"]]
    value_labels = [
        # The leading no-break spaces keep the label off the end of its bar.
        f"{LABEL_GAP}{fmt_int(views, lang)} · {fmt_percent(share, lang, decimals=0)}"
        for views, share in zip(drawn["views"], drawn["share_of_views"], strict=True)
    ]
    hover = [
        f"<b>{name}</b><br>"
        + t(
            "chart.share_of_views.hover",
            lang,
            views=fmt_int(views, lang),
            share=fmt_percent(share, lang, decimals=1),
        )
        for name, views, share in zip(names, drawn["views"], drawn["share_of_views"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=drawn["views"].fillna(0).tolist(),
            y=names,
            orientation="h",
            marker_color=[colour(p) for p in drawn["platform"]],
            text=value_labels,
            textposition="outside",
            textfont=dict(size=17, color=TEXT_COLOUR),
            # Keep labels full size and let them overflow the plot rather than shrink or vanish.
            constraintext="none",
            cliponaxis=False,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )

    finish_bar_figure(
        fig,
        lang,
        title=title,
        subtitle=t("chart.share_of_views.subtitle", lang),
        source=source,
        categories=ranked["platform"].map(label).tolist(),
        x_range=[0, x_max(ranked["views"], value_labels)],
    )
    return fig


def finish_bar_figure(
    fig: go.Figure,
    lang: str,
    *,
    title: str,
    subtitle: str,
    source: str,
    categories: list[str],
    x_range: list[float],
    bar_slots: int | None = None,
    note: str | None = None,
    top: int = 110,
) -> None:
    """Lay out a horizontal bar chart the Canalyse way: finding as title, source line at the foot.

    `categories` are the y labels (their length sets the left margin); `bar_slots` the height in
    bars (default: one per category, at least four so that few bars are not drawn as blocks).
    `note` is a second line under the subtitle for what the finding leaves aside (« Sans vues
    publiées : Bluesky »). A long title wraps: the chart grows, nothing is cut.
    """
    bars = len(categories)
    # Fewer than four categories would each be drawn as a thick block: reserve room for four
    # and centre the ones there are. Grouped bars take more height, not more padding.
    slots = max(bar_slots or bars, 4)
    padding = (max(bars, 4) - bars) / 2
    longest_name = max(len(name) for name in categories)
    left_margin = EDGE + 10 * longest_name + 16
    wrapped = wrap_title(title)
    lines = [subtitle, *([note] if note else [])]
    subtitle_text = "<br>".join(wrap_title(line, TITLE_CHARS + 20) for line in lines)
    extra = TITLE_LINE * wrapped.count("<br>") + SUBTITLE_LINE * subtitle_text.count("<br>")
    fig.update_layout(
        template=template(),
        title=dict(text=wrapped, subtitle=dict(text=subtitle_text)),
        separators=plotly_separators(lang),
        height=top + 10 + 70 + 56 * slots + extra,
        margin=dict(l=left_margin, t=top + extra, b=70),
        xaxis=dict(visible=False, range=x_range, fixedrange=True),
        yaxis=dict(
            showgrid=False,
            tickfont=dict(size=18, color=TEXT_COLOUR),
            ticklabelstandoff=10,
            range=[-0.5 - padding, bars - 0.5 + padding],
            fixedrange=True,
        ),
        annotations=[source_annotation(source, left_margin)],
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


def x_max(views: pd.Series, value_labels: list[str]) -> float:
    """Right end of the value axis, leaving room for the longest label after the longest bar."""
    largest = float(views.max()) if views.notna().any() else 0.0
    if largest <= 0:
        return 1.0
    # About 9.5 px per character at 17 px, measured against a ~600 px plot (a Streamlit column):
    # wider screens and the 1100 px export then only get more room. At least the 25 % a short
    # label needs, at most a bit over half so that the bars stay the main thing.
    label_share = (24 + 9.5 * max(len(text) for text in value_labels)) / 600
    headroom = min(max(label_share, 0.2), 0.55)
    return largest / (1 - headroom)


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
