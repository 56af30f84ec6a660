"""Run the crawler in this process (Scrapy's CrawlerProcess with the project settings).

The Twisted reactor cannot be restarted: one `run_crawl` per process (tests and the benchmark
start a subprocess per crawl).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import NotConfigured
from scrapy.utils.log import get_scrapy_root_handler
from scrapy.utils.project import get_project_settings

from scraper.crawl.images import image_counts
from scraper.crawl.pipeline import ArchivePipeline, run_unrecorded
from scraper.crawl.progress import CrawlProgress, crawl_progress, log_file_path, prune_logs
from scraper.storage import runs
from scraper.storage.archive import Archive
from scraper.storage.runs import Failure, RunLog, RunRecord

# Politeness off: for a local mirror only (the replica on 127.0.0.1), never the real site.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}

EXIT_OK, EXIT_FAILED, EXIT_DEGRADED, EXIT_INTERRUPTED, EXIT_LOCKED = 0, 1, 2, 3, 4

logger = logging.getLogger(__name__)

# The lock file's first block, written when the lock is taken: a run whose disk is too full to write its
# record can still leave it there (overwriting allocated bytes needs no free space) for the next run.
NOTE_ROOM = 2048


class ArchiveLocked(RuntimeError):
    """Another crawl is writing this archive (an hourly cron run that overlaps a slow one)."""


class HeldLock:
    """The crawl lock while it is held: `previous`, what the last holder left in the lock file (a note
    when its disk was too full to write its run's record, else nothing); `note`, set to leave one."""

    def __init__(self, previous: str):
        self.previous = previous
        self.note: str | None = None


@contextmanager
def crawl_lock(db_path: str):
    """Hold an exclusive lock beside the archive for the whole crawl.

    flock is released by the kernel when the process dies, so a killed run never leaves a stale lock.
    The lock file holds no state (the crawl's state lives in the archive), except a run's `note` when
    the archive could not take it (its disk was full): the next holder reads it (`previous`).
    """
    lock_path = f"{db_path}.crawl-lock"
    with open(lock_path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read(200).strip() or "another process"
            raise ArchiveLocked(f"another crawl ({holder}) is writing {db_path}; this run did nothing") from None
        f.seek(0)
        held = HeldLock(f.read(NOTE_ROOM).strip())
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}".ljust(NOTE_ROOM - 1) + "\n")  # (the room a note may take)
        f.flush()
        try:
            yield held
        finally:
            note = (held.note or "").encode("utf-8")[:NOTE_ROOM]
            try:
                if note:
                    # written over the bytes the pid line holds (the file is opened for appending)
                    fd = os.open(lock_path, os.O_WRONLY)
                    try:
                        os.pwrite(fd, note, 0)
                        os.ftruncate(fd, len(note))
                    finally:
                        os.close(fd)
                else:
                    f.seek(0)
                    f.truncate()
            except OSError as e:
                logger.error("could not leave a note for the next run in %s: %s", lock_path, e)


ARCHIVE_PIPELINE = f"{ArchivePipeline.__module__}.{ArchivePipeline.__qualname__}"


def stores(settings) -> bool:
    """Does this crawl write the archive (the archive's pipelines on: `use_archive`)?"""
    return ARCHIVE_PIPELINE in settings.getwithbase("ITEM_PIPELINES")


def use_archive(settings) -> None:
    """ITEM_PIPELINES for a crawl into the archive, at the "command" priority: above the defaults, below
    the command line (`-s ITEM_PIPELINES={}` still makes a bare crawl, as the benchmark's)."""
    settings.set("ITEM_PIPELINES", settings.getdict("LDTD_ARCHIVE_PIPELINES"), priority="command")


class CrawlLockExtension:
    """Takes `crawl_lock` for the crawl, whichever way it was started (`ldtd crawl`, `scrapy crawl
    laodongthudo`): built with the crawler's extensions, before the pipelines open the archive and
    record the run; released when the engine stops. When another crawl holds it, the crawl does not
    start (ArchiveLocked: `run_crawl` reports it as the "locked" outcome). Off for crawls that store
    nothing (no ArchivePipeline: the benchmark's bare crawl).

    Holding the lock, no other crawl runs: a crawl the archive still says is running is dead, and its
    record is finished here (`end_dead_runs`): with the record its own run left in the lock file when
    its disk was too full to write it (`run_unrecorded`), else as interrupted."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("LDTD_DB")
        self.lock = crawl_lock(self.db_path)
        self.held = self.lock.__enter__()
        self.unrecorded: RunRecord | None = None
        end_dead_runs(self.db_path, self.held.previous)
        crawler.signals.connect(self.leave, signal=run_unrecorded)
        crawler.signals.connect(self.release, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        if not stores(crawler.settings):
            raise NotConfigured
        return cls(crawler)

    def leave(self, record: RunRecord) -> None:
        """The run's record could not be written: left in the lock file for the next run."""
        self.unrecorded = record

    def release(self):
        lock, self.lock = self.lock, None
        if lock is not None:
            if self.unrecorded is not None:
                self.held.note = self.unrecorded.note(NOTE_ROOM)
            lock.__exit__(None, None, None)


def end_dead_runs(db_path: str, note: str = "") -> list[int]:
    """Finish the record of every crawl the archive says is still running (call it holding the crawl
    lock: they are dead): the run `note` names (what `CrawlLockExtension` left for it) as it left it,
    the others (killed) as interrupted. Returns their ids."""
    if not os.path.exists(db_path):
        return []
    left = RunRecord.from_note(note)
    try:
        with Archive.open(db_path, migrate=False) as archive:
            dead = RunLog(archive.db).running()
            for run_id in dead:
                if left is not None and left.id == run_id:
                    left.summary = f"{left.summary} (recorded by the next run)"
                    runs.finish(archive.db, left)
                else:
                    runs.finish(archive.db, RunRecord(
                        mode="", id=run_id, outcome="interrupted", failures=[Failure("ended without recording its end")],
                        summary="interrupted: ended without recording its end (killed, or its disk was full); the "
                                "next run resumed its work"))
                logger.warning("run %s had not recorded its end: recorded now", run_id)
            return dead
    except Exception as e:  # not an archive, or no room to write: the pipeline says so when it opens it
        logger.warning("could not record how earlier runs of %s ended: %s", db_path, e)
        return []


@dataclass
class CrawlResult:
    outcome: str  # ok | degraded | failed | interrupted
    summary: str
    stats: dict = field(default_factory=dict)
    log_file: str | None = None  # where Scrapy's log of the run went (besides the screen, or instead)

    @property
    def images(self) -> dict | None:
        """The run's image counts (`scraper.crawl.images.image_counts`), None when it archived none."""
        return image_counts(self.stats)

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


PROGRESS_EXTENSION = f"{CrawlProgress.__module__}.{CrawlProgress.__qualname__}"


def run_crawl(overrides: dict | None = None, spider: str = "laodongthudo", *, keep_log: bool = False,
              log_to_screen: bool = True, on_progress=None) -> CrawlResult:
    """Crawl with the project settings plus ``overrides``; the outcome comes from the run's record.

    keep_log: Scrapy's log of the run also goes to a new file beside the archive (`progress.log_file_path`,
    the last LOGS_KEPT kept), unless -s LOG_FILE names one; log_to_screen=False: to that file only.
    on_progress(progress): called every second with the crawl's `progress.Progress`."""
    settings = project_settings(overrides)
    use_archive(settings)  # the archive's item pipelines, as `scrapy crawl` has them
    log_file = settings.get("LOG_FILE") or None
    if keep_log and not log_file:
        # named in the machine's time, as the log's lines are
        log_file = str(log_file_path(settings.get("LDTD_DB"), datetime.now()))
        prune_logs(Path(log_file).parent)
        if not log_to_screen:  # Scrapy's own handler writes the file (new and empty: appended to, as
            # each handler Scrapy installs would start it again)
            settings.set("LOG_FILE", log_file, priority="cmdline")
            settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    if on_progress is not None:
        settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), PROGRESS_EXTENSION: 0}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    copy = None
    if keep_log and log_to_screen and log_file and not settings.get("LOG_FILE"):
        copy = _log_copy(log_file, settings)
    if on_progress is not None:
        crawler.signals.connect(on_progress, signal=crawl_progress, weak=False)
    try:
        result = _run(process, crawler, settings)
    finally:
        if copy is not None:
            logging.root.removeHandler(copy)
            copy.close()
    result.log_file = log_file
    return result


