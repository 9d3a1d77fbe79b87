"""One small editor widget per inspector widget kind (line, text, float, int, ...).

Each editor shows a value and emits ``committed(value)`` once per finished
edit (Enter, focus leaving the field, a click on a check box or a choice in a
list), never per key, so a typed sentence is one undo step. Editors hold no
rules: whether a value is acceptable is asked of the core by the form that
pushes the command.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from core.registry import ParamField
from editor.inspector.model_choices import COMMON_MODELS

NEW_DATA_MODEL = "\x00new"  # item data of the "New data model…" entry


class ParamEditor(QWidget):
    """Base class: ``set_value`` shows a value silently; ``committed`` reports an edit."""

    committed = Signal(object)
    invalid = Signal(str)  # the typed text cannot be read as a value (reason)

    def __init__(self, field: ParamField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._value: Any = None
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        """Show ``value`` unless the user has typed something not yet committed."""
        self._value = value
        if not self.is_editing():
            self._show(value)

    def is_editing(self) -> bool:
        """Whether the field holds typing that is not committed yet."""
        return False

    def commit_pending(self) -> None:
        """Commit what is typed but not yet committed (before the form goes away)."""

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _emit(self, value: Any) -> None:
        if value != self._value:
            self.committed.emit(value)


class LineEditor(ParamEditor):
    def __init__(self, field: ParamField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit(self)
        self._layout.addWidget(self.edit)
        self.edit.editingFinished.connect(self.commit_pending)

    def is_editing(self) -> bool:
        return self.edit.isModified()

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def commit_pending(self) -> None:
        self.edit.setModified(False)
        self._emit(self.edit.text())


class CommitOnFocusOutText(QPlainTextEdit):
    """Multi-line text that reports when editing ends (focus out, or Ctrl+Enter)."""

    editingFinished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.editingFinished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.editingFinished.emit()
            return
        super().keyPressEvent(event)


class TextEditor(ParamEditor):
    """Multi-line text; committed when focus leaves or on Ctrl+Enter."""

    def __init__(self, field: ParamField, parent: QWidget | None = None, lines: int = 4) -> None:
        super().__init__(field, parent)
        self.edit = CommitOnFocusOutText(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * lines + 14)
        self._layout.addWidget(self.edit)
        self.edit.editingFinished.connect(self.commit_pending)

    def is_editing(self) -> bool:
        return self.edit.document().isModified()

    def _show(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def commit_pending(self) -> None:
        self.edit.document().setModified(False)
        self._emit(self.edit.toPlainText())


class LabelsEditor(TextEditor):
    """A list of labels, one per line (blank lines ignored)."""

    def _show(self, value: Any) -> None:
        self.edit.setPlainText("\n".join(value or []))

    def commit_pending(self) -> None:
        self.edit.document().setModified(False)
        labels = [line.strip() for line in self.edit.toPlainText().splitlines() if line.strip()]
        self._emit(labels)


class FloatEditor(ParamEditor):
    """A number typed as text; empty means "default" (None) when the field is optional."""

    def __init__(self, field: ParamField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("default" if field.optional else "")
        if field.minimum is not None or field.maximum is not None:
            low = "" if field.minimum is None else f"{field.minimum:g}"
            high = "" if field.maximum is None else f"{field.maximum:g}"
            self.edit.setToolTip(
                f"A number from {low or '−∞'} to {high or '∞'}"
                + (" (empty: the default)" if field.optional else "")
            )
        self._layout.addWidget(self.edit)
        self.edit.editingFinished.connect(self.commit_pending)

    def is_editing(self) -> bool:
        return self.edit.isModified()

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else f"{value:g}")

    def commit_pending(self) -> None:
        self.edit.setModified(False)
        text = self.edit.text().strip().replace(",", ".")
        if not text:
            if self.field.optional:
                self._emit(None)
            else:
                self.invalid.emit(f"{self.field.title}: enter a number")
            return
        try:
            number = float(text)
        except ValueError:
            self.invalid.emit(f"{self.field.title}: {text!r} is not a number")
            return
        self._emit(number)


class IntEditor(ParamEditor):
    def __init__(self, field: ParamField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.spin = QSpinBox(self)
        self.spin.setRange(
            int(field.minimum) if field.minimum is not None else -1_000_000,
            int(field.maximum) if field.maximum is not None else 1_000_000,
        )
        self.spin.setKeyboardTracking(False)
        self._layout.addWidget(self.spin)
        self._layout.addStretch(1)
        self.spin.editingFinished.connect(self.commit_pending)

    def _show(self, value: Any) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(int(value or 0))
        self.spin.blockSignals(False)

    def is_editing(self) -> bool:
        return self.spin.lineEdit().isModified()

    def commit_pending(self) -> None:
        self.spin.lineEdit().setModified(False)
        self._emit(self.spin.value())


class BoolEditor(ParamEditor):
    def __init__(self, field: ParamField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.check = QCheckBox(field.title, self)
        self._layout.addWidget(self.check)
        self.check.clicked.connect(lambda checked: self._emit(bool(checked)))

    def _show(self, value: Any) -> None:
        self.check.setChecked(bool(value))


class ChoiceEditor(ParamEditor):
    def __init__(self, field: ParamField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(8)
        self.combo.addItems(list(field.choices))
        self._layout.addWidget(self.combo)
        self.combo.activated.connect(lambda _i: self._emit(self.combo.currentText()))

    def _show(self, value: Any) -> None:
        self.combo.setCurrentText(str(value))


class DataModelEditor(ParamEditor):
    """The graph's data models, plus "New data model…" (handled by the form)."""

    newRequested = Signal()

    def __init__(self, field: ParamField, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(8)
        self._layout.addWidget(self.combo, 1)
        self._names: list[str] = []
        self.combo.activated.connect(self._picked)

    def set_names(self, names: list[str]) -> None:
        self._names = list(names)
        self._show(self._value)

    def _show(self, value: Any) -> None:
        current = value or ""
        self.combo.blockSignals(True)
        self.combo.clear()
        if not current:
            self.combo.addItem("(choose a data model)", "")
        for name in self._names:
            self.combo.addItem(name, name)
        if current and current not in self._names:
            self.combo.addItem(f"{current} (missing)", current)
        self.combo.insertSeparator(self.combo.count())
        self.combo.addItem("New data model…", NEW_DATA_MODEL)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)

    def _picked(self, index: int) -> None:
        data = self.combo.itemData(index)
        if data == NEW_DATA_MODEL:
            self._show(self._value)  # back to the current choice until the new one exists
            self.newRequested.emit()
        elif data:
            self._emit(data)


