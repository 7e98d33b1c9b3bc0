"""The workspace schema: versioned, upgraded when a workspace opens, backed up before an upgrade."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb

from canalyse.errors import CanalyseError
from canalyse.store import counting, files, keys, sources
from canalyse.store.transaction import VERSION_KEY, transaction

SCHEMA_VERSION = 5
_SQL = Path(__file__).with_name("sql")
BACKUP_DIR = "backups"

# The metrics as they were when version 4 was written: a migration is history and must not
# follow the registry (a metric added later comes with its own migration).
_V4_METRICS = (
    "views",
    "reach",
    "impressions",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "link_clicks",
    "video_views",
    "watch_time_hours",
    "engagements",
    "followers_gained",
    "followers_lost",
    "followers_total",
    "profile_visits",
    "spend",
    "staff_hours",
)
# What version 3 recognised as the app's own rows.
_V3_TYPED_FILE = "efforts_saisis_dans_canalyse.csv"
_V3_EXAMPLE_FILE = "rennes_crue_campagne.csv"


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the workspace, 0 for an empty file."""
    try:
        # The table is looked up by its name: listing the catalog (information_schema,
        # duckdb_tables()) costs 8 ms on a connection just opened, a third of opening a workspace.
        rows = con.execute("SELECT value FROM main.meta WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return 0  # no `meta` table: a new, empty file
    return int(rows[0][0]) if rows else 0


def backup(con: duckdb.DuckDBPyConnection, path: Path, reason: str) -> Path:
    """Copy the workspace file to `backups/` beside it; returns the copy's path.

    The write-ahead log is checkpointed first, so the copy is the whole workspace in one file (a
    log still there, written by another program, is copied beside it). The file is read through
    `files`, which never drops the locks that keep other programs out.
    """
    con.execute("CHECKPOINT")
    return copy_to_backups(path, reason)


def copy_to_backups(path: Path, reason: str) -> Path:
    """Copy the workspace file (and its write-ahead log, if any) to `backups/` as `reason`."""
    folder = path.parent / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}-{reason}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{path.stem}-{stamp}-{reason}-{counter}{path.suffix}"
    files.copy_out(path, target)
    wal = path.with_name(path.name + ".wal")
    if wal.is_file() and wal.stat().st_size:
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    return target


def migrate(con: duckdb.DuckDBPyConnection, path: Path | None) -> Path | None:
    """Bring the workspace up to SCHEMA_VERSION, one version per transaction.

    A workspace holding data is first copied to `backups/` (returned), so an upgrade that goes
    wrong, or a newer Canalyse the user wants to leave, never costs their data.
    """
    version = schema_version(con)
    if version > SCHEMA_VERSION:
        raise CanalyseError("store.error.newer", found=version, supported=SCHEMA_VERSION)
    if version == SCHEMA_VERSION:
        return None
    copy = None
    if version > 0 and path is not None and path.is_file():
        copy = backup(con, path, f"avant-v{SCHEMA_VERSION}")
    for step in range(version, SCHEMA_VERSION):
        with transaction(con, bump=False):
            _STEPS[step](con)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(step + 1)])
    return copy


def _sql_file(name: str) -> Callable[[duckdb.DuckDBPyConnection], None]:
    def run(con: duckdb.DuckDBPyConnection) -> None:
        con.execute((_SQL / name).read_text(encoding="utf-8"))

    return run


def _to_v4(con: duckdb.DuckDBPyConnection) -> None:
    """Version 4: figures counted per network and account, materialised after every write.

    Every key gains the account; hand-made rows keep their campaign in the key through
    `key_campaign`, undated summaries their file name through `key_extra`. Spend becomes exact to
    the cent. The derived views of version 3 are dropped: the counted figures are now tables.
    """
    from canalyse.samples import example_hashes

    con.execute(keys.FACT_KEY_MACRO)
    for statement in (
        "DROP VIEW IF EXISTS facts_effective",
        "DROP VIEW IF EXISTS facts_current",
        "DROP MACRO TABLE IF EXISTS filtered_facts",
        "DROP MACRO TABLE IF EXISTS platform_effort",
        "ALTER TABLE sources ADD COLUMN kind VARCHAR DEFAULT 'file'",
        "ALTER TABLE sources ADD COLUMN platforms VARCHAR[] DEFAULT []",
        "ALTER TABLE sources ADD COLUMN campaigns VARCHAR[] DEFAULT []",
        "ALTER TABLE facts ADD COLUMN key_campaign BOOLEAN DEFAULT false",
        "ALTER TABLE facts ADD COLUMN key_extra VARCHAR DEFAULT ''",
    ):
        con.execute(statement)
    con.execute("UPDATE sources SET kind = 'typed' WHERE file_name = ?", [_V3_TYPED_FILE])
    con.execute(
        "UPDATE sources SET kind = 'example' WHERE file_name = ? AND list_contains(?, content_hash)",
        [_V3_EXAMPLE_FILE, example_hashes()],
    )
    con.execute(
        "UPDATE sources AS s SET platforms = coalesce(("
        "SELECT list(DISTINCT f.platform ORDER BY f.platform) FROM facts AS f "
        "WHERE f.source_id = s.source_id), [])"
    )
    sources.refresh_campaigns(con, None)
    # Version 3 keys: 'hand|grain|platform|account|campaign|period' for hand-made rows (period:
    # 'start/end' or 'file:<name>' for an undated summary), '<platform>|…' for exports.
    con.execute(
        "UPDATE facts SET key_campaign = starts_with(fact_key, 'hand|'), "
        "key_extra = CASE WHEN starts_with(fact_key, 'hand|') AND period_start IS NULL "
        "THEN regexp_extract(fact_key, '[^|]*$') ELSE '' END"
    )
    con.execute(
        "UPDATE facts SET fact_key = fact_key(platform, account, grain, item_key, period_start, "
        "period_end, key_campaign, campaign, key_extra)"
    )
    con.execute("ALTER TABLE facts ALTER spend TYPE DECIMAL(18,2)")
    con.execute(counting.tables_sql(_V4_METRICS))
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, '0')", [VERSION_KEY])
    counting.rebuild_current(con)
    counting.rebuild(con, counting.all_partitions(con))


# Each entry upgrades a workspace from the version before it; index 0 creates version 1.
_STEPS = (
    _sql_file("schema_v1.sql"),
    _sql_file("schema_v2.sql"),
    _sql_file("schema_v3.sql"),
    _to_v4,
    _sql_file("schema_v5.sql"),
)
