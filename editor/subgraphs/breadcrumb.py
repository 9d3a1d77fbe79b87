"""The breadcrumb bar over the canvas while a subgraph is open:
``my_program › summarise › inner``. Each crumb but the last goes back to that
level; the bar is hidden at the top level, where there is nowhere to go back to."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

BACK_KEYS = "Backspace or Alt+Up"


class BreadcrumbBar(QFrame):
    levelRequested = Signal(int)  # 0: the document, 1: the first subgraph opened...

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subgraphBreadcrumb")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        # A hairline under the bar parts it from the canvas in both themes.
        self.setStyleSheet("QFrame#subgraphBreadcrumb { border-bottom: 1px solid palette(mid); }")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 3, 8, 3)
        self._layout.setSpacing(2)
        self.crumbs: list[QToolButton | QLabel] = []
        self.setVisible(False)

    def set_levels(self, names: list[str]) -> None:
        """Show ``names`` (the document first); hidden when there is only the document."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.crumbs = []
        last = len(names) - 1
        for index, name in enumerate(names):
            if index:
                sep = QLabel("›", self)
                sep.setEnabled(False)
                self._layout.addWidget(sep)
            if index == last:
                label = QLabel(name, self)
                label.setTextFormat(Qt.TextFormat.PlainText)
                font = label.font()
                font.setBold(True)
                label.setFont(font)
                label.setToolTip(f"Subgraph {name}, open for editing")
                self.crumbs.append(label)
                self._layout.addWidget(label)
                continue
            button = QToolButton(self)
            button.setText(name)
            button.setAutoRaise(True)
            button.setToolTip(f"Back to {name} ({BACK_KEYS} goes up one level)")
            button.clicked.connect(lambda _checked=False, i=index: self.levelRequested.emit(i))
            self.crumbs.append(button)
            self._layout.addWidget(button)
        self._layout.addStretch(1)
        hint = QLabel(f"{BACK_KEYS}: back", self)
        hint.setEnabled(False)
        self._layout.addWidget(hint)
        self.setVisible(len(names) > 1)

    def names(self) -> list[str]:
        return [c.text() for c in self.crumbs]
