"""Scrapy middlewares: keep the crawl on the site, and map it onto a mirror when one is set.

The spider always speaks canonical URLs (https://laodongthudo.vn/...). With `LDTD_BASE_URL`
set, requests for the site are rewritten onto the mirror before they are scheduled (spider
middleware, no extra scheduler trip) and, for the ones that reach the downloader another way
(redirects to an absolute canonical URL), in the downloader middleware. robots.txt is then
fetched from the mirror too, since RobotsTxtMiddleware asks the host the request goes to.
Responses keep the mirror URL; whoever stores a URL maps it back with `canonical_url`.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.utils.httpobj import urlparse_cached

from scraper.urls import is_site_host, mirror_url

logger = logging.getLogger(__name__)


def _mirror_base(settings) -> str:
    return (settings.get("LDTD_BASE_URL") or "").rstrip("/")


def to_mirror(request: Request, base: str) -> Request:
    """The request aimed at the mirror (the same object when there is nothing to change)."""
    if not base:
        return request
    url = mirror_url(request.url, base)
    if url == request.url:
        return request
    meta = dict(request.meta)
    meta.setdefault("ldtd_canonical_url", request.url)
    return request.replace(url=url, meta=meta)


class MirrorSpiderMiddleware:
    """Rewrites the spider's requests for laodongthudo.vn onto LDTD_BASE_URL."""

    def __init__(self, base: str):
        self.base = base

    @classmethod
    def from_crawler(cls, crawler):
        return cls(_mirror_base(crawler.settings))

    async def process_start(self, start):
        async for item_or_request in start:
            yield self._map(item_or_request)

    async def process_spider_output_async(self, response, result):
        async for item_or_request in result:
            yield self._map(item_or_request)

    def process_spider_output(self, response, result):
        for item_or_request in result:
            yield self._map(item_or_request)

    def _map(self, obj):
        if isinstance(obj, Request):
            return to_mirror(obj, self.base)
        return obj


class MirrorDownloaderMiddleware:
    """Catches site requests that did not come from the spider (redirect targets) and sends
    them to the mirror. Runs before the offsite filter and robots.txt."""

    def __init__(self, base: str, stats):
        self.base = base
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(_mirror_base(crawler.settings), crawler.stats)

    def process_request(self, request, spider=None):
        mapped = to_mirror(request, self.base)
        if mapped is not request:
            self.stats.inc_value("ldtd/mirror_rewritten")
            return mapped  # rescheduled with the mirror URL
        return None


class SiteOnlyOffsiteMiddleware(OffsiteMiddleware):
    """Only laodongthudo.vn (and www.), plus the mirror: sister subdomains, social networks,
    ad servers and CDNs are never requested. Filtered requests are counted in
    `offsite/filtered` (Scrapy's own stat) and logged once per host."""

    def should_follow(self, request, spider) -> bool:
        parts = urlparse_cached(request)
        if parts.scheme not in ("http", "https"):
            return False
        if is_site_host(parts.hostname):
            return True
        base = spider.settings.get("LDTD_BASE_URL") or ""
        return bool(base) and parts.netloc == urlsplit(base).netloc
