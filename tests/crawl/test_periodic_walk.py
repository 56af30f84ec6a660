"""LDTD_FULL_WALK_DAYS: now and then an incremental run walks every listing to its end, fetching only
what it does not know, so an article that appeared deep in a listing (out of order) is found even
when no sitemap or feed mentions it."""

from __future__ import annotations

import json

from scraper.replica import faults as F

from .conftest import db_rows, expected_records, snapshot_time

DEEP = 184589  # a 2024 article: deep in its listings, linked by no recent page, in a 2024 sitemap


def _path(aid):
    return expected_records("base")[aid]["url"][len("https://laodongthudo.vn"):]


def _ids(db):
    return {r["id"] for r in db_rows(db, "SELECT id FROM articles")}


def test_an_incremental_run_walks_every_listing_once_a_week(replica, crawl, tmp_path):
    db = tmp_path / "a.db"
    base = snapshot_time("base")
    # the deep article is missing from the archive (it was not on the site when the backfill ran)
    replica.add_fault(_path(DEEP), F.status(404))
    assert crawl(db, replica.base_url, "--backfill", now=base).returncode == 0
    replica.clear_faults()
    assert DEEP not in _ids(db)
    # and no sitemap mentions it (robots.txt advertises none from now on)
    replica.add_fault("/robots.txt", F.content_type("text/plain", b"User-agent: *\nDisallow: /adsfw/\n"))

    # a week after the last full walk: this run walks every listing, fetches the unknown article only
    start = len(replica.requests)
    run = crawl(db, replica.base_url, now="2026-12-02T18:00:00+07:00")
    assert run.returncode == 0, run
    assert run.stats["ldtd/walk"] == "full" and run.stats["ldtd/periodic_full_walk"].startswith("2026-11-24"), run
    assert DEEP in _ids(db)
    articles = [p for _m, p, _s in replica.requests[start:] if p.endswith((".html", ".media"))]
    assert run.stats["ldtd/count/new"] == 1 and len(articles) < 10, articles  # known ones are not refetched
    (row,) = db_rows(db, "SELECT args FROM crawl_runs ORDER BY id DESC LIMIT 1")
    assert json.loads(row["args"])["walk"] == "full"
    # (hourly runs in between do not page that deep, and the next runs are incremental again for another
    # week: the plan's decisions, tests/crawl/test_policy.py)
