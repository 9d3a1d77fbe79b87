"""The rows of a dataset file as a table model that reads the file as it is scrolled.

Opening a file reads only its header and the first page; scrolling down
asks for more (``canFetchMore``/``fetchMore``), so a 100,000-row file opens
at once and memory grows only with what was looked at. A row that cannot be
read shows why in its first cell.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.datasets import DatasetError, DatasetFile, RawRow

PAGE = 200
"""Rows read per page (one page on opening, one more per scroll to the end)."""
CELL_CHARS = 200
"""Longer values are cut in the table (the tooltip shows them whole)."""

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class DatasetRowsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.data_file: DatasetFile | None = None
        self.columns: list[str] = []
        self.rows: list[RawRow] = []
        self.read_error: str = ""
        self._iterator: Iterator[RawRow] | None = None

    def set_file(self, data_file: DatasetFile | None) -> None:
        self.beginResetModel()
        self.data_file = data_file
        self.columns = list(data_file.columns) if data_file is not None else []
        self.rows = []
        self.read_error = ""
        self._iterator = data_file.rows() if data_file is not None else None
        self.endResetModel()
        if self._iterator is not None:
            self.fetchMore(QModelIndex())

    # ----------------------------------------------------------- paging
    def canFetchMore(self, parent: Index = _ROOT) -> bool:  # noqa: N802 (Qt override)
        return not parent.isValid() and self._iterator is not None

    def fetchMore(self, parent: Index = _ROOT) -> None:  # noqa: N802 (Qt override)
        if parent.isValid() or self._iterator is None:
            return
        page: list[RawRow] = []
        try:
            for raw in self._iterator:
                page.append(raw)
                if len(page) >= PAGE:
                    break
            else:
                self._iterator = None
        except DatasetError as exc:  # the file changed or broke while being read
            self.read_error = str(exc)
            self._iterator = None
        if page:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    # ------------------------------------------------------------ model
    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else max(1, len(self.columns))

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt override)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section] if section < len(self.columns) else "(no columns)"
        if section < len(self.rows):
            return str(self.rows[section].index + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        raw = self.rows[index.row()]
        if raw.values is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return f"cannot be read: {raw.problem}" if index.column() == 0 else ""
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#c0392b"))
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.column() >= len(self.columns):
            return None
        text = cell_text(raw.values.get(self.columns[index.column()]))
        if role == Qt.ItemDataRole.DisplayRole and len(text) > CELL_CHARS:
            return text[:CELL_CHARS] + "…"
        return text


def cell_text(value: Any) -> str:
    """A value as one line of a table cell (JSON for objects and lists)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\n", " ⏎ ")
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)
