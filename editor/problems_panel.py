"""The Problems panel: the core's diagnostics, live, one row each.

It only displays what ``core.validation`` decided (through the document's
``analysisChanged``); clicking a row asks the window to select and centre the
node concerned.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.diagnostics import Diagnostic
from core.model.subgraphs import definition_of
from editor.document import GraphDocument

NODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
INDEX_ROLE = Qt.ItemDataRole.UserRole + 2


class ProblemsPanel(QWidget):
    nodeRequested = Signal(str)  # the user picked a problem on this node
    diagnosticRequested = Signal(object)  # ... on a node inside a subgraph (a Diagnostic)
    countsChanged = Signal(int, int)  # errors, warnings

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: GraphDocument | None = None
        self._shown: list[Diagnostic] = []
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Node", "Problem"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.empty_label = QLabel("No problems: the graph is ready to run.", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty_label)
        style = self.style()
        self._icons = {
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        self._refresh()

    def set_document(self, document: GraphDocument | None) -> None:
        if self._document is not None:
            self._document.analysisChanged.disconnect(self._refresh)
        self._document = document
        if document is not None:
            document.analysisChanged.connect(self._refresh)
        self._refresh()

    def diagnostics(self) -> list[Diagnostic]:
        return list(self._document.diagnostics) if self._document is not None else []

    def row_count(self) -> int:
        return self.tree.topLevelItemCount()

    def _refresh(self) -> None:
        self.tree.clear()
        diagnostics = self.diagnostics()
        graph = self._document.graph if self._document is not None else None
        self._shown = diagnostics
        for index, d in enumerate(diagnostics):
            names = _node_names(graph, d) if graph is not None else []
            node = names[-1] if names else None
            item = QTreeWidgetItem([" › ".join(names) if names else "(graph)", d.message])
            item.setIcon(0, self._icons[d.severity])
            item.setToolTip(1, d.message)
            item.setToolTip(0, f"{d.severity}: {d.code}")
            item.setData(0, NODE_ID_ROLE, d.node_id if node else None)
            item.setData(0, INDEX_ROLE, index)
            self.tree.addTopLevelItem(item)
        self.tree.setVisible(bool(diagnostics))
        self.empty_label.setVisible(not diagnostics)
        errors = sum(1 for d in diagnostics if d.is_error)
        self.countsChanged.emit(errors, len(diagnostics) - errors)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        node_id = item.data(0, NODE_ID_ROLE)
        index = item.data(0, INDEX_ROLE)
        shown = self._shown[index] if isinstance(index, int) and index < len(self._shown) else None
        if shown is not None and shown.path:
            self.diagnosticRequested.emit(shown)
        elif node_id:
            self.nodeRequested.emit(str(node_id))


def _node_names(root, d: Diagnostic) -> list[str]:
    """The names from the document down to the node ``d`` is about (one name for a
    node of the document, ``outer, inner`` for one inside a subgraph; [] if none)."""
    graph, names = root, []
    for node_id in (*d.path, d.node_id):
        node = graph.nodes.get(node_id) if node_id else None
        if node is None:
            return names if d.path else []
        names.append(node.name)
        inner = definition_of(graph, node)
        if inner is not None:
            graph = inner
    return names
