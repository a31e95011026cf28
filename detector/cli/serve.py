"""`detector serve`: the API and the web page (see `api/`). Owned by the API work."""

from __future__ import annotations

import argparse

from detector.cli.common import positive_int


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the scoring API and web page",
        description="Serve the JSON API (/v1), the web page (/) and the API docs (/docs).",
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; "
                        "0.0.0.0 for every interface)")
    parser.add_argument("--port", type=port_number, default=8000,
                        help="TCP port to listen on (default: 8000)")
    parser.add_argument("--workers", type=positive_int, default=None,
                        help="server processes, each with its own copy of the model "
                        "(~0.5 GB each; default: one per CPU core, at most 4)")
    parser.set_defaults(func=run)


def port_number(raw: str) -> int:
    value = positive_int(raw)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 1-65535, got {value}")
    return value


def run(args: argparse.Namespace) -> int:
    # Imported here so other commands do not pay for FastAPI/uvicorn at start-up.
    from api.server import default_workers
    from api.server import run as serve

    serve(args.host, args.port, args.workers or default_workers())
    return 0
