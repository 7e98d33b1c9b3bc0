"""Import: upload exports or hand-made tables, or read an account's public posts; see what was
recognised, manage past imports."""

import functools

import pandas as pd
import streamlit as st

from canalyse import store
from canalyse.i18n import t
from canalyse.importing import mapping
from canalyse.importing.fetch import NETWORKS, fetch_account
from canalyse.importing.files import read_tables
from canalyse.importing.pipeline import (
    ANY_NETWORK,
    ImportAnswers,
    attribute_blank_accounts,
    import_file,
    import_files,
    reimport_file,
)
from canalyse.output.imports_view import (
    activity_table,
    history_table,
    mapping_table,
    report_lines,
    totals_table,
)
from canalyse.platforms import PLATFORMS, label
from pages import ui

lang = ui.frame()
ui.header(t("import.title", lang))
st.markdown(t("import.intro", lang))
ui.viewer_note()
editor = ui.can_edit()

# ---- Upload ----------------------------------------------------------------------------------------
with st.form("upload_form", clear_on_submit=True):
    uploaded = st.file_uploader(
        t("import.uploader", lang),
        type=["csv", "tsv", "txt", "xlsx", "xls", "ods", "zip"],
        accept_multiple_files=True,
        key="upload",
    )
    campaign_col, account_col, year_col = st.columns([2, 2, 1])
    campaign = campaign_col.text_input(
        t("import.campaign", lang), key="campaign", help=t("import.campaign_help", lang)
    )
    account = account_col.text_input(
        t("import.account", lang), key="account", help=t("import.account_help", lang)
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
    submitted = st.form_submit_button(
        t("import.submit", lang), type="primary", key="import_submit", disabled=not editor
    )

if submitted and uploaded:
    files = [(f.name, f.getvalue()) for f in uploaded]
    progress = st.progress(0.0, text=t("import.working", lang, count=len(files)))

    def show_progress(done: int, total: int, name: str) -> None:
        text = t("import.progress", lang, done=done + 1, total=total, file=name) if name else ""
        progress.progress(done / total, text=ui.plain(text))

    # Kept for what follows the upload: answering a question, mapping columns.
    st.session_state["upload_options"] = {
        "campaign": campaign.strip() or None,
        "year": int(year) if year else None,
    }
    named = ImportAnswers(accounts={ANY_NETWORK: account.strip()}) if account.strip() else None
    reports = ui.write(
        import_files,
        files,
        lang=lang,
        on_progress=show_progress,
        answers=named,
        **st.session_state["upload_options"],
    )
    progress.empty()
    st.session_state["import_reports"] = reports
    by_name = dict(files)
    st.session_state["unmapped"] = {
        r.file: by_name[r.file] for r in reports if r.error_key == "import.error.unrecognised"
    }
    st.session_state["unused"] = {
        r.file: (r, by_name[r.file])
        for r in reports
        if r.status == "imported" and any(table.unused_numeric for table in r.tables)
    }
    # What answering each question will run again, with the answers.
    st.session_state["awaiting"] = {
        name: functools.partial(
            import_file,
            file_name=name,
            data=data,
            campaign=campaign.strip() or None,
            year=int(year) if year else None,
        )
        for (name, data), report in zip(files, reports, strict=True)
        if report.status == "question"
    }
elif submitted:
    st.warning(t("import.no_file", lang))
options = st.session_state.get("upload_options", {"campaign": None, "year": None})


def show_report(report) -> None:
    """Replace the last upload's reports with this one (after an answer or a mapping) and rerun."""
    st.session_state["import_reports"] = [report]
    st.rerun()


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
            ui.writer,
            network,
            handle,
            since=since,
            campaign=fetch_campaign.strip() or None,
            lang=lang,
            on_progress=lambda progress: status.write(ui.plain(progress.message(lang))),
        )
        asked = report.status == "question"
        failed = report.status == "error"
        status.update(
            label=t("fetch.failed" if failed else "fetch.done", lang, account=account),
            state="error" if failed else "complete",
            expanded=False,
        )
    st.session_state["import_reports"] = [report]
    if asked:
        # Answered below like a file's questions: the account is read again with the answers.
        st.session_state.setdefault("awaiting", {})[report.file] = functools.partial(
            fetch_account,
            network=network,
            handle=handle,
            since=since,
            campaign=fetch_campaign.strip() or None,
        )
