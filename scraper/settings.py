"""Scrapy settings of the ldtd-archive crawler.

Polite by default (the real site is a newspaper's, run by a small team): AutoThrottle on, a
small per-domain concurrency, robots.txt obeyed (its Crawl-delay included), an honest user agent
with a contact URL.
Everything is overridable with `-s NAME=VALUE` (`ldtd crawl` or `scrapy crawl`); against the
local replica, politeness is switched off (see `scraper.crawl.run.FAST_SETTINGS`).

Project settings (prefix LDTD_):
  LDTD_DB             path of the SQLite archive (default archive.db)
  LDTD_BASE_URL       a mirror of the site (e.g. http://127.0.0.1:8765); requests for
                      laodongthudo.vn go there, stored URLs stay canonical. Empty: the real site.
  LDTD_MODE           "incremental" (default) or "backfill"
  LDTD_SINCE          YYYY-MM-DD: backfill only back to this date
  LDTD_RECRAWL_DAYS   refetch articles published in the last N days (default 3)
  LDTD_NOW            ISO datetime taken as "now" (tests and replays); empty: the clock
  LDTD_FOLLOW_RELATED follow links to unknown articles found on article pages (default True)
  LDTD_BATCH_SIZE     items written per storage transaction (default 10)
  LDTD_STORE_PROCESS  parse and store in one forked process fed raw pages through a pipe, so the
                      crawling process only navigates ("auto", the default: when there is more than
                      one core; measured on 2 cores: the archive crawl ~45-50 % of the bare crawl's
                      rate instead of ~37 %, see bench/README.md); off: parsed inline, stored
                      as LDTD_WRITER_THREAD says
  LDTD_PARSE_PROCESS  with the store process: parse in a process of its own ahead of it, in order
                      (default True: a page is parsed while the one before is stored)
  LDTD_WRITER_THREAD  store from one writer thread, overlapping the crawl (default True)
  LDTD_STATS_JSON     write the run's outcome, summary and Scrapy stats to this JSON file
  LDTD_RETRY_AFTER_MAX the longest Retry-After (seconds) a retry waits for (default 120)
  LDTD_FAIL_RATIO     a run fails when more than this share of fetched article pages do not
                      parse, or of article requests get no usable answer (default 0.5)
  LDTD_FULL_WALK_DAYS an incremental run walks every listing to its end (fetching only the articles
                      it does not know) when the last full walk is older than this many days
                      (default 7; 0: never)
  LDTD_CRAWL_DELAY_MAX the longest robots.txt Crawl-delay honoured, in seconds (default 60); the
                      Crawl-delay is the site's minimum delay unless DOWNLOAD_DELAY is given on the
                      command line (-s, or ldtd crawl --fast), which overrides it (both are logged)
  LDTD_WALK_GIVE_UP   a listing/sitemap/feed page that failed in this many runs in a row is logged
                      and no longer counted as a hole in the walk (which makes the next run walk
                      every listing again); default 3
  LDTD_IMAGES         download each archived article's images into the images store beside the
                      archive (<db>.images/, files named by the SHA-256 of their bytes; `ldtd crawl
                      --images`). Off by default: ~4 more requests per article page fetched, under
                      the same politeness (scraper/crawl/images.py)
  LDTD_IMAGE_MAXSIZE  the largest image downloaded, in bytes (default 10 MB); larger ones are cut
                      off and counted
"""

BOT_NAME = "ldtd"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- ldtd ---------------------------------------------------------------------------------
LDTD_DB = "archive.db"
LDTD_BASE_URL = ""
LDTD_MODE = "incremental"
LDTD_SINCE = ""
LDTD_RECRAWL_DAYS = 3
LDTD_NOW = ""
LDTD_FOLLOW_RELATED = True
LDTD_BATCH_SIZE = 10
LDTD_FAIL_RATIO = 0.5
LDTD_WALK_GIVE_UP = 3
LDTD_FULL_WALK_DAYS = 7
LDTD_STATS_JSON = ""
LDTD_STORE_PROCESS = "auto"
LDTD_PARSE_PROCESS = True
LDTD_WRITER_THREAD = True
LDTD_IMAGES = False
LDTD_IMAGE_MAXSIZE = 10 * 1024 * 1024
# an image that moved on the site is followed there (through SiteRedirectMiddleware: never off the site)
MEDIA_ALLOW_REDIRECTS = True

