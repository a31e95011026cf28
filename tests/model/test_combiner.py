"""The combiner: flags only raise the estimate, rare or new flags keep their floors."""

from __future__ import annotations

import math

import numpy as np

from detector.model.combiner import CAP, MIN_SCAM_HITS, Combiner, flag_rates, measured
from detector.verdict import HIGH_AT, MEDIUM_AT, FlagHit


def _hit(fid: str, severity: str = "high") -> FlagHit:
    return FlagHit(fid, severity)  # type: ignore[arg-type]


def test_rates_average_sources_and_shrink_rare_flags() -> None:
    # Two scam sources (10 rows each), two legit sources (100 rows each).
    hits = ([["fee"]] * 5 + [[]] * 5 + [["fee"]] * 1 + [[]] * 9      # scam sources a, b
            + [[]] * 100 + [["fee"]] * 1 + [[]] * 99                  # legit sources c, d
            + [])
    labels = np.array([1] * 20 + [0] * 200)
    sources = np.array(["a"] * 10 + ["b"] * 10 + ["c"] * 100 + ["d"] * 100)
    rates = flag_rates(hits, labels, sources, ["fee", "never"])
    fee = rates["fee"]
    assert fee.scam_hits == 6 and fee.legit_hits == 1
    assert math.isclose(fee.scam_rate, ((5.5 / 11) + (1.5 / 11)) / 2)
    raw = math.log(fee.scam_rate / fee.legit_rate)
    assert math.isclose(fee.weight, raw * 6 / 9)
    assert rates["never"].weight == 0.0  # never fires: no evidence either way
    assert set(measured(rates)) == {"fee"}  # enough scam hits to be weighed


def test_flags_only_raise_the_estimate() -> None:
    combiner = Combiner({"fee": 2.0, "contact": 0.5}, rates={})
    base = combiner.combine(0.07, [])
    one = combiner.combine(0.07, [_hit("fee", "low")])
    two = combiner.combine(0.07, [_hit("fee", "low"), _hit("contact", "low")])
    assert base < one < two
    assert math.isclose(one, 1 / (1 + math.exp(-(math.log(0.07 / 0.93) + 2.0))))
    # A weighed high flag also keeps its floor: the safety net.
    assert combiner.combine(0.01, [_hit("fee", "high")]) == HIGH_AT


def test_estimate_is_capped() -> None:
    combiner = Combiner({"fee": 6.0, "task": 6.0}, rates={})
    assert combiner.combine(0.9, [_hit("fee"), _hit("task")]) == CAP


def test_unweighed_flag_keeps_its_severity_floor() -> None:
    combiner = Combiner({"fee": 1.0}, rates={})
    assert combiner.combine(0.01, [_hit("known_scam_campaign", "high")]) == HIGH_AT
    assert combiner.combine(0.01, [_hit("new_medium_flag", "medium")]) == MEDIUM_AT
    assert math.isclose(combiner.combine(0.01, [_hit("new_low_flag", "low")]), 0.01)
    assert math.isclose(combiner.combine(0.8, [_hit("known_scam_campaign", "high")]), 0.8)


def test_min_scam_hits_is_the_threshold_for_a_weight() -> None:
    hits = [["x"]] * (MIN_SCAM_HITS - 1) + [[]] * 50 + [[]] * 500
    labels = np.array([1] * (MIN_SCAM_HITS - 1 + 50) + [0] * 500)
    sources = np.array(["s"] * (MIN_SCAM_HITS - 1 + 50) + ["l"] * 500)
    assert "x" not in measured(flag_rates(hits, labels, sources, ["x"]))
