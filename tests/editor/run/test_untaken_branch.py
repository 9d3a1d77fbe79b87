"""A Branch's untaken path: its module finishes with no value (None, as in
Synalinks) and the editor says so instead of calling it done."""

from __future__ import annotations

import shutil
from pathlib import Path

from editor.results.panel_content import NO_VALUE
from editor.results.run_report import node_rows
from tests.editor.run.conftest import node_id, wait_finished

GRAPHS = Path(__file__).resolve().parents[3] / "saved_graphs"


def test_the_untaken_branch_shows_no_value_not_done(qtbot, qloop, workspace, providers, tmp_path):
    path = tmp_path / "conditional_branches.json"
    shutil.copy(GRAPHS / "conditional_branches.json", path)
    window = workspace.open_window_for(path)
    qtbot.waitExposed(window)
    window.run_controller.providers = providers
    window.run_controller.option_overrides = {"offline_delay": 0.0, "transient_retries": 0}
    entry = window.run_controller.start()
    wait_finished(qtbot, window)
    record = entry.record
    assert record.status == "succeeded"

    graph = window.document.graph
    route = graph.node_by_name("route")
    targets = [graph.nodes[e.target] for e in graph.outgoing(route.id)]
    taken = [n for n in targets if record.node(n.id).result is not None]
    untaken = [n for n in targets if record.node(n.id).result is None]
    assert len(taken) == 1 and len(untaken) == 1

    view = window.canvas
    idle = view.node_item(untaken[0].id).run
    assert idle.state == "empty" and idle.tokens is None
    assert idle.pill_text().startswith("\u2205 no value")
    assert view.node_item(taken[0].id).run.state == "done"
    # Nothing travelled on the untaken path, in or out.
    into = graph.incoming(untaken[0].id)[0]
    out = graph.outgoing(untaken[0].id)[0]
    assert not view.edge_item(into.id).active and not view.edge_item(out.id).active

    # Its panel says why there is nothing to show.
    view.select_nodes([untaken[0].id])
    panel = window.results_area.outputs.selected_panel
    assert panel.chip.state == "empty" and panel.chip.text() == "\u2205 no value"
    assert panel.message_label.isVisible() and panel.message_label.text() == NO_VALUE
    view.select_nodes([taken[0].id])
    assert panel.chip.state == "done" and not panel.message_label.isVisible()
    # The timeline colours it apart; the run report names the state in words.
    bars = {bar.node_id: bar.state for bar in window.results_area.timeline.chart.bars()}
    assert bars[untaken[0].id] == "empty" and bars[node_id(window, "route")] == "done"
    assert "no value" in window.results_area.timeline.legend.text()
    rows = {row["node"]: row["state"] for row in node_rows(entry)}
    assert rows[untaken[0].name] == "no value" and rows["route"] == "done"


def test_an_output_on_the_untaken_path_shows_no_value():
    """Content rules alone (no window): the Output fed by the untaken module."""
    import asyncio

    from core.engine import Engine, OfflineModelClient, RunOptions
    from core.registry import default_registry
    from editor.results.panel_content import content_for
    from editor.run.history import RunEntry
    from tests.core.engine.helpers import GraphBuilder

    b = GraphBuilder("untaken")
    b.input()
    b.branch("route", "inputs", ["easy", "hard"])
    b.generator("quick", "route", port="branch_0")
    b.generator("careful", "route", port="branch_1")
    b.output("out_quick", "quick", order=0)
    b.output("out_careful", "careful", order=1)
    engine = Engine(
        default_registry(), RunOptions(offline_delay=0), model_client=OfflineModelClient()
    )
    record = asyncio.run(engine.run(b.graph))
    assert record.status == "succeeded"
    entry = RunEntry(1, b.graph, {}, "offline", None, "untaken", record=record)
    shown = {name: content_for(entry, name) for name in ("out_quick", "out_careful")}
    empty = [c for c in shown.values() if c.state == "empty"]
    done = [c for c in shown.values() if c.state == "done"]
    assert len(empty) == 1 and len(done) == 1
    assert empty[0].message == NO_VALUE and not empty[0].has_final
    assert done[0].has_final and done[0].final is not None and not done[0].message


def test_a_running_agent_panel_lists_its_tool_calls():
    """An agent's tool calls (NodeProgress steps) show in its panel while it runs."""
    from core.engine import events as ev
    from core.engine.record import RunRecord
    from editor.results.panel_content import content_for
    from editor.run.history import RunEntry
    from tests.core.catalogue.test_catalogue_types import graph_with

    graph = graph_with("SelfCritique")
    node = graph.node_by_name("module")
    record = RunRecord(run_id="r")
    common = {"run_id": "r", "node_id": node.id, "node_name": node.name}
    record.apply(
        ev.RunStarted(
            run_id="r", elapsed=0, graph_name="g", nodes=((node.id, "module"),), inputs={}
        )
    )
    record.apply(ev.NodeStarted(elapsed=0.1, node_type=node.type, model="offline", **common))
    for index in range(8):
        step = {"kind": "tool_call", "tool": "count", "arguments": {"text": f"t{index}"}}
        record.apply(
            ev.NodeProgress(
                elapsed=0.2, step={**step, "result": {"n": index}, "seconds": 0.01}, **common
            )
        )
    entry = RunEntry(1, graph, {}, "offline", None, "g", record=record)
    shown = content_for(entry, node.id)
    lines = shown.message.splitlines()
    assert shown.state == "running" and shown.message_kind == "info"
    assert lines[0] == "… 2 earlier call(s)" and len(lines) == 7
    assert lines[-1] == "Called count(text='t7') → {\"n\": 7} in 0.01 s"
