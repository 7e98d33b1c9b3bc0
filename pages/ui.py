"""The one Streamlit-aware helper module: workspace connection, cached queries, language, shared widgets."""

from __future__ import annotations

import argparse
import sys

import duckdb
import pandas as pd
import streamlit as st

from canalyse import downloads, queries, roi, store
from canalyse.filters import Filters, filters_from_state
from canalyse.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from canalyse.platforms import label as platform_label
from canalyse.text import escape_markdown

OVERVIEW = "pages/overview.py"
ROI = "pages/roi.py"
DECISION = "pages/decision.py"
PRESENT = "pages/present.py"
TRENDS = "pages/trends.py"
CAMPAIGNS = "pages/campaigns.py"
IMPORT = "pages/import_data.py"
GLOSSARY = "pages/glossary.py"
ICONS = {
    OVERVIEW: ":material/bar_chart:",
    ROI: ":material/euro:",
    DECISION: ":material/balance:",
    TRENDS: ":material/show_chart:",
    CAMPAIGNS: ":material/campaign:",
    IMPORT: ":material/upload_file:",
    GLOSSARY: ":material/menu_book:",
    PRESENT: ":material/slideshow:",
}
TITLES = {
    OVERVIEW: "nav.overview",
    ROI: "nav.roi",
    DECISION: "nav.decision",
    TRENDS: "nav.trends",
    CAMPAIGNS: "nav.campaigns",
    IMPORT: "nav.import",
    GLOSSARY: "nav.glossary",
    PRESENT: "nav.present",
}


def frame(sidebar: str = "auto") -> str:
    """The frame every page shares: page setup, sidebar links, language, filters. Returns the language.

    `sidebar="collapsed"` folds the sidebar away (presentation mode); its filters still apply.
    """
    st.set_page_config(
        page_title="Canalyse",
        page_icon=ICONS[OVERVIEW],
        layout="wide",
        initial_sidebar_state=sidebar,
    )
    language = lang()
    st.sidebar.markdown(f"### {t('app.name', language)}")
    st.sidebar.caption(t("app.tagline", language))
    for path, key in TITLES.items():
        st.sidebar.page_link(path, label=t(key, language), icon=ICONS[path])
    language_switch()
    sidebar_filters()
    st.sidebar.caption(t("app.local_only", language))
    return language


def db_path() -> str:
    """The workspace file: `streamlit run app.py -- --db PATH`, else $CANALYSE_DB, else the default."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return str(store.resolve_db_path(known.db).resolve())


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return store.connect(path)


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the shared workspace connection for this rerun (connections are not thread-safe)."""
    return _connection(db_path()).cursor()


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The workspace version: every write (imports, settings, costs, campaigns, events) bumps it."""
    return store.data_version(con)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_query(path: str, version: int, name: str, params: tuple) -> pd.DataFrame:
    return queries.run(_connection(path).cursor(), name, **dict(params))


def query(name: str, filters: Filters | None = None, **extra: object) -> pd.DataFrame:
    """Run a query file with the shared filters (and `extra` parameters), cached until the workspace changes."""
    params = (filters or Filters()).params() if queries.parameters(name) - set(extra) else {}
    params.update(extra)
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached_query(db_path(), data_version(cursor()), name, frozen)


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_roi(path: str, version: int, filters: Filters, cost: float) -> pd.DataFrame:
    return roi.roi_table(_connection(path).cursor(), filters, cost)


def roi_table(filters: Filters, cost: float) -> pd.DataFrame:
    """The ROI table (every ratio per platform), cached until the workspace changes."""
    return _cached_roi(db_path(), data_version(cursor()), filters, cost)


def lang() -> str:
    """The interface language chosen in the sidebar (French by default, `?lang=en` in the address)."""
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state["lang"] = asked if asked in LANGUAGES else DEFAULT_LANGUAGE
    chosen = st.session_state["lang"]
    # The switch can be clicked off (None) before its callback puts French back.
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> None:
    """The sidebar language selector; keeps the choice in the address so a reload keeps it too."""
    lang()
    st.sidebar.segmented_control(
        t("ui.language", lang()),
        options=list(LANGUAGES),
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        key="lang",
        on_change=_remember_language,
    )


def _remember_language() -> None:
    # A segmented control can be clicked off; fall back to French rather than to nothing.
    if st.session_state.get("lang") not in LANGUAGES:
        st.session_state["lang"] = DEFAULT_LANGUAGE
    st.query_params["lang"] = st.session_state["lang"]


def plain(text: str) -> str:
    """Text from files, made safe for Streamlit widgets that render Markdown."""
    return escape_markdown(text)


def sidebar_filters() -> None:
    """The filters shared by every page, in the sidebar; their widget state persists across pages."""
    language = lang()
    if store.is_empty(cursor()):
        return
    bounds = query("overview").iloc[0]
    st.sidebar.subheader(t("filters.title", language))
    if pd.notna(bounds["date_min"]):
        low, high = bounds["date_min"].date(), bounds["date_max"].date()
        st.sidebar.date_input(
            t("filters.period", language),
            value=(),
            min_value=low,
            max_value=high,
            format="DD/MM/YYYY" if language == "fr" else "YYYY-MM-DD",
            key="filter_period",
            help=t("filters.period_help", language),
        )
    st.sidebar.multiselect(
        t("filters.platforms", language),
        query("platforms")["platform"].tolist(),
        format_func=platform_label,
        placeholder=t("filters.all_platforms", language),
        key="filter_platforms",
    )
    accounts = query("accounts")["account"].tolist()
    if len(accounts) > 1:
        st.sidebar.multiselect(
            t("filters.accounts", language),
            accounts,
            placeholder=t("filters.all_accounts", language),
            key="filter_accounts",
        )
    campaigns = query("campaigns")["campaign"].tolist()
    if campaigns:
        st.sidebar.selectbox(
            t("filters.campaign", language),
            [None, *campaigns],
            format_func=lambda c: t("filters.all_campaigns", language) if c is None else c,
            key="filter_campaign",
        )


def current_filters() -> Filters:
    """The selection made in the sidebar filters (everything when nothing is chosen)."""
    return filters_from_state(st.session_state)


def table_downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel download buttons for a table shown on the page (formulas neutralised)."""
    language = lang()
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        f"{t('downloads.label', language)} {t('downloads.csv', language)}",
        data=lambda: downloads.table_csv(frame, language),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    right.download_button(
        f"{t('downloads.label', language)} {t('downloads.xlsx', language)}",
        data=lambda: downloads.table_xlsx(frame),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
    )


def chart_downloads(figure, filename: str, key: str) -> None:
    """PNG (3×) and SVG download buttons under a chart; a clear note when no browser can draw them."""
    language = lang()
    if not downloads.browser_available():
        st.caption(t("downloads.error.no_browser", language))
        return
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        t("downloads.png", language),
        data=lambda: downloads.chart_image(figure, "png"),
        file_name=f"{filename}.png",
        mime="image/png",
        key=f"{key}_png",
        icon=":material/image:",
    )
    right.download_button(
        t("downloads.svg", language),
        data=lambda: downloads.chart_image(figure, "svg"),
        file_name=f"{filename}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        icon=":material/image:",
    )


def all_charts_download(figures: dict, name: str, key: str) -> None:
    """One button for every chart of the page as PNG files in a zip."""
    language = lang()
    if figures and downloads.browser_available():
        st.download_button(
            t("downloads.all_png", language),
            data=lambda: downloads.charts_zip(figures),
            file_name=f"{name}.zip",
            mime="application/zip",
            key=key,
            icon=":material/photo_library:",
        )
