"""The heap is frozen while runs stream and unfrozen once the last one ends."""

from __future__ import annotations

import gc

from editor.run import quiet_heap


def test_freeze_pairs_across_concurrent_runs():
    assert quiet_heap.runs_in_flight() == 0
    before = gc.get_freeze_count()
    quiet_heap.run_started()
    frozen = gc.get_freeze_count()
    assert frozen > before
    quiet_heap.run_started()  # a second window's run
    quiet_heap.run_ended()
    assert gc.get_freeze_count() >= frozen, "still frozen while a run is in flight"
    quiet_heap.run_ended()
    assert gc.get_freeze_count() == 0
    quiet_heap.run_ended()  # unpaired end is harmless
    assert quiet_heap.runs_in_flight() == 0


def test_a_finished_run_leaves_the_heap_unfrozen(qtbot, run_window):
    from tests.editor.run.conftest import wait_finished

    window = run_window
    window.run_controller.start()
    qtbot.waitUntil(lambda: quiet_heap.runs_in_flight() == 1, timeout=5000)
    wait_finished(qtbot, window)
    assert quiet_heap.runs_in_flight() == 0
    assert gc.get_freeze_count() == 0
