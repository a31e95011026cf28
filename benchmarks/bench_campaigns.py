"""Campaign memory at scale: the cost of a lookup per posting, memory and build/load time
with 10k, 100k and 1M fingerprints; and the library comparison that chose rensa.

Postings are real test-split rows (75% EMSCAD/NHS English, 25% 58.com/BOSS Chinese, as in
bench_stages). Indexed fingerprints are real signatures of the train and valid rows,
repeated with a share of their MinHash values changed (as reposts of a campaign are), so
bands collide as they do on real data. CPU time (process) is quoted beside wall time: the
machine is shared.

    .venv/bin/python benchmarks/bench_campaigns.py                   # 10k, 100k, 1M
    .venv/bin/python benchmarks/bench_campaigns.py --sizes 10000 100000 --store
    .venv/bin/python benchmarks/bench_campaigns.py --libraries       # rensa vs datasketch

Budget (issue 18): <= 0.2 ms CPU per posting at 100k fingerprints, signature included.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, repeats: int = 3):  # type: ignore[no-untyped-def]
    """(median CPU s, median wall s, last result) of `fn()`."""
    cpus, walls, out = [], [], None
    for _ in range(repeats):
        c, w = time.process_time(), time.perf_counter()
        out = fn()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    return statistics.median(cpus), statistics.median(walls), out


def sample_postings(n: int):  # type: ignore[no-untyped-def]
    import pandas as pd

    from detector.corpus.build import load_corpus
    from detector.model.fitting import to_postings
    from detector.settings import Settings

    corpus = load_corpus(Settings.from_env().data_dir)
    test = corpus[corpus["split"] == "test"]
    en = test[test["source"].isin(["emscad", "nhs_jobs_uk_2020"])]
    zh = test[test["source"].isin(["orfd_58", "boss_liepin"])]
    rows = pd.concat([en.sample(int(n * 0.75), replace=True, random_state=0),
                      zh.sample(n - int(n * 0.75), replace=True, random_state=0)])
    return corpus, to_postings(rows.sample(frac=1.0, random_state=1))


def corpus_signatures(corpus) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Signatures of the train and valid rows (the test postings are the queries: their
    matches are then real near-duplicates, as rare as in a feed)."""
    from detector.campaigns.fingerprint import key_codes, signatures
    from detector.model.fitting import to_postings

    postings = to_postings(corpus[corpus["split"] != "test"])
    sig, ok = signatures([k for i in range(0, len(postings), 500)
                          for k in key_codes(postings[i:i + 500])])
    return sig[ok]


