"""Crashes, a full disk and a `--since` bound: one archive's history, five real `ldtd crawl` runs.

A backfill bounded by `--backfill --since D`, stopped twice before it is whole, completed; then a day
later an incremental update killed among its writes, completed:
1. `--backfill --since D` on the base replica, stopped by Ctrl-C (SIGINT: Scrapy shuts down gracefully,
   what was fetched is stored, the run is recorded as interrupted, exit 3);
2. cron's next plain run, on a disk with room for a few more articles only: it fails (exit 1, its
   summary says why) and its record is finished (by itself, or by the next run when the disk was too full
   even for that); then, with room again, two runs that could not record their end are left as the
   archive and the lock file hold them: one SIGKILLed before it stored anything ("running" for ever, with
   nothing done), one whose disk was too full for its record (the note it leaves in the crawl lock's
   file, through the real lock and its `run_unrecorded` signal);
3. the next plain run completes the backfill back to D and no further (what an uninterrupted backfill
   archives of those articles), and records the runs that could not;
4. a day later (the day2 replica: new, edited, deleted and renamed articles, a recrawl window of 5 days;
   the renamed article's archived URL answers 404), the hourly incremental run, bounded by D, is
   SIGKILLed (its whole process group) at a seeded moment among its writes (one of its new articles is
   answered slowly, so that the kill leaves it to the next run);
5. the next plain run completes it: no version lost or doubled (the archive equals the update
   `tests.crawl.histories.day2_history` ran uninterrupted, on the articles since D). Meanwhile Datasette
   (`ldtd serve`, its own process) is polled: no error, no read slower than 1 s.

After each stop: `PRAGMA integrity_check` is "ok" and the FTS5 index passes its integrity check.

The small disk is a real tmpfs the test mounts (root), shrunk to a little more than the archive holds
after the first run; where mounting is not allowed, SQLite's `max_page_count` caps every connection of
the second run at a few pages more than the archive has (`tests.hardening.small_archive`).
`bench/crash_recovery.py` kills crawls many times over.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

import pytest
from scrapy.utils.test import get_crawler

from scraper.crawl.pipeline import run_unrecorded
from scraper.crawl.policy import Options, plan
from scraper.crawl.run import EXIT_FAILED, EXIT_INTERRUPTED, CrawlLockExtension
from scraper.replica import faults as F
from scraper.replica.server import ReplicaServer
from scraper.storage.archive import Archive
from scraper.storage.archive_view import ArchiveView
from scraper.storage.runs import Failure, RunRecord
from spiders.laodongthudo import read_state
from tests.browse.conftest import serving

from .conftest import (RENAMED, ROOT, CrawlRun, archive_content, archived_count, crawl_cmd, db_rows, expected_records,
                       integrity, kill_after, path_of, run_crawl, snapshot_time, spawn_crawl)

SEED = 20261125
SINCE = "2026-11-01"
CANONICAL = "https://laodongthudo.vn"
DISK_FULL = "database or disk is full"
# the backfill is stopped once the site has served it this many articles (of the 23 published since SINCE)
STOPPED_AT = 4
# each run lasts long enough to be stopped among its writes (small batches, a little delay)
SLOWER = {"LDTD_BATCH_SIZE": "1", "DOWNLOAD_DELAY": "0.1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
# room left on the small disk for the second run: its lock file, log and a few articles (WAL and database)
ROOM_BYTES = 200 * 1024
ROOM_PAGES = 40  # (the max_page_count way: pages of 4 KiB the archive may grow by)
# what ArchivePipeline.finish sends when it cannot write the run's record (the note left in the lock file)
UNRECORDED_REASON = "storage failed: sqlite3.OperationalError: database or disk is full; 7 fetched pages not stored"
DAY2_NEW = (203101, 203105, 203110)  # published on day2
HELD_BACK = DAY2_NEW[-1]  # answered slowly to the killed run
READS = [
    "/archive/articles.json?_shape=objects&_size=20&_sort_desc=published_at",
    f"/archive/search.json?q={urllib.parse.quote('giá xăng')}&_shape=objects",
    f"/archive/search.json?q={urllib.parse.quote('can bo')}&_shape=objects",
    f"/archive/articles/{DAY2_NEW[0]}",
    "/archive/crawl_runs.json?_shape=objects",
]


def _before(state="base") -> dict[int, str]:
    """{id: path} of the replica's articles published before SINCE."""
    return {aid: r["url"][len(CANONICAL):] for aid, r in expected_records(state).items() if r["published_at"] < SINCE}


