"""One editor window: the canvas in the middle, panels in docks, menus, toolbar,
status bar, and the file commands with their safety nets (unsaved-changes
prompts, load and save errors shown without losing anything, autosave).

The window owns no graph state: it holds one :class:`GraphDocument` and
forwards requests to the canvas, the panels and the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QPalette, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QUndoView,
    QWidget,
)

from core.files import GraphFileError
from editor.actions import WindowActions
from editor.dock_tabs import hide_stray_tab_bars
from editor.palette import NodePalette
from editor.recovery import Autosaver
from editor.results import ResultsArea
from editor.run.controller import install as install_run_feature
from editor.status_bar import EditorStatusBar
from editor.theme import arrow_icon

if TYPE_CHECKING:
    from editor.canvas.view import CanvasView
    from editor.data_models_panel import DataModelsPanel
    from editor.document import GraphDocument
    from editor.inspector import InspectorPanel
    from editor.problems_panel import ProblemsPanel
    from editor.workspace import Workspace

APP_NAME = "Synalinks Canvas"
FILE_FILTER = "Synalinks Canvas graphs (*.json);;All files (*)"


COMPACT_HEIGHT = 900
"""Screens (and windows) shorter than this get the compact layout."""


class MainWindow(QMainWindow):
    def __init__(
        self, workspace: Workspace, document: GraphDocument | None = None, *, deferred: bool = False
    ) -> None:
        """``deferred``: show the window before any graph is loaded (start-up shows the
        frame at once and loads the graph a moment later through :meth:`set_document`)."""
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.workspace = workspace
        self.document: GraphDocument | None = None
        self.canvas: CanvasView | None = None
        self.autosaver: Autosaver | None = None
        self._closed = False
        self._fit_pending = False
        self._layout_settled = False  # dock sizes are applied once the window has its size
        self.undo_group = QUndoGroup(self)
        self.actions = WindowActions(self)

        self.palette_panel = NodePalette(workspace.registry)
        # The graph panels (and the canvas) are built with the first graph: their
        # modules pull in the graph machinery, which the window frame need not wait for.
        self.inspector: InspectorPanel | None = None
        self.data_models_panel: DataModelsPanel | None = None
        self.problems_panel: ProblemsPanel | None = None
        self.results_area = ResultsArea()
        self.undo_view = QUndoView(self.undo_group)
        self.undo_view.setEmptyLabel("<original>")
        self.palette_dock = self._dock(
            "Nodes", "paletteDock", self.palette_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.inspector_dock = self._dock(
            "Inspector", "inspectorDock", QWidget(), Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.history_dock = self._dock(
            "Undo History", "historyDock", self.undo_view, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.data_models_dock = self._dock(
            "Data Models", "dataModelsDock", QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.problems_dock = self._dock(
            "Problems", "problemsDock", QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.results_dock = self._dock(
            "Results", "resultsDock", self.results_area, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.status = EditorStatusBar(self)
        self.setStatusBar(self.status)
        self._default_layout()
        self._default_state = self.saveState()

        self._build_menus()
        self._build_toolbar()
        self._connect()
        self.run_controller = install_run_feature(self)
        from editor.knowledge.install import install_knowledge

        self.knowledge_panel = install_knowledge(self)
        from editor.evaluation.controller import install as install_evaluation

        self.evaluation = install_evaluation(self)
        from editor.training.dialog import install as install_training

        self.train_action = install_training(self)
        # The canvas lives in a stack so that replacing it (New, Open) leaves the
        # panel layout alone; the first page stands in until a graph is loaded.
        self.central = QStackedWidget(self)
        placeholder = QWidget(self.central)
        placeholder.setAutoFillBackground(True)
        placeholder.setBackgroundRole(QPalette.ColorRole.Base)
        self.central.addWidget(placeholder)
        self.setCentralWidget(self.central)
        from editor.subgraphs.navigator import install as install_subgraphs

        self.subgraphs = install_subgraphs(self)  # a breadcrumb over the canvas, levels in it
        if deferred:
            self.setWindowTitle(APP_NAME)
            self.status.showMessage("Opening…")
        else:
            if document is None:
                from editor.document_files import new_document

                document = new_document(workspace.registry)
            self.set_document(document)
        self.apply_theme_choice(workspace.theme_choice)

    # ================================================================ layout
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _default_layout(self) -> None:
        """Palette left, inspector right, the bottom panels tabbed under the canvas."""
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.inspector_dock, self.history_dock)
        self.tabifyDockWidget(self.data_models_dock, self.problems_dock)
        self.tabifyDockWidget(self.data_models_dock, self.results_dock)
        self.inspector_dock.raise_()
        self.data_models_dock.raise_()
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen else None
        if available is not None and available.width() > 0:
            # A small screen gives the window all of it: every pixel goes to the canvas.
            share = 1.0 if available.height() < COMPACT_HEIGHT else 0.92
            width = min(1600, int(available.width() * share))
            height = min(1000, int(available.height() * share))
            self.resize(width, height)
        else:
            self.resize(1400, 900)
        self._size_docks()

    def _size_docks(self) -> None:
        """Panels sized for the window: on a short or narrow one (1280×720) they
        give way, so the canvas keeps over half the window's height and graphs
        open at a zoom where their cards can be read."""
        width, height = self.width(), self.height()
        side = 180 if width < 1400 else 220
        inspector = 290 if width < 1400 else 360
        bottom = max(140, int(height * 0.2)) if height < COMPACT_HEIGHT else 230
        self.resizeDocks(
            [self.palette_dock, self.inspector_dock], [side, inspector], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.data_models_dock], [bottom], Qt.Orientation.Vertical)

    def reset_layout(self) -> None:
        for dock in (
            self.palette_dock,
            self.inspector_dock,
            self.history_dock,
            self.data_models_dock,
            self.problems_dock,
            self.results_dock,
        ):
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state)
        self._size_docks()
        hide_stray_tab_bars(self)

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([a.new, a.new_window, a.open])
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([a.save, a.save_as])
        file_menu.addSeparator()
        file_menu.addAction(a.import_script)
        export_menu = file_menu.addMenu("&Export")
        export_menu.addActions([a.export_python, a.export_picture, a.export_mermaid])
        file_menu.addSeparator()
        file_menu.addActions([a.close_window, a.quit])

        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self._theme_arrows()
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([a.cut, a.copy, a.paste, a.duplicate, a.delete])
        edit_menu.addSeparator()
        edit_menu.addAction(a.select_all)
        edit_menu.addSeparator()
        edit_menu.addAction(a.settings)

        view_menu = bar.addMenu("&View")
        view_menu.addActions([a.fit, a.zoom_in, a.zoom_out, a.reset_zoom])
        view_menu.addSeparator()
        view_menu.addAction(a.snap_to_grid)
        view_menu.addAction(a.show_previews)
        theme_menu = view_menu.addMenu("&Theme")
        theme_menu.addActions(list(a.theme_actions.values()))
        view_menu.addSeparator()
        panels = view_menu.addMenu("&Panels")
        for dock in (
            self.palette_dock,
            self.inspector_dock,
            self.data_models_dock,
            self.problems_dock,
            self.results_dock,
            self.history_dock,
        ):
            panels.addAction(dock.toggleViewAction())
        view_menu.addAction(a.reset_layout)

        graph_menu = bar.addMenu("&Graph")
        graph_menu.addAction(a.quick_add)
        graph_menu.addAction(a.find_node)
        graph_menu.addSeparator()
        graph_menu.addAction(a.auto_layout)
        align_menu = graph_menu.addMenu("A&lign")
        align_menu.addActions(list(a.align_actions.values()))

        run_menu = bar.addMenu("&Run")
        run_menu.addActions([a.run, a.cancel_run])

        help_menu = bar.addMenu("&Help")
        help_menu.addActions([a.shortcuts_help, a.about])

    def _build_toolbar(self) -> None:
        a = self.actions
        toolbar = QToolBar("Main toolbar", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([a.new, a.open, a.save])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([a.quick_add, a.delete])
        toolbar.addSeparator()
        toolbar.addActions([a.fit, a.auto_layout])
        toolbar.addSeparator()
        toolbar.addAction(a.run)
        for action in (self.undo_action, self.redo_action, a.delete, a.fit, a.auto_layout):
            button = toolbar.widgetForAction(action)
            if button is not None:
                button.setToolButtonStyle(
                    Qt.ToolButtonStyle.ToolButtonIconOnly
                    if not action.icon().isNull()
                    else Qt.ToolButtonStyle.ToolButtonTextOnly
                )
        self.toolbar = toolbar
        self.addToolBar(toolbar)

    # ============================================================ connections
    def _connect(self) -> None:
        a = self.actions
        a.new.triggered.connect(self.new_graph)
        a.new_window.triggered.connect(lambda: self.workspace.new_window())
        a.open.triggered.connect(lambda: self.open_file())
        a.save.triggered.connect(self.save)
        a.save_as.triggered.connect(self.save_as)
        a.import_script.triggered.connect(
            lambda: self._export_command("import_script", "import_script")
        )
        a.export_python.triggered.connect(
            lambda: self._export_command("export_commands", "export_python_dialog")
        )
        a.export_picture.triggered.connect(
            lambda: self._export_command("export_commands", "export_picture_dialog")
        )
        a.export_mermaid.triggered.connect(
            lambda: self._export_command("export_commands", "export_mermaid_dialog")
        )
        a.close_window.triggered.connect(self.close)
        a.quit.triggered.connect(self.workspace.quit)
        a.cut.triggered.connect(lambda: self._canvas_call("cut_selection"))
        a.copy.triggered.connect(lambda: self._canvas_call("copy_selection"))
        a.paste.triggered.connect(lambda: self._canvas_call("paste"))
        a.duplicate.triggered.connect(lambda: self._canvas_call("duplicate_selection"))
        a.delete.triggered.connect(lambda: self._canvas_call("delete_selection"))
        a.select_all.triggered.connect(lambda: self._canvas_call("select_all"))
        a.fit.triggered.connect(lambda: self._canvas_call("fit_selection"))
        a.zoom_in.triggered.connect(lambda: self._canvas_call("zoom_in"))
        a.zoom_out.triggered.connect(lambda: self._canvas_call("zoom_out"))
        a.reset_zoom.triggered.connect(lambda: self._canvas_call("reset_zoom"))
        a.quick_add.triggered.connect(lambda: self._canvas_call("open_quick_add"))
        a.find_node.triggered.connect(lambda: self._canvas_call("open_find_node"))
        a.auto_layout.triggered.connect(lambda: self._canvas_call("auto_layout"))
        for mode, action in a.align_actions.items():
            action.triggered.connect(lambda _checked=False, m=mode: self._canvas_call("align", m))
        a.theme_group.triggered.connect(
            lambda action: self.workspace.set_theme_choice(action.data())
        )
        a.snap_to_grid.setChecked(self.workspace.settings.snap_to_grid)
        a.snap_to_grid.toggled.connect(self.workspace.set_snap_to_grid)
        a.show_previews.setChecked(self.workspace.settings.show_previews)
        a.show_previews.toggled.connect(self.workspace.set_show_previews)
        a.reset_layout.triggered.connect(self.reset_layout)
        a.shortcuts_help.triggered.connect(self.show_shortcuts)
        a.about.triggered.connect(self.show_about)
        for action in a.canvas_scoped():
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.palette_panel.addRequested.connect(self.add_node_at_centre)
        self.status.problemsClicked.connect(
            lambda: (self.problems_dock.show(), self.problems_dock.raise_())
        )

    def _export_command(self, module: str, function: str):
        """Run ``editor.export.<module>.<function>(self)``, imported on first use
        (export and import pull in code the window need not load at start-up)."""
        import importlib

        return getattr(importlib.import_module(f"editor.export.{module}"), function)(self)

    def _canvas_call(self, method: str, *args) -> None:
        if self.canvas is not None:
            getattr(self.canvas, method)(*args)

    # =============================================================== document
    def _ensure_panels(self) -> None:
        if self.inspector is not None:
            return
        from editor.data_models_panel import DataModelsPanel
        from editor.inspector import InspectorPanel
        from editor.problems_panel import ProblemsPanel

        self.inspector = InspectorPanel()
        self.data_models_panel = DataModelsPanel()
        self.problems_panel = ProblemsPanel()
        self.inspector_dock.setWidget(self.inspector)
        self.data_models_dock.setWidget(self.data_models_panel)
        self.problems_dock.setWidget(self.problems_panel)
        self.problems_panel.nodeRequested.connect(self.reveal_node)
        self.problems_panel.diagnosticRequested.connect(self.subgraphs.reveal_diagnostic)
        self.problems_panel.countsChanged.connect(self._problem_counts)
        self.inspector.dataModelCreated.connect(self.reveal_data_model)

    def set_document(self, document: GraphDocument) -> None:
        """Show ``document`` in this window (the previous one is closed; callers
        have already asked about its unsaved changes)."""
        from editor.canvas.view import CanvasView

        self._ensure_panels()
        self.subgraphs.leave_all()
        old = self.document
        if old is not None:
            if self.autosaver is not None:
                self.autosaver.stop()
            self.undo_group.removeStack(old.undo_stack)
            for signal, slot in self._document_connections(old):
                signal.disconnect(slot)
            old.close()
        self.document = document
        canvas = CanvasView(document, self.workspace.theme, self.central)
        for action in self.actions.canvas_scoped():
            canvas.addAction(action)
        canvas.shared_actions = self.actions  # its context menus show these actions
        canvas.canvas_scene.snap_to_grid = self.workspace.settings.snap_to_grid
        canvas.set_previews_visible(self.workspace.settings.show_previews)
        canvas.selectionChangedIds.connect(self._selection_changed)
        canvas.nodeActivated.connect(self._node_activated)
        canvas.statusMessage.connect(self.status.show_message)
        canvas.zoomChanged.connect(self.status.set_zoom)
        if self.canvas is not None:
            self.central.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.central.addWidget(canvas)
        self.central.setCurrentWidget(canvas)
        self.canvas = canvas
        canvas.setFocus()
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        for signal, slot in self._document_connections(document):
            signal.connect(slot)
        self.inspector.set_document(document)
        self.data_models_panel.set_document(document)
        self.problems_panel.set_document(document)
        self.autosaver = Autosaver(document, self.workspace.recovery.new_slot())
        self.autosaver.failed.connect(self.status.show_message)
        self._selection_changed([])
        self.status.clearMessage()
        self._fit_pending = bool(document.graph.nodes)
        if self.isVisible():
            QTimer.singleShot(0, self._fit_if_pending)
        self._update_title()
        self._update_counts()
        self._update_zoom()
        if old is not None:
            old.deleteLater()
        self.run_controller.set_document(document)
        self.knowledge_panel.set_document(document)
        self.subgraphs.set_document(document)
        self.evaluation.set_document(document)
        self.workspace.window_documents_changed()

    def _document_connections(self, document: GraphDocument):
        return (
            (document.cleanChanged, self._update_title),
            (document.pathChanged, self._update_title),
            (document.metaChanged, self._update_title),
            (document.graphChanged, self._update_counts),
        )

    def display_name(self) -> str:
        document = self.document
        if document is None:
            return "untitled"
        if document.path:
            return document.path.name
        imported = getattr(document, "imported_from", None)  # editor.export.import_script
        if imported is not None:
            return f"{imported.name} (imported)"
        return document.graph.meta.name or "untitled"

    def _update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.display_name()}[*] — {APP_NAME}")
        self.setWindowModified(bool(self.document and self.document.is_modified))

    def _update_counts(self) -> None:
        if self.document is not None:
            self.status.set_counts(len(self.document.graph.nodes), len(self.document.graph.edges))

    def _update_zoom(self) -> None:
        if self.canvas is not None:
            self.status.set_zoom(self.canvas.zoom())

    def _problem_counts(self, errors: int, warnings: int) -> None:
        self.status.set_problems(errors, warnings)
        total = errors + warnings
        self.problems_dock.setWindowTitle(f"Problems ({total})" if total else "Problems")

    # ============================================================== selection
    def _selection_changed(self, node_ids: list[str]) -> None:
        if self.inspector is not None:
            self.inspector.set_selection(node_ids)
        has = bool(node_ids)
        a = self.actions
        for action in (a.cut, a.copy, a.duplicate, a.delete):
            action.setEnabled(has)
        for action in a.align_actions.values():
            action.setEnabled(len(node_ids) > 1)

    def _node_activated(self, node_id: str) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()

    def add_node_at_centre(self, type_name: str) -> str | None:
        if self.canvas is None:
            return None
        node_id = self.canvas.add_node(type_name)
        self.canvas.setFocus()
        return node_id

    def reveal_node(self, node_id: str) -> None:
        if (
            self.canvas is not None
            and self.document is not None
            and node_id in self.document.graph.nodes
        ):
            self.subgraphs.leave_all()  # the node is the document's own
            self.canvas.select_nodes([node_id])
            self.canvas.center_on_node(node_id)

    def reveal_data_model(self, name: str) -> None:
        self.data_models_dock.show()
        self.data_models_dock.raise_()
        if self.data_models_panel is not None:
            self.data_models_panel.select(name)

    # ================================================================== files
    def maybe_save(self) -> bool:
        """True when the current graph may be replaced or closed (saved, or the user
        chose to discard it); False when the user cancelled or saving failed."""
        document = self.document
        if document is None or not document.is_modified:
            return True
        answer = QMessageBox.warning(
            self,
            "Unsaved changes",
            f"Save the changes to {self.display_name()} first?\n\nIf you don't save, they are lost.",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_graph(self) -> bool:
        if not self.maybe_save():
            return False
        from editor.document_files import new_document

        self.set_document(new_document(self.workspace.registry))
        return True

    def open_file(self, path: str | Path | None = None) -> bool:
        """Open ``path`` (or ask for one) in this window. A file that fails to load
        is reported with the core's message and the current graph stays as it was."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, "Open graph", self._dialog_folder(), FILE_FILTER
            )
            if not chosen:
                return False
            self._chosen(chosen)
            path = chosen
        path = Path(path).resolve()
        other = self.workspace.window_for_path(path)
        if other is not None and other is not self:
            other.activate()
            return True
        from editor.document_files import load_document

        try:
            document = load_document(path, self.workspace.registry)
        except GraphFileError as exc:
            if not path.exists():
                self.workspace.recent.remove(path)
            QMessageBox.critical(self, "Could not open the graph", str(exc))
            return False
        if not self.maybe_save():
            document.close()
            return False
        self.set_document(document)
        self.workspace.recent.add(path)
        self.status.show_message(f"Opened {path}")
        return True

    def save(self) -> bool:
        if self.document is None:
            return False
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        if self.document is None:
            return False
        name = self.document.path.name if self.document.path else None
        start = str(
            Path(self._dialog_folder())
            / (name or f"{self.document.graph.meta.name or 'untitled'}.json")
        )
        chosen, _filter = QFileDialog.getSaveFileName(self, "Save graph as", start, FILE_FILTER)
        if not chosen:
            return False
        self._chosen(chosen)
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".json")
        return self.save_to(path)

    def save_to(self, path: str | Path) -> bool:
        """Save atomically through the core; on failure say why and keep the work open."""
        assert self.document is not None
        try:
            self.document.save(Path(path))
        except GraphFileError as exc:
            # Write the recovery file now, so what the message says is true; a
            # key-like literal is refused there too, and then the message says so.
            recovered = self.autosaver is not None and self.autosaver.write_now()
            kept = (
                "Nothing was lost: the graph is still open with its changes, and a copy is in "
                "the recovery file. Fix the problem or use Save As."
                if recovered
                else "Nothing was lost while this window stays open: the graph is still here "
                "with its changes. They are not in the recovery file: it refuses the same "
                "content. Fix the problem, then save."
            )
            QMessageBox.critical(self, "Could not save the graph", f"{exc}\n\n{kept}")
            return False
        self.workspace.recent.add(path)
        self.workspace.window_documents_changed()
        self.status.show_message(f"Saved {path}")
        return True

    def _dialog_folder(self) -> str:
        from editor.export.folders import start_folder

        return str(start_folder(self))

    def _chosen(self, path: str) -> None:
        from editor.export.folders import remember_folder

        remember_folder(self.workspace.settings, path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.workspace.recent.paths()
        for index, path in enumerate(paths, 1):
            label = f"&{index} {Path(path).name}" if index < 10 else Path(path).name
            action = self.recent_menu.addAction(label)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))
        if not paths:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Recent Files", self.workspace.recent.clear)

    def restore_layout(self, geometry, state) -> None:
        """Put back the size and panel layout saved by the last window closed."""
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None and self.restoreState(state):
            self._layout_settled = True
        QTimer.singleShot(0, self._hide_stray_tab_bars)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._layout_settled:
            self._layout_settled = True
            QTimer.singleShot(0, self._size_docks)  # before the show they are not honoured
            QTimer.singleShot(0, self._hide_stray_tab_bars)
        QTimer.singleShot(0, self._fit_if_pending)

    def _hide_stray_tab_bars(self) -> None:
        hide_stray_tab_bars(self)

    def _fit_if_pending(self) -> None:
        """Show the whole graph once the window has its real size (after opening)."""
        if self._fit_pending and self.canvas is not None:
            self._fit_pending = False
            self.canvas.fit_all()

    # ================================================================ closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self._closed:
            event.accept()
            return
        if not self.maybe_save():
            event.ignore()
            return
        self._closed = True
        self.run_controller.shutdown()
        self.evaluation.shutdown()
        self.workspace.settings.set_window_state(self.saveGeometry(), self.saveState())
        if self.autosaver is not None:
            self.autosaver.stop()
        self.workspace.window_closed(self)
        if self.document is not None and self.inspector is not None:
            self.inspector.set_document(None)
            self.document.close()
        event.accept()

    # ================================================================= theming
    def apply_snap_to_grid(self, on: bool) -> None:
        self.actions.snap_to_grid.setChecked(on)  # no loop: toggled only fires on change
        if self.canvas is not None:
            self.canvas.canvas_scene.snap_to_grid = on

    def apply_show_previews(self, on: bool) -> None:
        self.actions.show_previews.setChecked(on)  # no loop: toggled only fires on change
        if self.canvas is not None:
            self.canvas.set_previews_visible(on)

    def apply_theme_choice(self, choice: str) -> None:
        for name, action in self.actions.theme_actions.items():
            action.setChecked(name == choice)
        self._theme_arrows()
        if self.canvas is not None:
            self.canvas.set_theme(self.workspace.theme)

    def _theme_arrows(self) -> None:
        """Undo and redo arrows in the theme's colours (visible when disabled too)."""
        theme = self.workspace.theme
        self.undo_action.setIcon(arrow_icon(theme, back=True))
        self.redo_action.setIcon(arrow_icon(theme, back=False))

    def activate(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    # =================================================================== help
    def show_shortcuts(self) -> None:
        rows = []
        actions: list[QAction] = [self.undo_action, self.redo_action]
        actions += [v for v in vars(self.actions).values() if isinstance(v, QAction)]
        for action in actions:
            keys = ", ".join(
                s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
            )
            if keys:
                rows.append(
                    f"<tr><td>{action.text().replace('&', '').rstrip('…')}</td>"
                    f"<td style='padding-left:16px'><b>{keys}</b></td></tr>"
                )
        for what, keys in (
            ("Pan", "Middle drag, or Space + drag"),
            ("Zoom", "Wheel"),
            ("Cancel a connection", "Escape"),
            ("Drag against the Snap to Grid setting", "Alt + drag"),
            ("Move the selected nodes", "Arrow keys (Shift: a grid step)"),
        ):
            rows.append(f"<tr><td>{what}</td><td style='padding-left:16px'><b>{keys}</b></td></tr>")
        QMessageBox.information(self, "Keyboard shortcuts", "<table>" + "".join(rows) + "</table>")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b><br>Design, run and export Synalinks programs as graphs.<br>"
            "Licensed under the Apache License 2.0.",
        )
