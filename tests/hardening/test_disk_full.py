"""A full disk: the archive cannot grow in the middle of a crawl.

The run fails (exit 1, its summary says why), its record is finished (not left "running"), and the next
run, with room again, completes the archive. The small disk is a real tmpfs the test mounts (root), and
SQLite's `max_page_count` (every connection of the crawl capped) where mounting is not allowed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from scraper.replica.server import ReplicaServer
from scraper.storage import Archive

from .conftest import ROOT, CrawlRun, archive_content, archived_count, crawl_cmd, db_rows, integrity, snapshot_time

DISK_FULL = "database or disk is full"


def _mount(target, size: str, remount: bool = False) -> subprocess.CompletedProcess:
    opts = f"remount,size={size}" if remount else f"size={size}"
    return subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(target)], capture_output=True, text=True)


def _empty_archive_pages(path) -> int:
    Archive.open(str(path)).close()
    return db_rows(path, "PRAGMA page_count")[0]["page_count"]


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer("base") as srv:
        yield srv


@pytest.fixture(params=["tmpfs", "max_page_count"])
def small_disk(request, tmp_path):
    """(archive path, run(*cli args, name) -> CrawlRun on the small disk, grow() to give it room again)."""
    stats_dir = tmp_path / "stats"
    stats_dir.mkdir()

    def runner(prefix):
        def run(db, base_url, *args, name):
            stats = stats_dir / f"{name}.json"
            cmd = crawl_cmd(db, base_url, *args, now=snapshot_time("base"), stats=stats)
            if prefix:
                cmd = [sys.executable, "-m", "tests.hardening.small_archive", *prefix, *cmd[3:]]
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
            return CrawlRun(proc, stats)
        return run

    if request.param == "tmpfs":
        disk = tmp_path / "disk"
        disk.mkdir()
        mounted = _mount(disk, "600k")
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}): the max_page_count case stands in")
        state = {"run": runner(None)}

        def grow():
            assert _mount(disk, "64m", remount=True).returncode == 0

        try:
            yield disk / "archive.db", lambda *a, name: state["run"](*a, name=name), grow
        finally:
            subprocess.run(["umount", str(disk)], capture_output=True)
    else:
        # room for the empty archive (its schema grows with the migrations) and 40 pages of 4 KiB: a few articles
        state = {"run": runner([str(_empty_archive_pages(tmp_path / "empty.db") + 40)])}

        def grow():
            state["run"] = runner(None)

        yield tmp_path / "archive.db", lambda *a, name: state["run"](*a, name=name), grow


def test_a_full_disk_fails_the_run_and_the_next_run_completes_it(small_disk, replica, reference_db):
    db, run, grow = small_disk
    total = archived_count(reference_db)

    full = run(db, replica.base_url, "--backfill", name="full")
    stored = archived_count(db)
    assert stored < total, f"the disk did not fill ({stored} of {total} stored): make it smaller"
    # cron is told: exit 1, and the summary line (printed, and the run's record) says why
    assert full.returncode == 1, full
    assert full.outcome == "failed" and DISK_FULL in full.summary, full
    assert DISK_FULL in full.stdout, full

    grow()
    again = run(db, replica.base_url, name="again")
    assert again.returncode == 0 and again.outcome == "ok", again
    assert again.stats.get("ldtd/resumed_from"), "the run did not notice the failed one"
    # the failed run's record is finished with its reason (by itself, or by this run when the disk was
    # too full to write it), never left "running"
    first, second = db_rows(db, "SELECT outcome, finished_at, summary FROM crawl_runs ORDER BY id")
    assert first["outcome"] == "failed" and first["finished_at"] and DISK_FULL in first["summary"], first
    assert second["outcome"] == "ok"
    # the archive is whole: what an uninterrupted run on a roomy disk archives
    assert integrity(db) == ("ok", True)
    assert archive_content(db) == archive_content(reference_db)


def test_the_next_run_records_the_runs_that_could_not(replica, reference_db, tmp_path):
    """A run whose disk was too full even for its own record leaves it in the crawl lock's file; the next
    run writes it into the archive (and records a killed run, which left nothing, as interrupted)."""
    from scrapy.utils.test import get_crawler

    from scraper.crawl.pipeline import run_unrecorded
    from scraper.crawl.run import CrawlLockExtension
    from scraper.storage.archive import Archive
    from scraper.storage.runs import Failure, RunRecord

    from .conftest import run_crawl

    db = tmp_path / "archive.db"
    Archive.open(db).close()
    crawler = get_crawler(settings_dict={"LDTD_DB": str(db)})
    lock = CrawlLockExtension(crawler)  # as the failing run held it
    with Archive.open(db) as archive:
        killed = archive.start_run("backfill", {})  # SIGKILLed: "running" for ever
        full = archive.start_run("incremental", {})  # stored nothing, then could not write its record
    reason = "storage failed: sqlite3.OperationalError: database or disk is full; 7 fetched pages not stored"
    # what ArchivePipeline.finish sends when it cannot write the run's record
    crawler.signals.send_catch_log(signal=run_unrecorded, record=RunRecord(
        mode="incremental", id=full, outcome="failed", summary=f"failed: 9 requests, 0 new ({reason})",
        failures=[Failure(reason)], storage_failed=7))
    lock.release()

    run = run_crawl(db, replica.base_url, stats_dir=tmp_path, name="next")
    assert run.returncode == 0 and run.stats.get("ldtd/resumed_from"), run
    rows = {r["id"]: r for r in db_rows(db, "SELECT id, outcome, finished_at, summary FROM crawl_runs")}
    assert rows[killed]["outcome"] == "interrupted" and rows[killed]["finished_at"]
    assert rows[full]["outcome"] == "failed" and reason in rows[full]["summary"], rows[full]
    assert rows[full]["finished_at"] and "recorded by the next run" in rows[full]["summary"]
    assert archive_content(db) == archive_content(reference_db)  # the backfill they left was completed
    assert not (tmp_path / "archive.db.crawl-lock").read_text().strip()  # the note was taken
