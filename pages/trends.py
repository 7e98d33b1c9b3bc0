"""Trends: views and followers over time, the user's events, and what changed around an event."""

import streamlit as st

from canalyse.analysis.events import (
    MAX_LABEL_LENGTH,
    MAX_PERIODS,
    add_event,
    compare_around,
    delete_event,
    list_events,
)
from canalyse.analysis.trends import (
    GRANULARITIES,
    default_granularity,
    followers_series,
    growth,
    period_label,
    views_series,
)
from canalyse.charts.base import chart_filename, figure_config, source_line
from canalyse.charts.trends import (
    before_after_chart,
    followers_chart,
    net_gains_chart,
    share_over_time_chart,
    views_over_time_chart,
)
from canalyse.formatting import fmt_date, fmt_int
from canalyse.i18n import t
from canalyse.output.trends import (
    before_after_table,
    comparison_text,
    event_options,
    events_table,
    excluded_text,
    growth_table,
)
from pages import ui

lang = ui.frame()
filters = ui.current_filters()
ui.header(t("nav.trends", lang), filters)


def _save_event() -> None:
    # A callback, so that the new event is in the store before the charts above are drawn.
    day, text = st.session_state.get("event_day"), st.session_state.get("event_label", "")
    if day is None or not text.strip():
        st.toast(t("trends.events.incomplete", lang), icon=":material/warning:")
        return
    ui.write(add_event, day, text)
    st.session_state["event_label"] = ""
    st.toast(t("trends.events.added", lang), icon=":material/check:")


def _delete_event() -> None:
    chosen = st.session_state.get(ui.scoped("event_to_delete"))
    if chosen is not None and ui.write(delete_event, int(chosen)):
        st.toast(t("trends.events.deleted", lang), icon=":material/delete:")


def _plotly(figure, name: str, start, end, key: str) -> None:
    filename = chart_filename(t(name, lang), start, end)
    st.plotly_chart(figure, theme=None, config=figure_config(filename, figure), key=key)
    ui.chart_downloads(figure, filename, key=f"{key}_image")


# ---- Empty workspace: what to import ------------------------------------------------------------
if ui.workspace_empty():
    st.info(t("trends.empty.workspace", lang))
    ui.page_link(ui.IMPORT, t("trends.empty.go_import", lang))
    st.stop()

st.caption(t("trends.intro", lang))
views = ui.query("views_by_period", filters)
events = ui.cached(list_events)
sources = ui.query("sources_used", filters)
undated = int(ui.query("overview", filters).iloc[0]["undated_rows"])

if views.empty:
    st.info(t("trends.empty.no_dated", lang))
    ui.page_link(ui.IMPORT, t("trends.empty.go_import", lang))
else:
    # ---- Views over time ---------------------------------------------------------------------------
    st.subheader(t("trends.section.views", lang))
    picker, smoothing, span = st.columns([2, 1, 1], vertical_alignment="bottom")
    granularity = picker.segmented_control(
        t("trends.granularity", lang),
        GRANULARITIES,
        default=default_granularity(views),
        format_func=lambda g: t(f"trends.granularity.{g}", lang),
        key="trends_granularity",
    ) or default_granularity(views)
    rolling = smoothing.checkbox(
        t("trends.rolling", lang), key="trends_rolling", help=t("trends.rolling_help", lang)
    )
    series = views_series(views, granularity)
    # By default the most recent stretch of data: older figures separated by a gap would stretch
    # the axis over years of nothing.
    stretch = series.recent_stretch()
    older = stretch is not None and stretch[0] > series.series["period"].min()
    whole = older and span.toggle(
        t("trends.whole_period", lang), key="trends_whole_period", help=t("trends.whole_help", lang)
    )
    if older and not whole:
        series = series.since(stretch[0])
    first_day, last_day = series.first_day, series.last_day
    if first_day is None:
        first_day, last_day = views["period_start"].min(), views["period_end"].max()
    line = source_line(sources, lang, first_day, last_day)
    if older and not whole:
        st.caption(
            t(
                "trends.stretch_shown",
                lang,
                since=period_label(stretch[0], granularity, lang),
                first=fmt_date(views["period_start"].min(), lang),
            )
        )
    if series.empty:
        st.info(t("trends.empty.no_fit", lang))
    else:
        figure = views_over_time_chart(series, lang, line, rolling=rolling, events=events)
        _plotly(figure, "trends.filename.views", first_day, last_day, "trends_views_chart")
    if series.partial_periods:
        st.caption(
            t(
                "trends.partial_left_off",
                lang,
                count=series.partial_periods,
                points=fmt_int(series.partial_periods, lang),
            )
        )
    if series.left_out_rows:
        st.caption(
            t(
                "trends.left_out",
                lang,
                count=series.left_out_rows,
                rows=fmt_int(series.left_out_rows, lang),
                views=fmt_int(series.left_out_views, lang),
            )
        )
    if undated:
        st.caption(t("trends.undated", lang, count=undated, rows=fmt_int(undated, lang)))

    if not series.empty:
        # ---- Share of views over time ----------------------------------------------------------------
        st.subheader(t("trends.section.share", lang))
        figure = share_over_time_chart(series, lang, line, events=events)
        _plotly(figure, "trends.filename.share", first_day, last_day, "trends_share_chart")

        # ---- Period-over-period growth ---------------------------------------------------------------
        st.subheader(t("trends.section.growth", lang))
        change = growth(series)
        if change is None:
            st.info(t("trends.growth.none", lang))
        else:
            st.caption(
                t(
                    "trends.growth.caption",
                    lang,
                    current=period_label(change.current, granularity, lang),
                    previous=period_label(change.previous, granularity, lang),
                )
            )
            shown = growth_table(change, granularity, lang)
            ui.show_table(shown, key="growth_table")
            ui.table_downloads(
                shown, chart_filename(t("trends.section.growth", lang), None, None), "growth"
            )
            if change.skipped_partial is not None:
                st.caption(
                    t(
                        "trends.growth.partial",
                        lang,
                        period=period_label(change.skipped_partial, granularity, lang),
                        day=fmt_date(series.last_day, lang),
                    )
                )

    # ---- Followers -----------------------------------------------------------------------------------
    st.subheader(t("trends.section.followers", lang))
    followers = followers_series(
        ui.query("followers_by_day", filters, granularity=granularity), granularity
    )
    if older and not whole:
        followers = followers.since(stretch[0])
    if followers.levels.empty and followers.net_gains.empty:
        st.info(t("trends.followers.none", lang))
    if not followers.levels.empty:
        figure = followers_chart(followers, lang, line, events=events)
        _plotly(figure, "trends.filename.followers", first_day, last_day, "trends_followers_chart")
    if not followers.net_gains.empty:
        figure = net_gains_chart(followers, lang, line, events=events)
        _plotly(figure, "trends.filename.net", first_day, last_day, "trends_net_chart")
        st.caption(t("trends.net.caption", lang))

