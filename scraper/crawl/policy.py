"""The crawl's decisions, as pure functions of what the archive says (`ArchiveState`, read once when a
run starts) and of what a page or URL says: what this run is (`plan`: backfill or incremental, whether
it walks every listing to its end, where it stops going back, what unfinished run it completes), which
articles it requests (`wanted`, `follow_link`, `resume_additions`), when a listing's paging stops
(`keep_paging`, `next_pages`), which child sitemaps and feeds it reads, and which failed pages are holes
in its walk (`walk_hole`). No Scrapy, no I/O: the spider (`spiders/laodongthudo.py`) reads the pages and
the archive, asks here, and yields the requests.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urljoin, urlsplit

from scraper import settings as defaults
from scraper.clock import HANOI, parse_iso
from scraper.urls import CANONICAL_BASE, is_site_host
from scraper.urls import article_id as _article_id

# Pages repeat the same links (menus, sidebars): the URL rules are memoised.
article_id = functools.lru_cache(maxsize=200_000)(_article_id)

# -- listing URLs ---------------------------------------------------------------------------------------
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
_DATE_IN_TEXT = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b")
PAGING_CONTAINERS = "//*[contains(@class,'PAGING') or contains(@class,'paging') or contains(@class,'pagination')]"


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


def is_new_listing(url: str, root: str) -> bool:
    """A menu link to another listing's first page (to be walked from there)."""
    key = listing_key(url)
    return bool(key) and key != "/" and key != root and is_first_page(url)


# -- what the archive says, what the operator asked -------------------------------------------------------
@dataclass(frozen=True)
class Resume:
    """The latest runs did not finish (killed, interrupted, a full disk) or left holes in their walk."""
    since: datetime  # when the earliest of them started
    mode: str  # "backfill" if any of them was one, else "incremental"
    since_arg: datetime | None = None  # the --since of the backfill(s) being completed (None: to the beginning)


@dataclass(frozen=True)
class ArchiveState:
    """What the run log says when a run starts (read once, by the spider, from `scraper.storage.runs.RunLog`)."""
    has_complete_run: bool = False  # an earlier run walked the listings to their end
    resume: Resume | None = None
    lower_bound: datetime | None = None  # the --since the archive's history was built back to
    last_full_walk: datetime | None = None
    last_complete_start: datetime | None = None
    walk_failures: Mapping[str, int] = field(default_factory=dict)  # page -> runs in a row it failed
    # sitemap/feed URL -> {etag, last_modified, sha256} of the last clean run's reading of it
    sitemap_validators: Mapping[str, Mapping] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    """The run's settings (`LDTD_*`), read once; their defaults are scraper/settings.py's."""
    mode: str = defaults.LDTD_MODE
    since: datetime | None = None  # --since (LDTD_SINCE), start of that day in Hanoi
    now: datetime = field(default_factory=lambda: datetime.now(HANOI))
    recrawl_days: float = defaults.LDTD_RECRAWL_DAYS
    full_walk_days: float = defaults.LDTD_FULL_WALK_DAYS
    follow_related: bool = defaults.LDTD_FOLLOW_RELATED
    walk_give_up: int = defaults.LDTD_WALK_GIVE_UP

    @classmethod
    def from_settings(cls, settings) -> "Options":
        mode = (settings.get("LDTD_MODE") or "").lower()
        if mode not in ("incremental", "backfill"):
            raise ValueError(f"LDTD_MODE must be incremental or backfill, not {mode!r}")
        raw_now = settings.get("LDTD_NOW") or ""
        now = parse_iso(raw_now) if raw_now else datetime.now(HANOI)
        if now is None:
            raise ValueError(f"LDTD_NOW must be an ISO 8601 date-time (e.g. 2026-11-25T18:00:00+07:00), not {raw_now!r}")
        return cls(mode=mode, since=since_date(settings.get("LDTD_SINCE") or ""), now=now,
                   recrawl_days=settings.getfloat("LDTD_RECRAWL_DAYS"),
                   full_walk_days=settings.getfloat("LDTD_FULL_WALK_DAYS"),
                   follow_related=settings.getbool("LDTD_FOLLOW_RELATED"),
                   walk_give_up=max(1, settings.getint("LDTD_WALK_GIVE_UP")))


def since_date(text: str) -> datetime | None:
    """A `--since` date (YYYY-MM-DD) as the start of that day in Hanoi."""
    return datetime.fromisoformat(text).replace(tzinfo=HANOI) if text else None


