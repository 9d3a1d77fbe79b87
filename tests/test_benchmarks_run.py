"""Every benchmark still runs (at small sizes), so ``make bench`` cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.__main__ import discover

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", discover())
def test_benchmark_runs_quick(module):
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", "--quick", module.rsplit(".", 1)[-1]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "===" in result.stdout and "|" in result.stdout, "a benchmark must print a table"
