"""The session's run history (reopen, compare), the run timeline, the model selector."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from core.commands import SetMeta
from core.engine import OFFLINE_MODEL
from editor.results.timeline import AXIS_HEIGHT, ROW_HEIGHT, nice_step
from editor.run.model_selector import OFFLINE_MODEL as SELECTOR_OFFLINE
from editor.run.model_selector import ModelSelector
from tests.editor.run.conftest import RUN_MS, wait_finished


def _run(qtbot, window, query: str):
    entry = window.run_controller.start({"query": query})
    wait_finished(qtbot, window)
    assert entry.status == "succeeded"
    return entry


def test_history_keeps_every_run_reopens_one_and_compares_two(qtbot, run_window):
    window = run_window
    first = _run(qtbot, window, "Is water wet?")
    second = _run(qtbot, window, "Is fire hot?")
    area = window.results_area
    view = area.history_view
    assert view.table.topLevelItemCount() == 2
    newest = view.table.topLevelItem(0)
    assert [newest.text(0), newest.text(2)] == ["2", "succeeded"]
    # Details of one run: inputs, outputs, per-node timings.
    view.select_numbers([1])
    details = view.details.toPlainText()
    assert "Is water wet?" in details and "branch_1" in details and "finished" not in details
    assert "done" in details and "Offline answer to “Is water wet?”" in details
    # Reopen run 1: its results come back in the panels (and on the canvas).
    view.show_button.click()
    assert area.shown is first and area.tabs.currentWidget() is area.outputs
    panel = next(iter(area.outputs.panels.values()))
    assert "Is water wet?" in panel.displayed_json()
    assert area.latest_button.isVisible()
    area.latest_button.click()
    assert area.shown is second and "Is fire hot?" in panel.displayed_json()
    # Compare the two side by side.
    view.select_numbers([1, 2])
    assert view.compare_button.isEnabled()
    view.compare_button.click()
    dialog = window.run_controller.compare_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Run 1 and Run 2" in text
    assert "Is water wet?" in text and "Is fire hot?" in text
    assert "inputs (differ)" in text and "differ" in text
    dialog.close()


def test_the_timeline_shows_the_branches_overlapping(qtbot, run_window):
    window = run_window
    window.run_controller.option_overrides["offline_delay"] = 0.02
    entry = window.run_controller.start()
    area = window.results_area
    area.tabs.setCurrentWidget(area.timeline)
    chart = area.timeline.chart
    growing = []
    window.run_controller.flushed.connect(
        lambda e, _b: growing.append({b.name: b.end for b in chart.bars() if b.state == "running"})
    )
    wait_finished(qtbot, window)
    # While running, the branch bars grew (their end followed the clock).
    ends = [g["branch_1"] for g in growing if "branch_1" in g]
    assert len(ends) >= 3 and ends == sorted(ends) and ends[-1] > ends[0]
    bars = {bar.name: bar for bar in chart.bars()}
    one, two = bars["branch_1"], bars["branch_2"]
    assert one.state == two.state == "done"
    assert one.start < two.end and two.start < one.end  # the two branches overlap in time
    assert bars["inputs"].end <= min(one.start, two.start) + 1e-6
    # Hovering a bar tells its timing, tokens and model.
    chart.resize(800, chart.sizeHint().height())
    row = one.row
    tip = chart.tooltip_html(chart.bar_at(QPointF(400, AXIS_HEIGHT + row * ROW_HEIGHT + 5)))
    record = entry.record.by_name("branch_1")
    assert "branch_1" in tip and "done after" in tip
    assert (
        f"{record.tokens_in:,} in" in tip
        and f"{record.tokens_out:,} out" in tip
        and "offline" in tip
    )
    assert "Run 1:" in area.timeline.summary.text() and "overlap" in area.timeline.summary.text()


def test_nice_steps_are_round():
    assert nice_step(3.4, 700) == 0.5
    assert nice_step(120, 700) == 20
    assert nice_step(0.2, 700) == 0.02


def test_the_offline_choice_runs_a_graph_that_names_a_real_model(
    qtbot, run_window, settings, workspace
):
    window = run_window
    assert SELECTOR_OFFLINE == OFFLINE_MODEL
    window.document.push(SetMeta({"default_model": "openai/gpt-4o-mini"}))
    selector = window.run_controller.selector
    assert "Graph's models: openai/gpt-4o-mini — key " in selector.itemText(0)
    selector.set_choice("offline")
    assert settings.run_model_choice == "offline"
    entry = window.run_controller.start()
    wait_finished(qtbot, window, timeout=RUN_MS)
    assert entry.status == "succeeded"
    assert entry.model_override == "offline" and entry.model_label == "offline (all nodes)"
    assert entry.record.by_name("branch_1").model == "offline"
    assert "models: offline (all nodes)" in window.results_area.summary.text()
    # Remembered for the user: a new window starts with the same choice.
    assert ModelSelector(settings).choice() == "offline"
    selector.set_choice("graph")
    failing = window.run_controller.start()
    wait_finished(qtbot, window, timeout=RUN_MS)
    assert failing.record.by_name("branch_1").error_kind == "missing_api_key"


def test_a_node_that_waited_for_a_model_slot_shows_its_wait(qtbot, run_window):
    window = run_window
    window.run_controller.option_overrides["max_concurrency"] = 1  # one model call at a time
    entry = window.run_controller.start()
    wait_finished(qtbot, window, timeout=RUN_MS)
    chart = window.results_area.timeline.chart
    bars = {bar.name: bar for bar in chart.bars()}
    first, second = sorted((bars["branch_1"], bars["branch_2"]), key=lambda b: b.start)
    assert second.start >= first.end - 1e-6  # no overlap this time
    assert second.start - second.queued > 0.05  # it waited for the first
    assert "waited" in chart.tooltip_html(second) and "for a model slot" in chart.tooltip_html(
        second
    )
    assert entry.status == "succeeded"
