"""Every command a window offers, as QActions with their standard shortcuts.

Built once per window; the window connects them. Canvas-editing shortcuts
(Delete, Ctrl+C/V/X/D/A, F, Tab) are scoped to the canvas so that typing in
the inspector or a panel never deletes nodes or opens quick-add; file, undo
and run shortcuts work anywhere in the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

Key = QKeySequence.StandardKey


class WindowActions(QObject):
    """The window's actions, by name (``actions.save``, ``actions.fit``...)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        style = window.style()

        def act(
            text: str,
            shortcut=None,
            tip: str = "",
            icon: QIcon | None = None,
            theme_icon: str = "",
            fallback: QStyle.StandardPixmap | None = None,
        ) -> QAction:
            action = QAction(text, window)
            if shortcut is not None:
                shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
                action.setShortcuts([QKeySequence(s) for s in shortcuts])
            if tip:
                action.setStatusTip(tip)
            if theme_icon or fallback is not None:
                fallback_icon = style.standardIcon(fallback) if fallback is not None else QIcon()
                action.setIcon(
                    QIcon.fromTheme(theme_icon, fallback_icon) if theme_icon else fallback_icon
                )
            if action.shortcut() and not action.shortcut().isEmpty():
                action.setToolTip(
                    f"{text.replace('&', '').rstrip('…')} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                )
            return action

        SP = QStyle.StandardPixmap
        # File
        self.new = act(
            "&New Graph",
            Key.New,
            "Start a new graph in this window",
            theme_icon="document-new",
            fallback=SP.SP_FileIcon,
        )
        self.new_window = act("New &Window", "Ctrl+Shift+N", "Open another editor window")
        self.open = act(
            "&Open…",
            Key.Open,
            "Open a graph file",
            theme_icon="document-open",
            fallback=SP.SP_DialogOpenButton,
        )
        self.save = act(
            "&Save",
            Key.Save,
            "Save the graph",
            theme_icon="document-save",
            fallback=SP.SP_DialogSaveButton,
        )
        self.save_as = act("Save &As…", "Ctrl+Shift+S", "Save the graph under a new name")
        self.import_script = act(
            "&Import…", "Ctrl+I", "Open a Synalinks Python script as a new graph"
        )
        self.export_python = act(
            "&Python…", "Ctrl+Alt+E", "Export the graph as a runnable Synalinks script"
        )
        self.export_picture = act(
            "P&icture…", "Ctrl+Shift+E", "Export the canvas as a PNG or SVG picture"
        )
        self.export_mermaid = act("&Mermaid…", tip="Export the graph as Mermaid diagram text")
        self.close_window = act("&Close Window", Key.Close, "Close this window")
        self.quit = act("&Quit", Key.Quit, "Close every window and quit")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        # Edit (undo/redo come from the window's QUndoGroup)
        self.cut = act("Cu&t", Key.Cut, "Cut the selected nodes")
        self.copy = act("&Copy", Key.Copy, "Copy the selected nodes (as JSON, to any window)")
        self.paste = act("&Paste", Key.Paste, "Paste nodes from the clipboard")
        self.duplicate = act("&Duplicate", "Ctrl+D", "Duplicate the selected nodes")
        self.delete = act(
            "&Delete",
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
            "Delete the selected nodes and connections",
        )
        self.select_all = act("Select &All", Key.SelectAll, "Select every node")
        # View
        self.fit = act("&Fit to View", "F", "Show the selected nodes, or the whole graph")
        self.zoom_in = act(
            "Zoom &In", [QKeySequence(Key.ZoomIn), QKeySequence("Ctrl+=")], "Zoom in"
        )
        self.zoom_out = act("Zoom &Out", Key.ZoomOut, "Zoom out")
        self.reset_zoom = act("&Actual Size", "Ctrl+0", "Zoom to 100%")
        self.theme_group = QActionGroup(window)
        self.theme_actions: dict[str, QAction] = {}
        for name, label in (("system", "Follow &System"), ("light", "&Light"), ("dark", "&Dark")):
            action = act(label, tip=f"Use the {name} theme")
            action.setCheckable(True)
            action.setData(name)
            self.theme_group.addAction(action)
            self.theme_actions[name] = action
        self.snap_to_grid = act(
            "&Snap to Grid",
            "Ctrl+'",
            "Dragged nodes land on the grid (hold Alt while dragging to do the opposite)",
        )
        self.snap_to_grid.setCheckable(True)
        self.show_previews = act(
            "Show Output &Previews",
            tip="Cards show each node's output over its fields while a run streams, "
            "then its final value",
        )
        self.show_previews.setCheckable(True)
        self.reset_layout = act("&Reset Panel Layout", tip="Put every panel back where it started")
        # Graph / arrange
        self.quick_add = act("&Add Node…", "Tab", "Search node types and add one at the cursor")
        self.find_node = act(
            "&Find Node…", Key.Find, "Jump to a node of the graph by typing part of its name"
        )
        self.auto_layout = act("Auto &Layout", "Ctrl+L", "Arrange the graph left to right")
        self.align_actions: dict[str, QAction] = {}
        for mode, label in (
            ("left", "Align &Left Edges"),
            ("right", "Align &Right Edges"),
            ("top", "Align &Top Edges"),
            ("bottom", "Align &Bottom Edges"),
            ("hcenter", "Align Centres &Horizontally"),
            ("vcenter", "Align Centres &Vertically"),
            ("distribute_h", "Distribute &Horizontally"),
            ("distribute_v", "Distribute V&ertically"),
        ):
            self.align_actions[mode] = act(label, tip="Align the selected nodes")
        # Run (connected by editor.run.controller; Esc also cancels while a run goes on)
        self.run = act(
            "&Run…",
            "Ctrl+R",
            "Run the graph: type its input, watch the results stream in",
            fallback=SP.SP_MediaPlay,
        )
        self.run.setEnabled(False)
        self.cancel_run = act(
            "&Cancel Run", "Ctrl+.", "Stop the run now (also Esc)", fallback=SP.SP_MediaStop
        )
        self.cancel_run.setEnabled(False)
        self.settings = act(
            "&Settings…",
            "Ctrl+,",
            "Provider API keys and server address (kept outside graph files)",
        )
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        # Help
        self.shortcuts_help = act(
            "&Keyboard Shortcuts", Key.HelpContents, "List the keyboard shortcuts"
        )
        self.about = act("&About Synalinks Canvas", tip="Version and licence")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        # Entries other features add to a card's context menu (run from or to
        # here, pin...): each is called with the menu builder and the node id.
        self.node_menu_extensions: list = []

    def canvas_scoped(self) -> list[QAction]:
        """Actions whose shortcuts only fire while the canvas has focus."""
        return [
            self.cut,
            self.copy,
            self.paste,
            self.duplicate,
            self.delete,
            self.select_all,
            self.fit,
            self.quick_add,
        ]
