"""Graph settings, shown when no node is selected: name, description, default
model, API base and the example input (a form generated from the Input's data
model). Each finished edit is one ``SetMeta`` command."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.commands import SetMeta
from core.model.graph import MISSING, GraphMeta
from core.nodes.program_io import program_inputs
from core.registry import ParamField
from editor.document import GraphDocument
from editor.inspector.form_rows import FieldRow, field_label, hint_label, section_heading
from editor.inspector.param_editors import ModelEditor, TextEditor
from editor.inspector.value_editors import ValueEditor


def _meta_field(name: str, title: str, description: str, widget: str) -> ParamField:
    return ParamField(name, title, description, widget, "", False)


class GraphSettingsForm(QWidget):
    def __init__(self, document: GraphDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 10, 10, 10)
        outer.setSpacing(6)
        heading = QLabel("Graph settings", self)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        outer.addWidget(heading)
        outer.addWidget(
            hint_label("Select a node to edit it. These settings apply to the whole graph.")
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(8)
        self.name_edit = QLineEdit(self)
        self.name_row = FieldRow(self.name_edit)
        self.name_edit.editingFinished.connect(self._commit_name)
        form.addRow(field_label("Name", "The program's name (used on export)"), self.name_row)
        self.description_edit = TextEditor(
            _meta_field("description", "Description", "", "text"), lines=3
        )
        self.description_edit.committed.connect(lambda v: self._commit("description", v))
        form.addRow(field_label("Description"), FieldRow(self.description_edit))
        self.model_edit = ModelEditor(
            _meta_field("default_model", "Default model", "", "model"), placeholder="offline"
        )
        self.model_edit.committed.connect(lambda v: self._commit("default_model", v or "offline"))
        form.addRow(
            field_label("Default model", "Used by every node that names no model of its own"),
            FieldRow(self.model_edit),
        )
        self.api_base_edit = QLineEdit(self)
        self.api_base_edit.setPlaceholderText("the provider's default")
        self.api_base_edit.editingFinished.connect(self._commit_api_base)
        form.addRow(
            field_label("API base", "An OpenAI-compatible server URL, e.g. http://localhost:11434"),
            FieldRow(self.api_base_edit),
        )
        outer.addLayout(form)

        from editor.inspector.tools_section import ToolsSection

        self.tools = ToolsSection(document, self)
        outer.addWidget(self.tools)

        from editor.inspector.knowledge_sections import (
            EmbeddingModelsSection,
            KnowledgeBasesSection,
        )

        self.embedding_models = EmbeddingModelsSection(document, self)
        outer.addWidget(self.embedding_models)
        self.knowledge_bases = KnowledgeBasesSection(document, self)
        outer.addWidget(self.knowledge_bases)

        outer.addWidget(section_heading("Example input"))
        self.example_hint = hint_label("")
        outer.addWidget(self.example_hint)
        self.example_form = QFormLayout()
        self.example_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.example_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer.addLayout(self.example_form)
        self.example_error = QLabel(self)
        self.example_error.setStyleSheet("color: #d0463b;")
        self.example_error.setWordWrap(True)
        self.example_error.hide()
        outer.addWidget(self.example_error)
        outer.addStretch(1)
        self.value_editors: dict[tuple[str | None, str], ValueEditor] = {}
        self._example_shape: tuple = ()

        document.metaChanged.connect(self._refresh)
        document.analysisChanged.connect(self._refresh)
        self._refresh()

    def detach(self) -> None:
        for edit, commit in (
            (self.name_edit, self._commit_name),
            (self.api_base_edit, self._commit_api_base),
        ):
            if edit.isModified():
                commit()
        for editor in (self.description_edit, self.model_edit):
            if editor.is_editing():
                editor.commit_pending()
        for editor in self.value_editors.values():
            if editor.is_editing():
                editor.commit_pending()
        self.document.metaChanged.disconnect(self._refresh)
        self.document.analysisChanged.disconnect(self._refresh)

    # ---------------------------------------------------------------- showing
    def _refresh(self) -> None:
        meta = self.document.graph.meta
        if not self.name_edit.isModified():
            self.name_edit.setText(meta.name)
        self.description_edit.set_value(meta.description)
        self.model_edit.set_value(meta.default_model)
        if not self.api_base_edit.isModified():
            self.api_base_edit.setText(meta.api_base or "")
        self.tools.refresh()
        self.embedding_models.refresh()
        self.knowledge_bases.refresh()
        self._refresh_example(meta)

    def _input_specs(self) -> list[tuple[str | None, Any]]:
        """``(key, data model spec)`` per Input node; the key is None with one Input."""
        graph = self.document.graph
        inputs = program_inputs(graph)
        specs = [
            (node.name, graph.data_models.get(node.params.get("data_model", ""))) for node in inputs
        ]
        if len(specs) == 1:
            return [(None, specs[0][1])]
        return specs

    def _refresh_example(self, meta: GraphMeta) -> None:
        specs = self._input_specs()
        shape = tuple((key, spec) for key, spec in specs)
        if shape != self._example_shape:
            self._example_shape = shape
            while self.example_form.rowCount():
                self.example_form.removeRow(0)
            self.value_editors = {}
            for key, spec in specs:
                if spec is None:
                    continue
                if key is not None:
                    self.example_form.addRow(section_heading(key))
                for field in spec.fields:
                    editor = ValueEditor(field, self)
                    editor.committed.connect(
                        lambda v, k=key, f=field.name: self._commit_example(k, f, v)
                    )
                    editor.invalid.connect(self._show_example_error)
                    self.value_editors[(key, field.name)] = editor
                    label = field_label(field.name, field.description)
                    self.example_form.addRow(label, editor)
        if not specs:
            self.example_hint.setText("Add an Input node: its data model's fields appear here.")
        elif not self.value_editors:
            self.example_hint.setText("Give the Input a data model with fields to fill an example.")
        else:
            self.example_hint.setText("What a run starts from unless you type another input.")
        for (key, name), editor in self.value_editors.items():
            values = meta.example_input if key is None else meta.example_input.get(key, {})
            editor.set_value(values.get(name, MISSING) if isinstance(values, dict) else MISSING)

    # ---------------------------------------------------------------- commits
    def _commit_name(self) -> None:
        self.name_edit.setModified(False)
        self._commit("name", self.name_edit.text().strip())

    def _commit_api_base(self) -> None:
        self.api_base_edit.setModified(False)
        self._commit("api_base", self.api_base_edit.text().strip() or None)

    def _commit(self, key: str, value: Any) -> None:
        if getattr(self.document.graph.meta, key) == value:
            return
        try:
            self.document.push(SetMeta({key: value}, text=f"Set graph {key.replace('_', ' ')}"))
        except ValueError as exc:  # the core's GraphMeta refused the value
            self.name_row.show_error(f"Not changed: {exc}")
        else:
            self.name_row.show_error(None)

    def _show_example_error(self, message: str) -> None:
        self.example_error.setText(message)
        self.example_error.show()

    def _commit_example(self, key: str | None, field: str, value: Any) -> None:
        self.example_error.hide()
        example = dict(self.document.graph.meta.example_input)
        target = example if key is None else dict(example.get(key) or {})
        if value is MISSING:
            target.pop(field, None)
        else:
            target[field] = value
        if key is not None:
            example[key] = target
        if example != self.document.graph.meta.example_input:
            self.document.push(SetMeta({"example_input": example}, text="Edit example input"))
