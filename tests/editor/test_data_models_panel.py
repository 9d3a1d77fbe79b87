"""The data-models panel: each edit one undoable core command; renames carry the
node references with them; deleting a used model warns first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox

from core.model.data_models import FieldSpec
from editor.data_model_fields import CHOICES, DESCRIPTION, NAME, REQUIRED, TYPE
from editor.data_models_panel import DataModelsPanel


@pytest.fixture
def panel(qtbot, document):
    widget = DataModelsPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.set_document(document)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def edit_cell(qtbot, panel: DataModelsPanel, row: int, column: int, text: str) -> None:
    """Type into a cell with the keyboard, as a person would (F2, type, Enter), then
    Escape from the next field that Enter starts."""
    table = panel.fields
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table, "the cell editor did not open"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # Item views commit a cell edit on the next turn of the event loop.
    qtbot.waitUntil(
        lambda: table.state() != QAbstractItemView.State.EditingState or table.pending is not None,
        timeout=2000,
    )
    if table.pending is not None:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: table.pending is None, timeout=2000)


def test_lists_models_and_fields(panel, document):
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == [
        "Query",
        "AnswerWithThinking",
    ]
    panel.select("AnswerWithThinking")
    table = panel.fields
    assert [table.item(r, NAME).text() for r in range(table.rowCount())] == ["thinking", "answer"]
    assert table.item(0, DESCRIPTION).text() == "Your step by step thinking"
    assert table.item(0, REQUIRED).checkState() == Qt.CheckState.Checked
    assert panel.description_edit.text() == "An answer with step-by-step reasoning."


def test_create_add_fields_and_edit_them_by_keyboard(qtbot, panel, document):
    graph = document.graph
    start = document.undo_stack.index()
    assert panel.create("Verdict")
    assert panel.current_name() == "Verdict"
    qtbot.mouseClick(panel.add_field_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert panel.fields.pending == 0 and editor is not panel.fields  # the name is being edited
    qtbot.keyClicks(editor, "label")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: bool(graph.data_models["Verdict"].fields), timeout=2000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    edit_cell(qtbot, panel, 0, DESCRIPTION, "The verdict")
    assert graph.data_models["Verdict"].fields == (
        FieldSpec(name="label", description="The verdict"),
    )
    assert document.undo_stack.index() == start + 3  # create, add named field, describe

    panel.fields.ask_choices = lambda _name: ("yes", "no")
    panel.fields.setCurrentCell(0, TYPE)
    panel.fields.item(0, TYPE).setText("enum")
    assert graph.data_models["Verdict"].fields[0].choices == ("yes", "no")
    edit_cell(qtbot, panel, 0, CHOICES, "yes, no, maybe")
    assert graph.data_models["Verdict"].fields[0].choices == ("yes", "no", "maybe")
    panel.fields.item(0, REQUIRED).setCheckState(Qt.CheckState.Unchecked)
    assert graph.data_models["Verdict"].fields[0].required is False
    assert document.undo_stack.index() == start + 6
    for _ in range(6):
        document.undo_stack.undo()
    assert "Verdict" not in graph.data_models


def test_refused_field_edit_shows_the_core_reason(qtbot, panel, document):
    panel.select("AnswerWithThinking")
    start = document.undo_stack.index()
    edit_cell(qtbot, panel, 1, NAME, "thinking")
    assert "two fields named 'thinking'" in panel.error_label.text()
    assert panel.error_label.isVisibleTo(panel)
    assert document.undo_stack.index() == start
    assert panel.fields.item(1, NAME).text() == "answer"  # the table shows the model, unchanged


def test_reorder_and_remove_fields(qtbot, panel, document):
    panel.select("AnswerWithThinking")
    panel.fields.setCurrentCell(1, NAME)
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert [f.name for f in document.graph.data_models["AnswerWithThinking"].fields] == [
        "answer",
        "thinking",
    ]
    assert panel.fields.currentRow() == 0
    qtbot.mouseClick(panel.remove_field_button, Qt.MouseButton.LeftButton)
    assert [f.name for f in document.graph.data_models["AnswerWithThinking"].fields] == ["thinking"]
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert [f.name for f in document.graph.data_models["AnswerWithThinking"].fields] == [
        "thinking",
        "answer",
    ]


def test_rename_updates_references_in_one_step(qtbot, panel, document):
    graph = document.graph
    start = document.undo_stack.index()
    assert panel.rename("AnswerWithThinking", "Answer")
    assert [n.params["data_model"] for n in graph.nodes.values() if "data_model" in n.params] == [
        "Query",
        "Answer",
        "Answer",
    ]
    assert document.undo_stack.index() == start + 1
    assert not panel.rename("Answer", "Query")
    assert "already exists" in panel.error_label.text()
    document.undo_stack.undo()
    assert graph.node_by_name("branch_1").params["data_model"] == "AnswerWithThinking"


def test_inline_rename_in_the_list(qtbot, panel, document):
    panel.select("Query")
    item = panel.list.currentItem()
    panel.list.editItem(item)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Question")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: panel.list.state() != QAbstractItemView.State.EditingState, timeout=2000
    )
    assert "Question" in document.graph.data_models
    assert document.graph.node_by_name("inputs").params["data_model"] == "Question"


def test_delete_warns_when_the_model_is_used(qtbot, panel, document, monkeypatch):
    asked: list[str] = []

    def answer(button):
        def warning(_parent, _title, text, *_args, **_kwargs):
            asked.append(text)
            return button

        return staticmethod(warning)

    monkeypatch.setattr(QMessageBox, "warning", answer(QMessageBox.StandardButton.Cancel))
    assert not panel.delete("Query")
    assert "Query" in document.graph.data_models
    assert "inputs" in asked[0]
    monkeypatch.setattr(QMessageBox, "warning", answer(QMessageBox.StandardButton.Yes))
    assert panel.delete("Query")
    assert "Query" not in document.graph.data_models
    document.undo_stack.undo()
    assert list(document.graph.data_models) == ["Query", "AnswerWithThinking"]

    asked.clear()
    panel.create("Unused")
    assert panel.delete("Unused")
    assert asked == []  # nothing uses it: no question
