"""Benchmark at observatory scale: imports, every query file, every page, the report and the deck.

    uv run python benchmarks/observatory.py [--facts 1000000 10000000] [--import-rows 1000000 3000000]
                                            [--skip-pages] [--skip-browser] [--keep DIR]

`--facts` with no size skips the workspaces (imports only); `--import-rows` with none skips imports.

For each size it builds a workspace shaped like real use — 8 networks, 200 accounts, three years of
account day series, posts, typed months of hours and spend, 3 campaigns (tags and a saved date
range), overlapping re-exports of posts, an event — straight in SQL (the import path is measured on its own),
recounts it in full, then times each query file (default filters, and one network over one
quarter), each page's first run and eight warm reruns after filter changes (Streamlit's AppTest),
`canalyse report --json` and `canalyse deck` (subprocesses), and server start to the first page
drawn in Chromium. Imports are timed through the real importer on an X content export, beside
DuckDB's own `CREATE TABLE AS SELECT * FROM read_csv(...)` of the same file (the floor). Seconds are
wall-clock on this machine, peak memory is the process's (or the subprocess's) maximum resident set.
Not a test: its output is pasted in the README's performance section.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from canalyse import queries, store  # noqa: E402
from canalyse.store import counting  # noqa: E402

NETWORKS = ("facebook", "instagram", "x", "linkedin", "youtube", "tiktok", "bluesky", "mastodon")
ACCOUNTS = 200
FIRST_DAY = date(2023, 1, 1)
DAYS = 1096  # 2023-01-01 … 2025-12-31
CAMPAIGNS = ("Inondations 2024", "Budget participatif", "Été 2025")
QUARTER = {"start": date(2025, 1, 1), "end": date(2025, 3, 31), "platforms": ["facebook"]}
PAGES = ("overview", "roi", "decision", "trends", "campaigns", "import_data", "glossary", "present")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(action, repeat: int = 1) -> float:
    """The median wall-clock seconds of `repeat` runs of `action`."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


# ---- A workspace shaped like an observatory ----------------------------------------------------------


