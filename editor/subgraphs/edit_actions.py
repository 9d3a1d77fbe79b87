"""Edit → Open Subgraph, Up One Level, Collapse into Subgraph (Ctrl+G) and
Expand Subgraph (Ctrl+Shift+G): window actions that act on the canvas shown,
also offered on a card's context menu.

Collapse and expand are the core's commands, each one undo step; when the
core refuses (a selection holding an Input, a Branch label crossing the
boundary...), its one sentence goes to the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from core.commands import SubgraphError, collapse_command, expand_command
from core.model.subgraphs import SUBGRAPH_TYPE

if TYPE_CHECKING:
    from editor.canvas.context_menu import MenuBuilder
    from editor.main_window import MainWindow
    from editor.subgraphs.navigator import SubgraphNavigator


class SubgraphActions(QObject):
    def __init__(self, window: MainWindow, navigator: SubgraphNavigator) -> None:
        super().__init__(window)
        self.window = window
        self.navigator = navigator

        def act(text: str, keys: str, tip: str, slot) -> QAction:
            action = QAction(text, window)
            action.setShortcut(QKeySequence(keys))
            action.setStatusTip(tip)
            action.setToolTip(f"{text.replace('&', '')} ({keys})")
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            return action

        self.open = act(
            "&Open Subgraph",
            "Ctrl+Return",
            "Edit the subgraph of the selected node",
            self.open_selected,
        )
        self.up = act(
            "&Up One Level", "Alt+Up", "Back to the graph this subgraph is used in", navigator.go_up
        )
        self.collapse = act(
            "&Collapse into Subgraph",
            "Ctrl+G",
            "Turn the selected nodes into a subgraph used by one node",
            self.collapse_selection,
        )
        self.expand = act(
            "E&xpand Subgraph",
            "Ctrl+Shift+G",
            "Put the nodes of the selected subgraph in its place",
            self.expand_selection,
        )
        self.all = [self.open, self.up, self.collapse, self.expand]
        edit_menu = next(
            (a.menu() for a in window.menuBar().actions() if a.text() == "&Edit"), None
        )
        if edit_menu is not None:
            edit_menu.addSeparator()
            edit_menu.addActions(self.all)
            edit_menu.aboutToShow.connect(self.update_enabled)
        extensions = getattr(window.actions, "selection_menu_extensions", None)
        if extensions is None:
            extensions = window.actions.selection_menu_extensions = []
        extensions.append(self.extend_node_menu)

    def attach(self, canvas) -> None:
        """Let the shortcuts fire while ``canvas`` has the focus."""
        canvas.addActions(self.all)

    # ------------------------------------------------------------ state
    def _selection(self) -> tuple[object, list[str]]:
        canvas = self.navigator.current_canvas()
        document = self.navigator.current_document()
        ids = canvas.selected_node_ids() if canvas is not None else []
        return document, ids

    def _one_subgraph(self) -> str | None:
        document, ids = self._selection()
        if document is None or len(ids) != 1:
            return None
        node = document.graph.nodes.get(ids[0])
        return ids[0] if node is not None and node.type == SUBGRAPH_TYPE else None

    def update_enabled(self) -> None:
        """Menus show what applies to the selection (the shortcuts always answer)."""
        _document, ids = self._selection()
        one = self._one_subgraph() is not None
        self.open.setEnabled(one)
        self.expand.setEnabled(one)
        self.collapse.setEnabled(bool(ids))
        self.up.setEnabled(self.navigator.depth > 0)

    # ---------------------------------------------------------- commands
    def open_selected(self) -> None:
        node_id = self._one_subgraph()
        if node_id is None:
            self.window.status.show_message("Select one subgraph node to open it")
            return
        self.navigator.open_node(node_id)

    def collapse_selection(self) -> None:
        document, ids = self._selection()
        if document is None:
            return
        try:
            command, _definition_id, node_id = collapse_command(
                document.graph, document.registry, ids, name="subgraph"
            )
            document.push(command)
        except SubgraphError as exc:
            self.window.status.show_message(f"Cannot collapse: {exc}")
            return
        canvas = self.navigator.current_canvas()
        if canvas is not None:
            canvas.select_nodes([node_id])
        node = document.graph.nodes[node_id]
        self.window.status.show_message(
            f"Collapsed {len(ids)} node{'s' if len(ids) != 1 else ''} into {node.name} "
            "(double-click it to edit, Ctrl+Z to undo)"
        )

    def expand_selection(self) -> None:
        document, _ids = self._selection()
        node_id = self._one_subgraph()
        if document is None or node_id is None:
            self.window.status.show_message("Select one subgraph node to expand it")
            return
        name = document.graph.nodes[node_id].name
        try:
            command, new_ids = expand_command(document.graph, document.registry, node_id)
            document.push(command)
        except SubgraphError as exc:
            self.window.status.show_message(f"Cannot expand: {exc}")
            return
        canvas = self.navigator.current_canvas()
        if canvas is not None:
            canvas.select_nodes(new_ids)
        self.window.status.show_message(f"Expanded {name} into {len(new_ids)} nodes")

    # ------------------------------------------------------ context menu
    def extend_node_menu(self, builder: MenuBuilder, node_id: str, ids: list[str]) -> None:
        """A card's menu: open and expand a subgraph card; collapse the selection."""
        self.update_enabled()
        graph = builder.view.document.graph
        node = graph.nodes.get(node_id)
        if node is not None and node.type == SUBGRAPH_TYPE and len(ids) == 1:
            self.open.setShortcutVisibleInContextMenu(True)
            self.expand.setShortcutVisibleInContextMenu(True)
            builder.menu.addAction(self.open)
            builder.menu.addAction(self.expand)
        self.collapse.setShortcutVisibleInContextMenu(True)
        builder.menu.addAction(self.collapse)
        builder.menu.addSeparator()
