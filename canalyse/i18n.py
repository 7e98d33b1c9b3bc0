"""The one catalog of user-facing strings, French first, English too.

Strings live in `canalyse/locales/*.json`, one file per domain, each entry holding both languages
side by side ({"key": {"fr": "...", "en": "..."}}) so that a missing translation cannot go unnoticed.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
_LOCALES = Path(__file__).with_name("locales")


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All entries of every locale file, keyed by message key."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(_LOCALES.glob("*.json")):
        for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
            if key in entries:
                raise ValueError(f"message key {key!r} defined twice (again in {path.name})")
            entries[key] = texts
    return entries


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `params`."""
    texts = catalog()[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text
