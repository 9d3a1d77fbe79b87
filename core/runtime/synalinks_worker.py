"""The synalinks runtime worker: runs graphs on the real synalinks library.

This file is a standalone script started by Synalinks Canvas in a Python
environment that has ``synalinks`` 0.10 (``python -I synalinks_worker.py``).
It imports only the standard library and synalinks, never the editor's own
packages, because it runs in the user's environment, not the editor's.

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
    ``cancelled``  id
    ``error``      id, stage, message, traceback
client -> worker
    ``build``      id, source, models       (build the program, report its modules)
    ``run``        id, source, models, inputs, nodes
    ``save``       id, source, path          (build the program, ``program.save(path)``)
    ``cancel``     id
    ``shutdown``

The program is built by the exporter's own script (``build_program``), so
what runs here is exactly what Synalinks Canvas exports. Programs are cached
by source and model settings, so a second run of an unchanged graph pays no
build. API keys reach this process through its environment only.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import json
import os
import sys
import time
import traceback
import types

PROTOCOL_VERSION = 1
CAPABILITIES = ("build", "run", "cancel", "catalogue", "tools", "save")
OFFLINE = "offline"
HANG_FOR_TESTS = "SYNALINKS_CANVAS_WORKER_TEST_HANG"

# The protocol's own channel is a duplicate of the original stdout; fd 1 is then
# pointed at stderr, so prints from user code or libraries (Python or C) never
# reach the protocol stream.
_PROTOCOL = sys.stdout  # replaced by claim_stdout() when the worker starts


def claim_stdout() -> None:
    """Keep the real stdout for the protocol and send fd 1 to stderr (done when
    the worker starts, not on import, so importing this file changes nothing)."""
    global _PROTOCOL
    _PROTOCOL = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr


_RUN = contextvars.ContextVar("canvas_run", default=None)
_OWNER = contextvars.ContextVar("canvas_owner", default=None)


def send(message: dict) -> None:
    _PROTOCOL.write(json.dumps(message, ensure_ascii=False, default=_jsonable) + "\n")
    _PROTOCOL.flush()


def _jsonable(value):
    get_json = getattr(value, "get_json", None)
    if callable(get_json):
        return get_json()
    return str(value)


def as_json(value):
    """A module's output as plain JSON (None, one object, or a list of them)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    get_json = getattr(value, "get_json", None)
    return get_json() if callable(get_json) else value


class RunState:
    """What one run reports: its id, its clock and the modules it watches."""

    def __init__(self, request_id: str, nodes: set[str]) -> None:
        self.id = request_id
        self.nodes = nodes
        self.t0 = time.perf_counter()
        self.usage: dict[str, list] = {}
        self.warnings: dict[str, str] = {}
        self.cancelled = False

    def check_cancelled(self) -> None:
        """Stop a cancelled run at the next module call: synalinks retries a model
        call on any exception (tenacity), a cancellation included, so cancelling
        the task alone can leave a run going for another attempt or two."""
        if self.cancelled:
            raise asyncio.CancelledError

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def add_usage(self, owner: str, usage: dict) -> None:
        tally = self.usage.setdefault(owner, [0, 0, None])
        tally[0] += int(usage.get("input_tokens") or 0)
        tally[1] += int(usage.get("output_tokens") or 0)
        if usage.get("cost") is not None:
            tally[2] = (tally[2] or 0.0) + float(usage["cost"])


def capture_warnings() -> None:
    """Keep each warning synalinks gives during a module's call (it returns None
    with only a warning when every model retry fails), so the failure the
    editor shows says why."""
    import warnings

    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        run, owner = _RUN.get(), _OWNER.get()
        if run is not None and owner is not None:
            run.warnings[owner] = str(message)[-2000:]
        shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.simplefilter("always")


