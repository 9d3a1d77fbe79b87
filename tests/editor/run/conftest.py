"""Fixtures for running graphs in real editor windows, offscreen.

The qasync loop is built on pytest-qt's ``qapp`` as an already running loop,
so the engine's tasks advance whenever Qt processes events (``qtbot.waitUntil``),
exactly as in the application where qasync runs Qt's own loop. Provider
settings live in the test's temporary folder.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from editor.run.provider_settings import ProviderSettings

FIRST_RUN_MS = 120_000  # the first run of a session waits for litellm to load (seconds of CPU)
RUN_MS = 30_000


@pytest.fixture(scope="session")
def _session_loop(qapp):
    """One loop for the whole session, as the application has one: litellm keeps
    loop-bound state (its logging queue, HTTP sessions) after its first call."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.events._set_running_loop(None)  # running only inside tests that ask for it
    yield loop
    asyncio.events._set_running_loop(loop)
    loop.stop()
    asyncio.events._set_running_loop(None)
    loop.close()


@pytest.fixture
def qloop(_session_loop):
    """The running qasync loop; tasks a test leaves behind are cancelled after it."""
    asyncio.events._set_running_loop(_session_loop)
    try:
        yield _session_loop
        for task in asyncio.all_tasks(_session_loop):
            task.cancel()
        deadline = time.monotonic() + 10
        while asyncio.all_tasks(_session_loop) and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.002)
    finally:
        asyncio.events._set_running_loop(None)  # other tests may call asyncio.run()


@pytest.fixture
def providers(tmp_path) -> ProviderSettings:
    return ProviderSettings(tmp_path / "config" / "providers.json")


@pytest.fixture
def seed_copy(tmp_path, seed_path) -> Path:
    """The seed graph in a temporary folder (tests may save it)."""
    target = tmp_path / "parallel_branches.json"
    shutil.copy(seed_path, target)
    return target


@pytest.fixture
def run_window(qtbot, qloop, workspace, seed_copy, providers):
    """A shown window on the seed graph whose runs use the offline model with a
    short token delay, and no transient retries (failures show at once)."""
    window = workspace.open_window_for(seed_copy)
    qtbot.waitExposed(window)
    controller = window.run_controller
    controller.providers = providers
    controller.option_overrides = {
        "offline_delay": 0.01,
        "transient_retries": 0,
        "backoff_base": 0.01,
    }
    return window


def wait_finished(qtbot, window, timeout: int = FIRST_RUN_MS) -> None:
    """Until the window's run has ended and its last batch reached every view."""
    qtbot.waitUntil(lambda: not window.run_controller.running, timeout=timeout)


def node_id(window, name: str) -> str:
    return window.document.graph.node_by_name(name).id
