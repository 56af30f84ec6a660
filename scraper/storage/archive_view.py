"""What the crawler reads from the archive to decide what to fetch: the articles it knows and the run
log (`scraper.storage.runs.RunLog`). The state lives in the archive itself; nothing is kept in a side
file. An absent archive knows nothing (a first crawl)."""

from __future__ import annotations

import os

from .archive import Archive
from .runs import RunLog


class ArchiveView:
    """Read-only questions the spider asks the archive: `known`, `recent`, `first_id_since`,
    `dangling_links`, and the run log as `runs`."""

    def __init__(self, archive: Archive | None = None):
        self.archive = archive
        self.runs = RunLog(archive.db if archive is not None else None)

    @classmethod
    def open(cls, path: str) -> "ArchiveView":
        if not path or not os.path.exists(path):
            return cls(None)
        return cls(Archive.open(path, migrate=False))

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None
            self.runs = RunLog(None)

    def known(self, ids) -> dict[int, dict]:
        if self.archive is None or not ids:
            return {}
        return self.archive.known(ids)

    def recent(self, since_iso: str) -> list[dict]:
        """The recrawl window: articles published at or after ``since_iso``, newest first, gone ones
        included (a 404 may be transient: a gone article is rechecked while it is in the window; a 200
        that parses clears its gone mark)."""
        if self.archive is None:
            return []
        return self.archive.recent(since_iso, include_gone=True)

    def first_id_since(self, since) -> int | None:
        """The smallest id archived among articles published at or after ``since`` (a datetime)."""
        if self.archive is None:
            return None
        return self.archive.first_id_since(since.isoformat())

    def dangling_links(self, since) -> list[str]:
        """Links from articles fetched since ``since`` (a datetime) to articles not archived: what an
        interrupted run would have followed next."""
        if self.archive is None:
            return []
        return self.archive.dangling_links(since.isoformat())
