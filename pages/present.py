"""Presentation mode: one chart per screen, large type, no chrome, for screen sharing and slides."""

import functools

import streamlit as st

from canalyse.analysis import roi
from canalyse.charts.base import chart_filename, figure_config
from canalyse.i18n import t
from canalyse.output.presentation import (
    available_slides,
    for_screen,
    pick,
    slide_figure,
    slide_filename,
    slides_zip,
)
from pages import ui

lang = ui.frame(sidebar="collapsed")
filters = ui.current_filters()

if ui.workspace_empty():
    st.info(t("present.empty", lang))
    st.stop()

# ---- Which chart ------------------------------------------------------------------------------------
cost = ui.cached(roi.hourly_cost)
slides = ui.cached(available_slides, filters, lang, cost)
if not slides:
    st.info(t("present.nothing", lang))
    ui.filters_caption(filters)
    st.stop()
if st.session_state.get("present_slide") not in slides:
    st.session_state["present_slide"] = slides[0]


def _step(step: int) -> None:
    st.session_state["present_slide"] = pick(slides, st.session_state["present_slide"], step)


back, choice, forward = st.columns([1, 6, 1], vertical_alignment="bottom")
back.button("◀", key="present_back", on_click=_step, args=(-1,), help=t("present.back", lang))
choice.selectbox(
    t("present.choose", lang),
    slides,
    format_func=lambda name: t(f"present.slide.{name}", lang),
    key="present_slide",
    label_visibility="collapsed",
)
forward.button("▶", key="present_next", on_click=_step, args=(1,), help=t("present.next", lang))

# ---- The chart, large (only the one shown is drawn) ----------------------------------------------
name = st.session_state["present_slide"]
filename = slide_filename(name, filters, lang)
shown = for_screen(ui.cached(slide_figure, filters, lang, cost, name))
st.plotly_chart(shown, theme=None, config=figure_config(filename, shown), key="present_chart")
ui.filters_caption(filters)
st.caption(t("present.hint", lang))
# Every slide is drawn only when the zip is asked for, in a read of its own: the run is over then.
ui.charts_zip_download(
    functools.partial(slides_zip, ui.db_path(), filters, lang, cost),
    chart_filename(t("nav.present", lang), filters.start, filters.end),
    "present_all_charts",
)