class ModelEditor(ParamEditor):
    """An editable list of common litellm model strings; empty uses the default."""

    def __init__(
        self, field: ParamField, parent: QWidget | None = None, placeholder: str = ""
    ) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(8)
        self.combo.addItems(list(COMMON_MODELS))
        self.combo.lineEdit().setPlaceholderText(placeholder)
        self.combo.lineEdit().setClearButtonEnabled(True)
        self._layout.addWidget(self.combo, 1)
        self.combo.lineEdit().editingFinished.connect(self.commit_pending)
        self.combo.activated.connect(lambda _i: self.commit_pending())

    def set_placeholder(self, text: str) -> None:
        self.combo.lineEdit().setPlaceholderText(text)

    def is_editing(self) -> bool:
        return self.combo.lineEdit().isModified()

    def _show(self, value: Any) -> None:
        self.combo.setEditText(value or "")

    def commit_pending(self) -> None:
        self.combo.lineEdit().setModified(False)
        self._emit(self.combo.currentText().strip())


EDITORS: dict[str, type[ParamEditor]] = {
    "line": LineEditor,
    "text": TextEditor,
    "labels": LabelsEditor,
    "float": FloatEditor,
    "int": IntEditor,
    "bool": BoolEditor,
    "choice": ChoiceEditor,
    "data_model": DataModelEditor,
    "model": ModelEditor,
}


def make_param_editor(field: ParamField, parent: QWidget | None = None) -> ParamEditor:
    """The editor for ``field.widget`` (a one-line editor for unknown hints)."""
    if field.widget in ("knowledge_base", "embedding_model"):
        from editor.inspector.resource_editor import ResourceEditor

        return ResourceEditor(field, parent)
    return EDITORS.get(field.widget, LineEditor)(field, parent)
