"""Start-up: the QApplication, the theme, the first window(s), the qasync loop.

This is the only module that installs the asyncio event loop (qasync), so
coroutines (the engine, later) run inside Qt's loop. Start-up stays lean: the
language-model stack (litellm, ``core.engine``) is never imported here; it is
loaded when a run needs it.

Set ``SYNALINKS_CANVAS_STARTUP_PROBE=1`` to print start-up milestones to
stderr (``startup-probe <milestone> <unix time>``), or ``=exit`` to also quit
once the first window has been exposed; ``tests/benchmarks/bench_startup.py``
uses it.
"""

from __future__ import annotations

import os
import sys
import time

PROBE_ENV = "SYNALINKS_CANVAS_STARTUP_PROBE"


def _probe(milestone: str) -> None:
    if os.environ.get(PROBE_ENV):
        print(f"startup-probe {milestone} {time.time():.6f}", file=sys.stderr, flush=True)


def _parse(argv: list[str]):
    import argparse

    parser = argparse.ArgumentParser(prog="synalinks-canvas", description="Open the Synalinks Canvas editor.")
    parser.add_argument("files", nargs="*", metavar="FILE", help="graph files to open")
    return parser.parse_known_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args, qt_args = _parse(argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName("Synalinks")
    app.setOrganizationDomain("synalinks.com")
    app.setApplicationName("Synalinks Canvas")
    app.setApplicationDisplayName("Synalinks Canvas")

    from editor.recovery import RecoveryStore
    from editor.settings import Settings
    from editor.workspace import Workspace, first_document

    _probe("imports-done")
    workspace = Workspace(Settings(), RecoveryStore())
    errors: list[str] = []
    for item in first_document(workspace, args.files):
        if isinstance(item, str):
            _open_quietly(workspace, item, errors)
        else:
            workspace.new_window(item)
    if not workspace.windows:
        workspace.new_window()
    first = workspace.windows[0]
    _watch_first_expose(first)
    QTimer.singleShot(0, lambda: _after_start(workspace, errors))

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_forever()
    return 0


def _open_quietly(workspace, path: str, errors: list[str]):
    """Open ``path`` in a new window; collect the reason when it cannot be read
    (shown once the window is up, over it)."""
    from core.files import GraphFileError
    from editor.document_files import load_document

    try:
        document = load_document(path, workspace.registry)
    except GraphFileError as exc:
        errors.append(str(exc))
        return None
    workspace.recent.add(path)
    return workspace.new_window(document)


def _after_start(workspace, errors: list[str]) -> None:
    from PySide6.QtWidgets import QMessageBox

    parent = workspace.windows[0] if workspace.windows else None
    for message in errors:
        QMessageBox.critical(parent, "Could not open the graph", message)
    if os.environ.get(PROBE_ENV) != "exit":
        workspace.offer_recovery(parent)


def _watch_first_expose(window) -> None:
    """Report (probe) the first time the window is really on screen."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _ExposeWatch(QObject):
        def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.Expose and watched.isExposed():
                watched.removeEventFilter(self)
                _probe("window-exposed")
                if os.environ.get(PROBE_ENV) == "exit":
                    from PySide6.QtWidgets import QApplication

                    QTimer.singleShot(0, QApplication.instance().quit)
            return False

    handle = window.windowHandle()
    if handle is None:
        return
    window._expose_watch = _ExposeWatch(window)  # kept alive with the window
    handle.installEventFilter(window._expose_watch)
