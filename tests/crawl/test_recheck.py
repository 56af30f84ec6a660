"""Articles are not lost to one bad answer, and a link with a tracking query is the article itself. One
history from the reference backfill (base replica):

1. a run at the snapshot time while one article in the recrawl window answers 404 once (a CMS hiccup),
   the home feed tags its links (?utm_source=...) and dates an old article after its last fetch, and
   another article in the window redirects to itself with a share tag;
2. a month on (nothing in the recrawl window, and a periodic full walk): the listings still link the
   gone article, so it is rechecked, answers 200 and is no longer gone.

(A gone article rechecked inside the window, or dated after it went, and one left alone when nothing
links it: the decisions in tests/crawl/test_policy.py; through a crawl, tests/crawl/test_incremental.py.)"""

from __future__ import annotations

import json

import pytest

from scraper.replica import faults as F
from scraper.replica.server import SITE_DIR

from .conftest import CrawlRun, copy_db, db_rows, expected_records, replica_server_class, snapshot_time

B = "https://laodongthudo.vn"
LATER = "2026-12-30T18:00:00+07:00"  # a month on: nothing of the replica is in the recrawl window
GONE = 203050  # in the window at the snapshot time
OLD = 164585  # out of the window; the feed dates it after its last fetch
MOVED = 203072  # in the window; redirects to itself with a share tag


def _path(aid: int, state: str = "base") -> str:
    return expected_records(state)[aid]["url"][len(B):]


def _page(path) -> bytes:
    routes = json.loads((SITE_DIR / "base" / "routes.json").read_text(encoding="utf-8"))
    return (SITE_DIR / routes[path]["file"]).read_bytes()


def _gone(db, aid):
    (row,) = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [aid])
    return row["gone_at"]


@pytest.fixture(scope="module")
def history(reference, tmp_path_factory):
    import subprocess

    from .conftest import ROOT, crawl_cmd

    d = tmp_path_factory.mktemp("recheck")
    db = copy_db(reference.db, d / "archive.db")
    out = {"db": db}

    def crawl(name, now):
        stats = d / f"{name}.json"
        proc = subprocess.run(crawl_cmd(db, replica.base_url, now=now, stats=stats), cwd=ROOT, capture_output=True,
                              text=True, timeout=240)
        return CrawlRun(proc, stats)

    with replica_server_class()(state="base") as replica:
        replica.add_fault(_path(GONE), F.status(404, times=1))
        rss = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>LĐTĐ</title><item>"
               f"<title>x</title><link>{B}{_path(OLD)}?utm_source=rss&amp;utm_medium=feed</link>"
               "<pubDate>Mon, 01 Jan 2035 08:00:00 +0700</pubDate></item></channel></rss>").encode()
        replica.add_fault("/rss/home.rss", F.content_type("application/rss+xml; charset=utf-8", rss))
        moved = _path(MOVED)
        replica.add_fault(f"re:^{moved}$", F.redirect_loop(to=f"{moved}?utm_source=share"))
        replica.add_fault(f"re:^{moved}\\?utm_source=share$", F.content_type("text/html; charset=utf-8", _page(moved)))
        start = len(replica.requests)
        out["first"] = crawl("first", snapshot_time("base"))
        out["first_served"] = replica.requests[start:]
        out["gone_after_first"] = _gone(db, GONE)
        replica.clear_faults()

        start = len(replica.requests)
        out["later"] = crawl("later", LATER)
        out["later_served"] = replica.requests[start:]
    return out


def test_one_404_marks_an_article_gone(history):
    assert history["first"].returncode == 0, history["first"]
    assert history["gone_after_first"]


def test_feed_links_with_tracking_queries_are_followed(history):
    assert ("GET", _path(OLD), 200) in history["first_served"]  # the tagged feed link was followed (without its tag)
    assert history["first"].stats.get("ldtd/article_requests/feed") == 1


def test_a_redirect_to_the_article_with_a_share_tag_is_not_a_disappearance(history):
    assert ("GET", f"{_path(MOVED)}?utm_source=share", 200) in history["first_served"]
    (row,) = db_rows(history["db"], "SELECT url, gone_at FROM articles WHERE id = ?", [MOVED])
    assert row == {"url": B + _path(MOVED), "gone_at": None}  # the same article, not gone
    assert not db_rows(history["db"], "SELECT url FROM articles WHERE url LIKE '%utm_%'")


def test_a_gone_article_the_listings_still_link_is_rechecked_out_of_the_window(history):
    run = history["later"]
    assert run.returncode == 0, run
    assert ("GET", _path(GONE), 200) in history["later_served"]
    assert _gone(history["db"], GONE) is None
    # its content never changed: no version was recorded by the 404 and the recheck
    assert not db_rows(history["db"], "SELECT id FROM article_versions WHERE article_id = ?", [GONE])
