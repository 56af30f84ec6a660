"""`--backfill --since D` bounds the archive: the hourly incremental runs after it (and a run that
completes it after a kill) do not crawl the history before D."""

from __future__ import annotations


from .conftest import archived_count, db_rows, expected_records, kill_when, snapshot_time, spawn_crawl

SINCE = "2026-11-01"


def _before(state="base", since=SINCE) -> dict[int, str]:
    """{id: path} of the replica's articles published before `since`."""
    return {aid: r["url"][len("https://laodongthudo.vn"):] for aid, r in expected_records(state).items()
            if r["published_at"] < since}


def _after(state="base", since=SINCE) -> set[int]:
    return {aid for aid, r in expected_records(state).items() if r["published_at"] >= since}


def _ids(db) -> set[int]:
    return {r["id"] for r in db_rows(db, "SELECT id FROM articles")}


def test_a_backfill_since_a_date_then_incremental_runs_keep_to_it(replica, crawl, tmp_path):
    """(The day after, and a backfill without --since lifting the bound: the plan's decisions on archive
    states, tests/crawl/test_policy.py.)"""
    since = "2026-11-20"
    before, after = _before(since=since), _after(since=since)
    assert before and after
    db = tmp_path / "a.db"
    now = snapshot_time("base")
    start = len(replica.requests)
    run = crawl(db, replica.base_url, "--backfill", "--since", since, now=now)
    assert run.returncode == 0, run
    assert _ids(db) == after
    assert run.stats.get("ldtd/listing_stopped_early", 0) > 0  # listings were not walked to their end
    # older articles in sitemaps (lastmod) and listings (dates shown) were not even requested
    assert len(replica.requests) - start < 100

    start = len(replica.requests)
    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0, run
    served = {p for _m, p, _s in replica.requests[start:]}
    assert not served & set(before.values()), sorted(served & set(before.values()))
    assert _ids(db) == after
    assert run.stats["ldtd/walk"] == "incremental" and run.stats["ldtd/lower_bound"].startswith(since)


def test_an_interrupted_backfill_since_is_resumed_back_to_its_since(replica, crawl, tmp_path):
    db = tmp_path / "a.db"
    now = snapshot_time("base")
    slow = {"LDTD_BATCH_SIZE": "1", "DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    proc = spawn_crawl(db, replica.base_url, "--backfill", "--since", SINCE, now=now, settings=slow)
    assert kill_when(proc, lambda: db.exists() and archived_count(db) >= 4), "the crawl ended before the kill"
    assert 0 < archived_count(db) < len(_after())
    (killed,) = db_rows(db, "SELECT mode, outcome FROM crawl_runs")
    assert killed == {"mode": "backfill", "outcome": "running"}

    # cron's next plain run completes the backfill, back to its --since only
    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0, run
    assert _ids(db) == _after()
    assert run.stats["ldtd/completes"] == "backfill" and run.stats["ldtd/resumed_since"].startswith(SINCE)
