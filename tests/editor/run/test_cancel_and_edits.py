"""Cancelling a run mid-stream, and a window that stays usable while a run goes on:
edits to the running graph apply to the next run (a banner says so), other graphs
and windows stay editable, the canvas pans."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.commands import RenameNode, SetMeta
from core.files import dumps_graph
from editor.run.banner import EDITS_NOTE
from tests.editor.run.conftest import RUN_MS, node_id, wait_finished


def _streaming(entry) -> bool:
    """Both branches have streamed enough for their first field to show."""
    if entry.record is None or not entry.record.nodes:
        return False
    branches = [r for r in entry.record.nodes.values() if r.node_name.startswith("branch")]
    return len(branches) == 2 and all(r.partial for r in branches)


def test_escape_cancels_mid_run_and_marks_nodes_cancelled(qtbot, run_window):
    window = run_window
    controller = window.run_controller
    controller.option_overrides["offline_delay"] = 0.05
    entry = controller.start()
    qtbot.waitUntil(lambda: _streaming(entry), timeout=120_000)
    assert window.actions.cancel_run.isEnabled() and not window.actions.run.isEnabled()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
    wait_finished(qtbot, window, timeout=5_000)

    assert entry.status == "cancelled"
    states = {r.node_name: str(r.state) for r in entry.record.nodes.values()}
    assert states["inputs"] == "finished"
    assert {states[n] for n in ("branch_1", "branch_2", "output_1", "output_2")} == {"cancelled"}
    for name in ("branch_1", "branch_2", "output_1", "output_2"):
        assert window.canvas.node_item(node_id(window, name)).run.state == "cancelled"
    for panel in window.results_area.outputs.panels.values():
        assert panel.chip.state == "cancelled"
        assert panel.displayed_text()  # the partial answer stays visible
    assert not controller.banner.isVisible()
    assert window.status.currentMessage().startswith("Run 1 cancelled")
    # The window is usable: actions are back, editing works, and a new run succeeds.
    assert window.actions.run.isEnabled() and not window.actions.cancel_run.isEnabled()
    window.canvas.add_node("Generator")
    assert len(window.document.graph.nodes) == 6
    window.document.undo_stack.undo()
    controller.option_overrides["offline_delay"] = 0.002
    again = controller.start()
    wait_finished(qtbot, window, timeout=RUN_MS)
    assert again.status == "succeeded" and again.number == 2


def test_ctrl_period_cancels_too(qtbot, run_window):
    window = run_window
    controller = window.run_controller
    controller.option_overrides["offline_delay"] = 0.05
    entry = controller.start()
    qtbot.waitUntil(lambda: _streaming(entry), timeout=120_000)
    qtbot.keyClick(window, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    wait_finished(qtbot, window, timeout=5_000)
    assert entry.status == "cancelled"


def test_edits_during_a_run_apply_to_the_next_run(qtbot, run_window, workspace):
    window = run_window
    controller = window.run_controller
    controller.option_overrides["offline_delay"] = 0.03
    entry = controller.start()
    banner = controller.banner
    assert (
        banner.isVisible() and banner.note.toolTip() == EDITS_NOTE
    )  # elided to one line when narrow
    qtbot.waitUntil(lambda: _streaming(entry), timeout=120_000)
    # Edit the running graph: rename a branch, change the example input, add a node.
    branch = node_id(window, "branch_1")
    window.document.push(RenameNode(branch, "renamed_branch"))
    window.document.push(SetMeta({"example_input": {"query": "Changed during the run"}}))
    added = window.canvas.add_node("Generator")
    # Other windows stay editable, and this canvas still pans.
    other = workspace.new_window()
    other.add_node_at_centre("Input")
    assert len(other.document.graph.nodes) == 1
    bar = window.canvas.horizontalScrollBar()
    bar.setValue(bar.value() + 40)
    assert controller.running
    wait_finished(qtbot, window, timeout=RUN_MS)

    # The run used the graph as it was when it started.
    assert entry.status == "succeeded"
    assert entry.record.nodes[branch].node_name == "branch_1"
    assert "What is the meaning of life?" in entry.record.outputs[0]["answer"]
    assert window.canvas.node_item(added).run is None  # not part of that run
    assert window.canvas.node_item(branch).run.state == "done"
    # The edits are in the graph, and nothing of the run is.
    graph_text = dumps_graph(window.document.graph)
    assert "renamed_branch" in graph_text and "Offline answer" not in graph_text
    # The next run sees them.
    window.document.undo_stack.undo()  # the added node (a Generator without input is an error)
    nxt = controller.start()
    wait_finished(qtbot, window, timeout=RUN_MS)
    assert nxt.record.nodes[branch].node_name == "renamed_branch"
    assert "Changed during the run" in nxt.record.outputs[0]["answer"]


def test_opening_another_graph_stops_this_windows_run(qtbot, run_window, workspace):
    window = run_window
    controller = window.run_controller
    controller.option_overrides["offline_delay"] = 0.05
    entry = controller.start()
    qtbot.waitUntil(lambda: _streaming(entry), timeout=120_000)
    window.new_graph()
    wait_finished(qtbot, window, timeout=5_000)
    assert entry.status == "cancelled"
    assert window.results_area.shown is None  # the new graph starts with empty results
    assert len(controller.history) == 1  # the run stays in the history


def test_closing_the_window_cancels_its_run(qtbot, run_window):
    window = run_window
    controller = window.run_controller
    controller.option_overrides["offline_delay"] = 0.05
    entry = controller.start()
    qtbot.waitUntil(lambda: _streaming(entry), timeout=120_000)
    assert window.close()
    qtbot.waitUntil(lambda: entry.record.status == "cancelled", timeout=5_000)
    assert all(str(r.state) in ("finished", "cancelled") for r in entry.record.nodes.values())
