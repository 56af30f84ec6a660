"""Run the crawler in this process (Scrapy's CrawlerProcess with the project settings).

The Twisted reactor cannot be restarted: one `run_crawl` per process (tests and the benchmark
start a subprocess per crawl).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field

# Politeness off: for a local mirror only (the replica on 127.0.0.1), never the real site.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}

EXIT_OK, EXIT_FAILED, EXIT_DEGRADED, EXIT_INTERRUPTED, EXIT_LOCKED = 0, 1, 2, 3, 4


class ArchiveLocked(RuntimeError):
    """Another crawl is writing this archive (an hourly cron run that overlaps a slow one)."""


@contextmanager
def crawl_lock(db_path: str):
    """Hold an exclusive lock beside the archive for the whole crawl.

    flock is released by the kernel when the process dies, so a killed run never leaves a stale lock;
    the lock file holds no state (the crawl's state lives in the archive).
    """
    import fcntl

    lock_path = f"{db_path}.crawl-lock"
    with open(lock_path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            raise ArchiveLocked(f"another crawl ({holder}) is writing {db_path}; this run did nothing") from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}")
        f.flush()
        try:
            yield
        finally:
            f.seek(0)
            f.truncate()


class CrawlLockExtension:
    """Takes `crawl_lock` for the crawl, whichever way it was started (`ldtd crawl`, `scrapy crawl
    laodongthudo`): built with the crawler's extensions, before the pipelines open the archive and
    record the run; released when the engine stops. When another crawl holds it, the crawl does not
    start (`crawler.ldtd_locked` says why; `run_crawl` reports it as the "locked" outcome). Off for
    crawls that store nothing (no ArchivePipeline: the benchmark's bare crawl)."""

    def __init__(self, crawler):
        from scrapy import signals

        self.lock = crawl_lock(crawler.settings.get("LDTD_DB") or "archive.db")
        try:
            self.lock.__enter__()
        except ArchiveLocked as e:
            crawler.ldtd_locked = str(e)
            raise
        crawler.signals.connect(self.release, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        if "scraper.pipelines.ArchivePipeline" not in crawler.settings.getwithbase("ITEM_PIPELINES"):
            raise NotConfigured
        return cls(crawler)

    def release(self):
        lock, self.lock = self.lock, None
        if lock is not None:
            lock.__exit__(None, None, None)


@dataclass
class CrawlResult:
    outcome: str  # ok | degraded | failed | interrupted
    summary: str
    stats: dict = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return {"ok": EXIT_OK, "degraded": EXIT_DEGRADED, "interrupted": EXIT_INTERRUPTED,
                "locked": EXIT_LOCKED}.get(
            self.outcome, EXIT_FAILED)


def parse_setting_pairs(pairs) -> dict:
    out = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"-s expects NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def project_settings(overrides: dict | None = None):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def crawl_settings(db=None, base_url=None, backfill=False, since=None, recrawl_days=None, extra=None) -> dict:
    s = {}
    if db:
        s["LDTD_DB"] = str(db)
    if base_url:
        s["LDTD_BASE_URL"] = base_url.rstrip("/")
    if backfill:
        s["LDTD_MODE"] = "backfill"
    if since:
        s["LDTD_SINCE"] = since
    if recrawl_days is not None:
        s["LDTD_RECRAWL_DAYS"] = recrawl_days
    s.update(extra or {})
    return s


def run_crawl(overrides: dict | None = None, spider: str = "laodongthudo") -> CrawlResult:
    """Crawl with the project settings plus ``overrides``; the outcome comes from the run's record."""
    from scrapy.crawler import CrawlerProcess

    settings = project_settings(overrides)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    # the crawl lock is CrawlLockExtension's (scrapy crawl takes it the same way): a crawl it refuses
    # to start fails with ArchiveLocked, reported here as the "locked" outcome
    d = process.crawl(crawler)
    d.addErrback(lambda f: None if f.check(ArchiveLocked) else f)
    process.start()
    locked = getattr(crawler, "ldtd_locked", None)
    if locked:
        return CrawlResult("locked", f"locked: {locked}")
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    outcome = stats.get("ldtd/outcome")
    summary = stats.get("ldtd/summary")
    if outcome is None:  # the pipeline never finished the run record (it failed to open, or was off)
        ok = stats.get("downloader/response_status_count/200", 0)
        reason = stats.get("finish_reason", "unknown")
        outcome = "ok" if ok and reason == "finished" else ("interrupted" if reason == "shutdown" else "failed")
        summary = f"{outcome}: {stats.get('downloader/request_count', 0)} requests, finish reason {reason}"
    result = CrawlResult(outcome, summary, stats)
    path = settings.get("LDTD_STATS_JSON")
    if path:  # for tests and benchmarks that run the crawl in a subprocess
        import json

        with open(path, "w", encoding="utf-8") as f:
            json.dump({"outcome": outcome, "summary": summary, "stats": stats}, f, default=str,
                      ensure_ascii=False, indent=1)
    return result
