"""Item pipelines: parse the fetched article pages, then store them in the archive and record the run.

`ParsePipeline` turns a `PageItem`'s raw body into an `Article` with `parse_page`; a `ParseError` is
recorded on the item (with its reason), never raised. `ArchivePipeline` records the run
(`scraper.storage.runs`), hands the items to a `Writer` (`scraper.crawl.writers`: a store process, a
writer thread or inline; with the store process, the default on more than one core, parsing happens
there too and its stats come back with each transaction) and, at the end, decides the run's outcome
and writes its record.

A batch is one transaction: a run killed mid-batch loses that batch whole (the next run fetches
those articles again), never half of an article.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from scraper.crawl.writers import MAX_FAILURES_KEPT, Written, open_writer, parse_page, parse_stats, writer_kind
from scraper.items import FetchFailed, PageItem
from scraper.storage import runs
from scraper.storage.archive import Archive
from scraper.storage.runs import Failure, RunRecord

logger = logging.getLogger(__name__)

# Sent (with `record`) when a run's record could not be written (its disk was full): the crawl lock
# (`scraper.crawl.run.CrawlLockExtension`) leaves it for the next run, which writes it.
run_unrecorded = object()

# the images pipeline's counts in the run's summary: stat key (ldtd/images/KEY), label
IMAGE_COUNTS = (("stored", "stored"), ("already_stored", "of them already in the store"),
                ("not_modified", "unchanged (304)"), ("too_large", "too large"), ("offsite", "off-site, not fetched"),
                ("failed", "failed"))

WALK_INCOMPLETE = "walk incomplete: {} pages it needed could not be fetched; the next run walks the listings again"


class ParsePipeline:
    """Parses article pages inline, in the crawling process, unless the archive is written by the store
    process (`LDTD_STORE_PROCESS`), which parses what it stores, off the reactor (but not when images are
    archived, `LDTD_IMAGES`: their URLs are needed here)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.parse_here = True

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        archive = self.crawler.get_item_pipeline(ArchivePipeline)
        # the images pipeline needs the article's images before it is stored: parsed here then
        self.parse_here = (archive is None or archive.writer_kind != "process"
                           or self.crawler.settings.getbool("LDTD_IMAGES"))

    async def process_item(self, item, spider=None):
        if not self.parse_here or not isinstance(item, PageItem) or item.gone or item.article is not None:
            return item
        item.article, item.error = parse_page(item.body, item.url)
        for key in parse_stats(item.article, item.error):
            self.stats.inc_value(key)
        return item


def decide_outcome(parsed: int, parse_failed: int, pages_ok: int, reason: str, fail_ratio: float,
                   untemplated: int = 0, walk_gaps: int = 0, fetch_failed: int = 0,
                   storage_failed: str | None = None) -> tuple[str, list[str]]:
    """"ok"; "degraded" (archived, but mostly without a site template: the site changed); "failed"; or
    "interrupted"; with why. A finished run whose walk has holes (pages it needed could not be fetched)
    stays "ok" but says so in why (WALK_INCOMPLETE): the next run walks the listings to the end again, as
    after an interruption. `storage_failed` (what the archive answered, e.g. a full disk) fails the run
    whatever else happened: what it fetched was not all stored."""
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


