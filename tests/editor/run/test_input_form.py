"""The Run dialog: generated from the Input data models, pre-filled, validated;
and a graph with errors refused before any form opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from core.commands import RemoveEdges
from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import Edge, Graph, GraphMeta, Node
from editor.document import GraphDocument
from tests.editor.conftest import flush_analysis
from tests.editor.run.conftest import RUN_MS, node_id, wait_finished

SURVEY = DataModelSpec(
    name="Survey",
    description="What the program gets.",
    fields=(
        FieldSpec(name="topic", description="The topic"),
        FieldSpec(name="count", type="int", description="How many"),
        FieldSpec(name="strict", type="bool", required=False),
        FieldSpec(name="tone", type="enum", choices=("calm", "bold")),
        FieldSpec(name="tags", type="str", is_list=True, required=False),
    ),
)
NOTE = DataModelSpec(name="Note", fields=(FieldSpec(name="text"),))


def _graph() -> Graph:
    """Two Inputs (Survey, Note), each straight to an Output."""
    graph = Graph(
        GraphMeta(
            name="two_inputs",
            example_input={
                "survey": {"topic": "bees", "count": 3, "tone": "calm"},
                "note": {"text": "hello"},
            },
        )
    )
    graph.set_data_model(SURVEY)
    graph.set_data_model(NOTE)
    graph.add_node(Node("s", "Input", "survey", {"data_model": "Survey"}))
    graph.add_node(Node("n", "Input", "note", {"data_model": "Note"}))
    graph.add_node(Node("o1", "Output", "out_survey", {"order": 0}))
    graph.add_node(Node("o2", "Output", "out_note", {"order": 1}))
    graph.add_edge(Edge("e1", "s", "output", "o1", "inputs"))
    graph.add_edge(Edge("e2", "n", "output", "o2", "inputs"))
    return graph


def _open_form(qtbot, window):
    window.actions.run.trigger()
    dialog = window.run_controller.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_one_section_per_input_with_an_editor_per_field_type(qtbot, run_window):
    window = run_window
    window.set_document(GraphDocument(_graph(), window.workspace.registry))
    dialog = _open_form(qtbot, window)
    assert [s.title() for s in dialog.sections] == ["survey \u00b7 Survey", "note \u00b7 Note"]
    rows = dialog.sections[0].rows
    assert isinstance(rows["topic"].editor.widget, QLineEdit)
    assert isinstance(rows["strict"].editor.widget, QCheckBox)
    assert isinstance(rows["tone"].editor.widget, QComboBox)
    # Pre-filled with the graph's example input.
    assert rows["topic"].editor.widget.text() == "bees"
    assert rows["count"].editor.widget.text() == "3"
    assert rows["tone"].editor.widget.currentText() == "calm"
    # A value that is not of its type stays in the form with the reason.
    count = rows["count"].editor.widget
    count.setText("three")
    dialog.run_button.click()
    assert dialog.isVisible() and window.run_controller.entry is None
    assert "'three' is not an integer" in dialog.error_label.text()
    count.setText("4")
    rows["tone"].editor.widget.setCurrentIndex(2)  # bold
    tags = rows["tags"].editor.widget
    tags.setPlainText("one\ntwo")
    dialog.run_button.click()
    assert not dialog.isVisible()
    entry = window.run_controller.entry
    wait_finished(qtbot, window, timeout=RUN_MS)
    assert entry.status == "succeeded"
    assert entry.record.outputs == (
        {"topic": "bees", "count": 4, "strict": None, "tone": "bold", "tags": ["one", "two"]},
        {"text": "hello"},
    )
    # The next form starts from the input just run.
    again = _open_form(qtbot, window)
    assert again.sections[0].rows["count"].editor.widget.text() == "4"
    assert again.sections[0].rows["tags"].editor.widget.toPlainText() == "one\ntwo"
    again.reject()


def test_the_engines_input_check_shows_in_the_form(qtbot, run_window):
    window = run_window
    window.set_document(GraphDocument(_graph(), window.workspace.registry))
    dialog = _open_form(qtbot, window)
    dialog.sections[0].rows["count"].editor.widget.setText("")  # a required int left empty
    qtbot.keyClick(dialog.sections[0].rows["topic"].editor.widget, Qt.Key.Key_Return)
    assert dialog.isVisible() and window.run_controller.entry is None
    assert "survey: the input does not fit the data model Survey" in dialog.error_label.text()
    assert "count" in dialog.error_label.text()
    dialog.example_button.click()
    assert dialog.sections[0].rows["count"].editor.widget.text() == "3"
    assert dialog.error_label.isHidden()
    dialog.reject()


def test_the_last_input_is_remembered_for_the_graph_file(qtbot, run_window, workspace, seed_copy):
    window = run_window
    dialog = _open_form(qtbot, window)
    field = dialog.sections[0].rows["query"].editor.widget
    field.setText("Why is the sky blue?")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    entry = window.run_controller.entry
    wait_finished(qtbot, window)
    assert "Why is the sky blue?" in entry.record.outputs[0]["answer"]
    # Another window on the same file, later: the form starts from that input.
    window.close()
    reopened = workspace.open_window_for(seed_copy)
    second = _open_form(qtbot, reopened)
    assert second.sections[0].rows["query"].editor.widget.text() == "Why is the sky blue?"
    second.reject()


def test_a_graph_with_errors_is_refused_and_points_to_the_problems(qtbot, run_window):
    window = run_window
    graph = window.document.graph
    edge = next(e.id for e in graph.edges.values() if e.target == node_id(window, "output_1"))
    window.document.push(RemoveEdges([edge]))
    flush_analysis(qtbot, window.document)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    controller = window.run_controller
    assert controller.dialog is None and controller.entry is None
    box = controller.last_refusal
    assert box is not None and box.isVisible()
    assert "The graph has 1 error" in box.text() and "Problems panel" in box.text()
    assert "output_1" in box.informativeText()
    assert window.problems_dock.isVisible()
    box.close()


def test_a_stray_node_with_an_error_does_not_block_the_run(qtbot, run_window):
    """A node that reaches no Output never runs: its error stays in Problems, but
    Run opens the form and the run leaves it out."""
    from core.commands import make_node
    from core.commands.node_commands import AddNode

    window = run_window
    document = window.document
    stray = make_node(document.graph, document.registry, "Generator")
    stray.params["data_model"] = "Missing"
    document.push(AddNode(stray))
    flush_analysis(qtbot, window.document)
    assert any(d.is_error and d.node_id == stray.id for d in document.diagnostics)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    controller = window.run_controller
    assert controller.last_refusal is None and controller.dialog is not None
    controller.dialog.reject()
