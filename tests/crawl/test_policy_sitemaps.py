"""Which sitemaps and feeds a run reads again (`scraper.crawl.policy`), without a crawl: an incremental run
asks conditionally for those the last clean run read whole and skips the entries of an unchanged one (a
304, or the same bytes); a full walk (backfill, periodic, resuming) reads every entry again; only urlsets
and feeds that name no listing are remembered."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from scraper.crawl import policy
from scraper.crawl.policy import ArchiveState, Options, Resume, plan
from scraper.text import HANOI

NOW = datetime(2026, 11, 25, 18, tzinfo=HANOI)
DAY = timedelta(days=1)
COMPLETE = ArchiveState(has_complete_run=True, last_full_walk=NOW - DAY, last_complete_start=NOW - DAY)
REMEMBERED = {"etag": '"abc"', "last_modified": "Wed, 25 Nov 2026 02:00:00 GMT", "sha256": "f" * 64}

HOURLY = plan(COMPLETE, Options(now=NOW))
BACKFILL = plan(COMPLETE, Options(mode="backfill", now=NOW))
PERIODIC = plan(replace(COMPLETE, last_full_walk=NOW - 8 * DAY), Options(now=NOW, full_walk_days=7))
RESUMING = plan(replace(COMPLETE, resume=Resume(since=NOW - DAY, mode="incremental")), Options(now=NOW))


def test_an_hourly_run_asks_with_the_remembered_validators():
    assert not HOURLY.full_walk
    assert policy.conditional_headers(HOURLY, REMEMBERED) == {
        "If-None-Match": '"abc"', "If-Modified-Since": "Wed, 25 Nov 2026 02:00:00 GMT"}
    # a server that gave only one of them: only that one
    assert policy.conditional_headers(HOURLY, {**REMEMBERED, "etag": None}) == {
        "If-Modified-Since": "Wed, 25 Nov 2026 02:00:00 GMT"}
    assert policy.conditional_headers(HOURLY, {**REMEMBERED, "last_modified": None}) == {"If-None-Match": '"abc"'}


def test_nothing_remembered_or_a_full_walk_asks_plainly():
    assert policy.conditional_headers(HOURLY, None) == {}
    assert policy.conditional_headers(HOURLY, {"etag": None, "last_modified": None, "sha256": "x"}) == {}
    for full in (BACKFILL, PERIODIC, RESUMING):
        assert full.full_walk
        assert policy.conditional_headers(full, REMEMBERED) == {}


def test_a_304_or_the_same_bytes_is_unchanged_in_an_hourly_run():
    assert policy.sitemap_unchanged(HOURLY, 304, None, REMEMBERED)
    assert policy.sitemap_unchanged(HOURLY, 200, "f" * 64, REMEMBERED)  # a server ignoring the validators
    assert not policy.sitemap_unchanged(HOURLY, 200, "e" * 64, REMEMBERED)  # changed
    assert not policy.sitemap_unchanged(HOURLY, 200, "f" * 64, None)  # never read whole by a clean run
    assert not policy.sitemap_unchanged(HOURLY, 200, None, {**REMEMBERED, "sha256": None})


def test_a_full_walk_reads_the_same_bytes_again():
    for full in (BACKFILL, PERIODIC, RESUMING):
        assert not policy.sitemap_unchanged(full, 200, "f" * 64, REMEMBERED)
        # (it asked plainly; a 304 has no entries to read whatever the plan)
        assert policy.sitemap_unchanged(full, 304, None, REMEMBERED)


def test_only_urlsets_and_feeds_naming_no_listing_are_remembered():
    for p in (HOURLY, BACKFILL, PERIODIC):
        assert policy.remembers_sitemap(p, "urlset", listings=0)
        assert policy.remembers_sitemap(p, "feed", listings=0)
        assert not policy.remembers_sitemap(p, "urlset", listings=3)  # a listing's pages change under the same sitemap
        assert not policy.remembers_sitemap(p, "sitemapindex", listings=0)  # its children are reached through it


def test_an_incremental_run_limited_by_since_remembers_nothing():
    """It did not act on the entries dated before its --since; the next plain run must still read them."""
    since = datetime(2026, 11, 1, tzinfo=HANOI)
    limited = plan(COMPLETE, Options(now=NOW, since=since))
    assert limited.since == since and not policy.remembers_sitemap(limited, "urlset", listings=0)
    # a backfill's --since becomes the archive's lower bound, which every later run keeps to
    assert policy.remembers_sitemap(plan(COMPLETE, Options(mode="backfill", now=NOW, since=since)), "urlset", 0)
    floored = plan(replace(COMPLETE, lower_bound=since), Options(now=NOW))
    assert floored.since_source == "floor" and policy.remembers_sitemap(floored, "feed", listings=0)
