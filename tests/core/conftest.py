"""Fixtures shared by the foundation's tests (tests/core)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.synalinks_runner import require_synalinks_python

SCRIPT = Path(__file__).resolve().parent / "synalinks_reference_script.py"
synalinks_interpreter = require_synalinks_python


@pytest.fixture(scope="session")
def synalinks_reference() -> dict:
    """What real synalinks says about data models, concatenation, module output
    schemas and merge run results: one subprocess per test session (importing
    synalinks takes seconds)."""
    from tests.core.schemas.concat_cases import JSON_CASES, schema_cases

    request = {"json_cases": JSON_CASES, "schema_cases": schema_cases()}
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [str(synalinks_interpreter()), "-I", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=SCRIPT.parent,
    )
    if completed.returncode != 0:
        pytest.fail(
            f"the synalinks reference script failed (exit {completed.returncode}):\n"
            f"{completed.stderr[-4000:]}",
            pytrace=False,
        )
    return json.loads(completed.stdout)
