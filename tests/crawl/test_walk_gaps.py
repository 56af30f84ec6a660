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


def test_a_resumed_walk_still_follows_renames_and_newer_lastmods():
    """While a run completes an interrupted one (or walks again after holes), articles that run stored
    are not refetched, except when the site now links them under another URL or dates them later."""
    from datetime import datetime, timedelta

    from scraper.parsing.text import HANOI

    from .test_navigation import B, _spider

    s = _spider()
    s.backfill = False
    s.resume_since = datetime(2026, 11, 24, 10, tzinfo=HANOI)
    s.window_start = s.resume_since - timedelta(days=3)
    known = {"url": f"{B}/old-slug-100.html", "published_at": "2026-01-01T08:00:00+07:00",
             "last_fetched_at": "2026-11-24T11:00:00+07:00", "gone_at": None, "content_hash": "x"}
    assert not s.wanted(100, known, url=f"{B}/old-slug-100.html")  # stored by the interrupted run
    assert s.wanted(100, known, url=f"{B}/new-slug-100.html")  # renamed since
    assert s.wanted(101, known, url=f"{B}/old-slug-100.html", signal=datetime(2026, 11, 24, 12, tzinfo=HANOI))


def test_completing_a_backfill_adds_to_the_incremental_checks():
    """An incremental run completing an unfinished backfill (killed, or its walk had holes) still does its
    own work: the recrawl window, gone rechecks, newer sitemap/feed dates; on top, what the backfill had not
    refetched yet."""
    from datetime import datetime, timedelta

    from scraper.parsing.text import HANOI

    from .test_navigation import B, _spider

    s = _spider()
    s.backfill, s.completing_backfill = False, True
    s.resume_since = datetime(2026, 11, 24, 10, tzinfo=HANOI)
    s.window_start = s.resume_since - timedelta(days=3)

    def row(published, fetched, gone=None):
        return {"url": f"{B}/a-100.html", "published_at": published, "last_fetched_at": fetched, "gone_at": gone,
                "content_hash": "x"}

    by_backfill, before_it = "2026-11-24T11:00:00+07:00", "2026-11-01T08:00:00+07:00"
    old, recent = "2026-01-01T08:00:00+07:00", "2026-11-23T08:00:00+07:00"
    assert s.wanted(100, row(recent, by_backfill), url=f"{B}/a-100.html")  # in the window: rechecked
    assert s.wanted(100, row(old, by_backfill, gone=by_backfill), url=f"{B}/a-100.html", source="listing")
    assert s.wanted(100, row(old, by_backfill), signal=datetime(2026, 11, 25, tzinfo=HANOI))  # dated later
    assert not s.wanted(100, row(old, by_backfill), url=f"{B}/a-100.html")  # the backfill stored it: done
    assert s.wanted(100, row(old, before_it), url=f"{B}/a-100.html")  # the backfill had not got to it yet
