"""Reward curves drawn with QPainter: the per-batch reward and the per-epoch validation reward.

A training reports a few dozen points at most (one per batch and per epoch),
so the widget keeps them all and repaints the whole plot; rewards are in
[0, 1], the x axis is the batch count (an epoch's point sits at its last batch).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

SERIES_COLORS = {"reward": QColor("#3b82f6"), "val_reward": QColor("#f97316")}
MARGIN = 28


class RewardCurve(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: dict[str, list[tuple[float, float]]] = {name: [] for name in SERIES_COLORS}
        self.setMinimumSize(320, 160)

    def clear(self) -> None:
        for points in self.series.values():
            points.clear()
        self.update()

    def add(self, name: str, x: float, y: float) -> None:
        self.series.setdefault(name, []).append((float(x), float(y)))
        self.update()

    def plot_rect(self) -> QRectF:
        return QRectF(MARGIN, 8, max(1, self.width() - MARGIN - 8), max(1, self.height() - MARGIN))

    def to_screen(self, x: float, y: float) -> QPointF:
        rect = self.plot_rect()
        span = max((p[0] for s in self.series.values() for p in s), default=1.0) or 1.0
        return QPointF(
            rect.left() + rect.width() * x / span,
            rect.bottom() - rect.height() * max(0.0, min(1.0, y)),
        )

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.plot_rect()
        text = self.palette().text().color()
        painter.setPen(QPen(text, 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.topLeft())
        painter.drawText(
            QRectF(0, rect.top() - 6, MARGIN - 4, 14), Qt.AlignmentFlag.AlignRight, "1"
        )
        painter.drawText(
            QRectF(0, rect.bottom() - 8, MARGIN - 4, 14), Qt.AlignmentFlag.AlignRight, "0"
        )
        legend_x = rect.left() + 6
        for name, color in SERIES_COLORS.items():
            painter.setPen(QPen(color, 2))
            points = [self.to_screen(x, y) for x, y in self.series.get(name, [])]
            for a, b in zip(points, points[1:], strict=False):
                painter.drawLine(a, b)
            for point in points:
                painter.drawEllipse(point, 2.5, 2.5)
            painter.drawText(QPointF(legend_x, rect.bottom() + 18), name)
            legend_x += 90
        painter.end()
