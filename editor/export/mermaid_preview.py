"""File → Export → Mermaid…: the graph as Mermaid text, to copy or save.

The seed lesson draws programs as Mermaid diagrams; this gives the same kind
of picture as text a Markdown page (```mermaid fences) or mermaid.live can
draw. The text is exactly :func:`core.export.export_mermaid`'s.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from editor.export.text_preview import TextPreviewDialog, safe_file_stem

MERMAID_FILTER = "Mermaid diagrams (*.mmd);;All files (*)"


class MermaidPreviewDialog(TextPreviewDialog):
    def __init__(self, parent: QWidget | None, text: str, graph_name: str, folder: Path) -> None:
        super().__init__(
            parent,
            title="Export to Mermaid",
            heading=f"{graph_name or 'This graph'} as a Mermaid flowchart",
            hint=(
                "Paste it into a Markdown file between ```mermaid fences, or into mermaid.live, "
                "to draw it."
            ),
            text=text,
            suggested_path=folder / f"{safe_file_stem(graph_name, 'graph')}.mmd",
            file_filter=MERMAID_FILTER,
            suffix=".mmd",
        )
        self.setObjectName("mermaidExportDialog")
        self.resize(760, 520)  # a Mermaid text is short
