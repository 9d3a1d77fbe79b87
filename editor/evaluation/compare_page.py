"""The Compare page: two evaluations of the same dataset side by side.

B is compared with A row by row (rows scored in both): wins, losses and
ties of B, the two means and the mean difference with its 95% confidence
interval, and the rows whose scores differ. Only evaluations of the same
file (same bytes) are offered as B.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.evaluation import compare
from core.evaluation.results import reward_labels
from core.store.evaluations import EvalStore
from editor.evaluation.background import StoreReader
from editor.evaluation.dataset_page import scrolled
from editor.evaluation.results_page import evaluation_label

ROWS_SHOWN = 2000
"""Differing rows listed at most (all are counted)."""


class ComparePage(QWidget):
    rowActivated = Signal(str, int)  # evaluation id, row index
    compared = Signal(object)  # Comparison

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: EvalStore | None = None
        self.comparison = None
        self.reader = StoreReader(self)
        self.reader.done.connect(self._read)
        self.a = QComboBox(self)
        self.a.setObjectName("compareA")
        self.b = QComboBox(self)
        self.b.setObjectName("compareB")
        for combo in (self.a, self.b):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self.reward = QComboBox(self)
        self.a.currentIndexChanged.connect(self._a_changed)
        self.button = QPushButton("Compare", self)
        self.button.clicked.connect(self.run_compare)
        self.result_label = QLabel("Pick two evaluations of the same dataset.", self)
        self.result_label.setObjectName("compareResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("compareRows")
        self.table.setHorizontalHeaderLabels(["Row", "A", "B", "B − A"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setMinimumHeight(36)
        self.table.cellDoubleClicked.connect(self._double_clicked)

        form = QFormLayout()
        form.addRow("A (baseline)", self.a)
        form.addRow("B", self.b)
        row = QHBoxLayout()
        row.addWidget(QLabel("Score", self))
        row.addWidget(self.reward, 1)
        row.addWidget(self.button)
        form.addRow(row)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.result_label, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(left), 2)
        layout.addWidget(self.table, 3)

    def set_store(self, store: EvalStore | None) -> None:
        self.store = store
        self.list_evaluations()

    def list_evaluations(self) -> None:
        current = self.a.currentData()
        self.a.blockSignals(True)
        self.a.clear()
        metas = self.store.evaluations(100) if self.store is not None else []
        for meta in metas:
            self.a.addItem(evaluation_label(meta), meta.id)
        index = self.a.findData(current) if current else (1 if len(metas) > 1 else 0)
        self.a.setCurrentIndex(max(0, index))
        self.a.blockSignals(False)
        self._a_changed()

    def choose(self, id_a: str, id_b: str) -> None:
        self.a.setCurrentIndex(self.a.findData(id_a))
        self.b.setCurrentIndex(self.b.findData(id_b))

    def _a_changed(self, *_args) -> None:
        """B lists the other evaluations of A's dataset (same bytes), newest first."""
        current = self.b.currentData()
        self.b.clear()
        self.reward.clear()
        if self.store is None or not self.a.currentData():
            return
        a = self.store.find(self.a.currentData())
        if a is None:
            return
        for meta in self.store.evaluations(100):
            if meta.id != a.id and meta.dataset_hash == a.dataset_hash:
                self.b.addItem(evaluation_label(meta), meta.id)
        if current:
            self.b.setCurrentIndex(max(0, self.b.findData(current)))
        self.reward.addItem("combined score", None)
        for label in reward_labels(a):
            self.reward.addItem(label, label)
        self.button.setEnabled(self.b.count() > 0)
        if not self.b.count():
            self.result_label.setText(
                "No other evaluation of this dataset yet: evaluate another version of the graph "
                "(or another model) on it, then compare."
            )

    def run_compare(self) -> None:
        if self.store is None or not self.a.currentData() or not self.b.currentData():
            return
        id_a, id_b, reward = self.a.currentData(), self.b.currentData(), self.reward.currentData()
        self.result_label.setText("Comparing…")
        self.reader.submit(
            "compare", self.store.path, lambda s: compare(s, id_a, id_b, reward=reward)
        )

    def _read(self, kind: str, comparison, error: str) -> None:
        if kind != "compare":
            return
        if error:
            self.comparison = None
            self.table.setRowCount(0)
            self.result_label.setText(f"Cannot compare: {html.escape(error)}")
            return
        self.comparison = comparison
        self.result_label.setText(comparison_html(comparison))
        rows = comparison.rows[:ROWS_SHOWN]
        self.table.setRowCount(len(rows))
        for r, diff in enumerate(rows):
            for c, value in enumerate(
                (str(diff.index + 1), f"{diff.a:.3f}", f"{diff.b:.3f}", f"{diff.diff:+.3f}")
            ):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, diff.index)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.compared.emit(comparison)

    def _double_clicked(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None and self.comparison is not None:
            self.rowActivated.emit(self.comparison.b.id, int(item.data(Qt.ItemDataRole.UserRole)))


def comparison_html(c) -> str:
    what = html.escape(c.reward or "combined score")
    lines = [
        f"<b>B vs A</b> on {what}, {c.pairs:,} rows scored in both:",
        f"<b>{c.wins:,}</b> wins · <b>{c.losses:,}</b> losses · <b>{c.ties:,}</b> ties",
        f"mean A {c.mean_a:.3f} · mean B {c.mean_b:.3f}",
    ]
    diff = f"difference <b>{c.mean_diff:+.3f}</b>"
    if c.ci_low is not None and c.ci_high is not None:
        diff += f" ({round(c.confidence * 100)}% CI {c.ci_low:+.3f} to {c.ci_high:+.3f})"
        if c.ci_low > 0:
            diff += ": B is better"
        elif c.ci_high < 0:
            diff += ": B is worse"
        else:
            diff += ": no clear difference"
    lines.append(diff)
    if c.only_a or c.only_b:
        lines.append(f"scored only in A: {c.only_a:,} · only in B: {c.only_b:,}")
    lines.append("Double-click a row to see B's trace.")
    return "<br>".join(lines)
