"""Conditional sitemap requests through real crawls, on `histories.day2_history` (no crawl of its own): each
incremental run asks for the sitemaps the last clean run read whole with their validators and skips the
unchanged ones (304s from the replica); a changed sitemap or feed is read (the "again" run's home feed, which
dates OLD after its last fetch, is how OLD gets refetched); the periodic full walk ("later") asks plainly."""

from __future__ import annotations

from .conftest import db_rows

NEWS_2026 = "/sitemaps/sitemap-news-2026.xml"  # day2's new articles change it: read in "day2", 304 in "again"


def _sitemaps(served) -> dict[str, int]:
    return {path: status for _, path, status in served if path.startswith("/sitemaps/") or path.startswith("/rss")}


def test_unchanged_sitemaps_answer_304_and_are_skipped(day2_history):
    day2, again = _sitemaps(day2_history["day2_served"]), _sitemaps(day2_history["again_served"])
    assert day2[NEWS_2026] == 200 and again[NEWS_2026] == 304
    assert 304 in day2.values()  # the older years' sitemaps, unchanged since the backfill
    # the sitemap naming listings is read every time (its listings' pages change under the same bytes)
    assert day2["/sitemaps/sitemap-categories.xml"] == again["/sitemaps/sitemap-categories.xml"] == 200
    assert again["/rss/home.rss"] == 200  # changed for this run: read
    assert day2_history["again"].stats.get("ldtd/sitemaps_unchanged") == list(again.values()).count(304)


def test_a_full_walk_asks_plainly_and_the_validators_are_the_last_clean_runs(day2_history):
    later = _sitemaps(day2_history["later_served"])
    assert later and set(later.values()) == {200} and not day2_history["later"].stats.get("ldtd/sitemaps_unchanged")
    runs = db_rows(day2_history["db"], "SELECT id, outcome, failed FROM crawl_runs ORDER BY id")
    kept = db_rows(day2_history["db"], "SELECT url, run_id FROM sitemap_validators")
    assert kept and not any("categories" in r["url"] or r["url"].endswith("/sitemap.xml") for r in kept)
    clean = {r["id"] for r in runs if r["outcome"] == "ok" and not r["failed"]}
    assert {r["run_id"] for r in kept} <= clean
