"""Every real export layout: one hand-built fixture each, with the figures it must give.

Each fixture under tests/fixtures/exports/ has a sidecar `<file>.expected.json`:
{"tables": [{"layout", "platform", "grain", "rows", "date_min", "date_max", "totals"}], "skipped": [...]}
with totals you can add up by hand from the fixture. Optional "context": {"year": 2025} or
{"platform": "facebook"} (the user's answer for a file that does not say its network). A file
recognised only to be refused has instead {"refused": {"layout", "error_key"}}.
"""

from __future__ import annotations

import json

import pytest

from canalyse.importing.layouts import all_layouts
from canalyse.importing.pipeline import ImportAnswers, import_file
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
CASES = sorted(EXPORTS.rglob("*.expected.json"))


def _fixture(expected_path):
    return expected_path.with_name(expected_path.name.removesuffix(".expected.json"))


@pytest.mark.parametrize("expected_path", CASES, ids=[str(p.relative_to(EXPORTS)) for p in CASES])
def test_export_is_recognised_with_its_platform_grain_rows_period_and_totals(con, expected_path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    fixture = _fixture(expected_path)
    context = dict(expected.get("context", {}))
    if "platform" in context:
        context["answers"] = ImportAnswers(platform=context.pop("platform"))
    report = import_file(con, fixture.name, fixture.read_bytes(), **context)
    if "refused" in expected:
        assert report.status == "error"
        assert report.error_key == expected["refused"]["error_key"]
        assert fixture.name in report.message
        return
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
    expected = [json.loads(path.read_text(encoding="utf-8")) for path in CASES]
    covered = {table["layout"] for case in expected for table in case.get("tables", [])}
    covered |= {case["refused"]["layout"] for case in expected if "refused" in case}
    missing = {layout.id for layout in all_layouts()} - covered
    assert not missing, f"layouts without a fixture: {sorted(missing)}"


@pytest.mark.parametrize(
    ("name", "account"),
    [
        ("villederennes_account_overview_analytics.csv", "villederennes"),
        ("account_overview_analytics.csv", ""),
        ("2025_account_overview_analytics.csv", ""),
    ],
)
def test_an_x_overview_filed_under_a_handle_names_that_account(con, name, account):
    data = (EXPORTS / "x" / "account_overview_analytics.csv").read_bytes()
    assert import_file(con, name, data).status == "imported"
    assert con.execute("SELECT DISTINCT account FROM facts").fetchall() == [(account,)]


def test_legacy_x_daily_files_name_their_account_like_the_per_tweet_ones(con):
    path = next((EXPORTS / "x").glob("daily_tweet_activity_metrics_*.csv"))
    assert import_file(con, path.name, path.read_bytes()).status == "imported"
    (account,) = con.execute("SELECT DISTINCT account FROM facts").fetchone()
    assert account and account in path.name


def test_linkedin_workbooks_name_their_page_from_the_file_name(con):
    path = EXPORTS / "linkedin" / "nantes-metropole_content_1741737600000.xlsx"
    assert import_file(con, path.name, path.read_bytes()).status == "imported"
    assert con.execute("SELECT DISTINCT account FROM facts").fetchall() == [("nantes-metropole",)]


def test_youtube_thumbnail_impressions_are_impressions_and_private_videos_still_count(con):
    data = (
        "Content,Video title,Video publish time,Views,Thumbnail impressions\n"
        "Total,,,12,30\n"
        'aB3dE5fG7hI,Conseil municipal,"Jan 20, 2025",10,20\n'
        "Zt8YuI1oP2a,(vidéo privée),,2,10\n"
    )
    report = import_file(con, "Table data.csv", data.encode())
    assert report.status == "imported", report.message
    (table,) = report.tables
    assert table.totals == {"views": 12, "impressions": 30}
    assert any("1 ligne sans date" in note for note in table.notes)
