"""The `canalyse` command, as scripts use it: JSON output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from canalyse.cli import main
from tests.conftest import FIXTURES, ROOT


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_json_describes_each_file_and_its_tables(capsys, db_path):
    files = [str(FIXTURES / "handmade" / n) for n in ("bilan_titre_total.xlsx", "daily_en.csv")]
    code, out, _ = run_cli(capsys, "import", *files, "--db", str(db_path), "--json")
    assert code == 0
    reports = json.loads(out)
    assert [r["status"] for r in reports] == ["imported", "imported"]
    xlsx, daily = reports
    assert xlsx["file"] == "bilan_titre_total.xlsx" and xlsx["platform"] is None
    (table,) = xlsx["tables"]
    assert table["grain"] == "period" and table["rows"] == 4
    assert table["totals"] == {"views": 1_682_000, "spend": 1_500.5, "staff_hours": 30}
    assert daily["tables"][0]["date_min"] == "2025-01-20"
    assert daily["tables"][0]["date_max"] == "2025-01-21"


def test_import_again_reports_unchanged_and_exits_0(capsys, db_path):
    file = str(FIXTURES / "handmade" / "bilan_cp1252.csv")
    run_cli(capsys, "import", file, "--db", str(db_path))
    code, out, _ = run_cli(capsys, "import", file, "--db", str(db_path), "--json")
    assert code == 0
    assert json.loads(out)[0]["status"] == "unchanged"


def test_a_failed_file_exits_1_and_the_others_still_import(capsys, db_path, tmp_path):
    bad = tmp_path / "mauvais.csv"
    bad.write_text("Réseau;Vues\nFacebook;douze\n", encoding="utf-8")
    good = str(FIXTURES / "handmade" / "bilan_cp1252.csv")
    code, out, _ = run_cli(capsys, "import", str(bad), good, "--db", str(db_path), "--json")
    assert code == 1
    statuses = [r["status"] for r in json.loads(out)]
    assert statuses == ["error", "imported"]
    assert "douze" in json.loads(out)[0]["message"]


def test_a_missing_file_is_an_error_not_a_traceback(capsys, db_path):
    code, _, err = run_cli(capsys, "import", "nulle-part.csv", "--db", str(db_path))
    assert code == 1
    assert "nulle-part.csv" in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    assert main(["import"]) == 2
    assert main(["frobnicate"]) == 2


def test_report_json_gives_views_and_shares(capsys, db_path):
    sample = str(ROOT / "data" / "samples" / "rennes_crue_campagne.csv")
    run_cli(capsys, "import", sample, "--db", str(db_path))
    code, out, _ = run_cli(capsys, "report", "--db", str(db_path), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["total_views"] == 1_682_000
    first = report["platforms"][0]
    assert first["platform"] == "facebook" and first["views"] == 740_000
    assert first["share_of_views"] == pytest.approx(740_000 / 1_682_000)
    assert first["staff_hours"] is None


def test_report_for_people_is_in_french_by_default(capsys, db_path):
    run_cli(capsys, "import", str(FIXTURES / "handmade" / "bilan_cp1252.csv"), "--db", str(db_path))
    code, out, _ = run_cli(capsys, "report", "--db", str(db_path))
    assert code == 0
    assert "446\u00a0000 vues au total" in out
    assert "66,4\u00a0%" in out


def test_the_console_script_runs_with_the_environment_variable(tmp_path):
    env = {**os.environ, "CANALYSE_DB": str(tmp_path / "env.duckdb")}
    sample = str(ROOT / "data" / "samples" / "rennes_crue_campagne.csv")
    imported = subprocess.run(
        [sys.executable, "-m", "canalyse.cli", "import", sample, "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert (tmp_path / "env.duckdb").exists()
