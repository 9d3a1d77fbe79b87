"""The Data models panel: create, rename, delete data models and edit their fields.

Every edit is one core command pushed through the document: ``SetDataModel``
for a new model or any field edit, ``RenameDataModel`` (node references follow
in the same step), ``RemoveDataModel``. Names are checked by the core
(``data_model_name_problem``) and refusals show the core's reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.commands import (
    Command,
    RemoveDataModel,
    RenameDataModel,
    SetDataModel,
    data_model_name_problem,
)
from core.model.data_models import DataModelSpec
from core.model.names import unique_name
from core.registry import UnknownNodeType
from editor.data_model_fields import FieldsTable
from editor.document import GraphDocument


class DataModelsPanel(QWidget):
    statusMessage = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: GraphDocument | None = None

        self.list = QListWidget(self)
        self.list.setEditTriggers(
            QListWidget.EditTrigger.EditKeyPressed | QListWidget.EditTrigger.DoubleClicked
        )
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.list.itemChanged.connect(self._list_item_renamed)
        self.new_button = QPushButton("New…", self)
        self.rename_button = QPushButton("Rename…", self)
        self.delete_button = QPushButton("Delete", self)
        self.new_button.clicked.connect(self._new_clicked)
        self.rename_button.clicked.connect(self._rename_clicked)
        self.delete_button.clicked.connect(self._delete_clicked)
        list_buttons = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.delete_button):
            list_buttons.addWidget(button)
        list_buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list)
        left_layout.addLayout(list_buttons)
        left.setMaximumWidth(200)  # names are short; the fields table needs the room

        self.description_edit = QLineEdit(self)
        self.description_edit.setPlaceholderText("What this data model holds (its docstring)")
        self.description_edit.editingFinished.connect(self._commit_description)
        # Enter after the description goes on to the first field.
        self.description_edit.returnPressed.connect(self._description_entered)
        self.fields = FieldsTable(self)
        self.fields.specEdited.connect(lambda spec: self._push(SetDataModel(spec)))
        self.fields.refused.connect(self._refused)
        self.fields.nextFieldWanted.connect(self.fields.start_new_field)
        self.add_field_button = QPushButton("Add field", self)
        self.remove_field_button = QPushButton("Remove field", self)
        self.up_button = QPushButton("Move up", self)
        self.down_button = QPushButton("Move down", self)
        self.add_field_button.clicked.connect(self.add_field)
        self.remove_field_button.clicked.connect(self.remove_field)
        self.up_button.clicked.connect(lambda: self.move_field(-1))
        self.down_button.clicked.connect(lambda: self.move_field(1))
        self.fields.currentCellChanged.connect(lambda *_: self._update_buttons())
        field_buttons = QHBoxLayout()
        for button in (
            self.add_field_button,
            self.remove_field_button,
            self.up_button,
            self.down_button,
        ):
            field_buttons.addWidget(button)
        field_buttons.addStretch(1)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #d0463b;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.description_edit)
        right_layout.addWidget(self.fields, 1)
        right_layout.addLayout(field_buttons)
        right_layout.addWidget(self.error_label)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)  # extra room goes to the fields table
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([170, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        self._refresh()

    # ------------------------------------------------------------ document
    def set_document(self, document: GraphDocument | None) -> None:
        if self.document is not None:
            self.document.dataModelsChanged.disconnect(self._refresh)
        self.document = document
        if document is not None:
            document.dataModelsChanged.connect(self._refresh)
        self._refresh()

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def current_spec(self) -> DataModelSpec | None:
        name = self.current_name()
        return self.document.graph.data_models.get(name) if self.document and name else None

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(row)
                return

    def _refresh(self) -> None:
        current = self.current_name()
        models = list(self.document.graph.data_models) if self.document else []
        self.list.blockSignals(True)
        self.list.clear()
        for name in models:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if current in models:
            self.select(current)
        elif models:
            self.list.setCurrentRow(0)
        self._show_current()

    def _show_current(self) -> None:
        spec = self.current_spec()
        if not self.description_edit.hasFocus():
            self.description_edit.setText(spec.description if spec else "")
        self.description_edit.setEnabled(spec is not None)
        models = list(self.document.graph.data_models) if self.document else []
        self.fields.show_spec(spec, models)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_doc = self.document is not None
        spec = self.current_spec()
        row = self.fields.currentRow()
        count = len(spec.fields) if spec else 0
        self.new_button.setEnabled(has_doc)
        for button in (self.rename_button, self.delete_button, self.add_field_button):
            button.setEnabled(spec is not None)
        self.remove_field_button.setEnabled(0 <= row < count)
        self.up_button.setEnabled(0 < row < count)
        self.down_button.setEnabled(0 <= row < count - 1)

    # ------------------------------------------------------------- commands
    def _push(self, command: Command) -> bool:
        assert self.document is not None
        try:
            self.document.push(command)
        except Exception as exc:  # refused by the core: nothing changed
            self._refused(str(exc))
            self._show_current()
            return False
        self.error_label.hide()
        return True

    def _refused(self, reason: str) -> None:
        self.error_label.setText(f"Not changed: {reason}")
        self.error_label.show()

    def create(self, name: str) -> bool:
        """Create an empty data model (one undo step); False with the reason shown."""
        if self.document is None:
            return False
        problem = data_model_name_problem(self.document.graph, name)
        if problem:
            self._refused(problem)
            return False
        if self._push(SetDataModel(DataModelSpec(name=name))):
            self.select(name)
            self.description_edit.setFocus()
            return True
        return False

    def rename(self, old: str, new: str) -> bool:
        """Rename a data model and every node reference to it (one undo step)."""
        assert self.document is not None
        if new == old:
            return True
        problem = data_model_name_problem(self.document.graph, new, current=old)
        if problem:
            self._refused(problem)
            self._refresh()
            return False
        if self._push(RenameDataModel(self.document.registry, old, new)):
            self.select(new)
            return True
        return False

    def users_of(self, name: str) -> list[str]:
        """Names of the nodes whose parameters refer to data model ``name``."""
        assert self.document is not None
        users = []
        for node in self.document.graph.nodes.values():
            try:
                node_type = self.document.registry.get(node.type)
                refs = node_type.data_model_refs(node_type.parse_params(node))
            except (UnknownNodeType, ValueError):
                continue
            if name in refs:
                users.append(node.name)
        return users

    def delete(self, name: str) -> bool:
        users = self.users_of(name)
        if users:
            answer = QMessageBox.warning(
                self,
                "Delete data model",
                f"{name} is used by {', '.join(users)}.\n\nDelete it anyway? Those nodes will "
                "show a problem until you choose another data model (Undo brings it back).",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self._push(RemoveDataModel(name))

    def add_field(self) -> None:
        """Start a new field at the end with its name being edited; it joins the
        data model (one undo step) once named, and Escape leaves none behind."""
        spec = self.current_spec()
        if spec is not None:
            self.fields.start_new_field(len(spec.fields))

    def _description_entered(self) -> None:
        spec = self.current_spec()
        if spec is not None and not spec.fields:
            self._commit_description()
            self.add_field()

    def remove_field(self) -> None:
        if self.fields.pending is not None:
            self.fields.drop_pending()
            return
        spec, row = self.current_spec(), self.fields.currentRow()
        if spec is None or not (0 <= row < len(spec.fields)):
            return
        fields = [f for i, f in enumerate(spec.fields) if i != row]
        self._push(SetDataModel(spec.model_copy(update={"fields": tuple(fields)})))

    def move_field(self, delta: int) -> None:
        spec, row = self.current_spec(), self.fields.currentRow()
        target = row + delta
        if spec is None or not (0 <= row < len(spec.fields) and 0 <= target < len(spec.fields)):
            return
        fields = list(spec.fields)
        fields[row], fields[target] = fields[target], fields[row]
        if self._push(SetDataModel(spec.model_copy(update={"fields": tuple(fields)}))):
            self.fields.setCurrentCell(target, max(self.fields.currentColumn(), 0))
            self._update_buttons()

    def _commit_description(self) -> None:
        spec = self.current_spec()
        text = self.description_edit.text()
        if spec is not None and text != spec.description:
            self._push(SetDataModel(spec.model_copy(update={"description": text})))

    # -------------------------------------------------------------- dialogs
    def _new_clicked(self) -> None:
        if self.document is None:
            return
        suggestion = unique_name("DataModel", self.document.graph.data_models)
        name, ok = QInputDialog.getText(
            self, "New data model", "Name (a Python class name):", text=suggestion
        )
        if ok:
            self.create(name.strip())

    def _rename_clicked(self) -> None:
        old = self.current_name()
        if old is None:
            return
        new, ok = QInputDialog.getText(self, "Rename data model", f"New name for {old}:", text=old)
        if ok:
            self.rename(old, new.strip())

    def _list_item_renamed(self, item: QListWidgetItem) -> None:
        old = item.data(Qt.ItemDataRole.UserRole)
        new = item.text().strip()
        if old and new != old:
            self.rename(old, new)

    def _delete_clicked(self) -> None:
        name = self.current_name()
        if name is not None:
            self.delete(name)
