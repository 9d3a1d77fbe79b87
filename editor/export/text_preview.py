"""A read-only preview of exported text with Copy and Save… (Python, Mermaid).

The user sees exactly the text that will be copied or written: the dialog
holds the string the core produced and never edits it; Save writes it
atomically (temporary file, then rename), so a failed save leaves the old
file, and the error is shown with the path and the reason.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.files import GraphFileError
from core.files.save import atomic_write_text


class TextPreviewDialog(QDialog):
    """Shows ``text`` under a bold ``heading`` and a muted ``hint``; Copy puts it on
    the clipboard, Save… writes it to a file the user picks (``suggested_path``
    first, ``suffix`` added when missing)."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        heading: str,
        hint: str,
        text: str,
        suggested_path: Path,
        file_filter: str,
        suffix: str,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = text
        self.suggested_path = suggested_path
        self.file_filter = file_filter
        self.suffix = suffix
        self.saved_path: Path | None = None

        self.heading = QLabel(heading, self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.heading.font()
        bold.setBold(True)
        self.heading.setFont(bold)
        self.hint = QLabel(hint, self)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.text_view = QPlainTextEdit(self)
        self.text_view.setObjectName("exportText")
        self.text_view.setReadOnly(True)
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10.0))
        self.text_view.setFont(mono)
        self.text_view.setTabStopDistance(4 * self.text_view.fontMetrics().horizontalAdvance(" "))
        self.text_view.setPlainText(text)

        self.status = QLabel(self)
        self.status.setObjectName("exportStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setToolTip("Copy the whole text to the clipboard")
        self.save_button = QPushButton("&Save…", self)
        self.save_button.setToolTip("Save the text to a file")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.close_button.clicked.connect(self.reject)
        self.copy_button.setDefault(True)

        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.text_view, 1)
        layout.addLayout(footer)
        self.resize(880, 660)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text)
        lines = self.text.count("\n")
        self.status.setText(f"Copied {lines} line{'s' if lines != 1 else ''} to the clipboard.")

    def save(self) -> Path | None:
        """Ask where, then write; None when cancelled or when writing failed (shown)."""
        start = str(self.saved_path or self.suggested_path)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, f"Save {self.windowTitle()}", start, self.file_filter
        )
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(self.suffix)
        try:
            atomic_write_text(path, self.text)
        except GraphFileError as exc:
            QMessageBox.critical(
                self,
                "Could not save",
                f"{exc}\n\nNothing was written there. Choose another folder or file name.",
            )
            return None
        self.saved_path = path
        self.status.setText(f"Saved to {path}")
        return path


def safe_file_stem(name: str, fallback: str) -> str:
    """``name`` as a file name that works on every system (graph names may hold
    slashes, colons or spaces)."""
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in name.strip())
    cleaned = cleaned.strip("._")
    return cleaned[:100] or fallback
