"""Run → Train…: fit the graph with a Synalinks optimizer, follow its curves, adopt a checkpoint.

The settings are the command line's (dataset, optimizer, epochs, batch size);
the estimate of calls, tokens and cost is shown before Start. The training
runs on the editor's loop with the window's Synalinks worker
(:class:`~core.training.Trainer`); each batch and epoch updates the curve and
the status line, each epoch's checkpoint joins the list. Selecting a
checkpoint shows what it would change (per module: the instructions as a text
diff, examples added and removed); **Adopt** writes it into the graph as one
undoable edit. Cancel keeps the checkpoints made.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from editor.training.curve import RewardCurve

if TYPE_CHECKING:
    from core.store.trainings import TrainingStore
    from editor.main_window import MainWindow

log = logging.getLogger(__name__)


class TrainDialog(QDialog):
    def __init__(self, window: MainWindow, store_path: Path | None = None) -> None:
        super().__init__(window)
        from core.training import OPTIMIZER_NAMES

        self.window_ = window
        self.store_path = store_path
        self._store: TrainingStore | None = None
        self._task: asyncio.Task | None = None
        self.training_id: str | None = None
        self.batches_per_epoch = 1
        self.setWindowTitle("Train")
        self.data = QLineEdit()
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZER_NAMES))
        self.settings = QLineEdit()
        self.settings.setPlaceholderText(
            '{"nb_max_examples": 2}  (the optimizer\'s settings, JSON)'
        )
        self.patience = QSpinBox()
        self.patience.setRange(0, 1000)
        self.patience.setSpecialValueText("no early stopping")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 1000)
        self.epochs.setValue(2)
        self.batch_size = QSpinBox()
        self.batch_size.setRange(1, 1024)
        self.batch_size.setValue(4)
        self.estimate = QLabel()
        self.estimate.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.start_button = QPushButton("Start")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.curve = RewardCurve()
        self.checkpoints = QListWidget()
        self.compare = QComboBox()
        self.compare.addItems(["the graph now", "the previous checkpoint"])
        self.diff = QPlainTextEdit()
        self.diff.setReadOnly(True)
        self.adopt_button = QPushButton("Adopt checkpoint")
        self.adopt_button.setEnabled(False)

        form = QFormLayout()
        form.addRow("Dataset", self.data)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Settings", self.settings)
        form.addRow("Epochs", self.epochs)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Stop after epochs without progress", self.patience)
        form.addRow("Estimate", self.estimate)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        lower = QHBoxLayout()
        lower.addWidget(self.checkpoints, 1)
        diff_side = QVBoxLayout()
        compare_row = QHBoxLayout()
        compare_row.addWidget(QLabel("Changes from"))
        compare_row.addWidget(self.compare, 1)
        diff_side.addLayout(compare_row)
        diff_side.addWidget(self.diff)
        lower.addLayout(diff_side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.curve, 2)
        layout.addLayout(lower, 2)
        layout.addWidget(self.adopt_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(720, 640)

        self._prefill()
        for signal in (
            self.data.editingFinished,
            self.settings.editingFinished,
            self.optimizer.currentIndexChanged,
            self.epochs.valueChanged,
            self.batch_size.valueChanged,
            self.patience.valueChanged,
        ):
            signal.connect(self.update_estimate)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.checkpoints.currentItemChanged.connect(self.show_diff)
        self.compare.currentIndexChanged.connect(self.show_diff)
        self.adopt_button.clicked.connect(self.adopt)
        self.update_estimate()

    # --------------------------------------------------------------- parts
    @property
    def document(self):
        return self.window_.document

    @property
    def store(self) -> TrainingStore:
        if self._store is None:
            from core.store import default_store_path
            from core.store.trainings import TrainingStore

            self._store = TrainingStore(self.store_path or default_store_path())
        return self._store

    def _prefill(self) -> None:
        graph = self.document.graph
        if graph.meta.datasets and self.document.path is not None:
            from core.model.dataset_refs import resolve_dataset_path

            self.data.setText(str(resolve_dataset_path(self.document.path, graph.meta.datasets[0])))

    def plan(self):
        """The training the fields describe (TrainError / DatasetError if impossible)."""
        import json

        from core.engine.runnable import copy_graph
        from core.training import TrainError, TrainOptions, make_train_plan

        model = self.window_.run_controller.selector.model_override()
        try:
            settings = json.loads(self.settings.text().strip() or "{}")
        except ValueError as exc:
            raise TrainError(f"The optimizer's settings are not JSON ({exc}).") from None
        if not isinstance(settings, dict):
            raise TrainError(
                'The optimizer\'s settings are a JSON object, e.g. {"nb_max_examples": 2}.'
            )
        patience = self.patience.value()
        options = TrainOptions(
            optimizer=self.optimizer.currentText(),
            optimizer_config=settings,
            epochs=self.epochs.value(),
            batch_size=self.batch_size.value(),
            early_stopping={"monitor": "val_reward", "patience": patience, "stop_at": 1.0}
            if patience
            else None,
        )
        return make_train_plan(
            copy_graph(self.document.graph),
            self.document.registry,
            self.data.text().strip(),
            options,
            graph_path=self.document.path,
            model=model,
        )

    def update_estimate(self) -> None:
        from core.datasets import DatasetError
        from core.training import TrainError

        if not self.data.text().strip():
            self.estimate.setText("Choose a dataset file (.csv, .json, .jsonl, .parquet).")
            self.start_button.setEnabled(False)
            return
        try:
            plan = self.plan()
        except (DatasetError, TrainError) as exc:
            self.estimate.setText(str(exc))
            self.start_button.setEnabled(False)
            return
        self.estimate.setText(
            f"{len(plan.train)} rows to learn from, {len(plan.validation)} to validate on: "
            + plan.estimate.describe()
        )
        self.start_button.setEnabled(self._task is None)

    # ------------------------------------------------------------- running
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        from core.datasets import DatasetError
        from core.runtime.client import WorkerError
        from core.training import Trainer, TrainError
        from editor.run.engine_setup import run_options
        from editor.run.synalinks_runtime import RuntimeUnavailable

        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.curve.clear()
        self.checkpoints.clear()
        try:
            plan = self.plan()
            self.training_id = plan.id
            self.batches_per_epoch = max(1, plan.estimate.batches_per_epoch)
            controller = self.window_.run_controller
            overrides = {**controller.option_overrides}
            if self.document.path is not None:
                overrides.setdefault("project_dir", str(self.document.path.parent))
            options = run_options(plan.graph, plan.model, controller.providers, overrides)
            runtime = self.window_.workspace.synalinks
            self.status.setText("Starting the Synalinks worker (seconds, once)…")
            setting = str(getattr(self.window_.workspace.settings, "synalinks_python", "") or "")
            await runtime.ready(setting, controller.providers.keys())
            trainer = Trainer(
                self.document.registry,
                self.store,
                runtime.pool,
                runtime.offline,
                options,
                judge_model=plan.model or plan.graph.meta.default_model,
            )
            outcome = await trainer.run(plan, self._progress)
            self.status.setText(
                f"Training {outcome.status}" + (f": {outcome.message}" if outcome.message else ".")
            )
        except asyncio.CancelledError:
            kept = self.checkpoints.count()
            self.status.setText(f"Cancelled; {kept} checkpoint(s) kept.")
        except (DatasetError, TrainError, WorkerError, RuntimeUnavailable, ValueError) as exc:
            self.status.setText(str(exc))
        except Exception as exc:  # the window must survive whatever the training raises
            log.exception("the training failed")
            self.status.setText(f"The training stopped: {exc}")
        finally:
            self._task = None
            self.cancel_button.setEnabled(False)
            self.start_button.setEnabled(True)
            if self.training_id:
                self.show_training(self.training_id)

    def _progress(self, state) -> None:
        x = state.done_batches
        if state.kind == "batch" and "reward" in state.logs:
            self.curve.add("reward", x, state.logs["reward"])
        elif state.kind == "epoch":
            if "val_reward" in state.logs:
                self.curve.add("val_reward", x, state.logs["val_reward"])
            self.show_training(state.training_id, curves=False)
        if state.kind != "end":
            eta = f", ETA {state.eta:.0f} s" if state.eta is not None else ""
            logs = ", ".join(f"{k} {v:.3f}" for k, v in state.logs.items())
            self.status.setText(
                f"Epoch {state.epoch + 1}/{state.epochs}: {logs}; {state.tokens:,} tokens, "
                f"${state.cost:.4f}{eta}"
            )

    # --------------------------------------------------------- checkpoints
    def show_training(self, training_id: str, curves: bool = True) -> None:
        """List ``training_id``'s checkpoints (and draw its curves from the store)."""
        self.training_id = training_id
        meta = self.store.training(training_id)
        if meta is not None and meta.estimate:
            self.batches_per_epoch = max(1, int(meta.estimate.get("batches_per_epoch") or 1))
        if curves:
            self.curve.clear()
            count = 0
            for entry in self.store.logs(training_id):
                if entry.kind == "batch":
                    count += 1
                    if "reward" in entry.logs:
                        self.curve.add("reward", count, entry.logs["reward"])
                elif "val_reward" in entry.logs:
                    self.curve.add("val_reward", count, entry.logs["val_reward"])
        selected = self.checkpoints.currentRow()
        self.checkpoints.clear()
        best = self.store.checkpoint(training_id, "best")
        for checkpoint in self.store.checkpoints(training_id, with_state=False):
            logs = ", ".join(f"{k} {v:.3f}" for k, v in checkpoint.logs.items())
            mark = " ★" if best is not None and best.epoch == checkpoint.epoch else ""
            score = checkpoint.score
            shown = "" if score is None else f" · {score:.3f}"
            item = QListWidgetItem(f"Epoch {checkpoint.epoch + 1}{shown}{mark}")
            item.setToolTip(logs)
            item.setData(Qt.ItemDataRole.UserRole, checkpoint.epoch)
            self.checkpoints.addItem(item)
        if self.checkpoints.count():
            self.checkpoints.setCurrentRow(
                selected if selected >= 0 else self.checkpoints.count() - 1
            )

    def selected_checkpoint(self):
        item = self.checkpoints.currentItem()
        if item is None or self.training_id is None:
            return None
        return self.store.checkpoint(self.training_id, int(item.data(Qt.ItemDataRole.UserRole)))

    def show_diff(self, *_args) -> None:
        from core.training import diff_states, graph_state

        checkpoint = self.selected_checkpoint()
        self.adopt_button.setEnabled(checkpoint is not None)
        if checkpoint is None:
            self.diff.setPlainText("")
            return
        if self.compare.currentIndex() == 1:
            previous = self.store.checkpoint(self.training_id, checkpoint.epoch - 1)
            before = previous.state if previous is not None else {}
            header = (
                f"Epoch {checkpoint.epoch + 1} against epoch {checkpoint.epoch}:\n\n"
                if previous is not None
                else f"Epoch {checkpoint.epoch + 1} is the first checkpoint:\n\n"
            )
        else:
            before = graph_state(self.document.graph)
            header = f"What adopting epoch {checkpoint.epoch + 1} changes in the graph:\n\n"
        diffs = diff_states(before, checkpoint.state)
        self.diff.setPlainText(header + "\n\n".join(d.describe() for d in diffs))

    def adopt(self) -> None:
        from core.commands.training_commands import AdoptCheckpoint

        checkpoint = self.selected_checkpoint()
        if checkpoint is None:
            return
        self.document.push(AdoptCheckpoint(checkpoint.state, f"epoch {checkpoint.epoch + 1}"))
        self.status.setText(f"Adopted epoch {checkpoint.epoch + 1}'s variables (Undo reverts).")
        self.show_diff()

    def done(self, result: int) -> None:
        self.cancel()
        if self._store is not None and self._task is None:
            self._store.close()
            self._store = None
        super().done(result)


def install(window: MainWindow) -> QAction:
    """Put Train… in the window's Run menu."""
    action = QAction("&Train…", window)
    action.setObjectName("trainAction")
    action.setStatusTip("Fit the graph with a Synalinks optimizer and keep a checkpoint per epoch")

    def open_dialog() -> None:
        dialog = TrainDialog(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    action.triggered.connect(open_dialog)
    menus = (m.menu() for m in window.menuBar().actions() if m.text() == "&Run")
    run_menu = next(menus, None)
    if run_menu is not None:
        run_menu.addSeparator()
        run_menu.addAction(action)
    return action
