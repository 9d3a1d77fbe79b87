"""Building programs from the exporter's code, and caching them.

What runs is exactly what Synalinks Canvas exports: the script's
``build_program`` is executed in a fresh module namespace.
Part of the synalinks runtime worker (standard library and synalinks only).
"""

from __future__ import annotations

import hashlib
import json
import sys
import traceback
import types

from knowledge import in_folder, knowledge_bases_of, pin_paths, release, route_offline_embeddings
from observe import make_hooks, tools_of
from user_code import project_stamp, use_project_paths

OFFLINE = "offline"


class Programs:
    """Builds each graph's program once (cached by everything that decides it),
    routes the offline model to the loopback endpoint and attaches the hooks."""

    def __init__(self) -> None:
        self.synalinks = None
        self.programs: dict[str, object] = {}
        self.hook_classes = None

    # ------------------------------------------------------------ building
    def language_model(self, settings: dict | None):
        if not settings or not settings.get("model"):
            return None
        return self.synalinks.LanguageModel(
            model=settings["model"], api_base=settings.get("api_base") or None
        )

    async def program_for(
        self,
        source: str,
        models: dict,
        nodes: set[str],
        paths: list[str] = (),
        folder: str | None = None,
    ) -> object:
        """The program of ``source``, built in ``folder`` (the graph's: relative
        knowledge-base files are found from there)."""
        key = hashlib.sha256(
            (
                source
                + json.dumps(models, sort_keys=True)
                + json.dumps(sorted(nodes))
                + json.dumps(list(paths))
                + json.dumps(folder)
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
            with in_folder(folder):
                program = await namespace.build_program(self.language_model(models.get("override")))
                modules = program._flatten_modules(include_self=False)
                program._canvas_knowledge = knowledge_bases_of(modules)
                pin_paths(program._canvas_knowledge)
            release(program._canvas_knowledge)  # held only while the program runs
            self.route_offline(program, models.get("offline"), nodes)
            program._canvas_routed += route_offline_embeddings(
                self.synalinks, modules, models.get("offline")
            )
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


def is_offline(model) -> bool:
    return isinstance(model, str) and (model == OFFLINE or model.startswith(OFFLINE + "/"))
