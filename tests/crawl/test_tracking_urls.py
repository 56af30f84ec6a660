"""Article links with tracking queries (?utm_source=..., fbclid, ...) are the article itself: a feed
that tags its links is followed, and a redirect to the article with a query is not a disappearance."""

from __future__ import annotations

import json

from scraper.replica import faults as F
from scraper.replica.server import SITE_DIR
from scraper.urls import article_id, canonical_url, is_site_host

from .conftest import db_rows, expected_records, snapshot_time

B = "https://laodongthudo.vn"


def _path(aid):
    return expected_records("base")[aid]["url"][len(B):]


def _page(path) -> bytes:
    routes = json.loads((SITE_DIR / "base" / "routes.json").read_text(encoding="utf-8"))
    return (SITE_DIR / routes[path]["file"]).read_bytes()


def test_url_rules_for_tracking_queries():
    assert article_id(f"{B}/a-b-123.html?utm_source=rss&utm_medium=feed") == 123
    assert article_id(f"{B}/a-b-123.html?fbclid=IwAR0x") == 123
    assert canonical_url(f"http://www.laodongthudo.vn/a-b-123.html?utm_source=rss&gclid=1#x") == f"{B}/a-b-123.html"
    # other queries, MasterCMS & paths, print and tag pages: still not articles
    assert article_id(f"{B}/a-b-123.html?page=2") is None
    assert article_id(f"{B}/a-b-123.html?utm_source=x&page=2") is None
    assert article_id(f"{B}/thoi-su&s_cond=&BRSR=16") is None
    assert article_id(f"{B}/apicenter@/print_article&i=164585") is None
    assert article_id(f"{B}/tag/ha-noi-12.tag?utm_source=x") is None
    # a listing keeps its query; a sister site's article is not this site's (is_site_host decides)
    assert canonical_url(f"{B}/thoi-su?utm_source=x") == f"{B}/thoi-su?utm_source=x"
    url = "https://laodongvaphapluat.laodongthudo.vn/x-123.html?utm_source=x"
    assert canonical_url(url) == url and not is_site_host("laodongvaphapluat.laodongthudo.vn")


def test_feed_links_and_redirects_with_tracking_queries(replica, crawl, tmp_path):
    db = tmp_path / "a.db"
    now = snapshot_time("base")
    assert crawl(db, replica.base_url, "--backfill", now=now).returncode == 0

    # the home feed tags its links; an old article (out of the window) is dated after its last fetch
    old = _path(164585)
    rss = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>LĐTĐ</title><item>"
           f"<title>x</title><link>{B}{old}?utm_source=rss&amp;utm_medium=feed</link>"
           "<pubDate>Mon, 01 Jan 2035 08:00:00 +0700</pubDate></item></channel></rss>").encode()
    replica.add_fault("/rss/home.rss", F.content_type("application/rss+xml; charset=utf-8", rss))
    # an article in the window now redirects to itself with a share tag (as some CMS setups do)
    moved = _path(203050)
    replica.add_fault(f"re:^{moved}$", F.redirect_loop(to=f"{moved}?utm_source=share"))
    replica.add_fault(f"re:^{moved}\\?utm_source=share$",
                      F.content_type("text/html; charset=utf-8", _page(moved)))

    start = len(replica.requests)
    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0, run
    served = replica.requests[start:]
    assert ("GET", old, 200) in served  # the tagged feed link was followed (without its tag)
    assert run.stats.get("ldtd/article_requests/feed") == 1
    assert ("GET", f"{moved}?utm_source=share", 200) in served
    (row,) = db_rows(db, "SELECT url, gone_at FROM articles WHERE id = 203050")
    assert row == {"url": B + moved, "gone_at": None}  # the same article, not gone
    assert not db_rows(db, "SELECT url FROM articles WHERE url LIKE '%utm_%'")
