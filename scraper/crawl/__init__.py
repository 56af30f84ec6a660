"""The crawl into the archive: the run (lock, outcome), the item pipeline, its writers and the
Scrapy middlewares. The spider (`spiders/`) navigates; this package turns what it fetches into
archive writes."""
