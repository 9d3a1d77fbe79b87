"""The canvas of an open subgraph definition.

It is the ordinary :class:`~editor.canvas.view.CanvasView` on a
:class:`~editor.subgraphs.definition_document.DefinitionDocument`, with two
differences: Backspace with nothing selected goes back up a level, and the
run hooks also accept the ids runs give inner nodes (``outer/inner``, the
``prefix`` being the path of Subgraph nodes this definition was opened
through), so the run painter paints a run's inner nodes on it unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from editor.canvas.view import CanvasView
from editor.subgraphs.definition_document import DefinitionDocument
from editor.theme import Theme


class DefinitionCanvas(CanvasView):
    upRequested = Signal()

    def __init__(
        self,
        document: DefinitionDocument,
        theme: Theme,
        prefix: str,
        node_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(document, theme, parent)  # type: ignore[arg-type]
        self.prefix = prefix  # "outer" or "outer/inner": where runs put this level's nodes
        self.opened_from = node_id  # the Subgraph node of the parent level

    def local_id(self, node_id: str) -> str:
        """``node_id`` as this canvas knows it (a run's ``prefix/inner`` id made ``inner``)."""
        head = self.prefix + "/"
        if node_id.startswith(head) and "/" not in node_id[len(head) :]:
            return node_id[len(head) :]
        return node_id

    def run_id(self, node_id: str) -> str:
        """The id a run gives this canvas's node ``node_id``."""
        return f"{self.prefix}/{node_id}"

    # Runs address inner nodes by path; the canvas by their own id.
    def node_item(self, node_id: str):
        return super().node_item(self.local_id(node_id))

    def set_node_run_state(self, node_id: str, *args, **kwargs) -> None:
        super().set_node_run_state(self.local_id(node_id), *args, **kwargs)

    def set_node_preview(self, node_id: str, value, live: bool = False) -> None:
        super().set_node_preview(self.local_id(node_id), value, live)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if (
            event.key() == Qt.Key.Key_Backspace
            and not event.modifiers()
            and not self.selected_node_ids()
            and not self.selected_edge_ids()
        ):
            self.upRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