# -- the plan ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """What this run does: decided once, before it starts (`plan`)."""
    mode: str
    now: datetime
    window_start: datetime  # the recrawl window: articles published since then are refetched
    since: datetime | None  # nothing dated before it is requested, no listing paged past it
    since_source: str | None  # where `since` came from when --since was not given: "resume", "floor"
    full_walk: bool  # every listing walked to its end
    periodic_last: str | None  # a periodic full walk: when the last one was (ISO, or "never")
    resume_since: datetime | None  # when the unfinished run(s) this one completes began
    resume_mode: str | None
    follow_related: bool = True
    floor_id: int | None = None  # under the archive's lower bound: the smallest id archived since it
    walk_give_up: int = 3

    @property
    def backfill(self) -> bool:
        return self.mode == "backfill"

    @property
    def completing_backfill(self) -> bool:
        """Resuming adds an unfinished backfill's work to this run's own, never replaces it."""
        return self.resume_mode == "backfill"

    @property
    def walk(self) -> str:
        return "full" if self.full_walk else "incremental"

    def with_floor(self, floor_id: int | None) -> "Plan":
        return replace(self, floor_id=floor_id)


def plan(state: ArchiveState, opts: Options) -> Plan:
    """The run's plan. Where it stops going back when --since was not given: the --since of an
    interrupted backfill it completes, else (incremental) the archive's lower bound. Whether it walks
    every listing to its end: a backfill, a first crawl, a run completing an unfinished one, and
    (`full_walk_days`) an incremental run whose last full walk is that old."""
    resume = state.resume
    since, source = opts.since, None
    if opts.mode != "backfill" and opts.since is None:
        if resume and resume.mode == "backfill":
            since, source = resume.since_arg, "resume"
        else:
            since, source = state.lower_bound, "floor"
        # (stored as a date, like --since: the start of that day in Hanoi)
        since = since_date(since.date().isoformat()) if since else None
    full = opts.mode == "backfill" or resume is not None or not state.has_complete_run
    periodic_last = None
    if not full and opts.full_walk_days > 0:
        last = state.last_full_walk
        if last is None or last <= opts.now - timedelta(days=opts.full_walk_days):
            full = True
            periodic_last = last.isoformat() if last else "never"
    return Plan(mode=opts.mode, now=opts.now, window_start=opts.now - timedelta(days=opts.recrawl_days),
                since=since, since_source=source if since else None, full_walk=full, periodic_last=periodic_last,
                resume_since=resume.since if resume else None, resume_mode=resume.mode if resume else None,
                follow_related=opts.follow_related, walk_give_up=opts.walk_give_up)


# -- which articles --------------------------------------------------------------------------------------------
def before_floor(p: Plan, aid: int) -> bool:
    """An undated id below every archived id since the archive's lower bound (ids grow with time)."""
    return p.floor_id is not None and aid < p.floor_id


def wanted(p: Plan, aid: int, known: dict | None, signal: datetime | None = None, url: str | None = None,
           source: str = "", asked: Collection[str] | None = None) -> bool:
    """Is this article to be fetched in this run? `known`: its archive row (None: not archived);
    `signal`: a date the site gives for it (sitemap lastmod, feed date); `url`: where the site links it
    now; `source`: what links it ("listing", "sitemap", "feed"); `asked`: the URLs this run has asked
    for it under already (None: not asked for yet)."""
    if asked is not None:
        # asked for already, but the site links it under another URL than the archived one (renamed):
        # the archived URL's answer (a 404) must not keep the new URL from being fetched
        return bool(url and known and known.get("url") and url != known["url"] and url not in asked)
    if p.since and signal and signal < p.since:
        return False  # the site dates it before --since (a sitemap lastmod is never before publication)
    if known is None:
        return not before_floor(p, aid)
    if known.get("refetch"):
        return True  # archived from a transfer that may have cut the page: until a whole copy comes
    if url and known.get("url") and url != known["url"]:
        return True  # the site links it under another URL now (a redirected, renamed article)
    published = parse_iso(known.get("published_at"))
    last = parse_iso(known.get("last_fetched_at"))
    newer = bool(signal and last and signal > last)  # the site dates it after the archived copy
    before_since = bool(p.since and published and published < p.since)
    # fetched by the unfinished run(s) this one completes: done, as far as their work goes
    resumed_done = bool(p.resume_since and last and last >= p.resume_since)
    if p.backfill:
        # everything back to --since (the recrawl window is asked for at the start, like every run's)
        return not before_since and (not resumed_done or newer)
    if p.completing_backfill and not resumed_done and not before_since:
        return True  # the backfill this run completes had not fetched it yet
    # this run's own incremental work, resuming or not
    if published and published >= p.window_start:
        return True
    if known.get("gone_at"):
        # a 404 may have been transient: rechecked whenever a listing links it again, or a
        # sitemap/feed lists it undated or dated after it went (a 200 that parses clears the mark)
        gone = parse_iso(known["gone_at"])
        return source == "listing" or signal is None or bool(gone and signal > gone)
    return newer


