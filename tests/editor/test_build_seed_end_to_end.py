"""The issue's end-to-end test: build the seed program (two parallel branches) by
hand on a real window — palette drops onto the view, port-to-port mouse drags,
inspector and data-model edits typed with the keyboard — save it, compare with
``saved_graphs/parallel_branches.json`` (ids and positions normalised), then
undo every step back to the empty graph and redo to the end, comparing exact
bytes at both ends.

The palette drag is delivered as the drag-enter, drag-move and drop events the
view receives from a real drag, carrying the palette's own drag data (QTest
cannot drive the platform's nested drag loop).
"""

from __future__ import annotations

import json
import warnings

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QInputDialog

from core.files import dumps_graph
from editor.data_model_fields import DESCRIPTION, NAME, TYPE
from editor.inspector.graph_settings import GraphSettingsForm
from editor.inspector.node_form import NodeForm
from tests.editor.window_helpers import save_dialog_answers


def normalised(document: dict) -> dict:
    """The document with node ids replaced by names, edge ids dropped, positions zeroed."""
    names = {n["id"]: n["name"] for n in document["nodes"]}
    out = json.loads(json.dumps(document))
    for node in out["nodes"]:
        node["id"] = node["name"]
        node["position"] = [0.0, 0.0]
    out["edges"] = [
        {
            "source": names[e["source"]],
            "source_port": e["source_port"],
            "target": names[e["target"]],
            "target_port": e["target_port"],
        }
        for e in document["edges"]
    ]
    out["meta"].pop("datasets", None)  # the example's dataset is not drawn on the canvas
    return out


class Person:
    """Drives one window with the mouse and keyboard."""

    def __init__(self, qtbot, window) -> None:
        self.qtbot = qtbot
        self.window = window
        self.canvas = window.canvas
        self.graph = window.document.graph

    # ------------------------------------------------------------ keyboard
    def type_into(self, widget, text: str, enter: bool = True) -> None:
        widget.setFocus()
        widget.selectAll()
        QTest.keyClick(widget, Qt.Key.Key_Delete)
        QTest.keyClicks(widget, text)
        if enter:
            QTest.keyClick(widget, Qt.Key.Key_Return)

    def type_paragraph(self, editor, text: str) -> None:
        """Type into a multi-line field, then click elsewhere (focus out commits)."""
        editor.setFocus()
        editor.selectAll()
        QTest.keyClick(editor, Qt.Key.Key_Delete)
        QTest.keyClicks(editor, text)
        self.canvas.setFocus()

    def edit_cell(self, table, row: int, column: int, text: str) -> None:
        table.setFocus()
        table.setCurrentCell(row, column)
        QTest.keyClick(table, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        editor.selectAll()
        QTest.keyClicks(editor, text)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        self.qtbot.waitUntil(
            lambda: table.state() != QAbstractItemView.State.EditingState, timeout=2000
        )

    def type_fields(self, table, fields: list[tuple[str, str]]) -> None:
        """A new data model's fields by keyboard: name, Tab, (type) Tab, description,
        Enter for the next field; Escape ends."""
        for row, (name, description) in enumerate(fields):
            for column, text, key in (
                (NAME, name, Qt.Key.Key_Tab),
                (TYPE, "", Qt.Key.Key_Tab),
                (DESCRIPTION, description, Qt.Key.Key_Return),
            ):
                self.qtbot.waitUntil(
                    lambda c=column, r=row: (
                        table.state() == QAbstractItemView.State.EditingState
                        and (table.currentRow(), table.currentColumn()) == (r, c)
                    ),
                    timeout=2000,
                )
                editor = QApplication.focusWidget()
                QTest.keyClicks(editor, text)
                QTest.keyClick(editor, key)
        self.qtbot.waitUntil(lambda: table.pending == len(fields), timeout=2000)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        self.qtbot.waitUntil(lambda: table.pending is None, timeout=2000)

    # --------------------------------------------------------------- mouse
    def click(self, widget) -> None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)

    def drop_from_palette(self, type_name: str, view_point: QPoint) -> str:
        palette = self.window.palette_panel
        mime = palette.tree.mimeData([palette.item_for_type(type_name)])
        viewport = self.canvas.viewport()
        before = set(self.graph.nodes)
        with warnings.catch_warnings():  # PySide marks the QPoint constructors deprecated
            warnings.simplefilter("ignore", DeprecationWarning)
            enter = QDragEnterEvent(
                view_point,
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
            move = QDragMoveEvent(
                view_point,
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
        QApplication.sendEvent(viewport, enter)
        assert enter.isAccepted()
        QApplication.sendEvent(viewport, move)
        drop = QDropEvent(
            QPointF(view_point),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, drop)
        (added,) = set(self.graph.nodes) - before
        return added

    def to_view(self, scene_point: QPointF) -> QPoint:
        return self.canvas.mapFromScene(scene_point)

    def click_card(self, node_id: str) -> None:
        rect = self.canvas.node_item(node_id).scene_card_rect()
        point = self.to_view(QPointF(rect.center().x(), rect.top() + 12))
        viewport = self.canvas.viewport()
        QTest.mouseMove(viewport, point + QPoint(3, 0))
        QTest.mouseMove(viewport, point)
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)

    def wire(self, source: str, target: str) -> None:
        """Drag from ``source``'s output port to ``target``'s input port."""
        start = self.to_view(self.canvas.port_scene_pos(source, "output", True))
        end = self.to_view(self.canvas.port_scene_pos(target, "inputs", False))
        viewport = self.canvas.viewport()
        QTest.mouseMove(viewport, start + QPoint(3, 0))
        QTest.mouseMove(viewport, start)
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        for i in range(1, 9):
            QTest.mouseMove(viewport, start + (end - start) * (i / 8))
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)

    def rename_selected(self, name: str) -> None:
        form = self.window.inspector.form
        assert isinstance(form, NodeForm)
        self.type_into(form.name_edit, name)
        assert not form.name_row.error_label.text(), form.name_row.error_label.text()


