"""The campaign flag as the combiner is fitted: is a posting a repost of another known scam?

In use, `known_scam_campaign` fires when a posting's fingerprint is at least `THRESHOLD`
similar to a confirmed scam's (the corpus seeds, the label store's decisions). To give the
flag a measured weight like every other flag's (issue 27), the combiner is fitted with the
flag as it would have fired on its out-of-fold rows: the known scams are the strong-label
scams of train + valid (the seeds' definition), and a posting never matches itself (nor do
its pasted copies and excerpts, which keep its id); a sibling of the same campaign does,
as a repost of a decided scam does in use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from detector.campaigns.fingerprint import key_codes, signatures
from detector.campaigns.index import CampaignIndex
from detector.campaigns.memory import THRESHOLD
from detector.campaigns.seeds import FIELDS, seed_rows
from detector.schema import Posting, parse_posting

Matcher = Callable[[Sequence[Posting]], list[bool]]


def repost_matcher(corpus: pd.DataFrame, threshold: float = THRESHOLD) -> Matcher:
    """A function telling, per posting, whether it matches a known scam other than itself."""
    rows = seed_rows(corpus)
    known = [parse_posting({name: record[name] for name in FIELDS
                            if isinstance(record.get(name), str) and record[name]},
                           default_id=str(record["id"]), strict=False)
             for record in rows.to_dict("records")]
    ids = [str(i) for i in rows["id"]]
    index = CampaignIndex()
    if known:
        sig, ok = signatures(key_codes(known))
        entries = np.arange(len(known), dtype=np.int64)
        index.add(entries[ok], sig[ok], np.ones(int(ok.sum()), np.int8), "corpus")

    def matches(postings: Sequence[Posting]) -> list[bool]:
        if not postings or not index.n:
            return [False] * len(postings)
        out: list[bool] = []
        for start in range(0, len(postings), 1000):
            batch = postings[start:start + 1000]
            sig, ok = signatures(key_codes(batch))
            for posting, hits in zip(batch, index.query(sig, ok, threshold), strict=True):
                out.append(any(ids[hit.entry] != posting.id for hit in hits))
        return out

    return matches
