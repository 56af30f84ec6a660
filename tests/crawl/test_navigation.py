"""The spider's navigation rules, without a crawl: listing URLs, paging styles, settings."""

from scrapy.http import HtmlResponse, Request

from scraper.crawl.run import project_settings
from spiders.laodongthudo import LaodongthudoSpider, is_first_page, listing_key, page_offset

B = "https://laodongthudo.vn"


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


def _spider(**settings):
    spider = LaodongthudoSpider()
    spider.configure(project_settings(settings))
    spider.full_walk = False
    return spider


def _listing(url, html):
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8", request=Request(url))


def _next(spider, url, html):
    resp = _listing(url, html)
    anchors = [(spider.canonical(resp.urljoin(a.get("href"))), a) for a in resp.selector.root.iter("a")]
    return spider._next_pages(resp, url, listing_key(url), anchors)


def test_next_page_whatever_the_page_offers():
    s = _spider()
    # numbered BRSR paging: the smallest offset ahead, not the last page
    html = (f'<div class="__MB_ARTICLE_PAGING"><a href="{B}/thoi-su&s_cond=&BRSR=16">2</a>'
            f'<a href="{B}/thoi-su&s_cond=&BRSR=32">3</a><a href="{B}/thoi-su&s_cond=&BRSR=160">Cuối</a></div>')
    assert _next(s, f"{B}/thoi-su", html) == [f"{B}/thoi-su&s_cond=&BRSR=16"]
    assert _next(s, f"{B}/thoi-su&s_cond=&BRSR=16", html) == [f"{B}/thoi-su&s_cond=&BRSR=32"]
    # rel=next wins
    html = f'<link rel="next" href="/thoi-su?page=2"><a href="/thoi-su?page=9">9</a>'
    assert _next(s, f"{B}/thoi-su", html) == [f"{B}/thoi-su?page=2"]
    # a "Xem thêm" cursor link with no number
    html = f'<a href="{B}/thoi-su&by-date=2024-11-20T10-00">Xem thêm</a><a href="{B}/kinh-te">Kinh tế</a>'
    assert _next(s, f"{B}/thoi-su", html) == [f"{B}/thoi-su&by-date=2024-11-20T10-00"]
    # another listing's pages are not this listing's
    html = f'<a href="{B}/kinh-te&s_cond=&BRSR=16">2</a>'
    assert _next(s, f"{B}/thoi-su", html) == []


def test_settings_polite_and_no_listening_ports():
    s = project_settings()
    assert s.getbool("REMOTE_CONTROL_ENABLED") is False
    assert s.getbool("TELNETCONSOLE_ENABLED") is False
    assert s.getbool("ROBOTSTXT_OBEY") is True
    assert s.getbool("AUTOTHROTTLE_ENABLED") is True
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert "+http" in s.get("USER_AGENT")
    assert s.getbool("HTTPCACHE_ENABLED") is False