# ---- Events ----------------------------------------------------------------------------------------
st.subheader(t("trends.section.events", lang))
st.caption(t("trends.events.intro", lang))
with st.form("event_form", border=True):
    day_col, label_col = st.columns([1, 3])
    day_col.date_input(
        t("trends.events.day", lang),
        value=None,
        format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
        key="event_day",
    )
    label_col.text_input(
        t("trends.events.label", lang),
        max_chars=MAX_LABEL_LENGTH,
        placeholder=t("trends.events.placeholder", lang),
        key="event_label",
    )
    st.form_submit_button(t("trends.events.add", lang), on_click=_save_event, key="event_add")

if events.empty:
    st.caption(t("trends.events.none", lang))
else:
    st.dataframe(events_table(events, lang), hide_index=True, key="events_table")
    options = event_options(events, lang)
    remove_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    remove_col.selectbox(
        t("trends.events.choose_delete", lang),
        list(options),
        format_func=options.get,
        key=ui.scoped("event_to_delete"),
    )
    button_col.button(t("trends.events.delete", lang), on_click=_delete_event, key="event_delete")

# ---- Before and after an event ---------------------------------------------------------------------
st.subheader(t("trends.section.before_after", lang))
if events.empty:
    st.info(t("trends.before_after.no_events", lang))
elif views.empty:
    st.info(t("trends.before_after.no_data", lang))
else:
    options = event_options(events, lang)
    event_col, mode_col, days_col = st.columns([3, 2, 1], vertical_alignment="bottom")
    chosen = event_col.selectbox(
        t("trends.before_after.event", lang),
        list(options),
        index=len(options) - 1,
        format_func=options.get,
        key="before_after_event",
    )
    custom = mode_col.toggle(
        t("trends.before_after.custom", lang),
        key="before_after_custom",
        help=t("trends.before_after.custom_help", lang),
    )
    event_day, event_label = events.set_index("event_id").loc[chosen, ["day", "label"]]
    # Cached per workspace stamp like the queries (a rerun for another widget does not compare
    # again), from the views the charts above drew: the query is not run a second time.
    result = ui.on_query(compare_around, "views_by_period", filters, event_day, None, None)
    if custom and result.grain is not None:
        periods = days_col.number_input(
            t(f"trends.before_after.periods.{result.grain}", lang),
            min_value=1,
            max_value=3 * MAX_PERIODS[result.grain],
            value=result.periods,
            step=1,
            key=f"before_after_periods_{result.grain}",
        )
        result = ui.on_query(
            compare_around, "views_by_period", filters, event_day, int(periods), result.grain
        )
    if result.grain is None:
        st.info(t("trends.before_after.nothing_compared", lang))
    elif result.compared.empty:
        st.info(t("trends.before_after.nothing_in_window", lang))
    else:
        st.caption(comparison_text(result, lang) + ". " + excluded_text(result, lang))
        start_before, _, _, end_after = result.windows
        figure = before_after_chart(
            result, event_label, lang, source_line(sources, lang, start_before, end_after)
        )
        _plotly(figure, "trends.filename.before_after", start_before, end_after, "ba_chart")
    # A static table: its notes are sentences, which a scrolling grid would cut.
    compared = before_after_table(result, lang)
    st.table(compared.display(lang).set_index(t("trends.growth.platform", lang)))
    ui.table_downloads(
        compared,
        chart_filename(t("trends.filename.before_after", lang), None, None),
        "before_after",
    )
    st.caption(t("trends.before_after.method", lang))
