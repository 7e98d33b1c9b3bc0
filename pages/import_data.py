"""Import: upload exports or hand-made tables, read what was recognised, manage past imports."""

import streamlit as st

from canalyse import store
from canalyse.i18n import t
from canalyse.importing.pipeline import import_files
from canalyse.imports_view import history_table, report_lines, totals_table
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
    campaign = st.text_input(
        t("import.campaign", lang), key="campaign", help=t("import.campaign_help", lang)
    )
    submitted = st.form_submit_button(t("import.submit", lang), type="primary", key="import_submit")

if submitted and uploaded:
    files = [(f.name, f.getvalue()) for f in uploaded]
    with st.spinner(t("import.working", lang, count=len(files))):
        st.session_state["import_reports"] = import_files(
            ui.cursor(), files, campaign=campaign.strip() or None, lang=lang
        )
elif submitted:
    st.warning(t("import.no_file", lang))

# ---- What the last upload gave ----------------------------------------------------------------------
for report in st.session_state.get("import_reports", []):
    show = {"imported": st.success, "unchanged": st.info, "error": st.error}[report.status]
    show(ui.plain(report.message))
    for table in report.tables:
        with st.expander(ui.plain(table.name), expanded=True):
            for line in report_lines(table, lang):
                st.markdown(f"- {ui.plain(line)}")
            st.dataframe(totals_table(table, lang), hide_index=True)
    if report.skipped:
        st.caption(ui.plain(t("import.skipped", lang, names=", ".join(report.skipped))))

# ---- Past imports -------------------------------------------------------------------------------------
st.subheader(t("import.history", lang))
sources = store.list_sources(ui.cursor())
if sources.empty:
    st.caption(t("import.history_empty", lang))
else:
    st.dataframe(history_table(sources, lang), hide_index=True, key="history")
    with st.form("delete_form"):
        choices = sources["source_id"].tolist()
        names = dict(zip(sources["source_id"], sources["file_name"], strict=True))
        chosen = st.selectbox(
            t("import.delete_choice", lang),
            choices,
            format_func=lambda sid: f"#{sid} — {names[sid]}",
            key="delete_choice",
        )
        confirmed = st.checkbox(t("import.delete_confirm", lang), key="delete_confirm")
        if st.form_submit_button(t("import.delete", lang), key="delete_submit"):
            if confirmed:
                store.delete_source(ui.cursor(), int(chosen))
                st.session_state.pop("import_reports", None)
                st.rerun()
            else:
                st.warning(t("import.delete_unconfirmed", lang))
