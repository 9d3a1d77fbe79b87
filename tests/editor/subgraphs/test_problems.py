"""Problems inside subgraphs: the card of the document the problem sits under
wears the badge, the Problems row names the way down, and clicking it opens
the subgraphs along that way and selects the node."""

from __future__ import annotations

from core.files import save_graph
from editor.problems_panel import NODE_ID_ROLE
from tests.core.subgraph_graphs import nested_review
from tests.editor.conftest import flush_analysis


def _window_with_inner_problem(qtbot, workspace, registry, tmp_path):
    root, builders = nested_review(registry)
    critic = builders["critique"].id("critic")
    root.subgraphs["def_critique"].set_params(critic, {"data_model": "Nowhere"})
    path = tmp_path / "broken.json"
    save_graph(root, path)
    window = workspace.open_window_for(path)
    qtbot.waitExposed(window)
    flush_analysis(qtbot, window.document)
    return window, critic


def test_inner_problem_badges_the_outer_card_and_opens_on_click(
    qtbot, workspace, registry, tmp_path
):
    window, critic = _window_with_inner_problem(qtbot, workspace, registry, tmp_path)
    [problem] = [d for d in window.document.diagnostics if d.node_id == critic]
    assert problem.definition_id == "def_critique" and len(problem.path) >= 2
    outer = problem.path[0]
    assert window.canvas.node_item(outer).badge is not None  # the document's card
    assert window.canvas.node_item("query").badge is None
    panel = window.problems_panel
    row = next(
        panel.tree.topLevelItem(i)
        for i in range(panel.row_count())
        if panel.tree.topLevelItem(i).text(1) == problem.message
    )
    assert row.text(0).endswith("› critic")
    assert row.text(0).startswith(window.document.graph.nodes[outer].name + " › ")
    assert row.data(0, NODE_ID_ROLE) == critic
    panel._clicked(row)
    nav = window.subgraphs
    assert nav.path() == problem.path
    assert nav.level_names()[-1] == "critique"
    assert window.canvas.selected_node_ids() == [critic]
    assert window.canvas.node_item(critic).badge is not None  # the inner card too
    # One level up, the Subgraph node the problem sits in wears it.
    nav.go_up()
    assert window.canvas.node_item(problem.path[-1]).badge is not None
    # A problem of the document's own nodes brings the canvas back to the top.
    window.reveal_node("query")
    assert nav.depth == 0 and window.canvas.selected_node_ids() == ["query"]


def test_problem_in_a_removed_subgraph_says_so(qtbot, workspace, registry, tmp_path):
    window, critic = _window_with_inner_problem(qtbot, workspace, registry, tmp_path)
    [problem] = [d for d in window.document.diagnostics if d.node_id == critic]
    from core.commands import RemoveNodes

    window.document.push(RemoveNodes([problem.path[0]]))
    assert not window.subgraphs.reveal_diagnostic(problem)
    assert "no longer in the graph" in window.status.currentMessage()
