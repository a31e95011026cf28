"""Promote a version (after the gate) or roll back; every server pointing at the same label
store follows (detector.registry.state)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Any

import pandas as pd

from detector.registry.state import change_state
from detector.registry.versions import ModelVersion, resolve
from detector.settings import Settings


class PromotionRefused(ValueError):
    """The new model is worse beyond the interval; --force overrides (and is logged)."""


def detector_of(version: ModelVersion, settings: Settings) -> Any:
    """The version's detector, loaded only from a trusted directory (its artifact too:
    a symbolic link out of it is refused) and by `load_bundle`, which reads the artifact
    once, checks those bytes' sha256 against the card and unpickles the same bytes."""
    from detector.core import Detector
    from detector.model.artifact import artifact_path, load_bundle
    from detector.registry.versions import check_trusted

    folder = check_trusted(settings, version.path)
    check_trusted(settings, artifact_path(folder, version.card))
    bundle, card = load_bundle(folder)
    return Detector(bundle, card)


def holdout_rows(settings: Settings, *versions: ModelVersion) -> pd.DataFrame:
    """The label rows the versions held out of training (still in the store)."""
    from detector.labels.store import LabelStore
    from detector.labels.training import label_frame

    wanted = set()
    for version in versions:
        wanted |= set(version.card.get("moderator_labels", {}).get("held_out_hashes", []))
    if not wanted:
        return pd.DataFrame()
    items = [item for item in LabelStore(settings.label_db).labeled() if item.hash in wanted]
    return label_frame(items)


def compare_versions(settings: Settings, old: ModelVersion, new: ModelVersion,
                     n_boot: int, log: Callable[[str], None]) -> dict[str, Any]:
    from detector.corpus.build import load_corpus
    from detector.registry.compare import compare_models

    excluded: set[str] = set()
    for version in (old, new):
        excluded |= set(version.card.get("moderator_labels", {}).get("test_groups_excluded", []))
    return compare_models(detector_of(old, settings), detector_of(new, settings),
                          load_corpus(settings.data_dir),
                          holdout_rows(settings, old, new), excluded, n_boot, log,
                          trained_labels=new.n_labels)


def promote(settings: Settings, ref: str, force: bool = False, n_boot: int = 1000,
            reason: str | None = None, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Compare with the served model; refuse if worse beyond the interval unless forced."""
    new = resolve(settings, ref)
    old = resolve(settings, "served")
    if new.path.resolve() == old.path.resolve():
        raise ValueError(f"{new.name} ({new.version}) is already served")
    result = compare_versions(settings, old, new, n_boot, log)
    refusals = result["refusals"]
    if refusals and not force:
        from detector.registry.compare import worse_on

        worse = worse_on(refusals)
        parts = [f"worse than the served {old.version} beyond the 95% interval on: "
                 + "; ".join(worse)] if worse else []
        parts += [reason for reason in refusals if reason not in worse]
        suffix = ". Use --force to override (it is logged)." if worse else "."
        raise PromotionRefused(f"refusing to promote {new.version}: " + ". ".join(parts)
                               + suffix)

    def promoted(state: dict[str, Any]) -> dict[str, Any]:
        if state["promoted"]:
            state["stack"].append(state["promoted"])
        state["promoted"] = new.entry()
        return {"event": "promote", "to": new.entry(), "from": old.entry(),
                "forced": bool(force), "refusals_overridden": refusals if force else [],
                "reason": reason, "user": getpass.getuser()}

    change_state(settings, promoted)
    return result


def rollback(settings: Settings) -> dict[str, Any] | None:
    """Serve the previously promoted version (or the shipped model); returns what is now
    promoted (None = shipped)."""

    def rolled_back(state: dict[str, Any]) -> dict[str, Any]:
        if not state["promoted"]:
            raise ValueError("nothing to roll back: the shipped model is already served")
        previous = state["promoted"]
        state["promoted"] = state["stack"].pop() if state["stack"] else None
        return {"event": "rollback", "from": previous, "to": state["promoted"],
                "user": getpass.getuser()}

    state = change_state(settings, rolled_back)
    return state["promoted"]
