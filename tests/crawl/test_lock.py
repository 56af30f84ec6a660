"""Overlapping scheduled runs: `ldtd crawl` and `scrapy crawl laodongthudo` share one crawl lock; a crawl
that finds another crawl writing the same archive does nothing. Bad -s values are refused clearly."""

from __future__ import annotations

import json
import subprocess
import sys

from scraper.crawl.run import EXIT_LOCKED, crawl_lock

from .conftest import FAST, ROOT, crawl_cmd, db_rows


def _scrapy(db, base_url, *extra):
    cmd = [sys.executable, "-m", "scrapy", "crawl", "laodongthudo", "-s", f"LDTD_DB={db}",
           "-s", f"LDTD_BASE_URL={base_url}"]
    for k, v in FAST.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd + list(extra)


def test_a_held_lock_turns_both_entry_points_away(replica, tmp_path):
    db = tmp_path / "archive.db"
    with crawl_lock(str(db)):  # a slow hourly run still holds the archive
        blocked = subprocess.run(crawl_cmd(db, replica.base_url, "--backfill", counted=False), cwd=ROOT,
                                 capture_output=True, text=True, timeout=120)
        proc = subprocess.run(_scrapy(db, replica.base_url), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert blocked.returncode == EXIT_LOCKED
    assert "another crawl" in blocked.stdout and "this run did nothing" in blocked.stdout
    assert proc.returncode != 0
    assert "another crawl" in proc.stderr and "this run did nothing" in proc.stderr
    assert not db.exists() or not db_rows(db, "select * from crawl_runs")
    assert replica.requests == []  # neither asked the site for anything: refused before their engines start
    with crawl_lock(str(db)):  # the lock is gone with its holder
        pass


def test_ldtd_crawl_waits_for_a_running_scrapy_crawl(day2_history):
    """`scrapy crawl` works from the repository root (day2_history's "later" run, a month on: a periodic
    full walk), through a mirror under a path prefix (crawled under it), holding the lock while it runs:
    an `ldtd crawl` meanwhile does nothing; the lock is released with its holder."""
    db, later, blocked = day2_history["db"], day2_history["later"], day2_history["locked_out"]
    assert day2_history["later_was_running"], "the scrapy crawl ended before the other crawl tried"
    assert blocked.returncode == EXIT_LOCKED, blocked.stdout + blocked.stderr[-2000:]
    assert "this run did nothing" in blocked.stdout
    assert later.returncode == 0, later
    runs = db_rows(db, "SELECT mode, outcome, args FROM crawl_runs ORDER BY id")
    assert len(runs) == 4 and runs[-1]["outcome"] == "ok"  # the backfill, day2, again, later: none added by it
    assert json.loads(runs[-1]["args"])["walk"] == "full"  # (`scrapy crawl` writes no stats file: its record)
    # every page through the mirror's prefix; the archive keeps the canonical URLs
    article_paths = [p for p in day2_history["later_proxy_paths"] if p.endswith((".html", ".media"))]
    assert article_paths and all(p.startswith("/mirror/") for p in article_paths), article_paths[:5]
    assert all(r["url"].startswith("https://laodongthudo.vn/") for r in db_rows(db, "SELECT url FROM articles"))
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
