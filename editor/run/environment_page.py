"""The Settings page for the Python environment the Synalinks backend runs in.

It shows which interpreter a run would use and why (an explicit choice, an
environment variable, the active virtualenv, the project's
``.venv-synalinks``, or the environment Synalinks Canvas made), lists the
other candidates with what is wrong with each, lets a person choose an
interpreter (checked before it is kept) and creates an environment with pip.
Checking an interpreter spawns a process and pip takes minutes, so both run in
threads; their results come back to the window as queued signals and the
window never waits. A choice applies at once (it is about this machine, not a
dialog's draft).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.runtime.environment import (
    CHOSEN,
    REQUIREMENT,
    CreationCancelled,
    EnvironmentProblem,
    SynalinksEnvironment,
    create_managed_environment,
    default_base_python,
    find_all,
    managed_env_dir,
    probe,
)
from editor.settings import Settings

Found = SynalinksEnvironment | EnvironmentProblem


class _Relay(QObject):
    """Carries results from the worker threads to the page (queued connections)."""

    listed = Signal(int, object)  # generation, list[Found]
    checked = Signal(str, object)  # the path chosen, Found
    line = Signal(str)
    created = Signal(object)  # SynalinksEnvironment | EnvironmentProblem


def _emit(signal: Any, *args: Any) -> None:
    """Emit from a thread; the page may have been closed meanwhile."""
    try:
        signal.emit(*args)
    except RuntimeError:  # the relay's C++ object went with its page
        pass


def _in_thread(name: str, work: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread


def status_text(found: Found) -> str:
    """One short status for the candidates list."""
    if isinstance(found, EnvironmentProblem):
        return str(found)
    if found.usable:
        return f"synalinks {found.synalinks_version} \u00b7 Python {found.python_version}"
    if found.synalinks_version is None:
        return f"no synalinks \u00b7 Python {found.python_version}"
    return (
        f"synalinks {found.synalinks_version} (needs 0.10.x) \u00b7 Python {found.python_version}"
    )


def in_use(listing: list[Found], choice: str) -> Found | None:
    """What a run would use, as :func:`core.runtime.environment.find_environment`
    decides: the choice (even when it cannot run), else the first usable one."""
    if choice:
        return next((f for f in listing if f.source == CHOSEN), None)
    return next((f for f in listing if isinstance(f, SynalinksEnvironment) and f.usable), None)


class SynalinksEnvironmentPage(QWidget):
    """The environment section of the Settings dialog; ``settings`` holds the choice."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("synalinksEnvironmentPage")
        self.settings = settings
        self.listing: list[Found] = []
        self.checking = False
        self.creating = False
        self._generation = 0
        self._cancel: threading.Event | None = None
        self._lines: list[str] = []
        self._relay = _Relay(self)
        self._relay.listed.connect(self._listed)
        self._relay.checked.connect(self._checked)
        self._relay.line.connect(self._line)
        self._relay.created.connect(self._created)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)

        intro = QLabel(
            "The Synalinks backend runs graphs on the real library in a Python environment "
            "of yours (Python 3.12+ with synalinks 0.10). Choices here apply at once.",
            self,
        )
        intro.setWordWrap(True)
        self.current_label = QLabel(self)
        self.current_label.setObjectName("environmentInUse")
        self.current_label.setWordWrap(True)
        self.current_label.setTextFormat(Qt.TextFormat.RichText)
        self.current_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.candidate_list = QTreeWidget(self)
        self.candidate_list.setObjectName("environmentCandidates")
        self.candidate_list.setHeaderLabels(["Interpreter", "Found via", "Status"])
        self.candidate_list.setRootIsDecorated(False)
        self.candidate_list.setUniformRowHeights(True)
        self.candidate_list.setToolTip("Double-click an environment that has synalinks to use it")
        header = self.candidate_list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 330)
        header.resizeSection(1, 170)
        rows = self.candidate_list.fontMetrics().height() + 6
        self.candidate_list.setFixedHeight(rows * 5 + header.sizeHint().height())
        self.candidate_list.itemDoubleClicked.connect(self._use_item)

        self.choose_button = QPushButton("Choose interpreter\u2026", self)
        self.choose_button.setToolTip(
            "Pick the python program of an environment that has synalinks"
        )
        self.choose_button.clicked.connect(self.choose_interpreter)
        self.auto_button = QPushButton("Auto-detect", self)
        self.auto_button.setToolTip(
            "Forget the choice: use SYNALINKS_CANVAS_PYTHON, the active virtualenv, "
            ".venv-synalinks or the environment created here, the first that has synalinks"
        )
        self.auto_button.clicked.connect(self.auto_detect)
        self.refresh_button = QPushButton("Check again", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.create_button = QPushButton("Create environment", self)
        self.create_button.setToolTip(
            f"Make a virtualenv in {managed_env_dir()} and install {REQUIREMENT} from PyPI "
            "into it (a few hundred MB, minutes)"
        )
        self.create_button.clicked.connect(self.create_environment)
        buttons = QHBoxLayout()
        for button in (self.choose_button, self.auto_button, self.refresh_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        self.progress_box = QWidget(self)
        progress = QHBoxLayout(self.progress_box)
        progress.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar(self.progress_box)
        self.progress.setRange(0, 0)  # busy: pip gives no overall progress
        self.progress.setMaximumWidth(160)
        self.last_line = QLabel(self.progress_box)
        self.last_line.setObjectName("pipLastLine")
        self.last_line.setMinimumWidth(100)
        self.last_line.setFont(mono)
        self.cancel_button = QPushButton("Cancel", self.progress_box)
        self.cancel_button.clicked.connect(self.cancel_creation)
        progress.addWidget(self.progress)
        progress.addWidget(self.last_line, 1)
        progress.addWidget(self.cancel_button)
        self.progress_box.hide()

        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("environmentProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = self.problem_label.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.BrightText)
        )
        self.problem_label.setPalette(palette)
        self.problem_label.hide()
        self.log_button = QPushButton("Show pip log", self)
        self.log_button.setCheckable(True)
        self.log_button.toggled.connect(self._show_log)
        self.copy_button = QPushButton("Copy log", self)
        self.copy_button.clicked.connect(self.copy_log)
        log_buttons = QHBoxLayout()
        log_buttons.addWidget(self.log_button)
        log_buttons.addWidget(self.copy_button)
        log_buttons.addStretch(1)
        self.log_buttons = QWidget(self)
        self.log_buttons.setLayout(log_buttons)
        log_buttons.setContentsMargins(0, 0, 0, 0)
        self.log_buttons.hide()
        self.log_view = QPlainTextEdit(self)
        self.log_view.setObjectName("pipLog")
        self.log_view.setReadOnly(True)
        self.log_view.setFont(mono)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log_view.setMinimumHeight(140)
        self.log_view.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.current_label)
        layout.addWidget(self.candidate_list)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.log_buttons)
        layout.addWidget(self.log_view, 1)
        layout.addStretch(0)
        self._looked = False
        self._update_buttons()

    # ------------------------------------------------------------- listing
    def showEvent(self, event: QShowEvent) -> None:
        """Look for environments the first time the page is seen (it spawns processes)."""
        super().showEvent(event)
        if not self._looked:
            self.refresh()

    def refresh(self) -> None:
        """Probe every candidate again (in a thread)."""
        self._looked = True
        self._generation += 1
        generation, choice = self._generation, self.settings.synalinks_python
        self.checking = True
        self.current_label.setText("Looking for Python environments with synalinks\u2026")
        self._update_buttons()

        def work() -> None:
            try:
                listing: list[Found] = list(find_all(choice or None))
                if choice and not any(f.source == CHOSEN for f in listing):
                    try:  # a chosen file that vanished is not a candidate: say why
                        listing.insert(0, probe(choice, source=CHOSEN))
                    except EnvironmentProblem as exc:
                        listing.insert(0, exc)
            except Exception as exc:  # never leave the page "looking" forever
                listing = [EnvironmentProblem(f"looking for environments failed: {exc}")]
            _emit(self._relay.listed, generation, listing)

        _in_thread("synalinks environment search", work)

    def _listed(self, generation: int, listing: list[Found]) -> None:
        if generation != self._generation:
            return  # an older search finished after a newer one started
        self.checking = False
        self.listing = listing
        choice = self.settings.synalinks_python
        used = in_use(listing, choice)
        self.current_label.setText(self._describe(used, choice))
        self.candidate_list.clear()
        for found in listing:
            python = found.python or "(unknown)"
            item = QTreeWidgetItem([python, found.source, status_text(found)])
            tip = (
                str(found)
                if isinstance(found, EnvironmentProblem)
                else (found.problem or status_text(found))
            )
            item.setToolTip(0, python)
            item.setToolTip(2, tip)
            item.setData(0, Qt.ItemDataRole.UserRole, python)
            if found is used:
                font = item.font(0)
                font.setBold(True)
                for column in range(3):
                    item.setFont(column, font)
            self.candidate_list.addTopLevelItem(item)
        self._update_buttons()

    def _describe(self, used: Found | None, choice: str) -> str:
        if used is None:
            return (
                "<b>No Python environment with synalinks 0.10 was found.</b> Choose an "
                "interpreter that has it, or create one (installed from PyPI into "
                f"<code>{html.escape(str(managed_env_dir()))}</code>)."
            )
        path = f"<code>{html.escape(used.python or choice)}</code>"
        if isinstance(used, EnvironmentProblem) or not used.usable:
            problem = str(used) if isinstance(used, EnvironmentProblem) else used.problem
            return (
                f"<b>The chosen interpreter cannot run graphs:</b> {html.escape(problem or '')}. "
                "Choose another one, or Auto-detect."
            )
        return (
            f"<b>In use:</b> {path}<br>Python {html.escape(used.python_version)} \u00b7 "
            f"synalinks {html.escape(used.synalinks_version or '')} \u00b7 found via "
            f"{html.escape(used.source)}"
        )

    # -------------------------------------------------------------- choosing
    def choose_interpreter(self) -> None:
        """Ask for an interpreter; it is kept only when it has synalinks 0.10."""
        start = self.settings.synalinks_python or str(managed_env_dir().parent)
        path, _ = QFileDialog.getOpenFileName(self, "Choose a Python interpreter", start)
        if path:
            self.check_choice(path)

    def check_choice(self, path: str) -> None:
        """Probe ``path`` in a thread; :meth:`_checked` keeps it or says why not."""
        self.checking = True
        self._hide_problem()
        self.current_label.setText(f"Checking <code>{html.escape(path)}</code>\u2026")
        self._update_buttons()

        def work() -> None:
            try:
                found: Found = probe(path, source=CHOSEN)
            except EnvironmentProblem as exc:
                found = exc
            _emit(self._relay.checked, path, found)

        _in_thread("synalinks environment check", work)

    def _checked(self, path: str, found: Found) -> None:
        self.checking = False
        if isinstance(found, SynalinksEnvironment) and found.usable:
            self.settings.synalinks_python = found.python
            self.settings.sync()
        else:
            problem = str(found) if isinstance(found, EnvironmentProblem) else found.problem
            self._show_problem(f"{path} was not kept: {problem}.")
        self.refresh()

    def _use_item(self, item: QTreeWidgetItem, _column: int) -> None:
        python = item.data(0, Qt.ItemDataRole.UserRole)
        if python and not self.busy:
            self.check_choice(str(python))

    def auto_detect(self) -> None:
        """Forget the choice and let the search decide."""
        self.settings.synalinks_python = ""
        self.settings.sync()
        self._hide_problem()
        self.refresh()

    # -------------------------------------------------------------- creating
    def create_environment(self) -> None:
        """Make the managed environment with pip, in a thread (cancellable)."""
        if self.busy:
            return
        base = default_base_python() or next(
            (f.python for f in self.listing if isinstance(f, SynalinksEnvironment)), None
        )
        if base is None:
            self._show_problem(
                "No Python 3.12+ interpreter to build the environment from: choose one that "
                "has synalinks instead, or install Python 3.12 and try again."
            )
            return
        self.creating = True
        self._cancel = threading.Event()
        self._lines = []
        self._hide_problem()
        self.last_line.setText("Starting\u2026")
        self.progress_box.show()
        self.cancel_button.setEnabled(True)
        self._update_buttons()
        cancel, relay = self._cancel, self._relay

        def work() -> None:
            try:
                result: Found = create_managed_environment(
                    base, lambda line: _emit(relay.line, line), cancel=cancel
                )
            except EnvironmentProblem as exc:
                result = exc
            except Exception as exc:  # a bug must still end the progress display
                result = EnvironmentProblem(f"creating the environment failed: {exc}")
            _emit(relay.created, result)

        _in_thread("synalinks environment creation", work)

    def cancel_creation(self) -> None:
        """Stop pip (the page reports the cancellation when the thread ends)."""
        if self._cancel is not None and self.creating:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.last_line.setText("Cancelling\u2026")

    def _line(self, line: str) -> None:
        self._lines.append(line)
        if self.creating:
            elided = self.last_line.fontMetrics().elidedText(
                line, Qt.TextElideMode.ElideRight, max(100, self.last_line.width())
            )
            self.last_line.setText(elided)
            self.last_line.setToolTip(line)

    def _created(self, result: Found) -> None:
        self.creating = False
        self._cancel = None
        self.progress_box.hide()
        if isinstance(result, CreationCancelled):
            self._show_problem("Creating the environment was cancelled.", result.log)
        elif isinstance(result, EnvironmentProblem):
            log = result.log or "\n".join(self._lines)
            self._show_problem(f"The environment could not be created: {result}.", log)
        else:
            self.settings.synalinks_python = result.python
            self.settings.sync()
        self._update_buttons()
        self.refresh()

    # ------------------------------------------------------------ problems
    def _show_problem(self, message: str, log: str = "") -> None:
        self.problem_label.setText(message)
        self.problem_label.show()
        self.log_view.setPlainText(log)
        self.log_buttons.setVisible(bool(log))
        self.log_button.setChecked(False)
        self.log_view.hide()

    def _hide_problem(self) -> None:
        self.problem_label.hide()
        self.log_buttons.hide()
        self.log_view.hide()
        self.log_view.clear()

    def _show_log(self, shown: bool) -> None:
        self.log_view.setVisible(shown)
        self.log_button.setText("Hide pip log" if shown else "Show pip log")

    def copy_log(self) -> None:
        QGuiApplication.clipboard().setText(self.log_view.toPlainText())

    # ---------------------------------------------------------------- state
    @property
    def busy(self) -> bool:
        return self.checking or self.creating

    def _update_buttons(self) -> None:
        for button in (self.choose_button, self.auto_button, self.refresh_button):
            button.setEnabled(not self.busy)
        self.auto_button.setEnabled(not self.busy and bool(self.settings.synalinks_python))
        self.create_button.setEnabled(not self.busy)

    def shutdown(self) -> None:
        """The dialog closes: stop a creation in progress (its thread ends soon after)."""
        if self._cancel is not None:
            self._cancel.set()