def _paths(ids, state="base") -> dict[int, str]:
    return {aid: r["url"][len(CANONICAL):] for aid, r in expected_records(state).items() if aid in ids}


def _after(state="base") -> set[int]:
    return {aid for aid, r in expected_records(state).items() if r["published_at"] >= SINCE}


def no_duplicates(db) -> None:
    assert not db_rows(db, "SELECT article_id, block, position, count(*) n FROM related_links GROUP BY 1, 2, 3 HAVING n > 1")
    assert not db_rows(db, "SELECT article_id, position, count(*) n FROM images GROUP BY 1, 2 HAVING n > 1")
    assert not db_rows(db, "SELECT article_id, position, count(*) n FROM article_tags GROUP BY 1, 2 HAVING n > 1")
    assert not db_rows(db, "SELECT article_id, content_hash, count(*) n FROM article_versions GROUP BY 1, 2 HAVING n > 1")
    assert not db_rows(db, "SELECT url, count(*) n FROM articles GROUP BY 1 HAVING n > 1")


def only(content: dict, keep: set[int]) -> dict:
    """What an archive holding every article (`content`, as `archive_content` gives it) holds of the articles
    `keep` alone: their rows, a related link resolving (`target_id`) only to an archived article."""
    related = [{**r, "target_id": r["target_id"] if r["target_id"] in keep else None}
               for r in content["related"] if r["article_id"] in keep]
    return {"articles": [a for a in content["articles"] if a["id"] in keep], "related": related,
            **{k: [r for r in content[k] if r["article_id"] in keep] for k in ("images", "tags", "versions")}}


def _mount(target, size: str, remount: bool = False) -> subprocess.CompletedProcess:
    opts = f"remount,size={size}" if remount else f"size={size}"
    return subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(target)], capture_output=True, text=True)


class SmallDisk:
    """Where the archive lives: a tmpfs when one can be mounted (`way` "tmpfs"), else a plain directory
    whose archive a crawl can be capped on (`way` "max_page_count"). `shrink(db)` leaves room for a few
    more articles only, `grow()` gives room again."""

    def __init__(self, directory):
        self.dir = directory
        self.dir.mkdir()
        mounted = _mount(self.dir, "64m")
        self.way = "tmpfs" if mounted.returncode == 0 else "max_page_count"
        self.why_not_tmpfs = mounted.stderr.strip()
        self.cap: int | None = None

    def shrink(self, db) -> None:
        if self.way == "tmpfs":
            st = os.statvfs(self.dir)
            used = (st.f_blocks - st.f_bfree) * st.f_frsize
            assert _mount(self.dir, str(used + ROOM_BYTES), remount=True).returncode == 0
        else:
            self.cap = db_rows(db, "PRAGMA page_count")[0]["page_count"] + ROOM_PAGES

    def grow(self) -> None:
        if self.way == "tmpfs":
            assert _mount(self.dir, "64m", remount=True).returncode == 0
        self.cap = None

    def run(self, db, base_url, *args, stats, now) -> CrawlRun:
        cmd = crawl_cmd(db, base_url, *args, now=now, stats=stats)
        if self.cap is not None:
            cmd = [sys.executable, "-m", "tests.hardening.small_archive", str(self.cap), *cmd[3:]]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
        return CrawlRun(proc, stats)

    def close(self) -> None:
        if self.way == "tmpfs":
            subprocess.run(["umount", str(self.dir)], capture_output=True)


class _Ended:
    """A spawned crawl, ended (its output went nowhere): for CrawlRun."""

    def __init__(self, returncode: int):
        self.returncode, self.stdout, self.stderr = returncode, "", ""


def leave_unrecorded_runs(db) -> tuple[int, int]:
    """As a run SIGKILLed before it stored anything (its record "running" for ever) and a run whose disk was
    too full even for its record leave them: the latter's record (what ArchivePipeline.finish sends with
    `run_unrecorded`) is the note the real crawl lock keeps for the next run."""
    crawler = get_crawler(settings_dict={"LDTD_DB": str(db)})
    lock = CrawlLockExtension(crawler)  # as the failing run held it
    with Archive.open(db) as archive:
        killed = archive.start_run("incremental", {})
        full = archive.start_run("incremental", {})
    crawler.signals.send_catch_log(signal=run_unrecorded, record=RunRecord(
        mode="incremental", id=full, outcome="failed", summary=f"failed: 9 requests, 0 new ({UNRECORDED_REASON})",
        failures=[Failure(UNRECORDED_REASON)], storage_failed=7))
    lock.release()
    return killed, full


