"""`ldtd crawl` and `scrapy crawl laodongthudo` share one crawl lock; bad -s values are refused clearly."""

from __future__ import annotations

import subprocess
import sys
import time

from scraper.crawl.run import EXIT_LOCKED, crawl_lock

from .conftest import FAST, ROOT, db_rows


def _scrapy(db, base_url, *extra):
    cmd = [sys.executable, "-m", "scrapy", "crawl", "laodongthudo", "-s", f"LDTD_DB={db}",
           "-s", f"LDTD_BASE_URL={base_url}"]
    for k, v in FAST.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd + list(extra)


def test_scrapy_crawl_takes_the_crawl_lock(replica, tmp_path):
    db = tmp_path / "a.db"
    with crawl_lock(str(db)):  # an `ldtd crawl` is writing this archive
        proc = subprocess.run(_scrapy(db, replica.base_url), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "another crawl" in proc.stderr and "this run did nothing" in proc.stderr
    assert not db.exists() or not db_rows(db, "SELECT * FROM crawl_runs")
    assert not [p for _m, p, _s in replica.requests if p.endswith(".html")]


def _running(db) -> bool:
    import sqlite3

    try:
        return db.exists() and bool(db_rows(db, "SELECT id FROM crawl_runs"))
    except sqlite3.Error:
        return False


def test_ldtd_crawl_waits_for_a_running_scrapy_crawl(replica, crawl, tmp_path):
    db = tmp_path / "a.db"
    slow = subprocess.Popen(_scrapy(db, replica.base_url, "-s", "DOWNLOAD_DELAY=0.2", "-s",
                                    "CONCURRENT_REQUESTS_PER_DOMAIN=1"),
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not _running(db):
            assert time.monotonic() < deadline and slow.poll() is None
            time.sleep(0.1)
        blocked = crawl(db, replica.base_url)
        assert blocked.returncode == EXIT_LOCKED, blocked
        assert "this run did nothing" in blocked.stdout
    finally:
        slow.wait(timeout=240)
    assert slow.returncode == 0
    assert [r["outcome"] for r in db_rows(db, "SELECT outcome FROM crawl_runs")] == ["ok"]
    ran = crawl(db, replica.base_url)  # and the lock is released with its holder
    assert ran.returncode == 0, ran


def test_a_bad_ldtd_now_is_refused_clearly(tmp_path):
    db = tmp_path / "a.db"
    for bad in ("yesterday", "25/11/2026"):
        p = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "-s", f"LDTD_NOW={bad}"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, p.stderr[-2000:]
        assert "LDTD_NOW" in p.stderr and "Traceback" not in p.stderr, p.stderr[-2000:]
    assert not db.exists()
