"""``synalinks-canvas validate FILE...``: print diagnostics; exit 0 clean, 1 errors, 2 unreadable."""

from __future__ import annotations

import argparse
import json
import sys

from core.files import GraphFileError, load_graph
from core.registry import default_registry
from core.validation import validate


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(name, help="check graph files and print their problems")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    registry = default_registry()
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
