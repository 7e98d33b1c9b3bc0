"""The one catalog of user-facing strings, French first, English too.

Strings live in `canalyse/locales/*.json`, one file per domain, each entry holding both languages
side by side ({"key": {"fr": "...", "en": "..."}}) so that a missing translation cannot go unnoticed.

An entry whose wording depends on a number holds its plural forms instead of one text:
{"key": {"fr": {"one": "{count} ligne", "other": "{count} lignes"}, "en": {...}}}. The `count`
parameter of `t` chooses the form (French: « one » below 2, as in « 0 ligne », « 1,5 million »;
English: « one » for exactly 1) and fills `{count}` like any other parameter.
"""

from __future__ import annotations

import json
from functools import cache
from numbers import Real
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
PLURAL_FORMS = ("one", "other")
_LOCALES = Path(__file__).with_name("locales")

Text = str | dict[str, str]


@cache
def catalog() -> dict[str, dict[str, Text]]:
    """All entries of every locale file, keyed by message key."""
    entries: dict[str, dict[str, Text]] = {}
    for path in sorted(_LOCALES.glob("*.json")):
        for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
            if key in entries:
                raise ValueError(f"message key {key!r} defined twice (again in {path.name})")
            entries[key] = texts
    return entries


def plural_form(count: Real, lang: str) -> str:
    """« one » or « other »: the plural form a number takes in `lang` (anything but English is
    French, like every other text)."""
    if lang == "en":
        return "one" if count == 1 else "other"
    return "one" if 0 <= abs(count) < 2 else "other"


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `params`; for an entry
    with plural forms, the form `params["count"]` (a number) takes."""
    texts = catalog()[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    if isinstance(text, dict):
        count = params.get("count")
        if not isinstance(count, Real):
            raise TypeError(f"message {key!r} has plural forms: give a number as count")
        text = text[plural_form(count, lang)]
    return text.format(**params) if params else text
