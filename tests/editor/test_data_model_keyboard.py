"""Data models by keyboard alone: a new field opens with its name being edited,
Tab goes to the type and the description, Enter starts the next field, Escape
leaves no empty field behind; types include other data models and lists of
them, defaults and optional fields; every edit is one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QInputDialog

from core.files import load_graph
from core.model.data_models import FieldSpec
from editor.data_model_fields import DEFAULT, DESCRIPTION, NAME, REQUIRED, TYPE
from editor.data_models_panel import DataModelsPanel


@pytest.fixture
def panel(qtbot, document):
    widget = DataModelsPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.set_document(document)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def editing(qtbot, table, row: int, column: int):
    """The open cell editor at (row, column)."""
    qtbot.waitUntil(
        lambda: (
            table.state() == QAbstractItemView.State.EditingState
            and (table.currentRow(), table.currentColumn()) == (row, column)
        ),
        timeout=2000,
    )
    return QApplication.focusWidget()


class Keyboard:
    """Counts what a person does: a click, a dialog answered, a text typed and
    ended with a key, or a key alone, are one action each."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.actions = 0

    def type_then(self, widget, text: str, key) -> None:
        self.actions += 1
        if text:
            self.qtbot.keyClicks(widget, text)
        self.qtbot.keyClick(widget, key)

    def click(self, button) -> None:
        self.actions += 1
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_seed_data_models_by_keyboard_in_17_actions(
    qtbot, panel, document, monkeypatch, seed_path, registry
):
    graph = document.graph
    for name in list(graph.data_models):
        graph.remove_data_model(name)
    panel._refresh()
    table = panel.fields
    keys = Keyboard(qtbot)
    names = iter(["Query", "AnswerWithThinking"])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (next(names), True)))
    seed = load_graph(seed_path, registry).data_models
    for model in ("Query", "AnswerWithThinking"):
        keys.click(panel.new_button)
        keys.actions += 1  # the name typed into the dialog
        assert QApplication.focusWidget() is panel.description_edit
        keys.type_then(panel.description_edit, seed[model].description, Qt.Key.Key_Return)
        for row, field in enumerate(seed[model].fields):
            keys.type_then(editing(qtbot, table, row, NAME), field.name, Qt.Key.Key_Tab)
            keys.type_then(editing(qtbot, table, row, TYPE), "", Qt.Key.Key_Tab)
            keys.type_then(
                editing(qtbot, table, row, DESCRIPTION), field.description, Qt.Key.Key_Return
            )
        keys.type_then(editing(qtbot, table, len(seed[model].fields), NAME), "", Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: table.pending is None, timeout=2000)
        assert graph.data_models[model] == seed[model]
    assert keys.actions == 17
    assert list(graph.data_models) == ["Query", "AnswerWithThinking"]


def test_escape_on_a_new_field_leaves_nothing_and_enter_on_a_name_goes_on(qtbot, panel, document):
    panel.select("Query")
    start = document.undo_stack.index()
    qtbot.mouseClick(panel.add_field_button, Qt.MouseButton.LeftButton)
    table = panel.fields
    qtbot.keyClick(editing(qtbot, table, 1, NAME), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.pending is None and table.rowCount() == 1, timeout=2000)
    assert document.undo_stack.index() == start
    qtbot.mouseClick(panel.add_field_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editing(qtbot, table, 1, NAME), "context")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClicks(editing(qtbot, table, 2, NAME), "language")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClick(editing(qtbot, table, 3, NAME), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.pending is None, timeout=2000)
    names = [f.name for f in document.graph.data_models["Query"].fields]
    assert names == ["query", "context", "language"]
    assert document.undo_stack.index() == start + 2  # one step per field
    document.undo_stack.undo()
    assert [f.name for f in document.graph.data_models["Query"].fields] == ["query", "context"]


def test_a_field_holding_a_list_of_another_data_model_typed_in(qtbot, panel, document):
    graph = document.graph
    panel.select("AnswerWithThinking")
    qtbot.mouseClick(panel.add_field_button, Qt.MouseButton.LeftButton)
    table = panel.fields
    qtbot.keyClicks(editing(qtbot, table, 2, NAME), "asked")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    combo = editing(qtbot, table, 2, TYPE)
    assert isinstance(combo, QComboBox)
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert "list[Query]" in offered and "AnswerWithThinking" not in offered  # never itself
    qtbot.keyClicks(combo, "list[Query]")
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    editing(qtbot, table, 2, DESCRIPTION)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert graph.data_models["AnswerWithThinking"].fields[2] == FieldSpec(
        name="asked", type="model", data_model="Query", is_list=True
    )
    assert table.item(2, TYPE).text() == "list[Query]"
    assert graph.data_models["AnswerWithThinking"].json_schema(graph.data_models)["$defs"]


def test_defaults_and_optional_fields_are_cells_too(qtbot, panel, document):
    graph = document.graph
    panel.select("AnswerWithThinking")
    table = panel.fields
    table.setFocus()
    table.setCurrentCell(1, DEFAULT)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.keyClicks(editing(qtbot, table, 1, DEFAULT), "I do not know")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: graph.data_models["AnswerWithThinking"].fields[1].default is not None)
    assert graph.data_models["AnswerWithThinking"].fields[1].default == "I do not know"
    table.setCurrentCell(1, REQUIRED)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not graph.data_models["AnswerWithThinking"].fields[1].required)
    assert (
        graph.data_models["AnswerWithThinking"].fields[1].type_label() == "str? = 'I do not know'"
    )


def test_an_unknown_type_is_refused_with_the_types_offered(qtbot, panel, document):
    panel.select("Query")
    table = panel.fields
    table.setFocus()
    table.setCurrentCell(0, TYPE)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = editing(qtbot, table, 0, TYPE)
    editor.lineEdit().selectAll()
    qtbot.keyClicks(editor, "strng")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: panel.error_label.isVisibleTo(panel), timeout=2000)
    assert "'strng' is not a type" in panel.error_label.text()
    assert document.graph.data_models["Query"].fields[0].type == "str"


def test_the_type_column_is_wide_enough_to_read(panel):
    table = panel.fields
    panel.select("AnswerWithThinking")
    widest = table.fontMetrics().horizontalAdvance("list[Query]")
    assert table.columnWidth(TYPE) >= widest + 30


def test_the_run_form_takes_a_nested_data_model_as_json(qtbot):
    from editor.inspector.value_editors import ValueEditor
    from tests.core.nested_models import REPORT

    got: list = []
    editor = ValueEditor(REPORT.field("sources"))
    qtbot.addWidget(editor)
    editor.committed.connect(got.append)
    editor.invalid.connect(lambda reason: got.append(reason))
    editor.widget.setPlainText('{"url": "a"}\n{"url": "b"}')
    editor.widget.document().setModified(True)
    editor.commit_pending()
    editor.widget.setPlainText("nope")
    editor.widget.document().setModified(True)
    editor.commit_pending()
    assert got == [
        [{"url": "a"}, {"url": "b"}],
        'sources: write the Source as a JSON object with its fields, like {"name": "value"}',
    ]


def test_enter_on_the_type_commits_it_and_starts_the_next_field(qtbot, panel, document):
    graph = document.graph
    panel.select("Query")
    table = panel.fields
    table.setFocus()
    table.setCurrentCell(0, TYPE)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = editing(qtbot, table, 0, TYPE)
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo, "list[str]")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    editing(qtbot, table, 1, NAME)
    assert table.pending == 1
    assert graph.data_models["Query"].fields[0].is_list
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.pending is None, timeout=2000)
    assert len(graph.data_models["Query"].fields) == 1
