"""Right-click menus on the canvas: one for a card, one for an edge, one for
empty canvas (also opened by the keyboard's Menu key).

A menu acts on what was clicked: a card that is part of the selection acts on
the whole selection, any other card is selected first (so the menu never acts
on something the person cannot see is chosen); an edge likewise; empty canvas
clears the selection, so Auto Layout and Fit to View mean the whole graph.

Where the window already has the command (``CanvasView.shared_actions``, the
:class:`~editor.actions.WindowActions`), the menu shows that very QAction, so
its shortcut, its enabled state and its status tip are the window's. Entries
that mean something only here (Paste Here at the clicked point, Delete
Connection...) are local actions that show the matching shortcut as a hint
without registering it again (two actions on one key would make Qt refuse
both). A view used alone, without a window, gets local actions for
everything, hinting the keys the view itself handles.

Every edit is one core command pushed through the document; whether a rename
or an inserted node is allowed is the core's answer (``node_name_problem``,
``connection_problem``), never decided here.

A menu is deleted once it closes, and its entries hold the view weakly: were
an entry the last holder of a view nobody else keeps, deleting the menu would
delete the view from inside the destructor of its own child.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QWidgetAction

from core.commands import make_node
from core.commands.clipboard import CLIPBOARD_FORMAT, CLIPBOARD_MIME
from editor.canvas.card import card_content, card_layout
from editor.canvas.edge_item import EdgeItem
from editor.canvas.editing import disconnect_command
from editor.canvas.insert_node import (
    Through,
    insert_node_command,
    insert_position,
    insertable_types,
)
from editor.canvas.lineage import downstream, upstream
from editor.palette import colour_chip
from editor.theme import menu_palette_for

if TYPE_CHECKING:
    from editor.canvas.view import CanvasView

Key = QKeySequence.StandardKey
NATIVE = QKeySequence.SequenceFormat.NativeText
ViewCall = Callable[["CanvasView"], object]


@dataclass(frozen=True, slots=True)
class Standard:
    """A window command the menus show: its label and keys (as in
    :mod:`editor.actions`) and the view method a view alone calls for it."""

    text: str
    keys: QKeySequence.StandardKey | str
    method: str


STANDARD: dict[str, Standard] = {
    "cut": Standard("Cu&t", Key.Cut, "cut_selection"),
    "copy": Standard("&Copy", Key.Copy, "copy_selection"),
    "paste": Standard("&Paste", Key.Paste, "paste"),
    "duplicate": Standard("&Duplicate", "Ctrl+D", "duplicate_selection"),
    "delete": Standard("&Delete", "Del", "delete_selection"),
    "select_all": Standard("Select &All", Key.SelectAll, "select_all"),
    "fit": Standard("&Fit to View", "F", "fit_selection"),
    "auto_layout": Standard("Auto &Layout", "Ctrl+L", "auto_layout"),
}
ALIGN: dict[str, str] = {
    "left": "Align &Left Edges",
    "right": "Align &Right Edges",
    "top": "Align &Top Edges",
    "bottom": "Align &Bottom Edges",
    "hcenter": "Align Centres &Horizontally",
    "vcenter": "Align Centres &Vertically",
    "distribute_h": "Distribute &Horizontally",
    "distribute_v": "Distribute V&ertically",
}
RENAME_KEY = "F2"
TAB_KEY = "Tab"


# ------------------------------------------------------------------ opening
def open_context_menu(
    view: CanvasView, pos: QPoint, global_pos: QPoint, keyboard: bool = False
) -> QMenu:
    """Build and pop up the menu for what is at viewport point ``pos`` (for the
    keyboard: the first selected card, else empty canvas at ``pos``)."""
    scene_pos = view.mapToScene(pos)
    node_id = edge_id = None
    if keyboard:
        ids = view.selected_node_ids()
        item = view.node_item(ids[0]) if ids else None
        if item is not None:
            node_id = item.node_id
            rect = item.scene_card_rect()
            scene_pos = QPointF(rect.left() + 24.0, rect.top() + 16.0)
            global_pos = view.viewport().mapToGlobal(view.mapFromScene(scene_pos))
    else:
        node_id, edge_id = _target_at(view, pos, scene_pos)
    menu = QMenu(view)
    menu.setObjectName("canvasContextMenu")
    builder = MenuBuilder(view, menu)
    builder.dress(menu)
    if node_id is not None:
        builder.node_menu(node_id)
    elif edge_id is not None:
        builder.edge_menu(edge_id, scene_pos)
    else:
        builder.canvas_menu(scene_pos)
    # Deleted once hidden: after a pick, the action has run by the time the
    # deletion is processed (Qt triggers it synchronously while hiding).
    menu.aboutToHide.connect(menu.deleteLater)
    menu.destroyed.connect(_weak(view, lambda v: _forget(v, menu)))
    menu.popup(global_pos)
    return menu


def _forget(view: CanvasView, menu: QMenu) -> None:
    if view.context_menu is menu:
        view.context_menu = None


def _weak(view: CanvasView, call: ViewCall, later: bool = False) -> Callable[..., None]:
    """``call(view)`` while the view lives, holding it weakly (see the module
    docstring). ``later``: one turn of the event loop later, once the menu has
    closed and handed the focus back (a popup or an editor opened before that
    would lose the focus at once)."""
    ref = weakref.ref(view)

    def run(*_args) -> None:
        target = ref()
        if target is None or not shiboken6.isValid(target):
            return
        if later:
            QTimer.singleShot(0, target, _weak(target, call))
        else:
            call(target)

    return run


def _target_at(view: CanvasView, pos: QPoint, scene_pos: QPointF) -> tuple[str | None, str | None]:
    """(node id, edge id) under the click; a card wins over an edge beneath it."""
    item = view.canvas_scene.node_item_at(scene_pos, slack=6.0)
    if item is not None:
        return item.node_id, None
    for hit in view.items(pos):
        if isinstance(hit, EdgeItem) and hit.isVisible():
            return None, hit.edge_id
    return None, None


# ------------------------------------------------------------------ building
class MenuBuilder:
    """Fills one menu for ``view`` (see the module docstring)."""

    def __init__(self, view: CanvasView, menu: QMenu) -> None:
        self.view = view
        self.menu = menu

    # ------------------------------------------------------------ look
    def dress(self, menu: QMenu) -> QMenu:
        """Tooltips on, and the theme's menu palette (a popup does not inherit
        its parent's palette, so each submenu is dressed too; the application
        palette for QMenu covers windows whose canvas has its own theme)."""
        menu.setToolTipsVisible(True)
        menu.setPalette(menu_palette_for(self.view.theme))
        return menu

    def submenu(self, parent: QMenu, text: str) -> QMenu:
        return self.dress(parent.addMenu(text))

    # ------------------------------------------------------------ actions
    def title(self, text: str) -> QWidgetAction:
        """A quiet heading naming what the menu acts on. A label rather than a
        menu section: Fusion draws a section's text on its separator line,
        cramped against the menu's top edge."""
        label = QLabel(text)
        label.setObjectName("contextMenuTitle")
        label.setTextFormat(Qt.TextFormat.PlainText)
        muted = self.view.theme.muted_text.name()
        label.setStyleSheet(
            f"QLabel#contextMenuTitle {{ color: {muted}; font-weight: 600;"
            " padding: 5px 12px 3px 12px; }"
        )
        action = QWidgetAction(self.menu)
        action.setDefaultWidget(label)
        action.setEnabled(False)  # never a keyboard stop
        self.menu.addAction(action)
        self.menu.addSeparator()
        return action

    def standard(self, name: str, menu: QMenu | None = None) -> QAction:
        """The window's action ``name``, or a local one calling the view."""
        menu = menu or self.menu
        shared = getattr(self.view.shared_actions, name, None)
        if isinstance(shared, QAction):
            shared.setShortcutVisibleInContextMenu(True)
            menu.addAction(shared)
            return shared
        spec = STANDARD[name]
        return self.local(spec.text, lambda v: getattr(v, spec.method)(), hint=name, menu=menu)

    def align(self, mode: str, menu: QMenu) -> QAction:
        shared = getattr(self.view.shared_actions, "align_actions", {}).get(mode)
        if isinstance(shared, QAction):
            menu.addAction(shared)
            return shared
        return self.local(ALIGN[mode], lambda v: v.align(mode), menu=menu)

    def local(
        self,
        text: str,
        call: ViewCall,
        hint: str = "",
        enabled: bool = True,
        tip: str = "",
        menu: QMenu | None = None,
        later: bool = False,
    ) -> QAction:
        """An entry only this menu has, doing ``call(view)`` (``later``: see
        :func:`_weak`). ``hint``: a STANDARD name (the window's keys for it)
        or key text, shown in the shortcut column, not registered."""
        keys = self._keys(hint)
        action = QAction(f"{text}\t{keys}" if keys else text, self.menu)
        action.triggered.connect(_weak(self.view, call, later))
        action.setEnabled(enabled)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        (menu or self.menu).addAction(action)
        return action

    def _keys(self, hint: str) -> str:
        if not hint:
            return ""
        shared = getattr(self.view.shared_actions, hint, None)
        if isinstance(shared, QAction):
            return shared.shortcut().toString(NATIVE)
        spec = STANDARD.get(hint)
        keys = spec.keys if spec is not None else hint
        return QKeySequence(keys).toString(NATIVE)

    # --------------------------------------------------------------- card
    def node_menu(self, node_id: str) -> None:
        view, menu = self.view, self.menu
        ids = view.selected_node_ids()
        if node_id not in ids:
            view.select_nodes([node_id])
            ids = [node_id]
        graph = view.document.graph
        node = graph.nodes[node_id]
        kind = _type_title(view, node.type)
        self.title(f"{node.name} · {kind}" if len(ids) == 1 else f"{len(ids)} nodes selected")
        several = len(ids) > 1  # then these two name the card that was clicked
        self.local(
            f"&Rename {node.name}…" if several else "&Rename…",
            lambda v: v.rename_node(node_id),
            hint="" if several else RENAME_KEY,  # F2 renames a single selection
            later=True,
            tip=f"Rename {node.name} in place",
        )
        self.local(
            f"Show {node.name} in &Inspector" if several else "Show in &Inspector",
            lambda v: show_in_inspector(v, node_id),
            tip=f"Show the settings of {node.name}",
        )
        extensions = getattr(view.shared_actions, "node_menu_extensions", ())
        if extensions and not several:
            menu.addSeparator()
            for extend in extensions:
                extend(self, node_id)
        menu.addSeparator()
        for name in ("cut", "copy", "duplicate"):
            self.standard(name)
        menu.addSeparator()
        # Entries about the whole selection other features add (collapse into a subgraph...).
        for extend in getattr(view.shared_actions, "selection_menu_extensions", ()):
            extend(self, node_id, ids)
        above, below = upstream(graph, ids), downstream(graph, ids)
        self.local(
            "Select &Upstream",
            lambda v: v.select_nodes([*ids, *above]),
            enabled=bool(above - set(ids)),
            tip="Add every node that feeds the selection to it",
        )
        self.local(
            "Select Do&wnstream",
            lambda v: v.select_nodes([*ids, *below]),
            enabled=bool(below - set(ids)),
            tip="Add every node the selection feeds to it",
        )
        self.local(
            "Disconnect &All",
            lambda v: disconnect_all(v, ids),
            enabled=disconnect_command(graph, ids) is not None,
            tip="Remove every connection of the selected nodes",
        )
        if several:
            menu.addSeparator()
            align = self.submenu(menu, "A&lign")
            for mode in ALIGN:
                self.align(mode, align)
            self.standard("auto_layout")
        menu.addSeparator()
        self.standard("delete")

    # --------------------------------------------------------------- edge
    def edge_menu(self, edge_id: str, scene_pos: QPointF) -> None:
        view, menu = self.view, self.menu
        ids = view.selected_edge_ids()
        if edge_id not in ids:
            select_edges(view, [edge_id])
            ids = [edge_id]
        graph = view.document.graph
        edge = graph.edges[edge_id]
        source, target = graph.nodes[edge.source].name, graph.nodes[edge.target].name
        self.title(f"{source} → {target}" if len(ids) == 1 else f"{len(ids)} connections selected")
        self.local(
            "&Insert Node…",
            lambda v: insert_on_edge(v, edge_id, scene_pos),
            later=True,
            tip=f"Put a new node between {source} and {target}",
        )
        menu.addSeparator()
        self.local(
            "&Delete Connection" if len(ids) == 1 else f"&Delete {len(ids)} Connections",
            lambda v: v.delete_selection(),
            hint="delete",
        )

    # ------------------------------------------------------------- canvas
    def canvas_menu(self, scene_pos: QPointF) -> None:
        view, menu = self.view, self.menu
        view.canvas_scene.clearSelection()
        add = self.submenu(menu, "&Add Node")
        self.local(
            "&Search…",
            lambda v: v.open_quick_add(scene_pos),
            hint=TAB_KEY,
            later=True,
            menu=add,
        )
        add.addSeparator()
        for category, types in view.document.registry.categories().items():
            sub = self.submenu(add, category)
            for node_type in types:
                action = self.local(
                    node_type.title,
                    lambda v, t=node_type.type_name: v.add_node(t, scene_pos),
                    tip=node_type.description,
                    menu=sub,
                )
                action.setIcon(colour_chip(node_type.color))
        self.local(
            "&Paste Here",
            lambda v: v.paste_at(scene_pos),
            hint="paste",
            enabled=clipboard_has_nodes(),
        )
        menu.addSeparator()
        self.standard("select_all")
        self.standard("auto_layout")
        self.standard("fit")
        previews = getattr(view.shared_actions, "show_previews", None)
        if isinstance(previews, QAction):  # the window's toggle, checked as it is
            menu.addAction(previews)


