"""Storage: the archive's schema, migrations and writes (``Archive``), and Vietnamese search."""

from .archive import NEW, REJECTED, UNCHANGED, UPDATED, Archive, content_hash
from .search import search

__all__ = ["Archive", "content_hash", "search", "NEW", "UPDATED", "UNCHANGED", "REJECTED"]
