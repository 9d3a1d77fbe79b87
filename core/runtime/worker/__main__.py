"""The synalinks runtime worker: runs graphs on the real synalinks library.

This folder is a standalone program started by Synalinks Canvas in a Python
environment that has ``synalinks`` 0.10 (``python -I path/to/worker``, which
runs this file with the folder on ``sys.path``). Its files import only the
standard library, synalinks and each other, never the editor's own packages,
because they run in the user's environment, not the editor's.

Protocol: one JSON object per line. The worker writes to the file descriptor
that was stdout when it started; everything else that prints (the user's
code, synalinks' own logs) goes to stderr, so a stray ``print`` can never
corrupt the protocol. Messages (``type``):

worker -> client
    ``hello``      protocol, python, pid (at once, before synalinks loads)
    ``ready``      synalinks version, capabilities (synalinks imported)
    ``fatal``      message (the worker cannot go on: synalinks missing, ...)
    ``built``      id, modules [{name, class, output_schema}]  (reply to build)
    ``module_started`` / ``module_finished`` / ``module_failed``  id, module, t, ...
    ``run_result`` id, outputs (program order), t
    ``saved``      id, path  (reply to save)
    ``scores``     id, results  (reply to score)
    ``knowledge_rows``  id, rows  (reply to knowledge_search)
    ``train_batch`` id, epoch, batch, logs, tokens, cost, t  (while training)
    ``train_epoch`` id, epoch, logs, state (trainable state tree), tokens, cost, t
    ``train_result`` id, epochs, stopped (why it stopped early, or null), t
    ``cancelled``  id
    ``error``      id, stage, message, traceback
client -> worker
    ``build``      id, source, models       (build the program, report its modules)
    ``run``        id, source, models, inputs, nodes
    ``save``       id, source, path          (build the program, ``program.save(path)``)
    ``score``      id, rewards, pairs, schema, models  (Synalinks rewards on pairs)
    ``knowledge_search``  id, path, table, query, search_type, k, embedding, metric, offline
                   (one of Synalinks' five searches over a DuckDB knowledge base)
    ``train``      id, source, models, nodes, train, validation | validation_split,
                   output_index, rewards, optimizer, epochs, batch_size, early_stopping,
                   budget  (``program.compile`` + ``program.fit`` on a fresh program)
    ``cancel``     id
    ``shutdown``

The program is built by the exporter's own script (``build_program``), so
what runs here is exactly what Synalinks Canvas exports. Programs are cached
by source and model settings, so a second run of an unchanged graph pays no
build. API keys reach this process through its environment only.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import traceback

from catalogue import describe_modules
from channel import as_json, claim_stdout, send, write_raw
from knowledge import guard_extension_downloads, release, reopen
from knowledge import search as search_knowledge
from observe import _RUN, RunState, capture_warnings
from programs import Programs, program_line
from rewards import Rewards
from saved import save_program
from training import train_program
from user_code import PRELOADED, describe_tools

PROTOCOL_VERSION = 1
CAPABILITIES = (
    "build",
    "run",
    "cancel",
    "catalogue",
    "tools",
    "save",
    "knowledge_search",
    "score",
    "train",
)
HANG_FOR_TESTS = "SYNALINKS_CANVAS_WORKER_TEST_HANG"


class Worker(Programs):
    """Answers requests: each is a task, so a run can be cancelled while it goes."""

    def __init__(self) -> None:
        super().__init__()
        self.tasks: dict[str, asyncio.Task] = {}
        self.runs: dict[str, RunState] = {}
        self.scorer: Rewards | None = None

    async def build(self, message: dict) -> None:
        nodes = set(message.get("nodes") or ())
        program = await self.program_for(
            message["source"],
            message.get("models") or {},
            nodes,
            message.get("paths") or [],
            message.get("folder"),
        )
        outputs = program.outputs if isinstance(program.outputs, list) else [program.outputs]
        send(
            {
                "type": "built",
                "id": message["id"],
                "program": program.name,
                "modules": self.describe_program(program),
                "output_schemas": [o.get_schema() for o in outputs],
            }
        )

    async def run(self, message: dict) -> None:
        nodes = set(message.get("nodes") or ())
        known = len(self.programs)
        program = await self.program_for(
            message["source"],
            message.get("models") or {},
            nodes,
            message.get("paths") or [],
            message.get("folder"),
        )
        if len(self.programs) != known or not getattr(program, "_canvas_described", False):
            program._canvas_described = True
            send(
                {"type": "modules", "id": message["id"], "modules": self.describe_program(program)}
            )
        if os.environ.get(HANG_FOR_TESTS) == "run":
            while True:  # a worker that stops answering, for the fault tests
                time.sleep(3600)
        inputs = [
            self.synalinks.JsonDataModel(schema=symbolic.get_schema(), json=value)
            for symbolic, value in zip(program.inputs, message["inputs"], strict=True)
        ]
        run = RunState(message["id"], nodes)
        self.runs[run.id] = run
        _RUN.set(run)
        # The knowledge bases' files are open while some run of this program lasts
        # (runs may overlap: an evaluation's rows), and closed between runs.
        held = getattr(program, "_canvas_knowledge", [])
        program._canvas_runs = getattr(program, "_canvas_runs", 0) + 1
        reopen(held)
        try:
            outputs = await program(inputs if len(inputs) > 1 else inputs[0])
        finally:
            program._canvas_runs -= 1
            if program._canvas_runs == 0:
                release(held)
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        send(
            {
                "type": "run_result",
                "id": run.id,
                "outputs": as_json(list(outputs)),
                "t": run.elapsed(),
            }
        )

    async def handle(self, message: dict) -> None:
        kind = message.get("type")
        request_id = message.get("id")
        try:
            if kind == "tools":
                send(
                    {
                        "type": "tools",
                        "id": request_id,
                        "tools": describe_tools(message["tools"], message.get("paths") or []),
                    }
                )
            elif kind == "catalogue":
                send({"type": "catalogue", "id": request_id, **describe_modules(self.synalinks)})
            elif kind == "build":
                await self.build(message)
            elif kind == "run":
                await self.run(message)
            elif kind == "save":
                await save_program(message)
            elif kind == "train":
                await train_program(self, message)
            elif kind == "score":
                if self.scorer is None:
                    self.scorer = Rewards(self.synalinks)
                results = await self.scorer.score(message)
                send({"type": "scores", "id": request_id, "results": as_json(results)})
            elif kind == "knowledge_search":
                rows = await search_knowledge(self.synalinks, message)
                send({"type": "knowledge_rows", "id": request_id, "rows": as_json(rows)})
        except asyncio.CancelledError:
            send({"type": "cancelled", "id": request_id})
        except BaseException as exc:  # every failure is a message, never a dead worker
            send(
                {
                    "type": "error",
                    "id": request_id,
                    "stage": kind,
                    "message": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc()[-6000:],
                    "line": program_line(exc),
                }
            )
        finally:
            self.tasks.pop(request_id, None)
            self.runs.pop(request_id, None)

    def dispatch(self, line: str) -> bool:
        """Act on one line; False when the worker should stop."""
        try:
            message = json.loads(line)
        except ValueError as exc:
            send({"type": "error", "id": None, "stage": "protocol", "message": f"not JSON: {exc}"})
            return True
        problem = check_message(message)
        if problem:
            send(
                {
                    "type": "error",
                    "id": message.get("id") if isinstance(message, dict) else None,
                    "stage": "protocol",
                    "message": problem,
                }
            )
            return True
        kind = message["type"]
        if kind == "shutdown":
            return False
        if kind == "cancel":
            task = self.tasks.get(message["id"])
            run = self.runs.get(message["id"])
            if run is not None:
                run.cancelled = True
            if task is not None:
                asyncio.get_running_loop().create_task(keep_cancelling(task))
            return True
        self.tasks[message["id"]] = asyncio.get_running_loop().create_task(self.handle(message))
        return True


REQUIRED = {
    "tools": {"id": str, "tools": list},
    "catalogue": {"id": str},
    "build": {"id": str, "source": str},
    "run": {"id": str, "source": str, "inputs": list},
    "save": {"id": str, "source": str, "path": str},
    "score": {"id": str, "rewards": list, "pairs": list},
    "knowledge_search": {"id": str, "path": str, "table": str, "query": str, "search_type": str},
    "train": {"id": str, "source": str, "train": dict, "rewards": list, "optimizer": dict},
    "cancel": {"id": str},
    "shutdown": {},
}


def check_message(message) -> str | None:
    if not isinstance(message, dict):
        return f"a message must be a JSON object, got {type(message).__name__}"
    kind = message.get("type")
    if kind not in REQUIRED:
        return f"unknown message type {kind!r}; this worker knows {sorted(REQUIRED)}"
    for key, expected in REQUIRED[kind].items():
        if not isinstance(message.get(key), expected):
            return f"{kind} needs {key!r} as {expected.__name__}"
    if "models" in message and not isinstance(message["models"], dict):
        return f"{kind}: 'models' must be an object"
    return None


async def keep_cancelling(task: asyncio.Task) -> None:
    """Cancel ``task`` until it ends: a model call's retry loop swallows one
    cancellation and tries again, the next one stops it."""
    while not task.done():
        task.cancel()
        await asyncio.sleep(0.005)


async def read_lines(worker: Worker) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            break
        if line.strip() and not worker.dispatch(line.decode("utf-8", "replace")):
            break
    for task in list(worker.tasks.values()):
        task.cancel()


async def main() -> int:
    claim_stdout()
    send(
        {
            "type": "hello",
            "protocol": PROTOCOL_VERSION,
            "python": ".".join(map(str, sys.version_info[:3])),
            "pid": os.getpid(),
        }
    )
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    if os.environ.get(HANG_FOR_TESTS) == "import":
        time.sleep(3600)
    try:
        import synalinks
    except BaseException as exc:
        send(
            {
                "type": "fatal",
                "message": f"cannot import synalinks in {sys.executable}: {type(exc).__name__}: {exc}",
            }
        )
        return 3
    capture_warnings()
    guard_extension_downloads()
    PRELOADED.update(sys.modules)
    worker = Worker()
    worker.synalinks = synalinks
    send(
        {
            "type": "ready",
            "protocol": PROTOCOL_VERSION,
            "synalinks": getattr(synalinks, "__version__", "unknown"),
            "capabilities": list(CAPABILITIES),
        }
    )
    if os.environ.get(HANG_FOR_TESTS) == "garbage":
        write_raw("this is not a protocol message\n")
    await read_lines(worker)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
