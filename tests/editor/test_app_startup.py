"""Start-up as a user runs it: ``synalinks-canvas FILE`` in a fresh process shows
the window before reading the graph, and never loads the language-model stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from editor.workspace import start_files

ROOT = Path(__file__).resolve().parents[2]


def test_the_window_comes_up_then_the_graph_without_litellm(tmp_path, seed_path):
    env = dict(os.environ)
    env.update(
        SYNALINKS_CANVAS_STARTUP_PROBE="exit",
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "editor.launcher", str(seed_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    probes = [
        line.split()[1:] for line in result.stderr.splitlines() if line.startswith("startup-probe")
    ]
    milestones = [p[0] for p in probes]
    assert milestones == ["imports-done", "window-exposed", "graph-shown", "heavy-modules"]
    assert probes[-1][1] == "-"  # neither litellm nor core.engine was imported
    recent = (tmp_path / "config" / "Synalinks" / "Synalinks Canvas.conf").read_text()
    assert "parallel_branches.json" in recent  # the file joined the recent list


def test_a_bare_start_reopens_the_last_session(workspace, settings, seed_path, tmp_path):
    gone = tmp_path / "deleted.json"
    settings.last_session_files = [str(seed_path), str(gone)]
    assert start_files(workspace, []) == [str(seed_path)]
    assert start_files(workspace, ["other.json"]) == ["other.json"]
    settings.last_session_files = []
    assert start_files(workspace, []) == []  # a new graph
