"""Fixtures shared by the foundation's tests (tests/core)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "synalinks_reference_script.py"
ENV_VAR = "SYNALINKS_CANVAS_SYNALINKS_PYTHON"


def synalinks_interpreter() -> Path:
    """The Python with the real synalinks; a missing one FAILS the test (never skips)."""
    configured = os.environ.get(ENV_VAR)
    path = Path(configured) if configured else REPO / ".venv-synalinks" / "bin" / "python"
    if not path.exists():
        pytest.fail(
            f"no Python with the real synalinks at {path}: run `make synalinks-venv` "
            f"(or set {ENV_VAR} to an interpreter that has synalinks 0.10.x)",
            pytrace=False,
        )
    return path


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
