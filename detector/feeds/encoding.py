"""Which text encoding a feed is in: byte-order mark, then UTF-8 checked over the whole
file, then charset-normalizer on the lines that are not UTF-8; unsure means stop.

Chinese Excel saves CSV in GB18030 (GBK), its "Unicode text" export is UTF-16 with tabs,
and other Excel builds write UTF-8 with a byte-order mark. Reading any of them as UTF-8
rejected most rows (issue 19). The UTF-8 check reads the whole file (about 1 GB/s), so a
feed whose first thousand rows are English and the rest GBK is not mistaken for UTF-8; a
few invalid bytes among valid UTF-8 are damaged rows (each rejected, the rest scanned), as
before. When the file is not UTF-8, charset-normalizer looks at the lines holding non-ASCII
bytes. If its best candidates decode them to different text (a short file can be GB18030,
Big5 or CP949 alike), the header decides when only one reading names posting columns;
otherwise the scan stops before scoring and asks for `--encoding`: garbled text is never
scored.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from detector.feeds.errors import FeedError

_BLOCK = 1 << 20
#: Bytes of non-UTF-8 lines handed to charset-normalizer (enough for a stable answer).
_SAMPLE_BYTES = 256 * 1024
#: Invalid UTF-8 bytes tolerated as damaged rows: at most this many, or this share of the
#: non-ASCII bytes (a GBK file has nearly all of its non-ASCII bytes invalid as UTF-8).
_MAX_BAD_BYTES = 8
_MAX_BAD_SHARE = 0.05
#: NUL bytes in the first 4 KB above 1 in this many are a wide encoding or binary, not text.
_STRAY_NUL_SHARE = 100
#: Non-ASCII bytes of valid UTF-8 after which the rest of the file is not read to decide.
_ENOUGH_UTF8 = 20_000
#: A candidate encoding this much messier than the best is no rival (charset-normalizer's
#: mess ratio, 0-1); a best candidate messier than _MAX_CHAOS is no answer.
_RIVAL_CHAOS = 0.05
_MAX_CHAOS = 0.2
_ASCII = bytes(range(128))
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (big-endian)"),
)
#: Codecs that decode a superset of what the detector named, identically where both do.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "ascii": "utf-8"}
#: How the usual encodings are usually called.
_DISPLAY = {"utf_8": "UTF-8", "gb18030": "GB18030", "big5": "Big5", "cp950": "Big5 (CP950)",
            "cp932": "Shift_JIS (CP932)", "shift_jis": "Shift_JIS", "euc_jp": "EUC-JP",
            "cp949": "CP949 (Korean)", "latin_1": "Latin-1", "utf_16": "UTF-16",
            "utf_16_le": "UTF-16LE", "utf_16_be": "UTF-16BE", "utf_32": "UTF-32"}
HINT = ("e.g. --encoding gb18030 for a CSV saved by Chinese Excel, --encoding utf-16 for "
        "Excel's \"Unicode text\", --encoding cp1252 for Western Windows")


@dataclass(frozen=True)
class Encoding:
    """How a feed's bytes are read: the Python codec, its usual name, and how we know."""

    codec: str
    name: str
    how: str  # "byte-order mark", "checked", "detected", "--encoding"

    @property
    def label(self) -> str:
        """The name used in a rejected row's message ("invalid GB18030 in field ...")."""
        return "UTF-8" if self.name.startswith("UTF-8") else self.name

    @property
    def ascii_compatible(self) -> bool:
        """Lines can be split on b"\\n" before decoding (not so for UTF-16/32)."""
        return not codecs.lookup(self.codec).name.startswith(("utf-16", "utf-32"))

    def describe(self) -> str:
        if self.how == "--encoding":
            return f"encoding {self.name} (--encoding)"
        return f"encoding {self.name} ({self.how}; --encoding to override)"


def display_name(codec: str) -> str:
    name = codecs.lookup(codec).name.replace("-", "_")
    return _DISPLAY.get(name, name.upper().replace("_", "-"))


