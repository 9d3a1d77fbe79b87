"""``synalinks-canvas run FILE``: run a graph headless and print what happens.

Text mode prints each model node's text as it streams, labelled by node name,
then the outputs; ``--json`` prints one event per line (NDJSON) and the final
outputs as the last line. Exit 0 on success, 1 when a node failed, 2 for a
bad file, a graph with errors or a bad input. API keys come from the
environment or a ``.env`` file (in the current folder or next to FILE).

Model nodes' results are cached in the run store (``runs.sqlite`` in the user's
data folder, shared with the editor): a node asked exactly what it was asked
before answers from there without a model call; ``--no-cache`` asks anew.
Every run is kept in the same store (``synalinks-canvas runs FILE`` lists them).
``--to NODE`` runs only what leads to a node; ``--from NODE`` runs a node and
its dependents, taking the outputs of the nodes feeding them from the latest
kept runs of this graph. A store that cannot be used costs only the caching
and the keeping, with one warning on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from core.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from core.engine import (
    Engine,
    InputError,
    RunOptions,
    RunRefused,
)
from core.engine import events as ev
from core.engine.scope import RunScope, ScopeError, describe_scope, resolve_node
from core.files import GraphFileError, load_graph
from core.registry import default_registry
from core.store.run_store import graph_key_for, one_warning

_DEFAULTS = RunOptions()


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(
        name,
        help="run a graph headless and print its outputs",
        description="Run a graph file and print each node's text as it streams, then the outputs.",
    )
    parser.add_argument("file", metavar="FILE", help="a graph file (.json)")
    parser.add_argument(
        "--input",
        metavar="JSON",
        help="the Input data model as a JSON object (with several Input nodes, an object keyed "
        "by Input node name); @PATH reads it from a file; default: the graph's example input",
    )
    parser.add_argument(
        "--model", help="run every node on this model (e.g. offline, openai/gpt-4o-mini)"
    )
    parser.add_argument("--api-base", metavar="URL", help="server for OpenAI-compatible models")
    parser.add_argument("--json", action="store_true", help="print NDJSON events, then the outputs")
    parser.add_argument(
        "--backend",
        choices=("builtin", "synalinks"),
        default=None,
        help="builtin: the streaming engine (default); synalinks: the real synalinks library "
        "in a worker process (graphs with modules only Synalinks runs go there anyway)",
    )
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="the interpreter with synalinks 0.10 for --backend synalinks "
        "(default: SYNALINKS_CANVAS_PYTHON, an active virtualenv, .venv-synalinks...)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=_DEFAULTS.node_timeout,
        metavar="SECONDS",
        help=f"per-node time limit (default {_DEFAULTS.node_timeout:g})",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=_DEFAULTS.max_concurrency,
        metavar="N",
        help=f"model calls in flight at once (default {_DEFAULTS.max_concurrency})",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=_DEFAULTS.transient_retries,
        metavar="N",
        help=f"retries after rate limits, server errors and dropped streams (default {_DEFAULTS.transient_retries})",
    )
    parser.add_argument(
        "--offline-delay",
        type=float,
        default=_DEFAULTS.offline_delay,
        metavar="SECONDS",
        help=f"delay between the offline model's tokens (default {_DEFAULTS.offline_delay:g})",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="call the model for every node, neither reading nor writing cached results",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="the folder of the run store with the cached results (default: the user's data "
        "folder, or SYNALINKS_CANVAS_DATA_DIR)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--to",
        metavar="NODE",
        help="run only what leads to this node (a name or id) and print its result",
    )
    where.add_argument(
        "--from",
        dest="from_node",
        metavar="NODE",
        help="run this node and its dependents, with the outputs of the nodes feeding them "
        "taken from the latest kept runs of this graph",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    _load_dotenv(Path(args.file))
    try:
        options = RunOptions(
            model_override=args.model or None,
            api_base=args.api_base or None,
            max_concurrency=args.concurrency,
            node_timeout=args.timeout if args.timeout and args.timeout > 0 else None,
            transient_retries=args.retries,
            offline_delay=args.offline_delay,
            project_dir=str(Path(args.file).resolve().parent),
        )
    except ValueError as exc:
        return _refuse(args, str(exc))
    registry = default_registry()
    try:
        graph = load_graph(args.file, registry)
    except GraphFileError as exc:
        return _refuse(args, str(exc))
    try:
        inputs = _parse_input(args.input)
    except ValueError as exc:
        return _refuse(args, str(exc))
    backend, why = choose_backend(args.backend, graph, registry)
    if why and not args.json:
        print(why, file=sys.stderr)
    engine = Engine(registry, options)
    runs = _open_runs(args.cache_dir)
    key = graph_key_for(args.file)
    try:
        scope = _scope(args, graph, runs, key)
    except ValueError as exc:
        return _refuse(args, str(exc))
    if scope is not None and scope.from_node and inputs is None:
        latest = runs.list(key, limit=1)
        stored = runs.load(latest[0].run_id) if latest else None
        inputs = stored.inputs if stored is not None else None
    try:
        if backend == "synalinks":
            from core.engine.engine import prepare_run
            from core.runtime.backend import builtin_only

            prepared = prepare_run(graph, registry, inputs)
            refused = builtin_only(prepared, scope)
            if refused:
                raise RunRefused(refused)
        else:
            prepared = engine.prepare(graph, inputs, scope)
    except ScopeError as exc:
        return _refuse(args, str(exc))
    except RunRefused as exc:
        names = {n.id: n.name for n in graph.nodes.values()}
        lines = [
            f"{args.file}: error: {d.code}{_where(names, d.node_id)}: {d.message}"
            for d in exc.diagnostics
        ]
        return _refuse(args, "the graph has errors; fix them before running:\n" + "\n".join(lines))
    except InputError as exc:
        return _refuse(args, f"bad input: {exc}")

    printer = JsonPrinter(out) if args.json else TextPrinter(out, prepared.graph)
    started = time.time()
    cache_warning = None
    if backend == "synalinks":
        try:
            python = synalinks_python(args.python)
        except ValueError as exc:
            return _refuse(args, str(exc))
        if not args.json:
            print(f"Starting the Synalinks worker ({python}; seconds, once)…", file=sys.stderr)
        record = asyncio.run(_run_on_synalinks(registry, options, prepared, printer, python))
    else:
        if not args.json and _needs_model_library(prepared):
            print("Loading the language-model library (litellm; seconds, once)…", file=sys.stderr)
        cache = None if args.no_cache else _open_cache(args.cache_dir)
        try:
            record = asyncio.run(
                engine.run(prepared, listener=printer, options=replace(options, cache=cache))
            )
        except BaseException:
            _warn(cache.take_warning() if cache is not None else None)
            raise
        finally:
            if cache is not None:
                cache_warning = cache.take_warning()
                cache.close()
    if record.status != "running":
        runs.save(
            graph_key=key,
            graph=prepared.graph,
            record=record,
            inputs=prepared.inputs_by_name,
            started_at=started,
            backend=backend,
            model=options.model_override or "",
            scope=describe_scope(prepared.graph, scope),
            origin="command line",
        )
    _warn(one_warning(cache_warning, runs.take_warning()))
    runs.close()
    if scope is not None and scope.to_node:
        printer.close_at(record, scope.to_node)
    else:
        printer.close(record.status, record.outputs)
    return EXIT_OK if record.status == "succeeded" else EXIT_FAILED


def choose_backend(asked: str | None, graph: Any, registry: Any) -> tuple[str, str | None]:
    """The backend to run on, and a sentence when it is not the one asked for:
    a graph with a node the built-in engine cannot run goes to Synalinks."""
    only_synalinks = sorted(
        {
            node.type
            for node in graph.nodes.values()
            if node.type in registry and not getattr(registry.get(node.type), "builtin_runs", True)
        }
    )
    if only_synalinks and asked != "synalinks":
        return "synalinks", (
            f"{', '.join(only_synalinks)} runs only on the Synalinks backend: running on Synalinks"
        )
    return asked or "builtin", None


def synalinks_python(chosen: str | None) -> str:
    """The interpreter for the worker: ``--python``, else the first environment
    found with synalinks 0.10; ValueError (a user-ready message) when none is."""
    from core.runtime.environment import EnvironmentProblem, find_environment, probe

    if chosen:
        try:
            found = probe(chosen)
        except EnvironmentProblem as exc:
            raise ValueError(str(exc)) from None
        if found.problem:
            raise ValueError(found.problem)
        return found.python
    found = find_environment(None)
    if found is None:
        raise ValueError(
            "no Python environment with synalinks 0.10 was found: pass --python PATH, set "
            "SYNALINKS_CANVAS_PYTHON, activate a virtualenv that has synalinks, or create one "
            "in the editor (Settings → Synalinks environment)"
        )
    return found.python


async def _run_on_synalinks(registry, options, prepared, printer, python: str):
    from core.runtime.backend import OfflineAccess, SynalinksBackend
    from core.runtime.client import WorkerPool

    pool, offline = WorkerPool(python), OfflineAccess()
    try:
        backend = SynalinksBackend(registry, options, pool=pool, offline=offline)
        return await backend.run(prepared, listener=printer)
    finally:
        await pool.close()
        await offline.close()


def _warn(message: str | None) -> None:
    if message:
        print(f"warning: {message}", file=sys.stderr)


def _open_runs(cache_dir: str | None) -> Any:
    """The kept runs in ``cache_dir`` (or the default store); opened on first use."""
    from core.store import STORE_FILE, RunStore, default_store_path

    return RunStore(
        Path(cache_dir).expanduser() / STORE_FILE if cache_dir else default_store_path()
    )


def _scope(args: argparse.Namespace, graph: Any, runs: Any, key: str) -> RunScope | None:
    """The run's scope from ``--to``/``--from`` (ValueError: no such node)."""
    if args.to:
        return RunScope(to_node=resolve_node(graph, args.to))
    if args.from_node:
        return RunScope(
            from_node=resolve_node(graph, args.from_node),
            seeds=lambda ids: runs.latest_values(key, ids),
        )
    return None


