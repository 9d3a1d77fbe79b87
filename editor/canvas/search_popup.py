"""A small searchable list that pops up over the canvas: type to filter, arrows
to move, Enter or a click to pick, Escape to leave.

Quick-add (node types) and Find Node (the graph's nodes) are both this popup
with a different list: a subclass says what the entries are for a query
(:meth:`SearchPopup.entries`) and what to say about the current one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""The item data holding an entry's key (a type name, a node id)."""
MAX_ROWS = 12


def dot_icon(color: str) -> QIcon:
    """A rounded square of ``color``: the node kind's colour, as on the palette."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(255, 255, 255, 170), 1.0))  # shows on a selected row too
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(QRectF(1.5, 1.5, 11, 11), 4, 4)
    painter.end()
    return QIcon(pixmap)


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    label: str
    icon: QIcon
    tooltip: str = ""


class SearchPopup(QFrame):
    """Emits ``chosen(key)`` or, when closed without a pick, ``dismissed()``."""

    chosen = Signal(str)
    dismissed = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None, width: int = 300) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._picked = False
        self.heading = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setIconSize(QSize(14, 14))
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(1)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.description)
        self.setFixedWidth(width)
        self.search.textChanged.connect(self._refilter)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(self._activate)
        self.list.itemClicked.connect(self._activate)
        self.list.currentItemChanged.connect(self._current_changed)

    # ------------------------------------------------------- for subclasses
    def entries(self, query: str) -> list[Entry]:
        """The entries matching ``query``, best first."""
        raise NotImplementedError

    def describe(self, key: str) -> str:
        """The line under the list for the current entry."""
        return ""

    def no_match_text(self) -> str:
        return "Nothing matches."

    # ------------------------------------------------------------------ use
    def popup(self, global_pos: QPoint, heading: str) -> None:
        """Show at ``global_pos`` (kept on screen), the search empty and focused."""
        self._picked = False
        self._mute_labels()
        self.heading.setText(heading)
        self.search.clear()
        self._refilter("")
        self.move(self._on_screen(global_pos))
        self.show()
        self.raise_()
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)

    def keys(self) -> list[str]:
        """The keys listed now, in order."""
        return [self.list.item(i).data(KEY_ROLE) for i in range(self.list.count())]

    def choose(self, key: str) -> None:
        self._picked = True
        self.hide()
        self.chosen.emit(key)

    # -------------------------------------------------------------- internals
    def _mute_labels(self) -> None:
        """Heading and description in a softer tone of the current palette
        (read each time: the theme may have changed since the last opening)."""
        muted = QGuiApplication.palette().color(self.foregroundRole())
        muted.setAlpha(170)
        for label in (self.heading, self.description):
            pal = label.palette()
            pal.setColor(label.foregroundRole(), muted)
            label.setPalette(pal)

    def _on_screen(self, pos: QPoint) -> QPoint:
        """``pos``, moved so the whole list stays on the screen (opening
        upwards near the bottom edge, leftwards near the right one)."""
        screen = QGuiApplication.screenAt(pos) or QGuiApplication.primaryScreen()
        if screen is None:
            return pos
        area = screen.availableGeometry()
        x, y = pos.x(), pos.y()
        if y + self.height() > area.bottom():
            y = max(area.top(), y - self.height())
        if x + self.width() > area.right():
            x = max(area.left(), area.right() - self.width())
        return QPoint(x, y)

    def _refilter(self, text: str) -> None:
        self.list.clear()
        for entry in self.entries(text):
            item = QListWidgetItem(entry.icon, entry.label)
            item.setData(KEY_ROLE, entry.key)
            if entry.tooltip:
                item.setToolTip(entry.tooltip)
            self.list.addItem(item)
        rows = max(1, min(self.list.count(), MAX_ROWS))
        row_height = self.list.sizeHintForRow(0) if self.list.count() else 20
        self.list.setFixedHeight(rows * (row_height + 2) + 2 * self.list.frameWidth() + 4)
        self.adjustSize()
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.description.setText(self.no_match_text())

    def _current_changed(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.description.setText(self.describe(item.data(KEY_ROLE)))

    def _activate(self, item: QListWidgetItem) -> None:
        self.choose(item.data(KEY_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = 1 if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) else -1
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.list.currentItem()
                if item is not None:
                    self.choose(item.data(KEY_ROLE))
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
        return super().eventFilter(watched, event)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        if not self._picked:
            self.dismissed.emit()
