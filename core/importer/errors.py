"""Problems found while importing a script, and the one error type import raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something in the script the graph cannot hold, with where it is and what to do.

    ``error`` problems stop the import (the graph would be wrong); ``warning``
    problems are details the graph leaves out (an ignored argument, a dropped
    default), reported so nothing disappears silently.
    """

    line: int
    message: str
    severity: Literal["error", "warning"] = "error"
    file: str = "<script>"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line > 0 else self.file
        return f"{where}: {self.severity}: {self.message}"


class ScriptImportError(Exception):
    """A script that cannot become a graph. ``str()`` lists every problem, ready to show."""

    def __init__(
        self,
        file: str,
        problems: list[ImportProblem],
        summary: str = "",
        programs: list[str] | None = None,
    ) -> None:
        self.file = file
        self.problems = problems
        self.programs = programs or []
        """The programs to choose from when the only problem is that the script builds
        several and none was chosen (import again with ``program=`` one of them)."""
        head = summary or f"{file}: cannot import this script"
        lines = [head] + [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))
