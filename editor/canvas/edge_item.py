"""Edges: smooth cubic curves from an output port to an input port.

An edge item holds an edge id and two end points the scene gives it; the
curve (and so the bounding rect) is recomputed only when an end moves, never
while painting. The hover outline used for hit-testing is stroked lazily, the
first time the pointer comes near. Hovering shows the schema that flows on
the edge, read from the document's flow analysis at that moment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

if TYPE_CHECKING:
    from editor.canvas.scene import CanvasScene

FAR_LOD = 0.38
HIT_WIDTH = 12.0


def edge_path(p0: QPointF, p1: QPointF) -> QPainterPath:
    """A left-to-right S curve; a backward edge loops out and back so it never
    hides under the cards it joins."""
    dx = p1.x() - p0.x()
    dy = abs(p1.y() - p0.y())
    if dx >= 0:
        k = max(36.0, dx * 0.5)
    else:
        k = max(80.0, min(260.0, -dx * 0.5 + dy * 0.25))
    path = QPainterPath(p0)
    path.cubicTo(QPointF(p0.x() + k, p0.y()), QPointF(p1.x() - k, p1.y()), p1)
    return path


class EdgeItem(QGraphicsItem):
    def __init__(
        self, canvas: CanvasScene, edge_id: str, role: str, p0: QPointF, p1: QPointF
    ) -> None:
        super().__init__()
        self.edge_id = edge_id
        self.role = role
        self._canvas = canvas
        self.active = False
        self.replaced = False  # a wire being dragged would replace this edge
        self._hovered = False
        self._path = QPainterPath()
        self._bounds = QRectF()
        self._shape: QPainterPath | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(-1.0)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.set_ends(p0, p1)

    def set_ends(self, p0: QPointF, p1: QPointF) -> None:
        path = edge_path(p0, p1)
        self.prepareGeometryChange()
        self._path = path
        self._bounds = path.controlPointRect().adjusted(-4.0, -4.0, 4.0, 4.0)
        self._shape = None

    def path(self) -> QPainterPath:
        return self._path

    def ends(self) -> tuple[QPointF, QPointF]:
        return self._path.pointAtPercent(0.0), self._path.pointAtPercent(1.0)

    def set_role(self, role: str) -> None:
        if role != self.role:
            self.role = role
            self.update()

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.setZValue(-0.5 if active else -1.0)
            self.update()

    def set_replaced(self, replaced: bool) -> None:
        """Mark the edge a wire being dragged would replace if dropped now."""
        if replaced != self.replaced:
            self.replaced = replaced
            self.setZValue(-0.5 if replaced or self.active else -1.0)
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(HIT_WIDTH)
            stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
            self._shape = stroker.createStroke(self._path)
        return self._shape

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        kit = self._canvas.kit
        if self.replaced:
            pen = kit.edge_replaced_pen
        elif self.isSelected():
            pen = kit.edge_selected_pen
        elif self.active:
            pen = kit.edge_active_pen
        elif self._hovered:
            pen = kit.edge_hover_pens.get(self.role, kit.edge_hover_pens["data"])
        elif option.levelOfDetailFromTransform(painter.worldTransform()) < FAR_LOD:
            # Zoomed out: a hairline without antialiasing costs a tenth as much.
            pen = kit.edge_far_pens.get(self.role, kit.edge_far_pens["data"])
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        else:
            pen = kit.edge_pens.get(self.role, kit.edge_pens["data"])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hovered = True
        self.setToolTip(self._canvas.edge_tooltip(self.edge_id))
        self.update()

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hovered = False
        self.update()
