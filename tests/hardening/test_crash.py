"""Crashes: `kill -9` of a real `ldtd crawl` (its whole process group) at seeded random moments.

After each kill: `PRAGMA integrity_check` is "ok" and the FTS5 index passes its integrity check; the
next plain run completes (exit 0), and the archive then equals that of an uninterrupted run (same
articles, same content, related links, images, tags and versions; no duplicate rows).

- three kills of a backfill into an empty archive, each completed by the next run;
- one archive killed three times in a row (each resuming run killed again), then completed;
- a "day later" incremental run (new, edited, deleted and redirected articles: versions and gone
  marks written) killed, then completed: no version lost or doubled.

`bench/crash_recovery.py` does the same many times. Also here: Datasette (`ldtd serve`, its own
process) polled while a real crawl writes the archive: no error, no read slower than 1 s.
"""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from scraper.replica.server import ReplicaServer

from .conftest import (archive_content, archived_count, copy_db, db_rows, integrity, kill_after, run_crawl,
                       snapshot_time, spawn_crawl)

# small batches and a little delay: the crawl lasts a few seconds, so a kill lands among its writes
SLOW = {"LDTD_BATCH_SIZE": "2", "DOWNLOAD_DELAY": "0.03", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
SEED = 20261125


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
def replica():
    with ReplicaServer("base") as srv:
        yield srv


@pytest.mark.parametrize("n", range(3))
def test_killed_backfill_then_next_run_equals_uninterrupted(replica, reference_db, tmp_path, n):
    delay = moment(random.Random(SEED + n), n)
    db = tmp_path / "archive.db"
    now = snapshot_time("base")
    proc = spawn_crawl(db, replica.base_url, "--backfill", now=now, settings=SLOW)
    killed = kill_after(proc, db=db, **delay)
    assert killed, f"the crawl ended before the kill at {delay}"
    delay["at_kill"] = archived_count(db)
    if db.exists():
        assert integrity(db) == ("ok", True), f"after a kill at {delay}"
    run = run_crawl(db, replica.base_url, stats_dir=tmp_path, name="next")
    assert run.returncode == 0, run
    assert integrity(db) == ("ok", True)
    no_duplicates(db)
    assert archive_content(db) == archive_content(reference_db), f"kill at {delay:.2f} s"


def test_an_archive_killed_three_times_in_a_row_is_completed(replica, reference_db, tmp_path):
    rng = random.Random(SEED + 10)
    db = tmp_path / "archive.db"
    now = snapshot_time("base")
    kills = []
    for i in range(3):
        args = ("--backfill",) if i == 0 else ()
        proc = spawn_crawl(db, replica.base_url, *args, now=now, settings=SLOW)
        delay = moment(rng, i)
        kills.append((delay, kill_after(proc, db=db, **delay), archived_count(db)))
        if db.exists():
            assert integrity(db) == ("ok", True), kills
    assert any(k for _d, k, _n in kills), kills
    run = run_crawl(db, replica.base_url, stats_dir=tmp_path, name="final")
    assert run.returncode == 0, run
    no_duplicates(db)
    assert archive_content(db) == archive_content(reference_db), kills
    runs = db_rows(db, "SELECT outcome FROM crawl_runs ORDER BY id")
    assert [r["outcome"] for r in runs][-1] == "ok"


def test_killed_incremental_update_loses_no_version(reference_db, tmp_path):
    day2 = snapshot_time("day2")
    with ReplicaServer("day2") as srv:
        reference = copy_db(reference_db, tmp_path / "reference-day2.db")
        run = run_crawl(reference, srv.base_url, now=day2, stats_dir=tmp_path, name="reference")
        assert run.returncode == 0, run
        expected = archive_content(reference)
        assert expected["versions"], "the day2 run wrote no version: the test would prove nothing"

        results = []
        for n in range(2):
            db = copy_db(reference_db, tmp_path / f"killed-{n}.db")
            # the update run writes 3 new articles, 2 versions and gone marks: kill it at a random point
            # among its first writes (the archive already holds the 48 base articles)
            delay = {"seconds": random.Random(SEED + 20 + n).uniform(0, 0.4), "stored": 49}
            proc = spawn_crawl(db, srv.base_url, now=day2, settings={**SLOW, "LDTD_BATCH_SIZE": "1"})
            results.append((delay, kill_after(proc, db=db, **delay)))
            assert integrity(db) == ("ok", True)
            run = run_crawl(db, srv.base_url, now=day2, stats_dir=tmp_path, name=f"next-{n}")
            assert run.returncode == 0, run
            no_duplicates(db)
            assert archive_content(db) == expected, results
        print("day2 kills:", results)
        assert all(k for _d, k in results), f"a day2 run ended before its kill: {results}"


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
