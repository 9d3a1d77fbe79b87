"""Runs kept across sessions: every run of a graph, from the editor or the command line.

A run is saved once, when it ends, in one short transaction: a summary row
(``runs``, what a list shows, indexed by graph and time) and its details
(``run_details``: the graph it ran, its inputs, outputs and run record), read
only when that run is opened. Past the size cap, the oldest runs go first.

A store that cannot be used never stops a run, as for the node cache: the
run is simply not kept, the reason waits in :meth:`RunStore.take_warning`, and
nothing already stored is touched. Secrets never go in: every text is passed
through the engine's redaction, and the graph's server address loses any
user, password or query.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
"""The runs' size cap (their JSON, in bytes) unless the caller sets one."""
EVICT_TO = 0.9
PREVIEW = 160
"""Characters of a run's input kept for lists."""
SEED_RUNS = 50
"""How many of a graph's latest runs a run from a node looks through for upstream values."""


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One row of a list of runs."""

    run_id: str
    graph_key: str
    graph_name: str
    started_at: float
    status: str
    duration: float | None
    tokens_in: int
    tokens_out: int
    cost: float | None
    backend: str
    model: str
    scope: str
    origin: str
    input_preview: str
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class StoredRun:
    """A whole run, as :meth:`RunStore.load` gives it back."""

    summary: RunSummary
    graph: dict[str, Any]  # a graph document (core.files.serialize)
    inputs: Any
    outputs: list[Any]
    record: dict[str, Any]  # core.store.run_codec.record_to_json


_SUMMARY_COLUMNS = (
    "run_id, graph_key, graph_name, started_at, status, duration, tokens_in, tokens_out, "
    "cost, backend, model, scope, origin, input_preview, counts"
)


def graph_key_for(path: str | Path | None, unsaved_id: str | None = None) -> str:
    """The key runs of one graph share: its file's resolved path, else ``unsaved:<id>``."""
    if path:
        return str(Path(path).expanduser().resolve())
    return f"unsaved:{unsaved_id or uuid.uuid4().hex}"


