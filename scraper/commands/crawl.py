"""`scrapy crawl`, crawling into the archive: Scrapy's crawl command plus the archive's item pipelines.

The pipelines (`LDTD_ARCHIVE_PIPELINES`: parse, then store and record the run) belong to crawls of the
site, `scrapy crawl laodongthudo` here and `ldtd crawl` (`scraper.crawl.run.run_crawl`); Scrapy's other
tools (shell, fetch, view, parse) run without them, so they never record a run, take the crawl lock
(`CrawlLockExtension` is off without ArchivePipeline) or write the archive."""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawlCommand


def use_archive(settings) -> None:
    """ITEM_PIPELINES for a crawl into the archive, at the "command" priority: above the defaults, below
    the command line (`-s ITEM_PIPELINES={}` still makes a bare crawl, as the benchmark's)."""
    settings.set("ITEM_PIPELINES", settings.getdict("LDTD_ARCHIVE_PIPELINES"), priority="command")


class Command(ScrapyCrawlCommand):
    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        use_archive(self.settings)
