"""Quick-add: a small searchable list of node types that pops up at the cursor.

Opened by Tab, by a double-click on empty canvas, and by dropping a wire on
empty canvas (then only the types that can take that wire are listed, so
whatever is picked arrives connected). It lists what the registry holds, in
palette order; typing filters by title, type name, category and description.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.registry import Registry
from core.registry.node_type import NodeType

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1


def _dot_icon(color: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(1, 1, 12, 12, 4, 4)
    painter.end()
    return QIcon(pixmap)


def rank(node_type: NodeType, query: str) -> int | None:
    """How well ``node_type`` matches ``query`` (lower is better; None: no match)."""
    q = query.strip().lower()
    if not q:
        return 0
    title, name = node_type.title.lower(), node_type.type_name.lower()
    if title.startswith(q) or name.startswith(q):
        return 0
    if q in title or q in name:
        return 1
    if q in node_type.category.lower():
        return 2
    if q in node_type.description.lower():
        return 3
    letters = iter(title)
    if all(c in letters for c in q.replace(" ", "")):  # subsequence: "cot" -> Chain of Thought
        return 4
    return None


class QuickAddPopup(QFrame):
    """Pick a node type. Emits ``chosen(type_name)`` or ``dismissed()``."""

    chosen = Signal(str)
    dismissed = Signal()

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("quickAdd")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.registry = registry
        self._allowed: dict[str, str] | None = None
        self._picked = False
        self.heading = QLabel(self)
        self.heading.setObjectName("quickAddHeading")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search node types…")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setIconSize(QSize(14, 14))
        self.list.setUniformItemSizes(True)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.description.setObjectName("quickAddDescription")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.description)
        self.list.setSpacing(1)
        self.setFixedWidth(300)
        self.search.textChanged.connect(self._refilter)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(self._activate)
        self.list.itemClicked.connect(self._activate)
        self.list.currentItemChanged.connect(self._describe)
        self._icons = {t.type_name: _dot_icon(t.color) for t in registry}

    # ------------------------------------------------------------------ use
    def open_at(
        self, global_pos: QPoint, allowed: dict[str, str] | None = None, heading: str = ""
    ) -> None:
        """Show at ``global_pos``; ``allowed`` limits the list to those types."""
        self._allowed = allowed
        self._picked = False
        self._mute_labels()
        self.heading.setText(heading or "Add a node")
        self.search.clear()
        self._refilter("")
        self.move(self._on_screen(global_pos))
        self.show()
        self.raise_()
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)

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

    def visible_types(self) -> list[str]:
        return [self.list.item(i).data(TYPE_ROLE) for i in range(self.list.count())]

    def choose(self, type_name: str) -> None:
        self._picked = True
        self.hide()
        self.chosen.emit(type_name)

    # -------------------------------------------------------------- internals
    def _refilter(self, text: str) -> None:
        self.list.clear()
        ranked = []
        for order, node_type in enumerate(self.registry):
            if self._allowed is not None and node_type.type_name not in self._allowed:
                continue
            score = rank(node_type, text)
            if score is not None:
                ranked.append((score, order, node_type))
        for _score, _order, node_type in sorted(ranked, key=lambda r: (r[0], r[1])):
            item = QListWidgetItem(self._icons[node_type.type_name], f"{node_type.title}")
            item.setData(TYPE_ROLE, node_type.type_name)
            item.setToolTip(node_type.description)
            self.list.addItem(item)
        rows = max(1, min(self.list.count(), 12))
        row_height = self.list.sizeHintForRow(0) if self.list.count() else 20
        self.list.setFixedHeight(rows * (row_height + 2) + 2 * self.list.frameWidth() + 4)
        self.adjustSize()
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.description.setText(
                "No node type can take this connection."
                if self._allowed is not None and not self._allowed
                else "No node type matches."
            )

    def _describe(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            node_type = self.registry.get(item.data(TYPE_ROLE))
            self.description.setText(f"{node_type.category} · {node_type.description}")

    def _activate(self, item: QListWidgetItem) -> None:
        self.choose(item.data(TYPE_ROLE))

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
                    self.choose(item.data(TYPE_ROLE))
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
        return super().eventFilter(watched, event)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        if not self._picked:
            self.dismissed.emit()
