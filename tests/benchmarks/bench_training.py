"""Training on the Synalinks worker: seconds per epoch, and the overhead over ``fit`` alone.

The chain-of-thought example is trained with RandomFewShot and exact_match on
its dataset, the offline model answering through a loopback endpoint
(:class:`~core.runtime.offline_endpoint.OfflineEndpoint`, no delay):

(a) through :class:`~core.training.Trainer` on a warm worker: export, the
    ``train`` request, a fresh program built in the worker, ``fit`` with the
    streaming callback, every batch's log and every epoch's checkpoint
    written to a run store;
(b) ``program.fit`` called directly under synalinks in its venv on the same
    program and rows (``direct_fit_script.py``; only ``fit`` timed).

The difference (a) - (b) is what Synalinks Canvas adds to a training; the
checkpoint size is what one epoch stores. Nothing reaches beyond 127.0.0.1.

    python -m tests.benchmarks training            # full: 24 rows, 3 epochs
    python -m tests.benchmarks training --quick    # 8 rows, 1 epoch
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

from core.engine import RunOptions  # noqa: E402
from core.export.python_script import export_python  # noqa: E402
from core.files import load_graph  # noqa: E402
from core.registry import default_registry  # noqa: E402
from core.runtime.backend import OfflineAccess  # noqa: E402
from core.runtime.client import WorkerPool  # noqa: E402
from core.runtime.offline_endpoint import OfflineEndpoint  # noqa: E402
from core.store.trainings import TrainingStore  # noqa: E402
from core.training import Trainer, TrainOptions, make_train_plan  # noqa: E402
from core.training.trainer import _module_names  # noqa: E402
from tests.benchmarks.table import print_table  # noqa: E402
from tests.support.synalinks_runner import synalinks_python  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
GRAPH = ROOT / "saved_graphs" / "chain_of_thought.json"
DATA = ROOT / "saved_graphs" / "datasets" / "chain_of_thought.jsonl"
SCRIPT = Path(__file__).with_name("direct_fit_script.py")


async def direct_fit(python: str, request: dict) -> dict:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    process = await asyncio.create_subprocess_exec(
        python,
        "-I",
        str(SCRIPT),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await process.communicate(json.dumps(request).encode())
    if process.returncode != 0:
        raise RuntimeError(err.decode()[-3000:])
    return json.loads(out.decode().strip().splitlines()[-1])


async def through_canvas(python: str, plan, registry, store, pool) -> dict:
    offline = OfflineAccess()
    try:
        await pool.get()  # warm: the worker's start is not training
        marks: list[float] = []
        batches = [0]

        def progress(state):
            if state.kind == "epoch":
                marks.append(time.perf_counter())
            elif state.kind == "batch":
                batches[0] += 1

        options = RunOptions(model_override="offline", offline_delay=0.0)
        trainer = Trainer(registry, store, pool, offline, options)
        start = time.perf_counter()
        outcome = await trainer.run(plan, progress)
        total = time.perf_counter() - start
        if outcome.status != "finished":
            raise RuntimeError(f"training {outcome.status}: {outcome.message}")
        epochs = [b - a for a, b in zip([start, *marks], marks, strict=False)]
        return {"total": total, "epochs": epochs, "batches": batches[0], "outcome": outcome}
    finally:
        await offline.close()


async def measure(python, plan, registry, store, request, quick):
    """Both sides one after the other (quick mode: at once, to stay short)."""
    pool = WorkerPool(python)
    try:
        if quick:
            return await asyncio.gather(
                through_canvas(python, plan, registry, store, pool), direct_fit(python, request)
            )
        ours = await through_canvas(python, plan, registry, store, pool)
        return ours, await direct_fit(python, request)
    finally:
        await pool.close()


def main(quick: bool = False) -> None:
    python = synalinks_python()
    registry = default_registry()
    graph = load_graph(GRAPH, registry)
    options = TrainOptions(
        epochs=1 if quick else 3,
        batch_size=4,
        minibatch_size=2 if quick else 4,
        validation_split=0.25 if quick else 0.2,
        limit=8 if quick else None,
    )
    plan = make_train_plan(graph, registry, DATA, options, model="offline")
    folder = Path(tempfile.mkdtemp())
    store = TrainingStore(folder / "runs.sqlite")
    server = OfflineEndpoint().start_in_thread()
    try:
        request = {
            "source": export_python(graph, registry),
            "api_base": server.api_base(0.0),
            "nodes": _module_names(plan, registry),
            "train": {
                "inputs": [e.inputs for e in plan.train],
                "expected": [e.expected for e in plan.train],
            },
            "validation": {
                "inputs": [e.inputs for e in plan.validation],
                "expected": [e.expected for e in plan.validation],
            },
            "epochs": options.epochs,
            "batch_size": options.batch_size,
            "minibatch_size": options.minibatch_size,
        }
        ours, theirs = asyncio.run(measure(python, plan, registry, store, request, quick))
    finally:
        server.stop_thread()
    checkpoints = store.checkpoints(plan.id)
    size = max(len(json.dumps(c.state)) for c in checkpoints)
    store.close()

    n = len(ours["epochs"])
    side = " (quick: both sides at once, not comparable)" if quick else ""
    print_table(
        f"RandomFewShot on chain_of_thought, offline model on loopback: {len(plan.train)} rows "
        f"to learn from, {len(plan.validation)} to validate on, batch {options.batch_size}, "
        f"{n} epoch(s){side}",
        ["", "total s", "s / epoch (mean)", "batches"],
        [
            ("Trainer (warm worker, store)", ours["total"], ours["total"] / n, ours["batches"]),
            ("program.fit directly", theirs["fit"], theirs["fit"] / n, "-"),
            ("overhead", ours["total"] - theirs["fit"], (ours["total"] - theirs["fit"]) / n, "-"),
        ],
    )
    e = plan.estimate
    print_table(
        "Estimate before starting vs what one training did",
        ["", "program runs", "model calls", "tokens", "checkpoint bytes"],
        [
            ("estimate", e.program_runs, e.model_calls, e.tokens, "-"),
            ("measured", "-", "-", checkpoints[-1].tokens, size),
        ],
    )


if __name__ == "__main__":
    main()
