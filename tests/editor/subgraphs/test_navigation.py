"""Opening subgraphs on the canvas: double-click, the breadcrumb, going back,
three levels down, and levels closing when what they show goes away."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.commands import RemoveNodes
from editor.subgraphs.definition_canvas import DefinitionCanvas
from tests.editor.window_helpers import double_click


def _card_point(canvas, node_id):
    item = canvas.node_item(node_id)
    canvas.center_on_node(node_id)
    rect = item.scene_card_rect()
    return canvas.mapFromScene(rect.center().x(), rect.top() + 12)


def test_double_click_opens_the_definition_with_a_breadcrumb(qtbot, nested):
    window, b = nested
    nav = window.subgraphs
    root_canvas = window.canvas
    assert not nav.breadcrumb.isVisible()
    double_click(qtbot, root_canvas.viewport(), _card_point(root_canvas, "review"))
    qtbot.waitUntil(lambda: nav.depth == 1)
    assert isinstance(window.canvas, DefinitionCanvas)
    assert window.canvas is not root_canvas
    assert set(window.canvas.document.graph.nodes) == set(b["review"].graph.nodes)
    assert all(window.canvas.node_item(n) for n in b["review"].graph.nodes)
    assert nav.breadcrumb.isVisible()
    assert nav.breadcrumb.names() == ["nested_review", "review"]
    # The undo stack is the document's: one stack for every level.
    assert window.canvas.document.undo_stack is window.document.undo_stack


def test_three_levels_down_and_back_by_crumb_backspace_and_alt_up(qtbot, nested):
    window, b = nested
    nav = window.subgraphs
    assert nav.open_node("review")
    assert nav.open_node(b["review"].id("first"))
    assert nav.open_node(b["summarise_and_critique"].id("check"))
    assert nav.depth == 3
    assert nav.breadcrumb.names() == [
        "nested_review",
        "review",
        "summarise_and_critique",
        "critique",
    ]
    assert window.canvas.prefix == "/".join(
        ("review", b["review"].id("first"), b["summarise_and_critique"].id("check"))
    )
    # A crumb goes back to its level and selects the card we came out of.
    nav.breadcrumb.crumbs[1].click()
    assert nav.depth == 1
    assert window.canvas.selected_node_ids() == [b["review"].id("first")]
    # Backspace with nothing selected goes up (with a selection it deletes).
    window.canvas.select_nodes([])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Backspace)
    assert nav.depth == 0
    assert not nav.breadcrumb.isVisible()
    assert window.canvas is nav.root_canvas
    nav.open_node("quick")
    window.subgraph_actions.up.trigger()
    assert nav.depth == 0


def test_a_subgraph_cannot_be_opened_inside_itself(qtbot, nested):
    window, _b = nested
    assert not window.subgraphs.open_node("query")  # not a Subgraph node
    assert window.subgraphs.depth == 0


def test_undo_that_removes_the_open_level_closes_it(qtbot, nested):
    window, b = nested
    nav = window.subgraphs
    nav.open_node("review")
    nav.open_node(b["review"].id("first"))
    window.document.push(RemoveNodes(["review"]))
    qtbot.waitUntil(lambda: nav.depth == 0)
    assert window.canvas is nav.root_canvas
    window.undo_action.trigger()
    assert "review" in window.document.graph.nodes
    assert nav.open_node("review")


def test_new_document_leaves_the_open_subgraph(qtbot, nested):
    window, _b = nested
    window.subgraphs.open_node("review")
    window.new_graph()
    assert window.subgraphs.depth == 0
    assert window.canvas.document is window.document


def test_renaming_the_open_subgraph_renames_its_crumb(qtbot, nested):
    from core.commands import SetSubgraphInfo

    window, _b = nested
    nav = window.subgraphs
    nav.open_node("review")
    window.canvas.document.push(SetSubgraphInfo("def_review", name="peer_review"))
    assert nav.breadcrumb.names() == ["nested_review", "peer_review"]
    window.undo_action.trigger()
    assert nav.breadcrumb.names() == ["nested_review", "review"]


def test_a_level_shown_again_takes_the_theme_and_snapping_chosen_meanwhile(qtbot, nested):
    window, _b = nested
    nav = window.subgraphs
    nav.open_node("review")
    other = "dark" if window.workspace.theme_choice != "dark" else "light"
    window.workspace.set_theme_choice(other)
    window.workspace.set_snap_to_grid(not window.workspace.settings.snap_to_grid)
    nav.go_up()
    assert window.canvas.theme is window.workspace.theme
    assert window.canvas.canvas_scene.snap_to_grid == window.workspace.settings.snap_to_grid


def test_the_inspector_opens_the_selected_subgraph(qtbot, nested):
    window, _b = nested
    window.canvas.select_nodes(["review"])
    window.inspector.form.subgraph.open_button.click()
    assert window.subgraphs.depth == 1
    assert window.subgraphs.level_names()[-1] == "review"
    window.subgraphs.go_up()
    window.canvas.select_nodes(["review"])
    window.subgraph_actions.open.trigger()  # Edit → Open Subgraph
    assert window.subgraphs.depth == 1
