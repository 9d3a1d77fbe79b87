"""The Knowledge panel (View → Knowledge): look inside a knowledge base.

Pick one of the graph's knowledge bases (or open any DuckDB file): the panel
lists its tables with their row counts and shows their rows, reading the
file read-only in the editor's process (:mod:`core.knowledge.reader`:
reading a data file runs none of the user's code). A search runs one of
Synalinks' five searches with Synalinks' own ``KnowledgeBase`` methods in
the Synalinks worker (:mod:`core.knowledge.search`), because three of them
embed the query with the base's embedding model; the panel says so, and
says what is missing when no Synalinks environment is found.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.knowledge.reader import KnowledgeFileError, Table, list_tables, read_rows
from core.knowledge.search_types import DESCRIPTIONS, SEARCH_TYPES, SearchError
from core.model.resources import KnowledgeBaseSpec

ROWS_SHOWN = 200
OPENED = "\x00opened"  # the chooser's entry for a file opened by hand


class KnowledgePanel(QWidget):
    """``searcher`` runs a search request (the window gives the worker's; tests
    may give their own); ``searchFinished`` fires when one ends."""

    searchFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = None
        self.searcher = None  # async (request) -> rows
        self.offline_base = None  # async () -> the offline endpoint's URL
        self.opened: Path | None = None
        self.tables: list[Table] = []
        self.search_task: asyncio.Task | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("knowledgeChooser")
        self.chooser.setMinimumContentsLength(16)
        self.chooser.activated.connect(lambda _i: self.show_selected())
        self.open_button = QPushButton("Open DuckDB file…", self)
        self.open_button.clicked.connect(self.choose_file)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.show_selected)
        top.addWidget(QLabel("Knowledge base:", self))
        top.addWidget(self.chooser, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.open_button)
        layout.addLayout(top)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

        search = QHBoxLayout()
        self.search_type = QComboBox(self)
        for kind in SEARCH_TYPES:
            self.search_type.addItem(kind, kind)
            self.search_type.setItemData(
                self.search_type.count() - 1, DESCRIPTIONS[kind], Qt.ItemDataRole.ToolTipRole
            )
        self.query_edit = QLineEdit(self)
        self.query_edit.setPlaceholderText("search the selected table (a regex for regex)")
        self.query_edit.returnPressed.connect(self.start_search)
        self.k_spin = QSpinBox(self)
        self.k_spin.setRange(1, 100)
        self.k_spin.setValue(5)
        self.k_spin.setPrefix("k = ")
        self.search_button = QPushButton("Search", self)
        self.search_button.clicked.connect(self.start_search)
        search.addWidget(self.search_type)
        search.addWidget(self.query_edit, 1)
        search.addWidget(self.k_spin)
        search.addWidget(self.search_button)
        layout.addLayout(search)
        layout.addWidget(
            _hint(
                "Searches run Synalinks' own KnowledgeBase methods in the Synalinks environment "
                "(similarity and the hybrids embed the query with the base's embedding model); "
                "browsing reads the file here, read-only."
            )
        )

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table_list = QListWidget(splitter)
        self.table_list.setObjectName("knowledgeTables")
        self.table_list.itemSelectionChanged.connect(self.show_rows)
        self.rows = QTableWidget(splitter)
        self.rows.setObjectName("knowledgeRows")
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        splitter.setStretchFactor(1, 4)
        layout.addWidget(splitter, 1)

    # ------------------------------------------------------------ document
    def set_document(self, document) -> None:
        if self.document is not None:
            self.document.metaChanged.disconnect(self.refresh_choices)
        self.document = document
        document.metaChanged.connect(self.refresh_choices)
        self.refresh_choices()

    def graph_folder(self) -> Path | None:
        path = self.document.path if self.document is not None else None
        return Path(path).resolve().parent if path else None

    def refresh_choices(self) -> None:
        current = self.chooser.currentData()
        self.chooser.clear()
        bases = self.document.graph.meta.knowledge_bases if self.document else ()
        for kb in bases:
            self.chooser.addItem(f"{kb.name} ({kb.path})", kb.name)
        if self.opened is not None:
            self.chooser.addItem(f"{self.opened.name} (opened, read-only)", OPENED)
        if self.chooser.count() == 0:
            self.chooser.addItem("(no knowledge base: add one in Graph settings)", "")
        index = self.chooser.findData(current)
        self.chooser.setCurrentIndex(max(0, index))
        if index < 0:
            self.show_selected()

    # ------------------------------------------------------------ browsing
    def selected(self) -> tuple[KnowledgeBaseSpec | None, Path | None]:
        """The chosen base (None for a file opened by hand) and its file."""
        data = self.chooser.currentData()
        if data == OPENED and self.opened is not None:
            return None, self.opened
        for kb in self.document.graph.meta.knowledge_bases if self.document else ():
            if kb.name == data:
                return kb, kb.file(self.graph_folder())
        return None, None

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Open a DuckDB file (read-only)",
            str(self.graph_folder() or Path.home()),
            "DuckDB files (*.db *.duckdb);;All files (*)",
        )
        if chosen:
            self.open_file(chosen)

    def open_file(self, path: str | Path) -> None:
        self.opened = Path(path).resolve()
        self.refresh_choices()
        self.chooser.setCurrentIndex(self.chooser.findData(OPENED))
        self.show_selected()

    def show_selected(self) -> None:
        _kb, path = self.selected()
        self.table_list.clear()
        self.rows.clear()
        self.rows.setRowCount(0)
        self.rows.setColumnCount(0)
        self.tables = []
        if path is None:
            self.status.setText("")
            return
        try:
            self.tables = list_tables(path)
        except KnowledgeFileError as exc:
            self._say(str(exc), error=True)
            return
        for table in self.tables:
            vectors = ", with embeddings" if table.has_embeddings else ""
            item = QListWidgetItem(f"{table.name}: {table.rows} row(s){vectors}")
            item.setData(Qt.ItemDataRole.UserRole, table.name)
            self.table_list.addItem(item)
        total = sum(t.rows for t in self.tables)
        self._say(f"{path}: {len(self.tables)} table(s), {total} row(s)")
        if self.tables:
            self.table_list.setCurrentRow(0)

    def selected_table(self) -> str | None:
        items = self.table_list.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def show_rows(self) -> None:
        _kb, path = self.selected()
        table = self.selected_table()
        if path is None or table is None:
            return
        try:
            names, rows = read_rows(path, table, limit=ROWS_SHOWN)
        except KnowledgeFileError as exc:
            self._say(str(exc), error=True)
            return
        count = next((t.rows for t in self.tables if t.name == table), len(rows))
        shown = f"the first {len(rows)} of {count}" if count > len(rows) else f"all {count}"
        self._say(f"{table}: {shown} row(s)")
        self._fill(names, [list(r) for r in rows])

    def _fill(self, names: list[str], rows: list[list[Any]]) -> None:
        self.rows.clear()
        self.rows.setColumnCount(len(names))
        self.rows.setHorizontalHeaderLabels(names)
        self.rows.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text = "" if value is None else str(value)
                item = QTableWidgetItem(text if len(text) <= 300 else text[:300] + "…")
                item.setToolTip(text[:2000])
                self.rows.setItem(r, c, item)
        self.rows.resizeColumnsToContents()

    # ----------------------------------------------------------- searching
    def start_search(self) -> asyncio.Task | None:
        kb, path = self.selected()
        table = self.selected_table()
        if path is None or table is None:
            self._say("Choose a knowledge base and a table to search.", error=True)
            return None
        if kb is None:  # a file opened by hand: no embedding model is known for it
            kb = KnowledgeBaseSpec(name="opened", path=str(path))
        if self.searcher is None:
            self._say("Searching needs the Synalinks environment (Settings).", error=True)
            return None
        self.search_button.setEnabled(False)
        self._say(f"Searching {table} ({self.search_type.currentData()}) with Synalinks…")
        self.search_task = asyncio.get_running_loop().create_task(
            self._search(kb, table, self.query_edit.text(), self.search_type.currentData())
        )
        return self.search_task

    async def _search(self, kb: KnowledgeBaseSpec, table: str, query: str, kind: str) -> None:
        from core.engine.options import is_offline
        from core.knowledge.search import search_request

        try:
            base = None
            embedder = next(
                (
                    m
                    for m in self.document.graph.meta.embedding_models
                    if m.name == kb.embedding_model
                ),
                None,
            )
            if embedder is not None and is_offline(embedder.model):
                base = await self.offline_base()
            request = search_request(
                self.document.graph.meta,
                kb,
                self.graph_folder(),
                table,
                query,
                kind,
                self.k_spin.value(),
                base,
            )
            rows = await self.searcher(request)
        except SearchError as exc:
            self._say(str(exc), error=True)
        except Exception as exc:  # the environment or the worker: one sentence
            self._say(f"Cannot search: {exc}", error=True)
        else:
            names: list[str] = []
            for row in rows:
                names += [k for k in row if k not in names]
            self._fill(names, [[row.get(n) for n in names] for row in rows])
            self._say(f"{kind} search in {table}: {len(rows)} row(s), best first")
        finally:
            self.search_button.setEnabled(True)
            self.searchFinished.emit()

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #d0463b;" if error else "")


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)
    return label
