"""The Evaluation panel's dataset side: opening files (menu, drop, the graph's own),
paging rows lazily, the column mapping (automatic, edited, undone), and the rows
that do not fit, found off the UI thread."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from core.model.dataset_refs import DatasetRef
from editor.evaluation.dataset_rows import PAGE
from tests.editor.run.eval_helpers import eval_window, write_csv


def _checked(qtbot, window):
    page = window.evaluation.panel.dataset_page
    qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
    return page.result


def test_the_graphs_dataset_opens_with_the_window_mapped_by_name(
    qtbot, workspace, tmp_path, providers
):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    evaluation = window.evaluation
    binding = evaluation.binding
    assert binding is not None and binding.path.name == "parallel_branches.csv"
    assert binding.mapping.inputs == {"query": "query"}
    assert binding.mapping.expected == {"answer": "answer"}
    page = evaluation.panel.dataset_page
    assert page.rows_model.rowCount() == 24
    assert page.rows_model.data(page.rows_model.index(1, 0)) == "What is 12 times 7?"
    combos = page.mapping_editor.combos
    assert set(combos) == {"query", "expected.thinking", "expected.answer"}
    assert combos["query"].currentText() == "(automatic: query)"
    assert combos["expected.thinking"].currentText() == "(automatic: none)"
    result = _checked(qtbot, window)
    assert (result.examples, result.problem_count) == (24, 0)
    assert "All 24 rows fit" in page.problems_label.text()
    assert evaluation.panel.chooser.currentText() == "parallel_branches.csv"


def test_a_large_file_opens_at_once_and_pages_as_it_scrolls(qtbot, workspace, tmp_path, providers):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    big = tmp_path / "big.jsonl"
    with big.open("w") as handle:
        for i in range(100_000):
            row = {"query": f"question {i}", "answer": f"answer {i}"}
            if i % 25_000 == 7:
                row = {"query": "", "answer": "x"}  # an empty required field
            handle.write(json.dumps(row) + "\n")
        handle.write("{not json\n")
    assert window.evaluation.open_dataset(big)
    page = window.evaluation.panel.dataset_page
    model = page.rows_model
    assert model.rowCount() == PAGE  # only the first page was read
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    assert "100,001 rows" in page.info.text()
    # Every row is checked in a thread; the window keeps answering meanwhile.
    assert page.check.thread is not None
    result = _checked(qtbot, window)
    assert result.examples == 100_000 - 4
    assert result.problem_count == 5
    texts = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert texts[0] == "row 8 (line 8): the input field query (column 'query') is empty"
    assert texts[-1].startswith("row 100001 (line 100001): not valid JSON")
    # The graph remembers it (relative: it lies beside the graph), as one undo step.
    refs = window.document.graph.meta.datasets
    assert [r.path for r in refs] == ["datasets/parallel_branches.csv", "big.jsonl"]
    window.document.undo_stack.undo()
    assert [r.path for r in window.document.graph.meta.datasets] == [
        "datasets/parallel_branches.csv"
    ]


def test_editing_the_mapping_is_kept_in_the_graph_and_undoes(qtbot, workspace, tmp_path, providers):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    data = write_csv(
        tmp_path / "renamed.csv",
        [{"question": "Why is the sky blue?", "gold": "blue", "notes": "n"}],
    )
    evaluation = window.evaluation
    assert evaluation.open_dataset(data)
    # No column is named like the input: the panel says so and the run is refused.
    assert "no column for the required input field(s) query" in evaluation.binding.problem
    assert not evaluation.panel.run_button.isEnabled()
    editor = evaluation.panel.dataset_page.mapping_editor
    editor.choose("query", "question")
    editor = evaluation.panel.dataset_page.mapping_editor
    editor.choose("expected.answer", "gold")
    ref = window.document.graph.meta.datasets[-1]
    assert ref == DatasetRef(
        path="renamed.csv", mapping={"query": "question", "expected.answer": "gold"}
    )
    binding = evaluation.binding
    assert binding.problem == "" and binding.mapping.inputs == {"query": "question"}
    assert binding.mapping.expected == {"answer": "gold"} and binding.mapping.unused == ("notes",)
    assert evaluation.panel.run_button.isEnabled()
    assert _checked(qtbot, window).examples == 1
    window.document.undo_stack.undo()
    assert evaluation.binding.overrides == {"query": "question"}
    assert (
        evaluation.panel.dataset_page.mapping_editor.combos["expected.answer"].currentIndex() == 0
    )


def test_a_bad_file_says_why_and_a_drop_opens_a_dataset(qtbot, workspace, tmp_path, providers):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    evaluation = window.evaluation
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}')
    assert not evaluation.open_dataset(bad)
    box = evaluation.last_problem
    assert box is not None and box.isVisible() and "bad.json" in box.text()
    box.close()
    assert evaluation.binding.path.name == "parallel_branches.csv"  # unchanged

    dropped = write_csv(tmp_path / "dropped.csv", [{"query": "q", "answer": "a"}])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    panel = evaluation.panel
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(event)
    assert evaluation.binding.path == dropped.resolve()
    assert evaluation.panel.dataset_page.rows_model.rowCount() == 1
    # Dropped on the canvas (which takes node types from the palette) it opens too.
    other = write_csv(tmp_path / "on_canvas.csv", [{"query": "q", "answer": "a"}] * 3)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # (Qt routes a drop only during a real drag: hand it to the canvas's filter.)
    assert evaluation.eventFilter(window.canvas, event) and event.isAccepted()
    assert evaluation.binding.path == other.resolve()
    assert len(window.document.graph.nodes) == 5  # no node was added


def test_the_panel_is_built_when_its_dock_is_first_shown(qtbot, workspace, tmp_path, providers):
    """Opening a window reads no dataset and loads none of the evaluation modules'
    widgets; bringing the dock forward builds the panel and opens the graph's dataset."""
    import shutil

    from tests.editor.run.eval_helpers import ROOT

    graph = tmp_path / "parallel_branches.json"
    shutil.copy(ROOT / "saved_graphs" / "parallel_branches.json", graph)
    shutil.copytree(ROOT / "saved_graphs" / "datasets", tmp_path / "datasets")
    window = workspace.open_window_for(graph)
    qtbot.waitExposed(window)
    evaluation = window.evaluation
    assert not evaluation.panel_built and evaluation.binding is None
    assert evaluation.actions["run"].isEnabled()  # Ctrl+E builds it and finds the dataset
    evaluation.dock.show()
    evaluation.dock.raise_()
    qtbot.waitUntil(lambda: evaluation.panel_built, timeout=5_000)
    assert evaluation.dock.widget() is evaluation.panel
    assert (
        evaluation.binding is not None and evaluation.binding.path.name == "parallel_branches.csv"
    )
