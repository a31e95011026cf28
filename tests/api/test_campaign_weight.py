"""A confirmed repost carries the campaign flag's measured weight (issue 27 item 2): the
estimate is the combiner's, with `known_scam_campaign` weighed like every other flag, above
the high floor, and the API, the page and the CLI agree. Hand-written texts (a demo pair
from tests/api/samples.py, not evaluation data)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from detector.core import get_detector
from detector.verdict import HIGH_AT, FlagHit
from tests.api.conftest import KEYS, MODERATOR_KEY, bearer, needs_model
from tests.api.samples import KNOWN, SIBLING

pytestmark = needs_model
FLAG = "known_scam_campaign"


def test_a_confirmed_repost_is_high_by_the_flags_fitted_weight(make_client,
                                                               tmp_path: Path) -> None:
    combiner = get_detector().bundle.combiner
    assert combiner is not None and combiner.weights.get(FLAG, 0) > 0
    card = get_detector().card
    low, high = card["combiner"]["choice"]["weight_intervals"][FLAG]
    assert low <= combiner.weights[FLAG] <= high

    db = tmp_path / "labels.sqlite"
    client = make_client(label_db=str(db), **KEYS)
    decided = client.post("/v1/feedback", json={"posting": {"text": KNOWN}, "label": "scam"},
                          headers=bearer(MODERATOR_KEY))
    assert decided.status_code == 201, decided.text
    api = client.post("/v1/score", json={"text": SIBLING},
                      headers=bearer(MODERATOR_KEY)).json()
    assert FLAG in {f["id"] for f in api["flags"]} and api["risk"] == "high"
    hits = [FlagHit(f["id"], f["severity"], ()) for f in api["flags"]]
    expected = combiner.combine(api["model_probability"], hits)
    assert abs(api["fraud_probability"] - expected) < 1e-3
    assert api["fraud_probability"] > HIGH_AT  # the weight, not the severity floor alone
    without = combiner.combine(api["model_probability"], [h for h in hits if h.id != FLAG])
    assert without < HIGH_AT  # the model and the other flags alone would not say high

    page = client.post("/?lang=en", data={"text": SIBLING}).text
    shown = re.search(r'data-probability="([0-9.]+)"', page)
    assert shown is not None and float(shown.group(1)) == api["fraud_probability"]

    env = {**os.environ, "DETECTOR_LABEL_DB": str(db)}
    cli = subprocess.run([sys.executable, "-m", "detector", "score", "--format", "json"],
                         input=SIBLING.encode(), capture_output=True, timeout=180, env=env)
    assert cli.returncode == 0, cli.stderr
    verdict = json.loads(cli.stdout)
    assert verdict["fraud_probability"] == api["fraud_probability"]
    assert FLAG in {f["id"] for f in verdict["flags"]}
