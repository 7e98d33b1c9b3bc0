"""Glossary: every figure and ratio, its computation, the export columns behind it and its caveats."""

import streamlit as st

from canalyse.analysis.glossary import feeds_table, glossary_entries, matches
from canalyse.i18n import t
from pages import ui

lang = ui.frame()
ui.header(t("nav.glossary", lang))
st.markdown(t("glossary.intro", lang))

# ---- Search ----------------------------------------------------------------------------------------
query = st.text_input(
    t("glossary.search", lang),
    placeholder=t("glossary.search_placeholder", lang),
    key="glossary_search",
)
entries = [entry for entry in glossary_entries(lang) if matches(entry, query)]
if not entries:
    st.info(t("glossary.no_match", lang, query=ui.plain(query)))

# ---- One section per figure, then per ratio ------------------------------------------------------
for kind, heading in (("metric", "glossary.metrics"), ("ratio", "glossary.ratios")):
    shown = [entry for entry in entries if entry.kind == kind]
    if not shown:
        continue
    st.subheader(t(heading, lang))
    for entry in shown:
        # A search opens what it found; otherwise the list stays short enough to scan.
        with st.expander(entry.label, expanded=bool(query.strip())):
            st.markdown(f"**{t('glossary.definition', lang)}** — {entry.definition}")
            st.markdown(f"**{t('glossary.formula', lang)}** — {entry.formula}")
            st.markdown(f"**{t('glossary.sources', lang)}**")
            table = feeds_table(entry, lang)
            if table.empty:
                st.caption(t("glossary.no_sources", lang))
            else:
                st.dataframe(table, hide_index=True, key=f"glossary_feeds_{entry.name}")
            if entry.warnings:
                st.markdown(f"**{t('glossary.warnings', lang)}**")
                st.markdown("\n".join(f"- {warning}" for warning in entry.warnings))
