"""The disguise suite (issue 26): every disguise family, both halves of its material, applied
to every real scam text and to the real legit corpora, read by the flags and the detector.

Texts (all real; nothing here is written by hand):
- **scam texts**: the scam rows of `labeled_posts/` (every source and split, `posts_*`) and
  the shared scam sources the rule QA reads (`detector.flags.sources`), less the texts that
  are also corpus rows (`sms_job_zh`, `sms_en` are): `chat_zh`, the held-out half of the
  police/news reports (`news_zh`, `news_all_zh`'s held-out half; `news_job_zh` is inside
  it), and the job-scam messages of `zh/job_messages_zh_extra.csv.gz` (`msgs_zh_extra`).
  `--limit N` keeps N texts per source (a seeded choice).
- **legit texts**: the legit rows of `labeled_posts/`, per site (source, or source/platform),
  and the legit job messages of `job_messages_zh_extra`.

Figures, per family, language and half (a copy that the family leaves unchanged, e.g. a
Chinese text without a key term for `zh_short_forms`, is left out of its row):
- (a) **flag recall**: among the changed copies whose original has at least one medium or
  high flag, the share that *keeps its flags*: every medium/high flag of the original (the
  red-flag catalogue on the posting, `detect_flags`; never `disguised_text` nor campaign
  memory) still fires on the copy, at any severity. Every scam text counts here.
- (b) **medium-or-high verdicts retained**: only texts the shipped model never trained on
  (the test split of `labeled_posts/`, and the shared sources' texts that are not corpus
  rows), scored by the real detector (`Detector.score_many`, campaign memory of the
  corpus seeds only, no label store). Among the changed texts whose original is rated
  medium or high, the share whose copy is rated medium or high too ("retained", paired:
  a copy raised from low does not make up for another one lost; the CSV also counts every
  copy rated medium or high), *with* the disguise flag (the verdict as it is) and
  *without* it: a verdict carrying `disguised_text` is recombined from its model
  estimate and its other flags (`Combiner.combine`, or the severity floors), so
  "without" is the verdict the detector would give if the disguise flag did not exist
  (the short-text pull of the model is not redone; it only differs for a very short text
  whose only signal is that flag).
- (c) **legit**: the disguise flag's hits on the undisguised legit texts (every legit row,
  pooled and per site; 0 while `disguised_text` is not in the catalogue), and on disguised
  copies of a sample of legit test-split rows (`--legit-sample` per site, seeded): the
  share carrying the flag, rated high, and the copies rated high whose original is not.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from detector.core import Detector
from detector.evaluation.disguises import FAMILIES, HALVES, disguise_posting
from detector.flags import FLAG_IDS, detect_flags
from detector.flags.halves import HELD_OUT, halves
from detector.flags.sources import REAL_SCAM_SOURCES, ScamSource
from detector.schema import ALL_FIELDS, InvalidPosting, Posting, parse_posting, posting_from_text
from detector.verdict import HIGH_AT, MEDIUM_AT, FlagHit, Verdict

#: The red flag of item 2 of issue 26 (disguise is itself evidence); absent until it lands.
DISGUISE_FLAG = "disguised_text"
SERIOUS = frozenset({"medium", "high"})
SAMPLE_SEED = "disguise-suite-1"
#: Legit test-split rows per site whose disguised copies are scored (the floors' test and
#: the report; every legit row is still read for the flag on undisguised texts).
LEGIT_SAMPLE = 150
BATCH = 128

#: Shared scam sources beyond the rule QA's: the job-scam messages added in issue 26.
EXTRA_SCAM_SOURCES: tuple[ScamSource, ...] = (
    ScamSource("msgs_zh_extra", "zh/job_messages_zh_extra.csv.gz", "zh",
               "real Chinese job-scam messages (2015 SMS corpus subset)",
               lambda df: df["label"].astype(str) == "scam_job", campaign="campaign"),
)
#: Shared sources read only in part: news_job_zh is a subset of news_all_zh, whose develop
#: half is what rules are written from.
SKIP_SOURCES = frozenset({"news_job_zh"})
ONLY_HELD_OUT = {"news_all_zh": "news_zh"}
EXTRA_LEGIT = ("job_messages_zh_extra", "zh/job_messages_zh_extra.csv.gz", "legit_job")


@dataclass(frozen=True)
class SuiteText:
    """One real text: where it is from, its language, the posting, and whether the shipped
    model never trained on it (`unseen`)."""

    source: str
    language: str
    posting: Posting
    unseen: bool


@dataclass
class Texts:
    scams: list[SuiteText] = field(default_factory=list)
    legit: list[SuiteText] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return " ".join(text.split())


def _rank(value: str) -> bytes:
    return hashlib.sha256(f"{SAMPLE_SEED}:{value}".encode()).digest()


def _limit(items: list[SuiteText], n: int | None) -> list[SuiteText]:
    if n is None or len(items) <= n:
        return items
    keep = set(sorted(range(len(items)), key=lambda i: _rank(
        f"{items[i].source}:{items[i].posting.id}:{i}"))[:n])
    return [t for i, t in enumerate(items) if i in keep]


def _corpus_postings(frame: pd.DataFrame) -> Iterable[tuple[dict[str, Any], Posting]]:
    cols = [c for c in frame.columns if c in ALL_FIELDS]
    for record in frame.to_dict("records"):
        clean = {c: record[c] for c in cols
                 if isinstance(record[c], str) and record[c].strip()}
        try:
            yield record, parse_posting(clean, default_id=str(record.get("id")))
        except InvalidPosting:
            continue


def _site(record: dict[str, Any]) -> str:
    platform = record.get("platform")
    source = str(record["source"])
    return f"{source}/{platform}" if isinstance(platform, str) and platform else source


def load_texts(corpus: pd.DataFrame, shared_data: Path, limit: int | None = None) -> Texts:
    """The suite's real texts (module docstring); a missing shared file is a note."""
    out = Texts()
    seen: set[str] = set()
    by_source: dict[str, list[SuiteText]] = {}
    legit_by_site: dict[str, list[SuiteText]] = {}
    for record, posting in _corpus_postings(corpus):
        seen.add(_key(posting.full_text()))
        unseen = record.get("split") == "test"
        if int(record["label"]) == 1:
            name = f"posts_{record['source']}"
            by_source.setdefault(name, []).append(
                SuiteText(name, str(record["language"]), posting, unseen))
        else:
            site = _site(record)
            legit_by_site.setdefault(site, []).append(
                SuiteText(site, str(record["language"]), posting, unseen))
    frames: dict[str, pd.DataFrame | None] = {}
    for source in (*REAL_SCAM_SOURCES, *EXTRA_SCAM_SOURCES):
        if source.name in SKIP_SOURCES:
            continue
        frame = _read(shared_data, source.relative, frames, out.notes)
        if frame is None:
            continue
        rows = frame.loc[source.rows(frame).to_numpy()]
        texts = rows["text"].fillna("").astype(str).tolist()
        ids = rows["id"].astype(str).tolist()
        name = source.name
        if source.name in ONLY_HELD_OUT:
            also = rows[source.campaign].tolist() if source.campaign in rows else None
            split = halves(ids, texts, also)
            keep = [h == HELD_OUT for h in split]
            texts = [t for t, k in zip(texts, keep, strict=True) if k]
            ids = [i for i, k in zip(ids, keep, strict=True) if k]
            name = ONLY_HELD_OUT[source.name]
        for text, row_id in zip(texts, ids, strict=True):
            if not text.strip() or _key(text) in seen:
                continue  # a corpus row: counted there, with its split
            seen.add(_key(text))
            by_source.setdefault(name, []).append(SuiteText(
                name, source.language, posting_from_text(text, row_id), True))
    site, relative, label = EXTRA_LEGIT
    frame = _read(shared_data, relative, frames, out.notes)
    if frame is not None:
        rows = frame[frame["label"].astype(str) == label]
        for text, row_id in zip(rows["text"].fillna("").astype(str), rows["id"].astype(str),
                                strict=True):
            if text.strip() and _key(text) not in seen:
                legit_by_site.setdefault(site, []).append(
                    SuiteText(site, "zh", posting_from_text(text, row_id), True))
    for items in by_source.values():
        out.scams += _limit(items, limit)
    for items in legit_by_site.values():
        out.legit += items
    return out


