"""Overlapping scheduled runs: a crawl that finds another crawl writing the same archive does nothing."""

from __future__ import annotations

from scraper.crawl.run import EXIT_LOCKED, crawl_lock

from .conftest import db_rows


def test_second_crawl_of_the_same_archive_waits_its_turn(crawl, replica, tmp_path):
    db = tmp_path / "archive.db"
    with crawl_lock(str(db)):  # a slow hourly run still holds the archive
        blocked = crawl(db, replica.base_url, "--backfill")
    assert blocked.returncode == EXIT_LOCKED
    assert "another crawl" in blocked.stdout and "this run did nothing" in blocked.stdout
    assert not db.exists() or not db_rows(db, "select * from crawl_runs")
    assert not any(path.endswith(".html") for _, path, _ in replica.requests)

    ran = crawl(db, replica.base_url, "--backfill")  # the lock is gone with its holder
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert db_rows(db, "select count(*) as n from articles")[0]["n"] == 48
