"""Trainings in the run store: their settings, Synalinks' logs, and a checkpoint per epoch.

Each log line and each checkpoint is its own short transaction (WAL), written
as the worker reports it, so a training that is cancelled, or whose worker
dies, keeps everything reported until then.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.store.database import StoreProblem, describe, open_database

TRAINING_STATUSES = ("running", "finished", "stopped", "cancelled", "failed")


@dataclass(frozen=True)
class TrainingMeta:
    id: str
    graph_name: str
    graph_hash: str
    dataset_path: str
    config: dict[str, Any]
    graph_path: str | None = None
    estimate: dict[str, Any] | None = None
    status: str = "running"
    message: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclass(frozen=True)
class TrainLog:
    kind: str  # "batch" or "epoch"
    epoch: int
    batch: int | None
    logs: dict[str, float]
    tokens: int = 0
    cost: float = 0.0
    t: float = 0.0


@dataclass(frozen=True)
class Checkpoint:
    """The trainable state tree after one epoch, and that epoch's logs."""

    training_id: str
    epoch: int
    logs: dict[str, float]
    state: dict[str, Any] = field(repr=False)
    tokens: int = 0
    cost: float = 0.0
    created_at: float = 0.0

    @property
    def score(self) -> float | None:
        """What "best" compares: the validation reward, else the training reward."""
        value = self.logs.get("val_reward", self.logs.get("reward"))
        return None if value is None else float(value)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


_META = (
    "id, graph_name, graph_hash, dataset_path, config, graph_path, estimate, status, message, "
    "created_at, updated_at"
)


class TrainingStore:
    """The training tables of the store at ``path`` (:class:`StoreProblem` if unusable)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.conn, self.repaired = open_database(self.path)

    def close(self) -> None:
        self.conn.close()

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        try:
            self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreProblem(describe(exc, self.path, writing=True)) from None

    # ------------------------------------------------------------ writing
    def begin(self, meta: TrainingMeta) -> None:
        now = time.time()
        self._write(
            f"INSERT INTO trainings ({_META}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                meta.id,
                meta.graph_name,
                meta.graph_hash,
                meta.dataset_path,
                _dump(meta.config),
                meta.graph_path,
                None if meta.estimate is None else _dump(meta.estimate),
                "running",
                None,
                now,
                now,
            ),
        )

    def log(self, training_id: str, entry: TrainLog) -> None:
        self._write(
            "INSERT INTO train_logs (training_id, seq, kind, epoch, batch, logs, tokens, cost, t) "
            "VALUES (?, (SELECT COALESCE(MAX(seq), -1) + 1 FROM train_logs WHERE training_id = ?),"
            " ?, ?, ?, ?, ?, ?, ?)",
            (
                training_id,
                training_id,
                entry.kind,
                entry.epoch,
                entry.batch,
                _dump(entry.logs),
                entry.tokens,
                entry.cost,
                entry.t,
            ),
        )

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self._write(
            "INSERT OR REPLACE INTO checkpoints "
            "(training_id, epoch, logs, state, tokens, cost, created_at) VALUES (?,?,?,?,?,?,?)",
            (
                checkpoint.training_id,
                checkpoint.epoch,
                _dump(checkpoint.logs),
                _dump(checkpoint.state),
                checkpoint.tokens,
                checkpoint.cost,
                checkpoint.created_at or time.time(),
            ),
        )

    def finish(self, training_id: str, status: str, message: str | None = None) -> None:
        if status not in TRAINING_STATUSES:
            raise ValueError(f"unknown training status {status!r}")
        self._write(
            "UPDATE trainings SET status = ?, message = ?, updated_at = ? WHERE id = ?",
            (status, message, time.time(), training_id),
        )

    # ------------------------------------------------------------ reading
    def training(self, training_id: str) -> TrainingMeta | None:
        row = self.conn.execute(
            f"SELECT {_META} FROM trainings WHERE id = ?", (training_id,)
        ).fetchone()
        return None if row is None else _meta(row)

    def find(self, id_or_prefix: str) -> TrainingMeta | None:
        rows = self.conn.execute(
            f"SELECT {_META} FROM trainings WHERE id LIKE ? ORDER BY created_at DESC LIMIT 2",
            (id_or_prefix.replace("%", "") + "%",),
        ).fetchall()
        return _meta(rows[0]) if len(rows) == 1 else None

    def trainings(self, limit: int = 50) -> list[TrainingMeta]:
        rows = self.conn.execute(
            f"SELECT {_META} FROM trainings ORDER BY created_at DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_meta(r) for r in rows]

    def logs(self, training_id: str, kind: str | None = None) -> list[TrainLog]:
        sql = (
            "SELECT kind, epoch, batch, logs, tokens, cost, t FROM train_logs WHERE training_id = ?"
        )
        params: tuple[Any, ...] = (training_id,)
        if kind:
            sql += " AND kind = ?"
            params += (kind,)
        rows = self.conn.execute(sql + " ORDER BY seq", params).fetchall()
        return [TrainLog(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6]) for r in rows]

    def checkpoints(self, training_id: str, *, with_state: bool = True) -> list[Checkpoint]:
        state = "state" if with_state else "'{}'"
        rows = self.conn.execute(
            f"SELECT training_id, epoch, logs, {state}, tokens, cost, created_at FROM checkpoints "
            "WHERE training_id = ? ORDER BY epoch",
            (training_id,),
        ).fetchall()
        return [
            Checkpoint(r[0], r[1], json.loads(r[2]), json.loads(r[3]), r[4], r[5], r[6])
            for r in rows
        ]

    def checkpoint(self, training_id: str, which: str | int) -> Checkpoint | None:
        """``which``: an epoch (0-based), ``"last"``, or ``"best"`` (the highest
        validation reward; the earliest of equals, so nothing unproven is kept)."""
        found = self.checkpoints(training_id)
        if not found:
            return None
        if which == "last":
            return found[-1]
        if which == "best":
            scored = [c for c in found if c.score is not None]
            if not scored:
                return found[-1]
            best = max(c.score for c in scored)
            return next(c for c in scored if c.score == best)
        return next((c for c in found if c.epoch == int(which)), None)


def _meta(row: tuple) -> TrainingMeta:
    return TrainingMeta(
        id=row[0],
        graph_name=row[1],
        graph_hash=row[2],
        dataset_path=row[3],
        config=json.loads(row[4]),
        graph_path=row[5],
        estimate=None if row[6] is None else json.loads(row[6]),
        status=row[7],
        message=row[8],
        created_at=row[9],
        updated_at=row[10],
    )
