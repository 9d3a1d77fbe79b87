"""Fixtures for the export and import tests: a canvas on the seed graph, and a
window on it."""

from __future__ import annotations

import pytest

from editor.theme import light_theme


@pytest.fixture
def view(qtbot, document):
    """A shown canvas on the seed graph (light theme), fitted to its window."""
    from editor.canvas.view import CanvasView

    canvas = CanvasView(document, light_theme())
    qtbot.addWidget(canvas)
    canvas.resize(1000, 700)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.fit_all()
    return canvas


@pytest.fixture
def seed_window(qtbot, workspace, seed_path):
    window = workspace.open_window_for(seed_path)
    qtbot.waitExposed(window)
    return window
