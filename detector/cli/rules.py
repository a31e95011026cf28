"""`detector rules`: list the red-flag catalogue, or report each flag's precision on the data."""

from __future__ import annotations

import argparse

from detector.corpus.build import load_corpus
from detector.flags import CATALOGUE
from detector.flags.qa import format_rule_report, rule_report
from detector.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rules", help="red-flag catalogue and rule QA")
    actions = parser.add_subparsers(dest="action", required=True)
    report = actions.add_parser("report", help="hits, precision and coverage per flag on "
                                "labeled_posts/, per language")
    report.add_argument("--csv", help="also write the report as CSV here")
    report.set_defaults(func=run_report)
    listing = actions.add_parser("list", help="list the flags")
    listing.add_argument("--lang", choices=("en", "zh"), default="en")
    listing.set_defaults(func=run_list)


def run_report(args: argparse.Namespace) -> int:
    frame = load_corpus(Settings.from_env().data_dir)
    report = rule_report(frame)
    print(format_rule_report(report))
    if args.csv:
        report.to_csv(args.csv, index=False)
    return 0


def run_list(args: argparse.Namespace) -> int:
    for flag in CATALOGUE:
        print(f"{flag.id:<24} {flag.severity:<7} {flag.text('title', args.lang)}")
    return 0
