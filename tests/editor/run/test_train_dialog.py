"""Run → Train…: the estimate before starting, a training's curves and checkpoints read
from the run store, the diff against the graph, Adopt as one undoable edit, and a real
training from the dialog on the Synalinks worker."""

from __future__ import annotations

import asyncio
import shutil
import time
from types import SimpleNamespace

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from core.store.trainings import Checkpoint, TrainingMeta, TrainingStore, TrainLog
from editor.run.synalinks_runtime import SynalinksRuntime
from editor.training.curve import SERIES_COLORS
from editor.training.dialog import TrainDialog
from tests.support.example_datasets import ROOT
from tests.support.synalinks_runner import require_synalinks_python


def state(instructions: str, examples: list) -> dict:
    return {
        "trainable_variables": {
            "generator_solve": {
                "state_generator_solve": {
                    "instructions": instructions,
                    "examples": [{"inputs": i, "outputs": o, "reward": 1.0} for i, o in examples],
                }
            }
        }
    }


@pytest.fixture
def train_window(qtbot, qloop, workspace, tmp_path, providers):
    shutil.copy(ROOT / "saved_graphs" / "chain_of_thought.json", tmp_path)
    shutil.copytree(ROOT / "saved_graphs" / "datasets", tmp_path / "datasets")
    window = workspace.open_window_for(tmp_path / "chain_of_thought.json")
    qtbot.waitExposed(window)
    window.run_controller.providers = providers
    window.run_controller.option_overrides = {"offline_delay": 0.0}
    return window


def test_the_dialog_shows_the_estimate_curves_checkpoints_and_adopts(qtbot, train_window, tmp_path):
    window = train_window
    run_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Run")
    assert window.train_action in run_menu.actions()
    dialog = TrainDialog(window, store_path=tmp_path / "runs.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.data.text().endswith("chain_of_thought.jsonl")  # the graph's dataset
    assert "19 rows to learn from, 5 to validate on" in dialog.estimate.text()
    assert "model calls" in dialog.estimate.text() and dialog.start_button.isEnabled()
    dialog.settings.setText("[1]")
    dialog.update_estimate()
    assert dialog.estimate.text().startswith("The optimizer's settings are a JSON object")
    assert not dialog.start_button.isEnabled()
    dialog.settings.setText('{"nb_max_examples": 2}')
    dialog.patience.setValue(2)
    assert dialog.start_button.isEnabled()
    assert dialog.plan().options.early_stopping["patience"] == 2

    store = TrainingStore(tmp_path / "runs.sqlite")
    store.begin(
        TrainingMeta("t1", "chain_of_thought", "h", "d", {}, estimate={"batches_per_epoch": 2})
    )
    for epoch, (val, shot) in enumerate([(0.4, "q1"), (0.8, "q2")]):
        for batch in range(2):
            store.log(
                "t1", TrainLog("batch", epoch, batch, {"reward": 0.2 + 0.2 * epoch + 0.1 * batch})
            )
        store.log("t1", TrainLog("epoch", epoch, None, {"reward": 0.5, "val_reward": val}))
        tree = state(f"Solve it, version {epoch}.", [({"problem": shot}, {"answer": "a"})])
        store.add_checkpoint(Checkpoint("t1", epoch, {"reward": 0.5, "val_reward": val}, tree))
    store.close()

    dialog.show_training("t1")
    assert dialog.checkpoints.count() == 2
    assert dialog.checkpoints.item(1).text() == "Epoch 2 · 0.800 ★"  # the best val_reward
    assert dialog.checkpoints.item(0).toolTip() == "reward 0.500, val_reward 0.400"
    assert len(dialog.curve.series["reward"]) == 4 and len(dialog.curve.series["val_reward"]) == 2
    image = dialog.curve.grab().toImage()
    colors = {
        QColor(image.pixel(x, y)).name()
        for x in range(image.width())
        for y in range(image.height())
    }
    assert {c.name() for c in SERIES_COLORS.values()} <= colors  # both curves are drawn

    dialog.checkpoints.setCurrentRow(1)
    text = dialog.diff.toPlainText()
    assert "+Solve it, version 1." in text and '+ example [{"problem": "q2"}' in text
    solve = window.document.graph.node_by_name("solve")
    before = dict(solve.variables)
    dialog.adopt()
    assert (
        window.document.graph.node(solve.id).variables["trainable_variables"]
        == state("Solve it, version 1.", [({"problem": "q2"}, {"answer": "a"})])[
            "trainable_variables"
        ]
    )
    assert "(unchanged)" in dialog.diff.toPlainText()
    dialog.compare.setCurrentIndex(1)  # against the previous checkpoint
    text = dialog.diff.toPlainText()
    assert text.startswith("Epoch 2 against epoch 1")
    assert "-Solve it, version 0." in text and '- example [{"problem": "q1"}' in text
    window.document.undo_stack.undo()
    assert window.document.graph.node(solve.id).variables == before


@pytest.fixture
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


@pytest.mark.synalinks
def test_a_training_from_the_dialog_draws_its_curve_and_keeps_its_checkpoint(
    qtbot, train_window, tmp_path, shared_runtime
):
    window = train_window
    window.workspace.synalinks = shared_runtime
    dialog = TrainDialog(window, store_path=tmp_path / "runs.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.epochs.setValue(1)
    dialog.start()
    qtbot.waitUntil(lambda: dialog._task is None, timeout=240_000)
    assert dialog.status.text() == "Training finished.", dialog.status.text()
    assert dialog.checkpoints.count() == 1
    assert len(dialog.curve.series["reward"]) == 5 and len(dialog.curve.series["val_reward"]) == 1
    assert (
        "Adopting" not in dialog.diff.toPlainText()
        and "generator_solve" in dialog.diff.toPlainText()
    )
    assert window.document.graph.node_by_name("solve").variables == {}  # untouched until Adopt
