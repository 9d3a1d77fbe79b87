"""Reading the run store off the UI thread: summaries, histograms, comparisons and
exports read every row of an evaluation, which must not hold the window up.

One long-lived thread per reader (starting a thread per job costs the UI
thread a wait for it to start, long on a busy machine) with its own store
connection per job (SQLite connections stay in their thread); a newer job
of the same kind makes an older one's answer be dropped.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from core.store.evaluations import EvalStore


class StoreReader(QObject):
    """``done(kind, result, error)`` arrives on the UI thread."""

    done = Signal(str, object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest: dict[str, int] = {}
        self._answered: dict[str, int] = {}
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        # Started now, idle on its queue: starting a thread makes the caller wait
        # until it runs, which is not for the moment results are wanted.
        self._thread = threading.Thread(
            target=self._serve, args=(self._jobs,), daemon=True, name="store reader"
        )
        self._thread.start()
        jobs = self._jobs
        self.destroyed.connect(lambda *_: jobs.put(None))

    def in_flight(self, kind: str) -> bool:
        """A job of ``kind`` is queued or running (a refresh need not queue another)."""
        return self._answered.get(kind, 0) < self._latest.get(kind, 0)

    def submit(self, kind: str, path: Path, job: Callable[[EvalStore], Any]) -> None:
        number = self._latest.get(kind, 0) + 1
        self._latest[kind] = number
        self._jobs.put((kind, number, path, job))

    def _serve(self, jobs: queue.SimpleQueue) -> None:
        while (item := jobs.get()) is not None:
            kind, number, path, job = item
            if self._latest.get(kind) != number:
                continue  # a newer job of this kind is queued
            result, error = None, ""
            try:
                store = EvalStore(path)
                try:
                    result = job(store)
                finally:
                    store.close()
            except Exception as exc:  # shown in the panel: the store's own sentence
                error = str(exc) or type(exc).__name__
            self._answered[kind] = number
            try:
                if self._latest.get(kind) == number:
                    self.done.emit(kind, result, error)
            except RuntimeError:  # the panel was closed meanwhile
                return
