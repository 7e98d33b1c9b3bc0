"""Every real export layout: one hand-built fixture each, with the figures it must give.

Each fixture under tests/fixtures/exports/ has a sidecar `<file>.expected.json`:
{"tables": [{"layout", "platform", "grain", "rows", "date_min", "date_max", "totals"}], "skipped": [...]}
with totals you can add up by hand from the fixture. Optional "context": {"year": 2025}.
"""

from __future__ import annotations

import json

import pytest

from canalyse.importing.layouts import all_layouts
from canalyse.importing.pipeline import import_file
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
CASES = sorted(EXPORTS.rglob("*.expected.json"))


def _fixture(expected_path):
    return expected_path.with_name(expected_path.name.removesuffix(".expected.json"))


@pytest.mark.parametrize("expected_path", CASES, ids=[str(p.relative_to(EXPORTS)) for p in CASES])
def test_export_is_recognised_with_its_platform_grain_rows_period_and_totals(con, expected_path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    fixture = _fixture(expected_path)
    report = import_file(con, fixture.name, fixture.read_bytes(), **expected.get("context", {}))
    assert report.status == "imported", report.message
    got = [
        {
            "layout": table.layout,
            "platform": table.platform,
            "grain": table.grain,
            "rows": table.rows,
            "date_min": table.date_min.isoformat() if table.date_min else None,
            "date_max": table.date_max.isoformat() if table.date_max else None,
            "totals": table.totals,
        }
        for table in report.tables
    ]
    for table in expected["tables"]:
        table["totals"] = {k: pytest.approx(v) for k, v in table["totals"].items()}
    assert got == expected["tables"]
    assert report.skipped == expected.get("skipped", [])


def test_every_layout_has_a_fixture():
    covered = {
        table["layout"]
        for path in CASES
        for table in json.loads(path.read_text(encoding="utf-8"))["tables"]
    }
    missing = {layout.id for layout in all_layouts()} - covered
    assert not missing, f"layouts without a fixture: {sorted(missing)}"
