"""The first run of a session: does it wait for the model library, and do node times show the model?

1. **Run → first token on a fresh editor.** A fresh process starts the editor
   as the app does (window, seed graph, the idle warm-up timer), presses Run
   (the example input, the offline model, through real litellm) after 5 s or
   after 0.5 s, and reports the time to the first token reaching the window,
   with the longest UI stall (a 5 ms heartbeat ``QTimer``) from the graph shown
   to that token: loading litellm in a thread must not freeze the window.
2. **First node time, fresh against warm.** A loopback OpenAI-compatible
   server (``tests/support/openai_server.py``) answers ``openai/test``. The
   model node's reported duration in a fresh ``synalinks-canvas run`` process
   is set against the same call's in a warm process (a second run there).

    python -m tests.benchmarks first_run            # 3 samples each
    python -m tests.benchmarks first_run --quick    # 1 sample each
"""

from __future__ import annotations

import json
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
COT = ROOT / "saved_graphs" / "chain_of_thought.json"
HEARTBEAT_MS = 5


def _editor_child(delay: float) -> None:
    """In a fresh process: start the editor on the seed, press Run after
    ``delay`` s, print one JSON line of measurements, quit."""
    import asyncio

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    from editor.recovery import RecoveryStore
    from editor.run.warmup import start_when_idle
    from editor.settings import Settings
    from editor.workspace import Workspace, open_start_files

    beats: list[float] = []
    heart = QTimer()
    heart.setInterval(HEARTBEAT_MS)
    heart.timeout.connect(lambda: beats.append(time.perf_counter()))
    workspace = Workspace(Settings(), RecoveryStore())
    window = workspace.new_window(deferred=True)
    window.show()
    result: dict[str, float] = {}

    def shown() -> None:
        open_start_files(workspace, window, [str(SEED)])
        result["shown"] = time.perf_counter()
        heart.start()
        start_when_idle(window)
        QTimer.singleShot(int(delay * 1000), press)

    def press() -> None:
        result["pressed"] = time.perf_counter()
        result["litellm_loaded_at_press"] = float("litellm" in sys.modules)
        window.run_controller.start()

    def flushed(_entry, batch) -> None:
        if batch.token_times and "token" not in result:
            result["token"] = min(batch.token_times.values())
            QTimer.singleShot(0, finish)

    def finish() -> None:
        heart.stop()
        window.run_controller.cancel()
        gaps = [b - a for a, b in zip(beats, beats[1:], strict=False)]
        print(
            "first-run "
            + json.dumps(
                {
                    "to_token": result["token"] - result["pressed"],
                    "stall_ms": max(gaps, default=0.0) * 1000,
                    "loaded": result["litellm_loaded_at_press"],
                }
            ),
            flush=True,
        )
        QTimer.singleShot(200, app.quit)

    window.run_controller.flushed.connect(flushed)
    QTimer.singleShot(0, shown)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_forever()
    os._exit(0)  # skip teardown of the warm-up thread and the window


def _sandbox_env(sandbox: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(Path(sandbox) / "config"),
        XDG_DATA_HOME=str(Path(sandbox) / "data"),
        OPENAI_API_KEY="loopback",
    )
    env.pop("LITELLM_LOCAL_MODEL_COST_MAP", None)  # the loader sets it itself
    return env


def editor_first_run(delay: float, env: dict[str, str]) -> dict[str, float]:
    code = f"from tests.benchmarks.bench_first_run import _editor_child; _editor_child({delay})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    for line in result.stdout.splitlines():
        if line.startswith("first-run "):
            return json.loads(line.split(" ", 1)[1])
    raise RuntimeError(f"no measurement (exit {result.returncode}): {result.stderr[-2000:]}")


def _model_node_durations(stdout: str) -> list[float]:
    out = []
    for line in stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("kind") == "node_finished" and event.get("node_name") == "solve":
            out.append(event["duration"])
    return out


def fresh_cli_node_time(base_url: str, env: dict[str, str]) -> float:
    command = [sys.executable, "-m", "core.cli", "run", str(COT)]
    script = Path(sys.executable).parent / "synalinks-canvas"
    if script.exists():
        command = [str(script), "run", str(COT)]
    query = json.dumps({"problem": f"fresh {time.time_ns()}"})  # never a cached answer
    command += ["--model", "openai/test", "--api-base", base_url, "--json", "--input", query]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    durations = _model_node_durations(result.stdout)
    if not durations:
        raise RuntimeError(f"no node time (exit {result.returncode}): {result.stderr[-2000:]}")
    return durations[0]


def warm_node_times(base_url: str, runs: int) -> list[float]:
    """The same call in one process, after a first run: what the model costs."""
    import asyncio

    from core.engine import Engine, RunOptions
    from core.files import load_graph
    from core.registry import default_registry

    registry = default_registry()
    graph = load_graph(COT, registry)
    engine = Engine(registry, RunOptions(model_override="openai/test", api_base=base_url))
    times: list[float] = []

    async def go() -> None:
        for k in range(runs + 1):
            seen: list[float] = []

            def listen(event, seen=seen) -> None:
                if event.kind == "node_finished" and event.node_name == "solve":
                    seen.append(event.duration)

            await engine.run(graph, {"problem": f"warm {time.time_ns()}"}, listen)
            if k:  # the first run of this process is the fresh case, measured apart
                times.extend(seen)

    asyncio.run(go())
    return times


def main(quick: bool = False) -> None:
    samples = 1 if quick else 3
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-first-run-") as sandbox:
        env = _sandbox_env(sandbox)
        for delay in (5.0, 0.5):
            runs = [editor_first_run(delay, env) for _ in range(samples)]
            rows.append(
                (
                    f"Run pressed {delay:g} s after the graph showed",
                    statistics.median(r["to_token"] for r in runs),
                    max(r["to_token"] for r in runs),
                    max(r["stall_ms"] for r in runs),
                    "yes" if all(r["loaded"] for r in runs) else "no",
                )
            )
    print_table(
        f"fresh editor, seed graph, offline model through litellm ({samples} sample(s) each)",
        ["case", "Run → first token (s), median", "max", "longest UI stall (ms)", "litellm loaded"],
        rows,
    )

    from tests.support.openai_server import OpenAIServer

    os.environ["OPENAI_API_KEY"] = "loopback"
    with tempfile.TemporaryDirectory(prefix="bench-first-run-") as sandbox:
        env = _sandbox_env(sandbox)
        with OpenAIServer().in_thread() as server:
            fresh = [fresh_cli_node_time(server.base_url, env) for _ in range(samples)]
            warm = warm_node_times(server.base_url, max(3, samples))
    print_table(
        "the model node's time on a loopback server (openai/test, chain_of_thought), seconds",
        ["process", "median", "min", "max"],
        [
            ("fresh `synalinks-canvas run`", statistics.median(fresh), min(fresh), max(fresh)),
            ("warm (later runs, same process)", statistics.median(warm), min(warm), max(warm)),
        ],
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