def make_hooks(synalinks):
    """Hook classes built on synalinks' own ``Hook`` (imported late: the worker
    says hello before synalinks has loaded)."""

    class NodeHook(synalinks.hooks.Hook):
        """Reports the calls of one module that is a node of the graph."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name
            self.tokens = {}

        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            run = _RUN.get()
            if run is None or self.name not in run.nodes:
                return
            run.check_cancelled()
            self.tokens[call_id] = _OWNER.set(self.name)
            send(
                {
                    "type": "module_started",
                    "id": run.id,
                    "module": self.name,
                    "t": run.elapsed(),
                    "inputs": as_json(list(inputs or ())),
                }
            )

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            run = _RUN.get()
            token = self.tokens.pop(call_id, None)
            if run is None or self.name not in run.nodes:
                return
            if token is not None:
                try:
                    _OWNER.reset(token)
                except ValueError:  # ended in another context than it began
                    pass
            tokens_in, tokens_out, cost = run.usage.pop(self.name, (None, None, None))
            message = {
                "id": run.id,
                "module": self.name,
                "t": run.elapsed(),
                "tokens_in": tokens_in,
                "tokens_out": tokens_out,
                "cost": cost,
            }
            warning = run.warnings.pop(self.name, None)
            if warning:
                message["warning"] = warning
            if exception is not None:
                send({"type": "module_failed", "message": str(exception), **message})
            else:
                send({"type": "module_finished", "output": as_json(outputs), **message})

    class UsageHook(synalinks.hooks.Hook):
        """Adds each language-model call's usage to the node that made it (and
        stops a cancelled run before another model call)."""

        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            run = _RUN.get()
            if run is not None:
                run.check_cancelled()

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            run, owner = _RUN.get(), _OWNER.get()
            if run is None or owner is None:
                return
            usage = last_call_usage()
            if usage:
                run.add_usage(owner, usage)

    class DetailHook(synalinks.hooks.Hook):
        """Reports what an inner module of a node computed (a Branch's decision)."""

        def __init__(self, owner: str, detail: str) -> None:
            super().__init__()
            self.owner = owner
            self.detail = detail

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            run = _RUN.get()
            if run is None or self.owner not in run.nodes or exception is not None:
                return
            send(
                {
                    "type": "module_detail",
                    "id": run.id,
                    "module": self.owner,
                    "detail": self.detail,
                    "value": as_json(outputs),
                }
            )

    class ToolHook(synalinks.hooks.Hook):
        """Reports each call an agent makes to one of its tools, as it ends: the
        tool, its arguments, its result and how long it took."""

        def __init__(self, owner: str, tool: str) -> None:
            super().__init__()
            self.owner = owner
            self.tool = tool
            self.calls: dict[str, tuple[float, object]] = {}

        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            run = _RUN.get()
            if run is not None and self.owner in run.nodes:
                arguments = {k: v for k, v in (kwargs or {}).items() if k != "training"}
                self.calls[call_id] = (time.perf_counter(), as_json(arguments))

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            run = _RUN.get()
            began = self.calls.pop(call_id, None)
            if run is None or began is None:
                return
            send(
                {
                    "type": "module_detail",
                    "id": run.id,
                    "module": self.owner,
                    "detail": "tool_call",
                    "value": {
                        "tool": self.tool,
                        "arguments": began[1],
                        "result": as_json(outputs),
                        "error": exception,
                        "seconds": time.perf_counter() - began[0],
                        "t": run.elapsed(),
                    },
                }
            )

    return NodeHook, UsageHook, DetailHook, ToolHook


def tools_of(module, synalinks) -> list:
    """The ``synalinks.Tool`` modules an agent or Action holds."""
    found = []
    held = getattr(module, "tools", None)
    if isinstance(held, dict):
        found += [t for t in held.values() if isinstance(t, synalinks.Tool)]
    elif isinstance(held, (list, tuple)):
        found += [t for t in held if isinstance(t, synalinks.Tool)]
    single = getattr(module, "tool", None)
    if isinstance(single, synalinks.Tool):
        found.append(single)
    return found


def last_call_usage():
    try:
        from synalinks.src.modules.language_models.language_model import current_call_usage
    except ImportError:  # another synalinks: usage unknown, never wrong
        return None
    return current_call_usage()


class Worker:
    def __init__(self) -> None:
        self.synalinks = None
        self.programs: dict[str, object] = {}
        self.tasks: dict[str, asyncio.Task] = {}
        self.runs: dict[str, RunState] = {}
        self.hook_classes = None

    # ------------------------------------------------------------ building
    def language_model(self, settings: dict | None):
        if not settings or not settings.get("model"):
            return None
        return self.synalinks.LanguageModel(
            model=settings["model"], api_base=settings.get("api_base") or None
        )

    async def program_for(
        self, source: str, models: dict, nodes: set[str], paths: list[str] = ()
    ) -> object:
        key = hashlib.sha256(
            (
                source
                + json.dumps(models, sort_keys=True)
                + json.dumps(sorted(nodes))
                + json.dumps(list(paths))
                + project_stamp(paths)
            ).encode()
        ).hexdigest()
        program = self.programs.get(key)
        if program is None:
            use_project_paths(paths)
            namespace = types.ModuleType(f"canvas_program_{key[:12]}")
            namespace.__file__ = f"<canvas program {key[:12]}>"
            # pydantic resolves a data model's annotations through its module.
            sys.modules[namespace.__name__] = namespace
            exec(compile(source, namespace.__file__, "exec"), namespace.__dict__)
            program = await namespace.build_program(self.language_model(models.get("override")))
            self.route_offline(program, models.get("offline"), nodes)
            self.watch(program)
            if len(self.programs) >= 16:
                old = self.programs.pop(next(iter(self.programs)))
                sys.modules.pop(getattr(old, "_canvas_module", ""), None)
            program._canvas_module = namespace.__name__
            self.programs[key] = program
        return program

    def node_modules(self, program) -> dict[str, object]:
        """Every module of the program by name, the modules inside Branches included."""
        found = {}
        for module in program._flatten_modules(include_self=False):
            found.setdefault(module.name, module)
        return found

    def route_offline(self, program, endpoint: dict | None, nodes: set[str]) -> None:
        """Point modules on the ``offline`` model at the editor's loopback endpoint,
        one language model per node so the offline model answers in that node's
        voice (as it does in the built-in engine). A node's own parts are walked,
        not the nodes inside it (a Branch's modules answer as themselves)."""
        program._canvas_routed = []
        if not endpoint:
            return
        LanguageModel = self.synalinks.LanguageModel

        def parts(module):
            yield module
            for child in module._modules:
                if child.name not in nodes:
                    yield from parts(child)

        for name, module in self.node_modules(program).items():
            if name not in nodes or isinstance(module, LanguageModel):
                continue
            routed = None
            for owner in parts(module):
                for attr, value in list(vars(owner).items()):
                    if isinstance(value, LanguageModel) and is_offline(value.model):
                        if routed is None:
                            routed = LanguageModel(
                                model=f"openai/{OFFLINE}--{name}",
                                api_base=endpoint["api_base"],
                                api_key="offline",  # the endpoint takes any key
                                retry=2,
                            )
                            program._canvas_routed.append(routed)
                        object.__setattr__(owner, attr, routed)

    def watch(self, program) -> None:
        if self.hook_classes is None:  # made on first use: hello and ready come first
            self.hook_classes = make_hooks(self.synalinks)
        NodeHook, UsageHook, DetailHook, ToolHook = self.hook_classes
        usage = UsageHook()
        modules = self.node_modules(program)
        for name, module in modules.items():
            if isinstance(module, self.synalinks.LanguageModel):
                module.add_hook(usage)
                continue
            module.add_hook(NodeHook(name))
            decision = getattr(module, "decision", None)
            if isinstance(decision, self.synalinks.Module):
                decision.add_hook(DetailHook(name, "decision"))
            for tool in tools_of(module, self.synalinks):
                tool.add_hook(ToolHook(name, tool.name))
        routed = getattr(program, "_canvas_routed", [])
        for module in [*program._flatten_modules(include_self=False), *routed]:
            if isinstance(module, self.synalinks.LanguageModel) and usage not in getattr(
                module._hooks, "hooks", []
            ):
                module.add_hook(usage)

    # ------------------------------------------------------------ requests
    def describe_program(self, program) -> list[dict]:
        """Each module of a built program: name, class and output schema."""
        modules = []
        for name, module in self.node_modules(program).items():
            if isinstance(module, self.synalinks.LanguageModel):
                continue
            modules.append(
                {
                    "name": name,
                    "class": type(module).__name__,
                    "output_schema": output_schema(module),
                }
            )
        return modules

    async def build(self, message: dict) -> None:
        nodes = set(message.get("nodes") or ())
        program = await self.program_for(
            message["source"], message.get("models") or {}, nodes, message.get("paths") or []
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
            message["source"], message.get("models") or {}, nodes, message.get("paths") or []
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
        outputs = await program(inputs if len(inputs) > 1 else inputs[0])
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


# ----------------------------------------------------------- the user's code
def project_stamp(paths) -> str:
    """When the user's Python files under ``paths`` last changed: part of the
    program cache key, so an edited tool is imported again."""
    latest = 0.0
    for folder in paths:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith((".", "__pycache__"))]
            for name in files:
                if name.endswith(".py"):
                    try:
                        latest = max(latest, os.stat(os.path.join(root, name)).st_mtime)
                    except OSError:
                        pass
            if root.count(os.sep) - folder.count(os.sep) > 3:
                dirs[:] = []
    return repr(latest)


PRELOADED: set[str] = set()
"""Modules loaded before the worker said ready (synalinks and its dependencies):
never forgotten, even when the project folder holds the environment itself."""


def use_project_paths(paths) -> None:
    """Import the user's modules from ``paths`` (first), afresh: the user's modules
    loaded for an earlier program (any file outside the environment, from this
    project or another graph's) are forgotten, so an edited tool is read again
    and two projects' ``tools.py`` never mix."""
    folders = [os.path.abspath(p) for p in paths]
    prefixes = tuple(os.path.abspath(p) + os.sep for p in {sys.prefix, sys.base_prefix})
    for folder in reversed(folders):
        if folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)
    for name, module in list(sys.modules.items()):
        if name in PRELOADED:
            continue
        origin = os.path.abspath(getattr(module, "__file__", None) or "")
        if not getattr(module, "__file__", None) or origin.startswith(prefixes):
            continue
        if "site-packages" not in origin and not name.startswith("canvas_program_"):
            del sys.modules[name]


