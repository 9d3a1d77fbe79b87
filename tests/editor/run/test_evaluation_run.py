"""Evaluating from the editor: a small evaluation to the end, progress throttled,
cancel and resume (only unfinished rows run), the results table paged from the
store (sorted by the store, filtered by status), a row's trace on the canvas,
export, and two evaluations compared."""

from __future__ import annotations

import csv
import json

from PySide6.QtCore import Qt

from core.evaluation import EvalOptions, make_plan
from editor.evaluation.run_dialog import EvalSettings
from tests.editor.run.eval_helpers import eval_window, wait_evaluated, write_csv


def _rows(n: int, wrong_every: int = 3) -> list[dict]:
    """Rows the offline model answers right, except every ``wrong_every``-th."""
    rows = []
    for i in range(n):
        query = f"Question number {i}?"
        answer = f"Offline answer to \u201c{query}\u201d from branch_1"
        if i % wrong_every == 0:
            answer = "something else"
        rows.append({"query": query, "answer": answer})
    return rows


def test_a_small_evaluation_runs_to_the_end_and_shows_its_results(
    qtbot, qloop, workspace, tmp_path, providers
):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    evaluation = window.evaluation
    data = write_csv(tmp_path / "twelve.csv", [*_rows(12), {"query": "", "answer": "x"}])
    assert evaluation.open_dataset(data)
    # Evaluate → Run Evaluation (Ctrl+E) opens the dialog; Evaluate starts the run.
    action = evaluation.actions["run"]
    assert action.shortcut().toString() == "Ctrl+E" and action in evaluation.menu.actions()
    assert window.menuBar().actions()[-2].menu() is evaluation.menu  # before Help
    action.trigger()
    dialog = evaluation.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.concurrency.setValue(4)
    dialog.accept()
    assert evaluation.running
    assert evaluation.actions["cancel"].isEnabled() and not evaluation.actions["run"].isEnabled()
    wait_evaluated(qtbot, window)
    assert evaluation.last_status == "finished"
    panel = evaluation.panel
    assert panel.progress.value() == 13 and panel.progress.maximum() == 13
    assert panel.progress_label.text().startswith("Evaluation finished: 13/13 rows")
    assert window.status.currentMessage().startswith("Evaluation finished: 13/13 rows")
    # The results: the store's summary, the histogram and the table.
    results = panel.results_page
    assert panel.tabs.currentWidget() is results
    qtbot.waitUntil(lambda: results.summary is not None, timeout=10_000)
    stat = results.summary.rewards["exact_match"]
    assert stat.n == 12 and abs(stat.mean - 8 / 12) < 1e-9
    assert "<b>exact_match</b>: 0.667 ± 0.492 (n=12)" in results.summary_label.text()
    assert "1 invalid" in results.summary_label.text()
    assert sum(c for _lo, _hi, c in results.histogram.bins) == 12
    assert results.histogram.bins[-1][2] == 8 and results.histogram.bins[0][2] == 4
    model = results.model
    assert model.rowCount() == 13
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:4] == ["Row", "Status", "Score", "exact_match"]
    assert model.data(model.index(0, 0)) == "1" and model.data(model.index(0, 2)) == "0.000"
    assert model.data(model.index(12, 1)) == "invalid"


def test_progress_reaches_the_window_at_most_ten_times_a_second(
    qtbot, qloop, workspace, tmp_path, providers
):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    evaluation = window.evaluation
    assert evaluation.open_dataset(write_csv(tmp_path / "many.csv", _rows(300)))
    evaluation.start(EvalSettings(concurrency=32))
    reports = []
    original = evaluation._progress
    evaluation._progress = lambda p: (reports.append(p), original(p))
    import time

    started = time.monotonic()
    wait_evaluated(qtbot, window, timeout=60_000)
    seconds = time.monotonic() - started
    assert evaluation.last_status == "finished"
    assert len(reports) >= 300  # the evaluator reports every row
    assert evaluation.ui_updates <= seconds * 10 + 2