elif fetched:
    st.warning(t("fetch.no_handle", lang))

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
for number, (name, import_again) in enumerate(list(st.session_state.get("awaiting", {}).items())):
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
            elif question.kind == "platform":
                answers.platform = st.radio(
                    t("question.label", lang),
                    question.choices,
                    index=question.choices.index(question.suggested)
                    if question.suggested
                    else None,
                    format_func=label,
                    horizontal=True,
                    key=f"answer_platform_{number}_{index}",
                    label_visibility="collapsed",
                )
                if question.suggested:
                    st.caption(t("question.suggested", lang, platform=label(question.suggested)))
            else:
                options = [*question.choices, ""]
                answers.accounts[question.platform] = st.radio(
                    t("import.answer.account", lang),
                    options,
                    index=options.index(question.suggested) if question.suggested else 0,
                    format_func=lambda choice: (
                        ui.plain(choice) if choice else t("import.question.account.separate", lang)
                    ),
                    key=f"answer_account_{number}_{index}",
                    label_visibility="collapsed",
                )
                if answers.accounts[question.platform] and len(question.sources) > 1:
                    names = dict(zip(question.sources, question.source_names, strict=True))
                    answers.attribute[question.platform] = st.multiselect(
                        t("import.answer.which_imports", lang),
                        question.sources,
                        default=question.sources,
                        format_func=lambda source, names=names: ui.plain(names[source]),
                        key=f"answer_attribute_{number}_{index}",
                    )
        go, drop, _ = st.columns([2, 1, 3])
        if go.button(
            t("import.answer.submit", lang),
            key=f"answer_submit_{number}",
            type="primary",
            disabled=not editor,
        ):
            if report.platform_question and answers.platform is None:
                st.warning(t("question.no_choice", lang))
            else:
                answered = ui.write(import_again, lang=lang, answers=answers)
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

# ---- Give a metric to columns of figures a hand-made table left unused ------------------------------
for number, (name, (imported, data)) in enumerate(st.session_state.get("unused", {}).items()):
    with st.expander(ui.plain(t("unused.title", lang, file=name)), expanded=True):
        st.markdown(t("unused.intro", lang))
        labels = mapping.metric_choices(lang)
        chosen = {
            (table.columns_key, column): st.selectbox(
                ui.plain(column), [None, *labels], key=f"unused_{number}_{place}_{position}"
            )
            for place, table in enumerate(imported.tables)
            for position, column in enumerate(table.unused_numeric)
        }
        if st.button(t("unused.submit", lang), key=f"unused_submit_{number}", type="primary"):
            if not any(chosen.values()):
                st.warning(t("mapping.no_metric", lang))
            else:
                with ui.writer() as con:
                    for columns_key in {key for key, _ in chosen}:
                        given = {
                            c: labels[m] for (k, c), m in chosen.items() if k == columns_key and m
                        }
                        if given:
                            mapping.remember_columns(con, columns_key, given)
                    report = reimport_file(
                        con, imported.source_id, name, data, lang=lang, **options
                    )
                st.session_state["unused"].pop(name)
                show_report(report)

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
        if st.button(
            t("mapping.submit", lang),
            key=f"map_submit_{number}",
            type="primary",
            disabled=not editor,
        ):
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
                with ui.writer() as con:
                    mapping.save(con, table, header_row, chosen)
                    report = import_file(con, name, data, lang=lang, **options)
                    if report.status == "error":
                        mapping.forget(con, table, header_row)
                if report.status == "imported":
                    st.session_state["unmapped"].pop(name)
                show_report(report)

# ---- Past imports -------------------------------------------------------------------------------------
st.subheader(t("import.history", lang))
if "deleted" in st.session_state:
    st.success(ui.plain(t("import.deleted", lang, file=st.session_state.pop("deleted"))))
with ui.cursor() as con:
    sources = store.list_sources(con)
    activity = store.list_activity(con)
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
            key=ui.scoped("delete_choice"),
        )
        confirmed = st.checkbox(t("import.delete_confirm", lang), key="delete_confirm")
        if st.form_submit_button(
            t("import.delete", lang), key="delete_submit", disabled=not editor
        ):
            if confirmed:
                ui.write(store.delete_source, int(chosen_id))
                st.session_state.pop("import_reports", None)
                st.session_state["deleted"] = names[chosen_id]
                st.rerun()
            else:
                st.warning(t("import.delete_unconfirmed", lang))
if not activity.empty:
    with st.expander(t("activity.title", lang)):
        st.dataframe(activity_table(activity, lang), hide_index=True, key="activity")

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
        if st.form_submit_button(
            t("accounts.submit", lang), key="accounts_submit", disabled=not editor
        ):
            ui.write(attribute_blank_accounts, chosen_accounts)
            st.rerun()

# ---- Which exports Canalyse recognises ------------------------------------------------------------------
with st.expander(t("import.formats", lang)):
    st.markdown(t("import.formats_intro", lang))
    st.dataframe(mapping_table(lang), hide_index=True, key="mapping_table")
