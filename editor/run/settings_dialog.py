"""The Settings dialog: provider API keys and an optional OpenAI-compatible server
(the Providers tab), and the Python environment the Synalinks backend runs in
(:mod:`editor.run.environment_page`, its own tab).

A key is typed once (hidden as it is typed) and afterwards only ever shown
masked (``••••wxyz``); the field stays empty and typing in it replaces the
stored key. Keys found in the environment (or a ``.env`` file) are shown the
same way, so a person sees which keys a run will have without seeing them.
Saving writes :class:`~editor.run.provider_settings.ProviderSettings` (a
private file in the user's config folder), never a graph file.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.run.environment_page import SynalinksEnvironmentPage
from editor.run.provider_settings import (
    PROVIDERS,
    ProviderSettings,
    ProviderSettingsError,
    mask,
    variable_problem,
)
from editor.settings import Settings


class KeyRow:
    """One variable's key field, its status line and its Forget button."""

    def __init__(self, variable: str, store: ProviderSettings, parent: QWidget) -> None:
        self.variable = variable
        self.store = store
        self.forget_requested = False
        self.edit = QLineEdit(parent)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setClearButtonEnabled(True)
        self.edit.setObjectName(f"key_{variable}")
        self.status = QLabel(parent)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.status.setMinimumWidth(
            self.status.fontMetrics().horizontalAdvance("stored \u2022\u2022\u2022\u2022wxyz") + 8
        )
        self.forget = QPushButton("Forget", parent)
        self.forget.setToolTip(f"Remove the stored {variable}")
        self.forget.clicked.connect(self._forget)
        self.refresh()

    def status_text(self) -> str:
        """``stored ••••wxyz`` / ``from the environment ••••abcd`` / ``not set``."""
        if self.forget_requested:
            return "will be forgotten on Save"
        parts = []
        if self.store.has_key(self.variable):
            parts.append(f"stored {self.store.masked(self.variable)}")
        env = os.environ.get(self.variable, "").strip()
        if env:
            parts.append(f"environment {mask(env)}" + (" (not used)" if parts else ""))
        return " \u00b7 ".join(parts) or "not set"

    def refresh(self) -> None:
        self.status.setText(self.status_text())
        stored = self.store.has_key(self.variable) and not self.forget_requested
        self.edit.setPlaceholderText("type a new key to replace it" if stored else "paste the key")
        self.forget.setEnabled(stored)

    def _forget(self) -> None:
        self.forget_requested = True
        self.edit.clear()
        self.refresh()


class ProviderSettingsDialog(QDialog):
    """``settings`` holds the environment choice; by default the parent window's
    workspace settings (else the user's)."""

    def __init__(
        self,
        store: ProviderSettings,
        parent: QWidget | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("providerSettingsDialog")
        self.setWindowTitle("Settings")
        self.store = store
        self.rows: dict[str, KeyRow] = {}

        keys_box = QGroupBox("Provider API keys", self)
        grid = QGridLayout(keys_box)
        grid.setColumnStretch(2, 1)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        variables = [p.variable for p in PROVIDERS]
        titles = {p.variable: p.title for p in PROVIDERS}
        variables += [v for v in store.variables() if v not in titles]
        for line, variable in enumerate(variables):
            row = KeyRow(variable, store, keys_box)
            name = QLabel(titles.get(variable, "Other"), keys_box)
            var = QLabel(variable, keys_box)
            var.setFont(mono)
            var.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, line, 0)
            grid.addWidget(var, line, 1)
            grid.addWidget(row.edit, line, 2)
            grid.addWidget(row.status, line, 3)
            grid.addWidget(row.forget, line, 4)
            self.rows[variable] = row

        other_box = QGroupBox("Another provider", self)
        other = QHBoxLayout(other_box)
        self.other_variable = QLineEdit(other_box)
        self.other_variable.setPlaceholderText("VARIABLE_NAME, e.g. COHERE_API_KEY")
        self.other_key = QLineEdit(other_box)
        self.other_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.other_key.setPlaceholderText("its key")
        other.addWidget(self.other_variable, 1)
        other.addWidget(self.other_key, 1)

        server_box = QGroupBox("OpenAI-compatible server (optional)", self)
        server = QVBoxLayout(server_box)
        self.api_base = QLineEdit(server_box)
        self.api_base.setPlaceholderText(
            "http://127.0.0.1:8080/v1 (llama.cpp, vLLM, Ollama...); empty: the graph's or the provider's"
        )
        self.api_base.setText(store.api_base or "")
        server.addWidget(self.api_base)

        note = QLabel(
            f"Keys are saved in <code>{store.path}</code>, readable only by you, and never in graph files "
            "or exported code. A key saved here is used over the same variable in the environment; "
            "environment variables and a <code>.env</code> file work too.",
            self,
        )
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        palette = self.error_label.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.BrightText)
        )
        self.error_label.setPalette(palette)
        self.error_label.setText(store.load_problem or "")
        self.error_label.setVisible(bool(store.load_problem))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        providers_tab = QWidget(self)
        providers = QVBoxLayout(providers_tab)
        providers.addWidget(keys_box)
        providers.addWidget(other_box)
        providers.addWidget(server_box)
        providers.addWidget(note)
        providers.addStretch(1)
        self.environment_page = SynalinksEnvironmentPage(
            settings if settings is not None else _settings_of(parent), self
        )
        self.tabs = QTabWidget(self)
        self.tabs.addTab(providers_tab, "Providers")
        self.tabs.addTab(self.environment_page, "Synalinks environment")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(860, self.sizeHint().height())

    def save(self) -> bool:
        """Apply the typed keys, forgets and server, write the file, close. On a
        problem say it and stay open (nothing is written)."""
        other_variable = self.other_variable.text().strip()
        other_key = self.other_key.text().strip()
        if other_key and not other_variable:
            return self._fail("Give the variable name for the other provider's key.")
        if other_variable and (problem := variable_problem(other_variable)):
            return self._fail(problem)
        try:
            self.store.set_api_base(self.api_base.text())
        except ValueError as exc:
            return self._fail(str(exc))
        for variable, row in self.rows.items():
            if row.forget_requested:
                self.store.remove_key(variable)
            typed = row.edit.text().strip()
            if typed:
                self.store.set_key(variable, typed)
            row.edit.clear()
        if other_variable and other_key:
            self.store.set_key(other_variable, other_key)
            self.other_key.clear()
        try:
            self.store.save()
        except ProviderSettingsError as exc:
            self.store.reload()
            return self._fail(str(exc))
        self.accept()
        return True

    def done(self, result: int) -> None:
        """Closing stops an environment creation in progress."""
        self.environment_page.shutdown()
        super().done(result)

    def _fail(self, message: str) -> bool:
        self.error_label.setText(message)
        self.error_label.show()
        return False


def _settings_of(parent: QWidget | None) -> Settings:
    """The workspace settings of the window that opened the dialog, else the user's."""
    workspace = getattr(parent, "workspace", None)
    settings = getattr(workspace, "settings", None)
    return settings if isinstance(settings, Settings) else Settings()
