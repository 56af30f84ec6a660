"""Listing pages, without a crawl: which URLs are listings, paging styles, the next page to ask for, the
dates a listing shows (`scraper.crawl.policy` on URLs and page fixtures)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from urllib.parse import urljoin

import lxml.html

from scraper.crawl import policy
from scraper.crawl.policy import (ArchiveState, Options, is_first_page, is_new_listing, listing_key, page_offset,
                                  sitemap_listing)
from scraper.text import HANOI
from scraper.urls import article_id, canonical_url

B = "https://laodongthudo.vn"
NOW = datetime(2026, 11, 25, 18, tzinfo=HANOI)


def test_listing_keys_cover_every_paging_style():
    assert listing_key(f"{B}/thoi-su") == "/thoi-su"
    assert listing_key(f"{B}/thoi-su&s_cond=&BRSR=16") == "/thoi-su"
    assert listing_key(f"{B}/thoi-su/tin-moi?page=3") == "/thoi-su/tin-moi"
    assert listing_key(f"{B}/thoi-su/trang-2.html") == "/thoi-su"
    assert listing_key(f"{B}/thoi-su&by-date=2024-11-20T10-00") == "/thoi-su"
    assert listing_key(f"{B}/") == "/"
    # not listings: articles, long-form, tags, print, other hosts
    assert listing_key(f"{B}/ra-soat-bang-cap-164585.html") is None
    assert listing_key(f"{B}/dai-lo-84201.media") is None
    assert listing_key(f"{B}/tag/ha-noi-12.tag") is None
    assert listing_key(f"{B}/apicenter@/print_article&i=164585") is None
    assert listing_key("https://lamgiau.laodongthudo.vn/thoi-su") is None
    assert listing_key("https://facebook.com/thoi-su") is None


def test_page_offsets():
    assert page_offset(f"{B}/thoi-su&s_cond=&BRSR=32") == 32
    assert page_offset(f"{B}/thoi-su?page=4") == 4
    assert page_offset(f"{B}/thoi-su/trang-5.html") == 5
    assert page_offset(f"{B}/thoi-su") is None
    assert is_first_page(f"{B}/thoi-su") and not is_first_page(f"{B}/thoi-su&s_cond=&BRSR=16")


def test_menus_and_sitemaps_lead_to_other_listings_first_pages():
    assert is_new_listing(f"{B}/kinh-te", "/thoi-su")
    assert not is_new_listing(f"{B}/kinh-te&s_cond=&BRSR=16", "/thoi-su")  # another listing's page 2
    assert not is_new_listing(f"{B}/thoi-su", "/thoi-su") and not is_new_listing(f"{B}/", "/thoi-su")
    assert not is_new_listing(f"{B}/tag/ha-noi-12.tag", "/")
    assert sitemap_listing(f"{B}/kinh-te") == "/kinh-te"
    assert sitemap_listing(f"{B}/") is None and sitemap_listing(f"{B}/a-b-164585.html") is None
    assert sitemap_listing(f"{B}/kinh-te?page=2") is None


def _plan(full_walk=False):
    state = ArchiveState(has_complete_run=True, last_full_walk=NOW)
    p = policy.plan(state, Options(now=NOW))
    assert p.full_walk is False
    return replace(p, full_walk=full_walk)


def _next(url, html, full_walk=False):
    """The next page(s) the spider asks for after listing page `url` showing `html`."""
    tree = lxml.html.fromstring(html)
    anchors = [(canonical_url(urljoin(url, a.get("href"))), a)
               for a in tree.iter("a")]
    candidates = policy.next_page_candidates(tree, url, url, listing_key(url), anchors, canonical_url)
    return policy.next_pages(_plan(full_walk), url, candidates)


def test_next_page_whatever_the_page_offers():
    # numbered BRSR paging: the smallest offset ahead, not the last page
    html = (f'<div class="__MB_ARTICLE_PAGING"><a href="{B}/thoi-su&s_cond=&BRSR=16">2</a>'
            f'<a href="{B}/thoi-su&s_cond=&BRSR=32">3</a><a href="{B}/thoi-su&s_cond=&BRSR=160">Cuối</a></div>')
    assert _next(f"{B}/thoi-su", html) == [f"{B}/thoi-su&s_cond=&BRSR=16"]
    assert _next(f"{B}/thoi-su&s_cond=&BRSR=16", html) == [f"{B}/thoi-su&s_cond=&BRSR=32"]
    # rel=next wins
    html = '<html><head><link rel="next" href="/thoi-su?page=2"></head><body><a href="/thoi-su?page=9">9</a></body></html>'
    assert _next(f"{B}/thoi-su", html) == [f"{B}/thoi-su?page=2"]
    # a "Xem thêm" cursor link with no number
    html = f'<div><a href="{B}/thoi-su&by-date=2024-11-20T10-00">Xem thêm</a><a href="{B}/kinh-te">Kinh tế</a></div>'
    assert _next(f"{B}/thoi-su", html) == [f"{B}/thoi-su&by-date=2024-11-20T10-00"]
    # another listing's pages are not this listing's
    html = f'<div><a href="{B}/kinh-te&s_cond=&BRSR=16">2</a></div>'
    assert _next(f"{B}/thoi-su", html) == []
    # the last link of a paging container, when nothing else looks like a next page
    html = f'<div class="paging"><a href="{B}/thoi-su&from=abc">…</a></div>'
    assert _next(f"{B}/thoi-su", html) == [f"{B}/thoi-su&from=abc"]


def test_pager_that_links_page_one_explicitly():
    """Paging from a listing's first page when the pager links page 1 explicitly (&page=1, &page=2, ...,
    no rel=next): the next page is page 2, not page 1 again (which shows nothing new and ends the walk)."""
    html = ('<div class="paging">' + "".join(f'<a href="{B}/cong-doan&page={n}">{n}</a>' for n in range(1, 6))
            + "</div>")
    assert _next(f"{B}/cong-doan", html) == [f"{B}/cong-doan&page=2"]
    assert _next(f"{B}/cong-doan&page=2", html) == [f"{B}/cong-doan&page=3"]
    assert _next(f"{B}/cong-doan&page=1", html) == [f"{B}/cong-doan&page=2"]
    # the same with ?page= and /trang-N, and an offset pager that links offset 0
    html = "<div>" + "".join(f'<a href="{B}/kinh-te?page={n}">{n}</a>' for n in range(1, 4)) + "</div>"
    assert _next(f"{B}/kinh-te", html) == [f"{B}/kinh-te?page=2"]
    html = "<div>" + "".join(f'<a href="{B}/kinh-te/trang-{n}.html">{n}</a>' for n in range(1, 4)) + "</div>"
    assert _next(f"{B}/kinh-te", html) == [f"{B}/kinh-te/trang-2.html"]
    html = "<div>" + "".join(f'<a href="{B}/thoi-su&s_cond=&BRSR={n}">{n // 10 + 1}</a>' for n in (0, 10, 20)) + "</div>"
    assert _next(f"{B}/thoi-su", html) == [f"{B}/thoi-su&s_cond=&BRSR=10"]
    # a full walk asks for every page but page 1 again
    html = "<div>" + "".join(f'<a href="{B}/cong-doan&page={n}">{n}</a>' for n in range(1, 4)) + "</div>"
    assert sorted(_next(f"{B}/cong-doan", html, full_walk=True)) == [f"{B}/cong-doan&page=2", f"{B}/cong-doan&page=3"]


def test_dates_shown_beside_each_listing_item():
    html = (f'<ul><li><a href="{B}/mot-100.html">Một</a><span>24/11/2026</span></li>'
            f'<li><div><a href="{B}/hai-101.html">Hai</a></div><p>Hà Nội, 3-1-2025</p></li>'
            f'<li><a href="{B}/ba-102.html">Ba</a></li>'  # no date: not the neighbour's
            f'<li><a href="{B}/bon-103.html">Bốn</a><span>31/02/2026</span></li></ul>')  # no such day
    tree = lxml.html.fromstring(html)
    shown = policy.shown_dates(tree, lambda href: article_id(href))
    assert shown == {100: datetime(2026, 11, 24, tzinfo=HANOI), 101: datetime(2025, 1, 3, tzinfo=HANOI)}
