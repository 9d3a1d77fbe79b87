"""A choice among the graph's knowledge bases or embedding models.

A knowledge module refers to a resource by name; this editor lists the
graph's (Graph settings adds and edits them), keeps a name the graph no
longer has visible as "(missing)" so validation's message matches what is
shown, and offers "(none)" to leave the parameter unset.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from core.registry import ParamField
from editor.inspector.param_editors import ParamEditor

RESOURCE_FIELDS = {"knowledge_base": "knowledge_bases", "embedding_model": "embedding_models"}
"""Widget kind -> the GraphMeta field that lists the resources it chooses from."""


class ResourceEditor(ParamEditor):
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

    @property
    def meta_field(self) -> str:
        return RESOURCE_FIELDS[self.field.widget]

    def set_names(self, names: list[str]) -> None:
        self._names = list(names)
        self._show(self._value)

    def _show(self, value: Any) -> None:
        current = value or ""
        self.combo.blockSignals(True)
        self.combo.clear()
        what = "knowledge base" if self.field.widget == "knowledge_base" else "embedding model"
        self.combo.addItem(
            "(none)" if self._names else f"(none: add a {what} in Graph settings)", ""
        )
        for name in self._names:
            self.combo.addItem(name, name)
        if current and current not in self._names:
            self.combo.addItem(f"{current} (missing)", current)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)

    def _picked(self, index: int) -> None:
        data = self.combo.itemData(index)
        if data != (self._value or ""):
            self._emit(data or "")