class RunStore:
    """The ``runs`` tables of the store at ``path`` (opened on first use)."""

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
        self._warnings: list[str] = []
        self._lasting = False
        self._damaged = False

    # ------------------------------------------------------------ writing
    def save(
        self,
        *,
        graph_key: str,
        graph: Any,
        record: Any,
        inputs: Any,
        started_at: float | None = None,
        backend: str = "builtin",
        model: str = "",
        scope: str = "",
        origin: str = "",
    ) -> bool:
        """Keep one finished run (``graph``: the Graph it ran; ``record``: its
        RunRecord). False, with a warning waiting, when it could not be kept."""
        from core.engine.redact import redact
        from core.files.serialize import graph_to_document
        from core.store.run_codec import record_to_json

        document = graph_to_document(graph)
        meta = document.get("meta") or {}
        if meta.get("api_base"):
            from core.engine.cache_key import without_credentials

            meta["api_base"] = without_credentials(meta["api_base"])
        try:
            graph_text = _pack(redact(_dumps(document)))
            inputs_text = redact(_dumps(inputs))
            outputs_text = redact(_dumps(list(record.outputs)))
            record_text = _pack(redact(_dumps(record_to_json(record))))
        except (TypeError, ValueError) as exc:
            self._warn(f"Run {record.run_id} could not be kept in the run store: {exc}.")
            return False
        preview = input_preview(inputs)
        counts: dict[str, int] = {}
        for node in record.nodes.values():
            state = getattr(node.state, "value", str(node.state))
            counts[state] = counts.get(state, 0) + 1
        size = len(graph_text) + len(inputs_text) + len(outputs_text) + len(record_text) + 200
        if size > self.max_bytes:
            self._warn(
                f"Run {record.run_id} was not kept: it is larger ({size:,} bytes) than the run "
                f"store's cap ({self.max_bytes:,} bytes)."
            )
            return False
        conn = self._connection()
        if conn is None:
            return False
        row = (
            record.run_id,
            graph_key,
            record.graph_name or meta.get("name", ""),
            time.time() if started_at is None else started_at,
            record.status,
            record.duration,
            record.tokens_in,
            record.tokens_out,
            record.cost,
            backend,
            model or "",
            scope,
            origin,
            preview,
            json.dumps(counts),
            size,
        )
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM runs WHERE run_id = ?", (record.run_id,))
                conn.execute(
                    f"INSERT INTO runs ({_SUMMARY_COLUMNS}, size) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                conn.execute(
                    "INSERT INTO run_details (run_id, graph, inputs, outputs, record) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (record.run_id, graph_text, inputs_text, outputs_text, record_text),
                )
                self._evict(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._fault(exc, writing=True)
            return False
        return True

    def delete(self, run_ids: Iterable[str]) -> int:
        """Delete these runs; how many there were."""
        ids = [(r,) for r in dict.fromkeys(run_ids)]
        conn = self._connection()
        if conn is None or not ids:
            return 0
        try:
            deleted = 0
            conn.execute("BEGIN IMMEDIATE")
            try:
                for run_id in ids:  # a run's details go with it (a trigger)
                    deleted += conn.execute("DELETE FROM runs WHERE run_id = ?", run_id).rowcount
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return deleted
        except sqlite3.Error as exc:
            self._fault(exc, writing=True)
            return 0

    def rekey(self, old_key: str, new_key: str) -> int:
        """File the runs of ``old_key`` under ``new_key`` (a graph first saved:
        its runs follow it to its file); how many moved."""
        conn = self._connection()
        if conn is None or old_key == new_key:
            return 0
        try:
            return conn.execute(
                "UPDATE runs SET graph_key = ? WHERE graph_key = ?", (new_key, old_key)
            ).rowcount
        except sqlite3.Error as exc:
            self._fault(exc, writing=True)
            return 0

    def _evict(self, conn: sqlite3.Connection) -> None:
        total = self._total(conn)
        if total <= self.max_bytes:
            return
        to_free = total - int(self.max_bytes * EVICT_TO)
        doomed: list[tuple[str]] = []
        for run_id, size in conn.execute("SELECT run_id, size FROM runs ORDER BY started_at"):
            doomed.append((run_id,))
            to_free -= size
            if to_free <= 0:
                break
        conn.executemany("DELETE FROM runs WHERE run_id = ?", doomed)

    @staticmethod
    def _total(conn: sqlite3.Connection) -> int:
        return int(conn.execute("SELECT bytes FROM runs_total WHERE id = 0").fetchone()[0])

    # ------------------------------------------------------------ reading
    def list(self, graph_key: str | None, limit: int | None = None) -> list[RunSummary]:
        """The runs of ``graph_key`` (every graph's with None), newest first."""
        conn = self._connection()
        if conn is None:
            return []
        where, args = ("WHERE graph_key = ?", [graph_key]) if graph_key is not None else ("", [])
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM runs {where} ORDER BY started_at DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        try:
            rows = conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            self._fault(exc, writing=False)
            return []
        return [_summary(row) for row in rows]

    def count(self, graph_key: str) -> int:
        conn = self._connection()
        if conn is None:
            return 0
        try:
            return int(
                conn.execute(
                    "SELECT count(*) FROM runs WHERE graph_key = ?", (graph_key,)
                ).fetchone()[0]
            )
        except sqlite3.Error as exc:
            self._fault(exc, writing=False)
            return 0

    def load(self, run_id: str) -> StoredRun | None:
        """One whole run (None: not kept, or the store cannot be read). A run id
        may be given by its first characters when they name one run."""
        conn = self._connection()
        if conn is None:
            return None
        try:
            row = conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM runs WHERE run_id = ?", (run_id,)
            ).fetchone()
            if row is None and run_id:
                rows = conn.execute(
                    f"SELECT {_SUMMARY_COLUMNS} FROM runs WHERE run_id LIKE ? LIMIT 2",
                    (run_id.replace("%", "").replace("_", "") + "%",),
                ).fetchall()
                row = rows[0] if len(rows) == 1 else None
            if row is None:
                return None
            details = conn.execute(
                "SELECT graph, inputs, outputs, record FROM run_details WHERE run_id = ?",
                (row[0],),
            ).fetchone()
        except sqlite3.Error as exc:
            self._fault(exc, writing=False)
            return None
        if details is None:
            return None
        graph, inputs, outputs, record = (json.loads(_unpack(value)) for value in details)
        return StoredRun(_summary(row), graph, inputs, outputs, record)

    def latest_values(
        self, graph_key: str, node_ids: Sequence[str], runs: int = SEED_RUNS
    ) -> dict[str, Any]:
        """For each of ``node_ids``, its outputs in the latest kept run of the graph
        where it finished: ``{node_id: Seed}`` (nodes found in none are left out)."""
        from core.engine.scope import Seed

        wanted = set(node_ids)
        found: dict[str, Seed] = {}
        conn = self._connection()
        if conn is None or not wanted:
            return found
        try:
            rows = conn.execute(
                "SELECT d.run_id, d.record FROM runs r JOIN run_details d ON d.run_id = r.run_id "
                "WHERE r.graph_key = ? ORDER BY r.started_at DESC LIMIT ?",
                (graph_key, runs),
            ).fetchall()
        except sqlite3.Error as exc:
            self._fault(exc, writing=False)
            return found
        for run_id, text in rows:
            for node in json.loads(_unpack(text)).get("nodes") or ():
                nid = node.get("node_id")
                if nid in wanted and nid not in found and node.get("state") == "finished":
                    found[nid] = Seed(node.get("outputs") or {}, node.get("result"), run_id)
            if len(found) == len(wanted):
                break
        return found

    def stats(self) -> tuple[int, int]:
        """(runs, bytes) kept; (0, 0) when the store cannot be read."""
        conn = self._connection()
        if conn is None:
            return 0, 0
        try:
            return int(conn.execute("SELECT count(*) FROM runs").fetchone()[0]), self._total(conn)
        except sqlite3.Error as exc:
            self._fault(exc, writing=False)
            return 0, 0

    # ------------------------------------------------------------ status
    def take_warning(self) -> str | None:
        """Why runs could not be kept or read since the last call (None if they could), once."""
        if not self._warnings:
            return None
        message = " ".join(dict.fromkeys(self._warnings))
        self._warnings.clear()
        return message

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if self._lasting:
            return None
        try:
            if self._damaged:
                self._damaged = False
                aside = move_aside(self.path)
                self._warn(
                    f"The damaged run store was moved to {aside.name} beside it (nothing was "
                    "deleted) and a new store was started."
                )
            self._conn, note = open_database(self.path, busy_timeout=self.busy_timeout)
        except StoreProblem as exc:
            self._warn(_about_runs(str(exc)))
            self._lasting = exc.lasting
            return None
        if note:
            self._warn(note)
        return self._conn

    def _fault(self, exc: sqlite3.Error, *, writing: bool) -> None:
        log.debug("run store %s failed", self.path, exc_info=True)
        self._warn(_about_runs(describe(exc, self.path, writing=writing)))
        if is_corrupt(exc):
            self.close()
            self._damaged = True

    def _warn(self, message: str) -> None:
        if message not in self._warnings:
            self._warnings.append(message)


