"""One subgraph definition seen through its document, for the canvas and the
inspector while the definition is open.

The canvas and the inspector are written against
:class:`~editor.document.GraphDocument`: a graph, its registry, its analysis,
its diagnostics, its signals and ``push``. :class:`DefinitionDocument` offers
the same names for a definition of that document, so the very same canvas code
edits a subgraph: the graph is the definition (its own nodes and edges), every
command is pushed on the document's one undo stack wrapped by ``in_graph``
(undo works the same whether the subgraph is open or not), the analysis is the
document's analysis of that definition, and the problems are those of the
document whose path goes through it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from core.commands import Command, in_graph
from core.diagnostics import Diagnostic
from core.model import changes as ch
from core.model.graph import Graph
from core.model.subgraphs import definition_of
from core.schemas.flow import FlowAnalysis, analyse
from editor.document import GraphDocument


def graphs_along(root: Graph, path: tuple[str, ...]) -> list[Graph] | None:
    """The graphs a path of Subgraph node ids goes through: ``[root, d1, ...]``
    where ``d1`` is the definition of ``path[0]`` and so on (None: broken path)."""
    graphs = [root]
    for node_id in path:
        node = graphs[-1].nodes.get(node_id)
        inner = definition_of(graphs[-1], node) if node is not None else None
        if inner is None:
            return None
        graphs.append(inner)
    return graphs


def badge_key(root: Graph, graph: Graph, d: Diagnostic) -> str | None:
    """The node of ``graph`` that should wear diagnostic ``d``: the node it is
    about when ``graph`` holds it, else the Subgraph node of ``graph`` its path
    goes through (None: it is about nothing in ``graph``)."""
    path = tuple(getattr(d, "path", ()) or ())
    if not path:
        return d.node_id if graph is root else None
    along = graphs_along(root, path)
    if along is None:
        return None
    for holder, node_id in zip(along, (*path, d.node_id), strict=False):
        if holder is graph:
            return node_id
    return None


class DefinitionDocument(QObject):
    """A definition of ``document`` with the document's editing interface."""

    nodeAdded = Signal(str)
    nodeRemoved = Signal(str)
    nodeMoved = Signal(str)
    nodeChanged = Signal(str)
    edgeAdded = Signal(str)
    edgeRemoved = Signal(str, str, str)
    edgesReordered = Signal(str)
    dataModelsChanged = Signal()
    metaChanged = Signal()
    graphChanged = Signal()
    analysisChanged = Signal()
    pathChanged = Signal()
    cleanChanged = Signal(bool)

    def __init__(
        self, document: GraphDocument, definition: Graph, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.graph = definition
        self.registry = document.registry
        self.undo_stack = document.undo_stack
        self.definition_id: str = definition.definition_id  # type: ignore[assignment]
        self._by_node: dict[str, list[Diagnostic]] | None = None
        self._closed = False
        definition.subscribe(self._on_change)
        document.analysisChanged.connect(self._on_analysis)
        document.dataModelsChanged.connect(self.dataModelsChanged)
        document.metaChanged.connect(self.metaChanged)
        document.cleanChanged.connect(self.cleanChanged)
        document.pathChanged.connect(self.pathChanged)

    # ----------------------------------------------------------- editing
    def push(self, command: Command) -> None:
        """Apply ``command`` inside the definition, as one step of the document's undo."""
        self.document.push(in_graph(self.graph, command))

    # -------------------------------------------------------- what it is
    @property
    def path(self) -> Path | None:
        return self.document.path

    @property
    def is_modified(self) -> bool:
        return self.document.is_modified

    def display_name(self) -> str:
        return self.graph.definition_name or "subgraph"

    # ----------------------------------------------------------- analysis
    @property
    def flow(self) -> FlowAnalysis:
        found = self.document.flow.subflow(self.definition_id)
        return found if found is not None else analyse(self.graph, self.registry)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for ds in self._index().values() for d in ds]

    def diagnostics_for(self, node_id: str | None) -> list[Diagnostic]:
        return self._index().get(node_id or "", [])

    def has_errors(self) -> bool:
        return self.document.has_errors()

    def refresh_analysis(self) -> None:
        self.document.refresh_analysis()

    def _index(self) -> dict[str, list[Diagnostic]]:
        if self._by_node is None:
            root = self.graph.root
            by_node: dict[str, list[Diagnostic]] = {}
            for d in self.document.diagnostics:
                key = badge_key(root, self.graph, d)
                if key is not None:
                    by_node.setdefault(key, []).append(d)
            self._by_node = by_node
        return self._by_node

    def _on_analysis(self) -> None:
        self._by_node = None
        self.analysisChanged.emit()

    # ------------------------------------------------------------- bridge
    def _on_change(self, change: ch.GraphChange) -> None:
        match change:
            case ch.NodeAdded(node_id=node_id):
                self.nodeAdded.emit(node_id)
            case ch.NodeRemoved(node_id=node_id):
                self.nodeRemoved.emit(node_id)
            case ch.NodeMoved(node_id=node_id):
                self.nodeMoved.emit(node_id)
            case (
                ch.NodeRenamed(node_id=node_id)
                | ch.NodeParamsChanged(node_id=node_id)
                | ch.NodePinChanged(node_id=node_id)
                | ch.NodeVariablesChanged(node_id=node_id)
            ):
                self.nodeChanged.emit(node_id)
            case ch.EdgeAdded(edge_id=edge_id):
                self.edgeAdded.emit(edge_id)
            case ch.EdgeRemoved(edge_id=edge_id, source=source, target=target):
                self.edgeRemoved.emit(edge_id, source, target)
            case ch.EdgesReordered(target=target):
                self.edgesReordered.emit(target)
        self.graphChanged.emit()

    def close(self) -> None:
        """Stop listening (the definition's canvas is going away)."""
        if self._closed:
            return
        self._closed = True
        self.graph.unsubscribe(self._on_change)
        d = self.document
        for signal, slot in (
            (d.analysisChanged, self._on_analysis),
            (d.dataModelsChanged, self.dataModelsChanged),
            (d.metaChanged, self.metaChanged),
            (d.cleanChanged, self.cleanChanged),
            (d.pathChanged, self.pathChanged),
        ):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
