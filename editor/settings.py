"""The editor's remembered preferences (theme, recent files, last session, layout,
run and export choices).

One typed wrapper over ``QSettings`` so keys and value types live in one place,
and so tests can point it at a throw-away ini file instead of the user's real
settings. Nothing here decides anything about graphs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

THEME_CHOICES: tuple[str, ...] = ("system", "light", "dark")
RUN_MODEL_CHOICES: tuple[str, ...] = ("graph", "offline")
"""Which models a run uses: each node's own (``graph``) or the offline model for all."""
RUN_BACKEND_CHOICES: tuple[str, ...] = ("builtin", "synalinks")
"""What runs a graph: the built-in engine, or the real library in a worker process."""
LAST_INPUTS_KEPT = 30


class Settings:
    """Typed access to the editor's ``QSettings``."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._qs = qsettings if qsettings is not None else QSettings()

    @classmethod
    def at_path(cls, path: str | Path) -> Settings:
        """Settings stored in an ini file of their own (tests, portable use)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def sync(self) -> None:
        self._qs.sync()

    # ------------------------------------------------------------------ theme
    @property
    def theme(self) -> str:
        value = str(self._qs.value("appearance/theme", "system"))
        return value if value in THEME_CHOICES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        if value not in THEME_CHOICES:
            raise ValueError(f"theme must be one of {', '.join(THEME_CHOICES)}, not {value!r}")
        self._qs.setValue("appearance/theme", value)

    # ----------------------------------------------------------------- canvas
    @property
    def snap_to_grid(self) -> bool:
        return str(self._qs.value("canvas/snap_to_grid", "false")).lower() == "true"

    @snap_to_grid.setter
    def snap_to_grid(self, value: bool) -> None:
        self._qs.setValue("canvas/snap_to_grid", "true" if value else "false")

    @property
    def show_previews(self) -> bool:
        """Cards show the run's output over their fields (on unless turned off)."""
        return str(self._qs.value("canvas/show_previews", "true")).lower() == "true"

    @show_previews.setter
    def show_previews(self, value: bool) -> None:
        self._qs.setValue("canvas/show_previews", "true" if value else "false")

    # ----------------------------------------------------------- recent files
    @property
    def recent_files(self) -> list[str]:
        return _string_list(self._qs.value("files/recent", []))

    @recent_files.setter
    def recent_files(self, paths: list[str]) -> None:
        self._qs.setValue("files/recent", list(paths))

    @property
    def last_folder(self) -> str:
        """The folder of the last file chosen in a file dialog ("" before any)."""
        return str(self._qs.value("files/last_folder", "") or "")

    @last_folder.setter
    def last_folder(self, folder: str) -> None:
        self._qs.setValue("files/last_folder", str(folder))

    # ----------------------------------------------------------- last session
    @property
    def last_session_files(self) -> list[str]:
        """Files that were open when the editor last quit (reopened on a bare start)."""
        return _string_list(self._qs.value("session/files", []))

    @last_session_files.setter
    def last_session_files(self, paths: list[str]) -> None:
        self._qs.setValue("session/files", list(paths))

    # ----------------------------------------------------------- window layout
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """Saved ``(geometry, dock state)`` of the main window, if any."""
        geometry = self._qs.value("window/geometry")
        state = self._qs.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)

    # -------------------------------------------------------------------- runs
    @property
    def run_model_choice(self) -> str:
        value = str(self._qs.value("run/models", "graph"))
        return value if _is_model_choice(value) else "graph"

    @run_model_choice.setter
    def run_model_choice(self, value: str) -> None:
        if not _is_model_choice(value):
            raise ValueError(
                f"run models must be one of {', '.join(RUN_MODEL_CHOICES)}, not {value!r}"
            )
        self._qs.setValue("run/models", value)

    @property
    def recent_models(self) -> list[str]:
        """Model strings used for runs lately, most recent first."""
        return _string_list(self._qs.value("run/recentModels", []))

    def remember_model(self, model: str) -> None:
        model = model.strip()
        if model:
            kept = [m for m in self.recent_models if m != model]
            self._qs.setValue("run/recentModels", [model, *kept][:RECENT_MODELS_LIMIT])

    @property
    def synalinks_python(self) -> str:
        """The interpreter chosen for the Synalinks backend; ``""`` lets the editor
        find one (:func:`core.runtime.environment.find_environment`)."""
        return str(self._qs.value("run/synalinks_python", "") or "").strip()

    @synalinks_python.setter
    def synalinks_python(self, value: str) -> None:
        self._qs.setValue("run/synalinks_python", str(value or "").strip())

    def last_run_input(self, graph_key: str) -> Any | None:
        """The input last run for the graph saved at ``graph_key`` (its file path), if any."""
        return self._last_inputs().get(graph_key)

    def set_last_run_input(self, graph_key: str, value: Any) -> None:
        """Remember ``value`` (JSON) for the graph; the oldest of many are forgotten."""
        inputs = self._last_inputs()
        inputs.pop(graph_key, None)
        inputs[graph_key] = value
        kept = dict(list(inputs.items())[-LAST_INPUTS_KEPT:])
        self._qs.setValue("run/last_inputs", json.dumps(kept, ensure_ascii=False))

    # ----------------------------------------------------------------- export
    @property
    def picture_choices(self) -> dict[str, Any]:
        """The picture dialog's last choices (``format``, ``area``, ``scale``,
        ``transparent``); empty until a picture was exported. The dialog checks them."""
        try:
            data = json.loads(str(self._qs.value("export/picture", "{}")))
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    @picture_choices.setter
    def picture_choices(self, value: dict[str, Any]) -> None:
        self._qs.setValue("export/picture", json.dumps(value))

    def _last_inputs(self) -> dict[str, Any]:
        try:
            data = json.loads(str(self._qs.value("run/last_inputs", "{}")))
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    # ---------------------------------------------------------------- backend
    @property
    def run_backend(self) -> str:
        """Which backend runs graphs: the built-in engine (``builtin``) or ``synalinks``."""
        value = str(self._qs.value("run/backend", "builtin"))
        return value if value in RUN_BACKEND_CHOICES else "builtin"

    @run_backend.setter
    def run_backend(self, value: str) -> None:
        if value not in RUN_BACKEND_CHOICES:
            raise ValueError(
                f"run backend must be one of {', '.join(RUN_BACKEND_CHOICES)}, not {value!r}"
            )
        self._qs.setValue("run/backend", value)


def _is_model_choice(value: str) -> bool:
    """``graph``, ``offline``, or ``model:<litellm model string>``."""
    return value in RUN_MODEL_CHOICES or (value.startswith("model:") and bool(value[6:].strip()))


RECENT_MODELS_LIMIT = 6


def _string_list(value: object) -> list[str]:
    """QSettings returns a str for one-element lists in ini files; normalise."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return []