def _open_cache(cache_dir: str | None) -> Any:
    """The node cache in ``cache_dir`` (or the default store); opened on first use."""
    from core.store import STORE_FILE, NodeCache, default_store_path

    path = Path(cache_dir).expanduser() / STORE_FILE if cache_dir else default_store_path()
    return NodeCache(path)


def _needs_model_library(prepared: Any) -> bool:
    """Whether the run will import litellm first (a model node, not yet loaded)."""
    from core.engine.litellm_loader import is_loaded

    return not is_loaded() and prepared.topology.uses_models


def _parse_input(text: str | None) -> Any | None:
    if text is None:
        return None
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"cannot read the input file {path}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"--input is not valid JSON ({exc.msg} at character {exc.pos}); "
            'give an object such as \'{"query": "What is 2 + 2?"}\''
        ) from None


def _refuse(args: argparse.Namespace, message: str) -> int:
    print(message, file=sys.stderr)
    if args.json:
        print(json.dumps({"kind": "error", "exit_code": EXIT_BAD_INPUT, "message": message}))
    return EXIT_BAD_INPUT


def _where(names: dict[str, str], node_id: str | None) -> str:
    return f" [{names[node_id]}]" if node_id in names else ""


def _load_dotenv(graph_file: Path) -> None:
    """Keys from ``.env`` in the current folder, then next to the graph (the
    environment wins over both)."""
    from dotenv import find_dotenv, load_dotenv

    found = find_dotenv(usecwd=True)
    if found:
        load_dotenv(found, override=False)
    beside = graph_file.resolve().parent / ".env"
    if beside.is_file():
        load_dotenv(beside, override=False)


