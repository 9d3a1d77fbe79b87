"""The catalogue snapshot: reading ``resources/synalinks_catalogue.json`` and refreshing it.

``python -m core.catalogue.snapshot [--python PATH]`` asks a runtime worker
for the installed synalinks' modules and rewrites the snapshot (sorted,
indented, so it diffs). Reading it validates every entry with the protocol's
own models, so a damaged file is one clear error, never a half catalogue.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from core.runtime.protocol import CatalogueModule

FORMAT = "synalinks-canvas-catalogue"
VERSION = 1
SNAPSHOT = Path(__file__).resolve().parents[2] / "resources" / "synalinks_catalogue.json"


class CatalogueError(ValueError):
    """The snapshot cannot be read; the message names the file and the problem."""


def read_catalogue(path: Path = SNAPSHOT) -> tuple[str, list[CatalogueModule]]:
    """``(synalinks version, modules)`` from a snapshot file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"cannot read the module catalogue {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise CatalogueError(f"the module catalogue {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogueError(f"{path} is not a Synalinks Canvas module catalogue")
    if data.get("version") != VERSION:
        raise CatalogueError(
            f"{path} is a catalogue of version {data.get('version')!r}; this editor reads "
            f"version {VERSION} (refresh it with python -m core.catalogue.snapshot)"
        )
    try:
        modules = [CatalogueModule.model_validate(m) for m in data.get("modules", [])]
    except ValidationError as exc:
        raise CatalogueError(f"the module catalogue {path} has a bad entry: {exc}") from None
    return str(data.get("synalinks", "")), modules


@lru_cache(maxsize=4)
def shipped_catalogue() -> tuple[str, tuple[CatalogueModule, ...]]:
    """The snapshot shipped in ``resources/`` (read once per process)."""
    version, modules = read_catalogue(SNAPSHOT)
    return version, tuple(modules)


def write_catalogue(version: str, modules: list[dict], path: Path = SNAPSHOT) -> None:
    document = {"format": FORMAT, "version": VERSION, "synalinks": version, "modules": modules}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


async def fetch_catalogue(python: str) -> tuple[str, list[dict]]:
    """Ask a worker on ``python`` to describe its synalinks' modules."""
    from core.runtime import protocol as p
    from core.runtime.client import RuntimeWorker, new_request_id

    worker = RuntimeWorker(python)
    await worker.start()
    try:
        async for message in worker.request(p.CatalogueRequest(id=new_request_id())):
            if isinstance(message, p.Catalogue):
                return message.synalinks, [
                    m.model_dump(by_alias=True, mode="json") for m in message.modules
                ]
            if isinstance(message, p.WorkerErrorMessage):
                raise RuntimeError(message.message)
    finally:
        await worker.shutdown()
    raise RuntimeError("the worker gave no catalogue")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Refresh the shipped Synalinks module catalogue.")
    parser.add_argument("--python", help="an interpreter with synalinks 0.10")
    parser.add_argument("-o", "--output", type=Path, default=SNAPSHOT)
    args = parser.parse_args(argv)
    python = args.python
    if not python:
        from core.cli.run_cmd import synalinks_python

        python = synalinks_python(None)
    version, modules = asyncio.run(fetch_catalogue(python))
    write_catalogue(version, modules, args.output)
    print(f"wrote {len(modules)} modules of synalinks {version} to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