def build_workspace(path: Path, facts: int) -> dict:
    """Fill a fresh workspace with about `facts` raw figures; returns what was built and timings."""
    con = store.connect(path)
    day_accounts = [a for a in range(ACCOUNTS) if a % 5 != 0]  # 160 accounts export day series
    day_rows = len(day_accounts) * DAYS
    months = len(NETWORKS) * 36
    reexport_share = 0.1
    posts = max(0, int((facts - day_rows - months) / (1 + reexport_share)))
    reexported = int(posts * reexport_share)
    started = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    con.execute(
        """
        CREATE TEMP TABLE accounts AS
        SELECT a AS n, $networks[(a % 8) + 1] AS platform, 'compte-' || lpad(a::VARCHAR, 3, '0') AS account
        FROM range($accounts) AS t(a)
        """,
        {"networks": list(NETWORKS), "accounts": ACCOUNTS},
    )
    # One import per account and kind: 1–200 posts, 201–400 day series, 401–600 re-exports,
    # 601 the typed months.
    con.execute(
        """
        INSERT INTO sources BY NAME
        SELECT source_id, file_name, 'bench-' || source_id AS content_hash, platform,
               layout, NULL AS campaign, now()::TIMESTAMP AS imported_at, 0 AS rows,
               NULL AS date_min, NULL AS date_max, kind,
               CASE WHEN platform IS NULL THEN $networks ELSE [platform] END AS platforms
        FROM (
            SELECT n + 1 AS source_id, 'posts_' || account || '.csv' AS file_name, platform,
                   'bench_posts' AS layout, 'file' AS kind FROM accounts
            UNION ALL
            SELECT n + 201, 'jours_' || account || '.csv', platform, 'bench_days', 'file' FROM accounts
            UNION ALL
            SELECT n + 401, 'posts_' || account || ' (2).csv', platform, 'bench_posts', 'file' FROM accounts
            UNION ALL
            SELECT 601, 'canalyse:saisie', NULL, 'typed', 'typed'
        )
        """,
        {"networks": list(NETWORKS)},
    )
    con.execute("SELECT max(nextval('source_ids')) FROM range(601)")
    metrics = (
        "(hash(n, 1) % 5000)::DOUBLE AS views, (hash(n, 2) % 4000)::DOUBLE AS reach, "
        "(hash(n, 3) % 300)::DOUBLE AS reactions, (hash(n, 4) % 40)::DOUBLE AS comments, "
        "(hash(n, 5) % 30)::DOUBLE AS shares, (hash(n, 6) % 400)::DOUBLE AS engagements"
    )
    campaign = (
        "CASE WHEN day BETWEEN DATE '2024-01-15' AND DATE '2024-03-15' THEN $c1 "
        "WHEN day BETWEEN DATE '2024-09-01' AND DATE '2024-10-31' THEN $c2 ELSE '' END"
    )
    key = "fact_key(platform, account, grain, item_key, period_start, period_end, false, campaign, '')"
    names = {"c1": CAMPAIGNS[0], "c2": CAMPAIGNS[1]}
    con.execute(
        f"""
        INSERT INTO facts BY NAME
        SELECT *, {key} AS fact_key FROM (
            SELECT a.n + 1 AS source_id, 0 AS table_no, a.platform, a.account, 'post' AS grain,
                   day AS period_start, day AS period_end,
                   'https://example.org/' || a.account || '/' || p.n AS item_key, NULL AS title,
                   {campaign} AS campaign, false AS key_campaign, '' AS key_extra,
                   {metrics.replace("hash(n,", "hash(p.n,")}
            FROM (SELECT n, n % $accounts AS owner,
                         DATE '2023-01-01' + (hash(n, 9) % {DAYS})::INTEGER AS day
                  FROM range($posts) AS t(n)) AS p
            JOIN accounts AS a ON a.n = p.owner
        )
        """,
        {**names, "accounts": ACCOUNTS, "posts": posts},
    )
    con.execute(
        f"""
        INSERT INTO facts BY NAME
        SELECT *, {key} AS fact_key FROM (
            SELECT a.n + 201 AS source_id, 0 AS table_no, a.platform, a.account, 'day' AS grain,
                   day AS period_start, day AS period_end, NULL AS item_key, NULL AS title,
                   '' AS campaign, false AS key_campaign, '' AS key_extra,
                   {metrics.replace("hash(n,", "hash(a.n * 10000 + d.i,")},
                   (1000 + a.n * 10 + d.i)::DOUBLE AS followers_total
            FROM accounts AS a,
                 (SELECT i, DATE '2023-01-01' + i::INTEGER AS day FROM range({DAYS}) AS t(i)) AS d
            WHERE a.n % 5 <> 0
        )
        """
    )
    # Re-exports: a tenth of the posts again, later, with grown figures (same keys: they win).
    con.execute(
        f"""
        INSERT INTO facts BY NAME
        SELECT * REPLACE (source_id + 400 AS source_id, views * 1.1 AS views)
        FROM facts WHERE grain = 'post' AND hash(fact_key) % 10 = 0 LIMIT {reexported}
        """
    )
    con.execute(
        """
        INSERT INTO facts BY NAME
        SELECT *, fact_key(platform, '', 'period', NULL, period_start, period_end, true, campaign, '')
                  AS fact_key
        FROM (
            SELECT 601 AS source_id, 0 AS table_no, platform, '' AS account, 'period' AS grain,
                   m AS period_start, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS period_end,
                   NULL AS item_key, NULL AS title, '' AS campaign, true AS key_campaign,
                   '' AS key_extra, (20 + hash(platform, m) % 40)::DOUBLE AS staff_hours,
                   CAST(hash(platform, m, 1) % 200000 AS DECIMAL(18, 2)) / 100 AS spend
            FROM (SELECT unnest($networks) AS platform),
                 (SELECT (DATE '2023-01-01' + INTERVAL (i) MONTH)::DATE AS m FROM range(36) AS t(i))
        )
        """,
        {"networks": list(NETWORKS)},
    )
    con.execute(
        "INSERT INTO campaign_ranges VALUES (?, DATE '2025-06-01', DATE '2025-08-31')",
        [CAMPAIGNS[2]],
    )
    # An event, as a team marks one: the Trends page then compares views before and after it.
    con.execute(
        "INSERT INTO events VALUES (nextval('event_ids'), DATE '2025-06-15', "
        "'Arrêt des publications sur X')"
    )
    con.execute(
        "UPDATE sources AS s SET rows = (SELECT count(*) FROM facts AS f WHERE f.source_id = s.source_id)"
    )
    con.execute("COMMIT")
    generated = time.perf_counter() - started
    started = time.perf_counter()
    with store.transaction(con):
        counting.rebuild_current(con)
        counting.rebuild(con, counting.all_partitions(con))
    recount = time.perf_counter() - started
    raw = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    counted = con.execute("SELECT count(*) FROM figures").fetchone()[0]
    con.execute("CHECKPOINT")
    con.close()
    return {
        "facts": raw,
        "figure_rows": counted,
        "generated_s": generated,
        "recount_s": recount,
        "size_mib": path.stat().st_size / 2**20,
    }


