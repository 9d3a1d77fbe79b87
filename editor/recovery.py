"""Autosave of unsaved work to recovery files, and finding them again after a crash.

Each open document owns one *slot* in the recovery folder (in the user's data
directory): ``<slot>.graph.json`` holds the unsaved graph, written atomically
through ``core.files`` every few seconds while there are unsaved changes, and
``<slot>.lock.json`` is the marker naming the process that owns it. A clean
save or close removes both. So files whose owner is no longer running were
left by a crash, and the next start offers to restore them; files whose owner
is still running belong to another open editor and are left alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from core.files import GraphFileError, dumps_graph, load_graph
from core.files.save import atomic_write_text
from core.model.graph import Graph
from core.registry import Registry

AUTOSAVE_INTERVAL_MS = 5000
GRAPH_SUFFIX = ".graph.json"
LOCK_SUFFIX = ".lock.json"


def default_recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".synalinks-canvas") / "recovery"


@dataclass(frozen=True)
class RecoveryEntry:
    """Unsaved work left behind by an editor that did not close cleanly."""

    slot: str
    graph_file: Path
    source_path: str | None
    name: str
    saved_at: float

    def load(self, registry: Registry) -> Graph:
        """The unsaved graph; raises GraphFileError when the file is unreadable."""
        return load_graph(self.graph_file, registry)


class RecoverySlot:
    """The recovery files of one open document."""

    def __init__(self, directory: Path, slot: str | None = None) -> None:
        self.directory = directory
        self.slot = slot or uuid.uuid4().hex
        self.graph_file = directory / f"{self.slot}{GRAPH_SUFFIX}"
        self.lock_file = directory / f"{self.slot}{LOCK_SUFFIX}"

    def write(self, graph: Graph, source_path: str | Path | None, name: str) -> None:
        """Write the graph, then the marker; raises GraphFileError (nothing half-written)."""
        text = dumps_graph(graph)  # refuses key-like literals: they never reach the disk
        self.directory.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.graph_file, text)
        marker = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "source_path": str(source_path) if source_path else None,
            "name": name,
            "saved_at": time.time(),
        }
        atomic_write_text(self.lock_file, json.dumps(marker, indent=1) + "\n")

    def exists(self) -> bool:
        return self.graph_file.exists()

    def remove(self) -> None:
        for path in (self.graph_file, self.lock_file):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


class RecoveryStore:
    """The recovery folder: hands out slots and lists what crashed editors left."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_recovery_dir()

    def new_slot(self) -> RecoverySlot:
        return RecoverySlot(self.directory)

    def crashed_entries(self) -> list[RecoveryEntry]:
        """Recovery files whose owning process is gone, newest first."""
        if not self.directory.is_dir():
            return []
        found: list[RecoveryEntry] = []
        for graph_file in self.directory.glob(f"*{GRAPH_SUFFIX}"):
            slot = graph_file.name[: -len(GRAPH_SUFFIX)]
            marker = _read_marker(self.directory / f"{slot}{LOCK_SUFFIX}")
            if marker and _owner_running(marker):
                continue
            found.append(
                RecoveryEntry(
                    slot=slot,
                    graph_file=graph_file,
                    source_path=(marker or {}).get("source_path") or None,
                    name=str((marker or {}).get("name") or slot),
                    saved_at=float((marker or {}).get("saved_at") or graph_file.stat().st_mtime),
                )
            )
        for lock_file in self.directory.glob(f"*{LOCK_SUFFIX}"):  # markers without work
            slot = lock_file.name[: -len(LOCK_SUFFIX)]
            marker = _read_marker(lock_file)
            if not (self.directory / f"{slot}{GRAPH_SUFFIX}").exists() and not (
                marker and _owner_running(marker)
            ):
                with contextlib.suppress(OSError):
                    lock_file.unlink()
        return sorted(found, key=lambda e: e.saved_at, reverse=True)

    def discard(self, entry: RecoveryEntry) -> None:
        RecoverySlot(self.directory, entry.slot).remove()


class Autosaver(QObject):
    """Writes a document's unsaved work to its slot a few seconds after each change.

    The timer only runs while there is something new to write, so an idle
    editor never wakes up. A clean document (just saved, or undone back to the
    saved state) has no recovery file.
    """

    failed = Signal(str)  # why the last autosave could not be written

    def __init__(
        self, document, slot: RecoverySlot, interval_ms: int = AUTOSAVE_INTERVAL_MS
    ) -> None:
        super().__init__(document)
        self.document = document
        self.slot = slot
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.write_now)
        document.graphChanged.connect(self._changed)
        document.cleanChanged.connect(self._clean_changed)
        if document.is_modified:
            self._timer.start()

    def _changed(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _clean_changed(self, clean: bool) -> None:
        if clean:
            self._timer.stop()
            self.slot.remove()
        elif not self._timer.isActive():
            self._timer.start()

    def write_now(self) -> bool:
        """Write the recovery file now if there are unsaved changes, else remove it.

        Returns whether the recovery file now holds the unsaved changes: a graph
        holding a key-like literal is refused here as by saving, and a message
        telling the user the changes are safe in the recovery file would lie."""
        self._timer.stop()
        if not self.document.is_modified:
            self.slot.remove()
            return False
        try:
            self.slot.write(self.document.graph, self.document.path, self.document.display_name())
        except GraphFileError as exc:
            self.failed.emit(f"Autosave skipped: {exc.problem}")
            return False
        return True

    def stop(self) -> None:
        """The document closed cleanly: stop and remove its recovery files."""
        self._timer.stop()
        self.slot.remove()


def _read_marker(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _owner_running(marker: dict) -> bool:
    pid = marker.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if marker.get("host") not in (None, socket.gethostname()):
        return True  # another machine's editor (shared home): not ours to judge
    return process_alive(pid)


def process_alive(pid: int) -> bool:
    """Whether a process with ``pid`` is running (never signals it)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill would terminate it there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))  # type: ignore[attr-defined]
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
