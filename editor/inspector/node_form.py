"""The inspector form for one node: its name, its parameters, merge input order,
its output schema and its problems.

Rows are generated from ``NodeType.param_fields()``. Each finished edit is one
core command pushed through the document; whether a value is acceptable is
asked of the core first (``node_name_problem``, the node type's parameter
model), and a refusal shows the core's reason under the field, leaving the
graph as it was.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.commands import (
    Command,
    Macro,
    RenameNode,
    SetDataModel,
    data_model_name_problem,
    node_name_problem,
    set_params_command,
)
from core.model.data_models import DataModelSpec
from core.model.graph import Node
from core.model.names import unique_name
from core.model.subgraphs import definition_of
from core.registry import ParamsError
from editor.document import GraphDocument
from editor.inspector.form_rows import FieldRow, field_label, hint_label, section_heading
from editor.inspector.learnt_section import LearntSection
from editor.inspector.merge_inputs import MergeInputsEditor
from editor.inspector.param_editors import (
    DataModelEditor,
    ModelEditor,
    ParamEditor,
    make_param_editor,
)
from editor.inspector.schema_view import SchemaView
from editor.inspector.subgraph_section import SubgraphSection
from editor.palette import colour_chip


class NodeForm(QWidget):
    dataModelCreated = Signal(str)
    openSubgraphRequested = Signal(str)  # a Subgraph node's id: open its definition

    def __init__(
        self, document: GraphDocument, node_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.node_id = node_id
        node = document.graph.node(node_id)
        self.node_type = document.registry.get(node.type)
        self.editors: dict[str, ParamEditor] = {}
        self.rows: dict[str, FieldRow] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 10, 10, 10)
        outer.setSpacing(6)
        outer.addLayout(self._header())
        outer.addWidget(hint_label(self.node_type.description))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(8)
        self.name_edit = QLineEdit(self)
        self.name_row = FieldRow(self.name_edit)
        self.name_edit.editingFinished.connect(self._commit_name)
        form.addRow(
            field_label("Name", "Unique; it becomes the Synalinks module name"), self.name_row
        )
        for field in self.node_type.param_fields():
            if field.widget in ("hidden", "subgraph"):
                continue  # kept in step by the model / shown by the subgraph section
            editor = make_param_editor(field)
            editor.committed.connect(lambda value, f=field.name: self._commit_param(f, value))
            editor.invalid.connect(lambda reason, f=field.name: self.rows[f].show_error(reason))
            if isinstance(editor, DataModelEditor):
                editor.newRequested.connect(lambda f=field.name: self._new_data_model(f))
            row = FieldRow(editor)
            self.editors[field.name] = editor
            self.rows[field.name] = row
            if field.widget == "bool":
                form.addRow("", row)
                row.setToolTip(field.description)
            else:
                form.addRow(field_label(field.title, field.description), row)
        outer.addLayout(form)

        self.subgraph: SubgraphSection | None = None
        definition = definition_of(document.graph, node)
        if definition is not None:
            self.subgraph = SubgraphSection(document, definition.definition_id, node_id)
            self.subgraph.openRequested.connect(self.openSubgraphRequested)
            outer.addWidget(self.subgraph)

        self.merge_inputs: MergeInputsEditor | None = None
        if self.node_type.is_merge:
            outer.addWidget(section_heading("Inputs, in the order they are combined"))
            self.merge_inputs = MergeInputsEditor(self)
            self.merge_inputs.commandReady.connect(self._push)
            outer.addWidget(self.merge_inputs)

        self.learnt: LearntSection | None = None
        if LearntSection.applies_to(node.variables):
            self.learnt = LearntSection(self)
            self.learnt.commandReady.connect(self._push)
            outer.addWidget(self.learnt)

        self.schema_heading = section_heading("Output")
        outer.addWidget(self.schema_heading)
        self.schema_view = SchemaView(self)
        outer.addWidget(self.schema_view)
        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #d0463b;")
        outer.addWidget(self.problems_label)
        outer.addStretch(1)

        document.nodeChanged.connect(self._node_changed)
        document.dataModelsChanged.connect(self._refresh_data_models)
        document.metaChanged.connect(self._refresh_placeholders)
        document.analysisChanged.connect(self._refresh_analysis)
        self._refresh_values()
        self._refresh_data_models()
        self._refresh_placeholders()
        self._refresh_analysis()

    def _header(self) -> QHBoxLayout:
        chip = QLabel(self)
        chip.setPixmap(colour_chip(self.node_type.color, 16).pixmap(16, 16))
        title = QLabel(self.node_type.title, self)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(chip)
        row.addWidget(title)
        row.addStretch(1)
        return row

    # ------------------------------------------------------------------ state
    def node(self) -> Node | None:
        return self.document.graph.nodes.get(self.node_id)

    def detach(self) -> None:
        """Commit what is typed, then stop listening (the form is being replaced)."""
        if self.node() is not None:
            if self.name_edit.isModified():
                self._commit_name()
            for editor in self.editors.values():
                if editor.is_editing():
                    editor.commit_pending()
            if self.learnt is not None and self.learnt.is_edited():
                self.learnt.apply()  # applied when valid, as the other fields commit
        if self.subgraph is not None:
            self.subgraph.detach()
        for signal, slot in (
            (self.document.nodeChanged, self._node_changed),
            (self.document.dataModelsChanged, self._refresh_data_models),
            (self.document.metaChanged, self._refresh_placeholders),
            (self.document.analysisChanged, self._refresh_analysis),
        ):
            signal.disconnect(slot)

    def _node_changed(self, node_id: str) -> None:
        if node_id == self.node_id:
            self._refresh_values()

    def _refresh_values(self) -> None:
        node = self.node()
        if node is None:
            return
        if not self.name_edit.isModified():
            self.name_edit.setText(node.name)
            self.name_row.show_error(None)
        for name, editor in self.editors.items():
            editor.set_value(node.params.get(name))
        if self.learnt is not None:
            self.learnt.show_variables(self.node_id, node.variables)

    def _refresh_data_models(self) -> None:
        names = list(self.document.graph.data_models)
        for editor in self.editors.values():
            if isinstance(editor, DataModelEditor):
                editor.set_names(names)

    def _refresh_placeholders(self) -> None:
        meta = self.document.graph.meta
        default = meta.default_model or "offline"
        for editor in self.editors.values():
            if isinstance(editor, ModelEditor):
                editor.set_placeholder(f"graph default ({default})")
            elif hasattr(editor, "meta_field"):  # a knowledge base or embedding model
                editor.set_names([spec.name for spec in getattr(meta, editor.meta_field)])

    def _refresh_analysis(self) -> None:
        node = self.node()
        if node is None:
            return
        flow = self.document.flow
        ports = flow.output_ports(self.node_id)
        if ports:
            self.schema_heading.setText("Output")
            sections = [
                (
                    "" if len(ports) == 1 else f"{p.display} →",
                    flow.schemas.get((self.node_id, p.name)),
                )
                for p in ports
            ]
        else:
            incoming = self.document.graph.incoming(self.node_id)
            self.schema_heading.setText("Receives")
            sections = [
                (
                    "",
                    flow.schemas.get((incoming[0].source, incoming[0].source_port))
                    if incoming
                    else None,
                )
            ]
        self.schema_view.show_schemas(sections)
        if self.merge_inputs is not None:
            self.merge_inputs.show_inputs(self.document.graph, self.node_id)
        problems = self.document.diagnostics_for(self.node_id)
        self.problems_label.setText("\n".join(f"• {d.message}" for d in problems))
        self.problems_label.setVisible(bool(problems))

    # ---------------------------------------------------------------- commits
    def _push(self, command: Command) -> bool:
        try:
            self.document.push(command)
        except Exception as exc:  # the core refused: the graph is unchanged
            self.problems_label.setText(f"Refused: {exc}")
            self.problems_label.show()
            return False
        return True

    def _commit_name(self) -> None:
        node = self.node()
        if node is None:
            return
        name = self.name_edit.text().strip()
        if name == node.name:
            self.name_row.show_error(None)
            return
        problem = node_name_problem(self.document.graph, name, self.node_id)
        if problem:
            self.name_row.show_error(f"Not renamed: {problem}")
            return
        self.name_row.show_error(None)
        self._push(RenameNode(self.node_id, name))

    def _param_problem(self, key: str, value: Any) -> str | None:
        """Ask the node type's parameter model whether ``value`` fits ``key``."""
        node = self.node()
        assert node is not None
        candidate = Node(node.id, node.type, node.name, {**node.params, key: value}, node.position)
        try:
            self.node_type.parse_params(candidate)
        except ParamsError as exc:
            if exc.field.split(".")[0] == key:
                return str(exc)
        return None

    def param_command(self, key: str, value: Any) -> Command:
        node = self.node()
        assert node is not None
        command = set_params_command(
            self.document.graph, self.document.registry, self.node_id, {key: value}
        )
        title = next((f.title for f in self.node_type.param_fields() if f.name == key), key)
        command.text = f"Set {title.lower()} of {node.name}"
        return command

    def _commit_param(self, key: str, value: Any) -> None:
        if self.node() is None:
            return
        problem = self._param_problem(key, value)
        self.rows[key].show_error(problem)
        if problem is None and self._push(self.param_command(key, value)):
            self.editors[key].set_value(self.node().params.get(key))

    def _new_data_model(self, key: str) -> None:
        graph = self.document.graph
        suggestion = unique_name("Answer", graph.data_models)
        name, ok = QInputDialog.getText(
            self, "New data model", "Name of the new data model:", text=suggestion
        )
        if not ok:
            return
        self.create_data_model_for(key, name.strip())

    def create_data_model_for(self, key: str, name: str) -> bool:
        """Create an empty data model ``name`` and use it for ``key`` (one undo step)."""
        problem = data_model_name_problem(self.document.graph, name)
        if problem:
            self.rows[key].show_error(f"Not created: {problem}")
            return False
        node = self.node()
        assert node is not None
        command = Macro(
            f"New data model {name} for {node.name}",
            [SetDataModel(DataModelSpec(name=name)), self.param_command(key, name)],
        )
        if self._push(command):
            self.rows[key].show_error(None)
            self.dataModelCreated.emit(name)
            return True
        return False
