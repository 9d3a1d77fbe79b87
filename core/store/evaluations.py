"""Evaluations in the run store: one row of ``evaluations`` per evaluation and
one row of ``eval_rows`` per finished dataset row.

Each finished row is its own short transaction (WAL, synchronous NORMAL), so
a crash or a cancel loses at most the rows in flight, and a resumed
evaluation asks :meth:`EvalStore.done_indices` which rows need not run again.
Rows are read back as a stream (:meth:`EvalStore.rows`): a results table or
an export of 100,000 rows never holds them all.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.store.database import StoreProblem, describe, open_database

ROW_STATUSES = ("scored", "failed", "invalid")
"""scored: ran and scored; failed: the program failed (not scored); invalid: the
dataset row does not fit the graph (not run)."""


@dataclass(frozen=True)
class EvalMeta:
    """What an evaluation is: its graph, dataset, settings and status."""

    id: str
    graph_name: str
    graph_hash: str
    dataset_path: str
    dataset_hash: str
    config: dict[str, Any]
    status: str = "running"
    graph_path: str | None = None
    total_rows: int | None = None
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclass
class EvalRow:
    """One dataset row's result."""

    index: int
    status: str
    line: int | None = None
    inputs: Any = None
    expected: Any = None
    predicted: Any = None
    rewards: dict[str, float] = field(default_factory=dict)
    score: float | None = None
    error: str | None = None
    duration: float | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None
    trace: Any = None
    finished_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.index,
            "status": self.status,
            "line": self.line,
            "inputs": self.inputs,
            "expected": self.expected,
            "predicted": self.predicted,
            "rewards": self.rewards,
            "score": self.score,
            "error": self.error,
            "duration": self.duration,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "cost": self.cost,
        }


