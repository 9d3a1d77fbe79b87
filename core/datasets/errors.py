"""What can be wrong with a dataset: the whole file, or one row of it."""

from __future__ import annotations

from dataclasses import dataclass


class DatasetError(Exception):
    """The file cannot be used at all; ``str()`` is the sentence to show
    (which file, what is wrong, what to do)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One row that does not fit, and why: listed, never silently dropped.

    ``index`` is the row's position among the file's data rows (0-based);
    ``line`` the file line it starts on when the format has lines."""

    index: int
    line: int | None
    reason: str

    def describe(self) -> str:
        where = f"row {self.index + 1}" + (f" (line {self.line})" if self.line else "")
        return f"{where}: {self.reason}"
