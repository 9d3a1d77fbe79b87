"""Refusing to run a graph with errors, pointing to where they are listed.

The Problems panel is brought forward (clicking a problem there selects its
node) and a window-modal message names the errors, so the reason is never a
mystery and nothing starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from editor.main_window import MainWindow

SHOWN_ERRORS = 8


def show_refusal(window: MainWindow, errors: list) -> QMessageBox:
    """Show why the graph cannot run; returns the (open, non-blocking) message box."""
    window.problems_dock.show()
    window.problems_dock.raise_()
    count = len(errors)
    them = "them" if count != 1 else "it"
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Cannot run the graph",
        f"The graph has {count} error{'s' if count != 1 else ''}; fix {them} before running. "
        f"The Problems panel lists {them}: click one to go to its node.",
        QMessageBox.StandardButton.Close,
        window,
    )
    lines = [f"\u2022 {d.message}" for d in errors[:SHOWN_ERRORS]]
    if count > SHOWN_ERRORS:
        lines.append(f"… and {count - SHOWN_ERRORS} more")
    box.setInformativeText("\n".join(lines))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    window.status.show_message("Run refused: fix the errors listed in the Problems panel")
    return box
