"""Campaigns: compare campaigns side by side, save campaigns as date ranges, tag past imports."""

import streamlit as st

from canalyse.analysis import roi
from canalyse.analysis.campaigns import (
    MAX_COMPARED,
    add_campaign_range,
    campaign_names,
    campaign_ranges,
    campaign_totals,
    compare_campaigns,
    delete_campaign_range,
    tag_source,
    tagged_sources,
    workspace_days,
)
from canalyse.charts.base import chart_filename, figure_config
from canalyse.charts.campaigns import cost_per_1000_bar, views_by_campaign_bar
from canalyse.errors import CanalyseError
from canalyse.formatting import fmt_money, fmt_period
from canalyse.i18n import t
from canalyse.output.campaigns import comparison_source, comparison_table
from pages import ui

_NOTICE = "campaigns_notice"


# ---- Actions (run before the page redraws, so that everything below shows their result) -------
def _changed(section: str, kind: str, text: str) -> None:
    st.session_state[_NOTICE] = (section, kind, text)


def _add_range(lang: str) -> None:
    state = st.session_state
    try:
        name = ui.write(
            add_campaign_range, state["range_name"], state["range_start"], state["range_end"]
        )
    except CanalyseError as error:
        _changed("ranges", "error", error.message(lang))
        return
    state["range_name"] = ""
    _changed("ranges", "success", t("campaigns.ranges.added", lang, name=name))


def _delete_range(lang: str) -> None:
    name = st.session_state["range_delete_choice"]
    ui.write(delete_campaign_range, name)
    _changed("ranges", "success", t("campaigns.ranges.deleted", lang, name=name))


def _tag(source_id: int, file_name: str, lang: str) -> None:
    name = st.session_state[f"tag_name_{source_id}"].strip()
    try:
        count = ui.write(tag_source, source_id, name)
    except CanalyseError as error:
        _changed("tag", "error", error.message(lang))
        return
    key = "campaigns.tag.done" if name else "campaigns.tag.cleared"
    _changed("tag", "success", t(key, lang, file=file_name, count=count, name=name))


def _notice(section: str) -> None:
    """The outcome of the last action, shown once, in its own section."""
    notice = st.session_state.get(_NOTICE)
    if notice and notice[0] == section:
        del st.session_state[_NOTICE]
        (st.success if notice[1] == "success" else st.error)(ui.plain(notice[2]))


lang = ui.frame()
filters = ui.current_filters()
ui.header(t("nav.campaigns", lang), filters)
st.caption(t("campaigns.intro", lang))

# ---- Compare campaigns ------------------------------------------------------------------------
st.subheader(t("campaigns.compare.title", lang))
names = ui.cached(campaign_names)
if not names:
    st.info(t("campaigns.empty", lang))
elif len(names) < 2:
    st.info(t("campaigns.compare.only_one", lang))
else:
    chosen = st.multiselect(
        t("campaigns.compare.choose", lang),
        names,
        default=names[:MAX_COMPARED],
        max_selections=MAX_COMPARED,
        placeholder=t("campaigns.compare.placeholder", lang),
        help=t("campaigns.compare.help", lang, max=MAX_COMPARED),
        select_all=False,
        key="compare_campaigns",
    )
    st.caption(t("campaigns.compare.filters_note", lang))
    if len(chosen) < 2:
        st.info(t("campaigns.compare.need_two", lang))
    else:
        comparison = ui.cached(compare_campaigns, filters, tuple(chosen))
        totals = campaign_totals(comparison, chosen)
        line, start, end = ui.cached(comparison_source, filters, tuple(chosen), lang)
        if not (totals["views"] > 0).any():
            st.warning(t("campaigns.compare.no_views", lang))
        else:
            figure = views_by_campaign_bar(comparison, totals, lang, line)
            name = chart_filename(t("campaigns.chart.views.filename", lang), start, end)
            st.plotly_chart(
                figure, theme=None, config=figure_config(name, figure), key="campaign_views_chart"
            )
            ui.chart_downloads(figure, name, key="campaign_views_image")
        if totals["cost_per_1000_views"].notna().any():
            figure = cost_per_1000_bar(totals, lang, line)
            name = chart_filename(t("campaigns.chart.cost.filename", lang), start, end)
            st.plotly_chart(
                figure, theme=None, config=figure_config(name, figure), key="campaign_cost_chart"
            )
            ui.chart_downloads(figure, name, key="campaign_cost_image")
        else:
            st.info(t("campaigns.compare.no_cost", lang))
        st.markdown(f"**{t('campaigns.table.title', lang)}**")
        shown = comparison_table(comparison, totals, lang)
        ui.show_table(shown, key="campaign_table", height="content")
        ui.table_downloads(
            shown, chart_filename(t("campaigns.table.title", lang), start, end), "campaign_table"
        )
        cost = fmt_money(ui.cached(roi.hourly_cost), lang)
        st.caption(t("campaigns.compare.hourly_cost", lang, cost=cost))
        st.caption(ui.plain(line))

