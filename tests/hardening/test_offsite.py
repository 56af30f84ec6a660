"""Off-site redirects: a site article answering 302 to another host (127.0.0.2 plays an internal
service) or to another port of the mirror's host is not followed. The foreign servers get no request,
nothing they serve reaches the archive, and the redirect is recorded on the article's page (status,
Location) and counted as "moved off-site" in the run's stats and summary. Links to sister subdomains,
social networks and CDNs are filtered, never requested. (The history: `tests.crawl.site_under_fire`.)"""

from __future__ import annotations

import json
import sqlite3
import zlib

from tests.crawl.site_under_fire import FOREIGN_PATHS

from .conftest import SECRET, TO_INTERNAL, TO_OTHER_PORT, db_rows


def test_redirects_off_the_site_are_recorded_never_followed(site_under_fire):
    run, db = site_under_fire["backfill"], site_under_fire["db"]
    to_internal, to_other_port = site_under_fire["to_internal"], site_under_fire["to_other_port"]
    assert site_under_fire["foreign_requests"] == [], run
    assert run.returncode == 0, run
    assert run.stats.get("ldtd/moved_offsite") == 2, run.stats
    assert "2 moved off-site" in run.summary, run.summary

    # the redirects are on the articles' pages: status and Location, as the site sent them
    pages = {r["article_id"]: r for r in db_rows(db, "SELECT article_id, url, status, headers FROM pages"
                                                     " WHERE article_id IN (?, ?)", (TO_INTERNAL, TO_OTHER_PORT))}
    assert pages[TO_INTERNAL]["status"] == 302
    assert json.loads(pages[TO_INTERNAL]["headers"])["location"] == to_internal
    assert pages[TO_OTHER_PORT]["status"] == 301
    assert json.loads(pages[TO_OTHER_PORT]["headers"])["location"] == to_other_port
    assert all(r["url"].startswith("https://laodongthudo.vn/") for r in pages.values())

    # nothing the foreign servers could have said is anywhere in the archive
    ids = {r["id"] for r in db_rows(db, "SELECT id FROM articles")}
    assert TO_INTERNAL not in ids and TO_OTHER_PORT not in ids
    con = sqlite3.connect(db)
    try:
        bodies = [zlib.decompress(data).decode("utf-8", "replace") for (data,) in con.execute("SELECT data FROM page_bodies")]
        urls = [u for (u,) in con.execute("SELECT url FROM pages UNION ALL SELECT url FROM articles")]
        texts = [t for (t,) in con.execute("SELECT coalesce(title,'') || body FROM articles")]
    finally:
        con.close()
    assert not [b for b in bodies if SECRET in b]
    assert not [t for t in texts if SECRET in t]
    assert all(u.startswith("https://laodongthudo.vn/") for u in urls), [u for u in urls if "127.0.0" in u]


def test_stays_on_site_even_when_pages_link_elsewhere(site_under_fire):
    """The home page links sister subdomains, a social network and a CDN (article-like URLs among them):
    filtered, not requested. Every request either crawl sent reached the replica (the two off-site
    redirects were not followed: their servers got nothing)."""
    assert site_under_fire["foreign_hits"] >= 1  # the page with the foreign links was served
    for name in ("backfill", "week_later"):
        run, served = site_under_fire[name], site_under_fire[f"{name}_served"]
        assert run.stats["downloader/request_count"] == len(served), name
        paths = [p for _m, p, _s in served]
        assert not [p for p in paths if p.startswith(FOREIGN_PATHS)], name
    assert site_under_fire["foreign_requests"] == []


def test_the_site_rule():
    from scraper.crawl.middlewares import on_site

    assert on_site("https://laodongthudo.vn/a-164585.html") and on_site("http://www.laodongthudo.vn/")
    assert on_site("https://LaoDongThuDo.VN:443/x")
    for url in ("https://laodongvaphapluat.laodongthudo.vn/a-1.html",  # a sister site
                "https://laodongthudo.vn:8443/x", "https://laodongthudo.vn.evil.example/",
                "https://laodongthudo.vn@127.0.0.2/x", "ftp://laodongthudo.vn/x", "http://127.0.0.1:8765/x"):
        assert not on_site(url), url
    mirror = "http://127.0.0.1:8765/mirror"
    assert on_site("http://127.0.0.1:8765/mirror/a-1.html", mirror) and on_site("https://laodongthudo.vn/", mirror)
    for url in ("http://127.0.0.1:8766/x", "http://127.0.0.2:8765/x", "http://localhost:8765/x",
                "http://127.0.0.1/x", "http://127.0.0.1:8765@127.0.0.2:8765/x"):
        assert not on_site(url, mirror), url
