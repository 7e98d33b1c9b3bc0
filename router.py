"""Canalyse: the router of the dashboard, run for each browser session by the server in `app.py`
(`uv run streamlit run app.py`).

Each page draws the shared frame itself (`ui.frame()`): Streamlit runs a page script directly, without
this router, when the first request to a fresh server is a page's address and a `pages/` folder exists.
"""

import streamlit as st

from canalyse.i18n import t
from pages import ui

lang = ui.lang()
navigation = st.navigation(
    [
        st.Page(path, title=t(key, lang), icon=ui.ICONS[path], default=path == ui.OVERVIEW)
        for path, key in ui.TITLES.items()
    ],
    position="hidden",
)
navigation.run()
