"""Choosing and using the Synalinks backend from the editor.

The toolbar's backend choice is remembered and starts the shared worker in the
background when picked (never at start-up); a run on Synalinks gives the same
results as the built-in engine; a graph with a node type the built-in engine
does not run goes to Synalinks and the status bar says so; a missing
environment or a worker that cannot start ends the run as failed with one
message and leaves the graph alone; Esc cancels a Synalinks run.

Tests marked ``synalinks`` share one real worker (importing synalinks costs
seconds) in ``.venv-synalinks``; the environment search is replaced by a
finder that names that interpreter.
"""

from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.files import dumps_graph
from editor.run.backend_selector import BackendSelector
from editor.run.synalinks_runtime import NO_ENVIRONMENT, SynalinksRuntime
from tests.editor.run.conftest import FIRST_RUN_MS, RUN_MS, wait_finished
from tests.support.synalinks_runner import require_synalinks_python

WORKER_MS = 180_000  # the first Synalinks run waits for the worker to import synalinks


def _drive(loop, coro, timeout: float = 15.0) -> None:
    """Run ``coro`` to its end on the session's qasync loop (outside a test)."""
    asyncio.events._set_running_loop(loop)
    try:
        task = loop.create_task(coro)
        deadline = time.monotonic() + timeout
        while not task.done() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.002)
    finally:
        asyncio.events._set_running_loop(None)


@pytest.fixture(scope="module")
def shared_runtime(_session_loop):
    """One real worker for every test of this module that needs one."""
    python = str(require_synalinks_python())
    runtime = SynalinksRuntime(finder=lambda _setting: SimpleNamespace(python=python, problem=None))
    yield runtime
    _drive(_session_loop, runtime.close())


@pytest.fixture
def qloop(_session_loop):
    """The running loop, without the shared fixture's clean-up: cancelling every
    task would cut the shared worker's pipes and the offline endpoint's connections
    (each test waits for its own run to end)."""
    asyncio.events._set_running_loop(_session_loop)
    try:
        yield _session_loop
    finally:
        asyncio.events._set_running_loop(None)


@pytest.fixture
def syn_window(run_window, shared_runtime):
    run_window.workspace.synalinks = shared_runtime
    return run_window


def _panel_texts(window) -> dict[str, str]:
    return {
        node_id: panel.displayed_text()
        for node_id, panel in window.results_area.outputs.panels.items()
    }


def _run_from_dialog(qtbot, window):
    controller = window.run_controller
    controller.request_run()
    dialog = controller.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


# --------------------------------------------------------------- choosing
def test_backend_choice_is_remembered_and_warms_the_worker_only_when_picked(
    qtbot, run_window, settings
):
    window = run_window
    asked: list[str | None] = []
    window.workspace.synalinks = SynalinksRuntime(finder=lambda s: asked.append(s))
    selector = window.run_controller.backend_selector
    assert selector.choice() == "builtin" and settings.run_backend == "builtin"
    assert selector.parent() is window.toolbar
    assert "tokens stream" in selector.itemData(0, Qt.ItemDataRole.ToolTipRole)
    assert "worker process" in selector.itemData(1, Qt.ItemDataRole.ToolTipRole)
    qtbot.wait(50)
    assert asked == []  # nothing starts until the person picks Synalinks

    selector.set_choice("synalinks")
    qtbot.waitUntil(lambda: asked == [None], timeout=5_000)  # "" in Settings: search
    assert settings.run_backend == "synalinks"
    assert "no token streaming" in selector.toolTip()
    assert BackendSelector(settings).choice() == "synalinks"
    with pytest.raises(ValueError, match="builtin"):
        settings.run_backend = "spark"


def test_no_worker_process_at_start_up(qtbot, workspace, seed_copy):
    window = workspace.open_window_for(seed_copy)
    qtbot.waitExposed(window)
    assert not workspace.synalinks_started


# ---------------------------------------------------------------- failures
@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (None, NO_ENVIRONMENT),
        (SimpleNamespace(python="/nowhere/bin/python", problem=None), "/nowhere/bin/python"),
        (
            SimpleNamespace(python="/old/bin/python", problem="synalinks 0.9 is too old"),
            "synalinks 0.9 is too old",
        ),
    ],
    ids=["no-environment", "missing-interpreter", "environment-problem"],
)
def test_a_run_without_a_worker_fails_with_one_message_and_keeps_the_graph(
    qtbot, run_window, found, expected
):
    window = run_window
    controller = window.run_controller
    window.workspace.synalinks = SynalinksRuntime(finder=lambda _s: found)
    controller.backend_selector.set_choice("synalinks")
    before = dumps_graph(window.document.graph)
    entry = controller.start()
    wait_finished(qtbot, window, timeout=RUN_MS)

    assert entry.status == "failed" and entry.record is None
    assert expected in entry.problem
    assert window.status.currentMessage() == f"Run 1 did not start: {entry.problem}"
    box = controller.last_problem
    assert box is not None and box.isVisible() and not box.isModal()
    assert expected in box.informativeText()
    assert dumps_graph(window.document.graph) == before and not window.document.is_modified
    assert window.actions.run.isEnabled() and not controller.banner.isVisible()
    assert "failed" in window.results_area.summary.text()
    box.close()


