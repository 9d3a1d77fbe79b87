"""A one-line label that shortens its text with an ellipsis instead of widening
its panel (node names and model strings can be long; panels sit side by side)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


class ElidedLabel(QWidget):
    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, muted: bool = False
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._muted = muted
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 (QLabel's name, so callers read alike)
        if text != self._text:
            self._text = text
            self.setToolTip(
                text if self.fontMetrics().horizontalAdvance(text) > self.width() else ""
            )
            self.updateGeometry()
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        metrics = self.fontMetrics()
        return QSize(
            min(metrics.horizontalAdvance(self._text) + 2, self.maximumWidth()),
            metrics.height() + 2,
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(20, self.fontMetrics().height() + 2)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.setToolTip(
            self._text if self.fontMetrics().horizontalAdvance(self._text) > self.width() else ""
        )

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        role = self.foregroundRole()
        color = self.palette().color(role)
        if self._muted:
            color = self.palette().color(self.palette().ColorRole.PlaceholderText)
        painter.setPen(color)
        text = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(
            self.rect(), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text
        )
