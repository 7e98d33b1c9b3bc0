"""Overview: total views, the share of views per platform, and a per-platform table."""

import streamlit as st

from canalyse.analysis.findings import uneven_periods
from canalyse.charts.base import chart_filename, figure_config, summary_source_line
from canalyse.charts.overview import share_of_views_bar
from canalyse.formatting import fmt_int
from canalyse.i18n import t
from canalyse.importing.pipeline import import_files
from canalyse.output.overview import (
    account_overlap_lines,
    figure_origins,
    period_text,
    platform_table,
    set_aside_lines,
)
from canalyse.samples import example_files
from pages import ui

lang = ui.frame()
filters = ui.current_filters()
ui.header(t("overview.title", lang), filters)

# ---- Empty workspace: a friendly start -------------------------------------------------------
if ui.workspace_empty():
    st.info(t("overview.empty.intro", lang))
    st.markdown(t("overview.empty.steps", lang))
    if st.button(
        t("overview.empty.load_example", lang),
        key="load_example",
        type="primary",
        disabled=not ui.can_edit(),
    ):
        with st.spinner(t("overview.empty.loading", lang)):
            ui.write(import_files, example_files(), lang=lang, kind="example")
        st.rerun()
    ui.page_link(ui.IMPORT, t("overview.empty.go_import", lang))
    st.stop()

# ---- Key figures -------------------------------------------------------------------------------
summary = ui.query("overview", filters).iloc[0]
shares = ui.query("share_of_views", filters)
totals = ui.query("platform_totals", filters)
line = summary_source_line(ui.query("sources_used", filters), summary, lang)

views_col, platforms_col, period_col = st.columns([1, 1, 2])
views_col.metric(t("overview.kpi.views", lang), fmt_int(summary["total_views"], lang))
platforms_col.metric(t("overview.kpi.platforms", lang), int(summary["platforms"]))
period = period_text(summary["date_min"], summary["date_max"], lang, compact=True)
period_col.metric(t("overview.kpi.period", lang), period)

# ---- Share of views ----------------------------------------------------------------------------
if shares.empty:
    st.warning(t("overview.no_views", lang))
else:
    uneven = uneven_periods(totals, lang)
    figure = share_of_views_bar(shares, lang, line, note=uneven)
    filename = chart_filename(
        t("chart.share_of_views.filename", lang), summary["date_min"], summary["date_max"]
    )
    st.plotly_chart(
        figure, theme=None, config=figure_config(filename, figure), key="share_of_views_chart"
    )
    ui.chart_downloads(figure, filename, key="share_of_views_image")
    if uneven:
        st.warning(t("chart.share_of_views.uneven.filter", lang), icon=":material/date_range:")

# ---- Per platform --------------------------------------------------------------------------------
st.subheader(t("overview.table.title", lang))
per_platform = platform_table(totals, lang)
ui.show_table(per_platform, key="platform_table")
ui.table_downloads(
    per_platform,
    chart_filename(t("overview.table.title", lang), summary["date_min"], summary["date_max"]),
    "totals",
)
st.caption(ui.plain(line))
# ---- Where the figures come from, and what was set aside so that nothing counts twice ------------
for warning in account_overlap_lines(ui.query("account_overlaps", filters), lang):
    st.warning(ui.plain(warning), icon=":material/warning:")
set_aside = ui.query("set_aside", filters)
if not set_aside.empty:
    st.caption(t("counting.set_aside_hint", lang))
with st.expander(t("origin.title", lang)):
    st.markdown(t("origin.rule", lang))
    for origin in figure_origins(ui.query("figures_by_grain", filters), lang):
        st.markdown(f"- {ui.plain(origin)}")
    for line in set_aside_lines(set_aside, lang):
        st.markdown(f"- {ui.plain(line)}")
