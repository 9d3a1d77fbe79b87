"""The canvas scene: one card per node and one curve per edge, kept in step
with a :class:`~editor.document.GraphDocument`.

The scene listens to the document's signals and redraws what the core says;
every edit it makes (a wire, a move) is a core command pushed through the
document. What a card shows comes from the flow analysis, which the document
recomputes once per burst of changes: structural changes (ports, slots) are
drawn at once, schema rows when ``analysisChanged`` arrives.

Mouse handling here is only what is about ports and moves: pressing a port
starts a :class:`~editor.canvas.wiring.WireDrag`; a move drag is left to Qt
and committed as one ``MoveNodes`` on release. Zoom, pan, keys, clipboard and
quick-add belong to the view.
"""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneMouseEvent

from core.commands import Command, MoveNodes
from core.model.graph import Edge
from core.schemas.flow import describe_schema
from editor.canvas.card import card_content
from editor.canvas.edge_item import EdgeItem, edge_path
from editor.canvas.node_item import NodeItem
from editor.canvas.output_preview import PreviewLayer
from editor.canvas.overview import OverviewItem
from editor.canvas.paint_kit import PaintKit
from editor.canvas.run_state import RunTicker, RunView
from editor.canvas.subgraph_mark import subgraph_caption
from editor.canvas.wiring import PortRef, WireDrag, WireItem, WireOutcome
from editor.document import GraphDocument
from editor.theme import Theme

LEFT = Qt.MouseButton.LeftButton
NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


GRID = 24.0
"""Spacing of the canvas grid, in scene units: the view draws it, snapping uses it."""


def snap(value: float, grid: float = GRID) -> float:
    """``value`` on the nearest grid line."""
    return round(value / grid) * grid


