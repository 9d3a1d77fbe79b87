"""Edit → Collapse into Subgraph (Ctrl+G) and Expand Subgraph (Ctrl+Shift+G),
from the menu, the keys and the card's context menu: one undo step each, no
link lost, the core's refusals in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from core.files import dumps_graph
from editor.canvas.context_menu import open_context_menu
from tests.editor.test_main_window import shown


def _ids(graph, *names):
    return [graph.node_by_name(n).id for n in names]


def _labels(menu):
    return [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]


def test_collapse_then_expand_are_one_undo_step_each(qtbot, workspace, seed_path):
    window = shown(qtbot, workspace.open_window_for(seed_path))
    document, actions = window.document, window.subgraph_actions
    graph = document.graph
    before = dumps_graph(graph)
    branches = _ids(graph, "branch_1", "branch_2")
    window.canvas.select_nodes(branches)
    steps = document.undo_stack.count()
    actions.collapse.trigger()
    assert document.undo_stack.count() == steps + 1
    [node_id] = window.canvas.selected_node_ids()
    node = graph.nodes[node_id]
    assert node.type == "Subgraph"
    assert not set(branches) & set(graph.nodes)
    # One port per outer output feeding the selection, one per inner output read outside.
    assert [p["name"] for p in node.params["inputs"]] == ["inputs"]
    assert len(node.params["outputs"]) == 2
    assert len(graph.edges) == 3
    assert "Collapsed 2 nodes" in window.status.currentMessage()
    # Expand gives the very nodes back (same ids), again in one step.
    actions.expand.trigger()
    assert document.undo_stack.count() == steps + 2
    assert set(window.canvas.selected_node_ids()) == set(branches)
    assert node_id not in graph.nodes
    window.undo_action.trigger()  # back to the collapsed graph
    assert node_id in graph.nodes
    window.undo_action.trigger()  # back to the start
    assert dumps_graph(graph) == before


def test_keys_collapse_and_expand_on_the_canvas(qtbot, workspace, seed_path):
    window = shown(qtbot, workspace.open_window_for(seed_path))
    graph = window.document.graph
    window.activateWindow()  # shortcuts fire in the active window
    qtbot.waitUntil(window.isActiveWindow)
    window.canvas.select_nodes(_ids(graph, "branch_1"))
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    [node_id] = window.canvas.selected_node_ids()
    assert graph.nodes[node_id].type == "Subgraph"
    qtbot.keyClick(
        window.canvas,
        Qt.Key.Key_G,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert graph.node_by_name("branch_1") is not None
    assert node_id not in graph.nodes


def test_a_refused_collapse_says_why_in_the_status_bar(qtbot, workspace, seed_path):
    window = shown(qtbot, workspace.open_window_for(seed_path))
    graph = window.document.graph
    steps = window.document.undo_stack.count()
    window.canvas.select_nodes(_ids(graph, "inputs", "branch_1"))
    window.subgraph_actions.collapse.trigger()
    assert window.status.currentMessage().startswith(
        "Cannot collapse: inputs is the program's Input"
    )
    assert window.document.undo_stack.count() == steps
    window.canvas.select_nodes(_ids(graph, "branch_1"))
    assert not window.subgraph_actions.expand.isEnabled()  # not a subgraph
    window.subgraph_actions.expand_selection()
    assert window.status.currentMessage() == "Select one subgraph node to expand it"


def test_collapse_inside_an_open_subgraph_nests_a_level(qtbot, nested):
    window, b = nested
    nav = window.subgraphs
    nav.open_node("quick")
    sc = window.canvas.document.graph
    summary = b["summarise_and_critique"].id("summary")
    window.canvas.select_nodes([summary])
    steps = window.document.undo_stack.count()
    window.subgraph_actions.collapse.trigger()
    assert window.document.undo_stack.count() == steps + 1
    [node_id] = window.canvas.selected_node_ids()
    assert sc.nodes[node_id].type == "Subgraph" and summary not in sc.nodes
    assert nav.open_node(node_id)
    assert nav.depth == 2 and summary in window.canvas.document.graph.nodes
    window.undo_action.trigger()  # the collapse, undone from inside what it made
    qtbot.waitUntil(lambda: nav.depth == 1)
    assert summary in sc.nodes


def test_card_menus_offer_open_expand_and_collapse(qtbot, nested):
    window, _b = nested
    view = window.canvas
    view.select_nodes(["quick"])
    menu = open_context_menu(view, QPoint(0, 0), QPoint(0, 0), keyboard=True)
    labels = _labels(menu)
    menu.close()
    for entry in ("Open Subgraph", "Expand Subgraph", "Collapse into Subgraph"):
        assert entry in labels
    view.select_nodes(["quick", "review"])
    menu = open_context_menu(view, QPoint(0, 0), QPoint(0, 0), keyboard=True)
    labels = _labels(menu)
    assert "Collapse into Subgraph" in labels and "Open Subgraph" not in labels
    next(
        a for a in menu.actions() if a.text().startswith("&Open") or "Collapse" in a.text()
    ).trigger()
    menu.close()
    [node_id] = view.selected_node_ids()
    assert window.document.graph.nodes[node_id].type == "Subgraph"