# ---- Campaigns defined by a date range -----------------------------------------------------------
st.subheader(t("campaigns.ranges.title", lang))
st.caption(t("campaigns.ranges.intro", lang))
_notice("ranges")
ranges = ui.cached(campaign_ranges)
if ranges.empty:
    st.caption(t("campaigns.ranges.none", lang))
else:
    st.dataframe(
        {
            t("campaigns.ranges.name", lang): ranges["name"].tolist(),
            t("campaigns.ranges.period", lang): [
                fmt_period(a, b, lang)
                for a, b in zip(ranges["range_start"], ranges["range_end"], strict=True)
            ],
        },
        hide_index=True,
        key="ranges_table",
    )
first_day, last_day = ui.cached(workspace_days)
with st.form("range_form"):
    name_col, start_col, end_col = st.columns([2, 1, 1])
    name_col.text_input(t("campaigns.ranges.name", lang), key="range_name")
    date_format = "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"
    start_col.date_input(
        t("campaigns.ranges.start", lang), value=first_day, format=date_format, key="range_start"
    )
    end_col.date_input(
        t("campaigns.ranges.end", lang), value=last_day, format=date_format, key="range_end"
    )
    st.form_submit_button(
        t("campaigns.ranges.add", lang), on_click=_add_range, args=(lang,), key="range_add"
    )
if not ranges.empty:
    with st.form("range_delete_form"):
        st.selectbox(
            t("campaigns.ranges.delete_choice", lang),
            ranges["name"].tolist(),
            format_func=ui.plain,
            key="range_delete_choice",
        )
        st.form_submit_button(
            t("campaigns.ranges.delete", lang),
            on_click=_delete_range,
            args=(lang,),
            key="range_delete",
        )

# ---- Tag a past import ----------------------------------------------------------------------------
st.subheader(t("campaigns.tag.title", lang))
st.caption(t("campaigns.tag.intro", lang))
_notice("tag")
sources = ui.cached(tagged_sources)
if sources.empty:
    st.caption(t("campaigns.tag.none", lang))
else:
    files = dict(zip(sources["source_id"], sources["file_name"], strict=True))
    tags = {
        source_id: ", ".join(campaigns) or t("campaigns.tag.untagged", lang)
        for source_id, campaigns in zip(sources["source_id"], sources["campaigns"], strict=True)
    }
    source_id = st.selectbox(
        t("campaigns.tag.choice", lang),
        list(files),
        format_func=lambda sid: f"#{sid} — {files[sid]} ({tags[sid]})",
        key="tag_choice",
    )
    current = sources.set_index("source_id").loc[source_id]
    # One text box per import, so that choosing another import shows its own campaign.
    st.text_input(
        t("campaigns.tag.name", lang),
        value=current["current_tag"],
        key=f"tag_name_{source_id}",
    )
    st.button(
        t("campaigns.tag.submit", lang),
        on_click=_tag,
        args=(int(source_id), files[source_id], lang),
        key="tag_submit",
    )
