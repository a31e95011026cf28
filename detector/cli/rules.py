"""`detector rules`: list the red-flag catalogue, report each flag's false alarms on real legit
postings beside its recall on real scam texts, or print the real scam texts no serious flag
catches."""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detector.flags import CATALOGUE
from detector.flags.halves import DEVELOP, HELD_OUT
from detector.flags.sources import REAL_SCAM_SOURCES
from detector.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:  # pandas and the scans load only when a report runs (fast --help)
    import pandas as pd

    from detector.flags.recall import ScannedSource

#: Where the shared real data sits in a checkout (and in CI): beside the clone.
DEFAULT_SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
#: Key of the model card that holds the combiner's weight per flag ({flag: weight} or
#: {language: {flag: weight}}); the report's "combiner weight" column reads it.
CARD_FLAG_WEIGHTS = "flag_weights"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rules", help="red-flag catalogue and rule QA")
    actions = parser.add_subparsers(dest="action", required=True)
    report = actions.add_parser(
        "report", help="per flag: false alarms on real legit postings (labeled_posts/) and "
        "recall on real scam texts (the shared data folder), per language")
    report.add_argument("--csv", help="also write the per-flag figures as CSV here")
    report.add_argument("--markdown", help="also write the report as a markdown page here "
                        "(docs/rules.md is generated this way)")
    report.add_argument("--shared-data", type=Path, default=DEFAULT_SHARED_DATA,
                        help="folder of the shared real data, read for the recall figures "
                        "(default: ../shared/data beside the project; the report says what "
                        "it needs when absent)")
    report.add_argument("--disguises", action="store_true",
                        help="also run the disguise suite (slow: every disguise family on "
                        "every real scam text, through the detector; see `rules disguises`)")
    _suite_options(report)
    report.set_defaults(func=run_report)
    disguises = actions.add_parser(
        "disguises", help="the disguise suite alone: each disguise family (lookalike letters, "
        "separators, emoji, leetspeak, modifiers, bidi, Chinese separators and short forms), "
        "develop and held-out halves, on real scam and legit texts")
    disguises.add_argument("--shared-data", type=Path, default=DEFAULT_SHARED_DATA,
                           help="folder of the shared real data")
    disguises.add_argument("--family", action="append", choices=_family_names(),
                           help="only this family (repeatable; default: all)")
    disguises.add_argument("--half", choices=(DEVELOP, HELD_OUT, "both"), default="both",
                           help="which half of each family's material (default: both)")
    disguises.add_argument("--csv", help="also write the suite's table as CSV here")
    disguises.add_argument("--material", action="store_true",
                           help="print each family's develop and held-out material and exit")
    disguises.add_argument("--check-floors", action="store_true",
                           help="exit 1 when the held-out half misses the floors of issue 26")
    _suite_options(disguises)
    disguises.set_defaults(func=run_disguises)
    uncaught = actions.add_parser(
        "uncaught", help="print the real scam texts that no medium/high flag catches "
        "(to the terminal only: the news texts must not be copied into the project)")
    uncaught.add_argument("source", choices=[s.name for s in REAL_SCAM_SOURCES] + ["posts"],
                          help="which real scam source to read")
    uncaught.add_argument("--half", choices=(DEVELOP, HELD_OUT, "all"), default=DEVELOP,
                          help="which half of the source to print (default: the develop "
                          "half; read the held-out half only to check, never to write rules "
                          "from, or its recall stops meaning anything)")
    uncaught.add_argument("--limit", type=int, default=50, help="texts to print at most")
    uncaught.add_argument("--chars", type=int, default=400, help="characters per text")
    uncaught.add_argument("--shared-data", type=Path, default=DEFAULT_SHARED_DATA,
                          help="folder of the shared real data")
    uncaught.set_defaults(func=run_uncaught)
    listing = actions.add_parser("list", help="list the flags")
    listing.add_argument("--lang", choices=("en", "zh"), default="en", help="language of titles")
    listing.set_defaults(func=run_list)


def _family_names() -> list[str]:
    from detector.evaluation.disguises import FAMILY_NAMES

    return list(FAMILY_NAMES)


def _suite_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=None,
                        help="disguise suite: at most this many scam texts per source (a "
                        "seeded choice; default: all)")
    parser.add_argument("--legit-sample", type=int, default=None,
                        help="disguise suite: legit test-split postings per site whose "
                        "disguised copies are scored (seeded; default 150)")