# ---- Query files -------------------------------------------------------------------------------------


def time_queries(path: Path) -> list[tuple[str, float, float]]:
    """Per query file: seconds with default filters and with one network over one quarter."""
    con = duckdb.connect(str(path), read_only=True)
    floor = _timed(
        lambda: con.execute("SELECT platform, sum(views) FROM facts GROUP BY platform").fetchall(),
        repeat=3,
    )
    rows = [("(floor) GROUP BY platform over the raw facts", floor, float("nan"))]
    for name in queries.available():
        wanted = queries.parameters(name)
        everything = {p: None for p in wanted}
        if "hourly_cost" in wanted:
            everything["hourly_cost"] = 35.0
        if "granularity" in wanted:  # what the Trends page asks: months over three years
            everything["granularity"] = "month"
        quarter = {**everything, **{k: v for k, v in QUARTER.items() if k in wanted}}
        if "granularity" in wanted:  # and weeks over a quarter
            quarter["granularity"] = "week"
        default = _timed(lambda n=name, p=everything: queries.run(con, n, **p), repeat=3)
        narrow = _timed(lambda n=name, p=quarter: queries.run(con, n, **p), repeat=3)
        rows.append((name, default, narrow if quarter != everything else float("nan")))
    con.close()
    return rows


# ---- Pages (AppTest), report and deck -----------------------------------------------------------------


def time_pages(path: Path) -> list[tuple[str, float, float, float]]:
    """Per page: the first run (empty caches), then the median and the slowest of eight warm
    reruns, each after a change of the network filter to another network (so that each reads
    the workspace again). One rerun alone says little on a machine whose speed swings by 20 %."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CANALYSE_DB"] = str(path)
    results = []
    for page in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        gc.collect()
        # Pages run under the app's router (st.navigation), as in the browser.
        app = AppTest.from_file(str(ROOT / "router.py"), default_timeout=600)
        app.run()
        started = time.perf_counter()
        app.switch_page(f"pages/{page}.py").run()
        first = time.perf_counter() - started
        if app.exception:
            raise RuntimeError(f"page {page}: {app.exception}")
        reruns = []
        for network in NETWORKS if _has(app, "filter_platforms") else NETWORKS[:1]:
            if _has(app, "filter_platforms"):
                app.multiselect(key="filter_platforms").set_value([network])
            started = time.perf_counter()
            app.run()
            reruns.append(time.perf_counter() - started)
            if app.exception:
                raise RuntimeError(f"page {page}, {network}: {app.exception}")
        results.append((page, first, statistics.median(reruns), max(reruns)))
    return results


def time_pages_apart(path: Path) -> list[tuple[str, float, float, float]]:
    """`time_pages` in a fresh process, as a server would run them: not in this one, whose heap
    still holds what building the workspace took."""
    completed = subprocess.run(
        [sys.executable, str(Path(__file__)), "--pages-of", str(path)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return [tuple(row) for row in json.loads(completed.stdout.splitlines()[-1])]


def _has(app, key: str) -> bool:
    try:
        app.multiselect(key=key)
    except KeyError:
        return False
    return True


def time_command(arguments: list[str]) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one `canalyse` command in a fresh process."""
    # The child reports its own high-water mark as it exits (its ru_maxrss would start at ours).
    wrapper = (
        "import atexit, os, runpy, sys; "
        "atexit.register(lambda: os.write(2, ('\\nVmHWM ' + next(l for l in open('/proc/self/status') "
        "if l.startswith('VmHWM')).split()[1] + '\\n').encode())); "
        "sys.argv = ['canalyse', *sys.argv[1:]]; runpy.run_module('canalyse.cli', run_name='__main__')"
    )
    command = [sys.executable, "-c", wrapper, *arguments]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)}: {completed.stderr[-500:]}")
    marks = [line.split()[1] for line in completed.stderr.splitlines() if line.startswith("VmHWM ")]
    return seconds, int(marks[-1]) / 1024


