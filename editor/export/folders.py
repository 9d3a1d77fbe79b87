"""Where the export and import file dialogs start, so a user saving a script or
a picture lands beside the graph it came from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.main_window import MainWindow


def start_folder(window: MainWindow) -> Path:
    """The folder of the window's graph file, else of the script it was imported
    from, else of the most recent graph, else the home folder."""
    document = window.document
    if document is not None and document.path is not None:
        return Path(document.path).parent
    imported = getattr(document, "imported_from", None)
    if imported is not None:
        return Path(imported).parent
    recent = window.workspace.recent.paths()
    return Path(recent[0]).parent if recent else Path.home()
