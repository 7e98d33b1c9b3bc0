"""Import: upload exports or hand-made tables, or read an account's public posts; see what was
recognised, manage past imports."""

import pandas as pd
import streamlit as st

from canalyse import store
from canalyse.i18n import t
from canalyse.importing import mapping
from canalyse.importing.fetch import NETWORKS, fetch_account
from canalyse.importing.files import read_tables
from canalyse.importing.pipeline import import_file, import_files
from canalyse.imports_view import history_table, mapping_table, report_lines, totals_table
from canalyse.platforms import PLATFORMS, label
from pages import ui

lang = ui.frame()
st.title(t("import.title", lang))
st.markdown(t("import.intro", lang))

# ---- Upload ----------------------------------------------------------------------------------------
with st.form("upload_form", clear_on_submit=True):
    uploaded = st.file_uploader(
        t("import.uploader", lang),
        type=["csv", "tsv", "txt", "xlsx", "xls", "ods", "zip"],
        accept_multiple_files=True,
        key="upload",
    )
    campaign_col, year_col = st.columns([2, 1])
    campaign = campaign_col.text_input(
        t("import.campaign", lang), key="campaign", help=t("import.campaign_help", lang)
    )
    year = year_col.number_input(
        t("import.year", lang),
        min_value=2000,
        max_value=2100,
        value=None,
        step=1,
        key="year",
        help=t("import.year_help", lang),
    )
    submitted = st.form_submit_button(t("import.submit", lang), type="primary", key="import_submit")

if submitted and uploaded:
    files = [(f.name, f.getvalue()) for f in uploaded]
    progress = st.progress(0.0, text=t("import.working", lang, count=len(files)))

    def show_progress(done: int, total: int, name: str) -> None:
        text = t("import.progress", lang, done=done + 1, total=total, file=name) if name else ""
        progress.progress(done / total, text=ui.plain(text))

    reports = import_files(
        ui.cursor(),
        files,
        campaign=campaign.strip() or None,
        lang=lang,
        year=int(year) if year else None,
        on_progress=show_progress,
    )
    progress.empty()
    st.session_state["import_reports"] = reports
    st.session_state["unmapped"] = {
        name: data
        for (name, data), report in zip(files, reports, strict=True)
        if report.error_key == "import.error.unrecognised"
    }
elif submitted:
    st.warning(t("import.no_file", lang))

# ---- Read an account's public posts (Bluesky, Mastodon) --------------------------------------------
st.subheader(t("fetch.title", lang))
st.caption(t("fetch.intro", lang))
with st.form("fetch_form"):
    network_col, handle_col = st.columns([1, 2])
    network = network_col.radio(
        t("fetch.network", lang), NETWORKS, format_func=label, horizontal=True, key="fetch_network"
    )
    handle = handle_col.text_input(
        t("fetch.handle", lang), key="fetch_handle", help=t("fetch.handle_help", lang)
    )
    since_col, fetch_campaign_col = st.columns([1, 2])
    since = since_col.date_input(
        t("fetch.since", lang),
        value=None,
        format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
        key="fetch_since",
        help=t("fetch.since_help", lang),
    )
    fetch_campaign = fetch_campaign_col.text_input(
        t("import.campaign", lang), key="fetch_campaign", help=t("import.campaign_help", lang)
    )
    fetched = st.form_submit_button(t("fetch.submit", lang), type="primary", key="fetch_submit")

if fetched and handle.strip():
    account = ui.plain(handle.strip())
    with st.status(t("fetch.working", lang, account=account), expanded=True) as status:
        report = fetch_account(
            ui.cursor(),
            network,
            handle,
            since=since,
            campaign=fetch_campaign.strip() or None,
            lang=lang,
            on_progress=lambda progress: status.write(ui.plain(progress.message(lang))),
        )
        failed = report.status == "error"
        status.update(
            label=t("fetch.failed" if failed else "fetch.done", lang, account=account),
            state="error" if failed else "complete",
            expanded=False,
        )
    st.session_state["import_reports"] = [report]
elif fetched:
    st.warning(t("fetch.no_handle", lang))

