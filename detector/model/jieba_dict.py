"""jieba's prefix dictionary loaded in slices: only the entries whose first character occurs
in the text being segmented.

jieba (and jieba_fast) load their whole prefix dictionary on first use: 498,113 entries from
a 9 MB marshal cache, about 0.5 s, more than everything else of scoring one posting after
the imports. Segmenting a sentence only ever looks up fragments that start at one of its own
characters (jieba's DAG and route both index `FREQ[sentence[k:j]]`), so entries starting
with any other character are never read: loading them on demand gives the same words
(`tests/model/test_jieba_dict.py` compares with jieba's own dictionary on real postings).

The slices are written once per dictionary file to the user's cache directory
(`$XDG_CACHE_HOME` or `~/.cache`, then `job-scam-detector/`); where no cache can be written,
the whole dictionary is used as jieba loads it.
"""

from __future__ import annotations

import logging
import marshal
import os
import threading
from pathlib import Path
from typing import Any

MAGIC = b"DETECTOR-JIEBA-1\n"
_HEADER = len(MAGIC) + 8
log = logging.getLogger(__name__)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "job-scam-detector"


def dictionary_file(module: Any) -> Path:
    """The default dictionary shipped with jieba / jieba_fast."""
    return Path(module.__file__).resolve().parent / "dict.txt"


def cache_file(module: Any) -> Path:
    """One cache per dictionary file content (name, size and mtime identify it)."""
    source = dictionary_file(module)
    stat = source.stat()
    return cache_dir() / f"{module.__name__}-{stat.st_size}-{int(stat.st_mtime)}.slices"


def write_slices(freq: dict[str, int], total: int, path: Path) -> None:
    """The dictionary grouped by first character: an index, then one marshal blob each."""
    groups: dict[str, dict[str, int]] = {}
    for word, count in freq.items():
        groups.setdefault(word[0], {})[word] = count
    blobs = [(char, marshal.dumps(group)) for char, group in groups.items()]
    index: dict[str, tuple[int, int]] = {}
    offset = 0
    for char, blob in blobs:
        index[char] = (offset, len(blob))
        offset += len(blob)
    head = marshal.dumps((total, index))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    with tmp.open("wb") as handle:
        handle.write(MAGIC + len(head).to_bytes(8, "little") + head)
        for _, blob in blobs:
            handle.write(blob)
    os.replace(tmp, path)


class SlicedDictionary:
    """Fills a jieba tokenizer's FREQ with the slices of the characters it is about to see."""

    def __init__(self, tokenizer: Any, path: Path) -> None:
        data = path.read_bytes()
        if not data.startswith(MAGIC):
            raise ValueError(f"{path} is not a dictionary slice file")
        size = int.from_bytes(data[len(MAGIC):_HEADER], "little")
        total, self.index = marshal.loads(data[_HEADER:_HEADER + size])
        self.data = memoryview(data)[_HEADER + size:]
        self.loaded: set[str] = set()
        self.lock = threading.Lock()
        self.freq: dict[str, int] = {}
        tokenizer.FREQ = self.freq
        tokenizer.total = total
        tokenizer.initialized = True

    def ensure(self, text: str) -> None:
        new = set(text) - self.loaded
        if not new:
            return
        with self.lock:
            for char in new:
                where = self.index.get(char)
                if where is not None:
                    offset, length = where
                    self.freq.update(marshal.loads(self.data[offset:offset + length]))
            self.loaded |= new


class Segmenter:
    """`lcut` as jieba's, loading only the dictionary slices the text needs."""

    def __init__(self, module: Any) -> None:
        self.module = module
        # Our own tokenizer: jieba's global one (`jieba.lcut`) keeps its whole dictionary.
        self.tokenizer = module.Tokenizer()
        self.slices = self._slices()

    def _slices(self) -> SlicedDictionary | None:
        try:
            path = cache_file(self.module)
        except (OSError, AttributeError, TypeError):
            path = None
        if path is not None:
            try:
                return SlicedDictionary(self.tokenizer, path)
            except (OSError, ValueError, EOFError, TypeError):
                pass  # not written yet (or damaged): build it below
        self.tokenizer.initialize()  # jieba's own load of the whole dictionary
        if path is not None:
            try:
                write_slices(self.tokenizer.FREQ, self.tokenizer.total, path)
            except OSError as exc:
                log.info("jieba dictionary slices not cached (%s); using the whole "
                         "dictionary", exc)
        return None

    def lcut(self, text: str, HMM: bool = False) -> list[str]:
        if self.slices is not None:
            self.slices.ensure(text)
        return self.tokenizer.lcut(text, HMM=HMM)
