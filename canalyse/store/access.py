"""Opening a workspace file that several programs share: readers, writers, notes, backups.

DuckDB lets one process write a file, or several processes read it, never both at once (a lock on
the file); inside one process every connection to a file shares one database, opened either
read-only or read-write. So:

- readers (the pages, `report`, `deck`) open the file read-only, for as short a time as they can;
- writers (imports, deletions, saved answers; from a page or the command line) take their turn: one
  at a time in this process, then the file's lock, waiting a bounded time for either;
- while it holds the file, a writer leaves a note beside it (`<file>.holder.json`: who, which
  program, process, since when), so whoever waits can be told who holds it;
- after its writes, a writer records the workspace version beside the file (`<file>.state.json`):
  a file that later shows an older version has lost writes (a damaged write-ahead log);
- a file that is not a DuckDB database, is shorter than its own header says, cannot be read to the
  end or has lost writes is refused before anything writes to it, and the latest backup is named;
- before a migration, and once a day before the first write, the file is copied to `backups/`.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from canalyse.errors import CanalyseError
from canalyse.store import counting, files, keys
from canalyse.store.activity import acting_as, record, role_of
from canalyse.store.schema import (
    BACKUP_DIR,
    SCHEMA_VERSION,
    backup,
    copy_to_backups,
    migrate,
    schema_version,
)
from canalyse.store.transaction import after_each_commit, data_version, transaction

# Nothing leaves the machine: DuckDB must never download an extension on its own.
CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
# DuckDB's file starts with three 4 KiB headers; its magic word sits at byte 8 of the first.
_HEADER_BYTES = 3 * 4096
_MAGIC = b"DUCK"
_DAMAGED = "endommage"
_REPLACED = "remplace"


def _seconds(variable: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(variable, default)))
    except ValueError:
        return default


def write_wait() -> float:
    """How long a writer waits for its turn ($CANALYSE_WRITE_WAIT seconds, 60 by default)."""
    return _seconds("CANALYSE_WRITE_WAIT", 60)


def read_wait() -> float:
    """How long a reader waits for a writer to finish ($CANALYSE_READ_WAIT seconds, 30 by default)."""
    return _seconds("CANALYSE_READ_WAIT", 30)


def backups_kept() -> int:
    """How many copies of a workspace `backups/` keeps ($CANALYSE_BACKUPS_KEEP, 14 by default)."""
    try:
        return max(1, int(os.environ.get("CANALYSE_BACKUPS_KEEP", 14)))
    except ValueError:
        return 14


def daily_backups() -> bool:
    """Whether the first write of each day copies the workspace first (off with $CANALYSE_DAILY_BACKUP=0)."""
    return os.environ.get("CANALYSE_DAILY_BACKUP", "1") != "0"


class WorkspaceBusy(CanalyseError):
    """Another program held the workspace for longer than this one could wait."""


class WorkspaceDamaged(CanalyseError):
    """The workspace file cannot be read whole; nothing writes to it. `backup` is the latest copy."""

    def __init__(self, key: str, path: Path, **params: object) -> None:
        latest = latest_backup(path)
        self.backup = latest
        super().__init__(key, path=str(path), **params)
        self.params["backup"] = str(latest) if latest else "-"


class NeedsUpgrade(CanalyseError):
    """The workspace must be brought up to date by a writer before it can be read."""


# ---- Notes beside the file ----------------------------------------------------------------------


def holder_note(path: Path) -> Path:
    """Where a writer says who holds the workspace."""
    return path.with_name(path.name + ".holder.json")


def state_note(path: Path) -> Path:
    """Where the last writer recorded the workspace version."""
    return path.with_name(path.name + ".state.json")


def _write_json(target: Path, content: dict) -> None:
    partial = target.with_name(target.name + f".{os.getpid()}.{threading.get_ident()}.tmp")
    partial.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, target)


def _read_json(target: Path) -> dict | None:
    try:
        content = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(path: Path) -> dict | None:
    """Who holds the workspace for writing, from the note its writer left, if it is still there."""
    note = _read_json(holder_note(Path(path)))
    if note is None:
        return None
    same_host = note.get("host") == socket.gethostname()
    if same_host and isinstance(note.get("pid"), int) and not _alive(note["pid"]):
        return None  # a writer that died without taking its note away
    return note


def _busy(path: Path) -> WorkspaceBusy:
    note = holder(path)
    if note is None:
        return WorkspaceBusy("store.error.busy_reading", path=str(path))
    return WorkspaceBusy(
        "store.error.busy",
        path=str(path),
        user=note.get("user", "?"),
        program=note.get("program", "?"),
        pid=note.get("pid", "?"),
        since=note.get("since", "?"),
    )


def recorded_version(path: Path) -> int | None:
    """The workspace version the last writer recorded beside the file, if any."""
    note = _read_json(state_note(Path(path)))
    value = note.get("data_version") if note else None
    return value if isinstance(value, int) else None


def stamp(path: str | os.PathLike) -> tuple:
    """Changes whenever the workspace does: the recorded version and the files' sizes and times.

    Pages key their cached results on it, so that reading whether anything changed costs no open.
    """
    path = Path(path)
    parts: list[object] = [recorded_version(path)]
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            info = file.stat()
            parts += [info.st_mtime_ns, info.st_size, info.st_ino]
        except OSError:
            parts += [None, None, None]
    return tuple(parts)


# ---- Is this file a sound workspace? -------------------------------------------------------------


def check_header(path: Path) -> None:
    """Refuse a file that is not a DuckDB database before DuckDB touches it (a SQLite file opened
    by mistake would have DuckDB look for an extension)."""
    try:
        head = files.read_start(path, 16)
    except OSError as exc:
        raise CanalyseError(
            "store.error.unreadable", path=str(path), detail=exc.strerror or str(exc)
        ) from exc
    if len(head) < 12 or head[8:12] != _MAGIC:
        raise WorkspaceDamaged("store.error.not_workspace", path)


def _check_sound(con: duckdb.DuckDBPyConnection, path: Path, *, thorough: bool) -> None:
    """Refuse a workspace shorter than its header says, unreadable to the end (`thorough`), or
    holding an older version than its last writer recorded."""
    try:
        # A sound file holds at least its blocks in use: DuckDB cuts free blocks off the end of
        # the file when it checkpoints, so the total (free blocks included) may exceed its size.
        row = con.execute(
            "SELECT used_blocks, block_size FROM pragma_database_size() "
            "WHERE database_name = current_database()"
        ).fetchone()
        expected = _HEADER_BYTES + int(row[0]) * int(row[1])
        if path.stat().st_size < expected:
            raise WorkspaceDamaged("store.error.truncated", path)
        if thorough:
            tables = con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
            for (table,) in tables:
                quoted = '"' + table.replace('"', '""') + '"'
                # Every column of every row: each block is read and its checksum verified.
                con.execute(f"SELECT count(*), max(hash(COLUMNS(*))) FROM {quoted}").fetchall()  # noqa: S608
        version = data_version(con) if schema_version(con) else 0
    except WorkspaceDamaged:
        raise
    except duckdb.Error as exc:
        raise WorkspaceDamaged("store.error.damaged", path, detail=_first_line(exc)) from exc
    recorded = recorded_version(path)
    if recorded is not None and version < recorded:
        raise WorkspaceDamaged("store.error.lost_writes", path, found=version, expected=recorded)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


# ---- Connections ----------------------------------------------------------------------------------

_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: Path, purpose: str = "write") -> threading.Lock:
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(f"{purpose}:{path.resolve()}", threading.Lock())


_BUSY = (
    "lock",  # another process holds the file
    "different configuration",  # this process has it open the other way (read-only or not)
    "already attached",  # this process is opening or closing it in another thread
    "file handle conflict",
)


def _busy_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return any(sign in text for sign in _BUSY)


def _connect(path: Path, *, read_only: bool, deadline: float) -> duckdb.DuckDBPyConnection:
    pause = 0.02
    opening = _process_lock(path, "open")
    while True:
        try:
            # One open at a time per file in this process: DuckDB's own instance cache races.
            with opening:
                return duckdb.connect(str(path), read_only=read_only, config=CONFIG)
        except duckdb.Error as exc:
            _unless_busy(exc, path, deadline)
        time.sleep(pause)
        pause = min(pause * 1.5, 0.25)


def _unless_busy(exc: duckdb.Error, path: Path, deadline: float) -> None:
    """Raise, in words, why DuckDB could not open or attach the file, unless another writer holds
    it and there is time left to wait for it."""
    if "permission denied" in str(exc).lower():
        raise CanalyseError(
            "store.error.unreadable", path=str(path), detail=_first_line(exc)
        ) from exc
    if not _busy_error(exc):
        raise WorkspaceDamaged("store.error.damaged", path, detail=_first_line(exc)) from exc
    if time.monotonic() >= deadline:
        raise _busy(path) from exc


def macros_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the query macros stored in the workspace are this version of Canalyse's."""
    # Every row fetched: a result left unfinished would block the connection handed back by
    # `connect` (DuckDB refuses `register` until it is finished).
    rows = con.execute("SELECT value FROM meta WHERE key = 'macros'").fetchall()
    return bool(rows) and rows[0][0] == _macros_digest()


