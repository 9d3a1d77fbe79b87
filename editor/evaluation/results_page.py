"""The Results page: mean ± std per reward, a histogram, and the row table.

The summary and histogram read every row, so they are computed in a thread
(:class:`~editor.evaluation.background.StoreReader`); the table reads the
store a page at a time on demand. Double-clicking a row asks for that
example's trace on the canvas; Export writes the table as CSV or JSONL.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.evaluation import histogram, summarize
from core.store.evaluations import EvalMeta, EvalStore
from editor.evaluation.background import StoreReader
from editor.evaluation.dataset_page import scrolled
from editor.evaluation.histogram import Histogram
from editor.evaluation.results_model import EvalRowsModel

STATUS_FILTERS = (
    ("All rows", None),
    ("Scored", "scored"),
    ("Failed", "failed"),
    ("Invalid", "invalid"),
)


class ResultsPage(QWidget):
    rowActivated = Signal(str, int)  # evaluation id, row index
    exportRequested = Signal(str)  # evaluation id
    summarized = Signal(object)  # EvalSummary

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: EvalStore | None = None
        self.meta: EvalMeta | None = None
        self.summary = None
        self.reader = StoreReader(self)
        self.reader.done.connect(self._read)

        self.chooser = QComboBox(self)
        self.chooser.setObjectName("evalChooser")
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.chooser.setMinimumContentsLength(12)
        self.chooser.activated.connect(self._chosen)
        self.summary_label = QLabel("No evaluation yet: Evaluate → Run Evaluation.", self)
        self.summary_label.setObjectName("evalSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.histogram = Histogram(self)

        self.model = EvalRowsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("evalRows")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)  # sorting is the store's: see _header_clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(110)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        self.table.setMinimumHeight(36)
        self.table.doubleClicked.connect(self._double_clicked)
        self.filter = QComboBox(self)
        self.filter.setObjectName("evalStatusFilter")
        for label, status in STATUS_FILTERS:
            self.filter.addItem(label, status)
        self.filter.currentIndexChanged.connect(
            lambda _i: self.model.set_status_filter(self.filter.currentData())
        )
        self.export_button = QPushButton("Export…", self)
        self.export_button.setToolTip("Write the table (every row) to a CSV or JSONL file")
        self.export_button.clicked.connect(
            lambda: self.meta is not None and self.exportRequested.emit(self.meta.id)
        )
        self.hint = QLabel("Double-click a row to see its trace on the canvas", self)
        self.hint.setEnabled(False)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.chooser)
        left_layout.addWidget(self.summary_label)
        left_layout.addWidget(self.histogram, 1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.filter)
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.export_button)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scrolled(left))
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._update_enabled()

    # ------------------------------------------------------------ choosing
    def set_store(self, store: EvalStore | None) -> None:
        self.store = store
        self.list_evaluations()

    def list_evaluations(self, select: str | None = None) -> None:
        """Fill the chooser with the store's latest evaluations (``select``: show that one)."""
        current = select or (self.meta.id if self.meta is not None else None)
        self.chooser.clear()
        metas = self.store.evaluations(50) if self.store is not None else []
        for meta in metas:
            self.chooser.addItem(evaluation_label(meta), meta.id)
            self.chooser.setItemData(
                self.chooser.count() - 1,
                f"{meta.id}\n{meta.dataset_path}",
                Qt.ItemDataRole.ToolTipRole,
            )
        if current is not None:
            index = self.chooser.findData(current)
            if index >= 0:
                self.chooser.setCurrentIndex(index)
                if select is not None or self.meta is None or self.meta.id != current:
                    self.show_evaluation(current)
                return
        if metas and self.meta is None:
            self.show_evaluation(metas[0].id)

    def _chosen(self, index: int) -> None:
        eval_id = self.chooser.itemData(index)
        if eval_id:
            self.show_evaluation(eval_id)

    def show_evaluation(self, eval_id: str) -> None:
        if self.store is None:
            return
        self.meta = self.store.find(eval_id)
        self.model.set_evaluation(self.store, self.meta)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.summary = None
        self._update_enabled()
        self.refresh()

    # ------------------------------------------------------------ refreshing
    def refresh(self) -> None:
        """Read the summary, histogram and row counts again in a thread; the
        table follows the new count when they arrive."""
        if self.store is None or self.meta is None:
            return
        eval_id = self.meta.id

        def job(store: EvalStore):
            return summarize(store, eval_id), histogram(store, eval_id, bins=10)

        self.reader.submit("summary", self.store.path, job)

    def _read(self, kind: str, result, error: str) -> None:
        if kind != "summary":
            return
        if error:
            self.summary_label.setText(f"The results could not be read: {html.escape(error)}")
            return
        summary, bins = result
        if self.meta is None or summary.meta.id != self.meta.id:
            return
        self.summary = summary
        self.meta = summary.meta
        self.model.refresh(summary.counts)
        self.summary_label.setText(summary_html(summary))
        self.histogram.set_bins(bins, "Score (combined)")
        self.summarized.emit(summary)

    # -------------------------------------------------------------- table
    def _header_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        if not self.model.sortable(column):
            # Keep showing the order the rows are really in.
            keys = [c[2] for c in self.model.columns]
            current = keys.index(self.model.order_by) if self.model.order_by in keys else 0
            order = (
                Qt.SortOrder.DescendingOrder
                if self.model.descending
                else Qt.SortOrder.AscendingOrder
            )
            header.setSortIndicator(current, order)
            return
        order = header.sortIndicatorOrder()
        self.model.sort(column, order)

    def sort_by(self, column: int, order: Qt.SortOrder) -> None:
        self.table.horizontalHeader().setSortIndicator(column, order)
        self.model.sort(column, order)

    def _double_clicked(self, index) -> None:
        row = self.model.row_at(index.row())
        if row is not None and self.meta is not None:
            self.rowActivated.emit(self.meta.id, row.index)

    def _update_enabled(self) -> None:
        has = self.meta is not None
        self.export_button.setEnabled(has)
        self.filter.setEnabled(has)


def evaluation_label(meta: EvalMeta) -> str:
    import time

    stamp = time.strftime("%b %d %H:%M", time.localtime(meta.updated_at or meta.created_at))
    dataset = Path(meta.dataset_path).name
    return f"{meta.graph_name} on {dataset} · {meta.status} · {stamp} · {meta.id[:8]}"


def summary_html(summary) -> str:
    counts = summary.counts
    lines = []
    for label, stat in summary.rewards.items():
        if stat.n:
            lines.append(
                f"<b>{html.escape(label)}</b>: {stat.mean:.3f} ± {stat.std:.3f} (n={stat.n})"
            )
        else:
            lines.append(f"<b>{html.escape(label)}</b>: no scored rows")
    if len(summary.rewards) > 1 and summary.score.n:
        lines.append(f"<b>combined</b>: {summary.score.mean:.3f} ± {summary.score.std:.3f}")
    parts = [f"{counts.get('scored', 0):,} scored"]
    if counts.get("failed"):
        parts.append(f"<span style='color:#c0392b'>{counts['failed']:,} failed</span>")
    if counts.get("invalid"):
        parts.append(f"<span style='color:#b9770e'>{counts['invalid']:,} invalid</span>")
    total = summary.meta.total_rows
    done = sum(counts.values())
    progress = f" of {total:,}" if total is not None and total != done else ""
    lines.append(", ".join(parts) + progress + f" · {summary.meta.status}")
    usage = f"{summary.tokens_in + summary.tokens_out:,} tokens"
    if summary.cost:
        usage += f" · ${summary.cost:.4f}"
    lines.append(usage)
    return "<br>".join(lines)
