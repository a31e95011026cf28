"""The work directory that makes a scan resumable: `OUTPUT.partial/`.

It holds `manifest.json` (what was being scanned, and how) and one `part-NNNNNN.jsonl` per
completed chunk, each written atomically. A chunk is done exactly when its part file exists,
so an interrupted scan (Ctrl-C, a kill, a crash) loses at most the chunks in flight, and
`--resume` never duplicates a row: it re-reads the feed, skips chunk indices that have a
part, scores the rest, then assembles every part in index order into OUTPUT.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


class ResumeError(ValueError):
    """The partial scan on disk does not belong to this input or these options."""


def work_dir_for(output: Path) -> Path:
    return output.with_name(output.name + ".partial")


def make_manifest(input_path: Path, chunk_size: int, model_version: str,
                  options: dict[str, Any]) -> dict[str, Any]:
    stat = input_path.stat()
    return {
        "manifest_version": MANIFEST_VERSION,
        "input": str(input_path.resolve()),
        "input_size": stat.st_size,
        "input_mtime_ns": stat.st_mtime_ns,
        "chunk_size": chunk_size,
        "model_version": model_version,
        "options": options,
    }


class WorkDir:
    """Parts and manifest of one scan; `open` decides between a fresh start and a resume."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def part(self, index: int) -> Path:
        return self.path / f"part-{index:06d}.jsonl"

    def done(self) -> set[int]:
        """Chunk indices whose part is complete (temp files of killed writers don't count)."""
        out = set()
        for entry in self.path.glob("part-*.jsonl"):
            try:
                out.add(int(entry.stem.split("-", 1)[1]))
            except ValueError:
                continue
        return out

    def open(self, manifest: dict[str, Any], resume: bool) -> set[int]:
        """Start fresh (discarding any old parts) or verify the manifest and return done chunks."""
        manifest_path = self.path / MANIFEST
        if resume and manifest_path.exists():
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
            diffs = [key for key in sorted(set(old) | set(manifest))
                     if old.get(key) != manifest.get(key)]
            if diffs:
                raise ResumeError(
                    f"cannot resume: the partial scan in {self.path} was made with a different "
                    f"{', '.join(diffs)}; run again without --resume to start over"
                )
            self._clean_temps()
            return self.done()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        tmp = manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        os.replace(tmp, manifest_path)
        return set()

    def _clean_temps(self) -> None:
        for entry in self.path.glob("*.tmp*"):
            entry.unlink(missing_ok=True)

    def parts(self) -> list[Path]:
        return [self.part(i) for i in sorted(self.done())]

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
