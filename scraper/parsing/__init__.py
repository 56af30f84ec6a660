"""Article parsing: pure functions of HTML and URL (no Scrapy, no I/O). `scraper.parsing.article` has
`parse_article`; `model` the record it returns; `errors` what it raises.

(This file imports nothing, so that storage and the command line, which need only the record's model,
start without loading the parser and BeautifulSoup.)
"""
