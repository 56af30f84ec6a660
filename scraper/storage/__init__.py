"""Storage, the one door to the archive: the schema and its frozen migrations (``schema``, ``migrations``,
the shared aggregates as SQL views), the writes (``Archive``), every read the CLI and Datasette make
(``read``), the search (``search``), an article's versions (``versions``) and the run log (``runs``)."""

from .archive import CONFLICT, INCOMPLETE, NEW, REJECTED, UNCHANGED, UPDATED, Archive, content_hash

__all__ = ["Archive", "content_hash", "NEW", "UPDATED", "UNCHANGED", "REJECTED", "CONFLICT", "INCOMPLETE"]
