"""Decide: a stay-or-leave scorecard per network and a what-if simulator."""

import functools

import pandas as pd
import streamlit as st

from canalyse.analysis import decision, roi, simulator
from canalyse.charts.base import chart_filename, figure_config, summary_source_line
from canalyse.charts.decision import scorecard_bar
from canalyse.formatting import fmt_int, fmt_money, fmt_number, fmt_percent
from canalyse.i18n import t
from canalyse.output import decision as decision_tables
from canalyse.output.deck import deck_bytes, deck_filename
from canalyse.platforms import label
from pages import ui

lang = ui.frame()
filters = ui.current_filters()
ui.header(t("decision.title", lang), filters)
st.markdown(t("decision.intro", lang))

if ui.workspace_empty():
    st.info(t("decision.empty", lang))
    ui.page_link(ui.IMPORT, t("overview.empty.go_import", lang))
    st.stop()

cost = ui.cached(roi.hourly_cost)
table = ui.roi_table(filters, cost)
months = ui.query("decision_trend", filters)
trend = decision.trend_table(months)
rates = decision.rates_table(table, months)
summary = ui.query("overview", filters).iloc[0]
line = summary_source_line(ui.query("sources_used", filters), summary, lang)
period = (summary["date_min"], summary["date_max"])
platforms = table["platform"].tolist()

if not platforms:
    st.info(t("decision.no_platforms", lang))
    st.stop()

# ---- What we measured ----------------------------------------------------------------------------
st.subheader(t("decision.measured.heading", lang))
measured = decision_tables.measured_table(table, trend, lang)
ui.show_table(measured, key="measured_table")
ui.table_downloads(measured, chart_filename(t("decision.title", lang), *period), "measured")
window = int(trend["window"].max()) if len(trend) else 0
st.caption(
    t("decision.measured.trend_how", lang, months=window)
    if window
    else t("decision.measured.no_trend", lang)
)

# ---- What only we can judge ------------------------------------------------------------------------
st.subheader(t("decision.questions.heading", lang))
st.markdown(t("decision.questions.intro", lang))
answers = ui.cached(decision.load_answers)
with st.form("decision_answers"):
    st.caption(decision.answer_legend(lang))
    widths = [1.2] + [1] * len(decision.QUALITATIVE)
    header = st.columns(widths, vertical_alignment="bottom")
    header[0].caption(t("table.platform", lang))
    for column, criterion in zip(header[1:], decision.QUALITATIVE, strict=True):
        column.caption(
            decision.criterion_label(criterion, lang),
            help=decision.criterion_question(criterion, lang),
        )
    for platform in platforms:
        row = st.columns(widths, vertical_alignment="center")
        row[0].markdown(ui.plain(label(platform)))
        given = answers.get(platform, {})
        for column, criterion in zip(row[1:], decision.QUALITATIVE, strict=True):
            column.selectbox(
                f"{label(platform)} — {decision.criterion_question(criterion, lang)}",
                decision.ANSWERS,
                index=given.get(criterion, decision.NEUTRAL_ANSWER),
                key=f"answer_{platform}_{criterion}",
                label_visibility="collapsed",
            )
    if st.form_submit_button(
        t("decision.questions.save", lang), key="save_answers", disabled=not ui.can_edit()
    ):
        ui.write(
            decision.save_answers,
            {
                platform: {
                    criterion: st.session_state[f"answer_{platform}_{criterion}"]
                    for criterion in decision.QUALITATIVE
                }
                for platform in platforms
            },
        )
        st.rerun()

# ---- How much each criterion counts ------------------------------------------------------------------
weights = ui.cached(decision.load_weights)
with st.expander(t("decision.weights.heading", lang)):
    st.markdown(t("decision.weights.intro", lang, default=decision.DEFAULT_WEIGHT))
    with st.form("decision_weights"):
        measured_col, judged_col = st.columns(2)
        measured_col.markdown(f"**{t('decision.weights.measured', lang)}**")
        judged_col.markdown(f"**{t('decision.weights.judged', lang)}**")
        for criterion in decision.CRITERIA:
            column = measured_col if criterion in decision.MEASURED else judged_col
            column.slider(
                decision.criterion_label(criterion, lang),
                min_value=0,
                max_value=decision.MAX_WEIGHT,
                value=int(weights[criterion]),
                help=decision.criterion_question(criterion, lang),
                key=f"weight_{criterion}",
            )
        if st.form_submit_button(
            t("decision.weights.save", lang), key="save_weights", disabled=not ui.can_edit()
        ):
            ui.write(
                decision.save_weights,
                {c: st.session_state[f"weight_{c}"] for c in decision.CRITERIA},
            )
            st.rerun()

# ---- The scorecard -------------------------------------------------------------------------------------
st.subheader(t("decision.card.heading", lang))
card = decision.scorecard(table, trend, answers, weights, lang)
figure = scorecard_bar(card, lang, line)
name = chart_filename(t("decision.chart.filename", lang), *period)
st.plotly_chart(figure, theme=None, config=figure_config(name, figure), key="scorecard_chart")
ui.chart_downloads(figure, name, key="scorecard_image")
ui.download(
    st,
    t("deck.download", lang),
    functools.partial(deck_bytes, ui.db_path(), filters, lang, cost, card),
    deck_filename(filters, lang),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "deck_download",
    help=t("deck.download_help", lang),
    icon=":material/slideshow:",
    type="primary",
)
st.markdown(f"**{t('decision.card.reasons', lang)}**")
st.markdown(
    "\n".join(
        "- "
        + t(
            "decision.card.reason_line"
            if pd.notna(row.score)
            else "decision.card.reason_line_unscored",
            lang,
            platform=ui.plain(label(row.platform)),
            recommendation=ui.plain(
                f"{row.recommendation} ({t('decision.chart.answers_only', lang)})"
                if row.answers_only
                else row.recommendation
            ),
            score=fmt_int(row.score, lang),
            reasons=ui.plain(row.reasons),
        )
        for row in card.itertuples()
    )
)
st.markdown(f"**{t('decision.card.table', lang)}**")
scores = decision_tables.scorecard_display(card, lang)
ui.show_table(scores, key="scorecard_table")
ui.table_downloads(scores, name, "scorecard_table")
st.caption(t("decision.card.how", lang, keep=decision.KEEP_FROM, leave=decision.LEAVE_BELOW))
st.caption(t("decision.card.neutral", lang))

