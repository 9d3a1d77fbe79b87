"""The inspector: forms built from the registry, each finished edit one undo step,
refusals shown with the core's reason and the graph left as it was."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog

from core.commands import AddEdge, make_node
from core.commands.node_commands import AddNode
from core.model.graph import Edge, new_id
from editor.inspector import InspectorPanel
from editor.inspector.graph_settings import GraphSettingsForm
from editor.inspector.node_form import NodeForm
from tests.editor.conftest import flush_analysis


@pytest.fixture
def inspector(qtbot, document):
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.resize(380, 700)
    panel.set_document(document)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    return panel


def select(panel: InspectorPanel, document, name: str) -> NodeForm:
    panel.set_selection([document.graph.node_by_name(name).id])
    assert isinstance(panel.form, NodeForm)
    return panel.form


def type_into(qtbot, widget, text: str, clear: bool = True) -> None:
    widget.setFocus()
    if clear:
        widget.selectAll()
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(widget, line)


def leave_field(qtbot, form: NodeForm) -> None:
    """Move the keyboard focus elsewhere, as a click on another field would."""
    form.name_edit.setFocus()
    qtbot.wait(10)


def test_typing_instructions_is_one_undo_step(qtbot, inspector, document):
    form = select(inspector, document, "branch_1")
    editor = form.editors["instructions"].edit
    before = document.undo_stack.index()
    type_into(qtbot, editor, "Answer in one short paragraph.")
    assert document.graph.node_by_name("branch_1").params["instructions"] == ""  # nothing per key
    editor.clearFocus()
    form.name_edit.setFocus()
    assert (
        document.graph.node_by_name("branch_1").params["instructions"]
        == "Answer in one short paragraph."
    )
    assert document.undo_stack.index() == before + 1
    assert "instructions" in document.undo_stack.text(before).lower()
    document.undo_stack.undo()
    assert document.graph.node_by_name("branch_1").params["instructions"] == ""
    assert editor.toPlainText() == ""  # the form follows the model back


def test_refused_names_show_the_core_reason(qtbot, inspector, document):
    form = select(inspector, document, "branch_1")
    before = document.undo_stack.index()
    type_into(qtbot, form.name_edit, "branch_2")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)
    assert document.graph.node_by_name("branch_1") is not None
    assert document.undo_stack.index() == before
    assert form.name_row.error_label.isVisibleTo(form)
    assert "another node is already named 'branch_2'" in form.name_row.error_label.text()

    type_into(qtbot, form.name_edit, "2nd branch")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)
    assert "not a Python identifier" in form.name_row.error_label.text()
    assert document.undo_stack.index() == before

    type_into(qtbot, form.name_edit, "first_branch")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)
    assert document.graph.node_by_name("first_branch") is not None
    assert not form.name_row.error_label.isVisibleTo(form)
    assert document.undo_stack.index() == before + 1


def test_optional_float_has_a_default_empty_state(qtbot, inspector, document):
    form = select(inspector, document, "branch_1")
    edit = form.editors["temperature"].edit
    assert edit.text() == "" and edit.placeholderText() == "default"
    type_into(qtbot, edit, "0.7")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    node = document.graph.node_by_name("branch_1")
    assert node.params["temperature"] == 0.7
    count = document.undo_stack.index()

    type_into(qtbot, edit, "5")  # outside the parameter's range: the core refuses
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert node.params["temperature"] == 0.7
    assert document.undo_stack.index() == count
    assert "temperature" in form.rows["temperature"].error_label.text()

    type_into(qtbot, edit, "")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert node.params["temperature"] is None
    assert document.undo_stack.index() == count + 1


def test_labels_bool_and_model_editors(qtbot, inspector, document):
    graph = document.graph
    branch = make_node(graph, document.registry, "Branch", (0, 400))
    document.push(AddNode(branch))
    form = select(inspector, document, branch.name)
    labels = form.editors["labels"].edit
    type_into(qtbot, labels, "easy\n\n  hard \n")
    leave_field(qtbot, form)
    assert graph.nodes[branch.id].params["labels"] == ["easy", "hard"]

    count = document.undo_stack.index()
    checkbox = form.editors["inject_decision"].check
    qtbot.mouseClick(checkbox, Qt.MouseButton.LeftButton, pos=QPoint(8, checkbox.height() // 2))
    assert graph.nodes[branch.id].params["inject_decision"] is False
    assert document.undo_stack.index() == count + 1

    model_line = form.editors["language_model"].combo.lineEdit()
    assert model_line.placeholderText() == "graph default (offline)"
    type_into(qtbot, model_line, "ollama/llama3.1")
    qtbot.keyClick(model_line, Qt.Key.Key_Return)
    assert graph.nodes[branch.id].params["language_model"] == "ollama/llama3.1"
    assert document.undo_stack.index() == count + 2


def test_removing_a_branch_label_removes_its_edge_in_the_same_step(qtbot, inspector, document):
    graph, registry = document.graph, document.registry
    branch = make_node(graph, registry, "Branch", (0, 400))
    branch.params["labels"] = ["a", "b"]
    document.push(AddNode(branch))
    target = graph.node_by_name("branch_1")
    document.push(AddEdge(Edge(new_id(), branch.id, "branch_1", target.id, "inputs")))
    form = select(inspector, document, branch.name)
    count = document.undo_stack.index()
    type_into(qtbot, form.editors["labels"].edit, "a")
    leave_field(qtbot, form)
    assert graph.nodes[branch.id].params["labels"] == ["a"]
    assert not graph.outgoing(branch.id, "branch_1")
    assert document.undo_stack.index() == count + 1
    document.undo_stack.undo()
    assert graph.outgoing(branch.id, "branch_1")


def test_data_model_combo_and_new_data_model(qtbot, inspector, document, monkeypatch):
    graph = document.graph
    form = select(inspector, document, "branch_1")
    combo = form.editors["data_model"].combo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[:2] == ["Query", "AnswerWithThinking"] and items[-1] == "New data model…"
    assert combo.currentText() == "AnswerWithThinking"
    combo.activated.emit(combo.findText("Query"))
    assert graph.node_by_name("branch_1").params["data_model"] == "Query"

    created: list[str] = []
    form.dataModelCreated.connect(created.append)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Summary", True)))
    count = document.undo_stack.index()
    combo.activated.emit(combo.count() - 1)
    assert "Summary" in graph.data_models
    assert graph.node_by_name("branch_1").params["data_model"] == "Summary"
    assert document.undo_stack.index() == count + 1 and created == ["Summary"]
    document.undo_stack.undo()
    assert "Summary" not in graph.data_models
    assert graph.node_by_name("branch_1").params["data_model"] == "Query"

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Query", True)))
    combo.activated.emit(combo.count() - 1)
    assert "a data model named 'Query' already exists" in form.rows["data_model"].error_label.text()
    assert document.undo_stack.index() == count


def test_output_schema_is_shown_read_only(qtbot, inspector, document):
    form = select(inspector, document, "branch_1")
    view = form.schema_view
    rows = [
        (view.topLevelItem(i).text(0), view.topLevelItem(i).text(1))
        for i in range(view.topLevelItemCount())
    ]
    assert rows == [("thinking", "str"), ("answer", "str")]
    output = select(inspector, document, "output_2")
    assert output.schema_heading.text() == "Receives"
    assert output.schema_view.topLevelItem(1).text(0) == "answer"


def test_merge_inputs_reorder_one_step_each(qtbot, inspector, document):
    graph, registry = document.graph, document.registry
    concat = make_node(graph, registry, "Concat", (600, 400))
    document.push(AddNode(concat))
    first, second = graph.node_by_name("branch_1"), graph.node_by_name("branch_2")
    document.push(AddEdge(Edge(new_id(), first.id, "output", concat.id, "inputs")))
    document.push(AddEdge(Edge(new_id(), second.id, "output", concat.id, "inputs")))
    flush_analysis(qtbot, document)
    form = select(inspector, document, concat.name)
    merge = form.merge_inputs
    assert [merge.list.item(i).text() for i in range(merge.list.count())] == [
        "1. branch_1",
        "2. branch_2",
    ]
    merge.list.setCurrentRow(1)
    assert merge.up_button.isEnabled() and not merge.down_button.isEnabled()
    count = document.undo_stack.index()
    qtbot.mouseClick(merge.up_button, Qt.MouseButton.LeftButton)
    assert [graph.nodes[e.source].name for e in graph.incoming(concat.id)] == [
        "branch_2",
        "branch_1",
    ]
    assert document.undo_stack.index() == count + 1
    flush_analysis(qtbot, document)
    assert [merge.list.item(i).text() for i in range(merge.list.count())] == [
        "1. branch_2",
        "2. branch_1",
    ]
    document.undo_stack.undo()
    assert [graph.nodes[e.source].name for e in graph.incoming(concat.id)] == [
        "branch_1",
        "branch_2",
    ]


def test_nothing_selected_shows_graph_settings(qtbot, inspector, document):
    inspector.set_selection([])
    form = inspector.form
    assert isinstance(form, GraphSettingsForm)
    assert form.name_edit.text() == "parallel_branches"
    count = document.undo_stack.index()
    type_into(qtbot, form.name_edit, "two_branches")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)
    assert document.graph.meta.name == "two_branches"
    type_into(qtbot, form.api_base_edit, "http://127.0.0.1:11434")
    qtbot.keyClick(form.api_base_edit, Qt.Key.Key_Return)
    assert document.graph.meta.api_base == "http://127.0.0.1:11434"
    assert document.undo_stack.index() == count + 2

    query = form.value_editors[(None, "query")].widget
    assert query.text() == "What is the meaning of life?"
    type_into(qtbot, query, "Why is the sky blue?")
    qtbot.keyClick(query, Qt.Key.Key_Return)
    assert document.graph.meta.example_input == {"query": "Why is the sky blue?"}
    assert document.undo_stack.index() == count + 3
    document.undo_stack.undo()
    assert query.text() == "What is the meaning of life?"


def test_selection_change_commits_what_was_typed(qtbot, inspector, document):
    form = select(inspector, document, "branch_2")
    editor = form.editors["instructions"].edit
    type_into(qtbot, editor, "Be brief.")
    select(inspector, document, "branch_1")
    assert document.graph.node_by_name("branch_2").params["instructions"] == "Be brief."


def test_deleting_the_shown_node_returns_to_graph_settings(qtbot, inspector, document):
    from core.commands import RemoveNodes

    select(inspector, document, "output_1")
    document.push(RemoveNodes([document.graph.node_by_name("output_1").id]))
    assert isinstance(inspector.form, GraphSettingsForm)


def test_graph_tools_are_added_and_removed_as_undoable_steps(qtbot, inspector, document):
    inspector.set_selection([])
    tools = inspector.form.tools
    assert tools.list.isHidden()  # no tools yet
    type_into(qtbot, tools.module_edit, "my_tools")
    type_into(qtbot, tools.function_edit, "count_words")
    type_into(qtbot, tools.folder_edit, "tools")
    qtbot.keyClick(tools.folder_edit, Qt.Key.Key_Return)
    (tool,) = document.graph.meta.tools
    assert (tool.name, tool.module, tool.function, tool.folder) == (
        "count_words",
        "my_tools",
        "count_words",
        "tools",
    )
    assert tools.list.item(0).text() == "count_words: my_tools.count_words (in tools)"
    assert tools.module_edit.text() == ""  # ready for the next one

    type_into(qtbot, tools.module_edit, "other")
    type_into(qtbot, tools.function_edit, "count_words")
    qtbot.mouseClick(tools.add_button, Qt.MouseButton.LeftButton)
    assert "already in this graph" in tools.error.text() and len(document.graph.meta.tools) == 1
    type_into(qtbot, tools.function_edit, "lookup")
    type_into(qtbot, tools.folder_edit, "/home/me")
    qtbot.mouseClick(tools.add_button, Qt.MouseButton.LeftButton)
    assert "relative to the graph file" in tools.error.text()
    assert len(document.graph.meta.tools) == 1

    tools.list.item(0).setSelected(True)
    qtbot.mouseClick(tools.remove_button, Qt.MouseButton.LeftButton)
    assert document.graph.meta.tools == ()
    document.undo_stack.undo()
    assert [t.name for t in document.graph.meta.tools] == ["count_words"]
    assert tools.list.count() == 1
