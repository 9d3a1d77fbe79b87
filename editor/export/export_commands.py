"""What File → Export → Python…, Picture… and Mermaid… do in a window.

Each function reads the window's graph through the core (``export_python``,
``export_mermaid``) or its canvas (pictures), opens its dialog window-modal
without blocking (so tests and the event loop keep running) and returns it.
An :class:`~core.export.ExportError` is shown with the core's message, which
says what to change, and the Problems panel is brought forward when the graph
has errors to fix.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from core.export import ExportError, export_mermaid, export_python
from editor.export.folders import start_folder
from editor.export.mermaid_preview import MermaidPreviewDialog
from editor.export.picture_dialog import PictureDialog
from editor.export.pictures import PictureOptions
from editor.export.python_preview import PythonPreviewDialog

if TYPE_CHECKING:
    from editor.main_window import MainWindow
    from editor.settings import Settings


def export_python_dialog(window: MainWindow) -> PythonPreviewDialog | None:
    """The Python preview of the window's graph, or None after showing why not."""
    document = window.document
    if document is None:
        return None
    try:
        text = export_python(document.graph, document.registry)
    except ExportError as exc:
        if document.has_errors():
            window.problems_dock.show()
            window.problems_dock.raise_()
        QMessageBox.critical(
            window,
            "Cannot export to Python",
            f"The graph cannot be exported as it is:\n{exc}\n\n"
            "Fix it in the graph (the Problems panel lists every error and selects the node "
            "when clicked), then export again.",
        )
        return None
    dialog = PythonPreviewDialog(
        window, text, document.graph.meta.name, start_folder(window), window.workspace.theme
    )
    _open(dialog)
    return dialog


def export_mermaid_dialog(window: MainWindow) -> MermaidPreviewDialog | None:
    """The Mermaid text of the window's graph (drawn as it is, errors included)."""
    document = window.document
    if document is None:
        return None
    try:
        text = export_mermaid(document.graph, document.registry)
    except ExportError as exc:
        QMessageBox.critical(window, "Cannot export to Mermaid", str(exc))
        return None
    dialog = MermaidPreviewDialog(window, text, document.graph.meta.name, start_folder(window))
    _open(dialog)
    return dialog


def export_picture_dialog(window: MainWindow) -> PictureDialog | None:
    """The picture options for the window's canvas."""
    if window.document is None or window.canvas is None:
        return None
    settings = window.workspace.settings
    dialog = PictureDialog(
        window.canvas,
        window.document.graph.meta.name,
        start_folder(window),
        window,
        initial=_remembered_picture(settings.picture_choices),
    )
    dialog.exported.connect(window.status.show_message)
    dialog.accepted.connect(lambda: _remember_picture(settings, dialog.options()))
    _open(dialog)
    return dialog


def _remembered_picture(choices: dict) -> PictureOptions | None:
    """The last export's options, or None when there are none or they no longer fit."""
    try:
        return PictureOptions(**choices) if choices else None
    except (TypeError, ValueError):
        return None


def _remember_picture(settings: Settings, options: PictureOptions) -> None:
    """The next picture dialog starts from the choices of the last export."""
    settings.picture_choices = asdict(options)


def _open(dialog: QDialog) -> None:
    """Window-modal and deleted when closed; ``open()`` returns at once."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