def forced(encoding: str, head: bytes) -> Encoding:
    """The user's `--encoding`, checked to exist (a UTF-8 BOM is still dropped)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise FeedError(f"unknown --encoding {encoding!r}; {HINT}") from None
    codec = info.name
    if codec == "utf-8" and head.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    return Encoding(codec, display_name(info.name), "--encoding")


def detect(path: Path, names_columns: Callable[[str], bool]) -> Encoding:
    """The encoding of `path` (see the module docstring); FeedError when unsure.

    `names_columns(header_text)` says whether a decoded header names posting columns: the
    tie-break between readings that charset-normalizer finds equally clean."""
    with path.open("rb") as handle:
        head = handle.read(4)
        for bom, codec, name in _BOMS:
            if head.startswith(bom):
                return Encoding(codec, name, "byte-order mark")
        handle.seek(0)
        first = handle.read(4096)
        if b"\x00" in first and not _stray_nuls(first):
            return _wide_without_bom(path, first)
        handle.seek(0)
        lines, verdict = _scan_utf8(handle)
    if verdict is not None:
        return verdict
    return _detect_other(path, lines, names_columns)


def _scan_utf8(handle) -> tuple[list[bytes], Encoding | None]:  # type: ignore[no-untyped-def]
    """Read the file as UTF-8, counting invalid bytes; keep the lines that are not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    high = bad = kept = 0
    lines: dict[bytes, None] = {}  # distinct lines, in file order
    pending = b""
    for block in iter(lambda: handle.read(_BLOCK), b""):
        high += len(block.translate(None, _ASCII))  # the non-ASCII bytes
        found = _invalid(decoder.decode(block))
        bad += found
        data = pending + block
        cut = data.rfind(b"\n") + 1
        if found and kept < _SAMPLE_BYTES:
            kept += _keep_lines(data[:cut], lines, _SAMPLE_BYTES - kept)
        pending = data[cut:][-_BLOCK:]
        if high - bad >= _ENOUGH_UTF8 and bad <= high * _MAX_BAD_SHARE:
            break  # plenty of valid UTF-8: damaged rows at most
        if kept >= _SAMPLE_BYTES and bad >= _ENOUGH_UTF8 and bad > high / 2:
            break  # plainly another encoding, and the sample is full
    else:
        bad += _invalid(decoder.decode(b"", final=True))
        if kept < _SAMPLE_BYTES:
            _keep_lines(pending, lines, _SAMPLE_BYTES - kept)
    if high == 0:
        return [], Encoding("utf-8-sig", "UTF-8", "plain ASCII")
    # Damaged rows of a UTF-8 file: few invalid bytes among plenty of valid UTF-8. (Some
    # byte pairs of GBK text happen to be valid UTF-8 too, about one in seven.)
    if bad <= max(_MAX_BAD_BYTES, high * _MAX_BAD_SHARE) and high - bad >= 2 * bad:
        how = "checked" if bad == 0 else f"checked; {bad} invalid bytes in damaged rows"
        return [], Encoding("utf-8-sig", "UTF-8", how)
    return list(lines), None


def _invalid(text: str) -> int:
    """Bytes the UTF-8 decoder could not read (each is one lone surrogate in `text`);
    counted by re-encoding, which is far faster than finding a million matches."""
    return len(text) - len(text.encode("utf-8", "ignore").decode("utf-8"))


