"""Canalyse: the dashboard's server (run with `uv run streamlit run app.py`).

Streamlit runs `router.py` for each browser session. While the first browser loads Streamlit's
scripts, this server already imports the app's modules in the background, so that the first page
is drawn about half a second sooner (benchmarks/observatory.py measures the start).
"""

import importlib
import logging
import pkgutil
import threading
from contextlib import asynccontextmanager

import streamlit as st

_log = logging.getLogger("canalyse")


def _import_the_app() -> None:
    """Import every module of the `canalyse` package and the pages' shared frame."""
    try:
        import canalyse

        for module in pkgutil.walk_packages(canalyse.__path__, "canalyse."):
            importlib.import_module(module.name)
        importlib.import_module("pages.ui")
    except Exception:  # the first session imports what it needs anyway, and says what failed
        _log.exception("Importing the app's modules ahead of the first session failed")


@asynccontextmanager
async def _start(_app):
    threading.Thread(target=_import_the_app, name="canalyse-import", daemon=True).start()
    yield


app = st.App("router.py", lifespan=_start)
