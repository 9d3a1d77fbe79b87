"""The fields table of one data model: name, type, list, choices, description, required.

Each finished cell edit builds the new ``DataModelSpec`` and hands it to the
data-models panel, which pushes one ``SetDataModel``. The spec's own
validation (pydantic, in the core) decides whether the edit is acceptable;
a refusal is reported and the table shows the model unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.model.data_models import FIELD_KINDS, DataModelSpec, FieldSpec

COLUMNS = ("Name", "Type", "List", "Choices", "Description", "Required")
NAME, TYPE, LIST, CHOICES, DESCRIPTION, REQUIRED = range(len(COLUMNS))


class _TypeDelegate(QStyledItemDelegate):
    """A combo box of the core's field kinds for the Type column."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        combo = QComboBox(parent)
        combo.addItems(list(FIELD_KINDS))
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:  # noqa: N802 (Qt override)
        editor.setCurrentText(str(index.data()))

    def setModelData(self, editor: QComboBox, model, index: QModelIndex) -> None:  # noqa: N802 (Qt override)
        model.setData(index, editor.currentText())


def parse_choices(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class FieldsTable(QTableWidget):
    specEdited = Signal(object)  # a new DataModelSpec, not yet validated by a push
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.spec: DataModelSpec | None = None
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setItemDelegateForColumn(TYPE, _TypeDelegate(self))
        header = self.horizontalHeader()
        for column in (NAME, TYPE, LIST, REQUIRED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CHOICES, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(CHOICES, 90)
        self.itemChanged.connect(self._item_changed)
        self._filling = False

    def show_spec(self, spec: DataModelSpec | None) -> None:
        row, column = self.currentRow(), self.currentColumn()
        self.spec = spec
        self._filling = True
        fields = spec.fields if spec else ()
        self.setRowCount(len(fields))
        for r, f in enumerate(fields):
            self._set(r, NAME, f.name)
            self._set(r, TYPE, f.type)
            self._set_check(r, LIST, f.is_list, "a list of values")
            choices = self._set(r, CHOICES, ", ".join(f.choices))
            if f.type != "enum":
                choices.setFlags(choices.flags() & ~Qt.ItemFlag.ItemIsEditable)
                choices.setToolTip("Only enum fields have choices")
            else:
                choices.setToolTip("The allowed values, separated by commas")
            self._set(r, DESCRIPTION, f.description)
            self._set_check(r, REQUIRED, f.required, "the model must always fill it")
        self._filling = False
        if 0 <= row < len(fields):
            self.setCurrentCell(row, max(column, 0))

    def _set(self, row: int, column: int, text: str) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        )
        item.setText(text)
        return item

    def _set_check(self, row: int, column: int, checked: bool, tip: str) -> None:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setToolTip(tip)

    def row_field(self, row: int) -> dict:
        """The row as FieldSpec keyword arguments (not validated)."""
        kind = self.item(row, TYPE).text()
        return {
            "name": self.item(row, NAME).text().strip(),
            "type": kind,
            "is_list": self.item(row, LIST).checkState() == Qt.CheckState.Checked,
            "choices": parse_choices(self.item(row, CHOICES).text()) if kind == "enum" else (),
            "description": self.item(row, DESCRIPTION).text(),
            "required": self.item(row, REQUIRED).checkState() == Qt.CheckState.Checked,
        }

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.spec is None:
            return
        row = item.row()
        values = self.row_field(row)
        if item.column() == TYPE and values["type"] == "enum" and not values["choices"]:
            choices = self.ask_choices(values["name"])
            if not choices:
                self.show_spec(self.spec)
                return
            values["choices"] = choices
        self.propose_field(row, values)

    def ask_choices(self, field_name: str) -> tuple[str, ...]:
        """Ask for an enum's choices (a dialog; tests replace it)."""
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(
            self, "Enum choices", f"Choices for {field_name}, separated by commas:"
        )
        return parse_choices(text) if ok else ()

    def propose_field(self, row: int, values: dict) -> None:
        """Build the spec with row ``row`` replaced; emit it, or the core's refusal."""
        assert self.spec is not None
        try:
            field = FieldSpec(**values)
            fields = list(self.spec.fields)
            fields[row] = field
            spec = self.spec.model_copy(update={"fields": tuple(fields)})
            spec = DataModelSpec.model_validate(spec.model_dump())
        except ValueError as exc:
            self.refused.emit(_reason(exc))
            self.show_spec(self.spec)
            return
        self.specEdited.emit(spec)


def _reason(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        message = str(first.get("msg", exc))
        return message.removeprefix("Value error, ")
    return str(exc)
