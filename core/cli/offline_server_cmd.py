"""``synalinks-canvas offline-server``: the offline model on an OpenAI-compatible URL.

An exported script runs under the real synalinks, which only knows real
providers; pointed at this server (``--model openai/offline --api-base URL``,
any ``OPENAI_API_KEY``) it gets the built-in offline model's answers, with no
key and no network. It listens on 127.0.0.1 only, until interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import sys


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(
        name,
        help="serve the offline model on 127.0.0.1 for exported scripts",
        description="Serve the built-in offline model as an OpenAI-compatible endpoint on "
        "127.0.0.1, so an exported script runs offline: python program.py --model "
        "openai/offline --api-base URL (with any OPENAI_API_KEY).",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument(
        "--delay", type=float, default=0.0, metavar="SECONDS", help="wait per token (default 0)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_serve(args.port, args.delay))


async def _serve(port: int, delay: float) -> int:
    from core.runtime.offline_endpoint import OfflineEndpoint

    endpoint = OfflineEndpoint(port=port)
    try:
        await endpoint.start()
    except OSError as exc:
        print(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    url = endpoint.api_base(delay)
    print(f"offline model at {url}", flush=True)
    print(
        f"run an exported script with: python program.py --model openai/offline --api-base {url}"
        " (set OPENAI_API_KEY to anything); Ctrl+C stops",
        file=sys.stderr,
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await endpoint.stop()
    return 0
