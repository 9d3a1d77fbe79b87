"""Run the seed program from the window, through the real path (the offline model
streaming through litellm on the qasync loop), and watch both branches at once."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from core.engine import Engine, RunOptions
from core.files import dumps_graph
from editor.results.panel_content import json_text
from editor.results.result_panel import PAGES
from tests.editor.run.conftest import node_id, wait_finished


def _recorder(window):
    """Every flush: the run's status and what each Output panel displayed."""
    seen: list[tuple[str, list[str]]] = []

    def record(entry, _batch):
        panels = window.results_area.outputs.panels.values()
        seen.append((entry.status, [panel.displayed_text() for panel in panels]))

    window.run_controller.flushed.connect(record)
    return seen


def _run_from_the_form(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = window.run_controller.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    editor = dialog.sections[0].rows["query"].editor.widget
    assert editor.text() == "What is the meaning of life?"  # the graph's example input
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter runs
    entry = window.run_controller.entry
    assert entry is not None and not dialog.isVisible()
    return entry


def test_both_branches_stream_into_their_panels_at_the_same_time(qtbot, run_window):
    window = run_window
    before = dumps_graph(window.document.graph)
    seen = _recorder(window)
    entry = _run_from_the_form(qtbot, window)
    assert window.run_controller.banner.isVisible()
    wait_finished(qtbot, window)

    record = entry.record
    assert record.status == "succeeded"
    finals = [json.dumps(value, ensure_ascii=False) for value in record.outputs]
    # While the run went on, both panels showed partial answers at the same moment,
    # and both kept growing across several flushes (interleaved, not one then the other).
    running = [texts for status, texts in seen if status == "running"]
    both_partial = [
        t
        for t in running
        if all(t)
        and all(len(x) < len(json_text(v)) for x, v in zip(t, record.outputs, strict=True))
    ]
    assert both_partial, "the two panels never showed partial content at the same time"
    grew_together = sum(
        1
        for a, b in zip(running, running[1:], strict=False)
        if all(len(y) > len(x) for x, y in zip(a, b, strict=True))
    )
    assert grew_together >= 3, f"both panels grew together in only {grew_together} flushes"
    # The fields filled in as the JSON parsed: thinking first, then the answer.
    first = [t[0] for t in running if t[0]]
    assert any("thinking" in t and "answer" not in t for t in first)
    assert any("thinking" in t and "answer" in t for t in first)

    # After: each panel shows the final JSON the engine returned, in output order.
    panels = list(window.results_area.outputs.panels.values())
    assert [p.title_label.text() for p in panels] == ["1. output_1", "2. output_2"]
    for panel, value, final in zip(panels, record.outputs, finals, strict=True):
        assert panel.displayed_json() == json_text(value)
        assert json.loads(panel.displayed_json()) == json.loads(final)
        assert panel.chip.state == "done" and panel.copy_button.isEnabled()
        assert "What is the meaning of life?" in panel.displayed_text()
    # The same graph run by the engine alone gives the same outputs (deterministic model).
    assert list(record.outputs) == _engine_outputs(window)
    # Every card shows done with its time; tokens on the model nodes; edges lit.
    view = window.canvas
    for node in window.document.graph.nodes.values():
        run = view.node_item(node.id).run
        assert run is not None and run.state == "done" and run.elapsed is not None
    assert view.node_item(node_id(window, "branch_1")).run.tokens > 0
    assert all(view.edge_item(e).active for e in window.document.graph.edges)
    # Results live in the run record, never in the graph.
    assert dumps_graph(window.document.graph) == before
    assert not window.isWindowModified()
    assert not window.run_controller.banner.isVisible()
    assert window.status.currentMessage().startswith("Run 1 succeeded")


def _engine_outputs(window):
    """The seed's outputs from the engine alone, on a loop of its own (in a thread:
    the test's thread already runs the qasync loop)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from core.engine import OfflineModelClient

    engine = Engine(
        window.workspace.registry, RunOptions(offline_delay=0), model_client=OfflineModelClient()
    )
    graph = window.document.graph
    with ThreadPoolExecutor(1) as pool:
        record = pool.submit(lambda: asyncio.run(engine.run(graph))).result(timeout=60)
    return list(record.outputs)


def test_copy_button_copies_the_final_json(qtbot, run_window):
    from PySide6.QtGui import QGuiApplication

    entry = run_window.run_controller.start()
    wait_finished(qtbot, run_window)
    panel = next(iter(run_window.results_area.outputs.panels.values()))
    panel.copy_button.click()
    assert json.loads(QGuiApplication.clipboard().text()) == entry.record.outputs[0]
    panel.pages.setCurrentIndex(PAGES.index("Raw"))
    assert json.loads(panel.raw_view.shown_text()) == entry.record.outputs[0]


def test_the_selected_node_gets_its_own_panel(qtbot, run_window):
    window = run_window
    outputs = window.results_area
    entry = window.run_controller.start()
    window.canvas.select_nodes([node_id(window, "branch_2")])
    panel = outputs.outputs.selected_panel
    assert panel.isVisible() and panel.title_label.text() == "Selected: branch_2"
    wait_finished(qtbot, window)
    assert json.loads(panel.displayed_json()) == entry.record.by_name("branch_2").result
    window.canvas.select_nodes([node_id(window, "inputs")])
    assert json.loads(panel.displayed_json()) == {"query": "What is the meaning of life?"}
    window.canvas.select_nodes([])
    assert not panel.isVisible()
