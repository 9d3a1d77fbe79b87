"""Snap to grid (dragged cards land on the grid as a group; Alt does the opposite)
and nudging the selection with the arrow keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from editor.canvas.scene import GRID

ALT = Qt.KeyboardModifier.AltModifier


def _on_grid(position) -> bool:
    return all(value % GRID == 0 for value in position)


def _alt_drag(canvas, start: QPointF, end: QPointF, steps: int = 6) -> None:
    """A left drag with Alt held throughout (QTest's moves carry no modifiers)."""
    left = Qt.MouseButton.LeftButton
    canvas.press(start, modifier=ALT)
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        local = QPointF(canvas.to_view(point))
        glob = QPointF(canvas.viewport.mapToGlobal(local.toPoint()))
        event = QMouseEvent(QEvent.Type.MouseMove, local, glob, Qt.MouseButton.NoButton, left, ALT)
        QApplication.sendEvent(canvas.viewport, event)
    canvas.release(end, modifier=ALT)


def test_with_snapping_a_dragged_group_lands_on_the_grid_keeping_its_shape(open_canvas):
    canvas = open_canvas("parallel_branches")
    canvas.view.canvas_scene.snap_to_grid = True
    a, b = canvas.node("branch_1"), canvas.node("branch_2")
    before = a.position
    gap = (b.position[0] - a.position[0], b.position[1] - a.position[1])
    canvas.view.select_nodes([a.id, b.id])
    depth = canvas.document.undo_stack.count()
    grab = canvas.header("branch_1")
    canvas.drag(grab, grab + QPointF(101, 37), steps=7)
    assert _on_grid(a.position), a.position
    assert (b.position[0] - a.position[0], b.position[1] - a.position[1]) == gap
    assert canvas.document.undo_stack.count() == depth + 1
    item = canvas.view.node_item(a.id)
    assert (item.x(), item.y()) == a.position
    # The snapped spot is the grid point nearest to where the pointer took the card.
    assert abs(a.position[0] - (before[0] + 101)) <= GRID / 2
    assert abs(a.position[1] - (before[1] + 37)) <= GRID / 2
    canvas.document.undo_stack.undo()
    assert a.position == before


def test_without_snapping_a_drag_moves_by_exactly_the_pointer(open_canvas):
    canvas = open_canvas("parallel_branches")
    a = canvas.node("branch_1")
    start = a.position
    grab = canvas.header("branch_1")
    canvas.drag(grab, grab + QPointF(101, 37), steps=7)
    assert a.position == (start[0] + 101, start[1] + 37)


def test_alt_inverts_snapping_for_one_drag(open_canvas):
    canvas = open_canvas("parallel_branches")
    canvas.view.canvas_scene.snap_to_grid = True
    a = canvas.node("branch_1")
    start = a.position
    grab = canvas.header("branch_1")
    _alt_drag(canvas, grab, grab + QPointF(101, 37), steps=7)
    assert a.position == (start[0] + 101, start[1] + 37)

    canvas.view.canvas_scene.snap_to_grid = False
    grab = canvas.header("branch_1")
    _alt_drag(canvas, grab, grab + QPointF(53, 29), steps=5)
    assert _on_grid(a.position), a.position


def test_nodes_added_while_snapping_start_on_the_grid(open_canvas):
    canvas = open_canvas()
    canvas.view.canvas_scene.snap_to_grid = True
    node_id = canvas.view.add_node("Generator", QPointF(131.0, 77.0))
    assert _on_grid(canvas.graph.nodes[node_id].position)
    canvas.view.canvas_scene.snap_to_grid = False
    node_id = canvas.view.add_node("Generator", QPointF(531.0, 77.0))
    assert not _on_grid(canvas.graph.nodes[node_id].position)


def test_arrow_keys_nudge_the_selection_in_one_undo_step(open_canvas, qtbot):
    canvas = open_canvas("parallel_branches")
    a, b = canvas.node("branch_1"), canvas.node("branch_2")
    start_a, start_b = a.position, b.position
    canvas.view.select_nodes([a.id, b.id])
    canvas.view.setFocus()
    depth = canvas.document.undo_stack.count()
    for _ in range(3):
        qtbot.keyClick(canvas.view, Qt.Key.Key_Right)
    qtbot.keyClick(canvas.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert a.position == (start_a[0] + 3, start_a[1] + GRID)
    assert b.position == (start_b[0] + 3, start_b[1] + GRID)
    item = canvas.view.node_item(a.id)
    assert (item.x(), item.y()) == a.position
    assert canvas.document.undo_stack.count() == depth + 1  # the presses merged
    canvas.document.undo_stack.undo()
    assert (a.position, b.position) == (start_a, start_b)


def test_arrow_keys_move_a_grid_step_when_snapping_and_scroll_without_selection(open_canvas, qtbot):
    canvas = open_canvas("parallel_branches")
    canvas.view.canvas_scene.snap_to_grid = True
    a = canvas.node("branch_1")
    start = a.position
    canvas.view.select_nodes([a.id])
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Left)
    assert a.position == (start[0] - GRID, start[1])
    canvas.view.select_nodes([])
    depth = canvas.document.undo_stack.count()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Left)
    assert canvas.document.undo_stack.count() == depth and a.position == (start[0] - GRID, start[1])
