"""Benchmark: import a large post export into a workspace file on disk.

    uv run python benchmarks/import_benchmark.py [--rows 1000000] [--layout x|meta]

Builds a realistic export in memory (X content export, or a Meta Facebook post export with its
UTF-8 BOM, quoted fields and a duplicated "Views" column), imports it into a fresh DuckDB file with
the same code the app and the CLI use, then re-imports it (must be "unchanged"), and prints the
seconds for each step and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from canalyse import queries, store
from canalyse.filters import Filters
from canalyse.importing.pipeline import import_file


def x_content_export(rows: int, seed: int = 1) -> bytes:
    """An X `account_analytics_content_…csv` with `rows` posts."""
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2025-10-01") + pd.to_timedelta(rng.integers(0, 365, rows), unit="D")
    ids = np.arange(1_800_000_000_000_000_000, 1_800_000_000_000_000_000 + rows, dtype=np.int64)
    frame = pd.DataFrame(
        {
            "Post id": ids.astype(str),
            "Date": days.strftime("%a, %b %-d, %Y"),
            "Post text": "Message n°" + pd.Series(np.arange(rows)).astype(str),
            "Post Link": "https://x.com/ville/status/" + pd.Series(ids).astype(str),
        }
    )
    for column in (
        "Impressions",
        "Likes",
        "Engagements",
        "Bookmarks",
        "Shares",
        "New follows",
        "Replies",
        "Reposts",
        "Profile visits",
        "Detail Expands",
        "URL Clicks",
        "Hashtag Clicks",
        "Permalink Clicks",
    ):
        frame[column] = rng.integers(0, 5_000, rows)
    return frame.to_csv(index=False).encode()


def meta_post_export(rows: int, seed: int = 2) -> bytes:
    """A Meta Business Suite Facebook post export with `rows` posts."""
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, rows), unit="D")
    ids = np.arange(10_000_000, 10_000_000 + rows)
    frame = pd.DataFrame(
        {
            "Post ID": ids.astype(str),
            "Page ID": "104526198765432",
            "Page name": "Ville",
            "Title": "",
            "Description": "Publication " + pd.Series(ids).astype(str),
            "Publish time": days.strftime("%m/%d/%Y 10:00"),
            "Permalink": "https://www.facebook.com/ville/posts/" + pd.Series(ids).astype(str),
            "Post type": "Photos",
            "Date": "Lifetime",
            "Views": rng.integers(0, 50_000, rows),
            "Reach": rng.integers(0, 40_000, rows),
            "Reactions, Comments and Shares": rng.integers(0, 500, rows),
            "Reactions": rng.integers(0, 400, rows),
            "Comments": rng.integers(0, 50, rows),
            "Shares": rng.integers(0, 50, rows),
            "Total clicks": rng.integers(0, 900, rows),
            "Link Clicks": rng.integers(0, 300, rows),
        }
    )
    return b"\xef\xbb\xbf" + frame.to_csv(index=False, quoting=1).encode()


def main() -> None:
    """Build, import, re-import and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--layout", choices=("x", "meta"), default="x")
    args = parser.parse_args()

    started = time.perf_counter()
    build = x_content_export if args.layout == "x" else meta_post_export
    data = build(args.rows)
    name = (
        "account_analytics_content_2025.csv"
        if args.layout == "x"
        else "Jan-01-2025_Dec-31-2025_1.csv"
    )
    built = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        con = store.connect(Path(folder) / "bench.duckdb")
        started = time.perf_counter()
        report = import_file(con, name, data)
        imported = time.perf_counter() - started
        assert report.status == "imported", report.message
        started = time.perf_counter()
        total = queries.run(con, "overview", **Filters().params())["total_views"].iloc[0]
        queried = time.perf_counter() - started
        started = time.perf_counter()
        again = import_file(con, name, data)
        reimported = time.perf_counter() - started
        assert again.status == "unchanged"
        con.close()

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"layout            {args.layout}")
    print(f"rows              {args.rows:,}")
    print(f"file size         {len(data) / 2**20:,.1f} MiB")
    print(f"build file        {built:6.2f} s (not part of the import)")
    print(f"import            {imported:6.2f} s  ({report.tables[0].rows:,} rows stored)")
    print(f"overview query    {queried:6.2f} s  (total views {total:,.0f})")
    print(f"re-import         {reimported:6.2f} s  (unchanged)")
    print(f"peak memory       {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
