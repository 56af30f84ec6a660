"""What a watched crawl shows and keeps: a snapshot of its progress every second (`CrawlProgress`, an
extension sending the `crawl_progress` signal, which `ldtd crawl` shows as one line on a terminal), and
the run's log file beside the archive (`log_file_path`, `prune_logs`: one file per run, the last
LOGS_KEPT kept)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scrapy import signals
from twisted.internet import task

from scraper.crawl.pipeline import ArchivePipeline
from scraper.crawl.policy import listing_key
from scraper.urls import canonical_url

# Sent every PROGRESS_INTERVAL seconds and once when the engine stops, with `progress` (a Progress).
crawl_progress = object()
PROGRESS_INTERVAL = 1.0
LOGS_KEPT = 30


@dataclass(frozen=True)
class Progress:
    pages: int  # responses received
    new: int
    updated: int
    unchanged: int
    gone: int
    errors: int  # pages that could not be fetched, parsed or stored
    queue: int  # requests scheduled, not yet sent
    elapsed: float  # seconds
    listing_depth: int | None = None  # a backfill: the most pages fetched of one listing
    images: int | None = None  # with images archived (LDTD_IMAGES): images downloaded and kept

    @property
    def rate(self) -> float:
        """Pages a minute, since the start."""
        return 60 * self.pages / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        """`812 pages · 40 new, 3 updated, 700 unchanged, 0 gone · 2 errors · queue 35 · 95 pages/min`
        (images archived add `· 160 images` after the errors; a backfill adds `· listings 12 pages deep`)."""
        line = (f"{self.pages} pages · {self.new} new, {self.updated} updated, {self.unchanged} unchanged,"
                f" {self.gone} gone · {self.errors} errors")
        if self.images is not None:
            line += f" · {self.images} images"
        line += f" · queue {self.queue} · {self.rate:.0f} pages/min"
        if self.listing_depth is not None:
            line += f" · listings {self.listing_depth} pages deep"
        return line


class CrawlProgress:
    """Every PROGRESS_INTERVAL seconds (a LoopingCall, as Scrapy's LogStats), the crawl's Progress from its
    stats and the archive pipeline's counts, sent as `crawl_progress`; and once more when the engine stops."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.base_url = crawler.settings.get("LDTD_BASE_URL") or None
        self.listing_pages: Counter = Counter()
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.send)
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def engine_started(self):
        self.started = time.monotonic()
        self.loop.start(PROGRESS_INTERVAL, now=False)

    def response_received(self, response, request, spider):
        key = listing_key(canonical_url(response.url, self.base_url))
        if key is not None:
            self.listing_pages[key] += 1

    def engine_stopped(self):
        if self.loop.running:
            self.loop.stop()
        self.send()

    def snapshot(self) -> Progress:
        stats = self.crawler.stats
        pipeline = self.crawler.get_item_pipeline(ArchivePipeline)
        counts = pipeline.written.counts if pipeline is not None else Counter()
        plan = getattr(self.crawler.spider, "plan", None)
        backfill = plan is not None and plan.mode == "backfill"
        return Progress(
            pages=stats.get_value("response_received_count", 0), new=counts["new"], updated=counts["updated"],
            unchanged=counts["unchanged"], gone=counts["gone"], errors=counts["failed"],
            queue=max(0, stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)),
            elapsed=time.monotonic() - self.started,
            listing_depth=max(self.listing_pages.values(), default=0) if backfill else None,
            images=stats.get_value("ldtd/images/stored", 0) if self.crawler.settings.getbool("LDTD_IMAGES") else None)

    def send(self):
        self.crawler.signals.send_catch_log(signal=crawl_progress, progress=self.snapshot())


# -- the run's log file --------------------------------------------------------------------------------
def log_dir(db_path: str) -> Path:
    """Where a crawl's logs go: `archive.db.logs/` beside the archive."""
    return Path(f"{db_path}.logs")


def log_file_path(db_path: str, now: datetime, kind: str = "crawl") -> Path:
    """A new, empty file for this run's log (`archive.db.logs/crawl-20261207-011500.log`; `-2`... when a
    run started in the same second), made here so that no other run takes its name."""
    directory = log_dir(db_path)
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{kind}-{now:%Y%m%d-%H%M%S}"
    n = 1
    while True:
        path = directory / (f"{stem}.log" if n == 1 else f"{stem}-{n}.log")
        try:
            path.open("x").close()
            return path
        except FileExistsError:
            n += 1


def prune_logs(directory: Path, keep: int = LOGS_KEPT, kind: str = "crawl") -> list[Path]:
    """Delete all but the newest `keep` run logs in `directory` (their names sort by start time);
    returns those deleted."""
    def started(p: Path):
        stem = p.stem.split("-")
        return stem[1:3], int(stem[3]) if len(stem) > 3 and stem[3].isdigit() else 1

    logs = sorted(directory.glob(f"{kind}-*.log"), key=started)
    old = logs[:-keep] if keep > 0 else logs
    for p in old:
        p.unlink(missing_ok=True)
    return old
