"""The interpreter with the real synalinks, and one batch run of exported scripts in it.

synalinks lives in its own venv (.venv-synalinks: it depends on a PyPI package
named ``editor`` that would shadow ours), so exported scripts run in a
subprocess. Importing synalinks costs several seconds, so every script of a
test session goes through one subprocess (``synalinks_runner.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.synalinks_runner import require_synalinks_python

RUNNER = Path(__file__).resolve().parent / "synalinks_runner.py"
synalinks_python = require_synalinks_python


def run_batch(scripts: list[dict], workdir: Path, timeout: float = 900) -> list[dict]:
    """Run each ``{"path", "run"}`` script under real synalinks; one report each, in order."""
    request = workdir / "request.json"
    request.write_text(json.dumps({"scripts": scripts}))
    env = {
        **os.environ,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_PROXY": "*",
    }
    env.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [str(synalinks_python()), str(RUNNER), str(request)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=workdir,
        env=env,
    )
    if completed.returncode != 0:
        pytest.fail(
            f"the synalinks runner failed (exit {completed.returncode}):\n{completed.stderr[-4000:]}",
            pytrace=False,
        )
    reports = json.loads(completed.stdout)
    assert len(reports) == len(scripts)
    return reports
