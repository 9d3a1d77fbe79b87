"""Editor test fixtures: documents on the example graphs, and settings, recovery
and data folders that never touch the user's real ones."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before any QApplication exists: QSettings and QStandardPaths read these.
_SANDBOX = tempfile.mkdtemp(prefix="synalinks-canvas-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_SANDBOX, "data")

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "saved_graphs" / "parallel_branches.json"


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def document(qapp, registry):
    from editor.document_files import load_document

    doc = load_document(SEED, registry)
    yield doc
    doc.close()


@pytest.fixture
def settings(qapp, tmp_path):
    from editor.settings import Settings

    return Settings.at_path(tmp_path / "settings.ini")


@pytest.fixture
def recovery_store(tmp_path):
    from editor.recovery import RecoveryStore

    return RecoveryStore(tmp_path / "recovery")


def flush_analysis(qtbot, document) -> None:
    """Let the document's once-per-burst analysis run."""
    qtbot.waitUntil(lambda: not document._analysis_pending, timeout=2000)


@pytest.fixture
def workspace(qtbot, settings, recovery_store, monkeypatch):
    """A workspace over throw-away settings and recovery folder; its windows are
    closed (discarding changes) at the end."""
    from PySide6.QtWidgets import QMessageBox

    from editor.workspace import Workspace

    ws = Workspace(settings, recovery_store)
    yield ws
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
    )
    for window in list(ws.windows):
        window.close()


@pytest.fixture(autouse=True)
def _clear_clipboard_after_test():
    """Qt's offscreen platform crashes at exit when the clipboard still holds data
    an application set (the xcb platform does not); tests that copy leave none."""
    yield
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()
