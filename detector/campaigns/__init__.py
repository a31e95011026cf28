"""Campaign memory: one trusted moderator decision catches every repost of that scam at once.

Scams come in campaigns: the same text reposted with another phone number, name, city or
amount. A trusted scam decision (moderator or import) stores a fuzzy fingerprint of the
posting in the label store; every scoring process keeps those fingerprints (plus the
strong-label scams of the corpus's train and valid splits) in an in-memory LSH index, and a
posting similar enough to one of them gets the high flag `known_scam_campaign`.

- `fingerprint`: text -> masked character shingles -> MinHash signature; shared spans;
- `index`: the in-memory signature matrix and its LSH bands;
- `tables`: where fingerprints live in the label store, and the change counter;
- `seeds`: the corpus's strong-label scams (train + valid only);
- `memory`: the per-process memory that follows the store (cache + cheap change check);
- `listener`: what every label-store write does to the fingerprints; subscribed here, so any
  process that uses campaign memory keeps fingerprints with its decisions
  (`open_label_store` says so where a store is opened for writing).
"""

from __future__ import annotations

from detector.campaigns.listener import FINGERPRINTS
from detector.labels.store import LabelStore, subscribe

subscribe(FINGERPRINTS)


def open_label_store(location: str) -> LabelStore:
    """The label store at `location`, its writes keeping campaign fingerprints in step."""
    return LabelStore(location)
