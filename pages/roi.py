"""Return on investment: our staff time and money beside the views each network brought."""

import streamlit as st

from canalyse.analysis import efforts, roi
from canalyse.analysis.efforts import format_amount
from canalyse.charts.base import chart_filename, figure_config, summary_source_line
from canalyse.charts.roi import cost_per_1000_views_bar, hours_vs_views_bar
from canalyse.errors import CanalyseError
from canalyse.formatting import fmt_money
from canalyse.i18n import t
from canalyse.output.roi import roi_display_table
from canalyse.platforms import PLATFORMS, label
from pages import ui

lang = ui.frame()
filters = ui.current_filters()
ui.header(t("roi.title", lang), filters)
st.markdown(t("roi.intro", lang))

if ui.workspace_empty():
    st.info(t("roi.empty", lang))
    ui.page_link(ui.IMPORT, t("overview.empty.go_import", lang))
    st.stop()

# ---- The cost of an hour -------------------------------------------------------------------------
cost = ui.cached(roi.hourly_cost)
with st.expander(t("roi.costs.title", lang, cost=fmt_money(cost, lang))):
    with st.form("hourly_cost_form"):
        # Text, read in the page's language: a number input would show 35.00 and take no comma.
        typed_cost = st.text_input(
            t("roi.costs.default", lang),
            value=format_amount(cost, lang, 2),
            key="hourly_cost",
            help=t("roi.efforts.amount_help", lang),
        )
        st.caption(t("roi.costs.override_help", lang))
        overrides = st.data_editor(
            ui.cached(roi.costs_frame, lang),
            column_config={
                "id": None,
                "platform": st.column_config.TextColumn(t("table.platform", lang), disabled=True),
                "cost": st.column_config.TextColumn(
                    t("roi.costs.override", lang), help=t("roi.efforts.amount_help", lang)
                ),
            },
            hide_index=True,
            key="platform_costs",
        )
        if st.form_submit_button(
            t("roi.costs.save", lang), key="save_costs", disabled=not ui.can_edit()
        ):
            try:
                new_cost = roi.parse_cost(typed_cost, lang)
                own = roi.costs_from_frame(overrides, lang)
            except CanalyseError as refused:
                st.error(ui.plain(refused.message(lang)))
            else:
                with ui.writer() as con:
                    roi.set_hourly_cost(con, cost if new_cost is None else new_cost)
                    roi.set_platform_costs(con, own)
                st.rerun()

# ---- Staff hours and ad spend typed here ---------------------------------------------------------
typed = ui.cached(efforts.current_efforts, lang)
with st.expander(t("roi.efforts.title", lang), expanded=typed.empty):
    st.markdown(t("roi.efforts.intro", lang))
    with st.form("efforts_form"):
        edited = st.data_editor(
            typed,
            num_rows="dynamic",
            column_config={
                "month": st.column_config.TextColumn(t("roi.efforts.month", lang), required=True),
                "platform": st.column_config.SelectboxColumn(
                    t("table.platform", lang),
                    options=[p.label for p in PLATFORMS.values()],
                    required=True,
                ),
                "campaign": st.column_config.TextColumn(t("history.campaign", lang)),
                # Text, read in the page's language: a number column would take "12,5" for 125.
                "staff_hours": st.column_config.TextColumn(
                    t("roi.efforts.hours", lang), help=t("roi.efforts.amount_help", lang)
                ),
                "spend": st.column_config.TextColumn(
                    t("roi.efforts.spend", lang), help=t("roi.efforts.amount_help", lang)
                ),
            },
            hide_index=True,
            key="efforts_editor",
        )
        if st.form_submit_button(
            t("roi.efforts.save", lang),
            key="save_efforts",
            type="primary",
            disabled=not ui.can_edit(),
        ):
            report = ui.write(efforts.save_efforts, edited, lang)
            if report.status == "error":
                st.error(ui.plain(report.message))
            else:
                st.rerun()

# ---- Our time beside our reach -----------------------------------------------------------------
table = ui.roi_table(filters, cost)
summary = ui.query("overview", filters).iloc[0]
line = summary_source_line(ui.query("sources_used", filters), summary, lang)
period = (summary["date_min"], summary["date_max"])

st.subheader(t("roi.hours.heading", lang))
figures = {}
if roi.has_staff_hours(table):
    figure = hours_vs_views_bar(table, lang, line)
    name = chart_filename(t("roi.chart.hours.filename", lang), *period)
    st.plotly_chart(figure, theme=None, config=figure_config(name, figure), key="hours_chart")
    ui.chart_downloads(figure, name, key="hours_image")
    figures[name] = figure
else:
    st.info(t("roi.hours.none", lang))

# ---- What 1 000 views cost ---------------------------------------------------------------------------
st.subheader(t("roi.cost.heading", lang))
if roi.has_cost_per_view(table):
    figure = cost_per_1000_views_bar(table, lang, line)
    name = chart_filename(t("roi.chart.cost.filename", lang), *period)
    st.plotly_chart(figure, theme=None, config=figure_config(name, figure), key="cost_chart")
    st.caption(t("roi.cost.how", lang, cost=fmt_money(cost, lang)))
    ui.chart_downloads(figure, name, key="cost_image")
    figures[name] = figure
else:
    st.info(t("roi.cost.none", lang))

# ---- Every figure ---------------------------------------------------------------------------------------
st.subheader(t("roi.table.heading", lang))
every_figure = roi_display_table(table, lang)
ui.show_table(every_figure, key="roi_table")
ui.table_downloads(every_figure, chart_filename(t("roi.table.heading", lang), *period), "roi")
without_views = [label(p) for p in table.loc[table["views"].isna(), "platform"]]
if without_views:
    st.caption(ui.plain(t("roi.table.no_views", lang, platforms=", ".join(without_views))))
st.caption(ui.plain(line))
ui.all_charts_download(figures, chart_filename(t("nav.roi", lang), *period), "roi_all_charts")