def grown(base: np.ndarray, n: int, seed: int = 5) -> np.ndarray:
    """`n` signatures: the real ones, then copies with 20-70% of their values changed."""
    rng = np.random.default_rng(seed)
    reps = -(-n // len(base))
    out = np.tile(base, (reps, 1))[:n].copy()
    for start in range(len(base), n, 65536):
        block = out[start:start + 65536]
        share = rng.uniform(0.2, 0.7, size=(len(block), 1))
        change = rng.random(block.shape) < share
        block[change] = rng.integers(0, 2**32, size=int(change.sum()), dtype=np.uint64)
    return out


def bench_sizes(sizes: list[int], n_postings: int, store: bool) -> None:
    import resource

    from detector.campaigns.fingerprint import key_codes, signatures
    from detector.campaigns.index import CampaignIndex
    from detector.campaigns.memory import THRESHOLD, CampaignMemory

    corpus, postings = sample_postings(n_postings)
    base = corpus_signatures(corpus)
    batches = [postings[i:i + 100] for i in range(0, len(postings), 100)]
    print(f"{len(postings)} real test postings in batches of 100; {len(base):,} real corpus "
          "signatures, grown with repost-like copies\n")
    def keys_fresh() -> list[np.ndarray]:
        return [k for b in batches for k in key_codes(b)]

    c, w, keys = timed(keys_fresh)
    print(f"normalise + mask (key) per posting, normalising anew: CPU "
          f"{c / len(postings) * 1e3:.3f} ms, wall {w / len(postings) * 1e3:.3f} ms")
    c, w, (sig, ok) = timed(lambda: signatures(keys))
    print(f"signature per posting: CPU {c / len(postings) * 1e3:.3f} ms, "
          f"wall {w / len(postings) * 1e3:.3f} ms\n")
    print("| fingerprints | build (CPU / wall) | index memory | LSH query + verify per "
          "posting, CPU (wall) | lookup per posting in score_many (key, signature, query, "
          "evidence), CPU (wall) | postings matched |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        entries = grown(base, n)
        index = CampaignIndex()
        c_build, w_build, _ = timed(lambda entries=entries, index=index, n=n: index.add(
            np.arange(1, n + 1), entries, np.ones(n, np.int8), "label_store"), repeats=1)
        c_q, w_q, found = timed(lambda index=index: [
            index.query(sig[i:i + 100], ok[i:i + 100], THRESHOLD)
            for i in range(0, len(postings), 100)])
        matches = sum(len(hits) > 0 for batch in found for hits in batch)
        memory = CampaignMemory(None, None, poll=0, seeds=False)
        memory._index = index  # the same index behind the real lookup path
        memory._started_pid = __import__("os").getpid()
        c_all, w_all = lookup_after_flags(memory, batches)
        per = 1e3 / len(postings)
        print(f"| {n:,} | {c_build:.1f} s / {w_build:.1f} s | {index.nbytes() / 2**20:.0f} MiB "
              f"| {c_q * per:.3f} ms ({w_q * per:.3f}) | {c_all * per:.3f} ms "
              f"({w_all * per:.3f}) | {matches} |")
        del index, memory, entries
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if store:
        bench_store(base, [s for s in sizes if s <= 100_000])


def lookup_after_flags(memory, batches) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """CPU and wall of `memory.lookup` per batch, as in `score_many`: on the batch's reading,
    which the pipeline made once for the flags and the fingerprints. Median of 3."""
    from detector.textnorm.reading import read

    cpus, walls = [], []
    for _ in range(3):
        cpu = wall = 0.0
        for batch in batches:
            readings = [read(p) for p in batch]
            c, w = time.process_time(), time.perf_counter()
            memory.lookup(readings)
            cpu += time.process_time() - c
            wall += time.perf_counter() - w
        cpus.append(cpu)
        walls.append(wall)
    return statistics.median(cpus), statistics.median(walls)


def bench_store(base: np.ndarray, sizes: list[int]) -> None:
    """Load time of the whole index from a SQLite label store (what a server does at start)."""
    from sqlalchemy import insert, update

    from detector.campaigns.fingerprint import scheme, to_bytes
    from detector.campaigns.memory import CampaignMemory
    from detector.labels.store import (
        LabelStore,
        campaign_fingerprints,
        campaign_state,
        postings,
    )

    print("\n| fingerprints in a SQLite store | full load (CPU / wall) | change check (wall) |")
    print("|---:|---:|---:|")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-campaigns-") as tmp:
            store = LabelStore(str(Path(tmp) / "labels.sqlite"))
            entries = grown(base, n)
            with store.engine.begin() as conn:
                for start in range(0, n, 5000):
                    stop = min(n, start + 5000)
                    conn.execute(insert(postings), [
                        {"hash": f"{i:064x}", "external_id": None, "language": "en",
                         "content": "{}", "created_at": "2026-12-04T00:00:00+00:00"}
                        for i in range(start, stop)])
                    conn.execute(insert(campaign_fingerprints), [
                        {"posting_hash": f"{i:064x}", "label": "scam", "decision_id": i + 1,
                         "source": "moderator", "decided_at": "2026-12-04T00:00:00+00:00",
                         "scheme": scheme(), "signature": to_bytes(entries[i]), "seq": 1}
                        for i in range(start, stop)])
                conn.execute(update(campaign_state).values(seq=1, scheme=scheme()))
            memory = CampaignMemory(store.location, None, poll=0, seeds=False)
            c, w, _ = timed(lambda memory=memory: memory.lookup([]), repeats=1)
            assert memory.status()["fingerprints"] == n, memory.status()
            _, w_check, _ = timed(memory.sync, repeats=5)
            print(f"| {n:,} | {c:.1f} s / {w:.1f} s | {w_check * 1e3:.2f} ms |")
            memory.close()
            store.close()


def bench_libraries(n_postings: int) -> None:
    """The same shingles, signed by rensa and by datasketch; LSH of datasketch beside ours."""
    from detector.campaigns.fingerprint import NUM_PERM, SEED, K, key_of, shingle_hashes
    from detector.campaigns.index import BANDS, ROWS, CampaignIndex

    corpus, postings = sample_postings(n_postings)
    keys = [key_of(p)[:6000] for p in postings]
    keys = [k for k in keys if len(k) >= 30]
    per = 1e3 / len(keys)
    print(f"{len(keys)} real postings, {K}-character shingles, {NUM_PERM} permutations\n")
    print("| signature | CPU per posting | wall |")
    print("|---|---:|---:|")
    import rensa

    def with_rensa() -> None:
        for key in keys:
            h = shingle_hashes(key)
            rensa.RMinHash.digest_matrix_from_flat_token_hashes(
                h, np.array([0, len(h)], np.uint64), NUM_PERM, SEED).to_rows()

    c, w, _ = timed(with_rensa)
    print(f"| rensa {rensa.__dict__.get('__version__', '')} RMinHash (ours) | {c * per:.3f} ms "
          f"| {w * per:.3f} ms |")
    try:
        import datasketch
    except ImportError:
        print("| datasketch | not installed (pip install '.[bench]') | |")
        return

    def with_datasketch_sha1() -> None:
        for key in keys:
            m = datasketch.MinHash(num_perm=NUM_PERM, seed=1)
            m.update_batch([key[i:i + K].encode("utf-8") for i in range(len(key) - K + 1)])

    def with_datasketch_hashes() -> None:
        for key in keys:
            m = datasketch.MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int, scheme="affine64")
            m.update_batch(shingle_hashes(key).tolist())

    c, w, _ = timed(with_datasketch_sha1, repeats=1)
    print(f"| datasketch {datasketch.__version__} MinHash (sha1 of shingles) | {c * per:.3f} ms "
          f"| {w * per:.3f} ms |")
    c, w, _ = timed(with_datasketch_hashes, repeats=1)
    print(f"| datasketch {datasketch.__version__} MinHash (our shingle hashes) | "
          f"{c * per:.3f} ms | {w * per:.3f} ms |")

    base = corpus_signatures(corpus)
    print("\n| LSH, 100k entries | build | memory (tracemalloc) | query per posting |")
    print("|---|---:|---:|---:|")
    import tracemalloc

    entries = grown(base, 100_000)
    queries = entries[:: max(1, len(entries) // 2000)][:2000]
    tracemalloc.start()
    lsh = datasketch.MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    scheme = "affine32"  # rensa values are 32-bit
    c_b, _, _ = timed(lambda: [lsh.insert(i, datasketch.LeanMinHash(
        seed=1, hashvalues=entries[i], scheme=scheme)) for i in range(len(entries))],
        repeats=1)
    mem = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    lean = [datasketch.LeanMinHash(seed=1, hashvalues=q, scheme=scheme) for q in queries]
    c_q, _, _ = timed(lambda: [lsh.query(m) for m in lean])
    print(f"| datasketch MinHashLSH | {c_b:.1f} s | {mem / 2**20:.0f} MiB | "
          f"{c_q / len(queries) * 1e3:.3f} ms |")
    index = CampaignIndex()
    tracemalloc.start()
    c_b, _, _ = timed(lambda: index.add(np.arange(1, len(entries) + 1), entries,
                                        np.ones(len(entries), np.int8), "label_store"),
                      repeats=1)
    mem = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    ok = np.ones(len(queries), bool)
    c_q, _, _ = timed(lambda: [index.query(queries[i:i + 100], ok[i:i + 100], 0.5)
                               for i in range(0, len(queries), 100)])
    print(f"| ours (numpy bands, verified) | {c_b:.1f} s | {mem / 2**20:.0f} MiB (peak) | "
          f"{c_q / len(queries) * 1e3:.3f} ms (with verification) |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--store", action="store_true",
                        help="also time loading the index from a SQLite store (<= 100k)")
    parser.add_argument("--libraries", action="store_true",
                        help="rensa vs datasketch (signatures) and datasketch's LSH vs ours")
    args = parser.parse_args()
    if args.libraries:
        bench_libraries(min(args.postings, 1000))
    else:
        bench_sizes(args.sizes, args.postings, args.store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
