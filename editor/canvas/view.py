"""CanvasView: the node canvas widget the main window embeds.

Public API (the main window codes against these names)::

    view = CanvasView(document, theme, parent=None)

    # signals
    view.selectionChangedIds(list[str])   # selected node ids, in graph order
    view.nodeActivated(str)               # a card was double-clicked
    view.statusMessage(str)               # a sentence for the status bar
    view.zoomChanged(float)               # the new zoom factor (1.0 is 1:1)

    # selection and navigation
    view.selected_node_ids() -> list[str]
    view.selected_edge_ids() -> list[str]
    view.select_nodes(ids)                # replaces the selection
    view.select_all()
    view.center_on_node(node_id)
    view.fit_all()                        # everything (never beyond 1:1)
    view.fit_selection()                  # the selection, or everything (the F key)
    view.zoom_in(); view.zoom_out(); view.reset_zoom(); view.zoom() -> float

    # edits (each one undo step on the document's stack)
    view.add_node(type_name, scene_pos=None) -> str   # new node id
    view.delete_selection(); view.copy_selection(); view.cut_selection()
    view.paste(); view.paste_at(scene_pos); view.duplicate_selection()
    view.align(mode)        # left right top bottom hcenter vcenter distribute_h distribute_v
    view.auto_layout()      # the selection (two or more) or the whole graph
    view.open_quick_add(scene_pos=None)
    view.pick_node_type(scene_pos, allowed, heading, on_chosen)  # quick-add, any use
    view.rename_node(node_id=None)  # in place over the card (F2); the single selection by default

    # context menus (right-click, the Menu key): see editor.canvas.context_menu
    view.shared_actions     # a window's WindowActions, reused in the menus (None alone)
    view.context_menu       # the menu open now, else None
    view.renaming           # the rename editor open now, else None

    # look
    view.set_theme(theme)

    # runs
    view.set_node_run_state(node_id, state, elapsed=None, tokens=None, cost=None)
    view.set_edge_active(edge_id, active)
    view.set_node_preview(node_id, value, live=False)   # the output over the card's fields
    view.set_previews_visible(on)
    view.clear_run_states()

    # for tests
    view.node_item(node_id); view.edge_item(edge_id)
    view.port_scene_pos(node_id, port_name, is_output) -> QPointF
    view.canvas_scene; view.quick_add (the popup)

Everything the view shows is read from ``document``; every edit is one core
command pushed through it (one undo step). Selection and zoom are view state,
never edits. Structural changes are applied to the items once per turn of
the event loop (see ``CanvasScene.flush``); every lookup above flushes first.

Keys handled here (a window's menu shortcuts for the same keys take
precedence and should call the methods above): Delete/Backspace, Ctrl+C/X/V/D/A,
Ctrl+Z / Ctrl+Shift+Z, Ctrl+= / Ctrl+- / Ctrl+0, F, F2 (rename), Tab (quick-add),
Escape (cancel a wire, else clear the selection), Space+drag and middle-drag to
pan. A right press never selects or starts a rubber band: it only opens the
context menu for what is under it.
The wheel zooms around the cursor; a touchpad's two-finger scroll pans.

Palette drops: MIME type ``application/x-synalinks-node-type`` holding the
type name (UTF-8) creates that node where it is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QMimeData, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPen,
    QPixmapCache,
)
from PySide6.QtWidgets import QGraphicsView, QMenu, QWidget

from core.commands import (
    AddNode,
    MoveNodes,
    copy_text,
    make_node,
    parse_clipboard,
    paste_command,
)
from core.commands.clipboard import CLIPBOARD_MIME
from core.registry.registry import UnknownNodeType
from editor.canvas.card import card_content, card_layout
from editor.canvas.context_menu import open_context_menu
from editor.canvas.edge_item import EdgeItem
from editor.canvas.editing import align_command, delete_command, layout_command, paste_offset
from editor.canvas.empty_hint import paint_empty_hint
from editor.canvas.node_item import NodeItem
from editor.canvas.overview import FAR_ZOOM
from editor.canvas.paint_kit import CARD_WIDTH, HEADER_HEIGHT
from editor.canvas.quick_add import QuickAddPopup
from editor.canvas.rename import InlineRename
from editor.canvas.scene import GRID, CanvasScene, snap
from editor.canvas.wiring import PortRef, add_connected_command, connectable_types
from editor.canvas.zoom_caches import ZoomCaches
from editor.document import GraphDocument
from editor.theme import Theme

if TYPE_CHECKING:
    from editor.actions import WindowActions

NODE_TYPE_MIME = "application/x-synalinks-node-type"
MIN_ZOOM = 0.05
MAX_ZOOM = 3.0
READABLE_ZOOM = 0.6
"""The smallest zoom a fit goes to for a graph of fewer than READABLE_UP_TO nodes:
below it card text is too small to read (and below the card's TEXT_LOD it is not
drawn at all); such a graph is fitted at this zoom and scrolled instead."""
READABLE_UP_TO = 30
KEY_ZOOM_STEP = 1.25
GRID_MAJOR_EVERY = 5
PIXMAP_CACHE_KB = 96 * 1024  # cards and edges cache their pictures (see node_item)
NUDGE_KEYS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
"""Arrow keys move the selected nodes (one unit, or a grid step with Shift or snapping)."""


class CanvasView(QGraphicsView):
    selectionChangedIds = Signal(list)
    nodeActivated = Signal(str)
    statusMessage = Signal(str)
    zoomChanged = Signal(float)

    def __init__(
        self, document: GraphDocument, theme: Theme, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if QPixmapCache.cacheLimit() < PIXMAP_CACHE_KB:
            QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)
        self.document = document
        self.theme = theme
        self.canvas_scene = CanvasScene(document, theme, self)
        self.setScene(self.canvas_scene)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self._grid_pens = (QPen(), QPen())
        self._apply_theme_colors()
        self._pan_last: QPointF | None = None
        self._space_down = False
        self._paste_serial = 0
        self._last_copy = ""
        self._quick_add_context: (
            tuple[QPointF, PortRef | None, object, dict[str, str] | None] | None
        ) = None
        self._quick_add_handler: Callable[[str], None] | None = None
        self.quick_add = QuickAddPopup(document.registry, self)
        self.find_node = None  # FindNodePopup, made on first use
        self.shared_actions: WindowActions | None = None
        self.context_menu: QMenu | None = None
        self.renaming: InlineRename | None = None
        self.quick_add.chosen.connect(self._quick_add_chosen)
        self.quick_add.dismissed.connect(self._quick_add_dismissed)
        self.canvas_scene.selectionChanged.connect(self._emit_selection)
        self.canvas_scene.statusMessage.connect(self.statusMessage)
        self.canvas_scene.nodeActivated.connect(self.nodeActivated)
        self.canvas_scene.wireDroppedOnEmpty.connect(self._wire_dropped_on_empty)
        self._rect_pending = False
        self._fitted = False  # the view shows a fit the user has not changed: refit on resize
        self._fitting = False
        self._refit_pending = False
        self.zoom_caches = ZoomCaches(self, self.canvas_scene)
        document.graphChanged.connect(self._schedule_scene_rect)
        document.graphChanged.connect(self._check_empty)
        self._was_empty = not document.graph.nodes
        self._update_scene_rect()

    # ------------------------------------------------------------ lookups
    def node_item(self, node_id: str) -> NodeItem | None:
        return self.canvas_scene.node_item(node_id)

    def edge_item(self, edge_id: str) -> EdgeItem | None:
        return self.canvas_scene.edge_item(edge_id)

    def port_scene_pos(self, node_id: str, port_name: str, is_output: bool) -> QPointF:
        """Scene position of a port's glyph (where a wire starts or lands)."""
        return self.canvas_scene.port_point(node_id, port_name, is_output)

    def selected_node_ids(self) -> list[str]:
        return self.canvas_scene.selected_node_ids()

    def selected_edge_ids(self) -> list[str]:
        return self.canvas_scene.selected_edge_ids()

    def _emit_selection(self) -> None:
        self.selectionChangedIds.emit(self.selected_node_ids())

    # ------------------------------------------------------------ selection
    def select_nodes(self, ids) -> None:
        wanted = set(ids)
        scene = self.canvas_scene
        scene.blockSignals(True)
        try:
            scene.clearSelection()
            for node_id in wanted:
                item = scene.node_item(node_id)
                if item is not None:
                    item.setSelected(True)
        finally:
            scene.blockSignals(False)
        scene.overview.invalidate()  # its kept picture shows the selection (signals were off)
        self._emit_selection()

    def select_all(self) -> None:
        scene = self.canvas_scene
        scene.blockSignals(True)
        try:
            for item in scene.node_items():
                item.setSelected(True)
        finally:
            scene.blockSignals(False)
        scene.overview.invalidate()
        self._emit_selection()

    def center_on_node(self, node_id: str) -> None:
        item = self.node_item(node_id)
        if item is not None:
            self._update_scene_rect()
            self.centerOn(item.scene_card_rect().center())

    # ------------------------------------------------------------ zoom
    def zoom(self) -> float:
        return self.transform().m11()

    def _set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` keeping the scene point under viewport point ``anchor``
        (the viewport centre by default) where it is."""
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        if not self._fitting:
            self._fitted = False
        if abs(zoom - self.zoom()) < 1e-9:
            return
        vp = self.viewport().rect()
        anchor = anchor if anchor is not None else QPointF(vp.center())
        scene_point = self.mapToScene(anchor.toPoint())
        self._update_scene_rect(zoom)
        factor = zoom / self.zoom()
        self.scale(factor, factor)
        moved = self.mapFromScene(scene_point)
        delta = moved - anchor.toPoint()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + delta.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + delta.y())
        self.canvas_scene.set_far(self.zoom() < FAR_ZOOM)
        self.zoomChanged.emit(self.zoom())

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom() * KEY_ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom() / KEY_ZOOM_STEP)

    def reset_zoom(self) -> None:
        self._set_zoom(1.0)

    def fit_all(self) -> None:
        """Zoom and scroll so every card shows (never beyond 1:1, and never below
        a readable zoom for a small graph: that one scrolls instead). The fit
        follows later resizes (a dock's splitter moved) until the user zooms or
        pans."""
        self._fit(self.canvas_scene.content_rect())
        self._fitted = True

    def fit_selection(self) -> None:
        rect = QRectF()
        for node_id in self.selected_node_ids():
            rect = rect.united(self.node_item(node_id).scene_card_rect())
        self._fit(rect if not rect.isEmpty() else self.canvas_scene.content_rect())

    def _fit(self, rect: QRectF) -> None:
        if rect.isEmpty():
            self._set_zoom(1.0)
            return
        rect = rect.adjusted(-48, -48, 48, 48)
        vp = self.viewport().rect()
        zoom = min(vp.width() / rect.width(), vp.height() / rect.height(), 1.0)
        if len(self.document.graph.nodes) < READABLE_UP_TO:
            zoom = max(zoom, min(READABLE_ZOOM, 1.0))
        self._fitting = True
        try:
            self._set_zoom(zoom)
        finally:
            self._fitting = False
        self._update_scene_rect()
        # Too big to show whole at a readable zoom: start from the top left,
        # where the inputs are, rather than from the middle.
        seen_w, seen_h = vp.width() / self.zoom(), vp.height() / self.zoom()
        x = rect.center().x() if rect.width() <= seen_w else rect.left() + seen_w / 2
        y = rect.center().y() if rect.height() <= seen_h else rect.top() + seen_h / 2
        self.centerOn(QPointF(x, y))

    def reserve_top(self, height: int) -> None:
        """Keep ``height`` pixels at the top clear of the scene (the run banner's
        strip); what was at the viewport's top edge stays there, moved down."""
        if self.viewportMargins().top() == height:
            return
        top = self.mapToScene(0, 0)
        self.setViewportMargins(0, height, 0, 0)
        self._update_scene_rect()
        vp_top_now = self.mapToScene(0, 0)
        self.verticalScrollBar().setValue(
            self.verticalScrollBar().value() + round((top.y() - vp_top_now.y()) * self.zoom())
        )

    def _refit(self) -> None:
        self._refit_pending = False
        if self._fitted:
            self.fit_all()

    # -------------------------------------------------------- scene rect
    def _schedule_scene_rect(self) -> None:
        if not self._rect_pending:
            self._rect_pending = True
            QTimer.singleShot(0, self._update_scene_rect)

    def _update_scene_rect(self, zoom: float | None = None) -> None:
        """Keep room to scroll around the cards (and wherever the view is now):
        the canvas feels unbounded, yet the scroll bars stay meaningful."""
        self._rect_pending = False
        zoom = zoom or self.zoom()
        vp = self.viewport().rect()
        visible = self.mapToScene(vp).boundingRect()
        content = self.canvas_scene.content_rect()
        rect = visible.united(content) if not content.isEmpty() else visible
        mx, my = vp.width() / zoom, vp.height() / zoom
        rect = rect.adjusted(-mx, -my, mx, my)
        if rect != self.sceneRect():
            self.setSceneRect(rect)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_scene_rect()
        if self._fitted and not self._refit_pending:
            self._refit_pending = True
            QTimer.singleShot(0, self._refit)

    # ------------------------------------------------------------ painting
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Whoever changed the transform (our zoom, a test, a benchmark), the
        # zoomed-out mode and the item caches follow the zoom actually painted.
        self.canvas_scene.flush()
        zoom = self.zoom()
        self.canvas_scene.set_far(zoom < FAR_ZOOM)
        self.zoom_caches.painting(zoom)
        super().paintEvent(event)

    def _apply_theme_colors(self) -> None:
        minor, major = QPen(self.theme.grid_minor), QPen(self.theme.grid_major)
        for pen in (minor, major):
            pen.setCosmetic(True)
            pen.setWidth(0)  # a hairline: the raster engine's fastest line
        self._grid_pens = (minor, major)
        self.setBackgroundBrush(self.theme.canvas_background)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt override)
        painter.fillRect(rect, self.theme.canvas_background)
        zoom = self.zoom()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        major_step = GRID * GRID_MAJOR_EVERY
        for step, pen, skip, least in (
            (GRID, self._grid_pens[0], major_step, 9.0),
            (major_step, self._grid_pens[1], 0.0, 18.0),
        ):
            if step * zoom < least:  # too dense to help (a whole big graph): leave it out
                continue
            lines = []
            x = math.floor(rect.left() / step) * step
            while x <= rect.right():
                if not skip or x % skip:
                    lines.append(QLineF(x, rect.top(), x, rect.bottom()))
                x += step
            y = math.floor(rect.top() / step) * step
            while y <= rect.bottom():
                if not skip or y % skip:
                    lines.append(QLineF(rect.left(), y, rect.right(), y))
                y += step
            painter.setPen(pen)
            painter.drawLines(lines)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt override)
        """On an empty graph, say how to start."""
        if not self.document.graph.nodes:
            area = QRectF(self.viewport().rect())
            paint_empty_hint(
                painter, area, self.font(), self.theme.window_text, self.theme.muted_text
            )

    def _check_empty(self) -> None:
        """Repaint the whole view when the graph becomes empty or stops being so
        (the hint is not an item, so nothing else would clear it)."""
        empty = not self.document.graph.nodes
        if empty != self._was_empty:
            self._was_empty = empty
            self.viewport().update()

    def set_theme(self, theme: Theme) -> None:
        """Repaint everything in ``theme`` (cards, edges, grid)."""
        self.theme = theme
        self._apply_theme_colors()
        self.canvas_scene.set_theme(theme)
        self.resetCachedContent()
        self.viewport().update()

    # ------------------------------------------------------------- editing
    def _push(self, command) -> bool:
        return self.canvas_scene.push(command)

    def _view_center(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    def _cursor_scene_pos(self) -> QPointF | None:
        from PySide6.QtGui import QCursor

        local = self.viewport().mapFromGlobal(QCursor.pos())
        if self.viewport().rect().contains(local):
            return self.mapToScene(local)
        return None

    def add_node(self, type_name: str, scene_pos: QPointF | None = None) -> str:
        """Add a node of ``type_name`` with its header centred on ``scene_pos``
        (the view centre by default); select it and return its id. Raises
        ``UnknownNodeType`` for a type the registry does not know."""
        graph, registry = self.document.graph, self.document.registry
        point = scene_pos if scene_pos is not None else self._view_center()
        if type_name.startswith("subgraph:"):  # "New subgraph" or a use of a definition
            from editor.subgraphs.placing import add_subgraph_use

            return add_subgraph_use(self, type_name, point)
        node = make_node(graph, registry, type_name)
        x, y = point.x() - CARD_WIDTH / 2, point.y() - HEADER_HEIGHT / 2
        if self.canvas_scene.snap_to_grid:
            x, y = snap(x), snap(y)
        node.position = (float(round(x)), float(round(y)))
        if not self._push(AddNode(node)):
            return ""
        self.select_nodes([node.id])
        self.statusMessage.emit(f"Added {node.name}")
        return node.id

    def nudge_selection(self, dx: float, dy: float) -> None:
        """Move the selected nodes by (dx, dy); presses in a row are one undo step."""
        graph = self.document.graph
        moves = {}
        for node_id in self.canvas_scene.selected_node_ids():
            node = graph.nodes.get(node_id)
            if node is not None:
                old = tuple(node.position)
                moves[node_id] = (old, (old[0] + dx, old[1] + dy))
        if moves:
            self._push(MoveNodes(moves, mergeable=True))

    def delete_selection(self) -> None:
        command = delete_command(
            self.document.graph, self.selected_node_ids(), self.selected_edge_ids()
        )
        if command is not None:
            self._push(command)

    def copy_selection(self) -> bool:
        ids = self.selected_node_ids()
        if not ids:
            self.statusMessage.emit("Select nodes to copy")
            return False
        text = copy_text(self.document.graph, self.document.registry, ids)
        mime = QMimeData()
        mime.setData(CLIPBOARD_MIME, text.encode("utf-8"))
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        self._paste_serial = 0
        self._last_copy = text
        self.statusMessage.emit(f"Copied {len(ids)} node{'s' if len(ids) != 1 else ''}")
        return True

    def cut_selection(self) -> None:
        if self.copy_selection():
            self.delete_selection()

    def paste(self) -> list[str]:
        """Paste nodes from the clipboard (ours or JSON text from another window);
        at the cursor when it is over the canvas. Returns the new node ids."""
        text = clipboard_text()
        if text is None:
            return []
        at = self._cursor_scene_pos()
        return self._paste_text(text, (at.x(), at.y()) if at is not None else None)

    def paste_at(self, scene_pos: QPointF) -> list[str]:
        """Paste with the top-left of the pasted nodes at ``scene_pos`` (the
        context menu's Paste Here: the cursor has moved onto the menu by then)."""
        text = clipboard_text()
        if text is None:
            self.statusMessage.emit("The clipboard holds no nodes to paste")
            return []
        return self._paste_text(text, (scene_pos.x(), scene_pos.y()))

    def duplicate_selection(self) -> list[str]:
        ids = self.selected_node_ids()
        if not ids:
            return []
        self._paste_serial = 0
        return self._paste_text(copy_text(self.document.graph, self.document.registry, ids), None)

    def _paste_text(self, text: str, at: tuple[float, float] | None) -> list[str]:
        try:
            doc = parse_clipboard(text)
        except ValueError as exc:
            self.statusMessage.emit(str(exc))
            return []
        self._paste_serial += 1
        offset = paste_offset(doc, at, self._paste_serial)
        try:
            command, ids = paste_command(self.document.graph, self.document.registry, doc, offset)
        except ValueError as exc:
            self.statusMessage.emit(str(exc))
            return []
        if not ids or not self._push(command):
            return []
        self.select_nodes(ids)
        self.statusMessage.emit(command.text)
        return ids

    def _rects(self, ids: list[str]) -> dict[str, tuple[float, float, float, float]]:
        rects = {}
        for node_id in ids:
            item = self.node_item(node_id)
            if item is not None:
                r = item.scene_card_rect()
                rects[node_id] = (r.x(), r.y(), r.width(), r.height())
        return rects

    def align(self, mode: str) -> None:
        ids = self.selected_node_ids()
        command = align_command(self.document.graph, self._rects(ids), mode)
        if command is not None:
            self._push(command)
        elif len(ids) < 2:
            self.statusMessage.emit("Select two or more nodes to align")

    def auto_layout(self) -> None:
        """Layered left-to-right layout of the selection (two or more) or all."""
        ids = self.selected_node_ids()
        chosen = ids if len(ids) >= 2 else list(self.document.graph.nodes)
        command = layout_command(self.document.graph, self._rects(chosen), chosen)
        if command is not None:
            self._push(command)
        if len(ids) < 2:
            self.fit_all()

    # ------------------------------------------------------------ quick-add
    def open_find_node(self) -> None:
        """Find Node: a searchable list of the graph's nodes at the top of the view;
        the pick is selected and centred."""
        if self.find_node is None:
            from editor.canvas.find_node import FindNodePopup

            self.find_node = FindNodePopup(self.document, self)
            self.find_node.chosen.connect(self._found_node)
        top = self.viewport().mapToGlobal(self.viewport().rect().topLeft())
        x = top.x() + max(0, (self.viewport().width() - self.find_node.width()) // 2)
        self.find_node.popup(QPoint(x, top.y() + 12), "Find a node")

    def _found_node(self, node_id: str) -> None:
        if node_id in self.document.graph.nodes:
            self.select_nodes([node_id])
            self.center_on_node(node_id)
            self.setFocus()

    def open_quick_add(self, scene_pos: QPointF | None = None) -> None:
        """The searchable node list at ``scene_pos`` (the cursor, else the centre)."""
        point = scene_pos or self._cursor_scene_pos() or self._view_center()
        self._open_quick_add(point, None, None, None, "Add a node")

    def pick_node_type(
        self,
        scene_pos: QPointF,
        allowed: dict | None,
        heading: str,
        on_chosen: Callable[[str], None],
    ) -> None:
        """The quick-add list at ``scene_pos``, limited to ``allowed`` (its keys)
        when given; ``on_chosen(type_name)`` decides what the pick does."""
        self._open_quick_add(scene_pos, None, None, allowed, heading)
        self._quick_add_handler = on_chosen

    def _open_quick_add(
        self, point: QPointF, anchor: PortRef | None, detached, allowed, heading: str
    ) -> None:
        self._quick_add_handler = None
        self._quick_add_context = (point, anchor, detached, allowed)
        view_point = self.mapFromScene(point)
        self.quick_add.open_at(self.viewport().mapToGlobal(view_point), allowed, heading)

    def _wire_dropped_on_empty(self, anchor: PortRef, detached, scene_pos: QPointF) -> None:
        graph = self.document.graph
        allowed = connectable_types(graph, self.document.registry, anchor, detached)
        item = self.node_item(anchor.node_id)
        label = item.layout.port(anchor.port, anchor.is_output).view.label if item else anchor.port
        name = graph.nodes[anchor.node_id].name
        heading = f"Connect {'from' if anchor.is_output else 'to'} {name}.{label}"
        self.canvas_scene.show_pending_wire(anchor, scene_pos)
        self._open_quick_add(scene_pos, anchor, detached, allowed, heading)

    def _quick_add_chosen(self, type_name: str) -> None:
        self.canvas_scene.clear_pending_wire()
        context, self._quick_add_context = self._quick_add_context, None
        handler, self._quick_add_handler = self._quick_add_handler, None
        if handler is not None:
            handler(type_name)
            return
        if context is None:
            return
        point, anchor, detached, allowed = context
        if anchor is None:
            self.add_node(type_name, point)
            return
        graph, registry = self.document.graph, self.document.registry
        port = (allowed or {}).get(type_name)
        if port is None:
            self.statusMessage.emit(f"A {type_name} cannot take this connection")
            return
        node = make_node(graph, registry, type_name)
        layout = card_layout(card_content(graph, registry, node, None), self.canvas_scene.kit.fonts)
        geom = layout.port(port, not anchor.is_output)
        offset = geom.anchor if geom is not None else QPointF(0, HEADER_HEIGHT / 2)
        node.position = (float(round(point.x() - offset.x())), float(round(point.y() - offset.y())))
        try:
            command = add_connected_command(graph, registry, node, port, anchor, detached)
        except ValueError as exc:
            self.statusMessage.emit(f"Cannot connect: {exc}")
            return
        if self._push(command):
            self.select_nodes([node.id])
            self.statusMessage.emit(f"Added {node.name}, connected")

    def _quick_add_dismissed(self) -> None:
        self.canvas_scene.clear_pending_wire()
        self._quick_add_context = None
        self._quick_add_handler = None

    # --------------------------------------------------------------- rename
    def rename_node(self, node_id: str | None = None) -> InlineRename | None:
        """Edit ``node_id``'s name in place (the one selected node by default)."""
        if node_id is None:
            ids = self.selected_node_ids()
            if len(ids) != 1:
                self.statusMessage.emit("Select one node to rename")
                return None
            node_id = ids[0]
        if node_id not in self.document.graph.nodes:
            return None
        if self.renaming is not None:
            self.renaming.cancel()
        item = self.node_item(node_id)
        if item is not None and not self.mapToScene(self.viewport().rect()).boundingRect().contains(
            item.scene_card_rect().topLeft()
        ):
            self.center_on_node(node_id)
        editor = InlineRename(self, node_id)
        self.renaming = editor
        editor.closed.connect(self._rename_closed)
        return editor

    def _rename_closed(self) -> None:
        if self.renaming is not None and self.renaming.finished:
            self.renaming = None

    # --------------------------------------------------------- context menu
    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.canvas_scene.wiring:
            event.accept()
            return
        keyboard = event.reason() == event.Reason.Keyboard
        self.context_menu = open_context_menu(self, event.pos(), event.globalPos(), keyboard)
        event.accept()

    # ---------------------------------------------------------------- drops
    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasFormat(NODE_TYPE_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasFormat(NODE_TYPE_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        mime = event.mimeData()
        if not mime.hasFormat(NODE_TYPE_MIME):
            super().dropEvent(event)
            return
        type_name = bytes(mime.data(NODE_TYPE_MIME).data()).decode("utf-8").strip()
        try:
            self.add_node(type_name, self.mapToScene(event.position().toPoint()))
        except UnknownNodeType as exc:
            self.statusMessage.emit(str(exc))
            event.ignore()
            return
        event.acceptProposedAction()
        self.setFocus()

    # ----------------------------------------------------------- mouse
    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        pixels = event.pixelDelta()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        self._fitted = False
        if not pixels.isNull() and not ctrl:  # touchpad scroll: pan
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - pixels.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - pixels.y())
            event.accept()
            return
        angle = event.angleDelta().y() or event.angleDelta().x()
        if angle:
            self._set_zoom(self.zoom() * (1.0015**angle), event.position())
        event.accept()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        button = event.button()
        if button == Qt.MouseButton.RightButton:
            event.accept()  # the context menu (contextMenuEvent) decides the selection
            return
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._pan_last = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._pan_last is not None:
            self._fitted = False
            delta = event.position() - self._pan_last
            self._pan_last = event.position()
            self._update_scene_rect()
            self.horizontalScrollBar().setValue(
                self.horizontalScrollBar().value() - round(delta.x())
            )
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._pan_last is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_last = None
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if self._space_down else Qt.CursorShape.ArrowCursor
            )
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.itemAt(event.position().toPoint()) is None
        ):
            self.open_quick_add(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # ------------------------------------------------------------- keys
    def event(self, event) -> bool:
        # Tab would move the focus away; on the canvas it opens quick-add.
        if (
            event.type() == event.Type.KeyPress
            and event.key() == Qt.Key.Key_Tab
            and not event.modifiers()
        ):
            self.open_quick_add()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        std = QKeySequence.StandardKey
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif key == Qt.Key.Key_Escape:
            if self.canvas_scene.wiring:
                self.canvas_scene.cancel_wire()
            else:
                self.canvas_scene.clearSelection()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not ctrl:
            self.delete_selection()
        elif event.matches(std.Copy):
            self.copy_selection()
        elif event.matches(std.Cut):
            self.cut_selection()
        elif event.matches(std.Paste):
            self.paste()
        elif event.matches(std.SelectAll):
            self.select_all()
        elif event.matches(std.Redo) or (
            ctrl and mods & Qt.KeyboardModifier.ShiftModifier and key == Qt.Key.Key_Z
        ):
            self.document.undo_stack.redo()
        elif event.matches(std.Undo):
            self.document.undo_stack.undo()
        elif ctrl and key == Qt.Key.Key_D:
            self.duplicate_selection()
        elif ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self.zoom_in()
        elif ctrl and key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif ctrl and key == Qt.Key.Key_0:
            self.reset_zoom()
        elif key == Qt.Key.Key_F and not ctrl:
            self.fit_selection()
        elif key == Qt.Key.Key_F2 and not mods:
            self.rename_node()
        elif key in NUDGE_KEYS and not ctrl and self.canvas_scene.selected_node_ids():
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            step = GRID if shift or self.canvas_scene.snap_to_grid else 1.0
            dx, dy = NUDGE_KEYS[key]
            self.nudge_selection(dx * step, dy * step)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            if self._pan_last is None:
                self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._space_down = False
        super().focusOutEvent(event)

    # ------------------------------------------------------------- runs
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
        """Show ``state`` (one of ``editor.theme.RUN_STATES``) on a card; ``cached``
        marks a result replayed from the node cache."""
        self.canvas_scene.set_node_run_state(node_id, state, elapsed, tokens, cost, cached=cached)

    def set_node_preview(self, node_id: str, value, live: bool = False) -> None:
        """Show a node's output (partial while ``live``) over its card's field rows."""
        self.canvas_scene.set_node_preview(node_id, value, live)

    def set_previews_visible(self, on: bool) -> None:
        """Show or hide every card's output preview (values are kept either way)."""
        self.canvas_scene.previews.set_enabled(on)

    def set_edge_active(self, edge_id: str, active: bool) -> None:
        """Light up (or not) an edge that carried data in the current run."""
        self.canvas_scene.set_edge_active(edge_id, active)

    def clear_run_states(self) -> None:
        self.canvas_scene.clear_run_states()


def clipboard_text() -> str | None:
    """What the clipboard holds for pasting nodes (our MIME type first, else
    its plain text), or None when it holds nothing."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return None
    if mime.hasFormat(CLIPBOARD_MIME):
        return bytes(mime.data(CLIPBOARD_MIME).data()).decode("utf-8", errors="replace")
    return mime.text()


__all__ = ["NODE_TYPE_MIME", "CanvasView", "clipboard_text"]
