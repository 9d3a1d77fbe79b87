"""Runs of graphs with subgraphs in the editor: an open subgraph shows the
states and results of its inner nodes (ids ``outer/inner``), during and after
a run, and the result panel of a selected inner node."""

from __future__ import annotations

import shutil

from tests.editor.run.conftest import wait_finished

ROOT_EXAMPLE = "subgraph_reuse.json"


def _window(qtbot, workspace, tmp_path, seed_path, providers):
    target = tmp_path / ROOT_EXAMPLE
    shutil.copy(seed_path.parent / ROOT_EXAMPLE, target)
    window = workspace.open_window_for(target)
    qtbot.waitExposed(window)
    controller = window.run_controller
    controller.providers = providers
    controller.option_overrides = {"offline_delay": 0.0, "transient_retries": 0}
    return window


def test_an_open_subgraph_shows_its_inner_nodes_run(
    qtbot, qloop, workspace, tmp_path, seed_path, providers
):
    window = _window(qtbot, workspace, tmp_path, seed_path, providers)
    graph = window.document.graph
    uses = [n.id for n in graph.nodes.values() if n.type == "Subgraph"]
    assert len(uses) >= 2  # the example uses one definition twice
    entry = window.run_controller.start()
    wait_finished(qtbot, window)
    assert entry.record.status == "succeeded", entry.record.nodes
    nav = window.subgraphs
    use = uses[-1]
    assert nav.open_node(use)
    canvas = window.canvas
    inner = canvas.document.graph
    ran = [n for n in inner.nodes if f"{use}/{n}" in entry.record.nodes]
    assert ran and set(ran) == set(inner.nodes)
    for node_id in ran:
        item = canvas.node_item(node_id)
        assert item.run is not None and item.run.state == "done", node_id
    assert all(canvas.edge_item(e).active for e in inner.edges)  # values went down each
    generator = next(n.id for n in inner.nodes.values() if n.type == "Generator")
    result = entry.record.nodes[f"{use}/{generator}"].result
    assert result
    # The use's own result names the subgraph's outputs (its ports are inner ids).
    names = [p["name"] for p in graph.nodes[use].params["outputs"]]
    outer = entry.record.nodes[use].result
    assert (set(outer) if len(names) > 1 else {names[0]}) == set(names)
    # The selected inner node's panel shows its own result from the run.
    canvas.select_nodes([generator])
    outputs = window.results_area.outputs
    assert outputs.selected_id == f"{use}/{generator}"
    assert outputs.selected_panel.isVisibleTo(window.results_area)
    assert "not part of" not in outputs.selected_panel.subtitle_label.text()
    # Back at the top, the document's cards show the run again.
    nav.go_up()
    assert window.canvas.node_item(use).run.state == "done"