# ------------------------------------------------------------------- doings
def show_in_inspector(view: CanvasView, node_id: str) -> None:
    """Select just this node and ask the window to bring its inspector forward."""
    if node_id in view.document.graph.nodes:
        view.select_nodes([node_id])
        view.nodeActivated.emit(node_id)


def select_edges(view: CanvasView, edge_ids: list[str]) -> None:
    scene = view.canvas_scene
    scene.clearSelection()
    for edge_id in edge_ids:
        item = view.edge_item(edge_id)
        if item is not None:
            item.setSelected(True)


def disconnect_all(view: CanvasView, node_ids: list[str]) -> None:
    command = disconnect_command(view.document.graph, node_ids)
    if command is not None and view.canvas_scene.push(command):
        count = len(command.edge_ids)
        view.statusMessage.emit(f"Removed {count} connection{'s' if count != 1 else ''}")


def insert_on_edge(view: CanvasView, edge_id: str, scene_pos: QPointF) -> None:
    """Offer the node types that can sit on ``edge_id``; the pick replaces the
    edge by the new node and two edges (one undo step)."""
    graph, registry = view.document.graph, view.document.registry
    if edge_id not in graph.edges:
        view.statusMessage.emit("That connection no longer exists")
        return
    allowed, refused = insertable_types(graph, registry, edge_id)
    edge = graph.edges[edge_id]
    source, target = graph.nodes[edge.source].name, graph.nodes[edge.target].name
    if not allowed and refused:
        type_name, reason = _telling_refusal(refused)
        view.statusMessage.emit(
            f"No node can sit between {source} and {target} "
            f"(a {_type_title(view, type_name)}: {reason})"
        )
    view.pick_node_type(
        scene_pos,
        allowed,
        f"Insert between {source} and {target}",
        lambda type_name: _insert(view, edge_id, type_name, scene_pos, allowed.get(type_name)),
    )


