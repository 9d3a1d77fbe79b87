"""``synalinks-canvas validate FILE...``: print diagnostics; exit 0 clean, 1 errors, 2 unreadable."""

from __future__ import annotations

import argparse
import json
import sys

from core.files import GraphFileError, load_graph
from core.registry import default_registry
from core.validation import blocking, validate


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(name, help="check graph files and print their problems")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.add_argument(
        "--synalinks",
        action="store_true",
        help="also build each graph with the real synalinks library (in a worker process) "
        "and report its build errors",
    )
    parser.add_argument(
        "--python", metavar="PATH", help="the interpreter with synalinks 0.10 for --synalinks"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    registry = default_registry()
    checker = None
    if args.synalinks:
        from core.cli.run_cmd import synalinks_python

        try:
            checker = SynalinksChecker(synalinks_python(args.python), registry)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    try:
        return _validate_all(args, registry, checker)
    finally:
        if checker is not None:
            checker.close()


class SynalinksChecker:
    """One worker for every file of the command (synalinks loads once)."""

    def __init__(self, python: str, registry) -> None:
        import asyncio

        from core.runtime.client import WorkerPool

        self.registry = registry
        self.loop = asyncio.new_event_loop()
        self.pool = WorkerPool(python)

    def check(self, graph, path: str) -> list:
        from pathlib import Path

        from core.runtime.build_check import check_with_synalinks

        folder = str(Path(path).resolve().parent)
        return self.loop.run_until_complete(
            check_with_synalinks(graph, self.registry, self.pool, folder)
        )

    def close(self) -> None:
        self.loop.run_until_complete(self.pool.close())
        self.loop.close()


def _validate_all(args: argparse.Namespace, registry, checker: SynalinksChecker | None) -> int:
    from core.runtime.client import WorkerError

    worst = 0
    for path in args.files:
        try:
            graph = load_graph(path, registry)
        except GraphFileError as exc:
            if args.json:
                print(json.dumps({"file": path, "readable": False, "error": str(exc)}))
            else:
                print(f"{exc}", file=sys.stderr)
            worst = 2
            continue
        diagnostics = validate(graph, registry)
        if not graph.nodes:  # hints while editing, but a file is checked as a program
            diagnostics = blocking(graph, diagnostics)
        if checker is not None and not any(d.is_error for d in diagnostics):
            try:
                diagnostics += checker.check(graph, path)
            except WorkerError as exc:
                print(f"{path}: cannot validate with Synalinks: {exc}", file=sys.stderr)
                worst = 2
        errors = sum(d.is_error for d in diagnostics)
        if args.json:
            rows = []
            for d in diagnostics:
                row = d.to_dict()
                row["node"] = graph.nodes[d.node_id].name if d.node_id in graph.nodes else None
                rows.append(row)
            print(
                json.dumps({"file": path, "readable": True, "errors": errors, "diagnostics": rows})
            )
        else:
            if not diagnostics:
                print(f"{path}: ok")
            for d in diagnostics:
                where = f" [{graph.nodes[d.node_id].name}]" if d.node_id in graph.nodes else ""
                print(f"{path}: {d.severity}: {d.code}{where}: {d.message}")
        if errors:
            worst = max(worst, 1)
    return worst