def test_cancel_keeps_finished_rows_and_resume_runs_only_the_rest(
    qtbot, qloop, workspace, tmp_path, providers
):
    window = eval_window(qtbot, workspace, tmp_path, providers, latency=0.05)
    evaluation = window.evaluation
    assert evaluation.open_dataset(write_csv(tmp_path / "forty.csv", _rows(40)))
    evaluation.start(EvalSettings(concurrency=2))
    qtbot.waitUntil(
        lambda: evaluation._latest is not None and evaluation._latest.done >= 6, timeout=30_000
    )
    assert evaluation.panel.cancel_button.isVisible()
    evaluation.panel.cancel_button.click()
    wait_evaluated(qtbot, window)
    assert evaluation.last_status == "cancelled"
    store = evaluation.store
    eval_id = evaluation.last_eval_id
    kept = sum(store.counts(eval_id).values())
    assert 6 <= kept < 40
    assert store.find(eval_id).status == "cancelled"
    assert "Resume runs the rest" in evaluation.panel.progress_label.text()
    assert evaluation.panel.resume_button.isVisible() and evaluation.actions["resume"].isEnabled()
    first = {r.index: r.finished_at for r in store.rows(eval_id)}

    window.run_controller.model_client_factory = None  # set below: count the calls of the resume
    from core.engine.offline_model import OfflineModelClient

    client = OfflineModelClient(latency=0.0)
    window.run_controller.model_client_factory = lambda _keys: client
    evaluation.panel.resume_button.click()
    wait_evaluated(qtbot, window)
    assert evaluation.last_status == "finished" and evaluation.last_eval_id == eval_id
    assert client.calls == 2 * (40 - kept)  # two branches per row, only the unfinished rows
    rows = {r.index: r.finished_at for r in store.rows(eval_id)}
    assert len(rows) == 40
    assert all(rows[i] == first[i] for i in first)  # finished rows were not run again
    assert not evaluation.panel.resume_button.isVisible()
    assert evaluation.panel.progress_label.text().startswith(
        f"Evaluation finished: 40/40 rows ({kept} from an earlier run)"
    )
    # The same settings once more: every row has its result, nothing runs.
    evaluation.start(evaluation.last_settings)
    wait_evaluated(qtbot, window)
    assert client.calls == 2 * (40 - kept)
    assert window.status.currentMessage().startswith("Nothing to run: all 40 rows already had")


def test_results_table_sorts_in_the_store_filters_by_status_and_exports(
    qtbot, qloop, workspace, tmp_path, providers
):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    evaluation = window.evaluation
    rows = [*_rows(250), {"query": "", "answer": "x"}]
    assert evaluation.open_dataset(write_csv(tmp_path / "sorted.csv", rows))
    evaluation.start(EvalSettings(concurrency=16))
    wait_evaluated(qtbot, window, timeout=60_000)
    results = evaluation.panel.results_page
    model = results.model
    assert model.rowCount() == 251
    # Sort by score, best first: the store orders, the model reads a page at a time.
    results.sort_by(2, Qt.SortOrder.DescendingOrder)
    assert model.order_by == "score" and model.descending
    scores = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    assert scores[:166] == ["1.000"] * 166 and scores[166:250] == ["0.000"] * 84
    assert len(model._pages) <= 8  # pages, not the whole table
    # A column the store cannot sort by leaves the order alone.
    results._header_clicked(model.columns.index(("inputs", "Input", None)))
    assert model.order_by == "score"
    # Filter by status.
    results.filter.setCurrentIndex(results.filter.findData("invalid"))
    assert model.rowCount() == 1 and model.data(model.index(0, 1)) == "invalid"
    assert "empty" in model.data(model.index(0, model.columnCount() - 1))
    results.filter.setCurrentIndex(results.filter.findData("scored"))
    assert model.rowCount() == 250
    # Export every row (whatever the filter) in a thread.
    target = tmp_path / "out.csv"
    evaluation.export(results.meta.id, target)
    qtbot.waitUntil(lambda: target.exists(), timeout=10_000)
    with target.open() as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 251 and table[0]["exact_match"] == "0.0"
    jsonl = tmp_path / "out.jsonl"
    evaluation.export(results.meta.id, jsonl)
    qtbot.waitUntil(lambda: jsonl.exists(), timeout=10_000)
    assert json.loads(jsonl.read_text().splitlines()[1])["row"] == 1


