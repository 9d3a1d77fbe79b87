"""The zoomed-out picture: every card and edge drawn by one item in a few calls.

Below ``FAR_ZOOM`` a card is a few pixels wide and its text unreadable; what
matters is the shape of the graph. Painting 3,000 separate items there costs
a Python call each (tens of milliseconds per frame for a 1,000-node graph),
so the scene flags cards and edges as having no contents (Qt then skips
them without calling ``paint``, yet they still take clicks, hovers and the
rubber band) and this item draws them all: one path for the edges, one ``drawRects``
per header colour, outlines for the selection and run states, and node names
at a fixed screen size where they fit.

The geometry is gathered lazily from the items (``invalidate()`` marks it
stale; the scene calls it when anything moves or changes) so dragging nodes
while zoomed out stays live.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from editor.canvas.node_item import NodeItem

if TYPE_CHECKING:
    from editor.canvas.scene import CanvasScene

FAR_ZOOM = 0.38  # below this zoom the overview draws the graph
LABEL_MIN_WIDTH = 56.0  # a card narrower than this on screen gets no name
PICTURE_SIDE = 2048  # pixels: the picture scaled while the zoom changes (16 MB at most)


class OverviewItem(QGraphicsItem):
    def __init__(self, canvas: CanvasScene) -> None:
        super().__init__()
        self._canvas = canvas
        self._bounds = QRectF()
        self._picture_mode = False
        self._picture: QPixmap | None = None
        self._stale = True
        self._edges: dict[str, QPainterPath] = {}
        self._highlight: list[tuple[QPen, QPainterPath]] = []
        self._bodies: list[QRectF] = []
        self._insides: dict[int, list[QRectF]] = {}  # zoom bin -> bodies less ~1 px
        self._headers: dict[str, list[QRectF]] = {}
        self._names: list[tuple[QRectF, str]] = []
        self._marked: list = []  # cards with a run state or a badge
        self._font = QFont()
        self._font.setPixelSize(11)
        self._metrics = QFontMetricsF(self._font)
        self.setZValue(-5.0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def invalidate(self) -> None:
        self._picture = None
        self._stale = True
        if self.isVisible():
            self.update()

    def refresh_bounds(self) -> None:
        """Cover every card (called when entering the zoomed-out mode)."""
        self.prepareGeometryChange()
        self._bounds = self._canvas.content_rect().adjusted(-400, -400, 400, 400)
        self._stale = True

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def _gather(self) -> None:
        canvas = self._canvas
        kit = canvas.kit
        edges: dict[str, QPainterPath] = {}
        highlight: list[tuple[QPen, QPainterPath]] = []
        for item in canvas.edge_items():
            if not item.isVisible():
                continue
            if item.isSelected() or item.active:
                pen = kit.far_selection_pen if item.isSelected() else kit.run_far_pens["done"]
                highlight.append((pen, item.path()))
                continue
            path = edges.get(item.role)
            if path is None:
                path = edges[item.role] = QPainterPath()
            path.addPath(item.path())
        bodies: list[QRectF] = []
        headers: dict[str, list[QRectF]] = {}
        names: list[tuple[QRectF, str]] = []
        marked: list = []
        bounds = QRectF()
        header_h = 32.0
        for item in canvas.node_items():
            rect = item.scene_card_rect()
            bounds = bounds.united(rect)
            bodies.append(rect)
            headers.setdefault(item.content.color, []).append(
                QRectF(rect.x(), rect.y(), rect.width(), header_h)
            )
            names.append((rect, item.content.name))
            if item.run is not None or item.badge is not None:
                marked.append(item)
        self._edges, self._highlight = edges, highlight
        self._bodies, self._headers, self._names, self._marked = bodies, headers, names, marked
        self._insides = {}
        if not bounds.isEmpty() and not self._bounds.contains(bounds):
            self.prepareGeometryChange()
            self._bounds = bounds.adjusted(-400, -400, 400, 400)
        self._stale = False

    def set_picture_mode(self, on: bool) -> None:
        """While the zoom changes, draw one picture of the whole graph, made
        once (PICTURE_SIDE pixels on its longer side) and scaled, instead of
        every card and edge at every step, as the cards do. (Qt's own
        fixed-size item cache places its scaled picture a few pixels off, so
        the picture is made here.)"""
        if on != self._picture_mode:
            self._picture_mode = on
            self._picture = None
            self.update()

    def picture_size(self) -> QSize:
        rect = self._bounds
        if rect.isEmpty():
            return QSize(1, 1)
        scale = PICTURE_SIDE / max(rect.width(), rect.height())
        return QSize(max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale)))

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._stale:
            self._gather()
        if self._picture_mode and not self._bounds.isEmpty():
            if self._picture is None:
                self._picture = self._make_picture()
            painter.drawPixmap(self._bounds, self._picture, QRectF(self._picture.rect()))
            return
        exposed = option.exposedRect if not option.exposedRect.isEmpty() else self._bounds
        self._draw(painter, exposed)

    def _make_picture(self) -> QPixmap:
        rect, size = self._bounds, self.picture_size()
        picture = QPixmap(size)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        painter.scale(size.width() / rect.width(), size.height() / rect.height())
        painter.translate(-rect.topLeft())
        self._draw(painter, rect, names=False)  # scaled text would swim: names wait
        painter.end()
        return picture

    def _draw(self, painter: QPainter, exposed: QRectF, names: bool = True) -> None:
        canvas = self._canvas
        kit = canvas.kit
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for role, path in self._edges.items():
            painter.setPen(kit.edge_far_pens.get(role, kit.edge_far_pens["data"]))
            painter.drawPath(path)
        for pen, path in self._highlight:
            painter.setPen(pen)
            painter.drawPath(path)
        # Each card's 1 px border is the card filled in the border colour, then
        # filled again 1 px inside: two fills cost a third of stroking 1,000 rects.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(kit.far_card_pen.color())
        painter.drawRects(self._bodies)
        painter.setBrush(kit.card_brush)
        painter.drawRects(self._inside_bodies(painter.worldTransform().m11()))
        for color, rects in self._headers.items():
            painter.setBrush(kit.header_brush(color))
            painter.drawRects(rects)
        self._paint_marks(painter)
        if names:
            self._paint_names(painter, exposed)

    def _inside_bodies(self, zoom: float) -> list[QRectF]:
        """The cards less about one device pixel all round. Kept per eighth of an
        octave of zoom, so a zoom gesture reuses a few lists instead of making
        1,000 rects per frame (the border is 0.92 to 1.09 px: filled without
        antialiasing, it lands on one pixel either way)."""
        if zoom <= 0:
            return self._bodies
        step = round(math.log2(zoom) * 8)
        found = self._insides.get(step)
        if found is None:
            d = 1.0 / 2.0 ** (step / 8)
            found = self._insides[step] = [r.adjusted(d, d, -d, -d) for r in self._bodies]
        return found

    def _paint_marks(self, painter: QPainter) -> None:
        """Run rings, badges and the selection: few, so per card (the cards
        that have any were listed when the geometry was gathered)."""
        kit = self._canvas.kit
        painter.setBrush(Qt.BrushStyle.NoBrush)
        selected = [i for i in self._canvas.selectedItems() if isinstance(i, NodeItem)]
        if selected:
            painter.setPen(kit.far_selection_pen)
            painter.drawRects([i.scene_card_rect().adjusted(-4, -4, 4, 4) for i in selected])
        for item in self._marked:
            run, badge = item.run, item.badge
            rect = item.scene_card_rect()
            if run is not None:
                painter.setPen(kit.run_far_pens[run.state])
                painter.drawRect(rect.adjusted(-8, -8, 8, 8))
            if badge is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(kit.badge_brushes[badge[0]])
                painter.drawEllipse(QPointF(rect.right() - 10.0, rect.top() + 10.0), 18.0, 18.0)
                painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_names(self, painter: QPainter, exposed: QRectF) -> None:
        world = painter.worldTransform()
        zoom = world.m11()
        if 240.0 * zoom < LABEL_MIN_WIDTH:
            return
        kit = self._canvas.kit
        painter.setWorldTransform(QTransform())
        painter.setFont(self._font)
        painter.setPen(kit.text_pen)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        m = self._metrics
        for rect, name in self._names:
            if not rect.intersects(exposed):
                continue
            device = world.mapRect(rect)
            width = device.width() - 8.0
            text = m.elidedText(name, Qt.TextElideMode.ElideRight, width)
            top = device.top() + 32.0 * zoom + 3.0
            if top + m.height() > device.bottom():
                continue
            painter.drawText(QPointF(device.left() + 4.0, top + m.ascent()), text)
        painter.setWorldTransform(world)
