"""The run store as the editor's evaluator sees it: rows are written in a thread.

Writing a finished row is one short SQLite transaction, but every so often
the commit also checkpoints the write-ahead log into the database file, with
an fsync: measured at 50 to 150 ms on the UI thread of the editor, where the
evaluator runs (on the qasync loop). Here rows and status changes go, in
order, to a writer thread with its own connection, which commits whatever
has queued up as one transaction (SQLite lets go of the GIL while it writes
and syncs). Reads (the rows already done, the counts) stay on the caller's
connection: the write-ahead log lets them run beside the writer.

A crash loses the rows in flight and those queued (the writer keeps up within
milliseconds); :meth:`close` (awaited when the evaluation ends, however it
ends) writes what is queued before anyone reads the result.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any

from core.store.database import StoreProblem
from core.store.evaluations import EvalRow, EvalStore

BATCH = 500
"""Most queued writes committed in one transaction."""


class BackgroundWrites:
    """An :class:`EvalStore` for :class:`~core.evaluation.Evaluator` whose
    ``write_row`` and ``set_status`` are done by a writer thread, in order."""

    def __init__(self, store: EvalStore) -> None:
        self._store = store
        self.path = store.path
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self.problem: str | None = None
        self.written = 0
        self._thread = threading.Thread(target=self._run, daemon=True, name="evaluation writer")
        self._thread.start()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)  # reads (and begin) on the caller's connection

    def write_row(self, eval_id: str, row: EvalRow) -> None:
        self._raise_problem()
        self._queue.put(("row", eval_id, row))

    def set_status(self, eval_id: str, status: str, total_rows: int | None = None) -> None:
        self._raise_problem()
        self._queue.put(("status", eval_id, status, total_rows))

    def close(self) -> None:
        """Write what is queued and stop the thread (blocks until done)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)
        self._raise_problem()

    def _raise_problem(self) -> None:
        if self.problem is not None:
            raise StoreProblem(self.problem)

    def _run(self) -> None:
        try:
            store = EvalStore(self.path)
        except StoreProblem as exc:
            self.problem = str(exc)
            self._drain_until_closed()
            return
        try:
            while True:
                item = self._queue.get()
                batch = [item]
                while item is not None and len(batch) < BATCH:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    batch.append(item)
                done = batch[-1] is None
                writes = [b for b in batch if b is not None]
                if writes and self.problem is None:
                    self._commit(store, writes)
                if done:
                    return
        finally:
            store.close()

    def _commit(self, store: EvalStore, writes: list[tuple]) -> None:
        try:
            store.conn.execute("BEGIN")
            for write in writes:
                if write[0] == "row":
                    store.write_row(write[1], write[2])
                    self.written += 1
                else:
                    store.set_status(write[1], write[2], write[3])
            store.conn.execute("COMMIT")
        except (StoreProblem, Exception) as exc:  # kept, raised on the loop's next write
            if store.conn.in_transaction:
                try:
                    store.conn.execute("ROLLBACK")
                except Exception:
                    pass
            self.problem = str(exc)

    def _drain_until_closed(self) -> None:
        while self._queue.get() is not None:
            pass
