"""The Run dialog: a form generated from the Input nodes' data models.

One section per Input node (a graph with one Input gets one section and the
flat object the engine expects; with several, an object keyed by Input name),
one editor per field chosen by the field's type (the inspector's value
editors: text, number, true/false, a choice, one item per line for lists).
It opens pre-filled (the last input run for this graph, else the graph's
example input), Enter runs, and the engine's own input check has the last
word: its message is shown here and the dialog stays open to fix it.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import MISSING, Graph, Node
from core.nodes.program_io import program_inputs
from editor.inspector.value_editors import ValueEditor


class FieldRow:
    """One field's editor and the value it holds (``MISSING`` when empty)."""

    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        self.spec = spec
        self.value: Any = MISSING
        self.problem = ""
        self.editor = ValueEditor(spec, parent)
        self.editor.committed.connect(self._committed)
        self.editor.invalid.connect(self._invalid)

    def set_value(self, value: Any) -> None:
        self.value = value
        self.problem = ""
        self.editor.set_value(value)

    def commit(self) -> None:
        """Take what the editor shows now: typing not committed yet, and choices
        made without a click (keyboard, or set by code)."""
        widget = self.editor.widget
        if isinstance(widget, QComboBox):
            self.set_value(widget.currentData())
        elif isinstance(widget, QCheckBox):
            if widget.isChecked() != (self.value is True):
                self.set_value(widget.isChecked())
        else:
            self.editor.commit_pending()

    def _committed(self, value: Any) -> None:
        self.set_value(value)

    def _invalid(self, reason: str) -> None:
        self.problem = reason


class InputSection(QGroupBox):
    """The fields of one Input node."""

    def __init__(
        self, node: Node, spec: DataModelSpec | None, parent: QWidget | None = None
    ) -> None:
        title = f"{node.name} \u00b7 {spec.name}" if spec else node.name
        super().__init__(title, parent)
        self.node = node
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if spec is None:
            form.addRow(
                QLabel(f"Data model {node.params.get('data_model')!r} does not exist.", self)
            )
            return
        if spec.description:
            about = QLabel(spec.description, self)
            about.setWordWrap(True)
            about.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            form.addRow(about)
        for field in spec.fields:
            row = FieldRow(field, self)
            label = QLabel(f"{field.name}{'' if field.required else ' (optional)'}", self)
            label.setToolTip(
                f"{field.type_label()}" + (f": {field.description}" if field.description else "")
            )
            row.editor.setToolTip(label.toolTip())
            form.addRow(label, row.editor)
            self.rows[field.name] = row

    def fill(self, value: Any) -> None:
        data = value if isinstance(value, dict) else {}
        for name, row in self.rows.items():
            row.set_value(copy.deepcopy(data[name]) if name in data else MISSING)

    def value(self) -> dict[str, Any]:
        return {name: row.value for name, row in self.rows.items() if row.value is not MISSING}

    def problems(self) -> list[str]:
        return [row.problem for row in self.rows.values() if row.problem]

    def first_editor(self) -> QWidget | None:
        row = next(iter(self.rows.values()), None)
        return row.editor.widget if row else None


class RunInputDialog(QDialog):
    """``submitted(inputs)`` asks to run with ``inputs``; the caller answers with
    :meth:`show_error` (the dialog stays open) or closes it with ``accept()``."""

    submitted = Signal(object)

    def __init__(
        self,
        graph: Graph,
        prefill: Any | None,
        models: str,
        parent: QWidget | None = None,
        backend: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("runInputDialog")
        self.setWindowTitle(f"Run {graph.meta.name or 'graph'}")
        self.graph = graph
        self.inputs_nodes = program_inputs(graph)
        self.sections: list[InputSection] = []
        intro = QLabel("The input for this run. <b>Enter</b> runs it.", self)
        intro.setWordWrap(True)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        for node in self.inputs_nodes:
            section = InputSection(
                node, graph.data_models.get(node.params.get("data_model", "")), body
            )
            self.sections.append(section)
            body_layout.addWidget(section)
        if not self.inputs_nodes:
            body_layout.addWidget(
                QLabel("This graph has no Input node: it runs without input.", body)
            )
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        runs_on = f" \u00b7 Backend: {backend}" if backend else ""
        self.models_label = QLabel(f"Models: {models}{runs_on} (change them in the toolbar)", self)
        self.models_label.setWordWrap(True)
        self.models_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("runInputError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton("Run", QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setDefault(True)
        self.run_button.setAutoDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.example_button = QPushButton("Use Example Input", self)
        self.example_button.setToolTip("Fill the form with the graph's example input")
        self.example_button.setAutoDefault(False)
        self.buttons.addButton(self.example_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.example_button.clicked.connect(lambda: self.fill(graph.meta.example_input))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.models_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        scroll.setMinimumHeight(min(body.sizeHint().height() + 4, 440))
        self.resize(max(520, self.sizeHint().width()), self.sizeHint().height())
        self.fill(prefill if prefill is not None else graph.meta.example_input)
        first = next((s.first_editor() for s in self.sections if s.first_editor()), None)
        if first is not None:
            first.setFocus()

    # ----------------------------------------------------------------- values
    def fill(self, value: Any) -> None:
        """Put ``value`` (the engine's input shape) into the form."""
        if len(self.sections) == 1:
            section = self.sections[0]
            data = value if isinstance(value, dict) else {}
            name = section.node.name
            if set(data) == {name} and name not in section.rows and isinstance(data[name], dict):
                data = data[name]
            section.fill(data)
        else:
            data = value if isinstance(value, dict) else {}
            for section in self.sections:
                section.fill(data.get(section.node.name, {}))
        self.show_error("")

    def values(self) -> dict[str, Any]:
        """The input as the engine takes it (flat for one Input, keyed by name for several)."""
        for section in self.sections:
            for row in section.rows.values():
                row.commit()
        if len(self.sections) == 1:
            return self.sections[0].value()
        return {section.node.name: section.value() for section in self.sections}

    def problems(self) -> list[str]:
        return [p for section in self.sections for p in section.problems()]

    # ---------------------------------------------------------------- running
    def submit(self) -> None:
        values = self.values()
        problems = self.problems()
        if problems:
            self.show_error("; ".join(problems))
            return
        self.submitted.emit(values)

    def show_error(self, message: str) -> None:
        """Show why the input cannot run (empty hides it)."""
        if not message:
            self.error_label.hide()
            self.error_label.clear()
            return
        palette = self.error_label.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.BrightText)
        )
        self.error_label.setPalette(palette)
        self.error_label.setText(message)
        self.error_label.show()
