"""Arguments of `detector scan`, shared by `detector/cli/scan.py` and `python -m detector.scan`
(the latter needs nothing from `detector.cli`, which is handy for workers and benchmarks)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from detector.scan.engine import ScanInterrupted
from detector.scan.runner import ScanConfig

DESCRIPTION = """Score every posting of a feed file to file. INPUT: delimited text (.csv,
.tsv, .txt: Excel's "CSV" and "Unicode text" exports), an Excel workbook (.xlsx, the first
sheet or --sheet), .jsonl or .parquet; OUTPUT: .jsonl, .csv, .xlsx or .parquet (by
extension; a .csv gets a UTF-8 byte-order mark for Excel with --excel or when the feed was
not UTF-8). The text encoding (UTF-8, UTF-8 with BOM, UTF-16,
GB18030/GBK, ...), the separator (comma, semicolon, tab, pipe) and which column is which
posting field (schema names, job-board names such as job_title, Chinese headers such as
职位名称) are worked out and printed before scoring; --encoding, --delimiter and --map
override them (docs/scan.md). One output row per input row; rows that cannot be scored get
an `error` and are listed in the summary. Row numbers are 1-based (data records; line
numbers for JSONL) and serve as id when a row has none."""


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("input", type=Path,
                        help="feed to scan (.csv, .tsv, .txt, .xlsx, .jsonl, .parquet)")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="where to write results (.jsonl, .csv, .xlsx, .parquet)")
    parser.add_argument("--chunk-size", type=positive_int, default=2000,
                        help="rows per chunk (unit of parallelism and of resume; default 2000)")
    parser.add_argument("--jobs", "-j", type=positive_int, default=os.cpu_count() or 1,
                        help="worker processes (default: all cores)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local processes (default) or a Dask cluster (see --scheduler)")
    parser.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 "
                        "(default: start a local cluster of --jobs workers)")
    parser.add_argument("--sort", choices=("input", "risk"), default="input",
                        help="output order: input order (default) or riskiest first")
    parser.add_argument("--min-risk", choices=("medium", "high"),
                        help="write only rows at or above this risk (rejected rows are kept)")
    parser.add_argument("--encoding", metavar="NAME",
                        help="text encoding of the feed, e.g. gb18030, utf-16, cp1252 "
                        "(default: detected; the scan stops and asks when unsure)")
    parser.add_argument("--delimiter", metavar="SEP",
                        help="field separator of delimited text: comma, semicolon, tab or pipe "
                        "(or the character itself; default: sniffed)")
    parser.add_argument("--map", metavar="COLUMN=FIELD,...", dest="column_map",
                        help="read these columns as these posting fields, e.g. "
                        "'Stellenangebot=title,Firma=company' (FIELD - ignores a column); "
                        "added to the built-in names (docs/scan.md)")
    parser.add_argument("--sheet", metavar="NAME",
                        help="the sheet of an .xlsx workbook to read, by name or 1-based "
                        "number (default: the first)")
    parser.add_argument("--excel", action="store_true",
                        help="write a .csv OUTPUT with a UTF-8 byte-order mark, so Excel opens "
                        "Chinese text correctly (always so when the feed was not UTF-8)")
    parser.add_argument("--report", type=Path, help="also write a self-contained HTML report")
    parser.add_argument("--explain", action="store_true",
                        help="model_evidence (the words the text model weighed) for every row; "
                        "medium and high rows always carry it")
    parser.add_argument("--summary-json", type=Path, help="also write the summary as JSON")
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted scan of the same input and options")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress bar and no summary on stderr")
    parser.add_argument("--review", type=positive_int, metavar="N",
                        help="also write the review queue beside OUTPUT, its name with "
                        ".review.jsonl for its extension (-o out.jsonl: out.review.jsonl): "
                        "the N postings a moderator's decision would teach the model most")


def config_from_args(args: argparse.Namespace) -> ScanConfig:
    from detector.settings import Settings

    if args.scheduler and args.engine != "dask":
        raise ValueError("--scheduler only makes sense with --engine dask")
    from detector.feeds.columns import parse_map
    from detector.feeds.dialect import parse_delimiter
    from detector.feeds.readers import FeedOptions

    feed = FeedOptions(encoding=args.encoding,
                       delimiter=parse_delimiter(args.delimiter) if args.delimiter else None,
                       columns=parse_map(args.column_map), sheet=getattr(args, "sheet", None))
    return ScanConfig(
        input=args.input, output=args.output, model_dir=Settings.from_env().model_dir,
        chunk_size=args.chunk_size, jobs=args.jobs, engine=args.engine,
        scheduler=args.scheduler, sort=args.sort == "risk", min_risk=args.min_risk,
        report=args.report, summary_json=args.summary_json, resume=args.resume,
        quiet=args.quiet, feed=feed, explain=getattr(args, "explain", False),
        excel=getattr(args, "excel", False),
    )


def write_review_queue(args: argparse.Namespace) -> None:
    """After a finished scan: the review queue (and its section in the HTML report)."""
    if getattr(args, "review", None):
        from detector.scan.review import write_review

        path, left_out = write_review(args.input, args.output, args.review, args.report,
                                      config_from_args(args).feed)
        if not args.quiet:
            print(f"review queue: {path} ({left_out.describe()})", file=sys.stderr)


def interrupted_reason(exc: BaseException) -> str:
    """The runner's message (cause and what was kept), or Ctrl-C before scoring began."""
    if isinstance(exc, ScanInterrupted) and str(exc):
        return str(exc)
    return "interrupted (Ctrl-C) before scoring began: nothing was kept"
