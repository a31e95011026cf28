"""`detector train --with-labels [--out DIR]`: the corpus plus the store's moderator labels
into a new versioned model directory (artifact, card, sha256). Never the shipped `models/`.

The version (`detector.model.version`) names the release, when it was made, the training
data and the artifact's content, so versions sort in the order they were made and a
different artifact always has a different model_version.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib

from detector.hashing import sha256_file
from detector.model.artifact import ARTIFACT_NAME, CARD_JSON, CARD_MD, save_bundle
from detector.model.bundle import ModelBundle
from detector.settings import Settings


@dataclass
class RetrainResult:
    out: Path
    version: str
    sha256: str
    seconds: float
    labels: dict[str, Any]


def content_digest(bundle: ModelBundle) -> str:
    """sha256 of the pickled bundle with a blank version: what the model *is*."""
    version, bundle.version = bundle.version, ""
    try:
        buffer = io.BytesIO()
        joblib.dump(bundle, buffer)
        return hashlib.sha256(buffer.getvalue()).hexdigest()
    finally:
        bundle.version = version


def safe_name(version: str) -> str:
    """The version's directory name: the version itself (`+` is a plain character in a
    path), so there is one spelling to copy (issue 27: the directory had `_` for `+`)."""
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in version)


def check_out_dir(out: Path, settings: Settings) -> None:
    shipped = {settings.model_dir.resolve(), (Path(__file__).parents[2] / "models").resolve()}
    if out.resolve() in shipped:
        raise ValueError(f"refusing to write into the shipped model directory {out}; "
                         "give --out another directory")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} already exists and is not empty; model versions are "
                         "immutable, give --out a new directory")


def write_card(settings: Settings, out: Path, bundle: ModelBundle, corpus: Any,
               labels: dict[str, Any], extra: dict[str, Any], evaluate: bool,
               log: Callable[[str], None]) -> None:
    """The card the loader checks (artifact sha256), plus what the labels did. With
    `evaluate`, the full test-split figures and rule QA (as `detector train` writes)."""
    if evaluate:
        from detector.evaluation.card import write_provisional_card
        from detector.evaluation.release import evaluate_and_write_card

        write_provisional_card(bundle, out, sha256_file(out / ARTIFACT_NAME))
        evaluate_and_write_card(out, settings.data_dir, write_card=True,
                                output=str(out / "evaluation.json"), log=log)
    else:
        from detector.corpus.build import CORPUS_FILE
        from detector.evaluation.card import build_card
        from detector.evaluation.card import write_card as write_model_card

        data_sha = sha256_file(settings.data_dir / CORPUS_FILE)
        write_model_card(build_card(bundle, out, data_sha, {}, []), out)
    card = json.loads((out / CARD_JSON).read_text(encoding="utf-8"))
    card["moderator_labels"] = labels
    card["training_run"] = extra
    (out / CARD_JSON).write_text(json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True)
                                 + "\n", encoding="utf-8")
    with (out / CARD_MD).open("a", encoding="utf-8") as handle:
        handle.write(
            f"\n## Moderator labels\n{labels['n_labels']} labelled postings from the label "
            f"store: {labels['n_train']} trained on, {len(labels['held_out_hashes'])} held out: "
            f"{labels.get('held_out_groups', '?')} of {labels.get('n_groups', '?')} label "
            f"groups ({labels['holdout_share']:.0%} of groups are drawn, whole) and "
            f"{len(labels['held_out_hashes'])} of {labels['n_labels']} rows; "
            f"{len(labels['test_groups_excluded'])} test-split groups share a campaign with "
            "trained labels: `detector models compare` leaves them out for both models (the "
            "test figures above, if any, still include them).\n"
            f"Training run: {json.dumps(extra, ensure_ascii=False)}\n")
    log(f"wrote the model card in {out}")


#: Grouped folds of the calibration's out-of-fold scores in a retrain of the chosen recipe.
QUICK_FOLDS = 3
TIMINGS_FILE = "retrain_timings.json"


class Progress:
    """Progress lines with elapsed time and an estimate of the time left.

    Steps are the training code's own log lines (whatever `detector.model.train` fits, in
    its order). The estimate comes from the last run of the same kind (its step times,
    saved under the models home), scaled by how this run compares so far; without one, from
    the share of steps done."""

    def __init__(self, log: Callable[[str], None], history: list[float] | None) -> None:
        self.log = log
        self.history = history or []
        self.started = time.perf_counter()
        self.marks: list[float] = []

    def __call__(self, message: str) -> None:
        now = time.perf_counter() - self.started
        self.marks.append(now)
        self.log(f"[{_clock(now)}{self._left(now)}] {message}")

    def _left(self, now: float) -> str:
        step, past = len(self.marks), self.history
        if len(past) < 2 or step >= len(past) or past[step - 1] <= 0:
            return ""
        left = (past[-1] - past[step - 1]) * now / past[step - 1]
        return f", about {_clock(left)} left"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def _history(home: Path, kind: str) -> list[float] | None:
    try:
        return json.loads((home / TIMINGS_FILE).read_text(encoding="utf-8")).get(kind)
    except (OSError, ValueError):
        return None


def _save_history(home: Path, kind: str, marks: list[float]) -> None:
    path = home / TIMINGS_FILE
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    known[kind] = [round(m, 2) for m in marks]
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / f".{TIMINGS_FILE}.{os.getpid()}"
    tmp.write_text(json.dumps(known, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def shipped_combiner(settings: Settings):  # type: ignore[no-untyped-def]
    """The flag combiner of the shipped model (None if it has none or cannot be read)."""
    from detector.model.artifact import ModelIntegrityError, load_bundle

    try:
        bundle, _ = load_bundle(settings.model_dir)
    except (ModelIntegrityError, FileNotFoundError):
        return None
    return bundle.combiner


def retrain(settings: Settings, out: Path | None = None, with_labels: bool = True,
            sample: int = 0, holdout_share: float | None = None, evaluate: bool = False,
            full: bool = False, jobs: int = 0, log: Callable[[str], None] = print
            ) -> RetrainResult:
    """A new model version with the label store's decisions.

    By default the recipe already chosen (`detector.model.train.RECIPES`) is refitted with
    calibration on QUICK_FOLDS grouped folds, and without the plain baseline: the gate for a
    new version is `detector models compare/promote` against the served one. `full`: the
    whole `detector train` run (5 folds, baseline and its grouped-CV check). Folds are fitted
    `jobs` at a time (0: one per available core). `evaluate`:
    also the test-split figures and rule QA in the card. The version directory appears
    only when complete: it is written under a hidden name and renamed at the end.
    """
    from detector.corpus.build import CORPUS_FILE, load_corpus
    from detector.labels.store import LabelStore
    from detector.labels.training import HOLDOUT_SHARE, LabelSplit, corpus_with_labels
    from detector.labels.training import sample_corpus as take_sample
    from detector.model.train import train_bundle
    from detector.model.version import make_version

    started = time.perf_counter()
    if out is not None:
        check_out_dir(out, settings)
    kind = ("full" if full else "quick") + ("-sample" if sample else "")
    progress = Progress(log, _history(settings.models_home, kind))
    corpus = load_corpus(settings.data_dir)
    data_sha = sha256_file(settings.data_dir / CORPUS_FILE)
    if sample:
        corpus = take_sample(corpus, sample)
        progress(f"training on a sample: {int(corpus['split'].ne('test').sum()):,} corpus "
                 "rows (train+valid) drawn by group")
    share = HOLDOUT_SHARE if holdout_share is None else holdout_share
    split = LabelSplit(holdout_share=share)
    combined = corpus
    if with_labels:
        items = LabelStore(settings.label_db).labeled()
        combined, split = corpus_with_labels(corpus, items, share, progress)
    # A sampled or quick run is gated by `detector models promote`, not the baseline.
    # Cross-validation folds are fitted `jobs` at a time (one per core by default).
    from joblib import parallel_config

    jobs = jobs or len(os.sched_getaffinity(0))
    # The quick path keeps the shipped model's flag weights (they are counted on the corpus,
    # which the labels barely change); `--full` chooses and fits the combiner again.
    kept_combiner = None if full else shipped_combiner(settings)
    with parallel_config(n_jobs=jobs):
        bundle = train_bundle(combined, version="pending", log=progress,
                              force=bool(sample) or not full,
                              folds=5 if full and not sample else QUICK_FOLDS, baseline=full,
                              combiner=kept_combiner)
    bundle.version = make_version(data_sha, content_digest(bundle), split.n_train)
    target = out or settings.models_home / safe_name(bundle.version)
    check_out_dir(target, settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".{target.name}.partial-{os.getpid()}"
    try:
        sha = save_bundle(bundle, partial)
        progress(f"saved the artifact (version {bundle.version}, sha256 {sha[:12]}…)")
        extra = {"kind": kind, "folds": 5 if full and not sample else QUICK_FOLDS, "jobs": jobs,
                 "baseline": full, "sample_rows": sample or None,
                 "seconds": round(time.perf_counter() - started, 1),
                 "label_db": "postgresql" if settings.label_db.startswith("postgres")
                 else "sqlite"}
        write_card(settings, partial, bundle, corpus, split.to_dict(), extra, evaluate,
                   progress)
        if target.exists():  # an empty directory given as --out
            target.rmdir()
        partial.rename(target)  # atomic: a version is complete or absent
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    progress(f"version {bundle.version} is ready in {target} (compare it: detector models "
             f"compare served {target.name})")
    _save_history(settings.models_home, kind, progress.marks)
    return RetrainResult(target, bundle.version, sha, time.perf_counter() - started,
                         split.to_dict())
