"""What every editor window of one process shares: the registry, settings, recent
files, the recovery store, the theme, and the list of open windows.

Windows ask the workspace to open more windows, to find the window already
showing a file, and to switch theme everywhere; the workspace offers to
restore work a crashed editor left behind.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.files import GraphFileError
from core.registry import Registry, default_registry
from editor.main_window import MainWindow
from editor.recent_files import RecentFiles
from editor.recovery import RecoveryEntry, RecoveryStore
from editor.settings import Settings
from editor.theme import Theme, apply_to_application, theme_by_name

if TYPE_CHECKING:
    from editor.document import GraphDocument
    from editor.run.synalinks_runtime import SynalinksRuntime


class Workspace(QObject):
    def __init__(
        self,
        settings: Settings,
        recovery: RecoveryStore,
        registry: Registry | None = None,
        apply_palette: bool = True,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.recovery = recovery
        self.registry = registry or default_registry()
        self.recent = RecentFiles(settings)
        self.windows: list[MainWindow] = []
        self._apply_palette = apply_palette
        self._synalinks: SynalinksRuntime | None = None
        self.theme_choice = settings.theme
        self.theme: Theme = theme_by_name(self.theme_choice)
        self._apply_theme()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._system_scheme_changed)

    # ---------------------------------------------------------------- windows
    def new_window(
        self, document: GraphDocument | None = None, *, deferred: bool = False
    ) -> MainWindow:
        """Open and show a window on ``document`` (a new graph when None; no graph
        yet when ``deferred``, for start-up)."""
        window = MainWindow(self, document, deferred=deferred)
        if not self.windows:
            window.restore_layout(*self.settings.window_state())
        else:
            last = self.windows[-1]
            window.move(last.pos().x() + 32, last.pos().y() + 32)
        self.windows.append(window)
        window.show()
        return window

    def open_window_for(self, path: str | Path) -> MainWindow | None:
        """A window showing ``path``: the one already open, or a new one. None (after
        saying why) when the file cannot be read."""
        from editor.document_files import load_document

        existing = self.window_for_path(path)
        if existing is not None:
            existing.activate()
            return existing
        try:
            document = load_document(path, self.registry)
        except GraphFileError as exc:
            QMessageBox.critical(
                self.windows[-1] if self.windows else None, "Could not open the graph", str(exc)
            )
            return None
        self.recent.add(path)
        return self.new_window(document)

    def window_for_path(self, path: str | Path) -> MainWindow | None:
        wanted = Path(path).resolve()
        for window in self.windows:
            if window.document is not None and window.document.path is not None:
                if Path(window.document.path).resolve() == wanted:
                    return window
        return None

    def window_closed(self, window: MainWindow) -> None:
        remaining = [w for w in self.windows if w is not window]
        shown = remaining or [window]
        self.settings.last_session_files = [
            str(w.document.path)
            for w in shown
            if w.document is not None and w.document.path is not None
        ]
        self.windows = remaining

    def window_documents_changed(self) -> None:
        if self.windows:
            self.settings.last_session_files = [
                str(w.document.path)
                for w in self.windows
                if w.document is not None and w.document.path
            ]

    def quit(self) -> None:
        """Close every window (each may ask about unsaved changes; Cancel stops)."""
        for window in list(self.windows):
            if not window.close():
                return
        app = QApplication.instance()
        if app is not None and not self.windows:
            app.quit()

    # ---------------------------------------------------------------- runtime
    @property
    def synalinks(self) -> SynalinksRuntime:
        """The Synalinks worker every window shares (made on first use, never at start-up)."""
        if self._synalinks is None:
            from editor.run.synalinks_runtime import SynalinksRuntime

            self._synalinks = SynalinksRuntime()
        return self._synalinks

    @synalinks.setter
    def synalinks(self, runtime: SynalinksRuntime) -> None:
        """Share a runtime made elsewhere (tests keep one worker for many windows)."""
        self._synalinks = runtime

    @property
    def synalinks_started(self) -> bool:
        return self._synalinks is not None

    async def close_runtime(self) -> None:
        """Stop the Synalinks worker, if one was ever started (the editor quits)."""
        if self._synalinks is not None:
            await self._synalinks.close()

    # ------------------------------------------------------------------ theme
    def set_theme_choice(self, choice: str) -> None:
        self.settings.theme = choice
        self.theme_choice = choice
        self.theme = theme_by_name(choice)
        self._apply_theme()
        for window in self.windows:
            window.apply_theme_choice(choice)

    def set_show_previews(self, on: bool) -> None:
        """Show the run's output on the cards in every window (remembered)."""
        self.settings.show_previews = on
        for window in self.windows:
            window.apply_show_previews(on)

    def set_snap_to_grid(self, on: bool) -> None:
        """Snap dragged cards to the grid in every window (remembered)."""
        self.settings.snap_to_grid = on
        for window in self.windows:
            window.apply_snap_to_grid(on)

    def _system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.theme_choice == "system":
            self.set_theme_choice("system")

    def _apply_theme(self) -> None:
        app = QApplication.instance()
        if self._apply_palette and isinstance(app, QApplication):
            apply_to_application(app, self.theme)

    # --------------------------------------------------------------- recovery
    def offer_recovery(self, parent: QWidget | None = None) -> list[MainWindow]:
        """Ask whether to restore work left by an editor that crashed; return the
        windows that now show restored work."""
        entries = self.recovery.crashed_entries()
        if not entries:
            return []
        lines = "\n".join(
            f"• {e.name}  (autosaved {time.strftime('%Y-%m-%d %H:%M', time.localtime(e.saved_at))})"
            for e in entries
        )
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Restore unsaved work?")
        box.setText("Synalinks Canvas did not close normally last time.")
        box.setInformativeText(f"Unsaved work can be restored:\n{lines}")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Not Now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        clicked = box.clickedButton()
        if clicked is discard:
            for entry in entries:
                self.recovery.discard(entry)
            return []
        if clicked is not restore:
            return []
        return self.restore(entries)

    def restore(self, entries: list[RecoveryEntry]) -> list[MainWindow]:
        from editor.document_files import restored_document

        windows: list[MainWindow] = []
        for entry in entries:
            try:
                graph = entry.load(self.registry)
            except GraphFileError as exc:
                QMessageBox.warning(None, "Could not restore", f"{entry.name}: {exc.problem}")
                continue
            document = restored_document(graph, self.registry, entry.source_path)
            target = self._pristine_window()
            if target is not None:
                target.set_document(document)
                target.activate()
            else:
                target = self.new_window(document)
            assert target.autosaver is not None
            target.autosaver.write_now()  # the work is safe in this editor's own slot
            self.recovery.discard(entry)
            windows.append(target)
        return windows

    def _pristine_window(self) -> MainWindow | None:
        """A window showing an untouched new graph (restored work can take its place)."""
        for window in self.windows:
            document = window.document
            if (
                document is not None
                and document.path is None
                and not document.is_modified
                and document.undo_stack.count() == 0
                and not document.graph.nodes
            ):
                return window
        return None


def start_files(workspace: Workspace, argv_paths: list[str]) -> list[str]:
    """What the first windows show: the files named on the command line, else the
    last session's files that still exist (none: a new graph)."""
    if argv_paths:
        return list(argv_paths)
    return [p for p in workspace.settings.last_session_files if Path(p).is_file()]


def open_start_files(workspace: Workspace, first: MainWindow, paths: list[str]) -> list[str]:
    """Load ``paths`` (the first into ``first``, which was shown without a graph,
    the others in windows of their own); return the load errors to show."""
    from editor.document_files import load_document, new_document

    errors: list[str] = []
    documents: list[GraphDocument] = []
    for path in paths:
        try:
            documents.append(load_document(path, workspace.registry))
        except GraphFileError as exc:
            errors.append(str(exc))
            continue
        workspace.recent.add(path)
    first.set_document(documents[0] if documents else new_document(workspace.registry))
    for document in documents[1:]:
        workspace.new_window(document)
    first.activate()
    return errors
