"""A histogram of scores drawn with QPainter: equal bins, a count over each bar."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class Histogram(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bins: list[tuple[float, float, int]] = []
        self.title = ""
        self.setMinimumSize(120, 40)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(260, 140)

    def set_bins(self, bins: list[tuple[float, float, int]], title: str = "") -> None:
        self.bins = list(bins)
        self.title = title
        total = sum(c for _lo, _hi, c in self.bins)
        self.setToolTip(
            "\n".join(f"{lo:.2f}–{hi:.2f}: {c}" for lo, hi, c in self.bins) if total else ""
        )
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(6, line + 4, -6, -line - 4)
        painter.setPen(text)
        painter.drawText(
            QRectF(6, 0, self.width() - 12, line + 2), Qt.AlignmentFlag.AlignLeft, self.title
        )
        total = sum(c for _lo, _hi, c in self.bins)
        if not self.bins or total == 0 or area.width() <= 0 or area.height() <= 0:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No scored rows yet")
            return
        highest = max(c for _lo, _hi, c in self.bins)
        width = area.width() / len(self.bins)
        bar = QColor(pal.color(QPalette.ColorRole.Highlight))
        for i, (_lo, _hi, count) in enumerate(self.bins):
            height = (area.height() - line) * count / highest if highest else 0.0
            rect = QRectF(area.left() + i * width + 1, area.bottom() - height, width - 2, height)
            painter.fillRect(rect, bar)
            if count:
                painter.drawText(
                    QRectF(rect.left() - 4, rect.top() - line, rect.width() + 8, line),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    str(count),
                )
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.setPen(text)
        low, high = self.bins[0][0], self.bins[-1][1]
        labels = QRectF(area.left(), area.bottom() + 2, area.width(), line)
        painter.drawText(labels, Qt.AlignmentFlag.AlignLeft, f"{low:g}")
        painter.drawText(labels, Qt.AlignmentFlag.AlignRight, f"{high:g}")
        painter.drawText(labels, Qt.AlignmentFlag.AlignHCenter, f"{(low + high) / 2:g}")
