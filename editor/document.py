"""One open graph in the editor: the core graph, its undo stack, its file, its analysis.

This is the single bridge between the core and Qt. The core graph announces
its changes as plain-Python notices; :class:`GraphDocument` re-emits them as Qt
signals, wraps every core command in a ``QUndoCommand`` on one ``QUndoStack``,
and keeps the flow analysis and diagnostics up to date (recomputed once per
burst of changes, not once per notice). Views read the graph and push commands
here; they never change the graph themselves.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core.commands import Command
from core.diagnostics import Diagnostic
from core.files import save_graph
from core.model import changes as ch
from core.model.graph import Graph
from core.registry import Registry
from core.schemas.flow import FlowAnalysis, analyse
from core.validation import validate
from core.validation.model_keys import KeyLookup, key_checks


class _UndoCommand(QUndoCommand):
    """A core command on the Qt undo stack. The first redo was already applied by
    :meth:`GraphDocument.push` (so a refused edit never reaches the stack)."""

    def __init__(self, document: GraphDocument, command: Command) -> None:
        super().__init__(command.text)
        self.document = document
        self.command = command
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.command.redo(self.document.graph)

    def undo(self) -> None:
        self.command.undo(self.document.graph)

    def id(self) -> int:
        key = self.command.merge_key
        return (hash(key) & 0x7FFFFFFF) if key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(other, _UndoCommand) or other.command.merge_key != self.command.merge_key:
            return False
        return self.command.merge_with(other.command)


class GraphDocument(QObject):
    nodeAdded = Signal(str)
    nodeRemoved = Signal(str)
    nodeMoved = Signal(str)
    nodeChanged = Signal(str)  # renamed or parameters changed
    edgeAdded = Signal(str)
    edgeRemoved = Signal(str, str, str)  # edge id, source node id, target node id
    edgesReordered = Signal(str)  # target node id
    dataModelsChanged = Signal()
    metaChanged = Signal()
    graphChanged = Signal()  # any change at all (after the specific signal)
    analysisChanged = Signal()  # flow and diagnostics were recomputed
    pathChanged = Signal()
    cleanChanged = Signal(bool)

    def __init__(
        self,
        graph: Graph,
        registry: Registry,
        path: str | Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.graph = graph
        self.registry = registry
        self._path = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self.cleanChanged)
        self._flow: FlowAnalysis | None = None
        self._diagnostics: list[Diagnostic] = []
        self._by_node: dict[str | None, list[Diagnostic]] = {}
        self._analysis_pending = False
        self._synalinks_diagnostics: list[Diagnostic] = []
        self._key_check: tuple[KeyLookup, str | None] | None = None
        graph.subscribe(self._on_change)
        self._reanalyse()

    # ---------------------------------------------------------------- editing
    def push(self, command: Command) -> None:
        """Apply ``command`` and put it on the undo stack.

        Raises whatever the command raises, with the graph left unchanged; the
        stack only ever holds commands that applied cleanly.
        """
        command.redo(self.graph)
        self.undo_stack.push(_UndoCommand(self, command))

    # ------------------------------------------------------------------- file
    @property
    def path(self) -> Path | None:
        return self._path

    def set_path(self, path: str | Path | None) -> None:
        self._path = Path(path) if path else None
        self.pathChanged.emit()

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def display_name(self) -> str:
        return self._path.name if self._path else f"{self.graph.meta.name or 'untitled'} (unsaved)"

    def save(self, path: str | Path | None = None) -> None:
        """Save to ``path`` (or the current path); raises GraphFileError."""
        target = Path(path) if path else self._path
        if target is None:
            raise ValueError("no file name yet: use Save As")
        save_graph(self.graph, target)
        self.undo_stack.setClean()
        if target != self._path:
            self.set_path(target)

    # --------------------------------------------------------------- analysis
    @property
    def flow(self) -> FlowAnalysis:
        if self._flow is None:
            self._reanalyse()
        assert self._flow is not None
        return self._flow

    @property
    def diagnostics(self) -> list[Diagnostic]:
        if self._flow is None:
            self._reanalyse()
        return self._diagnostics

    def diagnostics_for(self, node_id: str | None) -> list[Diagnostic]:
        if self._flow is None:
            self._reanalyse()
        return self._by_node.get(node_id, [])

    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    def set_synalinks_diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        """What Synalinks said when it built the graph (Validate with Synalinks): shown
        with the other diagnostics until the graph next changes, since an edit may
        fix or change them. Re-analyses, so schemas Synalinks taught show too."""
        self._synalinks_diagnostics = list(diagnostics)
        self._reanalyse()

    def set_key_check(self, lookup: KeyLookup, override: str | None) -> None:
        """Warn in Problems about models whose key is nowhere to be found (``lookup``
        says where keys are; ``override`` is the model the next run uses for
        every node, None for each node's own)."""
        self._key_check = (lookup, override)
        self._reanalyse()

    def refresh_analysis(self) -> None:
        """Analyse again although the graph did not change (the registry learnt
        output schemas from Synalinks after a build or a run)."""
        self._reanalyse()

    def _reanalyse(self) -> None:
        self._analysis_pending = False
        self._flow = analyse(self.graph, self.registry)
        self._diagnostics = validate(self.graph, self.registry, self._flow)
        if self._key_check is not None:
            self._diagnostics += key_checks(self.graph, self._flow, *self._key_check)
        self._diagnostics += self._synalinks_diagnostics
        by_node: dict[str | None, list[Diagnostic]] = {}
        for d in self._diagnostics:
            # A problem inside a subgraph badges the card of the document it sits under.
            by_node.setdefault(d.path[0] if d.path else d.node_id, []).append(d)
        self._by_node = by_node
        self.analysisChanged.emit()

    def _schedule_analysis(self) -> None:
        self._flow = None  # stale: readers recompute on demand
        if not self._analysis_pending:
            self._analysis_pending = True
            QTimer.singleShot(0, self._flush_analysis)

    def _flush_analysis(self) -> None:
        if self._analysis_pending:
            self._reanalyse()

    # ----------------------------------------------------------------- bridge
    def _on_change(self, change: ch.GraphChange) -> None:
        match change:
            case ch.NodeAdded(node_id=node_id):
                self.nodeAdded.emit(node_id)
            case ch.NodeRemoved(node_id=node_id):
                self.nodeRemoved.emit(node_id)
            case ch.NodeMoved(node_id=node_id):
                self.nodeMoved.emit(node_id)
                self.graphChanged.emit()
                return  # positions do not change the analysis
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
            case ch.DataModelChanged():
                self.dataModelsChanged.emit()
            case ch.MetaChanged():
                self.metaChanged.emit()
        self._synalinks_diagnostics = []  # said of the graph before this edit
        self._schedule_analysis()
        self.graphChanged.emit()

    def close(self) -> None:
        """Stop listening to the graph (the document is going away)."""
        self.graph.unsubscribe(self._on_change)
