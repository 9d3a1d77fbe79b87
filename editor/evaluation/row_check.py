"""Which rows of a dataset do not fit the graph, found by reading the whole file
in a thread so the window never waits for it.

Each check reads the file afresh (its own file handle) with the binding's
mapping; a newer check (another file, a mapping edit) makes the older one
stop at its next row. The first :data:`KEEP` problems are kept for the list,
all of them are counted.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from core.datasets import DatasetError, RowProblem, open_dataset
from editor.evaluation.binding import DatasetBinding

KEEP = 1000


@dataclass
class CheckResult:
    generation: int
    examples: int = 0
    problem_count: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    error: str = ""


class RowCheck(QObject):
    """``finished(CheckResult)`` arrives on the UI thread (a queued signal)."""

    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self.thread: threading.Thread | None = None

    def start(self, binding: DatasetBinding) -> int:
        self.generation += 1
        mapper = binding.mapper()
        path, fmt = binding.path, binding.data.format
        generation = self.generation
        if mapper is None:
            return generation
        self.thread = threading.Thread(
            target=self._run,
            args=(generation, path, fmt, mapper),
            daemon=True,
            name="dataset row check",
        )
        self.thread.start()
        return generation

    def cancel(self) -> None:
        self.generation += 1

    def _run(self, generation: int, path, fmt, mapper) -> None:
        result = CheckResult(generation)
        try:
            data = open_dataset(path)
            for item in mapper.examples(data.rows()):
                if self.generation != generation:
                    return
                if isinstance(item, RowProblem):
                    result.problem_count += 1
                    if len(result.problems) < KEEP:
                        result.problems.append(item)
                else:
                    result.examples += 1
        except DatasetError as exc:
            result.error = str(exc)
        except Exception as exc:  # a reader bug must say something, not hang the panel
            result.error = f"{path.name}: the rows could not be checked ({exc})"
        if self.generation == generation:
            try:
                self.finished.emit(result)
            except RuntimeError:  # the panel was closed meanwhile
                pass
