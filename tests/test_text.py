"""Text from files shown exactly as written wherever Streamlit renders Markdown."""

from __future__ import annotations

import pytest

from canalyse.text import WORD_JOINER, escape_markdown


@pytest.mark.parametrize(
    "text",
    [":material/warning:", ":red[alerte]", ":streamlit:", ":smile:", "Crue :blue-background[x]"],
)
def test_icon_emoji_and_colour_codes_from_a_file_are_broken_invisibly(text):
    escaped = escape_markdown(text)
    # Streamlit turns `:material_…:`, `:streamlit:` and emoji codes into pictures after Markdown has
    # removed its backslashes, and reads `:name[` as a colour: no colon may be followed by a name.
    unescaped = escaped.replace("\\", "")
    assert ":material/" not in escaped
    for i, char in enumerate(unescaped[:-1]):
        if char == ":":
            assert not unescaped[i + 1].isalnum() and unescaped[i + 1] not in "+-_"
    # What the reader sees is the text itself.
    assert unescaped.replace(WORD_JOINER, "") == text


def test_markdown_is_escaped_and_line_breaks_become_spaces():
    assert escape_markdown("**Crue**\n# titre\r\n- item") == "\\*\\*Crue\\*\\* \\# titre \\- item"


def test_a_colon_followed_by_a_space_stays_as_it_is():
    assert escape_markdown("Modération : non") == "Modération \\: non"
