"""Overlapping scheduled runs: `ldtd crawl` and `scrapy crawl laodongthudo` share one crawl lock; a crawl
that finds another crawl writing the same archive does nothing. Bad -s values are refused clearly."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

from scraper.crawl.run import EXIT_LOCKED, crawl_lock
from scraper.replica import faults as F

from .conftest import FAST, ROOT, PrefixProxy, count_crawl, db_rows, expected_records


def _scrapy(db, base_url, *extra):
    cmd = [sys.executable, "-m", "scrapy", "crawl", "laodongthudo", "-s", f"LDTD_DB={db}",
           "-s", f"LDTD_BASE_URL={base_url}"]
    for k, v in FAST.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd + list(extra)


def _running(db) -> bool:
    try:
        return db.exists() and bool(db_rows(db, "SELECT id FROM crawl_runs"))
    except sqlite3.Error:
        return False


def test_a_held_lock_turns_both_entry_points_away(crawl, replica, tmp_path):
    db = tmp_path / "archive.db"
    with crawl_lock(str(db)):  # a slow hourly run still holds the archive
        blocked = crawl(db, replica.base_url, "--backfill")
        proc = subprocess.run(_scrapy(db, replica.base_url), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert blocked.returncode == EXIT_LOCKED
    assert "another crawl" in blocked.stdout and "this run did nothing" in blocked.stdout
    assert proc.returncode != 0
    assert "another crawl" in proc.stderr and "this run did nothing" in proc.stderr
    assert not db.exists() or not db_rows(db, "select * from crawl_runs")
    assert not any(path.endswith(".html") for _, path, _ in replica.requests)
    with crawl_lock(str(db)):  # the lock is gone with its holder
        pass


def test_ldtd_crawl_waits_for_a_running_scrapy_crawl(replica, crawl, tmp_path):
    """`scrapy crawl` works from the repository root (a first crawl: every article), through a mirror
    under a path prefix (crawled under it), holding the lock while it runs: an `ldtd crawl` meanwhile
    does nothing; the lock is released with its holder."""
    db = tmp_path / "a.db"
    proxy = PrefixProxy(replica.base_url)
    replica.add_fault("/", F.slow(8, times=1))  # the home page keeps it running while the other crawl tries
    cmd = _scrapy(db, proxy.base_url + "/")
    count_crawl(cmd)
    slow = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not _running(db):
            assert time.monotonic() < deadline and slow.poll() is None
            time.sleep(0.1)
        blocked = crawl(db, replica.base_url)
        assert blocked.returncode == EXIT_LOCKED, blocked
        assert "this run did nothing" in blocked.stdout
    finally:
        err = slow.communicate(timeout=240)[1]
        proxy.close()
    assert slow.returncode == 0, err[-2000:]
    assert [r["outcome"] for r in db_rows(db, "SELECT outcome FROM crawl_runs")] == ["ok"]
    urls = {r["url"] for r in db_rows(db, "SELECT url FROM articles")}
    assert urls == {r["url"] for r in expected_records("base").values()}
    article_paths = [p for p in proxy.paths if p.endswith((".html", ".media"))]
    assert article_paths and all(p.startswith("/mirror/") for p in article_paths)
    with crawl_lock(str(db)):  # and the lock is released with its holder
        pass


def test_a_bad_ldtd_now_is_refused_clearly(tmp_path):
    db = tmp_path / "a.db"
    for bad in ("yesterday", "25/11/2026"):
        p = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "-s", f"LDTD_NOW={bad}"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, p.stderr[-2000:]
        assert "LDTD_NOW" in p.stderr and "Traceback" not in p.stderr, p.stderr[-2000:]
    assert not db.exists()
