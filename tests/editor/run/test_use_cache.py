"""The "Use cache" toggle: a second run replays model nodes, marked cached everywhere."""

from __future__ import annotations

from editor.canvas.run_state import CACHED
from editor.results.run_report import node_rows
from tests.editor.run.conftest import node_id, wait_finished


def _run(qtbot, window):
    entry = window.run_controller.start()
    assert entry is not None
    wait_finished(qtbot, window)
    return entry.record


def test_a_second_run_is_cached_and_shown_so_and_the_toggle_turns_it_off(qtbot, run_window):
    window, controller = run_window, run_window.run_controller
    toggle = controller.cache_toggle.action
    assert toggle.isChecked() and toggle in window.toolbar.actions()
    first = _run(qtbot, window)
    assert not any(r.cached for r in first.nodes.values())
    second = _run(qtbot, window)
    cached = {r.node_name for r in second.nodes.values() if r.cached}
    assert {"branch_1", "branch_2"} <= cached
    assert second.outputs == first.outputs
    card = window.canvas.canvas_scene.node_item(node_id(window, "branch_1"))
    assert card.run is not None and CACHED in card.run.pill_text()
    assert any("(cached)" in row["state"] for row in node_rows(controller.entry))
    toggle.trigger()  # off: every model is asked anew
    third = _run(qtbot, window)
    assert not any(r.cached for r in third.nodes.values())


def test_an_unusable_store_says_why_in_the_status_bar(qtbot, run_window, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("SYNALINKS_CANVAS_DATA_DIR", str(blocked))
    record = _run(qtbot, run_window)
    assert record.status == "succeeded"
    message = run_window.status.currentMessage()
    assert "succeeded" in message and "runs are neither cached nor kept" in message
