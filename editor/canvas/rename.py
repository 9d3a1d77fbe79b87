"""Rename a node in place: a line edit laid over the card's title.

Opened by F2 or the card's context menu. Enter or Tab commits, Escape
cancels, clicking elsewhere commits when the name is acceptable and
otherwise leaves the name as it was. Switching to another window (or a
popup opening) leaves the field open, as a text editor would. Whether a name is acceptable is the
core's decision (:func:`core.commands.node_name_problem`); while it is not,
the reason stays under the field and nothing is pushed, so a refused rename
never becomes an undo step.

The editor lives on the view's viewport (not in the scene) so it keeps a
readable size at any zoom; it follows the card when the view scrolls or zooms.
It takes the canvas-wide shortcuts while it has focus (Backspace, Delete,
Ctrl+A..., Tab), so typing never deletes or pastes nodes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit

from core.commands import RenameNode, node_name_problem
from editor.canvas.paint_kit import CARD_WIDTH, HEADER_HEIGHT

if TYPE_CHECKING:
    from editor.canvas.view import CanvasView

MIN_WIDTH = 180
REASON_MAX_WIDTH = 380
GAP = 4
KEEP_OPEN_ON = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)
OWN_KEYS = {Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape}


class InlineRename(QObject):
    """One rename in progress (``view.renaming`` while open). Emits ``closed``
    once, after committing or cancelling.

    It has no Qt parent: the view's ``renaming`` attribute is what keeps it,
    so it never outlives the view inside Qt holding the view from Python."""

    closed = Signal()

    def __init__(self, view: CanvasView, node_id: str) -> None:
        super().__init__()
        self.view = view
        self.node_id = node_id
        self.problem: str | None = None
        self._done = False
        viewport = view.viewport()
        self.edit = QLineEdit(viewport)
        self.edit.setObjectName("inlineRename")
        self.edit.setText(view.document.graph.node(node_id).name)
        self.edit.selectAll()
        self.reason = QLabel(viewport)
        self.reason.setObjectName("inlineRenameReason")
        self.reason.setWordWrap(True)
        self.reason.hide()
        self._style()
        self.edit.installEventFilter(self)
        self.edit.textEdited.connect(self._check)
        document = view.document
        document.nodeRemoved.connect(self._node_removed)
        document.nodeMoved.connect(self._follow)
        view.zoomChanged.connect(self._follow)
        view.horizontalScrollBar().valueChanged.connect(self._follow)
        view.verticalScrollBar().valueChanged.connect(self._follow)
        self._place()
        self.edit.show()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------- outcome
    def commit(self) -> bool:
        """Push the rename when the core accepts the name (or close when it is
        unchanged); otherwise show the reason and stay open. True when closed."""
        if self._done:
            return True
        graph = self.view.document.graph
        if self.node_id not in graph.nodes:
            self.cancel()
            return True
        name = self.edit.text().strip()
        if name == graph.nodes[self.node_id].name:
            self._close()
            return True
        problem = node_name_problem(graph, name, self.node_id)
        if problem:
            self._show_problem(problem)
            self.view.statusMessage.emit(f"Cannot rename: {problem}")
            return False
        self._close()
        if self.view.canvas_scene.push(RenameNode(self.node_id, name)):
            self.view.statusMessage.emit(f"Renamed to {name}")
        return True

    def cancel(self) -> None:
        self._close()

    @property
    def finished(self) -> bool:
        return self._done

    def _close(self) -> None:
        if self._done:
            return
        self._done = True
        document = self.view.document
        document.nodeRemoved.disconnect(self._node_removed)
        document.nodeMoved.disconnect(self._follow)
        self.view.zoomChanged.disconnect(self._follow)
        self.view.horizontalScrollBar().valueChanged.disconnect(self._follow)
        self.view.verticalScrollBar().valueChanged.disconnect(self._follow)
        had_focus = self.edit.hasFocus()
        for widget in (self.edit, self.reason):
            widget.hide()
            widget.deleteLater()
        if had_focus:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    def _focus_left(self) -> None:
        """Another widget took the focus: keep a good name, drop a bad one."""
        if not self.commit():
            self.view.statusMessage.emit(f"Name not changed: {self.problem}")
            self.cancel()

    def _node_removed(self, node_id: str) -> None:
        if node_id == self.node_id:
            self.cancel()

    # -------------------------------------------------------------- checks
    def _check(self, text: str) -> None:
        """Say at once when the typed name would be refused (the core decides)."""
        name = text.strip()
        graph = self.view.document.graph
        problem = (
            None
            if name == graph.nodes[self.node_id].name
            else node_name_problem(graph, name, self.node_id)
        )
        if problem:
            self._show_problem(problem)
        else:
            self.problem = None
            self.reason.hide()
            self._style()

    def _show_problem(self, problem: str) -> None:
        self.problem = problem
        self.reason.setText(problem)
        self._style()
        self._place()
        self.reason.show()
        self.reason.raise_()

    # ---------------------------------------------------------------- keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is not self.edit:
            return False
        kind = event.type()
        if kind == QEvent.Type.FocusOut and not self._done and isinstance(event, QFocusEvent):
            if event.reason() not in KEEP_OPEN_ON:
                self._focus_left()
            return False
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in OWN_KEYS:
                event.accept()  # ours, not the canvas's Tab (quick-add) or a run's Esc
            return False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self.commit()
                return True
            if key == Qt.Key.Key_Escape:
                self.cancel()
                self.view.statusMessage.emit("Rename cancelled")
                return True
        return False

    # -------------------------------------------------------------- layout
    def _follow(self, *_args) -> None:
        if not self._done:
            self._place()

    def _place(self) -> None:
        """Over the card's title, at the card's zoom (never smaller than a
        readable field); the reason, when there is one, just under it."""
        view = self.view
        node = view.document.graph.nodes.get(self.node_id)
        if node is None:
            return
        x, y = node.position
        zoom = view.zoom()
        top_left = view.mapFromScene(x, y)
        header = QRect(
            top_left.x(), top_left.y(), round(CARD_WIDTH * zoom), round(HEADER_HEIGHT * zoom)
        )
        font = QFont(view.canvas_scene.kit.fonts.title)
        font.setPixelSize(max(12, min(20, round(font.pixelSize() * zoom))))
        self.edit.setFont(font)
        height = max(self.edit.sizeHint().height(), header.height() - 4)
        width = max(MIN_WIDTH, header.width() - 8)
        self.edit.setGeometry(
            header.left() + 4, header.center().y() - height // 2 + 1, width, height
        )
        # One line when it fits (a wrapped sentence of three words looks broken).
        margins = self.reason.contentsMargins()
        padding = margins.left() + margins.right() + 18
        one_line = self.reason.fontMetrics().horizontalAdvance(self.reason.text()) + padding
        self.reason.setFixedWidth(min(max(one_line, width), REASON_MAX_WIDTH))
        self.reason.adjustSize()
        self.reason.move(self.edit.x(), self.edit.geometry().bottom() + GAP)

    def _style(self) -> None:
        theme = self.view.theme
        border = theme.error if self.problem else theme.selection
        self.edit.setStyleSheet(
            f"QLineEdit#inlineRename {{ background: {theme.base.name()};"
            f" color: {theme.text.name()}; border: 2px solid {border.name()};"
            f" border-radius: 5px; padding: 0px 5px;"
            f" selection-background-color: {theme.highlight.name()};"
            f" selection-color: {theme.highlighted_text.name()}; }}"
        )
        self.reason.setStyleSheet(
            f"QLabel#inlineRenameReason {{ background: {theme.error.name()};"
            f" color: {theme.badge_text.name()}; border-radius: 5px; padding: 4px 8px; }}"
        )
