"""Runs exported scripts under the real synalinks (in .venv-synalinks) and reports.

Usage: ``python synalinks_runner.py REQUEST.json``; the request lists scripts,
each ``{"path": ..., "run": true/false}``. For each script it imports the file
(a fresh module), awaits ``build_program(language_model)`` with a litellm
model, and prints one JSON report on stdout: module names (Branch modules
included), output schemas, the program's name and description, and, when
asked, the outputs of one run on the script's own example input with
``litellm.acompletion`` mocked by :mod:`mock_model`, and what the script
prints when run as ``python FILE --model openai/mock-model``. One interpreter handles
every script because importing synalinks costs several seconds.
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import os
import runpy
import sys
import traceback
from contextlib import redirect_stdout
from pathlib import Path
from unittest.mock import patch

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import mock_model  # noqa: E402

if os.environ.get("SYNALINKS_CANVAS_DUCKDB_DOWNLOADS") == "0":
    # Knowledge bases install DuckDB extensions on first use, which downloads them:
    # the tests never do (as the runtime worker, core/runtime/worker/knowledge.py).
    from synalinks.src.knowledge_bases.database_adapters import duckdb_adapter  # noqa: E402

    duckdb_adapter.DuckDBAdapter._install_extensions = lambda self: None


async def fake_acompletion(*args, **kwargs):
    return mock_model.completion_response(kwargs)


def module_names(program) -> list[str]:
    names = []
    for module in program.modules:
        names.append(module.name)
        branches = getattr(module, "branches", None)
        if isinstance(branches, dict):
            names.extend(m.name for m in branches.values())
    return names


def module_classes(program) -> list[str]:
    """The Synalinks class of each module, in the order of :func:`module_names`."""
    classes = []
    for module in program.modules:
        classes.append(type(module).__name__)
        branches = getattr(module, "branches", None)
        if isinstance(branches, dict):
            classes.extend(type(m).__name__ for m in branches.values())
    return classes


def load(path: str, index: int):
    spec = importlib.util.spec_from_file_location(f"exported_{index}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example_call(module, program):
    """The argument ``main()`` passes to the program: read from the script's own
    ``main`` by running it with ``program`` replaced (argv gives the model)."""
    captured = {}

    async def capture(*args, **kwargs):
        captured["args"] = args
        return [None] * 64

    return captured, capture


async def report(item: dict, index: int) -> dict:
    import synalinks

    if item.get("fresh"):  # Synalinks' name counters start again, as in a script run alone
        synalinks.clear_session()
    module = load(item["path"], index)
    language_model = synalinks.LanguageModel(model="openai/mock-model")
    program = await module.build_program(language_model)
    outputs = program.outputs if isinstance(program.outputs, list) else [program.outputs]
    result = {
        "modules": module_names(program),
        "classes": module_classes(program),
        "program_name": program.name,
        "program_description": program.description,
        "output_properties": [list(o.get_schema().get("properties", {})) for o in outputs],
        "output_schemas": [o.get_schema() for o in outputs],
    }
    if item.get("build_default", False):
        default_program = await module.build_program()
        result["default_models"] = sorted(
            {
                getattr(m, "language_model", None).model
                for m in default_program.modules
                if getattr(m, "language_model", None)
            }
        )
    if item.get("run"):
        with patch("litellm.acompletion", side_effect=fake_acompletion):
            values = await run_main(module, program)
        result["results"] = values
    if item.get("as_main"):
        with patch("litellm.acompletion", side_effect=fake_acompletion):
            result["main_stdout"] = await asyncio.to_thread(run_as_script, item["path"])
    return result


def run_as_script(path: str) -> str:
    """Run the file as ``python FILE --model openai/mock-model`` would (in this
    process, so the mock applies) and return what it printed."""
    buffer = io.StringIO()
    with patch.object(sys, "argv", [path, "--model", "openai/mock-model"]), redirect_stdout(buffer):
        runpy.run_path(path, run_name="__main__")
    return buffer.getvalue()


async def run_main(module, program) -> list:
    """Run the script's own ``main()`` (its example input, its output handling) with
    ``build_program`` returning ``program`` and ``show`` recording instead of printing."""
    shown: list = []

    async def built(language_model=None):
        return program

    def show(label, value):
        shown.append([label, None if value is None else value.get_json()])

    argv = ["exported", "--model", "openai/mock-model"]
    with (
        patch.object(module, "build_program", built),
        patch.object(module, "show", show),
        patch.object(sys, "argv", argv),
    ):
        await module.main()
    return shown


async def main() -> None:
    request = json.loads(Path(sys.argv[1]).read_text())
    reports = []
    for index, item in enumerate(request["scripts"]):
        try:
            reports.append({"ok": True, **(await report(item, index))})
        except BaseException as exc:  # report every failure, keep going
            reports.append(
                {
                    "ok": False,
                    "error": f"{type(exc).__name__}: {exc}",
                    "trace": traceback.format_exc(),
                }
            )
    print(json.dumps(reports))


if __name__ == "__main__":
    asyncio.run(main())
