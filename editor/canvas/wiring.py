"""Wiring: dragging a live curve from a port to another and deciding what it makes.

Every decision about legality is the core's: :func:`core.commands.connection_problem`
says why a connection is refused, :func:`core.commands.connect_command` makes
it. This module only asks the questions at the right moments and shows the
answers (a highlighted target, a red reason by the cursor).

Three drags exist:

- forward, from an output port: drop on an input (or anywhere on a card, which
  picks its first input that accepts) to connect; drop on empty canvas to pick
  a new node from the quick-add list, created already connected;
- reverse, from an unconnected input (or a merge's list input): the same the
  other way round;
- detach, from a single input that has an edge: the edge comes off its input
  and follows the cursor; drop it on another input to rewire, on empty canvas
  to disconnect, or back where it was to change nothing.

Questions about a connection that does not exist yet (a detached edge moved
elsewhere, a node not created yet) are asked of a scratch copy of the graph,
so the answers are the core's exact rules and the real graph never changes
until the one command is pushed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QStaticText, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from core.commands import (
    AddNode,
    Command,
    Macro,
    RemoveEdges,
    connect_command,
    connection_problem,
    make_node,
)
from core.model.graph import Edge, Graph, Node
from core.registry import Registry
from editor.canvas.edge_item import edge_path
from editor.canvas.port_item import MARK_OK, MARK_TARGET_OK, MARK_TARGET_REFUSED

if TYPE_CHECKING:
    from editor.canvas.node_item import NodeItem
    from editor.canvas.scene import CanvasScene

MAX_MARKED_NODES = 150  # ports checked up front when a drag starts (the rest on hover)


@dataclass(frozen=True, slots=True)
class PortRef:
    node_id: str
    port: str
    is_output: bool


@dataclass(frozen=True, slots=True)
class WireOutcome:
    """What releasing a wire means: ``connect`` (with the command), ``refused``
    (with the reason), ``empty`` (dropped on empty canvas), ``disconnect``
    (a detached edge dropped on empty canvas) or ``nothing``."""

    kind: str
    command: Command | None = None
    reason: str = ""
    replaced: str = ""  # the node whose connection a ``connect`` replaces


def scratch_copy(graph: Graph, without_edge: str | None = None) -> Graph:
    """A throwaway copy of ``graph`` (nodes copied, edges shared: they are
    immutable) on which hypothetical edits can be checked."""
    copy = Graph(graph.meta)
    for spec in graph.data_models.values():
        copy.set_data_model(spec)
    for node in graph.nodes.values():
        copy.add_node(node.copy())
    for edge in graph.edges.values():
        if edge.id != without_edge:
            copy.add_edge(edge)
    return copy


def endpoints(anchor: PortRef, other: PortRef) -> tuple[str, str, str, str]:
    """(source, source port, target, target port) of a wire between two ports."""
    src, dst = (anchor, other) if anchor.is_output else (other, anchor)
    return src.node_id, src.port, dst.node_id, dst.port


# ------------------------------------------------------------------ graphics
class WireItem(QGraphicsItem):
    """The live curve under the cursor while a wire is dragged."""

    def __init__(self, canvas: CanvasScene) -> None:
        super().__init__()
        self._canvas = canvas
        self._path = QPainterPath()
        self._bounds = QRectF()
        self.state = "free"
        self.setZValue(50.0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_path(self, path: QPainterPath, state: str) -> None:
        self.prepareGeometryChange()
        self._path = path
        self._bounds = path.controlPointRect().adjusted(-6, -6, 6, 6)
        self.state = state
        self.update()

    def path(self) -> QPainterPath:
        return self._path

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(self._canvas.kit.wire_pens[self.state])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)


class ReasonLabel(QGraphicsItem):
    """Why a connection is refused, written next to the cursor at screen size."""

    OFFSET = QPointF(16.0, 18.0)

    def __init__(self, canvas: CanvasScene) -> None:
        super().__init__()
        self._canvas = canvas
        self.text = ""
        self._static = QStaticText()
        self._bounds = QRectF()
        self.setZValue(60.0)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_text(self, text: str) -> None:
        if text == self.text:
            return
        self.prepareGeometryChange()
        self.text = text
        kit = self._canvas.kit
        self._static = QStaticText(text)
        self._static.setTextFormat(Qt.TextFormat.PlainText)
        self._static.setTextWidth(320.0)
        self._static.prepare(QTransform(), kit.fonts.port)
        size = self._static.size()
        self._bounds = QRectF(
            self.OFFSET.x(), self.OFFSET.y(), size.width() + 16.0, size.height() + 10.0
        )
        self.setVisible(bool(text))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        kit = self._canvas.kit
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(kit.badge_brushes["error"])
        painter.drawRoundedRect(self._bounds, 6.0, 6.0)
        painter.setPen(QPen(kit.theme.badge_text))
        painter.setFont(kit.fonts.port)
        painter.drawStaticText(self._bounds.topLeft() + QPointF(8.0, 5.0), self._static)


# ---------------------------------------------------------------------- drag
class WireDrag:
    """One wire being dragged from ``anchor`` (see the module docstring)."""

    def __init__(self, canvas: CanvasScene, anchor: PortRef, detached: Edge | None = None) -> None:
        self.canvas = canvas
        self.anchor = anchor
        self.detached = detached
        document = canvas.document
        self.registry: Registry = document.registry
        self.graph: Graph = (
            scratch_copy(document.graph, detached.id) if detached else document.graph
        )
        self.target: PortRef | None = None
        self.problem: str | None = None
        self.replacing: list[str] = []  # edges a drop on the target would replace
        self._problems: dict[PortRef, str | None] = {}
        self._marked: list[NodeItem] = []
        self.wire = WireItem(canvas)
        self.label = ReasonLabel(canvas)
        canvas.addItem(self.wire)
        canvas.addItem(self.label)
        self.label.setVisible(False)

    def still_valid(self) -> bool:
        """False once the graph lost what the wire starts from (an undo, a
        run's edit): the drag must then be cancelled."""
        graph = self.canvas.document.graph
        if self.anchor.node_id not in graph.nodes:
            return False
        return self.detached is None or self.detached.id in graph.edges

    @property
    def looks_for_outputs(self) -> bool:
        return not self.anchor.is_output

    # ----------------------------------------------------------- questions
    def problem_for(self, other: PortRef) -> str | None:
        if other not in self._problems:
            self._problems[other] = connection_problem(
                self.graph, self.registry, *endpoints(self.anchor, other)
            )
        return self._problems[other]

    def mark_compatible(self, visible: QRectF) -> None:
        """Ring every port in ``visible`` that would accept this wire."""
        items = self.canvas.node_items_in(visible)[:MAX_MARKED_NODES]
        want = self.looks_for_outputs
        for item in items:
            marks = {}
            for (name, is_output), _geom in item.layout.ports.items():
                if (
                    is_output == want
                    and self.problem_for(PortRef(item.node_id, name, is_output)) is None
                ):
                    marks[(name, is_output)] = MARK_OK
            if marks:
                item.set_marks(marks)
                self._marked.append(item)

    def _target_at(self, scene_pos: QPointF) -> tuple[NodeItem | None, PortRef | None]:
        item = self.canvas.node_item_at(scene_pos, slack=14.0)
        if item is None:
            return None, None
        want = self.looks_for_outputs
        local = item.mapFromScene(scene_pos)
        if item.node_id == self.anchor.node_id:
            own = item.layout.port(self.anchor.port, self.anchor.is_output)
            if own is not None and own.hit.adjusted(-12, -6, 12, 6).contains(local):
                return None, None  # still leaving the port the wire starts from
        geom = item.port_at(local, want_output=want)
        if geom is not None:
            return item, PortRef(item.node_id, geom.view.name, want)
        ports = [name for (name, is_output) in item.layout.ports if is_output == want]
        for name in ports:  # anywhere on a card: its first port that accepts
            ref = PortRef(item.node_id, name, want)
            if self.problem_for(ref) is None:
                return item, ref
        if ports:
            return item, PortRef(item.node_id, ports[0], want)
        # A card with no port this way round: ask the core for its reason.
        return item, PortRef(item.node_id, "output" if want else "inputs", want)

    # ----------------------------------------------------------- movement
    def move(self, scene_pos: QPointF) -> None:
        item, ref = self._target_at(scene_pos)
        if ref == PortRef(self.anchor.node_id, self.anchor.port, self.anchor.is_output):
            ref = None
        previous = self.target
        self.target = ref
        self.problem = self.problem_for(ref) if ref is not None else None
        if self.detached is not None and ref is not None and self._is_origin(ref):
            self.problem = None
        end = scene_pos
        state = "free"
        if ref is not None:
            state = "refused" if self.problem else "ok"
            if not self.problem and item is not None and item.layout.port(ref.port, ref.is_output):
                end = item.port_point(ref.port, ref.is_output)
        start = self.canvas.port_point(self.anchor.node_id, self.anchor.port, self.anchor.is_output)
        path = edge_path(start, end) if self.anchor.is_output else edge_path(end, start)
        self.wire.set_path(path, state)
        self.label.setPos(scene_pos)
        self.label.set_text(self.problem or "")
        if previous != ref:
            self._show_target(previous, ref)
            self._show_replaced(ref)
            if self.problem:
                self.canvas.statusMessage.emit(f"Cannot connect: {self.problem}")
            elif self.replacing and ref is not None:
                self.canvas.statusMessage.emit(self._replace_message(ref))
            else:
                self.canvas.statusMessage.emit("")  # a message about the last target is stale

    # -------------------------------------------------------- replacement
    def _replaced_by(self, ref: PortRef | None) -> list[str]:
        """Edges a drop on ``ref`` would remove: what already feeds an input
        that takes one connection (the core's connect_command replaces it)."""
        if ref is None or self.problem or self._is_origin(ref):
            return []
        _source, _port, target, target_port = endpoints(self.anchor, ref)
        item = self.canvas.node_item(target)
        geom = item.layout.port(target_port, False) if item is not None else None
        if geom is None or geom.view.multiple:
            return []
        return [e.id for e in self.graph.incoming(target, target_port)]

    def _show_replaced(self, ref: PortRef | None) -> None:
        replacing = self._replaced_by(ref)
        for edge_id, on in [(e, False) for e in self.replacing] + [(e, True) for e in replacing]:
            edge = self.canvas.edge_item(edge_id)
            if edge is not None:
                edge.set_replaced(on)
        self.replacing = replacing

    def _replace_message(self, ref: PortRef) -> str:
        _source, _port, target, target_port = endpoints(self.anchor, ref)
        item = self.canvas.node_item(target)
        geom = item.layout.port(target_port, False) if item is not None else None
        label = geom.view.label if geom is not None else target_port
        return (
            f"Release to replace the connection from {self._replaced_source()}: "
            f"the {label!r} input of {self._name(target)} takes one"
        )

    def _replaced_source(self) -> str:
        edges = [self.graph.edges[e] for e in self.replacing if e in self.graph.edges]
        return ", ".join(self._name(e.source) for e in edges)

    def _name(self, node_id: str) -> str:
        node = self.graph.nodes.get(node_id)
        return node.name if node is not None else node_id

    def _show_target(self, previous: PortRef | None, ref: PortRef | None) -> None:
        for r in (previous, ref):
            if r is None:
                continue
            item = self.canvas.node_item(r.node_id)
            if item is None:
                continue
            marks = dict(item.marks)
            key = (r.port, r.is_output)
            if r == ref and key in item.layout.ports:
                marks[key] = MARK_TARGET_REFUSED if self.problem else MARK_TARGET_OK
            elif self.problem_for(r) is None:
                marks[key] = MARK_OK
            else:
                marks.pop(key, None)
            item.set_marks(marks)
            if item not in self._marked:
                self._marked.append(item)

    def _is_origin(self, ref: PortRef) -> bool:
        d = self.detached
        return d is not None and ref == PortRef(d.target, d.target_port, False)

    # ------------------------------------------------------------- ending
    def finish(self, scene_pos: QPointF) -> WireOutcome:
        self.move(scene_pos)
        ref, problem = self.target, self.problem
        replaced = self._replaced_source()
        self.dispose()
        if ref is None:
            if self.detached is not None:
                return WireOutcome("disconnect", RemoveEdges([self.detached.id]))
            if self.canvas.node_item_at(scene_pos, slack=0.0) is None:
                return WireOutcome("empty")
            return WireOutcome("nothing")
        if self._is_origin(ref):
            return WireOutcome("nothing")
        if problem:
            return WireOutcome("refused", reason=problem)
        command = connect_command(self.graph, self.registry, *endpoints(self.anchor, ref))
        if self.detached is not None:
            command = Macro("Reconnect", [RemoveEdges([self.detached.id]), command])
        return WireOutcome("connect", command, replaced=replaced)

    def dispose(self) -> None:
        self._show_replaced(None)
        for item in self._marked:
            if item.scene() is not None:
                item.set_marks({})
        self._marked.clear()
        for extra in (self.wire, self.label):
            if extra.scene() is not None:
                self.canvas.removeItem(extra)


# ------------------------------------------------------------- new + connect
def connectable_types(
    graph: Graph, registry: Registry, anchor: PortRef, detached: Edge | None = None
) -> dict[str, str]:
    """Node types a new node of which could take a wire from ``anchor``:
    type name -> the port of the new node the wire would use (the core's
    rules, checked on a scratch graph holding a trial node of each type)."""
    scratch = scratch_copy(graph, detached.id if detached else None)
    found: dict[str, str] = {}
    for node_type in registry:
        trial = make_node(scratch, registry, node_type.type_name)
        scratch.add_node(trial)
        try:
            params = node_type.parse_params(trial)
            ports = (
                node_type.output_ports(params)
                if not anchor.is_output
                else node_type.input_ports(params)
            )
        except ValueError:
            ports = ()
        for port in ports:
            other = PortRef(trial.id, port.name, not anchor.is_output)
            if connection_problem(scratch, registry, *endpoints(anchor, other)) is None:
                found[node_type.type_name] = port.name
                break
        scratch.remove_node(trial.id)
    return found


def add_connected_command(
    graph: Graph,
    registry: Registry,
    node: Node,
    port: str,
    anchor: PortRef,
    detached: Edge | None = None,
) -> Command:
    """One undo step that adds ``node`` and wires its ``port`` to ``anchor``."""
    scratch = scratch_copy(graph, detached.id if detached else None)
    scratch.add_node(node.copy())
    other = PortRef(node.id, port, not anchor.is_output)
    connect = connect_command(scratch, registry, *endpoints(anchor, other))
    commands: list[Command] = [AddNode(node), connect]
    if detached is not None:
        commands.insert(0, RemoveEdges([detached.id]))
    return Macro(f"Add {node.name}", commands)