_ROW_COLUMNS = (
    "row_index, status, line, inputs, expected, predicted, rewards, score, error, duration, "
    "tokens_in, tokens_out, cost, trace, finished_at"
)
_META_COLUMNS = (
    "id, graph_name, graph_hash, dataset_path, dataset_hash, config, status, graph_path, "
    "total_rows, created_at, updated_at"
)


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class EvalStore:
    """The evaluation tables of the store at ``path`` (opened at once:
    :class:`StoreProblem` says why it cannot be used)."""

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
    def begin(self, meta: EvalMeta, *, fresh: bool = False) -> EvalMeta:
        """Record ``meta`` (a new evaluation, or the same one again: its rows
        are kept for resuming unless ``fresh``); returns what is stored."""
        now = time.time()
        existing = self.find(meta.id)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            if existing is not None and fresh:
                self.conn.execute("DELETE FROM eval_rows WHERE eval_id = ?", (meta.id,))
            if existing is None:
                self.conn.execute(
                    f"INSERT INTO evaluations ({_META_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        meta.id,
                        meta.graph_name,
                        meta.graph_hash,
                        meta.dataset_path,
                        meta.dataset_hash,
                        _dump(meta.config),
                        "running",
                        meta.graph_path,
                        meta.total_rows,
                        now,
                        now,
                    ),
                )
            else:
                self.conn.execute(
                    "UPDATE evaluations SET status = 'running', updated_at = ?, graph_path = ?, "
                    "dataset_path = ?, total_rows = COALESCE(?, total_rows) WHERE id = ?",
                    (now, meta.graph_path, meta.dataset_path, meta.total_rows, meta.id),
                )
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreProblem(describe(exc, self.path, writing=True)) from None
        found = self.find(meta.id)
        assert found is not None
        return found

    def write_row(self, eval_id: str, row: EvalRow) -> None:
        """Store one finished row (replacing an earlier result of the same row)."""
        self._write(
            f"INSERT OR REPLACE INTO eval_rows (eval_id, {_ROW_COLUMNS}) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                eval_id,
                row.index,
                row.status,
                row.line,
                _dump(row.inputs),
                _dump(row.expected),
                _dump(row.predicted),
                _dump(row.rewards),
                row.score,
                row.error,
                row.duration,
                row.tokens_in,
                row.tokens_out,
                row.cost,
                _dump(row.trace),
                row.finished_at or time.time(),
            ),
        )

    def set_status(self, eval_id: str, status: str, total_rows: int | None = None) -> None:
        self._write(
            "UPDATE evaluations SET status = ?, updated_at = ?, "
            "total_rows = COALESCE(?, total_rows) WHERE id = ?",
            (status, time.time(), total_rows, eval_id),
        )

    def delete(self, eval_id: str) -> None:
        self._write("DELETE FROM eval_rows WHERE eval_id = ?", (eval_id,))
        self._write("DELETE FROM evaluations WHERE id = ?", (eval_id,))

    # ------------------------------------------------------------ reading
    def find(self, eval_id: str) -> EvalMeta | None:
        """The evaluation with this id, or with an id starting with it when only one
        does; None when none does. ValueError when a prefix is ambiguous."""
        rows = self.conn.execute(
            f"SELECT {_META_COLUMNS} FROM evaluations WHERE id LIKE ? ORDER BY updated_at DESC "
            "LIMIT 2",
            (eval_id.replace("%", "").replace("_", "") + "%",),
        ).fetchall()
        exact = [r for r in rows if r[0] == eval_id]
        if exact:
            return _meta(exact[0])
        if len(rows) > 1:
            raise ValueError(f"several evaluations start with {eval_id!r}; give more of the id")
        return _meta(rows[0]) if rows else None

    def evaluations(self, limit: int = 50) -> list[EvalMeta]:
        """The latest evaluations, newest first."""
        return [
            _meta(r)
            for r in self.conn.execute(
                f"SELECT {_META_COLUMNS} FROM evaluations ORDER BY updated_at DESC LIMIT ?",
                (limit,),
            )
        ]

    def done_indices(self, eval_id: str) -> Iterator[int]:
        """The indices of the finished rows, ascending (streamed)."""
        cursor = self.conn.execute(
            "SELECT row_index FROM eval_rows WHERE eval_id = ? ORDER BY row_index", (eval_id,)
        )
        for (index,) in cursor:
            yield index

    def counts(self, eval_id: str) -> dict[str, int]:
        counts = dict.fromkeys(ROW_STATUSES, 0)
        for status, n in self.conn.execute(
            "SELECT status, COUNT(*) FROM eval_rows WHERE eval_id = ? GROUP BY status", (eval_id,)
        ):
            counts[status] = n
        return counts

    def rows(
        self,
        eval_id: str,
        *,
        status: str | None = None,
        with_trace: bool = False,
        order_by: str = "row_index",
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> Iterator[EvalRow]:
        """The stored rows, streamed (``order_by``: row_index, score, duration,
        tokens_out, cost, status, or ``reward:<label>`` for one reward's value);
        ``with_trace`` also loads each row's node trace."""
        where = "eval_id = ?" + (" AND status = ?" if status else "")
        params: tuple[Any, ...] = (eval_id, status) if status else (eval_id,)
        if order_by.startswith("reward:"):
            # The label is bound as a JSON path, never written into the SQL.
            key = "json_extract(rewards, ?)"
            order_params: tuple[Any, ...] = ('$."' + order_by[7:].replace('"', "") + '"',)
        elif order_by in ("row_index", "score", "duration", "tokens_out", "cost", "status"):
            key, order_params = order_by, ()
        else:
            raise ValueError(f"cannot sort evaluation rows by {order_by!r}")
        direction = "DESC" if descending else "ASC"  # ties too, so the index serves both
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM eval_rows WHERE {where} ORDER BY {key} "
            f"{direction}, row_index {direction} LIMIT ? OFFSET ?"
        )
        cursor = self.conn.execute(
            sql, (*params, *order_params, -1 if limit is None else limit, offset)
        )
        for r in cursor:
            yield _row(r, with_trace=with_trace)

    def row(self, eval_id: str, index: int) -> EvalRow | None:
        """One row with its node trace (what a results table opens on double-click)."""
        r = self.conn.execute(
            f"SELECT {_ROW_COLUMNS} FROM eval_rows WHERE eval_id = ? AND row_index = ?",
            (eval_id, index),
        ).fetchone()
        return None if r is None else _row(r, with_trace=True)


def _row(r: tuple[Any, ...], *, with_trace: bool) -> EvalRow:
    return EvalRow(
        index=r[0],
        status=r[1],
        line=r[2],
        inputs=_load(r[3]),
        expected=_load(r[4]),
        predicted=_load(r[5]),
        rewards=_load(r[6]) or {},
        score=r[7],
        error=r[8],
        duration=r[9],
        tokens_in=r[10],
        tokens_out=r[11],
        cost=r[12],
        trace=_load(r[13]) if with_trace else None,
        finished_at=r[14],
    )


def _meta(r: tuple[Any, ...]) -> EvalMeta:
    return EvalMeta(
        id=r[0],
        graph_name=r[1],
        graph_hash=r[2],
        dataset_path=r[3],
        dataset_hash=r[4],
        config=_load(r[5]) or {},
        status=r[6],
        graph_path=r[7],
        total_rows=r[8],
        created_at=r[9],
        updated_at=r[10],
    )
