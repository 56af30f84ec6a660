"""A crawl killed halfway (SIGKILL), then run again, ends with the archive of an uninterrupted run."""

from __future__ import annotations


from .conftest import archive_content, archived_count, db_rows, expected_records, kill_when, snapshot_time, spawn_crawl

SLOW = {"LDTD_BATCH_SIZE": "2", "DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}


def test_killed_backfill_is_completed_by_the_next_run(replica, crawl, tmp_path):
    now = snapshot_time("base")
    reference = tmp_path / "reference.db"
    run = crawl(reference, replica.base_url, "--backfill", now=now)
    assert run.returncode == 0, run
    total = archived_count(reference)
    assert total >= len(expected_records("base"))

    db = tmp_path / "killed.db"
    proc = spawn_crawl(db, replica.base_url, "--backfill", now=now, settings=SLOW)
    half = total // 2
    assert kill_when(proc, lambda: db.exists() and archived_count(db) >= half), "the crawl ended before the kill"
    stored = archived_count(db)
    assert 0 < stored < total
    (killed,) = db_rows(db, "SELECT outcome, finished_at FROM crawl_runs")
    assert killed["outcome"] == "running" and killed["finished_at"] is None  # as SIGKILL left it

    # the next run is a plain incremental one (cron does not know the last run was killed)
    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0, run
    assert run.stats.get("ldtd/resumed_from"), "the run did not notice the interrupted one"
    assert archive_content(db) == archive_content(reference)
    # nothing fetched twice for the same article id in the resuming run beyond what it needed
    assert run.stats["ldtd/count/new"] == total - stored

    # no duplicate rows anywhere
    assert not db_rows(db, "SELECT article_id, block, position, count(*) n FROM related_links"
                           " GROUP BY 1, 2, 3 HAVING n > 1")
    assert not db_rows(db, "SELECT article_id, position, count(*) n FROM images GROUP BY 1, 2 HAVING n > 1")
    assert db_rows(db, "PRAGMA integrity_check")[0]["integrity_check"] == "ok"

    # and once complete, the next incremental run stops early: no full walk again
    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0, run
    assert run.stats["ldtd/walk"] == "incremental"
    assert run.stats["ldtd/count/new"] == 0


def test_ctrl_c_then_next_run(replica, crawl, tmp_path):
    """Ctrl-C (SIGINT): Scrapy shuts down gracefully, what was fetched is stored, the run is
    recorded as interrupted (exit 3), and the next run completes the archive."""
    import os
    import signal
    import time

    from scraper.storage.archive import Archive

    now = snapshot_time("base")
    db = tmp_path / "int.db"
    proc = spawn_crawl(db, replica.base_url, "--backfill", now=now, settings=SLOW)
    expected = expected_records("base")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and archived_count(db) >= len(expected) // 3:
            os.kill(proc.pid, signal.SIGINT)
            break
        time.sleep(0.01)
    assert proc.wait(timeout=120) == 3
    (row,) = db_rows(db, "SELECT outcome, finished_at, new FROM crawl_runs")
    assert row["outcome"] == "interrupted" and row["finished_at"]
    assert 0 < row["new"] < len(expected) and row["new"] == archived_count(db)  # nothing fetched was lost

    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0, run
    assert run.stats.get("ldtd/resumed_from")
    with Archive.open(db) as archive:
        for aid, exp in expected.items():
            got = archive.record(aid)
            assert got is not None and got["body"] == exp["body"] and got["related"] == exp["related"], aid
