"""The user's own code: importing tools from the graph's folders, afresh.

Tools are the user's code, so they are imported and checked here, never in
the editor.
Part of the synalinks runtime worker (standard library and synalinks only).
"""

from __future__ import annotations

import os
import sys


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
