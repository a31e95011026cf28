"""One scan end to end: check the feed, score chunks into the work directory (skipping
chunks a previous run finished), then assemble OUTPUT, the summary and the report in a
single streaming pass over the parts."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detector.feeds.readers import (
    FeedError,
    FeedLayout,
    FeedOptions,
    RawRow,
    inspect_feed,
    parquet_rows,
    read_feed,
)
from detector.scan.chunks import ScanOptions
from detector.scan.engine import ScanInterrupted
from detector.scan.merge import in_order, riskiest_first
from detector.scan.report import TopRecords, write_report
from detector.scan.resume import WorkDir, make_manifest, work_dir_for
from detector.scan.summary import Summary, format_summary
from detector.scan.writers import open_writer, output_format
from detector.verdict import RISK_ORDER

NOTE_ORDER = ("row numbers are 1-based data records (CSV, Parquet) or line numbers (JSONL); "
              "a row without an id gets its row number as id")


@dataclass
class ScanConfig:
    input: Path
    output: Path
    model_dir: Path
    chunk_size: int = 2000
    jobs: int = 1
    engine: str = "local"
    scheduler: str | None = None
    sort: bool = False
    min_risk: str | None = None
    report: Path | None = None
    summary_json: Path | None = None
    resume: bool = False
    quiet: bool = False
    #: Model evidence for every row, not only medium and high ones.
    explain: bool = False
    #: CSV output with a UTF-8 byte-order mark (Excel); always so when the feed was not UTF-8.
    excel: bool = False
    progress: bool | None = None  # None: only when stderr is a terminal
    feed: FeedOptions = field(default_factory=FeedOptions)  # --encoding, --delimiter, --map


def model_identity(model_dir: Path) -> tuple[str, str]:
    """(version, artifact sha256) from the model card (cheap: the parent never loads the
    model). The version is the verdicts' `model_version` (the card holds the bundle's);
    the sha also goes into the resume manifest, so a retrained model is never mixed in."""
    card_path = model_dir / "model_card.json"
    if not card_path.exists():
        raise FileNotFoundError(f"no model at {model_dir} (model_card.json missing); "
                                "run `detector train` or set DETECTOR_MODEL_DIR")
    card = json.loads(card_path.read_text(encoding="utf-8"))
    version = str(card.get("model_version", card.get("version", "?")))
    return version, str(card.get("artifact", {}).get("sha256", ""))


def _skip_done(chunks: Iterator[list[RawRow]],
               done: set[int]) -> Iterator[tuple[int, list[RawRow]]]:
    for index, chunk in enumerate(chunks):
        if index not in done:
            yield index, chunk


class ProgressLines:
    """Progress where a bar would be garbage (stderr is a log file or a pipe): a line every
    `every` seconds with the rows scored so far and the rate."""

    def __init__(self, every: float = 30.0) -> None:
        self.every = every
        self.started = self.last = time.monotonic()
        self.rows = 0

    def update(self, rows: int) -> None:
        self.rows += rows
        now = time.monotonic()
        if now - self.last >= self.every:
            rate = self.rows / max(now - self.started, 1e-9)
            print(f"scanning: {self.rows:,} rows scored ({rate:,.0f} rows/s)", file=sys.stderr,
                  flush=True)
            self.last = now

    def close(self) -> None:
        pass


def _progress_bar(config: ScanConfig) -> Any:
    if config.quiet:
        return None
    show = config.progress if config.progress is not None else sys.stderr.isatty()
    if not show:
        return ProgressLines()
    from tqdm import tqdm

    total = parquet_rows(config.input) if config.input.suffix.lower() == ".parquet" else None
    return tqdm(total=total, unit=" rows", desc="scanning", file=sys.stderr, smoothing=0.1)


def run_scan(config: ScanConfig) -> dict[str, Any]:
    """Run the scan; returns the summary dict. Raises ValueError subclasses for bad input."""
    started = time.perf_counter()
    layout = inspect_feed(config.input, config.feed)
    output_format(config.output)
    if config.report is not None and config.report.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"--report must be an .html file, got {config.report}")
    if config.output.resolve() == config.input.resolve():
        raise ValueError("output would overwrite the input; choose another -o path")
    config.output.parent.mkdir(parents=True, exist_ok=True)
    options = ScanOptions(model_dir=str(config.model_dir.resolve()), sort=config.sort,
                          keep_text=config.report is not None,
                          explain=config.explain)
    version, sha = model_identity(config.model_dir)
    manifest = make_manifest(config.input, config.chunk_size, f"{version}+{sha[:12]}",
                             {**options.as_dict(), "feed": layout.as_dict()})
    if not config.quiet:
        for line in layout.describe():
            print(line, file=sys.stderr)
    work = WorkDir(work_dir_for(config.output))
    done = work.open(manifest, resume=config.resume)
    try:
        processed, summary, top, notes = _score_and_assemble(config, options, work, done,
                                                             layout)
    except (KeyboardInterrupt, ScanInterrupted) as exc:
        # The work directory is what --resume continues from: say what it holds.
        raise ScanInterrupted(kept_message(exc, work)) from None
    except FeedError:
        work.remove()  # the feed itself is unreadable: resuming would not help
        raise
    except BaseException:
        _keep_or_remove(work)
        raise
    elapsed = time.perf_counter() - started
    data = summary.as_dict(
        input=str(config.input), output=str(config.output), model_version=version,
        engine=config.engine, jobs=config.jobs, chunk_size=config.chunk_size,
        sort=config.sort, min_risk=config.min_risk, resumed_chunks=len(done),
        rows_this_run=processed, elapsed_s=round(elapsed, 3),
        rows_per_s=round(processed / elapsed, 1) if elapsed > 0 else 0.0, note=NOTE_ORDER,
        feed=layout.as_dict(),
    )
    if notes:
        data["output_notes"] = notes
    if config.report is not None:
        write_report(config.report, data, top)
    if config.summary_json is not None:
        tmp = config.summary_json.with_name(f".{config.summary_json.name}.tmp{os.getpid()}")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, config.summary_json)
    work.remove()
    if not config.quiet:
        print(format_summary(data), file=sys.stderr)
        for note in notes:
            print(f"  output: {note}", file=sys.stderr)
    return data


def wants_bom(config: ScanConfig, layout: FeedLayout) -> bool:
    """A CSV for Excel: asked (`--excel`), or the feed came from it (not UTF-8 text, or a
    workbook): Excel reads UTF-8 without a BOM as the local code page."""
    if config.excel:
        return True
    if layout.format == "xlsx":
        return True
    return layout.encoding is not None and layout.encoding.label != "UTF-8"


def kept_message(exc: BaseException, work: WorkDir) -> str:
    """Why the scan stopped and what of it is kept (issue 19: the message said "()")."""
    cause = str(exc) if isinstance(exc, ScanInterrupted) and str(exc) else "Ctrl-C"
    if isinstance(exc, ScanInterrupted) and str(exc).startswith("interrupted"):
        return str(exc)  # already said
    done = sorted(work.done()) if work.path.exists() else []
    if not done:
        work.remove()
        return f"interrupted ({cause}) before any chunk finished: nothing was kept"
    rows = sum(_count_lines(work.part(index)) for index in done)
    chunks = f"{len(done)} finished chunk{'' if len(done) == 1 else 's'}"
    return (f"interrupted ({cause}): kept {chunks}, {rows:,} rows scored, in {work.path}; "
            "run the same command with --resume to continue")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def _keep_or_remove(work: WorkDir) -> None:
    """After an unexpected failure: keep finished chunks for --resume (and say so), or
    remove a work directory that holds nothing worth resuming."""
    finished = len(work.done()) if work.path.exists() else 0
    if finished:
        print(f"detector scan: {finished} finished chunks are kept in {work.path}; after "
              "fixing the cause, run the same command with --resume to continue "
              "(or without it to start over)", file=sys.stderr)
    else:
        work.remove()


def _score_and_assemble(config: ScanConfig, options: ScanOptions, work: WorkDir,
                        done: set[int], layout: FeedLayout
                        ) -> tuple[int, Summary, TopRecords, list[str]]:
    bar = _progress_bar(config)

    def progress(rows: int) -> None:
        if bar is not None:
            bar.update(rows)

    chunks = _skip_done(read_feed(config.input, config.chunk_size, layout=layout), done)
    try:
        if config.engine == "dask":
            from detector.scan.dask_engine import run_dask

            processed = run_dask(chunks, options, work, config.jobs, progress, config.scheduler)
        else:
            from detector.scan.engine import run_local

            processed = run_local(chunks, options, work, config.jobs, progress)
    finally:
        if bar is not None:
            bar.close()
    summary, top, notes = _assemble(config, work, wants_bom(config, layout))
    return processed, summary, top, notes


def _assemble(config: ScanConfig, work: WorkDir, bom: bool = False
              ) -> tuple[Summary, TopRecords, list[str]]:
    """Stream every part into OUTPUT (atomic), counting the summary on the way."""
    parts = work.parts()
    indices = sorted(work.done())
    if indices != list(range(len(indices))):
        missing = sorted(set(range(indices[-1] + 1)) - set(indices))[:5]
        raise RuntimeError(f"scan incomplete: chunks {missing} have no part in {work.path}")
    records = riskiest_first(parts, work.path) if config.sort else in_order(parts)
    floor = RISK_ORDER[config.min_risk] if config.min_risk else 0
    summary = Summary()
    top = TopRecords()
    with open_writer(config.output, bom=bom) as writer:
        for record in records:
            summary.add(record)
            top.add(record)
            risk = record.get("risk")
            if risk is None or RISK_ORDER[risk] >= floor:
                writer.write(record)
        summary.written = writer.count
    return summary, top, writer.notes()