class LogFileCopy(logging.FileHandler):
    """A copy of the log in a file, given up at its first write error: the file sits beside the archive,
    and on a full disk the crawl must still finish, record itself and print its summary."""

    given_up = False

    def emit(self, record):
        if not self.given_up:
            super().emit(record)

    def handleError(self, record):
        if not self.given_up:
            self.given_up = True
            error = sys.exc_info()[1]
            sys.stderr.write(f"log file {self.baseFilename} not written any more: {error}\n")

    def flush(self):
        try:
            super().flush()
        except OSError:
            self.given_up = True

    def close(self):
        try:
            super().close()
        except OSError:
            self.given_up = True


def _log_copy(path: str, settings) -> logging.Handler:
    """A second root handler writing what Scrapy's (on the screen) writes, as it formats it, to `path`."""
    screen = get_scrapy_root_handler()
    handler = LogFileCopy(path, mode="a", encoding=settings.get("LOG_ENCODING"))
    if screen is not None:
        handler.setFormatter(screen.formatter)
        handler.setLevel(screen.level)
        for f in screen.filters:
            handler.addFilter(f)
    logging.root.addHandler(handler)
    return handler


def _run(process: CrawlerProcess, crawler, settings) -> CrawlResult:
    # the crawl lock is CrawlLockExtension's (scrapy crawl takes it the same way): a crawl it refuses
    # to start fails with ArchiveLocked, reported here as the "locked" outcome
    d = process.crawl(crawler)
    locked = []
    crashed = []  # why the crawl could not run (the archive could not be opened, no room for the lock...)

    def on_error(failure):
        if failure.check(ArchiveLocked):
            locked.append(failure.getErrorMessage())
            return None
        crashed.append(f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300])
        return failure

    d.addErrback(on_error)
    process.start()
    if locked:
        return CrawlResult("locked", f"locked: {locked[0]}")
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    outcome = stats.get("ldtd/outcome")
    summary = stats.get("ldtd/summary")
    if outcome is None:  # the pipeline never finished the run record (it failed to open, or was off)
        ok = stats.get("downloader/response_status_count/200", 0)
        reason = stats.get("finish_reason", "unknown")
        outcome = "ok" if ok and reason == "finished" else ("interrupted" if reason == "shutdown" else "failed")
        summary = f"{outcome}: {stats.get('downloader/request_count', 0)} requests, finish reason {reason}"
        if stores(settings) and outcome != "interrupted":
            # a crawl that stores and never finished its run's record went wrong (see the log): never "ok"
            outcome = "failed"
            summary = (f"failed: {crashed[0] if crashed else 'the run was never recorded to its end'} (see the log);"
                       f" {summary.split(': ', 1)[1]}")
    result = CrawlResult(outcome, summary, stats)
    path = settings.get("LDTD_STATS_JSON")
    if path:  # for tests and benchmarks that run the crawl in a subprocess
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"outcome": outcome, "summary": summary, "stats": stats}, f, default=str,
                      ensure_ascii=False, indent=1)
    return result
