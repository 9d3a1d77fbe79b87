"""Which column feeds which field: one row per Input field and expected-output
field, each with a combo of the file's columns. "(automatic)" follows the
field's name (as the command line does); choosing a column overrides it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from editor.evaluation.binding import DatasetBinding

AUTOMATIC = ""


class MappingEditor(QTableWidget):
    overridesChanged = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels(["Field", "Column"])
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.combos: dict[str, QComboBox] = {}
        self.binding: DatasetBinding | None = None

    def set_binding(self, binding: DatasetBinding | None) -> None:
        self.binding = binding
        self.combos.clear()
        fields = binding.fields() if binding is not None else []
        self.setRowCount(len(fields))
        for row, (key, label) in enumerate(fields):
            item = QTableWidgetItem(label)
            item.setToolTip(key)
            self.setItem(row, 0, item)
            combo = QComboBox(self)
            combo.setObjectName(f"mapping:{key}")
            assert binding is not None
            auto = binding.column_for(key) if key not in binding.overrides else None
            combo.addItem(f"(automatic: {auto or 'none'})", AUTOMATIC)
            for column in binding.data.columns:
                combo.addItem(column, column)
            chosen = binding.overrides.get(key)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            if chosen is None and key in binding.overrides:
                combo.setCurrentIndex(0)
            combo.setToolTip(
                f"The column that feeds {label}: automatic follows the field's name "
                "(expected fields also take expected_<field>)"
            )
            combo.currentIndexChanged.connect(lambda _i, k=key: self._changed(k))
            self.setCellWidget(row, 1, combo)
            self.combos[key] = combo

    def choose(self, key: str, column: str | None) -> None:
        """Select ``column`` for ``key`` (None: automatic), as the person would."""
        combo = self.combos[key]
        combo.setCurrentIndex(0 if column is None else combo.findData(column))

    def _changed(self, key: str) -> None:
        if self.binding is None:
            return
        overrides = dict(self.binding.overrides)
        column = self.combos[key].currentData()
        if column == AUTOMATIC:
            overrides.pop(key, None)
        else:
            overrides[key] = column
        self.overridesChanged.emit(overrides)