def _read(shared_data: Path, relative: str, frames: dict[str, pd.DataFrame | None],
          notes: list[str]) -> pd.DataFrame | None:
    if relative not in frames:
        path = shared_data / relative
        try:
            frames[relative] = pd.read_csv(path, dtype=str)
        except (OSError, ValueError) as exc:
            frames[relative] = None
            notes.append(f"{relative} not read ({exc.__class__.__name__}: {exc}); the suite "
                         f"runs without it")
    return frames[relative]


# ---------------------------------------------------------------- reading the texts

def _spans(hits: Sequence[FlagHit]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for hit in hits:
        for e in hit.evidence:
            out.setdefault(e.field, []).append((e.start, e.end))
    return out


def _serious(hits: Iterable[FlagHit]) -> frozenset[str]:
    return frozenset(h.id for h in hits if h.severity in SERIOUS and h.id != DISGUISE_FLAG
                     and h.id in FLAG_IDS)


def _tier(p: float) -> int:
    return 2 if p >= HIGH_AT else 1 if p >= MEDIUM_AT else 0


def tier_without_flag(verdict: Verdict, detector: Detector) -> int:
    """The verdict's tier (0 low, 1 medium, 2 high) as if `disguised_text` did not exist."""
    if not any(h.id == DISGUISE_FLAG for h in verdict.flags):
        return _tier(verdict.fraud_probability)
    from detector.model.combiner import floors_only

    others = [h for h in verdict.flags if h.id != DISGUISE_FLAG]
    prob = float(verdict.model_probability or 0.0)
    combiner = detector.bundle.combiner
    return _tier(combiner.combine(prob, others) if combiner is not None
                 else floors_only(prob, others))


def _score(detector: Detector, postings: Sequence[Posting]) -> list[Verdict]:
    out: list[Verdict] = []
    for i in range(0, len(postings), BATCH):
        out += detector.score_many(postings[i:i + BATCH])
    return out


def _share(k: int, n: int) -> float:
    return k / n if n else math.nan


@dataclass
class SuiteResult:
    """The suite's table (one row per family, language and half) and the legit figures."""

    table: pd.DataFrame
    legit_sites: pd.DataFrame
    flag_known: bool
    scam_counts: dict[str, int]
    legit_sample: int | None
    notes: list[str]


def run_suite(detector: Detector, texts: Texts, legit_sample: int | None = LEGIT_SAMPLE,
              families: Sequence[str] | None = None, halves_: Sequence[str] = HALVES,
              legit_flag_scan: bool = True, progress: Any = None) -> SuiteResult:
    """Apply every family and half to every text and measure (a), (b), (c) (docstring).

    `legit_sample`: legit test-split rows per site whose copies are scored (None: all);
    `legit_flag_scan`: read every legit text for the disguise flag (skipped, with 0 hits,
    while the flag is not in the catalogue)."""
    say = progress or (lambda _msg: None)
    flag_known = DISGUISE_FLAG in FLAG_IDS
    scams = texts.scams
    say(f"disguises: reading {len(scams)} scam texts")
    hits = [detect_flags(t.posting) for t in scams]
    spans = [_spans(h) for h in hits]
    serious = [_serious(h) for h in hits]
    unseen = [i for i, t in enumerate(scams) if t.unseen]
    say(f"disguises: scoring {len(unseen)} unseen scam originals")
    orig_verdicts = dict(zip(unseen, _score(detector, [scams[i].posting for i in unseen]),
                             strict=True))
    legit_rows = _legit_sample(texts.legit, legit_sample)
    legit_hits = [detect_flags(t.posting) for t in legit_rows]
    legit_orig = _score(detector, [t.posting for t in legit_rows])
    sites = _legit_sites(texts.legit, flag_known and legit_flag_scan)
    rows = []
    chosen = [f for f in FAMILIES if families is None or f.name in families]
    for fam in chosen:
        for half in halves_:
            for lang in fam.languages:
                say(f"disguises: {fam.name} {half} {lang}")
                rows.append(_family_row(detector, fam.name, half, lang, scams, spans, serious,
                                        orig_verdicts, legit_rows, legit_hits, legit_orig))
    counts: dict[str, int] = {}
    for t in scams:
        counts[t.source] = counts.get(t.source, 0) + 1
    return SuiteResult(pd.DataFrame(rows), sites, flag_known, counts, legit_sample,
                       list(texts.notes))


def _legit_sample(legit: list[SuiteText], n: int | None) -> list[SuiteText]:
    by_site: dict[str, list[SuiteText]] = {}
    for t in legit:
        if t.unseen:
            by_site.setdefault(t.source, []).append(t)
    return [t for items in by_site.values() for t in _limit(items, n)]


def _legit_sites(legit: list[SuiteText], scan: bool) -> pd.DataFrame:
    """Per site and pooled: legit texts and the disguise flag's hits on the originals."""
    counts: dict[str, list[int]] = {}
    for t in legit:
        row = counts.setdefault(f"{t.source} ({t.language})", [0, 0])
        row[0] += 1
        if scan and any(h.id == DISGUISE_FLAG for h in detect_flags(t.posting)):
            row[1] += 1
    rows = [{"site": site, "n": n, "flag_hits": k, "flag_rate": _share(k, n)}
            for site, (n, k) in sorted(counts.items())]
    n_all = sum(r["n"] for r in rows)
    k_all = sum(r["flag_hits"] for r in rows)
    rows.append({"site": "pooled", "n": n_all, "flag_hits": k_all,
                 "flag_rate": _share(k_all, n_all)})
    return pd.DataFrame(rows)


def _family_row(detector: Detector, family: str, half: str, lang: str,
                scams: list[SuiteText], spans: list[dict[str, list[tuple[int, int]]]],
                serious: list[frozenset[str]], orig_verdicts: dict[int, Verdict],
                legit_rows: list[SuiteText], legit_hits: list[list[FlagHit]],
                legit_orig: list[Verdict]) -> dict[str, Any]:
    applicable = [i for i, t in enumerate(scams) if t.language == lang]
    copies: dict[int, Posting] = {}
    for i in applicable:
        copy = disguise_posting(scams[i].posting, family, half, lang, spans[i])
        if copy.fields != scams[i].posting.fields:
            copies[i] = copy
    unseen = [i for i in copies if scams[i].unseen]
    verdicts = dict(zip(unseen, _score(detector, [copies[i] for i in unseen]), strict=True))
    flagged = kept = 0
    for i, copy in copies.items():
        if not serious[i]:
            continue
        fired = {h.id for h in (verdicts[i].flags if i in verdicts else detect_flags(copy))}
        flagged += 1
        kept += serious[i] <= fired
    alarmed = [i for i in unseen if _tier(orig_verdicts[i].fraud_probability) >= 1]
    orig_mh = len(alarmed)
    copy_mh = sum(_tier(verdicts[i].fraud_probability) >= 1 for i in alarmed)
    copy_mh_wo = sum(tier_without_flag(verdicts[i], detector) >= 1 for i in alarmed)
    copy_mh_all = sum(_tier(verdicts[i].fraud_probability) >= 1 for i in unseen)
    # (c) disguised copies of the legit sample
    legit_idx = [j for j, t in enumerate(legit_rows) if t.language == lang]
    legit_copies = {}
    for j in legit_idx:
        copy = disguise_posting(legit_rows[j].posting, family, half, lang,
                                _spans(legit_hits[j]))
        if copy.fields != legit_rows[j].posting.fields:
            legit_copies[j] = copy
    lv = dict(zip(legit_copies, _score(detector, list(legit_copies.values())), strict=True))
    l_flag = sum(any(h.id == DISGUISE_FLAG for h in v.flags) for v in lv.values())
    l_high = sum(v.risk == "high" for v in lv.values())
    l_orig_high = sum(legit_orig[j].risk == "high" for j in lv)
    l_new_high = sum(v.risk == "high" and legit_orig[j].risk != "high" for j, v in lv.items())
    return {
        "family": family, "language": lang, "half": half,
        "texts": len(applicable), "changed": len(copies),
        "flagged": flagged, "kept": kept, "flag_recall": _share(kept, flagged),
        "unseen": len(unseen), "orig_medium_high": orig_mh,
        "copy_medium_high": copy_mh, "copy_medium_high_without_flag": copy_mh_wo,
        "retained": _share(copy_mh, orig_mh),
        "retained_without_flag": _share(copy_mh_wo, orig_mh),
        "copies_medium_high_any": copy_mh_all,
        "legit_copies": len(lv), "legit_copy_flag": l_flag,
        "legit_copy_flag_rate": _share(l_flag, len(lv)),
        "legit_orig_high": l_orig_high, "legit_copy_high": l_high,
        "legit_copy_high_rate": _share(l_high, len(lv)), "legit_new_high": l_new_high,
    }


# ---------------------------------------------------------------- printing

def _pct(value: float, digits: int = 1) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.{digits}%}"