def test_cancel_while_the_worker_starts(qtbot, run_window):
    window = run_window
    controller = window.run_controller
    release = threading.Event()

    def slow_finder(_setting):
        release.wait(10)
        return None

    window.workspace.synalinks = SynalinksRuntime(finder=slow_finder)
    controller.backend_selector.set_choice("synalinks")
    try:
        entry = controller.start()
        qtbot.waitUntil(
            lambda: (
                "starting the Synalinks worker (first run only)" in controller.banner.title.text()
            ),
            timeout=5_000,
        )
        assert controller.banner.isVisible()
        window.canvas.setFocus()
        qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
        wait_finished(qtbot, window, timeout=5_000)
    finally:
        release.set()
    assert entry.status == "cancelled" and not entry.problem
    assert controller.last_problem is None


# ------------------------------------------------------------ real worker
@pytest.mark.synalinks
def test_synalinks_run_gives_the_built_in_engine_results(qtbot, syn_window):
    window = syn_window
    controller = window.run_controller
    builtin = controller.start()
    wait_finished(qtbot, window, timeout=FIRST_RUN_MS)
    assert builtin.status == "succeeded" and builtin.backend == "builtin"
    builtin_panels = _panel_texts(window)
    before = dumps_graph(window.document.graph)

    controller.backend_selector.set_choice("synalinks")
    dialog = _run_from_dialog(qtbot, window)
    assert "Backend: Synalinks" in dialog.models_label.text()
    dialog.submit()
    wait_finished(qtbot, window, timeout=WORKER_MS)

    entry = controller.history.entries[-1]
    assert entry.status == "succeeded", entry.errors()
    assert entry.backend == "synalinks" and entry.model_label.endswith("on Synalinks")
    assert entry.record.outputs == builtin.record.outputs
    assert entry.outputs_by_name() == builtin.outputs_by_name()
    assert _panel_texts(window) == builtin_panels
    assert all(p.chip.state == "done" for p in window.results_area.outputs.panels.values())
    assert "on Synalinks" in window.results_area.summary.text()
    assert dumps_graph(window.document.graph) == before
    assert window.status.currentMessage().startswith("Run 2 succeeded")


@pytest.mark.synalinks
def test_a_node_the_built_in_engine_cannot_run_sends_the_graph_to_synalinks(
    qtbot, syn_window, monkeypatch
):
    window = syn_window
    controller = window.run_controller
    generator = window.workspace.registry.get("Generator")
    monkeypatch.setattr(generator, "builtin_runs", False, raising=False)
    assert controller.backend_selector.choice() == "builtin"

    dialog = _run_from_dialog(qtbot, window)
    assert "only the Synalinks backend runs" in dialog.models_label.text()
    dialog.submit()
    message = window.status.currentMessage()
    assert message.startswith(f"This graph uses {generator.title}, which only the Synalinks")
    assert message.endswith("running on Synalinks")
    wait_finished(qtbot, window, timeout=WORKER_MS)
    entry = controller.history.entries[-1]
    assert entry.status == "succeeded", entry.errors()
    assert entry.backend == "synalinks"
    assert controller.backend_selector.choice() == "builtin"  # the choice is left alone


@pytest.mark.synalinks
def test_escape_cancels_a_synalinks_run(qtbot, syn_window):
    window = syn_window
    controller = window.run_controller
    controller.backend_selector.set_choice("synalinks")
    controller.option_overrides["offline_delay"] = 0.2

    def running(entry) -> bool:
        record = entry.record
        return record is not None and any(str(r.state) == "running" for r in record.nodes.values())

    entry = controller.start()
    qtbot.waitUntil(lambda: running(entry), timeout=WORKER_MS)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
    wait_finished(qtbot, window, timeout=10_000)
    assert entry.status == "cancelled"
    assert window.status.currentMessage().startswith("Run 1 cancelled")

    controller.option_overrides["offline_delay"] = 0.0
    again = controller.start()  # the worker (the same one or a fresh one) runs again
    wait_finished(qtbot, window, timeout=WORKER_MS)
    assert again.status == "succeeded", again.errors()


# ----------------------------------------------------- Validate with Synalinks
@pytest.mark.synalinks
def test_validate_with_synalinks_marks_the_node_and_teaches_the_canvas_its_schemas(
    qtbot, qloop, workspace, providers, shared_runtime, tmp_path
):
    from core.commands import SetParams
    from core.files import save_graph
    from core.registry import default_registry
    from tests.core.builders import GraphBuilder

    b = GraphBuilder(default_registry())
    b.add("Input", "query", data_model="Query")
    b.add("InMask", "keep")  # no mask: Synalinks refuses to build it
    b.add("SelfCritique", "critique")
    b.add("Output", "out", order=0)
    b.chain("query", "keep", "critique", "out")
    path = tmp_path / "masked.json"
    save_graph(b.graph, path)
    window = workspace.open_window_for(path)
    qtbot.waitExposed(window)
    window.workspace.synalinks = shared_runtime
    window.run_controller.providers = providers
    validation = window.run_controller.validation
    run_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Run")
    assert validation.action in run_menu.actions()

    task = validation.start()
    qtbot.waitUntil(task.done, timeout=WORKER_MS)
    document = window.document
    keep = document.graph.node_by_name("keep").id
    found = [d for d in document.diagnostics if d.code == "synalinks-build"]
    assert [d.node_id for d in found] == [keep] and "mask" in found[0].message
    assert "Problems panel" in validation.last_message

    document.push(SetParams(keep, {"mask": ["query"]}))  # an edit makes the verdict stale
    qtbot.waitUntil(lambda: not any(d.code == "synalinks-build" for d in document.diagnostics))
    task = validation.start()
    qtbot.waitUntil(task.done, timeout=WORKER_MS)
    assert validation.last_message == "Synalinks built the program: no problems"
    critique = document.graph.node_by_name("critique").id
    schema = document.flow.schemas[(critique, "output")]
    assert list(schema["properties"]) == ["query", "critique", "reward"]
