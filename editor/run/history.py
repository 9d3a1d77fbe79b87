"""The runs of this session: what each was given, what it produced, how it went.

A :class:`RunEntry` keeps the graph snapshot the engine ran (so its results can
be shown again after the graph was edited), the inputs, the model choice and
the engine's :class:`~core.engine.record.RunRecord`, the one place results live
(never the graph). :class:`RunHistory` is the window's list of entries and says
when one is added or changes, for the history view and the compare dialog.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from core.engine.record import NodeRecord, RunRecord
    from core.model.graph import Graph, Node
    from editor.document import GraphDocument


@dataclass(eq=False)
class RunEntry:
    """One run. ``record`` is None until the engine starts (it may wait for the
    model stack to load, or for the Synalinks worker to start); ``stopped_early``
    is set when it was cancelled before that, ``problem`` when it could not start
    (no Synalinks environment, a worker that failed to start)."""

    number: int
    graph: Graph
    inputs: dict[str, Any]
    model_label: str
    model_override: str | None
    document_name: str
    backend: str = "builtin"  # or "synalinks"
    started_wall: float = field(default_factory=time.time)
    record: RunRecord | None = None
    run_t0: float | None = None  # time.perf_counter() when the run's clock read 0
    retry_notes: dict[str, str] = field(default_factory=dict)
    stopped_early: bool = False
    problem: str = ""
    scope_text: str = ""  # "to NODE" / "from NODE" for a run of part of the graph
    label: str = ""  # the title of a run reopened from the run store
    kept_key: str = ""  # the graph's key in the run store, where it is kept when it ends
    _document: Any = None

    # ------------------------------------------------------------- document
    def bind_document(self, document: GraphDocument) -> None:
        self._document = weakref.ref(document)

    def belongs_to(self, document: GraphDocument | None) -> bool:
        return document is not None and self._document is not None and self._document() is document

    # ----------------------------------------------------------------- state
    @property
    def status(self) -> str:
        """``starting``, ``running``, ``succeeded``, ``failed`` or ``cancelled``."""
        if self.record is None:
            if self.problem:
                return "failed"
            return "cancelled" if self.stopped_early else "starting"
        return self.record.status

    @property
    def active(self) -> bool:
        return self.status in ("starting", "running")

    @property
    def title(self) -> str:
        return self.label or f"Run {self.number}"

    @property
    def run_id(self) -> str | None:
        """The engine's id of this run (its key in the run store), once it started."""
        return self.record.run_id if self.record is not None else None

    def started_text(self) -> str:
        return time.strftime("%H:%M:%S", time.localtime(self.started_wall))

    def node_record(self, node_id: str) -> NodeRecord | None:
        if self.record is None:
            return None
        return self.record.nodes.get(node_id)

    def node(self, node_id: str) -> Node | None:
        """The node ``node_id`` names: the graph's own, or ``outer/inner`` for a
        node inside a subgraph (the ids runs give inner nodes)."""
        graph, inner = self.graph_holding(node_id)
        return graph.nodes.get(inner) if graph is not None else None

    def graph_holding(self, node_id: str) -> tuple[Graph | None, str]:
        """The graph (the run's, or a subgraph definition in it) that holds the
        node a run calls ``node_id``, and the node's own id there."""
        if "/" not in node_id:
            return self.graph, node_id
        from core.model.subgraphs import definition_of

        *path, inner = node_id.split("/")
        graph: Graph | None = self.graph
        for outer in path:
            node = graph.nodes.get(outer) if graph is not None else None
            graph = definition_of(graph, node) if node is not None else None
        return graph, inner

    def outputs_by_name(self) -> dict[str, Any]:
        """Each Output node's final value by name (None where it did not finish)."""
        from core.nodes.program_io import program_outputs

        result: dict[str, Any] = {}
        for node in program_outputs(self.graph):
            rec = self.node_record(node.id)
            result[node.name] = rec.result if rec is not None and rec.state == "finished" else None
        return result

    def errors(self) -> list[tuple[str, str]]:
        """``(node name, message)`` of every failed node."""
        if self.record is None:
            return []
        return [
            (r.node_name, r.error or "") for r in self.record.nodes.values() if r.state == "failed"
        ]

    def elapsed_now(self, now: float | None = None) -> float:
        """Seconds on the run's clock: live while running, the duration after."""
        if self.record is not None and self.record.duration is not None:
            return self.record.duration
        if self.run_t0 is None:
            return 0.0
        return max(0.0, (time.perf_counter() if now is None else now) - self.run_t0)


class RunHistory(QObject):
    """Every run started in one window, oldest first."""

    entryAdded = Signal(object)
    entryChanged = Signal(object)
    entryRemoved = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[RunEntry] = []
        self._removed = 0

    def next_number(self) -> int:
        return len(self.entries) + self._removed + 1

    def add(self, entry: RunEntry) -> None:
        self.entries.append(entry)
        self.entryAdded.emit(entry)

    def changed(self, entry: RunEntry) -> None:
        self.entryChanged.emit(entry)

    def remove(self, entry: RunEntry) -> None:
        """Forget ``entry`` (it was deleted); its number is not given again."""
        if entry in self.entries:
            self.entries.remove(entry)
            self._removed += 1
            self.entryRemoved.emit(entry)

    def by_number(self, number: int) -> RunEntry | None:
        return next((e for e in self.entries if e.number == number), None)

    def latest_for(self, document: GraphDocument | None) -> RunEntry | None:
        for entry in reversed(self.entries):
            if entry.belongs_to(document):
                return entry
        return None

    def __len__(self) -> int:
        return len(self.entries)
