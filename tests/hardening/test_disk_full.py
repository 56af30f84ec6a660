"""A full disk, where no tmpfs can be mounted: `tests.hardening.small_archive` caps every SQLite
connection at a number of pages (`PRAGMA max_page_count`), and SQLite then answers as on a full disk.

This checks the cap itself, through the real writers (the forked store process inherits it) on a real
archive file, no crawl: a write past it fails with "database or disk is full", the writer stops
storing and counts what it lost, and what was committed before stays, sound.

(A full disk in a real crawl: tests/hardening/test_crash.py's history, its second run, on a tmpfs the
test shrinks, or with this cap when mounting is not allowed: the run fails with exit 1 and a finished
"failed" record, and the next run completes the archive.)"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from scraper.crawl.writers import Written, open_writer, parse_page
from scraper.items import PageItem
from scraper.storage import runs
from scraper.storage.archive import Archive
from scraper.storage.runs import RunRecord
from scraper.urls import article_id
from tests.storage.replica_pages import pages

from .conftest import archived_count, db_rows, integrity
from .small_archive import cap_pages

DISK_FULL = "database or disk is full"
ROOM_PAGES = 40  # as test_crash's history grows a capped archive: pages of 4 KiB, a few articles
FETCHED = "2026-11-25T18:00:00+07:00"


@pytest.mark.parametrize("kind", ["process", "inline"])
def test_the_page_cap_fills_the_archive_as_a_full_disk(tmp_path, monkeypatch, kind):
    db = tmp_path / "archive.db"
    with Archive.open(db) as archive:
        run_id = runs.start(archive.db, RunRecord(mode="backfill"))
    cap = db_rows(db, "PRAGMA page_count")[0]["page_count"] + ROOM_PAGES
    monkeypatch.setattr(sqlite3, "connect", sqlite3.connect)  # (put back after the test)
    cap_pages(cap)
    items = [PageItem(url=url, article_id=article_id(url), status=200, headers={"content-type": "text/html"},
                      body=body, fetched_at=FETCHED) for url, body in pages("base")]
    if kind != "process":  # as ParsePipeline leaves them for a writer in the crawling process
        for item in items:
            item.article, item.error = parse_page(item.body, item.url)
    written = Written()

    async def put_all():
        writer = open_writer(kind, str(db), run_id, None, lambda w: written.counts.update(w.counts), batch_size=1)
        try:
            for item in items:
                await writer.put(item)
                if writer.failure:
                    break
            writer.flush()
        finally:
            writer.close()
        return writer

    writer = asyncio.run(put_all())
    assert writer.failure and writer.failure.endswith(DISK_FULL) and "\n" not in writer.failure, writer.failure
    assert writer.lost > 0
    monkeypatch.undo()
    # what was committed before the cap was reached stays, and the archive is sound
    stored = archived_count(db)
    assert 0 < stored < len(items) and written.counts["new"] == stored
    assert db_rows(db, "PRAGMA page_count")[0]["page_count"] <= cap
    assert integrity(db) == ("ok", True)
