"""The fields table of one data model: name, type, description, default, required, choices.

Keyboard first: a new field is a pending row whose name is being edited (it
joins the data model only once named, so Escape leaves nothing behind); Tab
moves from the name to the type and the description; Enter commits and starts
the next field. The type cell reads and takes ``str``, ``list[int]``, ``enum``,
or another data model of the graph (``Source``, ``list[Source]``).

Each finished cell edit builds the new ``DataModelSpec`` and hands it to the
data-models panel, which pushes one ``SetDataModel``. The spec's own
validation (pydantic, in the core) decides whether the edit is acceptable;
a refusal is reported and the table shows the model unchanged.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.model.data_models import FIELD_KINDS, DataModelSpec, FieldSpec

COLUMNS = ("Name", "Type", "Description", "Default", "Required", "Choices")
NAME, TYPE, DESCRIPTION, DEFAULT, REQUIRED, CHOICES = range(len(COLUMNS))
TEXT_COLUMNS = (NAME, TYPE, DESCRIPTION, DEFAULT, CHOICES)


def type_text(field: FieldSpec) -> str:
    """What the Type cell shows: ``str``, ``list[int]``, ``enum``, ``list[Source]``."""
    base = field.data_model if field.type == "model" else field.type
    return f"list[{base}]" if field.is_list else base


def parse_type(text: str, models: list[str]) -> dict | None:
    """``type``, ``is_list`` and ``data_model`` for a Type cell's text (None: unknown)."""
    text = text.strip().replace(" ", "")
    is_list = text.startswith("list[") and text.endswith("]")
    base = text[5:-1] if is_list else text
    if base in FIELD_KINDS:
        return {"type": base, "is_list": is_list, "data_model": ""}
    if base in models:
        return {"type": "model", "is_list": is_list, "data_model": base}
    return None


def type_options(models: list[str]) -> list[str]:
    """Every type the Type cell offers: the built-in kinds, the data models, lists of each."""
    bases = [*FIELD_KINDS, *models]
    return bases + [f"list[{b}]" for b in bases]


def default_text(field: FieldSpec) -> str:
    if field.default is None:
        return ""
    if field.is_list or not isinstance(field.default, str):
        return json.dumps(field.default_value())
    return field.default


def parse_default(text: str, values: dict) -> object:
    """The default a Default cell's text means for a field of ``values``' type
    (None: no default). A string is taken as typed; anything else is JSON."""
    if not text.strip():
        return None
    if values["is_list"]:
        parsed = json.loads(text)
        if not isinstance(parsed, list):
            raise ValueError(
                f"the default of a list field is a JSON list like [] or [1, 2]; got {text!r}"
            )
        return tuple(parsed)
    if values["type"] in ("str", "enum"):
        return text
    if values["type"] == "bool" and text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    return json.loads(text)


class _TypeDelegate(QStyledItemDelegate):
    """An editable combo of the types the table offers (type to pick, or choose)."""

    def __init__(self, table: FieldsTable) -> None:
        super().__init__(table)
        self.table = table

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(type_options(self.table.model_names()))
        combo.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:  # noqa: N802 (Qt override)
        editor.setCurrentText(str(index.data()))
        editor.lineEdit().selectAll()

    def setModelData(self, editor: QComboBox, model, index: QModelIndex) -> None:  # noqa: N802 (Qt override)
        model.setData(index, editor.currentText().strip())


