"""The feed readers' tests use the scan tests' real sample of labelled postings."""

from tests.scan.conftest import real_postings  # noqa: F401  (a fixture, shared)
