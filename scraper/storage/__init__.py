"""Storage: the archive's schema, migrations and writes (``Archive``); search is ``scraper.storage.search``."""

from .archive import CONFLICT, INCOMPLETE, NEW, REJECTED, UNCHANGED, UPDATED, Archive, content_hash

__all__ = ["Archive", "content_hash", "NEW", "UPDATED", "UNCHANGED", "REJECTED", "CONFLICT", "INCOMPLETE"]
