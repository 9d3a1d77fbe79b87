"""File → Export → Python…: the exported script, coloured, to copy or save.

The text is exactly what :func:`core.export.export_python` returned; the
dialog only shows it (with :class:`PythonHighlighter` in the window's theme)
and hands it to the clipboard or to an atomic write.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from editor.export.python_highlighter import PythonHighlighter
from editor.export.text_preview import TextPreviewDialog, safe_file_stem
from editor.theme import Theme

PYTHON_FILTER = "Python scripts (*.py);;All files (*)"


class PythonPreviewDialog(TextPreviewDialog):
    def __init__(
        self, parent: QWidget | None, text: str, graph_name: str, folder: Path, theme: Theme
    ) -> None:
        file_name = f"{safe_file_stem(graph_name, 'program')}.py"
        lines = text.count("\n")
        super().__init__(
            parent,
            title="Export to Python",
            heading=f"{graph_name or 'This graph'} as a runnable Synalinks script · {lines} lines",
            hint=(
                f"Run it with:  python {file_name} --model <provider/model>   "
                "(API keys come from the environment or a .env file, never from the script)"
            ),
            text=text,
            suggested_path=folder / file_name,
            file_filter=PYTHON_FILTER,
            suffix=".py",
        )
        self.setObjectName("pythonExportDialog")
        self.highlighter = PythonHighlighter(self.text_view.document(), theme)

    def set_theme(self, theme: Theme) -> None:
        self.highlighter.set_theme(theme)
