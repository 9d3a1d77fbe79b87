"""Shared set-up for the editor's evaluation tests: a window on a copy of the seed
graph with its dataset beside it, a run store of its own, and the offline model
answering in-process (no litellm), a little slowly when a test needs time."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from core.engine.offline_model import OfflineModelClient

ROOT = Path(__file__).resolve().parents[3]
SEED_DATA = ROOT / "saved_graphs" / "datasets" / "parallel_branches.csv"


def eval_window(qtbot, workspace, tmp_path: Path, providers, latency: float = 0.0):
    graph = tmp_path / "parallel_branches.json"
    shutil.copy(ROOT / "saved_graphs" / "parallel_branches.json", graph)
    (tmp_path / "datasets").mkdir(exist_ok=True)
    shutil.copy(SEED_DATA, tmp_path / "datasets" / "parallel_branches.csv")
    window = workspace.open_window_for(graph)
    qtbot.waitExposed(window)
    controller = window.run_controller
    controller.providers = providers
    controller.option_overrides = {"offline_delay": 0.0, "transient_retries": 0}
    controller.cache_toggle.action.setChecked(False)
    controller.model_client_factory = lambda _keys: OfflineModelClient(latency=latency)
    evaluation = window.evaluation
    evaluation.store_path = tmp_path / "runs.sqlite"
    assert not evaluation.panel_built  # nothing of it is built or read before it is used
    evaluation.set_document(window.document)  # read the store at the test's path
    evaluation.panel  # noqa: B018 (as when the dock is first shown)
    return window


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def wait_evaluated(qtbot, window, timeout: int = 30_000) -> None:
    evaluation = window.evaluation
    qtbot.waitUntil(lambda: not evaluation.running and evaluation.settled, timeout=timeout)
