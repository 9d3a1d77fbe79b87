"""Reading the run store in a thread: summaries and histograms read every row of
an evaluation, which must not hold the window up. Each job opens its own
store connection (SQLite connections stay in their thread); a newer job of
the same kind makes an older one's answer be dropped."""

from __future__ import annotations

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

    def submit(self, kind: str, path: Path, job: Callable[[EvalStore], Any]) -> None:
        number = self._latest.get(kind, 0) + 1
        self._latest[kind] = number
        threading.Thread(
            target=self._run, args=(kind, number, path, job), daemon=True, name=f"store {kind}"
        ).start()

    def _run(self, kind: str, number: int, path: Path, job) -> None:
        result, error = None, ""
        try:
            store = EvalStore(path)
            try:
                result = job(store)
            finally:
                store.close()
        except Exception as exc:  # shown in the panel: the store's own sentence
            error = str(exc) or type(exc).__name__
        try:
            self._deliver(kind, number, result, error)
        except RuntimeError:  # the panel was closed meanwhile
            pass

    def _deliver(self, kind: str, number: int, result: Any, error: str) -> None:
        if self._latest.get(kind) == number:
            self.done.emit(kind, result, error)
