"""The one Streamlit-aware helper module: sign-in, workspace, connections, cached queries, language,
shared widgets."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from canalyse import logs, queries, store
from canalyse.analysis import roi
from canalyse.errors import CanalyseError
from canalyse.filters import (
    LANG_PARAM,
    NO_CAMPAIGN,
    Filters,
    address_params,
    describe_filters,
    filters_from_params,
)
from canalyse.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from canalyse.output import downloads, tables
from canalyse.platforms import label as platform_label
from canalyse.store import workspaces
from canalyse.text import escape_markdown

logger = logging.getLogger(__name__)

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
    # Unexpected errors' tracebacks go to the server's standard error ($CANALYSE_LOG: the level).
    logs.configure(logs.requested_level() or "WARNING")
    st.set_page_config(
        page_title="Canalyse",
        page_icon=ICONS[OVERVIEW],
        layout="wide",
        initial_sidebar_state=sidebar,
    )
    release_readers()
    language = lang()
    require_sign_in(language)
    st.sidebar.markdown(f"### {t('app.name', language)}")
    st.sidebar.caption(t("app.tagline", language))
    # Drawn last, once the widgets below have set the address the links carry.
    links = st.sidebar.container()
    language = language_switch()
    workspace_switch(language)
    restore_message()
    chosen = sidebar_filters()
    remember_in_address(language, chosen)
    for path, key in TITLES.items():
        page_link(path, t(key, language), container=links)
    account_box(language)
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
    if not workspace_empty():
        st.caption(plain(describe_filters(filters, lang())), help=t("filters.header_help", lang()))


# ---- Sign-in and workspaces ----------------------------------------------------------------------


def auth_configured() -> bool:
    """Whether `.streamlit/secrets.toml` configures sign-in (`[auth]`): then every page needs it."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def signed_in_email() -> str | None:
    """The signed-in user's address (lower case), None without sign-in."""
    if not auth_configured() or not st.user.is_logged_in:
        return None
    email = st.user.get("email") or st.user.get("sub") or ""
    return store.normalise_email(str(email)) or None


def require_sign_in(language: str) -> None:
    """When sign-in is configured and nobody is signed in, offer it and show nothing else."""
    if not auth_configured() or st.user.is_logged_in:
        return
    st.title(t("auth.title", language))
    st.markdown(t("auth.intro", language))
    if st.button(t("auth.button", language), type="primary", key="sign_in"):
        st.login()
    st.stop()


def actor() -> str:
    """Whose writes these are: the signed-in address, else the system user (« app »)."""
    return signed_in_email() or store.system_actor("app")


@st.cache_data(show_spinner=False, ttl=60, max_entries=16)
def _memberships(folder: str, stamps: tuple) -> dict[str, dict[str, str]]:
    # Keyed by every workspace file's stamp: a members change is seen on the next rerun.
    return workspaces.memberships(Path(folder))


def my_workspaces() -> dict[str, str]:
    """{name: role} of the workspaces of the folder this user may open (every one without sign-in)."""
    folder = workspaces.folder()
    if folder is None:
        return {}
    stamps = tuple(
        (name, store.stamp(workspaces.path_of(folder, name))) for name in workspaces.names(folder)
    )
    return workspaces.visible_to(_memberships(str(folder), stamps), signed_in_email())


def workspace_switch(language: str) -> None:
    """The sidebar choice of workspace, when the server has a workspaces folder."""
    if workspaces.folder() is None:
        if signed_in_email() is not None and role() is None:
            # One workspace with sign-in: its members list still decides who sees it.
            st.error(t("auth.no_workspace", language, user=signed_in_email()))
            st.stop()
        return
    mine = my_workspaces()
    if not mine:
        st.error(t("auth.no_workspace", language, user=signed_in_email() or "?"))
        st.stop()
    if st.session_state.get("workspace") not in mine:
        st.session_state.pop("workspace", None)
    st.sidebar.selectbox(
        t("workspace.label", language),
        list(mine),
        key="workspace",
        on_change=_forget_workspace_state,
    )


def _forget_workspace_state() -> None:
    # Another workspace: its filters (in the address), choices (an import to delete is #1 in both)
    # and pending uploads belong to the one left, so the page starts afresh; the language stays.
    language = lang()
    for key in [k for k in st.session_state if k not in (LANGUAGE_KEY, "workspace")]:
        del st.session_state[key]
    st.query_params.from_dict({LANG_PARAM: language})


