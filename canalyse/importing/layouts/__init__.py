"""Every export layout Canalyse recognises, one module per platform, gathered here.

A platform module defines `LAYOUTS: list[ExportLayout]`; adding a module is enough to register it.
Together they are the one mapping table from export columns to canonical metrics.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from canalyse.importing.exports import ExportLayout


@cache
def all_layouts() -> list[ExportLayout]:
    """The layouts of every platform module, in module name order."""
    found: list[ExportLayout] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        found += importlib.import_module(f"{__name__}.{module.name}").LAYOUTS
    ids = [layout.id for layout in found]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ValueError(f"layout ids defined twice: {sorted(duplicated)}")
    return found


def by_id(layout_id: str) -> ExportLayout:
    """The layout with this id."""
    return next(layout for layout in all_layouts() if layout.id == layout_id)