def parse_choices(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class FieldsTable(QTableWidget):
    specEdited = Signal(object)  # a new DataModelSpec, not yet validated by a push
    refused = Signal(str)
    nextFieldWanted = Signal(int)  # Enter on a cell: start a new field at this row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.spec: DataModelSpec | None = None
        self.models: list[str] = []  # the graph's data models (nested field types)
        self.pending: int | None = None  # the row of a new field not named yet
        self._refused_now = False
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
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DEFAULT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REQUIRED, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CHOICES, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(NAME, 110)
        self.setColumnWidth(DEFAULT, 70)
        self.setColumnWidth(CHOICES, 70)
        self._fit_type_column()
        self.itemChanged.connect(self._item_changed)
        self._filling = False

    def model_names(self) -> list[str]:
        """Data models a field of this one may hold (never itself: that is a loop)."""
        own = self.spec.name if self.spec else None
        return [m for m in self.models if m != own]

    def _fit_type_column(self) -> None:
        """Wide enough for the longest type offered plus the combo's arrow, so the
        cell never shows a clipped ``st▾``."""
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(t) for t in type_options(self.model_names()))
        self.setColumnWidth(TYPE, max(100, min(widest + 40, 240)))

    def show_spec(self, spec: DataModelSpec | None, models: list[str] | None = None) -> None:
        row, column = self.currentRow(), self.currentColumn()
        if models is not None:
            self.models = list(models)
        if spec is None or self.spec is None or spec.name != self.spec.name:
            self.pending = None
        self.spec = spec
        self._fit_type_column()
        self._filling = True
        fields = list(spec.fields) if spec else []
        rows = len(fields) + (1 if self.pending is not None else 0)
        self.setRowCount(rows)
        r = 0
        for f in fields:
            if r == self.pending:
                self._fill_pending(r)
                r += 1
            self._fill(r, f)
            r += 1
        if self.pending is not None and self.pending >= len(fields):
            self.pending = len(fields)
            self._fill_pending(self.pending)
        self._filling = False
        if 0 <= row < rows:
            self.setCurrentCell(row, max(column, 0))

    def _fill(self, r: int, f: FieldSpec) -> None:
        self._set(r, NAME, f.name)
        self._set(r, TYPE, type_text(f)).setToolTip(
            "A type, another data model, or list[...] of one; type to pick"
        )
        self._set(r, DESCRIPTION, f.description)
        self._set(r, DEFAULT, default_text(f)).setToolTip(
            "The value when the model leaves it out (empty: none); lists as JSON, like []"
        )
        self._set_check(r, REQUIRED, f.required, "Unchecked: the field may be None")
        choices = self._set(r, CHOICES, ", ".join(f.choices))
        if f.type != "enum":
            choices.setFlags(choices.flags() & ~Qt.ItemFlag.ItemIsEditable)
            choices.setToolTip("Only enum fields have choices")
        else:
            choices.setToolTip("The allowed values, separated by commas")

    def _fill_pending(self, r: int) -> None:
        self._set(r, NAME, "").setToolTip("Name the new field (Escape: no new field)")
        for column in (TYPE, DESCRIPTION, DEFAULT, CHOICES):
            item = self._set(r, column, "str" if column == TYPE else "")
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self._set_check(r, REQUIRED, True, "")

    # ------------------------------------------------------------ new fields
    def start_new_field(self, row: int) -> None:
        """Open a pending field at ``row`` with its name being edited."""
        if self.spec is None:
            return
        self.pending = max(0, min(row, len(self.spec.fields)))
        self.show_spec(self.spec)
        self.setFocus()
        self.setCurrentCell(self.pending, NAME)
        self.scrollToItem(self.item(self.pending, NAME))
        self.editItem(self.item(self.pending, NAME))

    def drop_pending(self) -> None:
        if self.pending is not None:
            self.pending = None
            self.show_spec(self.spec)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 (Qt override)
        row, column = self.currentRow(), self.currentColumn()
        refused, self._refused_now = self._refused_now, False
        if self.pending is not None and hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.drop_pending()
            return
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache and column in TEXT_COLUMNS:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            if self.pending is None and not refused:
                self.nextFieldWanted.emit(row + 1)
            return
        super().closeEditor(editor, hint)
        if self.pending is not None and self.state() != QAbstractItemView.State.EditingState:
            self.drop_pending()  # left without a name

    # ------------------------------------------------------------- editing
    def _set(self, row: int, column: int, text: str) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        )
        item.setText(text)
        item.setToolTip("")
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
        item.setText("")
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setToolTip(tip)

    def field_index(self, row: int) -> int:
        """The index in the data model of the field shown on ``row``."""
        return row - 1 if self.pending is not None and row > self.pending else row

    def row_field(self, row: int) -> dict:
        """The row as FieldSpec keyword arguments (not validated); ValueError when
        the type or default cannot be read."""
        text = self.item(row, TYPE).text()
        kind = parse_type(text, self.model_names())
        if kind is None:
            offered = ", ".join(type_options(self.model_names())[: len(FIELD_KINDS) + 4])
            raise ValueError(f"{text!r} is not a type; use one of {offered}… or list[...]")
        values = {
            "name": self.item(row, NAME).text().strip(),
            **kind,
            "choices": parse_choices(self.item(row, CHOICES).text())
            if kind["type"] == "enum"
            else (),
            "description": self.item(row, DESCRIPTION).text(),
            "required": self.item(row, REQUIRED).checkState() == Qt.CheckState.Checked,
        }
        try:
            values["default"] = parse_default(self.item(row, DEFAULT).text(), values)
        except json.JSONDecodeError:
            shown = f"list[{values['type']}]" if values["is_list"] else values["type"]
            raise ValueError(
                f"the default {self.item(row, DEFAULT).text()!r} is not a {shown} value; "
                "write lists as JSON, like [] or [1, 2]"
            ) from None
        return values

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.spec is None:
            return
        row = item.row()
        if row == self.pending:
            self._name_pending(item)
            return
        try:
            values = self.row_field(row)
        except ValueError as exc:
            self._refuse(str(exc))
            return
        if item.column() == TYPE and values["type"] != "enum":
            values["choices"] = ()
        if item.column() == TYPE and values["type"] == "enum" and not values["choices"]:
            choices = self.ask_choices(values["name"])
            if not choices:
                self.show_spec(self.spec)
                return
            values["choices"] = choices
        if item.column() == TYPE:
            values["default"] = self._default_kept(values)
        self.propose_field(self.field_index(row), values)

    def _default_kept(self, values: dict) -> object:
        """A type change keeps the default only when it still fits."""
        try:
            return FieldSpec(**values).default
        except ValueError:
            return None

    def _name_pending(self, item: QTableWidgetItem) -> None:
        if item.column() != NAME:
            return
        name = item.text().strip()
        index = self.pending
        assert index is not None and self.spec is not None
        if not name:
            return  # closeEditor drops the row
        try:
            field = FieldSpec(name=name)
            fields = list(self.spec.fields)
            fields.insert(index, field)
            spec = DataModelSpec.model_validate(
                self.spec.model_copy(update={"fields": tuple(fields)}).model_dump()
            )
        except ValueError as exc:
            self._refuse(_reason(exc), keep_pending=True)
            return
        self.pending = None
        self.specEdited.emit(spec)

    def _refuse(self, reason: str, keep_pending: bool = False) -> None:
        self._refused_now = True
        self.refused.emit(reason)
        if not keep_pending:
            self.pending = None
        self.show_spec(self.spec)

    def ask_choices(self, field_name: str) -> tuple[str, ...]:
        """Ask for an enum's choices (a dialog; tests replace it)."""
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(
            self, "Enum choices", f"Choices for {field_name}, separated by commas:"
        )
        return parse_choices(text) if ok else ()

    def propose_field(self, index: int, values: dict) -> None:
        """Build the spec with field ``index`` replaced; emit it, or the core's refusal."""
        assert self.spec is not None
        try:
            field = FieldSpec(**values)
            fields = list(self.spec.fields)
            fields[index] = field
            spec = self.spec.model_copy(update={"fields": tuple(fields)})
            spec = DataModelSpec.model_validate(spec.model_dump())
        except ValueError as exc:
            self._refuse(_reason(exc))
            return
        self.specEdited.emit(spec)


def _reason(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        message = str(first.get("msg", exc))
        return message.removeprefix("Value error, ")
    return str(exc)
