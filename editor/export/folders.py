"""Where file dialogs start: the user's own folders, never the application's.

A dialog starts beside the window's graph, else in the folder of the last file
the user chose in any dialog (remembered across sessions), else in the home
folder. The bundled examples live inside the application: an untitled graph
must not be sent there because the last graph opened was an example.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.main_window import MainWindow
    from editor.settings import Settings

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "saved_graphs"


def start_folder(window: MainWindow) -> Path:
    """The folder of the window's graph file, else (an untitled graph) of the
    script it was imported from, else the last folder chosen in a file dialog,
    else of the most recent graph, else the home folder; for an untitled graph
    the application's examples are skipped."""
    document = window.document
    if document is not None and document.path is not None:
        return Path(document.path).parent  # the user opened it from there
    candidates: list[Path] = []
    imported = getattr(document, "imported_from", None)
    if imported is not None:
        candidates.append(Path(imported).parent)
    last = window.workspace.settings.last_folder
    if last:
        candidates.append(Path(last))
    candidates += [Path(p).parent for p in window.workspace.recent.paths()[:1]]
    for folder in candidates:
        if folder.is_dir() and not is_application_folder(folder):
            return folder
    return Path.home()


def remember_folder(settings: Settings, chosen: str | Path) -> None:
    """Remember where the user just chose a file (not the examples: see the
    module docstring)."""
    folder = Path(chosen).resolve().parent
    if not is_application_folder(folder):
        settings.last_folder = str(folder)


def is_application_folder(folder: Path) -> bool:
    """Whether ``folder`` is inside the application's bundled examples."""
    try:
        return folder.resolve().is_relative_to(EXAMPLES_DIR)
    except OSError:
        return False
