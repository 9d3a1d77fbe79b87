"""Menus list each command once; toolbar arrows stay visible when disabled."""

from __future__ import annotations

from collections import Counter

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu

from editor.main_window import MainWindow


def _menu_actions(menu: QMenu) -> list:
    found = []
    for action in menu.actions():
        if action.menu() is not None:
            found += _menu_actions(action.menu())
        elif not action.isSeparator():
            found.append(action)
    return found


def test_settings_appears_once_in_the_menus(qtbot, workspace):
    window: MainWindow = workspace.new_window()
    qtbot.waitExposed(window)
    everywhere = [
        a for top in window.menuBar().actions() if top.menu() for a in _menu_actions(top.menu())
    ]
    assert Counter(everywhere)[window.actions.settings] == 1


def _ink(icon: QIcon, mode: QIcon.Mode):
    """The most opaque pixel's colour of the icon's 16 px pixmap in ``mode``."""
    image = icon.pixmap(16, 16, mode).toImage()
    best = max(
        (image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())),
        key=lambda c: c.alpha(),
    )
    return best


def test_disabled_undo_arrow_is_drawn_in_the_themes_disabled_text_colour(qtbot, workspace):
    window: MainWindow = workspace.new_window()
    qtbot.waitExposed(window)
    window.actions.theme_actions["dark"].trigger()
    theme = workspace.theme
    assert not window.undo_action.isEnabled()  # a fresh graph has nothing to undo
    ink = _ink(window.undo_action.icon(), QIcon.Mode.Disabled)
    assert ink.alpha() == 255
    assert ink.rgb() == theme.disabled_text.rgb()
    # and visibly lighter than the dark toolbar it sits on
    assert ink.lightness() - theme.window.lightness() > 50
    assert _ink(window.redo_action.icon(), QIcon.Mode.Normal).rgb() == theme.window_text.rgb()