def test_double_clicking_a_row_shows_its_trace_on_the_canvas(
    qtbot, qloop, workspace, tmp_path, providers
):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    evaluation = window.evaluation
    assert evaluation.open_dataset(write_csv(tmp_path / "three.csv", _rows(3)))
    evaluation.start(EvalSettings())
    wait_evaluated(qtbot, window)
    results = evaluation.panel.results_page
    qtbot.waitUntil(lambda: results.model.rowCount() == 3, timeout=5_000)
    view = results.table
    view.scrollTo(results.model.index(1, 0))
    rect = view.visualRect(results.model.index(1, 3))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    entry = evaluation.last_trace
    assert entry.title == f"Row 2 of evaluation {evaluation.last_eval_id[:8]}"
    assert window.results_area.shown is entry
    graph = window.document.graph
    for name in ("inputs", "branch_1", "branch_2", "output_1", "output_2"):
        item = window.canvas.node_item(graph.node_by_name(name).id)
        assert item.run.state == "done", name
    branch = entry.record.by_name("branch_1")
    assert (
        branch.result["answer"] == "Offline answer to \u201cQuestion number 1?\u201d from branch_1"
    )
    assert entry.record.status == "succeeded"


def test_two_evaluations_of_the_same_dataset_compare_row_by_row(
    qtbot, qloop, workspace, tmp_path, providers
):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    evaluation = window.evaluation
    data = write_csv(tmp_path / "pair.csv", _rows(30))
    assert evaluation.open_dataset(data)
    evaluation.start(EvalSettings())
    wait_evaluated(qtbot, window)
    first = evaluation.last_eval_id
    # Version B: the scored output now reads branch_2, whose answers never match.
    from core.commands import SetMeta

    ref = window.document.graph.meta.datasets[-1]
    window.document.push(
        SetMeta(
            {
                "datasets": (
                    *window.document.graph.meta.datasets[:-1],
                    ref.model_copy(update={"output": "output_2"}),
                )
            }
        )
    )
    assert evaluation.binding.output == "output_2"
    evaluation.start(EvalSettings())
    wait_evaluated(qtbot, window)
    second = evaluation.last_eval_id
    assert second != first
    window.evaluation.show_compare()
    page = evaluation.panel.compare_page
    page.choose(first, second)
    page.run_compare()
    qtbot.waitUntil(lambda: page.comparison is not None, timeout=10_000)
    c = page.comparison
    assert (c.wins, c.losses, c.ties) == (0, 20, 10)
    assert abs(c.mean_diff + 20 / 30) < 1e-9 and c.ci_high < 0
    assert "<b>0</b> wins · <b>20</b> losses · <b>10</b> ties" in page.result_label.text()
    assert "B is worse" in page.result_label.text()
    assert page.table.rowCount() == 20
    # Double-click a differing row: B's trace.
    page._double_clicked(0, 0)
    assert evaluation.last_trace.title.startswith(f"Row 2 of evaluation {second[:8]}")


def test_the_same_settings_make_the_same_plan_as_the_command_line(
    qtbot, qloop, workspace, tmp_path, providers
):
    """The editor's evaluation is the one ``synalinks-canvas eval`` would resume."""
    window = eval_window(qtbot, workspace, tmp_path, providers)
    evaluation = window.evaluation
    evaluation.start(EvalSettings(limit=5))
    wait_evaluated(qtbot, window)
    plan = make_plan(
        window.document.graph,
        window.document.registry,
        evaluation.binding.path,
        EvalOptions(limit=5),
        graph_path=window.document.path,
    )
    assert plan.id == evaluation.last_eval_id
    assert sum(evaluation.store.counts(plan.id).values()) == 5


def test_closing_the_window_stops_the_evaluation_and_keeps_its_rows(
    qtbot, qloop, workspace, tmp_path, providers
):
    window = eval_window(qtbot, workspace, tmp_path, providers, latency=0.05)
    evaluation = window.evaluation
    assert evaluation.open_dataset(write_csv(tmp_path / "closing.csv", _rows(60)))
    window.document.save()
    task = evaluation.start(EvalSettings(concurrency=2))
    qtbot.waitUntil(
        lambda: evaluation._latest is not None and evaluation._latest.done >= 4, timeout=30_000
    )
    store, eval_id = evaluation.store, evaluation._latest.eval_id
    window.close()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.exception() is None
    assert store.find(eval_id).status == "cancelled"
    assert 4 <= sum(store.counts(eval_id).values()) < 60