def follows_links(p: Plan) -> bool:
    """Does this run follow links between articles? (Under --since without a floor, links to older
    articles would lead back past the date.)"""
    return p.follow_related and not (p.since and p.floor_id is None)


def linked_id_worth_a_look(p: Plan, lid: int) -> bool:
    """A link from an article page to article `lid`, not asked for yet: worth looking up in the archive?"""
    return not before_floor(p, lid)  # older than the archive's lower bound (ids grow with time)


def follow_link(p: Plan, lid: int, known: dict | None) -> bool:
    """From an article page: unknown articles (and, in a backfill, whatever it still wants)."""
    return known is None or ((p.backfill or p.completing_backfill) and not p.since and wanted(p, lid, known))


def recrawl_since(p: Plan) -> str:
    """The recrawl window's start, for the archive's query (every run refetches its window, listed or not)."""
    return p.window_start.isoformat()


def resume_additions(p: Plan, dangling: Iterable[str], archived: Collection[int]) -> list[tuple[int, str]]:
    """(id, URL) of the articles an interrupted run would have followed next: links from what it stored
    (`dangling`: links to articles not archived) that are still not archived, and that a run follows
    (`follows_links`, `linked_id_worth_a_look`: not past --since, or the archive's lower bound)."""
    if not p.resume_since or not follows_links(p):
        return []
    out = []
    for url in dangling:
        aid = article_id(url)
        if aid and aid not in archived and linked_id_worth_a_look(p, aid):
            out.append((aid, url))
    return out


def superseded(gone: bool, aid: int | None, fetched_ok: Collection[int]) -> bool:
    """A gone answer for an article this run already got under its new URL (the archived, old URL): not gone."""
    return gone and aid in fetched_ok


# -- listings -------------------------------------------------------------------------------------------------
def reads_feeds(p: Plan, root: str, here: str) -> bool:
    """Feeds advertised in a listing's <head>: every one in a full walk; in an incremental run the home
    page's (category feeds repeat the first listing pages the run reads anyway)."""
    return p.full_walk or (root == "/" and is_first_page(here))


def listing_dates(fresh: Iterable[int], known: Mapping[int, dict], shown: Mapping[int, datetime]) -> list[datetime]:
    """Dates of a page's own articles: archived publication dates, else the date shown in the listing item."""
    dates = []
    for aid in fresh:
        published = parse_iso((known.get(aid) or {}).get("published_at")) or shown.get(aid)
        if published:
            dates.append(published)
    return dates


def keep_paging(p: Plan, fresh: list[int], known: Mapping[int, dict], shown: Mapping[int, datetime]) -> bool:
    """Go on to the listing's next page, after a page showing `fresh` (its articles not on earlier pages)?"""
    if not fresh:
        return False  # the listing's end
    if p.since:
        dates = listing_dates(fresh, known, shown)
        if dates and all(d < p.since for d in dates):
            return False
        if p.floor_id is not None and all(before_floor(p, a) for a in fresh if a not in known):
            if not any(a in known for a in fresh):
                return False  # only undated ids older than the archive's lower bound
    if p.full_walk:
        return True
    for aid in fresh:
        row = known.get(aid)
        if row is None:
            if before_floor(p, aid):
                continue
            return True  # new to the archive
        published = parse_iso(row.get("published_at"))
        if published and published >= p.window_start:
            return True
    return False  # only archived articles older than the window: the rest is archived


def shown_dates(tree, article_of) -> dict[int, datetime]:
    """{article id: the date (DD/MM/YYYY) shown in its listing item}: the nearest ancestor of the link
    (4 levels at most) that holds a date and no link to another article. `article_of(href)`: the article
    id an href points to, or None."""
    shown: dict[int, datetime] = {}
    for a in tree.iter("a"):
        aid = article_of((a.get("href") or "").strip())
        if aid is None or aid in shown:
            continue
        node = a
        for _ in range(4):
            node = node.getparent()
            if node is None:
                break
            others = {article_of((x.get("href") or "").strip()) for x in node.iter("a")} - {None, aid}
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
    return shown