def _run_suite(args: argparse.Namespace, frame: pd.DataFrame, families: list[str] | None = None,
               halves: tuple[str, ...] = (DEVELOP, HELD_OUT)) -> Any:
    """The disguise suite on the corpus and the shared data (`detector.evaluation`)."""
    from detector.campaigns.memory import CampaignMemory
    from detector.cli.progress import log
    from detector.core import get_detector
    from detector.evaluation.disguise_suite import LEGIT_SAMPLE, load_texts, run_suite

    settings = Settings.from_env()
    # Campaign memory of the corpus seeds only: the figures do not depend on a label store.
    detector = get_detector(settings.model_dir).using(
        CampaignMemory(None, settings.data_dir, poll=0))
    texts = load_texts(frame, args.shared_data, args.limit)
    sample = LEGIT_SAMPLE if args.legit_sample is None else args.legit_sample
    return run_suite(detector, texts, sample, families, halves, progress=log)


def run_disguises(args: argparse.Namespace) -> int:
    from detector.corpus.build import load_corpus
    from detector.evaluation.disguise_suite import floor_failures, suite_section

    if args.material:
        return _print_material(args.family)
    halves = (DEVELOP, HELD_OUT) if args.half == "both" else (args.half,)
    result = _run_suite(args, load_corpus(Settings.from_env().data_dir), args.family, halves)
    print(suite_section(result, "#"))
    if args.csv:
        result.table.to_csv(args.csv, index=False)
    if args.check_floors:
        failures = floor_failures(result)
        for line in failures:
            print(f"floor missed: {line}")
        return 1 if failures else 0
    return 0


def _print_material(families: list[str] | None) -> int:
    from detector.evaluation.disguises import FAMILY_NAMES, HALVES, material

    for name in families or FAMILY_NAMES:
        for half in HALVES:
            items = material(name, half)
            print(f"{name} {half} ({len(items)}): " + " ".join(map(repr, items)))
    return 0


def run_report(args: argparse.Namespace) -> int:
    from detector.corpus.build import load_corpus
    from detector.flags.qa import flag_frame, legit_false_alarms, rule_report
    from detector.flags.recall import (
        recall_columns,
        robustness_summary,
        scan_labelled_scams,
        scan_real_scams,
        source_summary,
    )
    from detector.model.fitting import excerpt

    settings = Settings.from_env()
    frame = load_corpus(settings.data_dir)
    flags = flag_frame(frame)
    report = rule_report(frame, flags)
    real = scan_real_scams(args.shared_data, copies=True)
    report = report.merge(recall_columns(real), on=["flag", "language"], how="left")
    legit = frame[frame["label"] == 0]
    alarms = legit_false_alarms(legit, flags.loc[legit.index], flag_frame(legit, excerpt))
    pieces = ReportPieces(report, source_summary(real + scan_labelled_scams(frame)),
                          robustness_summary(real), alarms, real,
                          combiner_weights(settings.model_dir), args.shared_data)
    if args.disguises:
        pieces.disguises = _run_suite(args, frame)
    print(pieces.text())
    if args.csv:
        from detector.spreadsheet import escape_cell

        report.map(escape_cell).to_csv(args.csv, index=False)  # spreadsheet-safe cells
    if args.markdown:
        Path(args.markdown).write_text(pieces.page(), encoding="utf-8")
    return 0


def combiner_weights(model_dir: Path) -> dict[str, dict[str, float | None]]:
    """{language: {flag: weight}} from the model card, empty when it has none. A flag whose
    weight is None (null in the card) has no fitted weight: it counts by its floor alone.
    The card holds one mapping for both languages or one per language."""
    path = model_dir / "model_card.json"
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    weights = card.get(CARD_FLAG_WEIGHTS) if isinstance(card, dict) else None
    if not isinstance(weights, dict):
        return {}
    if all(v is None or isinstance(v, int | float) for v in weights.values()):
        # Issue 27: one unweighted flag (null) made this read as per-language and be dropped.
        return {lang: dict(weights) for lang in ("en", "zh")}
    return {lang: dict(v) for lang, v in weights.items() if isinstance(v, dict)}


def _pct(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}%}"


