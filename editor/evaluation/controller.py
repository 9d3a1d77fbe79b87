"""Evaluation in one window: the Evaluate menu, the Evaluation dock, and the runs.

Open Dataset (or a file dropped on the window) reads the file's header and
first page only, maps its columns to the graph's Input and expected-output
fields by name, and checks every row in a thread. The graph remembers the
dataset (``GraphMeta.datasets``: path relative to the graph when beside it,
the mapping overrides) through undoable commands, so the next session, and
``synalinks-canvas eval GRAPH``, find it.

Run Evaluation (Ctrl+E) asks for the rewards and limits, then runs
:class:`~core.evaluation.Evaluator` as a task on the qasync loop (the same
engine, provider keys, model choice and Synalinks worker as a single run).
The evaluator reports after every row; the panel and the status bar are
updated from the latest report by a 10 Hz timer, so a fast evaluation never
floods the window. Cancel stops the rows in flight; Resume runs the same
settings again, which the store recognises (same plan id), so only rows
without a result run. Rows are written to the run store as they finish.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QProgressBar, QWidget

from core.model.dataset_refs import DatasetRef, dataset_path_for, resolve_dataset_path
from editor.evaluation.drops import DATASET_FILTER, dataset_paths

if TYPE_CHECKING:
    from core.evaluation import EvalOutcome, EvalProgress
    from core.store.evaluations import EvalStore
    from editor.document import GraphDocument
    from editor.evaluation.binding import DatasetBinding
    from editor.evaluation.panel import EvaluationPanel
    from editor.evaluation.run_dialog import EvalDialog, EvalSettings
    from editor.evaluation.store_writer import BackgroundWrites
    from editor.main_window import MainWindow

log = logging.getLogger(__name__)

UI_INTERVAL_MS = 100
"""Progress reaches the panel and the status bar at most ten times a second."""
RESULTS_REFRESH_MS = 2000
"""While an evaluation runs, the Results page re-reads its summary this often."""

SWITCH_INTERVAL = 0.001
"""Seconds a thread holds the GIL before another waiting one gets it, while an
evaluation runs (Python's default is 0.005)."""

_STORES: dict[Path, Any] = {}


def shared_store(path: Path | None = None) -> EvalStore:
    """The process's evaluation store at ``path`` (default: the user's run store)."""
    from core.store import default_store_path
    from core.store.evaluations import EvalStore

    path = Path(path or default_store_path())
    if path not in _STORES:
        _STORES[path] = EvalStore(path)
    return _STORES[path]


class EvaluationController(QObject):
    evaluationFinished = Signal(object)  # EvalOutcome, or None when cancelled or failed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._panel: EvaluationPanel | None = None  # built when first shown or used
        self.store_path: Path | None = None  # None: the user's run store
        self.document: GraphDocument | None = None
        self.binding: DatasetBinding | None = None
        self.opened: list[Path] = []  # files opened this session (besides the graph's)
        self.settings: EvalSettings | None = None  # the dialog's last choices
        self.last_settings: EvalSettings | None = None
        self.last_eval_id: str | None = None
        self.last_status: str | None = None  # finished, budget, cancelled, failed
        self.last_problem: QMessageBox | None = None
        self.dialog: EvalDialog | None = None
        self.last_trace = None  # the row entry last shown on the canvas
        self.settled = True  # the last evaluation ended and its results are listed
        self._closed = False
        self._exports = 0
        self.ui_updates = 0  # progress repaints (the throttle keeps it ≤ 10 a second)
        self._task: asyncio.Task | None = None
        self._handle: Any = None
        self._latest: EvalProgress | None = None
        self._shown: EvalProgress | None = None
        self._dock_sized = False
        self._timer = QTimer(self)
        self._timer.setInterval(UI_INTERVAL_MS)
        self._timer.timeout.connect(self._show_latest)
        self._results_timer = QTimer(self)
        self._results_timer.setInterval(RESULTS_REFRESH_MS)
        self._results_timer.timeout.connect(self._refresh_results)
        self._rebind_timer = QTimer(self)
        self._rebind_timer.setSingleShot(True)
        self._rebind_timer.setInterval(300)
        self._rebind_timer.timeout.connect(lambda: self._rebind(same_file=True))

        self.status_bar = QProgressBar()
        self.status_bar.setMaximumWidth(140)
        self.status_bar.setMaximumHeight(14)
        self.status_bar.setTextVisible(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("evalStatusLabel")
        # A fixed width: a new text ten times a second must not re-lay out the bar.
        self.status_label.setFixedWidth(
            self.status_label.fontMetrics().horizontalAdvance(
                "Evaluating 100,000/100,000 · ETA 99:99"
            )
            + 8
        )

    # ---------------------------------------------------------------- panel
    @property
    def panel(self) -> EvaluationPanel:
        """The dock's panel, built on first use: its modules (the dataset readers,
        the evaluation core) load then, not when the window opens."""
        if self._panel is None:
            self._build_panel()
        assert self._panel is not None
        return self._panel

    @property
    def panel_built(self) -> bool:
        return self._panel is not None

    def _build_panel(self) -> None:
        from editor.evaluation.panel import EvaluationPanel

        self._panel = EvaluationPanel()
        panel = self._panel
        panel.openRequested.connect(self.open_dataset_dialog)
        panel.datasetChosen.connect(lambda p: self.open_dataset(p))
        panel.datasetDropped.connect(lambda p: self.open_dataset(p))
        panel.runRequested.connect(self.request_run)
        panel.cancelRequested.connect(self.cancel)
        panel.resumeRequested.connect(self.resume)
        panel.dataset_page.overridesChanged.connect(self.set_overrides)
        panel.results_page.rowActivated.connect(self.show_trace)
        panel.results_page.exportRequested.connect(self.export_dialog)
        panel.compare_page.rowActivated.connect(self.show_trace)
        panel.tabs.currentChanged.connect(self._tab_changed)

        self.dock.setWidget(panel)
        if self.document is not None:
            self._load_graph_dataset()
        self._update_actions()

    # -------------------------------------------------------------- wiring
    def install(self) -> None:
        window = self.window
        dock = window._dock(
            "Evaluation", "evaluationDock", QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea
        )
        dock.visibilityChanged.connect(lambda shown: shown and self.panel)
        window.tabifyDockWidget(window.results_dock, dock)
        window.data_models_dock.raise_()
        self.dock = dock
        self.actions = self._make_actions()
        bar = window.menuBar()
        menu = bar.addMenu("E&valuate")
        menu.addActions(
            [
                self.actions["open"],
                self.actions["run"],
                self.actions["cancel"],
                self.actions["resume"],
            ]
        )
        menu.addSeparator()
        menu.addActions([self.actions["compare"], self.actions["export"]])
        help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        if help_action is not None:
            bar.insertMenu(help_action, menu)
        self.menu = menu
        for action in bar.actions():
            sub = action.menu()
            if sub is None or action.text().replace("&", "") != "View":
                continue
            for item in sub.actions():
                if item.menu() is not None and item.text().replace("&", "") == "Panels":
                    item.menu().addAction(dock.toggleViewAction())
        window._default_state = window.saveState()  # View → Reset Layout keeps the dock
        window.status.insertPermanentWidget(0, self.status_label)
        window.status.insertPermanentWidget(1, self.status_bar)
        self.status_label.hide()
        self.status_bar.hide()
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        self._update_actions()

    def _make_actions(self) -> dict[str, QAction]:
        def act(text: str, tip: str, slot, shortcut: str | None = None) -> QAction:
            action = QAction(text, self.window)
            action.setStatusTip(tip)
            action.setToolTip(tip)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _checked=False: slot())
            self.window.addAction(action)  # its shortcut works wherever the focus is
            return action

        return {
            "open": act(
                "Open &Dataset…",
                "Open a CSV, JSON, JSONL or Parquet file to evaluate the graph on",
                self.open_dataset_dialog,
            ),
            "run": act(
                "&Run Evaluation…",
                "Run the graph on every row of the dataset and score it",
                self.request_run,
                "Ctrl+E",
            ),
            "cancel": act(
                "&Cancel Evaluation", "Stop the evaluation (finished rows are kept)", self.cancel
            ),
            "resume": act(
                "Re&sume Evaluation",
                "Run the rows that have no result yet, with the same settings",
                self.resume,
            ),
            "compare": act(
                "C&ompare Evaluations…",
                "Compare two evaluations of the same dataset",
                self.show_compare,
            ),
            "export": act(
                "&Export Results…",
                "Write the shown evaluation's rows to CSV or JSONL",
                lambda: self.export_dialog(None),
            ),
        }

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        """Dataset files dropped on the window or the canvas open in the panel."""
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dataset_paths(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            paths = dataset_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self.open_dataset(paths[0])
                return True
        return False

    @property
    def store(self) -> EvalStore:
        return shared_store(self.store_path)

    @property
    def running(self) -> bool:
        return self._task is not None

    # ------------------------------------------------------------ documents
    def set_document(self, document: GraphDocument) -> None:
        old = self.document
        if old is not None and old is not document:
            if self.running:
                self.cancel()
            for signal, slot in self._document_signals(old):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        self.document = document
        for signal, slot in self._document_signals(document):
            signal.connect(slot)
        canvas = self.window.canvas
        if canvas is not None:  # most drops land on the canvas, which takes node types only
            canvas.installEventFilter(self)
        self.opened = []
        self.binding = None
        if self._panel is not None:
            self._load_graph_dataset()
        self._update_actions()

    def _load_graph_dataset(self) -> None:
        """Open the graph's first dataset (if it names one) and list the store's evaluations."""
        document = self.document
        assert document is not None
        refs = document.graph.meta.datasets
        if refs:
            self._load(resolve_dataset_path(document.path, refs[0]), quiet=True)
        else:
            self._show_binding()
        try:
            self.panel.results_page.set_store(self.store)
            self.panel.compare_page.set_store(self.store)
        except Exception as exc:  # StoreProblem: the store's own sentence
            self.window.status.show_message(str(exc))

    def _document_signals(self, document: GraphDocument):
        return (
            (document.metaChanged, self._meta_changed),
            (document.graphChanged, self._graph_changed),
        )

    def _graph_changed(self) -> None:
        if self.binding is not None:
            self._rebind_timer.start()  # Inputs or the Output's fields may have changed

    def _meta_changed(self) -> None:
        """Undo or redo of a mapping edit: show what the graph now says."""
        if self._panel is None:
            return  # read when the panel is built
        if self.binding is None or self.document is None:
            self._update_datasets()
            return
        ref = self._ref_for(self.binding.path)
        overrides = dict(ref.mapping) if ref is not None else self.binding.overrides
        output = ref.output if ref is not None else self.binding.output
        if overrides != self.binding.overrides or output != self.binding.output:
            from editor.evaluation.binding import bind

            self.binding = bind(
                self.binding.data, self.document.graph, self.document.registry, overrides, output
            )
            self.panel.dataset_page.set_binding(self.binding, same_file=True)
        self._update_datasets()
        self._update_actions()

    # -------------------------------------------------------------- datasets
    def open_dataset_dialog(self) -> None:
        from editor.export.folders import start_folder

        chosen, _filter = QFileDialog.getOpenFileName(
            self.window, "Open dataset", str(start_folder(self.window)), DATASET_FILTER
        )
        if chosen:
            self.open_dataset(chosen)

    def open_dataset(self, path: str | Path) -> bool:
        """Open ``path`` in the panel and have the graph remember it (one undo step)."""
        from core.commands import SetMeta

        if self.running:
            self.window.status.show_message("Wait for the evaluation to end (or cancel it)")
            return False
        path = Path(path).resolve()
        if not self._load(path):
            return False
        if self.document is not None and self._ref_for(path) is None:
            refs = self.document.graph.meta.datasets
            ref = DatasetRef(path=dataset_path_for(self.document.path, path))
            self.document.push(
                SetMeta({"datasets": (*refs, ref)}, text=f"Remember dataset {path.name}")
            )
        self.reveal()
        self.panel.tabs.setCurrentWidget(self.panel.dataset_page)
        return True

    def _load(self, path: Path, *, quiet: bool = False) -> bool:
        from core.datasets import DatasetError, open_dataset
        from editor.evaluation.binding import bind

        self.panel  # noqa: B018 (built before it shows anything)
        try:
            data = open_dataset(path)
        except DatasetError as exc:
            if quiet:  # a remembered file that moved: say so in the panel, not in a box
                self.binding = None
                self._show_binding()
                self.panel.dataset_page.info.setText(str(exc))
            else:
                self._say("Cannot open the dataset", str(exc))
            return False
        if path not in self.opened:
            self.opened.append(path)
        ref = self._ref_for(path)
        document = self.document
        if document is None:
            return False
        self.binding = bind(
            data,
            document.graph,
            document.registry,
            dict(ref.mapping) if ref is not None else {},
            ref.output if ref is not None else "",
        )
        self._show_binding()
        return True

    def _ref_for(self, path: Path) -> DatasetRef | None:
        if self.document is None:
            return None
        for ref in self.document.graph.meta.datasets:
            if resolve_dataset_path(self.document.path, ref).resolve() == path.resolve():
                return ref
        return None

    def set_overrides(self, overrides: dict[str, str]) -> None:
        """A mapping edit: kept in the graph's dataset reference (undoable)."""
        from core.commands import SetMeta
        from editor.evaluation.binding import bind

        binding, document = self.binding, self.document
        if binding is None or document is None:
            return
        ref = self._ref_for(binding.path)
        if ref is None:
            self.binding = bind(
                binding.data, document.graph, document.registry, overrides, binding.output
            )
            self.panel.dataset_page.set_binding(self.binding, same_file=True)
            self._update_actions()
            return
        refs = tuple(
            r.model_copy(update={"mapping": dict(overrides)}) if r is ref else r
            for r in document.graph.meta.datasets
        )
        document.push(SetMeta({"datasets": refs}, text=f"Map the columns of {binding.path.name}"))

    def _rebind(self, *, same_file: bool) -> None:
        if self.binding is None or self.document is None:
            return
        from editor.evaluation.binding import bind

        b = self.binding
        self.binding = bind(
            b.data, self.document.graph, self.document.registry, b.overrides, b.output
        )
        fields_before = [k for k, _ in b.fields()]
        if (
            self.binding.problem != b.problem
            or self.binding.mapping != b.mapping
            or [k for k, _ in self.binding.fields()] != fields_before
        ):
            self.panel.dataset_page.set_binding(self.binding, same_file=same_file)
        self._update_actions()

    def _show_binding(self) -> None:
        self.panel.dataset_page.set_binding(self.binding)
        self._update_datasets()
        self._update_actions()

    def _update_datasets(self) -> None:
        paths: list[Path] = []
        if self.document is not None:
            for ref in self.document.graph.meta.datasets:
                paths.append(resolve_dataset_path(self.document.path, ref).resolve())
        for path in self.opened:
            if path not in paths:
                paths.append(path)
        self.panel.set_datasets(paths, self.binding.path.resolve() if self.binding else None)

    # --------------------------------------------------------------- running
    def request_run(self) -> None:
        """Run Evaluation (Ctrl+E): the settings dialog, then the run."""
        if self.running or self.document is None:
            return
        self.panel  # noqa: B018 (built now: it opens the graph's dataset)
        if self.binding is None:
            self._say(
                "No dataset to evaluate on",
                "Open a dataset first: Evaluate → Open Dataset… (CSV, JSON, JSONL or Parquet), or "
                "drop a file on the window.",
            )
            return
        if self.binding.problem:
            self._say("The dataset does not fit the graph", self.binding.problem)
            return
        from editor.evaluation.run_dialog import EvalDialog, EvalSettings

        count = self.binding.data.count()
        rows = f"{self.binding.path.name} ({'unknown number of' if count is None else f'{count:,}'} rows)"
        dialog = EvalDialog(self.settings or EvalSettings(), rows, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda d=dialog: self.start(d.settings()))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def start(self, settings: EvalSettings) -> asyncio.Task | None:
        """Evaluate the window's graph on the open dataset with ``settings`` now."""
        if self.running or self.document is None or self.binding is None:
            return None
        self.settings = replace(settings, fresh=False)
        self.last_settings = self.settings
        self._latest = self._shown = None
        self.last_status = None
        self.settled = False
        self._task = asyncio.get_running_loop().create_task(self._drive(settings))
        self.panel.show_progress(0, None, "Preparing the evaluation…")
        self.status_label.setText("Evaluating: preparing…")
        self.status_label.show()
        self.status_bar.show()
        self.status_bar.setRange(0, 0)
        self._timer.start()
        self._results_timer.start()
        self.reveal()
        self._update_actions()
        return self._task

    def resume(self) -> asyncio.Task | None:
        """The same settings again: only the rows without a result run."""
        if self.last_settings is None:
            return None
        return self.start(replace(self.last_settings, fresh=False))

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        elif self._task is not None:
            self._task.cancel()
        if self.running:
            self.panel.progress_label.setText("Cancelling…")

    async def _drive(self, settings: EvalSettings) -> None:
        from core.datasets import DatasetError
        from core.evaluation import EvalError, EvalOptions, make_plan
        from core.store.database import StoreProblem
        from editor.evaluation.store_writer import BackgroundWrites

        document, binding = self.document, self.binding
        assert document is not None and binding is not None
        outcome = None
        problem = ""
        from editor.run import quiet_heap

        writes: BackgroundWrites | None = None
        quiet_heap.run_started()  # no full collection of the editor's heap mid-evaluation
        switch = sys.getswitchinterval()
        # The store's writer and reader threads run Python too: each time the UI
        # thread lets go of the GIL (every Qt call that waits) it may wait a whole
        # switch interval to get it back; 1 ms instead of 5 keeps frames on time.
        sys.setswitchinterval(min(switch, SWITCH_INTERVAL))
        try:
            from core.engine.runnable import copy_graph

            graph = copy_graph(document.graph)
            run_controller = self.window.run_controller
            model = run_controller.selector.model_override()
            run_options = self._run_options(graph, model)
            options = EvalOptions(
                rewards=settings.rewards,
                concurrency=settings.concurrency,
                limit=settings.limit,
                budget_tokens=settings.budget_tokens,
                budget_cost=settings.budget_cost,
                output=binding.output or None,
                mapping=dict(binding.overrides),
                fresh=settings.fresh,
            )
            scoring: dict[str, Any] = {}
            if any(not r.native for r in settings.rewards):
                scoring = {
                    "judge_model": model or graph.meta.default_model or "offline",
                    "embedding_model": None,
                }
            plan = await asyncio.to_thread(
                make_plan,
                graph,
                document.registry,
                binding.path,
                options,
                graph_path=document.path,
                backend=settings.backend,
                model=model,
                api_base=run_options.api_base,
                scoring=scoring,
            )
            self.last_eval_id = plan.id
            runner, scorer = await self._runner(plan, run_options, settings)
            from core.evaluation import Evaluator

            writes = BackgroundWrites(self.store)
            evaluator = Evaluator(runner, writes, run_options=run_options, scorer=scorer)
            self._handle = evaluator.start(plan, self._progress)
            self.panel.results_page.list_evaluations(select=plan.id)
            outcome = await self._handle.wait()
        except asyncio.CancelledError:
            pass
        except (DatasetError, EvalError, StoreProblem, ValueError) as exc:
            problem = str(exc)
        except Exception as exc:  # the window must survive whatever a backend raises
            log.exception("the evaluation failed")
            problem = f"the evaluation stopped: {exc}"
        finally:
            if writes is not None:
                try:
                    await writes.aclose()  # every row on disk before the results are read
                except StoreProblem as exc:
                    problem = problem or str(exc)
                    outcome = None
            quiet_heap.run_ended()
            sys.setswitchinterval(switch)
            self._finished(outcome, problem)

    def _run_options(self, graph, model: str | None):
        from editor.run.engine_setup import run_options

        controller = self.window.run_controller
        overrides = {**controller.cache_toggle.options(), **controller.option_overrides}
        if self.document is not None and self.document.path is not None:
            overrides.setdefault("project_dir", str(self.document.path.parent))
        return run_options(graph, model, controller.providers, overrides)

    async def _runner(self, plan, run_options, settings: EvalSettings):
        """The backend the rows run on, and the scorer for Synalinks' rewards."""
        from core.evaluation import EvalError
        from editor.run import warmup
        from editor.run.backend_selector import SYNALINKS

        controller = self.window.run_controller
        needs_worker = settings.backend == SYNALINKS or any(not r.native for r in plan.rewards)
        runtime = self.window.workspace.synalinks
        if needs_worker:
            from core.runtime.client import WorkerError
            from editor.run.synalinks_runtime import RuntimeUnavailable

            self.panel.progress_label.setText("Starting the Synalinks worker (seconds, once)…")
            setting = str(getattr(self.window.workspace.settings, "synalinks_python", "") or "")
            try:
                await runtime.ready(setting, controller.providers.keys())
            except (RuntimeUnavailable, WorkerError) as exc:
                raise EvalError(str(exc)) from None
        if settings.backend == SYNALINKS:
            from core.evaluation.synalinks_backend import EvalSynalinksBackend

            runner = EvalSynalinksBackend(
                document_registry(self), run_options, pool=runtime.pool, offline=runtime.offline
            )
        else:
            from core.engine import Engine

            factory = controller.model_client_factory
            keys = controller.providers.keys()
            if factory is not None:
                client = factory(keys)
            else:
                ready = warmup.start()
                if ready is not None and not ready.done():
                    self.panel.progress_label.setText("Loading the language-model library…")
                    try:
                        await asyncio.wrap_future(ready)
                    except Exception:  # each row reports what failed to load
                        log.warning("the language-model stack failed to load", exc_info=True)
                from core.engine.litellm_client import LiteLLMClient

                client = LiteLLMClient(credentials=keys)
            runner = Engine(document_registry(self), run_options, model_client=client)
        scorer = None
        if any(not r.native for r in plan.rewards):
            from core.evaluation.runtime_rewards import RuntimeScorer

            scorer = RuntimeScorer(
                runtime.pool,
                runtime.offline,
                judge_model=plan.scoring.get("judge_model"),
                embedding_model=plan.scoring.get("embedding_model"),
                api_base=run_options.api_base,
                offline_delay=run_options.offline_delay,
            )
        return runner, scorer

    # -------------------------------------------------------------- progress
    def _progress(self, progress: EvalProgress) -> None:
        self._latest = progress  # shown by the timer: at most ten times a second

    def _show_latest(self) -> None:
        progress = self._latest
        if progress is None or progress is self._shown:
            return
        self._shown = progress
        self.ui_updates += 1
        text = progress_text(progress)
        self.panel.show_progress(progress.done, progress.total, text)
        if progress.total:
            self.status_bar.setRange(0, progress.total)
            self.status_bar.setValue(min(progress.done, progress.total))
        eta = ""
        if progress.eta is not None:
            from core.evaluation.results import _clock

            eta = f" · ETA {_clock(progress.eta)}"
        of = f"/{progress.total:,}" if progress.total is not None else ""
        self.status_label.setText(f"Evaluating {progress.done:,}{of}{eta}")
        self.status_label.setToolTip(text)

    def _refresh_results(self) -> None:
        page = self.panel.results_page
        if (
            page.isVisible()
            and page.meta is not None
            and page.meta.id == self.last_eval_id
            and not page.reader.in_flight("summary")  # a big evaluation: the last one still reads
        ):
            page.refresh()

    def _finished(self, outcome: EvalOutcome | None, problem: str) -> None:
        if self._closed:  # the window (and its widgets) went while the rows were cancelled
            self._task, self._handle = None, None
            return
        self._timer.stop()
        self._results_timer.stop()
        self._show_latest()
        self._task, self._handle = None, None
        latest = self._latest
        if outcome is not None:
            self.last_status = outcome.status
        elif problem:
            self.last_status = "failed"
        else:
            self.last_status = "cancelled"
        done = latest.done if latest is not None else 0
        total = latest.total if latest is not None else None
        of = f"/{total:,}" if total is not None else ""
        earlier = latest.resumed if latest is not None else 0
        if self.last_status == "finished" and earlier and earlier == done:
            message = (
                f"Nothing to run: all {done:,} rows already had results (tick Start over in "
                "the Run Evaluation dialog to run them again)"
            )
        elif self.last_status == "finished":
            message = f"Evaluation finished: {done:,}{of} rows" + (
                f" ({earlier:,} from an earlier run)" if earlier else ""
            )
        elif self.last_status == "budget":
            message = f"Evaluation stopped by its budget after {done:,}{of} rows: Resume to go on"
        elif self.last_status == "cancelled":
            message = f"Evaluation cancelled after {done:,}{of} rows: Resume runs the rest"
        else:
            message = f"Evaluation failed: {problem}"
        if latest is not None and self.last_status != "failed" and done > earlier:
            message += f" · {short_progress(latest, final=True)}"
        self.panel.show_progress(
            done, total or (done if self.last_status == "finished" else None), message
        )
        if total is None and self.last_status != "finished":
            self.panel.progress.setRange(0, 1)
            self.panel.progress.setValue(0)
        self.status_label.hide()  # the message below says how it ended
        self.status_bar.hide()
        self.window.status.show_message(message)
        if problem:
            self._say("The evaluation could not run", problem)
        self._update_actions()
        # The result views read the store: each in its own turn of the event loop,
        # so the window answers between them.
        QTimer.singleShot(0, lambda o=outcome: self._show_results(o))

    def _show_results(self, outcome: EvalOutcome | None) -> None:
        if self.last_eval_id is not None and not self.running:
            results = self.panel.results_page
            if self.last_status in ("finished", "budget") and outcome is not None:
                self.panel.tabs.blockSignals(True)  # listed just below, once
                self.panel.tabs.setCurrentWidget(results)
                self.panel.tabs.blockSignals(False)
            results.list_evaluations(select=self.last_eval_id)
            QTimer.singleShot(0, self.panel.compare_page.list_evaluations)
        self.settled = True
        self.evaluationFinished.emit(outcome)

    # --------------------------------------------------------------- results
    def show_trace(self, eval_id: str, index: int) -> bool:
        """Show row ``index`` of ``eval_id`` on the canvas and in the Results dock."""
        from editor.evaluation.trace import trace_entry

        document = self.document
        row = self.store.row(eval_id, index)
        meta = self.store.find(eval_id)
        if document is None or row is None or meta is None:
            return False
        model = meta.config.get("model") or "the graph's models"
        entry = trace_entry(document, meta, row, str(model))
        results = self.window.results_area
        results.reopen(entry)
        self.window.results_dock.show()
        self.window.results_dock.raise_()
        scores = ", ".join(f"{k} {v:.3f}" for k, v in row.rewards.items())
        said = f"scored {row.score:.3f} ({scores})" if row.score is not None else row.status
        self.window.status.show_message(
            f"{entry.title}: {said}" + (f": {row.error}" if row.error else "")
        )
        self.last_trace = entry
        return True

    def export_dialog(self, eval_id: str | None) -> None:
        eval_id = eval_id or (
            self.panel.results_page.meta.id if self.panel.results_page.meta else None
        )
        if eval_id is None:
            self._say("Nothing to export", "Run an evaluation first (Evaluate → Run Evaluation).")
            return
        from editor.export.folders import start_folder

        start = str(Path(start_folder(self.window)) / f"evaluation-{eval_id[:8]}.csv")
        chosen, _filter = QFileDialog.getSaveFileName(
            self.window, "Export evaluation results", start, "CSV (*.csv);;JSON Lines (*.jsonl)"
        )
        if chosen:
            self.export(eval_id, chosen)

    def export(self, eval_id: str, path: str | Path) -> None:
        """Write the rows to ``path`` in a thread; the status bar says when it is done."""
        from core.evaluation import export_rows

        reader = self.panel.results_page.reader
        target = Path(path)
        self._exports += 1
        kind = f"export {self._exports}"  # each export answers its own listener

        def done(answered: str, written, error: str) -> None:
            if answered != kind:
                return
            reader.done.disconnect(done)
            if error:
                self._say("Cannot export the results", f"{target}: {error}")
            else:
                self.window.status.show_message(f"Wrote {written:,} rows to {target}")

        reader.done.connect(done)
        reader.submit(kind, self.store.path, lambda s: export_rows(s, eval_id, target))

    def show_compare(self) -> None:
        self.panel  # noqa: B018
        self.reveal()
        self.panel.compare_page.list_evaluations()
        self.panel.tabs.setCurrentWidget(self.panel.compare_page)

    # --------------------------------------------------------------- helpers
    def _tab_changed(self, _index: int) -> None:
        page = self.panel.tabs.currentWidget()
        if page is self.panel.results_page and not self.running:
            self.panel.results_page.list_evaluations()
        elif page is self.panel.compare_page:
            self.panel.compare_page.list_evaluations()

    def reveal(self) -> None:
        """Bring the dock forward, taller the first time (later sizes are the user's)."""
        window, dock = self.window, self.dock
        dock.show()
        dock.raise_()
        if not self._dock_sized and not dock.isFloating() and window.isVisible():
            self._dock_sized = True
            from editor.main_window import COMPACT_HEIGHT

            share = 0.4 if window.height() >= COMPACT_HEIGHT else 0.32  # the canvas keeps most
            wanted = int(window.height() * share)
            if dock.height() < wanted:
                window.resizeDocks([dock], [wanted], Qt.Orientation.Vertical)

    def _say(self, title: str, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Close, self.window
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.last_problem = box

    def _update_actions(self) -> None:
        running = self.running
        can_run = self.binding is not None and not self.binding.problem
        can_resume = self.last_settings is not None and self.last_status in (
            "cancelled",
            "budget",
            "failed",
        )
        self.actions["run"].setEnabled(not running and self.document is not None)
        self.actions["cancel"].setEnabled(running)
        self.actions["resume"].setEnabled(not running and can_resume)
        self.actions["open"].setEnabled(not running)
        if self._panel is not None:
            self._panel.set_running(running, can_resume=can_resume, can_run=can_run)

    def shutdown(self) -> None:
        """The window closes: stop the evaluation (its finished rows are kept)."""
        self._closed = True
        if self.running:
            self.cancel()
        self._timer.stop()
        self._results_timer.stop()


def document_registry(controller: EvaluationController):
    assert controller.document is not None
    return controller.document.registry


def progress_text(p: EvalProgress) -> str:
    """Rows done/total, failures, rate, ETA, tokens and cost."""
    from core.evaluation import progress_line

    return progress_line(p)


def short_progress(p: EvalProgress, final: bool = False) -> str:
    total = f"/{p.total:,}" if p.total is not None else ""
    parts = [f"{p.done:,}{total} rows"] if not final else []
    parts.append(f"{p.rate:.1f} rows/s")
    if not final and p.eta is not None:
        from core.evaluation.results import _clock

        parts.append(f"ETA {_clock(p.eta)}")
    parts.append(f"{p.tokens:,} tokens")
    if p.cost:
        parts.append(f"${p.cost:.4f}")
    return " · ".join(parts)


def install(window: MainWindow) -> EvaluationController:
    """Give ``window`` its Evaluation dock and Evaluate menu (after the run feature)."""
    controller = EvaluationController(window)
    controller.install()
    return controller
