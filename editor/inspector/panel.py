"""The Inspector dock's content: the selected node's form, or the graph settings
when nothing is selected, or a short note for a multiple selection."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from editor.document import GraphDocument
from editor.inspector.graph_settings import GraphSettingsForm
from editor.inspector.node_form import NodeForm
from editor.inspector.subgraph_section import SubgraphSettingsForm


class InspectorPanel(QWidget):
    dataModelCreated = Signal(str)
    openSubgraphRequested = Signal(str)  # a Subgraph node's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: GraphDocument | None = None
        self._selection: list[str] = []
        self.form: QWidget | None = None
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

    def set_document(self, document: GraphDocument | None) -> None:
        if self.document is not None:
            self.document.nodeRemoved.disconnect(self._node_removed)
        self._drop_form()
        self.document = document
        self._selection = []
        if document is not None:
            document.nodeRemoved.connect(self._node_removed)
        self._rebuild()

    def set_selection(self, node_ids: list[str]) -> None:
        node_ids = list(node_ids)
        if node_ids == self._selection and self.form is not None:
            return
        self._selection = node_ids
        self._rebuild()

    def shown_node_id(self) -> str | None:
        return self.form.node_id if isinstance(self.form, NodeForm) else None

    def _node_removed(self, node_id: str) -> None:
        if node_id in self._selection:
            self._selection = [n for n in self._selection if n != node_id]
            self._rebuild()

    def _drop_form(self) -> None:
        if isinstance(self.form, (NodeForm, GraphSettingsForm, SubgraphSettingsForm)):
            self.form.detach()
        if self.form is not None:
            self.scroll.takeWidget()
            self.form.deleteLater()
            self.form = None

    def _rebuild(self) -> None:
        self._drop_form()
        document = self.document
        if document is None:
            form: QWidget = QLabel("No graph open.")
        elif len(self._selection) == 1 and self._selection[0] in document.graph.nodes:
            form = NodeForm(document, self._selection[0])
            form.dataModelCreated.connect(self.dataModelCreated)
            form.openSubgraphRequested.connect(self.openSubgraphRequested)
        elif len(self._selection) > 1:
            form = QLabel(f"{len(self._selection)} nodes selected.\nSelect one node to edit it.")
            form.setAlignment(Qt.AlignmentFlag.AlignCenter)
            form.setEnabled(False)
        elif getattr(document, "definition_id", None) is not None:  # an open subgraph
            form = SubgraphSettingsForm(document)
        else:
            form = GraphSettingsForm(document)
        self.form = form
        self.scroll.setWidget(form)