def describe_tools(tools: list, paths: list) -> list[dict]:
    """Import each ``{name, module, function}`` and say what it is: its signature
    and docstring summary, or the problem (does not import, not async, a
    parameter without a type). Runs here because it is the user's code."""
    import importlib
    import inspect

    use_project_paths(paths)
    found = []
    for tool in tools:
        entry = {"name": tool.get("name"), "problem": None, "signature": "", "doc": ""}
        try:
            module = importlib.import_module(tool["module"])
        except BaseException as exc:
            entry["problem"] = (
                f"cannot import {tool['module']}: {type(exc).__name__}: {exc} "
                f"(searched {', '.join(paths) or 'the default path'})"
            )
            found.append(entry)
            continue
        function = getattr(module, tool["function"], None)
        if function is None:
            entry["problem"] = f"{tool['module']} has no function {tool['function']!r}"
        elif not inspect.iscoroutinefunction(function):
            entry["problem"] = (
                f"{tool['module']}.{tool['function']} is not async: Synalinks tools are "
                "`async def` functions"
            )
        else:
            signature = inspect.signature(function)
            untyped = [
                p.name
                for p in signature.parameters.values()
                if p.annotation is inspect.Parameter.empty
            ]
            entry["signature"] = f"{tool['function']}{signature}"
            entry["doc"] = (inspect.getdoc(function) or "").split("\n\n", 1)[0]
            if untyped:
                entry["problem"] = (
                    f"{tool['function']}: give every parameter a type ({', '.join(untyped)} has "
                    "none); Synalinks builds the tool's schema from the types"
                )
            elif not entry["doc"]:
                entry["problem"] = (
                    f"{tool['function']}: write a docstring with an Args: section; Synalinks "
                    "shows it to the model"
                )
        found.append(entry)
    return found


