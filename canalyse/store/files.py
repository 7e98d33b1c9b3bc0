"""Reading the workspace file's bytes without ever closing a handle on it.

DuckDB guards a workspace with POSIX record locks, which belong to the process: closing *any*
handle this process has on the file drops them all, even those of a connection still open in
another thread. So Canalyse reads the file (its header, a backup copy) through one handle per file
that it keeps open for the life of the process, and never closes it while the file is in place.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_CHUNK = 1 << 20
_HANDLES: dict[str, tuple[int, int]] = {}  # path → (descriptor, inode)
_GUARD = threading.Lock()


def handle(path: Path) -> int:
    """This process's lasting read handle on `path` (reopened if the file was replaced)."""
    key = str(Path(path).resolve())
    with _GUARD:
        inode = os.stat(key).st_ino
        known = _HANDLES.get(key)
        if known and known[1] == inode:
            return known[0]
        # Read and write, so that a restore can take the file's write lock through it too.
        try:
            descriptor = os.open(key, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
        except PermissionError:
            descriptor = os.open(key, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        if known:
            # The old file was replaced (a restore): its locks no longer guard anything.
            os.close(known[0])
        _HANDLES[key] = (descriptor, os.fstat(descriptor).st_ino)
        return descriptor


def read_start(path: Path, size: int) -> bytes:
    """The first `size` bytes of the file."""
    return os.pread(handle(path), size, 0)


def copy_out(path: Path, target: Path) -> None:
    """Copy the file to `target` (written whole under a temporary name, then renamed)."""
    descriptor = handle(path)
    partial = target.with_name(target.name + ".partial")
    offset = 0
    with partial.open("wb") as out:
        while chunk := os.pread(descriptor, _CHUNK, offset):
            out.write(chunk)
            offset += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, target)


def forget(path: Path) -> None:
    """Close the handle on a file that is gone or replaced."""
    key = str(Path(path).resolve())
    with _GUARD:
        known = _HANDLES.pop(key, None)
        if known:
            os.close(known[0])
