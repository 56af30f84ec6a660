"""Article parsing: pure functions of HTML and URL (no Scrapy, no I/O)."""
