"""The disguise suite (`detector/evaluation/disguise_suite.py`) on real rows: a small run
end to end, the texts it reads, the "without the disguise flag" verdict, the CLI, and the
floors of issue 26 (skipped until the reading lands; the lead enables it)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from detector.campaigns.memory import CampaignMemory
from detector.cli.rules import DEFAULT_SHARED_DATA
from detector.core import Detector
from detector.evaluation.disguise_suite import (
    DISGUISE_FLAG,
    floor_failures,
    load_texts,
    run_suite,
    suite_section,
    tier_without_flag,
)
from detector.evaluation.disguises import FAMILIES, HALVES
from detector.flags import FLAG_IDS
from detector.flags.halves import HELD_OUT
from detector.settings import DEFAULT_DATA_DIR
from detector.verdict import FlagHit, Verdict

COLUMNS = {
    "family", "language", "half", "texts", "changed", "flagged", "kept", "flag_recall",
    "unseen", "orig_medium_high", "copy_medium_high", "copy_medium_high_without_flag",
    "retained", "retained_without_flag", "copies_medium_high_any", "legit_copies",
    "legit_copy_flag", "legit_copy_flag_rate", "legit_orig_high", "legit_copy_high",
    "legit_copy_high_rate", "legit_new_high",
}
#: Legit test-split postings per site whose disguised copies the floors' test scores
#: (seeded sample, to keep the test to minutes; every legit row is read for the flag).
FLOOR_LEGIT_SAMPLE = 100


def _seeds_only(detector: Detector) -> Detector:
    return detector.using(CampaignMemory(None, DEFAULT_DATA_DIR, poll=0))


@pytest.fixture(scope="module")
def small(corpus: pd.DataFrame, detector: Detector):  # type: ignore[no-untyped-def]
    texts = load_texts(corpus, DEFAULT_SHARED_DATA, limit=2)
    return texts, run_suite(_seeds_only(detector), texts, legit_sample=2)


def test_a_small_run_on_real_rows_returns_the_tables_columns(small) -> None:  # type: ignore[no-untyped-def]
    texts, result = small
    table = result.table
    assert set(table.columns) == COLUMNS
    expected = {(f.name, lang, half) for f in FAMILIES for lang in f.languages
                for half in HALVES}
    assert set(zip(table["family"], table["language"], table["half"], strict=True)) == expected
    assert (table["changed"] <= table["texts"]).all()
    assert (table["kept"] <= table["flagged"]).all()
    assert (table["copy_medium_high"] <= table["orig_medium_high"]).all()
    for col in ("flag_recall", "retained", "retained_without_flag", "legit_copy_high_rate"):
        values = [v for v in table[col] if not math.isnan(v)]
        assert all(0.0 <= v <= 1.0 for v in values), col
    # Every family disguised some real scam text (families apply by language).
    assert (table.groupby("family")["changed"].sum() > 0).all()
    sites = result.legit_sites
    assert sites["site"].iloc[-1] == "pooled"
    assert sites["n"].iloc[-1] == len(texts.legit)
    if DISGUISE_FLAG not in FLAG_IDS:  # today: the flag does not exist, it never fires
        assert not result.flag_known
        assert sites["flag_hits"].sum() == 0 and table["legit_copy_flag"].sum() == 0
        assert (table["retained"].fillna(-1) == table["retained_without_flag"].fillna(-1)).all()
    section = suite_section(result)
    assert section.startswith("## Disguise suite")
    assert "| `bidi` | zh | held out |" in section


def test_the_suite_reads_real_scam_and_legit_texts_once(small, corpus: pd.DataFrame
                                                        ) -> None:  # type: ignore[no-untyped-def]
    texts, _ = small
    counts: dict[str, int] = {}
    for t in texts.scams:
        counts[t.source] = counts.get(t.source, 0) + 1
    assert all(n <= 2 for n in counts.values())
    posts = {f"posts_{s}" for s in corpus.loc[corpus["label"] == 1, "source"].unique()}
    assert posts <= set(counts)
    # Shared texts that are corpus rows are counted there (with their split), not twice.
    assert "sms_en" not in counts and "sms_job_zh" not in counts
    corpus_texts = {" ".join(str(t).split()) for t in corpus["text"].dropna()}
    for t in texts.scams:
        if not t.source.startswith("posts_"):
            assert t.unseen and " ".join(t.posting.full_text().split()) not in corpus_texts
    # Only the test split of the corpus counts as unseen by the model.
    test_ids = set(corpus.loc[corpus["split"] == "test", "id"])
    sources = set(corpus["source"])
    for t in texts.scams + texts.legit:
        if t.source.startswith("posts_") or t.source.split("/")[0] in sources:
            assert t.unseen == (t.posting.id in test_ids)
    assert {t.language for t in texts.legit} == {"en", "zh"}


def test_without_shared_data_the_suite_runs_on_the_corpus_and_says_so(
        corpus: pd.DataFrame, tmp_path: Path) -> None:
    texts = load_texts(corpus, tmp_path, limit=1)
    assert texts.notes and all("not read" in note for note in texts.notes)
    assert texts.scams and all(t.source.startswith("posts_") for t in texts.scams)


def test_without_the_flag_a_verdict_is_recombined_from_its_other_flags(
        detector: Detector) -> None:
    """Today no verdict carries `disguised_text`; this pins what "without" means once one
    does: the same model estimate and other flags, recombined."""
    disguise = FlagHit(DISGUISE_FLAG, "medium")
    alone = Verdict(id=None, fraud_probability=0.2, risk="medium", language="en",
                    model_version="x", flags=[disguise], model_probability=0.02)
    assert tier_without_flag(alone, detector) == 0
    with_fee = Verdict(id=None, fraud_probability=0.9, risk="high", language="en",
                       model_version="x", model_probability=0.02,
                       flags=[FlagHit("upfront_fee", "high"), disguise])
    assert tier_without_flag(with_fee, detector) == 2
    plain = Verdict(id=None, fraud_probability=0.3, risk="medium", language="en",
                    model_version="x", model_probability=0.3)
    assert tier_without_flag(plain, detector) == 1


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "detector", "rules", *args],
                          capture_output=True, text=True, timeout=900, env=dict(os.environ))


def test_rules_disguises_prints_the_material_and_a_family_table() -> None:
    result = _cli("disguises", "--material")
    assert result.returncode == 0, result.stderr
    assert "bidi held_out (4): 'rli' 'rli_open' 'fsi_open' 'lri'" in result.stdout
    result = _cli("disguises", "--family", "zh_short_forms", "--half", HELD_OUT,
                  "--limit", "3", "--legit-sample", "2")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines()
            if line.startswith("| `zh_short_forms`")]
    assert len(rows) == 1 and "| zh | held out |" in rows[0]


#: Families whose held-out half is still below the issue's 95% floors (the reading of
#: issue 26 landed; docs/rules.md has the figures with the shared scam sources too), on the
#: real scam texts of labeled_posts/ alone, so that the test reads the same texts on every
#: machine (../shared/ is not part of a clone): (family, language) -> (flags kept,
#: medium/high retained), each held a point or two under the figure reached (2026-12-07),
#: so that none falls back while the gap is closed. Every other family must meet 95%.
KNOWN_GAPS = {
    ("lookalike_letters", "en"): (0.92, 0.95),  # 93.3% flags kept, 100% verdicts
    ("separators", "en"): (0.69, 0.95),         # 70.6%, 97.5%
    ("emoji", "en"): (0.72, 0.95),              # 73.0%, 98.7%
    ("leetspeak", "en"): (0.64, 0.95),          # 65.0%, 98.7%
    ("modifiers", "zh"): (0.77, 0.95),          # 78.9% (30 of 38), 100%
    ("zh_separators", "zh"): (0.50, 0.64),      # 52.6% (20 of 38), 66.7% (14 of 21)
    ("zh_short_forms", "zh"): (0.70, 0.92),     # 72.4% (21 of 29), 93.8% (15 of 16)
}
#: No shared folder: the corpus's own scam texts only (see above).
CORPUS_ONLY = Path("/nonexistent/shared-data")


def test_held_out_disguises_meet_the_floors_or_hold_their_ground(corpus: pd.DataFrame,
                                                                  detector: Detector) -> None:
    """On every real scam text of labeled_posts/, held-out half: per family, flag recall
    and medium-or-high verdicts retained (with the disguise flag) at least 95%, or for the
    families of KNOWN_GAPS at least the figure reached; the disguise flag on at most 0.1% of
    the real legit texts pooled; no disguised legit copy newly rated high (a seeded sample of
    FLOOR_LEGIT_SAMPLE legit test-split postings per site)."""
    texts = load_texts(corpus, CORPUS_ONLY)
    result = run_suite(_seeds_only(detector), texts, legit_sample=FLOOR_LEGIT_SAMPLE,
                       halves_=(HELD_OUT,))
    assert floor_failures(result, known_gaps=KNOWN_GAPS) == []
