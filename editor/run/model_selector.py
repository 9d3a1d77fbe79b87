"""The toolbar's model choice for the next run: the graph's own models, or the
offline model for every node (``RunOptions.model_override``).

The offline choice runs any graph without keys or network, which is how a
person tries a graph that names a real provider before setting a key. The
choice is remembered for the user (not stored in the graph: it is about this
machine, not the program). Importing this module does not load the engine.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from editor.settings import Settings

OFFLINE_MODEL = "offline"
"""The engine's built-in model (``core.engine.OFFLINE_MODEL``; a test keeps them equal)."""

CHOICES: tuple[tuple[str, str], ...] = (
    ("graph", "Graph's models"),
    ("offline", "Offline model for all nodes"),
)


class ModelSelector(QComboBox):
    """``choiceChanged(str)`` gives ``"graph"`` or ``"offline"``."""

    choiceChanged = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._graph_default = ""
        self.setObjectName("runModelSelector")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        for value, label in CHOICES:
            self.addItem(label, value)
        self.setCurrentIndex(self.findData(settings.run_model_choice))
        self.currentIndexChanged.connect(self._changed)
        self._update_tip()

    def choice(self) -> str:
        return str(self.currentData())

    def set_choice(self, value: str) -> None:
        index = self.findData(value)
        if index < 0:
            raise ValueError(f"unknown model choice {value!r}; use 'graph' or 'offline'")
        self.setCurrentIndex(index)

    def model_override(self) -> str | None:
        """What ``RunOptions.model_override`` gets: None keeps each node's model."""
        return OFFLINE_MODEL if self.choice() == "offline" else None

    def label(self) -> str:
        """How a run's models are described in the results and the history."""
        if self.choice() == "offline":
            return "offline (all nodes)"
        return f"graph's own ({self._graph_default})" if self._graph_default else "graph's own"

    def set_graph_default(self, model: str) -> None:
        """Show the graph's default model in the first item (``Graph's models: gpt-4o``)."""
        self._graph_default = (model or "").strip()
        text = CHOICES[0][1] + (f": {self._graph_default}" if self._graph_default else "")
        self.setItemText(0, text)
        self._update_tip()

    def _changed(self, _index: int) -> None:
        self._settings.run_model_choice = self.choice()
        self._update_tip()
        self.choiceChanged.emit(self.choice())

    def _update_tip(self) -> None:
        if self.choice() == "offline":
            tip = (
                "The next run uses the built-in offline model for every node: no key, no network, "
                "answers derived from the input."
            )
        else:
            tip = (
                "The next run uses each node's model (or the graph's default"
                + (f", {self._graph_default}" if self._graph_default else "")
                + "). Keys: Settings…"
            )
        self.setToolTip(tip)
        self.setStatusTip(tip)
