"""The server in `app.py`: an `st.App` that runs `router.py` for each session and imports the
app's modules while the first browser loads (benchmarks/observatory.py times the start)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

# Run in a process of its own: an st.App pins Streamlit's configuration folder for its process.
_PROBE = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING)
before = set(sys.modules)
import streamlit as st
import app
assert isinstance(app.app, st.App), type(app.app)
app._import_the_app()
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _modules_on_disk() -> set[str]:
    found = set()
    for path in (ROOT / "canalyse").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.add(".".join(parts))
    return found | {"pages.ui"}


def test_the_server_imports_every_module_of_the_app_before_the_first_session():
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    imported = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert _modules_on_disk() - imported == set()
    assert "failed" not in done.stderr, done.stderr
    # The page scripts are Streamlit's to run, per session: importing one would draw it.
    assert not any(name.startswith("pages.") and name != "pages.ui" for name in imported)
    assert "router" not in imported
