"""Article links with tracking queries (?utm_source=..., fbclid, ...) are the article itself: a feed
that tags its links is followed, and a redirect to the article with a query is not a disappearance
(through a real crawl: tests/crawl/test_recheck.py's history)."""

from __future__ import annotations

import pytest

from scraper.urls import article_id, canonical_url, is_site_host

B = "https://laodongthudo.vn"


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


@pytest.mark.parametrize("url", [
    "https://laodongthudo.vn/ra-soat-164585.html", "https://laodongthudo.vn/ra-soat-164585.html?utm_source=rss",
    "https://laodongthudo.vn/ra-soat-164585.html?page=2", "https://laodongthudo.vn/ra-soat-164585.html#binh-luan",
    "https://user@laodongthudo.vn/ra-soat-164585.html", "https://laodongthudo.vn/ra-soat-164585.html\n",
    " https://laodongthudo.vn/ra-soat-164585.html", "https://laodongthudo.vn/ra-\tsoat-164585.html",
    "https://laodongthudo.vn/tag/ra-soat-12.html", "https://laodongthudo.vn/thoi-su&s_cond=&BRSR=16-164585.html",
    "https://laodongthudo.vn:8080/ra-soat-164585.media", "https://laodongthudo.vn", "https://[::1]/a-164585.html",
    "//laodongthudo.vn/ra-soat-164585.html", "/ra-soat-164585.html", "mailto:toa-soan@laodongthudo.vn",
])
def test_article_id_fast_path_agrees_with_urlsplit(url):
    """article_id reads plain absolute URLs without urlsplit (a parse resolves every link of a page); the
    answer is the one the urlsplit road gives, for the odd forms too (whitespace, queries, userinfo, &, ports)."""
    from urllib.parse import urlsplit

    from scraper.urls import _ARTICLE_PATH, _TAG_PATH, strip_tracking

    parts = urlsplit(url)
    slow = None
    if not (parts.query and strip_tracking(parts.query)) and "&" not in parts.path and "@" not in parts.path \
            and not _TAG_PATH.match(parts.path):
        m = _ARTICLE_PATH.match(parts.path)
        slow = int(m.group(1)) if m else None
    assert article_id(url) == slow
