"""Where the run store lives unless the caller says otherwise."""

from __future__ import annotations

from pathlib import Path

STORE_FILE = "runs.sqlite"


def default_store_path() -> Path:
    """``runs.sqlite`` in the user's data folder (``SYNALINKS_CANVAS_DATA_DIR``
    overrides it): the editor and the command line share it, so a graph run in
    one finds the other's cached results."""
    from core.runtime.environment import data_dir

    return data_dir() / STORE_FILE
