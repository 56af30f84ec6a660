"""`scrapy crawl`, crawling into the archive: Scrapy's crawl command plus the archive's item pipelines.

The pipelines (`LDTD_ARCHIVE_PIPELINES`: parse, then store and record the run) belong to crawls of the
site, `scrapy crawl laodongthudo` here and `ldtd crawl` (`scraper.crawl.run.run_crawl`); Scrapy's other
tools (shell, fetch, view, parse) run without them, so they never record a run, take the crawl lock
(`CrawlLockExtension` is off without ArchivePipeline) or write the archive."""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from scraper.crawl.run import use_archive


class Command(ScrapyCrawlCommand):
    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        use_archive(self.settings)
