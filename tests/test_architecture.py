"""How the tree is built. Layers, and the one way imports go between them: pages and the command
line → output → charts → analysis → importing → store and queries → foundation (a module imports
its own layer or the ones below, never one above; every import counts, those inside functions
too). And concepts that live in one place only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

# Lowest first. A module belongs to the first layer one of whose prefixes it starts with.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "canalyse.errors",
            "canalyse.i18n",
            "canalyse.text",
            "canalyse.formatting",
            "canalyse.platforms",
            "canalyse.metrics",
            "canalyse.ratios",
            "canalyse.filters",
            "canalyse.samples",
            "canalyse.logs",
        ),
    ),
    ("store", ("canalyse.queries", "canalyse.store")),
    ("importing", ("canalyse.importing",)),
    ("analysis", ("canalyse.analysis",)),
    ("charts", ("canalyse.charts",)),
    ("output", ("canalyse.output",)),
    ("entry points", ("canalyse.cli", "pages", "app", "router")),
]
# Libraries that draw or write slides, and Streamlit: each only above a layer.
DRAWING = ("plotly", "pptx", "kaleido")
ONLY_ABOVE = {"charts": DRAWING, "entry points": ("streamlit",)}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    paths = [
        *ROOT.glob("canalyse/**/*.py"),
        *ROOT.glob("pages/*.py"),
        ROOT / "app.py",
        ROOT / "router.py",
    ]
    return {_module_name(path): path for path in paths}


def _layer(module: str) -> int | None:
    if module == "canalyse":
        return 0  # the package itself: its version
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return rank
    return None


def _imports(source: str, modules: set[str]) -> list[tuple[int, str]]:
    """Every module `source` imports, with its line: `from canalyse import store` is canalyse.store
    (one of `modules`), `from canalyse import __version__` is canalyse."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.append((node.lineno, submodule if submodule in modules else node.module))
    return found


def test_every_module_of_the_project_has_a_layer():
    assert [name for name in _sources() if _layer(name) is None] == []


def test_no_module_imports_a_layer_above_its_own():
    sources = _sources()
    upward = []
    for name, path in sorted(sources.items()):
        own = _layer(name)
        for line, imported in _imports(path.read_text(encoding="utf-8"), set(sources)):
            target = _layer(imported) if imported.split(".")[0] in ("canalyse", "pages") else None
            if target is not None and target > own:
                upward.append(
                    f"{path.relative_to(ROOT)}:{line} imports {imported} "
                    f"({LAYERS[target][0]}, above {LAYERS[own][0]})"
                )
    assert upward == [], "upward imports:\n" + "\n".join(upward)


def test_drawing_libraries_and_streamlit_stay_in_their_layers():
    sources = _sources()
    misplaced = []
    for name, path in sorted(sources.items()):
        own = _layer(name)
        for layer, libraries in ONLY_ABOVE.items():
            lowest = [n for n, _ in LAYERS].index(layer)
            for line, imported in _imports(path.read_text(encoding="utf-8"), set(sources)):
                if imported.split(".")[0] in libraries and own < lowest:
                    misplaced.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert misplaced == [], "imports below their layer:\n" + "\n".join(misplaced)


def test_the_layer_check_sees_an_upward_import_even_inside_a_function():
    source = (
        "from canalyse import store, __version__\n"
        "def draw():\n"
        "    from canalyse.charts.base import plain\n"
    )
    modules = {"canalyse.charts.base", "canalyse.store"}
    analysis = _layer("canalyse.analysis.example")
    imported = _imports(source, modules)
    assert [name for _, name in imported] == ["canalyse.store", "canalyse", "canalyse.charts.base"]
    assert [name for _, name in imported if _layer(name) > analysis] == ["canalyse.charts.base"]


def test_only_the_store_opens_and_closes_transactions():
    """Everything else writes inside `store.transaction(con)`: no BEGIN … ROLLBACK of its own."""
    statement = re.compile(r"\b(BEGIN|COMMIT|ROLLBACK)\b")
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for name, path in sorted(_sources().items())
        if not name.startswith("canalyse.store")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and statement.search(node.value)
    ]
    assert found == []


def test_text_is_escaped_for_charts_by_one_function():
    """`charts.base.plain` is the one escaping of file and user text for Plotly."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for name, path in sorted(_sources().items())
        if name != "canalyse.charts.base"
        for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "html.escape(" in text
    ]
    assert found == []
