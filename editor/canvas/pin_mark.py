"""The small mark a card with a pinned output wears on its top edge.

A pinned node does not run: a run hands on the output pinned on it. The mark
(a pin head and needle in a round chip, in the selection colour) sits on the
card's top edge, left of where a problem badge goes, away from the ports (a
round chip by a port would read as one); its tooltip says the rest.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen

from editor.canvas.paint_kit import CARD_WIDTH

PIN_CENTER = QPointF(CARD_WIDTH - 42.0, -5.0)  # the problem badge is at CARD_WIDTH - 18
PIN_RADIUS = 7.5
PIN_TIP = "Output pinned by hand: runs hand it on without running this node (right-click to edit or unpin)"


def pin_rect() -> QRectF:
    r = PIN_RADIUS + 2.0
    return QRectF(PIN_CENTER.x() - r, PIN_CENTER.y() - r, 2 * r, 2 * r)


def paint_pin(painter: QPainter, kit) -> None:
    colour = kit.theme.selection
    painter.setPen(kit.badge_ring_pen)
    painter.setBrush(QBrush(colour))
    painter.drawEllipse(PIN_CENTER, PIN_RADIUS, PIN_RADIUS)
    white = Qt.GlobalColor.white
    needle = QPen(white, 1.6)
    needle.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(needle)
    x, y = PIN_CENTER.x(), PIN_CENTER.y()
    painter.drawLine(QPointF(x - 0.5, y + 0.5), QPointF(x - 3.5, y + 4.0))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(white))
    painter.drawEllipse(QPointF(x + 1.2, y - 1.2), 2.6, 2.6)
