"""The spider's conditional sitemap requests, driven directly (a real spider on a real archive file, Scrapy
requests and responses built here, no crawl): an hourly run asks for a sitemap the last clean run read whole
with its validators; a 304 or the same bytes skip its entries (ldtd/sitemaps_unchanged); a changed one is
read and its validators handed to the run's record; a backfill asks plainly."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator

import pytest
from scrapy import Request
from scrapy.http import TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

import scraper.settings as project
from scraper.storage import Archive, runs
from scraper.storage.runs import RunRecord
from spiders.laodongthudo import LaodongthudoSpider

B = "https://laodongthudo.vn"
SITEMAP = f"{B}/sitemaps/sitemap-news-2026.xml"
NOW = "2026-11-25T18:00:00+07:00"
BODY = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<url><loc>{B}/tin-a-164501.html</loc><lastmod>2026-11-25T09:00:00+07:00</lastmod></url>'
        f'<url><loc>{B}/tin-b-164502.html</loc><lastmod>2026-11-25T08:00:00+07:00</lastmod></url>'
        f'</urlset>').encode()
# the sitemap after the site added an article
CHANGED = BODY.replace(b"</urlset>", f"<url><loc>{B}/tin-c-164503.html</loc></url></urlset>".encode())
REMEMBERED = {"etag": '"v1"', "last_modified": "Wed, 25 Nov 2026 02:00:00 GMT",
              "sha256": hashlib.sha256(BODY).hexdigest()}


@pytest.fixture
def db(tmp_path):
    """An archive whose last crawl, a clean backfill, read SITEMAP whole."""
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        record = RunRecord(mode="backfill", walk="full", now="2026-11-25T17:00:00+07:00")
        runs.start(archive.db, record)
        record.outcome, record.counts = "ok", dict.fromkeys(runs.COUNTS, 0)
        record.sitemaps_read = {SITEMAP: REMEMBERED}
        runs.finish(archive.db, record)
    return path


@contextlib.contextmanager
def spider_on(db, **settings) -> Iterator[LaodongthudoSpider]:
    """The spider with its state read from the archive `db`, closed as a finished run after the block."""
    values = {k: getattr(project, k) for k in dir(project) if k.startswith("LDTD_")}
    values.update({"LDTD_DB": str(db), "LDTD_NOW": NOW, "LDTD_FULL_WALK_DAYS": 0, **settings})
    crawler = get_crawler(LaodongthudoSpider, values)
    spider = LaodongthudoSpider.from_crawler(crawler)
    crawler.spider = spider
    spider._open_state()
    try:
        yield spider
    finally:
        spider.closed("finished")


def sitemap_request(spider) -> Request:
    robots = TextResponse(f"{B}/robots.txt", body=f"User-agent: *\nSitemap: {SITEMAP}\n".encode())
    [request] = list(spider.parse_robots(robots))
    return request


def answer(request: Request, status: int, body: bytes = b"", **headers) -> XmlResponse:
    return XmlResponse(request.url, status=status, body=body, request=request,
                       headers={"Content-Type": "application/xml", **headers})


def test_an_hourly_run_asks_with_the_validators_and_a_304_skips_the_entries(db):
    with spider_on(db) as spider:
        assert spider.plan.walk == "incremental"
        request = sitemap_request(spider)
        assert request.headers.get("If-None-Match") == b'"v1"'
        assert request.headers.get("If-Modified-Since") == b"Wed, 25 Nov 2026 02:00:00 GMT"
        assert 304 in request.meta["handle_httpstatus_list"]  # (past Scrapy's HttpError middleware)
        assert list(spider.parse_sitemap(answer(request, 304))) == []
        assert spider.crawler.stats.get_value("ldtd/sitemaps_unchanged") == 1
        assert spider.sitemaps_read == {}  # nothing read: the remembered validators stand


def test_the_same_bytes_are_unchanged_and_new_bytes_are_read_and_remembered(db):
    with spider_on(db) as spider:
        request = sitemap_request(spider)
        assert list(spider.parse_sitemap(answer(request, 200, BODY))) == []  # a server ignoring the validators
        assert spider.crawler.stats.get_value("ldtd/sitemaps_unchanged") == 1
        out = list(spider.parse_sitemap(answer(request, 200, CHANGED, ETag='"v2"')))
        assert {r.meta["ldtd_article_id"] for r in out} == {164501, 164502, 164503}
        assert spider.sitemaps_read == {SITEMAP: {"etag": '"v2"', "last_modified": None,
                                                  "sha256": hashlib.sha256(CHANGED).hexdigest()}}


def test_a_backfill_asks_plainly_and_reads_every_entry(db):
    with spider_on(db, LDTD_MODE="backfill") as spider:
        request = sitemap_request(spider)
        assert "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers
        out = list(spider.parse_sitemap(answer(request, 200, BODY, ETag='"v1"')))
        assert {r.meta["ldtd_article_id"] for r in out} == {164501, 164502}
        assert not spider.crawler.stats.get_value("ldtd/sitemaps_unchanged")
        assert spider.sitemaps_read[SITEMAP]["etag"] == '"v1"'


def test_an_hourly_run_limited_by_since_reads_but_remembers_nothing(db):
    with spider_on(db, LDTD_SINCE="2026-11-25") as spider:
        request = sitemap_request(spider)
        out = list(spider.parse_sitemap(answer(request, 200, CHANGED, ETag='"v2"')))
        assert {r.meta["ldtd_article_id"] for r in out} == {164501, 164502, 164503}
        assert spider.sitemaps_read == {}