# --- identity and politeness --------------------------------------------------------------
USER_AGENT = (
    "ldtd-archive/0.1 (+https://github.com/ldtd-archive/ldtd-archive; archival crawler of "
    "laodongthudo.vn, contact via the project's issue tracker)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# A page that never ends is cut off; articles are well under 1 MB.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 10
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False

# one crawl at a time per archive (flock beside it), for `ldtd crawl` and `scrapy crawl` alike (a
# crawl with the archive's pipelines, LDTD_ARCHIVE_PIPELINES, below);
# robots.txt's Crawl-delay as the site's minimum delay (Scrapy parses it but does not apply it)
EXTENSIONS = {"scraper.crawl.run.CrawlLockExtension": 0, "scraper.crawl.middlewares.CrawlDelayExtension": 0}
# the longest robots.txt Crawl-delay honoured (seconds): a longer one is capped, and logged
LDTD_CRAWL_DELAY_MAX = 60

# --- off: nothing listens on a port during a crawl ----------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- machinery ----------------------------------------------------------------------------
# Scrapy starts this many asyncio workers for EVERY response's output (default 100: ~12k tasks for
# a 118-page crawl, the largest single overhead measured); a response yields one item at most.
CONCURRENT_ITEMS = 8
# Breadth-first: listings and new articles first, so an interrupted run has stored the newest.
DEPTH_PRIORITY = 0
SPIDER_MIDDLEWARES = {
    # map canonical requests onto the mirror before they are scheduled
    "scraper.crawl.middlewares.MirrorSpiderMiddleware": 950,
}
DOWNLOADER_MIDDLEWARES = {
    # the site only: laodongthudo.vn (and www.), plus the mirror; not sister subdomains
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scraper.crawl.middlewares.SiteOnlyOffsiteMiddleware": 50,
    # requests that reach the downloader for laodongthudo.vn (redirects) go to the mirror
    "scraper.crawl.middlewares.MirrorDownloaderMiddleware": 40,
    # retries that wait for Retry-After (429/503), in place of Scrapy's RetryMiddleware
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.crawl.middlewares.RetryAfterMiddleware": 550,
    # sees 3xx before RedirectMiddleware (600): a redirect loop fails with a reason, not silently
    "scraper.crawl.middlewares.RedirectLoopMiddleware": 650,
    # redirects and meta refreshes are followed on the site only; off it: recorded, "moved off-site"
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scraper.crawl.middlewares.SiteRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scraper.crawl.middlewares.SiteMetaRefreshMiddleware": 580,
}
# the longest Retry-After waited for; longer: the page fails with its status, the next run retries it
LDTD_RETRY_AFTER_MAX = 120
# The archive's item pipelines (parse; store and record the run), for crawls of the site only: `scrapy
# crawl` (this project's crawl command, scraper/commands/crawl.py) and `ldtd crawl` make them the
# ITEM_PIPELINES. Scrapy's other tools (shell, fetch, view, parse) run without them and never touch
# the archive (nor take the crawl lock, which goes with ArchivePipeline).
LDTD_ARCHIVE_PIPELINES = {
    "scraper.crawl.pipeline.ParsePipeline": 100,
    # off unless LDTD_IMAGES: downloads the article's images before it is stored
    "scraper.crawl.images.ImageFilesPipeline": 200,
    "scraper.crawl.pipeline.ArchivePipeline": 300,
}
COMMANDS_MODULE = "scraper.commands"

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