def _insert(
    view: CanvasView, edge_id: str, type_name: str, point: QPointF, through: Through | None
) -> None:
    graph, registry = view.document.graph, view.document.registry
    node = make_node(graph, registry, type_name)
    content = card_content(graph, registry, node, None)
    height = card_layout(content, view.canvas_scene.kit.fonts).height
    if edge_id in graph.edges:
        node.position = insert_position(graph, edge_id, (point.x(), point.y()), height)
    try:
        command = insert_node_command(graph, registry, node, edge_id, through)
    except ValueError as exc:
        view.statusMessage.emit(f"Cannot insert a {_type_title(view, type_name)} here: {exc}")
        return
    if view.canvas_scene.push(command):
        view.select_nodes([node.id])
        view.statusMessage.emit(f"Inserted {node.name}")


def _telling_refusal(refused: dict[str, str]) -> tuple[str, str]:
    """The refusal that says most: a connection rule rather than a type with
    no port on one side."""
    for type_name, reason in refused.items():
        if not reason.startswith("a new "):
            return type_name, reason
    return next(iter(refused.items()))


def _type_title(view: CanvasView, type_name: str) -> str:
    registry = view.document.registry
    return registry.get(type_name).title if type_name in registry else type_name


def clipboard_has_nodes() -> bool:
    """Whether Paste could find nodes on the clipboard (a cheap look, not a
    parse: the menu opens at once even over a clipboard of thousands of nodes)."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return False
    if mime.hasFormat(CLIPBOARD_MIME):
        return True
    text = mime.text()
    return text.lstrip().startswith("{") and CLIPBOARD_FORMAT in text
