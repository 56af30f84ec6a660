"""Scrapy middlewares: keep the crawl on the site, and map it onto a mirror when one is set.

The spider always speaks canonical URLs (https://laodongthudo.vn/...). With `LDTD_BASE_URL`
set, requests for the site are rewritten onto the mirror before they are scheduled (spider
middleware, no extra scheduler trip) and, for the ones that reach the downloader another way
(redirects to an absolute canonical URL), in the downloader middleware. robots.txt is then
fetched from the mirror too, since RobotsTxtMiddleware asks the host the request goes to.
Responses keep the mirror URL; whoever stores a URL maps it back with `canonical_url`.

The site only (`on_site`): laodongthudo.vn and www., or the mirror's exact host and port. Nothing
else is requested, whatever `dont_filter` says (`SiteOnlyOffsiteMiddleware`), and a redirect that
leads anywhere else is not followed but recorded as "moved off-site" (`SiteRedirectMiddleware`).

Also here: `RetryAfterMiddleware` (Scrapy's retries, honouring Retry-After),
`RedirectLoopMiddleware` (a redirect loop fails with a reason instead of vanishing) and
`CrawlDelayExtension` (robots.txt's Crawl-delay, which Scrapy reads but does not apply).
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured, ResponseDataLossError
from scrapy.extensions.throttle import AutoThrottle
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from w3lib.url import safe_url_string

from scraper.urls import is_site_host, mirror_url

logger = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


def _mirror_base(settings) -> str:
    return (settings.get("LDTD_BASE_URL") or "").rstrip("/")


def _host_port(parts) -> tuple[str, int | None]:
    try:
        port = parts.port
    except ValueError:
        port = -1  # a malformed port is nobody's
    return (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(parts.scheme)


def on_site(url: str, base: str = "") -> bool:
    """May the crawl request `url`? http(s) on laodongthudo.vn or www. (default port), or, with a
    mirror (`base`, LDTD_BASE_URL), on the mirror's exact host and port. Sister subdomains
    (laodongvaphapluat.laodongthudo.vn: other sites to this archive), other hosts and other ports: no."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS:
        return False
    host, port = _host_port(parts)
    if is_site_host(host) and port == _DEFAULT_PORTS[parts.scheme]:
        return True
    if not base:
        return False
    mirror = urlsplit(base)
    return (host, port) == _host_port(mirror)


def may_request(spider, url: str) -> bool:
    """`on_site` for our spider (it names allowed_domains); a spider without them (the DefaultSpider
    of `scrapy fetch`/`shell`/`view` on another URL) is unrestricted, as in Scrapy."""
    if not getattr(spider, "allowed_domains", None):
        return True
    return on_site(url, _mirror_base(spider.settings))


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
    """Scrapy's offsite filter with the site's rule (`on_site`): sister subdomains, social networks,
    ad servers and CDNs are never requested. Unlike Scrapy's, `dont_filter` (which article requests
    and their redirects carry past the duplicate filter) and `allow_offsite` do not exempt a request:
    nothing leaves the site. Filtered requests are counted in `offsite/filtered` (Scrapy's own stat)
    and logged once per host."""

    def should_follow(self, request, spider) -> bool:
        return may_request(spider, request.url)

    def process_request(self, request, spider=None):
        if request.dont_filter or request.meta.get("allow_offsite"):
            if self.should_follow(request, self.crawler.spider):
                return None
            # filtered by Scrapy's own code path (its log line and stats), as if not exempt
            request = request.replace(dont_filter=False, meta={**request.meta, "allow_offsite": False})
        return super().process_request(request)


class MovedOffsite(IgnoreRequest):
    """A redirect off the site, not followed (the errback's reason for requests that are not articles)."""


class _StaysOnSite:
    """What the site-only rule does to a redirect (HTTP 3xx or meta refresh) that leaves the site: it
    is not followed. The stat `ldtd/moved_offsite` counts it and a warning names it. An article's
    3xx answer goes on to the spider as it is (its status and Location are recorded on the page);
    any other request's 3xx fails with `MovedOffsite`; a page with a meta refresh is the site's own
    page and is taken as it is."""

    def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if not isinstance(result, Request) or may_request(self.crawler.spider, result.url):
            return result
        self.crawler.stats.inc_value("ldtd/moved_offsite")
        logger.warning("%s moved off-site (%s to %s): not followed", request.url, response.status, result.url)
        if response.status not in REDIRECT_STATUSES:
            return response
        if request.meta.get("ldtd_kind") == "article":
            handled = request.meta.get("handle_httpstatus_list") or ()
            request.meta["handle_httpstatus_list"] = [*handled, response.status]  # (a new list: it is shared)
            return response
        raise MovedOffsite(f"moved off-site: {request.url} -> {result.url}")


