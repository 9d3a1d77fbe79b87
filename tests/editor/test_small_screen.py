"""A 1280×720 window: the canvas keeps over half the height, the examples open
readable (never in the text-less overview), a splitter move refits, and the
run banner reserves its strip instead of covering the top row of nodes."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.canvas.node_item import TEXT_LOD
from editor.canvas.view import READABLE_ZOOM

EXAMPLES = Path(__file__).resolve().parents[2] / "saved_graphs"


def _small_window(qtbot, workspace, path):
    window = workspace.open_window_for(path)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window._size_docks()
    qtbot.wait(50)
    window.canvas.fit_all()
    return window


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_examples_open_readable_with_half_the_height_for_the_canvas(qtbot, workspace, name):
    window = _small_window(qtbot, workspace, EXAMPLES / name)
    canvas = window.canvas
    assert canvas.viewport().height() >= window.height() / 2
    assert canvas.zoom() >= READABLE_ZOOM > TEXT_LOD  # cards keep their text


def test_moving_a_splitter_refits_until_the_user_zooms(qtbot, workspace, seed_path):
    window = _small_window(qtbot, workspace, seed_path)
    canvas = window.canvas
    before = canvas.mapToScene(canvas.viewport().rect().center())
    canvas.resize(canvas.width() - 200, canvas.height())
    qtbot.waitUntil(lambda: canvas.mapToScene(canvas.viewport().rect().center()) != before)
    canvas.zoom_in()
    zoom = canvas.zoom()
    canvas.resize(canvas.width() + 100, canvas.height())
    qtbot.wait(20)
    assert canvas.zoom() == zoom  # the user's own zoom is left alone


def test_the_run_banner_reserves_its_strip(qtbot, workspace, seed_path):
    window = _small_window(qtbot, workspace, seed_path)
    canvas, banner = window.canvas, window.run_controller.banner
    top = canvas.mapToScene(0, 0)
    banner.show_running("Running", workspace.theme)
    assert canvas.viewportMargins().top() >= banner.height()
    assert banner.geometry().bottom() < canvas.viewport().geometry().top()
    assert banner.height() < 2 * banner.cancel_button.sizeHint().height()  # one line
    assert (
        abs(canvas.mapToScene(0, 0).y() - top.y()) < 2
    )  # the view's top row moved down, not under
    banner.hide()
    assert canvas.viewportMargins().top() == 0