def scoped(key: str) -> str:
    """A widget key of its own in each workspace, for widgets whose options are the workspace's
    rows (an import or an event to delete: #1 exists in every workspace). The browser keeps a
    selectbox's shown choice across a rerun with the same key, so after a switch it would still
    show the other workspace's row. Unchanged without a workspaces folder."""
    if workspaces.folder() is None:
        return key
    return f"{key}__{Path(db_path()).stem}"


def role() -> str | None:
    """'editor' or 'viewer' in the current workspace, None for someone it does not list
    ('editor' without sign-in: one person's app)."""
    email = signed_in_email()
    if email is None:
        return "editor"
    folder = workspaces.folder()
    if folder is not None:
        return my_workspaces().get(Path(db_path()).stem)
    with _reading() as con:
        return store.role_of(con, email)


def can_edit() -> bool:
    """Whether this user may import, delete and save answers in the current workspace."""
    return role() == "editor"


def viewer_note() -> None:
    """Say, once on a page with changes to make, that this user only reads."""
    if not can_edit():
        st.info(t("auth.viewer_note", lang()), icon=":material/visibility:")


def account_box(language: str) -> None:
    """Who is signed in, their role and a sign-out button; or the note that data stays here."""
    email = signed_in_email()
    if email is None:
        st.sidebar.caption(t("app.local_only", language))
        return
    st.sidebar.caption(
        t("auth.signed_in_as", language, user=email, role=t(f"role.{role() or 'viewer'}", language))
    )
    st.sidebar.button(t("auth.logout", language), key="sign_out", on_click=st.logout)
    st.sidebar.caption(t("app.team_server", language))


# ---- The workspace file: read-only between writes, written in short turns --------------------------


def db_path() -> str:
    """The current workspace file: the one chosen in the sidebar when the server has a workspaces
    folder; else `streamlit run app.py -- --db PATH`, $CANALYSE_DB, or the default."""
    folder = workspaces.folder()
    if folder is not None:
        mine = my_workspaces()
        chosen = st.session_state.get("workspace")
        if chosen not in mine:
            if not mine:
                st.stop()
            chosen = next(iter(mine))
        return str(workspaces.path_of(folder, chosen))
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return str(store.resolve_db_path(known.db).resolve())


# The read-only connections each session opened during its current run, closed when the run ends
# or before the session writes. A page may keep one in a variable, and Streamlit keeps the last
# run's variables alive: left to the garbage collector, they would hold the workspace (and keep
# out every writer) for as long as the page stays open.
_READERS: dict[str, list[duckdb.DuckDBPyConnection | store.Reader]] = {}
# The one reader each session's run opens (workspace path, connection): every query and cursor of
# the run uses it, so a page opens the workspace once, not once per query.
_SHARED: dict[str, tuple[str, store.Reader]] = {}
_READERS_GUARD = threading.Lock()
Tracked = TypeVar("Tracked", duckdb.DuckDBPyConnection, store.Reader)
_HOOKED: weakref.WeakSet = weakref.WeakSet()


def _session() -> str | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx else None


def _track(con: Tracked) -> Tracked:
    session = _session()
    if session is not None:
        with _READERS_GUARD:
            _READERS.setdefault(session, []).append(con)
        _close_when_run_ends(session)
    return con


def _close_when_run_ends(session: str) -> None:
    """Have this session's script runner close its readers when a run stops, however it stops.

    Streamlit offers no public end-of-run hook; its script runner announces the end of each run
    on its `on_event` signal, and runs the script in a thread whose target is the runner. Without
    it (another Streamlit), the readers are closed when the next run starts (`frame`).
    """
    runner = getattr(getattr(threading.current_thread(), "_target", None), "__self__", None)
    signal = getattr(runner, "on_event", None)
    if runner is None or signal is None or runner in _HOOKED:
        return

    def release(_sender: object, event: object = None, **_: object) -> None:
        if getattr(event, "name", "").startswith(("SCRIPT_STOPPED", "SHUTDOWN")):
            release_readers(session)

    signal.connect(release, weak=False)
    _HOOKED.add(runner)


