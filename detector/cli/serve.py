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
    parser.add_argument("--open-decisions-for-trial", action="store_true",
                        help="with no API keys configured, let anyone record decisions, "
                        "reload the model and read /metrics: for a trial on this machine "
                        "only (loopback addresses; a warning is printed). Without it, and "
                        "without keys, those routes answer 403; make keys with "
                        "`detector keys add --role moderator`")
    parser.set_defaults(func=run)


def port_number(raw: str) -> int:
    value = positive_int(raw)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 1-65535, got {value}")
    return value


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_start(host: str) -> None:
    """Mistakes in the keys (an unknown role, a role name used as a key, a keys file cut
    short) stop the server before it starts, naming the entry; so does the trial opt-in on
    an address other machines reach."""
    from detector.apikeys import read_file
    from detector.cli.common import UsageError
    from detector.settings import Settings

    settings = Settings.from_env()  # parses DETECTOR_API_KEYS
    path = settings.api_keys_file
    if path is not None and path.exists():
        read_file(path)
    keys = bool(settings.api_keys) or path is not None
    if settings.open_decisions_for_trial and not keys and not is_loopback(host):
        raise UsageError(f"--open-decisions-for-trial (DETECTOR_OPEN_DECISIONS_FOR_TRIAL) is "
                         f"for a trial on this machine: listen on 127.0.0.1, not {host}; "
                         "anywhere else make keys with `detector keys add --role moderator`")


def run(args: argparse.Namespace) -> int:
    import os

    if getattr(args, "open_decisions_for_trial", False):
        os.environ["DETECTOR_OPEN_DECISIONS_FOR_TRIAL"] = "1"  # read by every worker
    check_start(args.host)
    # Imported here so other commands do not pay for FastAPI/uvicorn at start-up.
    from api.server import default_workers
    from api.server import run as serve

    serve(args.host, args.port, args.workers or default_workers())
    return 0
