"""`detector models list|compare|promote|rollback`: model versions and the gate before one
goes live (versions under DETECTOR_MODELS_HOME; the shipped models/ is always there)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

HELP = "list, compare, promote and roll back model versions"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help=HELP, description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("list", help="the versions, which one is promoted and which is served")
    cmp = sub.add_parser("compare", help="figures of two versions side by side")
    cmp.add_argument("old", help="version: name, model_version, 'shipped', 'served' or a dir")
    cmp.add_argument("new", help="version to compare against OLD (same forms)")
    cmp.add_argument("--boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
    cmp.add_argument("--json", type=Path, help="also save the figures as JSON")
    pro = sub.add_parser("promote", help="serve VERSION, if it is no worse than the served one")
    pro.add_argument("version", help="name, model_version, or a model directory")
    pro.add_argument("--force", action="store_true",
                     help="promote even when the gate refuses (logged in the label store)")
    pro.add_argument("--reason", help="why (kept in the promotion log)")
    pro.add_argument("--boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
    sub.add_parser("rollback", help="serve the previously promoted version (or the shipped one)")
    parser.set_defaults(func=run)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from detector.settings import Settings

    settings = Settings.from_env()
    return {"list": _list, "compare": _compare, "promote": _promote,
            "rollback": _rollback}[args.action](settings, args)


def _list(settings, args) -> int:  # type: ignore[no-untyped-def]
    from detector.registry.versions import (
        VersionNotFound,
        list_versions,
        promoted_name,
        served_model_dir,
    )

    try:
        served = served_model_dir(settings).resolve()
    except VersionNotFound as exc:
        print(f"note: {exc}; servers keep what they serve", file=sys.stderr)
        served = settings.model_dir.resolve()
    promoted = promoted_name(settings)
    versions = list_versions(settings)
    # Full names, never cut: what is printed is what `compare`/`promote` take (issue 27).
    name_w = max([len("name"), *(len(v.name) for v in versions)])
    version_w = max([len("model_version"), *(len(v.version) for v in versions)])
    print(f"{'':2} {'name':<{name_w}}  {'model_version':<{version_w}}  {'sha256':<12}  "
          "labels  path")
    for v in versions:
        mark = ("*" if v.path.resolve() == served else " ") + ("P" if v.name == promoted else " ")
        print(f"{mark} {v.name:<{name_w}}  {v.version:<{version_w}}  {v.sha256[:12]:<12}  "
              f"{v.n_labels:>6}  {v.path}")
    print("\n* served (DETECTOR_MODEL_DIR pins it)" if settings.model_dir_pinned
          else "\n* served, P promoted")
    print("compare, promote: give a name or a model_version as printed (`served` and "
          "`shipped` work too)")
    return 0


def _compare(settings, args) -> int:  # type: ignore[no-untyped-def]
    from detector.registry.compare import format_comparison
    from detector.registry.promote import compare_versions
    from detector.registry.versions import resolve

    result = compare_versions(settings, resolve(settings, args.old), resolve(settings, args.new),
                              args.boot, log)
    print(format_comparison(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def _promote(settings, args) -> int:  # type: ignore[no-untyped-def]
    from detector.registry.compare import format_comparison
    from detector.registry.promote import PromotionRefused, promote

    try:
        result = promote(settings, args.version, force=args.force, n_boot=args.boot,
                         reason=args.reason, log=log)
    except PromotionRefused as exc:
        print(f"detector models promote: refused: {exc}", file=sys.stderr)
        return 1
    print(format_comparison(result))
    if result["refusals"]:
        logging.getLogger("detector.registry").warning("forced promotion of %s", result["new"])
        print(f"FORCED: promoted {result['new']} although the gate refused", file=sys.stderr)
    print(f"promoted {result['new']} in the label store; every server using it picks it up "
          "within DETECTOR_RELOAD_POLL_SECONDS (or on POST /v1/admin/reload), loading it "
          "from its own DETECTOR_MODELS_HOME")
    if settings.model_dir_pinned:
        print("note: DETECTOR_MODEL_DIR is set here, so servers with it keep serving that "
              "directory", file=sys.stderr)
    return 0


def _rollback(settings, args) -> int:  # type: ignore[no-untyped-def]
    from detector.registry.promote import rollback

    now = rollback(settings)
    print(f"rolled back: now serving {now['version'] if now else 'the shipped model'}")
    return 0
