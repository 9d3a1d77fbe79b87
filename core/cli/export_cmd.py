"""``synalinks-canvas export FILE [-o OUT] [--format python|mermaid|synalinks]``.

Writes the graph as a runnable Synalinks script (the default) or as Mermaid
text, to ``OUT`` or to standard output. Without ``--format`` the format
follows OUT's suffix (``.mmd``/``.mermaid``: Mermaid; otherwise Python).
``--format synalinks`` writes Synalinks' own saved program (what
``program.save`` writes, learnt variables included) to ``OUT``: the real
synalinks writes it, in a worker (``--python`` chooses its interpreter).
Exit 0 on success, 1 when the graph cannot be exported (its problems are
printed), 2 when the file cannot be read or written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from core.export import ExportError, export_mermaid, export_python
from core.files import GraphFileError, load_graph
from core.files.save import atomic_write_text
from core.registry import default_registry

FORMATS = {"python": export_python, "mermaid": export_mermaid}
SYNALINKS = "synalinks"
MERMAID_SUFFIXES = (".mmd", ".mermaid")


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(
        name,
        help="export a graph as a runnable Synalinks script or as Mermaid text",
        description="Export a graph file as a Synalinks Python script (default) or Mermaid text.",
    )
    parser.add_argument("file", metavar="FILE", help="the graph file (.json)")
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write here instead of standard output"
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=sorted([*FORMATS, SYNALINKS]),
        help="python, mermaid or synalinks (Synalinks' saved program; needs -o) "
        "(default: from OUT's suffix, else python)",
    )
    parser.add_argument(
        "--python", metavar="PATH", help="the interpreter with synalinks 0.10 for -f synalinks"
    )
    parser.set_defaults(handler=run)


def chosen_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output and Path(output).suffix.lower() in MERMAID_SUFFIXES:
        return "mermaid"
    return "python"


def run(args: argparse.Namespace) -> int:
    registry = default_registry()
    try:
        graph = load_graph(args.file, registry)
    except GraphFileError as exc:
        print(f"{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    fmt = chosen_format(args.format, args.output)
    if fmt == SYNALINKS:
        return _save_synalinks(args, graph, registry)
    try:
        text = FORMATS[fmt](graph, registry)
    except ExportError as exc:
        print(f"{args.file}: cannot export: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        atomic_write_text(args.output, text)
    except GraphFileError as exc:
        print(f"{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {args.output} ({fmt})", file=sys.stderr)
    return EXIT_OK


def _save_synalinks(args: argparse.Namespace, graph, registry) -> int:
    """Synalinks' saved program, written by synalinks itself in a worker."""
    import asyncio

    from core.cli.run_cmd import synalinks_python
    from core.runtime.client import WorkerError, WorkerPool
    from core.runtime.saved_programs import save_synalinks_program

    if not args.output:
        print("export -f synalinks needs -o OUT.json (the program file to write)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        python = synalinks_python(getattr(args, "python", None))
    except ValueError as exc:
        print(f"{exc}", file=sys.stderr)
        return EXIT_FAILED

    async def save() -> None:
        pool = WorkerPool(python)
        try:
            folder = str(Path(args.file).resolve().parent)
            await save_synalinks_program(graph, registry, args.output, pool, [folder])
        finally:
            await pool.close()

    try:
        asyncio.run(save())
    except ExportError as exc:
        print(f"{args.file}: cannot export: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except ValueError as exc:
        print(f"{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (WorkerError, OSError) as exc:
        print(f"{args.output}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {args.output} ({SYNALINKS})", file=sys.stderr)
    return EXIT_OK
