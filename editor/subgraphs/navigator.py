"""Opening subgraphs on the canvas of a window, one level at a time.

The window keeps one canvas for the document; each subgraph opened on top of
it gets a canvas of its own (a :class:`DefinitionCanvas` on a
:class:`DefinitionDocument`), stacked in the window's central area, so going
back shows the level above exactly as it was left (zoom, selection). The
path of Subgraph node ids from the document down is the breadcrumb, the
prefix of the ids runs give inner nodes, and what is checked after every
change: a level whose node or definition went away (an undo, a delete) is
closed, with the levels under it.

Nothing here edits the graph itself: the canvases push commands through
their documents; collapse and expand are core commands pushed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.model.subgraphs import SUBGRAPH_TYPE, definition_of
from editor.subgraphs.breadcrumb import BreadcrumbBar
from editor.subgraphs.definition_canvas import DefinitionCanvas
from editor.subgraphs.definition_document import DefinitionDocument, graphs_along

if TYPE_CHECKING:
    from core.diagnostics import Diagnostic
    from editor.canvas.view import CanvasView
    from editor.main_window import MainWindow


@dataclass
class Level:
    """One open subgraph: the node it was opened through and what shows it."""

    node_id: str
    definition_id: str
    document: DefinitionDocument
    canvas: DefinitionCanvas


class SubgraphNavigator(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.levels: list[Level] = []
        self.root_canvas: CanvasView | None = None
        self.breadcrumb = BreadcrumbBar()
        self.breadcrumb.levelRequested.connect(self.go_to)
        self._document = None
        self._palette_choices: list | None = None

    # ------------------------------------------------------------ queries
    @property
    def depth(self) -> int:
        return len(self.levels)

    def path(self) -> tuple[str, ...]:
        return tuple(level.node_id for level in self.levels)

    def current_document(self):
        """What the canvas edits now: the window's document or an open definition."""
        return self.levels[-1].document if self.levels else self.window.document

    def current_canvas(self) -> CanvasView | None:
        return self.levels[-1].canvas if self.levels else self.root_canvas

    def level_names(self) -> list[str]:
        root = self.window.document
        head = (root.graph.meta.name if root else "") or (
            root.path.stem if root is not None and root.path else "graph"
        )
        return [head, *(lvl.document.graph.definition_name for lvl in self.levels)]

    # ------------------------------------------------------- the document
    def set_document(self, document) -> None:
        """The window shows a new document on a new canvas (called by the window)."""
        if self._document is not None:
            try:
                self._document.graphChanged.disconnect(self._graph_changed)
            except (RuntimeError, TypeError):
                pass
        self._drop_levels(0)
        self._document = document
        inspector = self.window.inspector
        if inspector is not None and not getattr(inspector, "_opens_subgraphs", False):
            inspector._opens_subgraphs = True
            inspector.openSubgraphRequested.connect(self.open_node)
        self.root_canvas = self.window.canvas
        if document is not None:
            document.graphChanged.connect(self._graph_changed)
        if self.root_canvas is not None:
            self._dress(self.root_canvas)
        self._levels_changed()

    def _dress(self, canvas: CanvasView) -> None:
        """What every canvas of this window gets from the subgraph feature."""
        from editor.subgraphs.placing import subgraph_choices

        canvas.nodeActivated.connect(self._node_activated)
        canvas.quick_add.graph_entries = lambda c=canvas: subgraph_choices(c.document.graph)
        actions = getattr(self.window, "subgraph_actions", None)
        if actions is not None:
            actions.attach(canvas)
            canvas.selectionChangedIds.connect(lambda _ids: actions.update_enabled())

    # --------------------------------------------------------- navigation
    def open_node(self, node_id: str) -> bool:
        """Open the subgraph of ``node_id`` (a Subgraph node of the current level)."""
        document = self.current_document()
        if document is None:
            return False
        node = document.graph.nodes.get(node_id)
        if node is None or node.type != SUBGRAPH_TYPE:
            return False
        definition = definition_of(document.graph, node)
        if definition is None:
            self.window.status.show_message(
                f"{node.name}: its subgraph is not in this graph, so there is nothing to open"
            )
            return False
        if any(level.definition_id == definition.definition_id for level in self.levels):
            self.window.status.show_message(
                f"Subgraph {definition.definition_name} is already open above this one: "
                "a subgraph cannot contain itself"
            )
            return False
        self._push_level(node_id, definition)
        return True

    def _push_level(self, node_id: str, definition) -> None:
        window = self.window
        prefix = "/".join((*self.path(), node_id))
        view_document = DefinitionDocument(window.document, definition, self)
        canvas = DefinitionCanvas(view_document, window.workspace.theme, prefix, node_id)
        for action in window.actions.canvas_scoped():
            canvas.addAction(action)
        canvas.shared_actions = window.actions
        canvas.canvas_scene.snap_to_grid = window.workspace.settings.snap_to_grid
        canvas.set_previews_visible(window.workspace.settings.show_previews)
        canvas.selectionChangedIds.connect(self._selection_changed)
        canvas.nodeActivated.connect(window._node_activated)
        canvas.statusMessage.connect(window.status.show_message)
        canvas.zoomChanged.connect(window.status.set_zoom)
        canvas.upRequested.connect(self.go_up)
        self._dress(canvas)
        window.central.addWidget(canvas)
        self.levels.append(Level(node_id, definition.definition_id, view_document, canvas))
        self._show_current()
        canvas.fit_all()

    def go_up(self) -> None:
        if self.levels:
            self.go_to(len(self.levels) - 1)

    def go_to(self, depth: int) -> None:
        """Show level ``depth`` (0: the document), closing the levels under it."""
        if depth >= len(self.levels) or depth < 0:
            return
        shown = self.levels[depth].node_id if depth < len(self.levels) else None
        self._drop_levels(depth)
        self._show_current()
        canvas = self.current_canvas()
        if canvas is not None and shown is not None and canvas.node_item(shown) is not None:
            canvas.select_nodes([shown])

    def leave_all(self) -> None:
        """Back to the document (before the window replaces it, or reveals a node of it)."""
        if self.levels:
            self._drop_levels(0)
            self._show_current()

    def _drop_levels(self, depth: int) -> None:
        while len(self.levels) > depth:
            level = self.levels.pop()
            level.document.close()
            self.window.central.removeWidget(level.canvas)
            level.canvas.deleteLater()
            level.document.deleteLater()

    def _show_current(self) -> None:
        window = self.window
        canvas = self.current_canvas()
        if canvas is None:
            return
        window.canvas = canvas
        self._sync_settings(canvas)
        window.central.setCurrentWidget(canvas)
        canvas.setFocus()
        if window.inspector is not None:
            window.inspector.set_document(self.current_document())
        window._selection_changed(canvas.selected_node_ids())
        window.status.set_zoom(canvas.zoom())
        self._bind_runs(canvas)
        self._update_counts()
        self._levels_changed()

    def _sync_settings(self, canvas: CanvasView) -> None:
        """The window applies theme, snapping and previews to the canvas shown only:
        a level shown again takes what changed while it was hidden."""
        workspace = self.window.workspace
        canvas.canvas_scene.snap_to_grid = workspace.settings.snap_to_grid
        canvas.set_previews_visible(workspace.settings.show_previews)
        if canvas.theme is not workspace.theme:
            canvas.set_theme(workspace.theme)

    def _levels_changed(self) -> None:
        self.breadcrumb.set_levels(self.level_names())
        self._refresh_palette()
        actions = getattr(self.window, "subgraph_actions", None)
        if actions is not None:
            actions.update_enabled()

    def _check_levels(self) -> None:
        """Close the levels whose Subgraph node or definition is gone; rename crumbs."""
        if not self.levels or self.window.document is None:
            return
        if self._document is not self.window.document:
            return  # the window is between two documents
        along = graphs_along(self.window.document.graph, self.path())
        keep = len(self.levels)
        if along is None:
            keep = 0
            graphs = [self.window.document.graph]
            for level in self.levels:
                node = graphs[-1].nodes.get(level.node_id)
                inner = definition_of(graphs[-1], node) if node is not None else None
                if inner is None or inner.definition_id != level.definition_id:
                    break
                graphs.append(inner)
                keep += 1
        if keep < len(self.levels):
            self.go_to(keep)
        elif self.breadcrumb.names() != self.level_names():
            self._levels_changed()

    def _graph_changed(self) -> None:
        self._check_levels()
        self._refresh_palette()
        self._update_counts()
        actions = getattr(self.window, "subgraph_actions", None)
        if actions is not None:
            actions.update_enabled()

    def _update_counts(self) -> None:
        """The status bar counts the nodes and edges of the graph shown."""
        document = self.current_document()
        if document is not None:
            self.window.status.set_counts(len(document.graph.nodes), len(document.graph.edges))

    def _refresh_palette(self) -> None:
        """The palette lists the definitions the graph shown may use."""
        from editor.subgraphs.placing import subgraph_choices

        document = self.current_document()
        choices = subgraph_choices(document.graph if document is not None else None)
        if choices != self._palette_choices:
            self._palette_choices = choices
            self.window.palette_panel.set_subgraphs(choices)

    # -------------------------------------------------------------- events
    def _node_activated(self, node_id: str) -> None:
        document = self.current_document()
        if document is None:
            return
        node = document.graph.nodes.get(node_id)
        if node is not None and node.type == SUBGRAPH_TYPE:
            self.open_node(node_id)

    def _selection_changed(self, node_ids: list[str]) -> None:
        """A definition's selection: the inspector edits those nodes, the results
        show the run of the one selected (under its path id)."""
        self.window._selection_changed(node_ids)
        canvas = self.current_canvas()
        if isinstance(canvas, DefinitionCanvas):
            one = canvas.run_id(node_ids[0]) if len(node_ids) == 1 else None
            self.window.results_area.set_selected(one)

    def _bind_runs(self, canvas: CanvasView) -> None:
        """The run painter paints on the canvas shown, from the run the results show."""
        controller = getattr(self.window, "run_controller", None)
        if controller is None:
            return
        controller.painter.bind(canvas)
        controller.banner.attach(canvas)
        shown = self.window.results_area.shown
        if shown is not None and shown.belongs_to(self.window.document):
            controller.painter.show_entry(shown)

    # ------------------------------------------------------------ problems
    def reveal_diagnostic(self, diagnostic: Diagnostic) -> bool:
        """Open the subgraphs along ``diagnostic.path`` and select its node."""
        document = self.window.document
        if document is None:
            return False
        path = tuple(getattr(diagnostic, "path", ()) or ())
        along = graphs_along(document.graph, path)
        if along is None:
            self.window.status.show_message(
                "That problem is in a subgraph that is no longer in the graph"
            )
            return False
        self.leave_all()
        for node_id, definition in zip(path, along[1:], strict=True):
            self._push_level(node_id, definition)
        canvas = self.current_canvas()
        if canvas is not None and diagnostic.node_id and canvas.node_item(diagnostic.node_id):
            canvas.select_nodes([diagnostic.node_id])
            canvas.center_on_node(diagnostic.node_id)
        return True


def install(window: MainWindow) -> SubgraphNavigator:
    """Give ``window`` subgraph navigation: the breadcrumb goes over its central
    stack of canvases (the window's ``central``), which moves into a box."""
    navigator = SubgraphNavigator(window)
    central = window.takeCentralWidget()
    box = QWidget(window)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(navigator.breadcrumb)
    layout.addWidget(central, 1)
    navigator.breadcrumb.setBackgroundRole(central.backgroundRole())
    window.setCentralWidget(box)
    box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    from editor.subgraphs.edit_actions import SubgraphActions

    window.subgraph_actions = SubgraphActions(window, navigator)
    return navigator
