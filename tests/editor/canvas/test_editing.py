"""Editing on the canvas: move, select, delete, clipboard, align, layout, drops."""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from core.commands.clipboard import CLIPBOARD_MIME
from core.files import dumps_graph
from editor.canvas import NODE_TYPE_MIME

from .conftest import drop_mime


def test_a_move_drag_is_one_undo_step_for_every_selected_node(open_canvas):
    canvas = open_canvas("parallel_branches")
    a, b = canvas.node("branch_1"), canvas.node("branch_2")
    start_a, start_b = a.position, b.position
    canvas.view.select_nodes([a.id, b.id])
    depth = canvas.document.undo_stack.count()
    grab = canvas.header("branch_1")
    canvas.drag(grab, grab + QPointF(100, 50), steps=10)
    assert a.position == (start_a[0] + 100, start_a[1] + 50)
    assert b.position == (start_b[0] + 100, start_b[1] + 50)
    assert canvas.document.undo_stack.count() == depth + 1
    canvas.document.undo_stack.undo()
    assert (a.position, b.position) == (start_a, start_b)
    item = canvas.view.node_item(a.id)
    assert (item.x(), item.y()) == start_a


def test_a_click_without_moving_pushes_nothing_and_selects(open_canvas):
    canvas = open_canvas("parallel_branches")
    depth = canvas.document.undo_stack.count()
    seen = []
    canvas.view.selectionChangedIds.connect(seen.append)
    point = canvas.header("branch_2")
    canvas.press(point)
    canvas.release(point)
    assert canvas.document.undo_stack.count() == depth
    assert canvas.view.selected_node_ids() == [canvas.node("branch_2").id]
    assert seen and seen[-1] == [canvas.node("branch_2").id]


def test_rubber_band_selects_the_cards_it_touches(open_canvas):
    canvas = open_canvas("parallel_branches")
    r1 = canvas.view.node_item(canvas.node("branch_1").id).scene_card_rect()
    r2 = canvas.view.node_item(canvas.node("branch_2").id).scene_card_rect()
    start = QPointF(r1.left() - 30, r1.top() - 30)
    end = QPointF(r2.center().x(), r2.center().y())
    canvas.drag(start, end, steps=8)
    assert set(canvas.view.selected_node_ids()) == {
        canvas.node("branch_1").id,
        canvas.node("branch_2").id,
    }


def test_delete_then_undo_restores_the_exact_graph(open_canvas):
    canvas = open_canvas("fork_merge")
    before = dumps_graph(canvas.graph)
    canvas.view.select_nodes([canvas.node("find_quotes").id, canvas.node("merge").id])
    canvas.view.setFocus()
    QTest.keyClick(canvas.viewport, Qt.Key.Key_Delete)
    assert "merge" not in {n.name for n in canvas.graph.nodes.values()}
    assert canvas.view.node_item(canvas.graph.node_by_name("research").id) is not None
    assert len(canvas.graph.edges) == 2
    canvas.document.undo_stack.undo()
    assert dumps_graph(canvas.graph) == before
    assert len(canvas.view.canvas_scene.edge_items()) == len(canvas.graph.edges)


def test_backspace_deletes_a_selected_edge(open_canvas):
    canvas = open_canvas("parallel_branches")
    (edge,) = canvas.graph.incoming(canvas.node("output_1").id)
    item = canvas.view.edge_item(edge.id)
    point = item.path().pointAtPercent(0.5)
    canvas.press(point)
    canvas.release(point)
    assert canvas.view.selected_edge_ids() == [edge.id]
    QTest.keyClick(canvas.viewport, Qt.Key.Key_Backspace)
    assert edge.id not in canvas.graph.edges and canvas.view.edge_item(edge.id) is None


