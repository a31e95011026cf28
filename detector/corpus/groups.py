"""Group-disjoint splits: the same company or reposted template never straddles train and test.

Rows are joined (union-find) when they share a normalised company name, an EMSCAD
company profile, a source-provided duplicate group, or a near-identical description
(cosine >= 0.8 on character 5-grams). Whole groups are then assigned to a split by a
seeded hash, separately for groups with and without scams so each split gets both.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

NEAR_DUP_THRESHOLD = 0.8
#: Fewer texts than this are compared without dropping common 5-grams (see below).
SMALL_GROUPING = 1000
SPLIT_SHARES = (("train", 0.6), ("valid", 0.2), ("test", 0.2))
#: A group holding more than this share of its stratum goes to train: one employer network
#: (e.g. an insurer's branches sharing one template) must not be most of a test split.
GIANT_GROUP_SHARE = 0.05

_MASK = re.compile(r"#(?:URL|EMAIL|PHONE)_[0-9a-f]+#")
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d")
# BOSS直聘 rows where the crawler stored page furniture instead of a company name.
_CRAWLER_NOISE = ("综合竞争力",)
_GENERIC_COMPANIES = {"", "nan", "none", "na", "n/a", "某公司", "某知名企业", "confidential"}


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = np.arange(size)

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return int(root)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _company_key(company: object, profile: object) -> str | None:
    name = _NON_WORD.sub("", str(company).lower()) if isinstance(company, str) else ""
    if name and name not in _GENERIC_COMPANIES and not any(n in name for n in _CRAWLER_NOISE):
        return "company:" + name
    if isinstance(profile, str) and len(profile) >= 30:
        # EMSCAD has no company column: the company profile is the same text for every ad.
        digest = hashlib.sha1(_NON_WORD.sub("", profile.lower()).encode()).hexdigest()
        return "profile:" + digest[:16]
    return None


def _template_text(row: pd.Series) -> str:
    body = row["description"] if isinstance(row["description"], str) else row["text"]
    body = body if isinstance(body, str) else ""
    return _DIGITS.sub("0", _NON_WORD.sub("", _MASK.sub("", body.lower())))


def _join_on_keys(uf: UnionFind, keys: pd.Series) -> None:
    first: dict[str, int] = {}
    for index, key in enumerate(keys):
        if isinstance(key, str) and key:
            uf.union(first.setdefault(key, index), index)


def _join_near_duplicates(uf: UnionFind, texts: list[str], chunk: int = 512,
                          min_chars: int = 50) -> None:
    usable = np.array([len(t) >= min_chars for t in texts])
    index = np.flatnonzero(usable)
    if len(index) < 2:
        return
    # Dropping 5-grams found in over 5% of texts (shared boilerplate) keeps the product sparse.
    # Below SMALL_GROUPING texts the product is small anyway, and 5% of them is under two
    # texts: a near-duplicate pair's own 5-grams would go (and under 20 texts scikit-learn
    # refuses a max_df below min_df), so nothing is dropped (issue 24: a first retrain's
    # few held-out labels crashed `models compare`).
    max_df = 0.05 if len(index) >= SMALL_GROUPING else 1.0
    matrix = TfidfVectorizer(
        analyzer="char", ngram_range=(5, 5), sublinear_tf=True, max_df=max_df, dtype=np.float32
    )
    vectors = matrix.fit_transform([texts[i] for i in index])
    for start in range(0, vectors.shape[0], chunk):
        block = (vectors[start : start + chunk] @ vectors.T).tocoo()
        keep = (block.data >= NEAR_DUP_THRESHOLD) & (block.row + start < block.col)
        for a, b in zip(block.row[keep] + start, block.col[keep], strict=True):
            uf.union(int(index[a]), int(index[b]))


def assign_groups(frame: pd.DataFrame) -> pd.Series:
    """A group id per row; rows of one group must share a split."""
    uf = UnionFind(len(frame))
    companies = [
        _company_key(c, p) for c, p in zip(frame["company"], frame["company_profile"], strict=True)
    ]
    _join_on_keys(uf, pd.Series(companies, dtype=object))
    _join_on_keys(uf, frame["source_group"])
    for language in frame["language"].unique():
        rows = np.flatnonzero((frame["language"] == language).to_numpy())
        texts = [_template_text(frame.iloc[i]) for i in rows]
        sub = UnionFind(len(rows))
        _join_near_duplicates(sub, texts)
        for local, global_index in enumerate(rows):
            uf.union(int(rows[sub.find(local)]), int(global_index))
    roots = [uf.find(i) for i in range(len(frame))]
    return pd.Series([f"g{root:06d}" for root in roots], index=frame.index, name="group")


def _unit_hash(text: str, seed: int) -> float:
    digest = hashlib.sha256(f"{seed}:{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_splits(frame: pd.DataFrame, seed: int = 13) -> pd.Series:
    """train/valid/test per row, whole groups at a time, stratified by language and scam."""
    by_group = frame.groupby("group")
    strata = pd.DataFrame(
        {"language": by_group["language"].first(), "scam": by_group["label"].max()}
    )
    rows, scams = by_group.size(), by_group["label"].sum().astype("int64")
    split_of_group: dict[str, str] = {}
    for (_, has_scam), groups in strata.groupby(["language", "scam"]):
        # Scam groups are balanced on their scam count, the scarce class.
        sizes = (scams if has_scam else rows).loc[groups.index]
        order = sorted(groups.index, key=lambda g: _unit_hash(g, seed))
        total, done = sizes.sum(), 0
        # Giants first: they fill the start of the train share.
        order.sort(key=lambda g: sizes[g] <= GIANT_GROUP_SHARE * total)
        for group in order:
            position = (done + sizes[group] / 2) / total
            cumulative = 0.0
            for name, share in SPLIT_SHARES:
                cumulative += share
                if position < cumulative:
                    split_of_group[group] = name
                    break
            done += sizes[group]
    return frame["group"].map(split_of_group).rename("split")


#: Messages are short (an SMS is cut at about 70 characters): near-duplicates are looked for
#: from this length on, among the rows of a later release.
MESSAGE_MIN_CHARS = 20


def attach_added(old: pd.DataFrame, new: pd.DataFrame, seed: int = 13, prefix: str = "a"
                 ) -> tuple[pd.Series, pd.Series]:
    """Groups and splits for the rows of a later release (`new`), leaving `old` as it is.

    New rows are joined among themselves as `assign_groups` does (messages from 20
    characters on); a group that holds a near-duplicate of an old row takes that row's group
    and split, so a repost never straddles train and test. The other new groups are split by
    `assign_splits` among themselves. `prefix` starts the new groups' ids (one per release,
    so two releases never share an id).
    """
    uf = UnionFind(len(new))
    companies = [
        _company_key(c, p) for c, p in zip(new["company"], new["company_profile"], strict=True)
    ]
    _join_on_keys(uf, pd.Series(companies, dtype=object))
    _join_on_keys(uf, new["source_group"].reset_index(drop=True))
    new_texts = [_template_text(new.iloc[i]) for i in range(len(new))]
    inherited: dict[int, tuple[str, str]] = {}
    for language in new["language"].unique():
        rows = np.flatnonzero((new["language"] == language).to_numpy())
        old_rows = old[old["language"] == language]
        old_texts = [_template_text(old_rows.iloc[i]) for i in range(len(old_rows))]
        texts = [new_texts[i] for i in rows] + old_texts
        sub = UnionFind(len(texts))
        _join_near_duplicates(sub, texts, min_chars=MESSAGE_MIN_CHARS)
        for local, global_index in enumerate(rows):
            root = sub.find(local)
            if root < len(rows):
                uf.union(int(rows[root]), int(global_index))
        for local in range(len(rows), len(texts)):
            root = sub.find(local)
            if root < len(rows):  # an old row near-duplicates this new one
                old_row = old_rows.iloc[local - len(rows)]
                inherited.setdefault(int(rows[root]), (old_row["group"], old_row["split"]))
    roots = [uf.find(i) for i in range(len(new))]
    for index, (group, split) in list(inherited.items()):
        inherited[uf.find(index)] = (group, split)
    groups = pd.Series([inherited[r][0] if r in inherited else f"{prefix}{r:06d}" for r in roots],
                       index=new.index, name="group")
    own = ~groups.isin([g for g, _ in inherited.values()])
    splits = pd.Series("", index=new.index, name="split")
    if own.any():
        splits[own] = assign_splits(new[own].assign(group=groups[own]), seed=seed)
    for root_group, split in inherited.values():
        splits[groups == root_group] = split
    return groups, splits
