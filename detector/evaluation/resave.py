"""`python -m detector.evaluation.resave [MODEL_DIR]`: re-save a model directory's artifact in the
current format (`detector.pkl.gz`) and regenerate its card's artifact entry, by code.

The bundle is loaded through the sha256 check, saved with `save_bundle`, and loaded again
through the new card's check; the model's figures stay as they are (same model).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from detector.evaluation.card import resave_artifact
    from detector.settings import Settings

    args = sys.argv[1:] if argv is None else argv
    model_dir = Path(args[0]) if args else Settings.from_env().model_dir
    card = resave_artifact(model_dir)
    artifact = card["artifact"]
    print(f"{model_dir}: {artifact['file']} {artifact['bytes']:,} bytes, sha256 "
          f"{artifact['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
