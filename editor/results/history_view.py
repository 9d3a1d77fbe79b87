"""The History page: this session's runs, and the graph's runs kept from earlier sessions.

A table lists the runs (newest first) with their headline figures and input:
this session's first, then those kept in the run store (from earlier sessions
and from the command line), read only when one is selected. Selecting one
shows its inputs, outputs, per-node timings and errors beside the table.
"Show Results" (or a double-click) brings that run's results back into the
Outputs and Timeline pages and its node states onto the canvas; selecting two
runs enables "Compare", which opens them side by side; "Delete" removes the
selected runs from the history and the store.
"""

from __future__ import annotations

import time
from typing import Any

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

from core.store.run_store import input_preview
from editor.results.formatting import cost_text, seconds_text
from editor.results.run_report import compare_html, run_details_html, run_summary
from editor.run.history import RunEntry, RunHistory

COLUMNS = (
    "Run",
    "Started",
    "Status",
    "Input",
    "Duration",
    "Tokens",
    "Cost",
    "Graph",
    "Models",
    "Scope",
)
SESSION, KEPT = "session", "kept"
"""Where a row's run lives: this session's history, or only the run store."""


class HistoryView(QWidget):
    showRequested = Signal(object)  # RunEntry
    compareRequested = Signal(object, object)  # RunEntry, RunEntry
    deleted = Signal(int)  # how many runs were deleted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: RunHistory | None = None
        self.kept_source: Any = None  # opens and deletes kept runs (see set_kept)
        self._items: dict[int, QTreeWidgetItem] = {}
        self._kept_items: dict[str, QTreeWidgetItem] = {}
        self._kept_entries: dict[str, RunEntry] = {}
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
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setToolTip(
            "Delete the selected runs from the history and the run store (not undoable)"
        )
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.delete_button)
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
        history.entryRemoved.connect(self._removed)
        for entry in history.entries:
            self._add(entry)

    # ------------------------------------------------------------------ rows
    def _add(self, entry: RunEntry) -> None:
        item = QTreeWidgetItem()
        item.setData(0, Qt.ItemDataRole.UserRole, (SESSION, entry.number))
        self.table.insertTopLevelItem(0, item)
        self._items[entry.number] = item
        self._update(entry)

    def _removed(self, entry: RunEntry) -> None:
        item = self._items.pop(entry.number, None)
        if item is not None:
            self.table.takeTopLevelItem(self.table.indexOfTopLevelItem(item))

    def set_kept(self, source: Any, summaries: list[Any]) -> None:
        """List the graph's kept runs (``RunSummary``s, newest first) after this
        session's; ``source`` opens one (``open(run_id)``) and deletes some
        (``delete(run_ids)``). Runs of this session are not listed twice."""
        self.kept_source = source
        for item in self._kept_items.values():
            self.table.takeTopLevelItem(self.table.indexOfTopLevelItem(item))
        self._kept_items.clear()
        self._kept_entries.clear()
        session_ids = {e.run_id for e in self.history.entries} if self.history else set()
        for summary in summaries:
            if summary.run_id in session_ids:
                continue
            item = QTreeWidgetItem()
            item.setData(0, Qt.ItemDataRole.UserRole, (KEPT, summary.run_id))
            started = time.strftime("%b %d %H:%M:%S", time.localtime(summary.started_at))
            took = seconds_text(summary.duration)
            tokens = summary.tokens_in + summary.tokens_out
            values = (
                summary.run_id[:6],
                started,
                summary.status,
                summary.input_preview,
                took,
                f"{tokens:,}" if tokens else "",
                cost_text(summary.cost),
                summary.graph_name,
                summary.model,
                summary.scope or "whole graph",
            )
            for column, value in enumerate(values):
                item.setText(column, value)
            item.setToolTip(0, f"Kept run {summary.run_id} ({summary.origin or 'editor'})")
            self.table.addTopLevelItem(item)
            self._kept_items[summary.run_id] = item

    def _update(self, entry: RunEntry) -> None:
        item = self._items.get(entry.number)
        if item is None:
            return
        summary = run_summary(entry)
        values = (
            str(entry.number),
            summary["started"],
            summary["status"],
            input_preview(entry.inputs),
            summary["duration"],
            summary["tokens"],
            summary["cost"],
            entry.document_name,
            summary["models"],
            entry.scope_text or "whole graph",
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
        where, key = item.data(0, Qt.ItemDataRole.UserRole)
        if where == KEPT:
            entry = self._kept_entries.get(key)
            if entry is None and self.kept_source is not None:
                entry = self.kept_source.open(key)  # read only when wanted
                if entry is not None:
                    self._kept_entries[key] = entry
            return entry
        if self.history is None:
            return None
        return self.history.by_number(int(key))

    def select_numbers(self, numbers: list[int]) -> None:
        self.table.clearSelection()
        for number in numbers:
            item = self._items.get(number)
            if item is not None:
                item.setSelected(True)

    def select_kept(self, run_ids: list[str]) -> None:
        self.table.clearSelection()
        for run_id in run_ids:
            item = self._kept_items.get(run_id)
            if item is not None:
                item.setSelected(True)

    def kept_ids(self) -> list[str]:
        """The kept runs listed, newest first."""
        return list(self._kept_items)

    def delete_selected(self) -> int:
        """Delete the selected runs (a run still going is kept); how many went."""
        session: list[RunEntry] = []
        run_ids: list[str] = []
        for item in self._selected_items():
            where, key = item.data(0, Qt.ItemDataRole.UserRole)
            if where == KEPT:
                run_ids.append(key)
                continue
            entry = self.history.by_number(int(key)) if self.history else None
            if entry is not None and not entry.active:
                session.append(entry)
                if entry.run_id:
                    run_ids.append(entry.run_id)
        if self.kept_source is not None and run_ids:
            self.kept_source.delete(run_ids)
        for run_id in run_ids:
            item = self._kept_items.pop(run_id, None)
            self._kept_entries.pop(run_id, None)
            if item is not None:
                self.table.takeTopLevelItem(self.table.indexOfTopLevelItem(item))
        for entry in session:
            if self.history is not None:
                self.history.remove(entry)
        count = len(set(run_ids)) + sum(1 for e in session if not e.run_id)
        if count:
            self.deleted.emit(count)
        return count

    # ------------------------------------------------------------- actions
    def _selected_items(self) -> list[QTreeWidgetItem]:
        return self.table.selectedItems()

    def _selection_changed(self) -> None:
        items = self._selected_items()
        self.show_button.setEnabled(len(items) == 1)
        self.compare_button.setEnabled(len(items) == 2)
        self.delete_button.setEnabled(bool(items))
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
            first, second = sorted(entries, key=lambda e: (e.number, e.started_wall))
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