def output_schema(module):
    """The schema of what ``module`` gave when the program was built (None if
    it gave several values or none)."""
    nodes = getattr(module, "_inbound_nodes", None) or []
    if not nodes:
        return None
    outputs = nodes[0].outputs
    if isinstance(outputs, (list, tuple)):
        if len(outputs) != 1:
            return None
        outputs = outputs[0]
    get_schema = getattr(outputs, "get_schema", None)
    return get_schema() if callable(get_schema) else None


def program_line(exc: BaseException) -> int | None:
    """The line of the exported program where ``exc`` went through last (the
    statement that builds or calls the module concerned), or None."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<canvas program"):
            found = frame.lineno
    return found


async def save_program(message: dict) -> None:
    """Build the exported program afresh (no hooks, no offline routing: what is
    saved is the program as exported, learnt variables included) and write it
    with Synalinks' own ``program.save``, so ``Program.load`` reads it back."""
    use_project_paths(message.get("paths") or [])
    namespace = types.ModuleType(f"canvas_saved_{message['id']}")
    namespace.__file__ = f"<canvas program {message['id']}>"
    sys.modules[namespace.__name__] = namespace
    try:
        exec(compile(message["source"], namespace.__file__, "exec"), namespace.__dict__)
        program = await namespace.build_program()
        program.save(message["path"])
    finally:
        sys.modules.pop(namespace.__name__, None)
    send({"type": "saved", "id": message["id"], "path": message["path"]})


