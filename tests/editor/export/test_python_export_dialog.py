"""File → Export → Python…: the preview shows core's text, coloured; Copy and Save
hand over exactly that text; a graph with errors is refused with what to fix."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from core.commands import RemoveEdges
from core.export import export_python
from editor.export.python_highlighter import DARK, LIGHT
from editor.export.python_preview import PythonPreviewDialog
from tests.editor.conftest import flush_analysis
from tests.editor.window_helpers import record_errors


def open_preview(qtbot, window) -> PythonPreviewDialog:
    window.actions.export_python.trigger()
    dialog = window.findChild(PythonPreviewDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: bool(dialog.text_view.document().firstBlock().layout().formats()))
    return dialog


def format_colour_at(dialog: PythonPreviewDialog, needle: str, offset: int = 0):
    document = dialog.text_view.document()
    cursor = document.find(needle)
    assert not cursor.isNull(), needle
    block = cursor.block()
    column = cursor.selectionStart() - block.position() + offset
    for fmt_range in block.layout().formats():
        if fmt_range.start <= column < fmt_range.start + fmt_range.length:
            return fmt_range.format.foreground().color()
    return None


def test_preview_shows_exactly_the_core_export_highlighted(qtbot, seed_window):
    dialog = open_preview(qtbot, seed_window)
    document = seed_window.document
    expected = export_python(document.graph, document.registry)
    assert dialog.text_view.toPlainText() == expected
    assert dialog.text == expected
    assert dialog.text_view.isReadOnly()
    assert format_colour_at(dialog, "async def build_program") == LIGHT.keyword
    assert format_colour_at(dialog, 'name="branch_1"', 5) == LIGHT.string
    assert (
        format_colour_at(dialog, "A Synalinks program exported") == LIGHT.string
    )  # inside the docstring
    assert format_colour_at(dialog, "build_program(language_model") == LIGHT.definition
    assert "parallel_branches.py" in dialog.hint.text()
    assert dialog.heading.text().startswith("parallel_branches as a runnable Synalinks script")


def test_preview_colours_follow_the_dark_theme(qtbot, seed_window, workspace):
    workspace.set_theme_choice("dark")
    dialog = open_preview(qtbot, seed_window)
    assert format_colour_at(dialog, "async def build_program") == DARK.keyword
    assert format_colour_at(dialog, 'name="branch_1"', 5) == DARK.string


def test_copy_puts_the_script_on_the_clipboard(qtbot, seed_window):
    dialog = open_preview(qtbot, seed_window)
    QGuiApplication.clipboard().setText("something else")
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.text
    assert "Copied" in dialog.status.text()


def test_save_writes_exactly_the_text_under_the_graph_name(
    qtbot, seed_window, monkeypatch, tmp_path
):
    dialog = open_preview(qtbot, seed_window)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    asked: list[str] = []

    def answer(_parent, _caption, start, _filter):
        asked.append(start)
        return str(tmp_path / "my_program"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    dialog.save_button.click()
    assert Path(asked[0]).name == "parallel_branches.py"
    assert Path(asked[0]).parent == seed_window.document.path.parent
    written = tmp_path / "my_program.py"  # the suffix is added
    assert written.read_bytes() == dialog.text.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_program.py"]
    assert str(written) in dialog.status.text()


def test_save_failure_is_shown_and_writes_nothing(qtbot, seed_window, monkeypatch, tmp_path):
    dialog = open_preview(qtbot, seed_window)
    errors = record_errors(monkeypatch)
    target = tmp_path / "missing" / "out.py"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    assert dialog.save() is None
    assert len(errors) == 1 and str(target) in errors[0] and "Nothing was written" in errors[0]
    assert not target.parent.exists()


def test_cancelled_save_writes_nothing(qtbot, seed_window, monkeypatch, tmp_path):
    dialog = open_preview(qtbot, seed_window)
    before = sorted(tmp_path.rglob("*"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert dialog.save() is None
    assert sorted(tmp_path.rglob("*")) == before


def test_graph_with_errors_is_refused_with_what_to_fix(qtbot, seed_window, monkeypatch):
    window = seed_window
    document = window.document
    edge = next(iter(document.graph.edges))
    document.push(RemoveEdges([edge]))
    flush_analysis(qtbot, document)
    assert document.has_errors()
    window.problems_dock.hide()
    errors = record_errors(monkeypatch)
    window.actions.export_python.trigger()
    assert window.findChild(PythonPreviewDialog) is None
    assert len(errors) == 1
    title, _, message = errors[0].partition(": ")
    assert title == "Cannot export to Python"
    assert "problem(s) to fix" in message and "Problems panel" in message
    assert window.problems_dock.isVisible()
