"""The results area shows the branches running now, not only the Outputs, then
settles on the Outputs when the run ends."""

from __future__ import annotations

import shutil

import pytest

from editor.results.live_panels import MAX_LIVE
from tests.editor.run.conftest import node_id, wait_finished

BRANCHES = {"research", "find_quotes", "check_similar"}


@pytest.fixture
def fork_window(qtbot, run_window, tmp_path, seed_path):
    target = tmp_path / "fork_merge.json"
    shutil.copy(seed_path.parent / "fork_merge.json", target)
    window = run_window.workspace.open_window_for(target)
    qtbot.waitExposed(window)
    window.run_controller.providers = run_window.run_controller.providers
    window.run_controller.option_overrides = dict(run_window.run_controller.option_overrides)
    window.run_controller.cache_toggle.action.setChecked(False)  # every branch streams
    return window


def test_parallel_branches_feeding_a_merge_stream_side_by_side(qtbot, fork_window):
    window = fork_window
    seen: list[dict[str, str]] = []

    def look(_entry, _batch):
        outputs = window.results_area.outputs
        seen.append(
            {
                panel.title_label.text(): panel.displayed_text()
                for panel in outputs.live.panels.values()
                if panel.chip.state == "running"
            }
        )

    window.run_controller.flushed.connect(look)
    entry = window.run_controller.start()
    wait_finished(qtbot, window)
    assert entry.status == "succeeded"
    outputs = window.results_area.outputs
    together = [s for s in seen if set(s) == BRANCHES and all(s.values())]
    # Started together, they sit in the graph's order, after the Output's panel.
    assert any(list(s) == ["research", "find_quotes", "check_similar"] for s in together)
    assert together, f"the three branches never streamed side by side: {[set(s) for s in seen]}"
    # They grew at the same time, each in its own panel.
    grew = sum(
        1
        for a, b in zip(together, together[1:], strict=False)
        if all(len(b[k]) > len(a[k]) for k in BRANCHES)
    )
    assert grew >= 2
    # The run is over: only the Output's panel is left, showing the final value.
    assert outputs.live.panels == {}
    assert [p.title_label.text() for p in outputs.panels.values()] == ["1. output_1"]
    assert outputs.row.minimumWidth() < 2 * 250 + 50


def test_no_panel_twice_and_never_more_than_the_cap(qtbot, run_window, fork_window):
    # The seed's branches feed Outputs: their Output panels stream them, nothing is added.
    seed = run_window
    seen_seed: list[int] = []
    seed.run_controller.flushed.connect(
        lambda *_: seen_seed.append(len(seed.results_area.outputs.live.panels))
    )
    seed.run_controller.start()
    wait_finished(qtbot, seed)
    assert seen_seed and max(seen_seed) == 0
    # A selected branch shows in the selected node's panel, not also in a live one.
    window = fork_window
    counts: list[tuple[int, set[str]]] = []

    def look(*_args):
        live = window.results_area.outputs.live.panels
        counts.append((len(live), {p.title_label.text() for p in live.values()}))

    window.run_controller.flushed.connect(look)
    window.run_controller.start()
    window.canvas.select_nodes([node_id(window, "research")])
    assert window.results_area.outputs.selected_panel.isVisible()
    wait_finished(qtbot, window)
    assert all(n <= MAX_LIVE and "research" not in names for n, names in counts)
    assert any(names == {"find_quotes", "check_similar"} for _n, names in counts)


def test_a_node_selected_before_the_first_run_gets_its_panel(qtbot, fork_window):
    window = fork_window
    window.canvas.select_nodes([node_id(window, "research")])
    window.run_controller.start()
    panel = window.results_area.outputs.selected_panel
    assert panel.isVisible() and panel.title_label.text() == "Selected: research"
    wait_finished(qtbot, window)
    assert window.results_area.outputs.live.panels == {}