def time_server_start(folder: Path) -> float | None:
    """Seconds from `streamlit run app.py` to the Overview drawn in Chromium (empty workspace).

    The browser is started before the clock, as a user's browser is already open."""
    if not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import sync_playwright

    port = 8765
    env = {**os.environ, "CANALYSE_DB": str(folder / "empty.duckdb")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-quic"],
        )  # fmt: skip
        page = browser.new_page()
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            # The page is asked for as soon as the server listens (a failed load would cost the
            # browser an error page and the clock a retry that no user makes).
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                    break
                except OSError:
                    if time.perf_counter() - started > 60:
                        raise
                    time.sleep(0.01)
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_role("heading", name="Vue d'ensemble").wait_for(timeout=60_000)
            seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
            browser.close()
    return seconds


def time_browser_reruns(path: Path, folder: Path) -> tuple[float, float] | None:
    """Trends in Chromium on a server of the workspace: the median and the slowest of eight filter
    changes, each adding a network through the sidebar as a user does, from the key press to the
    page drawn again (the run, what the server sends and the browser's drawing: what AppTest's
    times leave out). None without Chromium."""
    from tests.browsing import CHROMIUM, CHROMIUM_ARGS, new_tab, open_page, runs, serve, settle

    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    from canalyse.platforms import label

    changes = []
    for url in serve(folder / "server.log", {"CANALYSE_DB": str(path)}):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = new_tab(browser)
            open_page(tab, f"{url}/trends")
            networks = tab.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')
            networks.first.click()  # the list stays open while networks are added
            for network in NETWORKS:
                tab.keyboard.type(label(network))
                before = runs(tab)
                started = time.perf_counter()
                tab.keyboard.press("Enter")
                settle(tab, before, quiet=0)
                changes.append(time.perf_counter() - started)
            browser.close()
    return statistics.median(changes), max(changes)


# ---- Imports against DuckDB's floor ----------------------------------------------------------------------


