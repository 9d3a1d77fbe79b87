"""Run → Validate with Synalinks: build the graph with the real library, show its verdict.

The worker builds the exported program symbolically (no model is called) and
checks the graph's tools; Synalinks' own errors land on the nodes they
concern in the Problems panel, and the output schemas Synalinks computed
appear on the cards. The check runs as a task on the qasync loop: the
window never waits on the worker (which starts first if it is not running).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from editor.main_window import MainWindow
    from editor.run.controller import RunController

log = logging.getLogger(__name__)


class SynalinksValidation(QObject):
    def __init__(self, window: MainWindow, controller: RunController) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.task: asyncio.Task | None = None
        self.last_message = ""
        self.action = QAction("Validate with &Synalinks", window)
        self.action.setObjectName("validateWithSynalinks")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.action.setStatusTip(
            "Build the graph with the real synalinks library (no model is called) and show "
            "its errors on the nodes"
        )
        self.action.triggered.connect(self.start)

    def install(self) -> None:
        """Put the action in the Run menu, after Run and Cancel."""
        for action in self.window.menuBar().actions():
            menu = action.menu()
            if menu is not None and action.text().replace("&", "") == "Run":
                before = next((a for a in menu.actions() if a.isSeparator()), None)
                menu.insertAction(before, self.action)
                return
        self.window.addAction(self.action)

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self) -> asyncio.Task | None:
        document = self.window.document
        if document is None or self.running:
            return None
        errors = [d for d in document.diagnostics if d.is_error and d.code != "synalinks-build"]
        if errors:
            self._say(
                f"Fix the graph's {len(errors)} error(s) first (Problems panel): Synalinks "
                "builds only a graph that exports"
            )
            return None
        self._say("Building the program with Synalinks…")
        self.action.setEnabled(False)
        self.task = asyncio.get_running_loop().create_task(self._check(document))
        return self.task

    async def _check(self, document) -> None:
        from core.engine.engine import snapshot_graph
        from core.runtime.build_check import check_with_synalinks
        from core.runtime.client import WorkerError
        from editor.run.synalinks_runtime import RuntimeUnavailable

        graph = snapshot_graph(document.graph)
        folder = str(Path(document.path).resolve().parent) if document.path else None
        settings = self.window.workspace.settings
        try:
            pool = await self.window.workspace.synalinks.ready(
                str(getattr(settings, "synalinks_python", "") or ""),
                self.controller.providers.keys(),
            )
            problems = await check_with_synalinks(
                graph, self.window.workspace.registry, pool, folder
            )
        except (RuntimeUnavailable, WorkerError) as exc:
            self._say(f"Cannot validate with Synalinks: {exc}")
            box = QMessageBox(
                QMessageBox.Icon.Warning, "Validate with Synalinks", str(exc), parent=self.window
            )
            box.setModal(False)
            box.show()
            return
        finally:
            self.action.setEnabled(True)
        if self.window.document is not document:
            return  # another graph is shown now
        document.set_synalinks_diagnostics(problems)
        if problems:
            self._say(
                f"Synalinks cannot build this program: {len(problems)} problem(s) in the "
                "Problems panel"
            )
        else:
            self._say("Synalinks built the program: no problems")

    def _say(self, text: str) -> None:
        self.last_message = text
        self.window.status.show_message(text)


def install(window: MainWindow, controller: RunController) -> SynalinksValidation:
    validation = SynalinksValidation(window, controller)
    validation.install()
    return validation
