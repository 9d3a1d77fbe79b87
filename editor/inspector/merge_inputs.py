"""The ordered inputs of a merge, with up/down buttons (one ReorderInputs each).

The order of the edges into a merge is the order it combines them, so it is
part of the program; the core keeps it (edge order in the graph) and this list
only shows it and asks for a change.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from core.commands import Command, ReorderInputs
from core.model.graph import Graph


class MergeInputsEditor(QWidget):
    commandReady = Signal(object)  # a core Command to push

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.up_button = QPushButton("Move up", self)
        self.down_button = QPushButton("Move down", self)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.list.currentRowChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._edge_ids: list[str] = []

    def show_inputs(self, graph: Graph, node_id: str, port: str = "inputs") -> None:
        row = self.list.currentRow()
        edges = graph.incoming(node_id, port)
        self._edge_ids = [e.id for e in edges]
        self.list.clear()
        for index, edge in enumerate(edges, 1):
            source = graph.nodes.get(edge.source)
            label = source.name if source else edge.source
            if edge.source_port != "output":
                label += f" · {edge.source_port}"
            self.list.addItem(f"{index}. {label}")
        if not edges:
            self.list.addItem("(connect outputs to this merge's inputs)")
            self.list.item(0).setFlags(self.list.item(0).flags() & ~self.list.item(0).flags())
        self.list.setFixedHeight(max(2, len(edges)) * (self.list.fontMetrics().height() + 8) + 8)
        if 0 <= row < len(edges):
            self.list.setCurrentRow(row)
        self._update_buttons()

    def edge_ids(self) -> list[str]:
        return list(self._edge_ids)

    def _update_buttons(self, *_args) -> None:
        row = self.list.currentRow() if self._edge_ids else -1
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self._edge_ids) - 1)

    def move(self, row: int, delta: int) -> Command | None:
        """The command moving input ``row`` by ``delta`` places (None when it cannot move)."""
        target = row + delta
        if not (0 <= row < len(self._edge_ids) and 0 <= target < len(self._edge_ids)):
            return None
        order = list(self._edge_ids)
        order[row], order[target] = order[target], order[row]
        return ReorderInputs(order)

    def _move(self, delta: int) -> None:
        row = self.list.currentRow()
        command = self.move(row, delta)
        if command is not None:
            self.list.setCurrentRow(row + delta)
            self.commandReady.emit(command)
