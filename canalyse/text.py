"""Showing text that came from files exactly as written."""

from __future__ import annotations

import re

# Every character Markdown (and Streamlit's LaTeX and colour extensions) could read as syntax.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=])")


def escape_markdown(text: object) -> str:
    """Backslash-escape `text` so a Markdown renderer shows it verbatim, never as markup or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
