"""The catalog: every entry in both languages with the same placeholders, every key the code asks
for exists, every entry is asked for somewhere; plural forms. Each check lists every failing key."""

from __future__ import annotations

import ast
import re
import string

import pytest

from canalyse.i18n import LANGUAGES, PLURAL_FORMS, catalog, plural_form, t
from canalyse.importing.layouts import all_layouts
from canalyse.metrics import METRICS
from tests.conftest import ROOT

# Calls whose first argument is a catalog key.
KEY_TAKERS = {
    "t",
    "CanalyseError",
    "ImportRefused",
    "FetchFailed",
    "WorkspaceBusy",
    "WorkspaceDamaged",
    "NeedsUpgrade",
    "_refuse",
}


# How a key built from a name starts: « decision.criterion. », « trends.before_after.title_ ».
KEY_START = re.compile(r"[a-z][a-z_0-9]*(\.[a-z_0-9]+)*\.[a-z_0-9]*")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _forms(text: object) -> list[str]:
    """The texts of one language of an entry: one, or one per plural form."""
    return list(text.values()) if isinstance(text, dict) else [text]


def _code() -> dict[str, ast.AST]:
    paths = [
        *ROOT.glob("canalyse/**/*.py"),
        *ROOT.glob("pages/*.py"),
        ROOT / "app.py",
        ROOT / "router.py",
    ]
    return {str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8")) for p in paths}


def _strings(tree: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _families(tree: ast.AST) -> set[str]:
    """The fixed start of every f-string that builds a key (`f"decision.criterion.{name}"`)."""
    starts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and node.values:
            head = node.values[0]
            if isinstance(head, ast.Constant) and KEY_START.fullmatch(str(head.value)):
                starts.add(str(head.value))
    return starts


def _asked_keys(tree: ast.AST) -> set[str]:
    """Keys given literally to a call that takes one (`t("nav.import", lang)`)."""
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in KEY_TAKERS and isinstance(first, ast.Constant):
                if isinstance(first.value, str):
                    keys.add(first.value)
    return keys


def test_every_entry_has_french_and_english():
    incomplete = [
        key
        for key, texts in catalog().items()
        if set(texts) != set(LANGUAGES)
        or not all(text.strip() for lang in LANGUAGES for text in _forms(texts[lang]))
    ]
    assert incomplete == []


def test_plural_entries_give_every_form_in_both_languages():
    plural = {key: texts for key, texts in catalog().items() if isinstance(texts["fr"], dict)}
    assert plural, "some entries have plural forms"
    wrong = [
        key
        for key, texts in plural.items()
        if any(not isinstance(texts[lang], dict) for lang in LANGUAGES)
        or any(set(texts[lang]) != set(PLURAL_FORMS) for lang in LANGUAGES)
    ]
    assert wrong == []


def test_placeholders_are_the_same_in_french_and_english():
    def used(text: object) -> set[str]:
        return set().union(*(_placeholders(form) for form in _forms(text)))

    mismatched = [
        f"{key}: fr {sorted(used(texts['fr']))}, en {sorted(used(texts['en']))}"
        for key, texts in catalog().items()
        if used(texts["fr"]) != used(texts["en"])
    ]
    assert mismatched == []


def test_every_key_the_code_asks_for_is_in_the_catalog():
    missing = sorted(
        f"{path}: {key}"
        for path, tree in _code().items()
        for key in _asked_keys(tree)
        if key not in catalog()
    )
    assert missing == []


def test_every_key_family_the_code_builds_has_entries():
    """`f"decision.criterion.{name}"` must match some key: a renamed family is caught here."""
    empty = sorted(
        f"{path}: {start}…"
        for path, tree in _code().items()
        for start in _families(tree)
        if any(key.startswith(start.split(".")[0] + ".") for key in catalog())
        and not any(key.startswith(start) for key in catalog())
    )
    assert empty == []


def test_every_entry_is_used_by_the_code():
    """A key is used when the code writes it whole (in a call, a tuple, a condition…) or builds it
    from a fixed start and a name (`f"decision.criterion.{name}"`)."""
    trees = _code().values()
    written = set().union(*(_strings(tree) for tree in trees))
    starts = set().union(*(_families(tree) for tree in trees))
    unused = sorted(
        key
        for key in catalog()
        if key not in written and not any(key.startswith(start) for start in starts)
    )
    assert unused == []


def test_every_metric_and_layout_is_named_in_the_catalog():
    missing = [
        key
        for key in [
            *(f"metric.{name}.{part}" for name in METRICS for part in ("label", "definition")),
            *(f"layout.{layout.id}" for layout in all_layouts()),
            *(layout.note_key for layout in all_layouts() if layout.note_key),
        ]
        if key not in catalog()
    ]
    assert missing == []


def test_french_is_the_default_language():
    assert t("nav.import") == "Importer"
    assert t("nav.import", "en") == "Import"


@pytest.mark.parametrize(
    ("count", "lang", "form"),
    [(0, "fr", "one"), (1, "fr", "one"), (1.7, "fr", "one"), (2, "fr", "other")]
    + [(0, "en", "other"), (1, "en", "one"), (1.7, "en", "other"), (2, "en", "other")],
)
def test_the_plural_form_follows_each_language(count, lang, form):
    assert plural_form(count, lang) == form


def test_a_plural_entry_takes_the_form_its_count_asks_for():
    assert t("trends.span.day", "fr", count=1) == "1 jour"
    assert t("trends.span.day", "fr", count=30) == "30 jours"
    assert t("trends.span.week", "en", count=1) == "1 week"
    with pytest.raises(TypeError):
        t("trends.span.day", "fr", count="30")
