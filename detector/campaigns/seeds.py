"""Known scams from the corpus: its strong-label scam rows of the train and valid splits.

Strong labels only: EMSCAD frauds and reported scam messages (not those their source graded
`low`). 58.com "fake" rows are one annotator's broad label (disguised sales, agency bait;
see the data card), so they seed nothing. Never the test split: every test scam would match
itself and void the test figures (`detector evaluate`, `detector campaigns evaluate`).

The seeds are written beside the corpus (`campaign_seeds.jsonl.gz`, by `detector corpus
build` or `detector campaigns seeds`) so that a server does not read the whole corpus at
start-up; the file records the sha256 of the corpus it came from.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from detector.campaigns.fingerprint import FIELDS
from detector.schema import Posting, parse_posting

SEEDS_FILE = "campaign_seeds.jsonl.gz"
SEED_SPLITS = ("train", "valid")
#: Sources whose scam label is too weak to seed a high flag.
WEAK_SOURCES = ("orfd_58",)
#: Hand-labelled scams the source itself graded unsure (`grade`, e.g. Chinese SMS).
WEAK_GRADES = ("low",)


def strong_scams(corpus: pd.DataFrame) -> pd.Series:
    """Rows whose scam label is strong: not a weak source, not graded unsure."""
    grade = corpus["grade"] if "grade" in corpus else pd.Series("", index=corpus.index)
    return ((corpus["label"] == 1) & ~corpus["source"].isin(WEAK_SOURCES)
            & ~grade.isin(WEAK_GRADES))


def seed_rows(corpus: pd.DataFrame) -> pd.DataFrame:
    """Strong-label scam rows of the train and valid splits."""
    return corpus[strong_scams(corpus) & corpus["split"].isin(SEED_SPLITS)].sort_values("id")


def write_seeds(data_dir: Path, corpus: pd.DataFrame | None = None) -> int:
    from detector.corpus.build import CORPUS_FILE, load_corpus
    from detector.hashing import sha256_file

    corpus = load_corpus(data_dir) if corpus is None else corpus
    rows = seed_rows(corpus)
    header = {"corpus_sha256": sha256_file(data_dir / CORPUS_FILE), "rows": len(rows),
              "splits": list(SEED_SPLITS), "weak_sources_left_out": list(WEAK_SOURCES),
              "weak_grades_left_out": list(WEAK_GRADES)}
    lines = [json.dumps(header, ensure_ascii=False)]
    for record in rows.to_dict("records"):
        fields = {name: record[name] for name in FIELDS
                  if isinstance(record.get(name), str) and record[name]}
        lines.append(json.dumps({"id": record["id"], "source": record["source"],
                                 "split": record["split"], "fields": fields},
                                ensure_ascii=False))
    blob = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0: the same corpus gives the same bytes.
    with gzip.GzipFile(data_dir / SEEDS_FILE, "wb", mtime=0) as handle:
        handle.write(blob)
    return len(rows)


@dataclass(frozen=True)
class Seed:
    id: str
    source: str
    split: str
    posting: Posting


def read_seeds(data_dir: Path) -> tuple[dict[str, Any], list[Seed]]:
    """The header and the seeds; no file: no seeds (the corpus is not shipped)."""
    path = data_dir / SEEDS_FILE
    if not path.exists():
        return {}, []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        seeds = []
        for line in handle:
            row = json.loads(line)
            seeds.append(Seed(row["id"], row["source"], row["split"],
                              parse_posting(row["fields"], strict=False)))
    return header, seeds
