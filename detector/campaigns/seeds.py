"""Known scams from the corpus: its strong-label scam rows of the train and valid splits.

Strong labels only: EMSCAD frauds and reported scam messages (not those their source graded
`low`). 58.com "fake" rows are one annotator's broad label (disguised sales, agency bait;
see the data card), so they seed nothing. Never the test split: every test scam would match
itself and void the test figures (`detector evaluate`, `detector campaigns evaluate`).

The seeds are written beside the corpus (`campaign_seeds.jsonl.gz`, by `detector corpus
build` or `detector campaigns seeds`) so that a server does not read the whole corpus at
start-up; the file records the sha256 of the corpus it came from. Their signatures are
written beside them (`campaign_seeds.signatures.npz`), so that no process reads 759
postings to sign them at its first lookup (1-2 s of every `detector score`, issue 28). The
file records the sha256 of the seeds file and a stamp of everything a signature depends on
(`signature_stamp`: the fingerprint scheme and the code and tables of the reading); a
process that finds it missing or stale computes the signatures and writes the file again
when it can.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from detector.campaigns.fingerprint import FIELDS, NUM_PERM, key_codes, signature_stamp, signatures
from detector.hashing import sha256_file
from detector.schema import Posting, parse_posting

if TYPE_CHECKING:  # pandas only where the corpus is read (not on the scoring path)
    import pandas as pd

log = logging.getLogger("detector.campaigns")

SEEDS_FILE = "campaign_seeds.jsonl.gz"
SIGNATURES_FILE = "campaign_seeds.signatures.npz"
SEED_SPLITS = ("train", "valid")
#: Sources whose scam label is too weak to seed a high flag.
WEAK_SOURCES = ("orfd_58",)
#: Hand-labelled scams the source itself graded unsure (`grade`, e.g. Chinese SMS).
WEAK_GRADES = ("low",)


def strong_scams(corpus: pd.DataFrame) -> pd.Series:
    """Rows whose scam label is strong: not a weak source, not graded unsure."""
    import pandas as pd

    grade = corpus["grade"] if "grade" in corpus else pd.Series("", index=corpus.index)
    return ((corpus["label"] == 1) & ~corpus["source"].isin(WEAK_SOURCES)
            & ~grade.isin(WEAK_GRADES))


def seed_rows(corpus: pd.DataFrame) -> pd.DataFrame:
    """Strong-label scam rows of the train and valid splits."""
    return corpus[strong_scams(corpus) & corpus["split"].isin(SEED_SPLITS)].sort_values("id")


def write_seeds(data_dir: Path, corpus: pd.DataFrame | None = None) -> int:
    from detector.corpus.build import CORPUS_FILE, load_corpus

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
    write_signatures(data_dir)
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


def _sign(seeds: list[Seed]) -> tuple[np.ndarray, np.ndarray]:
    return signatures(key_codes([seed.posting for seed in seeds]))


def write_signatures(data_dir: Path, seeds: list[Seed] | None = None) -> Path:
    """Sign the seeds and write `SIGNATURES_FILE` beside them (atomically)."""
    if seeds is None:
        _, seeds = read_seeds(data_dir)
    sig, ok = _sign(seeds)
    return _save_signatures(data_dir, sig, ok)


def _save_signatures(data_dir: Path, sig: np.ndarray, ok: np.ndarray) -> Path:
    """An .npz (what `numpy.load` reads) with fixed entry times: the same seeds, scheme and
    reading give the same bytes, like the seeds file."""
    import io
    import zipfile

    path = data_dir / SIGNATURES_FILE
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    arrays = {"signatures": sig, "ok": ok,
              "seeds_sha256": np.array(sha256_file(data_dir / SEEDS_FILE)),
              "stamp": np.array(signature_stamp())}
    with zipfile.ZipFile(tmp, "w") as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, buffer.getvalue(), compress_type=zipfile.ZIP_DEFLATED)
    os.replace(tmp, path)
    return path


def stored_signatures(data_dir: Path, count: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The signatures `SIGNATURES_FILE` holds, if it was made from this seeds file by this
    scheme and reading (else None)."""
    path = data_dir / SIGNATURES_FILE
    try:
        with np.load(path, allow_pickle=False) as stored:
            fresh = (str(stored["seeds_sha256"]) == sha256_file(data_dir / SEEDS_FILE)
                     and str(stored["stamp"]) == signature_stamp())
            sig, ok = stored["signatures"], stored["ok"]
    except (OSError, ValueError, KeyError) as exc:  # missing, unreadable, not ours
        if path.exists():
            log.warning("campaign memory: %s is unreadable (%s); signing the seeds", path, exc)
        return None
    if not fresh or sig.shape != (count, NUM_PERM) or ok.shape != (count,):
        return None
    return sig.astype(np.uint32, copy=False), ok.astype(bool, copy=False)


def seed_signatures(data_dir: Path, seeds: list[Seed]) -> tuple[np.ndarray, np.ndarray]:
    """The seeds' signatures: as stored beside them when fresh; else computed (a few
    seconds) and stored again for the next process when the directory is writable."""
    found = stored_signatures(data_dir, len(seeds))
    if found is not None:
        return found
    sig, ok = _sign(seeds)
    try:
        path = _save_signatures(data_dir, sig, ok)
        log.info("campaign memory: seed signatures were missing or stale; wrote %s", path)
    except OSError as exc:
        log.info("campaign memory: could not store the seed signatures (%s); every process "
                 "signs the seeds at start until `detector campaigns seeds` is run", exc)
    return sig, ok
