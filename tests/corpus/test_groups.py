"""Group-disjoint splits, checked on the shipped corpus and on small hand-built frames."""

from __future__ import annotations

import pandas as pd

from detector.corpus.groups import _company_key, assign_groups, assign_splits, attach_added
from detector.corpus.sources import LATER_RELEASES


def _frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "company": None,
        "company_profile": None,
        "description": None,
        "text": None,
        "source_group": None,
        "language": "en",
        "label": 0,
    }
    return pd.DataFrame([{**base, **row} for row in rows])


def _fillers(n: int) -> list[dict]:
    """Distinct unrelated texts, so shared 5-grams are rare as in a real corpus."""
    words = [
        "harbour",
        "velvet",
        "quartz",
        "mango",
        "pilot",
        "zenith",
        "ember",
        "fjord",
        "lyric",
        "cobalt",
        "walnut",
        "prism",
        "tundra",
        "saffron",
        "glacier",
        "orbit",
        "meadow",
        "canyon",
        "sonnet",
        "falcon",
    ]
    rows = []
    for i in range(n):
        text = " ".join(words[(i * k + k * k) % len(words)] + str(k) for k in range(1, 15))
        text = text.replace("0", "o").replace("1", "i")
        rows.append({"description": f"{text} ref {chr(65 + i % 26)}{chr(65 + i // 26)}"})
    return rows


def test_same_company_and_reposted_templates_share_a_group() -> None:
    template = "We are hiring data entry clerks to work from home. Earn $500 weekly, no skills."
    frame = _frame(
        [
            {"company": "ACME Ltd.", "description": "Warehouse operative, days, forklift licence."},
            {"company": "acme ltd", "description": "Accountant for our finance team in Leeds."},
            {"description": template},
            {"description": template.replace("$500", "$600") + " Apply now!"},
            {
                "description": "Research scientist, protein folding; PhD required; Cambridge."
            },
            *_fillers(60),
        ]
    )
    groups = assign_groups(frame)
    assert groups[0] == groups[1]
    assert groups[2] == groups[3]
    assert len({groups[0], groups[2], groups[4]}) == 3


def test_generic_company_names_do_not_join_strangers() -> None:
    assert _company_key("某知名企业", None) is None
    assert _company_key("Confidential", None) is None


def test_shipped_corpus_splits_are_group_and_company_disjoint(corpus: pd.DataFrame) -> None:
    assert corpus.groupby("group")["split"].nunique().max() == 1
    keys = [
        _company_key(c, p)
        for c, p in zip(corpus["company"], corpus["company_profile"], strict=True)
    ]
    by_company = pd.DataFrame({"key": keys, "split": corpus["split"]}).dropna()
    assert by_company.groupby("key")["split"].nunique().max() == 1


def test_shipped_split_assignment_is_reproducible(corpus: pd.DataFrame) -> None:
    releases = [{path.split("/")[-1].split(".")[0] for path in release}
                for release in LATER_RELEASES]
    added = corpus["source"].isin(set().union(*releases))
    first = corpus[~added]
    again = assign_splits(first[["group", "language", "label"]], seed=13)
    assert (again == first["split"]).all()
    for prefix, sources, least in zip("ab", releases, (1000, 100), strict=True):
        own = corpus[corpus["source"].isin(sources) & corpus["group"].str.startswith(prefix)]
        assert len(own) > least
        again = assign_splits(own[["group", "language", "label"]], seed=13)
        assert (again == own["split"]).all()


def test_added_rows_never_move_old_ones_and_inherit_their_split() -> None:
    """A later source is split among itself; a repost of an old row takes the old split."""
    template = "We are hiring data entry clerks to work from home. Earn $500 weekly, no skills."
    han = "".join(chr(0x4E00 + 37 * i) for i in range(400))
    zh_fillers = [{"text": han[i * 9:i * 9 + 30], "language": "zh"} for i in range(40)]
    old = _frame([*_fillers(40), {"description": template}, *zh_fillers])
    old["group"] = assign_groups(old)
    old["split"] = assign_splits(old)
    copy = {"description": template.replace("$500", "$600") + " Apply now!"}
    lure = "兼职刷单，一单一结，日赚三百，加QQ详聊，名额有限"
    new = _frame([copy, {"text": lure + "速来", "language": "zh"},
                  {"text": "★" + lure + "快来", "language": "zh"}])
    groups, splits = attach_added(old, new)
    assert groups[0] == old.loc[40, "group"] and splits[0] == old.loc[40, "split"]
    assert groups[1] == groups[2] and groups[1].startswith("a")  # message near-duplicates
    assert splits[1] == splits[2] in {"train", "valid", "test"}


def test_every_split_has_both_labels_per_language(corpus: pd.DataFrame) -> None:
    core = corpus[corpus["role"] == "core"]
    counts = core.groupby(["language", "split"])["label"].agg(["min", "max"])
    assert (counts["min"] == 0).all() and (counts["max"] == 1).all()


def test_a_handful_of_texts_is_grouped_not_refused() -> None:
    """Issue 24: under 20 texts scikit-learn refused max_df=5% ("max_df corresponds to <
    documents than min_df"), which crashed `models compare` after a first retrain (its
    held-out decisions are a handful); and between 20 and ~1,000 texts, 5% is so few that a
    reposted template's own 5-grams were dropped, so three copies were not joined."""
    template = "We are hiring data entry clerks to work from home. Earn $500 weekly, no skills."
    copies = [{"description": template.replace("$500", f"${n}00") + " Apply now!"}
              for n in (5, 6, 7)]
    for fillers in (0, 3, 17, 40):
        frame = _frame([*copies, *_fillers(fillers)])
        groups = assign_groups(frame)
        assert groups[0] == groups[1] == groups[2], fillers
        assert groups[0] not in set(groups[3:]), fillers
    two = assign_groups(_frame([{"description": template}, {"description": "Nurse, days."}]))
    assert two.nunique() == 2