def release_readers(session: str | None = None) -> None:
    """Close the read-only connections a session opened (at the end of a run, before a write)."""
    session = session or _session()
    with _READERS_GUARD:
        opened = _READERS.pop(session, []) if session is not None else []
        _SHARED.pop(session, None)
    for con in opened:
        con.close()


def _open_reader(path: str, open_reader: Callable = store.attach_reader):
    """A reader of `path` (`store.attach_reader`, or `store.open_reader` for a connection of its
    own); a new or older workspace is first created or migrated in one brief write."""
    try:
        return open_reader(path)
    except store.NeedsUpgrade:
        store.prepare(path, actor=actor(), program="canalyse app")
    return open_reader(path)


def _shared_reader(path: str) -> store.Reader | duckdb.DuckDBPyConnection:
    """This run's reader of `path`, opened on first use (outside a run, as in a download asked
    for after the page finished, a connection of its own)."""
    session = _session()
    if session is None:
        # Nothing would close an attached reader here (and writers of this process would wait
        # for it): a connection of its own, closed when it is dropped.
        return _open_reader(path, store.open_reader)
    with _READERS_GUARD:
        found = _SHARED.get(session)
    if found is not None and found[0] == path:
        return found[1]
    reader = _track(_open_reader(path))
    with _READERS_GUARD:
        _SHARED[session] = (path, reader)
    return reader


def cursor() -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the current workspace for this rerun (closing it is harmless).

    The run's reader is closed when the run ends (or before this session writes), so no lock is
    held between reruns: imports from the command line or another page go on while the page is
    open. A store error is shown in words and the page stops.
    """
    try:
        return _track(_shared_reader(db_path()).cursor())
    except CanalyseError as exc:
        store_error(exc)
    except duckdb.Error as exc:
        _unexpected(exc)


@contextmanager
def _reading() -> Iterator[duckdb.DuckDBPyConnection]:
    con = cursor()
    try:
        yield con
    finally:
        con.close()


@contextmanager
def writer() -> Iterator[duckdb.DuckDBPyConnection]:
    """The current workspace open for writing during the block, as the signed-in user.

    Waits its turn behind other writers; refused (in words) to viewers, on a damaged file, or when
    the wait runs out. Close quickly: readers wait while it is open.
    """
    if not can_edit():
        store_error(CanalyseError("store.error.not_editor", user=signed_in_email() or "?"))
    release_readers()
    with ExitStack() as stack:
        try:
            con = stack.enter_context(
                store.writing(
                    db_path(), actor=actor(), program="canalyse app", editor=signed_in_email()
                )
            )
        except CanalyseError as exc:
            store_error(exc)
        except duckdb.Error as exc:
            _unexpected(exc)
        yield con


def write(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run `action(con, *args, **kwargs)` in one writer turn (see `writer`); returns its result."""
    with writer() as con:
        try:
            return action(con, *args, **kwargs)
        except duckdb.Error as exc:
            _unexpected(exc)


def _unexpected(exc: duckdb.Error) -> None:
    """An error the store did not word: its traceback to the server's log, its first line to the
    user, then the page stops. Called while handling it."""
    logger.exception("the workspace could not be used")
    store_error(CanalyseError("store.error.unexpected", detail=_first_line(exc)))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def store_error(error: CanalyseError) -> None:
    """Show a store error in words (and, for a damaged workspace, its latest backup), then stop."""
    language = lang()
    # The page names the workspace, not where its file lies on the server.
    shown = CanalyseError(error.key, **error.params)
    if "path" in shown.params:
        shown.params["path"] = Path(str(shown.params["path"])).stem
    st.error(plain(shown.message(language)), icon=":material/error:")
    if isinstance(error, store.WorkspaceDamaged):
        if error.backup is None:
            st.info(t("store.no_backup_hint", language))
        else:
            if not can_edit_damaged():
                st.info(plain(t("store.restore_hint_admin", language, backup=error.backup.name)))
            else:
                st.info(plain(t("store.restore_hint_page", language, backup=error.backup.name)))
                st.button(
                    t("store.restore_button", language),
                    key="restore_backup",
                    on_click=_restore_latest,
                    type="primary",
                )
    st.stop()


def restore_message() -> None:
    """The outcome of a restore asked for on the previous run."""
    if "restore_message" in st.session_state:
        kind, message = st.session_state.pop("restore_message")
        (st.success if kind == "success" else st.error)(plain(message))


