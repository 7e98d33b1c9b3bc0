"""Import: upload exports or hand-made tables, read what was recognised, manage past imports."""

import pandas as pd
import streamlit as st

from canalyse import store
from canalyse.i18n import t
from canalyse.importing import mapping
from canalyse.importing.files import read_tables
from canalyse.importing.pipeline import (
    ImportAnswers,
    attribute_blank_accounts,
    import_file,
    import_files,
)
from canalyse.imports_view import history_table, mapping_table, report_lines, totals_table
from canalyse.platforms import PLATFORMS, label
from pages import ui

lang = ui.frame()
ui.header(t("import.title", lang))
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
    st.session_state["awaiting"] = {
        name: (data, campaign.strip() or None, int(year) if year else None)
        for (name, data), report in zip(files, reports, strict=True)
        if report.status == "question"
    }
elif submitted:
    st.warning(t("import.no_file", lang))

# ---- What the last upload gave ----------------------------------------------------------------------
for report in st.session_state.get("import_reports", []):
    if report.status == "question":
        continue
    show = {"imported": st.success, "unchanged": st.info, "error": st.error}[report.status]
    show(ui.plain(report.message))
    for table in report.tables:
        with st.expander(ui.plain(table.name), expanded=True):
            for line in report_lines(table, lang):
                st.markdown(f"- {ui.plain(line)}")
            st.dataframe(totals_table(table, lang), hide_index=True)
    if report.skipped:
        st.caption(ui.plain(t("import.skipped", lang, names=", ".join(report.skipped))))

# ---- Files that need an answer before they are stored ------------------------------------------------
questions = {
    report.file: report
    for report in st.session_state.get("import_reports", [])
    if report.status == "question"
}
for number, (name, (data, tag, year_given)) in enumerate(
    list(st.session_state.get("awaiting", {}).items())
):
    report = questions.get(name)
    if report is None:
        continue
    with st.container(border=True, key=f"awaiting_{number}"):
        st.warning(ui.plain(report.message), icon=":material/help:")
        answers = ImportAnswers()
        for index, question in enumerate(report.questions):
            st.markdown(ui.plain(question.message))
            if question.kind == "repeated":
                answers.repeated = st.radio(
                    t("import.answer.repeated", lang),
                    ["replace", "keep"],
                    format_func=lambda choice: t(f"import.answer.{choice}", lang),
                    key=f"answer_repeated_{number}_{index}",
                    label_visibility="collapsed",
                )
            else:
                answers.accounts[question.platform] = st.radio(
                    t("import.answer.account", lang),
                    [*question.choices, ""],
                    format_func=lambda choice: (
                        ui.plain(choice) if choice else t("import.question.account.separate", lang)
                    ),
                    key=f"answer_account_{number}_{index}",
                    label_visibility="collapsed",
                )
        go, drop, _ = st.columns([2, 1, 3])
        if go.button(
            t("import.answer.submit", lang), key=f"answer_submit_{number}", type="primary"
        ):
            answered = import_file(
                ui.cursor(), name, data, campaign=tag, lang=lang, year=year_given, answers=answers
            )
            st.session_state["import_reports"] = [answered]
            if answered.status != "question":
                st.session_state["awaiting"].pop(name)
            st.rerun()
        if drop.button(t("import.answer.cancel", lang), key=f"answer_cancel_{number}"):
            st.session_state["awaiting"].pop(name)
            st.session_state["import_reports"] = [
                r for r in st.session_state.get("import_reports", []) if r.file != name
            ]
            st.rerun()

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
if "deleted" in st.session_state:
    st.success(ui.plain(t("import.deleted", lang, file=st.session_state.pop("deleted"))))
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
                st.session_state["deleted"] = names[chosen_id]
                st.rerun()
            else:
                st.warning(t("import.delete_unconfirmed", lang))

# ---- Figures without an account that may be a named account's --------------------------------------
overlaps = ui.query("account_overlaps")
if not overlaps.empty:
    st.subheader(t("accounts.title", lang))
    st.markdown(t("accounts.intro", lang))
    with st.form("accounts_form"):
        chosen_accounts = {
            row.platform: st.radio(
                ui.plain(t("accounts.question", lang, platform=label(row.platform))),
                [*row.accounts, ""],
                format_func=lambda choice: (
                    ui.plain(choice) if choice else t("import.question.account.separate", lang)
                ),
                index=len(row.accounts),
                key=f"accounts_{row.platform}",
            )
            for row in overlaps.itertuples(index=False)
        }
        if st.form_submit_button(t("accounts.submit", lang), key="accounts_submit"):
            attribute_blank_accounts(ui.cursor(), chosen_accounts)
            st.rerun()

# ---- Which exports Canalyse recognises ------------------------------------------------------------------
with st.expander(t("import.formats", lang)):
    st.markdown(t("import.formats_intro", lang))
    st.dataframe(mapping_table(lang), hide_index=True, key="mapping_table")