class JsonPrinter:
    """NDJSON: one event per line, then ``{"outputs": [...], "status": ...}``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, event: ev.Event) -> None:
        self.out.write(event.to_json() + "\n")
        self.out.flush()

    def close(self, status: str, outputs: tuple[Any, ...]) -> None:
        self.out.write(
            json.dumps({"outputs": list(outputs), "status": status}, ensure_ascii=False) + "\n"
        )
        self.out.flush()

    def close_at(self, record: Any, node_id: str) -> None:
        """The last line of a run to a node: that node's result."""
        node = record.nodes.get(node_id)
        result = node.result if node is not None and node.ok else None
        line = {"outputs": [], "result": result, "node": node.node_name if node else node_id}
        self.out.write(json.dumps({**line, "status": record.status}, ensure_ascii=False) + "\n")
        self.out.flush()


class TextPrinter:
    """Streams each node's text as labelled lines (``[node] ...``).

    Branches run at once, so text is buffered per node and written a line at a
    time (at a newline, or at a space once the line is long enough): lines of
    different branches interleave, words never do.
    """

    WIDTH = 72

    def __init__(self, out: TextIO, graph: Any) -> None:
        self.out = out
        self.graph = graph
        self.buffers: dict[str, str] = {}

    def _write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _flush(self, name: str, everything: bool) -> None:
        buffer = self.buffers.get(name, "")
        while True:
            cut = buffer.find("\n")
            if cut < 0 and len(buffer) >= self.WIDTH:
                cut = buffer.rfind(" ", 0, self.WIDTH + 1)
                cut = cut if cut > 0 else self.WIDTH
            if cut < 0:
                break
            self._write(f"[{name}] {buffer[:cut].strip()}")
            buffer = buffer[cut:].lstrip("\n ")
        if everything and buffer.strip():
            self._write(f"[{name}] {buffer.strip()}")
            buffer = ""
        self.buffers[name] = buffer

    def __call__(self, event: ev.Event) -> None:
        match event:
            case ev.RunStarted():
                self._write(f"Running {event.graph_name} ({len(event.nodes)} nodes)")
            case ev.TokenDelta():
                self.buffers[event.node_name] = self.buffers.get(event.node_name, "") + event.text
                self._flush(event.node_name, everything=False)
            case ev.NodeProgress() if event.step.get("kind") == "tool_call":
                self._flush(event.node_name, everything=True)
                self._write(f"[{event.node_name}] {ev.describe_step(event.step)}")
            case ev.NodeRetrying():
                self._flush(event.node_name, everything=True)
                self._write(f"[{event.node_name}] retrying ({event.reason}): {event.message}")
            case ev.NodeFinished() if event.cached:
                self._write(f"[{event.node_name}] cached (no model call)")
            case ev.NodeFinished() if event.pinned:
                self._write(f"[{event.node_name}] pinned (not run; its pinned output is used)")
            case ev.NodeFinished() if event.reused_from:
                self._write(
                    f"[{event.node_name}] not run: its output of run {event.reused_from[:8]} is used"
                )
            case ev.NodeFinished() if event.attempts:
                self._flush(event.node_name, everything=True)
                tokens = f", {event.tokens_out} tokens" if event.tokens_out is not None else ""
                self._write(f"[{event.node_name}] done in {event.duration:.2f} s{tokens}")
            case ev.NodeFailed():
                self._flush(event.node_name, everything=True)
                self._write(f"[{event.node_name}] FAILED ({event.error_kind}): {event.message}")
            case ev.NodeSkipped():
                self._write(f"[{event.node_name}] skipped: {event.reason}")
            case ev.NodeCancelled():
                self._flush(event.node_name, everything=True)
                self._write(f"[{event.node_name}] cancelled")
            case ev.RunFinished():
                self._write(
                    f"Run {event.status} in {event.duration:.2f} s "
                    f"({event.tokens_in} tokens in, {event.tokens_out} out)"
                )

    def close(self, status: str, outputs: tuple[Any, ...]) -> None:
        from core.nodes.program_io import program_outputs

        names = [n.name for n in program_outputs(self.graph)]
        if not names:
            return
        self._write("Outputs:")
        for name, value in zip(names, outputs, strict=False):
            self._write(f"{name}:\n{json.dumps(value, indent=2, ensure_ascii=False)}")

    def close_at(self, record: Any, node_id: str) -> None:
        node = record.nodes.get(node_id)
        if node is None:
            return
        value = node.result if node.ok else None
        self._write(f"Result of {node.node_name}:")
        self._write(json.dumps(value, indent=2, ensure_ascii=False))
