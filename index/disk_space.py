"""A full disk told apart from a damaged index, and said in one line that names the folder.

A write to the index can fail for want of space in several ways: SQLite's "database or disk
is full" (SQLITE_FULL), an I/O error when its shared-memory file (`store.sqlite-shm`) cannot
grow (SQLITE_IOERR_SHMSIZE and the like), OSError ENOSPC or EDQUOT, or FAISS's "write error
... (No space left on device)" when the vector file is saved. SQLite rolls the article's
transaction back and the vector file is written beside its final name and renamed, so
nothing already indexed is lost; the user only needs to free space and run the same command
again. An I/O error counts as a full disk when the folder's file system has less than
`NEARLY_FULL_BYTES` free; otherwise it is left for the caller to report (a damaged index).
"""

import errno
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from index.errors import DiskFull

NEARLY_FULL_BYTES = 1 << 20
_SQLITE_FULL, _SQLITE_IOERR = 13, 10


def free_bytes(directory: Path) -> int | None:
    """Bytes free to an unprivileged user on the file system holding `directory` (or its
    nearest existing parent); None when that cannot be read."""
    path = Path(directory)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        stats = os.statvfs(path)
    except OSError:
        return None
    return stats.f_bavail * stats.f_frsize


def is_disk_full(error: BaseException, directory: Path) -> bool:
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(error, sqlite3.Error):
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        if code == _SQLITE_FULL or "database or disk is full" in str(error):
            return True
        return code == _SQLITE_IOERR and _nearly_full(directory)
    if isinstance(error, RuntimeError):  # FAISS reports a failed write as a RuntimeError
        text = str(error)
        return "No space left on device" in text or ("write error" in text and _nearly_full(directory))
    return False


def disk_full_error(error: BaseException, directory: Path) -> DiskFull:
    """The one-line error for a full disk under `directory`."""
    free = free_bytes(directory)
    room = "" if free is None else f", {_size(free)} free"
    mount = _mount_point(Path(directory))
    where = f"{directory} (on {mount}{room})" if mount else f"{directory}{room and ' (' + room[2:] + ')'}"
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    if "No space left on device" in reason:
        reason = "No space left on device"
    return DiskFull(
        f"the disk holding the index folder {where} is full ({reason}); free some space there and run "
        "the same command again: nothing already indexed is lost")


@contextmanager
def disk_full_named(directory: Path):
    """Turn a full disk's error raised inside into DiskFull naming `directory`."""
    try:
        yield
    except DiskFull:
        raise
    except (OSError, sqlite3.Error, RuntimeError) as error:
        if is_disk_full(error, directory):
            raise disk_full_error(error, directory) from error
        raise


def _nearly_full(directory: Path) -> bool:
    free = free_bytes(directory)
    return free is not None and free < NEARLY_FULL_BYTES


def _mount_point(path: Path) -> Path | None:
    try:
        path = path.resolve()
        while not path.exists() and path != path.parent:
            path = path.parent
        while not os.path.ismount(path):
            path = path.parent
        return path
    except OSError:
        return None


def _size(count: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} bytes"
