"""The wheel holds what an installed Canalyse needs: built, installed with its locked dependencies in a
fresh virtual environment, it imports the example and reports it through its own `canalyse`
command, far from this checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from canalyse import queries
from tests.conftest import ROOT

pytestmark = pytest.mark.wheel


def _run(*command: object, cwd: Path, timeout: float = 180) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.pop("CANALYSE_DB", None)
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _uv(*args: object, cwd: Path) -> str:
    """`uv …` from the local cache when it holds everything, else from the package registry."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    try:
        return _run(uv, *args, "--offline", cwd=cwd)
    except AssertionError:
        return _run(uv, *args, cwd=cwd)


def test_the_installed_wheel_imports_the_example_and_reports_it(tmp_path):
    dist = tmp_path / "dist"
    _uv("build", "--wheel", "--out-dir", dist, cwd=ROOT)
    (wheel,) = dist.glob("canalyse-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    assert {f"canalyse/_sql/{name}.sql" for name in queries.available()} <= inside
    assert "canalyse/_samples/rennes_crue_campagne.csv" in inside

    # The locked versions of the dependencies, then the wheel itself.
    lock = tmp_path / "lock" / "pylock.toml"
    lock.parent.mkdir()
    _uv("export", "--frozen", "--no-dev", "--no-emit-project", "-q", "-o", lock, cwd=ROOT)
    venv = tmp_path / "venv"
    _uv("venv", "-q", venv, cwd=tmp_path)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    _uv("pip", "install", "-q", "--python", python, "-r", lock, cwd=tmp_path)
    _uv("pip", "install", "-q", "--no-deps", "--python", python, wheel, cwd=tmp_path)
    _uv("pip", "check", "--python", python, cwd=tmp_path)

    where = "from canalyse import queries, samples; print(queries.QUERY_DIR, samples.RENNES_SAMPLE)"
    query_dir, sample = _run(python, "-c", where, cwd=tmp_path).split()
    assert Path(query_dir).name == "_sql" and venv in Path(query_dir).parents
    assert venv in Path(sample).parents

    canalyse = scripts / "canalyse"
    workspace = tmp_path / "workspace.duckdb"
    imported = json.loads(
        _run(canalyse, "import", sample, "--db", workspace, "--json", cwd=tmp_path)
    )
    assert [report["status"] for report in imported] == ["imported"]
    report = json.loads(_run(canalyse, "report", "--db", workspace, "--json", cwd=tmp_path))
    assert report["total_views"] == 1_682_000
    shares = {row["platform"]: row["share_of_views"] for row in report["platforms"]}
    assert round(100 * shares["facebook"], 1) == 44.0
