"""The inspector's part for subgraphs: a Subgraph node's definition (its name
and description, edited for every use at once, its ports, how many nodes use
it, a button to open it), and the same for the open definition itself when
nothing inside it is selected.

Renaming and describing are :class:`~core.commands.SetSubgraphInfo`, one undo
step each, pushed through the document the form edits (the window's document,
or an open definition's, which wraps it for the one undo stack).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.commands import SetSubgraphInfo
from core.model.graph import Graph
from core.model.names import identifier_problem
from core.model.subgraphs import interface, uses_of
from editor.inspector.form_rows import FieldRow, field_label, hint_label, section_heading


class _DescriptionEdit(QPlainTextEdit):
    """A few lines of text that commit when the focus leaves."""

    committed = Signal(str)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.committed.emit(self.toPlainText())


def definition_name_problem(root: Graph, definition_id: str, name: str) -> str | None:
    """Why ``name`` cannot name the definition (None: it can)."""
    problem = identifier_problem(name)
    if problem:
        return f"Subgraph name {problem}"
    for other_id, other in root.subgraphs.items():
        if other_id != definition_id and other.definition_name == name:
            return f"another subgraph is already named {name!r}; pick another name"
    return None


class SubgraphSection(QWidget):
    """Name, description, ports and uses of one definition. ``open_node``: the
    Subgraph node whose definition the Open button opens (None: no button)."""

    openRequested = Signal(str)

    def __init__(self, document, definition_id: str, open_node: str | None = None) -> None:
        super().__init__()
        self.document = document
        self.definition_id = definition_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(section_heading("Subgraph"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("subgraphName")
        self.name_row = FieldRow(self.name_edit)
        self.name_edit.editingFinished.connect(self._commit_name)
        form.addRow(
            field_label("Name", "The subgraph's own name: every node using it shows it"),
            self.name_row,
        )
        self.description_edit = _DescriptionEdit(self)
        self.description_edit.setObjectName("subgraphDescription")
        self.description_edit.setPlaceholderText("What this subgraph does")
        self.description_edit.setFixedHeight(64)
        self.description_edit.committed.connect(self._commit_description)
        form.addRow(field_label("Description", "Shown in the palette"), self.description_edit)
        layout.addLayout(form)
        self.ports_label = QLabel(self)
        self.ports_label.setObjectName("subgraphPorts")
        self.ports_label.setWordWrap(True)
        self.ports_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.ports_label)
        self.uses_label = hint_label("")
        layout.addWidget(self.uses_label)
        self.open_button: QPushButton | None = None
        if open_node is not None:
            self.open_button = QPushButton("Open subgraph", self)
            self.open_button.setToolTip("Edit its nodes on the canvas (or double-click the card)")
            self.open_button.clicked.connect(lambda: self.openRequested.emit(open_node))
            layout.addWidget(self.open_button)
        document.graphChanged.connect(self.refresh)
        self.refresh()

    def detach(self) -> None:
        if self.name_edit.isModified():
            self._commit_name()
        if self.description_edit.document().isModified():
            self.description_edit.document().setModified(False)
            self._commit_description(self.description_edit.toPlainText())
        try:
            self.document.graphChanged.disconnect(self.refresh)
        except (RuntimeError, TypeError):
            pass

    def definition(self) -> Graph | None:
        return self.document.graph.subgraphs.get(self.definition_id)

    def refresh(self) -> None:
        definition = self.definition()
        if definition is None:
            self.ports_label.setText("This subgraph is no longer in the graph.")
            return
        if not self.name_edit.isModified() and not self.name_edit.hasFocus():
            self.name_edit.setText(definition.definition_name)
            self.name_row.show_error(None)
        if not self.description_edit.document().isModified():
            if self.description_edit.toPlainText() != definition.definition_description:
                self.description_edit.setPlainText(definition.definition_description)
                self.description_edit.document().setModified(False)
        shape = interface(definition)
        ins = ", ".join(p["name"] for p in shape["inputs"]) or "none (add an Input inside)"
        outs = ", ".join(p["name"] for p in shape["outputs"]) or "none (add an Output inside)"
        self.ports_label.setText(f"Inputs: {ins}\nOutputs: {outs}")
        uses = len(uses_of(definition.root, self.definition_id))
        nodes = len(definition.nodes)
        self.uses_label.setText(
            f"{nodes} node{'s' if nodes != 1 else ''} inside · used {uses}× "
            "(an edit inside changes every use)"
        )

    def _commit_name(self) -> None:
        definition = self.definition()
        if definition is None:
            return
        name = self.name_edit.text().strip()
        self.name_edit.setModified(False)
        if name == definition.definition_name:
            self.name_row.show_error(None)
            return
        problem = definition_name_problem(definition.root, self.definition_id, name)
        if problem:
            self.name_row.show_error(problem)
            return
        self.name_row.show_error(None)
        self.document.push(SetSubgraphInfo(self.definition_id, name=name))

    def _commit_description(self, text: str) -> None:
        definition = self.definition()
        if definition is None or text == definition.definition_description:
            return
        self.document.push(SetSubgraphInfo(self.definition_id, description=text))


class SubgraphSettingsForm(QWidget):
    """What the inspector shows inside an open subgraph when nothing is selected."""

    def __init__(self, document) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(
            hint_label(
                "Select a node to edit it. These settings are the subgraph's own: "
                "the graph's settings apply inside it too."
            )
        )
        self.section = SubgraphSection(document, document.definition_id)
        layout.addWidget(self.section)
        layout.addStretch(1)

    def detach(self) -> None:
        self.section.detach()
