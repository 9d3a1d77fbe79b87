"""Start-up: the QApplication, the theme, the first window(s), the qasync loop.

This is the only module that installs the asyncio event loop (qasync), so
coroutines (the engine, later) run inside Qt's loop. Start-up stays lean: the
language-model stack (litellm, ``core.engine``) is never imported here; a
worker thread loads it once the editor has been idle for a moment after the
first graph is shown (``editor.run.warmup.start_when_idle``), so the first Run
rarely waits for it.

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
LOAD_FALLBACK_MS = 400


def _probe(milestone: str) -> None:
    if os.environ.get(PROBE_ENV):
        print(f"startup-probe {milestone} {time.time():.6f}", file=sys.stderr, flush=True)


def _parse(argv: list[str]):
    import argparse

    parser = argparse.ArgumentParser(
        prog="synalinks-canvas", description="Open the Synalinks Canvas editor."
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="graph files to open")
    return parser.parse_known_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args, qt_args = _parse(argv)
    _load_dotenv(args.files)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName("Synalinks")
    app.setOrganizationDomain("synalinks.com")
    app.setApplicationName("Synalinks Canvas")
    app.setApplicationDisplayName("Synalinks Canvas")

    from editor.recovery import RecoveryStore
    from editor.settings import Settings
    from editor.workspace import Workspace

    _probe("imports-done")
    workspace = Workspace(Settings(), RecoveryStore())
    _keep_learnt_schemas(workspace)
    # Show the frame first; read the graph on the first turn of the event loop.
    first = workspace.new_window(deferred=True)
    started = False

    def load_once() -> None:
        nonlocal started
        if not started:
            started = True
            _load_start_graphs(workspace, first, args.files)

    _watch_first_expose(first, lambda: QTimer.singleShot(0, load_once))
    QTimer.singleShot(LOAD_FALLBACK_MS, load_once)  # a window never exposed (minimised)

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_forever()
        _close_runtime(loop, workspace)
    return 0


def _close_runtime(loop, workspace) -> None:
    """Stop the Synalinks worker cleanly after the last window closed (it would
    also exit on its own when its stdin closes with this process)."""
    import asyncio

    if not workspace.synalinks_started:
        return
    try:
        loop.run_until_complete(asyncio.wait_for(workspace.close_runtime(), 2.0))
    except Exception:  # quitting anyway: the worker ends when its stdin closes
        import logging

        logging.getLogger(__name__).debug("closing the Synalinks worker failed", exc_info=True)


def _load_dotenv(paths: list[str]) -> None:
    """Provider keys from a ``.env`` file in the current folder or beside the graphs
    opened at start (as the CLI does); the environment wins, keys saved in
    Settings win over both at run time. Cheap: python-dotenv is small."""
    from pathlib import Path

    from dotenv import find_dotenv, load_dotenv

    found = find_dotenv(usecwd=True)
    if found:
        load_dotenv(found, override=False)
    for path in paths:
        beside = Path(path).resolve().parent / ".env"
        if beside.is_file():
            load_dotenv(beside, override=False)


def _keep_learnt_schemas(workspace) -> None:
    """Output schemas Synalinks computed survive the session, in the user's data
    folder (read after the window is up, written when the editor quits)."""
    cache = getattr(workspace.registry, "schema_cache", None)
    if cache is None:
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.recovery import default_recovery_dir

    path = default_recovery_dir().parent / "synalinks_schemas.json"
    QTimer.singleShot(500, lambda: cache.attach(path))
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(cache.save)


def _load_start_graphs(workspace, first, paths: list[str]) -> None:
    """Open the start files (or a new graph), then report load errors over the
    window and offer to restore work a crashed editor left behind."""
    from PySide6.QtWidgets import QMessageBox

    from editor.workspace import open_start_files, start_files

    errors = open_start_files(workspace, first, start_files(workspace, paths))
    _probe("graph-shown")
    if os.environ.get(PROBE_ENV):
        heavy = [m for m in ("litellm", "core.engine") if m in sys.modules]
        print(f"startup-probe heavy-modules {','.join(heavy) or '-'}", file=sys.stderr, flush=True)
    for message in errors:
        QMessageBox.critical(first, "Could not open the graph", message)
    if os.environ.get(PROBE_ENV) == "exit":
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        QTimer.singleShot(0, QApplication.instance().quit)
        return
    from editor.run.warmup import start_when_idle

    start_when_idle(first)
    workspace.offer_recovery(first)


def _watch_first_expose(window, then) -> None:
    """Call ``then`` (and probe) the first time the window is really on screen."""
    from PySide6.QtCore import QEvent, QObject

    class _ExposeWatch(QObject):
        def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.Expose and watched.isExposed():
                watched.removeEventFilter(self)
                _probe("window-exposed")
                then()
            return False

    handle = window.windowHandle()
    if handle is None:
        then()
        return
    window._expose_watch = _ExposeWatch(window)  # kept alive with the window
    handle.installEventFilter(window._expose_watch)
