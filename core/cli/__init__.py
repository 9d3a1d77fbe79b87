"""The ``synalinks-canvas`` sub-commands. Plain Python: none of them imports Qt.

Each sub-command lives in its own module exposing ``register(subparsers)``;
the launcher (``editor.launcher``) sends ``synalinks-canvas <sub-command>``
here and everything else to the editor.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
from pathlib import Path

# Sub-command name -> module holding it (imported only when used).
SUBCOMMANDS: dict[str, str] = {
    "validate": "core.cli.validate_cmd",
    "run": "core.cli.run_cmd",
    "export": "core.cli.export_cmd",
    "import": "core.cli.import_cmd",
    "offline-server": "core.cli.offline_server_cmd",
    "eval": "core.cli.eval_cmd",
    "train": "core.cli.train_cmd",
    "runs": "core.cli.runs_cmd",
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


def looks_like_command(word: str) -> bool:
    """Whether a first argument is meant as a sub-command rather than a graph to
    open: a bare word (no dot, no slash) that names no existing file. Such a word
    that is not a known command is a typo or a command of a newer version; opening
    a window on it helps no one (and without a display Qt aborts)."""
    return (
        bool(word)
        and not word.startswith("-")
        and not any(c in word for c in "./\\")
        and not Path(word).exists()
    )


def unknown_command(word: str) -> int:
    """Say ``word`` is no command, suggest the nearest, list them all; exit 2."""
    names = list(SUBCOMMANDS)
    close = difflib.get_close_matches(word, names, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    print(
        f"synalinks-canvas: {word!r} is not a command.{hint}\n"
        f"Commands: {', '.join(names)}. Run 'synalinks-canvas --help' for details, "
        "or give a graph file (.json) to open it in the editor.",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in SUBCOMMANDS and looks_like_command(argv[0]):
        return unknown_command(argv[0])
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
