"""The History page: every run of this session, its details, reopen and compare.

A table lists the runs (newest first) with their headline figures; selecting
one shows its inputs, outputs, per-node timings and errors beside the table.
"Show Results" (or a double-click) brings that run's results back into the
Outputs and Timeline pages; selecting two runs enables "Compare", which opens
them side by side.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.results.run_report import compare_html, run_details_html, run_summary
from editor.run.history import RunEntry, RunHistory

COLUMNS = ("Run", "Started", "Status", "Duration", "Tokens", "Cost", "Graph", "Models")


class HistoryView(QWidget):
    showRequested = Signal(object)  # RunEntry
    compareRequested = Signal(object, object)  # RunEntry, RunEntry

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: RunHistory | None = None
        self._items: dict[int, QTreeWidgetItem] = {}
        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda item, _col: self._show(item))
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        self.details.setPlaceholderText("Select a run to see its details; two to compare them.")
        self.show_button = QPushButton("Show Results", self)
        self.show_button.setToolTip("Show this run's results in the Outputs and Timeline pages")
        self.show_button.clicked.connect(lambda: self._show(self._selected_items()[0]))
        self.compare_button = QPushButton("Compare", self)
        self.compare_button.setToolTip("Select two runs to compare them side by side")
        self.compare_button.clicked.connect(self._compare)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        self._selection_changed()

    def set_history(self, history: RunHistory) -> None:
        self.history = history
        history.entryAdded.connect(self._add)
        history.entryChanged.connect(self._update)
        for entry in history.entries:
            self._add(entry)

    # ------------------------------------------------------------------ rows
    def _add(self, entry: RunEntry) -> None:
        item = QTreeWidgetItem()
        item.setData(0, Qt.ItemDataRole.UserRole, entry.number)
        self.table.insertTopLevelItem(0, item)
        self._items[entry.number] = item
        self._update(entry)

    def _update(self, entry: RunEntry) -> None:
        item = self._items.get(entry.number)
        if item is None:
            return
        summary = run_summary(entry)
        values = (
            str(entry.number),
            summary["started"],
            summary["status"],
            summary["duration"],
            summary["tokens"],
            summary["cost"],
            entry.document_name,
            summary["models"],
        )
        for column, value in enumerate(values):
            item.setText(column, value)
        item.setToolTip(
            2,
            "\n".join(f"{name}: {message}" for name, message in entry.errors())
            or summary["status"],
        )
        if item.isSelected() and len(self._selected_items()) == 1:
            self.details.setHtml(run_details_html(entry))

    def entry_of(self, item: QTreeWidgetItem) -> RunEntry | None:
        if self.history is None:
            return None
        return self.history.by_number(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def select_numbers(self, numbers: list[int]) -> None:
        self.table.clearSelection()
        for number in numbers:
            item = self._items.get(number)
            if item is not None:
                item.setSelected(True)

    # ------------------------------------------------------------- actions
    def _selected_items(self) -> list[QTreeWidgetItem]:
        return self.table.selectedItems()

    def _selection_changed(self) -> None:
        items = self._selected_items()
        self.show_button.setEnabled(len(items) == 1)
        self.compare_button.setEnabled(len(items) == 2)
        if len(items) == 1 and (entry := self.entry_of(items[0])) is not None:
            self.details.setHtml(run_details_html(entry))
        elif len(items) == 2:
            self.details.setHtml(
                "<p>Two runs selected: press <b>Compare</b> to see them side by side.</p>"
            )
        else:
            self.details.clear()

    def _show(self, item: QTreeWidgetItem) -> None:
        entry = self.entry_of(item)
        if entry is not None:
            self.showRequested.emit(entry)

    def _compare(self) -> None:
        entries = [self.entry_of(item) for item in self._selected_items()]
        if len(entries) == 2 and all(entries):
            first, second = sorted(entries, key=lambda e: e.number)
            self.compareRequested.emit(first, second)


class CompareDialog(QDialog):
    """Two runs side by side (non-modal: the window stays usable)."""

    def __init__(self, a: RunEntry, b: RunEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare {a.title} and {b.title}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.a, self.b = a, b
        self.browser = QTextBrowser(self)
        self.browser.setHtml(compare_html(a, b))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(900, 620)