def read_while(proc, base: str) -> tuple[list, list]:
    """Datasette read over and over while the crawl `proc` runs: (errors, [(seconds, path)])."""
    errors, latencies = [], []
    while proc.poll() is None:
        for p in READS:
            start = time.monotonic()
            try:
                with urllib.request.urlopen(base + p, timeout=10) as r:
                    r.read()
            except urllib.error.HTTPError as e:
                if not (e.code == 404 and p.startswith("/archive/articles/")):  # not crawled yet
                    errors.append((p, e.code, e.read()[:300]))
            except OSError as e:
                errors.append((p, repr(e)))
            latencies.append((time.monotonic() - start, p))
    return errors, latencies


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    rng = random.Random(SEED + 20)
    d = tmp_path_factory.mktemp("crash-history")
    disk = SmallDisk(d / "disk")
    db = disk.dir / "archive.db"
    base_now, day2_now = snapshot_time("base"), snapshot_time("day2")
    out = {"db": db, "way": disk.way, "why_not_tmpfs": disk.why_not_tmpfs}
    try:
        with ReplicaServer("base") as srv:
            marks = [len(srv.requests)]
            # 1. the backfill, Ctrl-C'd
            stats = d / "sigint.json"
            proc = spawn_crawl(db, srv.base_url, "--backfill", "--since", SINCE, now=base_now,
                               settings={**SLOWER, "LDTD_STATS_JSON": str(stats)})
            wanted = set(_paths(_after()).values())
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and proc.poll() is None:
                if len({p for _m, p, _s in srv.requests[marks[0]:]} & wanted) >= STOPPED_AT:
                    os.kill(proc.pid, signal.SIGINT)
                    break
                time.sleep(0.01)
            out["sigint"] = CrawlRun(_Ended(proc.wait(timeout=180)), stats)
            out["after_sigint"] = db_rows(db, "SELECT mode, outcome, finished_at, new FROM crawl_runs")
            out["stored_after_sigint"] = archived_count(db)
            out["integrity_after_sigint"] = integrity(db)
            # 2. on a full disk; then the runs that could not record their end
            disk.shrink(db)
            marks.append(len(srv.requests))
            out["full"] = disk.run(db, srv.base_url, stats=d / "full.json", now=base_now)
            marks.append(len(srv.requests))
            out["stored_after_full"] = archived_count(db)
            out["integrity_after_full"] = integrity(db)
            disk.grow()
            out["unrecorded"] = leave_unrecorded_runs(db)
            # 3. completed
            out["stored_before_final"] = archived_count(db)
            out["final"] = run_crawl(db, srv.base_url, stats_dir=d, name="final", now=base_now)
            marks.append(len(srv.requests))
            out["base_served"] = [srv.requests[a:b] for a, b in zip(marks, marks[1:])]
        out["runs_after_final"] = db_rows(db, "SELECT id, mode, outcome, finished_at, summary FROM crawl_runs ORDER BY id")
        out["lock_note"] = (disk.dir / "archive.db.crawl-lock").read_text()
        out["integrity_after_final"] = integrity(db)
        out["content_after_final"] = archive_content(db)
        view = ArchiveView.open(str(db))
        try:
            out["state_after_final"] = read_state(view)
        finally:
            view.close()

        with ReplicaServer("day2") as srv:
            srv.add_fault(path_of(RENAMED), F.status(404))
            # 4. a day later, the hourly update, SIGKILLed a seeded moment after its first new article is stored
            recorded = len(out["runs_after_final"])
            out["stored_before_kill"] = archived_count(db)
            start = len(srv.requests)
            # one of its new articles is held back until the kill: the run that completes it has it to write
            # while Datasette reads (a free connection goes on with the rest)
            srv.add_fault(path_of(HELD_BACK, "day2"), F.slow(120))
            proc = spawn_crawl(db, srv.base_url, "--recrawl-days", "5", now=day2_now,
                               settings={**SLOWER, "CONCURRENT_REQUESTS_PER_DOMAIN": "2"})
            out["kill"] = {"seconds": rng.uniform(0, 0.05), "stored": out["stored_before_kill"] + 1}
            out["killed"] = kill_after(proc, db=db, **out["kill"])
            srv.remove_fault(path_of(HELD_BACK, "day2"))
            out["killed_served"] = srv.requests[start:]
            out["integrity_after_kill"] = integrity(db)
            out["killed_runs"] = db_rows(db, "SELECT id, mode, outcome, finished_at, args FROM crawl_runs ORDER BY id")[recorded:]
            out["stored_after_kill"] = archived_count(db)
            # 5. completed, while Datasette reads the archive
            stats = d / "day2-final.json"
            start = len(srv.requests)
            with serving(db, d) as base:
                proc = spawn_crawl(db, srv.base_url, "--recrawl-days", "5", now=day2_now,
                                   settings={"LDTD_BATCH_SIZE": "2", "DOWNLOAD_DELAY": "0.02",
                                             "LDTD_STATS_JSON": str(stats)})
                try:
                    out["read_errors"], out["read_latencies"] = read_while(proc, base)
                finally:
                    proc.wait(timeout=180)
            out["day2_final"] = CrawlRun(_Ended(proc.returncode), stats)
            out["day2_final_served"] = srv.requests[start:]
        out["runs_after_day2"] = db_rows(db, "SELECT id, mode, outcome, finished_at FROM crawl_runs ORDER BY id")
        out["integrity_after_day2"] = integrity(db)
        yield out
    finally:
        disk.close()


