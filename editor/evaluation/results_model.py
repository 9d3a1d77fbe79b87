"""One evaluation's rows as a table model that reads the run store a page at a time.

The store sorts (``order_by``) and filters (``status``): the model keeps a
few pages of 50 rows, so a 100,000-row evaluation scrolls with flat memory
and sorting never loads the rows into Python. Columns the store cannot sort
by (inputs, expected, predicted, each reward) keep the current order.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.evaluation.results import reward_labels
from core.store.evaluations import EvalMeta, EvalRow, EvalStore
from editor.evaluation.dataset_rows import cell_text

PAGE = 50
PAGES_KEPT = 12
CELL_CHARS = 160

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

# column key -> (header, the store's order_by or None)
FIXED_HEAD = (
    ("row", "Row", "row_index"),
    ("status", "Status", "status"),
    ("score", "Score", "score"),
)
FIXED_TAIL = (
    ("inputs", "Input", None),
    ("expected", "Expected", None),
    ("predicted", "Predicted", None),
    ("duration", "Time (s)", "duration"),
    ("tokens", "Tokens", "tokens_out"),
    ("cost", "Cost", "cost"),
    ("error", "Error", None),
)
STATUS_COLOURS = {"failed": "#c0392b", "invalid": "#b9770e"}


class EvalRowsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.store: EvalStore | None = None
        self.meta: EvalMeta | None = None
        self.status: str | None = None
        self.order_by = "row_index"
        self.descending = False
        self.columns: list[tuple[str, str, str | None]] = []
        self._count = 0
        self._pages: OrderedDict[int, list[EvalRow]] = OrderedDict()

    # ------------------------------------------------------------ settings
    def set_evaluation(self, store: EvalStore | None, meta: EvalMeta | None) -> None:
        self.beginResetModel()
        self.store, self.meta = store, meta
        labels = reward_labels(meta) if meta is not None else []
        self.columns = [
            *FIXED_HEAD,
            *((f"reward:{label}", label, None) for label in labels),
            *FIXED_TAIL,
        ]
        self._reload()
        self.endResetModel()

    def set_status_filter(self, status: str | None) -> None:
        self.beginResetModel()
        self.status = status or None
        self._reload()
        self.endResetModel()

    def refresh(self, counts: dict[str, int] | None = None) -> None:
        """Rows were added (a running evaluation): the count (``counts``, read
        elsewhere, else read now) and the pages are read again."""
        if counts is not None and self.meta is not None:
            count = counts.get(self.status, 0) if self.status else sum(counts.values())
            if count == self._count:
                return  # nothing new: the rows shown stay as they are
        self.beginResetModel()
        self._reload(counts)
        self.endResetModel()

    def sortable(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self.columns[column][2] is not None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not self.sortable(column):
            return
        self.beginResetModel()
        self.order_by = str(self.columns[column][2])
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.endResetModel()

    def _reload(self, counts: dict[str, int] | None = None) -> None:
        self._pages.clear()
        if self.store is None or self.meta is None:
            self._count = 0
            return
        if counts is None:
            counts = self.store.counts(self.meta.id)
        self._count = counts.get(self.status, 0) if self.status else sum(counts.values())

    # -------------------------------------------------------------- paging
    def row_at(self, row: int) -> EvalRow | None:
        if self.store is None or self.meta is None or not 0 <= row < self._count:
            return None
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = list(
                self.store.rows(
                    self.meta.id,
                    status=self.status,
                    order_by=self.order_by,
                    descending=self.descending,
                    offset=number * PAGE,
                    limit=PAGE,
                )
            )
            self._pages[number] = page
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * PAGE
        return page[offset] if offset < len(page) else None

    # --------------------------------------------------------------- model
    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt override)
        if orientation != Qt.Orientation.Horizontal or section >= len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][1]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                "Click to sort"
                if self.sortable(section)
                else "This column cannot be sorted (the run store sorts by row, status, score, "
                "time, tokens or cost)"
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        key = self.columns[index.column()][0]
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            colour = STATUS_COLOURS.get(row.status)
            return QBrush(QColor(colour)) if colour else None
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and key
            in (
                "row",
                "score",
                "duration",
                "tokens",
                "cost",
            )
            or key.startswith("reward:")
            and role == Qt.ItemDataRole.TextAlignmentRole
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        text = self.cell(row, key)
        if role == Qt.ItemDataRole.DisplayRole and len(text) > CELL_CHARS:
            return text[:CELL_CHARS] + "…"
        return text

    @staticmethod
    def cell(row: EvalRow, key: str) -> str:
        if key == "row":
            return str(row.index + 1)
        if key == "status":
            return row.status
        if key == "score":
            return "" if row.score is None else f"{row.score:.3f}"
        if key.startswith("reward:"):
            value = row.rewards.get(key.removeprefix("reward:"))
            return "" if value is None else f"{float(value):.3f}"
        if key in ("inputs", "expected", "predicted"):
            return cell_text(getattr(row, key))
        if key == "duration":
            return "" if row.duration is None else f"{row.duration:.2f}"
        if key == "tokens":
            if row.tokens_in is None and row.tokens_out is None:
                return ""
            return f"{(row.tokens_in or 0) + (row.tokens_out or 0):,}"
        if key == "cost":
            return "" if row.cost is None else f"${row.cost:.5f}"
        if key == "error":
            return row.error or ""
        return ""
