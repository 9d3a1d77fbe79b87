"""File → Export → Mermaid… and Picture…: what the dialogs show and what they write."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFileDialog, QRadioButton

from core.export import export_mermaid
from editor.export.mermaid_preview import MermaidPreviewDialog
from editor.export.picture_dialog import PictureDialog
from editor.export.pictures import PictureOptions, graph_area, picture_bytes, view_area
from editor.export.python_highlighter import PythonHighlighter
from tests.editor.window_helpers import record_errors


def answer_save(monkeypatch, path: Path) -> list[tuple[str, str]]:
    """The save dialog answers ``path``; returns (start path, filter) of each question."""
    asked: list[tuple[str, str]] = []

    def answer(_parent, _caption, start, file_filter):
        asked.append((start, file_filter))
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return asked


# ---------------------------------------------------------------- Mermaid
def test_mermaid_dialog_shows_copies_and_saves_core_text(qtbot, seed_window, monkeypatch, tmp_path):
    window = seed_window
    window.actions.export_mermaid.trigger()
    dialog = window.findChild(MermaidPreviewDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    expected = export_mermaid(window.document.graph, window.document.registry)
    assert dialog.text == expected
    assert dialog.text_view.toPlainText() == expected
    assert dialog.findChild(PythonHighlighter) is None
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == expected
    out = tmp_path / "out"
    out.mkdir()
    asked = answer_save(monkeypatch, out / "diagram")
    dialog.save_button.click()
    assert Path(asked[0][0]).name == "parallel_branches.mmd"
    assert "*.mmd" in asked[0][1]
    assert (out / "diagram.mmd").read_text(encoding="utf-8") == expected


# ---------------------------------------------------------------- Picture
def open_picture_dialog(qtbot, window) -> PictureDialog:
    window.actions.export_picture.trigger()
    dialog = window.findChild(PictureDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_picture_dialog_gathers_the_options_and_shows_the_size(qtbot, seed_window):
    dialog = open_picture_dialog(qtbot, seed_window)
    scene = seed_window.canvas.canvas_scene
    assert dialog.options() == PictureOptions("png", "graph", 1.0, False)
    checked = [b for b in dialog.findChildren(QRadioButton) if b.isChecked()]
    assert set(checked) == {dialog.png_radio, dialog.graph_radio, dialog.scale_radios[1.0]}
    one = graph_area(scene, 1.0).size
    assert dialog.size_label.text() == f"{one.width():,} × {one.height():,} pixels"
    assert dialog.preview_label.pixmap() is not None and not dialog.preview_label.pixmap().isNull()
    dialog.scale_radios[2.0].setChecked(True)
    assert dialog.size_label.text() == f"{2 * one.width():,} × {2 * one.height():,} pixels"
    assert not dialog.custom_scale.isEnabled()
    dialog.custom_radio.setChecked(True)
    assert dialog.custom_scale.isEnabled()
    dialog.custom_scale.setValue(0.5)
    dialog.svg_radio.setChecked(True)
    dialog.view_radio.setChecked(True)
    dialog.transparent_check.setChecked(True)
    assert dialog.options() == PictureOptions("svg", "view", 0.5, True)
    checked = [b for b in dialog.findChildren(QRadioButton) if b.isChecked()]
    assert set(checked) == {dialog.svg_radio, dialog.view_radio, dialog.custom_radio}
    screen = view_area(seed_window.canvas, 0.5).size
    assert dialog.size_label.text() == f"{screen.width():,} × {screen.height():,} pixels, vector"


def test_picture_dialog_exports_png_with_the_chosen_options(
    qtbot, seed_window, monkeypatch, tmp_path
):
    window = seed_window
    dialog = open_picture_dialog(qtbot, window)
    dialog.scale_radios[3.0].setChecked(True)
    dialog.transparent_check.setChecked(True)
    out = tmp_path / "pictures"
    out.mkdir()
    asked = answer_save(monkeypatch, out / "seed")
    dialog.export_button.click()
    assert Path(asked[0][0]).name == "parallel_branches.png"
    written = out / "seed.png"
    options = PictureOptions("png", "graph", 3.0, True)
    assert written.read_bytes() == picture_bytes(window.canvas, options)
    image = QImage(str(written))
    assert image.size() == graph_area(window.canvas.canvas_scene, 3.0).size
    assert image.pixelColor(0, 0).alpha() == 0
    assert not dialog.isVisible()
    assert str(written) in window.status.currentMessage()


def test_picture_dialog_exports_svg_and_fixes_the_suffix(qtbot, seed_window, monkeypatch, tmp_path):
    dialog = open_picture_dialog(qtbot, seed_window)
    dialog.svg_radio.setChecked(True)
    out = tmp_path / "pictures"
    out.mkdir()
    asked = answer_save(monkeypatch, out / "seed.png")
    assert dialog.export() == out / "seed.png.svg"  # never SVG bytes in a .png file
    assert "*.svg" in asked[0][1]
    data = (out / "seed.png.svg").read_bytes()
    assert QSvgRenderer(QByteArray(data)).isValid()
    assert b">branch_1</text>" in data


def test_picture_dialog_shows_write_errors_and_stays_open(
    qtbot, seed_window, monkeypatch, tmp_path
):
    dialog = open_picture_dialog(qtbot, seed_window)
    errors = record_errors(monkeypatch)
    answer_save(monkeypatch, tmp_path / "missing" / "seed.png")
    assert dialog.export() is None
    assert len(errors) == 1 and errors[0].startswith("Could not export the picture: ")
    assert "could not save" in errors[0]
    assert dialog.isVisible()
    assert not (tmp_path / "missing").exists()


def test_picture_dialog_on_an_empty_graph_offers_the_screen_only(qtbot, workspace):
    window = workspace.new_window()
    qtbot.waitExposed(window)
    dialog = open_picture_dialog(qtbot, window)
    assert "empty" in dialog.size_label.text()
    assert not dialog.export_button.isEnabled()
    dialog.view_radio.setChecked(True)
    assert dialog.export_button.isEnabled()


def test_picture_dialog_starts_from_the_last_exported_choices(
    qtbot, seed_window, monkeypatch, tmp_path
):
    window = seed_window
    dialog = open_picture_dialog(qtbot, window)
    dialog.custom_radio.setChecked(True)
    dialog.custom_scale.setValue(2.5)
    dialog.svg_radio.setChecked(True)
    dialog.transparent_check.setChecked(True)
    answer_save(monkeypatch, tmp_path / "first")
    dialog.export_button.click()
    assert (tmp_path / "first.svg").is_file()
    qtbot.waitUntil(lambda: window.findChild(PictureDialog) is None)

    again = open_picture_dialog(qtbot, window)
    assert again.options() == PictureOptions("svg", "graph", 2.5, True)
    assert again.custom_radio.isChecked() and again.custom_scale.isEnabled()
    # Changing the choices and cancelling keeps the exported ones for next time.
    again.png_radio.setChecked(True)
    again.reject()
    qtbot.waitUntil(lambda: window.findChild(PictureDialog) is None)
    assert open_picture_dialog(qtbot, window).options() == PictureOptions("svg", "graph", 2.5, True)


def test_picture_dialog_ignores_remembered_choices_that_no_longer_fit(qtbot, seed_window):
    seed_window.workspace.settings.picture_choices = {"format": "gif", "scale": 99}
    dialog = open_picture_dialog(qtbot, seed_window)
    assert dialog.options() == PictureOptions()
