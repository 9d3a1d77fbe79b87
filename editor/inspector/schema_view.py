"""A read-only list of the fields a port carries (name, type, required)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from core.schemas.flow import describe_schema


class SchemaView(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels(["Field", "Type"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(self.focusPolicy().NoFocus)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(True)

    def show_schemas(self, sections: list[tuple[str, dict | None]]) -> None:
        """One group per ``(title, schema)``; a title of "" puts fields at the top level."""
        self.clear()
        rows = 0
        for title, schema in sections:
            parent: QTreeWidget | QTreeWidgetItem = self
            if title:
                group = QTreeWidgetItem([title, ""])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.addTopLevelItem(group)
                parent = group
                rows += 1
            described = describe_schema(schema)
            if schema is None:
                item = QTreeWidgetItem(["(unknown until its inputs are connected)", ""])
                item.setDisabled(True)
                _add(parent, item)
                rows += 1
            for name, type_label, required in described:
                _add(
                    parent,
                    QTreeWidgetItem([name, type_label if required else f"{type_label} (optional)"]),
                )
                rows += 1
        self.setRootIsDecorated(False)
        self.expandAll()
        self.setFixedHeight(
            self.header().sizeHint().height() + max(rows, 1) * (self.fontMetrics().height() + 8) + 6
        )


def _add(parent, item: QTreeWidgetItem) -> None:
    if isinstance(parent, QTreeWidget):
        parent.addTopLevelItem(item)
    else:
        parent.addChild(item)
