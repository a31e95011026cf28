"""The error of a feed that cannot be read at all (as opposed to one bad row)."""

from __future__ import annotations


class FeedError(ValueError):
    """The feed as a whole cannot be read; the message says why and what to do."""