TABLE_NOTE = """\
Per disguise family (generated from its definition, `detector/evaluation/disguises.py`),
language and half of its material (*develop*: the reading may be built from it; *held out*:
used only here). **changed**: scam texts the family changed (of those of that language);
**flags kept**: among changed copies whose original has a medium/high flag, the share on
which every one of those flags still fires (`disguised_text` and campaign memory never
count); **medium/high retained**: on texts the shipped model never trained on (test split,
shared sources outside the corpus), the share of the originals rated medium or high whose
copy is rated medium or high too, with the disguise flag and without it (the verdict
recombined without that flag);
**legit copies**: disguised copies of a sample of legit test-split postings per site: the
share carrying `disguised_text`, and rated high (in brackets: how many of them are rated
high while their original is not)."""


def suite_table(result: SuiteResult) -> str:
    rows = []
    for r in result.table.itertuples(index=False):
        rows.append([
            f"`{r.family}`", r.language, r.half.replace("_", " "), f"{r.changed} of {r.texts}",
            f"{_pct(r.flag_recall)} ({r.kept}/{r.flagged})",
            f"{r.orig_medium_high} of {r.unseen}",
            f"{_pct(r.retained)} ({r.copy_medium_high})",
            f"{_pct(r.retained_without_flag)} ({r.copy_medium_high_without_flag})",
            f"{_pct(r.legit_copy_flag_rate)}",
            f"{_pct(r.legit_copy_high_rate)} of {r.legit_copies} ({r.legit_new_high} new)",
        ])
    header = ["family", "lang", "half", "changed", "flags kept", "unseen originals medium/high",
              "medium/high retained, with the flag", "without the flag",
              "legit copies with the flag", "legit copies high"]
    lines = ["| " + " | ".join(header) + " |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def legit_table(result: SuiteResult) -> str:
    lines = ["| legit texts (undisguised) | texts | `disguised_text` fires |", "|---|---:|---:|"]
    for r in result.legit_sites.itertuples(index=False):
        lines.append(f"| {r.site} | {r.n:,} | {_pct(r.flag_rate, 2)} ({r.flag_hits}) |")
    return "\n".join(lines)


def suite_section(result: SuiteResult, heading: str = "##") -> str:
    sources = ", ".join(f"{name} {n}" for name, n in sorted(result.scam_counts.items()))
    absent = "" if result.flag_known else (
        " `disguised_text` is not in the catalogue yet: its hits are 0 and \"without the "
        "flag\" equals \"with\".")
    sample = "all" if result.legit_sample is None else f"{result.legit_sample} per site"
    parts = [f"{heading} Disguise suite", "", TABLE_NOTE, "",
             f"Scam texts: {sources}. Legit copies: {sample} (seeded).{absent}", "",
             suite_table(result), "", legit_table(result)]
    if result.notes:
        parts += ["", *(f"- {note}" for note in result.notes)]
    return "\n".join(parts)


def floor_failures(result: SuiteResult, half: str = HELD_OUT, floor: float = 0.95,
                   legit_rate: float = 0.001,
                   known_gaps: Mapping[tuple[str, str], tuple[float, float]] | None = None
                   ) -> list[str]:
    """What breaks the issue's floors on `half` (empty: all met). `known_gaps`: (family,
    language) -> (flags kept, retained) for families still below the floor, each held to
    the figure it has reached instead (a ratchet: no family may fall back)."""
    out = []
    for r in result.table[result.table["half"] == half].itertuples(index=False):
        name = f"{r.family} ({r.language})"
        flags_floor, kept_floor = (known_gaps or {}).get((r.family, r.language),
                                                         (floor, floor))
        if r.flagged and r.flag_recall < flags_floor:
            out.append(f"{name}: flags kept on {r.flag_recall:.1%} < {flags_floor:.0%}")
        if r.orig_medium_high and r.retained < kept_floor:
            out.append(f"{name}: medium/high retained {r.retained:.1%} < {kept_floor:.0%}")
        if r.legit_new_high:
            out.append(f"{name}: {r.legit_new_high} disguised legit copies newly rated high")
    pooled = result.legit_sites[result.legit_sites["site"] == "pooled"].iloc[0]
    if pooled["n"] and pooled["flag_rate"] > legit_rate:
        out.append(f"disguise flag on {pooled['flag_rate']:.2%} of legit texts > "
                   f"{legit_rate:.1%}")
    return out
