"""Graph settings → Tools: the user's async functions that agent and Action nodes call.

A tool is named by module, function and folder (relative to the graph file);
the editor never imports it (it is the user's code): Run → Validate with
Synalinks imports and checks it in the worker, and the Problems panel says
what is wrong. Adding and removing are ``SetMeta`` commands, so they undo.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.commands import SetMeta
from core.model.resources import ToolSpec
from editor.document import GraphDocument
from editor.inspector.form_rows import hint_label, section_heading


class ToolsSection(QWidget):
    def __init__(self, document: GraphDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(section_heading("Tools"))
        layout.addWidget(
            hint_label(
                "Async functions of your project that agents may call. Run → Validate with "
                "Synalinks imports and checks them (in the worker, never in the editor)."
            )
        )
        self.list = QListWidget(self)
        self.list.setObjectName("graphTools")
        self.list.setMaximumHeight(96)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.list)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        self.module_edit = QLineEdit(self)
        self.module_edit.setPlaceholderText("module, e.g. my_tools")
        self.function_edit = QLineEdit(self)
        self.function_edit.setPlaceholderText("async function")
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setPlaceholderText("folder (relative to the graph; empty: its own)")
        grid.addWidget(self.module_edit, 0, 0)
        grid.addWidget(self.function_edit, 0, 1)
        grid.addWidget(self.folder_edit, 1, 0, 1, 2)
        layout.addLayout(grid)
        buttons = QGridLayout()
        self.add_button = QPushButton("Add tool", self)
        self.add_button.clicked.connect(self.add_tool)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.remove_button, 0, 1)
        layout.addLayout(buttons)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d0463b;")
        self.error.hide()
        layout.addWidget(self.error)
        for edit in (self.module_edit, self.function_edit, self.folder_edit):
            edit.returnPressed.connect(self.add_tool)
        self._shown: tuple[ToolSpec, ...] | None = None
        self.refresh()

    def refresh(self) -> None:
        tools = self.document.graph.meta.tools
        if tools == self._shown:
            return  # analysis refreshes often: keep the selection
        self._shown = tools
        self.list.clear()
        for tool in tools:
            where = f" (in {tool.folder})" if tool.folder else ""
            item = QListWidgetItem(f"{tool.name}: {tool.module}.{tool.function}{where}")
            item.setData(Qt.ItemDataRole.UserRole, tool.name)
            item.setToolTip(
                f"from {tool.module} import {tool.function}, imported from "
                f"{tool.folder or 'the graph file'}'s folder"
            )
            self.list.addItem(item)
        self.list.setVisible(bool(tools))
        self.remove_button.setEnabled(False)

    def add_tool(self) -> None:
        module = self.module_edit.text().strip()
        function = self.function_edit.text().strip()
        folder = self.folder_edit.text().strip()
        if not module or not function:
            self._show_error("Give the module and the async function to add a tool.")
            return
        tools = self.document.graph.meta.tools
        if any(t.name == function for t in tools):
            self._show_error(f"A tool named {function!r} is already in this graph.")
            return
        try:
            tool = ToolSpec(name=function, module=module, function=function, folder=folder)
        except ValueError as exc:
            errors = getattr(exc, "errors", None)
            text = errors()[0]["msg"] if callable(errors) else str(exc)
            self._show_error(f"Not added: {text.removeprefix('Value error, ')}")
            return
        self.document.push(SetMeta({"tools": (*tools, tool)}, text=f"Add tool {tool.name}"))
        for edit in (self.module_edit, self.function_edit, self.folder_edit):
            edit.clear()
        self.error.hide()

    def remove_selected(self) -> None:
        names = {i.data(Qt.ItemDataRole.UserRole) for i in self.list.selectedItems()}
        tools = self.document.graph.meta.tools
        kept = tuple(t for t in tools if t.name not in names)
        if kept != tools:
            label = ", ".join(sorted(names))
            self.document.push(SetMeta({"tools": kept}, text=f"Remove tool {label}"))

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
