"""The run banner: a strip over the top of the canvas while a run goes on.

It says what is running and how editing behaves meanwhile: the engine runs a
snapshot taken when Run was pressed, so the graph stays editable and edits
apply to the next run. It also carries a Cancel button next to the work. It
sits at the top of the canvas (a child of the view, not of its scrolling
viewport) and follows the view's size. While shown it reserves its own strip:
the view's viewport starts below it (``reserve_top``), so it never covers a
node; the note is elided to one line (in full in its tooltip) so the strip
stays one line tall on a small screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from editor.theme import Theme

MARGIN = 8
EDITS_NOTE = "Edits apply to the next run: this one uses the graph as it was when it started."


class RunBanner(QFrame):
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runBanner")
        self._host: QWidget | None = None
        self.title = QLabel(self)
        self.note = QLabel(EDITS_NOTE, self)
        self.note.setToolTip(EDITS_NOTE)
        self.note.setMinimumWidth(0)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cancel_button = QPushButton("Cancel Run", self)
        self.cancel_button.setToolTip("Stop the run now (Esc, Ctrl+.)")
        self.cancel_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.cancel_button.clicked.connect(self.cancelRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 5, 6, 5)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.cancel_button)
        self.note.installEventFilter(self)
        self.hide()

    def attach(self, host: QWidget | None) -> None:
        """Float over ``host`` (the canvas view); None detaches."""
        if self._host is not None:
            self._host.removeEventFilter(self)
            self._reserve(0)
        self._host = host
        if host is None:
            self.setParent(None)
            self.hide()
            return
        visible = self.isVisible()
        self.setParent(host)
        host.installEventFilter(self)
        self._place()
        self.setVisible(visible)

    def show_running(self, text: str, theme: Theme, *, cancelling: bool = False) -> None:
        self.title.setText(f"<b>{text}</b>")
        self.cancel_button.setEnabled(not cancelling)
        self.cancel_button.setText("Cancelling…" if cancelling else "Cancel Run")
        self._style(theme)
        self._place()
        self.show()
        self.raise_()

    def _style(self, theme: Theme) -> None:
        accent = theme.run_state_color("running")
        fill = QColor(theme.base)
        fill = QColor(
            int(fill.red() * 0.86 + accent.red() * 0.14),
            int(fill.green() * 0.86 + accent.green() * 0.14),
            int(fill.blue() * 0.86 + accent.blue() * 0.14),
        )
        self.setStyleSheet(
            f"QFrame#runBanner {{ background: {fill.name()}; border: 1px solid {accent.name()};"
            f" border-radius: 6px; }} QFrame#runBanner QLabel {{ color: {theme.window_text.name()}; }}"
        )

    def _place(self) -> None:
        host = self._host
        if host is None:
            return
        width = max(200, host.width() - 2 * MARGIN - 18)  # clear of the vertical scroll bar
        self.setFixedWidth(width)
        self.setFixedHeight(self.sizeHint().height())
        self.move(MARGIN, MARGIN)
        self._elide_note()
        if self.isVisible():
            self._reserve(self.height() + 2 * MARGIN)

    def _elide_note(self) -> None:
        room = self.note.width()
        if room > 0:
            self.note.setText(
                self.note.fontMetrics().elidedText(EDITS_NOTE, Qt.TextElideMode.ElideRight, room)
            )

    def _reserve(self, height: int) -> None:
        reserve = getattr(self._host, "reserve_top", None)
        if reserve is not None:
            reserve(height)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._reserve(self.height() + 2 * MARGIN)
        self._elide_note()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self._reserve(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self._place()
        elif watched is self.note and event.type() == QEvent.Type.Resize:
            self._elide_note()
        return False
