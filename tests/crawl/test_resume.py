"""An interrupted crawl, then run again, ends with the archive of an uninterrupted run. One history:
a backfill stopped by Ctrl-C (SIGINT: Scrapy shuts down gracefully, what was fetched is stored, the run
is recorded as interrupted, exit 3); the next plain run (cron does not know) killed halfway (SIGKILL:
its record left "running"); the run after that completes the archive."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from .conftest import (ROOT, CrawlRun, archive_content, archived_count, crawl_cmd, db_rows, expected_records,
                       kill_when, replica_server_class, snapshot_time, spawn_crawl)

SLOW = {"LDTD_BATCH_SIZE": "2", "DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    d = tmp_path_factory.mktemp("resume")
    db = d / "archive.db"
    now = snapshot_time("base")
    out = {"db": db}
    with replica_server_class()(state="base") as replica:
        proc = spawn_crawl(db, replica.base_url, "--backfill", now=now, settings=SLOW)
        third = len(expected_records("base")) // 3
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists() and archived_count(db) >= third:
                os.kill(proc.pid, signal.SIGINT)
                break
            time.sleep(0.01)
        out["sigint_code"] = proc.wait(timeout=120)
        out["after_sigint"] = db_rows(db, "SELECT outcome, finished_at, new FROM crawl_runs")
        out["stored_after_sigint"] = archived_count(db)

        proc = spawn_crawl(db, replica.base_url, now=now, settings=SLOW)
        out["killed"] = kill_when(proc, lambda: archived_count(db) >= out["stored_after_sigint"] + 8)
        out["after_kill"] = db_rows(db, "SELECT outcome, finished_at FROM crawl_runs ORDER BY id")
        out["stored_before_final"] = archived_count(db)

        stats = d / "final.json"
        final = subprocess.run(crawl_cmd(db, replica.base_url, now=now, stats=stats), cwd=ROOT, capture_output=True,
                               text=True, timeout=240)
        out["final"] = CrawlRun(final, stats)
    return out


def test_ctrl_c_stores_what_was_fetched_and_records_the_run_as_interrupted(history):
    assert history["sigint_code"] == 3
    (row,) = history["after_sigint"]
    assert row["outcome"] == "interrupted" and row["finished_at"]
    assert 0 < row["new"] < len(expected_records("base")) and row["new"] == history["stored_after_sigint"]


def test_a_killed_run_is_left_running(history):
    assert history["killed"], "the resuming run ended before the kill"
    assert [(r["outcome"], bool(r["finished_at"])) for r in history["after_kill"]] == [
        ("interrupted", True), ("running", False)]  # as SIGKILL left it


def test_the_next_run_completes_the_archive_of_an_uninterrupted_run(history, reference):
    run, db = history["final"], history["db"]
    assert run.returncode == 0, run
    assert run.stats.get("ldtd/resumed_from"), "the run did not notice the interrupted ones"
    assert run.stats.get("ldtd/completes") == "backfill" and run.stats["ldtd/walk"] == "full"
    assert archive_content(db) == archive_content(reference.db)
    # nothing stored twice: the run added exactly what was missing
    assert run.stats["ldtd/count/new"] == archived_count(reference.db) - history["stored_before_final"]
    # no duplicate rows anywhere
    assert not db_rows(db, "SELECT article_id, block, position, count(*) n FROM related_links"
                           " GROUP BY 1, 2, 3 HAVING n > 1")
    assert not db_rows(db, "SELECT article_id, position, count(*) n FROM images GROUP BY 1, 2 HAVING n > 1")
    assert db_rows(db, "PRAGMA integrity_check")[0]["integrity_check"] == "ok"
