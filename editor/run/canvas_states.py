"""Painting a run onto the canvas through the view's run-state hooks.

Every node's card shows its state in the run (queued, running with the
scene's animation, done, failed, skipped, cancelled), its elapsed time (ticking
while it runs), and its tokens and cost once known; its field rows show its
output, streaming then final (:mod:`editor.canvas.output_preview`); an edge
lights up once the value it carries has been produced (a Branch's untaken
path stays dark). The
states come from the run record; the graph is never touched. Nodes added or
removed since the run started are simply not painted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from editor.results.panel_content import display_state
from editor.run.history import RunEntry

if TYPE_CHECKING:
    from core.engine.record import NodeRecord
    from editor.canvas.view import CanvasView

_ELAPSED_STEP = 0.1  # seconds: a running card's time changes ten times a second


class CanvasRunPainter:
    def __init__(self) -> None:
        self.canvas: CanvasView | None = None
        self._shown: dict[str, tuple] = {}
        self._lit: set[str] = set()
        self._previewed: dict[str, object] = {}  # the value object each card last got

    def bind(self, canvas: CanvasView | None) -> None:
        """Paint on ``canvas`` from now on (a new canvas starts clean)."""
        self.canvas = canvas
        self._shown.clear()
        self._lit.clear()
        self._previewed.clear()

    def clear(self) -> None:
        if self.canvas is not None:
            self.canvas.clear_run_states()
        self._shown.clear()
        self._lit.clear()
        self._previewed.clear()

    def show_entry(self, entry: RunEntry) -> None:
        """Repaint every node from ``entry`` (a new run, or a reopened one)."""
        self.clear()
        if entry.record is not None:
            self.update(entry, list(entry.record.nodes))

    def update(self, entry: RunEntry, node_ids: Iterable[str], now: float | None = None) -> None:
        canvas = self.canvas
        if canvas is None or entry.record is None:
            return
        for node_id in node_ids:
            record = entry.record.nodes.get(node_id)
            if record is None or canvas.node_item(node_id) is None:
                continue
            self._paint(canvas, entry, record, now)
            self._preview(canvas, record)
            if str(record.state) == "finished":
                self._light_edges(canvas, entry, record)

    def tick(self, entry: RunEntry, now: float | None = None) -> None:
        """Advance the elapsed time on running cards."""
        if entry.record is None:
            return
        running = [nid for nid, rec in entry.record.nodes.items() if str(rec.state) == "running"]
        self.update(entry, running, now)

    def _paint(
        self, canvas: CanvasView, entry: RunEntry, record: NodeRecord, now: float | None
    ) -> None:
        state = display_state(record)
        if state in ("waiting", "pending"):
            return
        elapsed: float | None = None
        if record.started_at is not None:
            if record.ended_at is not None:
                elapsed = (
                    record.duration
                    if record.duration is not None
                    else record.ended_at - record.started_at
                )
            else:
                elapsed = entry.elapsed_now(now) - record.started_at
                elapsed = round(max(0.0, elapsed) / _ELAPSED_STEP) * _ELAPSED_STEP
        tokens = None
        if record.tokens_in is not None or record.tokens_out is not None:
            tokens = (record.tokens_in or 0) + (record.tokens_out or 0)
        cost = record.cost if state in ("done", "empty", "failed") else None
        mark = handed_on_mark(record) or record.cached
        view = (state, elapsed, tokens, cost, mark)
        if self._shown.get(record.node_id) == view:
            return
        self._shown[record.node_id] = view
        canvas.set_node_run_state(record.node_id, state, elapsed, tokens, cost, cached=mark)

    def _preview(self, canvas: CanvasView, record: NodeRecord) -> None:
        """The node's output over its card: the partial answer while it streams,
        the result once done (nothing for a node that failed or did not run)."""
        state = str(record.state)
        if state == "running":
            value, live = record.partial, True
        elif state == "finished":
            value, live = record.result, False
        elif state in ("failed", "cancelled"):
            value, live = record.partial, False
        else:
            return
        key = (value, live)
        last = self._previewed.get(record.node_id)
        if value is None or (last is not None and last[0] is value and last[1] == live):
            return  # nothing new (the clock ticks on running cards every 100 ms)
        self._previewed[record.node_id] = key
        canvas.set_node_preview(record.node_id, value, live=live)

    def _light_edges(self, canvas: CanvasView, entry: RunEntry, record: NodeRecord) -> None:
        graph, node_id = entry.graph_holding(record.node_id)  # inner nodes: "outer/inner"
        for edge in graph.outgoing(node_id) if graph is not None else ():
            if edge.id in self._lit or canvas.edge_item(edge.id) is None:
                continue
            if record.outputs.get(edge.source_port) is None:
                continue  # nothing travelled on it (a branch not taken)
            self._lit.add(edge.id)
            canvas.set_edge_active(edge.id, True)


def handed_on_mark(record: NodeRecord) -> str:
    """How a node that did not run but handed on a value says so ("" if it ran)."""
    if getattr(record, "pinned", False):
        return "pinned"
    if getattr(record, "reused_from", None):
        return "earlier run"
    return ""