def test_build_the_seed_graph_by_hand(qtbot, workspace, monkeypatch, tmp_path, seed_path):
    window = workspace.new_window()
    window.resize(1600, 1000)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    person = Person(qtbot, window)
    document, graph = window.document, window.document.graph
    empty = dumps_graph(graph)

    # Graph settings (nothing selected): name and description, typed.
    settings = window.inspector.form
    assert isinstance(settings, GraphSettingsForm)
    person.type_into(settings.name_edit, "parallel_branches")
    person.type_paragraph(
        settings.description_edit.edit, "Demonstrates parallel execution of modules"
    )

    # Data models, created in the panel.
    panel = window.data_models_panel
    names = iter(["Query", "AnswerWithThinking"])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (next(names), True)))
    person.click(panel.new_button)
    person.type_into(panel.description_edit, "The input query to analyze.")
    person.type_fields(panel.fields, [("query", "The user query")])
    person.click(panel.new_button)
    person.type_into(panel.description_edit, "An answer with step-by-step reasoning.")
    person.type_fields(
        panel.fields,
        [("thinking", "Your step by step thinking"), ("answer", "The correct answer")],
    )
    assert list(graph.data_models) == ["Query", "AnswerWithThinking"]

    # Nodes, dropped from the palette onto the view.
    inputs = person.drop_from_palette("Input", QPoint(120, 200))
    first = person.drop_from_palette("Generator", QPoint(420, 60))
    second = person.drop_from_palette("Generator", QPoint(420, 300))
    out_1 = person.drop_from_palette("Output", QPoint(720, 60))
    out_2 = person.drop_from_palette("Output", QPoint(720, 300))
    window.canvas.fit_all()

    # Names, typed in the inspector after clicking each card.
    for node_id, name in (
        (first, "branch_1"),
        (second, "branch_2"),
        (out_2, "output_2"),
        (out_1, "output_1"),
    ):
        person.click_card(node_id)
        assert window.canvas.selected_node_ids() == [node_id]
        person.rename_selected(name)
    assert graph.nodes[inputs].name == "inputs"

    # Wires, dragged port to port.
    person.wire(inputs, first)
    person.wire(inputs, second)
    person.wire(first, out_1)
    person.wire(second, out_2)
    assert len(graph.edges) == 4

    # The example input, typed into the form generated from the Input's data model.
    window.canvas.select_nodes([])
    window.inspector.set_selection([])
    settings = window.inspector.form
    assert isinstance(settings, GraphSettingsForm)
    person.type_into(settings.value_editors[(None, "query")].widget, "What is the meaning of life?")
    qtbot.waitUntil(lambda: not document._analysis_pending, timeout=2000)
    assert document.diagnostics == []

    # Save with Ctrl+S (no file yet: Save As asks where).
    target = tmp_path / "built.json"
    save_dialog_answers(monkeypatch, target)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert target.exists() and not window.isWindowModified()
    saved_text = target.read_text()
    assert normalised(json.loads(saved_text)) == normalised(json.loads(seed_path.read_text()))

    # Undo every step back to the empty graph, then redo to the end.
    steps = document.undo_stack.index()
    assert steps >= 20
    for _ in range(steps):
        window.undo_action.trigger()
    assert dumps_graph(graph) == empty and not document.undo_stack.canUndo()
    for _ in range(steps):
        window.redo_action.trigger()
    assert dumps_graph(graph) == saved_text and not window.isWindowModified()
