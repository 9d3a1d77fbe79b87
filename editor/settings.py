"""The editor's remembered preferences (theme, recent files, last session, layout).

One typed wrapper over ``QSettings`` so keys and value types live in one place,
and so tests can point it at a throw-away ini file instead of the user's real
settings. Nothing here decides anything about graphs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

THEME_CHOICES: tuple[str, ...] = ("system", "light", "dark")


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

    # ----------------------------------------------------------- recent files
    @property
    def recent_files(self) -> list[str]:
        return _string_list(self._qs.value("files/recent", []))

    @recent_files.setter
    def recent_files(self, paths: list[str]) -> None:
        self._qs.setValue("files/recent", list(paths))

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


def _string_list(value: object) -> list[str]:
    """QSettings returns a str for one-element lists in ini files; normalise."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return []
