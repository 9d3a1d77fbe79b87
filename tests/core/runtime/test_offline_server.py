"""An exported script runs offline under the real synalinks through ``offline-server``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.synalinks


def test_an_exported_script_runs_offline_against_the_offline_server(tmp_path, synalinks_python):
    script = tmp_path / "program.py"
    exported = subprocess.run(
        [sys.executable, "-m", "editor.launcher", "export"]
        + [str(ROOT / "saved_graphs" / "parallel_branches.json"), "-o", str(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "editor.launcher", "offline-server"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        first = server.stdout.readline()
        assert first.startswith("offline model at http://127.0.0.1:"), first
        url = first.split(" at ", 1)[1].strip()
        env = {**os.environ, "OPENAI_API_KEY": "anything", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
        env.pop("PYTHONPATH", None)
        ran = subprocess.run(
            [synalinks_python, str(script), "--model", "openai/offline", "--api-base", url],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=300,
            env=env,
        )
    finally:
        server.terminate()
        server.wait(10)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert ran.stdout.count("Offline answer to") == 2  # both branches answered
    assert "branch_1:" in ran.stdout and "branch_2:" in ran.stdout
