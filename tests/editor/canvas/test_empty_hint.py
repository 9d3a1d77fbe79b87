"""An empty canvas says how to begin; the hint leaves with the first node and
comes back when the graph is empty again."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect

from editor.canvas.empty_hint import EMPTY_HINT


def _centre_band(canvas):
    canvas.qtbot.wait(20)  # let the repaint happen
    image = canvas.viewport.grab().toImage()
    middle = image.rect().center()
    return image.copy(QRect(middle.x() - 300, middle.y() - 60, 600, 120))


def _text_pixels(image, color) -> int:
    """Pixels of the hint's title colour (the grid and background have none)."""
    target = (color.red(), color.green(), color.blue())
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - target[0]) + abs(c.green() - target[1]) + abs(c.blue() - target[2])
                < 30
            ):
                count += 1
    return count


def test_the_hint_shows_on_an_empty_graph_only(open_canvas):
    canvas = open_canvas()
    assert "empty" in EMPTY_HINT[0]
    with_hint = _centre_band(canvas)
    far_away = canvas.view.mapToScene(canvas.viewport.rect().bottomRight()) + QPointF(4000, 4000)
    canvas.view.add_node("Input", far_away)  # off screen: only the hint can change the band
    without = _centre_band(canvas)
    title = canvas.view.theme.window_text
    assert _text_pixels(with_hint, title) > 50
    assert _text_pixels(without, title) == 0
    canvas.document.undo_stack.undo()
    assert not canvas.graph.nodes
    assert _centre_band(canvas) == with_hint


def test_a_graph_with_nodes_shows_no_hint(open_canvas):
    canvas = open_canvas("parallel_branches")
    assert canvas.view._was_empty is False
