"""The laodongthudo.vn spider: navigation only.

Where articles are found: the home page, the category and subcategory menus, every listing's
pagination (rel=next, the paging container, "Xem thêm", BRSR/page offsets: whatever a page
offers), sitemaps advertised by robots.txt, RSS/Atom feeds advertised by `<link rel=alternate>`,
and links between articles. An article is recognised by its URL (`scraper.urls.article_id`),
never by class names. What a page says is the parser's business (`ParsePipeline`), storing it the
archive's (`ArchivePipeline`); what to request is `scraper.crawl.policy`'s (pure decisions on the
archive state this spider reads once at start, and on the pages it reads): this module reads pages
and the archive, asks the policy, and yields the requests.

Which articles are requested (state read from the archive itself, not a side file):
- backfill (`LDTD_MODE=backfill`): every listing walked to its end, every article fetched. With
  `LDTD_SINCE`, paging stops where a page's own articles are all dated before it (archived
  dates, else the date shown in the listing item), and articles the site dates earlier (listing
  date, sitemap lastmod, feed date) are not requested.
- incremental (default): each listing is paged only while its page shows articles that are new
  to the archive or published within the recrawl window (`LDTD_RECRAWL_DAYS`); new articles are
  fetched, the window's articles refetched (from the archive, listed or not), and articles whose
  sitemap/feed date is later than their last fetch, or that the site now links under another URL
  (renamed, redirected), refetched. A 404/410 marks an archived article gone.
- resume: when the previous run did not finish (killed, Ctrl-C, a full disk) or left holes (listing,
  sitemap or feed pages it could not fetch), this run does its own work (an incremental run: its
  recrawl window, gone checks, sitemap/feed dates) and, on top of it, the unfinished work: the
  listings are walked to the end again, and articles that run did not store are fetched (a resumed
  backfill: also the archived articles it had not refetched yet, back to its `--since`); what it
  stored is not fetched again for its sake.

URLs are canonical here; `scraper.crawl.middlewares` maps requests onto a mirror (`LDTD_BASE_URL`)
and every response URL is mapped back with `canonical_url`.
"""

from __future__ import annotations

import hashlib
import re

from datetime import datetime
from email.utils import parsedate_to_datetime
from html import unescape
from urllib.parse import urljoin, urlsplit

import lxml.etree
from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from scraper.clock import parse_iso
from scraper.crawl import policy
from scraper.crawl.policy import ArchiveState, Options, Resume, article_id, listing_key
from scraper.items import FetchFailed, PageItem, kept_headers
from scraper.text import HANOI, now_iso
from scraper.storage.archive_view import ArchiveView
from scraper.urls import CANONICAL_BASE, canonical_url, is_site_host

