"""`detector rules`: list the red-flag catalogue, report each flag's precision on the labelled
data and its recall on real scam texts, or print the real scam texts no serious flag catches."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

from detector.corpus.build import load_corpus
from detector.flags import CATALOGUE
from detector.flags.qa import format_rule_report, rule_report
from detector.flags.recall import (
    REAL_SCAM_SOURCES,
    ScannedSource,
    recall_columns,
    scan_labelled_scams,
    scan_real_scams,
    source_summary,
)
from detector.settings import PROJECT_ROOT, Settings

#: Where the shared real data sits in a checkout (and in CI): beside the clone.
DEFAULT_SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"

#: Share of each real scam source caught by a medium/high flag with the catalogue as it was
#: before issue 13 (commit bd81e6a), measured with this report's recall code on the same
#: files. A record for the page's before/after column, not a computed figure: to re-measure,
#: run this report in a checkout of that commit with `detector/flags/recall.py` copied in.
RECALL_BEFORE_ISSUE_13: dict[str, float] = {
    "news_job_zh": 0.993, "news_all_zh": 0.573, "chat_zh": 0.198, "sms_en": 0.620,
    "posts_emscad": 0.050, "posts_orfd_58": 0.009, "posts_sms_job_scams_en": 0.620,
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rules", help="red-flag catalogue and rule QA")
    actions = parser.add_subparsers(dest="action", required=True)
    report = actions.add_parser("report", help="hits, precision and coverage per flag on "
                                "labeled_posts/, and recall on real scam texts, per language")
    report.add_argument("--csv", help="also write the per-flag report as CSV here")
    report.add_argument("--markdown", help="also write the report as a markdown page here "
                        "(docs/rules.md is generated this way)")
    report.add_argument("--shared-data", type=Path, default=DEFAULT_SHARED_DATA,
                        help="folder of the shared real data, read for the recall columns "
                        "(default: ../shared/data beside the project; skipped if absent)")
    report.set_defaults(func=run_report)
    uncaught = actions.add_parser(
        "uncaught", help="print the real scam texts that no medium/high flag catches "
        "(to the terminal only: the news texts must not be copied into the project)")
    uncaught.add_argument("source", choices=[s.name for s in REAL_SCAM_SOURCES] + ["posts"],
                          help="which real scam source to read")
    uncaught.add_argument("--limit", type=int, default=50, help="texts to print at most")
    uncaught.add_argument("--chars", type=int, default=400, help="characters per text")
    uncaught.add_argument("--shared-data", type=Path, default=DEFAULT_SHARED_DATA,
                          help="folder of the shared real data")
    uncaught.set_defaults(func=run_uncaught)
    listing = actions.add_parser("list", help="list the flags")
    listing.add_argument("--lang", choices=("en", "zh"), default="en", help="language of titles")
    listing.set_defaults(func=run_list)


def run_report(args: argparse.Namespace) -> int:
    frame = load_corpus(Settings.from_env().data_dir)
    report = rule_report(frame)
    real = scan_real_scams(args.shared_data)
    report = report.merge(recall_columns(real), on=["flag", "language"], how="left")
    summary = source_summary(real + scan_labelled_scams(frame))
    print(format_rule_report(report))
    print()
    print(format_summary(summary))
    for line in skipped_lines(real):
        print(line)
    if args.csv:
        report.to_csv(args.csv, index=False)
    if args.markdown:
        Path(args.markdown).write_text(rules_page(report, summary, real), encoding="utf-8")
    return 0


def skipped_lines(real: list[ScannedSource]) -> list[str]:
    return [f"recall on {s.name} skipped ({s.skipped}); its columns are left out"
            for s in real if s.skipped is not None]


def format_summary(summary: pd.DataFrame) -> str:
    """Per source: how many real scam texts a medium/high flag catches (and before issue 13),
    by any flag, and how many no medium/high flag catches."""
    lines = ["| source | language | what | texts | caught by a medium/high flag | before "
             "issue 13 | caught by any flag | no medium/high flag |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in summary.itertuples(index=False):
        before = _share(RECALL_BEFORE_ISSUE_13.get(r.source, math.nan))
        if r.note:
            lines.append(f"| {r.source} | {r.language} | {r.what} | – | {r.note} | {before} | – "
                         "| – |")
            continue
        lines.append(f"| {r.source} | {r.language} | {r.what} | {r.n} | "
                     f"{_share(r.caught_medium_high)} | {before} | {_share(r.caught_any)} | "
                     f"{r.uncaught_medium_high} |")
    return "\n".join(lines)


def _share(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1%}"


def rules_page(report: pd.DataFrame, summary: pd.DataFrame, real: list[ScannedSource]) -> str:
    catalogue = "\n".join(
        f"| `{flag.id}` | {flag.severity} | {flag.text('title', 'en')} | "
        f"{flag.text('title', 'zh')} |"
        for flag in CATALOGUE
    )
    skipped = "\n".join(f"- {line}" for line in skipped_lines(real))
    return f"""# Red flags

Generated by `detector rules report --markdown docs/rules.md`; do not edit by hand.

| id | severity | title | 标题 |
|---|---|---|---|
{catalogue}

Severity drives the risk: `high` makes a verdict high, `medium` at least medium, `low` is
shown and used by the model only.

## Recall on real scam texts (`../shared/data/`, read at QA time, never copied here)
How many real scam texts a medium/high flag catches, per source. `news_*` are police and news
reports *about* scams (they quote the scam's wording between warnings, which the negation
handling partly cancels by design), `chat_zh` real fraud chats (mostly not job scams),
`sms_en` real job-scam SMS lures, `posts_*` the scam rows of `labeled_posts/`. Read what no
flag catches with `detector rules uncaught SOURCE` (prints to the terminal only). "before
issue 13" is the same measurement on the catalogue of commit bd81e6a (recorded, see
`RECALL_BEFORE_ISSUE_13` in `detector/cli/rules.py`).

{format_summary(summary)}
{skipped}

## Rule QA on `labeled_posts/` (like SpamAssassin's rule QA)
Hits among scams and legit postings, precision, coverage (share of scams hit), the legit hit
rate, precision re-weighted to real prevalence, and how often a negated form (不收押金,
"no fee") was found and suppressed in legit postings. Most catalogue scams (training fees,
order brushing, ID requests) are absent from the labelled data, so coverage there is low by
construction; precision on the legit rows is what protects real jobs. The `recall_*` columns
are the share of each real scam source (above) that the flag catches, in that source's
language.

{format_rule_report(report)}
"""


def run_uncaught(args: argparse.Namespace) -> int:
    if args.source == "posts":
        sources = scan_labelled_scams(load_corpus(Settings.from_env().data_dir))
    else:
        sources = [s for s in scan_real_scams(args.shared_data) if s.name == args.source]
    for source in sources:
        if source.skipped is not None:
            print(f"{source.name}: skipped ({source.skipped})")
            return 1
        missed = source.uncaught()
        print(f"## {source.name}: {len(missed)} of {source.n} texts without a medium/high flag")
        for text, hits in missed[: args.limit]:
            flat = " ".join(text.split())
            low = ",".join(sorted(hits)) or "-"
            print(f"- [{low}] {flat[: args.chars]}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    for flag in CATALOGUE:
        print(f"{flag.id:<24} {flag.severity:<7} {flag.text('title', args.lang)}")
    return 0