REQUIRED = {
    "tools": {"id": str, "tools": list},
    "catalogue": {"id": str},
    "build": {"id": str, "source": str},
    "run": {"id": str, "source": str, "inputs": list},
    "save": {"id": str, "source": str, "path": str},
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


# ------------------------------------------------------------------ catalogue
def describe_modules(synalinks) -> dict:
    """Every public module class of the installed synalinks, as data: its group,
    summary, constructor parameters (kind, default, annotation, the docstring's
    words for it) and how it is called. Read from the classes themselves, so a
    module that a newer synalinks adds is described like the others."""
    import inspect

    base = synalinks.Module
    modules = []
    seen: dict[int, str] = {}
    for name in sorted(dir(synalinks.modules)):
        cls = getattr(synalinks.modules, name)
        if not (inspect.isclass(cls) and issubclass(cls, base)) or name.startswith("_"):
            continue
        entry = {
            "class": name,
            "group": cls.__module__.split(".modules.", 1)[-1].split(".", 1)[0],
            "module_path": cls.__module__,
            "alias_of": seen.get(id(cls)),
        }
        seen.setdefault(id(cls), name)
        doc = inspect.getdoc(cls) or ""
        entry["summary"] = doc.split("\n\n", 1)[0].replace("\n", " ").strip()
        entry["doc"] = doc[:4000]
        args = docstring_args(doc)
        params = []
        try:
            signature = inspect.signature(cls.__init__)
        except (TypeError, ValueError):
            signature = None
        for param in list(signature.parameters.values())[1:] if signature else []:
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            default = param.default
            params.append(
                {
                    "name": param.name,
                    "required": default is param.empty,
                    "default": plain(default) if default is not param.empty else None,
                    "annotation": annotation_text(param.annotation),
                    "doc_type": args.get(param.name, ("", ""))[0],
                    "description": args.get(param.name, ("", ""))[1],
                }
            )
        entry["params"] = params
        entry["call"] = call_shape(inspect, cls)
        modules.append(entry)
    return {"synalinks": getattr(synalinks, "__version__", "unknown"), "modules": modules}


def docstring_args(doc: str) -> dict[str, tuple[str, str]]:
    """``name -> (type, description)`` from a Google-style ``Args:`` section."""
    import re

    found: dict[str, tuple[str, str]] = {}
    lines = doc.splitlines()
    inside, current, indent = False, None, None
    for line in lines:
        stripped = line.strip()
        if re.match(r"^(Args|Arguments|Parameters):\s*$", stripped):
            inside, current, indent = True, None, None
            continue
        if not inside:
            continue
        if stripped and not line.startswith(" ") and stripped.endswith(":"):
            break  # the next section
        match = re.match(r"^(\s*)(\*{0,2}\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$", line)
        if match and (indent is None or len(match.group(1)) <= indent):
            indent = len(match.group(1))
            current = match.group(2).lstrip("*")
            found[current] = (match.group(3) or "", match.group(4).strip())
        elif current and stripped:
            kind, text = found[current]
            found[current] = (kind, (text + " " + stripped).strip())
        elif not stripped and current is None:
            continue
    return found


def annotation_text(annotation) -> str:
    import inspect

    if annotation is inspect.Parameter.empty:
        return ""
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    return text or str(annotation).replace("typing.", "")


def plain(value):
    """A default as JSON when it is plain data, else a marker with its repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(
        v is None or isinstance(v, (bool, int, float, str)) for v in value
    ):
        return list(value)
    return {"__repr__": repr(value)[:200]}


def call_shape(inspect, cls) -> dict:
    """How the module is called: ``inputs`` (one data model), ``list`` (merges:
    ``Module()([a, b])``), or ``kwargs`` (tools: keyword arguments)."""
    try:
        params = list(inspect.signature(cls.call).parameters.values())[1:]
    except (TypeError, ValueError):
        return {"inputs": "inputs"}
    names = [p.name for p in params if p.name != "training"]
    if not names or all(p.kind is p.VAR_KEYWORD for p in params if p.name != "training"):
        return {"inputs": "kwargs"}
    module_file = getattr(inspect.getmodule(cls), "__name__", "")
    if ".merging." in module_file:
        return {"inputs": "list"}
    return {"inputs": "inputs"}


async def keep_cancelling(task: asyncio.Task) -> None:
    """Cancel ``task`` until it ends: a model call's retry loop swallows one
    cancellation and tries again, the next one stops it."""
    while not task.done():
        task.cancel()
        await asyncio.sleep(0.005)


def is_offline(model) -> bool:
    return isinstance(model, str) and (model == OFFLINE or model.startswith(OFFLINE + "/"))


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
        _PROTOCOL.write("this is not a protocol message\n")
        _PROTOCOL.flush()
    await read_lines(worker)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
