"""Helpers for tests that drive whole editor windows."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox


def answer_prompts(monkeypatch, button: QMessageBox.StandardButton) -> list[str]:
    """Make the unsaved-changes question answer ``button``; return the questions asked."""
    asked: list[str] = []

    def warning(_parent, title, text, *_args, **_kwargs):
        asked.append(f"{title}: {text}")
        return button

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return asked


def record_errors(monkeypatch) -> list[str]:
    """Record error dialogs (title: text) instead of showing them."""
    shown: list[str] = []

    def critical(_parent, title, text, *_args, **_kwargs):
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    return shown


def save_dialog_answers(monkeypatch, path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def open_dialog_answers(monkeypatch, path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def double_click(qtbot, widget, point: QPoint) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=point)
