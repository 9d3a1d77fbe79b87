"""``synalinks-canvas import SCRIPT.py [-o OUT.json] [--program NAME]``: read a script as a graph.

The script is parsed, never run. The graph goes to ``OUT.json`` (or standard
output); warnings (details the graph leaves out) and the graph's own
validation problems are printed to standard error. Exit 0 on success, 1 when
the script cannot be imported (each problem with file, line and what to do),
2 when a file cannot be read or written. A script that builds several programs
needs ``--program NAME``; without it the error lists their names.
"""

from __future__ import annotations

import argparse
import sys

from core.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from core.files import GraphFileError, dumps_graph, save_graph
from core.importer import ScriptImportError, import_python_file
from core.registry import default_registry
from core.validation import validate


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(
        name,
        help="import a Synalinks Python script as a graph (the script is read, never run)",
        description="Read a Synalinks functional-API script and write the graph it builds.",
    )
    parser.add_argument("script", metavar="SCRIPT.py")
    parser.add_argument(
        "-o", "--output", metavar="OUT.json", help="write the graph here (default: stdout)"
    )
    parser.add_argument(
        "--program",
        metavar="NAME",
        help="the program to import, when the script builds several (their names are listed)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    registry = default_registry()
    try:
        result = import_python_file(args.script, registry, getattr(args, "program", None))
    except ScriptImportError as exc:
        print(f"{exc}", file=sys.stderr)
        return EXIT_FAILED if exc.problems else EXIT_BAD_INPUT
    for warning in result.warnings:
        print(f"{warning}", file=sys.stderr)
    graph = result.graph
    for diagnostic in validate(graph, registry):
        where = (
            f" [{graph.nodes[diagnostic.node_id].name}]"
            if diagnostic.node_id in graph.nodes
            else ""
        )
        print(
            f"{args.script}: graph {diagnostic.severity}{where}: {diagnostic.message}",
            file=sys.stderr,
        )
    try:
        if args.output:
            save_graph(graph, args.output)
            print(f"wrote {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(dumps_graph(graph))
    except GraphFileError as exc:
        print(f"{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK
