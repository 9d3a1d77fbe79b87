"""Editors for one value of a data-model field (str, int, float, bool, enum, lists).

Used by the example-input form (and ready for the run input form): a field
spec from the core says the type; the editor turns text into that type and
reports ``committed(value)`` once per finished edit, or ``invalid(reason)``.
``MISSING`` stands for "no value" (the key is left out).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from core.model.data_models import FieldSpec
from core.model.graph import MISSING
from editor.inspector.param_editors import CommitOnFocusOutText

_CONVERT = {"str": str, "int": int, "float": float}


class ValueEditor(QWidget):
    committed = Signal(object)
    invalid = Signal(str)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._value: Any = MISSING
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.widget = self._build()
        layout.addWidget(self.widget)

    def _build(self) -> QWidget:
        spec = self.spec
        if spec.is_list:
            edit = CommitOnFocusOutText(self)
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText("one item per line")
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
            edit.editingFinished.connect(self.commit_pending)
            return edit
        if spec.type == "bool":
            check = QCheckBox("true", self)
            check.clicked.connect(lambda checked: self._emit(bool(checked)))
            return check
        if spec.type == "enum":
            combo = QComboBox(self)
            combo.addItem("(no value)", MISSING)
            for choice in spec.choices:
                combo.addItem(choice, choice)
            combo.activated.connect(lambda i: self._emit(combo.itemData(i)))
            return combo
        edit = QLineEdit(self)
        if spec.description:
            edit.setPlaceholderText(spec.description)
        edit.editingFinished.connect(self.commit_pending)
        return edit

    def is_editing(self) -> bool:
        """Whether the field holds typing that is not committed yet."""
        widget = self.widget
        if isinstance(widget, CommitOnFocusOutText):
            return widget.document().isModified()
        return isinstance(widget, QLineEdit) and widget.isModified()

    def set_value(self, value: Any) -> None:
        self._value = value
        widget = self.widget
        if self.is_editing():
            return
        if isinstance(widget, CommitOnFocusOutText):
            items = value if isinstance(value, list) else []
            widget.setPlainText("\n".join(_shown(v) for v in items))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(value is True)
        elif isinstance(widget, QComboBox):
            index = widget.findData(value) if value is not MISSING else 0
            widget.setCurrentIndex(max(0, index))
        else:
            widget.setText("" if value is MISSING or value is None else _shown(value))

    def commit_pending(self) -> None:
        widget = self.widget
        if isinstance(widget, CommitOnFocusOutText):
            widget.document().setModified(False)
            lines = [line.strip() for line in widget.toPlainText().splitlines() if line.strip()]
            try:
                value = [self._convert(line) for line in lines] if lines else MISSING
            except ValueError as exc:
                self.invalid.emit(str(exc))
                return
            self._emit(value)
        elif isinstance(widget, QLineEdit):
            widget.setModified(False)
            text = widget.text()
            if not text.strip() and self.spec.type != "str":
                self._emit(MISSING)
                return
            try:
                value = self._convert(text) if text else MISSING
            except ValueError as exc:
                self.invalid.emit(str(exc))
                return
            self._emit(value)

    def _convert(self, text: str) -> Any:
        kind = self.spec.type
        if kind == "str":
            return text
        if kind == "bool":
            lowered = text.strip().lower()
            if lowered in ("true", "yes", "1"):
                return True
            if lowered in ("false", "no", "0"):
                return False
            raise ValueError(f"{self.spec.name}: {text!r} is not true or false")
        if kind == "model":
            # A nested data model's value: one JSON object (one a line in a list).
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                value = None
            if not isinstance(value, dict):
                raise ValueError(
                    f"{self.spec.name}: write the {self.spec.data_model} as a JSON object "
                    f'with its fields, like {{"name": "value"}}'
                )
            return value
        if kind == "enum":
            if text.strip() not in self.spec.choices:
                raise ValueError(
                    f"{self.spec.name}: {text!r} is not one of {', '.join(self.spec.choices)}"
                )
            return text.strip()
        try:
            return _CONVERT[kind](
                text.strip().replace(",", ".") if kind == "float" else text.strip()
            )
        except ValueError:
            raise ValueError(
                f"{self.spec.name}: {text.strip()!r} is not {'an integer' if kind == 'int' else 'a number'}"
            ) from None

    def _emit(self, value: Any) -> None:
        if value is MISSING and self._value is MISSING:
            return
        if value is not MISSING and self._value is not MISSING and value == self._value:
            return
        self.committed.emit(value)


def _shown(value: Any) -> str:
    """A value as its field shows it: nested data models as JSON."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