def _macros_digest() -> str:
    import hashlib

    return hashlib.sha256(_macros_text().encode()).hexdigest()


def _macros_text() -> str:
    return keys.FACT_KEY_MACRO + counting.macros_sql()


def refresh_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Store the query macros in the workspace when this version of Canalyse writes them
    differently (every connection then sees them, read-only ones included)."""
    if not macros_current(con):
        with transaction(con, bump=False):
            con.execute(_macros_text())
            con.execute("INSERT OR REPLACE INTO meta VALUES ('macros', ?)", [_macros_digest()])


def open_reader(path: str | os.PathLike, *, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the workspace, once any writer is done (waiting `wait` seconds).

    Raises `NeedsUpgrade` when the workspace must first be migrated by a writer (`prepare`), and
    `WorkspaceDamaged` when it cannot be read. Close it as soon as the reading is done.
    """
    path = Path(path)
    if not path.is_file():
        raise NeedsUpgrade("store.error.missing", path=str(path))
    check_header(path)
    deadline = time.monotonic() + (read_wait() if wait is None else wait)
    con = _connect(path, read_only=True, deadline=deadline)
    try:
        _check_reader(con, path)
    except BaseException:
        con.close()
        raise
    return con


def _check_reader(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a damaged workspace, one of a newer Canalyse, or one a writer must bring up to date."""
    _check_sound(con, path, thorough=False)
    try:
        version = schema_version(con)
        current = version != SCHEMA_VERSION or macros_current(con)
    except duckdb.Error as exc:
        raise WorkspaceDamaged("store.error.damaged", path, detail=_first_line(exc)) from exc
    if version > SCHEMA_VERSION:
        raise CanalyseError("store.error.newer", found=version, supported=SCHEMA_VERSION)
    if version < SCHEMA_VERSION or not current:
        raise NeedsUpgrade("store.error.needs_upgrade", path=str(path))


# ---- The app's readers: attached to one DuckDB for the whole process ------------------------------
# Opening a file makes a new DuckDB database, whose catalog of built-in functions alone costs
# 25–35 ms, whatever the file; attaching the file to a database kept for the process costs about
# 4 ms. The app opens a reader on every run of every page, so it attaches. Readers of one file
# share one attachment, detached when the last one closes. DuckDB still refuses to open for
# writing a file this process has attached (and other processes meet the file's lock, as before);
# the gate below makes the turns fair: once a writer of this process waits, new readers wait
# behind it, or overlapping page runs could keep the file attached for good. A thread that
# already reads the file is let in at once: it would otherwise wait for the writer, who waits for
# its first reader to close (a page run reading, then checking the workspace, while another
# page's import waits: the import gave up after its wait).

_HOST: duckdb.DuckDBPyConnection | None = None
_GATE = threading.Condition()
_ATTACHED: dict[str, tuple[str, int]] = {}  # file -> (name in the host, readers)
_WRITING: set[str] = set()
_WAITING: dict[str, int] = {}  # file -> writers of this process waiting for the readers to leave
_NAMES: dict[str, str] = {}
_HELD: Counter[tuple[str, int]] = Counter()  # (file, thread) -> readers it opened, not yet closed


class Reader:
    """A workspace attached read-only to the process's DuckDB (`attach_reader`): `cursor()` gives
    connections that read it; `close()` closes them and lets the file go once no reader is left.
    Keep the reader while its cursors are in use: dropping it closes them."""

    def __init__(self, key: str, name: str) -> None:
        self._key, self._name = key, name
        self._thread = threading.get_ident()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._closed = False

    def cursor(self) -> duckdb.DuckDBPyConnection:
        con = _HOST.cursor()  # type: ignore[union-attr]
        con.execute(f"USE {self._name}")
        self._cursors.append(con)
        return con

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for con in self._cursors:
            con.close()
        _leave(self._key, self._thread)

    def __del__(self) -> None:
        # A reader nobody closed (dropped by an error) must not keep writers out for good.
        try:
            self.close()
        except Exception:  # noqa: S110 — at exit, the host may be gone already
            pass


def _leave(key: str, thread: int) -> None:
    with _GATE:
        _HELD[key, thread] -= 1
        if not _HELD[key, thread]:
            del _HELD[key, thread]
        name, readers = _ATTACHED[key]
        if readers > 1:
            _ATTACHED[key] = (name, readers - 1)
        else:
            del _ATTACHED[key]
            detach = _HOST.cursor()  # type: ignore[union-attr]
            try:
                detach.execute(f"DETACH {name}")
            finally:
                detach.close()
        _GATE.notify_all()


def _attach(path: Path, name: str, deadline: float) -> None:
    """Attach the file read-only under `name`, waiting (gate released) while another process
    writes it. Called holding the gate."""
    global _HOST
    if _HOST is None:
        _HOST = duckdb.connect(":memory:", config=CONFIG)
    pause = 0.02
    while True:
        con = _HOST.cursor()
        try:
            # `name` is Canalyse's own (workspace_0, workspace_1…); the path is a parameter.
            con.execute(f"ATTACH ? AS {name} (READ_ONLY)", [str(path)])
            return
        except duckdb.Error as exc:
            _unless_busy(exc, path, deadline)
        finally:
            con.close()
        _GATE.wait(pause)
        pause = min(pause * 1.5, 0.25)


def attach_reader(path: str | os.PathLike, *, wait: float | None = None) -> Reader:
    """`open_reader` for a program that reads the workspace often (the app): the file is attached
    to the process's DuckDB instead of opened as a database of its own. Close it as soon as the
    reading is done: writers of this process wait for it."""
    path = Path(path)
    if not path.is_file():
        raise NeedsUpgrade("store.error.missing", path=str(path))
    check_header(path)
    deadline = time.monotonic() + (read_wait() if wait is None else wait)
    key = str(path.resolve())
    thread = threading.get_ident()
    with _GATE:
        # A writer of this process, working or waiting, goes first, unless this thread already
        # reads the file (the writer waits for that reader: waiting for the writer would block
        # both until the wait ran out).
        free = _HELD[key, thread] > 0 or _GATE.wait_for(
            lambda: key not in _WRITING and not _WAITING.get(key),
            timeout=max(0.0, deadline - time.monotonic()),
        )
        if not free:
            raise _busy(path)
        if key in _ATTACHED:
            name, readers = _ATTACHED[key]
            _ATTACHED[key] = (name, readers + 1)
            _HELD[key, thread] += 1
            return Reader(key, name)
        name = _NAMES.setdefault(key, f"workspace_{len(_NAMES)}")
        _attach(path, name, deadline)
        _ATTACHED[key] = (name, 1)
        _HELD[key, thread] += 1
    reader = Reader(key, name)
    try:
        _check_reader(reader.cursor(), path)
    except BaseException:
        reader.close()
        raise
    return reader


@contextmanager
def _writers_turn(path: Path, deadline: float) -> Iterator[None]:
    """Keep this process's readers (`attach_reader`) off the file while it is written."""
    key = str(path.resolve())
    with _GATE:
        _WAITING[key] = _WAITING.get(key, 0) + 1
        try:
            free = _GATE.wait_for(
                lambda: key not in _ATTACHED and key not in _WRITING,
                timeout=max(0.0, deadline - time.monotonic()),
            )
        finally:
            _WAITING[key] -= 1
        if not free:
            _GATE.notify_all()
            raise _busy(path)
        _WRITING.add(key)
    try:
        yield
    finally:
        with _GATE:
            _WRITING.discard(key)
            _GATE.notify_all()


@contextmanager
def reading(
    path: str | os.PathLike, *, wait: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for the block (see `open_reader`), closed after it."""
    con = open_reader(path, wait=wait)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def writing(
    path: str | os.PathLike,
    *,
    actor: str,
    program: str,
    editor: str | None = None,
    daily_backup: bool = True,
    wait: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The workspace open for writing during the block, for `actor` using `program`.

    Waits its turn (`wait` seconds, else `write_wait()`), then checks the file is sound, brings it
    up to date (backing it up first), copies it to `backups/` if no copy was made today, and
    records every write made in the block as `actor`'s. With `editor` (a signed-in user's address)
    the workspace's members list must give that user the editor role.
    """
    path = Path(path)
    deadline = time.monotonic() + (write_wait() if wait is None else wait)
    turn = _process_lock(path)
    if not turn.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise _busy(path)
    try:
        with _writers_turn(path, deadline):
            yield from _write(path, deadline, actor, program, editor, daily_backup)
    finally:
        turn.release()


def _write(
    path: Path,
    deadline: float,
    actor: str,
    program: str,
    editor: str | None,
    daily_backup: bool,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The body of `writing`, this process's readers kept off the file."""
    existed = path.is_file()
    if existed:
        check_header(path)
        # Checked through a reader first: a damaged file is never opened for writing.
        checker = _connect(path, read_only=True, deadline=deadline)
        try:
            _check_sound(checker, path, thorough=True)
        finally:
            checker.close()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False, deadline=deadline)
    try:
        _write_json(
            holder_note(path),
            {
                "user": actor,
                "program": program,
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "since": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
        try:
            migrate(con, path if existed else None)
            refresh_macros(con)
        except duckdb.Error as exc:
            raise CanalyseError(
                "store.error.write_failed", path=str(path), detail=_first_line(exc)
            ) from exc
        if editor is not None and role_of(con, editor) != "editor":
            raise CanalyseError("store.error.not_editor", user=editor)
        if existed and daily_backup and daily_backups() and not _backed_up_today(path):
            backup(con, path, "quotidien")
        prune_backups(path)
        with acting_as(actor), after_each_commit(con, lambda: _record_state(path, con, actor)):
            yield con
    finally:
        con.close()
        holder_note(path).unlink(missing_ok=True)


def _record_state(path: Path, con: duckdb.DuckDBPyConnection, actor: str) -> None:
    """Record, beside the file, the version the workspace reached with the write just committed."""
    _write_json(
        state_note(path),
        {
            "data_version": data_version(con),
            "at": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "by": actor,
        },
    )


def prepare(path: str | os.PathLike, *, actor: str, program: str) -> None:
    """Create the workspace, or bring it up to date, when a reader cannot open it as it is."""
    try:
        open_reader(path).close()
    except NeedsUpgrade:
        with writing(path, actor=actor, program=program):
            pass


# ---- Backups -------------------------------------------------------------------------------------


def _backups(path: Path) -> list[Path]:
    """This workspace's copies in `backups/`, oldest first (copies of damaged files left out)."""
    folder = path.parent / BACKUP_DIR
    if not folder.is_dir():
        return []
    found = [
        copy
        for copy in folder.glob(f"{path.stem}-*{path.suffix}")
        if copy.is_file()
        and copy.stem[len(path.stem) + 1 : len(path.stem) + 9].isdigit()
        and _DAMAGED not in copy.stem
        and _REPLACED not in copy.stem
    ]
    return sorted(found, key=lambda copy: (copy.stat().st_mtime_ns, copy.name))


def list_backups(path: str | os.PathLike) -> list[Path]:
    """The copies of this workspace that can be restored, oldest first."""
    return _backups(Path(path))


def latest_backup(path: str | os.PathLike) -> Path | None:
    """The most recent copy of this workspace in `backups/`, if any."""
    copies = _backups(Path(path))
    return copies[-1] if copies else None


def _backed_up_today(path: Path) -> bool:
    today = datetime.now().strftime("%Y%m%d")
    return any(copy.name.startswith(f"{path.stem}-{today}-") for copy in _backups(path))


def prune_backups(path: str | os.PathLike) -> list[Path]:
    """Delete the oldest copies beyond `backups_kept()`; returns those deleted."""
    copies = _backups(Path(path))
    extra = copies[: max(0, len(copies) - backups_kept())]
    for copy in extra:
        copy.unlink(missing_ok=True)
    return extra


def _sound_copy(copy: Path) -> None:
    check_header(copy)
    con = _connect(copy, read_only=True, deadline=time.monotonic() + 5)
    try:
        version = schema_version(con)
        if version > SCHEMA_VERSION:
            raise CanalyseError("store.error.newer", found=version, supported=SCHEMA_VERSION)
        _check_sound(con, copy, thorough=True)
    finally:
        con.close()


def _hold_file(path: Path, deadline: float) -> None:
    """Make sure no other process holds the file (DuckDB's own lock), and keep them out until the
    file is replaced (its lasting handle is never unlocked: the replaced file no longer matters)."""
    if not path.exists():
        return
    descriptor = files.handle(path)
    while True:
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError:
            if time.monotonic() >= deadline:
                raise _busy(path) from None
            time.sleep(0.1)


def restore(
    path: str | os.PathLike,
    copy: str | os.PathLike | None = None,
    *,
    actor: str,
    program: str,
    wait: float | None = None,
) -> dict:
    """Put a backup back in place of the workspace (the latest one unless `copy` is given).

    The current file, damaged or not, is kept in `backups/` (marked « endommage » when it cannot
    be read, « remplace » otherwise), never deleted. Returns {"restored", "kept"} (paths).
    """
    path = Path(path)
    chosen = Path(copy) if copy else latest_backup(path)
    if chosen is None:
        raise CanalyseError("store.error.no_backup", path=str(path))
    if not chosen.is_file():
        chosen = path.parent / BACKUP_DIR / Path(copy).name
        if not chosen.is_file():
            raise CanalyseError("store.error.no_such_backup", backup=str(copy))
    _sound_copy(chosen)
    deadline = time.monotonic() + (write_wait() if wait is None else wait)
    turn = _process_lock(path)
    if not turn.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise _busy(path)
    kept = None
    try:
        mark = _REPLACED
        if path.exists():
            try:
                with reading(path, wait=0):
                    pass
            except CanalyseError:
                mark = _DAMAGED
        # After that reader closed: closing any handle on the file drops this process's locks.
        _hold_file(path, deadline)
        if path.exists():
            kept = copy_to_backups(path, mark)
            path.with_name(path.name + ".wal").unlink(missing_ok=True)
        partial = path.with_name(path.name + ".restoring")
        shutil.copyfile(chosen, partial)
        chosen_wal = chosen.with_name(chosen.name + ".wal")
        if chosen_wal.is_file():
            shutil.copyfile(chosen_wal, path.with_name(path.name + ".wal"))
        os.replace(partial, path)
        files.forget(path)
        state_note(path).unlink(missing_ok=True)
    finally:
        turn.release()
    with writing(path, actor=actor, program=program, daily_backup=False, wait=wait) as con:
        record(con, "restore", chosen.name)
    return {"restored": str(chosen), "kept": str(kept) if kept else None}


def make_backup(path: str | os.PathLike, *, actor: str, program: str) -> Path:
    """Copy the workspace to `backups/` now (`canalyse backup`); returns the copy."""
    path = Path(path)
    if not path.is_file():
        raise CanalyseError("store.error.missing", path=str(path))
    with writing(path, actor=actor, program=program, daily_backup=False) as con:
        copy = backup(con, path, "manuel")
    prune_backups(path)
    return copy