# ---- What if we left a network? ----------------------------------------------------------------------
st.subheader(t("decision.drop.heading", lang))
dropped = st.selectbox(
    t("decision.drop.platform", lang), platforms, format_func=label, key="drop_platform"
)
drop = simulator.simulate_drop(table, dropped)
lost_col, hours_col, cost_col = st.columns(3)
no_views = pd.isna(drop.views_lost)
lost_col.metric(
    t("decision.drop.views_lost", lang),
    t("views.none", lang) if no_views else fmt_int(drop.views_lost, lang),
    None
    if no_views
    else t("decision.drop.share", lang, share=fmt_percent(drop.share_of_views_lost, lang, 0)),
    delta_color="off",
    delta_arrow="off",
)
hours_col.metric(
    t("decision.drop.hours_freed", lang),
    fmt_number(drop.hours_freed, lang, 1),
    None
    if pd.isna(drop.share_of_hours_freed)
    else t(
        "decision.drop.share_hours", lang, share=fmt_percent(drop.share_of_hours_freed, lang, 0)
    ),
    delta_color="off",
    delta_arrow="off",
)
cost_col.metric(t("decision.drop.cost_freed", lang), fmt_money(drop.cost_freed, lang, 0))
if no_views:
    st.caption(ui.plain(t("decision.drop.no_views", lang, platform=label(dropped))))
st.caption(t("decision.drop.how", lang))

# ---- What if we moved hours? ---------------------------------------------------------------------------
st.subheader(t("decision.move.heading", lang))
st.markdown(t("decision.move.hypothesis", lang))
with_hours = rates.loc[rates["staff_hours"] > 0, "platform"].tolist()
if not with_hours:
    st.info(t("decision.move.no_hours", lang))
    st.stop()
source_col, hours_col = st.columns(2)
source = source_col.selectbox(
    t("decision.move.source", lang), with_hours, format_func=label, key="move_source"
)
per_month = rates.set_index("platform").loc[source, "hours_per_month"]
ceiling = None if pd.isna(per_month) else float(per_month)
# Half hours, written in the page's language (a number input would show 5.0 in French).
choices = simulator.hour_choices(ceiling)
moved = hours_col.select_slider(
    t("decision.move.hours_input", lang),
    choices,
    value=simulator.default_hours(choices),
    format_func=lambda hours: fmt_number(hours, lang, 1),
    key=f"move_hours_{source}",
    help=t("decision.move.hours_help", lang, hours=fmt_number(ceiling, lang, 1))
    if ceiling
    else None,
)
options = simulator.receivers(rates, source)
unable = [label(p) for p in platforms if p not in options and p != source]
if unable:
    st.caption(ui.plain(t("decision.move.cannot_receive", lang, platforms=", ".join(unable))))
destinations = st.multiselect(
    t("decision.move.destinations", lang),
    options,
    default=options[:1],
    format_func=label,
    placeholder=t("decision.move.destinations_placeholder", lang),
    select_all=False,
    key="move_destinations",
)
if not destinations:
    st.info(t("decision.move.choose", lang))
    st.stop()
even = 100 // len(destinations)
split = {}
for index, (column, platform) in enumerate(
    zip(st.columns(len(destinations)), destinations, strict=True)
):
    split[platform] = column.number_input(
        t("decision.move.share", lang, platform=label(platform)),
        min_value=0,
        max_value=100,
        value=even + (100 - even * len(destinations) if index == 0 else 0),
        step=5,
        key=f"move_split_{platform}",
    )
if sum(split.values()) != 100:
    st.warning(t("decision.move.split_total", lang, total=sum(split.values())))
    st.stop()
result = simulator.simulate_move(rates, source, moved, split)
lost, gained, net = simulator.rounded_figures(result)
lost_col, gained_col, net_col = st.columns(3)
unknown = t("decision.move.unknown", lang)
known_loss = pd.notna(lost.central)
for column, key, projected, signed in (
    (lost_col, "decision.move.lost", lost, False),
    (gained_col, "decision.move.gained", gained, False),
    (net_col, "decision.move.net", net, True),
):
    known = pd.notna(projected.central)
    column.metric(
        t(key, lang),
        decision_tables.approx(projected.central, lang, signed) if known else unknown,
        decision_tables.range_between(projected, lang, signed) if known else None,
        delta_color="off",
        delta_arrow="off",
    )
if not known_loss:
    st.caption(ui.plain(t("decision.move.source_no_views", lang, platform=label(source))))
moved = decision_tables.move_table(result, rates, lang)
ui.show_table(moved, key="move_table")
ui.table_downloads(moved, chart_filename(t("decision.move.heading", lang), *period), "move_table")
if (rates.set_index("platform").loc[[source, *destinations], "basis"] != "months").any():
    st.caption(t("decision.move.spread_note", lang))
st.caption(ui.plain(line))
