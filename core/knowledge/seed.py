"""Fill a knowledge base from a JSON file of records, with an ingest graph.

An ingest graph is a Synalinks program whose one Input takes a record (for
instance ``Document`` → ``EmbedKnowledge`` → ``UpdateKnowledge``). Seeding
runs it on the Synalinks backend once per record, on one warm worker, so the
records are embedded and stored exactly as the program does it: this is how
``saved_graphs/knowledge/notes.db`` is built from ``notes.json`` instead of
shipping a binary database.

    python -m core.knowledge.seed saved_graphs/knowledge_ingest.json \\
        saved_graphs/knowledge/notes.json [--python PY]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from core.engine.options import RunOptions
from core.engine.record import RunRecord
from core.model.graph import Graph


class SeedError(Exception):
    """Seeding could not go on (the message says which record and why)."""


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """The records of a JSON file holding a list of objects."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SeedError(f"{path}: cannot read the records ({exc}); give a JSON list") from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise SeedError(f"{path}: the records must be a JSON list of objects")
    return records


async def seed(graph: Graph, records: list[dict[str, Any]], backend: Any) -> list[RunRecord]:
    """Run ``graph`` on ``backend`` once per record, in order; stop at the first
    failure with a message naming the record."""
    done = []
    for index, record in enumerate(records):
        where = f"record {index + 1} ({record.get('id', '?')}) was not stored"
        try:
            run = await backend.run(graph, record)
        except ValueError as exc:  # the input does not fit, or the graph cannot run
            raise SeedError(f"{where}: {exc}") from None
        if run.status != "succeeded":
            errors = "; ".join(r.error for r in run.nodes.values() if r.error) or run.status
            raise SeedError(f"{where}: {errors}")
        done.append(run)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.knowledge.seed", description=__doc__)
    parser.add_argument("graph", help="the ingest graph (one Input taking a record)")
    parser.add_argument("records", help="a JSON list of records")
    parser.add_argument("--python", help="the Python of a synalinks environment")
    args = parser.parse_args(argv)

    from core.files import load_graph
    from core.registry import default_registry
    from core.runtime.backend import SynalinksBackend
    from core.runtime.client import WorkerPool
    from core.runtime.environment import find_environment

    registry = default_registry()
    graph = load_graph(args.graph, registry)
    found = find_environment(args.python)
    if found is None or not found.usable:
        print(
            "error: no Python environment with synalinks 0.10 was found; pass --python or run "
            "make test once (it creates .venv-synalinks)",
            file=sys.stderr,
        )
        return 2
    python = found.python

    async def go() -> int:
        pool = WorkerPool(python)
        options = RunOptions(offline_delay=0, project_dir=str(Path(args.graph).parent.resolve()))
        backend = SynalinksBackend(registry, options, pool=pool)
        try:
            runs = await seed(graph, read_records(args.records), backend)
        finally:
            await backend.offline.close()
            await pool.close()
        print(f"stored {len(runs)} record(s) with {graph.meta.name}")
        return 0

    try:
        return asyncio.run(go())
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
