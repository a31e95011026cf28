"""`detector serve`: the API and the web page (see `api/`). Owned by the API work."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="run the scoring API and web page")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here so other commands do not pay for FastAPI/uvicorn at start-up.
    from api.server import run as serve

    serve(args.host, args.port, args.workers)
    return 0
