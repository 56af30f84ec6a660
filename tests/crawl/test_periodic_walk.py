"""LDTD_FULL_WALK_DAYS: now and then an incremental run walks every listing to its end, fetching only
what it does not know (and its own window), so an article that appeared deep in a listing (out of order)
is found even when no sitemap mentions it. (The history: `site_under_fire`, whose second crawl comes a
week after the backfill's full walk; that backfill also left holes, so the plan gives the walk as the
completion of that backfill rather than as the periodic one. The periodic decision itself (due a week after
the last full walk, an incremental run, not a resume; the next runs incremental again for another week):
tests/crawl/test_policy.py test_an_incremental_run_walks_every_listing_once_a_week.)"""

from __future__ import annotations

import json
import re

from scraper.replica.server import SITE_DIR

from .conftest import db_rows, expected_records
from .site_under_fire import (DEEP, DEEP_LISTING_PAGES, N1, RECRAWL_DAYS, TO_INTERNAL, TO_OTHER_PORT,
                              UNARCHIVED_AFTER_BACKFILL, WINDOW, window_start)


def day2_new_ids() -> set[int]:
    """Day 2's new articles: the day-2 pages crawl 2 is served (EDITED's, B2's at A2) link them, and the
    base replica answers 404 for them."""
    return set(json.loads((SITE_DIR / "day2" / "changes.json").read_text(encoding="utf-8"))["new"])


def test_an_incremental_run_walks_every_listing_once_a_week(site_under_fire):
    db = site_under_fire["db"]
    assert site_under_fire["backfill"].returncode == 0, site_under_fire["backfill"]
    # the deep article is missing from the archive (it was not on the site when the backfill ran)
    assert DEEP not in site_under_fire["ids_after_backfill"]

    # a week after the last full walk: this run walks every listing to its end (the pages that show the
    # deep article included; no sitemap is advertised any more) and archives the deep article
    run = site_under_fire["week_later"]
    assert run.returncode == 0, run
    assert run.stats["ldtd/walk"] == "full" and run.stats["ldtd/mode"] == "incremental", run
    served = [p for _m, p, _s in site_under_fire["week_later_served"]]
    assert set(DEEP_LISTING_PAGES) <= set(served), served
    assert not [p for p in served if p.startswith("/sitemap")]
    assert DEEP in {r["id"] for r in db_rows(db, "SELECT id FROM articles")}
    (row,) = db_rows(db, "SELECT args FROM crawl_runs ORDER BY id DESC LIMIT 1")
    assert json.loads(row["args"])["walk"] == "full"

    # known ones are not refetched: the articles asked for are those the archive does not hold (the two that
    # redirect off the site are still unknown: asked again), the recrawl window's, and N1 (a cut transfer),
    # plus the articles the day-2 pages it is served link (404 here)
    asked = {int(m.group(1)) for p in served if (m := re.search(r"-(\d+)\.(?:html|media)$", p))}
    assert asked == UNARCHIVED_AFTER_BACKFILL | WINDOW | {N1} | day2_new_ids(), asked
    assert {TO_INTERNAL, TO_OTHER_PORT} <= asked
    assert run.stats["ldtd/count/new"] == len(UNARCHIVED_AFTER_BACKFILL) - 2  # all but the two off-site ones


def test_the_window_is_the_newest_articles():
    """The premise the history's checks rest on: crawl 2's window (--recrawl-days RECRAWL_DAYS) holds
    exactly the articles its faults are for, and not N1."""
    start = window_start()
    assert float(RECRAWL_DAYS) > 7
    assert {aid for aid, r in expected_records("base").items() if r["published_at"] >= start} == WINDOW
    assert N1 not in WINDOW
