"""The laodongthudo.vn spider: navigation only.

Where articles are found: the home page, the category and subcategory menus, every listing's
pagination (rel=next, the paging container, "Xem thêm", BRSR/page offsets: whatever a page
offers), sitemaps advertised by robots.txt, RSS/Atom feeds advertised by `<link rel=alternate>`,
and links between articles. An article is recognised by its URL (`scraper.urls.article_id`),
never by class names. What a page says is the parser's business (`ParsePipeline`), storing it the
archive's (`ArchivePipeline`); this module only decides what to request.

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

import functools
import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.etree
from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from scraper.crawl.state import ArchiveView, parse_iso
from scraper.items import FetchFailed, PageItem, kept_headers
from scraper.parsing.text import HANOI, now_iso
from scraper.urls import CANONICAL_BASE, canonical_url, is_site_host
from scraper.urls import article_id as _article_id

# Pages repeat the same links (menus, sidebars): the URL rules are memoised.
article_id = functools.lru_cache(maxsize=200_000)(_article_id)

GONE_STATUSES = [404, 410]

# A listing path: /cat or /cat/sub (lower-case slug segments), nothing else.
_LISTING_PATH = re.compile(r"^/[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)?/?$")
# First path segments that are never listings of articles to archive.
_NOT_LISTINGS = {
    "tag", "tags", "search", "tim-kiem", "rss", "rss_feed", "lien-he", "gioi-thieu", "quang-cao",
    "dang-nhap", "login", "user", "api", "static", "stores", "assets", "media", "images", "css", "js",
}
# Paging inside a listing URL: MasterCMS puts queries in the path (/thoi-su&s_cond=&BRSR=16).
_PAGE_SUFFIX = re.compile(r"(?:/(?:trang|page|p)[-/]?\d+(?:\.html?)?)$")
_OFFSET_KEYS = ("brsr", "page", "p", "trang", "offset", "start")
# Parameters that move through a listing (anything else, e.g. &mobile=yes, is another view of it).
_PAGING_KEYS = set(_OFFSET_KEYS) | {"by-date", "bydate", "before", "after", "cursor", "from", "s_cond"}
_NEXT_TEXTS = {"xem thêm", "trang sau", "tiếp", "tiếp theo", "sau", "next", "»", "›", ">", ">>", "more"}
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
_HREF = re.compile(r"""<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_DATE_IN_TEXT = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b")


@functools.lru_cache(maxsize=100_000)
def listing_key(url: str) -> str | None:
    """The listing a URL pages through ("/thoi-su" for "/thoi-su&s_cond=&BRSR=16",
    "/thoi-su?page=2", "/thoi-su/trang-2.html"), or None when it is not a listing URL."""
    parts = urlsplit(url)
    if not is_site_host(parts.hostname):
        return None
    path = parts.path.split("&", 1)[0]
    path = _PAGE_SUFFIX.sub("", path) or "/"
    if path == "/":
        return "/"
    if not _LISTING_PATH.match(path) or article_id(CANONICAL_BASE + path) is not None:
        return None
    if path.strip("/").split("/", 1)[0] in _NOT_LISTINGS:
        return None
    return path.rstrip("/")


def page_params(url: str) -> dict[str, str]:
    """Paging parameters of a listing URL, wherever the CMS put them (query or path)."""
    parts = urlsplit(url)
    raw = "&".join(x for x in (parts.path.partition("&")[2], parts.query) if x)
    params = {k.lower(): v for k, v in parse_qsl(raw, keep_blank_values=True)}
    m = re.search(r"/(?:trang|page|p)[-/]?(\d+)(?:\.html?)?$", parts.path.split("&", 1)[0])
    if m:
        params.setdefault("page", m.group(1))
    return params


def page_offset(url: str) -> int | None:
    params = page_params(url)
    for key in _OFFSET_KEYS:
        if params.get(key, "").isdigit():
            return int(params[key])
    return None


def is_first_page(url: str) -> bool:
    return not page_params(url)


def is_page_one(url: str) -> bool:
    """An explicit link to a listing's first page (&page=1, /trang-1, BRSR=0): not a next page."""
    params = page_params(url)
    for key in ("page", "p", "trang"):
        if params.get(key) == "1":
            return True
    return any(params.get(key) == "0" for key in ("brsr", "offset", "start"))


