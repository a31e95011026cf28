"""Reading feed files: CSV/TSV (any encoding, dialect sniffed), JSONL and Parquet, with
header aliases mapped to posting fields; every bad record is an error row, never a lost feed.
Used by `detector scan` and by `detector labels import` (which reads moderators' decisions
with the same readers, so ids mean what they meant in the scan)."""