def _keep_lines(data: bytes, lines: dict[bytes, None], budget: int) -> int:
    kept = 0
    for line in data.split(b"\n"):
        line = line.rstrip(b"\r")
        if line and line not in lines and not line.isascii() and _not_utf8(line):
            lines[line] = None
            kept += len(line) + 1
            if kept >= budget:
                break
    return kept


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _stray_nuls(first: bytes) -> bool:
    """A NUL or two in a row of text, not a wide encoding or a binary file: UTF-16/32 text
    is a third to a half NUL bytes and binary files hold other control bytes too. A stray
    NUL is its row's problem (stripped from text like everywhere else)."""
    nuls = first.count(b"\x00")
    rest = first.replace(b"\x00", b"").translate(None, b"\t\n\r\x0c")
    controls = sum(rest.count(bytes([c])) for c in range(32))
    return nuls <= max(1, len(first) // _STRAY_NUL_SHARE) and controls == 0


def _wide_without_bom(path: Path, first: bytes) -> Encoding:
    """NUL bytes and no byte-order mark: UTF-16/32 without BOM, or not text at all."""
    from charset_normalizer import from_bytes

    best = from_bytes(first).best()
    if best is not None and best.encoding.startswith(("utf_16", "utf_32")):
        return Encoding(best.encoding, display_name(best.encoding), "detected")
    raise FeedError(f"{path} looks binary (NUL bytes in the first {len(first)} bytes), not "
                    "text; if it is text in another encoding, give it with --encoding")




def _sample(lines: list[bytes]) -> bytes:
    """The lines richest in non-ASCII bytes first: an English row's one curly quote says
    little, a Chinese row says a lot."""
    ranked = sorted(lines, key=lambda line: len(line.translate(None, _ASCII)), reverse=True)
    return b"\n".join(ranked)


def _detect_other(path: Path, lines: list[bytes],
                  names_columns: Callable[[str], bool]) -> Encoding:
    """charset-normalizer on the lines that are not UTF-8; by groups of lines when no one
    encoding reads them all (a damaged row), the encoding most groups agree on."""
    from charset_normalizer import from_bytes

    sample = _sample(lines)
    matches = from_bytes(sample)
    best = matches.best()
    if best is None or best.chaos > _MAX_CHAOS:
        codec = _majority(lines)
        if codec is None:
            raise FeedError(f"{path} is not UTF-8 and its encoding cannot be told; nothing "
                            f"was scored. Give it with --encoding ({HINT})")
        return Encoding(codec, display_name(codec), "detected; some rows do not decode")
    readings = _readings(sample, best, matches)
    if len(readings) > 1:
        header = _header_bytes(path)
        named = {codec: text for codec, text in readings.items()
                 if _decodes(header, codec) and names_columns(header.decode(codec))}
        if len(named) == 1:
            codec = next(iter(named))
            return Encoding(codec, display_name(codec), "detected; the header decides")
        shown = [display_name(codec) for codec in readings]
        names = ", ".join(shown[:4]) + (f" and {len(shown) - 4} more" if len(shown) > 4 else "")
        raise FeedError(
            f"{path} is not UTF-8, and its text encoding is not certain: it reads as "
            f"different text in {names}. Nothing was scored; give the encoding with "
            f"--encoding ({HINT})")
    codec = next(iter(readings), _SUPERSET.get(best.encoding, best.encoding))
    return Encoding(codec, display_name(codec), "detected")


def _readings(sample: bytes, best, matches) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One codec per distinct decoded text among the close candidates. A rival of a
    multi-byte best (GB18030) must be multi-byte too: that many byte pairs forming valid
    characters by chance is unlikely, whereas a single-byte code page decodes anything."""
    from charset_normalizer.utils import is_multi_byte_encoding

    multi = is_multi_byte_encoding(best.encoding)
    readings: dict[str, str] = {}
    for match in matches:
        if match.chaos > best.chaos + _RIVAL_CHAOS:
            continue
        if match is not best and multi and not is_multi_byte_encoding(match.encoding):
            continue
        codec = _SUPERSET.get(match.encoding, match.encoding)
        try:
            text = sample.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if text not in readings.values():
            readings.setdefault(codec, text)
    return readings


def _majority(lines: list[bytes], groups: int = 8) -> str | None:
    """The encoding two thirds of the groups of lines agree on, if any (each group is
    judged on its own, so a damaged row spoils only its group)."""
    from charset_normalizer import from_bytes

    groups = min(groups, len(lines))
    if groups < 3:
        return None
    votes: dict[str, int] = {}
    for start in range(groups):
        best = from_bytes(_sample(lines[start::groups])).best()
        if best is not None and best.chaos <= _MAX_CHAOS:
            codec = _SUPERSET.get(best.encoding, best.encoding)
            votes[codec] = votes.get(codec, 0) + 1
    if not votes:
        return None
    codec, count = max(votes.items(), key=lambda item: item[1])
    return codec if count * 3 >= 2 * groups else None


def _header_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline(64 * 1024).rstrip(b"\r\n")


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