class LaodongthudoSpider(SitemapSpider):
    name = "laodongthudo"
    allowed_domains = ["laodongthudo.vn"]  # plus the mirror: scraper.crawl.middlewares.SiteOnlyOffsiteMiddleware
    since_source: str | None = None  # where self.since came from when --since was not given: "resume", "floor"
    planned_full: bool | None = None  # plan()'s walk decision
    periodic_last: str | None = None  # a periodic full walk: when the last one was

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.plan(crawler.settings)
        spider.configure(crawler.settings)
        # its view of the archive opens with the spider (after the pipelines have recorded the run), not
        # in start(): Scrapy's parse command replaces start() and calls the callbacks directly
        crawler.signals.connect(spider._open_state, signal=signals.spider_opened)
        return spider

    def plan(self, settings) -> None:
        """What this run does, decided before the settings freeze so that the pipeline records it with
        the run (crawl_runs.args):
        - where it stops going back when `--since` was not given (LDTD_SINCE, which also keeps what the
          site dates earlier out of the archive): the `--since D` of an interrupted backfill this run
          completes, else (incremental) the archive's lower bound (`ArchiveView.lower_bound`);
        - whether it walks every listing to its end (LDTD_WALK "full"): a backfill, a first crawl, a
          run completing an interrupted one, and (LDTD_FULL_WALK_DAYS) an incremental run when the last
          full walk is older than that."""
        self.since_source = None
        self.planned_full = None
        self.periodic_last = None
        if settings.frozen:
            return
        mode = (settings.get("LDTD_MODE") or "incremental").lower()
        since = None
        view = ArchiveView.open(settings.get("LDTD_DB") or "archive.db")
        try:
            resume = view.resume_point()
            if mode != "backfill" and not settings.get("LDTD_SINCE"):
                if resume and resume["mode"] == "backfill":
                    since, self.since_source = resume.get("since_arg"), "resume"
                else:
                    since, self.since_source = view.lower_bound(), "floor"
            backfill = mode == "backfill" or bool(resume and resume["mode"] == "backfill")
            full = backfill or resume is not None or not view.has_complete_run()
            days = settings.getfloat("LDTD_FULL_WALK_DAYS", 7)
            if not full and days > 0:
                now = parse_iso(settings.get("LDTD_NOW") or "") or datetime.now(HANOI)
                last = view.last_full_walk()
                if last is None or last <= now - timedelta(days=days):
                    full = True
                    self.periodic_last = last.isoformat() if last else "never"
            self.planned_full = full
        finally:
            view.close()
        settings.set("LDTD_WALK", "full" if full else "incremental", priority="cmdline")
        if since is None:
            self.since_source = None
        else:
            settings.set("LDTD_SINCE", since.date().isoformat(), priority="cmdline")

    # -- configuration -------------------------------------------------------------------------
    def configure(self, settings) -> None:
        self.base = (settings.get("LDTD_BASE_URL") or "").rstrip("/") or None
        self.mode = (settings.get("LDTD_MODE") or "incremental").lower()
        if self.mode not in ("incremental", "backfill"):
            raise ValueError(f"LDTD_MODE must be incremental or backfill, not {self.mode!r}")
        self.db_path = settings.get("LDTD_DB") or "archive.db"
        self.recrawl_days = settings.getfloat("LDTD_RECRAWL_DAYS", 3)
        now = settings.get("LDTD_NOW") or ""
        self.now = parse_iso(now) if now else datetime.now(HANOI)
        if self.now is None:
            raise ValueError(f"LDTD_NOW must be an ISO 8601 date-time (e.g. 2026-11-25T18:00:00+07:00), not {now!r}")
        since = settings.get("LDTD_SINCE") or ""
        self.since = datetime.fromisoformat(since).replace(tzinfo=HANOI) if since else None
        if self.since and self.since.tzinfo is None:
            self.since = self.since.replace(tzinfo=HANOI)
        self.window_start = self.now - timedelta(days=self.recrawl_days)
        self.follow_related = settings.getbool("LDTD_FOLLOW_RELATED", True)
        self.requested_ids: set[int] = set()
        self.requested_urls: dict[int, set[str]] = {}  # the URLs each id was asked for under
        self.fetched_ok: set[int] = set()  # ids answered 200 in this run
        self.floor_id: int | None = None
        # this run's own mode, and (set from the run log when the crawl opens) the work of unfinished runs
        self.backfill = self.mode == "backfill"
        self.resume_since: datetime | None = None  # when the unfinished run(s) this one completes began
        self.completing_backfill = False  # one of them was a backfill: it completes that too
        # a navigation page failing run after run (a dead menu link) stops counting as a hole in the
        # walk after this many consecutive runs (else every run would be a full walk for ever)
        self.walk_give_up = max(1, settings.getint("LDTD_WALK_GIVE_UP", 3))
        self.walk_failed: dict[str, int] = {}  # page that failed in this run -> consecutive runs failing
        self.queued: set[str] = set()  # listing, feed and sitemap URLs already asked for
        self._links: dict = {}

    # -- archive state -------------------------------------------------------------------------
    def _open_state(self) -> None:
        run_id = getattr(self.crawler, "ldtd_run_id", None)
        self.view = ArchiveView.open(self.db_path)
        resume = self.view.resume_point(exclude_run=run_id)
        self.resume_since = resume["since"] if resume else None
        # resuming adds the unfinished run's work to this run's own, never replaces it: an incremental
        # run completing a backfill still checks its recrawl window, gone articles and sitemap dates
        self.completing_backfill = bool(resume and resume["mode"] == "backfill")
        stats = self.crawler.stats
        # pages the last finished run could not fetch, with how many runs in a row they failed
        self.prev_walk_failed = self.view.walk_failures(exclude_run=run_id)
        stats.set_value("ldtd/walk_gaps", 0)
        if self.since_source == "floor":
            self.floor_id = self.view.first_id_since(self.since)
            stats.set_value("ldtd/lower_bound", self.since.isoformat())
        elif self.since_source == "resume":
            stats.set_value("ldtd/resumed_since", self.since.isoformat())
        # Listings are walked to the end unless an earlier complete walk makes stopping safe.
        # (now and then every listing is walked to its end anyway, only unknown articles fetched: an
        # article that appears deep in a listing, out of order, is found without a sitemap or feed)
        self.full_walk = self.planned_full if self.planned_full is not None else (
            self.backfill or resume is not None or not self.view.has_complete_run(run_id))
        if self.periodic_last:
            stats.set_value("ldtd/periodic_full_walk", self.periodic_last)
        stats.set_value("ldtd/mode", "backfill" if self.backfill else "incremental")
        stats.set_value("ldtd/walk", "full" if self.full_walk else "incremental")
        if resume:
            stats.set_value("ldtd/resumed_from", resume["since"])
            stats.set_value("ldtd/completes", resume["mode"])
        self.logger.info(
            "mode=%s walk=%s window_start=%s since=%s resume_since=%s completes=%s",
            "backfill" if self.backfill else "incremental",
            "full" if self.full_walk else "incremental",
            self.window_start.isoformat(), self.since, self.resume_since, resume["mode"] if resume else None,
        )

    def _known(self, ids) -> dict[int, dict]:
        return self.view.known(ids) if ids else {}

    # -- start ---------------------------------------------------------------------------------
    async def start(self):
        yield Request(f"{CANONICAL_BASE}/robots.txt", callback=self.parse_robots,
                      meta={"dont_obey_robotstxt": True, "ldtd_kind": "robots"}, priority=20,
                      errback=self.on_error)
        yield self._listing_request(f"{CANONICAL_BASE}/", root="/", seen=frozenset(), source="home")
        # the recrawl window, in every run: articles of the last N days, whether or not a listing still
        # shows them (a backfill or a resumed walk only reaches what the listings show: not a deletion)
        for row in self.view.recent(self.window_start.isoformat()):
            req = self._article_request(row["url"], source="recrawl", aid=row["id"])
            if req:
                yield req
        if self.resume_since:
            # links from articles the interrupted run stored, to articles it did not get to
            for url in self.view.dangling_links(self.resume_since):
                aid = article_id(url)
                if aid and aid not in self.view.known([aid]):
                    req = self._article_request(url, source="resume", aid=aid)
                    if req:
                        yield req

    # -- decisions -------------------------------------------------------------------------------
    def wanted(self, aid: int, known: dict | None, signal: datetime | None = None, url: str | None = None,
               source: str = "") -> bool:
        """Is this article to be fetched in this run? `signal`: a date the site gives for it (sitemap
        lastmod, feed date); `url`: where the site links it now; `source`: what links it
        ("listing", "sitemap", "feed")."""
        if aid in self.requested_ids:
            # asked for already, but the site links it under another URL than the archived one (renamed):
            # the archived URL's answer (a 404) must not keep the new URL from being fetched
            return bool(url and known and known.get("url") and url != known["url"]
                        and url not in self.requested_urls.get(aid, ()))
        if self.since and signal and signal < self.since:
            return False  # the site dates it before --since (a sitemap lastmod is never before publication)
        if known is None:
            return not self._before_floor(aid)
        if known.get("refetch"):
            return True  # archived from a transfer that may have cut the page: until a whole copy comes
        if url and known.get("url") and url != known["url"]:
            return True  # the site links it under another URL now (a redirected, renamed article)
        published = parse_iso(known.get("published_at"))
        last = parse_iso(known.get("last_fetched_at"))
        newer = bool(signal and last and signal > last)  # the site dates it after the archived copy
        before_since = bool(self.since and published and published < self.since)
        # fetched by the unfinished run(s) this one completes: done, as far as their work goes
        resumed_done = bool(self.resume_since and last and last >= self.resume_since)
        if self.backfill:
            # everything back to --since (the recrawl window is asked for at the start, like every run's)
            return not before_since and (not resumed_done or newer)
        if self.completing_backfill and not resumed_done and not before_since:
            return True  # the backfill this run completes had not fetched it yet
        # this run's own incremental work, resuming or not
        if published and published >= self.window_start:
            return True
        if known.get("gone_at"):
            # a 404 may have been transient: rechecked whenever a listing links it again, or a
            # sitemap/feed lists it undated or dated after it went (a 200 that parses clears the mark)
            gone = parse_iso(known["gone_at"])
            return source == "listing" or signal is None or bool(gone and signal > gone)
        return newer

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
                yield Request(url, callback=self.parse_sitemap, errback=self.on_error, priority=5,
                              meta={"ldtd_kind": "sitemap"})

    def parse_sitemap(self, response):
        body = self._get_sitemap_body(response)
        if not body:
            self.logger.warning("Ignoring invalid sitemap: %s", response)
            return
        sitemap = Sitemap(body)
        entries = list(sitemap)
        if sitemap.type == "sitemapindex":
            cutoff = None if self.full_walk else self.window_start
            for entry in entries:
                url = self.canonical(entry.get("loc", ""))
                if not is_site_host(urlsplit(url).hostname):
                    continue
                lastmod = parse_iso(entry.get("lastmod"))
                last_run = self.view.last_complete_start()
                # an incremental run skips child sitemaps unchanged since the window and last run
                if cutoff and lastmod and lastmod < min(cutoff, last_run or cutoff):
                    self.crawler.stats.inc_value("ldtd/sitemaps_skipped")
                    continue
                yield Request(url, callback=self.parse_sitemap, errback=self.on_error, priority=5,
                              meta={"ldtd_kind": "sitemap"})
            return
        if sitemap.type != "urlset":
            return
        urls = [(self.canonical(e.get("loc", "")), parse_iso(e.get("lastmod"))) for e in entries]
        yield from self._consider_articles(urls, source="sitemap")
        for url, _ in urls:
            root = listing_key(url)
            if root and article_id(url) is None and is_first_page(url) and root != "/":
                yield self._listing_request(url, root=root, seen=frozenset(), source="sitemap")

    # -- feeds -------------------------------------------------------------------------------------
    def parse_feed(self, response):
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

        # feeds advertised in <head>: every one in a full walk; in an incremental run the home page's
        # (category feeds repeat the first listing pages the run reads anyway)
        feeds = self.full_walk or (root == "/" and is_first_page(here))
        for link in tree.iter("link") if feeds else ():
            href = (link.get("href") or "").strip()
            if not href or "alternate" not in (link.get("rel") or "").lower():
                continue
            ctype = (link.get("type") or "").lower()
            if ctype in _FEED_TYPES or "rss" in href.lower():
                url = self.canonical(urljoin(base, href))
                if is_site_host(urlsplit(url).hostname) and self._once(url):
                    yield Request(url, callback=self.parse_feed, errback=self.on_error, priority=5,
                                  meta={"ldtd_kind": "feed"})

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
            if url in self.queued:
                continue
            key = listing_key(url)
            if key and key != "/" and key != root and is_first_page(url) and self._once(url):
                yield self._listing_request(url, root=key, seen=frozenset(), source="menu")

        # the articles this page offers
        fresh = [aid for aid in articles if aid not in seen]
        ask = [aid for aid, url in articles.items() if aid not in self.requested_ids or aid not in seen
               or url not in self.requested_urls.get(aid, ())]
        known = self._known(ask)
        shown = self._shown_dates(response) if self.since else {}
        for aid, url in articles.items():
            if self.wanted(aid, known.get(aid), signal=shown.get(aid), url=url, source="listing"):
                req = self._article_request(url, source="listing", aid=aid, again=True)
                if req:
                    yield req

        # go on to the next page?
        if not fresh:
            stats.inc_value("ldtd/listing_end")
            return
        if not self._keep_paging(fresh, known, response):
            stats.inc_value("ldtd/listing_stopped_early")
            return
        next_pages = self._next_pages(response, here, root, anchors)
        page = response.meta.get("ldtd_page", 1)
        new_seen = seen | frozenset(articles)
        for url in next_pages:
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

    def _before_floor(self, aid: int) -> bool:
        """An undated id below every archived id since the archive's lower bound (ids grow with time)."""
        return self.floor_id is not None and aid < self.floor_id

    def _keep_paging(self, fresh, known, response) -> bool:
        if self.since:
            dates = self._listing_dates(response, fresh, known)
            if dates and all(d < self.since for d in dates):
                return False
            if self.floor_id is not None and all(self._before_floor(a) for a in fresh if a not in known):
                if not any(a in known for a in fresh):
                    return False  # only undated ids older than the archive's lower bound
        if self.full_walk:
            return True
        for aid in fresh:
            row = known.get(aid)
            if row is None:
                if self._before_floor(aid):
                    continue
                return True  # new to the archive
            published = parse_iso(row.get("published_at"))
            if published and published >= self.window_start:
                return True
        return False  # only archived articles older than the window: the rest is archived

    def _listing_dates(self, response, fresh, known) -> list[datetime]:
        """Dates of this page's own articles: archived publication dates, else the date shown
        in the listing item around the link."""
        shown = self._shown_dates(response)
        dates = []
        for aid in fresh:
            published = parse_iso((known.get(aid) or {}).get("published_at")) or shown.get(aid)
            if published:
                dates.append(published)
        return dates

    def _shown_dates(self, response) -> dict[int, datetime]:
        """{article id: the date (DD/MM/YYYY) shown in its listing item}: the nearest ancestor of the
        link (4 levels at most) that holds a date and no link to another article."""
        cached = response.meta.get("_ldtd_shown")
        if cached is not None:
            return cached
        shown: dict[int, datetime] = {}
        base = response.url
        for a in response.selector.root.iter("a"):
            link = self._canonical_link(base, (a.get("href") or "").strip())
            aid = article_id(link) if link else None
            if aid is None or aid in shown:
                continue
            node = a
            for _ in range(4):
                node = node.getparent()
                if node is None:
                    break
                others = {article_id(u) for u in (self._canonical_link(base, (x.get("href") or "").strip())
                                                  for x in node.iter("a")) if u} - {None, aid}
                if others:
                    break
                text = " ".join(node.itertext())
                if len(text) > 2000:
                    break
                m = _DATE_IN_TEXT.search(text)
                if m:
                    d, mo, y = (int(x) for x in m.groups())
                    try:
                        shown[aid] = datetime(y, mo, d, tzinfo=HANOI)
                    except ValueError:
                        pass
                    break
        response.meta["_ldtd_shown"] = shown
        return shown

    def _next_pages(self, response, here: str, root: str, anchors) -> list[str]:
        """The next page(s) of this listing, whatever the page offers: rel=next, offsets
        (BRSR=, page=), "Xem thêm"-like links, the last link of a paging container."""
        candidates: dict[str, set[str]] = {}

        def add(url: str, why: str):
            if url != here and listing_key(url) == root and not is_first_page(url) and \
                    set(page_params(url)) & _PAGING_KEYS and not is_page_one(url):
                candidates.setdefault(url, set()).add(why)

        tree = response.selector.root
        for href in tree.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href"):
            add(self.canonical(urljoin(response.url, href.strip())), "rel")
        for url, a in anchors:
            if listing_key(url) != root:
                continue
            text = re.sub(r"\s+", " ", " ".join(a.itertext())).strip().lower()
            if text in _NEXT_TEXTS or (a.get("title") or "").strip().lower() in _NEXT_TEXTS:
                add(url, "text")
            else:
                add(url, "offset" if page_offset(url) is not None else "other")
        for container in () if candidates else tree.xpath(
            "//*[contains(@class,'PAGING') or contains(@class,'paging') or contains(@class,'pagination')]"
        ):
            links = container.xpath(".//a/@href")
            if links:
                add(self.canonical(urljoin(response.url, links[-1].strip())), "container")
        if not candidates:
            return []
        if self.full_walk:
            return list(candidates)  # every page link: the dupefilter keeps each page to one fetch
        current = page_offset(here) or 0
        for why in ("rel",):
            chosen = [u for u, w in candidates.items() if why in w]
            if chosen:
                return chosen[:1]
        ahead = [(page_offset(u), u) for u in candidates if (page_offset(u) or -1) > current]
        if ahead:
            return [min(ahead)[1]]
        for why in ("text", "container", "other"):
            chosen = [u for u, w in candidates.items() if why in w]
            if chosen:
                return chosen[:1]
        return []

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
        if item.gone and item.article_id in self.fetched_ok:
            # the archived (old) URL of an article this run already got under its new URL: not gone
            self.crawler.stats.inc_value("ldtd/gone_superseded")
            return
        if not item.gone and status == 200:
            self.fetched_ok.add(item.article_id)
        yield item
        if item.gone or not isinstance(response, TextResponse):
            return
        if not self.follow_related or (self.since and self.floor_id is None):
            return  # (under --since, links to older articles would lead back past the date)
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
            if lid is not None and lid not in self.requested_ids:
                if self.floor_id is not None and lid < self.floor_id:
                    continue  # older than the archive's lower bound (ids grow with time)
                links.setdefault(lid, link)
        if not links:
            return
        known = self._known(list(links))
        for lid, link in links.items():
            row = known.get(lid)
            # from an article page: unknown articles (and, in a backfill, whatever it still wants)
            if row is None or ((self.backfill or self.completing_backfill) and not self.since
                               and self.wanted(lid, row)):
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
        if kind in ("listing", "sitemap", "feed") or (kind == "article" and getattr(self, "full_walk", False)):
            self._walk_hole(self.canonical(request.meta.get("ldtd_requested", request.url)), reason)
        if kind == "article":
            yield FetchFailed(url=self.canonical(request.meta.get("ldtd_requested", request.url)),
                              article_id=request.meta.get("ldtd_article_id"), reason=reason)

    def _walk_hole(self, url: str, reason: str) -> None:
        """A page the walk needed failed: a hole the next run fills by walking the listings again, unless
        the page has failed in `LDTD_WALK_GIVE_UP` runs in a row (then it is logged and no longer
        counted: a dead link must not make every run a full walk for ever)."""
        if url in self.walk_failed:
            return
        n = getattr(self, "prev_walk_failed", {}).get(url, 0) + 1
        stats = self.crawler.stats
        if len(self.walk_failed) < 1000:  # (the run's errors stay small; the rest count as holes)
            self.walk_failed[url] = n
            stats.set_value("ldtd/walk_failed", dict(self.walk_failed))
        if n >= self.walk_give_up:
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
    from email.utils import parsedate_to_datetime

    try:
        d = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=HANOI)
    return d
