"""The tables that keep runs across sessions (a step of :mod:`core.store.schema`)."""

from __future__ import annotations

RUN_TABLES = (
    # One row per run: what a list of runs shows, small and indexed by graph.
    # graph_key: the graph file's resolved path (or "unsaved:<id>" for a graph
    # never saved); size: the bytes of this row and its details, for the cap.
    """CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        graph_key TEXT NOT NULL,
        graph_name TEXT NOT NULL,
        started_at REAL NOT NULL,
        status TEXT NOT NULL,
        duration REAL,
        tokens_in INTEGER NOT NULL DEFAULT 0,
        tokens_out INTEGER NOT NULL DEFAULT 0,
        cost REAL,
        backend TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL DEFAULT '',
        input_preview TEXT NOT NULL DEFAULT '',
        counts TEXT NOT NULL DEFAULT '{}',
        size INTEGER NOT NULL
    )""",
    "CREATE INDEX runs_by_graph ON runs (graph_key, started_at)",
    "CREATE INDEX runs_by_age ON runs (started_at)",
    # The bulk of a run, read only when one run is opened: the graph it ran
    # (a graph document), its inputs, outputs and run record (JSON; the graph
    # and the record zlib-compressed).
    """CREATE TABLE run_details (
        run_id TEXT PRIMARY KEY,
        graph BLOB NOT NULL,
        inputs TEXT NOT NULL,
        outputs TEXT NOT NULL,
        record BLOB NOT NULL
    )""",
    # The running total of sizes, kept by triggers (checking the cap never
    # scans); deleting a run deletes its details.
    "CREATE TABLE runs_total (id INTEGER PRIMARY KEY CHECK (id = 0), bytes INTEGER NOT NULL)",
    "INSERT INTO runs_total (id, bytes) VALUES (0, 0)",
    """CREATE TRIGGER runs_added AFTER INSERT ON runs BEGIN
        UPDATE runs_total SET bytes = bytes + NEW.size WHERE id = 0; END""",
    """CREATE TRIGGER runs_removed AFTER DELETE ON runs BEGIN
        UPDATE runs_total SET bytes = bytes - OLD.size WHERE id = 0;
        DELETE FROM run_details WHERE run_id = OLD.run_id; END""",
)
