"""LDTD_FULL_WALK_DAYS: now and then an incremental run walks every listing to its end, fetching only
what it does not know, so an article that appeared deep in a listing (out of order) is found even
when no sitemap or feed mentions it. (The history: `histories.misbehaving`; hourly runs in between do not
page that deep, and the next runs are incremental again for another week: the plan's decisions,
tests/crawl/test_policy.py.)"""

from __future__ import annotations

import json

from .conftest import db_rows
from .histories import DEEP, TO_INTERNAL, TO_OTHER_PORT


def test_an_incremental_run_walks_every_listing_once_a_week(misbehaving):
    db = misbehaving["db"]
    assert misbehaving["backfill"].returncode == 0, misbehaving["backfill"]
    # the deep article is missing from the archive (it was not on the site when the backfill ran)
    assert DEEP not in misbehaving["ids_after_backfill"]

    # a week after the last full walk: this run walks every listing, fetches the unknown article only
    run = misbehaving["week_later"]
    assert run.returncode == 0, run
    assert run.stats["ldtd/walk"] == "full" and run.stats["ldtd/periodic_full_walk"].startswith("2026-11-24"), run
    assert DEEP in {r["id"] for r in db_rows(db, "SELECT id FROM articles")}
    articles = [p for _m, p, _s in misbehaving["week_later_served"] if p.endswith((".html", ".media"))]
    # known ones are not refetched (the two that redirect off the site are still unknown: asked again)
    assert run.stats["ldtd/count/new"] == 1 and len(articles) < 10, articles
    assert {p for p in articles if not p.endswith(f"-{DEEP}.html")} <= {
        p for p in articles if p.endswith((f"-{TO_INTERNAL}.html", f"-{TO_OTHER_PORT}.html"))}
    (row,) = db_rows(db, "SELECT args FROM crawl_runs ORDER BY id DESC LIMIT 1")
    assert json.loads(row["args"])["walk"] == "full"
