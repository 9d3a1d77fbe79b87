"""Saving a program with Synalinks' own ``program.save``.

The program is built afresh from the exported script (no hooks, no offline
routing), so the file holds the program as exported.
Part of the synalinks runtime worker (standard library and synalinks only).
"""

from __future__ import annotations

import sys
import types

from channel import send
from knowledge import in_folder, knowledge_bases_of, release
from user_code import use_project_paths


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
        with in_folder(message.get("folder")):
            program = await namespace.build_program()
        release(knowledge_bases_of(program._flatten_modules(include_self=False)))
        program.save(message["path"])
    finally:
        sys.modules.pop(namespace.__name__, None)
    send({"type": "saved", "id": message["id"], "path": message["path"]})
