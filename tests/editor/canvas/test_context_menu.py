"""Right-click menus on the canvas: on a card, on an edge, on empty canvas.

Menus are opened the way Qt opens them (a QContextMenuEvent on the viewport at
the item's position) and entries are picked with the menu's own keys (Right
opens a submenu, Return picks), so what is tested is what a person does.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from core.commands import MoveNodes, connection_problem, make_node, node_name_problem
from core.files import dumps_graph
from editor.actions import WindowActions
from editor.canvas.context_menu import ALIGN, STANDARD
from editor.canvas.insert_node import ROOM, insert_node_command, insertable_types
from editor.canvas.paint_kit import CARD_WIDTH, HEADER_HEIGHT
from tests.editor.test_main_window import shown

from .conftest import Canvas

NATIVE = QKeySequence.SequenceFormat.NativeText


# ------------------------------------------------------------------ helpers
def header(canvas, name: str) -> QPointF:
    rect = canvas.view.node_item(canvas.node(name).id).scene_card_rect()
    return QPointF(rect.left() + 60, rect.top() + 14)


def edge_between(canvas, source: str, target: str):
    s, t = canvas.node(source).id, canvas.node(target).id
    edge = next(e for e in canvas.graph.edges.values() if e.source == s and e.target == t)
    return edge


def edge_point(canvas, edge) -> QPointF:
    """A point on the curve (not under a card) to right-click."""
    path = canvas.view.edge_item(edge.id).path()
    for t in (0.5, 0.4, 0.6, 0.3, 0.7):
        point = path.pointAtPercent(t)
        if canvas.view.canvas_scene.node_item_at(point, slack=8.0) is None:
            return point
    raise AssertionError("every point of the edge is under a card")


def right_click(canvas, scene_point: QPointF, keyboard: bool = False) -> QMenu:
    """Open the menu at ``scene_point`` in an active window, as a person would
    (the offscreen platform leaves a new window inactive; activating it when a
    menu closes would close whatever popup the menu opened)."""
    window = canvas.view.window()
    if not window.isActiveWindow():
        window.activateWindow()
        canvas.qtbot.waitUntil(window.isActiveWindow)
    pos = canvas.to_view(scene_point)
    reason = QContextMenuEvent.Reason.Keyboard if keyboard else QContextMenuEvent.Reason.Mouse
    event = QContextMenuEvent(reason, pos, canvas.viewport.mapToGlobal(pos))
    QApplication.sendEvent(canvas.viewport, event)
    menu = canvas.view.context_menu
    assert menu is not None and menu.isVisible()
    QApplication.processEvents()  # the platform shows it (and hands it the focus)
    return menu


def label(action) -> str:
    return action.text().split("\t")[0].replace("&", "")


def hint(action) -> str:
    """The shortcut a menu row shows (a shared action's own, or a local hint)."""
    parts = action.text().split("\t")
    if len(parts) > 1:
        return parts[1]
    return action.shortcut().toString(NATIVE)


def entries(menu: QMenu) -> list[str]:
    return [label(a) for a in menu.actions() if not a.isSeparator() and a.text()]


def find(menu: QMenu, text: str):
    for action in menu.actions():
        if label(action) == text:
            return action
    raise AssertionError(f"no {text!r} in {entries(menu)}")


def choose(menu: QMenu, *path: str) -> None:
    """Pick ``path`` ("Add Node", "Language", "Generator") with the keyboard:
    Right opens a submenu, Return triggers the entry and closes the menus."""
    for text in path[:-1]:
        action = find(menu, text)
        menu.setActiveAction(action)
        QTest.keyClick(menu, Qt.Key.Key_Right)
        menu = action.menu()
        assert menu is not None and menu.isVisible()
    action = find(menu, path[-1])
    assert action.isEnabled(), f"{path[-1]} is disabled"
    menu.setActiveAction(action)
    QTest.keyClick(menu, Qt.Key.Key_Return)


def close(menu: QMenu) -> None:
    menu.close()


class Steps:
    """Checks that an edit is exactly one undo step and that undo restores the
    graph byte for byte."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.stack = canvas.document.undo_stack
        self.before = dumps_graph(canvas.graph)
        self.depth = self.stack.count()

    def one_step_undone_exactly(self) -> None:
        assert self.stack.count() == self.depth + 1
        assert dumps_graph(self.canvas.graph) != self.before
        self.stack.undo()
        assert dumps_graph(self.canvas.graph) == self.before

    def nothing(self) -> None:
        assert self.stack.count() == self.depth
        assert dumps_graph(self.canvas.graph) == self.before


def names(canvas, ids) -> set[str]:
    return {canvas.graph.nodes[i].name for i in ids}


# ---------------------------------------------------------------- card menu
def test_node_menu_selects_the_clicked_card_and_lists_its_commands(open_canvas):
    canvas = open_canvas("fork_merge")
    canvas.view.select_nodes([canvas.node("research").id])
    menu = right_click(canvas, header(canvas, "merge"))
    assert canvas.view.selected_node_ids() == [canvas.node("merge").id]
    assert entries(menu) == [
        "Rename…",
        "Show in Inspector",
        "Cut",
        "Copy",
        "Duplicate",
        "Select Upstream",
        "Select Downstream",
        "Disconnect All",
        "Delete",
    ]
    assert hint(find(menu, "Rename…")) == "F2"
    assert hint(find(menu, "Delete")) == QKeySequence("Del").toString(NATIVE)
    assert hint(find(menu, "Duplicate")) == QKeySequence("Ctrl+D").toString(NATIVE)
    close(menu)


def test_a_card_in_the_selection_acts_on_the_whole_selection(open_canvas):
    canvas = open_canvas("fork_merge")
    ids = [canvas.node("find_quotes").id, canvas.node("merge").id]
    canvas.view.select_nodes(ids)
    steps = Steps(canvas)
    menu = right_click(canvas, header(canvas, "merge"))
    assert canvas.view.selected_node_ids() == [n for n in canvas.graph.nodes if n in ids]
    assert "Align" in entries(menu) and "Auto Layout" in entries(menu)
    assert "Rename merge…" in entries(menu)  # the clicked card, named
    choose(menu, "Delete")
    assert not set(ids) & set(canvas.graph.nodes)
    steps.one_step_undone_exactly()


def test_duplicate_from_the_card_menu_is_one_undo_step(open_canvas):
    canvas = open_canvas("fork_merge")
    steps = Steps(canvas)
    count = len(canvas.graph.nodes)
    choose(right_click(canvas, header(canvas, "research")), "Duplicate")
    assert len(canvas.graph.nodes) == count + 1
    assert names(canvas, canvas.view.selected_node_ids()) == {"research_1"}
    steps.one_step_undone_exactly()


def test_align_from_the_card_menu_moves_the_selection_in_one_step(open_canvas):
    canvas = open_canvas("conditional_branches")
    ids = [canvas.node("quick_answer").id, canvas.node("topic").id]
    canvas.view.select_nodes(ids)
    assert len({canvas.graph.nodes[i].position[0] for i in ids}) == 2
    steps = Steps(canvas)
    choose(right_click(canvas, header(canvas, "topic")), "Align", "Align Left Edges")
    assert len({canvas.graph.nodes[i].position[0] for i in ids}) == 1
    steps.one_step_undone_exactly()


def test_disconnect_all_removes_every_edge_of_the_selection_in_one_step(open_canvas):
    canvas = open_canvas("conditional_branches")
    ids = [canvas.node("route").id, canvas.node("answer").id]
    canvas.view.select_nodes(ids)
    touching = {e.id for e in canvas.graph.edges_of(ids)}
    others = set(canvas.graph.edges) - touching
    assert touching and others
    steps = Steps(canvas)
    nodes = set(canvas.graph.nodes)
    choose(right_click(canvas, header(canvas, "route")), "Disconnect All")
    assert set(canvas.graph.edges) == others
    assert set(canvas.graph.nodes) == nodes
    assert len(canvas.view.canvas_scene.edge_items()) == len(others)
    steps.one_step_undone_exactly()


def test_disconnect_all_is_offered_only_when_there_is_an_edge(open_canvas):
    canvas = open_canvas("fork_merge")
    lone = canvas.view.add_node("Generator", canvas.empty_point())
    menu = right_click(canvas, header(canvas, canvas.graph.nodes[lone].name))
    assert not find(menu, "Disconnect All").isEnabled()
    assert not find(menu, "Select Upstream").isEnabled()
    assert not find(menu, "Select Downstream").isEnabled()
    close(menu)


def test_select_upstream_and_downstream(open_canvas):
    canvas = open_canvas("conditional_branches")
    steps = Steps(canvas)
    choose(right_click(canvas, header(canvas, "answer")), "Select Upstream")
    assert names(canvas, canvas.view.selected_node_ids()) == {
        "answer",
        "quick_answer",
        "careful_answer",
        "route",
        "inputs",
    }
    canvas.view.select_nodes([canvas.node("answer").id])
    choose(right_click(canvas, header(canvas, "answer")), "Select Downstream")
    assert names(canvas, canvas.view.selected_node_ids()) == {"answer", "output_1"}
    # A card in a selection walks from the whole selection, like every entry.
    canvas.view.select_nodes([canvas.node("topic").id, canvas.node("quick_answer").id])
    choose(right_click(canvas, header(canvas, "topic")), "Select Downstream")
    assert names(canvas, canvas.view.selected_node_ids()) == {
        "topic",
        "output_2",
        "quick_answer",
        "answer",
        "output_1",
    }
    steps.nothing()  # selection is not an edit


def test_show_in_inspector_selects_the_card_and_emits_node_activated(open_canvas, qtbot):
    canvas = open_canvas("conditional_branches")
    ids = [canvas.node("route").id, canvas.node("topic").id]
    canvas.view.select_nodes(ids)
    menu = right_click(canvas, header(canvas, "topic"))
    with qtbot.waitSignal(canvas.view.nodeActivated) as signal:
        choose(menu, "Show topic in Inspector")
    assert signal.args == [canvas.node("topic").id]
    assert canvas.view.selected_node_ids() == [canvas.node("topic").id]


def test_the_menu_key_opens_the_menu_of_the_selected_card(open_canvas):
    canvas = open_canvas("fork_merge")
    canvas.view.select_nodes([canvas.node("merge").id])
    menu = right_click(canvas, canvas.empty_point(), keyboard=True)
    assert "Rename…" in entries(menu)
    assert canvas.view.selected_node_ids() == [canvas.node("merge").id]
    close(menu)


# ------------------------------------------------------------------- rename
def open_rename(canvas, qtbot, name: str):
    choose(right_click(canvas, header(canvas, name)), "Rename…")
    qtbot.waitUntil(lambda: canvas.view.renaming is not None, timeout=2000)
    editor = canvas.view.renaming
    assert editor.edit.isVisible() and editor.edit.selectedText() == name
    return editor


def test_rename_in_place_is_one_undo_step(open_canvas, qtbot):
    canvas = open_canvas("fork_merge")
    node = canvas.node("merge")
    steps = Steps(canvas)
    editor = open_rename(canvas, qtbot, "merge")
    QTest.keyClicks(editor.edit, "combined")
    QTest.keyClick(editor.edit, Qt.Key.Key_Return)
    assert canvas.graph.nodes[node.id].name == "combined"
    assert canvas.view.renaming is None
    steps.one_step_undone_exactly()


def test_rename_refuses_a_taken_or_invalid_name_with_the_core_reason(open_canvas, qtbot):
    canvas = open_canvas("fork_merge")
    node = canvas.node("merge")
    steps = Steps(canvas)
    editor = open_rename(canvas, qtbot, "merge")
    for bad in ("research", "two words"):
        editor.edit.selectAll()
        QTest.keyClicks(editor.edit, bad)
        QTest.keyClick(editor.edit, Qt.Key.Key_Return)
        reason = node_name_problem(canvas.graph, bad, node.id)
        assert reason and editor.reason.text() == reason and editor.reason.isVisible()
        assert canvas.view.renaming is editor  # still open for a better name
        steps.nothing()
    QTest.keyClick(editor.edit, Qt.Key.Key_Escape)
    assert canvas.view.renaming is None
    assert canvas.graph.nodes[node.id].name == "merge"
    steps.nothing()


def test_f2_renames_the_selected_card(open_canvas):
    canvas = open_canvas("fork_merge")
    canvas.view.select_nodes([canvas.node("research").id])
    canvas.view.setFocus()
    QTest.keyClick(canvas.viewport, Qt.Key.Key_F2)
    assert canvas.view.renaming is not None
    assert canvas.view.renaming.node_id == canvas.node("research").id
    canvas.view.renaming.cancel()


# ---------------------------------------------------------------- edge menu
def test_edge_menu_selects_the_edge_and_deletes_it_in_one_step(open_canvas):
    canvas = open_canvas("conditional_branches")
    edge = edge_between(canvas, "careful_answer", "answer")
    canvas.view.select_nodes([canvas.node("inputs").id])
    steps = Steps(canvas)
    menu = right_click(canvas, edge_point(canvas, edge))
    assert canvas.view.selected_edge_ids() == [edge.id]
    assert canvas.view.selected_node_ids() == []
    assert entries(menu) == ["Insert Node…", "Delete Connection"]
    choose(menu, "Delete Connection")
    assert edge.id not in canvas.graph.edges
    assert canvas.view.edge_item(edge.id) is None
    steps.one_step_undone_exactly()


def open_insert(canvas, qtbot, edge):
    choose(right_click(canvas, edge_point(canvas, edge)), "Insert Node…")
    qtbot.waitUntil(canvas.view.quick_add.isVisible, timeout=2000)
    return canvas.view.quick_add


def test_insert_node_replaces_the_edge_in_one_step_keeping_the_merge_order(open_canvas, qtbot):
    canvas = open_canvas("conditional_branches")
    edge = edge_between(canvas, "quick_answer", "answer")
    answer = canvas.node("answer").id
    order = [e.source for e in canvas.graph.incoming(answer)]
    steps = Steps(canvas)
    popup = open_insert(canvas, qtbot, edge)
    assert "Input" not in popup.visible_types() and "Output" not in popup.visible_types()
    QTest.keyClicks(popup.search, "Generator")
    QTest.keyClick(popup.search, Qt.Key.Key_Return)
    new = canvas.view.selected_node_ids()
    assert len(new) == 1 and canvas.graph.nodes[new[0]].type == "Generator"
    new_id = new[0]
    assert edge.id not in canvas.graph.edges
    assert [(e.source, e.target) for e in canvas.graph.edges_of([new_id])] == [
        (canvas.node("quick_answer").id, new_id),
        (new_id, answer),
    ]
    # The new edge takes the old one's place among the merge's inputs.
    assert [e.source for e in canvas.graph.incoming(answer)] == [
        new_id if s == canvas.node("quick_answer").id else s for s in order
    ]
    steps.one_step_undone_exactly()


def test_insert_node_in_a_tight_gap_moves_what_follows_along(open_canvas, qtbot):
    canvas = open_canvas("conditional_branches")
    edge = edge_between(canvas, "answer", "output_1")
    output = canvas.node("output_1")
    gap = output.position[0] - (canvas.node("answer").position[0] + CARD_WIDTH)
    assert gap < CARD_WIDTH  # the card cannot fit as things are
    steps = Steps(canvas)
    popup = open_insert(canvas, qtbot, edge)
    popup.choose("ChainOfThought")
    new = canvas.graph.nodes[canvas.view.selected_node_ids()[0]]
    answer_right = canvas.node("answer").position[0] + CARD_WIDTH
    assert new.position[0] >= answer_right + ROOM
    assert canvas.graph.nodes[output.id].position[0] >= new.position[0] + CARD_WIDTH + ROOM
    steps.one_step_undone_exactly()


def catalogue_modules(registry) -> set[str]:
    """The catalogue's Synalinks modules a Branch label may feed (those that call a
    language model, like the hand-written ones)."""
    from core.catalogue.node_types import CatalogueModuleType

    return {
        t.type_name
        for t in registry
        if isinstance(t, CatalogueModuleType) and t.uses_language_model and not t.is_merge
    }


def test_insert_on_a_branch_label_offers_modules_only_and_refuses_with_the_core_reason(
    open_canvas, qtbot
):
    canvas = open_canvas("conditional_branches")
    edge = edge_between(canvas, "route", "quick_answer")
    assert edge.source_port.startswith("branch_")
    steps = Steps(canvas)
    popup = open_insert(canvas, qtbot, edge)
    offered = popup.visible_types()
    assert offered[:3] == ["Generator", "ChainOfThought", "Decision"]
    assert set(offered[3:]) == catalogue_modules(canvas.document.registry)
    messages: list[str] = []
    canvas.view.statusMessage.connect(messages.append)
    popup.choose("Concat")  # not on the list; picked anyway, the core says why not
    trial = make_node(canvas.graph, canvas.document.registry, "Concat")
    canvas.graph.add_node(trial)
    reason = connection_problem(
        canvas.graph, canvas.document.registry, edge.source, edge.source_port, trial.id, "inputs"
    )
    canvas.graph.remove_node(trial.id)
    assert reason and messages and messages[-1].endswith(reason)
    assert messages[-1].startswith("Cannot insert a Concat here")
    steps.nothing()


def test_insert_command_refuses_a_node_the_rules_do_not_allow(open_canvas):
    canvas = open_canvas("conditional_branches")
    graph, registry = canvas.graph, canvas.document.registry
    edge = edge_between(canvas, "route", "quick_answer")
    allowed, refused = insertable_types(graph, registry, edge.id)
    assert set(allowed) == {"Generator", "ChainOfThought", "Decision"} | catalogue_modules(registry)
    assert "Branch label must feed a module" in refused["Or"]
    with pytest.raises(ValueError, match="Branch label must feed a module"):
        insert_node_command(graph, registry, make_node(graph, registry, "Or"), edge.id)


# -------------------------------------------------------------- canvas menu
def test_canvas_menu_clears_the_selection_and_lists_its_commands(open_canvas):
    canvas = open_canvas("fork_merge")
    canvas.view.select_nodes([canvas.node("merge").id])
    menu = right_click(canvas, canvas.empty_point())
    assert canvas.view.selected_node_ids() == []
    assert entries(menu) == ["Add Node", "Paste Here", "Select All", "Auto Layout", "Fit to View"]
    add = find(menu, "Add Node").menu()
    categories = list(canvas.document.registry.categories())
    assert entries(add) == ["Search…", *categories]
    assert hint(find(add, "Search…")) == QKeySequence("Tab").toString(NATIVE)
    close(menu)


def test_add_node_from_the_canvas_menu_lands_at_the_click_point(open_canvas):
    canvas = open_canvas("fork_merge")
    point = canvas.empty_point()
    steps = Steps(canvas)
    choose(right_click(canvas, point), "Add Node", "Language", "Chain of Thought")
    (new,) = canvas.view.selected_node_ids()
    node = canvas.graph.nodes[new]
    assert node.type == "ChainOfThought"
    assert node.position == (
        float(round(point.x() - CARD_WIDTH / 2)),
        float(round(point.y() - HEADER_HEIGHT / 2)),
    )
    steps.one_step_undone_exactly()


def test_search_from_the_canvas_menu_opens_quick_add_at_the_click_point(open_canvas, qtbot):
    canvas = open_canvas("fork_merge")
    point = canvas.empty_point()
    choose(right_click(canvas, point), "Add Node", "Search…")
    qtbot.waitUntil(canvas.view.quick_add.isVisible, timeout=2000)
    canvas.view.quick_add.choose("Decision")
    node = canvas.graph.nodes[canvas.view.selected_node_ids()[0]]
    assert node.type == "Decision"
    assert node.position == (
        float(round(point.x() - CARD_WIDTH / 2)),
        float(round(point.y() - HEADER_HEIGHT / 2)),
    )


def test_paste_here_lands_at_the_click_point(open_canvas):
    canvas = open_canvas("fork_merge")
    canvas.view.select_nodes([canvas.node("research").id, canvas.node("merge").id])
    assert canvas.view.copy_selection()
    point = canvas.empty_point() + QPointF(37.0, 11.0)
    steps = Steps(canvas)
    choose(right_click(canvas, point), "Paste Here")
    pasted = [canvas.graph.nodes[i] for i in canvas.view.selected_node_ids()]
    assert sorted(n.name for n in pasted) == ["merge_1", "research_1"]
    left = min(n.position[0] for n in pasted)
    top = min(n.position[1] for n in pasted)
    assert (left, top) == (round(point.x()), round(point.y()))
    steps.one_step_undone_exactly()


def test_paste_here_is_disabled_when_the_clipboard_holds_no_nodes(open_canvas):
    canvas = open_canvas("fork_merge")
    QGuiApplication.clipboard().setText("just some words")
    menu = right_click(canvas, canvas.empty_point())
    assert not find(menu, "Paste Here").isEnabled()
    close(menu)


def test_select_all_auto_layout_and_fit_from_the_canvas_menu(open_canvas):
    canvas = open_canvas("conditional_branches")
    choose(right_click(canvas, canvas.empty_point()), "Select All")
    assert set(canvas.view.selected_node_ids()) == set(canvas.graph.nodes)

    node = canvas.node("topic")
    old = tuple(node.position)
    canvas.document.push(MoveNodes({node.id: (old, (old[0] + 900.0, old[1] + 700.0))}))
    steps = Steps(canvas)
    choose(right_click(canvas, canvas.empty_point()), "Auto Layout")
    assert node.position != (old[0] + 900.0, old[1] + 700.0)
    steps.one_step_undone_exactly()

    for _ in range(6):
        canvas.view.zoom_in()
    seen = canvas.view.mapToScene(canvas.viewport.rect()).boundingRect()
    assert not seen.contains(canvas.view.canvas_scene.content_rect())
    choose(right_click(canvas, canvas.empty_point()), "Fit to View")
    seen = canvas.view.mapToScene(canvas.viewport.rect()).boundingRect()
    assert seen.contains(canvas.view.canvas_scene.content_rect())


def test_a_right_drag_neither_selects_nor_starts_a_rubber_band(open_canvas):
    canvas = open_canvas("fork_merge")
    ids = [canvas.node("research").id]
    canvas.view.select_nodes(ids)
    card = canvas.view.node_item(canvas.node("merge").id).scene_card_rect()
    start = QPointF(card.right() + 60, card.bottom() + 60)
    end = QPointF(card.left() - 60, card.top() - 60)  # a left drag would select merge
    canvas.drag(start, end, button=Qt.MouseButton.RightButton)
    assert canvas.view.selected_node_ids() == ids


# ------------------------------------------------------------ in a window
def test_fallback_entries_match_the_window_actions(qapp):
    owner = QWidget()
    actions = WindowActions(owner)
    for name, spec in STANDARD.items():
        shared = getattr(actions, name)
        assert spec.text == shared.text(), name
        assert QKeySequence(spec.keys).toString(NATIVE) == shared.shortcut().toString(NATIVE)
    for mode, text in ALIGN.items():
        assert actions.align_actions[mode].text() == text


def test_in_a_window_the_menus_show_the_window_actions(qtbot, workspace, monkeypatch):
    from pathlib import Path

    graph = Path(__file__).resolve().parents[3] / "saved_graphs" / "fork_merge.json"
    window = shown(qtbot, workspace.open_window_for(graph))
    qtbot.waitUntil(lambda: window.canvas is not None)
    canvas = Canvas(qtbot, window.canvas)
    a = window.actions
    menu = right_click(canvas, header(canvas, "merge"))
    shown_actions = menu.actions()
    for action in (a.cut, a.copy, a.duplicate, a.delete):
        assert action in shown_actions and action.isEnabled()
    close(menu)
    menu = right_click(canvas, canvas.empty_point())
    assert {a.select_all, a.auto_layout, a.fit} <= set(menu.actions())
    assert hint(find(menu, "Paste Here")) == a.paste.shortcut().toString(NATIVE)
    close(menu)

    # Typing in the rename field never fires the canvas's shortcuts
    # (Backspace is Delete's second key, Tab opens quick-add).
    steps = Steps(canvas)
    editor = open_rename(canvas, qtbot, "merge")
    QTest.keyClick(editor.edit, Qt.Key.Key_End)
    QTest.keyClick(editor.edit, Qt.Key.Key_Backspace)
    assert canvas.node("merge") is not None  # not deleted
    assert editor.edit.text() == "merg"
    QTest.keyClick(editor.edit, Qt.Key.Key_Tab)
    assert not window.canvas.quick_add.isVisible()
    assert canvas.graph.node_by_name("merg") is not None
    steps.one_step_undone_exactly()
