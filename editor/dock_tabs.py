"""Hide the dock tab bars Qt forgets.

Qt 6.12's QMainWindow leaves a stale, visible QTabBar behind when a second
group of tabbed docks is created (and again on each ``restoreState``): it is
no longer managed, so it sits frozen where it was first laid out, over the
canvas ("Data Models | Problems" floating at the canvas's left edge).

A tab bar the layout manages always sits against the dock it switches (below
or above it, or beside it for west/east tabs). One that touches none of the
docks it names is a forgotten one, and is hidden. (Making the layout re-apply
itself to find out would also reset the user's dock sizes.)
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

_TOUCH = 6  # pixels: a managed bar is this close to its dock, or closer


def hide_stray_tab_bars(window: QMainWindow) -> int:
    """Hide the unmanaged dock tab bars of ``window``; return how many."""
    docks = [
        d
        for d in window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if d.isVisible() and not d.isFloating()
    ]
    hidden = 0
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if not bar.isVisible():
            continue
        titles = {bar.tabText(i) for i in range(bar.count())}
        near = bar.geometry().adjusted(-_TOUCH, -_TOUCH, _TOUCH, _TOUCH)
        if not any(d.windowTitle() in titles and near.intersects(d.geometry()) for d in docks):
            bar.hide()
            hidden += 1
    return hidden