# -- 1. Ctrl-C --------------------------------------------------------------------------------------------
def test_ctrl_c_stores_what_was_fetched_and_records_the_run_as_interrupted(history):
    assert history["sigint"].returncode == EXIT_INTERRUPTED == 3
    (row,) = history["after_sigint"]
    assert row["mode"] == "backfill" and row["outcome"] == "interrupted" and row["finished_at"]
    assert 0 < row["new"] < len(_after()) and row["new"] == history["stored_after_sigint"]
    assert history["sigint"].outcome == "interrupted"
    assert history["integrity_after_sigint"] == ("ok", True)


# -- 2. a full disk, and the runs that could not record their end -----------------------------------------
def test_a_full_disk_fails_the_run_and_finishes_its_record(history):
    full, stored = history["full"], history["stored_after_full"]
    assert stored < len(_after()), f"the disk did not fill ({stored} stored): make it smaller"
    # cron is told: exit 1, and the summary line (printed, and the run's record) says why
    assert full.returncode == EXIT_FAILED == 1, full
    assert full.outcome == "failed" and DISK_FULL in full.summary, full
    assert DISK_FULL in full.stdout, full
    assert history["integrity_after_full"] == ("ok", True)
    # its record is finished with its reason (by itself, or by the next run when the disk was too full to
    # write it), never left "running"
    second = history["runs_after_final"][1]
    assert second["outcome"] == "failed" and second["finished_at"] and DISK_FULL in second["summary"], second


def test_the_next_run_records_the_runs_that_could_not(history):
    """A run whose disk was too full even for its own record leaves it in the crawl lock's file; the next
    run writes it into the archive (and records a killed run, which left nothing, as interrupted)."""
    killed, full = history["unrecorded"]
    run = history["final"]
    assert run.returncode == 0 and run.stats.get("ldtd/resumed_from"), run
    rows = {r["id"]: r for r in history["runs_after_final"]}
    assert rows[killed]["outcome"] == "interrupted" and rows[killed]["finished_at"]
    assert rows[full]["outcome"] == "failed" and UNRECORDED_REASON in rows[full]["summary"], rows[full]
    assert rows[full]["finished_at"] and "recorded by the next run" in rows[full]["summary"]
    assert not history["lock_note"].strip()  # the note was taken
    assert [r["outcome"] for r in history["runs_after_final"]] == ["interrupted", "failed", "interrupted", "failed",
                                                                     "ok"]


# -- 3. the backfill completed, back to its --since ---------------------------------------------------------
def test_the_next_run_completes_the_backfill_back_to_its_since(history, reference_db):
    run, db = history["final"], history["db"]
    assert run.returncode == 0 and run.outcome == "ok", run
    assert run.stats.get("ldtd/resumed_from"), "the run did not notice the interrupted and failed ones"
    assert run.stats["ldtd/completes"] == "backfill" and run.stats["ldtd/walk"] == "full"
    assert run.stats["ldtd/resumed_since"].startswith(SINCE)
    assert history["integrity_after_final"] == ("ok", True)
    # back to its --since only, and what an uninterrupted backfill archives of those articles
    assert {a["id"] for a in history["content_after_final"]["articles"]} == _after()
    assert history["content_after_final"] == only(archive_content(reference_db), _after())
    # nothing stored twice: the run added exactly what was missing
    assert run.stats["ldtd/count/new"] == len(_after()) - history["stored_before_final"]


