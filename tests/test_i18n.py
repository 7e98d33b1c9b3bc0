"""The catalog: every key in both languages, every key the code asks for exists, placeholders agree."""

from __future__ import annotations

import re
import string

import pytest

from canalyse.i18n import LANGUAGES, catalog, t
from tests.conftest import ROOT

KEY_IN_CODE = re.compile(
    r"""(?:\bt|ImportRefused|CanalyseError)\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']"""
)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _forms(text: object) -> list[str]:
    """The texts of one language of an entry: one, or one per plural form."""
    return list(text.values()) if isinstance(text, dict) else [text]


@pytest.mark.parametrize("key", sorted(catalog()))
def test_every_message_exists_in_french_and_english_with_the_same_placeholders(key):
    texts = catalog()[key]
    assert set(texts) == set(LANGUAGES)
    assert all(form.strip() for lang in LANGUAGES for form in _forms(texts[lang]))
    used = {lang: set().union(*map(_placeholders, _forms(texts[lang]))) for lang in LANGUAGES}
    assert used["fr"] == used["en"]


def test_every_key_the_code_uses_is_in_the_catalog():
    sources = [*ROOT.glob("canalyse/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    used = {key for path in sources for key in KEY_IN_CODE.findall(path.read_text("utf-8"))}
    assert used, "the pattern finds the keys"
    assert used - set(catalog()) == set()


def test_french_is_the_default_language():
    assert t("nav.import") == "Importer"
    assert t("nav.import", "en") == "Import"
