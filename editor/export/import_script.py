"""File → Import…: a Synalinks script opens as a new graph in a new window.

The core reads the script (``ast``, never running it); this module only asks
for the file, shows the core's ``file:line`` message when the script cannot
become a graph, and otherwise opens the graph in a window of its own, so no
open graph is ever touched. The new graph is unsaved (closing asks first) and
titled after the script until it is saved; the importer's warnings (details
the graph leaves out) are listed in a box that does not block the editor.
A script that builds several programs asks which one to import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from core.importer import ImportProblem, ScriptImportError, import_python_file
from core.registry import Registry
from editor.document import GraphDocument
from editor.export.folders import remember_folder, start_folder

if TYPE_CHECKING:
    from editor.main_window import MainWindow

SCRIPT_FILTER = "Synalinks scripts (*.py);;All files (*)"
MAX_LISTED_WARNINGS = 20


class ImportedDocument(GraphDocument):
    """A graph read from a script: no file of its own yet, unsaved, and named
    after the script (``imported_from``) until it is saved."""

    def __init__(self, graph, registry: Registry, script: Path) -> None:
        super().__init__(graph, registry)
        self.imported_from = script
        self.undo_stack.resetClean()  # unsaved work: closing the window asks first


def imported_document(
    path: str | Path, registry: Registry, program: str | None = None
) -> tuple[ImportedDocument, list[ImportProblem]]:
    """The document for the script at ``path`` (its program named ``program`` when
    it builds several) and the importer's warnings; raises
    :class:`ScriptImportError` (its message lists file:line problems)."""
    path = Path(path).resolve()
    result = import_python_file(path, registry, program)
    return ImportedDocument(result.graph, registry, path), list(result.warnings)


def import_script(window: MainWindow, path: str | Path | None = None) -> MainWindow | None:
    """Ask for a script (unless ``path``), import it and open it in a new window;
    return that window, or None when cancelled or when the script could not be
    read (the reason is shown; every open graph stays as it was)."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            window, "Import Synalinks script", str(start_folder(window)), SCRIPT_FILTER
        )
        if not chosen:
            return None
        remember_folder(window.workspace.settings, chosen)
        path = chosen
    try:
        try:
            document, warnings = imported_document(path, window.workspace.registry)
        except ScriptImportError as several:
            if not several.programs:
                raise
            program = choose_program(window, Path(path).name, several.programs)
            if program is None:
                return None
            document, warnings = imported_document(path, window.workspace.registry, program)
    except ScriptImportError as exc:
        QMessageBox.critical(
            window,
            "Could not import the script",
            f"{exc}\n\nThe script was only read, never run, and no open graph was changed. "
            "Fix the lines above (or remove what the importer does not support) and import again.",
        )
        return None
    new_window = window.workspace.new_window(document)
    nodes, edges = len(document.graph.nodes), len(document.graph.edges)
    summary = f"Imported {document.imported_from.name}: {nodes} nodes, {edges} edges"
    if warnings:
        summary += f", {plural(len(warnings), 'warning')}"
        show_import_warnings(new_window, document.imported_from, warnings)
    new_window.status.show_message(summary)
    return new_window


def choose_program(parent: QWidget, script: str, programs: list[str]) -> str | None:
    """Ask which of the script's programs to import (a graph holds one program);
    None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("chooseProgram")
    dialog.setWindowTitle("Import Synalinks script")
    dialog.setLabelText(f"{script} builds {len(programs)} programs. Which one do you import?")
    dialog.setOption(QInputDialog.InputDialogOption.UseListViewForComboBoxItems)
    dialog.setComboBoxItems(programs)
    dialog.setTextValue(programs[0])
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.textValue()
    return chosen if chosen in programs else None


def show_import_warnings(
    parent: QWidget, script: Path, warnings: list[ImportProblem]
) -> QMessageBox:
    """A box listing what the graph left out of the script; it stays open beside
    the editor without blocking it."""
    listed = "\n".join(f"• line {w.line}: {w.message}" for w in warnings[:MAX_LISTED_WARNINGS])
    more = len(warnings) - MAX_LISTED_WARNINGS
    if more > 0:
        listed += f"\n… and {more} more (see Show Details)"
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Imported with warnings",
        f"{script.name} was imported with {plural(len(warnings), 'warning')}: "
        "these details of the script differ in the graph or are left out.",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("importWarnings")
    box.setInformativeText(listed)
    box.setDetailedText("\n".join(str(w) for w in warnings))
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