# ---- What the last upload gave ----------------------------------------------------------------------
for report in st.session_state.get("import_reports", []):
    show = {"imported": st.success, "unchanged": st.info, "error": st.error}.get(
        report.status, st.warning
    )
    show(ui.plain(report.message))
    for question in report.questions:
        st.markdown(f"- {ui.plain(question.message)}")
    for table in report.tables:
        with st.expander(ui.plain(table.name), expanded=True):
            for line in report_lines(table, lang):
                st.markdown(f"- {ui.plain(line)}")
            st.dataframe(totals_table(table, lang), hide_index=True)
    if report.skipped:
        st.caption(ui.plain(t("import.skipped", lang, names=", ".join(report.skipped))))

# ---- Map the columns of a layout Canalyse does not know ---------------------------------------------
for number, (name, data) in enumerate(st.session_state.get("unmapped", {}).items()):
    with st.expander(ui.plain(t("mapping.title", lang, file=name)), expanded=True):
        st.markdown(t("mapping.intro", lang))
        table = read_tables(name, data).tables[0]
        header_row = (
            st.number_input(
                t("mapping.header_row", lang),
                min_value=1,
                max_value=len(table.cells),
                value=mapping.header_row_guess(table) + 1,
                key=f"map_header_{number}",
            )
            - 1
        )
        st.dataframe(mapping.preview(table, header_row), hide_index=True)
        headers = [h for h in mapping.headers_at(table, header_row) if h]
        left, middle, right = st.columns(3)
        platform = left.selectbox(
            t("mapping.platform", lang),
            list(PLATFORMS),
            format_func=label,
            key=f"map_platform_{number}",
        )
        grain = middle.radio(
            t("mapping.grain", lang),
            mapping.GRAINS,
            format_func=lambda g: t(f"mapping.grain.{g}", lang),
            key=f"map_grain_{number}",
        )
        date = right.selectbox(t("mapping.date", lang), headers, key=f"map_date_{number}")
        key = title = None
        if grain == "post":
            key = left.selectbox(t("mapping.key", lang), [None, *headers], key=f"map_key_{number}")
            title = middle.selectbox(
                t("mapping.title_column", lang), [None, *headers], key=f"map_title_{number}"
            )
        choices = st.data_editor(
            pd.DataFrame({"column": headers, "metric": [None] * len(headers)}),
            column_config={
                "column": st.column_config.TextColumn(t("mapping.column", lang), disabled=True),
                "metric": st.column_config.SelectboxColumn(
                    t("mapping.metric", lang), options=list(mapping.metric_choices(lang))
                ),
            },
            hide_index=True,
            key=f"map_metrics_{number}",
        )
        if st.button(t("mapping.submit", lang), key=f"map_submit_{number}", type="primary"):
            chosen = mapping.from_form(
                platform,
                grain,
                date,
                dict(zip(choices["column"], choices["metric"], strict=True)),
                lang,
                key=key,
                title=title,
            )
            if not chosen.metrics:
                st.warning(t("mapping.no_metric", lang))
            else:
                mapping.save(ui.cursor(), table, header_row, chosen)
                report = import_file(
                    ui.cursor(), name, data, campaign=campaign.strip() or None, lang=lang
                )
                if report.status == "error":
                    mapping.forget(ui.cursor(), table, header_row)
                st.session_state["import_reports"] = [report]
                if report.status == "imported":
                    st.session_state["unmapped"].pop(name)
                st.rerun()

# ---- Past imports -------------------------------------------------------------------------------------
st.subheader(t("import.history", lang))
sources = store.list_sources(ui.cursor())
if sources.empty:
    st.caption(t("import.history_empty", lang))
else:
    st.dataframe(history_table(sources, lang), hide_index=True, key="history")
    with st.form("delete_form"):
        names = dict(zip(sources["source_id"], sources["file_name"], strict=True))
        chosen_id = st.selectbox(
            t("import.delete_choice", lang),
            list(names),
            format_func=lambda sid: f"#{sid} — {names[sid]}",
            key="delete_choice",
        )
        confirmed = st.checkbox(t("import.delete_confirm", lang), key="delete_confirm")
        if st.form_submit_button(t("import.delete", lang), key="delete_submit"):
            if confirmed:
                store.delete_source(ui.cursor(), int(chosen_id))
                st.session_state.pop("import_reports", None)
                st.rerun()
            else:
                st.warning(t("import.delete_unconfirmed", lang))

# ---- Which exports Canalyse recognises ------------------------------------------------------------------
with st.expander(t("import.formats", lang)):
    st.markdown(t("import.formats_intro", lang))
    st.dataframe(mapping_table(lang), hide_index=True, key="mapping_table")