def _about_runs(message: str) -> str:
    """The store's sentences speak of caching; for runs, say what is lost here."""
    return (
        message.replace("this run's results were not cached", "this run was not kept")
        .replace("runs are not cached", "runs are not kept")
        .replace("cached results start empty", "kept runs and cached results start empty")
    )


def one_warning(cache_warning: str | None, runs_warning: str | None) -> str | None:
    """The node cache's and the kept runs' warnings of one run as one message:
    one store, so one fault usually costs both, said once."""
    if not cache_warning or not runs_warning:
        return cache_warning or runs_warning
    if _about_runs(cache_warning) == runs_warning:
        return cache_warning.replace(
            "runs are not cached", "runs are neither cached nor kept"
        ).replace("this run's results were not cached", "this run was neither cached nor kept")
    return f"{cache_warning} {runs_warning}"


def _summary(row: Sequence[Any]) -> RunSummary:
    *head, counts = row
    try:
        parsed = json.loads(counts) if counts else {}
    except ValueError:
        parsed = {}
    return RunSummary(*head, counts=parsed)


def _pack(text: str) -> bytes:
    """The big texts of a run (its graph and record) are kept compressed: a
    128-node run's record shrinks about twelvefold, for under a millisecond."""
    return zlib.compress(text.encode("utf-8"), 1)


def _unpack(value: str | bytes) -> str:
    return zlib.decompress(value).decode("utf-8") if isinstance(value, bytes) else value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def input_preview(inputs: Any) -> str:
    """The input in one short line: its values (a single Input's fields), joined."""
    if isinstance(inputs, dict) and len(inputs) == 1:
        (only,) = inputs.values()
        inputs = only
    if isinstance(inputs, dict):
        text = " · ".join(
            v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in inputs.values()
        )
    else:
        text = json.dumps(inputs, ensure_ascii=False)
    from core.engine.redact import redact

    text = redact(" ".join(text.split()))
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"
