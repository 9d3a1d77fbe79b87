"""What an empty canvas says: a title, then how to begin, centred on screen."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

EMPTY_HINT = (
    "This graph is empty",
    "Drag a node type from the Nodes panel, double-click one, or press Tab here.",
    "A program starts with an Input and ends with an Output.",
    "Ctrl+O opens a saved graph (the examples are in saved_graphs/).",
)


def paint_empty_hint(
    painter: QPainter, area: QRectF, font: QFont, title_color: QColor, text_color: QColor
) -> None:
    """Write :data:`EMPTY_HINT` in the middle of ``area`` (device pixels)."""
    painter.save()
    painter.resetTransform()
    title_font = QFont(font)
    title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
    title_font.setWeight(QFont.Weight.DemiBold)
    line_height = QFontMetricsF(font).lineSpacing()
    title_height = QFontMetricsF(title_font).lineSpacing()
    top = area.center().y() - (title_height + line_height * len(EMPTY_HINT[1:]) + 8) / 2
    centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
    painter.setFont(title_font)
    painter.setPen(title_color)
    painter.drawText(QRectF(area.left(), top, area.width(), title_height), centred, EMPTY_HINT[0])
    painter.setFont(font)
    painter.setPen(text_color)
    y = top + title_height + 8
    for line in EMPTY_HINT[1:]:
        painter.drawText(QRectF(area.left(), y, area.width(), line_height), centred, line)
        y += line_height
    painter.restore()
