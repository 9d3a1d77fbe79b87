"""Ports: how they look and how the pointer finds them.

A port is not a QGraphicsItem of its own. A 1,000-node graph would carry
thousands more items through the scene index and every paint for dots a few
pixels wide; instead each :class:`~editor.canvas.node_item.NodeItem` paints its
ports from the :class:`~editor.canvas.card.PortGeom` its layout computed and
answers "which port is here?" with :func:`port_at`.

Shape says the role and colour repeats it (so colour-blind users can still
tell them apart): a data port is a circle, a Branch label's port a diamond, a
list input of a merge a capsule with one slot per edge. A hollow glyph is an
unconnected port, a filled one a connected port.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPolygonF

from editor.canvas.card import CardLayout, PortGeom
from editor.canvas.paint_kit import PaintKit

RADIUS = 5.5
HIT_RADIUS = 13.0

# Marks a port can carry while a wire is dragged.
MARK_OK = "ok"  # would accept the wire
MARK_TARGET_OK = "target_ok"  # under the cursor and accepts
MARK_TARGET_REFUSED = "target_refused"  # under the cursor and refuses


def _diamond(center: QPointF, r: float) -> QPolygonF:
    x, y = center.x(), center.y()
    return QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)])


def _capsule(geom: PortGeom) -> QRectF:
    first, last = geom.slots[0], geom.slots[-1]
    return QRectF(first.x() - 4.0, first.y() - 7.0, 8.0, last.y() - first.y() + 14.0)


def paint_port(
    painter: QPainter,
    kit: PaintKit,
    geom: PortGeom,
    connected: bool,
    mark: str | None = None,
    hovered: bool = False,
) -> None:
    """Draw one port glyph (and its drag mark) in card coordinates."""
    role = geom.view.role
    anchor = geom.anchor
    if mark or hovered:
        painter.setPen(
            kit.target_refused_pen
            if mark == MARK_TARGET_REFUSED
            else kit.target_ok_pen
            if mark in (MARK_OK, MARK_TARGET_OK)
            else kit.port_pens.get(role, kit.port_pens["data"])
        )
        painter.setBrush(
            kit.target_refused_brush
            if mark == MARK_TARGET_REFUSED
            else kit.target_ok_brush
            if mark
            else kit.hover_port_brush
        )
        grow = 11.0 if mark in (MARK_TARGET_OK, MARK_TARGET_REFUSED) else 9.0
        if geom.view.multiple and geom.slots:
            rect = _capsule(geom).adjusted(-grow + 4, -grow + 7, grow - 4, grow - 7)
            painter.drawRoundedRect(rect, grow, grow)
        else:
            painter.drawEllipse(anchor, grow, grow)
    # A halo in the card's colour keeps the glyph clear of a header of the
    # same hue and of the edges arriving at it.
    painter.setPen(kit.port_ring_pen)
    painter.setBrush(kit.hole_brush)
    if geom.view.multiple and geom.slots:
        painter.drawRoundedRect(_capsule(geom).adjusted(-1.5, -1.5, 1.5, 1.5), 5.5, 5.5)
    elif role == "branch":
        painter.drawPolygon(_diamond(anchor, RADIUS + 3.0))
    else:
        painter.drawEllipse(anchor, RADIUS + 1.5, RADIUS + 1.5)
    painter.setPen(
        kit.port_pens.get(role, kit.port_pens["data"]) if not connected else Qt.PenStyle.NoPen
    )
    painter.setBrush(
        kit.port_brushes.get(role, kit.port_brushes["data"]) if connected else kit.hole_brush
    )
    if geom.view.multiple and geom.slots:
        painter.drawRoundedRect(_capsule(geom), 4.0, 4.0)
    elif role == "branch":
        painter.drawPolygon(_diamond(anchor, RADIUS + 1.0))
    else:
        painter.drawEllipse(anchor, RADIUS, RADIUS)


def port_at(layout: CardLayout, pos: QPointF, want_output: bool | None = None) -> PortGeom | None:
    """The port whose hot zone contains ``pos`` (card coordinates), if any."""
    best: PortGeom | None = None
    best_d = HIT_RADIUS * HIT_RADIUS
    for (_name, is_output), geom in layout.ports.items():
        if want_output is not None and is_output != want_output:
            continue
        if geom.hit.contains(pos):
            return geom
        d = (geom.anchor.x() - pos.x()) ** 2 + (geom.anchor.y() - pos.y()) ** 2
        if d < best_d:
            best, best_d = geom, d
    return best