def _table(header: list[str], rows: list[list[str]], align: str = "") -> str:
    marks = align or "|".join("---" for _ in header)
    lines = ["| " + " | ".join(header) + " |", f"|{marks}|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


LANG_NAMES = {"en": "English", "zh": "Chinese"}

FLAG_TABLE_NOTE = """\
What the columns mean:
- **false alarms on legit postings**: share of the real legit postings of that language in
  `labeled_posts/` (58.com, BOSS直聘/猎聘; or EMSCAD, NHS, LinkedIn) on which the flag fires,
  with the count. This is what protects real jobs: a `high` flag must stay near zero.
- **labelled scams hit**: share of the scam postings in `labeled_posts/` the flag fires on
  (EMSCAD frauds; 58.com "fake" postings, mostly disguised sales and agency bait). Fee, task
  and ID scams are rare there, so a low figure here does not mean the rule is broken: the
  next columns say what it catches.
- **caught in real scam texts**: share of each real scam source (described in the next
  section) on which the flag fires.
- **combiner weight**: the weight the scoring model gives the flag (log-odds added to the
  text model's when the flag fires), read from the model card (`flag_weights`); "floor only"
  where the model fitted none (too rare in the data, or added after training: the flag then
  raises the estimate to its severity's floor alone); – when the card has no weights."""


def weight_cell(weights: Mapping[str, float | None], flag: str) -> str:
    """The "combiner weight" cell: the weight, "floor only" or – (see FLAG_TABLE_NOTE)."""
    if flag not in weights:
        return "–"
    weight = weights[flag]
    return "floor only" if weight is None else f"{weight:.2f}"


SOURCES_NOTE = """\
Each real scam source is split by near-duplicate group into a develop half (rules are
written from it: `detector rules uncaught SOURCE` prints it) and a held-out half, only
counted. A rule that generalises catches about as much of the held-out half. `news_*` are
police and news reports *about* scams (they quote the scam's wording between warnings, which
the negation handling partly cancels by design), `chat_zh` real fraud chats (mostly not job
scams), `sms_job_zh` hand-labelled job-scam SMS and web posts (graded by the labeller's
confidence), `sms_en` real job-scam SMS lures, `posts_*` the scam rows of `labeled_posts/`."""

ROBUSTNESS_NOTE = """\
The same Chinese scam texts converted to traditional script with OpenCC configurations the
detector's own folding does not use (`s2tw`, `s2hk`, `s2twp`), and with lookalike characters
taken from the held-out half of the substitution table (the folding is built without it), so
the check is not circular. Each cell is the share caught by a medium/high flag."""

ALARMS_NOTE = """\
Share of real legit postings on which any `high` flag fires (full posting), any
medium/high flag fires (full posting), and any medium/high flag fires on an excerpt (the
title and opening of the posting, as a job seeker pastes it). Flags only: the model's score
is not part of these figures."""


@dataclass
class ReportPieces:
    """Everything `detector rules report` prints, and the markdown page built from it."""

    report: pd.DataFrame
    summary: pd.DataFrame
    robustness: pd.DataFrame
    alarms: pd.DataFrame
    real: list[ScannedSource]
    weights: Mapping[str, Mapping[str, float | None]]
    shared_data: Path
    #: The disguise suite's result (`detector.evaluation.disguise_suite`), when it ran.
    disguises: Any = None

    def flag_table(self, lang: str) -> str:
        from detector.flags.recall import originals

        live = [s for s in originals(self.real) if s.skipped is None and s.language == lang]
        rows = []
        for r in self.report[self.report["language"] == lang].itertuples(index=False):
            cells = [f"`{r.flag}`", r.severity,
                     f"{_pct(r.legit_hit_rate, 2)} ({r.legit_hits})",
                     f"{_pct(r.coverage)} ({r.scam_hits} of {r.n_scam})"]
            cells += [_pct(getattr(r, f"recall_{s.name}", math.nan)) for s in live]
            cells.append(weight_cell(self.weights.get(lang, {}), r.flag))
            rows.append(cells)
        header = ["flag", "severity", "false alarms on legit postings", "labelled scams hit",
                  *(f"caught in {s.name}" for s in live), "combiner weight"]
        return _table(header, rows, "|".join(["---"] * 2 + ["---:"] * (len(header) - 2)))

    def sources_table(self) -> str:
        rows = []
        for r in self.summary.itertuples(index=False):
            if r.note:
                rows.append([r.source, r.language, r.what, "–", f"not run ({r.note})", "–",
                             "–", "–", "–"])
                continue
            rows.append([r.source, r.language, r.what, str(r.n), _pct(r.caught_medium_high),
                         _pct(r.develop), _pct(r.held_out), _pct(r.caught_any),
                         str(r.uncaught_medium_high)])
        header = ["source", "language", "what", "texts", "caught by a medium/high flag",
                  "develop half", "held-out half", "caught by any flag", "no medium/high flag"]
        table = _table(header, rows, "---|---|---|---:|---:|---:|---:|---:|---:")
        from detector.flags.recall import NEEDS, missing_data_note, originals

        if any(s.skipped and s.skipped.startswith(NEEDS) for s in originals(self.real)):
            table += "\n\n" + missing_data_note(self.shared_data)
        return table

    def robustness_table(self) -> str:
        from detector.flags.recall import ORIGINAL

        frame = self.robustness
        if frame.empty or ORIGINAL not in frame or frame[ORIGINAL].isna().all():
            return "Not run: no Chinese scam source was read (see above)."
        variants = [c for c in frame.columns if c not in ("source", "n")]
        rows = [[r["source"], str(int(r["n"])) if "n" in r and r["n"] == r["n"] else "–",
                 *(_pct(r.get(v, math.nan)) for v in variants)]
                for r in frame.to_dict("records")]
        header = ["source", "texts", *variants]
        table = _table(header, rows, "|".join(["---"] + ["---:"] * (len(header) - 1)))
        notes = [f"- `{v}`: not run: {why}" for v, why in frame.attrs.get("notes", {}).items()]
        return "\n".join([table, "", *notes]) if notes else table

    def alarms_table(self) -> str:
        rows = [[r.legit_set, f"{r.n:,}", _pct(r.full_high, 2), _pct(r.full_medium_high, 2),
                 _pct(r.excerpt_medium_high, 2)] for r in self.alarms.itertuples(index=False)]
        header = ["legit postings", "postings", "high flag (full posting)",
                  "medium/high flag (full posting)", "medium/high flag (excerpt)"]
        return _table(header, rows, "---|---:|---:|---:|---:")

    def body(self, heading: str) -> str:
        parts = [f"{heading} Each flag on real legit postings and real scam texts", "",
                 FLAG_TABLE_NOTE]
        for lang in ("en", "zh"):
            parts += ["", f"{heading}# {LANG_NAMES[lang]}", "", self.flag_table(lang)]
        parts += ["", f"{heading} Real scam texts caught, per source", "", SOURCES_NOTE, "",
                  self.sources_table(), "",
                  f"{heading} Traditional-script and lookalike copies", "", ROBUSTNESS_NOTE,
                  "", self.robustness_table(), "",
                  f"{heading} False alarms on real legit postings, per site", "", ALARMS_NOTE,
                  "", self.alarms_table()]
        if self.disguises is not None:
            from detector.evaluation.disguise_suite import suite_section

            parts += ["", suite_section(self.disguises, heading)]
        return "\n".join(parts)

    def text(self) -> str:
        return self.body("#")

    def page(self) -> str:
        catalogue = "\n".join(
            f"| `{flag.id}` | {flag.severity} | {flag.text('title', 'en')} | "
            f"{flag.text('title', 'zh')} |" for flag in CATALOGUE)
        return f"""# Red flags

Generated by `detector rules report --markdown docs/rules.md`; do not edit by hand. The real
scam texts are read from the shared data folder at QA time and never copied here.

| id | severity | title | 标题 |
|---|---|---|---|
{catalogue}

Severity drives the risk: `high` makes a verdict high, `medium` at least medium, `low` is
shown and used by the model only.

{self.body("##")}
"""


def run_uncaught(args: argparse.Namespace) -> int:
    from detector.flags.recall import ORIGINAL, one_line, scan_labelled_scams, scan_real_scams

    if args.source == "posts":
        from detector.corpus.build import load_corpus

        sources = scan_labelled_scams(load_corpus(Settings.from_env().data_dir))
    else:
        sources = [s for s in scan_real_scams(args.shared_data)
                   if s.name == args.source and s.variant == ORIGINAL]
    half = None if args.half == "all" else args.half
    for source in sources:
        if source.skipped is not None:
            print(f"{source.name}: not run: {source.skipped}")
            return 1
        missed = source.uncaught(half)
        which = "" if half is None or not source.halves else f" ({half} half)"
        print(f"## {source.name}{which}: {len(missed)} of {source.count(half)} texts without a "
              "medium/high flag")
        for text, hits in missed[: args.limit]:
            low = ",".join(sorted(hits)) or "-"
            print(f"- [{low}] {one_line(text, args.chars)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    for flag in CATALOGUE:
        print(f"{flag.id:<24} {flag.severity:<7} {flag.text('title', args.lang)}")
    return 0
