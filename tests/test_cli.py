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


def test_report_for_people_says_when_the_networks_cover_different_periods(
    capsys, db_path, tmp_path
):
    # A year of X beside a month of Facebook: their shares compare different lengths of time.
    lines = ["Mois;Réseau;Vues"] + [f"2025-{m:02d};X;100" for m in range(1, 13)]
    table = tmp_path / "mois.csv"
    table.write_text("\n".join([*lines, "2025-12;Facebook;100"]), encoding="utf-8")
    run_cli(capsys, "import", str(table), "--db", str(db_path))
    _, out, _ = run_cli(capsys, "report", "--db", str(db_path))
    assert "Les réseaux ne couvrent pas la même période — X du 01/01/2025 au 31/12/2025" in out
    assert "Période commune à tous : du 01/12/2025 au 31/12/2025." in out
    assert "--from AAAA-MM-JJ --to AAAA-MM-JJ" in out
    # Over the month they share, nothing to say.
    _, out, _ = run_cli(
        capsys, "report", "--db", str(db_path), "--from", "2025-12-01", "--to", "2025-12-31"
    )
    assert "même période" not in out and "50,0\u00a0%" in out


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


def test_a_report_loads_no_importer(tmp_path):
    # A report or a deck starts faster without the layouts, the streaming reader and the network
    # clients, which only `import` and `fetch` need.
    probe = (
        "import sys; from canalyse.cli import main; code = main(sys.argv[1:]); "
        "print(sorted(m for m in sys.modules if m.startswith('canalyse.importing.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "report", "--json", "--db", str(tmp_path / "w.duckdb")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.strip().splitlines()[-1]
    assert "pipeline" not in loaded and "fetch" not in loaded and "layouts" not in loaded, loaded


def test_report_json_gives_cost_per_view_and_views_per_staff_hour_for_a_year(capsys, db_path):
    year = str(FIXTURES / "roi" / "annee_2025_mensuel.csv")
    run_cli(capsys, "import", year, "--db", str(db_path))
    code, out, _ = run_cli(capsys, "report", "--db", str(db_path), "--json", "--hourly-cost", "40")
    assert code == 0
    report = json.loads(out)
    assert report["hourly_cost"] == 40
    rows = {row["platform"]: row for row in report["platforms"]}
    # Facebook: 12 × 60 000 = 720 000 views; 12 × 10 h = 120 h → 4 800 €; spend 12 × 100 = 1 200 €.
    facebook = rows["facebook"]
    assert facebook["views"] == 720_000 and facebook["staff_hours"] == 120
    assert facebook["staff_cost"] == 4_800
    assert facebook["ad_cost_per_view"] == pytest.approx(1_200 / 720_000)
    assert facebook["cost_per_view"] == pytest.approx(6_000 / 720_000)
    assert facebook["views_per_staff_hour"] == 6_000  # 720 000 / 120
    assert facebook["engagement_rate"] == pytest.approx(14_400 / 720_000)
    # X: no spend at all → no ad cost per view; 96 h × 40 € = 3 840 € for 120 000 views.
    x = rows["x"]
    assert x["spend"] is None and x["ad_cost_per_view"] is None
    assert x["cost_per_view"] == pytest.approx(3_840 / 120_000)
    assert x["views_per_staff_hour"] == 1_250  # 120 000 / 96
    # Bluesky reports no views: every ratio on views is null, its engagements and hours remain.
    bluesky = rows["bluesky"]
    assert bluesky["views"] is None and bluesky["share_of_views"] is None
    for field in ("cost_per_view", "views_per_staff_hour", "engagement_rate", "ad_cost_per_view"):
        assert bluesky[field] is None, field
    assert bluesky["engagements"] == 1_800 and bluesky["staff_cost"] == 960


def test_report_filters_by_period_campaign_and_platform(capsys, db_path):
    year = str(FIXTURES / "roi" / "annee_2025_mensuel.csv")
    run_cli(capsys, "import", year, "--db", str(db_path), "--campaign", "Année 2025")
    args = ["report", "--db", str(db_path), "--json", "--hourly-cost", "40"]
    _, out, _ = run_cli(capsys, *args, "--from", "2025-01-01", "--to", "2025-03-31")
    assert json.loads(out)["total_views"] == 3 * 110_000  # three months of 60 000 + 40 000 + 10 000
    _, out, _ = run_cli(capsys, *args, "--campaign", "Autre")
    assert json.loads(out)["platforms"] == []
    _, out, _ = run_cli(capsys, *args, "--platform", "Twitter")
    assert [row["platform"] for row in json.loads(out)["platforms"]] == ["x"]


def test_report_refuses_a_bad_date_or_a_negative_cost(capsys, db_path):
    assert main(["report", "--db", str(db_path), "--from", "01/02/2025"]) == 2
    assert main(["report", "--db", str(db_path), "--hourly-cost", "-3"]) == 2


def test_report_for_people_shows_views_per_hour_and_cost_per_1000_views(capsys, db_path):
    run_cli(
        capsys, "import", str(FIXTURES / "roi" / "annee_2025_mensuel.csv"), "--db", str(db_path)
    )
    _, out, _ = run_cli(capsys, "report", "--db", str(db_path), "--hourly-cost", "40")
    facebook = next(line for line in out.splitlines() if "Facebook" in line)
    assert "6\u00a0000" in facebook and "8,33\u00a0€" in facebook  # 6 000 €/720 000 × 1 000


def test_deck_writes_a_pptx_with_native_charts(capsys, db_path, tmp_path):
    import pptx

    run_cli(
        capsys, "import", str(FIXTURES / "roi" / "annee_2025_mensuel.csv"), "--db", str(db_path)
    )
    out = tmp_path / "bilan.pptx"
    code, _, _ = run_cli(
        capsys,
        "deck",
        "--db",
        str(db_path),
        "--out",
        str(out),
        "--lang",
        "en",
        "--hourly-cost",
        "40",
    )
    assert code == 0
    deck = pptx.Presentation(str(out))
    charts = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) >= 3
    assert deck.slides[1].shapes.title.text == "Facebook brought 55% of views"


def test_deck_needs_an_output_file(capsys, db_path):
    assert main(["deck", "--db", str(db_path)]) == 2
