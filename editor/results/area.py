"""The Results dock's content. Until running lands it only says how results will
appear; it never shows made-up output."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

EMPTY_HINT = "Run the graph (Ctrl+R) to see results"


class ResultsArea(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = QLabel(EMPTY_HINT, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
