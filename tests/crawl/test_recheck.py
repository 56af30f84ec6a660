"""Articles are not lost to one bad answer, and a link with a tracking query is the article itself. On
`histories.day2_history`:
1. its "again" run (the day2 snapshot time) while one article in the recrawl window (GONE) answers 404
   once (a CMS hiccup), the home feed tags its links (?utm_source=...) and dates an old article (OLD)
   after its last fetch, and another article in the window (MOVED) redirects to itself with a share tag;
2. its "later" run, a month on (nothing in the recrawl window, and a periodic full walk): the listings
   still link the gone article, so it is rechecked, answers 200 and is no longer gone.
(A gone article rechecked inside the window, or dated after it went, and one left alone when nothing
links it: the decisions in tests/crawl/test_policy.py; through a crawl, tests/crawl/test_incremental.py.)"""

from __future__ import annotations

from .conftest import CANONICAL, db_rows, expected_records
from .histories import GONE, MOVED, OLD


def _path(aid: int) -> str:
    return expected_records("day2")[aid]["url"][len(CANONICAL):]


def _gone(db, aid):
    (row,) = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [aid])
    return row["gone_at"]


def test_one_404_marks_an_article_gone(day2_history):
    assert day2_history["again"].returncode == 0, day2_history["again"]
    assert ("GET", _path(GONE), 404) in day2_history["again_served"]
    assert day2_history["gone_after_again"]


def test_feed_links_with_tracking_queries_are_followed(day2_history):
    assert ("GET", _path(OLD), 200) in day2_history["again_served"]  # the tagged feed link was followed (without its tag)
    assert day2_history["again"].stats.get("ldtd/article_requests/feed") == 1


def test_a_redirect_to_the_article_with_a_share_tag_is_not_a_disappearance(day2_history):
    assert ("GET", f"{_path(MOVED)}?utm_source=share", 200) in day2_history["again_served"]
    (row,) = db_rows(day2_history["db"], "SELECT url, gone_at FROM articles WHERE id = ?", [MOVED])
    assert row == {"url": CANONICAL + _path(MOVED), "gone_at": None}  # the same article, not gone
    assert not db_rows(day2_history["db"], "SELECT url FROM articles WHERE url LIKE '%utm_%'")


def test_a_gone_article_the_listings_still_link_is_rechecked_out_of_the_window(day2_history):
    run = day2_history["later"]
    assert run.returncode == 0, run
    assert ("GET", _path(GONE), 200) in day2_history["later_served"]
    assert _gone(day2_history["db"], GONE) is None
    # its content never changed: no version was recorded by the 404 and the recheck
    assert not db_rows(day2_history["db"], "SELECT id FROM article_versions WHERE article_id = ?", [GONE])
