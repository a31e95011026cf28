"""Issue 27: the held-out moderator slice is drawn by label group (a campaign, a company), so
its share of rows is not its share of groups (265 of 555 rows, 48%, where the docs said 20%).
The split counts both, the training log and the card say both. Real postings (corpus
train split) as label content."""

from __future__ import annotations

import hashlib

import pandas as pd

from detector.labels.store import LabeledPosting
from detector.labels.training import assign_label_groups, corpus_with_labels, label_frame


def _items(corpus: pd.DataFrame) -> list[LabeledPosting]:
    train = corpus[(corpus["split"] == "train") & (corpus["language"] == "en")
                   & (corpus["description"].str.len() > 400)]
    rows = train.drop_duplicates("group").head(12)
    items = []
    for i, row in enumerate(rows.itertuples(index=False)):
        copies = 15 if i == 0 else 1  # one big campaign, eleven single postings
        for copy in range(copies):
            content = {"title": row.title, "company": f"Company {i}",
                       "description": row.description + ("" if copy == 0 else f" Ref {copy}.")}
            digest = hashlib.sha256(repr(content).encode()).hexdigest()
            items.append(LabeledPosting(digest, None, "en", content, "scam", "2026-01-01", 1))
    return items


def test_held_out_slice_counts_groups_and_rows(corpus: pd.DataFrame) -> None:
    items = _items(corpus)
    _, split = assign_label_groups(label_frame(items), corpus, holdout_share=0.5)
    assert split.n_labels == len(items) == 26 and split.n_groups == 12
    held_rows = len(split.held_out)
    assert 0 < split.held_out_groups < split.n_groups
    # The big campaign lands whole on one side, so rows and groups disagree.
    assert held_rows / split.n_labels != split.held_out_groups / split.n_groups
    text = split.describe()
    assert f"{split.held_out_groups} of 12 label groups" in text
    assert f"{held_rows} of 26 rows" in text
    card = split.to_dict()
    assert (card["n_groups"], card["held_out_groups"]) == (12, split.held_out_groups)
    logged: list[str] = []
    corpus_with_labels(corpus, items, 0.5, logged.append)
    assert "label groups" in logged[0] and "rows" in logged[0]
