"""Item pipelines: parse the fetched article pages, then store them in the archive.

`ParsePipeline` turns a `PageItem`'s raw body into an `Article` with `parse_article`; a
`ParseError` is recorded on the item (with its reason), never raised. `ArchivePipeline` writes
through `scraper.storage.Archive` in batched transactions (`LDTD_BATCH_SIZE` items, and at
close; in the store process, `scraper.crawl.writers`, what has arrived up to that many), records
the run in `crawl_runs` and decides its outcome. With the store process on (the default on more
than one core), parsing happens there too and its stats come back with each transaction.

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


def parse_stats(article, error) -> list[str]:
    """The Scrapy stats one parse adds (counted in the crawling process, wherever it parsed)."""
    if article is not None:
        keys = ["ldtd/parsed"]
        strategy = getattr(getattr(article, "extraction", None), "strategy", None)
        if strategy:
            keys.append(f"ldtd/parsed_by/{strategy}")
        return keys
    return [f"ldtd/parse_failed/{error.split(':', 1)[0].split()[-1]}"]


def store_process_enabled(settings) -> bool:
    """LDTD_STORE_PROCESS: parse and store in a forked process (`scraper.crawl.writers`); "auto"
    (default): when there is more than one core to run it on."""
    import multiprocessing

    value = settings.get("LDTD_STORE_PROCESS")
    if value in (None, "", "auto"):
        on = (os.cpu_count() or 1) > 1
    else:
        on = settings.getbool("LDTD_STORE_PROCESS")
    return on and "fork" in multiprocessing.get_all_start_methods()


def parse_page(body: bytes, url: str):
    """(article, error): parse_article with its documented errors (and any parser bug) turned into
    a reason. A module function so that the store process's parser can run it."""
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
    """Parses article pages inline, in the crawling process, when there is no store process (one
    core); with the store process (`LDTD_STORE_PROCESS`) it passes them on: the store process
    parses what it stores, off the reactor."""

    def __init__(self, stats, crawler=None):
        self.stats = stats
        self.crawler = crawler
        import scraper.parsing  # noqa: F401  (imported before the store process forks)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler=crawler)

    async def process_item(self, item, spider=None):
        if not isinstance(item, PageItem) or item.gone or item.article is not None:
            return item
        if getattr(self.crawler, "ldtd_parse_in_store", False):
            return item  # the store process parses it (ArchivePipeline started one)
        item.article, item.error = parse_page(item.body, item.url)
        for key in parse_stats(item.article, item.error):
            self.stats.inc_value(key)
        return item


