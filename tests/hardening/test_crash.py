"""Crashes: Ctrl-C and `kill -9` of a real `ldtd crawl` (its whole process group) at seeded random moments.

After each kill: `PRAGMA integrity_check` is "ok" and the FTS5 index passes its integrity check; the
next plain run completes (exit 0), and the archive then equals that of an uninterrupted run (same
articles, same content, related links, images, tags and versions; no duplicate rows).

- one archive interrupted four times in a row: a backfill stopped by Ctrl-C, then three resuming runs
  killed (the first at a random time, often before it stores anything, the others among their writes),
  then completed;
- a "day later" incremental run (new, edited, deleted and redirected articles: versions and gone
  marks written) killed, then completed: no version lost or doubled (against the uninterrupted one of
  `tests.crawl.histories.day2_history`).

`bench/crash_recovery.py` does the same many times. Also here: Datasette (`ldtd serve`, its own
process) polled while a real crawl writes the archive: no error, no read slower than 1 s.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from scraper.replica import faults as F
from scraper.replica.server import ReplicaServer

from .conftest import (RENAMED, archive_content, archived_count, copy_db, db_rows, integrity, kill_after, path_of,
                       run_crawl, snapshot_time, spawn_crawl)

# small batches and a little delay: the crawl lasts a few seconds, so a kill lands among its writes
SLOW = {"LDTD_BATCH_SIZE": "2", "DOWNLOAD_DELAY": "0.03", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
SEED = 20261125
# the chain interrupts one archive four times: each run must last long enough to be stopped among its writes
SLOWER = {"LDTD_BATCH_SIZE": "1", "DOWNLOAD_DELAY": "0.1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}


def moment(rng: random.Random, n: int) -> dict:
    """A seeded random moment: the first kill of a series at a random time (often before any article is
    stored: startup, listings), the others a random delay after a random number of articles is stored
    (among the writes)."""
    if n == 0:
        return {"seconds": rng.uniform(0.5, 2.5)}
    return {"seconds": rng.uniform(0, 0.3), "stored": rng.randint(1, 44)}


def no_duplicates(db) -> None:
    assert not db_rows(db, "SELECT article_id, block, position, count(*) n FROM related_links GROUP BY 1, 2, 3 HAVING n > 1")
    assert not db_rows(db, "SELECT article_id, position, count(*) n FROM images GROUP BY 1, 2 HAVING n > 1")
    assert not db_rows(db, "SELECT article_id, position, count(*) n FROM article_tags GROUP BY 1, 2 HAVING n > 1")
    assert not db_rows(db, "SELECT article_id, content_hash, count(*) n FROM article_versions GROUP BY 1, 2 HAVING n > 1")
    assert not db_rows(db, "SELECT url, count(*) n FROM articles GROUP BY 1 HAVING n > 1")


@pytest.fixture(scope="module")
def chain(reference_db, tmp_path_factory):
    """One archive interrupted four times in a row, then completed: a backfill stopped by Ctrl-C (SIGINT:
    Scrapy shuts down gracefully, what was fetched is stored, the run recorded as interrupted, exit 3);
    then three plain runs (cron does not know) each killed at a seeded random moment (SIGKILL: the first
    at a random time, often before it stores anything, the others a random delay after a random number
    of articles is stored); then the plain run that completes the archive."""
    rng = random.Random(SEED + 10)
    d = tmp_path_factory.mktemp("crash-chain")
    db = d / "archive.db"
    now = snapshot_time("base")
    out = {"db": db, "kills": []}
    with ReplicaServer("base") as srv:
        proc = spawn_crawl(db, srv.base_url, "--backfill", now=now, settings=SLOWER)
        sixth = archived_count(reference_db) // 6
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists() and archived_count(db) >= sixth:
                os.kill(proc.pid, signal.SIGINT)
                break
            time.sleep(0.01)
        out["sigint_code"] = proc.wait(timeout=120)
        out["after_sigint"] = db_rows(db, "SELECT outcome, finished_at, new FROM crawl_runs")
        out["stored_after_sigint"] = archived_count(db)
        for i in range(3):
            recorded = len(db_rows(db, "SELECT id FROM crawl_runs"))
            proc = spawn_crawl(db, srv.base_url, now=now, settings=SLOWER)
            delay = moment(rng, i)
            if "stored" in delay:  # among this run's writes: a few more articles than the archive holds
                delay["stored"] = archived_count(db) + 1 + delay["stored"] % 3
            killed = kill_after(proc, db=db, **delay)
            # its own record, if it lived long enough to write one
            own = db_rows(db, "SELECT id, outcome, finished_at FROM crawl_runs ORDER BY id")[recorded:]
            out["kills"].append((delay, killed, archived_count(db), integrity(db), own))
        out["runs_before_final"] = db_rows(db, "SELECT id, outcome, finished_at FROM crawl_runs ORDER BY id")
        out["stored_before_final"] = archived_count(db)
        out["final"] = run_crawl(db, srv.base_url, stats_dir=d, name="final")
        out["runs_after_final"] = db_rows(db, "SELECT id, outcome, finished_at FROM crawl_runs ORDER BY id")
    return out


def test_ctrl_c_stores_what_was_fetched_and_records_the_run_as_interrupted(chain, reference_db):
    assert chain["sigint_code"] == 3
    (row,) = chain["after_sigint"]
    assert row["outcome"] == "interrupted" and row["finished_at"]
    assert 0 < row["new"] < archived_count(reference_db) and row["new"] == chain["stored_after_sigint"]


def test_every_kill_leaves_a_sound_archive_and_a_running_record(chain):
    kills = chain["kills"]
    assert any(k for _d, k, _n, _i, _r in kills), kills
    assert all(check == ("ok", True) for _d, _k, _n, check, _r in kills), kills
    for _d, killed, _n, _i, own in kills:
        if killed:  # as SIGKILL left it (no record when killed before it wrote one)
            assert all(r["outcome"] == "running" and r["finished_at"] is None for r in own), own
    # a later run, holding the lock, finds the dead ones and records them as interrupted
    outcome = {r["id"]: r["outcome"] for r in chain["runs_after_final"]}
    assert chain["runs_after_final"][0]["outcome"] == "interrupted"  # the Ctrl-C'd one, by itself
    for _d, killed, _n, _i, own in kills:
        if killed:
            assert [outcome[r["id"]] for r in own] == ["interrupted"] * len(own), (own, outcome)


def test_the_next_run_completes_the_archive_of_an_uninterrupted_run(chain, reference_db):
    run, db = chain["final"], chain["db"]
    assert run.returncode == 0, run
    if chain["kills"][-1][1]:  # (the run before it was killed, not finished)
        assert run.stats.get("ldtd/resumed_from"), "the run did not notice the interrupted ones"
        assert run.stats.get("ldtd/completes") == "backfill" and run.stats["ldtd/walk"] == "full"
    assert integrity(db) == ("ok", True)
    no_duplicates(db)
    assert archive_content(db) == archive_content(reference_db), chain["kills"]
    # nothing stored twice: the run added exactly what was missing
    assert run.stats["ldtd/count/new"] == archived_count(reference_db) - chain["stored_before_final"]
    assert [r["outcome"] for r in db_rows(db, "SELECT outcome FROM crawl_runs ORDER BY id")][-1] == "ok"


def test_killed_incremental_update_loses_no_version(day2_history, reference_db, tmp_path):
    """A day later (day2, as `tests.crawl.histories.day2_history` runs it: a 5-day window, the renamed
    article's archived URL answering 404), the update run is killed among its first writes; the next run
    ends with the archive the uninterrupted update left."""
    day2 = snapshot_time("day2")
    expected = day2_history["content_after_day2"]
    assert expected["versions"], "the day2 run wrote no version: the test would prove nothing"
    with ReplicaServer("day2") as srv:
        srv.add_fault(path_of(RENAMED), F.status(404))
        db = copy_db(reference_db, tmp_path / "killed.db")
        # the update run writes 3 new articles, versions and gone marks: kill it at a random point among
        # its first writes (the archive already holds the 48 base articles)
        delay = {"seconds": random.Random(SEED + 20).uniform(0, 0.4), "stored": 49}
        proc = spawn_crawl(db, srv.base_url, "--recrawl-days", "5", now=day2,
                           settings={**SLOW, "LDTD_BATCH_SIZE": "1"})
        killed = kill_after(proc, db=db, **delay)
        assert killed, f"the day2 run ended before its kill at {delay}"
        assert integrity(db) == ("ok", True)
        run = run_crawl(db, srv.base_url, "--recrawl-days", "5", now=day2, stats_dir=tmp_path, name="next")
        assert run.returncode == 0, run
        no_duplicates(db)
        assert archive_content(db) == expected, delay


def test_datasette_reads_beside_a_real_crawl_never_fail_or_wait(reference_db, tmp_path):
    from tests.browse.conftest import serving

    db = copy_db(reference_db, tmp_path / "archive.db")
    q = urllib.parse.quote
    paths = [
        "/archive/articles.json?_shape=objects&_size=20&_sort_desc=published_at",
        f"/archive/search.json?q={q('giá xăng')}&_shape=objects",
        f"/archive/search.json?q={q('can bo')}&_shape=objects",
        "/archive/articles/203101",
        "/archive/crawl_runs.json?_shape=objects",
    ]
    with ReplicaServer("day2") as srv, serving(db, tmp_path) as base:
        # the crawl writes new articles, versions and gone marks, and refetches every page (backfill)
        proc = spawn_crawl(db, srv.base_url, "--backfill", now=snapshot_time("day2"),
                           settings={"LDTD_BATCH_SIZE": "2", "DOWNLOAD_DELAY": "0.02"})
        errors, latencies = [], []
        try:
            while proc.poll() is None:
                for p in paths:
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
        finally:
            proc.wait(timeout=120)
        assert proc.returncode == 0
    new = db_rows(db, "SELECT count(*) n FROM articles WHERE id IN (203101, 203105, 203110)")[0]["n"]
    assert new == 3, "the crawl did not write what the test expected"
    assert len(latencies) >= 20, "too few reads during the crawl to prove anything"
    assert errors == []
    slowest, where = max(latencies)
    print(json.dumps({"reads": len(latencies), "slowest_ms": round(slowest * 1000), "path": where}))
    assert slowest < 1.0, f"a read took {slowest:.2f} s ({where})"
