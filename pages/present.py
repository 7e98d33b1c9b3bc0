"""Presentation mode: one chart per screen, large type, no chrome, for screen sharing and slides."""

import streamlit as st

from canalyse import store
from canalyse.analysis import roi
from canalyse.charts.base import chart_filename, figure_config
from canalyse.i18n import t
from canalyse.output.presentation import for_screen, pick, slide_figures
from pages import ui

lang = ui.frame(sidebar="collapsed")
filters = ui.current_filters()

if store.is_empty(ui.cursor()):
    st.info(t("present.empty", lang))
    st.stop()

# ---- Which chart ------------------------------------------------------------------------------------
figures = ui.cached(slide_figures, filters, lang, ui.cached(roi.hourly_cost))
if st.session_state.get("present_slide") not in figures:
    st.session_state["present_slide"] = next(iter(figures))


def _step(step: int) -> None:
    st.session_state["present_slide"] = pick(figures, st.session_state["present_slide"], step)


back, choice, forward = st.columns([1, 6, 1], vertical_alignment="bottom")
back.button("◀", key="present_back", on_click=_step, args=(-1,), help=t("present.back", lang))
choice.selectbox(
    t("present.choose", lang),
    list(figures),
    format_func=lambda name: t(f"present.slide.{name}", lang),
    key="present_slide",
    label_visibility="collapsed",
)
forward.button("▶", key="present_next", on_click=_step, args=(1,), help=t("present.next", lang))

# ---- The chart, large --------------------------------------------------------------------------------
name = st.session_state["present_slide"]
filename = chart_filename(t(f"present.slide.{name}", lang), filters.start, filters.end)
shown = for_screen(figures[name])
st.plotly_chart(shown, theme=None, config=figure_config(filename, shown), key="present_chart")
ui.filters_caption(filters)
st.caption(t("present.hint", lang))
ui.all_charts_download(
    {
        chart_filename(t(f"present.slide.{key}", lang), filters.start, filters.end): figure
        for key, figure in figures.items()
    },
    chart_filename(t("nav.present", lang), filters.start, filters.end),
    "present_all_charts",
)
