"""The window's status bar: canvas messages on the left; problems, counts and zoom
on the right (all read from the document and the view, never stored here)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

MESSAGE_TIMEOUT_MS = 6000


class EditorStatusBar(QStatusBar):
    problemsClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems_button = QToolButton(self)
        self.problems_button.setAutoRaise(True)
        self.problems_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.problems_button.setToolTip("Show the Problems panel")
        self.problems_button.clicked.connect(self.problemsClicked)
        self.counts_label = QLabel(self)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(
            self.zoom_label.fontMetrics().horizontalAdvance("Zoom 1000%")
        )
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for widget in (self.problems_button, self.counts_label, self.zoom_label):
            self.addPermanentWidget(widget)
        self.set_problems(0, 0)
        self.set_counts(0, 0)
        self.set_zoom(1.0)

    def show_message(self, text: str) -> None:
        self.showMessage(text, MESSAGE_TIMEOUT_MS)

    def set_problems(self, errors: int, warnings: int) -> None:
        if not errors and not warnings:
            self.problems_button.setText("No problems")
        else:
            parts = []
            if errors:
                parts.append(f"{errors} error{'s' if errors != 1 else ''}")
            if warnings:
                parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
            self.problems_button.setText(", ".join(parts))

    def set_counts(self, nodes: int, edges: int) -> None:
        self.counts_label.setText(
            f"{nodes} node{'s' if nodes != 1 else ''} · {edges} edge{'s' if edges != 1 else ''}"
        )

    def set_zoom(self, scale: float) -> None:
        self.zoom_label.setText(f"Zoom {round(scale * 100)}%")
