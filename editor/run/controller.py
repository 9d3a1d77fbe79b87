"""Running the window's graph: from Run to results, on the Qt loop through qasync.

:class:`RunController` is the run feature of one window. Run (Ctrl+R) checks
the graph (errors block the run and point to the Problems panel), opens the
input form and starts loading the language-model stack in a worker thread.
Submitting the form asks the engine to check the input (its message shows in
the form) and starts the run as an asyncio task on the qasync loop, so the
window stays live: the engine awaits network and timers, and its events reach
an :class:`~editor.run.event_buffer.EventBuffer` that turns thousands of
events a second into one update per frame for the canvas, the result panels,
the timeline and the history. Cancel (toolbar, Esc, Ctrl+.) cancels the run
task, which stops every model call at once.

Edits during a run: the engine runs a snapshot of the graph taken when Run
was pressed, so the graph stays editable and edits apply to the next run; a
banner over the canvas says so for as long as the run goes on. Results live
in the run record (``RunEntry.record``), never on the graph.

Keys come from :class:`~editor.run.provider_settings.ProviderSettings` and go
to the engine's model client for one run (``LiteLLMClient(credentials=...)``);
the environment and a ``.env`` file work too. The engine itself is imported on
first use, never at start-up.

Backends: the toolbar chooses the built-in engine (in this process, tokens
stream) or Synalinks (the exported program on the real library, in the worker
process the workspace shares). A graph with a node type the built-in engine
does not run goes to Synalinks whatever the choice, and the status bar says
so. The Synalinks worker starts in the background when the person picks it
or opens the Run dialog with it; a run that cannot get a worker (no
environment, a worker that fails to start) ends as failed with one message
and touches nothing else; the next run starts a fresh worker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
)

from core.store.run_store import one_warning
from editor.run import quiet_heap, warmup
from editor.run.backend_selector import BUILTIN, SHORT_LABELS, SYNALINKS, BackendSelector
from editor.run.banner import RunBanner
from editor.run.cache_toggle import CacheToggle
from editor.run.canvas_states import CanvasRunPainter
from editor.run.event_buffer import Batch, EventBuffer
from editor.run.history import RunEntry, RunHistory
from editor.run.kept_runs import HistorySource, KeptRuns
from editor.run.model_selector import ModelSelector
from editor.run.node_runs import NodeRuns

if TYPE_CHECKING:
    import asyncio

    from editor.document import GraphDocument
    from editor.main_window import MainWindow
    from editor.run.input_form import RunInputDialog
    from editor.run.provider_settings import ProviderSettings

log = logging.getLogger(__name__)

TICK_MS = 100
"""How often running cards, panels and timeline bars advance their clocks."""
MODEL_SELECTOR_MAX_WIDTH = 220


class RunController(QObject):
    runStarted = Signal(object)  # RunEntry
    runFinished = Signal(object)  # RunEntry
    flushed = Signal(object, object)  # RunEntry, Batch (after the views were updated)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.history = RunHistory(self)
        self.painter = CanvasRunPainter()
        self.selector = ModelSelector(window.workspace.settings, window)
        self.selector.choiceChanged.connect(lambda _choice: self.refresh_keys())
        self.backend_selector = BackendSelector(window.workspace.settings, window)
        self.backend_selector.choiceChanged.connect(self._backend_changed)
        self.banner = RunBanner()
        self.cache_toggle = CacheToggle(window)
        self.kept = KeptRuns(window.workspace.registry)  # runs kept across sessions
        self.node_runs = NodeRuns(self)  # a card's Run to/from Here and Pin Output
        self._scope: Any = None  # the RunScope the open input form runs with
        self.banner.cancelRequested.connect(self.cancel)
        self.entry: RunEntry | None = None  # the live (or last) run of this window
        self.dialog: RunInputDialog | None = None
        self.last_refusal: QMessageBox | None = None
        self.last_problem: QMessageBox | None = None  # why the last run could not start
        self.compare_dialog = None
        self.settings_dialog = None
        self._providers: ProviderSettings | None = None
        self.option_overrides: dict[str, Any] = {}  # extra RunOptions fields (tests, benchmarks)
        self.model_client_factory: Callable[[dict[str, str]], Any] | None = None
        self.event_probe: Callable[[Any], None] | None = None  # sees every engine event (tests)
        self._handle: Any = None
        self._task: asyncio.Task | None = None
        self._buffer: EventBuffer | None = None
        self._document: GraphDocument | None = None
        self._closed = False
        self._cancelling = False
        self._loading_models = False
        self._starting_worker = False
        self._dock_sized = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self._escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self._escape.setEnabled(False)
        self._escape.activated.connect(self._escape_pressed)

        results = window.results_area
        results.set_theme_provider(lambda: window.workspace.theme)
        results.set_history(self.history)
        results.settingsRequested.connect(self.open_settings)
        results.nodeRequested.connect(window.reveal_node)
        results.compareRequested.connect(self.open_compare)
        results.shownEntryChanged.connect(self._shown_entry_changed)

    # ------------------------------------------------------------- wiring
    def install(self) -> None:
        """Connect the window's run actions and put the run controls in its toolbar."""
        quiet_loop_logs()
        a = self.window.actions
        a.run.triggered.connect(lambda _checked=False: self.request_run())
        a.cancel_run.triggered.connect(self.cancel)
        a.settings.triggered.connect(self.open_settings)
        a.node_menu_extensions.append(self.node_runs.extend_menu)
        toolbar = self.window.toolbar
        toolbar.addAction(a.cancel_run)
        # A long graph model would push the backend choice off a 1280-pixel toolbar;
        # the model's full name stays in the selector's tooltip.
        self.selector.setMaximumWidth(MODEL_SELECTOR_MAX_WIDTH)
        toolbar.addWidget(self.selector)
        toolbar.addWidget(self.backend_selector)
        toolbar.addAction(self.cache_toggle.action)
        menus = (m.menu() for m in self.window.menuBar().actions() if m.text() == "&Run")
        run_menu = next(menus, None)
        if run_menu is not None:
            run_menu.addAction(self.cache_toggle.action)
        self._update_actions()

    @property
    def running(self) -> bool:
        """A run is in progress (until its last batch has reached every view)."""
        return self._task is not None

    @property
    def providers(self) -> ProviderSettings:
        """The user's provider settings (read on first use)."""
        if self._providers is None:
            from editor.run.provider_settings import ProviderSettings

            self._providers = ProviderSettings()
        return self._providers

    @providers.setter
    def providers(self, store: ProviderSettings) -> None:
        self._providers = store

    def set_document(self, document: GraphDocument) -> None:
        """The window now shows ``document`` (its canvas is new). A run of the
        previous graph is cancelled: its window no longer shows it."""
        old = self._document
        if old is not None and old is not document:
            try:
                old.metaChanged.disconnect(self._meta_changed)
                old.pathChanged.disconnect(self._path_changed)
            except (RuntimeError, TypeError):
                pass
            if self.running:
                self.cancel()
            if self.dialog is not None:
                self.dialog.reject()
        self._document = document
        document.metaChanged.connect(self._meta_changed)
        document.pathChanged.connect(self._path_changed)
        self._meta_changed()
        canvas = self.window.canvas
        self.painter.bind(canvas)
        self.banner.attach(canvas)
        if canvas is not None:
            canvas.selectionChangedIds.connect(self._selection_changed)
        shown = self.window.results_area.shown
        if shown is not None and not shown.belongs_to(document):
            self.window.results_area.forget_live()
        # Read once the window is up: opening the store is not start-up's business.
        QTimer.singleShot(0, self, lambda d=document: self.show_kept_runs(d))
        self._update_actions()

    def _path_changed(self) -> None:
        """Saved under a new name: list that file's kept runs (a first save takes
        the graph's runs so far along)."""
        document = self._document
        if document is None:
            return
        self.kept.follow_first_save(document, self.history)
        self.refresh_keys()  # the .env beside the graph may differ
        self.show_kept_runs(document)

    def show_kept_runs(self, document: GraphDocument | None = None) -> None:
        """List the graph's runs kept from earlier sessions on the History page."""
        if self._closed or self._document is None:
            return
        if document is not None and document is not self._document:
            return  # the window moved on to another graph meanwhile
        document = self._document
        summaries = self.kept.summaries(document)
        self.window.results_area.set_kept(HistorySource(self.kept, document), summaries)
        warning = self.kept.take_warning()
        if warning:
            self.window.status.show_message(warning)

    # ------------------------------------------------------------ running
    def request_run(self, scope: Any = None) -> None:
        """Run (Ctrl+R): refuse a graph with errors, else open the input form.
        ``scope`` (a :class:`~core.engine.scope.RunScope`) runs part of the graph."""
        document = self.window.document
        if document is None or self.running:
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        # Only errors in what the run executes block it (a stray node never runs).
        errors = self._scope_errors(document, scope)
        if errors is None:
            return
        if errors:
            self._refuse(errors)
            return
        backend, reason = self.backend_for(document)
        if backend == SYNALINKS:
            self.warm_synalinks()  # the worker imports synalinks while the person types
        elif self.model_client_factory is None:
            warmup.start()  # litellm loads while the person types the input
        from editor.run.input_form import RunInputDialog

        shown = SHORT_LABELS[backend] + (f" ({reason})" if reason else "")
        dialog = RunInputDialog(
            document.graph, self._prefill(document), self.selector.label(), self.window, shown
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if scope is not None and scope.to_node:
            dialog.setWindowTitle(f"Run to {document.graph.nodes[scope.to_node].name}")
        self._scope = scope
        dialog.submitted.connect(self._submit)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        self.dialog = dialog
        dialog.open()

    def _scope_errors(self, document: GraphDocument, scope: Any) -> list | None:
        """The errors that block this run (None: a message already said why not)."""
        if scope is None:
            from core.engine.runnable import run_errors

            return run_errors(document.graph, document.registry)
        from core.engine import InputError, RunRefused
        from core.engine.engine import prepare_run
        from core.engine.scope import ScopeError

        try:
            prepare_run(document.graph, document.registry, None, scope)
        except RunRefused as exc:
            return exc.diagnostics
        except ScopeError as exc:
            self.node_runs._say("Cannot run from here", str(exc))
            return None
        except InputError:
            pass  # the form asks for an input that fits
        return []

    def start(self, inputs: Any | None = None, scope: Any = None) -> RunEntry | None:
        """Run the window's graph with ``inputs`` now, without the form (None: the
        example input). Raises the engine's InputError or RunRefused."""
        document = self.window.document
        if document is None or self.running:
            return None
        engine = self._engine(document)
        prepared = engine.prepare(document.graph, inputs, scope)
        return self._begin(document, engine, prepared)

    def cancel(self) -> None:
        """Stop the run now: in-flight model calls are cancelled at once."""
        if not self.running or self._cancelling:
            return
        self._cancelling = True
        if self._handle is not None:
            self._handle.cancel()
        elif self._task is not None:
            self._task.cancel()
        self._show_banner()
        self.window.status.show_message(
            f"Cancelling {self.entry.title}…" if self.entry else "Cancelling…"
        )

    def _submit(self, inputs: Any) -> None:
        dialog, document = self.dialog, self.window.document
        if dialog is None or document is None:
            return
        from core.engine import InputError, RunRefused
        from core.engine.scope import ScopeError

        engine = self._engine(document)
        try:
            prepared = engine.prepare(document.graph, inputs, self._scope)
        except InputError as exc:
            dialog.show_error(str(exc))
            return
        except RunRefused as exc:
            dialog.reject()
            self._refuse(exc.diagnostics)
            return
        except ScopeError as exc:
            dialog.reject()
            self.node_runs._say("Cannot run from here", str(exc))
            return
        if document.path is not None:
            self.window.workspace.settings.set_last_run_input(str(document.path), inputs)
        dialog.accept()
        self._begin(document, engine, prepared)

    def backend_for(self, document: GraphDocument) -> tuple[str, str]:
        """The backend the next run uses and, when it is not the toolbar's choice,
        why: a node type the built-in engine does not run sends the graph to Synalinks."""
        choice = self.backend_selector.choice()
        if choice == SYNALINKS:
            return SYNALINKS, ""
        registry = self.window.workspace.registry
        names: list[str] = []
        for node in document.graph.nodes.values():
            node_type = registry.get(node.type) if node.type in registry else None
            if node_type is not None and not getattr(node_type, "builtin_runs", True):
                title = str(getattr(node_type, "title", "") or node.type)
                if title not in names:
                    names.append(title)
        if not names:
            return choice, ""
        listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        return SYNALINKS, f"this graph uses {listed}, which only the Synalinks backend runs"

    def warm_synalinks(self) -> None:
        """Start the shared Synalinks worker in the background (nothing if it runs)."""
        settings = self.window.workspace.settings
        self.window.workspace.synalinks.warm(_synalinks_setting(settings), self.providers.keys())

    def _backend_changed(self, choice: str) -> None:
        if choice == SYNALINKS:
            self.warm_synalinks()

    def _engine(self, document: GraphDocument):
        backend, reason = self.backend_for(document)
        if backend == SYNALINKS:
            from editor.run.engine_setup import build_backend

            if reason:
                self.window.status.show_message(
                    f"{reason[0].upper()}{reason[1:]}: running on Synalinks"
                )
            overrides = dict(self.option_overrides)
            if document.path is not None:  # the graph's tools are imported from its folder
                overrides.setdefault("project_dir", str(Path(document.path).resolve().parent))
            return build_backend(
                self.window.workspace.registry,
                document.graph,
                model_override=self.selector.model_override(),
                providers=self.providers,
                runtime=self.window.workspace.synalinks,
                overrides=overrides,
            )
        from editor.run.engine_setup import build_engine

        return build_engine(
            self.window.workspace.registry,
            document.graph,
            model_override=self.selector.model_override(),
            providers=self.providers,
            overrides={**self.cache_toggle.options(), **self.option_overrides},
            client_factory=self.model_client_factory,
        )

    def _begin(self, document: GraphDocument, engine, prepared) -> RunEntry:
        backend = SYNALINKS if getattr(engine, "name", BUILTIN) == SYNALINKS else BUILTIN
        models = self.selector.label()
        entry = RunEntry(
            number=self.history.next_number(),
            graph=prepared.graph,
            inputs=prepared.inputs_by_name,
            model_label=f"{models} on Synalinks" if backend == SYNALINKS else models,
            model_override=engine.options.model_override,
            document_name=self.window.display_name(),
            backend=backend,
            scope_text=_scope_text(prepared),
            kept_key=self.kept.key(document),
        )
        entry.bind_document(document)
        buffer = EventBuffer(parent=self)
        buffer.on_event = self.event_probe
        buffer.flushed.connect(lambda batch, e=entry, b=buffer: self._apply(e, b, batch))
        self.entry, self._buffer, self._handle, self._cancelling = entry, buffer, None, False
        import asyncio  # here, not at import: the window shows before asyncio loads

        self._task = asyncio.get_running_loop().create_task(
            self._drive(entry, engine, prepared, buffer)
        )
        self.history.add(entry)
        self.painter.clear()
        self.window.results_area.begin(entry)
        self._reveal_results()
        self._show_banner()
        self._ticker.start()
        self._update_actions()
        self.runStarted.emit(entry)
        return entry

    async def _drive(self, entry: RunEntry, engine, prepared, buffer: EventBuffer) -> None:
        import asyncio

        quiet_heap.run_started()
        try:
            if entry.backend == SYNALINKS:
                if not await self._start_worker(entry):
                    return
            ready = (
                warmup.start()
                if self.model_client_factory is None and entry.backend == BUILTIN
                else None
            )
            if ready is not None and not ready.done():
                self._loading_models = True
                self._show_banner()
                try:
                    await asyncio.wrap_future(ready)
                except asyncio.CancelledError:
                    raise
                except Exception:  # each node will report what failed to load
                    log.warning("the language-model stack failed to load", exc_info=True)
                finally:
                    self._loading_models = False
                self._show_banner()
            handle = engine.start(prepared, listener=buffer.listener)
            entry.record = handle.record
            self._handle = handle
            await handle.wait()
        except asyncio.CancelledError:
            if entry.record is None:
                entry.stopped_early = True
        finally:
            quiet_heap.run_ended()
            if not self._closed:
                buffer.flush()
                self._finished(entry)

    async def _start_worker(self, entry: RunEntry) -> bool:
        """Get the shared Synalinks worker running (seconds the first time); False,
        with ``entry.problem`` set and said, when there is none to be had."""
        from core.runtime.client import WorkerError
        from editor.run.synalinks_runtime import RuntimeUnavailable

        runtime = self.window.workspace.synalinks
        self._starting_worker = not runtime.worker_ready
        self._show_banner()
        try:
            await runtime.ready(
                _synalinks_setting(self.window.workspace.settings), self.providers.keys()
            )
        except (RuntimeUnavailable, WorkerError) as exc:
            entry.problem = str(exc)
            if not self._closed:
                self._say_problem(entry)
            return False
        finally:
            self._starting_worker = False
        self._show_banner()
        return True

    def _say_problem(self, entry: RunEntry) -> None:
        """A run that could not start: one message over the window (non-modal)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "The Synalinks backend cannot run",
            f"{entry.title} did not start.",
            QMessageBox.StandardButton.Close,
            self.window,
        )
        box.setInformativeText(entry.problem)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.last_problem = box

    # ------------------------------------------------------------- updates
    def _apply(self, entry: RunEntry, buffer: EventBuffer, batch: Batch) -> None:
        """One coalesced batch: canvas, panels, timeline, history."""
        if self._closed:
            return
        if batch.started:
            entry.run_t0 = buffer.run_t0
        for node_id, event in batch.retries.items():
            reason = str(event.reason).replace("_", " ")
            entry.retry_notes[node_id] = (
                f"Retrying (attempt {event.attempt}) after {reason}: {event.message}"
            )
        results = self.window.results_area
        if results.shown is entry and entry.belongs_to(self.window.document):
            self.painter.update(entry, batch.nodes)
        results.refresh(entry, batch.nodes)
        if batch.started or batch.finished is not None:
            self.history.changed(entry)
        self.flushed.emit(entry, batch)

    def _tick(self) -> None:
        entry = self.entry
        if entry is None or not entry.active or self._closed:
            self._ticker.stop()
            return
        now = time.perf_counter()
        if self.window.results_area.shown is entry and entry.belongs_to(self.window.document):
            self.painter.tick(entry, now)
        self.window.results_area.tick(entry, now)
        self._show_banner()

    def _finished(self, entry: RunEntry) -> None:
        self._ticker.stop()
        self._handle, self._task, self._cancelling = None, None, False
        self.banner.hide()
        self.history.changed(entry)
        self.window.results_area.refresh(entry, None)
        if self.window.results_area.shown is entry and entry.belongs_to(self.window.document):
            self.painter.update(entry, list(entry.record.nodes) if entry.record else [])
        self._update_actions()
        document = self.window.document
        if entry.backend == SYNALINKS and document is not None and entry.belongs_to(document):
            document.refresh_analysis()  # output schemas Synalinks computed during the run
        self.kept.save(entry.kept_key, entry)
        # The store could not be used: one message, whether it cost the cache, the keeping or both.
        warning = one_warning(self.cache_toggle.take_warning(), self.kept.take_warning())
        message = finish_message(entry)
        self.window.status.show_message(f"{message}. {warning}" if warning else message)
        self.runFinished.emit(entry)

    # ------------------------------------------------------------ helpers
    def _prefill(self, document: GraphDocument) -> Any | None:
        """The last input run for this graph (this session, then saved), else None
        (the form then uses the graph's example input)."""
        latest = self.history.latest_for(document)
        if latest is not None:
            return latest.inputs  # keyed by Input name: the form takes either shape
        if document.path is not None:
            return self.window.workspace.settings.last_run_input(str(document.path))
        return None

    def _refuse(self, errors: list) -> None:
        """Errors block the run: say so and point to the Problems panel."""
        from editor.run.refusal import show_refusal

        self.last_refusal = show_refusal(self.window, errors)

    def open_settings(self) -> None:
        from editor.run.settings_dialog import ProviderSettingsDialog

        self.providers.reload()
        dialog = ProviderSettingsDialog(self.providers, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.refresh_keys())
        self.settings_dialog = dialog
        dialog.open()

    def open_compare(self, a: RunEntry, b: RunEntry) -> None:
        from editor.results.history_view import CompareDialog

        dialog = CompareDialog(a, b, self.window)
        self.compare_dialog = dialog
        dialog.show()

    def shutdown(self) -> None:
        """The window closes: stop the run and stop touching widgets."""
        if self.running:
            self.cancel()
        self._closed = True
        if self._buffer is not None:
            self._buffer.closed = True  # the run unwinds after the window is gone
        self._ticker.stop()
        self.banner.attach(None)
        self.banner.deleteLater()

    def _dialog_closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
            self._scope = None

    # What the node entries (NodeRuns) share with Run.
    def prefill(self, document: GraphDocument) -> Any | None:
        return self._prefill(document)

    def engine_for(self, document: GraphDocument):
        return self._engine(document)

    def refuse(self, errors: list) -> None:
        self._refuse(errors)

    def begin(self, document: GraphDocument, engine, prepared) -> RunEntry:
        return self._begin(document, engine, prepared)

    def _show_banner(self, text: str | None = None) -> None:
        entry = self.entry
        if entry is None or self._closed:
            return
        if text is None:
            if self._cancelling:
                text = f"Cancelling {entry.title}…"
            elif self._starting_worker:
                text = f"{entry.title}: starting the Synalinks worker (first run only)…"
            elif self._loading_models:
                text = f"{entry.title}: loading the language-model library (first run only)…"
            elif entry.record is None:
                text = f"{entry.title}: starting…"
            else:
                from editor.canvas.run_state import format_seconds

                text = f"{entry.title} running \u00b7 {format_seconds(entry.elapsed_now())}"
        self.banner.show_running(text, self.window.workspace.theme, cancelling=self._cancelling)

    def _reveal_results(self) -> None:
        """Bring the Results dock forward, taller the first time (later sizes are the user's)."""
        window = self.window
        dock = window.results_dock
        dock.show()
        dock.raise_()
        if not self._dock_sized and not dock.isFloating():
            self._dock_sized = True
            wanted = int(window.height() * 0.4)
            if dock.height() < wanted:
                window.resizeDocks([dock], [wanted], Qt.Orientation.Vertical)
                if window.canvas is not None:  # the canvas got smaller: show the whole graph again
                    QTimer.singleShot(0, window.canvas.fit_all)

    def _update_actions(self) -> None:
        a = self.window.actions
        running = self.running
        has_document = self.window.document is not None
        a.run.setEnabled(has_document and not running)
        a.cancel_run.setEnabled(running)
        self._escape.setEnabled(running)
        self.selector.setEnabled(not running)
        self.backend_selector.setEnabled(not running)

    def _escape_pressed(self) -> None:
        """Esc cancels the run, unless it is ending a wire drag or typing."""
        canvas = self.window.canvas
        if canvas is not None and canvas.canvas_scene.wiring:
            canvas.canvas_scene.cancel_wire()
            return
        focus = QApplication.focusWidget()
        if isinstance(focus, (QLineEdit, QAbstractSpinBox)) or (
            isinstance(focus, (QTextEdit, QPlainTextEdit)) and not focus.isReadOnly()
        ):
            return
        self.cancel()

    def _selection_changed(self, node_ids: list[str]) -> None:
        self.window.results_area.set_selected(node_ids[0] if len(node_ids) == 1 else None)

    def _meta_changed(self) -> None:
        if self._document is not None:
            meta = self._document.graph.meta
            self.selector.set_graph_default(meta.default_model, meta.api_base)
            self.refresh_keys()

    def refresh_keys(self) -> None:
        """Key status on the model choices and, as warnings, in Problems: from the
        settings' stored keys, the environment and the .env files a run reads
        (the working folder's and the one beside the graph)."""
        from core.validation.model_keys import key_lookup

        document = self._document
        files = [Path.cwd() / ".env"]
        if document is not None and document.path is not None:
            files.append(document.path.parent / ".env")
        lookup = key_lookup(self.providers.variables(), files)
        self.selector.set_key_lookup(lookup)
        if document is not None:
            document.set_key_check(lookup, self.selector.model_override())

    def _shown_entry_changed(self, entry: RunEntry | None) -> None:
        """The canvas shows the run the results show (when it is of this graph)."""
        if entry is not None and entry.belongs_to(self.window.document):
            self.painter.show_entry(entry)
        else:
            self.painter.clear()


def _scope_text(prepared: Any) -> str:
    from core.engine.scope import describe_scope

    return describe_scope(prepared.graph, getattr(prepared, "scope", None))


def quiet_loop_logs() -> None:
    """Keep qasync's debug records from ever being made: its executor logs every
    call it runs with its arguments, and litellm runs completions there with the
    ``api_key`` a run was given. Keys must never reach a log, whatever the level."""
    qasync_log = logging.getLogger("qasync")
    if qasync_log.level < logging.INFO:  # NOTSET (0) too: the root's level must not decide
        qasync_log.setLevel(logging.INFO)


def finish_message(entry: RunEntry) -> str:
    """The status-bar sentence when a run ends."""
    record = entry.record
    if record is None:
        if entry.problem:
            return f"{entry.title} did not start: {entry.problem}"
        return f"{entry.title} cancelled before it started"
    from editor.canvas.run_state import format_seconds

    took = format_seconds(record.duration or 0.0)
    if record.status == "succeeded":
        return f"{entry.title} succeeded in {took}"
    if record.status == "cancelled":
        return f"{entry.title} cancelled after {took}"
    failed = [r.node_name for r in record.nodes.values() if r.state == "failed"]
    return f"{entry.title} failed in {took}: {', '.join(failed) or 'a node'} failed"


def _synalinks_setting(settings: Any) -> str:
    """The Synalinks interpreter chosen in Settings ("" lets the search decide)."""
    return str(getattr(settings, "synalinks_python", "") or "")


def install(window: MainWindow) -> RunController:
    """Give ``window`` its run feature (call once, after its toolbar is built)."""
    from editor.run.synalinks_check import install as install_validation

    controller = RunController(window)
    controller.install()
    controller.validation = install_validation(window, controller)
    return controller
