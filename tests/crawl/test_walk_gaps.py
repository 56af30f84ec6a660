"""A navigation page that fails for good (a dead menu link) is retried by the next runs, but does not
turn every later run into a full walk: after LDTD_WALK_GIVE_UP runs in a row it is logged and given up."""

from __future__ import annotations

import json

from scraper.replica import faults as F

from .conftest import db_rows, snapshot_time


def test_a_dead_listing_stops_forcing_full_walks(replica, crawl, tmp_path):
    db = tmp_path / "a.db"
    now = snapshot_time("base")
    assert crawl(db, replica.base_url, now=now).returncode == 0
    run = crawl(db, replica.base_url, now=now)
    assert run.stats["ldtd/walk"] == "incremental", run

    replica.add_fault("re:^/the-thao$", F.status(404))  # a category the menu links now answers 404
    walks = []
    for _ in range(5):
        start = len(replica.requests)
        run = crawl(db, replica.base_url, now=now)
        assert run.returncode == 0 and run.outcome == "ok", run
        walks.append(run.stats["ldtd/walk"])
        # the failed page is asked for again by every run
        assert ("GET", "/the-thao", 404) in replica.requests[start:]
    # one hole: the next runs walk every listing again, until the page has failed 3 runs in a row
    assert walks == ["incremental", "full", "full", "incremental", "incremental"], walks
    rows = db_rows(db, "SELECT errors FROM crawl_runs ORDER BY id")
    last = json.loads(rows[-1]["errors"])
    assert not any("walk_incomplete" in e for e in last)
    assert {"https://laodongthudo.vn/the-thao": 5} in [e.get("walk_failed") for e in last]
    assert run.stats["ldtd/walk_given_up"] == 1

    # the page comes back: forgotten at once, and a later failure is a hole again
    replica.clear_faults()
    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0 and run.stats["ldtd/walk"] == "incremental", run
    assert "walk_failed" not in (db_rows(db, "SELECT errors FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]["errors"])
    replica.add_fault("re:^/the-thao$", F.status(404))
    crawl(db, replica.base_url, now=now)
    run = crawl(db, replica.base_url, now=now)
    assert run.stats["ldtd/walk"] == "full", run

