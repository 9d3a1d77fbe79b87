"""The ``synalinks-canvas`` sub-commands. Plain Python: none of them imports Qt.

Each sub-command lives in its own module exposing ``register(subparsers)``;
the launcher (``editor.launcher``) sends ``synalinks-canvas <sub-command>``
here and everything else to the editor.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Sub-command name -> module holding it (imported only when used).
SUBCOMMANDS: dict[str, str] = {
    "validate": "core.cli.validate_cmd",
    "run": "core.cli.run_cmd",
    "export": "core.cli.export_cmd",
    "import": "core.cli.import_cmd",
    "offline-server": "core.cli.offline_server_cmd",
}

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synalinks-canvas",
        description="Synalinks Canvas: design, run and export Synalinks programs. "
        "Without a sub-command it opens the editor (optionally on FILE).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in SUBCOMMANDS.items():
        importlib.import_module(module_name).register(sub, name)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
