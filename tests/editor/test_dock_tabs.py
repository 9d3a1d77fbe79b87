"""No forgotten dock tab bar floats over the canvas (a Qt 6.12 main-window bug)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabBar

from editor.dock_tabs import hide_stray_tab_bars


def _visible_bars(window) -> list[list[str]]:
    bars = window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return sorted([bar.tabText(i) for i in range(bar.count())] for bar in bars if bar.isVisible())


def _two_tab_groups(qtbot) -> QMainWindow:
    """The shape of our main window: docks tabbed on the right and at the bottom."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel("canvas"))
    docks = {}
    for name, area in (
        ("Inspector", Qt.DockWidgetArea.RightDockWidgetArea),
        ("Undo History", Qt.DockWidgetArea.RightDockWidgetArea),
        ("Data Models", Qt.DockWidgetArea.BottomDockWidgetArea),
        ("Problems", Qt.DockWidgetArea.BottomDockWidgetArea),
        ("Results", Qt.DockWidgetArea.BottomDockWidgetArea),
    ):
        dock = QDockWidget(name, window)
        dock.setObjectName(name)
        dock.setWidget(QLabel(name))
        window.addDockWidget(area, dock)
        docks[name] = dock
    window.tabifyDockWidget(docks["Inspector"], docks["Undo History"])
    window.tabifyDockWidget(docks["Data Models"], docks["Problems"])
    window.tabifyDockWidget(docks["Data Models"], docks["Results"])
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_stray_tab_bars_are_hidden_and_managed_ones_kept(qtbot):
    window = _two_tab_groups(qtbot)
    before = _visible_bars(window)
    assert ["Data Models", "Problems"] in before, "this Qt no longer leaves a stray bar"
    assert hide_stray_tab_bars(window) == 1
    assert _visible_bars(window) == [
        ["Data Models", "Problems", "Results"],
        ["Inspector", "Undo History"],
    ]
    assert hide_stray_tab_bars(window) == 0  # idempotent


def test_the_editor_window_shows_only_managed_tab_bars(qtbot, workspace, seed_path):
    window = workspace.open_window_for(seed_path)
    qtbot.waitExposed(window)
    window.reset_layout()  # each restoreState can leave another stray bar
    expected = [
        ["Data Models", "Problems", "Results", "Knowledge", "Evaluation"],
        ["Inspector", "Undo History"],
    ]
    qtbot.waitUntil(lambda: _visible_bars(window) == expected, timeout=3000)
