"""The one error type file operations raise: it names the file and the problem."""

from __future__ import annotations

from pathlib import Path


class GraphFileError(Exception):
    """A graph file that cannot be read or written. ``str()`` is user-ready."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)