GONE_STATUSES = [404, 410]
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
_HREF = re.compile(r"""<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def read_state(view: ArchiveView) -> ArchiveState:
    """The run log's answers the plan needs, read once when the run starts."""
    log = view.runs
    resume = log.resume_point()
    return ArchiveState(
        has_complete_run=log.has_complete_run(),
        resume=Resume(since=resume.since, mode=resume.mode, since_arg=resume.since_arg) if resume else None,
        lower_bound=log.lower_bound(),
        last_full_walk=log.last_full_walk(),
        last_complete_start=log.last_complete_start(),
        walk_failures=log.holes(),
        sitemap_validators=log.sitemap_validators(),
    )


class LaodongthudoSpider(SitemapSpider):
    name = "laodongthudo"
    allowed_domains = ["laodongthudo.vn"]  # plus the mirror: scraper.crawl.middlewares.SiteOnlyOffsiteMiddleware
    plan: policy.Plan | None = None  # what this run does (scraper.crawl.policy.plan), decided once

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings)
        spider.make_plan(crawler.settings)
        # its view of the archive opens with the spider (after the pipelines have recorded the run), not
        # in start(): Scrapy's parse command replaces start() and calls the callbacks directly
        crawler.signals.connect(spider._open_state, signal=signals.spider_opened)
        return spider

    def make_plan(self, settings) -> None:
        """Read the run log once and plan the run (`policy.plan`). The archive's pipeline records the plan
        (`self.plan`: its walk, and where it stops going back) with the run."""
        view = ArchiveView.open(self.db_path)
        try:
            self.state = read_state(view)
            plan = policy.plan(self.state, self.options)
            if plan.since_source == "floor":
                plan = plan.with_floor(view.first_id_since(plan.since))
        finally:
            view.close()
        self.plan = plan

    # -- configuration -------------------------------------------------------------------------
    def configure(self, settings) -> None:
        self.options = Options.from_settings(settings)
        self.base = (settings.get("LDTD_BASE_URL") or "").rstrip("/") or None
        self.db_path = settings.get("LDTD_DB")
        self.state = ArchiveState()
        self.plan = policy.plan(self.state, self.options)  # (until make_plan has read the archive)
        self.requested_ids: set[int] = set()
        self.requested_urls: dict[int, set[str]] = {}  # the URLs each id was asked for under
        self.fetched_ok: set[int] = set()  # ids answered 200 in this run
        self.walk_failed: dict[str, int] = {}  # page that failed in this run -> consecutive runs failing
        self.queued: set[str] = set()  # listing, feed and sitemap URLs already asked for
        # sitemaps and feeds whose every entry this run handed on, with their validators: the archive's
        # pipeline records them with the run, kept only if the run ends clean (scraper.storage.runs.finish)
        self.sitemaps_read: dict[str, dict] = {}
        self._links: dict = {}

    # -- archive state -------------------------------------------------------------------------
    def _open_state(self) -> None:
        self.view = ArchiveView.open(self.db_path)
        p, stats = self.plan, self.crawler.stats
        stats.set_value("ldtd/walk_gaps", 0)
        if p.since_source == "floor":
            stats.set_value("ldtd/lower_bound", p.since.isoformat())
        elif p.since_source == "resume":
            stats.set_value("ldtd/resumed_since", p.since.isoformat())
        if p.periodic_last:
            stats.set_value("ldtd/periodic_full_walk", p.periodic_last)
        stats.set_value("ldtd/mode", p.mode)
        stats.set_value("ldtd/walk", p.walk)
        if p.resume_since:
            stats.set_value("ldtd/resumed_from", p.resume_since)
            stats.set_value("ldtd/completes", p.resume_mode)
        self.logger.info("mode=%s walk=%s window_start=%s since=%s resume_since=%s completes=%s", p.mode, p.walk,
                         p.window_start.isoformat(), p.since, p.resume_since, p.resume_mode)

    def _known(self, ids) -> dict[int, dict]:
        return self.view.known(ids) if ids else {}

    def _asked(self, aid: int):
        """The URLs this run asked for the article under (None: not asked for)."""
        return self.requested_urls.get(aid, set()) if aid in self.requested_ids else None

    def wanted(self, aid: int, known: dict | None, signal: datetime | None = None, url: str | None = None,
               source: str = "") -> bool:
        return policy.wanted(self.plan, aid, known, signal=signal, url=url, source=source, asked=self._asked(aid))

    # -- start ---------------------------------------------------------------------------------
    async def start(self):
        yield Request(f"{CANONICAL_BASE}/robots.txt", callback=self.parse_robots,
                      meta={"dont_obey_robotstxt": True, "ldtd_kind": "robots"}, priority=20,
                      errback=self.on_error)
        yield self._listing_request(f"{CANONICAL_BASE}/", root="/", seen=frozenset(), source="home")
        # the recrawl window, in every run: articles of the last N days, whether or not a listing still
        # shows them (a backfill or a resumed walk only reaches what the listings show: not a deletion)
        for row in self.view.recent(policy.recrawl_since(self.plan)):
            req = self._article_request(row["url"], source="recrawl", aid=row["id"])
            if req:
                yield req
        if self.plan.resume_since:
            # links from articles the interrupted run stored, to articles it did not get to
            dangling = self.view.dangling_links(self.plan.resume_since)
            archived = self._known([a for a in map(article_id, dangling) if a])
            for aid, url in policy.resume_additions(self.plan, dangling, archived):
                req = self._article_request(url, source="resume", aid=aid)
                if req:
                    yield req

    def _article_request(self, url: str, source: str, aid: int | None = None, priority: int = 0,
                         again: bool = False):
        """The request for an article, None when its id was asked for already in this run (`again`:
        unless under another URL, for a renamed article)."""
        aid = aid or article_id(url)
        if aid is None:
            return None
        urls = self.requested_urls.get(aid)
        if aid in self.requested_ids and (not again or (urls and url in urls)):
            return None
        self.requested_ids.add(aid)
        self.requested_urls.setdefault(aid, set()).add(url)
        self.crawler.stats.inc_value(f"ldtd/article_requests/{source}")
        return Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            priority=priority,
            meta={"handle_httpstatus_list": GONE_STATUSES, "ldtd_kind": "article", "ldtd_source": source,
                  "ldtd_article_id": aid, "ldtd_requested": url},
        )

    def _listing_request(self, url: str, root: str, seen: frozenset, source: str, page: int = 1):
        return Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            priority=10,
            meta={"ldtd_kind": "listing", "ldtd_root": root, "ldtd_seen": seen, "ldtd_source": source,
                  "ldtd_page": page},
        )

    def canonical(self, url: str) -> str:
        return canonical_url(url, self.base)

    # -- robots.txt and sitemaps -------------------------------------------------------------------
    def parse_robots(self, response):
        if response.status != 200:
            return
        for url in sitemap_urls_from_robots(response.body, base_url=self.canonical(response.url)):
            url = self.canonical(url)
            if is_site_host(urlsplit(url).hostname):
                self.crawler.stats.inc_value("ldtd/sitemaps_advertised")
                yield self._sitemap_request(url, self.parse_sitemap, "sitemap")

    def _sitemap_request(self, url: str, callback, kind: str) -> Request:
        """A sitemap or feed, asked for conditionally when the last clean run read it whole (a 304 reaches
        the callback: nothing in it to read)."""
        return Request(url, callback=callback, errback=self.on_error, priority=5,
                       headers=policy.conditional_headers(self.plan, self.state.sitemap_validators.get(url)),
                       meta={"ldtd_kind": kind, "ldtd_requested": url, "handle_httpstatus_list": [304]})

    def _unchanged(self, response) -> bool:
        """Does this sitemap or feed hand on what the last clean run's reading of it did (a 304, the same
        bytes)? Then its entries are skipped (counted as ldtd/sitemaps_unchanged)."""
        url = response.meta.get("ldtd_requested") or self.canonical(response.url)
        sha = hashlib.sha256(response.body).hexdigest() if response.status == 200 else None
        response.meta["ldtd_sha256"] = sha
        if policy.sitemap_unchanged(self.plan, response.status, sha, self.state.sitemap_validators.get(url)):
            self.crawler.stats.inc_value("ldtd/sitemaps_unchanged")
            return True
        return False

    def _read_whole(self, response, kind: str, listings: int = 0) -> None:
        """Every entry of this sitemap or feed was handed on: its validators go with the run's record."""
        if not policy.remembers_sitemap(self.plan, kind, listings):
            return
        url = response.meta.get("ldtd_requested") or self.canonical(response.url)
        headers = kept_headers(response.headers)
        self.sitemaps_read[url] = {
            "etag": headers.get("etag") or None,
            "last_modified": headers.get("last-modified") or None,
            "sha256": response.meta.get("ldtd_sha256") or hashlib.sha256(response.body).hexdigest()}

    def parse_sitemap(self, response):
        if self._unchanged(response):
            return
        body = self._get_sitemap_body(response)
        if not body:
            self.logger.warning("Ignoring invalid sitemap: %s", response)
            return
        sitemap = Sitemap(body)
        entries = list(sitemap)
        if sitemap.type == "sitemapindex":
            for entry in entries:
                url = self.canonical(entry.get("loc", ""))
                if not is_site_host(urlsplit(url).hostname):
                    continue
                if policy.skip_child_sitemap(self.plan, parse_iso(entry.get("lastmod")),
                                             self.state.last_complete_start):
                    self.crawler.stats.inc_value("ldtd/sitemaps_skipped")
                    continue
                yield self._sitemap_request(url, self.parse_sitemap, "sitemap")
            return
        if sitemap.type != "urlset":
            return
        urls = [(self.canonical(e.get("loc", "")), parse_iso(e.get("lastmod"))) for e in entries]
        del entries, sitemap  # (a 200k-entry sitemap's parsed dicts: tens of MB, not kept while handing on)
        yield from self._consider_articles(urls, source="sitemap")
        listings = 0
        for url, _ in urls:
            root = policy.sitemap_listing(url)
            if root:
                listings += 1
                yield self._listing_request(url, root=root, seen=frozenset(), source="sitemap")
        self._read_whole(response, "urlset", listings)

    # -- feeds -------------------------------------------------------------------------------------
    def parse_feed(self, response):
        if self._unchanged(response):
            return
        try:
            root = lxml.etree.fromstring(response.body, parser=lxml.etree.XMLParser(recover=True,
                                         resolve_entities=False, no_network=True))
        except lxml.etree.XMLSyntaxError:
            root = None
        if root is None:
            self.logger.warning("Ignoring invalid feed: %s", response)
            return
        urls = []
        for item in root.iter("{*}item", "{*}entry"):
            link = None
            date = None
            for child in item:
                tag = lxml.etree.QName(child).localname.lower() if isinstance(child.tag, str) else ""
                if tag == "link":
                    link = (child.get("href") or child.text or "").strip() or link
                elif tag in ("pubdate", "updated", "published", "date", "modified") and child.text:
                    d = parse_iso(child.text) or _rfc822(child.text)
                    if d and (date is None or d > date):
                        date = d
            if link:
                urls.append((self.canonical(response.urljoin(link)), date))
        self.crawler.stats.inc_value("ldtd/feed_items", len(urls))
        yield from self._consider_articles(urls, source="feed")
        self._read_whole(response, "feed")

    def _consider_articles(self, urls, source: str):
        ids = {}
        for url, date in urls:
            aid = article_id(url)
            if aid is not None and is_site_host(urlsplit(url).hostname):
                ids.setdefault(aid, (url, date))
        known = self._known(list(ids))
        for aid, (url, date) in ids.items():
            if self.wanted(aid, known.get(aid), signal=date, url=url, source=source):
                req = self._article_request(url, source=source, aid=aid, again=True)
                if req:
                    yield req

    # -- listings ----------------------------------------------------------------------------------
    def _once(self, url: str) -> bool:
        """First time this run asks for this non-article URL? (saves the scheduler's dupefilter
        thousands of menu links: every listing page repeats the whole menu)"""
        if url in self.queued:
            return False
        self.queued.add(url)
        return True

    def parse_listing(self, response):
        if not isinstance(response, TextResponse):
            return
        stats = self.crawler.stats
        stats.inc_value("ldtd/listing_pages")
        here = self.canonical(response.url)
        self.queued.add(here)
        root = response.meta.get("ldtd_root") or listing_key(here) or "/"
        seen: frozenset = response.meta.get("ldtd_seen", frozenset())
        tree = response.selector.root
        base = response.url

        for link in tree.iter("link") if policy.reads_feeds(self.plan, root, here) else ():
            href = (link.get("href") or "").strip()
            if not href or "alternate" not in (link.get("rel") or "").lower():
                continue
            ctype = (link.get("type") or "").lower()
            if ctype in _FEED_TYPES or "rss" in href.lower():
                url = self.canonical(urljoin(base, href))
                if is_site_host(urlsplit(url).hostname) and self._once(url):
                    yield self._sitemap_request(url, self.parse_feed, "feed")

        articles: dict[int, str] = {}
        anchors = []  # (canonical url, lxml <a>) of the page's other on-site links
        for a in tree.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            url = self._canonical_link(base, href)
            if url is None:
                continue
            aid = article_id(url)
            if aid is not None:
                articles.setdefault(aid, url)
            else:
                anchors.append((url, a))

        # new listings: the category/subcategory menus (first pages only)
        for url, _a in anchors:
            if url not in self.queued and policy.is_new_listing(url, root) and self._once(url):
                yield self._listing_request(url, root=listing_key(url), seen=frozenset(), source="menu")

        # the articles this page offers
        fresh = [aid for aid in articles if aid not in seen]
        ask = [aid for aid, url in articles.items() if aid not in self.requested_ids or aid not in seen
               or url not in self.requested_urls.get(aid, ())]
        known = self._known(ask)
        shown = self._shown_dates(response) if self.plan.since else {}
        for aid, url in articles.items():
            if self.wanted(aid, known.get(aid), signal=shown.get(aid), url=url, source="listing"):
                req = self._article_request(url, source="listing", aid=aid, again=True)
                if req:
                    yield req

        # go on to the next page?
        if not fresh:
            stats.inc_value("ldtd/listing_end")
            return
        if not policy.keep_paging(self.plan, fresh, known, self._shown_dates(response) if self.plan.since else {}):
            stats.inc_value("ldtd/listing_stopped_early")
            return
        candidates = policy.next_page_candidates(tree, response.url, here, root, anchors, self.canonical)
        page = response.meta.get("ldtd_page", 1)
        new_seen = seen | frozenset(articles)
        for url in policy.next_pages(self.plan, here, candidates):
            if self._once(url):
                yield self._listing_request(url, root=root, seen=new_seen, source="paging", page=page + 1)

    def _canonical_link(self, base: str, href: str) -> str | None:
        """The canonical on-site URL an href points to, or None (memoised: pages repeat menus)."""
        key = (base, href) if not href.startswith(("http://", "https://")) else href
        try:
            return self._links[key]
        except KeyError:
            pass
        url = self.canonical(urljoin(base, href))
        if not is_site_host(urlsplit(url).hostname):
            url = None
        if len(self._links) > 200_000:
            self._links.clear()
        self._links[key] = url
        return url

    def _shown_dates(self, response) -> dict[int, datetime]:
        """The dates the listing page shows beside its articles (`policy.shown_dates`), read once per page."""
        cached = response.meta.get("_ldtd_shown")
        if cached is None:
            base = response.url

            def article_of(href):
                link = self._canonical_link(base, href)
                return article_id(link) if link else None

            cached = response.meta["_ldtd_shown"] = policy.shown_dates(response.selector.root, article_of)
        return cached

    # -- articles ----------------------------------------------------------------------------------
    def parse_article(self, response):
        meta = response.meta
        requested = meta.get("ldtd_requested") or self.canonical(response.url)
        url = self.canonical(response.url)
        aid = article_id(url)
        status = response.status
        item = PageItem(
            url=url if aid is not None else requested,
            article_id=aid if aid is not None else meta.get("ldtd_article_id"),
            status=status,
            headers=kept_headers(response.headers),
            body=response.body,
            fetched_at=now_iso(),
            requested_url=requested if requested != url else None,
            # (a redirect that reaches this callback was not followed: it left the site, see
            # scraper.crawl.middlewares.SiteRedirectMiddleware; the page keeps its status and Location)
            gone=status in GONE_STATUSES or aid is None or 300 <= status < 400,
            source=meta.get("ldtd_source", ""),
            meta={"flags": list(response.flags)},  # "partial": no Content-Length, the connection closed
        )
        if aid is not None and aid != meta.get("ldtd_article_id"):
            self.requested_ids.add(aid)
        if policy.superseded(item.gone, item.article_id, self.fetched_ok):
            self.crawler.stats.inc_value("ldtd/gone_superseded")
            return
        if not item.gone and status == 200:
            self.fetched_ok.add(item.article_id)
        yield item
        if item.gone or not isinstance(response, TextResponse) or not policy.follows_links(self.plan):
            return
        # links to other articles: the raw hrefs (the parser builds the page's tree, not the spider)
        links = {}
        base = response.url
        for m in _HREF.finditer(response.text):
            href = unescape(m.group(1) or m.group(2) or "").strip()
            if not href or href.startswith(("#", "javascript:")):
                continue
            link = self._canonical_link(base, href)
            if link is None:
                continue
            lid = article_id(link)
            if lid is not None and lid not in self.requested_ids and policy.linked_id_worth_a_look(self.plan, lid):
                links.setdefault(lid, link)
        if not links:
            return
        known = self._known(list(links))
        for lid, link in links.items():
            if policy.follow_link(self.plan, lid, known.get(lid)):
                req = self._article_request(link, source="related", aid=lid, priority=-1)
                if req:
                    yield req

    def on_error(self, failure):
        request = failure.request
        kind = request.meta.get("ldtd_kind", "page")
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # robots.txt forbids it, or it is offsite: not a failure of the site
            self.crawler.stats.inc_value(f"ldtd/ignored/{kind}")
            return
        reason = failure.type.__name__ if failure.type else "error"
        if hasattr(failure.value, "response") and failure.value.response is not None:
            reason = f"HTTP {failure.value.response.status}"
        self.crawler.stats.inc_value(f"ldtd/fetch_failed/{kind}")
        self.crawler.stats.inc_value(f"ldtd/fetch_failed_reason/{reason}")
        if policy.is_walk_page(kind, self.plan.full_walk):
            self._walk_hole(self.canonical(request.meta.get("ldtd_requested", request.url)), reason)
        if kind == "article":
            yield FetchFailed(url=self.canonical(request.meta.get("ldtd_requested", request.url)),
                              article_id=request.meta.get("ldtd_article_id"), reason=reason)

    def _walk_hole(self, url: str, reason: str) -> None:
        """A page the walk needed failed: a hole the next run fills by walking the listings again, unless
        it is given up (`policy.walk_hole`)."""
        if url in self.walk_failed:
            return
        n, given_up = policy.walk_hole(self.plan, url, self.state.walk_failures)
        stats = self.crawler.stats
        if len(self.walk_failed) < 1000:  # (the run's record stays small; the rest count as holes)
            self.walk_failed[url] = n  # (recorded with the run by the archive's pipeline)
        if given_up:
            stats.inc_value("ldtd/walk_given_up")
            self.logger.warning("giving up on %s: failed in %d runs in a row (%s); no longer a hole in the walk",
                                url, n, reason)
        else:
            stats.inc_value("ldtd/walk_gaps")

    def closed(self, reason):
        view = getattr(self, "view", None)
        if view is not None:
            view.close()


def _rfc822(text: str) -> datetime | None:
    try:
        d = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=HANOI)
    return d
