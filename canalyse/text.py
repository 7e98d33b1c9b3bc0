"""Showing text that came from files exactly as written."""

from __future__ import annotations

import re

# Every character Markdown (and Streamlit's LaTeX and colour extensions) could read as syntax.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=])")
# Streamlit turns `:material/warning:`, `:streamlit:` and emoji codes into pictures *after* Markdown
# has removed its backslashes, and reads `:red[…]` as a colour: a colon followed by a name starts
# all of them. An invisible word joiner (U+2060) after such a colon breaks the pattern and shows
# nothing.
_SHORTCODE_START = re.compile(r":(?=\\?[\w+\-])")
WORD_JOINER = "\u2060"
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def escape_markdown(text: object) -> str:
    """`text` made safe for anything Streamlit renders as Markdown (labels, captions, alerts):
    shown verbatim, never as markup, HTML, an icon, an emoji or a colour. A line break becomes a
    space, so that a name from a file cannot start a heading or a list item of its own."""
    flat = _LINE_BREAKS.sub(" ", str(text))
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    return _SHORTCODE_START.sub(":" + WORD_JOINER, escaped)
