"""Run every benchmark (or those named on the command line) and print their tables.

python -m tests.benchmarks            # all, full size
python -m tests.benchmarks engine     # modules whose name contains "engine"
python -m tests.benchmarks --quick    # small sizes (what the test suite runs)
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"


def discover() -> list[str]:
    package = importlib.import_module("tests.benchmarks")
    return sorted(
        f"tests.benchmarks.{m.name}"
        for m in pkgutil.iter_modules(package.__path__)
        if m.name.startswith("bench_")
    )


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    for name in discover():
        if wanted and not any(w in name for w in wanted):
            continue
        print(f"\n=== {name.rsplit('.', 1)[-1]} ===", flush=True)
        started = time.perf_counter()
        code = f"import {name} as m; m.main(quick={quick})"
        result = subprocess.run([sys.executable, "-c", code], check=False)
        if result.returncode != 0:
            print(f"{name} failed (exit {result.returncode})", flush=True)
            return result.returncode
        print(f"({time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
