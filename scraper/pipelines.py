"""Item pipelines: parse the fetched article pages, then store them in the archive.

`ParsePipeline` turns a `PageItem`'s raw body into an `Article` with `parse_article`; a
`ParseError` is recorded on the item (with its reason), never raised. `ArchivePipeline` writes
through `scraper.storage.Archive` in batched transactions (`LDTD_BATCH_SIZE` items, and at
close), records the run in `crawl_runs` and decides its outcome.

A batch is one transaction: a run killed mid-batch loses that batch whole (the next run fetches
those articles again), never half of an article.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from scraper.items import FetchFailed, PageItem

logger = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 200


def parse_page(body: bytes, url: str):
    """(article, error): parse_article with its documented errors (and any parser bug) turned into
    a reason. A module function so that worker processes can run it."""
    from scraper.parsing import parse_article
    from scraper.parsing.errors import ParseError

    try:
        return parse_article(body, url), None
    except ParseError as e:
        return None, f"{type(e).__name__}: {e}"[:300]
    except Exception as e:  # a parser bug must not stop the archive: counted as a failure
        logger.exception("parser crashed on %s", url)
        return None, f"crash {type(e).__name__}: {e}"[:300]


class ParsePipeline:
    """Parses article pages: in `LDTD_PARSE_PROCESSES` worker processes (the other cores; the
    reactor keeps crawling meanwhile), else in `LDTD_PARSE_THREADS` threads, else inline."""

    def __init__(self, stats, processes: int = 0, threads: int = 0):
        self.stats = stats
        import scraper.parsing  # noqa: F401  (imported before the workers fork)

        self.executor = None
        if processes > 0:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
            self.executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(method))
            # fork the workers now, while the crawl has started no thread of its own
            self.executor.submit(int, 0).result()
        elif threads > 0:
            self.executor = ThreadPoolExecutor(threads, thread_name_prefix="ldtd-parse")

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        processes = s.get("LDTD_PARSE_PROCESSES")
        if processes in (None, "", "auto"):
            processes = 1 if (os.cpu_count() or 1) > 1 else 0
        return cls(crawler.stats, int(processes), s.getint("LDTD_PARSE_THREADS", 0))

    async def process_item(self, item, spider=None):
        if not isinstance(item, PageItem) or item.gone or item.article is not None:
            return item
        if self.executor is None:
            item.article, item.error = parse_page(item.body, item.url)
        else:
            item.article, item.error = await asyncio.wrap_future(
                self.executor.submit(parse_page, item.body, item.url))
        # stats are counted here, in the reactor's thread
        if item.article is not None:
            self.stats.inc_value("ldtd/parsed")
            strategy = getattr(getattr(item.article, "extraction", None), "strategy", None)
            if strategy:
                self.stats.inc_value(f"ldtd/parsed_by/{strategy}")
        else:
            self.stats.inc_value(f"ldtd/parse_failed/{item.error.split(':', 1)[0].split()[-1]}")
        return item

    def close_spider(self, spider=None):
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def decide_outcome(counts: dict, parsed: int, parse_failed: int, pages_ok: int, reason: str,
                   fail_ratio: float, untemplated: int = 0, walk_gaps: int = 0) -> tuple[str, list[str]]:
    """"ok"; "degraded" (archived, but mostly without a site template: the site changed);
    "failed"; or "interrupted"; with why. A finished run whose walk has holes (pages it needed
    could not be fetched) stays "ok" but says so in why (WALK_INCOMPLETE): the next run walks the
    listings to the end again, as after an interruption."""
    why = []
    if reason not in ("finished",):
        return "interrupted", [f"run ended early: {reason}"]
    if pages_ok == 0:
        why.append("nothing could be fetched")
    attempts = parsed + parse_failed
    if attempts and parse_failed / attempts > fail_ratio:
        why.append(f"the parser failed on {parse_failed} of {attempts} article pages (site redesign?)")
    if why:
        return "failed", why
    if parsed and untemplated / parsed > fail_ratio:
        return "degraded", [f"site template changed? {untemplated} of {parsed} article pages matched no site "
                            "template and were archived by the generic extraction"]
    if walk_gaps:
        return "ok", [WALK_INCOMPLETE.format(walk_gaps)]
    return "ok", []


WALK_INCOMPLETE = "walk incomplete: {} pages it needed could not be fetched; the next run walks the listings again"


class ArchivePipeline:
    """Stores items through `Archive` in batches. The archive is used from one writer thread
    (`LDTD_WRITER_THREAD`, default on: SQLite and zlib release the GIL, so storing overlaps the
    crawl), at most two batches in flight; else inline in the reactor's thread."""

    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.db_path = s.get("LDTD_DB") or "archive.db"
        self.batch_size = max(1, s.getint("LDTD_BATCH_SIZE", 10))
        self.fail_ratio = s.getfloat("LDTD_FAIL_RATIO", 0.5)
        since = s.get("LDTD_SINCE") or ""
        # --since: articles the site dates earlier (reached through undated boxes) are not kept
        self.since = f"{since}T00:00:00+07:00" if since else None
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="ldtd-write") if s.getbool(
            "LDTD_WRITER_THREAD", True) else None
        self.pending: list = []
        self.buffer: list = []
        self.counts = Counter()
        self.errors: list[dict] = []
        self.reasons = Counter()
        self.archive = None
        self.run_id = None

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        pipe = cls(crawler)
        # the close reason (finished, shutdown, ...) is only known at spider_closed, after close_spider
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    def _call(self, fn, *args, **kw):
        """Run fn where the archive lives, and wait for it."""
        if self.writer is None:
            return fn(*args, **kw)
        return self.writer.submit(fn, *args, **kw).result()

    # -- lifecycle ---------------------------------------------------------------------------------
    def open_spider(self, spider=None):
        s = self.crawler.settings
        args = {
            "base_url": s.get("LDTD_BASE_URL") or None,
            "since": s.get("LDTD_SINCE") or None,
            "recrawl_days": s.getfloat("LDTD_RECRAWL_DAYS", 3),
            "now": s.get("LDTD_NOW") or None,
        }
        self.run_id = self._call(self._open, s.get("LDTD_MODE") or "incremental", args)
        self.crawler.ldtd_run_id = self.run_id  # the spider skips its own run when reading the log

    def _open(self, mode, args):
        from scraper.storage.archive import Archive

        self.archive = Archive.open(self.db_path)
        return self.archive.start_run(mode, args)

    async def process_item(self, item, spider=None):
        if self.since and isinstance(item, PageItem) and item.article is not None and \
                (item.article.published_at or "9") < self.since:
            self.crawler.stats.inc_value("ldtd/skipped_before_since")
            return item
        if isinstance(item, (PageItem, FetchFailed)):
            self.buffer.append(item)
            if len(self.buffer) >= self.batch_size:
                items, self.buffer = self.buffer, []
                if self.writer is None:
                    self._write(items)
                else:
                    self.pending = [f for f in self.pending if not f.done()]
                    self.pending.append(self.writer.submit(self._write, items))
                    if len(self.pending) > 2:  # back-pressure: never more than two batches waiting
                        await asyncio.wrap_future(self.pending[0])
        return item

    def close_spider(self, spider=None):
        self.flush()

    def flush(self):
        items, self.buffer = self.buffer, []
        if items:
            self._call(self._write, items)
        for f in self.pending:
            f.result()
        self.pending = []

    def spider_closed(self, spider, reason):
        if self.run_id is None:
            return
        try:
            self.flush()
            self._call(self.finish, reason)
        finally:
            self._call(self._close)
            if self.writer is not None:
                self.writer.shutdown(wait=True)
            self.run_id = None

    def _close(self):
        if self.archive is not None:
            self.archive.close()
            self.archive = None

    # -- writing (in the writer thread) ------------------------------------------------------------
    def _write(self, items):
        archive = self.archive
        with archive.batch():
            for item in items:
                self._store(archive, item)
        self.counts["batches"] += 1

    def _error(self, url, reason):
        self.counts["failed"] += 1
        key = reason.split(":", 1)[0]
        self.reasons[key] += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"url": url, "reason": reason})

    def _store(self, archive, item):
        if isinstance(item, FetchFailed):
            self._error(item.url, f"fetch: {item.reason}")
            return
        page_id = archive.record_fetch(
            item.url, item.body, status=item.status, headers=item.headers, fetched_at=item.fetched_at,
            article_id=item.article_id, run_id=self.run_id,
        )
        if item.gone:
            target = item.article_id
            if item.requested_url and item.status not in (404, 410):
                # redirected away from any article (e.g. to the home page): the article is gone
                from scraper.urls import article_id

                target = article_id(item.requested_url) or target
            if target is not None and archive.mark_gone(target, at=item.fetched_at):
                self.counts["gone"] += 1
            else:
                self.counts["gone_unknown"] += 1
            return
        if item.article is None:
            self._error(item.url, f"parse {item.error or 'no article'}")
            return
        result = archive.save_article(item.article, fetched_at=item.fetched_at, page_id=page_id,
                                      run_id=self.run_id)
        self.counts[result] += 1
        if result == "rejected":
            self.reasons["rejected"] += 1
            if len(self.errors) < MAX_ERRORS_KEPT:
                self.errors.append({"url": item.url, "reason": "rejected: would blank an archived record"})
        if item.requested_url:
            from scraper.urls import article_id

            old = article_id(item.requested_url)
            if old is not None and old != item.article.id:
                # an article redirected to another one: the old id is no longer on the site
                if archive.mark_gone(old, at=item.fetched_at):
                    self.counts["gone"] += 1
                self.counts["redirected"] += 1

    # -- the run's record --------------------------------------------------------------------------
    def finish(self, reason: str):
        stats = self.crawler.stats
        requests = stats.get_value("downloader/request_count", 0)
        pages_ok = stats.get_value("downloader/response_status_count/200", 0)
        parsed = stats.get_value("ldtd/parsed", 0)
        parse_failed = sum(v for k, v in stats.get_stats().items() if k.startswith("ldtd/parse_failed/"))
        untemplated = parsed - stats.get_value("ldtd/parsed_by/selectors", 0)
        # pages whose loss leaves a hole the next incremental run would not look for: listings,
        # sitemaps and feeds always; articles too when this run was walking everything
        walk_gaps = sum(stats.get_value(f"ldtd/fetch_failed/{kind}", 0) for kind in ("listing", "sitemap", "feed"))
        if stats.get_value("ldtd/walk") == "full":
            walk_gaps += stats.get_value("ldtd/fetch_failed/article", 0)
        outcome, why = decide_outcome(self.counts, parsed, parse_failed, pages_ok, reason, self.fail_ratio,
                                      untemplated, walk_gaps)
        counts = {
            "requests": requests,
            "new": self.counts["new"],
            "updated": self.counts["updated"],
            "unchanged": self.counts["unchanged"],
            "gone": self.counts["gone"],
            "failed": self.counts["failed"],
            "rejected": self.counts["rejected"],
        }
        offsite = stats.get_value("offsite/filtered", 0)
        summary = (
            f"{outcome}: {counts['requests']} requests, {counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['gone']} gone, {counts['failed']} failed"
            + (f", {counts['rejected']} rejected" if counts["rejected"] else "")
            + (f", {offsite} offsite filtered" if offsite else "")
            + (f" ({'; '.join(why)})" if why else "")
        )
        errors = [{"reason": r, "count": n} for r, n in self.reasons.most_common()] + self.errors
        if why:
            errors = [{"reason": w} for w in why] + errors
        if walk_gaps and outcome == "ok":
            errors[0]["walk_incomplete"] = walk_gaps  # read back by scraper.crawl_state
        self.archive.finish_run(self.run_id, outcome, counts=counts, errors=errors, summary=summary)
        stats.set_value("ldtd/outcome", outcome)
        stats.set_value("ldtd/summary", summary)
        stats.set_value("ldtd/run_id", self.run_id)
        for k, v in counts.items():
            stats.set_value(f"ldtd/count/{k}", v)
        logger.info("ldtd run %s %s", self.run_id, summary)