def decide_outcome(counts: dict, parsed: int, parse_failed: int, pages_ok: int, reason: str,
                   fail_ratio: float, untemplated: int = 0, walk_gaps: int = 0,
                   fetch_failed: int = 0, storage_failed: str | None = None) -> tuple[str, list[str]]:
    """"ok"; "degraded" (archived, but mostly without a site template: the site changed);
    "failed"; or "interrupted"; with why. A finished run whose walk has holes (pages it needed
    could not be fetched) stays "ok" but says so in why (WALK_INCOMPLETE): the next run walks the
    listings to the end again, as after an interruption. `storage_failed` (what the archive answered,
    e.g. a full disk) fails the run whatever else happened: what it fetched was not all stored."""
    if storage_failed:
        return "failed", [f"storage failed: {storage_failed}"]
    why = []
    if reason not in ("finished",):
        return "interrupted", [f"run ended early: {reason}"]
    if pages_ok == 0:
        why.append("nothing could be fetched")
    attempts = parsed + parse_failed
    if attempts and parse_failed / attempts > fail_ratio:
        why.append(f"the parser failed on {parse_failed} of {attempts} article pages (site redesign?)")
    # article requests that got no usable answer (403/5xx after retries, timeouts): the site blocks or
    # is down for articles while its listings still answer; failed like a parser failing on most pages
    fetches = attempts + fetch_failed
    if fetches and fetch_failed / fetches > fail_ratio:
        why.append(f"{fetch_failed} of {fetches} article fetches failed (blocked or down?)")
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
    """Stores items through `Archive` in batches, at most two batches in flight. Where: in the store
    process (`LDTD_STORE_PROCESS`, default when there is more than one core: it parses and stores, so
    the crawling process only navigates; `scraper.crawl.writers`); else from one writer thread
    (`LDTD_WRITER_THREAD`, default on: SQLite and zlib release the GIL, so storing overlaps the
    crawl); else inline in the reactor's thread."""

    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.db_path = s.get("LDTD_DB") or "archive.db"
        self.batch_size = max(1, s.getint("LDTD_BATCH_SIZE", 10))
        self.fail_ratio = s.getfloat("LDTD_FAIL_RATIO", 0.5)
        since = s.get("LDTD_SINCE") or ""
        # --since: articles the site dates earlier (reached through undated boxes) are not kept
        self.since = f"{since}T00:00:00+07:00" if since else None
        self.use_process = store_process_enabled(s)
        self.store = None  # the StoreProcess, when use_process
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="ldtd-write") if s.getbool(
            "LDTD_WRITER_THREAD", True) and not self.use_process else None
        self.batch_writer = None
        self.pending: list = []
        self.buffer: list = []
        self.counts = Counter()
        self.errors: list[dict] = []
        self.reasons = Counter()
        self.archive = None
        self.run_id = None
        self.storage_failed: str | None = None  # what the archive answered when a write failed (disk full...)
        self.not_stored = 0  # items lost with it (the next run fetches them again)

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
            "walk": s.get("LDTD_WALK") or None,  # the spider's plan (full walk or not): read back by crawl_state
        }
        self.run_id = self._call(self._open, s.get("LDTD_MODE") or "incremental", args)
        self.crawler.ldtd_run_id = self.run_id  # the spider skips its own run when reading the log
        if self.use_process:
            from scraper.crawl.writers import StoreProcess

            self._close()  # (no SQLite connection across the fork; the run's record is written at the end)
            self.store = StoreProcess(self.db_path, self.run_id, self.since, self._apply,
                                      max_in_flight=2 * self.batch_size, batch_size=self.batch_size,
                                      parse_process=self.crawler.settings.getbool("LDTD_PARSE_PROCESS", True))
            self.crawler.ldtd_parse_in_store = True  # ParsePipeline leaves parsing to the store process

    def _open(self, mode, args):
        from scraper.storage.archive import Archive
        from scraper.crawl.writers import BatchWriter

        self.archive = Archive.open(self.db_path)
        run_id = self.archive.start_run(mode, args)
        self.batch_writer = BatchWriter(self.archive, run_id, None)
        return run_id

    async def process_item(self, item, spider=None):
        if self.since and isinstance(item, PageItem) and item.article is not None and \
                (item.article.published_at or "9") < self.since:
            self.crawler.stats.inc_value("ldtd/skipped_before_since")
            return item
        if self.store is not None and isinstance(item, (PageItem, FetchFailed)):
            # each item at once: the store process makes its own transactions of what has arrived
            if self.storage_failed:
                self.not_stored += 1  # the run is stopping: nothing more can be stored
            else:
                try:
                    await self.store.send([item])
                except RuntimeError:
                    self._fail_storage(self.store.failure)
        elif isinstance(item, (PageItem, FetchFailed)):
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
        if self.storage_failed:
            self._stop_on_storage_failure()
        return item

    def _fail_storage(self, error) -> None:
        """A write failed (full disk, I/O error, a bug in the store process): the run fails and stops;
        what it fetched and could not store is fetched again by the next run. Any thread."""
        if self.storage_failed is None:
            lines = [line.strip() for line in str(error or "unknown error").splitlines() if line.strip()]
            self.storage_failed = (lines[-1] if lines else "unknown error")[:300]
            if len(lines) > 1:  # the store process's traceback
                logger.error("the store process failed:\n%s", error)

    def _stop_on_storage_failure(self) -> None:
        if getattr(self, "_stopping", False):
            return
        self._stopping = True
        from scrapy.utils.defer import deferred_from_coro

        logger.error("storing failed (%s): stopping the crawl", self.storage_failed)
        self.crawler.stats.set_value("ldtd/storage_failed", self.storage_failed)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="storage_failed"))

    def close_spider(self, spider=None):
        self.flush()

    def flush(self):
        items, self.buffer = self.buffer, []
        if self.store is not None:
            try:
                if items and not self.storage_failed:
                    self.store.send_now(items)
                self.store.drain()
            except RuntimeError:
                self._fail_storage(self.store.failure)
            return
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
            if self.store is not None:
                from scraper.storage.archive import Archive

                if self.storage_failed:
                    self.not_stored += self.store.sent - self.store.done  # sent, never committed
                self.store.close()
                self.store = None
                try:
                    self.archive = Archive.open(self.db_path, migrate=False)
                except Exception:  # finish() says the record could not be written
                    logger.exception("reopening %s to record the run failed", self.db_path)
            self._call(self.finish, reason)
        finally:
            if self.store is not None:
                self.store.close()
                self.store = None
            self._call(self._close)
            if self.writer is not None:
                self.writer.shutdown(wait=True)
            self.run_id = None

    def _close(self):
        if self.archive is not None:
            self.archive.close()
            self.archive = None

    # -- writing (in the writer thread; the store process runs the same BatchWriter) -----------------
    def _write(self, items):
        if self.storage_failed:
            self.not_stored += len(items)
            return
        try:
            self.batch_writer.write(items)
        except Exception as e:  # the batch's transaction was rolled back whole
            logger.exception("storing a batch of %d items failed", len(items))
            self._fail_storage(f"{type(e).__module__}.{type(e).__name__}: {e}")
            self.not_stored += len(items)
            return
        self._apply(self.batch_writer.take())

    def _apply(self, result: dict) -> None:
        """Add a written batch's counts, errors and stats to the run's."""
        self.counts.update(result["counts"])
        self.reasons.update(result["reasons"])
        room = MAX_ERRORS_KEPT - len(self.errors)
        if room > 0:
            self.errors.extend(result["errors"][:room])
        for key, n in result["stats"].items():
            self.crawler.stats.inc_value(key, n)

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
        if stats.get_value("ldtd/walk_gaps") is not None:
            walk_gaps = stats.get_value("ldtd/walk_gaps")  # the spider's count: pages failing run after run given up
        storage_failed = self.storage_failed and (
            f"{self.storage_failed}; {self.not_stored} fetched pages not stored, the next run fetches them again")
        outcome, why = decide_outcome(self.counts, parsed, parse_failed, pages_ok, reason, self.fail_ratio,
                                      untemplated, walk_gaps,
                                      fetch_failed=stats.get_value("ldtd/fetch_failed/article", 0),
                                      storage_failed=storage_failed)
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
        moved = stats.get_value("ldtd/moved_offsite", 0)  # redirects off the site, not followed (middlewares)
        summary = (
            f"{outcome}: {counts['requests']} requests, {counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['gone']} gone, {counts['failed']} failed"
            + (f", {counts['rejected']} rejected" if counts["rejected"] else "")
            # pages that said they are an archived article with other text (see crawl_runs.errors)
            + (f", {self.counts['conflicts']} conflicting" if self.counts["conflicts"] else "")
            + (f", {offsite} offsite filtered" if offsite else "")
            + (f", {moved} moved off-site" if moved else "")
            + (f" ({'; '.join(why)})" if why else "")
        )
        errors = [{"reason": r, "count": n} for r, n in self.reasons.most_common()] + self.errors
        if why:
            errors = [{"reason": w} for w in why] + errors
        if walk_gaps and outcome == "ok":
            errors[0]["walk_incomplete"] = walk_gaps  # read back by scraper.crawl.state
        if storage_failed:
            errors[0]["storage_failed"] = self.not_stored  # read back by scraper.crawl.state: the run ended early
        walk_failed = stats.get_value("ldtd/walk_failed")
        if walk_failed:  # read back by scraper.crawl.state: how many runs in a row each page has failed
            errors.append({"reason": f"walk: {len(walk_failed)} pages failed", "walk_failed": walk_failed})
        try:
            self.archive.finish_run(self.run_id, outcome, counts=counts, errors=errors, summary=summary)
        except Exception as e:  # the disk is too full even for that: the next run records it
            logger.error("the record of run %s could not be written (%s): the next run records it", self.run_id,
                         e if self.archive is not None else "the archive could not be opened")
            # CrawlLockExtension leaves it beside the archive, for the next run (scraper.crawl)
            stats.set_value("ldtd/unrecorded", {"run": self.run_id, "outcome": outcome, "summary": summary,
                                                "errors": errors[:3]})
            summary += "; its record could not be written, the next run records it"
        stats.set_value("ldtd/outcome", outcome)
        stats.set_value("ldtd/summary", summary)
        stats.set_value("ldtd/run_id", self.run_id)
        for k, v in counts.items():
            stats.set_value(f"ldtd/count/{k}", v)
        logger.info("ldtd run %s %s", self.run_id, summary)
