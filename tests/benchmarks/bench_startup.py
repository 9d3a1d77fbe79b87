"""Start-up time: from launching ``synalinks-canvas FILE`` to the window on screen.

Each run starts a fresh process with ``SYNALINKS_CANVAS_STARTUP_PROBE=exit``:
the app prints the wall-clock time of its milestones (imports done, window
exposed, graph shown) and quits. Times are measured from just before the
process is spawned, so interpreter start-up and the console script count. A
bare ``python -c pass`` is timed alongside as the floor. Settings and the
recovery folder point at a throw-away directory so the user's are untouched.

    python -m tests.benchmarks startup            # 7 runs
    python -m tests.benchmarks startup --quick    # 2 runs
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.table import print_table

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "saved_graphs" / "parallel_branches.json"
MILESTONES = ("imports-done", "window-exposed", "graph-shown")


def _command() -> list[str]:
    script = Path(sys.executable).parent / "synalinks-canvas"
    if script.exists():
        return [str(script), str(SEED)]
    return [sys.executable, "-m", "editor.launcher", str(SEED)]


def run_once(env: dict[str, str]) -> tuple[dict[str, float], str]:
    """Milestone -> seconds since spawn, and the heavy modules the app had loaded."""
    started = time.time()
    result = subprocess.run(
        _command(), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"synalinks-canvas exited with {result.returncode}: {result.stderr[-2000:]}"
        )
    times: dict[str, float] = {}
    heavy = "?"
    for line in result.stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "startup-probe":
            if parts[1] == "heavy-modules":
                heavy = parts[2]
            else:
                times[parts[1]] = float(parts[2]) - started
    missing = [m for m in MILESTONES if m not in times]
    if missing:
        raise RuntimeError(f"no probe for {missing}; stderr: {result.stderr[-2000:]}")
    return times, heavy


def bare_python() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def main(quick: bool = False) -> None:
    runs = 2 if quick else 7
    with tempfile.TemporaryDirectory(prefix="canvas-startup-") as sandbox:
        env = dict(os.environ)
        env["SYNALINKS_CANVAS_STARTUP_PROBE"] = "exit"
        env["XDG_CONFIG_HOME"] = str(Path(sandbox) / "config")
        env["XDG_DATA_HOME"] = str(Path(sandbox) / "data")
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        run_once(env)  # warm the file cache; not counted
        samples = [run_once(env) for _ in range(runs)]
    floor = statistics.median(bare_python() for _ in range(runs))
    rows = []
    for milestone in MILESTONES:
        values = [s[milestone] for s, _ in samples]
        rows.append((milestone, statistics.median(values), min(values), max(values)))
    exposed = statistics.median(s["window-exposed"] for s, _ in samples)
    imports = statistics.median(s["imports-done"] for s, _ in samples)
    rows.append(("bare `python -c pass`", floor, floor, floor))
    print_table(
        f"synalinks-canvas start-up, {runs} runs, platform {env['QT_QPA_PLATFORM']} (seconds since spawn)",
        ["milestone", "median", "min", "max"],
        rows,
    )
    heavy = sorted({h for _, h in samples})
    print_table(
        "where the time to the window goes (medians)",
        ["part", "seconds", "share of time to window"],
        [
            ("interpreter start", floor, f"{floor / exposed:.0%}"),
            ("imports (Qt, core, editor)", imports - floor, f"{(imports - floor) / exposed:.0%}"),
            ("window built and exposed", exposed - imports, f"{(exposed - imports) / exposed:.0%}"),
            ("language-model modules loaded", ", ".join(heavy), "(must be '-': none)"),
        ],
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
