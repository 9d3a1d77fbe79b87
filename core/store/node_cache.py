"""Cached node results: a key (sha256 hex of what decides a result) to its JSON.

The engine asks :meth:`NodeCache.get` before a model call and hands new
results to :meth:`NodeCache.put`; nothing is written until :meth:`flush`, which
the engine calls once at the end of a run, so a run writes in one short
transaction (two windows finishing at once wait milliseconds for each other)
and a lookup is one primary-key read. ``used_at`` of the results a run read is
refreshed in the same transaction; past the size cap, the least recently used
results go first.

A store that cannot be used never stops a run: the cache answers "not cached",
keeps the reason, and :meth:`take_warning` hands it to whoever shows messages
(the command line prints it, the editor's status bar shows it) once.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from core.store.database import (
    BUSY_TIMEOUT,
    StoreProblem,
    describe,
    is_corrupt,
    move_aside,
    open_database,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
"""The size cap (result JSON, in bytes) unless the caller sets one."""

EVICT_TO = 0.9
"""Eviction frees down to this share of the cap, so the next run does not evict again."""


class NodeCache:
    """The ``node_cache`` table of the store at ``path`` (opened on first use)."""

    def __init__(
        self,
        path: str | Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        if max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, got {max_bytes}")
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.busy_timeout = busy_timeout
        self._conn: sqlite3.Connection | None = None
        self._pending: dict[str, str] = {}
        self._used: set[str] = set()
        self._warnings: list[str] = []
        self._given_up = False  # until the end of this run (the next flush)
        self._lasting: str | None = None  # a problem no retry can fix (a newer store)
        self._damaged = False  # move the file aside at the next open

    # ------------------------------------------------------------ reading
    def get(self, key: str) -> Any | None:
        """The cached result for ``key``, or None (not cached, or the store unusable)."""
        pending = self._pending.get(key)
        if pending is not None:
            return json.loads(pending)
        conn = self._connection()
        if conn is None:
            return None
        try:
            row = conn.execute("SELECT result FROM node_cache WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._fault(exc, writing=False)
            return None
        if row is None:
            return None
        self._used.add(key)
        return json.loads(row[0])

    # ------------------------------------------------------------ writing
    def put(self, key: str, result: Any) -> None:
        """Remember ``result`` (plain JSON) under ``key``; written at :meth:`flush`."""
        try:
            text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            log.debug("result for %s is not JSON; not cached", key, exc_info=True)
            return
        if len(text) <= self.max_bytes:
            self._pending[key] = text

    def flush(self) -> None:
        """Write what this run added and read, in one transaction; evict past the cap.

        A failure loses only this run's additions (the transaction rolls back) and
        leaves one warning; the next run tries again."""
        pending, used = self._pending, self._used - self._pending.keys()
        self._pending, self._used = {}, set()
        self._given_up = False
        if not pending and not used:
            return
        conn = self._connection()
        if conn is None:
            return
        now = time.time()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT INTO node_cache (key, result, created_at, used_at, size) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                    "result = excluded.result, used_at = excluded.used_at, size = excluded.size",
                    [(k, text, now, now, len(k) + len(text)) for k, text in pending.items()],
                )
                conn.executemany(
                    "UPDATE node_cache SET used_at = ? WHERE key = ?", [(now, k) for k in used]
                )
                self._evict(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._fault(exc, writing=True)
        self._given_up = False

    def _evict(self, conn: sqlite3.Connection) -> None:
        total = self._total(conn)
        if total <= self.max_bytes:
            return
        to_free = total - int(self.max_bytes * EVICT_TO)
        doomed: list[tuple[str]] = []
        # The used_at index gives the oldest first; only as many rows are read as go.
        for key, size in conn.execute("SELECT key, size FROM node_cache ORDER BY used_at"):
            doomed.append((key,))
            to_free -= size
            if to_free <= 0:
                break
        conn.executemany("DELETE FROM node_cache WHERE key = ?", doomed)

    @staticmethod
    def _total(conn: sqlite3.Connection) -> int:
        return int(conn.execute("SELECT bytes FROM node_cache_total WHERE id = 0").fetchone()[0])

    # ------------------------------------------------------------ status
    def stats(self) -> tuple[int, int]:
        """(entries, bytes) stored; (0, 0) when the store cannot be read."""
        conn = self._connection()
        if conn is None:
            return 0, 0
        try:
            entries = conn.execute("SELECT count(*) FROM node_cache").fetchone()[0]
            return int(entries), self._total(conn)
        except sqlite3.Error as exc:
            self._fault(exc, writing=False)
            return 0, 0

    def take_warning(self) -> str | None:
        """Why the cache did not work since the last call (None if it did), once."""
        if not self._warnings:
            return None
        message = " ".join(dict.fromkeys(self._warnings))
        self._warnings.clear()
        return message

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # ------------------------------------------------------------ faults
    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if self._given_up or self._lasting:
            return None
        try:
            if self._damaged:
                self._damaged = False
                aside = move_aside(self.path)
                self._warnings.append(
                    f"The damaged run store was moved to {aside.name} beside it (nothing was "
                    "deleted) and a new store was started."
                )
            self._conn, note = open_database(self.path, busy_timeout=self.busy_timeout)
        except StoreProblem as exc:
            self._warn_once(str(exc))
            if exc.lasting:
                self._lasting = str(exc)
            self._given_up = True
            return None
        if note:
            self._warnings.append(note)
        return self._conn

    def _fault(self, exc: sqlite3.Error, *, writing: bool) -> None:
        log.debug("run store %s failed", self.path, exc_info=True)
        self._warn_once(describe(exc, self.path, writing=writing))
        if is_corrupt(exc):
            self.close()
            self._damaged = True
            self._given_up = True
        elif not writing:
            self._given_up = True  # no more lookups this run: each could wait again

    def _warn_once(self, message: str) -> None:
        if message not in self._warnings:
            self._warnings.append(message)
