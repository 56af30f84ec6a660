"""The crawl into the archive. The spider (`spiders/`) navigates and asks `policy` (pure decisions:
the plan, which articles, when paging stops); `pipeline` parses what it fetches, stores it through a
`writers.Writer` (store process, writer thread or inline) and records the run in the run log
(`scraper.storage.runs`); `middlewares` keep requests on the site (or its mirror) and honour
Retry-After and Crawl-delay; `run` holds the crawl lock and runs a crawl to its outcome."""
