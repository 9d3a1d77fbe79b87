"""Opening the store, and saying in one sentence why it cannot be used.

Every fault leaves the run going (uncached) and what was stored intact: a
damaged file is moved aside, never deleted, and a new one started; a file
from a newer version is left alone; a lock held by another window or process,
or a full disk, costs this run its caching and nothing else.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from core.store.schema import SCHEMA_VERSION, NewerStore, migrate

BUSY_TIMEOUT = 1.0
"""Seconds a write waits for another writer (two windows saving at once take
milliseconds each); past it the write is given up, never the run."""


class StoreProblem(Exception):
    """The store cannot be used now; ``str()`` is the sentence to show.

    ``lasting`` is True when trying again later in this session cannot help
    (a newer version's file)."""

    def __init__(self, message: str, *, lasting: bool = False) -> None:
        super().__init__(message)
        self.lasting = lasting


def open_database(
    path: Path, *, busy_timeout: float = BUSY_TIMEOUT
) -> tuple[sqlite3.Connection, str | None]:
    """A connection to an up-to-date store at ``path`` and, when something had to
    be repaired (a damaged file moved aside), the sentence saying so.

    Raises :class:`StoreProblem` when the store cannot be used."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreProblem(
            f"Cannot create the folder for the run store {path.parent} "
            f"({exc.strerror or exc}): runs are not cached. Set SYNALINKS_CANVAS_DATA_DIR "
            "to a folder you can write to."
        ) from None
    try:
        return _connect(path, busy_timeout), None
    except sqlite3.DatabaseError as exc:
        if not is_corrupt(exc):
            raise StoreProblem(describe(exc, path)) from None
    aside = move_aside(path)
    try:
        conn = _connect(path, busy_timeout)
    except sqlite3.Error as exc:
        raise StoreProblem(describe(exc, path)) from None
    return conn, (
        f"The run store {path} was damaged; it was moved to {aside.name} beside it (nothing "
        "was deleted) and a new store was started, so cached results start empty."
    )


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(
        str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    try:
        _use_wal(conn, busy_timeout)
        # WAL with NORMAL sync: a crash may lose the last transactions, never
        # the file; writes stop costing an fsync each.
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
    except NewerStore as exc:
        conn.close()
        raise StoreProblem(
            f"The run store {path} was written by a newer Synalinks Canvas (schema version "
            f"{exc.found}; this one reads up to {SCHEMA_VERSION}). It is left untouched and runs "
            "are not cached: update Synalinks Canvas, or set SYNALINKS_CANVAS_DATA_DIR to "
            "another folder.",
            lasting=True,
        ) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection, busy_timeout: float) -> None:
    """Switch the file to WAL, waiting up to ``busy_timeout`` for another process.

    SQLite answers a journal-mode change on a file another connection is
    creating with SQLITE_BUSY at once, without calling the busy handler, so
    two windows opening a new store together would otherwise have one of them
    run uncached. WAL is stored in the file: once set, this is a read."""
    deadline = time.monotonic() + busy_timeout
    pause = 0.002
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY")
            if not busy or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def is_corrupt(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` says the file is damaged or not a database at all."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def move_aside(path: Path) -> Path:
    """Rename a damaged store (and its WAL and shared-memory files) to
    ``<name>.damaged-<time>``, so whatever can be saved from it still can be."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        path.rename(aside)
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                extra.rename(aside.with_name(aside.name + suffix))
    except OSError as exc:
        raise StoreProblem(
            f"The run store {path} is damaged and could not be moved aside "
            f"({exc.strerror or exc}): runs are not cached. Move or rename it yourself."
        ) from None
    return aside


def describe(exc: sqlite3.Error, path: Path, *, writing: bool = False) -> str:
    """The sentence for a failed store operation: what happened, what it cost, what to do."""
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc).lower()
    lost = "this run's results were not cached" if writing else "runs are not cached"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text or "busy" in text:
        return (
            f"The run store {path} is locked by another program (another Synalinks Canvas "
            f"window or process writing to it): {lost}. Run again once it is done."
        )
    if name.startswith("SQLITE_FULL") or "full" in text:
        return (
            f"The disk holding the run store {path} is full: {lost} (what was stored is "
            "kept). Free some space."
        )
    if is_corrupt(exc):
        return (
            f"The run store {path} is damaged: {lost}. It will be moved aside (not deleted) "
            "and a new one started at the next run."
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")) or (
        "readonly" in text or "unable to open" in text
    ):
        return (
            f"The run store {path} cannot be written ({exc}): {lost}. Check the folder's "
            "permissions, or set SYNALINKS_CANVAS_DATA_DIR to a folder you can write to."
        )
    return f"The run store {path} failed ({exc}): {lost}."
