"""Evaluating from the editor on Synalinks itself: each row runs the exported
program in the shared worker (same scores as the built-in engine), and a
Synalinks reward (``lm_as_judge``) is computed by synalinks in the worker."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication

from core.evaluation import RewardSpec
from editor.evaluation.run_dialog import EvalSettings
from editor.run.synalinks_runtime import SynalinksRuntime
from tests.editor.run.eval_helpers import eval_window, wait_evaluated
from tests.support.synalinks_runner import require_synalinks_python

WORKER_MS = 240_000  # the first evaluation waits for the worker to import synalinks


@pytest.fixture(scope="module")
def shared_runtime(_session_loop):
    python = str(require_synalinks_python())
    runtime = SynalinksRuntime(finder=lambda _setting: SimpleNamespace(python=python, problem=None))
    yield runtime
    asyncio.events._set_running_loop(_session_loop)
    try:
        task = _session_loop.create_task(runtime.close())
        deadline = time.monotonic() + 15
        while not task.done() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.002)
    finally:
        asyncio.events._set_running_loop(None)


@pytest.fixture
def qloop(_session_loop):
    """The running loop, without cancelling every task after the test: that would
    cut the shared worker's pipes (each test waits for its own evaluation)."""
    asyncio.events._set_running_loop(_session_loop)
    try:
        yield _session_loop
    finally:
        asyncio.events._set_running_loop(None)


def _scores(evaluation) -> dict[int, tuple]:
    rows = evaluation.store.rows(evaluation.last_eval_id)
    return {r.index: (r.status, r.score, r.predicted) for r in rows}


@pytest.mark.synalinks
def test_a_synalinks_evaluation_scores_as_the_built_in_engine(
    qtbot, qloop, workspace, tmp_path, providers, shared_runtime
):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    window.workspace.synalinks = shared_runtime
    window.run_controller.model_client_factory = None  # the offline model through litellm
    evaluation = window.evaluation
    evaluation.start(EvalSettings(limit=6))
    wait_evaluated(qtbot, window, timeout=120_000)
    assert evaluation.last_status == "finished"
    builtin = _scores(evaluation)
    assert len(builtin) == 6 and [s[0] for s in builtin.values()] == ["scored"] * 6

    evaluation.start(EvalSettings(limit=6, backend="synalinks"))
    wait_evaluated(qtbot, window, timeout=WORKER_MS)
    assert evaluation.last_status == "finished", evaluation.panel.progress_label.text()
    meta = evaluation.store.find(evaluation.last_eval_id)
    assert meta.config["backend"] == "synalinks"
    assert _scores(evaluation) == builtin


@pytest.mark.synalinks
def test_a_synalinks_reward_is_computed_in_the_worker(
    qtbot, qloop, workspace, tmp_path, providers, shared_runtime
):
    window = eval_window(qtbot, workspace, tmp_path, providers)
    window.workspace.synalinks = shared_runtime
    evaluation = window.evaluation
    rewards = (RewardSpec("exact_match", 2.0), RewardSpec("lm_as_judge", 1.0))
    evaluation.start(EvalSettings(rewards=rewards, limit=3))
    wait_evaluated(qtbot, window, timeout=WORKER_MS)
    assert evaluation.last_status == "finished", evaluation.panel.progress_label.text()
    rows = list(evaluation.store.rows(evaluation.last_eval_id))
    assert [r.status for r in rows] == ["scored"] * 3, [r.error for r in rows]
    for row in rows:
        assert set(row.rewards) == {"exact_match", "lm_as_judge"}
        judged = row.rewards["lm_as_judge"]
        assert 0.0 <= judged <= 1.0
        assert row.score == pytest.approx((2 * row.rewards["exact_match"] + judged) / 3)
    results = evaluation.panel.results_page
    qtbot.waitUntil(lambda: results.summary is not None, timeout=10_000)
    assert "<b>lm_as_judge</b>:" in results.summary_label.text()
    assert "<b>combined</b>:" in results.summary_label.text()