def can_edit_damaged() -> bool:
    """Whether this user may restore a workspace that cannot be read (its members cannot be read
    either): without sign-in only; on a team server the administrator uses `canalyse restore`."""
    return not auth_configured()


def _restore_latest() -> None:
    try:
        result = store.restore(db_path(), actor=actor(), program="canalyse app")
    except CanalyseError as exc:
        st.session_state["restore_message"] = ("error", exc.message(lang()))
        return
    kept = Path(result["kept"]).name if result["kept"] else "-"
    message = t("store.restored", lang(), backup=Path(result["restored"]).name, kept=kept)
    st.session_state["restore_message"] = ("success", message)


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The workspace version: every write (imports, settings, costs, campaigns, events) bumps it."""
    return store.data_version(con)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_query(path: str, version: tuple, name: str, params: tuple) -> pd.DataFrame:
    with _shared_reader(path).cursor() as con:
        return queries.run(con, name, **dict(params))


def _frozen_params(name: str, filters: Filters | None, extra: dict) -> tuple:
    params = (filters or Filters()).params() if queries.parameters(name) - set(extra) else {}
    params.update(extra)
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def query(name: str, filters: Filters | None = None, **extra: object) -> pd.DataFrame:
    """Run a query file with the shared filters (and `extra` parameters), cached per workspace
    until it changes (its path and stamp: the recorded version and the file's size and time)."""
    frozen = _frozen_params(name, filters, extra)
    path = _ready_path()
    try:
        return _cached_query(path, store.stamp(path), name, frozen)
    except CanalyseError as exc:
        store_error(exc)


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_on_query(
    path: str, version: tuple, name: str, params: tuple, module: str, function: str, args: tuple
) -> Any:
    frame = _cached_query(path, version, name, params)
    return getattr(importlib.import_module(module), function)(frame, *args)


def on_query(function: Callable[..., Any], name: str, filters: Filters, *args: Any) -> Any:
    """`function(query(name, filters), *args)` — a core function of a query's result — cached
    like `query`: the result it starts from is the one the page already read, not read again."""
    frozen = _frozen_params(name, filters, {})
    path = _ready_path()
    try:
        return _cached_on_query(
            path, store.stamp(path), name, frozen, function.__module__, function.__qualname__, args
        )
    except CanalyseError as exc:
        store_error(exc)


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_call(
    path: str, version: tuple, module: str, name: str, args: tuple, options: tuple
) -> Any:
    function = getattr(importlib.import_module(module), name)
    with _shared_reader(path).cursor() as con:
        return function(con, *args, **dict(options))


def cached(function: Callable[..., Any], *args: Any, **options: Any) -> Any:
    """`function(con, *args, **options)` — a core function reading the workspace — cached per
    workspace until it changes, like `query`: a rerun with unchanged data reads nothing."""
    path = _ready_path()
    try:
        return _cached_call(
            path,
            store.stamp(path),
            function.__module__,
            function.__qualname__,
            args,
            tuple(sorted(options.items())),
        )
    except CanalyseError as exc:
        store_error(exc)


def workspace_empty() -> bool:
    """Whether nothing has been imported yet, cached like `query`: a rerun with unchanged data
    opens no connection for it."""
    return cached(store.is_empty)


def roi_table(filters: Filters, cost: float) -> pd.DataFrame:
    """The ROI table (every ratio per platform), cached per workspace until it changes."""
    return cached(roi.roi_table, filters, cost)


def _ready_path() -> str:
    """The current workspace's path, once it exists and is up to date (checked by a reader)."""
    path = db_path()
    try:
        _checked(path, store.stamp(path))
    except CanalyseError as exc:
        store_error(exc)
    return path


@st.cache_data(show_spinner=False, max_entries=64)
def _checked(path: str, version: tuple) -> bool:
    # A property of the file at this stamp, the same for every user: checked once per change.
    _open_reader(path).close()
    return True


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
    if workspace_empty():
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
    if figures:
        charts_zip_download(lambda: downloads.charts_zip(figures), name, key)


def charts_zip_download(make_zip: Callable[[], bytes], name: str, key: str) -> None:
    """One button for a zip of chart images that `make_zip` makes when clicked."""
    if downloads.browser_available():
        download(
            st,
            t("downloads.all_png", lang()),
            make_zip,
            f"{name}.zip",
            "application/zip",
            key,
            icon=":material/photo_library:",
        )
