"""The toolbar's backend choice for the next run: the built-in engine or Synalinks.

The built-in engine runs in the editor's process and streams every token as
it arrives; the Synalinks backend runs the exported program on the real
library in a worker process (the environment chosen in Settings), reporting
progress module by module. The choice is remembered for the user, like the
model choice: it is about this machine, not the graph.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from editor.settings import Settings

BUILTIN = "builtin"
SYNALINKS = "synalinks"

CHOICES: tuple[tuple[str, str, str], ...] = (
    (
        BUILTIN,
        "Built-in engine (streaming)",
        "Runs the graph in the editor with the built-in engine: tokens stream into the "
        "results as the models write them.",
    ),
    (
        SYNALINKS,
        "Synalinks",
        "Runs the exported program on the real Synalinks library, in a worker process using the "
        "environment chosen in Settings: progress module by module, no token streaming. "
        "The first run starts the worker (a few seconds).",
    ),
)
LABELS = {value: label for value, label, _tip in CHOICES}
SHORT_LABELS = {BUILTIN: "built-in engine", SYNALINKS: "Synalinks"}
"""How a run's backend is named in the Run dialog, the results and the history."""


class BackendSelector(QComboBox):
    """``choiceChanged(str)`` gives ``"builtin"`` or ``"synalinks"``."""

    choiceChanged = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("runBackendSelector")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        for index, (value, label, tip) in enumerate(CHOICES):
            self.addItem(label, value)
            self.setItemData(index, tip, role=Qt.ItemDataRole.ToolTipRole)
        self.setCurrentIndex(max(0, self.findData(settings.run_backend)))
        self.currentIndexChanged.connect(self._changed)
        self._update_tip()

    def choice(self) -> str:
        return str(self.currentData())

    def set_choice(self, value: str) -> None:
        index = self.findData(value)
        if index < 0:
            raise ValueError(f"unknown backend {value!r}; use {BUILTIN!r} or {SYNALINKS!r}")
        self.setCurrentIndex(index)

    def label(self) -> str:
        return SHORT_LABELS[self.choice()]

    def _changed(self, _index: int) -> None:
        self._settings.run_backend = self.choice()
        self._update_tip()
        self.choiceChanged.emit(self.choice())

    def _update_tip(self) -> None:
        tip = next(t for value, _label, t in CHOICES if value == self.choice())
        self.setToolTip(tip)  # no status tip: a hover's message would outlive a new choice
