"""The tables that keep trainings and their checkpoints (a step of :mod:`core.store.schema`)."""

from __future__ import annotations

TRAINING_TABLES = (
    # One training: a graph fitted on a dataset with an optimizer and rewards.
    # config: the settings (JSON); estimate: the calls/tokens/cost foreseen;
    # message: why it stopped, when it did not simply finish.
    """CREATE TABLE trainings (
        id TEXT PRIMARY KEY,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        graph_name TEXT NOT NULL,
        graph_path TEXT,
        graph_hash TEXT NOT NULL,
        dataset_path TEXT NOT NULL,
        config TEXT NOT NULL,
        estimate TEXT,
        status TEXT NOT NULL,
        message TEXT
    )""",
    # Synalinks' logs, one row per batch or epoch, in the order they came.
    """CREATE TABLE train_logs (
        training_id TEXT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        batch INTEGER,
        logs TEXT NOT NULL,
        tokens INTEGER NOT NULL DEFAULT 0,
        cost REAL NOT NULL DEFAULT 0,
        t REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (training_id, seq)
    ) WITHOUT ROWID""",
    # The trainable state tree after each epoch, written as the epoch ends:
    # a training cancelled or killed later keeps every checkpoint made.
    """CREATE TABLE checkpoints (
        training_id TEXT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        logs TEXT NOT NULL,
        state TEXT NOT NULL,
        tokens INTEGER NOT NULL DEFAULT 0,
        cost REAL NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        PRIMARY KEY (training_id, epoch)
    ) WITHOUT ROWID""",
)