def time_import(rows: int, folder: Path) -> dict:
    """The real import of an X content export of `rows` posts, beside DuckDB reading the same file.

    The importer is given the file's path, as `canalyse import` is: its bytes are read from the
    disk within the time measured, as DuckDB's are."""
    from import_benchmark import x_content_export

    from canalyse.importing.pipeline import import_file

    data = x_content_export(rows)
    csv = folder / f"x_{rows}.csv"
    csv.write_bytes(data)
    floor_db = folder / f"floor_{rows}.duckdb"
    # A child's ru_maxrss starts at its parent's peak (Linux keeps it across exec): each process
    # reports its own high-water mark instead.
    peak = (
        "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) / 1024"
    )
    probe = (
        "import duckdb, sys, time; "
        "con = duckdb.connect(sys.argv[1]); con.execute('SET enable_progress_bar = false'); "
        "t = time.perf_counter(); "
        'con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[2]]); '
        f"print(time.perf_counter() - t, {peak})"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(floor_db), str(csv)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-2:]
    floor_s, floor_mib = float(out[0]), float(out[1])
    runner = (
        "import sys, time; from pathlib import Path; "
        "from canalyse import store; from canalyse.importing.pipeline import import_file; "
        "con = store.connect(sys.argv[1]); data = Path(sys.argv[2]); t = time.perf_counter(); "
        "r = import_file(con, 'account_analytics_content_2023-01-01_2025-12-31.csv', data); "
        "assert r.status == 'imported', r.message; "
        f"print(time.perf_counter() - t, {peak})"
    )
    out = subprocess.run(
        [sys.executable, "-c", runner, str(folder / f"import_{rows}.duckdb"), str(csv)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout.split()[-2:]  # fmt: skip
    # DuckDB draws its progress bar on stdout for long statements: the figures are the last words.
    del import_file
    return {
        "rows": rows,
        "mib": len(data) / 2**20,
        "import_s": float(out[0]),
        "import_mib": float(out[1]),
        "floor_s": floor_s,
        "floor_mib": floor_mib,
    }


# ---- Output -----------------------------------------------------------------------------------------------


def _s(value: float) -> str:
    return "—" if value != value else f"{value:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--import-rows", type=int, nargs="*", default=[1_000_000, 3_000_000])
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the workspaces in this folder")
    parser.add_argument("--pages-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pages_of:
        print(json.dumps(time_pages(args.pages_of)))
        return
    folder = Path(tempfile.mkdtemp(prefix="canalyse-bench-"))
    print(f"# Canalyse benchmark — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores\n")
    try:
        if args.import_rows:
            print("## Imports (X content export through the real importer)\n")
            print("| rows | file | import | peak | DuckDB read_csv | peak | ratio |")
            print("|---:|---:|---:|---:|---:|---:|---:|")
            for rows in args.import_rows:
                r = time_import(rows, folder)
                print(
                    f"| {rows:,} | {r['mib']:.0f} MiB | {r['import_s']:.2f} s | {r['import_mib']:,.0f} MiB "
                    f"| {r['floor_s']:.2f} s | {r['floor_mib']:,.0f} MiB | {r['import_s'] / r['floor_s']:.1f}× |"
                )
            print()
        for facts in args.facts:
            path = folder / f"observatory_{facts}.duckdb"
            built = build_workspace(path, facts)
            print(f"## {built['facts']:,} raw figures ({built['figure_rows']:,} counted rows, "
                  f"{built['size_mib']:,.0f} MiB on disk)\n")  # fmt: skip
            print(f"- generated in SQL: {built['generated_s']:.1f} s (not an import)")
            print(f"- full recount (every network and account): {built['recount_s']:.1f} s\n")
            print("| query file | default filters | one network, one quarter |")
            print("|---|---:|---:|")
            for name, default, narrow in time_queries(path):
                print(f"| {name} | {_s(default)} | {_s(narrow)} |")
            print()
            if not args.skip_pages:
                print(
                    "| page (AppTest) | first run | rerun after a network filter change: median "
                    "of 8 | slowest of 8 |"
                )
                print("|---|---:|---:|---:|")
                for page, first, median, slowest in time_pages_apart(path):
                    print(f"| {page} | {_s(first)} | {_s(median)} | {_s(slowest)} |")
                print()
            print("| command | seconds | peak memory |")
            print("|---|---:|---:|")
            for label, arguments in (
                ("canalyse report --json", ["report", "--json", "--db", str(path)]),
                ("canalyse deck", ["deck", "--out", str(folder / "deck.pptx"), "--db", str(path)]),
            ):
                seconds, peak = time_command(arguments)
                print(f"| {label} | {seconds:.2f} s | {peak:,.0f} MiB |")
            print()
            if not args.skip_browser:
                reruns = time_browser_reruns(path, folder)
                if reruns is not None:
                    print(
                        "Trends in Chromium, a network added to the filter, from the key press to "
                        f"the page drawn again: median of 8 {_s(reruns[0])}, slowest {_s(reruns[1])}\n"
                    )
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, args.keep / path.name)
            path.unlink()
        if not args.skip_browser:
            seconds = time_server_start(folder)
            if seconds is not None:
                print(
                    f"Server start to the Overview drawn in Chromium (empty workspace): {seconds:.2f} s\n"
                )
        print(f"Peak memory of the benchmark process: {_peak_mib():,.0f} MiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
