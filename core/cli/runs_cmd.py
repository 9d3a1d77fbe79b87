"""``synalinks-canvas runs GRAPH``: the kept runs of a graph, one of them, or delete some.

Every run (editor or ``run``) is kept in the run store; a graph's runs are
those of its file (by resolved path). ``--show ID`` prints one run (an id's
first characters are enough when they name one run); ``--json`` prints JSON
(one object per run when listing). Exit 0, or 2 when the run asked for is not
kept or the store cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from core.cli import EXIT_BAD_INPUT, EXIT_OK


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(
        name,
        help="list the kept runs of a graph, show one, or delete some",
        description="List the runs of a graph kept in the run store (newest first), show one "
        "run with its inputs, outputs and nodes, or delete runs.",
    )
    parser.add_argument("file", metavar="GRAPH", help="the graph file whose runs to list")
    parser.add_argument("--show", metavar="ID", help="print this run (its id or first characters)")
    parser.add_argument("--delete", metavar="ID", nargs="+", help="delete these runs")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="list the N newest")
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="the folder of the run store (default: the user's data folder, or "
        "SYNALINKS_CANVAS_DATA_DIR)",
    )
    parser.set_defaults(handler=runs)


def runs(args: argparse.Namespace) -> int:
    from core.store import STORE_FILE, RunStore, default_store_path, graph_key_for

    path = (
        Path(args.cache_dir).expanduser() / STORE_FILE if args.cache_dir else default_store_path()
    )
    store = RunStore(path)
    key = graph_key_for(args.file)
    try:
        if args.delete:
            deleted = store.delete(_full_ids(store, key, args.delete))
            code = _problem(store)
            if code is None:
                print(f"Deleted {deleted} run{'s' if deleted != 1 else ''}.")
            return code or EXIT_OK
        if args.show:
            stored = store.load(args.show)
            if stored is None or stored.summary.graph_key != key:
                problem = store.take_warning()
                print(
                    problem
                    or f"No run {args.show!r} of {args.file} is kept; "
                    f"'synalinks-canvas runs {args.file}' lists them.",
                    file=sys.stderr,
                )
                return EXIT_BAD_INPUT
            _print_run(stored, args.json)
            return EXIT_OK
        listed = store.list(key, args.limit)
        code = _problem(store)
        if code is not None:
            return code
        _print_list(listed, args.file, args.json)
        return EXIT_OK
    finally:
        store.close()


def _full_ids(store: Any, key: str, given: list[str]) -> list[str]:
    """Each given id, or the one run of this graph whose id begins with it."""
    ids = [s.run_id for s in store.list(key)]
    chosen = []
    for prefix in given:
        matches = [i for i in ids if i.startswith(prefix)]
        if len(matches) == 1:
            chosen.append(matches[0])
        elif prefix in ids:
            chosen.append(prefix)
    return chosen


def _problem(store: Any) -> int | None:
    warning = store.take_warning()
    if warning:
        print(f"error: {warning}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return None


def _when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))


def _print_list(listed: list[Any], file: str, as_json: bool) -> None:
    if as_json:
        for summary in listed:
            print(json.dumps(summary.to_json(), ensure_ascii=False))
        return
    if not listed:
        print(f"No runs of {file} are kept yet.")
        return
    print(f"{'ID':<10}{'STARTED':<21}{'STATUS':<11}{'TIME':>8}{'TOKENS':>8}  {'SCOPE':<14}INPUT")
    for s in listed:
        took = f"{s.duration:.2f}s" if s.duration is not None else "-"
        print(
            f"{s.run_id[:8]:<10}{_when(s.started_at):<21}{s.status:<11}{took:>8}"
            f"{s.tokens_in + s.tokens_out:>8}  {(s.scope or 'whole'):<14.14}{s.input_preview[:60]}"
        )


def _print_run(stored: Any, as_json: bool) -> None:
    s = stored.summary
    if as_json:
        print(
            json.dumps(
                {
                    **s.to_json(),
                    "inputs": stored.inputs,
                    "outputs": stored.outputs,
                    "record": stored.record,
                    "graph": stored.graph,
                },
                ensure_ascii=False,
            )
        )
        return
    print(f"Run {s.run_id} of {s.graph_name} ({s.graph_key})")
    print(f"  started {_when(s.started_at)} from the {s.origin or 'editor'}, {s.status}")
    took = f"{s.duration:.2f} s" if s.duration is not None else "-"
    cost = f", ${s.cost:.4f}" if s.cost is not None else ""
    print(f"  took {took}, {s.tokens_in} tokens in, {s.tokens_out} out{cost}")
    if s.scope:
        print(f"  ran {s.scope}")
    print("Inputs:")
    print(json.dumps(stored.inputs, indent=2, ensure_ascii=False))
    print("Nodes:")
    for node in stored.record.get("nodes") or ():
        how = (
            " (pinned)"
            if node.get("pinned")
            else " (cached)"
            if node.get("cached")
            else " (from an earlier run)"
            if node.get("reused_from")
            else ""
        )
        took = f" {node['duration']:.2f} s" if node.get("duration") is not None else ""
        print(f"  {node.get('node_name')}: {node.get('state')}{how}{took}")
        if node.get("error"):
            print(f"    {node['error']}")
    print("Outputs:")
    print(json.dumps(stored.outputs, indent=2, ensure_ascii=False))