class ArchivePipeline:
    """Records the run, stores its items through a `Writer` (`writer_kind`: the store process, a writer
    thread, or inline) and, when the spider closes, its outcome. What the spider planned (its `plan`:
    the walk, --since) and the holes its walk left (`walk_failed`) go into the run's record."""

    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.db_path = s.get("LDTD_DB")
        self.batch_size = max(1, s.getint("LDTD_BATCH_SIZE"))
        self.fail_ratio = s.getfloat("LDTD_FAIL_RATIO")
        self.writer_kind = writer_kind(s)
        self.writer = None
        self.since: str | None = None  # --since as a time: articles the site dates earlier are not kept
        self.record: RunRecord | None = None
        self.written = Written()
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        pipe = cls(crawler)
        # the close reason (finished, shutdown, ...) is only known at spider_closed, after close_spider
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    # -- lifecycle ---------------------------------------------------------------------------------
    def open_spider(self, spider=None):
        s = self.crawler.settings
        plan = getattr(self.crawler.spider, "plan", None)
        since = plan.since.date().isoformat() if plan is not None and plan.since else s.get("LDTD_SINCE") or None
        self.since = f"{since}T00:00:00+07:00" if since else None
        self.record = RunRecord(
            mode=plan.mode if plan is not None else s.get("LDTD_MODE"), base_url=s.get("LDTD_BASE_URL") or None, since=since,
            recrawl_days=s.getfloat("LDTD_RECRAWL_DAYS"), now=s.get("LDTD_NOW") or None,
            walk=plan.walk if plan is not None else None,
        )
        with Archive.open(self.db_path) as archive:  # (migrated here, before any writer opens it)
            runs.start(archive.db, self.record)
        self.writer = open_writer(self.writer_kind, self.db_path, self.record.id, self.since, self._add,
                                  batch_size=self.batch_size, parse_process=s.getbool("LDTD_PARSE_PROCESS"))

    async def process_item(self, item, spider=None):
        if not isinstance(item, (PageItem, FetchFailed)):
            return item
        if self.since and isinstance(item, PageItem) and item.article is not None and \
                (item.article.published_at or "9") < self.since:
            self.crawler.stats.inc_value("ldtd/skipped_before_since")
            return item
        await self.writer.put(item)
        if self.writer.failure:
            self._stop_on_storage_failure()
        return item

    def _stop_on_storage_failure(self) -> None:
        """A write failed (full disk, I/O error, a bug in the store process): the run fails and stops; what
        it fetched and could not store is fetched again by the next run."""
        if self.stopping:
            return
        self.stopping = True
        logger.error("storing failed (%s): stopping the crawl", self.writer.failure)
        self.crawler.stats.set_value("ldtd/storage_failed", self.writer.failure)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="storage_failed"))

    def close_spider(self, spider=None):
        if self.writer is not None:
            self.writer.flush()

    def spider_closed(self, spider, reason):
        if self.record is None or self.record.id is None or self.record.outcome != "running":
            return  # (the run was never recorded, or is already)
        if self.writer is not None:
            try:
                self.writer.flush()
            finally:
                self.writer.close()
        self.finish(reason, spider)

    def _add(self, written: Written) -> None:
        """Add what a written batch changed to the run's (any thread: the writer's, or the reactor's)."""
        self.written.counts.update(written.counts)
        self.written.reasons.update(written.reasons)
        room = MAX_FAILURES_KEPT - len(self.written.failures)
        if room > 0:
            self.written.failures.extend(written.failures[:room])
        for key, n in written.stats.items():
            self.crawler.stats.inc_value(key, n)

    # -- the run's record --------------------------------------------------------------------------
    def finish(self, reason: str, spider=None) -> None:
        stats, record, done = self.crawler.stats, self.record, self.written.counts
        pages_ok = stats.get_value("downloader/response_status_count/200", 0)
        parsed = stats.get_value("ldtd/parsed", 0)
        parse_failed = sum(v for k, v in stats.get_stats().items() if k.startswith("ldtd/parse_failed/"))
        untemplated = parsed - stats.get_value("ldtd/parsed_by/selectors", 0)
        # pages whose loss leaves a hole the next incremental run would not look for (the spider counts
        # them, leaving out pages failing run after run, given up): listings, sitemaps and feeds always;
        # articles too when this run was walking everything
        walk_gaps = stats.get_value("ldtd/walk_gaps")
        if walk_gaps is None:
            walk_gaps = sum(stats.get_value(f"ldtd/fetch_failed/{kind}", 0) for kind in ("listing", "sitemap", "feed"))
            if record.walk == "full":
                walk_gaps += stats.get_value("ldtd/fetch_failed/article", 0)
        failure, lost = (self.writer.failure, self.writer.lost) if self.writer is not None else (
            "the archive's writer could not start", 0)
        storage_failed = failure and (
            f"{failure}; {lost} fetched pages not stored, the next run fetches them again")
        outcome, why = decide_outcome(parsed, parse_failed, pages_ok, reason, self.fail_ratio, untemplated, walk_gaps,
                                      fetch_failed=stats.get_value("ldtd/fetch_failed/article", 0),
                                      storage_failed=storage_failed)
        record.outcome = outcome
        record.counts = {"requests": stats.get_value("downloader/request_count", 0),
                         **{k: done[k] for k in ("new", "updated", "unchanged", "gone", "failed", "rejected")}}
        record.failures = ([Failure(w) for w in why]
                           + [Failure(r, count=n) for r, n in self.written.reasons.most_common()]
                           + self.written.failures)
        record.walk_incomplete = walk_gaps if outcome == "ok" else 0
        record.storage_failed = lost if failure else None
        record.holes = dict(getattr(spider, "walk_failed", None) or {})
        record.sitemaps_read = dict(getattr(spider, "sitemaps_read", None) or {})
        summary = record.summary = self._summary(record, why)
        try:
            with Archive.open(self.db_path, migrate=False) as archive:
                runs.finish(archive.db, record)
        except Exception as e:  # the disk is too full even for that: the next run records it
            logger.error("the record of run %s could not be written (%s): the next run records it", record.id, e)
            self.crawler.signals.send_catch_log(signal=run_unrecorded, record=record)
            summary += "; its record could not be written, the next run records it"
        stats.set_value("ldtd/outcome", outcome)
        stats.set_value("ldtd/summary", summary)
        stats.set_value("ldtd/run_id", record.id)
        for k, v in record.counts.items():
            stats.set_value(f"ldtd/count/{k}", v)
        logger.info("ldtd run %s %s", record.id, summary)

    def _images_summary(self) -> str:
        """The images pipeline's counts (scraper.crawl.images), when it ran."""
        if not self.crawler.settings.getbool("LDTD_IMAGES"):
            return ""
        stats = self.crawler.stats
        parts = [f"{stats.get_value(f'ldtd/images/{key}', 0)} {label}" for key, label in IMAGE_COUNTS
                 if key == "stored" or stats.get_value(f"ldtd/images/{key}", 0)]
        return "; images: " + ", ".join(parts)

    def _summary(self, record: RunRecord, why: list[str]) -> str:
        stats, counts, conflicts = self.crawler.stats, record.counts, self.written.counts["conflicts"]
        offsite = stats.get_value("offsite/filtered", 0)
        moved = stats.get_value("ldtd/moved_offsite", 0)  # redirects off the site, not followed (middlewares)
        return (
            f"{record.outcome}: {counts['requests']} requests, {counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['gone']} gone, {counts['failed']} failed"
            + (f", {counts['rejected']} rejected" if counts["rejected"] else "")
            # pages that said they are an archived article with other text (see crawl_runs.errors)
            + (f", {conflicts} conflicting" if conflicts else "")
            + (f", {offsite} offsite filtered" if offsite else "")
            + (f", {moved} moved off-site" if moved else "")
            + self._images_summary()
            + (f" ({'; '.join(why)})" if why else "")
        )
