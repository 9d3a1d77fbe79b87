"""The Synalinks runtime backend: start-up, per-run overhead, scale, cancel, UI stalls.

The Synalinks backend runs a graph in a worker process that has the real
``synalinks`` library (:mod:`core.runtime`). What that costs the user:

1. **Cold start**: spawn -> ``ready`` (synalinks imported), the wait before
   the first run when the worker was not warmed (spawn -> ``hello`` is the
   interpreter's own start). A bare ``python -I`` importing synalinks is
   timed alongside as the floor. Quick mode reports part 5's start only.
2. **Warm overhead** (goal: at most 20 ms a run more than synalinks alone):
   the same exported program (``core.export.python_script.export_python``)
   run (a) through ``SynalinksBackend.run`` on a warm worker that has it
   cached (validation, export, protocol, hooks, translation into events
   included) and (b) directly under synalinks in its venv (``build_program``
   once, then ``await program(inputs)`` timed). Both sides call the SAME
   model: the offline model served by one
   :class:`~core.runtime.offline_endpoint.OfflineEndpoint` on 127.0.0.1 with
   no delay, as ``openai/offline--x`` (the worker through the run's model
   override and an ``OPENAI_API_KEY`` in its environment, the direct side
   through ``api_key``), so both send identical requests and the difference
   is the backend's own cost. The sides alternate in batches, so both see the
   same machine load; "in the worker" is the worker's own time for the
   program call (hooks included), the rest is export, protocol and events.
   The endpoint runs in a thread of this process, as the editor serves it
   from its own process: during (a) it shares this process with the client.
3. **128 parallel modules**: one Input feeding 128 Generators, each to its
   own Output, on the worker with the offline model: the event stream must
   be complete and in order (RunStarted first, RunFinished last, every node
   queued before started before finished, 128 Generators finished), or the
   benchmark fails.
4. **Cancel latency** (goal: 200 ms): a slow run (offline model with 50 ms a
   token) is cancelled at the first model node's start; the time until
   ``await handle.wait()`` returns, and whether the worker survived (the
   same process answers the next run) rather than being killed.
5. **Editor responsiveness while the worker starts** (goal: the longest
   stall at most 50 ms): in a QApplication on the qasync loop, as in the
   editor, ``WorkerPool.get()`` starts a worker while a 5 ms ``QTimer``
   beats; the longest gap between beats is the longest the UI could not
   react while synalinks imports in the other process.

Nothing reaches beyond 127.0.0.1 (litellm's cost map is read locally).

    python -m tests.benchmarks runtime            # full
    python -m tests.benchmarks runtime --quick    # small (what the test suite runs)
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

from core.engine import RunOptions  # noqa: E402
from core.engine import events as ev  # noqa: E402
from core.export.python_script import export_python  # noqa: E402
from core.files import load_graph  # noqa: E402
from core.model.graph import Graph  # noqa: E402
from core.registry import default_registry  # noqa: E402
from core.runtime import protocol as p  # noqa: E402
from core.runtime.backend import OfflineAccess, SynalinksBackend  # noqa: E402
from core.runtime.client import RuntimeWorker, WorkerPool  # noqa: E402
from core.runtime.offline_endpoint import OfflineEndpoint  # noqa: E402
from tests.benchmarks.table import print_table  # noqa: E402
from tests.support.bench_programs import fan_out_spec, graph_from_spec  # noqa: E402
from tests.support.synalinks_runner import synalinks_python  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MODEL = "openai/offline--x"
"""The model both sides of the overhead comparison call (the offline endpoint's voice ``x``)."""
OVERHEAD_GOAL_MS = 20.0
CANCEL_GOAL_MS = 200.0
STALL_GOAL_MS = 50.0
HEARTBEAT_MS = 5


def ms(seconds: float) -> float:
    return seconds * 1000.0


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def worker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# ------------------------------------------------------------------ programs
def example_graph() -> Graph:
    return load_graph(ROOT / "saved_graphs" / "parallel_branches.json", default_registry())


def fan_out_graph(n: int) -> Graph:
    """One Input, ``n`` Generators on it, each to its own Output."""
    return graph_from_spec(fan_out_spec(n, 0.0), f"fan_out_{n}")


# ------------------------------------------------------------ 1. cold start
class TimedWorker(RuntimeWorker):
    """A worker that notes when its hello (interpreter up) and ready (synalinks
    imported) arrive, to split the cold start in two."""

    def __init__(self, python: str) -> None:
        super().__init__(python)
        self.marks: dict[str, float] = {}

    async def _next_handshake(self) -> Any:
        item = await super()._next_handshake()
        self.marks[type(item).__name__] = time.perf_counter()
        return item


async def cold_start(python: str) -> tuple[float, float]:
    """(spawn -> hello, spawn -> ready) in seconds, for one fresh worker."""
    worker = TimedWorker(python)
    began = time.perf_counter()
    await worker.start()
    ready = time.perf_counter() - began
    hello = worker.marks.get("Hello", began) - began
    await worker.shutdown()
    return hello, ready


def bare_import(python: str) -> float:
    """Spawn -> synalinks imported for a bare interpreter (the floor of a cold
    start; the process exits at once after, as the exit is not part of it)."""
    code = "import os, synalinks; print('ready', flush=True); os._exit(0)"
    began = time.perf_counter()
    process = subprocess.Popen(
        [python, "-I", "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=worker_env(),
        cwd=tempfile.gettempdir(),
    )
    line = process.stdout.readline()  # type: ignore[union-attr]
    took = time.perf_counter() - began
    process.wait()
    if line.strip() != "ready":
        raise RuntimeError(f"synalinks does not import with {python}")
    return took


# ---------------------------------------------------- 2. direct under synalinks
DIRECT_SCRIPT = r"""
import asyncio, json, os, sys, time, types

import synalinks

print(json.dumps({"ready": True}), flush=True)


async def serve():
    programs = {}
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "exit":
            break
        if command["op"] == "build":
            namespace = types.ModuleType("canvas_direct_" + command["name"])
            sys.modules[namespace.__name__] = namespace
            exec(compile(command["source"], "<exported>", "exec"), namespace.__dict__)
            model = synalinks.LanguageModel(
                model=command["model"], api_base=command["api_base"], api_key="offline"
            )
            program = await namespace.build_program(model)
            inputs = [
                synalinks.JsonDataModel(schema=symbolic.get_schema(), json=value)
                for symbolic, value in zip(program.inputs, command["inputs"], strict=True)
            ]
            programs[command["name"]] = (program, inputs if len(inputs) > 1 else inputs[0])
            reply = {"built": command["name"]}
        else:
            program, argument = programs[command["name"]]
            runs = []
            for _ in range(command["repeat"]):
                began = time.perf_counter()
                outputs = await program(argument)
                runs.append(time.perf_counter() - began)
            if not isinstance(outputs, (list, tuple)):
                outputs = [outputs]
            reply = {"run_s": runs, "outputs": [None if o is None else o.get_json() for o in outputs]}
        print(json.dumps(reply), flush=True)


asyncio.run(serve())
os._exit(0)
"""


class DirectSynalinks:
    """The exported programs run by synalinks alone, in its venv: a process that
    imports synalinks, builds each program once and times ``await program(inputs)``
    on request, so its batches interleave with the backend's (both sides see the
    same machine load)."""

    def __init__(self, python: str) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="bench-runtime-")
        script = Path(self.folder.name) / "direct.py"
        script.write_text(DIRECT_SCRIPT)
        self.stderr = open(Path(self.folder.name) / "stderr.txt", "w+")  # noqa: SIM115
        began = time.perf_counter()
        self.process = subprocess.Popen(
            [python, "-I", str(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            env=worker_env(),
            cwd=self.folder.name,  # not the repo root: our `editor` package must not shadow theirs
        )
        self.began = began
        self.ready_s: float | None = None

    def wait_ready(self) -> float:
        """Spawn -> synalinks imported, in seconds (once it is)."""
        if self.ready_s is None:
            self.ask(None)
            self.ready_s = time.perf_counter() - self.began
        return self.ready_s

    def ask(self, command: dict[str, Any] | None) -> dict[str, Any]:
        if command is not None:
            self.process.stdin.write(json.dumps(command) + "\n")  # type: ignore[union-attr]
            self.process.stdin.flush()  # type: ignore[union-attr]
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if not line:
            self.stderr.seek(0)
            raise RuntimeError(
                f"the direct synalinks process failed:\n{self.stderr.read()[-3000:]}"
            )
        return json.loads(line)

    def build(self, name: str, graph: Graph, api_base: str) -> None:
        self.ask(
            {
                "op": "build",
                "name": name,
                "source": export_python(graph, default_registry()),
                "inputs": program_inputs_of(graph),
                "model": MODEL,
                "api_base": api_base,
            }
        )

    def run(self, name: str, repeat: int) -> dict[str, Any]:
        return self.ask({"op": "run", "name": name, "repeat": repeat})

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask({"op": "exit"})
            except (RuntimeError, OSError, ValueError):
                pass
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()
        self.folder.cleanup()


def program_inputs_of(graph: Graph) -> list[Any]:
    """The program's inputs exactly as the backend sends them to the worker."""
    from core.engine.engine import prepare_run
    from core.nodes.program_io import program_inputs

    prepared = prepare_run(graph, default_registry(), None)
    return [prepared.inputs_by_node[n.id] for n in program_inputs(graph)]


class WorkerClock:
    """The worker's own time for each run (``run_result.t``: the program call in
    the worker, hooks included), read as the client routes the message."""

    def __init__(self, worker: RuntimeWorker) -> None:
        self.times: list[float] = []
        route = worker._route

        def noting(message: Any) -> None:
            if isinstance(message, p.RunResult):
                self.times.append(message.t)
            route(message)

        worker._route = noting  # type: ignore[method-assign]


async def time_backend(
    backend: SynalinksBackend, graph: Graph, options: RunOptions, repeat: int
) -> tuple[list[float], Any]:
    """``SynalinksBackend.run`` (validation, export, protocol and events
    included), ``repeat`` times, on a warm worker with the program cached."""
    runs = []
    record = None
    for _ in range(repeat):
        began = time.perf_counter()
        record = await backend.run(graph, None, lambda _e: None, options=options)
        runs.append(time.perf_counter() - began)
        if record.status != "succeeded":
            errors = {r.node_name: r.error for r in record.nodes.values() if r.error}
            raise RuntimeError(f"{graph.meta.name} {record.status} on the worker: {errors}")
    return runs, record


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


# ------------------------------------------------------- 3. 128 parallel modules
def check_events(graph: Graph, events: list[ev.Event], generators: int) -> tuple[bool, str]:
    """Whether the stream is complete and in order; and what is wrong if not."""
    problems = []
    if not events or not isinstance(events[0], ev.RunStarted):
        problems.append("RunStarted is not first")
    if not events or not isinstance(events[-1], ev.RunFinished):
        problems.append("RunFinished is not last")
    elif events[-1].status != "succeeded":
        problems.append(f"run {events[-1].status}")
    position: dict[tuple[str, str], int] = {}
    for index, event in enumerate(events):
        node = getattr(event, "node_id", None)
        if node is not None:
            key = (node, event.kind)
            if key in position:
                problems.append(f"{event.kind} twice for {node}")
            position[key] = index
    for node in graph.nodes.values():
        q = position.get((node.id, "node_queued"))
        s = position.get((node.id, "node_started"))
        f = position.get((node.id, "node_finished"))
        if q is None or s is None or f is None or not q < s < f:
            problems.append(f"{node.name}: queued/started/finished at {q}/{s}/{f}")
    finished = sum(
        1
        for e in events
        if isinstance(e, ev.NodeFinished) and graph.nodes[e.node_id].type == "Generator"
    )
    if finished != generators:
        problems.append(f"{finished} Generators finished, not {generators}")
    clock = [e.elapsed for e in events if hasattr(e, "elapsed")]
    if any(b < a for a, b in zip(clock, clock[1:], strict=False)):
        problems.append("elapsed goes backwards")
    return not problems, "; ".join(problems[:3])


async def parallel_run(backend: SynalinksBackend, n: int, quick: bool) -> dict[str, Any]:
    """The first run (program built in the worker), then (full size) a cached one."""
    graph = fan_out_graph(n)
    options = RunOptions(offline_delay=0)
    result: dict[str, Any] = {"n": n, "ok": True, "why": "", "cached_s": None}
    for attempt in range(1 if quick else 2):
        events: list[ev.Event] = []
        began = time.perf_counter()
        record = await backend.run(graph, None, events.append, options=options)
        took = time.perf_counter() - began
        ok, why = check_events(graph, events, n)
        if attempt == 0:
            result.update(status=record.status, first_s=took, events=len(events))
        else:
            result["cached_s"] = took
        result["ok"] &= ok
        result["why"] = result["why"] or why
    return result


# -------------------------------------------------------------- 4. cancel
async def cancel_once(backend: SynalinksBackend, pool: WorkerPool, graph: Graph) -> dict[str, Any]:
    started = asyncio.Event()

    def listener(event: ev.Event) -> None:
        if isinstance(event, ev.NodeStarted) and event.model:
            started.set()

    handle = backend.start(graph, None, listener, options=RunOptions(offline_delay=0.05))
    await started.wait()
    worker = pool.worker
    pid = worker.pid if worker is not None else None
    began = time.perf_counter()
    handle.cancel()
    record = await handle.wait()
    took = time.perf_counter() - began
    again = await backend.run(graph, None, options=RunOptions(offline_delay=0))
    after = pool.worker.pid if pool.worker is not None else None
    return {
        "took": took,
        "status": record.status,
        "survived": pid is not None and after == pid and again.status == "succeeded",
    }


# -------------------------------------------------- 5. the editor while it starts
def qt_start(python: str, idle_s: float) -> dict[str, float]:
    """Start a worker with ``WorkerPool.get()`` on the qasync loop, as the editor
    does, and record the longest gap between 5 ms timer beats (before, while it
    starts, and idle as the floor)."""
    import qasync
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))

    def longest_gap(since: float, until: float) -> tuple[float, int]:
        window = [b for b in beats if since <= b <= until]
        gaps = [b - a for a, b in zip(window, window[1:], strict=False)]
        return (max(gaps) if gaps else float("nan")), len(window)

    async def scenario() -> dict[str, float]:
        pool = WorkerPool(python)
        heartbeat.start()
        await asyncio.sleep(0.2)  # let the timer settle
        idle_from = time.perf_counter()
        await asyncio.sleep(idle_s)
        idle_to = time.perf_counter()
        began = time.perf_counter()
        worker = await asyncio.ensure_future(pool.get())
        ready = time.perf_counter()
        await asyncio.sleep(0.05)
        heartbeat.stop()
        pid = worker.pid
        await pool.close()
        idle_gap, _ = longest_gap(idle_from, idle_to)
        gap, count = longest_gap(began, ready)
        return {
            "idle_gap": idle_gap,
            "gap": gap,
            "beats": count,
            "ready": ready - began,
            "pid": pid,
        }

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(scenario())
    app.processEvents()
    return result


# ------------------------------------------------------------------ main
async def measure(python: str, programs: dict[str, Graph], quick: bool) -> dict[str, Any]:
    """Parts 1 to 4 on one asyncio loop and one pool (whose first start is one
    more cold-start sample at full size)."""
    results: dict[str, Any] = {"cold": [], "backend": {}, "direct": {}}
    for _ in range(0 if quick else 3):
        results["cold"].append(await cold_start(python))

    endpoint = OfflineEndpoint().start_in_thread()  # the model of part 2, on both sides
    pool = WorkerPool(python)
    pool.configure(python, {"OPENAI_API_KEY": "offline"})  # the endpoint takes any key
    offline = OfflineAccess()  # parts 3 and 4: the offline model, as the editor serves it
    backend = SynalinksBackend(default_registry(), RunOptions(), pool=pool, offline=offline)
    direct = None
    try:
        if quick:
            # Both import synalinks at once (saves seconds); neither is then a
            # clean cold-start sample, so quick mode reports part 5's only.
            direct = DirectSynalinks(python)
            clock = WorkerClock(await pool.get())
            direct.wait_ready()
            results["floor"] = []
        else:
            began = time.perf_counter()
            clock = WorkerClock(await pool.get())
            results["pool_start"] = time.perf_counter() - began
            direct = DirectSynalinks(python)
            results["floor"] = [direct.wait_ready()] + [bare_import(python) for _ in range(2)]

        # 2. warm overhead: batches of the backend and of synalinks alone, alternated.
        override = RunOptions(model_override=MODEL, api_base=endpoint.api_base(0))
        warmup, rounds, batch = (1, 2, 2) if quick else (3, 6, 5)
        for name, graph in programs.items():
            direct.build(name, graph, endpoint.api_base(0))
            direct.run(name, warmup)
            await time_backend(backend, graph, override, warmup)
            ours: list[float] = []
            theirs: list[float] = []
            clock.times.clear()
            for _ in range(rounds):
                runs, record = await time_backend(backend, graph, override, batch)
                ours += runs
                answer = direct.run(name, batch)
                theirs += answer["run_s"]
            began = time.perf_counter()
            prepared = backend.prepare(graph)
            prepare_s = time.perf_counter() - began
            began = time.perf_counter()
            backend.source(prepared.graph)
            export_s = time.perf_counter() - began
            results["backend"][name] = {
                "run_s": ours,
                "worker_s": list(clock.times),
                "outputs": list(record.outputs),
                "prepare_s": prepare_s,
                "export_s": export_s,
            }
            results["direct"][name] = {"run_s": theirs, "outputs": answer["outputs"]}
        direct.close()
        direct = None

        # 3. 128 parallel modules.
        results["parallel"] = await parallel_run(backend, 128, quick)

        # 4. cancel.
        graph = example_graph()
        results["cancel"] = [
            await cancel_once(backend, pool, graph) for _ in range(2 if quick else 5)
        ]
    finally:
        if direct is not None:
            direct.close()
        await pool.close()
        await offline.close()
        endpoint.stop_thread()
    return results


def main(quick: bool = False) -> None:
    python = synalinks_python()
    # 5 first, in a process where nothing else runs yet.
    qt = qt_start(python, idle_s=0.5 if quick else 2.0)
    programs = {"parallel_branches": example_graph(), "fan_out_16": fan_out_graph(16)}
    results = asyncio.run(measure(python, programs, quick))
    report(qt, results, programs)


def report(qt: dict[str, float], results: dict[str, Any], programs: dict[str, Graph]) -> None:
    floor = results["floor"]
    direct = results["direct"]
    # 1. cold start
    rows = []
    for index, (hello, ready) in enumerate(results["cold"], 1):
        rows.append((f"RuntimeWorker.start() #{index}", f"{ms(hello):.0f}", f"{ready:.2f}"))
    readies = [r for _, r in results["cold"]]
    if "pool_start" in results:
        rows.append(("WorkerPool.get() (asyncio loop)", "-", f"{results['pool_start']:.2f}"))
        readies.append(results["pool_start"])
    rows.append(("WorkerPool.get() (qasync loop, part 5)", "-", f"{qt['ready']:.2f}"))
    readies.append(qt["ready"])
    if len(readies) > 1:
        rows.append(("median of the above", "-", f"{statistics.median(readies):.2f}"))
    if floor:
        rows.append(
            (
                f"floor: python -I, import synalinks (median of {len(floor)})",
                "-",
                f"{statistics.median(floor):.2f}",
            )
        )
    print_table(
        "1. Worker cold start: spawn -> ready (synalinks imported)",
        ["start", "spawn -> hello ms", "spawn -> ready s"],
        rows,
    )

    # 2. warm overhead
    rows = []
    for name, graph in programs.items():
        ours, theirs = results["backend"][name], direct[name]
        a, b, w = ours["run_s"], theirs["run_s"], ours["worker_s"]
        diff = ms(statistics.median(a) - statistics.median(b))
        modules = sum(1 for n in graph.nodes.values() if n.type not in ("Input", "Output"))
        rows.append(
            (
                f"{name} ({modules} modules)",
                f"{ms(statistics.median(b)):.1f}",
                f"{ms(p90(b)):.1f}",
                f"{ms(statistics.median(a)):.1f}",
                f"{ms(p90(a)):.1f}",
                f"{diff:+.1f}",
                f"{ms(p90(a) - p90(b)):+.1f}",
                f"{ms(statistics.median(w)):.1f}" if w else "-",
                f"{ms(ours['prepare_s']):.1f} + {ms(ours['export_s']):.1f}",
                yes(canonical(ours["outputs"]) == canonical(theirs["outputs"])),
                yes(diff <= OVERHEAD_GOAL_MS),
            )
        )
    print_table(
        f"2. Warm worker against synalinks alone: the same exported program and model "
        f"({MODEL} on the loopback offline endpoint, no delay), {len(a)} timed runs a side in "
        f"alternating batches after a warm-up (goal: at most {OVERHEAD_GOAL_MS:g} ms more)",
        [
            "program",
            "direct median ms",
            "direct p90 ms",
            "backend median ms",
            "backend p90 ms",
            "difference ms (median)",
            "difference ms (p90)",
            "in the worker median ms",
            "validate + export ms",
            "same outputs",
            "goal met",
        ],
        rows,
    )

    # 3. 128 parallel modules
    par = results["parallel"]
    print_table(
        f"3. {par['n']} parallel Generators (one Input, each to its own Output) on the worker, "
        "offline model without delay",
        [
            "status",
            "first run s (build included)",
            "cached run s",
            "events",
            "complete and in order",
            "problem",
        ],
        [
            (
                par["status"],
                f"{par['first_s']:.2f}",
                "-" if par["cached_s"] is None else f"{par['cached_s']:.2f}",
                par["events"],
                yes(par["ok"]),
                par["why"] or "-",
            )
        ],
    )

    # 4. cancel
    cancels = results["cancel"]
    took = [c["took"] for c in cancels]
    survived = all(c["survived"] for c in cancels)
    statuses = sorted({c["status"] for c in cancels})
    print_table(
        f"4. Cancel latency: parallel_branches with 50 ms a token, cancelled at the first "
        f"model node's start ({len(cancels)} times; goal: {CANCEL_GOAL_MS:g} ms)",
        ["median ms", "max ms", "status", "worker survived (same pid)", "goal met"],
        [
            (
                f"{ms(statistics.median(took)):.1f}",
                f"{ms(max(took)):.1f}",
                ", ".join(statuses),
                yes(survived),
                yes(max(took) <= CANCEL_GOAL_MS / 1000),
            )
        ],
    )

    # 5. editor stall
    print_table(
        f"5. Editor (qasync loop, {HEARTBEAT_MS} ms QTimer) while WorkerPool.get() starts a "
        f"worker (goal: longest stall at most {STALL_GOAL_MS:g} ms)",
        [
            "spawn -> ready s",
            "beats",
            "longest stall ms",
            "idle floor ms",
            "goal met",
        ],
        [
            (
                f"{qt['ready']:.2f}",
                qt["beats"],
                f"{ms(qt['gap']):.1f}",
                f"{ms(qt['idle_gap']):.1f}",
                yes(ms(qt["gap"]) <= STALL_GOAL_MS),
            )
        ],
    )

    if not par["ok"] or par["status"] != "succeeded":
        print(f"\n{par['n']} parallel modules: the event stream is not complete: {par['why']}")
        raise SystemExit(1)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
