"""Find Node (Ctrl+F): type part of a name, Enter selects the node and centres it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.registry import default_registry
from editor.canvas.find_node import MAX_LISTED, FindNodePopup, rank
from editor.document import GraphDocument
from tests.core.engine.helpers import GraphBuilder


def test_rank_prefers_name_prefix_then_substring_then_type_then_letters():
    assert rank("branch_2", "Generator", "bra") == 0
    assert rank("branch_2", "Generator", "ch_2") == 1
    assert rank("branch_2", "Generator", "gener") == 2
    assert rank("branch_2", "Generator", "b2") == 3
    assert rank("branch_2", "Generator", "zz") is None
    assert rank("branch_2", "Generator", "") == 0


def test_typing_narrows_the_list_and_enter_selects_and_centres(open_canvas, qtbot):
    canvas = open_canvas("fork_merge")
    view = canvas.view
    view.reset_zoom()
    view.centerOn(-5000, -5000)  # far from every node
    view.open_find_node()
    popup = view.find_node
    qtbot.waitExposed(popup)
    graph = canvas.graph
    assert len(popup.keys()) == len(graph.nodes)
    QTest.keyClicks(popup.search, "quo")
    target = graph.node_by_name("find_quotes")
    assert popup.keys()[0] == target.id
    assert "Generator" in popup.description.text()
    QTest.keyClick(popup.search, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert view.selected_node_ids() == [target.id]
    card = view.node_item(target.id).sceneBoundingRect()
    assert view.mapToScene(view.viewport().rect()).boundingRect().intersects(card)


def test_escape_leaves_the_selection_alone(open_canvas, qtbot):
    canvas = open_canvas("parallel_branches")
    view = canvas.view
    view.select_nodes([canvas.node("branch_1").id])
    view.open_find_node()
    QTest.keyClicks(view.find_node.search, "output")
    QTest.keyClick(view.find_node.search, Qt.Key.Key_Escape)
    assert view.selected_node_ids() == [canvas.node("branch_1").id]


def test_a_big_graph_lists_a_bounded_number_and_says_how_many_more(qtbot):
    b = GraphBuilder("big")
    b.input()
    for i in range(MAX_LISTED + 50):
        b.generator(f"g{i}", "inputs")
    popup = FindNodePopup(GraphDocument(b.graph, default_registry()))
    qtbot.addWidget(popup)
    entries = popup.entries("")
    assert len(entries) == MAX_LISTED
    assert "51 more not listed" in popup.describe(entries[0].key)
    assert [e.key for e in popup.entries("g17")][:1] == ["g17"]


def test_the_window_action_opens_it(qtbot, workspace):
    window = workspace.new_window()
    qtbot.waitExposed(window)
    assert window.actions.find_node.shortcut().toString() == "Ctrl+F"
    window.actions.find_node.trigger()
    popup = window.canvas.find_node
    assert popup is not None and popup.isVisible()
    assert popup.no_match_text() == "The graph has no nodes yet."
    popup.hide()