class CanvasScene(QGraphicsScene):
    statusMessage = Signal(str)
    nodeActivated = Signal(str)
    wireDroppedOnEmpty = Signal(
        object, object, QPointF
    )  # anchor PortRef, detached Edge|None, scene pos

    def __init__(self, document: GraphDocument, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.kit = PaintKit(theme)
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[str, EdgeItem] = {}
        self._flow_fresh = True
        self._dirty_nodes: set[str] = set()
        self._dirty_edges: set[str] = set()
        self._flush_pending = False
        self._wire: WireDrag | None = None
        self._pending: WireItem | None = None
        self._content: QRectF | None = None
        self._press_positions: set[str] = set()
        self._press_anchor: str | None = None  # the card the drag grabbed
        self.snap_to_grid = False  # cards dragged land on the grid (Alt inverts)
        self._running: set[str] = set()
        self._ticker = RunTicker(self._tick, self)
        self.previews = PreviewLayer(self)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._far = False
        self._overview = OverviewItem(self)
        self._overview.setVisible(False)
        self.addItem(self._overview)
        self._build()
        d = document
        d.nodeAdded.connect(self._on_node_added)
        d.nodeRemoved.connect(self._on_node_removed)
        d.nodeMoved.connect(self._on_node_moved)
        d.nodeChanged.connect(self._on_node_changed)
        d.edgeAdded.connect(self._on_edge_added)
        d.edgeRemoved.connect(self._on_edge_removed)
        d.edgesReordered.connect(self._on_edges_reordered)
        d.dataModelsChanged.connect(self._mark_stale)
        d.metaChanged.connect(self._mark_stale)
        d.analysisChanged.connect(self._on_analysis)
        self.selectionChanged.connect(self._selection_changed)

    # ------------------------------------------------------------- building
    def _build(self) -> None:
        graph = self.document.graph
        flow = self.document.flow
        registry = self.document.registry
        for node in graph.nodes.values():
            content = card_content(graph, registry, node, flow)
            item = NodeItem(self, node.id, content, self._badge(node.id), node.position)
            item.flow_signature = self._flow_signature(node.id, item, flow)
            self._nodes[node.id] = item
            self.addItem(item)
        for edge in graph.edges.values():
            self._add_edge_item(edge)

    def _add_edge_item(self, edge: Edge) -> EdgeItem | None:
        source = self._nodes.get(edge.source)
        if source is None or edge.target not in self._nodes:
            return None
        p0, p1 = self._edge_ends(edge)
        item = EdgeItem(self, edge.id, source.port_role(edge.source_port, True), p0, p1)
        if self._far:
            item.setFlag(NO_CONTENTS, True)
        self._edges[edge.id] = item
        self.addItem(item)
        self._changed()
        return item

    def _edge_ends(self, edge: Edge) -> tuple[QPointF, QPointF]:
        source, target = self._nodes[edge.source], self._nodes[edge.target]
        slot = -1
        geom = target.layout.port(edge.target_port, False)
        if geom is not None and geom.view.multiple:
            ids = [e.id for e in self.document.graph.incoming(edge.target, edge.target_port)]
            slot = ids.index(edge.id) if edge.id in ids else -1
        return source.port_point(edge.source_port, True), target.port_point(
            edge.target_port, False, slot
        )

    def _reroute(self, node_id: str) -> None:
        graph = self.document.graph
        self._reroute_edges(graph.incoming(node_id) + graph.outgoing(node_id))

    def _reroute_edges(self, edges) -> None:
        self._changed()
        for edge in edges:
            item = self._edges.get(edge.id)
            if item is not None and edge.source in self._nodes and edge.target in self._nodes:
                item.set_ends(*self._edge_ends(edge))

    # -------------------------------------------------------------- content
    def _badge(self, node_id: str) -> tuple[str, str] | None:
        found = self.document.diagnostics_for(node_id)
        if not found:
            return None
        severity = "error" if any(d.is_error for d in found) else "warning"
        count = len(found)
        head = f"{count} problem{'s' if count != 1 else ''}"
        lines = [f"<b>{head}</b>"] + [
            f"{'⛔' if d.is_error else '⚠'} {html.escape(d.message)}" for d in found
        ]
        return severity, "<br/>".join(lines)

    def _refresh(self, node_id: str, with_flow: bool, reroute: bool = True) -> bool:
        """Re-read a card's content; True when its geometry changed (its edges
        must follow: at once, or by the caller when ``reroute`` is False)."""
        item = self._nodes.get(node_id)
        node = self.document.graph.nodes.get(node_id)
        if item is None or node is None:
            return False
        flow = self.document.flow if with_flow else None
        content = card_content(
            self.document.graph, self.document.registry, node, flow, item.content
        )
        badge = self._badge(node_id) if with_flow else item.badge
        if badge != item.badge:
            self._overview.invalidate()  # it lists the cards that carry a badge
        if not item.set_content(content, badge):
            return False
        for edge in self.document.graph.outgoing(node_id):
            edge_item = self._edges.get(edge.id)
            if edge_item is not None:
                edge_item.set_role(item.port_role(edge.source_port, True))
        if reroute:
            self._reroute(node_id)
        return True

    def _mark_stale(self, *_args) -> None:
        self._flow_fresh = False

    def _flow_signature(self, node_id: str, item: NodeItem, flow) -> tuple:
        """What a card takes from the analysis (its schema, its problems): a
        card whose signature did not change is not rebuilt, so an edit in a
        1,000-node graph refreshes a handful of cards, not all of them."""
        graph = self.document.graph
        node = graph.nodes[node_id]
        schema = (
            flow.schemas.get((node_id, item.content.outputs[0].name))
            if item.content.outputs
            else None
        )
        arriving = None
        if not item.content.outputs:
            arriving = [
                flow.schemas.get((e.source, e.source_port)) for e in graph.incoming(node_id)
            ]
        return (
            node.params.get("data_model"),
            schema,
            arriving,
            self.document.diagnostics_for(node_id),
            subgraph_caption(graph, node),  # a definition renamed, a use added elsewhere
        )

    def _on_analysis(self) -> None:
        self.flush()
        self._flow_fresh = True
        flow = self.document.flow
        for node_id, item in list(self._nodes.items()):
            if node_id not in self.document.graph.nodes:
                continue
            signature = self._flow_signature(node_id, item, flow)
            if signature != item.flow_signature:
                self._refresh(node_id, True)
                item.flow_signature = signature

    # ------------------------------------------------------ batched updates
    def _schedule_flush(self) -> None:
        if not self._flush_pending:
            self._flush_pending = True
            QTimer.singleShot(0, self.flush)

    def flush(self) -> None:
        """Apply the structural changes gathered since the last flush: refresh
        the cards whose ports changed, create the new edges, re-route.

        Changes arrive one notice at a time (a paste of 1,000 nodes is 3,000
        notices); handling each at once would re-read the graph's adjacency
        thousands of times. They are gathered and applied once, on the next
        turn of the event loop or as soon as anything asks the scene (every
        lookup, every paint flushes first).
        """
        self._flush_pending = False
        if not self._dirty_nodes and not self._dirty_edges:
            return
        nodes, self._dirty_nodes = self._dirty_nodes, set()
        edges, self._dirty_edges = self._dirty_edges, set()
        graph = self.document.graph
        for node_id in nodes:
            self._refresh(node_id, False, reroute=False)
        created = set()
        if edges:
            for edge_id, edge in graph.edges.items():  # graph order: merge slots fill in order
                if (
                    edge_id in edges
                    and edge_id not in self._edges
                    and self._add_edge_item(edge) is not None
                ):
                    created.add(edge_id)
        # Every edge touching a changed card, once (new ones are already in place).
        touching = {}
        for node_id in nodes:
            if node_id in self._nodes:
                for edge in graph.incoming(node_id) + graph.outgoing(node_id):
                    if edge.id not in created:
                        touching[edge.id] = edge
        self._reroute_edges(touching.values())

    # ------------------------------------------------------- model signals
    def _on_node_added(self, node_id: str) -> None:
        self._mark_stale()
        node = self.document.graph.nodes[node_id]
        if node_id in self._nodes:
            return
        content = card_content(self.document.graph, self.document.registry, node, None)
        item = NodeItem(self, node_id, content, None, node.position)
        if self._far:
            item.setFlag(NO_CONTENTS, True)
        self._nodes[node_id] = item
        self.addItem(item)
        self._changed()

    def _on_node_removed(self, node_id: str) -> None:
        self._mark_stale()
        item = self._nodes.pop(node_id, None)
        self._running.discard(node_id)
        self._dirty_nodes.discard(node_id)
        if item is not None:
            self.removeItem(item)
        self._changed()

    def _on_node_moved(self, node_id: str) -> None:
        self.flush()
        item = self._nodes.get(node_id)
        node = self.document.graph.nodes.get(node_id)
        if item is not None and node is not None:
            x, y = node.position
            if item.x() != x or item.y() != y:
                item.setPos(x, y)
                self._reroute(node_id)

    def _on_node_changed(self, node_id: str) -> None:
        self._mark_stale()
        self._dirty_nodes.add(node_id)
        for edge in self.document.graph.outgoing(node_id):  # merges list their feeders by name
            self._dirty_nodes.add(edge.target)
        self._schedule_flush()

    def _on_edge_added(self, edge_id: str) -> None:
        self._mark_stale()
        edge = self.document.graph.edges[edge_id]
        self._dirty_edges.add(edge_id)
        self._dirty_nodes.update((edge.source, edge.target))
        self._schedule_flush()

    def _on_edge_removed(self, edge_id: str, source: str, target: str) -> None:
        self._mark_stale()
        item = self._edges.pop(edge_id, None)
        if item is not None:
            self.removeItem(item)
        self._dirty_edges.discard(edge_id)
        self._dirty_nodes.update((source, target))
        self._changed()
        self._schedule_flush()

    def _on_edges_reordered(self, target: str) -> None:
        self._mark_stale()
        self._dirty_nodes.add(target)
        self._schedule_flush()

    def _selection_changed(self) -> None:
        # Also emitted while the scene is torn down, after its items are gone.
        if shiboken6.isValid(self._overview):
            self._overview.invalidate()

    # ------------------------------------------------------- item callbacks
    def node_activated(self, node_id: str) -> None:
        self.nodeActivated.emit(node_id)

    def edge_tooltip(self, edge_id: str) -> str:
        """The schema flowing on an edge, as rich text for a tooltip."""
        graph = self.document.graph
        edge = graph.edges.get(edge_id)
        if edge is None:
            return ""
        src, dst = graph.nodes[edge.source], graph.nodes[edge.target]
        src_item = self._nodes.get(edge.source)
        dst_item = self._nodes.get(edge.target)
        out_label = _port_label(src_item, edge.source_port, True)
        in_label = _port_label(dst_item, edge.target_port, False)
        head = f"<b>{html.escape(src.name)}</b>.{html.escape(out_label)} → <b>{html.escape(dst.name)}</b>.{html.escape(in_label)}"
        flow = self.document.flow
        title = flow.port_title(edge.source, edge.source_port)
        return head + "<br/>" + _schema_html(flow.edge_schema(edge_id), title)

    def port_tooltip(self, node_id: str, port: str, is_output: bool) -> str:
        graph = self.document.graph
        item = self._nodes.get(node_id)
        if item is None or node_id not in graph.nodes:
            return ""
        geom = item.layout.port(port, is_output)
        view = geom.view if geom else None
        label = view.label if view else port
        kind = (
            "Branch label"
            if view and view.role == "branch"
            else ("list input" if view and view.multiple else ("output" if is_output else "input"))
        )
        lines = [f"<b>{html.escape(label)}</b> <i>({kind})</i>"]
        if view and view.description:
            lines.append(html.escape(view.description))
        flow = self.document.flow
        if is_output:
            lines.append(
                _schema_html(flow.schemas.get((node_id, port)), flow.port_title(node_id, port))
            )
        else:
            edges = graph.incoming(node_id, port)
            if not edges:
                lines.append("<i>not connected</i>")
            for i, edge in enumerate(edges):
                if len(edges) > 1:
                    lines.append(
                        f"<b>{i + 1}.</b> from {html.escape(graph.nodes[edge.source].name)}"
                    )
                title = flow.port_title(edge.source, edge.source_port)
                lines.append(_schema_html(flow.edge_schema(edge.id), title))
        return "<br/>".join(lines)

    def card_tooltip(self, node_id: str) -> str:
        """What a card's body shows, untruncated: the schema of its one output
        (an Output node: of what it receives); empty for several outputs (a
        Branch), whose ports have their own tooltips."""
        if node_id not in self.document.graph.nodes:
            return ""
        flow = self.document.flow
        outputs = flow.output_ports(node_id)
        if len(outputs) == 1:
            return self.port_tooltip(node_id, outputs[0].name, True)
        inputs = flow.input_ports(node_id)
        if not outputs and inputs:
            return self.port_tooltip(node_id, inputs[0].name, False)
        return ""

    # ------------------------------------------------------------- lookups
    def node_item(self, node_id: str) -> NodeItem | None:
        self.flush()
        return self._nodes.get(node_id)

    def edge_item(self, edge_id: str) -> EdgeItem | None:
        self.flush()
        return self._edges.get(edge_id)

    def node_items(self) -> list[NodeItem]:
        self.flush()
        return list(self._nodes.values())

    def edge_items(self) -> list[EdgeItem]:
        self.flush()
        return list(self._edges.values())

    def port_point(self, node_id: str, port: str, is_output: bool) -> QPointF:
        self.flush()
        item = self._nodes[node_id]
        return item.port_point(port, is_output)

    def node_items_in(self, rect: QRectF) -> list[NodeItem]:
        return [i for i in self.items(rect) if isinstance(i, NodeItem)]

    def node_item_at(self, scene_pos: QPointF, slack: float = 0.0) -> NodeItem | None:
        """The top-most card at ``scene_pos`` (grown by ``slack`` so the half of
        a port dot outside the card still counts)."""
        self.flush()
        area = QRectF(
            scene_pos.x() - slack - 1, scene_pos.y() - slack - 1, 2 * slack + 2, 2 * slack + 2
        )
        for item in self.items(area):
            if isinstance(item, NodeItem) and item.scene_card_rect().adjusted(
                -slack, -slack, slack, slack
            ).contains(scene_pos):
                return item
        return None

    def content_rect(self) -> QRectF:
        """The union of every card (empty when there is none); cached, since
        the view asks on every pan step."""
        self.flush()
        if self._content is None:
            rect = QRectF()
            for item in self._nodes.values():
                rect = rect.united(item.scene_card_rect())
            self._content = rect
        return QRectF(self._content)

    def _changed(self) -> None:
        """Cards or edges moved, came or went: drop what was derived from them."""
        self._content = None
        self._overview.invalidate()
        if self._wire is not None and not self._wire.still_valid():
            self.cancel_wire()

    def selected_node_ids(self) -> list[str]:
        chosen = {i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)}
        return [n for n in self.document.graph.nodes if n in chosen]

    def selected_edge_ids(self) -> list[str]:
        chosen = {i.edge_id for i in self.selectedItems() if isinstance(i, EdgeItem)}
        return [e for e in self.document.graph.edges if e in chosen]

    # -------------------------------------------------------------- editing
    def push(self, command: Command) -> bool:
        """Push through the document; a refused command becomes a status message."""
        try:
            self.document.push(command)
        except (ValueError, KeyError) as exc:
            self.statusMessage.emit(f"{command.text} failed: {exc}")
            return False
        return True

    @property
    def wiring(self) -> bool:
        return self._wire is not None

    def cancel_wire(self) -> None:
        if self._wire is not None:
            detached = self._wire.detached
            self._wire.dispose()
            self._wire = None
            self._show_detached(detached)
            self.statusMessage.emit("Connection cancelled")

    def show_pending_wire(self, anchor: PortRef, point: QPointF) -> None:
        """A wire from ``anchor`` to ``point`` while the quick-add list is open,
        so it is clear what the new node will be connected to."""
        self.clear_pending_wire()
        start = self.port_point(anchor.node_id, anchor.port, anchor.is_output)
        self._pending = WireItem(self)
        self._pending.set_path(
            edge_path(start, point) if anchor.is_output else edge_path(point, start), "free"
        )
        self.addItem(self._pending)

    def clear_pending_wire(self) -> None:
        if self._pending is not None and self._pending.scene() is self:
            self.removeItem(self._pending)
        self._pending = None

    def _show_detached(self, edge: Edge | None) -> None:
        if edge is not None and edge.id in self._edges:
            self._edges[edge.id].setVisible(True)

    def _start_wire(self, item: NodeItem, port: str, is_output: bool, scene_pos: QPointF) -> None:
        detached = None
        anchor = PortRef(item.node_id, port, is_output)
        geom = item.layout.port(port, is_output)
        if not is_output and geom is not None and not geom.view.multiple:
            existing = self.document.graph.incoming(item.node_id, port)
            if existing:
                detached = existing[-1]
                anchor = PortRef(detached.source, detached.source_port, True)
                if detached.id in self._edges:
                    self._edges[detached.id].setVisible(False)
        self._wire = WireDrag(self, anchor, detached)
        views = self.views()
        if views:
            view = views[0]
            self._wire.mark_compatible(view.mapToScene(view.viewport().rect()).boundingRect())
        self._wire.move(scene_pos)

    def _finish_wire(self, scene_pos: QPointF) -> None:
        wire, self._wire = self._wire, None
        assert wire is not None
        outcome: WireOutcome = wire.finish(scene_pos)
        if outcome.kind in ("connect", "disconnect") and outcome.command is not None:
            if self.push(outcome.command):
                self.statusMessage.emit(
                    "Disconnected"
                    if outcome.kind == "disconnect"
                    else (
                        f"Connected, replacing the connection from {outcome.replaced}"
                        if outcome.replaced
                        else "Connected"
                    )
                )
        elif outcome.kind == "refused":
            self.statusMessage.emit(f"Cannot connect: {outcome.reason}")
        else:
            # What the drag said about its last target no longer applies.
            self.statusMessage.emit("")
        if outcome.kind == "empty":
            self._show_detached(wire.detached)
            self.wireDroppedOnEmpty.emit(wire.anchor, wire.detached, scene_pos)
            return
        self._show_detached(wire.detached)

    def commit_moves(self) -> None:
        """Push one ``MoveNodes`` for every card the drag left away from its
        model position (positions rounded to whole units)."""
        graph = self.document.graph
        moves = {}
        for node_id in self._press_positions:
            item, node = self._nodes.get(node_id), graph.nodes.get(node_id)
            if item is None or node is None:
                continue
            new = (float(round(item.x())), float(round(item.y())))
            if new != tuple(node.position):
                moves[node_id] = (tuple(node.position), new)
        self._press_positions = set()
        if moves:
            self.push(MoveNodes(moves))
        for node_id in moves:  # rounding may differ from where the item is
            self._on_node_moved(node_id)

    # ------------------------------------------------------------ mouse
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._wire is not None:
            event.accept()
            return
        if event.button() == LEFT:
            pos = event.scenePos()
            item = self.node_item_at(pos, slack=14.0)
            if item is not None:
                geom = item.port_at(item.mapFromScene(pos))
                if geom is not None and geom.hit.adjusted(-2, -2, 2, 2).contains(
                    item.mapFromScene(pos)
                ):
                    self._start_wire(item, geom.view.name, geom.view.is_output, pos)
                    event.accept()
                    return
        super().mousePressEvent(event)
        if event.button() == LEFT:
            self._press_positions = set(self.selected_node_ids())
            grabbed = self.node_item_at(event.scenePos())
            self._press_anchor = grabbed.node_id if grabbed is not None else None

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._wire is not None:
            self._wire.move(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self._press_positions and event.buttons() & LEFT:
            alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if self.snap_to_grid != alt:
                self._snap_dragged()
            # Qt moved the selected cards; their edges follow (no per-item
            # itemChange hook: that would cost a Python call per item change).
            for node_id in self._press_positions:
                self._reroute(node_id)

    def _snap_dragged(self) -> None:
        """Put the grabbed card's corner on the grid and move the rest of the
        dragged selection by as much, so a group keeps its own arrangement.
        Qt places dragged cards from where they were at the press on every
        move, so snapping never accumulates."""
        anchor = self._nodes.get(self._press_anchor or "")
        if anchor is None or self._press_anchor not in self._press_positions:
            return
        dx, dy = snap(anchor.x()) - anchor.x(), snap(anchor.y()) - anchor.y()
        if dx or dy:
            for node_id in self._press_positions:
                item = self._nodes.get(node_id)
                if item is not None:
                    item.setPos(item.x() + dx, item.y() + dy)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._wire is not None:
            if event.button() == LEFT:
                self._finish_wire(event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() == LEFT and self._press_positions:
            self.commit_moves()

    # ------------------------------------------------------------ zoomed out
    @property
    def far(self) -> bool:
        return self._far

    @property
    def overview(self) -> OverviewItem:
        """The item that draws the whole graph while zoomed out."""
        return self._overview

    def set_far(self, far: bool) -> None:
        """Zoomed out (``far``): the overview draws the graph and the cards and
        edges are flagged as having no contents, so Qt skips painting them
        (no Python call each) while they still take clicks and the rubber band."""
        if far == self._far:
            return
        self._far = far
        for item in self._nodes.values():
            item.setFlag(NO_CONTENTS, far)
        for edge in self._edges.values():
            edge.setFlag(NO_CONTENTS, far)
        if far:
            self._overview.refresh_bounds()
        else:
            self._overview.set_picture_mode(False)
        self._overview.setVisible(far)

    # ----------------------------------------------------------- theme, runs
    def set_theme(self, theme: Theme) -> None:
        self.kit = PaintKit(theme, self.kit.fonts)
        for item in self._nodes.values():
            item.theme_changed()
        for edge in self._edges.values():
            edge.update()
        self._overview.invalidate()

    def set_node_run_state(
        self,
        node_id: str,
        state: str,
        elapsed: float | None = None,
        tokens: int | None = None,
        cost: float | None = None,
        *,
        cached: bool = False,
    ) -> None:
        item = self._nodes.get(node_id)
        if item is None:
            raise KeyError(f"no node with id {node_id!r} on the canvas")
        item.set_run(RunView(state, elapsed, tokens, cost, cached))
        if state == "running":
            self._running.add(node_id)
        else:
            self._running.discard(node_id)
        self._ticker.set_running(bool(self._running))
        self._overview.invalidate()

    def set_node_preview(self, node_id: str, value, live: bool = False) -> None:
        """Show ``value`` over ``node_id``'s field rows (None: the rows again);
        a ``live`` (streaming) value repaints on the next run tick."""
        self.previews.set_value(node_id, value, live)

    def set_edge_active(self, edge_id: str, active: bool) -> None:
        item = self._edges.get(edge_id)
        if item is None:
            raise KeyError(f"no edge with id {edge_id!r} on the canvas")
        item.set_active(active)
        self._overview.invalidate()

    def clear_run_states(self) -> None:
        for item in self._nodes.values():
            item.set_run(None)
        for edge in self._edges.values():
            edge.set_active(False)
        self._running.clear()
        self.previews.clear()
        self._ticker.set_running(False)
        self._overview.invalidate()

    @property
    def animating(self) -> bool:
        return self._ticker.active

    def _tick(self, phase: float) -> None:
        self.previews.flush()
        self.kit.running_pen.setDashOffset(-phase)
        for node_id in self._running:
            item = self._nodes.get(node_id)
            if item is not None:
                item.update()


def _port_label(item: NodeItem | None, port: str, is_output: bool) -> str:
    geom = item.layout.port(port, is_output) if item is not None else None
    return geom.view.label if geom is not None else port


def _schema_html(schema, title: str) -> str:
    """A schema's fields under ``title``, the name its producer gives what flows
    (see FlowAnalysis.port_title; the schema's own title is Synalinks' bookkeeping)."""
    rows = describe_schema(schema)
    if schema is None:
        return "<i>no data known yet</i>"
    title = html.escape(title or "data")
    body = "".join(
        f"<tr><td>{html.escape(name)}</td><td>&nbsp;&nbsp;<code>{html.escape(kind)}</code>"
        f"{'' if required else ' <i>optional</i>'}</td></tr>"
        for name, kind, required in rows
    )
    return f"<i>{title}</i><table>{body}</table>" if rows else f"<i>{title}</i> (no fields)"
