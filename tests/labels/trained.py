"""Small models trained once per test session by the real training code, on a slice of the
corpus (`--sample`), so feedback-loop tests stay fast. Not the shipped model: tests compare
such models with each other, never their figures with the shipped card."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

from detector.registry.retrain import retrain
from detector.settings import Settings

SAMPLE_ROWS = 1500
_ROOT = Path(tempfile.mkdtemp(prefix="detector-models-"))
atexit.register(shutil.rmtree, _ROOT, True)


def quiet(_: str) -> None:
    return None


@cache
def baseline_model() -> Path:
    """The corpus slice without any moderator labels (the 'before' model)."""
    settings = replace(Settings(), label_db=str(_ROOT / "unused.sqlite"),
                       models_home=_ROOT / "home")
    return retrain(settings, _ROOT / "baseline", with_labels=False, sample=SAMPLE_ROWS,
                   evaluate=False, log=quiet).out


@cache
def flipped_model() -> Path:
    """A deliberately worse model: the same slice with every train/valid label flipped."""
    from detector.corpus.build import load_corpus
    from detector.labels.training import LabelSplit, sample_corpus
    from detector.model.artifact import save_bundle
    from detector.model.train import train_bundle
    from detector.registry.retrain import content_digest, write_card

    settings = Settings()
    corpus = sample_corpus(load_corpus(settings.data_dir), SAMPLE_ROWS).copy()
    fit = corpus["split"] != "test"
    corpus.loc[fit, "label"] = 1 - corpus.loc[fit, "label"]
    bundle = train_bundle(corpus, version="pending", log=quiet, force=True, folds=3)
    bundle.version = f"flipped-labels.{content_digest(bundle)[:8]}"
    out = _ROOT / "flipped"
    save_bundle(bundle, out)
    write_card(settings, out, bundle, corpus, LabelSplit().to_dict(),
               {"deliberately_worse": "train/valid labels flipped"}, False, quiet)
    return out