def test_copy_then_paste_through_the_system_clipboard(open_canvas):
    canvas = open_canvas("parallel_branches")
    ids = [canvas.node("branch_1").id, canvas.node("output_1").id]
    canvas.view.select_nodes(ids)
    QTest.keyClick(canvas.viewport, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasFormat(CLIPBOARD_MIME)
    assert json.loads(mime.text())["format"] == "synalinks-canvas-clipboard"
    count = len(canvas.graph.nodes)
    QTest.keyClick(canvas.viewport, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.graph.nodes) == count + 2
    pasted = canvas.view.selected_node_ids()
    assert len(pasted) == 2 and not set(pasted) & set(ids)
    names = {canvas.graph.nodes[i].name for i in pasted}
    assert names == {"branch_3", "output_3"}
    # The edge between the copied nodes came along.
    assert any(e.source in pasted and e.target in pasted for e in canvas.graph.edges.values())
    canvas.document.undo_stack.undo()
    assert len(canvas.graph.nodes) == count


def test_paste_of_plain_json_text_from_another_window(open_canvas, qapp):
    source = open_canvas("fork_merge")
    source.view.select_nodes([source.node("research").id])
    source.view.copy_selection()
    text = QGuiApplication.clipboard().mimeData().text()
    QGuiApplication.clipboard().setText(text)  # only text: as another app would pass it
    target = open_canvas("parallel_branches")
    ids = target.view.paste()
    assert len(ids) == 1
    node = target.graph.nodes[ids[0]]
    assert node.type == "Generator" and "Research" in target.graph.data_models


def test_paste_of_foreign_text_reports_and_changes_nothing(open_canvas):
    canvas = open_canvas("parallel_branches")
    messages = []
    canvas.view.statusMessage.connect(messages.append)
    QGuiApplication.clipboard().setText("hello")
    before = dumps_graph(canvas.graph)
    assert canvas.view.paste() == []
    assert dumps_graph(canvas.graph) == before
    assert any("does not hold Synalinks Canvas nodes" in m for m in messages)


def test_duplicate_offsets_the_copy_and_cut_removes(open_canvas):
    canvas = open_canvas("parallel_branches")
    node = canvas.node("branch_2")
    canvas.view.select_nodes([node.id])
    QTest.keyClick(canvas.viewport, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    (copy_id,) = canvas.view.selected_node_ids()
    copy = canvas.graph.nodes[copy_id]
    assert copy.id != node.id and copy.position == (node.position[0] + 40, node.position[1] + 40)
    assert copy.params == node.params
    QTest.keyClick(canvas.viewport, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert copy_id not in canvas.graph.nodes
    assert QGuiApplication.clipboard().mimeData().hasFormat(CLIPBOARD_MIME)


def test_select_all(open_canvas):
    canvas = open_canvas("fork_merge")
    QTest.keyClick(canvas.viewport, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert canvas.view.selected_node_ids() == list(canvas.graph.nodes)


def test_align_left_and_distribute_are_one_step_each(open_canvas):
    canvas = open_canvas("fork_merge")
    ids = [canvas.node(n).id for n in ("research", "merge", "output_1")]
    canvas.view.select_nodes(ids)
    depth = canvas.document.undo_stack.count()
    canvas.view.align("left")
    assert {canvas.graph.nodes[i].position[0] for i in ids} == {320.0}
    canvas.view.align("distribute_v")
    assert canvas.document.undo_stack.count() == depth + 2
    rects = sorted((canvas.view.node_item(i).scene_card_rect() for i in ids), key=lambda r: r.top())
    gaps = [rects[i + 1].top() - rects[i].bottom() for i in range(2)]
    assert abs(gaps[0] - gaps[1]) <= 1.0


def test_auto_layout_is_one_step_and_leaves_no_card_overlapping(open_canvas):
    canvas = open_canvas("conditional_branches")
    for node in canvas.graph.nodes.values():  # pile everything up
        from core.commands import MoveNodes

        canvas.document.push(MoveNodes({node.id: (node.position, (0.0, 0.0))}))
    depth = canvas.document.undo_stack.count()
    canvas.view.auto_layout()
    assert canvas.document.undo_stack.count() == depth + 1
    rects = [canvas.view.node_item(n).scene_card_rect() for n in canvas.graph.nodes]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    # Left to right: every edge goes from a column to a later one.
    for edge in canvas.graph.edges.values():
        assert (
            canvas.graph.nodes[edge.source].position[0]
            < canvas.graph.nodes[edge.target].position[0]
        )


def test_a_palette_drop_creates_that_node_at_the_drop_point(open_canvas):
    canvas = open_canvas("parallel_branches")
    mime = QMimeData()
    mime.setData(NODE_TYPE_MIME, QByteArray(b"Decision"))
    point = canvas.to_view(canvas.empty_point())
    enter, drop = drop_mime(canvas.viewport, mime, point)
    assert enter.isAccepted() and drop.isAccepted()
    (node,) = [n for n in canvas.graph.nodes.values() if n.type == "Decision"]
    card = canvas.view.node_item(node.id).scene_card_rect()
    assert card.contains(canvas.view.mapToScene(point))
    assert canvas.view.selected_node_ids() == [node.id]


def test_a_drop_of_an_unknown_type_is_refused(open_canvas):
    canvas = open_canvas("parallel_branches")
    messages = []
    canvas.view.statusMessage.connect(messages.append)
    mime = QMimeData()
    mime.setData(NODE_TYPE_MIME, QByteArray(b"Teleporter"))
    _enter, drop = drop_mime(canvas.viewport, mime, canvas.to_view(canvas.empty_point()))
    assert not drop.isAccepted()
    assert len(canvas.graph.nodes) == 5
    assert any("Teleporter" in m for m in messages)


def test_double_click_on_empty_canvas_and_tab_open_quick_add(open_canvas):
    canvas = open_canvas("parallel_branches")
    point = canvas.empty_point()
    QTest.mouseDClick(
        canvas.viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        canvas.to_view(point),
    )
    popup = canvas.view.quick_add
    assert popup.isVisible()
    assert len(popup.visible_types()) == len(canvas.document.registry.names())
    QTest.keyClicks(popup.search, "gener")
    QTest.keyClick(popup.search, Qt.Key.Key_Return)
    (node,) = [n for n in canvas.graph.nodes.values() if n.name == "generator"]
    assert canvas.view.node_item(node.id).scene_card_rect().contains(point)
    canvas.view.setFocus()
    QTest.keyClick(canvas.view, Qt.Key.Key_Tab)
    assert popup.isVisible()
    QTest.keyClick(popup.search, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_double_click_on_a_card_activates_it(open_canvas):
    canvas = open_canvas("parallel_branches")
    seen = []
    canvas.view.nodeActivated.connect(seen.append)
    QTest.mouseDClick(
        canvas.viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        canvas.to_view(canvas.header("branch_1")),
    )
    assert seen == [canvas.node("branch_1").id]
    assert not canvas.view.quick_add.isVisible()


def test_add_node_api_returns_the_id_and_is_undoable(open_canvas):
    canvas = open_canvas(None)
    node_id = canvas.view.add_node("Input", QPointF(100, 100))
    assert canvas.graph.nodes[node_id].type == "Input"
    assert canvas.view.selected_node_ids() == [node_id]
    canvas.document.undo_stack.undo()
    assert not canvas.graph.nodes and canvas.view.node_item(node_id) is None
