"""Moderator labels as corpus rows, so `train_bundle` learns from them like from the corpus.

Label rows are grouped like the corpus (company, near-duplicate template; see
detector.corpus.groups), jointly with the corpus's test split, so that
- a campaign never straddles the labels' own train and held-out slices (a whole label group
  goes to one side by a seeded hash of its key), and
- the corpus test groups a trained-on label joins (the same campaign) are recorded; the
  gate (`detector models compare`) leaves them out of the fixed test split for both models,
  so the labels cannot inflate it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from detector.labels.store import LabeledPosting

SEED = 13
#: Share of label groups held out from training, to measure the new model on moderators' data.
HOLDOUT_SHARE = 0.2
#: In a `--sample`, core rows (the only ones with both labels) are kept at this multiple of
#: the share, so a small slice still has a real class balance to learn from.
CORE_BOOST = 4.0
GROUP_COLUMNS = ("company", "company_profile", "description", "text")


def unit_hash(text: str, seed: int = SEED) -> float:
    digest = hashlib.sha256(f"{seed}:{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class LabelSplit:
    """What training did with the store's labels (saved in the model card)."""

    n_labels: int = 0
    n_train: int = 0
    held_out: list[str] = field(default_factory=list)
    test_groups_excluded: list[str] = field(default_factory=list)
    holdout_share: float = HOLDOUT_SHARE
    #: Label groups (a campaign or company), and how many of them are held out: the share
    #: is of groups, so the share of rows differs when groups differ in size.
    n_groups: int = 0
    held_out_groups: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"n_labels": self.n_labels, "n_train": self.n_train,
                "holdout_share": self.holdout_share, "held_out_hashes": self.held_out,
                "n_groups": self.n_groups, "held_out_groups": self.held_out_groups,
                "test_groups_excluded": self.test_groups_excluded}

    def describe(self) -> str:
        """Both shares of the held-out slice: of the groups (what is drawn) and of rows."""
        rows = len(self.held_out)
        row_share = rows / self.n_labels if self.n_labels else 0.0
        group_share = self.held_out_groups / self.n_groups if self.n_groups else 0.0
        return (f"{self.n_labels} labels ({self.n_train} trained on, {rows} held out); the "
                f"held-out slice is {self.held_out_groups} of {self.n_groups} label groups "
                f"({group_share:.0%}; {self.holdout_share:.0%} of groups are drawn by a seeded "
                f"hash) and {rows} of {self.n_labels} rows ({row_share:.0%}): groups differ "
                "in size")


def label_frame(items: Sequence[LabeledPosting]) -> pd.DataFrame:
    """One corpus-shaped row per labelled posting (role `core`, source `moderator`)."""
    rows = []
    for item in items:
        row: dict[str, Any] = {k: v for k, v in item.content.items()}
        for name in ("has_company_logo", "telecommuting", "has_questions"):
            if isinstance(row.get(name), bool):
                row[name] = "1" if row[name] else "0"
        row.update(id=f"moderator:{item.hash[:16]}", source="moderator",
                   language=item.language, label=1 if item.label == "scam" else 0,
                   role="core", source_group=np.nan, content_hash=item.hash)
        rows.append(row)
    return pd.DataFrame(rows)


def assign_label_groups(labels: pd.DataFrame, corpus: pd.DataFrame,
                        holdout_share: float = HOLDOUT_SHARE) -> tuple[pd.DataFrame, LabelSplit]:
    """Add `group` and `split` ("train" or "test" = held out) to label rows."""
    from detector.corpus.groups import assign_groups

    split = LabelSplit(n_labels=len(labels), holdout_share=holdout_share)
    if labels.empty:
        return labels.assign(group=[], split=[]), split
    test = corpus[(corpus["split"] == "test") & (corpus["role"] == "core")]
    columns = ["language", "source_group", *GROUP_COLUMNS]
    joint = pd.concat([labels.reindex(columns=columns), test.reindex(columns=columns)],
                      ignore_index=True)
    joint["source_group"] = joint["source_group"].where(joint["source_group"].notna(), None)
    roots = assign_groups(joint).to_numpy()
    n = len(labels)
    hashes = labels["content_hash"].to_numpy()
    key_of_root: dict[str, str] = {}
    for root, digest in zip(roots[:n], hashes, strict=True):
        key_of_root[root] = min(key_of_root.get(root, digest), digest)
    keys = np.array([key_of_root[root] for root in roots[:n]])
    held = np.array([unit_hash(key) < holdout_share for key in keys])
    labels = labels.assign(group=["moderator-" + key[:12] for key in keys],
                           split=np.where(held, "test", "train"))
    trained_roots = {root for root, is_held in zip(roots[:n], held, strict=True) if not is_held}
    test_groups = test["group"].to_numpy()
    split.test_groups_excluded = sorted({
        group for root, group in zip(roots[n:], test_groups, strict=True)
        if root in trained_roots
    })
    split.n_train = int((~held).sum())
    split.held_out = sorted(hashes[held].tolist())
    split.n_groups = len(set(keys.tolist()))
    split.held_out_groups = len(set(keys[held].tolist()))
    return labels, split


def sample_corpus(corpus: pd.DataFrame, n_rows: int, seed: int = SEED) -> pd.DataFrame:
    """About `n_rows` train+valid rows drawn by whole groups (stratified by language, split,
    role and whether the group holds a scam; core rows at CORE_BOOST times the share); the
    test split is kept whole. For tests and quick trials only: figures of a sampled model
    are not the shipped model's."""
    fit = corpus[corpus["split"].isin(["train", "valid"])]
    if n_rows <= 0 or n_rows >= len(fit):
        return corpus
    share = n_rows / len(fit)
    has_scam = fit.groupby("group")["label"].transform("max").astype(bool)
    keep: set[str] = set()
    for (_, _, role, _), rows in fit.groupby(["language", "split", "role", has_scam]):
        target = min(1.0, share * (CORE_BOOST if role == "core" else 1.0)) * len(rows)
        sizes = rows.groupby("group").size()
        taken = 0
        for group in sorted(sizes.index, key=lambda g: unit_hash(g, seed)):
            if taken >= target:
                break
            keep.add(group)
            taken += int(sizes[group])
    return corpus[(corpus["split"] == "test") | corpus["group"].isin(keep)]


def corpus_with_labels(
    corpus: pd.DataFrame, items: Sequence[LabeledPosting],
    holdout_share: float = HOLDOUT_SHARE, log: Callable[[str], None] = print,
) -> tuple[pd.DataFrame, LabelSplit]:
    """The corpus plus the trainable label rows (held-out ones are not added)."""
    labels, split = assign_label_groups(label_frame(items), corpus, holdout_share)
    log(f"moderator labels: {split.describe()}; {len(split.test_groups_excluded)} test-split "
        "groups share a campaign with trained labels and are left out of comparisons")
    train = labels[labels["split"] == "train"] if not labels.empty else labels
    combined = pd.concat([corpus, train.drop(columns=["content_hash"], errors="ignore")],
                         ignore_index=True)
    return combined, split
