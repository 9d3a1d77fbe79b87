"""The store's tables and the steps that bring an older file up to date.

Each step takes the file from one version to the next inside one write
transaction, so a store is always at a whole version. A file from a newer
Synalinks Canvas is never touched: its tables may mean something this version
does not know.
"""

from __future__ import annotations

import sqlite3

from core.store.run_tables import RUN_TABLES
from core.store.training_tables import TRAINING_TABLES

SCHEMA_VERSION = 5

_V1 = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "INSERT INTO schema_version (version) VALUES (0)",
    # key: sha256 hex of what decides a node's result; result: its JSON.
    """CREATE TABLE node_cache (
        key TEXT PRIMARY KEY,
        result TEXT NOT NULL,
        created_at REAL NOT NULL,
        used_at REAL NOT NULL,
        size INTEGER NOT NULL
    )""",
    "CREATE INDEX node_cache_by_use ON node_cache (used_at)",
    # The running total of sizes, kept by triggers in the writer's own
    # transaction: checking the size cap never scans the table.
    "CREATE TABLE node_cache_total (id INTEGER PRIMARY KEY CHECK (id = 0), bytes INTEGER NOT NULL)",
    "INSERT INTO node_cache_total (id, bytes) VALUES (0, 0)",
    """CREATE TRIGGER node_cache_added AFTER INSERT ON node_cache BEGIN
        UPDATE node_cache_total SET bytes = bytes + NEW.size WHERE id = 0; END""",
    """CREATE TRIGGER node_cache_removed AFTER DELETE ON node_cache BEGIN
        UPDATE node_cache_total SET bytes = bytes - OLD.size WHERE id = 0; END""",
    """CREATE TRIGGER node_cache_resized AFTER UPDATE OF size ON node_cache BEGIN
        UPDATE node_cache_total SET bytes = bytes + NEW.size - OLD.size WHERE id = 0; END""",
)

_V2 = (
    # One evaluation: a graph run over a dataset and scored. ``id`` is a digest
    # of everything that decides its rows (graph, dataset, mapping, rewards,
    # model, backend), so running the same evaluation again resumes it.
    """CREATE TABLE evaluations (
        id TEXT PRIMARY KEY,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        graph_name TEXT NOT NULL,
        graph_path TEXT,
        graph_hash TEXT NOT NULL,
        dataset_path TEXT NOT NULL,
        dataset_hash TEXT NOT NULL,
        config TEXT NOT NULL,
        status TEXT NOT NULL,
        total_rows INTEGER
    )""",
    # One row per finished dataset row (scored, failed or invalid), written as
    # it finishes: rows in flight when a run stops are simply absent.
    """CREATE TABLE eval_rows (
        eval_id TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
        row_index INTEGER NOT NULL,
        status TEXT NOT NULL,
        line INTEGER,
        inputs TEXT,
        expected TEXT,
        predicted TEXT,
        rewards TEXT,
        score REAL,
        error TEXT,
        duration REAL,
        tokens_in INTEGER,
        tokens_out INTEGER,
        cost REAL,
        trace TEXT,
        finished_at REAL NOT NULL,
        PRIMARY KEY (eval_id, row_index)
    ) WITHOUT ROWID""",
)

_V5 = (
    # A results table sorted by score reads a page at a time from this index
    # instead of sorting a whole evaluation at every page.
    "CREATE INDEX eval_rows_by_score ON eval_rows (eval_id, score, row_index)",
)

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: _V1,
    2: _V2,
    3: RUN_TABLES,
    4: TRAINING_TABLES,
    5: _V5,
}
"""The statements taking a store from version ``n - 1`` to ``n``."""


class NewerStore(Exception):
    """The file was written by a newer Synalinks Canvas."""

    def __init__(self, found: int) -> None:
        super().__init__(found)
        self.found = found


def stored_version(conn: sqlite3.Connection) -> int:
    """The file's schema version (0 for a new, empty file). Reads only."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the file to :data:`SCHEMA_VERSION`, step by step; raise
    :class:`NewerStore` (touching nothing) for a file from a newer version."""
    version = stored_version(conn)
    if version > SCHEMA_VERSION:
        raise NewerStore(version)
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = stored_version(conn)  # another process may have migrated meanwhile
        if version > SCHEMA_VERSION:
            raise NewerStore(version)
        while version < SCHEMA_VERSION:
            version += 1
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute("UPDATE schema_version SET version = ?", (version,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
