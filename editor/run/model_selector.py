"""The toolbar's model choice for the next run, with each choice's key status.

It offers the graph's own models, the offline model for every node, the
models used lately (remembered in Settings) and any litellm model string typed
in ("Other model…"), each labelled with its provider's key status (found,
and where; missing, and which variable) so a missing key shows before Run,
never the key itself. A model other than the graph's runs every node
(``RunOptions.model_override``).

The offline choice runs any graph without keys or network, which is how a
person tries a graph that names a real provider before setting a key. The
choice is remembered for the user (not stored in the graph: it is about this
machine, not the program). Importing this module does not load the engine.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QSizePolicy, QWidget

from core.validation.model_keys import KeyLookup, key_status
from editor.settings import Settings

OFFLINE_MODEL = "offline"
"""The engine's built-in model (``core.engine.OFFLINE_MODEL``; a test keeps them equal)."""

CHOICES: tuple[tuple[str, str], ...] = (
    ("graph", "Graph's models"),
    ("offline", "Offline model for all nodes"),
)
OTHER = "other"
MODEL_PREFIX = "model:"
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _no_keys(_variable: str) -> str | None:
    return None


class ModelSelector(QComboBox):
    """``choiceChanged(str)`` gives ``"graph"``, ``"offline"`` or ``"model:<name>"``."""

    choiceChanged = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._graph_default = ""
        self._graph_api_base: str | None = None
        self._lookup: KeyLookup = _no_keys
        self._last = settings.run_model_choice
        self.setObjectName("runModelSelector")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._fill(self._last)
        self.currentIndexChanged.connect(self._changed)

    # ------------------------------------------------------------ choices
    def choice(self) -> str:
        return str(self.currentData())

    def set_choice(self, value: str) -> None:
        if value.startswith(MODEL_PREFIX) and value[len(MODEL_PREFIX) :].strip():
            self._settings.remember_model(value[len(MODEL_PREFIX) :].strip())
            self._fill(value)
            self._changed(self.currentIndex())
            return
        index = self.findData(value)
        if index < 0:
            raise ValueError(
                f"unknown model choice {value!r}; use 'graph', 'offline' or 'model:<name>'"
            )
        self.setCurrentIndex(index)

    def model_override(self) -> str | None:
        """What ``RunOptions.model_override`` gets: None keeps each node's model."""
        choice = self.choice()
        if choice == "offline":
            return OFFLINE_MODEL
        if choice.startswith(MODEL_PREFIX):
            return choice[len(MODEL_PREFIX) :]
        return None

    def label(self) -> str:
        """How a run's models are described in the results and the history."""
        override = self.model_override()
        if override == OFFLINE_MODEL:
            return "offline (all nodes)"
        if override:
            return f"{override} (all nodes)"
        return f"graph's own ({self._graph_default})" if self._graph_default else "graph's own"

    def set_graph_default(self, model: str, api_base: str | None = None) -> None:
        """Show the graph's default model in the first item (``Graph's models: gpt-4o``)."""
        self._graph_default = (model or "").strip()
        self._graph_api_base = api_base
        self._relabel()

    def set_key_lookup(self, lookup: KeyLookup) -> None:
        """Where keys are found (settings, environment, .env); relabels the choices."""
        self._lookup = lookup
        self._relabel()

    def key_label(self, value: str) -> str:
        """The key status of choice ``value``: ``key found (settings)``, ``key missing: X``."""
        if value == "graph":
            if not self._graph_default:
                return ""
            return key_status(self._graph_default, self._lookup, self._graph_api_base).label()
        if value == "offline":
            return "no key needed"
        if value.startswith(MODEL_PREFIX):
            return key_status(value[len(MODEL_PREFIX) :], self._lookup).label()
        return ""

    # ------------------------------------------------------------- items
    def _fill(self, current: str) -> None:
        self.blockSignals(True)
        self.clear()
        for value, label in CHOICES:
            self.addItem(label, value)
        for model in self._settings.recent_models:
            self.addItem(model, MODEL_PREFIX + model)
        self.addItem("Other model…", OTHER)
        index = self.findData(current)
        self.setCurrentIndex(index if index >= 0 else 0)
        self.blockSignals(False)
        self._relabel()

    def _relabel(self) -> None:
        for index in range(self.count()):
            value = str(self.itemData(index))
            if value == OTHER:
                self.setItemData(index, "Type any litellm model string", TOOLTIP)
                continue
            if value == "graph":
                base = CHOICES[0][1] + (f": {self._graph_default}" if self._graph_default else "")
            elif value == "offline":
                base = CHOICES[1][1]
            else:
                base = value[len(MODEL_PREFIX) :]
            status = self.key_label(value)
            # The mark leads, so a narrow toolbar still shows a missing key.
            mark = "⚠ " if "missing" in status else ("✓ " if "found" in status else "")
            # "no key needed" stays in the tooltip: the toolbar is narrow.
            self.setItemText(index, f"{mark}{base} — {status}" if mark else base)
            self.setItemData(index, status, TOOLTIP)
        self._update_tip()

    def _changed(self, _index: int) -> None:
        if self.choice() == OTHER:
            self._ask_model()
            return
        self._last = self.choice()
        if self._last.startswith(MODEL_PREFIX):
            self._settings.remember_model(self._last[len(MODEL_PREFIX) :])
        self._settings.run_model_choice = self._last
        self._update_tip()
        self.choiceChanged.emit(self._last)

    def ask_model(self) -> tuple[str, bool]:
        """Ask for a model string (a dialog; tests replace it)."""
        return QInputDialog.getText(
            self,
            "Run with another model",
            "A litellm model string, e.g. openai/gpt-4o-mini or anthropic/claude-3-5-haiku-latest:",
        )

    def _ask_model(self) -> None:
        text, ok = self.ask_model()
        model = text.strip()
        if ok and model:
            self.set_choice(MODEL_PREFIX + model)
        else:
            self.blockSignals(True)
            index = self.findData(self._last)
            self.setCurrentIndex(index if index >= 0 else 0)
            self.blockSignals(False)

    def _update_tip(self) -> None:
        choice = self.choice()
        if choice == "offline":
            tip = (
                "The next run uses the built-in offline model for every node: no key, no network, "
                "answers derived from the input."
            )
        elif choice.startswith(MODEL_PREFIX):
            tip = (
                f"The next run uses {choice[len(MODEL_PREFIX) :]} for every node "
                f"({self.key_label(choice)}). Keys: Settings…"
            )
        else:
            tip = (
                "The next run uses each node's model (or the graph's default"
                + (f", {self._graph_default}" if self._graph_default else "")
                + "). Keys: Settings…"
            )
        self.setToolTip(tip)
        self.setStatusTip(tip)
