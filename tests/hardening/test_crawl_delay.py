"""robots.txt's Crawl-delay: the site's download slot waits at least that long between requests, with
the default (polite) settings and in mirror mode too; an explicit DOWNLOAD_DELAY on the command line
(or `ldtd crawl --fast`) overrides it and the run says so; a hostile value is capped.

The crawl is kept to a few pages: robots.txt allows the home page and three articles only."""

from __future__ import annotations

import logging
import subprocess
import sys

from scrapy import Request, Spider
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler

from scraper.crawl.middlewares import CrawlDelayExtension, crawl_delay_plan
from scraper.crawl.run import FAST_SETTINGS, project_settings
from scraper.replica import faults as F
from scraper.replica.server import ReplicaServer

from .conftest import ROOT, CrawlRun, count_crawl, path_of, snapshot_time

ARTICLES = (203072, 203050, 203020)  # linked from the home page


def robots(delay) -> bytes:
    allowed = "".join(f"Allow: {path_of(aid)}$\n" for aid in ARTICLES)
    return f"User-agent: *\nCrawl-delay: {delay}\nAllow: /$\n{allowed}Disallow: /\n".encode()


def crawl(tmp_path, base_url, *args, settings=()):
    """`ldtd crawl` with the project's own settings (not the tests' politeness-off ones)."""
    stats = tmp_path / "stats.json"
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--db", str(tmp_path / "archive.db"), "--base-url", base_url,
           *args, "-s", f"LDTD_NOW={snapshot_time('base')}", "-s", f"LDTD_STATS_JSON={stats}"]
    for pair in settings:
        cmd += ["-s", pair]
    count_crawl(cmd)
    return CrawlRun(subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120), stats)


def gaps_after_robots(server) -> list[float]:
    """Seconds between consecutive requests once robots.txt has been read (the delay applies from then)."""
    times = server.request_times
    last_robots = max(i for i, (_m, path, _s) in enumerate(server.requests) if path == "/robots.txt")
    return [b - a for a, b in zip(times[last_robots:], times[last_robots + 1:])]


def test_crawl_delay_spaces_requests_with_the_default_settings(tmp_path):
    with ReplicaServer("base", faults={"/robots.txt": F.content_type("text/plain", body=robots(2))}) as srv:
        run = crawl(tmp_path, srv.base_url)
        gaps = gaps_after_robots(srv)
        fetched = {path for _m, path, _s in srv.requests}
    assert run.returncode == 0, run
    # the few pages robots.txt allows were crawled, and nothing it disallows
    assert fetched == {"/robots.txt", "/"} | {path_of(aid) for aid in ARTICLES}, fetched
    assert len(gaps) >= 4, srv.requests
    assert min(gaps) >= 2 * 0.95, gaps  # (scheduling rounding only: the delay is not jittered below 2 s)
    assert "Crawl-delay" in run.stderr and run.stats.get("ldtd/crawl_delay") == 2, run


def test_an_explicit_download_delay_overrides_it_and_says_so(caplog):
    """`ldtd crawl --fast` (DOWNLOAD_DELAY=0 on the command line): the extension, as the crawl builds it,
    reads robots.txt's Crawl-delay of 2 s, does not apply it, says so and counts it. (That the slot's delay
    then stays the command line's: Scrapy's own DOWNLOAD_DELAY; the applied case through a real crawl
    above.)"""
    settings = project_settings(FAST_SETTINGS)  # the project's settings, --fast's on the command line
    crawler = get_crawler(Spider, {"ROBOTSTXT_OBEY": True})
    crawler.settings = settings
    ext = CrawlDelayExtension.from_crawler(crawler)
    parser = ProtegoRobotParser(robots(2), None)
    with caplog.at_level(logging.INFO):
        ext.robots_parsed(parser, Request("http://127.0.0.1:1/robots.txt"))
    assert "not applied" in caplog.text and "DOWNLOAD_DELAY" in caplog.text, caplog.text
    assert crawler.stats.get_value("ldtd/crawl_delay") is None
    assert crawler.stats.get_value("ldtd/crawl_delay_overridden") == 2
    assert ext.floors == {}


def test_crawl_delay_plan():
    assert crawl_delay_plan(None, explicit=None, cap=60) == (None, None)
    assert crawl_delay_plan(0, explicit=None, cap=60) == (None, None)
    delay, why = crawl_delay_plan(2, explicit=None, cap=60)
    assert delay == 2 and "2" in why
    delay, why = crawl_delay_plan(2, explicit=0.0, cap=60)  # -s DOWNLOAD_DELAY=0 or --fast
    assert delay is None and "not applied" in why
    for hostile in (86400, float("inf"), 1e308):
        delay, why = crawl_delay_plan(hostile, explicit=None, cap=60)
        assert delay == 60 and "capped" in why, hostile
    delay, why = crawl_delay_plan(float("nan"), explicit=None, cap=60)
    assert delay is None and "ignored" in why
