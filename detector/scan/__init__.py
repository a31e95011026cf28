"""Batch feed scanning (`detector scan`): stream a CSV/JSONL/Parquet feed through the
detector in chunks, in parallel, resumably, into JSONL/CSV/Parquet plus summary and report.

Entry point for code: `detector.scan.runner.run_scan(ScanConfig(...))`.
"""