class SiteRedirectMiddleware(_StaysOnSite, RedirectMiddleware):
    """Scrapy's RedirectMiddleware (it takes its place), following redirects on the site only."""


class SiteMetaRefreshMiddleware(_StaysOnSite, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware (it takes its place), following refreshes on the site only."""


# --- what the real web does: Retry-After and redirect loops ---------------------------------------

def retry_after_seconds(value) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware (it takes its place), plus what it lacks: a retryable answer (429,
    503...) carrying Retry-After is retried only after that long, without blocking the crawl.
    Scrapy retries at once, so a rate-limited page failed all its retries inside the limiter's
    window. A wait longer than LDTD_RETRY_AFTER_MAX (default 120 s) is not waited for: the page
    fails with its status and the next run retries it."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("LDTD_RETRY_AFTER_MAX")

    async def process_response(self, request, response, spider=None):
        if "dataloss" in response.flags:
            # (DOWNLOAD_FAIL_ON_DATALOSS off) Scrapy hands on what arrived of a body shorter than its
            # Content-Length, flagged: still a failed transfer, retried and then failed as with the setting on
            loss = ResponseDataLossError(f"{request.url}: the connection closed before Content-Length bytes")
            retry = None if request.meta.get("dont_retry", False) else self._retry(request, loss)
            if retry is None:
                raise loss
            return retry
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        reason = response_status_message(response.status)
        if wait is not None:
            stats = self.crawler.stats
            if wait > self.max_wait:
                stats.inc_value("ldtd/retry_after/too_long")
                logger.warning("%s asks to retry after %.0f s (> LDTD_RETRY_AFTER_MAX): left for the next run",
                               request.url, wait)
                return response
            retries = request.meta.get("retry_times", 0)
            if retries < request.meta.get("max_retry_times", self.max_retry_times) and wait > 0:
                stats.inc_value("ldtd/retry_after/waits")
                stats.max_value("ldtd/retry_after/max_wait", wait)
                await _sleep(wait)
        return self._retry(request, reason) or response


async def _sleep(seconds: float) -> None:
    from twisted.internet import reactor, task  # (the reactor Scrapy installed: imported once it runs)

    await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


class RedirectLoopError(Exception):
    """A redirect that leads back into its own chain, or a chain longer than REDIRECT_MAX_TIMES."""


class RedirectLoopMiddleware:
    """Sees 3xx answers before Scrapy's RedirectMiddleware. Left to it, a redirect loop vanishes
    without a trace: the redirect back to an URL already requested is dropped by the scheduler's
    duplicate filter, and "max redirections reached" is an IgnoreRequest (not a failure). Here the
    request fails with RedirectLoopError, so the spider's errback counts it with its reason and the
    next run tries again.

    An article request's redirect is never dropped by the duplicate filter either (it inherits
    `dont_filter`): an article redirected to a page the crawl already fetched (the home page, another
    article) got no answer at all, so it was neither archived, counted nor marked gone. The loop and
    length checks above keep such chains finite."""

    def __init__(self, base: str, max_times: int):
        self.base = base
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler):
        return cls(_mirror_base(crawler.settings), crawler.settings.getint("REDIRECT_MAX_TIMES", 20))

    def _norm(self, url: str) -> str:
        return mirror_url(url.split("#", 1)[0], self.base)

    def process_response(self, request, response, spider=None):
        if response.status not in (301, 302, 303, 307, 308) or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get("Location")
        if not location:
            return response
        target = self._norm(urljoin(request.url, safe_url_string(location.decode("latin-1"))))
        chain = [self._norm(u) for u in (*request.meta.get("redirect_urls", []), request.url)]
        if target in chain:
            raise RedirectLoopError(f"redirect loop: {request.url} -> {target}")
        if len(chain) > self.max_times:
            raise RedirectLoopError(f"more than {self.max_times} redirects from {chain[0]}")
        if request.meta.get("ldtd_kind") == "article":
            request.dont_filter = True  # RedirectMiddleware copies it onto the redirected request
        return response


# --- robots.txt's Crawl-delay ----------------------------------------------------------------------

def crawl_delay_plan(asked: float | None, explicit: float | None, cap: float) -> tuple[float | None, str | None]:
    """(the minimum delay to give the site's download slot, or None; what the run logs about it, or None)
    for a robots.txt asking for `asked` seconds. `explicit`: a DOWNLOAD_DELAY given on the command line
    (`-s DOWNLOAD_DELAY=...`, `ldtd crawl --fast`), which wins; `cap`: the longest delay honoured (a
    hostile value would stall the crawl for days)."""
    if asked is None:
        return None, None
    if math.isnan(asked):
        return None, f"robots.txt's Crawl-delay ({asked}) ignored: not a number"
    if asked <= 0:
        return None, None
    if explicit is not None:
        return None, (f"robots.txt asks for Crawl-delay: {asked:g} s; not applied: DOWNLOAD_DELAY={explicit:g} "
                      "was given on the command line (-s or --fast)")
    if asked > cap:
        return cap, f"robots.txt asks for Crawl-delay: {asked:g} s; capped at {cap:g} s (LDTD_CRAWL_DELAY_MAX)"
    return asked, f"robots.txt asks for Crawl-delay: {asked:g} s: at least that long between requests"


class CrawlDelayExtension:
    """robots.txt's Crawl-delay (parsed by Scrapy's robots.txt parser, Protego, when RobotsTxtMiddleware
    reads robots.txt) becomes the minimum delay of that host's download slot, unjittered (a jittered
    delay goes below it), mirror included. AutoThrottle may still lengthen it, never shorten it: its
    lower bound is raised too. A DOWNLOAD_DELAY given on the command line overrides it (see
    `crawl_delay_plan`); either way the run logs it, and the stats keep `ldtd/crawl_delay` (applied)
    or `ldtd/crawl_delay_overridden` (asked for, not applied)."""

    def __init__(self, crawler):
        s = crawler.settings
        if not s.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.cap = s.getfloat("LDTD_CRAWL_DELAY_MAX")
        on_command_line = (s.getpriority("DOWNLOAD_DELAY") or 0) >= SETTINGS_PRIORITIES["cmdline"]
        self.explicit = s.getfloat("DOWNLOAD_DELAY") if on_command_line else None
        self.floors: dict[str, float] = {}  # download slot -> its minimum delay
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.request_reached_downloader, signal=signals.request_reached_downloader)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request):
        s = self.crawler.settings
        agent = s.get("ROBOTSTXT_USER_AGENT") or request.headers.get(b"User-Agent") or s.get("USER_AGENT")
        asked = robotparser.crawl_delay(agent)
        delay, why = crawl_delay_plan(asked, self.explicit, self.cap)
        if why:  # a warning when robots.txt's value is not taken as it is (capped, not a number)
            honoured = delay == asked or self.explicit is not None
            logger.log(logging.INFO if honoured else logging.WARNING, "%s: %s", urlsplit(request.url).netloc, why)
        stats = self.crawler.stats
        if delay is None:
            if asked and self.explicit is not None:
                stats.max_value("ldtd/crawl_delay_overridden", asked)
            return
        stats.max_value("ldtd/crawl_delay", delay)
        key = self.crawler.engine.downloader.get_slot_key(request)
        self.floors[key] = max(delay, self.floors.get(key, 0))
        self._floor(key)
        for ext in self.crawler.extensions.middlewares:
            if isinstance(ext, AutoThrottle):  # its adjustments stay within [mindelay, maxdelay]
                ext.mindelay = max(ext.mindelay, delay)
                ext.maxdelay = max(ext.maxdelay, delay)

    def request_reached_downloader(self, request, spider=None):
        # (a slot idle for a minute is dropped by Scrapy and made again with the default delay)
        key = request.meta.get("download_slot")
        if key in self.floors:
            self._floor(key)

    def _floor(self, key: str) -> None:
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, self.floors[key])
            slot.jitter = 0