def test_the_backfill_since_does_not_walk_the_history_before_it(history, reference):
    assert _before() and _after()
    # listings are not walked to their end
    assert history["sigint"].stats.get("ldtd/listing_stopped_early", 0) > 0
    assert history["final"].stats.get("ldtd/listing_stopped_early", 0) > 0
    everything = {p for _m, p, _s in reference.served}  # what a backfill of every article asks for
    for served in history["base_served"]:
        # older articles in sitemaps (lastmod) and listings (dates shown) are not even requested
        assert len(served) < 100, len(served)
        assert {p for _m, p, _s in served} <= everything


def test_the_hourly_runs_after_it_keep_to_its_since(history):
    """The archive the backfill leaves, read as the next run reads it: an incremental walk bounded by D."""
    state = history["state_after_final"]
    assert state.resume is None and state.lower_bound.date().isoformat() == SINCE
    p = plan(state, Options(now=datetime.fromisoformat(snapshot_time("day2"))))
    assert p.walk == "incremental" and p.since_source == "floor" and p.since.date().isoformat() == SINCE


# -- 4. the update, killed --------------------------------------------------------------------------------
def test_a_killed_update_leaves_a_sound_archive_and_a_running_record(history):
    assert history["killed"], f"the day2 run ended before its kill at {history['kill']}"
    assert history["integrity_after_kill"] == ("ok", True)
    (own,) = history["killed_runs"]  # as SIGKILL left it
    assert own["outcome"] == "running" and own["finished_at"] is None, own
    # an hourly run: an incremental walk, back to the archive's --since
    args = json.loads(own["args"])
    assert own["mode"] == "incremental" and args["walk"] == "incremental" and args["since"] == SINCE, own
    served = {p for _m, p, _s in history["killed_served"]}
    assert not served & set(_before("day2").values()), sorted(served & set(_before("day2").values()))
    # the next run, holding the lock, finds it dead and records it as interrupted
    outcome = {r["id"]: r["outcome"] for r in history["runs_after_day2"]}
    assert outcome[own["id"]] == "interrupted"


# -- 5. the update completed: no version lost or doubled ---------------------------------------------------
def test_the_next_run_completes_the_update_of_an_uninterrupted_run(history, day2_history):
    run, db = history["day2_final"], history["db"]
    expected = day2_history["content_after_day2"]
    assert expected["versions"], "the day2 run wrote no version: the test would prove nothing"
    assert run.returncode == 0 and run.outcome == "ok", run
    assert run.stats.get("ldtd/resumed_from") and run.stats["ldtd/completes"] == "incremental"
    assert run.stats["ldtd/lower_bound"].startswith(SINCE)
    assert history["integrity_after_day2"] == ("ok", True)
    no_duplicates(db)
    keep = {a["id"] for a in expected["articles"] if a["published_at"] >= SINCE}
    assert archive_content(db) == only(expected, keep), history["kill"]
    # nothing stored twice: the run added exactly what was missing
    assert run.stats["ldtd/count/new"] == len(keep) - history["stored_after_kill"]
    assert [r["outcome"] for r in history["runs_after_day2"]][-1] == "ok"
    # the history before --since stays unasked
    served = {p for _m, p, _s in history["day2_final_served"]}
    assert not served & set(_before("day2").values()), sorted(served & set(_before("day2").values()))


def test_datasette_reads_beside_a_real_crawl_never_fail_or_wait(history):
    db, latencies = history["db"], history["read_latencies"]
    new = db_rows(db, f"SELECT count(*) n FROM articles WHERE id IN {DAY2_NEW}")[0]["n"]
    assert new == 3, "the crawl did not write what the test expected"
    assert history["day2_final"].stats["ldtd/count/new"] > 0, "the crawl wrote no new article while it was read"
    assert db_rows(db, "SELECT run_id FROM articles WHERE id = ?", [HELD_BACK])[0]["run_id"] == \
        history["day2_final"].stats["ldtd/run_id"]
    assert len(latencies) >= 20, "too few reads during the crawl to prove anything"
    assert history["read_errors"] == []
    slowest, where = max(latencies)
    print(json.dumps({"reads": len(latencies), "slowest_ms": round(slowest * 1000), "path": where}))
    assert slowest < 1.0, f"a read took {slowest:.2f} s ({where})"
