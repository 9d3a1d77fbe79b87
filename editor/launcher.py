"""The ``synalinks-canvas`` entry point: sub-commands go to the core CLI (no Qt
import, fast), and so does a bare word that is no file (a mistyped command is
refused there, listing the commands); anything else opens the editor."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from core.cli import SUBCOMMANDS, looks_like_command

    if argv and (
        argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help") or looks_like_command(argv[0])
    ):
        from core.cli import main as cli_main

        return cli_main(argv)
    from editor.app import main as app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())
