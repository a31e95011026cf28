"""`detector train --with-labels [--out DIR]`: the corpus plus the store's moderator labels
into a new versioned model directory (artifact, card, sha256). Never the shipped `models/`.

The version names the training data and the artifact's content: `1.0+<corpus sha>.m<n
labels>.<content sha>`, so a different artifact always has a different model_version.
"""

from __future__ import annotations

import hashlib
import io
import json
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

MODEL_MAJOR = "1.0"


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
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in version)


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
        from detector.cli.evaluate import evaluate_and_write_card
        from detector.model.card import write_provisional_card

        write_provisional_card(bundle, out, sha256_file(out / ARTIFACT_NAME))
        evaluate_and_write_card(out, settings.data_dir, write_card=True,
                                output=str(out / "evaluation.json"))
    else:
        from detector.corpus.build import CORPUS_FILE
        from detector.model.card import build_card
        from detector.model.card import write_card as write_model_card

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
            f"store: {labels['n_train']} trained on, {len(labels['held_out_hashes'])} held out "
            f"(share {labels['holdout_share']}); "
            f"{len(labels['test_groups_excluded'])} test-split groups share a campaign with "
            "trained labels: `detector models compare` leaves them out for both models (the "
            "test figures above, if any, still include them).\n"
            f"Training run: {json.dumps(extra, ensure_ascii=False)}\n")
    log(f"wrote the model card in {out}")


def retrain(settings: Settings, out: Path | None = None, with_labels: bool = True,
            sample: int = 0, holdout_share: float | None = None, evaluate: bool = True,
            log: Callable[[str], None] = print) -> RetrainResult:
    from detector.corpus.build import CORPUS_FILE, load_corpus
    from detector.labels.store import LabelStore
    from detector.labels.training import HOLDOUT_SHARE, LabelSplit, corpus_with_labels
    from detector.labels.training import sample_corpus as take_sample
    from detector.model.train import train_bundle

    started = time.perf_counter()
    if out is not None:
        check_out_dir(out, settings)
    corpus = load_corpus(settings.data_dir)
    data_sha = sha256_file(settings.data_dir / CORPUS_FILE)
    if sample:
        corpus = take_sample(corpus, sample)
        log(f"training on a sample: {int(corpus['split'].ne('test').sum()):,} corpus rows "
            "(train+valid) drawn by group")
    share = HOLDOUT_SHARE if holdout_share is None else holdout_share
    split = LabelSplit(holdout_share=share)
    combined = corpus
    if with_labels:
        items = LabelStore(settings.label_db).labeled()
        combined, split = corpus_with_labels(corpus, items, share, log)
    # A sampled run is an experiment: the baseline gate is `detector models promote`.
    bundle = train_bundle(combined, version="pending", log=log, force=bool(sample),
                          folds=3 if sample else 5)
    digest = content_digest(bundle)
    bundle.version = f"{MODEL_MAJOR}+{data_sha[:8]}.m{split.n_train}.{digest[:8]}"
    target = out or settings.models_home / safe_name(bundle.version)
    check_out_dir(target, settings)
    sha = save_bundle(bundle, target)
    log(f"saved {target} (version {bundle.version}, sha256 {sha[:12]}…)")
    extra = {"sample_rows": sample or None, "seconds": round(time.perf_counter() - started, 1),
             "label_db": "postgresql" if settings.label_db.startswith("postgres") else "sqlite"}
    write_card(settings, target, bundle, corpus, split.to_dict(), extra, evaluate, log)
    return RetrainResult(target, bundle.version, sha, time.perf_counter() - started,
                         split.to_dict())
