"""File dialogs start in the user's folders: the last one chosen, never the
application's bundled examples."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from editor.export.folders import EXAMPLES_DIR, is_application_folder, start_folder
from tests.editor.window_helpers import open_dialog_answers, save_dialog_answers


def _asked_in(monkeypatch, method: str) -> list[str]:
    """Record the start path each file dialog of kind ``method`` is given (and cancel)."""
    starts: list[str] = []

    def ask(_parent, _title, start, *_rest, **_kw):
        starts.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, method, staticmethod(ask))
    return starts


def test_an_untitled_graph_never_starts_in_the_examples(qtbot, workspace, seed_path, monkeypatch):
    workspace.recent.add(seed_path)  # the most recent graph is an example
    window = workspace.new_window()
    qtbot.waitExposed(window)
    assert is_application_folder(seed_path.parent)
    folder = start_folder(window)
    assert not is_application_folder(folder)
    assert folder == Path.home()
    starts = _asked_in(monkeypatch, "getSaveFileName")
    window.save_as()
    assert not Path(starts[0]).resolve().is_relative_to(EXAMPLES_DIR)


def test_dialogs_start_in_the_last_folder_chosen(
    qtbot, workspace, settings, seed_path, tmp_path, monkeypatch
):
    mine = tmp_path / "my graphs"
    mine.mkdir()
    copy = mine / "graph.json"
    shutil.copy(seed_path, copy)
    window = workspace.new_window()
    qtbot.waitExposed(window)
    open_dialog_answers(monkeypatch, copy)
    assert window.open_file()
    assert Path(settings.last_folder) == mine.resolve()
    other = workspace.new_window()  # untitled: starts where the user last was
    qtbot.waitExposed(other)
    assert start_folder(other) == mine.resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    save_dialog_answers(monkeypatch, elsewhere / "saved.json")
    assert other.save_as()
    assert Path(settings.last_folder) == elsewhere.resolve()