def next_page_candidates(tree, page_url: str, here: str, root: str, anchors, canonical) -> dict[str, set[str]]:
    """The links a listing page offers to its own next pages, each with why it looks like one ("rel",
    "text", "offset", "other", "container"). `anchors`: (canonical URL, <a>) of the page's on-site
    non-article links; `canonical(url)`: the canonical form of a URL found on the page."""
    candidates: dict[str, set[str]] = {}

    def add(url: str, why: str):
        if url != here and listing_key(url) == root and not is_first_page(url) and \
                set(page_params(url)) & _PAGING_KEYS and not is_page_one(url):
            candidates.setdefault(url, set()).add(why)

    for href in tree.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href"):
        add(canonical(urljoin(page_url, href.strip())), "rel")
    for url, a in anchors:
        if listing_key(url) != root:
            continue
        text = re.sub(r"\s+", " ", " ".join(a.itertext())).strip().lower()
        if text in _NEXT_TEXTS or (a.get("title") or "").strip().lower() in _NEXT_TEXTS:
            add(url, "text")
        else:
            add(url, "offset" if page_offset(url) is not None else "other")
    for container in () if candidates else tree.xpath(PAGING_CONTAINERS):
        links = container.xpath(".//a/@href")
        if links:
            add(canonical(urljoin(page_url, links[-1].strip())), "container")
    return candidates


def next_pages(p: Plan, here: str, candidates: Mapping[str, set[str]]) -> list[str]:
    """Which of the candidates to request: in a full walk every page link (the dupefilter keeps each page
    to one fetch); else one: rel=next, else the smallest offset ahead, else a "next"-like link."""
    if not candidates:
        return []
    if p.full_walk:
        return list(candidates)
    current = page_offset(here) or 0
    chosen = [u for u, w in candidates.items() if "rel" in w]
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


# -- sitemaps ----------------------------------------------------------------------------------------------------
def skip_child_sitemap(p: Plan, lastmod: datetime | None, last_complete_start: datetime | None) -> bool:
    """An incremental run skips child sitemaps unchanged since the window and the last finished run."""
    if p.full_walk or lastmod is None:
        return False
    return lastmod < min(p.window_start, last_complete_start or p.window_start)


def conditional_headers(p: Plan, remembered: Mapping | None) -> dict[str, str]:
    """The If-None-Match / If-Modified-Since headers for a sitemap or feed the last clean run read whole
    (`remembered`: its validators), so an unchanged one costs a bodiless 304. None in a full walk: a
    backfill, a periodic or a resuming full walk reads every entry again."""
    if p.full_walk or not remembered:
        return {}
    return validator_headers(remembered)


def validator_headers(validators: Mapping) -> dict[str, str]:
    """If-None-Match with the ETag a copy came with, If-Modified-Since with its Last-Modified (either
    may be missing): what asks a server for a page, sitemap or image only if it changed since that copy."""
    headers = {}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def sitemap_unchanged(p: Plan, status: int, sha256: str | None, remembered: Mapping | None) -> bool:
    """Are a sitemap's or feed's entries the ones the last clean run handed on, so this run skips them? A 304
    (it was asked conditionally; there is nothing to read anyway), or in an incremental walk the same bytes
    (a server that ignores the validators)."""
    if status == 304:
        return True
    return not p.full_walk and bool(remembered and sha256 and remembered.get("sha256") == sha256)


def remembers_sitemap(p: Plan, kind: str, listings: int) -> bool:
    """Are the validators of a sitemap (`kind`: "urlset", "sitemapindex") or feed ("feed") read whole worth
    keeping, so the next incremental run skips its entries if it has not changed? Not an index's (its
    children are read through it) nor those of a sitemap naming listings (a listing's pages change while the
    sitemap naming it does not; the run walks them every time); nor any of an incremental run the operator
    limited with --since: it left alone entries the next run would want (a backfill's --since is the
    archive's lower bound, which the next runs keep)."""
    if not p.backfill and p.since and p.since_source is None:
        return False
    return kind in ("urlset", "feed") and not listings


def sitemap_listing(url: str) -> str | None:
    """A listing's first page found in a sitemap (to be walked): its listing key, else None."""
    root = listing_key(url)
    if root and article_id(url) is None and is_first_page(url) and root != "/":
        return root
    return None


# -- holes in the walk ---------------------------------------------------------------------------------------------
def is_walk_page(kind: str, full_walk: bool) -> bool:
    """A failed page the walk needed: listings, sitemaps and feeds; articles too in a full walk."""
    return kind in ("listing", "sitemap", "feed") or (kind == "article" and full_walk)


def walk_hole(p: Plan, url: str, previous: Mapping[str, int]) -> tuple[int, bool]:
    """A walk page failed: (runs in a row it has failed now, given up). Given up after `walk_give_up`
    runs in a row: logged, and no longer a hole (a dead link must not make every run a full walk)."""
    n = previous.get(url, 0) + 1
    return n, n >= p.walk_give_up
