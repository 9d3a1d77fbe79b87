"""The node palette: every registered node type, grouped by category, searchable.

Drag an entry onto the canvas (MIME ``application/x-synalinks-node-type``,
the type name as UTF-8), or double-click it / press Enter to add it at the
centre of the view. The list comes from the registry, so a new node type
appears here without touching this file.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.model.subgraphs import SUBGRAPH_TYPE
from core.registry import NodeType, Registry

NODE_TYPE_MIME = "application/x-synalinks-node-type"
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2


def colour_chip(colour: str, size: int = 14) -> QIcon:
    """A small rounded square in the node kind's colour (the card header colour)."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class _PaletteTree(QTreeWidget):
    """A tree whose node-type rows drag out as our MIME type (Enter adds, too)."""

    enterPressed = Signal(QTreeWidgetItem)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.enterPressed.emit(self.currentItem())
            return
        super().keyPressEvent(event)

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt override)
        return [NODE_TYPE_MIME]

    def mimeData(self, items) -> QMimeData:  # noqa: N802 (Qt override)
        data = QMimeData()
        names = [item.data(0, TYPE_ROLE) for item in items if item.data(0, TYPE_ROLE)]
        if names:
            data.setData(NODE_TYPE_MIME, names[0].encode("utf-8"))
        return data


class NodePalette(QWidget):
    addRequested = Signal(str)  # node type name, to add at the view centre

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Search nodes…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.set_filter)
        self.filter_edit.returnPressed.connect(self._add_first_match)
        self.tree = _PaletteTree(self)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(8)
        self.tree.setIconSize(QSize(14, 14))
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemDoubleClicked.connect(self._activated)
        self.tree.enterPressed.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree)
        self._populate()

    def _populate(self) -> None:
        for category, types in self.registry.categories().items():
            group = QTreeWidgetItem([category])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            for node_type in types:
                if node_type.type_name == SUBGRAPH_TYPE:
                    continue  # listed as "New subgraph" and the graph's own (set_subgraphs)
                group.addChild(self._item_for(node_type))
            group.setExpanded(True)
        self._subgraphs = QTreeWidgetItem(["Subgraphs"])
        self._subgraphs.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = self._subgraphs.font(0)
        font.setBold(True)
        self._subgraphs.setFont(0, font)
        # Right after the category the plain Subgraph type belongs to.
        after = next(
            (
                g + 1
                for g in range(self.tree.topLevelItemCount())
                if SUBGRAPH_TYPE in self.registry
                and self.tree.topLevelItem(g).text(0) == self.registry.get(SUBGRAPH_TYPE).category
            ),
            self.tree.topLevelItemCount(),
        )
        self.tree.insertTopLevelItem(after, self._subgraphs)
        self._subgraphs.setExpanded(True)
        self.set_subgraphs([])

    def set_subgraphs(self, entries: list[tuple[str, str, str]]) -> None:
        """List "New subgraph" and the open graph's definitions: ``(key, title,
        description)`` as :func:`editor.subgraphs.placing.subgraph_choices` gives."""
        if SUBGRAPH_TYPE not in self.registry:
            return
        if not entries:
            from editor.subgraphs.placing import subgraph_choices

            entries = subgraph_choices(None)
        colour = self.registry.get(SUBGRAPH_TYPE).color
        self._subgraphs.takeChildren()
        for key, title, about in entries:
            item = QTreeWidgetItem([title])
            item.setIcon(0, colour_chip(colour))
            item.setToolTip(0, f"<b>{title}</b><br>{about}")
            item.setData(0, TYPE_ROLE, key)
            item.setData(0, SEARCH_ROLE, f"{title} subgraph program {about}".lower())
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
            self._subgraphs.addChild(item)
        self.set_filter(self.filter_edit.text())

    def _item_for(self, node_type: NodeType) -> QTreeWidgetItem:
        item = QTreeWidgetItem([node_type.title])
        item.setIcon(0, colour_chip(node_type.color))
        item.setToolTip(0, f"<b>{node_type.title}</b><br>{node_type.description}")
        item.setData(0, TYPE_ROLE, node_type.type_name)
        haystack = (node_type.title, node_type.type_name, node_type.category, node_type.description)
        item.setData(0, SEARCH_ROLE, " ".join(haystack).lower())
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        return item

    # --------------------------------------------------------------- filtering
    def set_filter(self, text: str) -> None:
        """Show the node types whose title, name, category or description match."""
        if self.filter_edit.text() != text:
            self.filter_edit.setText(text)  # re-enters through textChanged
            return
        words = text.lower().split()
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            any_shown = False
            for c in range(group.childCount()):
                item = group.child(c)
                haystack = item.data(0, SEARCH_ROLE) or ""
                shown = all(w in haystack for w in words)
                item.setHidden(not shown)
                any_shown = any_shown or shown
            group.setHidden(not any_shown)

    def visible_type_names(self) -> list[str]:
        names: list[str] = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            if group.isHidden():
                continue
            for c in range(group.childCount()):
                item = group.child(c)
                if not item.isHidden():
                    names.append(item.data(0, TYPE_ROLE))
        return names

    def item_for_type(self, type_name: str) -> QTreeWidgetItem | None:
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for c in range(group.childCount()):
                if group.child(c).data(0, TYPE_ROLE) == type_name:
                    return group.child(c)
        return None

    def _add_first_match(self) -> None:
        names = self.visible_type_names()
        if names:
            self.addRequested.emit(names[0])

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.addRequested.emit(type_name)
