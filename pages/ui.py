"""The one Streamlit-aware helper module: workspace connection, cached queries, language, shared widgets."""

from __future__ import annotations

import argparse
import sys

import duckdb
import pandas as pd
import streamlit as st

from canalyse import downloads, queries, roi, store, tables
from canalyse.filters import (
    LANG_PARAM,
    NO_CAMPAIGN,
    Filters,
    address_params,
    describe_filters,
    filters_from_params,
)
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
# The language switch's key (the address calls it `lang`).
LANGUAGE_KEY = "language"
# How a date picker writes dates in each language.
DATE_FORMAT = {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"}
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

    The page's address holds the language and the filters (`?lang=en&from=2025-01-01&to=…`): the
    sidebar's widgets start from it and write their values back into it on every run, and the
    sidebar's links carry it to the next page. So a choice survives page switches and reloads, and
    a copied link or a bookmark reopens the same view. (Each page draws this frame itself, and a
    widget belongs to the page that draws it: the address, not the widget, carries the choice.)
    `sidebar="collapsed"` folds the sidebar away (presentation mode); its filters still apply.
    """
    st.set_page_config(
        page_title="Canalyse",
        page_icon=ICONS[OVERVIEW],
        layout="wide",
        initial_sidebar_state=sidebar,
    )
    st.sidebar.markdown(f"### {t('app.name', lang())}")
    st.sidebar.caption(t("app.tagline", lang()))
    # Drawn last, once the widgets below have set the address the links carry.
    links = st.sidebar.container()
    language = language_switch()
    chosen = sidebar_filters()
    remember_in_address(language, chosen)
    for path, key in TITLES.items():
        page_link(path, t(key, language), container=links)
    st.sidebar.caption(t("app.local_only", language))
    return language


def remember_in_address(language: str, filters: Filters) -> None:
    """Write the language and the filters into the page's address, when they changed."""
    wanted = address_params(language, filters)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def page_link(path: str, label: str, container=None, **options) -> None:
    """A link to another page that keeps the language and the filters."""
    (container if container is not None else st).page_link(
        path,
        label=label,
        icon=ICONS[path],
        query_params=_params(),
        **options,
    )


def header(title: str, filters: Filters | None = None) -> None:
    """A page's title, and the filters it shows the figures of, in plain words."""
    st.title(title)
    if filters is not None:
        filters_caption(filters)


def filters_caption(filters: Filters) -> None:
    """The filters the page shows the figures of, in plain words (nothing on an empty workspace)."""
    if not store.is_empty(cursor()):
        st.caption(plain(describe_filters(filters, lang())), help=t("filters.header_help", lang()))


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
    chosen = st.session_state.get(LANGUAGE_KEY) or st.query_params.get(LANG_PARAM)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> str:
    """The sidebar language selector, starting from the address; returns the language."""
    asked = st.query_params.get(LANG_PARAM)
    st.sidebar.segmented_control(
        t("ui.language", lang()),
        options=list(LANGUAGES),
        default=asked if asked in LANGUAGES else DEFAULT_LANGUAGE,
        required=True,
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        key=LANGUAGE_KEY,
    )
    return lang()


def plain(text: str) -> str:
    """Text from files, made safe for Streamlit widgets that render Markdown."""
    return escape_markdown(text)


def sidebar_filters() -> Filters:
    """The filters shared by every page, in the sidebar, starting from the address; returns them."""
    language = lang()
    if store.is_empty(cursor()):
        return Filters()
    asked = filters_from_params(_params())
    bounds = query("overview").iloc[0]
    st.sidebar.subheader(t("filters.title", language))
    period = None
    if pd.notna(bounds["date_min"]):
        low, high = bounds["date_min"].date(), bounds["date_max"].date()
        inside = asked.start is not None and low <= asked.start <= asked.end <= high
        period = st.sidebar.date_input(
            t("filters.period", language),
            value=(asked.start, asked.end) if inside else (),
            min_value=low,
            max_value=high,
            format=DATE_FORMAT[language],
            key=f"filter_period_{language}",
            help=t("filters.period_help", language),
        )
    platforms = query("platforms")["platform"].tolist()
    chosen_platforms = st.sidebar.multiselect(
        t("filters.platforms", language),
        platforms,
        default=[p for p in asked.platforms or () if p in platforms],
        format_func=platform_label,
        placeholder=t("filters.all_platforms", language),
        key="filter_platforms",
        select_all=False,
    )
    accounts = query("accounts")["account"].tolist()
    chosen_accounts = []
    if len(accounts) > 1:
        chosen_accounts = st.sidebar.multiselect(
            t("filters.accounts", language),
            accounts,
            default=[a for a in asked.accounts or () if a in accounts],
            placeholder=t("filters.all_accounts", language),
            key="filter_accounts",
            select_all=False,
        )
    campaigns = query("campaigns")["campaign"].tolist()
    campaign = None
    if campaigns:
        choices = [None, NO_CAMPAIGN, *campaigns]
        # Keyed by language: its choices are labelled in it, and a select box remembers a choice
        # by its label. A new widget starts again from the address.
        campaign = st.sidebar.selectbox(
            t("filters.campaign", language),
            choices,
            index=choices.index(asked.campaign) if asked.campaign in choices else 0,
            format_func=lambda choice: campaign_choice(choice, language),
            key=f"filter_campaign_{language}",
        )
    start, end = period if isinstance(period, tuple) and len(period) == 2 else (None, None)
    return Filters(
        start=start,
        end=end,
        platforms=tuple(chosen_platforms) or None,
        campaign=campaign,
        accounts=tuple(chosen_accounts) or None,
    )


def _params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def campaign_choice(choice: str | None, language: str) -> str:
    """How the campaign filter names a choice: every campaign, the figures of none, or one."""
    if choice is None:
        return t("filters.all_campaigns", language)
    if choice == NO_CAMPAIGN:
        return t("filters.no_campaign", language)
    return choice


def current_filters() -> Filters:
    """The selection made in the sidebar filters (everything when nothing is chosen), as the page's
    address holds it once the sidebar is drawn."""
    return filters_from_params(_params())


def show_table(table: tables.Table, key: str, **options) -> None:
    """A table as the page shows it: every figure written in the page's language."""
    st.dataframe(table.display(lang()), hide_index=True, key=key, **options)


def download(container, label: str, data, file_name: str, mime: str, key: str, **options) -> None:
    """A download button whose file is made when clicked (`data` is a function), first click.

    A click on a download button normally also reruns the page; the rerun registers a new file
    function for every such button and, when it ends before the click is served, drops the one
    the click asked for (« MediaFileStorageError: Deferred file … not found », about one click in
    a dozen). Not rerunning keeps the function the button was drawn with until the next rerun.
    """
    container.download_button(
        label, data=data, file_name=file_name, mime=mime, key=key, on_click="ignore", **options
    )


def table_downloads(table: tables.Table, name: str, key: str) -> None:
    """CSV and Excel download buttons for a table shown on the page: the same rows and columns,
    numbers as numbers, formulas neutralised."""
    language = lang()
    left, right, _ = st.columns([1, 1, 4])
    download(
        left,
        f"{t('downloads.label', language)} {t('downloads.csv', language)}",
        lambda: downloads.table_csv(table, language),
        f"{name}.csv",
        "text/csv",
        f"{key}_csv",
        icon=":material/download:",
    )
    download(
        right,
        f"{t('downloads.label', language)} {t('downloads.xlsx', language)}",
        lambda: downloads.table_xlsx(table, language),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{key}_xlsx",
        icon=":material/download:",
    )


def chart_downloads(figure, filename: str, key: str) -> None:
    """PNG (3×) and SVG download buttons under a chart; a clear note when no browser can draw them."""
    language = lang()
    if not downloads.browser_available():
        st.caption(t("downloads.error.no_browser", language))
        return
    left, right, _ = st.columns([1, 1, 4])
    download(
        left,
        t("downloads.png", language),
        lambda: downloads.chart_image(figure, "png"),
        f"{filename}.png",
        "image/png",
        f"{key}_png",
        icon=":material/image:",
    )
    download(
        right,
        t("downloads.svg", language),
        lambda: downloads.chart_image(figure, "svg"),
        f"{filename}.svg",
        "image/svg+xml",
        f"{key}_svg",
        icon=":material/image:",
    )


def all_charts_download(figures: dict, name: str, key: str) -> None:
    """One button for every chart of the page as PNG files in a zip."""
    language = lang()
    if figures and downloads.browser_available():
        download(
            st,
            t("downloads.all_png", language),
            lambda: downloads.charts_zip(figures),
            f"{name}.zip",
            "application/zip",
            key,
            icon=":material/photo_library:",
        )
